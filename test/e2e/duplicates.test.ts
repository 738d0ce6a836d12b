/**
 * Issue 15: one person entered twice before names were normalised (`冯　明` and `冯明`, one
 * phone). `customers duplicates` lists the records for a person to decide; `customers
 * archive ID --reason … --duplicate-of KEPT` archives the extra one (SPEC §5: never deleted),
 * audited, and the record kept is the one imports and look-ups find.
 */
import { describe, expect, it } from 'vitest';
import { changesOf, sandboxesPerTest, TEST_ENGINE, type Sandbox } from './harness.js';

const sandboxes = sandboxesPerTest();
const HEADER = 'survey_no,name,phone,district,collector,collected_on';

/**
 * #1 冯　明 and #3 李 四 as an import stored them before issue 15 (#1 owned by R1 with an open
 * task and an order); #2 冯明 and #4 李四 as a survey import stores them now, #5 an
 * unrelated customer. Two people, each entered twice.
 */
async function twice(): Promise<Sandbox> {
  const s = await sandboxes.roster();
  s.exec(`
    INSERT INTO customers (customer_id, survey_no, name, phone, district, collector_id, collected_on, owner_id, assigned_on) VALUES
      (1, 'A1', '冯\u3000明', '13857903456', '330726', 'R1', '2024-04-01', 'R1', '2024-04-02');
    INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, note) VALUES (1, 'rep', 1, 'manual', '2024-08-02', 'R1', '带资料上门');
    INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id) VALUES ('SO-1', 1, '2024-06-01', 128000, 'R1');
    INSERT INTO customers (customer_id, name, phone, district, collector_id, collected_on) VALUES (3, '李 四', '057984123456', NULL, 'R2', '2024-04-03');`);
  // ids written by hand: SQLite's next rowid follows the largest; a server's identity must be
  // told (as `db copy` tells it), or its next customer would be given id 1 again (issue 19)
  if (TEST_ENGINE === 'postgres') s.query("SELECT setval(pg_get_serial_sequence('customers', 'customer_id'), 3)");
  const r = await s.run(['survey', 'import', s.file('s.csv', `${HEADER}\nB1,冯明,13857903456,330726,R1,2024-07-01\nB2,李四,0579-84123456,,R2,2024-07-02\nB3,王五,13800001111,330702,R2,2024-07-03\n`)]);
  expect(r.code, r.stderr).toBe(0);
  expect(s.query('SELECT customer_id, name, phone FROM customers ORDER BY customer_id')).toEqual([
    { customer_id: 1, name: '冯\u3000明', phone: '13857903456' },
    { customer_id: 3, name: '李 四', phone: '057984123456' },
    { customer_id: 4, name: '冯明', phone: '13857903456' },
    { customer_id: 5, name: '李四', phone: '057984123456' },
    { customer_id: 6, name: '王五', phone: '13800001111' },
  ]);
  return s;
}

const audits = (s: Sandbox) => s.query<{ action: string; reason: string | null; subject: string }>('SELECT action, reason, subject FROM audit_log ORDER BY audit_id');

describe('customers duplicates', () => {
  it('lists each group: ids, masked phone, name, district, owner, open tasks, orders (en)', async () => {
    const s = await twice();
    const r = await s.run(['customers', 'duplicates']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 7)).toEqual([
      '┌───────┬─────────────┬────────┬──────────────┬──────────┬──────────┬──────────────┬────────────┬────────┐',
      '│ group │ customer_id │ name   │ phone        │ district │ owner_id │ collected_on │ open_tasks │ orders │',
      '├───────┼─────────────┼────────┼──────────────┼──────────┼──────────┼──────────────┼────────────┼────────┤',
      '│     1 │           1 │ 冯　明 │ 138****3456  │ 330726   │ R1       │ 2024-04-01   │          1 │      1 │',
      '│     1 │           4 │ 冯明   │ 138****3456  │ 330726   │          │ 2024-07-01   │          0 │      0 │',
      '│     2 │           3 │ 李 四  │ 057*****3456 │          │          │ 2024-04-03   │          0 │      0 │',
      '│     2 │           5 │ 李四   │ 057*****3456 │          │          │ 2024-07-02   │          0 │      0 │',
    ]);
    expect(r.stdout).not.toContain('王五');
    expect(r.stderr).toContain('people entered more than once: 2, in 4 records. Keep one record of each group and archive the others: salesops customers archive ID --duplicate-of KEPT --reason TEXT');
    // a table on the terminal is not an export: nothing audited
    expect(audits(s)).toEqual([]);
  });

  it('in Chinese, and as json: English keys, phones masked, logged as an export (§5)', async () => {
    const s = await twice();
    const zh = await s.run(['--lang', 'zh', 'customers', 'duplicates']);
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout.split('\n')[1]).toBe('│ 组 │ 编号 │ 姓名   │ 电话         │ 地区代码 │ 跟进人 │ 收集日期   │ 未完成回访 │ 订单数 │');
    expect(zh.stderr).toContain('有 2 人被重复录入（共 4 条记录）。每组保留一条，其余归档：salesops customers archive 编号 --duplicate-of 保留的编号 --reason 原因');
    const json = await s.run(['--format', 'json', 'customers', 'duplicates']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { group: 1, customer_id: 1, name: '冯\u3000明', phone: '138****3456', district: '330726', owner_id: 'R1', collected_on: '2024-04-01', open_tasks: 1, orders: 1 },
      { group: 1, customer_id: 4, name: '冯明', phone: '138****3456', district: '330726', owner_id: null, collected_on: '2024-07-01', open_tasks: 0, orders: 0 },
      { group: 2, customer_id: 3, name: '李 四', phone: '057*****3456', district: null, owner_id: null, collected_on: '2024-04-03', open_tasks: 0, orders: 0 },
      { group: 2, customer_id: 5, name: '李四', phone: '057*****3456', district: null, owner_id: null, collected_on: '2024-07-02', open_tasks: 0, orders: 0 },
    ]);
    expect(json.stderr).toContain('the duplicates as json are an export of personal data: written to the audit log');
    expect(audits(s)).toEqual([{ action: 'export', reason: null, subject: 'customers duplicates → stdout (masked)' }]);
  });

  it('none: exit 0, nothing on stdout, said on stderr (en, zh)', async () => {
    const s = await sandboxes.roster();
    for (const [lang, text] of [['en', 'no customer is entered more than once'], ['zh', '没有重复录入的顾客']]) {
      const r = await s.run(['--lang', lang, 'customers', 'duplicates']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(text);
    }
  });
});

describe('customers archive --duplicate-of', () => {
  it('keeping the older record with the history: it takes the spelling imports write, the other is archived, audited (en)', async () => {
    const s = await twice();
    const r = await s.run(['customers', 'archive', '#4', '--duplicate-of', '1', '--reason', 'entered twice']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      'customer #4 冯\u3000明 archived on 2024-07-31 as a duplicate of #1 冯明\n' +
        '#1 now has the name and phone as imports write them, so imports and look-ups find it; #4 keeps the other spelling (salesops audit --changes --key 1)\n',
    );
    expect(s.query('SELECT customer_id, name, owner_id, archived_on, archive_reason FROM customers WHERE customer_id IN (1, 4) ORDER BY customer_id')).toEqual([
      { customer_id: 1, name: '冯明', owner_id: 'R1', archived_on: null, archive_reason: null },
      { customer_id: 4, name: '冯\u3000明', owner_id: null, archived_on: '2024-07-31', archive_reason: 'duplicate of #1: entered twice' },
    ]);
    // never deleted; the history stays where it was
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 5 }]);
    expect(s.query('SELECT customer_id FROM orders')).toEqual([{ customer_id: 1 }]);
    expect(audits(s)).toEqual([{ action: 'archive', reason: 'entered twice', subject: 'customer 4 (duplicate of customer 1)' }]);
    const command = "--as-of 2024-07-31 customers archive '#4' --duplicate-of 1 --reason 'entered twice'";
    expect(changesOf(s, 'customers')).toEqual([
      { key: '1', field: 'name', old_value: '冯\u3000明', new_value: '冯明', command },
      { key: '4', field: 'name', old_value: '冯明', new_value: '冯\u3000明', command },
      { key: '4', field: 'archived_on', old_value: null, new_value: '2024-07-31', command },
      { key: '4', field: 'archive_reason', old_value: null, new_value: 'duplicate of #1: entered twice', command },
    ]);

    // the group is resolved; the phone names the record kept; a re-import of the survey adds nobody
    const dup = await s.run(['--format', 'json', 'customers', 'duplicates']);
    expect(JSON.parse(dup.stdout).map((x: { customer_id: number }) => x.customer_id)).toEqual([3, 5]);
    const show = await s.run(['--format', 'json', 'customers', 'show', '138 5790 3456', '--name', '冯明']);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ customer_id: 1, name: '冯明', owner_id: 'R1' });
    // both surveys of that person, as first imported, re-import unchanged
    const again = await s.run(['survey', 'import', s.file('again.csv', `${HEADER}\nA1,冯\u3000明,13857903456,330726,R1,2024-04-01\nB1,冯明,13857903456,330726,R1,2024-07-01\n`)]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('0 new, 0 updated, 2 unchanged, 0 rejected');
    // left out of the listing; by its id it is there, with its reason
    const list = await s.run(['--format', 'json', 'customers', 'list']);
    expect(JSON.parse(list.stdout).map((x: { customer_id: number }) => x.customer_id)).toEqual([1, 3, 5, 6]);
    const card = await s.run(['customers', 'show', '4']);
    expect(card.stdout).toContain('Archive reason: duplicate of #1: entered twice');
  });

  it('keeping the record imports already find: nothing exchanged; what stays with the archived one is said (zh)', async () => {
    const s = await twice();
    const r = await s.run(['--lang', 'zh', 'customers', 'archive', '1', '--duplicate-of', '4', '--reason', '同一人两次录入']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      '顾客 #1 冯\u3000明 已于 2024-07-31 归档，为 #4 冯明 的重复记录\n' +
        '以下内容仍留在 #1（salesops customers show 1）：1 项未完成回访（不再列入待回访清单），1 笔订单\n',
    );
    expect(s.query('SELECT customer_id, name, archived_on, archive_reason FROM customers WHERE customer_id IN (1, 4) ORDER BY customer_id')).toEqual([
      { customer_id: 1, name: '冯\u3000明', archived_on: '2024-07-31', archive_reason: '与 #4 重复：同一人两次录入' },
      { customer_id: 4, name: '冯明', archived_on: null, archive_reason: null },
    ]);
    expect(changesOf(s, 'customers').map((c) => [c.key, c.field])).toEqual([
      ['1', 'archived_on'],
      ['1', 'archive_reason'],
    ]);
    // its open task is no longer due (the due list leaves archived customers out)
    const due = await s.run(['--format', 'json', 'followups', 'due']);
    expect(due.code, due.stderr).toBe(0);
    expect(JSON.parse(due.stdout)).toEqual([]);
    expect(s.query("SELECT status FROM tasks WHERE customer_id = 1")).toEqual([{ status: 'open' }]);
  });

  it('an archived customer is not assigned (en)', async () => {
    const s = await twice();
    expect((await s.run(['customers', 'archive', '3', '--duplicate-of', '5', '--reason', 'entered twice'])).code).toBe(0);
    const r = await s.run(['--format', 'json', 'assign', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((x: { customer_id: number }) => x.customer_id).sort()).toEqual([4, 5, 6]);
  });
});

describe('customers archive', () => {
  it('with a reason only: archived, audited, left out of the listing (en)', async () => {
    const s = await twice();
    const r = await s.run(['customers', 'archive', '6', '--reason', 'asked not to be called']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('customer #6 王五 archived on 2024-07-31\n');
    expect(s.query('SELECT archived_on, archive_reason FROM customers WHERE customer_id = 6')).toEqual([{ archived_on: '2024-07-31', archive_reason: 'asked not to be called' }]);
    expect(audits(s)).toEqual([{ action: 'archive', reason: 'asked not to be called', subject: 'customer 6' }]);
    // again: nothing to do, said so, exit 0
    const again = await s.run(['--lang', 'zh', 'customers', 'archive', '6', '--reason', 'x']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('顾客 #6 已于 2024-07-31 归档（asked not to be called），未做更改\n');
    expect(audits(s)).toHaveLength(1);
  });

  it.each([
    ['no --reason', ['customers', 'archive', '4'], 2, '--reason is required when not running interactively', '非交互运行时必须提供 --reason'],
    ['an empty reason', ['customers', 'archive', '4', '--reason', ' \u3000'], 2, '--reason is empty', '--reason 不能为空'],
    ['a phone for the id', ['customers', 'archive', '13857903456', '--reason', 'x'], 2, '13857903456 is not a customer id', '13857903456 不是顾客编号'],
    ['a duplicate of itself', ['customers', 'archive', '4', '--duplicate-of', '#4', '--reason', 'x'], 2, 'customer #4 cannot be a duplicate of itself', '顾客 #4 不能与自身重复'],
    ['an unknown id', ['customers', 'archive', '99', '--reason', 'x'], 1, 'no customer 99', '没有顾客 99'],
    ['another phone', ['customers', 'archive', '4', '--duplicate-of', '6', '--reason', 'x'], 1, '#4 and #6 have different phones: a duplicate has the same phone', '#4 与 #6 电话不同，不属于重复录入'],
  ] as const)('refuses %s, changing nothing (en, zh)', async (_what, args, code, en, zh) => {
    const s = await twice();
    for (const [lang, text] of [['en', en], ['zh', zh]]) {
      const r = await s.run(['--lang', lang, ...args]);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toContain(text);
    }
    expect(s.query('SELECT count(*) AS n FROM customers WHERE archived_on IS NOT NULL')).toEqual([{ n: 0 }]);
    expect(audits(s)).toEqual([]);
  });

  it('refuses to keep an archived record (en, zh)', async () => {
    const s = await twice();
    expect((await s.run(['customers', 'archive', '1', '--reason', 'moved away'])).code).toBe(0);
    for (const [lang, text] of [['en', 'customer #1 is archived itself'], ['zh', '顾客 #1 本身已归档']]) {
      const r = await s.run(['--lang', lang, 'customers', 'archive', '4', '--duplicate-of', '1', '--reason', 'x']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(text);
    }
    expect(s.query('SELECT archived_on FROM customers WHERE customer_id = 4')).toEqual([{ archived_on: null }]);
  });
});
