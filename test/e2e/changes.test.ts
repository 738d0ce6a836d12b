/**
 * `audit --changes` (issue 13): the change log through the binary, in zh and en, in every
 * format, with each filter; sealed values and numbers typed into values or the command line
 * masked (§5) unless a gm approved a reveal (audited); the log append-only in the schema.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { withRoster, ROOT, TEST_ENGINE, type Sandbox } from './harness.js';
import type { ChangeEntry } from '../../src/store/changes.js';

type ChangesModule = typeof import('../../src/store/changes.js');
type DbModule = typeof import('../../src/store/db.js');

/** Raw values a masked listing must never show, in any format. */
const SECRETS = ['13911112222', '13811112222', '13812345678', '13912345678', '13511112222', '高血压', '糖尿病', '江滨路1号', '顾客说很满意', '330726195001011234'];
const KEYS = ['change_id', 'at', 'kind', 'key', 'field', 'old_value', 'new_value', 'command', 'os_user'];
const FORMATS = ['table', 'csv', 'tsv', 'json', 'jsonl'] as const;

let s: Sandbox;

beforeAll(async () => {
  s = await withRoster();
  // written by the shipped change log (dist/), as the writers of imports and commands do,
  // through the shipped connection (a SQLite file, or a server's database: issue 19)
  const { changeLog } = (await import(path.join(ROOT, 'dist/store/changes.js'))) as ChangesModule;
  const { openDb } = (await import(path.join(ROOT, 'dist/store/db.js'))) as DbModule;
  const db = openDb(s.db);
  try {
    const trips = changeLog(db, "trips import trips.csv --note '客户13911112222'");
    trips.record('trips', 'T001', { advance_fen: 128000, purpose: '拜访' }, { advance_fen: 28000, purpose: '拜访 13811112222' });
    trips.field('expenses', 'T001#1', 'amount_fen', 10000, 12000);
    trips.field('expenses', 'T001#2', 'reason', null, '打车');
    trips.field('expenses', 'T0011#1', 'amount_fen', 100, 200);
    const survey = changeLog(db, 'survey import s.csv');
    survey.field('customers', '12', 'phone', '13812345678', '13912345678');
    survey.field('customers', '12', 'health', '高血压', '糖尿病');
    survey.field('customers', '12', 'address', '浙江省金华市浦江县江滨路1号', null);
    survey.field('customers', '12', 'id_card', null, '330726195001011234');
    changeLog(db, 'followups import f.csv').field('followups', '7', 'note', '询问使用情况', '询问使用情况，顾客说很满意');
    changeLog(db, 'events import e.csv').field('events', '12|2024-07-01|健康讲座', 'purchased', true, false);
    changeLog(db, "orders import o.csv --note 家属13511112222").field('orders', 'SO-1', 'amount_fen', 398000, 298000);
    // dates of the schema's form (local time) on both sides of a period's edges
    const at = db.prepare("INSERT INTO changes (at, kind, key, field, old_value, new_value, command, os_user) VALUES (?, 'staff', 'R4', 'left_on', ?, NULL, 'staff rehire R4', 'hr')");
    at.run('2024-06-30T23:59:59', 'a');
    at.run('2024-07-01T00:00:00', 'b');
    at.run('2024-07-31T23:59:59', 'c');
    at.run('2024-08-01T00:00:00', 'd');
  } finally {
    db.close();
  }
});

afterAll(() => s?.cleanup());

const changes = async (args: string[], lang = 'en') => s.run(['--format', 'json', 'audit', '--changes', ...args], { lang });
const json = async (args: string[], lang = 'en'): Promise<ChangeEntry[]> => {
  const r = await changes(args, lang);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ChangeEntry[];
};

describe('audit --changes', () => {
  it('lists every entry in JSON with stable English keys, masked', async () => {
    for (const lang of ['en', 'zh']) {
      const rows = await json([], lang);
      expect(rows).toHaveLength(16);
      for (const r of rows) expect(Object.keys(r)).toEqual(KEYS);
      const by = (kind: string, key: string, field: string) => rows.find((r) => r.kind === kind && r.key === key && r.field === field);
      // money kept in fen, shown in yuan; a phone typed into the command line masked
      expect(by('trips', 'T001', 'advance')).toMatchObject({ old_value: '1280.00', new_value: '280.00', command: "trips import trips.csv --note '客户139****2222'" });
      expect(by('trips', 'T001', 'purpose')).toMatchObject({ old_value: '拜访', new_value: '拜访 138****2222' });
      expect(by('customers', '12', 'phone')).toMatchObject({ old_value: '138****5678', new_value: '139****5678', command: 'survey import s.csv' });
      expect(by('customers', '12', 'address')).toMatchObject({ old_value: '****', new_value: null });
      expect(by('customers', '12', 'id_card')).toMatchObject({ old_value: null, new_value: '330726********1234' });
      const sealed = lang === 'zh' ? '（已封存）' : '(sealed)';
      expect(by('customers', '12', 'health')).toMatchObject({ old_value: sealed, new_value: sealed });
      expect(by('followups', '7', 'note')).toMatchObject({ old_value: sealed, new_value: sealed });
      expect(by('events', '12|2024-07-01|健康讲座', 'purchased')).toMatchObject({ old_value: '1', new_value: '0' });
      expect(by('orders', 'SO-1', 'amount')).toMatchObject({ old_value: '3980.00', new_value: '2980.00', command: 'orders import o.csv --note 家属135****2222' });
      expect(rows.map((r) => r.change_id)).toEqual([...rows.map((r) => r.change_id)].sort((a, b) => a - b));
    }
  });

  it('no raw phone, ID, address, health or follow-up note in any format, zh or en', async () => {
    for (const lang of ['en', 'zh']) {
      for (const format of FORMATS) {
        const r = await s.run(['--format', format, 'audit', '--changes'], { lang });
        expect(r.code, r.stderr).toBe(0);
        for (const secret of SECRETS) expect(r.stdout, `${lang} ${format} ${secret}`).not.toContain(secret);
        expect(r.stdout).toContain('139****2222');
      }
    }
  });

  it('table: headers and kinds in the language of the user', async () => {
    const zh = await s.run(['audit', '--changes', '--kind', 'trips'], { lang: 'zh' });
    expect(zh.code, zh.stderr).toBe(0);
    for (const h of ['序号', '时间', '类别', '记录', '字段', '原值', '新值', '命令', '系统用户']) expect(zh.stdout).toContain(h);
    expect(zh.stdout).toContain('出差');
    expect(zh.stdout).toContain('1280.00');
    expect(zh.stderr).toContain('共 2 条修改');
    const en = await s.run(['audit', '--changes', '--kind', 'trips']);
    expect(en.code, en.stderr).toBe(0);
    for (const h of KEYS) expect(en.stdout).toContain(h);
    expect(en.stdout).toContain('trips');
    expect(en.stdout).not.toContain('出差');
    expect(en.stderr).toContain('2 changes (--kind trips)');
    // a missing value is a dash in the table, null in JSON
    const addr = await s.run(['audit', '--changes', '--kind', 'customers', '--key', '12']);
    expect(addr.stdout).toMatch(/address\s+│\s+\*\*\*\*\s+│\s+—\s+│/);
  });

  it('csv: English header (no BOM on a pipe: issue 15), CRLF, one record per entry; tsv and jsonl alike', async () => {
    const csv = await s.run(['--format', 'csv', 'audit', '--changes', '--kind', 'expenses'], { lang: 'zh' });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.startsWith(KEYS.join(',') + '\r\n')).toBe(true);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^\d+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d,expenses,T001#1,amount,100\.00,120\.00,trips import trips\.csv --note '客户139\*\*\*\*2222',/);
    expect(lines[2]).toContain(',expenses,T001#2,reason,,打车,');
    const tsv = await s.run(['--format', 'tsv', 'audit', '--changes', '--kind', 'expenses']);
    expect(tsv.stdout.split('\n')[0]).toBe(KEYS.join('\t'));
    expect(tsv.stdout.trimEnd().split('\n')).toHaveLength(4);
    const jsonl = await s.run(['--format', 'jsonl', 'audit', '--changes', '--kind', 'expenses']);
    const objs = jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as ChangeEntry);
    expect(objs.map((o) => o.key)).toEqual(['T001#1', 'T001#2', 'T0011#1']);
    expect(objs).toEqual(await json(['--kind', 'expenses']));
  });

  it('--kind, in English or Chinese', async () => {
    const trips = await json(['--kind', 'trips']);
    expect(trips.map((r) => r.field)).toEqual(['advance', 'purpose']);
    expect(await json(['--kind', '出差'], 'zh')).toEqual(trips.map((r) => r));
    expect(await json(['--kind', 'TRIPS'])).toEqual(trips);
    expect(await json(['--kind', 'customers'])).toHaveLength(4);
    // a known kind with nothing recorded yet: an empty list, not an error
    const none = await changes(['--kind', 'staff', '--key', 'R9']);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toEqual([]);
    expect(none.stderr).toContain('no changes recorded (--kind staff --key R9)');
  });

  it('--key: the row, or a composite key by its leading part', async () => {
    expect((await json(['--key', 'T001'])).map((r) => `${r.kind} ${r.key} ${r.field}`)).toEqual([
      'trips T001 advance', 'trips T001 purpose', 'expenses T001#1 amount', 'expenses T001#2 reason',
    ]);
    expect((await json(['--kind', 'expenses', '--key', 'T001#2'])).map((r) => r.key)).toEqual(['T001#2']);
    expect((await json(['--key', '12'])).map((r) => r.kind)).toEqual(['customers', 'customers', 'customers', 'customers', 'events']);
    expect(await json(['--key', 'T00'])).toEqual([]);
  });

  it('--from/--to: local dates, inclusive, in any form a date is written', async () => {
    const at = async (args: string[]) => (await json(['--kind', 'staff', ...args])).map((r) => r.at);
    expect(await at(['--from', '2024-07-01', '--to', '2024-07-31'])).toEqual(['2024-07-01T00:00:00', '2024-07-31T23:59:59']);
    expect(await at(['--from', '2024/7/1', '--to', '2024年7月31日'])).toEqual(['2024-07-01T00:00:00', '2024-07-31T23:59:59']);
    expect(await at(['--to', '2024-06-30'])).toEqual(['2024-06-30T23:59:59']);
    expect(await at(['--from', '2024-08-01'])).toEqual(['2024-08-01T00:00:00']);
    // the entries written today are in today's period
    const all = await json([]);
    const today = all.find((r) => r.kind === 'trips')!.at.slice(0, 10);
    expect(await json(['--from', today, '--to', today])).toEqual(all.filter((r) => r.at.slice(0, 10) === today));
    expect(all.filter((r) => r.at.slice(0, 10) === today).length).toBeGreaterThanOrEqual(1);
  });

  it('bad flags are usage errors (exit 2) that say what to write, in zh and en', async () => {
    const en = await changes(['--kind', 'bogus']);
    expect(en.code).toBe(2);
    expect(en.stdout).toBe('');
    expect(en.stderr).toContain('--kind bogus: not a kind of the change log; kinds: staff, customers, events, followups, orders, trips, expenses, policy');
    const zh = await changes(['--kind', 'bogus'], 'zh');
    expect(zh.code).toBe(2);
    expect(zh.stderr).toContain('--kind bogus：修改记录中没有该类别');
    expect(zh.stderr).toContain('trips（出差）');
    expect(zh.stderr).toContain('policy（制度）');
    for (const args of [['--from', '2024-13-01'], ['--to', 'yesterday'], ['--from', '2024-08-01', '--to', '2024-07-01'], ['--limit', '-1']]) {
      const r = await changes(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect((await changes(['--from', '2024-08-01', '--to', '2024-07-01'])).stderr).toContain('--from 2024-08-01 is after --to 2024-07-01');
    // the change log's flags without --changes
    const plain = await s.run(['audit', '--kind', 'trips']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('--kind applies to the change log: add --changes');
    // the audit log's own period is checked too
    expect((await s.run(['audit', '--from', '2024-02-30'])).code).toBe(2);
  });

  it('--limit cuts the list and says so; 0 lists everything', async () => {
    const r = await changes(['--limit', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as ChangeEntry[]).map((x) => x.change_id)).toEqual([1, 2]);
    expect(r.stderr).toContain('first 2 changes shown');
    const all = await changes(['--limit', '0']);
    expect(JSON.parse(all.stdout)).toHaveLength(16);
  });

  it('--reveal needs a gm and a reason, shows the values as stored, and is audited', async () => {
    const refused = await changes(['--reveal']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    const notGm = await changes(['--reveal', '--approved-by', 'M1', '--reason', '核对']);
    expect(notGm.code).toBe(1);
    expect(notGm.stdout).toBe('');
    const before = s.query('SELECT * FROM audit_log').length;
    const rows = await json(['--kind', 'customers', '--reveal', '--approved-by', 'G1', '--reason', '核对更正']);
    expect(rows.find((r) => r.field === 'phone')).toMatchObject({ old_value: '13812345678', new_value: '13912345678' });
    expect(rows.find((r) => r.field === 'health')).toMatchObject({ old_value: '高血压', new_value: '糖尿病' });
    expect(s.query('SELECT action, approved_by, reason, subject FROM audit_log').slice(before)).toEqual([
      { action: 'reveal', approved_by: 'G1', reason: '核对更正', subject: 'audit --changes (--kind customers)' },
    ]);
    // the plain audit log has nothing to reveal
    expect((await s.run(['audit', '--reveal', '--approved-by', 'G1', '--reason', 'x'])).code).toBe(2);
  });

  it('the schema refuses UPDATE, DELETE and INSERT OR REPLACE on the log', async () => {
    const before = await json([]);
    expect(() => s.exec("UPDATE changes SET new_value = '0' WHERE kind = 'trips'")).toThrow(/append-only/);
    expect(() => s.exec('DELETE FROM changes')).toThrow(/append-only/);
    if (TEST_ENGINE === 'postgres') {
      // a server's replace is an upsert (an UPDATE), and it can empty a table at once
      expect(() => s.exec("INSERT INTO changes (change_id, kind, key, field, command) VALUES (1, 'trips', 'T001', 'advance_fen', 'x') ON CONFLICT (change_id) DO UPDATE SET command = 'x'")).toThrow(/append-only/);
      expect(() => s.exec('TRUNCATE changes')).toThrow(/append-only/);
    } else {
      expect(() => s.exec("INSERT OR REPLACE INTO changes (change_id, kind, key, field, command) VALUES (1, 'trips', 'T001', 'advance_fen', 'x')")).toThrow(/append-only/);
    }
    expect(await json([])).toEqual(before);
  });
});

describe('audit --changes on an empty log', () => {
  it('says so; json is [], csv the header alone', async () => {
    const e = await withRoster();
    try {
      const table = await e.run(['audit', '--changes'], { lang: 'zh' });
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toBe('');
      expect(table.stderr).toContain('没有修改记录');
      expect((await e.run(['--format', 'json', 'audit', '--changes'])).stdout).toBe('[]\n');
      expect((await e.run(['--format', 'jsonl', 'audit', '--changes'])).stdout).toBe('');
      expect((await e.run(['--format', 'csv', 'audit', '--changes'])).stdout).toBe(KEYS.join(',') + '\r\n');
    } finally {
      e.cleanup();
    }
  });
});

describe('customers sharing a phone', () => {
  it('the "several customers" error masks a number typed into a name', async () => {
    const e = await withRoster();
    try {
      const imp = await e.run(['survey', 'import', e.file('s.csv', 'name,phone,collector,collected_on\n张三13911112222,13500001111,R1,2024-05-01\n李四,13500001111,R1,2024-05-02\n')]);
      expect(imp.code, imp.stderr).toBe(0);
      for (const lang of ['en', 'zh']) {
        const r = await e.run(['customers', 'show', '13500001111'], { lang });
        // issue 15: an ambiguous argument is a usage error
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('张三139****2222');
        expect(r.stderr).toContain('李四');
        expect(r.stderr).not.toContain('13911112222');
      }
    } finally {
      e.cleanup();
    }
  });
});
