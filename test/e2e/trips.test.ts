/**
 * End to end through the binary: trips.csv and expenses.csv imports (§2), `allowance` priced
 * by §3.3 with the policy in force (§6), and `policy show|load|export|list`.
 * Roster (harness): G1 gm, M1 manager, S1 supervisor, D1 doctor, R1–R3 reps. Amounts below
 * are computed by hand from the regulation.
 */
import { describe, it, expect, afterEach, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { withRoster, ROOT, TEST_ENGINE, type Sandbox } from './harness.js';

let s: Sandbox;
afterEach(() => s?.cleanup());

interface Line {
  line_no: number | null;
  kind: string;
  date: string;
  claimed: number;
  reimbursable: number;
  rule: string;
  flags: string[];
  rule_text: string;
}
interface Allowance {
  trip_no: string;
  staff_id: string;
  days: number;
  per_diem: number;
  claimed: number;
  reimbursable: number;
  advance: number;
  net_payable: number;
  flags: string[];
  lines: Line[];
  policy_effective_from: string;
}

const TRIPS_HEADER = 'trip_no,staff,start,end,scope,purpose,client,reviewed_by,approved_by,invited_by,transport_provided,advance,report_on,order_amount,deal_closed,exempt\n';
const EXP_HEADER = 'trip_no,date,time,kind,amount,hours,class,standard_fare,receipt,reason,from,to,approved_by\n';

/** The hand-computed trips of July 2024. */
const TRIPS =
  TRIPS_HEADER +
  // A: 3 days out of province, approved, advance 500
  'A1,R1,2024-07-08 07:30,2024-07-10 19:00,out_of_province,visit,上海华康,S1,G1,,,500,2024-07-11,,,\n' +
  // B: 3 days in province: day 3 is beyond the 2-day limit
  'B1,R2,2024-07-15,2024-07-17,in_province,visit,杭州康乐,S1,G1,,,,2024-07-18,,,\n' +
  // C: the manager's own trip needs the GM only; the deal closed on 10,000.01
  'C1,M1,2024-07-18,2024-07-18,in_province,visit,宁波颐和,,G1,,,,2024-07-18,"10,000.01",Y,\n' +
  // C2: an order of exactly 10,000 is not over 10,000
  'C2,M1,2024-07-19,2024-07-19,in_province,visit,宁波颐和二,,G1,,,,2024-07-19,10000,Y,\n' +
  // D: no GM approval: nothing, and the advance is owed back
  'D1,R3,2024-07-22,2024-07-22,in_province,visit,义乌福寿,S1,,,,300,2024-07-22,,,\n' +
  // E: invited by a colleague
  'E1,R2,2024-07-08,2024-07-09,out_of_province,visit,上海华康,S1,G1,R1,,,2024-07-10,,,\n' +
  // F: report due 07-27, none by 07-31
  'F1,R1,2024-07-24,2024-07-24,in_province,visit,金华颐养,S1,G1,,,,,,,\n';

const EXPENSES =
  EXP_HEADER +
  'A1,2024-07-08,07:45,train,180.00,5,second_class,,Y,,义乌,上海虹桥,\n' +
  'A1,2024-07-08,20:00,taxi,35.00,,,,,,上海虹桥,酒店,\n' +
  'A1,2024-07-09,19:59,taxi,28.00,,,,,,酒店,华康,\n' +
  'A1,2024-07-09,,lodging,260.00,,,,Y,,,,\n' +
  'B1,2024-07-15,,bus,40.00,,,,Y,,浦江,杭州,\n' +
  'B1,2024-07-17,,bus,40.00,,,,Y,,杭州,浦江,\n' +
  'C1,2024-07-18,,dinner,250.00,,,,Y,,,,\n' +
  'C2,2024-07-19,,dinner,150.00,,,,Y,,,,\n' +
  'D1,2024-07-22,,bus,28.00,,,,Y,,浦江,义乌,\n' +
  'E1,2024-07-08,07:45,train,180.00,5,second_class,,Y,,义乌,上海虹桥,\n' +
  'F1,2024-07-24,,bus,32.00,,,,Y,,浦江,金华,\n';

async function loaded(): Promise<Sandbox> {
  const sb = await withRoster();
  const a = await sb.run(['trips', 'import', sb.file('trips.csv', TRIPS)]);
  expect(a.code, a.stderr).toBe(0);
  const b = await sb.run(['expenses', 'import', sb.file('expenses.csv', EXPENSES)]);
  expect(b.code, b.stderr).toBe(0);
  return sb;
}

async function allowance(sb: Sandbox, ...args: string[]): Promise<Allowance[]> {
  const r = await sb.run(['--format', 'json', 'allowance', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Allowance[];
}

const byNo = (rows: Allowance[]) => Object.fromEntries(rows.map((r) => [r.trip_no, r]));

describe('trips import and expenses import (§2)', () => {
  it('imports a GBK trips file with Chinese headers and values, then a UTF-8 expenses file, idempotently', async () => {
    s = await withRoster();
    const trips = s.file(
      '出差登记.csv',
      '出差单号,出差人,出发日期,返回日期,出差范围,出差事由,拜访客户,部门审核,总经理批准,预支差旅费,报告日期,订单金额,是否成交,交通安排\n' +
        'T1,刘芳,2024/7/8 7:30,2024年7月10日,省外,拜访客户,上海华康,王志强,周建国,￥500,2024/7/11,"12,000",是,\n' +
        'T2,R2,2024-07-15,2024-07-15,省内,开发新市场,,S1,G1,,,,,公司派车\n',
      { encoding: 'gbk', crlf: true },
    );
    const r1 = await s.run(['trips', 'import', trips]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toContain('2 new');
    expect(s.query('SELECT trip_no, staff_id, start_date, start_time, end_date, scope, purpose, reviewed_by, approved_by, advance_fen, order_amount_fen, deal_closed, transport_provided FROM trips ORDER BY trip_no')).toEqual([
      { trip_no: 'T1', staff_id: 'R1', start_date: '2024-07-08', start_time: '07:30', end_date: '2024-07-10', scope: 'out_of_province', purpose: 'visit', reviewed_by: 'S1', approved_by: 'G1', advance_fen: 50000, order_amount_fen: 1200000, deal_closed: 1, transport_provided: null },
      { trip_no: 'T2', staff_id: 'R2', start_date: '2024-07-15', start_time: null, end_date: '2024-07-15', scope: 'in_province', purpose: 'new_market', reviewed_by: 'S1', approved_by: 'G1', advance_fen: 0, order_amount_fen: null, deal_closed: 0, transport_provided: 'company_car' },
    ]);
    const exp = s.file('费用明细.csv', '出差单号,日期,时间,费用类别,金额,乘车时长,席别,正式发票,事由,起点,终点\nT1,2024-07-08,07:45,火车,180.5,5,二等座,是,,义乌,上海\nT1,2024-07-08,21:00,出租车,35,,,,夜间,上海虹桥,酒店\n', { encoding: 'utf8-bom' });
    const r2 = await s.run(['expenses', 'import', exp]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(s.query('SELECT trip_no, line_no, kind, amount_fen, hours, class, receipt, reason FROM expenses ORDER BY line_no')).toEqual([
      { trip_no: 'T1', line_no: 1, kind: 'train', amount_fen: 18050, hours: 5, class: 'second_class', receipt: 1, reason: null },
      { trip_no: 'T1', line_no: 2, kind: 'taxi', amount_fen: 3500, hours: null, class: null, receipt: null, reason: 'night' },
    ]);
    expect((await s.run(['trips', 'import', trips])).stderr).toContain('0 new, 0 updated, 2 unchanged');
    expect((await s.run(['expenses', 'import', exp])).stderr).toContain('0 new, 0 updated, 2 unchanged');
  });

  it('replaces the lines of each trip in the file as a set with --replace; trips not in the file keep theirs', async () => {
    s = await loaded();
    const before = s.query<{ n: number }>("SELECT count(*) AS n FROM expenses WHERE trip_no <> 'A1'")[0].n;
    // A1 again: line 2 changed, line 4 gone
    const again = s.file(
      'a1.csv',
      EXP_HEADER + 'A1,2024-07-08,07:45,train,180.00,5,second_class,,Y,,义乌,上海虹桥,\nA1,2024-07-08,20:00,taxi,36.00,,,,,,上海虹桥,酒店,\nA1,2024-07-09,19:59,taxi,28.00,,,,,,酒店,华康,\n',
    );
    // fewer lines than stored: refused without --replace (issue 13), naming the line that would go
    const stored = s.query('SELECT * FROM expenses ORDER BY expense_id');
    const refused = await s.run(['expenses', 'import', again]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 4 (2024-07-09, lodging, 260.00 yuan)');
    expect(s.query('SELECT * FROM expenses ORDER BY expense_id')).toEqual(stored);
    const r = await s.run(['expenses', 'import', again, '--replace']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('0 new, 1 updated, 2 unchanged');
    expect(r.stderr).toMatch(/1 stored lines .* removed from trips A1/);
    expect(s.query("SELECT line_no, amount_fen FROM expenses WHERE trip_no = 'A1' ORDER BY line_no")).toEqual([
      { line_no: 1, amount_fen: 18000 },
      { line_no: 2, amount_fen: 3600 },
      { line_no: 3, amount_fen: 2800 },
    ]);
    expect(s.query<{ n: number }>("SELECT count(*) AS n FROM expenses WHERE trip_no <> 'A1'")[0].n).toBe(before);
    expect((await s.run(['expenses', 'import', again])).stderr).toContain('0 new, 0 updated, 3 unchanged');
  });

  it('refuses bad trips rows with the fix (unknown staff, end before start, bad scope) and writes nothing', async () => {
    s = await withRoster();
    const f = s.file(
      'trips.csv',
      TRIPS_HEADER +
        'T1,R1,2024-07-08,2024-07-09,in_province,visit,X,S1,G1,,,,,,,\n' +
        'T2,R9,2024-07-08,2024-07-09,in_province,visit,X,S1,G1,,,,,,,\n' +
        'T3,R1,2024-07-08,2024-07-06,in_province,visit,X,S1,GX,,,,,,,\n' +
        'T4,R1,2024-07-08 18:00,2024-07-08 09:00,abroad,visit,X,S1,G1,,,-5,,,,\n',
    );
    const r = await s.run(['trips', 'import', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('row 3, staff "R9": no such staff member on the roster → import the roster first');
    expect(r.stderr).toContain('row 4, end "2024-07-06": is before the start (2024-07-08)');
    expect(r.stderr).toContain('row 4, approved_by "GX": no such staff member');
    expect(r.stderr).toContain('row 5, end "2024-07-08 09:00": is before the start (2024-07-08 18:00)');
    expect(r.stderr).toContain('row 5, scope "abroad": not a scope → write in_province or out_of_province');
    expect(r.stderr).toContain('row 5, advance "-5": must not be negative');
    expect(r.stderr).toContain('nothing was imported');
    expect(s.query('SELECT * FROM trips')).toEqual([]);
  });

  it('refuses bad expense rows (unknown trip, outside the trip, negative, unknown kind or class, bad time): exit 1 and nothing written; --skip-invalid imports whole trips only (exit 3)', async () => {
    s = await loaded();
    const before = s.query('SELECT * FROM expenses ORDER BY expense_id');
    const f = s.file(
      'bad.csv',
      EXP_HEADER +
        'B1,2024-07-15,,bus,41.00,,,,Y,,浦江,杭州,\n' + // valid, but its trip has a bad line below
        'B1,2024-07-18,,bus,40.00,,,,Y,,杭州,浦江,\n' + // after the trip
        'A1,2024-07-07,,bus,10.00,,,,Y,,,,\n' + // before the trip
        'Z9,2024-07-08,,bus,10.00,,,,Y,,,,\n' + // unknown trip
        'C1,2024-07-18,25:00,dinner,-250.00,,,,Y,,,,\n' + // bad time, negative
        'D1,2024-07-22,,rocket,28.00,,,,Y,,,,\n' + // unknown kind
        'E1,2024-07-08,,train,180.00,5,luxury,,Y,,,,\n' + // unknown class
        'F1,2024-07-24,,bus,33.00,,,,Y,,浦江,金华,\n', // valid
    );
    const r = await s.run(['expenses', 'import', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('row 3, date "2024-07-18": is after the trip ended (2024-07-17)');
    expect(r.stderr).toContain('row 4, date "2024-07-07": is before the trip started (2024-07-08)');
    expect(r.stderr).toContain('row 5, trip_no "Z9": no such trip → import the trip first');
    expect(r.stderr).toContain('row 6, time "25:00": not a time');
    expect(r.stderr).toContain('row 6, amount "-250.00": must not be negative');
    expect(r.stderr).toContain('row 7, kind "rocket": not an expense kind');
    expect(r.stderr).toContain('row 8, class "luxury": not a class');
    expect(s.query('SELECT * FROM expenses ORDER BY expense_id')).toEqual(before);

    const rejects = path.join(s.dir, 'rejects.csv');
    const p = await s.run(['expenses', 'import', f, '--skip-invalid', '--rejects', rejects]);
    expect(p.code).toBe(3);
    // B1's good line goes with its bad one, so the rejects file holds the whole trip
    expect(p.stderr).toContain('row 2, trip_no "B1": another line of this trip is invalid (row 3)');
    expect(p.stderr).toContain('0 new, 1 updated, 0 unchanged, 7 rejected');
    const rej = fs.readFileSync(rejects, 'utf8');
    expect(rej.split('\r\n').filter(Boolean)).toHaveLength(8);
    expect(rej).toContain('B1,2024-07-15,,bus,41.00');
    // F1 was replaced by the file's single line; B1 kept its stored lines
    expect(s.query("SELECT amount_fen FROM expenses WHERE trip_no = 'F1'")).toEqual([{ amount_fen: 3300 }]);
    expect(s.query("SELECT amount_fen FROM expenses WHERE trip_no = 'B1' ORDER BY line_no")).toEqual([{ amount_fen: 4000 }, { amount_fen: 4000 }]);

    // the fixed rejects of B1 are its complete set again
    const fixed = s.file('fixed.csv', EXP_HEADER + 'B1,2024-07-15,,bus,41.00,,,,Y,,浦江,杭州,\nB1,2024-07-17,,bus,40.00,,,,Y,,杭州,浦江,\n');
    expect((await s.run(['expenses', 'import', fixed])).stderr).toContain('0 new, 1 updated, 1 unchanged');
  });

  it('needs the roster before trips and the trips before expenses', async () => {
    s = await withRoster();
    const r = await s.run(['expenses', 'import', s.file('e.csv', EXPENSES)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('salesops trips import');
  });

  it('writes the trips and expenses templates with Chinese headers', async () => {
    s = await withRoster();
    const r = await s.run(['template', 'trips'], { lang: 'zh' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('出差单号,出差人,出发日期,返回日期,出差范围');
    expect((await s.run(['template', 'expenses'])).stdout).toContain('trip_no,date,time,kind,amount,hours,class,standard_fare,receipt,reason,from,to,approved_by');
  });
});

describe('allowance (§3.3, §4)', () => {
  // read-only tests share one loaded database
  let shared: Sandbox;
  beforeAll(async () => {
    shared = await loaded();
  });
  afterAll(() => shared?.cleanup());

  it('prices each trip by hand-computed rules, money in yuan', async () => {
    const s = shared;
    const rows = await allowance(s, '--month', '2024-07');
    const t = byNo(rows);
    expect(rows.map((r) => r.trip_no)).toEqual(['A1', 'E1', 'B1', 'C1', 'C2', 'D1', 'F1']);

    // A1: 3 days out of province: per diem 3 × 130 = 390; train 180; taxi at 20:00 with from/to paid;
    // taxi at 19:59 without a reason refused; lodging in the per diem; advance 500
    expect(t.A1).toMatchObject({ staff_id: 'R1', days: 3, per_diem: 390, claimed: 503, reimbursable: 605, advance: 500, net_payable: 105 });
    expect(t.A1.flags).toEqual(['taxi_not_allowed', 'lodging_in_per_diem']);
    const a = t.A1.lines.filter((l) => l.line_no !== null);
    expect(a.map((l) => [l.kind, l.claimed, l.reimbursable, l.rule, l.flags])).toEqual([
      ['train', 180, 180, 'train.seat', []],
      ['taxi', 35, 35, 'taxi.night', []],
      ['taxi', 28, 0, 'taxi.no_reason', ['taxi_not_allowed']],
      ['lodging', 260, 0, 'lodging.in_per_diem', ['lodging_in_per_diem']],
    ]);
    expect(t.A1.lines.filter((l) => l.kind === 'per_diem').map((l) => [l.date, l.reimbursable, l.rule])).toEqual([
      ['2024-07-08', 130, 'per_diem.out_of_province'],
      ['2024-07-09', 130, 'per_diem.out_of_province'],
      ['2024-07-10', 130, 'per_diem.out_of_province'],
    ]);

    // B1: 3 days in province, 2 paid: per diem 2 × 100; the bus on day 3 is the traveller's own
    expect(t.B1).toMatchObject({ days: 3, per_diem: 200, claimed: 80, reimbursable: 240, net_payable: 240, flags: ['over_day_limit'] });
    expect(t.B1.lines.map((l) => [l.kind, l.date, l.claimed, l.reimbursable, l.rule])).toEqual([
      ['per_diem', '2024-07-15', 100, 100, 'per_diem.in_province_overnight'],
      ['per_diem', '2024-07-16', 100, 100, 'per_diem.in_province_overnight'],
      ['per_diem', '2024-07-17', 100, 0, 'per_diem.over_day_limit'],
      ['bus', '2024-07-15', 40, 40, 'bus.receipt'],
      ['bus', '2024-07-17', 40, 0, 'day_limit.over'],
    ]);

    // C1: order 10,000.01 closed: dinner up to 2% = 200.00 (250 claimed); same-day per diem 15
    expect(t.C1).toMatchObject({ per_diem: 15, claimed: 250, reimbursable: 215, flags: [] });
    expect(t.C1.lines[1]).toMatchObject({ kind: 'dinner', claimed: 250, reimbursable: 200, rule: 'dinner.capped' });
    // C2: an order of exactly 10,000 is not over it
    expect(t.C2).toMatchObject({ reimbursable: 15, flags: ['dinner_not_eligible'] });
    expect(t.C2.lines[1]).toMatchObject({ reimbursable: 0, rule: 'dinner.order_not_over_min' });

    // D1: not approved by the GM: all zero, the advance is owed back
    expect(t.D1).toMatchObject({ per_diem: 0, claimed: 28, reimbursable: 0, advance: 300, net_payable: -300, flags: ['unapproved'] });
    expect(t.D1.lines.every((l) => l.reimbursable === 0 && l.rule === 'trip.unapproved')).toBe(true);

    // E1: invited by R1: nothing
    expect(t.E1).toMatchObject({ per_diem: 0, reimbursable: 0, flags: ['invited'] });

    // F1: report due 2024-07-27, none by --as-of 2024-07-31
    expect(t.F1).toMatchObject({ reimbursable: 47, flags: ['report_missing'] });
    expect((await allowance(s, '--trip', 'F1')).length).toBe(1);
    const early = await s.run(['--format', 'json', 'allowance', '--trip', 'F1'], { asOf: '2024-07-27' });
    expect(JSON.parse(early.stdout)[0].flags).toEqual([]);
  });

  it('has exactly the §4 keys', async () => {
    const s = shared;
    const [a] = await allowance(s, '--trip', 'A1');
    for (const k of ['trip_no', 'staff_id', 'days', 'per_diem', 'claimed', 'reimbursable', 'advance', 'net_payable', 'flags', 'lines']) expect(a).toHaveProperty(k);
    for (const k of ['kind', 'date', 'claimed', 'reimbursable', 'rule', 'flags']) expect(a.lines[0]).toHaveProperty(k);
    const jl = await s.run(['--format', 'jsonl', 'allowance', '--month', '2024-07']);
    expect(jl.stdout.trim().split('\n').map((l) => JSON.parse(l).trip_no)).toEqual(['A1', 'E1', 'B1', 'C1', 'C2', 'D1', 'F1']);
  });

  it('counts a client’s earlier approved trips over all stored trips: the third is not reimbursed, whatever the filter', async () => {
    s = await withRoster();
    await s.run(['trips', 'import', s.file('t.csv',
      TRIPS_HEADER +
        'K1,R1,2024-06-03,2024-06-03,in_province,visit,康乐养老院,S1,G1,,,,2024-06-03,,,\n' +
        'K2,R2,2024-06-20,2024-06-20,in_province,visit,康乐养老院,S1,,,,,2024-06-20,,,\n' + // unapproved: does not count
        'K3,R2,2024-07-02,2024-07-02,in_province,visit,康乐养老院,S1,G1,,,,2024-07-02,,,\n' +
        'K4,R3,2024-07-09,2024-07-09,in_province,visit, 康乐养老院 ,S1,G1,,,,2024-07-09,,,\n')]);
    const t = byNo(await allowance(s));
    expect(t.K1.flags).toEqual([]);
    expect(t.K2.flags).toEqual(['unapproved']);
    expect(t.K3).toMatchObject({ reimbursable: 15, flags: [] });
    expect(t.K4).toMatchObject({ reimbursable: 0, flags: ['third_trip'] });
    // priced the same when only it is selected
    expect((await allowance(s, '--trip', 'K4'))[0].flags).toEqual(['third_trip']);
    expect((await allowance(s, '--staff', 'R3', '--month', '2024-07'))[0].flags).toEqual(['third_trip']);
  });

  it('filters by --month, --staff (id or name) and --trip, and says what is wrong with a bad filter', async () => {
    const s = shared;
    expect((await allowance(s, '--staff', 'R1')).map((r) => r.trip_no)).toEqual(['A1', 'F1']);
    expect((await allowance(s, '--staff', '杨洋')).map((r) => r.trip_no)).toEqual(['E1', 'B1']);
    expect((await allowance(s, '--staff', 'M1', '--month', '2024-07')).map((r) => r.trip_no)).toEqual(['C1', 'C2']);
    expect(await allowance(s, '--month', '2024-06')).toEqual([]);
    expect((await allowance(s, '--trip', 'B1')).map((r) => r.trip_no)).toEqual(['B1']);
    const unknown = await s.run(['allowance', '--trip', 'NOPE']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no trip NOPE');
    const month = await s.run(['allowance', '--month', '2024-13']);
    expect(month.code).toBe(2);
    expect(month.stderr).toContain('write it as 2024-07');
    expect((await s.run(['allowance', '--staff', 'X9'])).code).toBe(1);
  });

  it('prints a table in Chinese with the rule and flag texts, totals, and a summary per staff and month', async () => {
    const s = shared;
    const r = await s.run(['allowance', '--month', '2024-07'], { lang: 'zh' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('出差单 A1 · R1 刘芳 · 2024-07-08 07:30 至 2024-07-10 19:00');
    expect(r.stdout).toContain('省外出差补贴 130.00 元/天，第 1 天');
    expect(r.stdout).toContain('夜间乘出租车（20:00–08:00，乘车时间 20:00），按实报销');
    expect(r.stdout).toContain('不符合乘出租车条件');
    expect(r.stdout).toContain('住宿费已含在出差补贴（130.00 元/天）中，不另报销');
    expect(r.stdout).toContain('合计：出差补贴 390.00 · 申报 503.00 · 可报销 605.00 · 预支 500.00 · 应付 105.00');
    expect(r.stdout).toContain('出差报告逾期未交（截至 2024-07-31 未交，应在 2024-07-27 前）');
    expect(r.stdout).toContain('按员工和月份汇总');
    expect(r.stdout).toMatch(/R1\s*│ 刘芳\s*│ 2024-07\s*│\s*2 │/);
    const en = await s.run(['allowance', '--trip', 'D1']);
    expect(en.stdout).toContain('trip not approved before departure: nothing reimbursed');
    expect(en.stdout).toContain('net payable -300.00 (negative: 300.00 yuan owed back)');
  });

  it('writes CSV with one row per priced line and the trip repeated (no BOM on a pipe: issue 15)', async () => {
    const s = shared;
    const r = await s.run(['--format', 'csv', 'allowance', '--staff', 'R1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('trip_no,staff_id,staff_name,start_date,end_date,scope,client,days,paid_days,per_diem,claimed,reimbursable,advance,net_payable,flags,')).toBe(true);
    const lines = r.stdout.trim().split('\r\n').slice(1);
    expect(lines).toHaveLength(3 + 4 + 1 + 1); // A1: 3 per-diem + 4 lines; F1: 1 per-diem + 1 line
    const header = r.stdout.split('\r\n')[0].split(',');
    const col = header.indexOf('line_reimbursable');
    const a1 = lines.filter((l) => l.startsWith('A1,'));
    expect(a1.reduce((sum, l) => sum + Number(l.split(',')[col]), 0)).toBe(605);
  });
});

describe('policy (§6)', () => {
  const P2025 = JSON.stringify({ effective_from: '2025-01-01', travel: { per_diem: { out_of_province: 150 } } });

  it('prices a trip by the version in force on its start date', async () => {
    s = await withRoster('2025-01-31');
    await s.run(['trips', 'import', s.file('t.csv',
      TRIPS_HEADER +
        'Y1,R1,2024-12-31,2025-01-01,out_of_province,visit,,S1,G1,,,,2025-01-02,,,\n' +
        'Y2,R1,2025-01-01,2025-01-02,out_of_province,visit,,S1,G1,,,,2025-01-03,,,\n')]);
    const before = byNo(await allowance(s));
    expect(before.Y2.per_diem).toBe(260);

    const load = await s.run(['policy', 'load', s.file('2025差旅标准.json', P2025), '--from', '2025-01-01']);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stderr).toContain('loaded the policy version from 2025-01-01');
    expect(load.stderr).toContain('note: 1 stored trips (starting from 2025-01-01, before —) are now priced by this version');
    const t = byNo(await allowance(s));
    expect(t.Y1).toMatchObject({ per_diem: 260, policy_effective_from: '1900-01-01' });
    expect(t.Y2).toMatchObject({ per_diem: 300, policy_effective_from: '2025-01-01' });
    expect(t.Y2.lines[0].rule_text).toContain('150.00 yuan a day');

    const show = await s.run(['policy', 'show', '--on', '2024-12-31']);
    expect(show.stdout).toContain('policy in force on 2024-12-31: the version from 1900-01-01 (built-in default');
    expect(JSON.parse(show.stdout.slice(show.stdout.indexOf('{'))).travel.per_diem.out_of_province).toBe(130);
    const show2 = await s.run(['--format', 'json', 'policy', 'show', '--on', '2025-01-01']);
    expect(JSON.parse(show2.stdout)).toMatchObject({ effective_from: '2025-01-01', builtin: false, policy: { travel: { per_diem: { out_of_province: 150, in_province_overnight: 100 } } } });
    const exp = await s.run(['policy', 'export']);
    const doc = JSON.parse(exp.stdout);
    expect(doc.effective_from).toBe('2025-01-01');
    expect(doc.assign.new_staff_days).toBe(90);
    const list = await s.run(['--format', 'json', 'policy', 'list']);
    expect(JSON.parse(list.stdout).map((v: { effective_from: string; in_force: boolean }) => [v.effective_from, v.in_force])).toEqual([
      ['1900-01-01', false],
      ['2025-01-01', true],
    ]);
  });

  it('refuses a second version on the same date unless --replace', async () => {
    s = await withRoster();
    const f = s.file('p.json', P2025);
    expect((await s.run(['policy', 'load', f])).code).toBe(0);
    const again = await s.run(['policy', 'load', f]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('effective_from: a policy version from 2025-01-01 is already loaded');
    expect(again.stderr).toContain('--replace');
    const changed = s.file('p2.json', JSON.stringify({ travel: { per_diem: { out_of_province: 160 } } }));
    const r = await s.run(['policy', 'load', changed, '--from', '2025-01-01', '--replace']);
    expect(r.code, r.stderr).toBe(0);
    expect(s.query<{ n: number }>('SELECT count(*) AS n FROM policy_versions')[0].n).toBe(1);
    expect(JSON.parse((await s.run(['policy', 'export', '--on', '2025-02-01'])).stdout).travel.per_diem.out_of_province).toBe(160);
  });

  it('refuses an invalid document naming each field, and stores nothing', async () => {
    s = await withRoster();
    const bad = s.file('bad.json', JSON.stringify({ travel: { per_diem: { out_of_province: -5 }, advanse_max: 800, taxi: { night_from: '25:00' } } }));
    const r = await s.run(['policy', 'load', bad, '--from', '2025-01-01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was stored');
    expect(r.stderr).toContain('travel.per_diem.out_of_province: must be an amount in yuan ≥ 0');
    expect(r.stderr).toContain('travel.advanse_max: is not a policy field');
    expect(r.stderr).toContain('travel.taxi.night_from: must be a time HH:mm');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    const syntax = await s.run(['policy', 'load', s.file('x.json', '{"travel": '), '--from', '2025-01-01']);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain('not valid JSON');
    const noDate = await s.run(['policy', 'load', s.file('y.json', '{}')]);
    expect(noDate.code).toBe(1);
    expect(noDate.stderr).toContain('effective_from: is missing');
    expect(s.query('SELECT * FROM policy_versions')).toEqual([]);
    const zh = await s.run(['policy', 'load', bad, '--from', '2025-01-01'], { lang: 'zh' });
    expect(zh.stderr).toContain('travel.per_diem.out_of_province: 必须是不小于 0 的金额');
  });

  it('a stored version edited by hand: check names it; pricing refuses it with the fix instead of guessing', async () => {
    s = await withRoster('2025-01-31');
    expect((await s.run(['policy', 'load', s.file('p.json', P2025), '--from', '2025-01-01'])).code).toBe(0);
    expect((await s.run(['check'])).code).toBe(0);
    // by hand, with the engine's own JSON functions (issue 19: the same on a server)
    const edit = (sql: { sqlite: string; postgres: string }) => s.exec(sql[TEST_ENGINE]);
    // a valid shape but an invalid value: the commands trust it, check does not
    edit({
      sqlite: `UPDATE policy_versions SET document = json_set(document, '$.travel.advance_max', -1)`,
      postgres: `UPDATE policy_versions SET document = jsonb_set(document::jsonb, '{travel,advance_max}', '-1')::text`,
    });
    const c = await s.run(['check']);
    expect(c.code).toBe(1);
    expect(c.stdout + c.stderr).toMatch(/policy_version_invalid[\s\S]*2025-01-01: travel\.advance_max/);
    // a field missing: every command that prices refuses, naming the version and the fix
    edit({
      sqlite: `UPDATE policy_versions SET document = json_remove(document, '$.travel.per_diem')`,
      postgres: `UPDATE policy_versions SET document = (document::jsonb #- '{travel,per_diem}')::text`,
    });
    const r = await s.run(['allowance']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the stored policy version from 2025-01-01 is not valid');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('loads the bundled 2025 policy fixture', async () => {
    s = await withRoster();
    const r = await s.run(['policy', 'load', path.join(ROOT, 'fixtures/policy-2025.json'), '--from', '2025-01-01', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(s.query('SELECT * FROM policy_versions')).toEqual([]);
  });
});

describe('the bundled fixtures', () => {
  it('import against fixtures/staff.csv and price July 2024', async () => {
    s = await withRoster();
    expect((await s.run(['staff', 'import', path.join(ROOT, 'fixtures/staff.csv')])).code).toBe(0);
    const a = await s.run(['trips', 'import', path.join(ROOT, 'fixtures/trips.csv')]);
    expect(a.code, a.stderr).toBe(0);
    const b = await s.run(['expenses', 'import', path.join(ROOT, 'fixtures/expenses.csv')]);
    expect(b.code, b.stderr).toBe(0);
    const t = byNo(await allowance(s, '--month', '2024-07'));
    expect(Object.keys(t)).toHaveLength(9);
    const flags = new Set(Object.values(t).flatMap((x) => x.flags));
    for (const f of ['unapproved', 'invited', 'over_day_limit', 'over_class', 'taxi_not_allowed', 'third_trip', 'advance_over_limit', 'report_late', 'report_missing', 'transport_provided', 'dinner_not_eligible', 'lodging_in_per_diem', 'no_receipt']) {
      expect(flags.has(f), f).toBe(true);
    }
    expect(t.T4.lines.find((l) => l.line_no === 3)).toMatchObject({ claimed: 1080, reimbursable: 662, rule: 'train.standard_fare' });
    expect(t.T4.lines.find((l) => l.line_no === 1)).toMatchObject({ reimbursable: 280.5, rule: 'train.sleeper' });
    expect(t.T6.lines.find((l) => l.kind === 'dinner')).toMatchObject({ claimed: 320, reimbursable: 256 });
  });
});
