/**
 * `salesops kpi --trend N` (issue 18): each period's figure in the trend is the one `kpi
 * --period P` prints for that period, whatever the measure, `--by` or kind of period; the
 * table shows a sparkline after the figures in Chinese and English; the flags a trend cannot
 * take are usage errors (exit 2) in both languages.
 *
 * Data written with SQL after `init` and the roster (as kpi.test.ts does), February to July
 * 2024, as-of 2024-07-31. R1's sales by hand: Feb 0, Mar ¥1,000, Apr 0, May ¥500, Jun ¥1,000,
 * Jul ¥1,234.50 → ▁▇▁▄▇█ (0 → ▁, 1,234.50 → █, 1,000 × 7 / 1,234.5 = 5.67 → ▇, 500 → 2.84 → ▄).
 * R3 joined 2024-06-03: no row before June, so no figure (—, a gap in the line).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRoster, type Sandbox } from './harness.js';

const DATA = `
INSERT INTO customers (customer_id, survey_no, name, phone, collector_id, collected_on, owner_id, assigned_on) VALUES
  (1, 'S1', '张三', '13800000001', 'R1', '2024-02-02', 'R1', '2024-02-02'),
  (2, 'S2', '李四', '13800000002', 'R1', '2024-03-20', 'R1', '2024-03-20'),
  (3, 'S3', '王五', '13800000003', 'R2', '2024-02-10', 'R2', '2024-02-10'),
  (4, 'S4', '赵六', '13800000004', 'R3', '2024-06-15', 'R3', '2024-06-15');
INSERT INTO files (customer_id, opened_on, buyer, bought_on) VALUES
  (1, '2024-03-05', 1, '2024-03-10'), (2, '2024-05-06', 1, '2024-05-20'), (3, '2024-02-12', 1, '2024-02-12'), (4, '2024-07-01', 0, NULL);
INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id) VALUES
  ('SO-1', 1, '2024-03-10', 100000, 'R1'),
  ('SO-2', 2, '2024-05-20', 50000, 'R1'),
  ('SO-3', 1, '2024-06-15', 100000, 'R1'),
  ('SO-4', 1, '2024-07-05', 123450, 'R1'),
  ('SO-5', 3, '2024-02-12', 300000, 'R2'),
  ('SO-6', 3, '2024-07-12', 2000000, 'R2'),
  ('SO-7', 4, '2024-07-20', 1000, NULL);
INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, status, done_on) VALUES
  (1, 'rep', 1, 'buyer', '2024-03-17', 'R1', 'done', '2024-03-16'),
  (1, 'rep', 2, 'buyer', '2024-04-10', 'R1', 'done', '2024-04-20'),
  (2, 'rep', 1, 'buyer', '2024-05-27', 'R1', 'done', '2024-05-27'),
  (1, 'rep', 3, 'buyer', '2024-07-08', 'R1', 'open', NULL),
  (3, 'rep', 1, 'buyer', '2024-02-19', 'R2', 'done', '2024-02-19'),
  (3, 'rep', 2, 'buyer', '2024-07-19', 'R2', 'done', '2024-07-25'),
  (4, 'rep', 1, 'non_buyer', '2024-07-10', 'R3', 'done', '2024-07-09');
`;

const MONTHS = ['2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07'];

type Row = Record<string, unknown>;

let s: Sandbox;
beforeAll(async () => {
  s = await withRoster('2024-07-31');
  s.exec(DATA);
});
afterAll(() => s.cleanup());

async function json(args: string[]): Promise<Row[]> {
  return JSON.parse(await jsonText(args)) as Row[];
}

async function jsonText(args: string[]): Promise<string> {
  const r = await s.run([...args, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** The keys of each object of a json listing, in the order written (JSON.parse puts a key like `2024` first). */
const keysAsWritten = (text: string) => text.trim().split('\n').slice(1, -1).map((line) => [...line.matchAll(/"([^"]*)":/g)].map((m) => m[1]));

describe('kpi --trend: each period is kpi --period P', () => {
  it.each([
    { args: ['--trend', '6'], by: 'staff', measure: 'sales_amount', periods: MONTHS },
    { args: ['--trend', '6', '--measure', 'on_time_rate'], by: 'staff', measure: 'on_time_rate', periods: MONTHS },
    { args: ['--trend', '6', '--measure', 'orders', '--period', '2024-07'], by: 'staff', measure: 'orders', periods: MONTHS },
    { args: ['--trend', '4', '--by', 'team', '--measure', 'activity_rate', '--period', '2024-06'], by: 'team', measure: 'activity_rate', periods: MONTHS.slice(1, 5) },
    { args: ['--trend', '3', '--by', 'team', '--period', '2024-Q3'], by: 'team', measure: 'sales_amount', periods: ['2024-Q1', '2024-Q2', '2024-Q3'] },
    { args: ['--trend', '2', '--measure', '按时率', '--period', '2024'], by: 'staff', measure: 'on_time_rate', periods: ['2023', '2024'] },
  ])('kpi $args', async ({ args, by, measure, periods }) => {
    const text = await jsonText(['kpi', ...args]);
    const trend = JSON.parse(text) as Row[];
    const key = by === 'team' ? 'team' : 'staff_id';
    const keys = by === 'team' ? ['team'] : ['staff_id', 'staff_name', 'team'];
    // flat: the key columns, then a column per period, oldest first, and nothing else (the
    // json sink stringifies an object: a year's label, integer-like, is written first)
    const written = keysAsWritten(text);
    expect(written.map((k) => k.filter((x) => !/^\d+$/.test(x)))).toEqual(trend.map(() => [...keys, ...periods].filter((x) => !/^\d+$/.test(x))));
    expect(written.map((k) => [...k].sort())).toEqual(trend.map(() => [...keys, ...periods].sort()));
    expect(trend.at(-1)![key]).toBe('TOTAL');
    for (const p of periods) {
      const kpi = await json(['kpi', '--period', p, ...(by === 'team' ? ['--by', 'team'] : [])]);
      const figures = new Map(kpi.map((r) => [r[key], r[measure]]));
      // a row of the period's kpi is a row of the trend with its figure; a row it lacks has none
      for (const r of kpi) expect(trend.some((t) => t[key] === r[key]), `${p} ${String(r[key])}`).toBe(true);
      for (const t of trend) expect(t[p], `${p} ${String(t[key])}`).toEqual(figures.has(t[key]) ? figures.get(t[key]) : null);
    }
  });

  it('the figures by hand: R1 sales month by month, R3 none before June, the sales credited to no one on their own row', async () => {
    const trend = await json(['kpi', '--trend', '6']);
    const row = (id: string | null) => trend.find((r) => r.staff_id === id)!;
    expect(MONTHS.map((m) => row('R1')[m])).toEqual([0, 1000, 0, 500, 1000, 1234.5]);
    expect(MONTHS.map((m) => row('R3')[m])).toEqual([null, null, null, null, 0, 0]);
    expect(row(null)['2024-07']).toBe(10);
    expect(row('TOTAL')['2024-07']).toBe(21244.5);
    // rows in kpi's order: by team, then id; no one last before the total
    expect(trend.map((r) => r.staff_id)).toEqual(['D1', 'G1', 'M1', 'R1', 'R2', 'S1', 'R3', null, 'TOTAL'].filter((id) => trend.some((r) => r.staff_id === id)));
  });

  it('csv: the same flat columns, the period labels as headers; --no-totals leaves the TOTAL row out', async () => {
    const r = await s.run(['kpi', '--trend', '3', '--format', 'csv', '--no-totals']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe('staff_id,staff_name,team,2024-05,2024-06,2024-07');
    expect(lines).toContain('R1,刘芳,T1,500.00,1000.00,1234.50');
    expect(r.stdout).not.toContain('TOTAL');
  });
});

describe('kpi --trend as a table: the figures and a sparkline', () => {
  it.each([
    { lang: 'zh', header: '趋势', heading: '走势：销售额（sales_amount），2024-02 至 2024-07，共 6 期，截至 2024-07-31', total: '合计' },
    { lang: 'en', header: 'Trend', heading: 'Trend of Sales (sales_amount): 2024-02 … 2024-07, 6 periods, as of 2024-07-31', total: 'Total' },
  ])('$lang', async ({ lang, header, heading, total }) => {
    const r = await s.run(['kpi', '--trend', '6'], { lang });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(heading);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(new RegExp(`2024-02 │.*│ +2024-07 │ ${header}\\s+│$`));
    expect(lines.find((l) => l.includes('刘芳'))).toMatch(/│ +1,234\.50 │ ▁▇▁▄▇█ │$/);
    // a period with no figure: — in its column, a gap in the line
    expect(lines.find((l) => l.includes('赵敏'))).toMatch(/│ +— │ +— │ +— │ +— │ +0\.00 │ +0\.00 │ +▄▄ │$/);
    expect(lines.find((l) => l.includes(total))).toMatch(/│ [▁-█]{6} │$/);
    // the table lines up: every line as wide as the others (each block one column)
    const width = (line: string) => [...line].reduce((w, ch) => w + (/[\u2e80-\ua4cf\uac00-\ud7a3\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
    expect(new Set(r.stdout.trimEnd().split('\n').map(width)).size).toBe(1);
  });

  it('the binary itself prints the same table', async () => {
    const inProcess = await s.run(['kpi', '--trend', '4', '--measure', 'on_time_rate'], { lang: 'zh' });
    const binary = await s.run(['kpi', '--trend', '4', '--measure', 'on_time_rate'], { lang: 'zh', process: true });
    expect(binary.code, binary.stderr).toBe(0);
    expect(binary.stdout).toBe(inProcess.stdout);
    expect(binary.stdout).toContain('趋势');
  });
});

describe('kpi --trend refuses what a trend cannot be', () => {
  it.each([
    { lang: 'en', args: ['--trend', '1'], says: '--trend 1: give a number of periods from 2 to 36' },
    { lang: 'zh', args: ['--trend', '37'], says: '--trend 37：请给出期数，2 至 36' },
    { lang: 'en', args: ['--trend', 'twelve'], says: 'e.g. --trend 12 for the last twelve months' },
    { lang: 'en', args: ['--trend', '6', '--classes'], says: '--trend cannot be used with --classes' },
    { lang: 'zh', args: ['--trend', '6', '--from', '2024-07-01'], says: '--trend 不能与 --from 同时使用' },
    { lang: 'en', args: ['--trend', '6', '--to', '2024-07-15'], says: 'give it with --period' },
    { lang: 'en', args: ['--measure', 'orders'], says: '--measure needs --trend' },
    { lang: 'zh', args: ['--trend', '6', '--measure', 'activity_rate'], says: '--measure activity_rate 是团队指标' },
    { lang: 'en', args: ['--trend', '6', '--measure', 'activity_rate'], says: 'add --by team' },
    { lang: 'en', args: ['--trend', '6', '--measure', 'staff_name'], says: 'measures: new_customers, files_opened' },
    { lang: 'zh', args: ['--trend', '6', '--measure', '人气'], says: '--measure 人气 不是 kpi --by staff 的指标' },
    { lang: 'en', args: ['--trend', '6', '--period', '2024-13'], says: '--period 2024-13 is not a period' },
  ])('$lang $args: exit 2', async ({ lang, args, says }) => {
    const r = await s.run(['kpi', ...args], { lang });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(says);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
