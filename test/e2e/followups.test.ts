/**
 * Customer files, follow-up plans and the due list (SPEC §2 events/followups/orders, §3.2,
 * §4 `followups due`), through the built binary. Sandboxes are shared per describe: each
 * binary run costs ~0.3 s.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { TEST_ENGINE, withRoster, withSurveys, type Sandbox } from './harness.js';
import { moveOpenRepTasks, handOverDoctorTasks, dueQuery } from '../../src/store/followups.js';
import type { DB } from '../../src/store/db.js';

/**
 * The sandbox's database as the store sees it: the file through better-sqlite3, or on
 * PostgreSQL the built store's connection (its bridge runs a worker file from dist/, as the
 * harness's sandboxes do).
 */
async function storeDb(s: Sandbox): Promise<DB> {
  if (TEST_ENGINE === 'sqlite') return new Database(s.db);
  const { openDb } = (await import(new URL('../../dist/store/db.js', import.meta.url).href)) as typeof import('../../src/store/db.js');
  return openDb(s.db);
}

const SURVEYS = `survey_no,name,phone,district,collector,collected_on
T1,甲一,13900000001,330726,R1,2024-04-01
T2,乙二,13900000002,330702,R2,2024-04-01
T3,丙三,13900000003,330106,R3,2024-04-01
T4,丁四,13900000004,,R1,2024-04-01
T5,戊五,13900000005,330726,R1,2024-04-01
T6,己六,13900000005,330726,R2,2024-04-01
`;

/** A roster, the surveys above, and owners as assignment would set them (T3, T4 unassigned). */
const setup = (asOf = '2024-07-31'): Promise<Sandbox> => withSurveys(SURVEYS, { T1: 'R1', T2: 'R2', T5: 'R1', T6: 'R2' }, asOf);

const id = (s: Sandbox, surveyNo: string) => s.query<{ customer_id: number }>('SELECT customer_id FROM customers WHERE survey_no = ?', surveyNo)[0].customer_id;
const tasksOf = (s: Sandbox, surveyNo: string) =>
  s
    .query<{ role: string; seq: number; plan: string; due_by: string; staff_id: string | null; status: string }>(
      'SELECT role, seq, plan, due_by, staff_id, status FROM tasks WHERE customer_id = ? ORDER BY task_id',
      id(s, surveyNo),
    )
    .map((t) => `${t.role} ${t.seq} ${t.plan} ${t.due_by} ${t.staff_id ?? '-'} ${t.status}`);
const count = (s: Sandbox, table: string) => s.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0].n;

describe('events import: files and plans (§2 events.csv, §3.2)', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => s.cleanup());

  it('opens a non-buyer and a buyer file on the event date with the plan deadlines; records the purchase as an order', async () => {
    const f = s.file(
      '5月联谊会签到.csv',
      // GBK with Chinese headers, as Excel on Chinese Windows writes it; the customer in every form
      '电话,姓名,活动日期,活动名称,是否购买,购买金额,填表人\n13900000001,,2024/5/9,5月联谊会,否,,刘芳\n13900000002,,2024年5月9日,5月联谊会,是,"1,280.50",R2\n13900000005,己六,2024-05-09,5月联谊会,否,,\n',
      { encoding: 'gbk', crlf: true },
    );
    const r = await s.run(['events', 'import', f]);
    expect(r.stderr).toContain('3 new');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('3 files opened (1 buyers)');
    expect(tasksOf(s, 'T1')).toEqual(['rep 1 non_buyer 2024-05-12 R1 open', 'rep 2 non_buyer 2024-05-24 R1 open']);
    // buyer: rep 3, 30, 60 (the owner); doctor 15, 30, 60 (D1 covers 婺城区 330702)
    expect(tasksOf(s, 'T2')).toEqual([
      'rep 1 buyer 2024-05-12 R2 open',
      'doctor 1 buyer 2024-05-24 D1 open',
      'rep 2 buyer 2024-06-08 R2 open',
      'doctor 2 buyer 2024-06-08 D1 open',
      'rep 3 buyer 2024-07-08 R2 open',
      'doctor 3 buyer 2024-07-08 D1 open',
    ]);
    expect(tasksOf(s, 'T6')).toHaveLength(2);
    expect(tasksOf(s, 'T5')).toEqual([]); // same phone, other name: untouched
    expect(s.query('SELECT customer_id, opened_on, buyer, bought_on, event, recorded_by FROM files ORDER BY customer_id')).toEqual([
      { customer_id: id(s, 'T1'), opened_on: '2024-05-09', buyer: 0, bought_on: null, event: '5月联谊会', recorded_by: 'R1' },
      { customer_id: id(s, 'T2'), opened_on: '2024-05-09', buyer: 1, bought_on: '2024-05-09', event: '5月联谊会', recorded_by: 'R2' },
      { customer_id: id(s, 'T6'), opened_on: '2024-05-09', buyer: 0, bought_on: null, event: '5月联谊会', recorded_by: null },
    ]);
    expect(s.query('SELECT order_no, amount_fen, staff_id, source FROM orders')).toEqual([
      { order_no: `EV-${id(s, 'T2')}-2024-05-09-5月联谊会`, amount_fen: 128050, staff_id: 'R2', source: 'event' },
    ]);
  });

  it('a later purchase turns the open non-buyer plan into a buyer plan from that date; superseded tasks are kept as cancelled', async () => {
    const f = s.file('6月.csv', 'customer,event_date,event,purchased,amount\n13900000001,2024-06-15,6月联谊会,Y,2680\n');
    const r = await s.run(['events', 'import', f]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('1 upgraded to the buyer plan');
    expect(tasksOf(s, 'T1')).toEqual([
      'rep 1 non_buyer 2024-05-12 R1 cancelled',
      'rep 2 non_buyer 2024-05-24 R1 cancelled',
      'rep 1 buyer 2024-06-18 R1 open',
      'doctor 1 buyer 2024-06-30 D1 open',
      'rep 2 buyer 2024-07-15 R1 open',
      'doctor 2 buyer 2024-07-15 D1 open',
      'rep 3 buyer 2024-08-14 R1 open',
      'doctor 3 buyer 2024-08-14 D1 open',
    ]);
    expect(s.query('SELECT opened_on, buyer, bought_on FROM files WHERE customer_id = ?', id(s, 'T1'))).toEqual([
      { opened_on: '2024-05-09', buyer: 1, bought_on: '2024-06-15' },
    ]);
  });

  it('re-importing the same files changes nothing: every row unchanged, no task or order added', async () => {
    const before = [count(s, 'tasks'), count(s, 'orders'), count(s, 'events')];
    const r = await s.run(['events', 'import', `${s.dir}/5月联谊会签到.csv`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('0 new, 0 updated, 3 unchanged, 0 rejected');
    expect((await s.run(['events', 'import', `${s.dir}/6月.csv`])).stderr).toContain('1 unchanged');
    expect([count(s, 'tasks'), count(s, 'orders'), count(s, 'events')]).toEqual(before);
  });

  it('a corrected sheet updates the event and its order; a purchase corrected to none withdraws the order and the file becomes a non-buyer\'s, as a fresh import of the corrected sheet gives', async () => {
    const orderNo = `EV-${id(s, 'T2')}-2024-05-09-5月联谊会`;
    const fixed = await s.run(['events', 'import', s.file('fix.csv', 'customer,event_date,event,purchased,amount\n13900000002,2024-05-09,5月联谊会,是,1380\n')]);
    expect(fixed.stderr).toContain('0 new, 1 updated');
    expect(s.query('SELECT amount_fen FROM orders WHERE order_no = ?', orderNo)).toEqual([{ amount_fen: 138000 }]);
    const none = await s.run(['events', 'import', s.file('fix2.csv', 'customer,event_date,event,purchased\n13900000002,2024-05-09,5月联谊会,否\n')]);
    expect(none.stderr).toContain('1 updated');
    expect(none.stderr).toContain('1 withdrawn');
    expect(s.query('SELECT count(*) AS n FROM orders WHERE order_no = ?', orderNo)).toEqual([{ n: 0 }]);
    expect(s.query('SELECT buyer FROM files WHERE customer_id = ?', id(s, 'T2'))).toEqual([{ buyer: 0 }]);
    // put it back for the tests below
    await s.run(['events', 'import', `${s.dir}/5月联谊会签到.csv`]);
  });

  it('rows of one customer in one file are applied by event date, whatever the file order', async () => {
    // T3 (unassigned: rep tasks have no staff yet) bought on 07-20 after attending on 07-01
    const f = s.file('7月.csv', 'customer,event_date,event,purchased,amount\n#' + id(s, 'T3') + ',2024-07-20,7月联谊会,是,980\n' + id(s, 'T3') + ',2024-07-01,健康讲座,否,\n');
    expect((await s.run(['events', 'import', f])).code).toBe(0);
    expect(s.query('SELECT opened_on, bought_on, event FROM files WHERE customer_id = ?', id(s, 'T3'))).toEqual([{ opened_on: '2024-07-01', bought_on: '2024-07-20', event: '健康讲座' }]);
    expect(tasksOf(s, 'T3').slice(0, 3)).toEqual(['rep 1 non_buyer 2024-07-04 - cancelled', 'rep 2 non_buyer 2024-07-16 - cancelled', 'rep 1 buyer 2024-07-23 - open']);
  });

  it('bad rows: each reported with row, column, value, reason and fix; nothing written; exit 1', async () => {
    const before = [count(s, 'tasks'), count(s, 'events'), count(s, 'files')];
    const f = s.file(
      'bad.csv',
      'customer,name,event_date,purchased,amount\n' +
        '13900000004,,2024-07-02,否,\n' + // good
        '13911112222,,2024-07-02,否,\n' + // unknown customer
        '13900000005,,2024-07-02,否,\n' + // phone of two customers
        '13900000004,,2024-13-01,否,\n' +
        '13900000004,,2024-08-01,否,\n' + // after --as-of
        '13900000004,,2024-07-03,否,500\n' +
        '13900000004,,2024-07-03,是,-5\n' +
        '13900000004,,2024-07-03,maybe,\n' +
        '张三,,2024-07-03,否,\n',
    );
    const r = await s.run(['events', 'import', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('row 3, customer "13911112222": no such customer → import the survey first');
    expect(r.stderr).toContain('row 4, customer "13900000005": this phone belongs to several customers (戊五, 己六) → add a name column');
    expect(r.stderr).toContain('row 5, event_date "2024-13-01": not a date');
    expect(r.stderr).toContain('row 6, event_date "2024-08-01": is after 2024-07-31');
    expect(r.stderr).toContain('row 7, amount "500": an amount is given but purchased is no');
    expect(r.stderr).toContain('row 8, amount "-5": must not be negative');
    expect(r.stderr).toContain('row 9, purchased "maybe": not yes or no');
    expect(r.stderr).toContain('row 10, customer "张三": neither a phone number nor a customer id');
    expect(r.stderr).toContain('nothing was imported');
    expect([count(s, 'tasks'), count(s, 'events'), count(s, 'files')]).toEqual(before);
  });

  it('--skip-invalid --rejects imports the good rows and opens their files (exit 3)', async () => {
    const rejects = `${s.dir}/rejects.csv`;
    const r = await s.run(['events', 'import', `${s.dir}/bad.csv`, '--skip-invalid', '--rejects', rejects]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('1 new, 0 updated, 0 unchanged, 8 rejected');
    expect(tasksOf(s, 'T4')).toEqual(['rep 1 non_buyer 2024-07-05 - open', 'rep 2 non_buyer 2024-07-17 - open']);
    expect(fs.readFileSync(rejects, 'utf8')).toContain('13911112222,,2024-07-02,否,,customer: no such customer');
  });

  it('a missing required column fails before any row is read', async () => {
    const r = await s.run(['events', 'import', s.file('nocol.csv', 'customer,event_date\n13900000001,2024-07-01\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('lacks the required columns: purchased');
  });
});

describe('followups due (§3.2, §4)', () => {
  let s: Sandbox;
  // T1 (owner R1) non-buyer opened 07-01: rep due 07-04 and 07-16.
  // T2 (owner R2) buyer opened 07-01: rep 07-04, 07-31, 08-30; doctor (D1) 07-16, 07-31, 08-30.
  // T4 (no owner) non-buyer opened 07-10: rep 07-13, 07-25.
  beforeAll(async () => {
    s = await setup();
    const f = s.file('e.csv', 'phone,event_date,purchased\n13900000001,2024-07-01,N\n13900000002,2024-07-01,Y\n13900000004,2024-07-10,N\n');
    const r = await s.run(['events', 'import', f]);
    if (r.code !== 0) throw new Error(r.stderr);
  });
  afterAll(() => s.cleanup());

  const due = async (asOf: string, ...args: string[]) => {
    const r = await s.run(['--format', 'json', 'followups', 'due', ...args], { asOf });
    return { ...r, rows: r.stdout ? (JSON.parse(r.stdout) as Record<string, unknown>[]) : [] };
  };
  const brief = (rows: Record<string, unknown>[]) => rows.map((r) => `${r.due_by} ${r.role}${r.seq} ${r.staff_id ?? '-'}${r.overdue ? ' overdue' : ''}`);

  it('the §4 JSON fields, exactly and in order, with the optional extras after them', async () => {
    const r = await due('2024-07-04', '--within', '0');
    expect(r.code).toBe(0);
    expect(Object.keys(r.rows[0]).slice(0, 7)).toEqual(['customer_id', 'customer_name', 'role', 'seq', 'due_by', 'overdue', 'staff_id']);
    expect(r.rows[0]).toMatchObject({ customer_id: id(s, 'T1'), customer_name: '甲一', role: 'rep', seq: 1, due_by: '2024-07-04', overdue: false, staff_id: 'R1', phone: '139****0001', days_overdue: 0, plan: 'non_buyer' });
  });

  it.each<[string, string, string[], string[]]>([
    ['before anything is due within the window', '2024-06-25', [], []],
    ['due today is listed and not overdue', '2024-07-04', ['--within', '0'], ['2024-07-04 rep1 R1', '2024-07-04 rep1 R2']],
    ['due yesterday is overdue', '2024-07-05', ['--within', '0'], ['2024-07-04 rep1 R1 overdue', '2024-07-04 rep1 R2 overdue']],
    ['the default window is 7 days (as-of 07-10 → due by 07-17)', '2024-07-10', [], ['2024-07-04 rep1 R1 overdue', '2024-07-04 rep1 R2 overdue', '2024-07-13 rep1 -', '2024-07-16 rep2 R1', '2024-07-16 doctor1 D1']],
    // issue 18: on 07-06 T4 had no file yet (it opened 07-10): its task due 07-13 did not exist
    ['the window on a day before a plan started leaves its tasks out', '2024-07-06', [], ['2024-07-04 rep1 R1 overdue', '2024-07-04 rep1 R2 overdue']],
    ['--within 10 reaches 07-16', '2024-07-06', ['--within', '10'], ['2024-07-04 rep1 R1 overdue', '2024-07-04 rep1 R2 overdue', '2024-07-16 rep2 R1', '2024-07-16 doctor1 D1']],
    ['--overdue lists only what is overdue, whatever the window', '2024-07-14', ['--overdue', '--within', '30'], ['2024-07-04 rep1 R1 overdue', '2024-07-04 rep1 R2 overdue', '2024-07-13 rep1 - overdue']],
    ['--staff by id', '2024-07-31', ['--staff', 'R2'], ['2024-07-04 rep1 R2 overdue', '2024-07-31 rep2 R2']],
    ['--staff by name', '2024-07-31', ['--staff', '张医生'], ['2024-07-16 doctor1 D1 overdue', '2024-07-31 doctor2 D1']],
    ['--role doctor', '2024-07-31', ['--role', 'doctor'], ['2024-07-16 doctor1 D1 overdue', '2024-07-31 doctor2 D1']],
    ['--unassigned: tasks of customers without an owner', '2024-07-31', ['--unassigned'], ['2024-07-13 rep1 - overdue', '2024-07-25 rep2 - overdue']],
  ])('%s', async (_rule, asOf, args, expected) => {
    const r = await due(asOf, ...args);
    expect(r.code).toBe(0);
    expect(brief(r.rows)).toEqual(expected);
  });

  it('overdue first, then by due_by', async () => {
    const r = await due('2024-07-20', '--within', '30');
    const dues = r.rows.map((x) => x.due_by as string);
    expect(dues).toEqual([...dues].sort());
    const firstOnTime = r.rows.findIndex((x) => !x.overdue);
    expect(r.rows.slice(firstOnTime).every((x) => !x.overdue)).toBe(true);
    expect(r.rows.slice(0, firstOnTime).every((x) => x.overdue)).toBe(true);
  });

  it('an empty list: exit 0, [] on stdout, the message on stderr', async () => {
    const r = await due('2024-06-01', '--fail-if-overdue');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('[]');
    expect(r.stderr).toContain('No follow-ups due by 2024-06-08');
  });

  it('--fail-if-overdue exits 4 when a listed task is overdue, 0 when none is', async () => {
    const bad = await s.run(['followups', 'due', '--fail-if-overdue'], { asOf: '2024-07-05' });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('2 listed follow-ups are overdue');
    expect((await s.run(['followups', 'due', '--fail-if-overdue', '--within', '0'], { asOf: '2024-07-04' })).code).toBe(0);
    // only what is listed counts: R1 holds no doctor task
    expect((await s.run(['followups', 'due', '--fail-if-overdue', '--staff', 'R1', '--role', 'doctor'], { asOf: '2024-07-14' })).code).toBe(0);
  });

  it('table form: one block per staff member with a heading, unassigned last', async () => {
    const r = await s.run(['followups', 'due'], { asOf: '2024-07-31' });
    expect(r.code).toBe(0);
    const headings = r.stdout.split('\n').filter((l) => /^(\w+ \S+: \d+ due|Unassigned)/.test(l));
    expect(headings).toEqual(['D1 张医生: 2 due, 1 overdue', 'R1 刘芳: 2 due, 2 overdue', 'R2 杨洋: 2 due, 1 overdue', expect.stringMatching(/^Unassigned .*: 2 due, 2 overdue$/)]);
    expect(r.stdout).toContain('27 d overdue');
    expect(r.stdout).toContain('today');
    expect(r.stdout).toMatch(/│ Due by +│ Overdue +│ Customer │ Name +│ Phone +│ Follow-up +│/);
    const zh = await s.run(['followups', 'due', '--staff', 'R1'], { asOf: '2024-07-31', lang: 'zh' });
    expect(zh.stdout).toMatch(/│ 截止日期 +│ 逾期 +│ 顾客编号 │ 顾客姓名 │ 电话 +│ 回访 +│/);
    expect(zh.stdout).toContain('逾期 27 天');
    expect(r.stdout).toContain('139****0002');
    expect(r.stdout).not.toContain('13900000002');
    expect(r.stderr).toContain('8 follow-ups due by 2024-08-07, 6 of them overdue');
  });

  it('csv: the JSON names as headers (no BOM on a pipe: issue 15); --limit cuts the list and says so', async () => {
    const r = await s.run(['--format', 'csv', 'followups', 'due', '--limit', '2'], { asOf: '2024-07-31' });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split(/\r\n/);
    expect(lines[0]).toBe('customer_id,customer_name,role,seq,due_by,overdue,staff_id,staff_name,phone,days_overdue,plan,task_id,note');
    expect(lines).toHaveLength(3);
    expect(r.stderr).toContain('showing the first 2');
  });

  // SQLite's own plan of its own text (EXPLAIN QUERY PLAN, INDEXED BY): the PostgreSQL twin has no hints to hold
  it.skipIf(TEST_ENGINE === 'postgres').each<[string, Record<string, unknown>, string]>([
    ['everyone', {}, 'tasks_open_due'],
    ['one staff member', { staff: 'R1' }, 'tasks_open_staff'],
    ['unassigned', { unassigned: true }, 'tasks_open_staff'],
    ['a role, overdue only', { role: 'doctor', overdueOnly: true }, 'tasks_open_due'],
  ])('§7 the due query for %s reads the open tasks in order from their partial index (no sort, LIMIT stops early)', (_who, filter, index) => {
    const d = new Database(s.db, { readonly: true });
    const q = dueQuery(d, { asOf: '2024-07-31', cutoff: '2024-08-07', limit: 1001, ...filter });
    const plan = (d.prepare('EXPLAIN QUERY PLAN ' + q.sql).all(q.params) as { detail: string }[]).map((r) => r.detail);
    d.close();
    // the parts are merged in order; the first (open now: the big one) needs no sort, the
    // others (closed or moved after as-of: none for today) are sorted
    expect(plan[0]).toBe('MERGE (UNION ALL)');
    const first = plan.slice(0, plan.indexOf('RIGHT')).join('\n');
    expect(first).toContain(`USING INDEX ${index}`);
    expect(first).not.toMatch(/TEMP B-TREE|SCAN t\b/);
    expect(plan.join('\n')).not.toMatch(/SCAN t\b/);
  });

  it('usage errors exit 2; an unknown staff member exits 1', async () => {
    expect((await s.run(['followups', 'due', '--within', 'soon'])).code).toBe(2);
    expect((await s.run(['followups', 'due', '--role', 'manager'])).code).toBe(2);
    expect((await s.run(['followups', 'due', '--limit', '-1'])).code).toBe(2);
    const r = await s.run(['followups', 'due', '--staff', 'R99']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no staff member R99');
  });
});

describe('followups done, import and add (§3.2)', () => {
  let s: Sandbox;
  // T1 non-buyer opened 07-01 (rep 07-04, 07-16); T2 buyer opened 07-01 (rep 07-04, 07-31, 08-30; doctor 07-16, 07-31, 08-30)
  beforeAll(async () => {
    s = await setup();
    const r = await s.run(['events', 'import', s.file('e.csv', 'phone,event_date,purchased\n13900000001,2024-07-01,N\n13900000002,2024-07-01,Y\n')]);
    if (r.code !== 0) throw new Error(r.stderr);
  });
  afterAll(() => s.cleanup());

  const followups = (surveyNo: string) =>
    s
      .query<{ done_on: string; role: string; staff_id: string | null; seq: number | null; late: number }>(
        'SELECT f.done_on, f.role, f.staff_id, t.seq, f.late FROM followups f LEFT JOIN tasks t ON t.task_id = f.task_id WHERE f.customer_id = ? ORDER BY f.followup_id',
        id(s, surveyNo),
      )
      .map((f) => `${f.done_on} ${f.role} ${f.staff_id ?? '-'} ${f.seq === null ? 'extra' : '#' + f.seq}${f.late ? ' late' : ''}`);

  it('without a terminal a missing --note is a usage error naming the flag (exit 2), nothing recorded', async () => {
    const r = await s.run(['followups', 'done', '13900000001', '--role', 'rep', '--method', 'visit'], { asOf: '2024-07-04' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--note is required when not running interactively');
    expect(count(s, 'followups')).toBe(0);
  });

  it('done on the deadline completes the earliest open task on time; the staff defaults to the task holder', async () => {
    const r = await s.run(['followups', 'done', '13900000001', '--role', 'rep', '--method', '上门', '--note', '介绍产品服务'], { asOf: '2024-07-04' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Recorded: rep follow-up #1 (due 2024-07-04) done on time');
    expect(followups('T1')).toEqual(['2024-07-04 rep R1 #1']);
    expect(tasksOf(s, 'T1')[0]).toBe('rep 1 non_buyer 2024-07-04 R1 done');
  });

  it('done the day after the deadline is late', async () => {
    const r = await s.run(['--format', 'json', 'followups', 'done', '13900000002', '--role', 'rep', '--method', 'phone', '--note', '电话回访', '--on', '2024-07-05', '--staff', 'R1'], { asOf: '2024-07-10' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('done 1 days late');
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'matched', seq: 1, due_by: '2024-07-04', late: true, staff_id: 'R1' });
  });

  it('recording the same follow-up again changes nothing', async () => {
    const r = await s.run(['followups', 'done', '13900000002', '--role', 'rep', '--method', 'phone', '--note', '电话回访', '--on', '2024-07-05', '--staff', 'R1'], { asOf: '2024-07-10' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('already recorded');
    expect(followups('T2')).toHaveLength(1);
  });

  it('with no open task of the role it is kept as an extra contact', async () => {
    const r = await s.run(['followups', 'done', '13900000001', '--role', 'doctor', '--method', 'phone', '--note', '医生问候'], { asOf: '2024-07-06' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('extra contact');
    expect(followups('T1')).toEqual(['2024-07-04 rep R1 #1', '2024-07-06 doctor - extra']);
  });

  it('a date after --as-of is refused (exit 1)', async () => {
    const r = await s.run(['followups', 'done', '13900000001', '--role', 'rep', '--method', 'phone', '--note', 'x', '--on', '2024-07-07'], { asOf: '2024-07-06' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('after today');
  });

  it('followups import: rows matched per customer in done_on order; late, extra; re-import unchanged', async () => {
    const f = s.file(
      '回访记录.csv',
      '电话,回访人,回访日期,回访方式,回访员工,回访内容\n' +
        '13900000002,医生,2024-07-20,上门,张医生,测量血压\n' + // doctor #1 due 07-16: late
        '13900000002,满意代表,2024-07-30,电话,R2,询问使用情况\n' + // rep #2 due 07-31 (after the row below)
        '13900000002,满意代表,2024-07-12,电话,,介绍产品\n' + // dated earlier than the row above: matched first, rep #2
        '13900000001,满意代表,2024-07-16,电话,R1,邀请参加活动\n' + // rep #2 on time
        '13900000001,满意代表,2024-07-20,电话,R1,节日问候\n', // no open rep task: extra
      { encoding: 'utf8-bom' },
    );
    const r = await s.run(['followups', 'import', f], { asOf: '2024-07-31' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('5 new');
    expect(r.stderr).toContain('Follow-ups: 4 tasks completed (1 late), 1 extra contacts kept');
    expect(followups('T2')).toEqual(['2024-07-05 rep R1 #1 late', '2024-07-20 doctor D1 #1 late', '2024-07-30 rep R2 #3', '2024-07-12 rep R2 #2']);
    expect(followups('T1')).toEqual(['2024-07-04 rep R1 #1', '2024-07-06 doctor - extra', '2024-07-16 rep R1 #2', '2024-07-20 rep R1 extra']);
    const again = await s.run(['followups', 'import', f], { asOf: '2024-07-31' });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('0 new, 0 updated, 5 unchanged');
    expect(count(s, 'followups')).toBe(8);
  });

  it('followups import bad rows: note missing, unknown staff, future date, bad method; nothing written', async () => {
    const f = s.file(
      'bad.csv',
      'customer,role,done_on,method,staff,note\n13900000001,rep,2024-07-20,phone,R1,\n13900000001,rep,2024-07-20,phone,R77,好\n13900000001,rep,2024-08-02,phone,R1,好\n13900000001,rep,2024-07-21,letter,R1,好\n13900000001,boss,2024-07-21,phone,R1,好\n',
    );
    const r = await s.run(['followups', 'import', f], { asOf: '2024-07-31' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('row 2, note "": The follow-up has no note');
    expect(r.stderr).toContain('row 3, staff "R77": no such staff member on the roster');
    expect(r.stderr).toContain('row 4, done_on "2024-08-02": is after 2024-07-31');
    expect(r.stderr).toContain('row 5, method "letter"');
    expect(r.stderr).toContain('row 6, role "boss"');
    expect(count(s, 'followups')).toBe(8);
  });

  it('followups add: a manager\'s task (plan manual), numbered per role, held by the owner, in the due list', async () => {
    const r = await s.run(['followups', 'add', '13900000001', '--role', 'rep', '--due', '2024-08-05', '--note', '经理安排'], { asOf: '2024-07-31' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Added a rep follow-up #1 due 2024-08-05');
    const r2 = await s.run(['followups', 'add', '#' + id(s, 'T1'), '--role', 'doctor', '--due', '2024-08-06'], { asOf: '2024-07-31' });
    expect(r2.code).toBe(0);
    expect(s.query("SELECT role, seq, plan, due_by, staff_id, note FROM tasks WHERE plan = 'manual' ORDER BY task_id")).toEqual([
      { role: 'rep', seq: 1, plan: 'manual', due_by: '2024-08-05', staff_id: 'R1', note: '经理安排' },
      { role: 'doctor', seq: 1, plan: 'manual', due_by: '2024-08-06', staff_id: 'D1', note: null },
    ]);
    const list = JSON.parse((await s.run(['--format', 'json', 'followups', 'due', '--staff', 'R1'], { asOf: '2024-07-31' })).stdout);
    expect(list).toEqual([expect.objectContaining({ due_by: '2024-08-05', plan: 'manual', seq: 1, note: '经理安排' })]);
    expect((await s.run(['followups', 'add', '13900000001', '--role', 'rep'])).code).toBe(2); // --due missing
    const other = await s.run(['followups', 'add', '13900000001', '--role', 'rep', '--due', '2024-08-05', '--staff', 'R2']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('rep follow-ups belong to the customer\'s owner (R1), not R2');
  });
});

describe('orders import (§2 orders.csv)', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup();
    const r = await s.run(['events', 'import', s.file('e.csv', 'phone,event_date,purchased\n13900000001,2024-07-01,N\n')]);
    if (r.code !== 0) throw new Error(r.stderr);
  });
  afterAll(() => s.cleanup());

  const ORDERS = 'order_no,customer,name,order_date,amount,staff,product\nSO-1,13900000002,,2024-07-02,"1,280.00",R2,护膝\nSO-2,13900000005,戊五,2024/7/3,¥460,,营养粉\n';

  it('imports, credits the owner when staff is blank, and is idempotent by order_no', async () => {
    const f = s.file('订单.csv', ORDERS);
    const r = await s.run(['orders', 'import', f]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('2 new');
    expect(s.query('SELECT order_no, customer_id, order_date, amount_fen, staff_id, product, source FROM orders ORDER BY order_no')).toEqual([
      { order_no: 'SO-1', customer_id: id(s, 'T2'), order_date: '2024-07-02', amount_fen: 128000, staff_id: 'R2', product: '护膝', source: 'orders' },
      { order_no: 'SO-2', customer_id: id(s, 'T5'), order_date: '2024-07-03', amount_fen: 46000, staff_id: 'R1', product: '营养粉', source: 'orders' },
    ]);
    // the owner changes later: a re-import with a blank staff keeps the credit
    s.exec(`UPDATE customers SET owner_id = 'R2' WHERE survey_no = 'T5'`);
    const again = await s.run(['orders', 'import', f]);
    expect(again.stderr).toContain('0 new, 0 updated, 2 unchanged');
    expect(s.query("SELECT staff_id FROM orders WHERE order_no = 'SO-2'")).toEqual([{ staff_id: 'R1' }]);
  });

  it('an existing order_no with different data is updated', async () => {
    const r = await s.run(['orders', 'import', s.file('fix.csv', 'order_no,customer,order_date,amount,staff\nSO-1,13900000002,2024-07-02,1380,R2\n')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('0 new, 1 updated');
    expect(s.query("SELECT amount_fen, product FROM orders WHERE order_no = 'SO-1'")).toEqual([{ amount_fen: 138000, product: null }]);
  });

  it('a later purchase by a non-buyer upgrades the plan from the order date', async () => {
    const r = await s.run(['orders', 'import', s.file('o3.csv', 'order_no,customer,order_date,amount\nSO-3,13900000001,2024-07-10,300\n')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('1 upgraded to the buyer plan');
    expect(tasksOf(s, 'T1').filter((t) => t.includes(' buyer '))[0]).toBe('rep 1 buyer 2024-07-13 R1 open');
    expect(tasksOf(s, 'T1').filter((t) => t.endsWith('cancelled'))).toHaveLength(2);
  });

  it('bad rows: negative amount, unknown staff, unknown customer, bad date; nothing written', async () => {
    const before = count(s, 'orders');
    const r = await s.run([
      'orders',
      'import',
      s.file('bad.csv', 'order_no,customer,order_date,amount,staff\nSO-9,13900000001,2024-07-10,-3,R1\nSO-10,13900000001,2024-07-10,3,R77\nSO-11,13988887777,2024-07-10,3,R1\nSO-12,13900000001,7/10,3,R1\n'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('row 2, amount "-3": must not be negative');
    expect(r.stderr).toContain('row 3, staff "R77"');
    expect(r.stderr).toContain('row 4, customer "13988887777": no such customer');
    expect(r.stderr).toContain('row 5, order_date "7/10": not a date');
    expect(count(s, 'orders')).toBe(before);
  });
});

describe('customers show: file, plan and contact history', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup();
    await s.run(['events', 'import', s.file('e.csv', 'phone,event_date,event,purchased,amount\n13900000002,2024-07-01,7月联谊会,Y,980\n')]);
    await s.run(['followups', 'done', '13900000002', '--role', 'rep', '--method', 'visit', '--note', '上门讲解使用方法', '--on', '2024-07-03']);
  });
  afterAll(() => s.cleanup());

  it('as text', async () => {
    const r = await s.run(['customers', 'show', '13900000002']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('File: opened 2024-07-01 (7月联谊会), buyer (bought 2024-07-01)');
    expect(r.stdout).toContain('Follow-up plan:');
    expect(r.stdout).toMatch(/2024-07-16 │ doctor │\s+1 │ buyer plan │ D1\s+│ open \(overdue\)/);
    expect(r.stdout).toContain('Contact history:');
    // §5: a follow-up's note is sealed unless revealed, as in `export followups` (test/e2e/sealed.test.ts)
    expect(r.stdout).not.toContain('上门讲解使用方法');
    expect(r.stdout).toContain('(sealed)');
    expect(r.stdout).toContain('980.00');
  });

  it('as JSON', async () => {
    const o = JSON.parse((await s.run(['--format', 'json', 'customers', 'show', '13900000002'])).stdout);
    expect(o.file).toEqual({ opened_on: '2024-07-01', buyer: true, bought_on: '2024-07-01', event: '7月联谊会', recorded_by: null });
    expect(o.pinned).toBe(false); // a JSON boolean, as export customers writes it
    expect(o.tasks).toHaveLength(6);
    expect(o.tasks[0]).toMatchObject({ role: 'rep', seq: 1, status: 'done', done_on: '2024-07-03', late: false, overdue: false });
    expect(o.followups).toEqual([expect.objectContaining({ done_on: '2024-07-03', method: 'visit', seq: 1, late: false })]);
    expect(o.followups[0]).not.toHaveProperty('note'); // sealed unless revealed (§5)
    expect(o.orders).toEqual([expect.objectContaining({ amount: 980, source: 'event' })]);
    expect(o.phone).toBe('139****0002');
  });

  it('a customer without a file says so', async () => {
    expect((await s.run(['customers', 'show', '13900000004'])).stdout).toContain('File: none yet');
  });
});

describe('tasks follow their customer (hooks for assignment and handover)', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await setup();
    await s.run(['events', 'import', s.file('e.csv', 'phone,event_date,purchased\n13900000003,2024-07-01,Y\n13900000001,2024-07-01,Y\n')]);
    await s.run(['followups', 'done', '13900000003', '--role', 'rep', '--method', 'phone', '--note', 'x', '--on', '2024-07-02']);
  });
  afterAll(() => s.cleanup());

  it('moveOpenRepTasks moves only the open rep tasks to the new owner', async () => {
    const d = await storeDb(s);
    const n = moveOpenRepTasks(d, id(s, 'T3'), 'R3', '2024-07-05', 'pin');
    d.close();
    expect(n).toBe(2);
    expect(tasksOf(s, 'T3').filter((t) => t.startsWith('rep'))).toEqual(['rep 1 buyer 2024-07-04 - done', 'rep 2 buyer 2024-07-31 R3 open', 'rep 3 buyer 2024-08-30 R3 open']);
  });

  it('handOverDoctorTasks gives a leaving doctor\'s open tasks to the nearest active doctor', async () => {
    const d = await storeDb(s);
    d.exec("INSERT INTO staff (staff_id, name, role, district, hired_on) VALUES ('D2', '李医生', 'doctor', '330106', '2020-01-01')");
    d.exec("UPDATE staff SET left_on = '2024-07-31' WHERE staff_id = 'D1'");
    const moved = handOverDoctorTasks(d, 'D1', '2024-07-31');
    d.close();
    expect(moved).toEqual([
      [id(s, 'T1'), 'D2'],
      [id(s, 'T3'), 'D2'],
    ]);
    expect(s.query("SELECT count(*) AS n FROM tasks WHERE staff_id = 'D1' AND status = 'open'")).toEqual([{ n: 0 }]);
  });
});

describe('the bundled fixtures: the result does not depend on which sheet is imported first', () => {
  const FIX = new URL('../../fixtures/', import.meta.url).pathname;
  const state = async (order: string[]) => {
    const s = await withRoster();
    try {
      for (const [cmd, file] of [['staff', 'staff.csv'], ['survey', 'surveys.csv'], ...order.map((k) => [k, `${k}.csv`])]) {
        const r = await s.run([cmd, 'import', FIX + file]);
        if (r.code !== 0) throw new Error(`${cmd} import: ${r.stderr}`);
      }
      return {
        files: s.query('SELECT * FROM files ORDER BY customer_id'),
        tasks: s.query('SELECT customer_id, role, seq, plan, due_by, staff_id, status, done_on, note FROM tasks ORDER BY customer_id, role, plan, seq'),
        followups: s.query(
          'SELECT f.customer_id, f.role, f.done_on, f.method, f.staff_id, f.late, t.plan, t.seq FROM followups f LEFT JOIN tasks t ON t.task_id = f.task_id ORDER BY f.customer_id, f.done_on, f.role',
        ),
        orders: s.query('SELECT * FROM orders ORDER BY order_no'),
      };
    } finally {
      s.cleanup();
    }
  };

  let a: Awaited<ReturnType<typeof state>>;
  it('events → followups → orders', async () => {
    a = await state(['events', 'followups', 'orders']);
    expect(a.tasks.length).toBeGreaterThan(50);
    expect(a.followups.length).toBe(27);
  });
  it('orders → followups → events gives the same files, tasks, follow-ups and orders', async () => {
    expect(await state(['orders', 'followups', 'events'])).toEqual(a);
  });
});
