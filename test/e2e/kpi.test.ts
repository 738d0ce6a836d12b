/**
 * `salesops kpi` and `salesops export` through the built binary (SPEC §3.5, §4, §5). The data
 * is written with SQL straight into the sandbox database after `init` and the roster import,
 * so these tests do not depend on the other imports; the sandbox is shared per describe.
 *
 * July 2024, as-of 2024-07-31 (hand-computed):
 *   R1 (T1): collected 张三; files 张三 (buyer) + 李四; order ¥1,234.50 (June: ¥1,000);
 *            tasks: on time, late, open overdue; a same-day approved trip (¥15 per diem + ¥50 train)
 *   R2 (T1): collected 王五; file 王五 (buyer); order ¥20,000 (June: none); one task on time
 *   R3 (T2, hired 2024-06-03): collected 赵六; nothing else
 *   D1 (CS, doctor): one task on time
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { withRoster, type Sandbox } from './harness.js';

const DATA = `
INSERT INTO customers (customer_id, survey_no, name, phone, gender, birth_year, address, district, health, collector_id, collected_on, owner_id, assigned_on) VALUES
  (1, 'S1', '张三', '13800000001', 'M', 1950, '浙江省金华市浦江县人民路1号', '330726', '高血压', 'R1', '2024-07-02', 'R1', '2024-07-02'),
  (2, 'S2', '李四', '13800000002', 'F', 1955, '浙江省金华市婺城区八一路2号', '330702', '糖尿病', 'R1', '2024-06-20', 'R1', '2024-06-20'),
  (3, 'S3', '王五', '057988880003', 'M', 1948, NULL, '330726', NULL, 'R2', '2024-07-10', 'R2', '2024-07-10'),
  (4, 'S4', '=赵六', '13800000004', 'F', 1960, '杭州市西湖区文三路4号', '330106', NULL, 'R3', '2024-07-15', 'R3', '2024-07-15');
INSERT INTO files (customer_id, opened_on, buyer, bought_on, event) VALUES
  (1, '2024-07-05', 1, '2024-07-05', '7月联谊会'), (2, '2024-07-06', 0, NULL, '7月联谊会'), (3, '2024-07-12', 1, '2024-07-12', '旅游');
INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id, product, source) VALUES
  ('SO-1', 1, '2024-07-05', 123450, 'R1', '护膝', 'orders'),
  ('SO-2', 3, '2024-07-12', 2000000, 'R2', '=SUM(A1)', 'orders'),
  ('SO-3', 2, '2024-06-15', 100000, 'R1', '营养粉', 'orders'),
  ('SO-4', 1, '2024-01-10', 900000, 'R1', '保健枕', 'orders');
INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, status, done_on) VALUES
  (1, 'rep', 1, 'buyer', '2024-07-08', 'R1', 'done', '2024-07-08'),
  (1, 'rep', 2, 'buyer', '2024-07-20', 'R1', 'done', '2024-07-25'),
  (2, 'rep', 1, 'non_buyer', '2024-07-09', 'R1', 'open', NULL),
  (2, 'rep', 2, 'non_buyer', '2024-07-21', 'R1', 'cancelled', NULL),
  (3, 'rep', 1, 'buyer', '2024-07-15', 'R2', 'done', '2024-07-14'),
  (1, 'doctor', 1, 'buyer', '2024-07-20', 'D1', 'done', '2024-07-19');
INSERT INTO followups (customer_id, role, done_on, method, staff_id, note, task_id) VALUES
  (1, 'rep', '2024-07-08', 'phone', 'R1', '血压稳定，按时服药', 1);
INSERT INTO trips (trip_no, staff_id, start_date, end_date, scope, purpose, client, reviewed_by, approved_by, report_on) VALUES
  ('TR-1', 'R1', '2024-07-03', '2024-07-03', 'in_province', 'visit', '康乐养老院', 'S1', 'G1', '2024-07-04');
INSERT INTO expenses (trip_no, line_no, date, kind, amount_fen, hours, class, receipt) VALUES
  ('TR-1', 1, '2024-07-03', 'train', 5000, 2, 'second_class', 1);
`;

const json = async (s: Sandbox, args: string[]) => {
  const r = await s.run([...args, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
};

const R1 = {
  staff_id: 'R1',
  staff_name: '刘芳',
  team: 'T1',
  new_customers: 1,
  files_opened: 2,
  buyers: 1,
  conversion_rate: 0.5,
  orders: 1,
  sales_amount: 1234.5,
  sales_growth: 0.2345,
  followups_due: 3,
  followups_on_time: 1,
  on_time_rate: 0.3333,
  overdue_open: 1,
  travel_cost: 65,
  cost_per_order: 65,
};
const R2 = {
  staff_id: 'R2',
  staff_name: '杨洋',
  team: 'T1',
  new_customers: 1,
  files_opened: 1,
  buyers: 1,
  conversion_rate: 1,
  orders: 1,
  sales_amount: 20000,
  sales_growth: null,
  followups_due: 1,
  followups_on_time: 1,
  on_time_rate: 1,
  overdue_open: 0,
  travel_cost: 0,
  cost_per_order: 0,
};
const R3 = {
  staff_id: 'R3',
  staff_name: '赵敏',
  team: 'T2',
  new_customers: 1,
  files_opened: 0,
  buyers: 0,
  conversion_rate: null,
  orders: 0,
  sales_amount: 0,
  sales_growth: null,
  followups_due: 0,
  followups_on_time: 0,
  on_time_rate: null,
  overdue_open: 0,
  travel_cost: 0,
  cost_per_order: null,
};
const D1 = { ...R3, staff_id: 'D1', staff_name: '张医生', team: 'CS', new_customers: 0, followups_due: 1, followups_on_time: 1, on_time_rate: 1 };
const TOTAL = {
  staff_id: 'TOTAL',
  staff_name: null,
  team: null,
  new_customers: 3,
  files_opened: 3,
  buyers: 2,
  conversion_rate: 0.6667,
  orders: 2,
  sales_amount: 21234.5,
  sales_growth: 20.2345,
  followups_due: 5,
  followups_on_time: 3,
  on_time_rate: 0.6,
  overdue_open: 1,
  travel_cost: 65,
  cost_per_order: 32.5,
};
const STAFF_FIELDS = Object.keys(R1);
const TEAM_FIELDS = ['team', ...STAFF_FIELDS.slice(3), 'avg_headcount', 'active_reps', 'activity_rate', 'per_capita_productivity', 'regularisation_rate', 'attrition_rate'];

describe('kpi (§3.5)', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withRoster('2024-07-31');
    s.exec(DATA);
  });
  afterAll(() => s.cleanup());

  it('--by staff as JSON: the §4 fields, money in yuan, ratios null when the denominator is 0, a TOTAL row', async () => {
    const rows = await json(s, ['kpi', '--period', '2024-07']);
    // R3 joined mid-June: listed with zeros; D1 (doctor) has follow-ups; G1, M1, S1 have nothing counted
    expect(rows).toEqual([R1, R2, R3, D1, TOTAL].sort((a, b) => order(a) - order(b)));
    expect(Object.keys(rows[0])).toEqual(STAFF_FIELDS);
  });

  function order(r: { staff_id: string; team: string | null }): number {
    return ['D1', 'R1', 'R2', 'R3', 'TOTAL'].indexOf(r.staff_id); // by team: CS, T1, T2; then the total
  }

  it('defaults to the month of --as-of, and says which days it counted and compared', async () => {
    const r = await s.run(['kpi', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(await json(s, ['kpi', '--period', '2024-07']));
    expect(r.stderr).toContain('KPI 2024-07: 2024-07-01 … 2024-07-31; growth against 2024-06-01 … 2024-06-30');
    const mid = await s.run(['kpi', '--format', 'json'], { asOf: '2024-07-15' });
    expect(mid.stderr).toContain('(counted to 2024-07-15); growth against 2024-06-01 … 2024-06-15');
  });

  it('--by team: headcount of reps, reps with an order, activity and productivity; a total', async () => {
    const rows = await json(s, ['kpi', '--period', '2024-07', '--by', 'team']);
    expect(rows.map((r) => r.team)).toEqual(['CS', 'T1', 'T2', 'TOTAL']);
    expect(Object.keys(rows[0])).toEqual(TEAM_FIELDS);
    const [cs, t1, t2, total] = rows;
    expect(t1).toMatchObject({ orders: 2, sales_amount: 21234.5, avg_headcount: 2, active_reps: 2, activity_rate: 1, per_capita_productivity: 10617.25, regularisation_rate: 0, attrition_rate: 0 });
    expect(t2).toMatchObject({ avg_headcount: 1, active_reps: 0, activity_rate: 0, per_capita_productivity: null });
    expect(cs).toMatchObject({ followups_due: 1, avg_headcount: 0, activity_rate: null, attrition_rate: null });
    expect(total).toMatchObject({ orders: 2, avg_headcount: 3, active_reps: 2, activity_rate: 0.6667, per_capita_productivity: 10617.25, sales_growth: 20.2345 });
  });

  it('June: the rep who joined mid-month counts for the days on the roster', async () => {
    const rows = await json(s, ['kpi', '--period', '2024-06', '--by', 'team']);
    const t2 = rows.find((r) => r.team === 'T2')!;
    expect(t2.avg_headcount).toBe(0.93); // R3 from June 3: 28 of 30 days
    const r1 = (await json(s, ['kpi', '--period', '2024-06'])).find((r) => r.staff_id === 'R1');
    expect(r1).toMatchObject({ new_customers: 1, orders: 1, sales_amount: 1000, sales_growth: null });
  });

  it('--from/--to: a custom range, compared with as many days just before', async () => {
    const r = await s.run(['kpi', '--from', '2024-07-01', '--to', '2024-07-15', '--format', 'json']);
    expect(r.stderr).toContain('growth against 2024-06-16 … 2024-06-30');
    const r1 = (JSON.parse(r.stdout) as Record<string, unknown>[]).find((x) => x.staff_id === 'R1');
    expect(r1).toMatchObject({ followups_due: 2, followups_on_time: 1, overdue_open: 1, orders: 1, sales_growth: null });
  });

  it('the table: labels, thousands separators, rates as %, — for no ratio, a totals row, CJK aligned', async () => {
    const r = await s.run(['kpi', '--period', '2024-07'], { lang: 'zh' });
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('工号');
    expect(out).toContain('刘芳');
    expect(out).toContain('1,234.50');
    expect(out).toContain('20,000.00');
    expect(out).toContain('33.3%');
    expect(out).toContain('—');
    expect(out).toMatch(/│ 合计\s+│/);
    expect(out).not.toMatch(/\x1b\[/); // no colour when not a terminal
    // every line has the same display width (CJK characters take two cells)
    const width = (line: string) => [...line].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
    const widths = new Set(out.trimEnd().split('\n').map(width));
    expect(widths.size).toBe(1);
    // numbers right-aligned: the sales column ends at the same place in every row
    const lines = out.split('\n').filter((l) => l.includes('1,234.50') || l.includes('20,000.00'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
  });

  it('csv and tsv: the §4 names as headers, the same numbers as JSON (ratios empty when null)', async () => {
    const csv = await s.run(['kpi', '--period', '2024-07', '--by', 'team', '--format', 'csv']);
    // stdout is a pipe here: no BOM (issue 15; a file gets one)
    expect(csv.stdout.startsWith('team,')).toBe(true);
    const rows = parse(csv.stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(TEAM_FIELDS);
    const t2 = rows.find((r) => r.team === 'T2')!;
    expect(t2.per_capita_productivity).toBe('');
    expect(rows.find((r) => r.team === 'T1')!.sales_amount).toBe('21234.50');
    const tsv = await s.run(['kpi', '--period', '2024-07', '--format', 'tsv']);
    const lines = tsv.stdout.trimEnd().split('\n');
    expect(lines[0].split('\t')).toEqual(STAFF_FIELDS);
    expect(lines).toHaveLength(6);
    expect(lines[5].split('\t')[0]).toBe('TOTAL');
  });

  it('jsonl: one object per line; --no-totals drops the total', async () => {
    const r = await s.run(['kpi', '--period', '2024-07', '--format', 'jsonl', '--no-totals']);
    const objs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.map((o) => o.staff_id)).toEqual(['D1', 'R1', 'R2', 'R3']);
  });

  it('a period after as-of counts nothing: the total only, every ratio null', async () => {
    const r = await s.run(['kpi', '--period', '2024-09', '--format', 'json']);
    expect(r.stderr).toContain('starts after 2024-07-31');
    expect(JSON.parse(r.stdout)).toEqual([{ ...TOTAL, new_customers: 0, files_opened: 0, buyers: 0, conversion_rate: null, orders: 0, sales_amount: 0, sales_growth: null, followups_due: 0, followups_on_time: 0, on_time_rate: null, overdue_open: 0, travel_cost: 0, cost_per_order: null }]);
  });

  it('customer classes by 12-month purchases (A ≥ 10,000, B ≥ 1,000)', async () => {
    const rows = await json(s, ['kpi', '--classes']);
    // 张三 10,234.50 → A; 李四 1,000 → B; 王五 20,000 → A; 赵六 nothing → C
    expect(rows).toEqual([
      { staff_id: 'R1', staff_name: '刘芳', team: 'T1', customers: 2, class_a: 1, class_b: 1, class_c: 0, class_a_rate: 0.5 },
      { staff_id: 'R2', staff_name: '杨洋', team: 'T1', customers: 1, class_a: 1, class_b: 0, class_c: 0, class_a_rate: 1 },
      { staff_id: 'R3', staff_name: '赵敏', team: 'T2', customers: 1, class_a: 0, class_b: 0, class_c: 1, class_a_rate: 0 },
      { staff_id: 'TOTAL', staff_name: null, team: null, customers: 4, class_a: 2, class_b: 1, class_c: 1, class_a_rate: 0.5 },
    ]);
    expect((await json(s, ['kpi', '--classes', '--by', 'team'])).map((r) => [r.team, r.class_a])).toEqual([
      ['T1', 2],
      ['T2', 0],
      ['TOTAL', 2],
    ]);
  });

  it.each([
    [['kpi', '--period', '2024-13'], '--period 2024-13 is not a period'],
    [['kpi', '--period', '2024-07', '--from', '2024-07-01'], 'not both'],
    [['kpi', '--to', '2024-07-01'], '--to needs --from'],
    [['kpi', '--from', '2024-07-10', '--to', '2024-07-01'], 'is after --to'],
    [['kpi', '--by', 'dept'], 'use staff or team'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await s.run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('export (§4, §5)', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withRoster('2024-07-31');
    s.exec(DATA);
  });
  afterAll(() => s.cleanup());
  const audits = () => s.query<{ action: string; approved_by: string; reason: string; subject: string }>('SELECT action, approved_by, reason, subject FROM audit_log');

  it('orders to CSV: UTF-8 with BOM, read back by csv-parse equal to the data, formulas neutralised', async () => {
    const out = path.join(s.dir, '订单.csv');
    const r = await s.run(['export', 'orders', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('wrote 4 rows of orders');
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    const db = s.query<{ order_no: string; customer_id: number; name: string; order_date: string; amount_fen: number; staff_id: string; product: string; source: string }>(
      'SELECT o.*, c.name FROM orders o JOIN customers c USING (customer_id) ORDER BY order_date, order_no',
    );
    expect(rows).toEqual(
      db.map((o) => ({
        order_no: o.order_no,
        customer_id: String(o.customer_id),
        customer_name: o.name.startsWith('=') ? "'" + o.name : o.name,
        order_date: o.order_date,
        amount: (o.amount_fen / 100).toFixed(2),
        staff_id: o.staff_id,
        product: o.product.startsWith('=') ? "'" + o.product : o.product,
        source: o.source,
      })),
    );
    expect(rows.find((x) => x.order_no === 'SO-2')!.product).toBe("'=SUM(A1)");
    // §5: customer names leave with the orders: logged, without an approval (nothing revealed)
    expect(audits()).toEqual([{ action: 'export', approved_by: null, reason: null, subject: `export orders → ${out} (masked)` }]);
  });

  it('--period limits the rows; .json chooses JSON with money in yuan', async () => {
    const out = path.join(s.dir, 'orders.json');
    expect((await s.run(['export', 'orders', '--period', '2024-07', '--out', out])).code).toBe(0);
    const rows = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>[];
    expect(rows.map((x) => [x.order_no, x.amount])).toEqual([
      ['SO-1', 1234.5],
      ['SO-2', 20000],
    ]);
  });

  it('customers are masked like the listings, without health, and the export is logged as masked', async () => {
    const before = audits().length;
    const r = await s.run(['export', 'customers']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('personal data masked');
    const rows = parse(r.stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ customer_id: '1', name: '张三', phone: '138****0001', address: '浙江省金华市浦江县****', class: 'A', purchases_12m: '10234.50' });
    expect(rows[2].phone).toBe('057*****0003');
    expect(rows[3].name).toBe("'=赵六");
    expect(Object.keys(rows[0])).not.toContain('health');
    expect(r.stdout).not.toContain('高血压');
    expect(audits().slice(before)).toEqual([{ action: 'export', approved_by: null, reason: null, subject: 'export customers → stdout (masked)' }]);
  });

  it('--reveal with a GM approval and a reason: full data, an audit row, a file readable by its owner only', async () => {
    const out = path.join(s.dir, 'customers-full.csv');
    const r = await s.run(['export', 'customers', '--out', out, '--reveal', '--approved-by', 'G1', '--reason', '年度核查']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(fs.readFileSync(out), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ phone: '13800000001', address: '浙江省金华市浦江县人民路1号', health: '高血压' });
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    // one entry for the revealed export, with its approval (not a second, masked one)
    expect(audits().at(-1)).toEqual({ action: 'export', approved_by: 'G1', reason: '年度核查', subject: `export customers → ${out}` });
    expect(audits().filter((a) => a.subject.startsWith(`export customers → ${out}`))).toHaveLength(1);
  });

  it('--reveal needs a GM and a reason; nothing is written or audited otherwise', async () => {
    const before = audits().length;
    const out = path.join(s.dir, 'nope.csv');
    const noReason = await s.run(['export', 'customers', '--out', out, '--reveal', '--approved-by', 'G1']);
    expect(noReason.code).toBe(2);
    const notGm = await s.run(['export', 'customers', '--out', out, '--reveal', '--approved-by', 'R1', '--reason', 'x']);
    expect(notGm.code).toBe(1);
    expect(notGm.stderr).toContain('not a gm');
    expect(fs.existsSync(out)).toBe(false);
    expect(audits()).toHaveLength(before);
  });

  it('follow-ups: phones masked and notes left out unless revealed', async () => {
    const masked = await json(s, ['export', 'followups']);
    expect(masked).toEqual([
      { followup_id: 1, customer_id: 1, customer_name: '张三', phone: '138****0001', role: 'rep', done_on: '2024-07-08', method: 'phone', staff_id: 'R1', task_id: 1, late: false },
    ]);
    const full = await json(s, ['export', 'followups', '--reveal', '--approved-by', '周建国', '--reason', '质量抽查']);
    expect(full[0]).toMatchObject({ phone: '13800000001', note: '血压稳定，按时服药' });
    expect(audits().at(-1)).toMatchObject({ action: 'export', approved_by: 'G1', reason: '质量抽查' });
  });

  it('tasks with the overdue flag on as-of; staff; files; trips and expenses with money in yuan', async () => {
    const tasks = await json(s, ['export', 'tasks']);
    expect(tasks.filter((x) => x.overdue).map((x) => x.task_id)).toEqual([3]);
    expect(tasks[0].phone).toBe('138****0001');
    expect((await json(s, ['export', 'staff'])).map((x) => x.staff_id)).toEqual(['D1', 'G1', 'M1', 'R1', 'R2', 'R3', 'S1']);
    expect((await json(s, ['export', 'files'])).map((x) => [x.customer_id, x.buyer])).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
    expect(await json(s, ['export', 'expenses'])).toEqual([
      { trip_no: 'TR-1', line_no: 1, date: '2024-07-03', time: null, kind: 'train', amount: 50, hours: 2, class: 'second_class', standard_fare: null, receipt: true, reason: null, from: null, to: null, approved_by: null },
    ]);
    expect((await json(s, ['export', 'trips']))[0]).toMatchObject({ trip_no: 'TR-1', advance: 0, order_amount: null, deal_closed: false });
  });

  it('allowances: §4 objects with their lines in JSON, one row per trip in CSV', async () => {
    const [a] = await json(s, ['export', 'allowances']);
    expect(a).toMatchObject({ trip_no: 'TR-1', staff_id: 'R1', days: 1, per_diem: 15, claimed: 50, reimbursable: 65, advance: 0, net_payable: 65, flags: [] });
    expect((a.lines as unknown[]).length).toBe(2);
    const csv = parse((await s.run(['export', 'allowances'])).stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(csv).toEqual([{ trip_no: 'TR-1', staff_id: 'R1', days: '1', per_diem: '15.00', claimed: '50.00', reimbursable: '65.00', advance: '0.00', net_payable: '65.00', flags: '' }]);
  });

  it('kpi: the same rows as `kpi`, to a file', async () => {
    const out = path.join(s.dir, '2024业绩.csv');
    expect((await s.run(['export', 'kpi', '--period', '2024-07', '--by', 'team', '--out', out])).code).toBe(0);
    const fromFile = parse(fs.readFileSync(out), { bom: true, columns: true });
    const fromKpi = parse((await s.run(['kpi', '--period', '2024-07', '--by', 'team', '--format', 'csv'])).stdout, { bom: true, columns: true });
    expect(fromFile).toEqual(fromKpi);
    const js = path.join(s.dir, 'kpi.json');
    expect((await s.run(['export', 'kpi', '--period', '2024-07', '--out', js])).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(js, 'utf8'))).toEqual(await json(s, ['kpi', '--period', '2024-07']));
  });

  it('refuses an unknown kind and the table format (exit 2)', async () => {
    const r = await s.run(['export', 'widgets']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('customers');
    expect((await s.run(['export', 'orders', '--format', 'table'])).code).toBe(2);
  });
});
