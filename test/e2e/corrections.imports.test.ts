/**
 * Issue 13, corrections by re-import, end to end through the binary, in English and Chinese:
 * - a key twice in one file is a row error for every kind, naming both rows (exit 1, nothing
 *   written; with --skip-invalid the repeat goes to the rejects file);
 * - expenses: an exact repeat needs --allow-duplicates; a file with fewer lines for a trip
 *   than stored needs --replace, and is refused naming the lines that would go;
 * - every staff reference, the 填表人 of events included, resolved by one rule and message;
 * - a staff re-import never undoes a recorded leave; `staff rehire` is explicit, audited and
 *   in the change log;
 * - updates of trips, expense lines and staff by import are in the change log, and so are
 *   the owner and pin `assign set` / `assign unpin` change and a document `policy load
 *   --replace` replaces;
 * - an attendance written twice with its customer written two ways (phone, phone + name,
 *   `#id`) is a repeat too, said as any repeat is.
 * Roster (harness): G1 gm, M1 manager, S1 supervisor, D1 doctor, R1 刘芳, R2 杨洋 (T1), R3 reps.
 */
import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { withRoster, changesOf, ROSTER, type Sandbox, type LoggedChange } from './harness.js';

let s: Sandbox;
afterEach(() => s?.cleanup());

const SURVEYS = 'name,phone,collector,collected_on\n张三,13900000001,R1,2024-06-01\n李四,13900000002,R2,2024-06-02\n';
const TRIPS_HEADER = 'trip_no,staff,start,end,scope,purpose,client,reviewed_by,approved_by,invited_by,transport_provided,advance,report_on,order_amount,deal_closed,exempt\n';
const TRIP_T1 = 'T1,R1,2024-07-08,2024-07-10,out_of_province,visit,上海华康,S1,G1,,,"1,280",2024-07-11,,,\n';
const EXP_HEADER = 'trip_no,date,time,kind,amount,hours,class,standard_fare,receipt,reason,from,to,approved_by\n';
const BUS = 'T1,2024-07-08,,bus,40.00,,,,Y,,浦江,杭州,\n';
const EXPENSES =
  EXP_HEADER +
  'T1,2024-07-08,07:45,train,180.00,5,second_class,,Y,,义乌,上海虹桥,\n' +
  'T1,2024-07-08,20:00,taxi,35.00,,,,,,上海虹桥,酒店,\n' +
  'T1,2024-07-09,,lodging,260.00,,,,Y,,,,\n' +
  'T1,2024-07-10,,bus,40.00,,,,Y,,杭州,浦江,\n';

async function ok(sb: Sandbox, args: string[], opts?: { lang?: string }): Promise<string> {
  const r = await sb.run(args, opts);
  expect(r.code, r.stderr).toBe(0);
  return r.stderr;
}

interface DuplicateCase {
  kind: string;
  command: string[];
  /** what the sandbox needs first */
  setup: (sb: Sandbox) => Promise<void>;
  /** rows 2 and 3 of the file share a key */
  csv: string;
  /** the stored rows the import would touch */
  snapshot: string;
  en: string;
  zh: string;
}

const withCustomers = async (sb: Sandbox) => {
  await ok(sb, ['survey', 'import', sb.file('surveys.csv', SURVEYS)]);
  await ok(sb, ['assign']);
};
const withTrip = async (sb: Sandbox) => {
  await ok(sb, ['trips', 'import', sb.file('trips.csv', TRIPS_HEADER + TRIP_T1)]);
};

const CASES: DuplicateCase[] = [
  {
    kind: 'staff',
    command: ['staff', 'import'],
    setup: async () => {},
    csv: ROSTER.split('\n')[0] + '\nR8,新人,rep,T1,330702,,2024-07-01,,,\nR8,新人二,rep,T2,330702,,2024-07-01,,,\n',
    snapshot: 'SELECT * FROM staff ORDER BY staff_id',
    en: 'row 3, staff_id "R8": is already in row 2 of this file',
    zh: '第 3 行，staff_id「R8」：与本文件第 2 行重复',
  },
  {
    kind: 'orders',
    command: ['orders', 'import'],
    setup: withCustomers,
    csv: 'order_no,customer,order_date,amount\nSO1,13900000001,2024-07-03,100\nSO1,13900000001,2024-07-03,200\n',
    snapshot: 'SELECT * FROM orders ORDER BY order_no',
    en: 'row 3, order_no "SO1": is already in row 2 of this file',
    zh: '第 3 行，order_no「SO1」：与本文件第 2 行重复',
  },
  {
    kind: 'trips',
    command: ['trips', 'import'],
    setup: async () => {},
    csv: TRIPS_HEADER + TRIP_T1 + TRIP_T1.replace('"1,280"', '300'),
    snapshot: 'SELECT * FROM trips ORDER BY trip_no',
    en: 'row 3, trip_no "T1": is already in row 2 of this file',
    zh: '第 3 行，trip_no「T1」：与本文件第 2 行重复',
  },
  {
    kind: 'events',
    command: ['events', 'import'],
    setup: withCustomers,
    csv: 'customer,event_date,event,purchased,amount\n13900000001,2024-07-01,7月联谊会,是,980\n13900000001,2024-07-01,7月联谊会,否,\n',
    snapshot: 'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM files) AS files, (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM orders) AS orders',
    en: 'row 3, customer+event_date+event "13900000001 / 2024-07-01 / 7月联谊会": is already in row 2 of this file',
    zh: '第 3 行，customer+event_date+event「13900000001 / 2024-07-01 / 7月联谊会」：与本文件第 2 行重复',
  },
  {
    kind: 'followups',
    command: ['followups', 'import'],
    setup: withCustomers,
    csv: 'customer,role,done_on,method,staff,note\n13900000001,rep,2024-07-05,phone,R1,询问使用情况\n13900000001,rep,2024-07-05,phone,R1,询问使用情况\n',
    snapshot: 'SELECT (SELECT count(*) FROM followups) AS followups, (SELECT count(*) FROM tasks WHERE done_on IS NOT NULL) AS done',
    en: 'row 3, every column "13900000001 / rep / 2024-07-05 / phone / R1 / 询问使用情况": is already in row 2 of this file',
    zh: '第 3 行，整行「13900000001 / rep / 2024-07-05 / phone / R1 / 询问使用情况」：与本文件第 2 行重复',
  },
  {
    kind: 'expenses',
    command: ['expenses', 'import'],
    setup: withTrip,
    csv: EXP_HEADER + BUS + BUS,
    snapshot: 'SELECT * FROM expenses ORDER BY expense_id',
    en: 'row 3, every column "T1 / 2024-07-08 / bus / 40.00 / Y / 浦江 / 杭州": is already in row 2 of this file → delete the line entered twice; if the repeats are real (two identical tickets), import with --allow-duplicates',
    zh: '第 3 行，整行「T1 / 2024-07-08 / bus / 40.00 / Y / 浦江 / 杭州」：与本文件第 2 行重复 → 删除重复录入的一行；若确有两笔相同的费用（如两张相同的车票），请加 --allow-duplicates 导入',
  },
];

/** What each language says of a repeat, of a failed import and in the summary line. */
const L = {
  en: {
    repeat: (row: number, column: string, value: string, first: number) => `row ${row}, ${column} "${value}": is already in row ${first} of this file`,
    repeatShort: 'is already in row 2 of this file',
    nothing: 'nothing was imported',
    summary: (n: number, u: number, c: number) => `${n} new, ${u} updated, ${c} unchanged`,
  },
  zh: {
    repeat: (row: number, column: string, value: string, first: number) => `第 ${row} 行，${column}「${value}」：与本文件第 ${first} 行重复`,
    repeatShort: '与本文件第 2 行重复',
    nothing: '未导入任何数据',
    summary: (n: number, u: number, c: number) => `新增 ${n}，更新 ${u}，未变 ${c}`,
  },
} as const;
type Lang = keyof typeof L;

/** The lines of a rejects file (BOM and CRLF off). */
const rejectLines = (file: string): string[] => fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '').split('\r\n').filter(Boolean);

describe.each<Lang>(['en', 'zh'])('a key twice in one file is a row error for every kind, naming both rows (%s)', (lang) => {
  const m = L[lang];

  it.each(CASES)('$kind: exit 1 and nothing written; with --skip-invalid the repeat is rejected', async (c) => {
    s = await withRoster();
    await c.setup(s);
    const file = s.file(`${c.kind}.csv`, c.csv);
    const before = s.query(c.snapshot);
    const r = await s.run([...c.command, file], { lang });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(c[lang]);
    expect(r.stderr).toContain(m.nothing);
    expect(s.query(c.snapshot)).toEqual(before);

    const rejects = path.join(s.dir, 'rejects.csv');
    const p = await s.run([...c.command, file, '--skip-invalid', '--rejects', rejects], { lang });
    expect(p.code, p.stderr).toBe(3);
    expect(p.stderr).toContain(c[lang]);
    const lines = rejectLines(rejects);
    const second = c.csv.split('\n')[2];
    expect(lines.some((l) => l.startsWith(second) && l.includes(m.repeatShort))).toBe(true);
    if (c.kind === 'expenses') {
      // a trip's lines go in together: the first line waits for its repeat to be settled
      expect(lines).toHaveLength(3);
      expect(s.query(c.snapshot)).toEqual(before);
    } else {
      // the first row is in
      expect(lines).toHaveLength(2);
      expect(s.query(c.snapshot)).not.toEqual(before);
    }
  });

  // the importer compares the key as written; the events writer the customer it resolves to
  it.each<[string, (id: number) => string, string]>([
    ['phone + name', () => '13900000001,张三', '13900000001 / 张三'],
    ['#id', (id) => `#${id},`, '#'],
  ])('events: one attendance, its customer written as a phone and as %s, is a repeat too (500 and 800: no amount flips on re-import)', async (_how, second, shown) => {
    s = await withRoster();
    await withCustomers(s);
    const id = s.query<{ customer_id: number }>("SELECT customer_id FROM customers WHERE phone = '13900000001'")[0].customer_id;
    const csv = `customer,name,event_date,event,purchased,amount\n13900000001,,2024-07-01,7月联谊会,是,500\n${second(id)},2024-07-01,7月联谊会,是,800\n`;
    const file = s.file('events.csv', csv);
    const value = `${shown === '#' ? `#${id}` : shown} / 2024-07-01 / 7月联谊会`;
    const snapshot = 'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM files) AS files, (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM orders) AS orders';
    const before = s.query(snapshot);
    const r = await s.run(['events', 'import', file], { lang });
    expect(r.code, r.stderr).toBe(1);
    // word for word what a repeat written the same way gets
    expect(r.stderr).toContain(m.repeat(3, 'customer+event_date+event', value, 2));
    expect(r.stderr).toContain(m.nothing);
    expect(s.query(snapshot)).toEqual(before);

    // with --skip-invalid the first row is in, the second rejected; again: nothing updated
    const rejects = path.join(s.dir, 'rejects.csv');
    const p = await s.run(['events', 'import', file, '--skip-invalid', '--rejects', rejects], { lang });
    expect(p.code, p.stderr).toBe(3);
    expect(p.stderr).toContain(m.summary(1, 0, 0));
    const lines = rejectLines(rejects);
    expect(lines).toHaveLength(2);
    expect(lines[1].startsWith(csv.split('\n')[2]) && lines[1].includes(m.repeatShort)).toBe(true);
    const orders = "SELECT amount_fen FROM orders WHERE source = 'event'";
    expect(s.query(orders)).toEqual([{ amount_fen: 50000 }]);
    const again = await s.run(['events', 'import', file, '--skip-invalid', '--rejects', rejects], { lang });
    expect(again.code, again.stderr).toBe(3);
    expect(again.stderr).toContain(m.summary(0, 0, 1));
    expect(s.query(orders)).toEqual([{ amount_fen: 50000 }]);
    expect(changesOf(s, 'events')).toEqual([]);
    expect(changesOf(s, 'orders')).toEqual([]);
  });
});

describe('a key twice in one file: which row wins', () => {
  it('the first of two rows wins with --skip-invalid: orders keep the amount of row 2', async () => {
    s = await withRoster();
    await withCustomers(s);
    const c = CASES.find((x) => x.kind === 'orders')!;
    const r = await s.run(['orders', 'import', s.file('o.csv', c.csv), '--skip-invalid', '--rejects', path.join(s.dir, 'rej.csv')]);
    expect(r.code).toBe(3);
    expect(s.query('SELECT order_no, amount_fen FROM orders')).toEqual([{ order_no: 'SO1', amount_fen: 10000 }]);
  });
});

/** The expenses refusals and notes, word for word, in each language. */
const EXP = {
  en: {
    wouldRemove: 'the file gives fewer lines than are stored for trips T1, so importing it would remove these stored lines; nothing was imported',
    trip: 'T1: 4 stored, 1 in the file; would remove line 2 (2024-07-08, taxi, 35.00 yuan); line 3 (2024-07-09, lodging, 260.00 yuan); line 4 (2024-07-10, bus, 40.00 yuan)',
    hint: 'to replace the trip’s stored lines with the file’s, import with --replace',
    removed: '3 stored lines no longer in the file were removed from trips T1',
  },
  zh: {
    wouldRemove: '文件中出差单 T1 的明细少于已存的明细，导入会删除以下已存明细；未导入任何数据',
    trip: 'T1：已存 4 条，文件中 1 条，将删除 第 2 条（2024-07-08 出租车 35.00 元）；第 3 条（2024-07-09 住宿 260.00 元）；第 4 条（2024-07-10 汽车 40.00 元）',
    hint: '若确要用文件中的明细替换该单已存的全部明细，请加 --replace',
    removed: '3 条已存明细不在本文件中，已从出差单 T1 删除',
  },
} as const;

describe.each<Lang>(['en', 'zh'])('expenses: repeats and removals are said, not done silently (%s)', (lang) => {
  const m = L[lang];
  const x = EXP[lang];

  it('an exact repeat is paid once unless --allow-duplicates says the repeats are real', async () => {
    s = await withRoster();
    await withTrip(s);
    const twice = s.file('twice.csv', EXP_HEADER + BUS + BUS);
    const refused = await s.run(['expenses', 'import', twice], { lang });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(CASES.find((c) => c.kind === 'expenses')![lang]);
    expect(refused.stderr).toContain(m.nothing);
    expect(s.query('SELECT count(*) AS n FROM expenses')).toEqual([{ n: 0 }]);
    const stderr = await ok(s, ['expenses', 'import', twice, '--allow-duplicates'], { lang });
    expect(stderr).toContain(m.summary(2, 0, 0));
    expect(s.query('SELECT line_no, amount_fen FROM expenses ORDER BY line_no')).toEqual([
      { line_no: 1, amount_fen: 4000 },
      { line_no: 2, amount_fen: 4000 },
    ]);
    // the same file again with the flag: unchanged; without it still refused
    expect(await ok(s, ['expenses', 'import', twice, '--allow-duplicates'], { lang })).toContain(m.summary(0, 0, 2));
    const again = await s.run(['expenses', 'import', twice], { lang });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--allow-duplicates');
  });

  it('a file with fewer lines for a trip than stored is refused, naming the trip and the lines; --replace replaces them, each change in the change log', async () => {
    s = await withRoster();
    await withTrip(s);
    await ok(s, ['expenses', 'import', s.file('e.csv', EXPENSES)]);
    const stored = s.query('SELECT * FROM expenses ORDER BY expense_id');
    // a one-line "supplementary" file for T1: line 1 changed, lines 2–4 would go
    const one = s.file('one.csv', EXP_HEADER + 'T1,2024-07-08,07:45,train,190.00,5,second_class,,Y,,义乌,上海虹桥,\n');
    const r1 = await s.run(['expenses', 'import', one], { lang });
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain(x.wouldRemove);
    expect(r1.stderr).toContain(x.trip);
    expect(r1.stderr).toContain(x.hint);
    // a dry run says the same
    const dry = await s.run(['expenses', 'import', one, '--dry-run'], { lang });
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain(x.wouldRemove);
    expect(s.query('SELECT * FROM expenses ORDER BY expense_id')).toEqual(stored);
    expect(changesOf(s, 'expenses')).toEqual([]);

    const r = await s.run(['expenses', 'import', one, '--replace'], { lang });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(m.summary(0, 1, 0));
    expect(r.stderr).toContain(x.removed);
    expect(s.query('SELECT line_no, amount_fen FROM expenses')).toEqual([{ line_no: 1, amount_fen: 19000 }]);
    const log = changesOf(s, 'expenses');
    expect(log.filter((c) => c.key === 'T1#1')).toEqual([expect.objectContaining({ field: 'amount_fen', old_value: '18000', new_value: '19000' })]);
    expect(log.filter((c) => c.key === 'T1#3')).toContainEqual(expect.objectContaining({ field: 'amount_fen', old_value: '26000', new_value: null }));
    expect(new Set(log.map((c) => c.key))).toEqual(new Set(['T1#1', 'T1#2', 'T1#3', 'T1#4']));
    expect(log.every((c) => c.command.includes('expenses import') && c.command.includes('--replace'))).toBe(true);
  });

  it('a file with all of the trip lines and one more adds it without --replace', async () => {
    s = await withRoster();
    await withTrip(s);
    await ok(s, ['expenses', 'import', s.file('e.csv', EXPENSES)]);
    const more = s.file('more.csv', EXPENSES + 'T1,2024-07-10,,local_bus,2.00,,,,,,浦江车站,家,\n');
    expect(await ok(s, ['expenses', 'import', more], { lang })).toContain(m.summary(1, 0, 4));
  });
});

describe('every staff reference is resolved against the roster: events’ 填表人', () => {
  const EVENTS = '电话,活动日期,活动名称,是否购买,填表人\n13900000001,2024-07-01,7月联谊会,否,杨洋\n13900000002,2024-07-01,7月联谊会,否,无名氏\n';

  it('a name two staff share lists who; a name nobody has is unknown; nothing written (en, zh)', async () => {
    s = await withRoster();
    // a second 杨洋, in another team
    await ok(s, ['staff', 'import', s.file('more.csv', ROSTER.split('\n')[0] + '\nR7,杨洋,rep,T2,330702,,2023-01-01,,,\n')]);
    await withCustomers(s);
    const f = s.file('events.csv', EVENTS);
    const en = await s.run(['events', 'import', f]);
    expect(en.code).toBe(1);
    expect(en.stderr).toContain('row 2, 填表人 "杨洋": 杨洋 is R2 (T1) or R7 (T2): write the id');
    expect(en.stderr).toContain('row 3, 填表人 "无名氏": no such staff member on the roster');
    expect(s.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    const zh = await s.run(['events', 'import', f], { lang: 'zh' });
    expect(zh.code).toBe(1);
    expect(zh.stderr).toContain('第 2 行，填表人「杨洋」：杨洋 是 R2（T1）或 R7（T2）：请写工号');
    expect(zh.stderr).toContain('第 3 行，填表人「无名氏」：花名册中没有此员工');

    // the same rule in trips: the shared name is refused there with the same message
    const trip = await s.run(['trips', 'import', s.file('t.csv', TRIPS_HEADER + TRIP_T1.replace('T1,R1,', 'T1,杨洋,'))]);
    expect(trip.stderr).toContain('row 2, staff "杨洋": 杨洋 is R2 (T1) or R7 (T2): write the id');

    // by id, or a name only one person has: the staff_id is stored
    await ok(s, ['events', 'import', s.file('ok.csv', EVENTS.replace(',杨洋', ',R7').replace(',无名氏', ',刘芳'))]);
    expect(s.query('SELECT recorded_by FROM events ORDER BY recorded_by')).toEqual([{ recorded_by: 'R1' }, { recorded_by: 'R7' }]);
  });
});

describe('staff: a re-import never undoes a recorded leave; rehiring is explicit', () => {
  it('after `staff leave R3`, the roster with a blank 离职日期 keeps R3 left and says how to rehire (en, zh)', async () => {
    s = await withRoster();
    await ok(s, ['staff', 'leave', 'R3', '--on', '2024-07-15']);
    const roster = s.file('roster.csv', ROSTER);
    const en = await ok(s, ['staff', 'import', roster]);
    expect(en).toContain('0 new, 0 updated, 7 unchanged');
    expect(en).toContain('R3 left on 2024-07-15; the sheet’s blank left_on (离职日期) does not rehire: to rehire, run `salesops staff rehire R3`');
    expect(s.query("SELECT left_on FROM staff WHERE staff_id = 'R3'")).toEqual([{ left_on: '2024-07-15' }]);
    const zh = await ok(s, ['staff', 'import', roster], { lang: 'zh' });
    expect(zh).toContain('R3 已于 2024-07-15 离职；表中离职日期为空不会恢复在职，如需复职请运行 `salesops staff rehire R3`');
    const active = await s.run(['--format', 'json', 'staff', 'list', '--active']);
    expect((JSON.parse(active.stdout) as { staff_id: string }[]).map((x) => x.staff_id)).not.toContain('R3');

    // a later date after --as-of would make R3 active again until then: kept, said
    const later = s.file('later.csv', ROSTER.replace('R3,赵敏,rep,T2,330106,,2024-06-03,,,', 'R3,赵敏,rep,T2,330106,,2024-06-03,,2024-09-01,'));
    expect(await ok(s, ['staff', 'import', later])).toContain('the sheet’s left_on 2024-09-01 would make R3 active again');
    expect(s.query("SELECT left_on FROM staff WHERE staff_id = 'R3'")).toEqual([{ left_on: '2024-07-15' }]);
    // a corrected date that keeps R3 left is taken, and logged
    const corrected = s.file('corrected.csv', ROSTER.replace('R3,赵敏,rep,T2,330106,,2024-06-03,,,', 'R3,赵敏,rep,T2,330106,,2024-06-03,,2024-07-12,'));
    expect(await ok(s, ['staff', 'import', corrected])).toContain('0 new, 1 updated');
    expect(s.query("SELECT left_on FROM staff WHERE staff_id = 'R3'")).toEqual([{ left_on: '2024-07-12' }]);
    expect(changesOf(s, 'staff').map((c) => [c.key, c.field, c.old_value, c.new_value])).toEqual([
      ['R3', 'left_on', null, '2024-07-15'],
      ['R3', 'left_on', '2024-07-15', '2024-07-12'],
    ]);
  });

  it('`staff rehire` clears left_on, is audited and in the change log, and gives no customers back (en, zh)', async () => {
    s = await withRoster();
    await withCustomers(s);
    const owned = s.query<{ n: number }>("SELECT count(*) AS n FROM customers WHERE owner_id = 'R2'")[0].n;
    expect(owned).toBeGreaterThan(0);
    await ok(s, ['staff', 'leave', 'R2', '--on', '2024-07-15']);
    const r = await s.run(['staff', 'rehire', 'R2', '--on', '2024-07-25', '--reason', '返聘']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('R2 is active again from 2024-07-25 (had left on 2024-07-15)');
    expect(r.stderr).toContain('stay with their new owners');
    expect(s.query("SELECT left_on FROM staff WHERE staff_id = 'R2'")).toEqual([{ left_on: null }]);
    expect(s.query("SELECT count(*) AS n FROM customers WHERE owner_id = 'R2'")).toEqual([{ n: 0 }]);
    expect(s.query("SELECT action, reason, subject, detail FROM audit_log WHERE action = 'rehire'")).toEqual([
      { action: 'rehire', reason: '返聘', subject: 'R2', detail: 'left_on 2024-07-15 cleared; rehired on 2024-07-25' },
    ]);
    const log = changesOf(s, 'staff');
    expect(log.at(-1)).toMatchObject({ key: 'R2', field: 'left_on', old_value: '2024-07-15', new_value: null });
    expect(log.at(-1)!.command).toContain('staff rehire R2');

    // not left, unknown: exit 1, said (zh)
    const again = await s.run(['staff', 'rehire', 'R2'], { lang: 'zh' });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('R2 未离职，无需复职');
    const unknown = await s.run(['staff', 'rehire', 'R99']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no staff member R99');
  });

  it('a rehire dated before the recorded leave is refused, said in en and zh; nothing changes', async () => {
    s = await withRoster();
    await ok(s, ['staff', 'leave', 'R3', '--on', '2024-07-31']);
    const en = await s.run(['staff', 'rehire', 'R3', '--on', '2024-07-01']);
    expect(en.code).toBe(1);
    expect(en.stderr).toContain('the rehire date 2024-07-01 is before the day R3 left (2024-07-31)');
    expect(en.stderr).toContain('give --on 2024-07-31 or a later date');
    const zh = await s.run(['staff', 'rehire', 'R3', '--on', '2024-07-01'], { lang: 'zh' });
    expect(zh.code).toBe(1);
    expect(zh.stderr).toContain('复职日期 2024-07-01 早于 R3 的离职日期 2024-07-31');
    expect(s.query("SELECT left_on FROM staff WHERE staff_id = 'R3'")).toEqual([{ left_on: '2024-07-31' }]);
    expect(s.query("SELECT count(*) AS n FROM audit_log WHERE action = 'rehire'")).toEqual([{ n: 0 }]);
    expect(changesOf(s, 'staff').map((c) => [c.key, c.field, c.old_value, c.new_value])).toEqual([['R3', 'left_on', null, '2024-07-31']]);
    // back on the day of the leave is a rehire
    await ok(s, ['staff', 'rehire', 'R3', '--on', '2024-07-31']);
    expect(s.query("SELECT left_on FROM staff WHERE staff_id = 'R3'")).toEqual([{ left_on: null }]);
  });

  it('staff fields changed by a re-import are in the change log', async () => {
    s = await withRoster();
    await ok(s, ['staff', 'import', s.file('r.csv', ROSTER.replace('R1,刘芳,rep,T1,330726,,2021-03-01,2021-06-01,,300', 'R1,刘芳,rep,T2,330726,,2021-03-01,2021-06-01,,400'))]);
    expect(changesOf(s, 'staff').map((c) => [c.key, c.field, c.old_value, c.new_value])).toEqual([
      ['R1', 'team', 'T1', 'T2'],
      ['R1', 'capacity', '300', '400'],
    ]);
  });
});

describe('the change log of trips', () => {
  it('an advance corrected from 1,280 to 280 by re-import is recorded: field, old → new, the command', async () => {
    s = await withRoster();
    await withTrip(s);
    const fixed = s.file('fixed.csv', TRIPS_HEADER + TRIP_T1.replace('"1,280"', '280'));
    expect(await ok(s, ['trips', 'import', fixed], { lang: 'zh' })).toContain('更新 1');
    expect(s.query("SELECT advance_fen FROM trips WHERE trip_no = 'T1'")).toEqual([{ advance_fen: 28000 }]);
    const log = changesOf(s, 'trips');
    expect(log.map((c) => [c.key, c.field, c.old_value, c.new_value])).toEqual([['T1', 'advance_fen', '128000', '28000']]);
    expect(log[0].command).toContain('trips import');
    expect(log[0].command).toContain('fixed.csv');
    // importing it again changes nothing and records nothing
    expect(await ok(s, ['trips', 'import', fixed])).toContain('0 new, 0 updated, 1 unchanged');
    expect(changesOf(s, 'trips')).toHaveLength(1);
  });
});

describe('the change log of commands: `assign set`, `assign unpin`, `policy load --replace`', () => {
  const customersLog = async (lang: Lang) => {
    const r = await s.run(['--format', 'json', 'audit', '--changes', '--kind', lang === 'zh' ? '顾客' : 'customers'], { lang });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as LoggedChange[];
  };

  it('`assign set` records the owner and the pin, old → new; `audit --changes --kind customers` shows it (en, zh)', async () => {
    s = await withRoster();
    await withCustomers(s);
    const [c] = s.query<{ customer_id: number; owner_id: string }>("SELECT customer_id, owner_id FROM customers WHERE phone = '13900000001'");
    expect(c.owner_id).toBe('R1');
    const key = String(c.customer_id);
    await ok(s, ['assign', 'set', `#${key}`, 'R2', '--reason', '家属要求']);
    const want = [
      [key, 'owner_id', 'R1', 'R2'],
      [key, 'pinned', '0', '1'],
      [key, 'pin_reason', null, '家属要求'],
    ];
    for (const lang of ['en', 'zh'] as const) {
      const rows = await customersLog(lang);
      expect(rows.map((r) => [r.key, r.field, r.old_value, r.new_value])).toEqual(want);
      expect(rows.every((r) => r.command.includes(`assign set '#${key}' R2 --reason 家属要求`))).toBe(true);
    }
    const table = await s.run(['audit', '--changes', '--kind', 'customers', '--key', key], { lang: 'zh' });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('顾客');
    expect(table.stdout).toContain('owner_id');

    // the same pin again changes nothing and records nothing; unpin records the pin going
    await ok(s, ['assign', 'set', `#${key}`, 'R2', '--reason', '家属要求']);
    await ok(s, ['assign', 'unpin', `#${key}`]);
    expect(changesOf(s, 'customers').map((r) => [r.key, r.field, r.old_value, r.new_value])).toEqual([
      ...want,
      [key, 'pinned', '1', '0'],
      [key, 'pin_reason', '家属要求', null],
    ]);
  });

  it('`policy load --replace` records the replaced document, old → new JSON; a first load or the same document again records nothing (en, zh)', async () => {
    s = await withRoster();
    const p150 = s.file('p.json', JSON.stringify({ effective_from: '2025-01-01', travel: { per_diem: { out_of_province: 150 } } }));
    const p160 = s.file('p2.json', JSON.stringify({ travel: { per_diem: { out_of_province: 160 } } }));
    await ok(s, ['policy', 'load', p150]);
    expect(changesOf(s, 'policy')).toEqual([]);
    await ok(s, ['policy', 'load', p160, '--from', '2025-01-01', '--replace']);
    await ok(s, ['policy', 'load', p160, '--from', '2025-01-01', '--replace']);
    const log = changesOf(s, 'policy');
    expect(log.map((c) => [c.key, c.field])).toEqual([['2025-01-01', 'document']]);
    const perDiem = (v: string | null) => (JSON.parse(v!) as { travel: { per_diem: { out_of_province: number } } }).travel.per_diem.out_of_province;
    expect(perDiem(log[0].old_value)).toBe(150);
    expect(perDiem(log[0].new_value)).toBe(160);
    expect(log[0].command).toContain('policy load');
    expect(log[0].command).toContain('--replace');
    for (const lang of ['en', 'zh'] as const) {
      const r = await s.run(['--format', 'json', 'audit', '--changes', '--kind', lang === 'zh' ? '制度' : 'policy'], { lang });
      expect(r.code, r.stderr).toBe(0);
      const rows = JSON.parse(r.stdout) as LoggedChange[];
      expect(rows.map((x) => [x.key, x.field, perDiem(x.old_value), perDiem(x.new_value)])).toEqual([['2025-01-01', 'document', 150, 160]]);
    }
  });
});
