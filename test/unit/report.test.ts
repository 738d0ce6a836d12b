/**
 * The report workbook's sheets (issue 16, app/report.ts): which sheets, in which order, named
 * and headed in Chinese and English, each opened by the period and as-of, and each holding
 * the rows of the use case behind its command — nothing computed a second time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type DB } from '../../src/store/db.js';
import { setLang, t, type Lang } from '../../src/messages/index.js';
import { monthPeriod } from '../../src/domain/kpi.js';
import { ALLOWANCE_STAFF_COLUMNS, allowanceSummary } from '../../src/app/allowance.js';
import {
  ALLOWANCE_LINES_SHEET,
  DUE_SHEET,
  DUE_WORDS,
  LINE_WORDS,
  REPORT_SHEETS,
  inWords,
  reportWorkbook,
  type ReportWorkbook,
} from '../../src/app/report.js';
import { kpiReport, classReport } from '../../src/app/kpi.js';
import { kpiTrend } from '../../src/app/kpiTrend.js';
import { trendPeriods } from '../../src/domain/trend.js';
import { allowance, ALLOWANCE_LINE_COLUMNS } from '../../src/app/allowance.js';
import { DUE_COLUMNS, dueList } from '../../src/app/followups/due.js';
import type { Row } from '../../src/io/output/column.js';

const JULY = monthPeriod(2024, 7);
const AS_OF = '2024-07-31';

let dir: string;
let db: DB;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-report-'));
  db = openDb(path.join(dir, 'r.db'), { create: true });
  db.exec(`
    INSERT INTO staff (staff_id, name, role, team, hired_on) VALUES
      ('R1','刘芳','rep','T1','2020-01-01'), ('R2','杨洋','rep','T2','2020-01-01'), ('D1','张医生','doctor',NULL,'2020-01-01'), ('G1','周建国','gm','HQ','2015-01-01');
    INSERT INTO customers (customer_id, name, phone, collector_id, collected_on, owner_id) VALUES
      (1,'许金凤','13800007919','R1','2024-07-02','R1'), (2,'陈玉兰','13800079190','R1','2024-06-30','R1'),
      (3,'王秀英','13900001111','R2','2024-07-10','R2'), (4,'李桂兰','13700002222','R2','2024-07-11',NULL);
    INSERT INTO files (customer_id, opened_on, buyer, bought_on) VALUES (1,'2024-07-03',1,'2024-07-03'), (3,'2024-07-12',0,NULL);
    INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id) VALUES
      ('o1',1,'2024-07-03',1280000,'R1'), ('o2',3,'2024-07-20',238000,'R2'), ('o3',2,'2024-06-15',50000,'R1'), ('o4',4,'2024-07-21',1000,NULL);
    INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, status, done_on) VALUES
      (1,'rep',1,'buyer','2024-07-06','R1','done','2024-07-05'),
      (1,'rep',2,'buyer','2024-07-20','R1','open',NULL),
      (1,'doctor',1,'buyer','2024-08-02','D1','open',NULL),
      (3,'rep',1,'non_buyer','2024-07-25','R2','open',NULL),
      (2,'rep',1,'buyer','2024-08-01','R1','open',NULL),
      (4,'rep',1,'non_buyer','2024-07-15',NULL,'open',NULL);
    INSERT INTO assignments (customer_id, staff_id, rule, explanation, assigned_on) VALUES
      (2,'R1','collector','collector R1 is an active rep','2024-06-30'),
      (1,'R1','collector','collector R1 is an active rep','2024-07-02'),
      (3,'R2','nearness','R2 lives nearest 13900001111','2024-07-10');
    INSERT INTO trips (trip_no, staff_id, start_date, end_date, scope, client, approved_by, advance_fen) VALUES
      ('T1','R1','2024-06-18','2024-06-18','in_province','杭州康乐养老院','G1',0),
      ('T2','R1','2024-07-02','2024-07-03','in_province','杭州康乐养老院','G1',0),
      ('T3','R2','2024-07-08','2024-07-12','out_of_province','上海华康医药','G1',50000),
      ('T4','R1','2024-07-22','2024-07-22','in_province','宁波颐养中心','G1',0);
  `);
});

afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  setLang('en');
});

function workbook(lang: Lang): ReportWorkbook {
  setLang(lang);
  return reportWorkbook(db, { period: JULY, asOf: AS_OF, target: '7月经营报表.xlsx', command: 'report --period 2024-07 --out 7月经营报表.xlsx' });
}

const sheetOf = (wb: ReportWorkbook, id: string) => wb.sheets.find((s) => s.id === id)!;
const rowsOf = (wb: ReportWorkbook, id: string): Row[] => [...sheetOf(wb, id).rows];

describe('the sheets of the report', () => {
  it('are the eight listings, in order, named in Chinese and English as Excel allows', () => {
    const zh = workbook('zh');
    expect(zh.sheets.map((s) => s.id)).toEqual([...REPORT_SHEETS]);
    expect(zh.sheets.map((s) => t(s.name))).toEqual(['业绩（按代表）', '业绩（按团队）', '销售走势', '顾客分级', '差旅补贴汇总', '差旅费用明细', '回访（未完成与逾期）', '本期分配']);
    setLang('en');
    const en = zh.sheets.map((s) => t(s.name));
    expect(en).toEqual(['KPI by rep', 'KPI by team', 'Sales trend', 'Customer classes', 'Allowances by staff', 'Allowance lines', 'Open and overdue follow-ups', 'Assignments']);
    for (const lang of ['zh', 'en'] as Lang[]) {
      const names = zh.sheets.map((s) => t(s.name, undefined, lang));
      for (const name of names) {
        expect(name.length).toBeLessThanOrEqual(31);
        expect(name).not.toMatch(/[[\]:*?/\\]/);
      }
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('head every column in Chinese (the trend\'s periods by their labels, 2024-07, as in every language)', () => {
    for (const s of workbook('zh').sheets) {
      for (const c of s.columns) {
        if (s.id === 'trend' && /^\d{4}-\d\d$/.test(c.key)) expect(c.header).toBeUndefined();
        else expect(c.header?.zh, `${s.id} ${c.key}`).toMatch(/\p{Script=Han}/u);
      }
    }
  });

  it('open with the period and as-of, then what the command says before its rows', () => {
    const wb = workbook('zh');
    for (const s of wb.sheets) expect(t(s.notices[0].key, s.notices[0].params)).toBe('期间 2024-07（2024-07-01 至 2024-07-31）· 截至 2024-07-31');
    setLang('en');
    expect(t(wb.sheets[0].notices[0].key, wb.sheets[0].notices[0].params)).toBe('Period 2024-07 (2024-07-01 to 2024-07-31) · as of 2024-07-31');
    expect(sheetOf(wb, 'kpi_staff').notices.slice(1)).toEqual(kpiReport(db, { period: JULY, by: 'staff', asOf: AS_OF }).notices);
    expect(sheetOf(wb, 'classes').notices.slice(1)).toEqual(classReport(db, { period: JULY, by: 'staff', asOf: AS_OF }).notices);
    expect(sheetOf(wb, 'followups_due').notices.slice(1)).toEqual([{ key: 'report.due_note' }]);
  });

  it('are audited as a masked export, naming the period and the file', () => {
    expect(workbook('en').audit).toEqual({
      action: 'export',
      approved_by: null,
      reason: null,
      subject: 'report 2024-07 → 7月经营报表.xlsx (masked)',
      detail: 'report --period 2024-07 --out 7月经营报表.xlsx',
    });
  });
});

describe('the codes of the sheets, in words as the tables show them', () => {
  it('of a line (kind, scope, flags), a task (role, plan) and an assignment (rule: its Chinese word, in English the code)', () => {
    const zh = workbook('zh');
    expect(rowsOf(zh, 'allowance_lines')[0]).toMatchObject({ trip_no: 'T2', line_kind: '出差补贴', scope: '省内' });
    // the rows are read once, as the workbook is written
    const due = rowsOf(zh, 'followups_due');
    expect(due.map((r) => r.role)).toEqual(['顾服医生', '满意代表', '满意代表', '满意代表', '满意代表']);
    expect(due[0].plan).toBe('购买顾客回访');
    expect(rowsOf(zh, 'assignments').map((r) => r.rule)).toEqual(['收集人', '就近']);
    const en = workbook('en');
    expect(rowsOf(en, 'allowance_lines')[0]).toMatchObject({ line_kind: 'per diem', scope: 'in province' });
    expect(rowsOf(en, 'followups_due')[0]).toMatchObject({ role: 'doctor', plan: 'buyer plan' });
    expect(rowsOf(en, 'assignments').map((r) => r.rule)).toEqual(['collector', 'nearness']);
    // a list of flags item by item
    expect([...inWords([{ flags: ['no_receipt', 'report_late'] }], LINE_WORDS)]).toEqual([{ flags: ['no formal receipt or detailed record', 'trip report handed in late'] }]);
  });
});

describe('the figures of each sheet are those of its command', () => {
  it('KPI by rep and by team, customer classes: the rows of kpi, the totals row and who no one is credited to in words', () => {
    const wb = workbook('zh');
    const staff = kpiReport(db, { period: JULY, by: 'staff', asOf: AS_OF });
    const label = (r: Row) => (r.staff_id === null ? { ...r, staff_id: '（未归属）' } : r);
    expect(rowsOf(wb, 'kpi_staff')).toEqual([...staff.rows.map(label), { ...staff.total, staff_id: '合计' }]);
    expect(sheetOf(wb, 'kpi_staff').columns).toBe(staff.columns);
    const team = kpiReport(db, { period: JULY, by: 'team', asOf: AS_OF });
    expect(rowsOf(wb, 'kpi_team')).toEqual([...team.rows.map((r) => (r.team === null ? { ...r, team: '（无团队）' } : r)), { ...team.total, team: '合计' }]);
    const classes = classReport(db, { period: JULY, by: 'staff', asOf: AS_OF });
    expect(rowsOf(wb, 'classes')).toEqual([...classes.rows.map((r) => (r.staff_id === null ? { ...r, staff_id: '（未分配）' } : r)), { ...classes.total, staff_id: '合计' }]);
    // the order of 4 yuan nobody is credited with is on its own row
    expect(rowsOf(wb, 'kpi_staff').find((r) => r.staff_id === '（未归属）')).toMatchObject({ orders: 1, sales_amount: 1000 });
  });

  it('the sales trend: kpi --trend 12 --period P, each month the sales of that month\'s kpi, a line per rep in its chart', () => {
    const wb = workbook('zh');
    const trend = sheetOf(wb, 'trend');
    const months = trendPeriods(JULY, 12);
    expect(months.map((p) => p.label)).toEqual(['2023-08', '2023-09', '2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07']);
    const rep = kpiTrend(db, { last: JULY, n: 12, measure: 'sales_amount', by: 'staff', asOf: AS_OF });
    expect(trend.columns).toEqual(rep.columns);
    expect(trend.notices.slice(1)).toEqual(rep.notices);
    const rows = rowsOf(wb, 'trend');
    expect(rows.at(-1)).toMatchObject({ staff_id: '合计', staff_name: null, team: null });
    for (const p of months) {
      const kpi = kpiReport(db, { period: p, by: 'staff', asOf: AS_OF });
      for (const r of kpi.rows) expect(rows.find((x) => x.staff_id === (r.staff_id ?? '（未归属）'))?.[p.label], `${p.label} ${String(r.staff_id)}`).toBe(r.sales_amount);
      expect(rows.at(-1)![p.label]).toBe(kpi.total.sales_amount);
    }
    // by hand: R1 sold ¥500 in June and ¥12,800 in July; the ¥10 nobody is credited with has its own line
    expect(rows.find((r) => r.staff_id === 'R1')).toMatchObject({ '2024-06': 50000, '2024-07': 1280000, '2024-05': 0 });
    expect(rows.find((r) => r.staff_id === '（未归属）')).toMatchObject({ '2024-07': 1000, '2024-06': null });
    expect(trend.chart).toEqual({
      title: { key: 'report.trend_chart', params: rep.notices[0].params },
      categories: months.map((p) => p.label),
      name: ['staff_name', 'staff_id'],
      totalsRow: true,
    });
    setLang('zh');
    expect(t(trend.chart!.title.key, trend.chart!.title.params)).toBe('各代表销售额走势（2023-08 至 2024-07）');
  });

  it('allowances: the trips starting in the period summed per staff and month, and every priced line', () => {
    const wb = workbook('en');
    const { trips } = allowance(db, { from: JULY.from, to: JULY.to, asOf: AS_OF });
    expect(trips.map((x) => x.trip.trip_no)).toEqual(['T2', 'T3', 'T4']); // T1 started in June
    const summary = rowsOf(wb, 'allowance_staff');
    expect(summary).toEqual(allowanceSummary(trips));
    expect(summary.map((r) => [r.staff_id, r.month, r.trips])).toEqual([
      ['R1', '2024-07', 2],
      ['R2', '2024-07', 1],
      ['total', '', 3],
    ]);
    const sum = (k: 'reimbursable_fen' | 'advance_fen' | 'net_payable_fen') => trips.reduce((a, x) => a + x.priced[k], 0);
    expect(summary.at(-1)).toMatchObject({ reimbursable: sum('reimbursable_fen'), advance: 50000, net_payable: sum('net_payable_fen') });
    expect(summary[0].reimbursable).toBe(trips[0].priced.reimbursable_fen + trips[2].priced.reimbursable_fen);
    const lines = rowsOf(wb, 'allowance_lines');
    expect(lines).toEqual([...inWords(allowance(db, { from: JULY.from, to: JULY.to, asOf: AS_OF }).lines.rows as Iterable<Row>, LINE_WORDS)]);
    expect(lines).toHaveLength(trips.reduce((a, x) => a + x.priced.lines.length, 0));
    expect(lines.reduce((a, r) => a + (r.line_reimbursable as number), 0)).toBe(sum('reimbursable_fen'));
  });

  it('allowance lines: the columns of allowance --format csv without the trip totals, which a column sum would count once per line', () => {
    const keys = ALLOWANCE_LINES_SHEET.map((c) => c.key);
    for (const k of ['per_diem', 'claimed', 'reimbursable', 'advance', 'net_payable', 'days', 'paid_days']) expect(keys).not.toContain(k);
    for (const c of ALLOWANCE_LINES_SHEET) {
      const listed = ALLOWANCE_LINE_COLUMNS.find((x) => x.key === c.key)!;
      expect(c.kind, c.key).toBe(listed.kind);
    }
    expect(ALLOWANCE_STAFF_COLUMNS.filter((c) => c.kind === 'money').map((c) => c.key)).toEqual(['per_diem', 'claimed', 'reimbursable', 'advance', 'net_payable']);
  });

  it('follow-ups: the rows of followups due, one rep after the other, each one overdue first, the unassigned last; phones masked on the way out', () => {
    const wb = workbook('en');
    const rows = rowsOf(wb, 'followups_due');
    const all = [...inWords(dueList(db, { asOf: AS_OF, limit: 0 }).rows, DUE_WORDS)];
    expect(rows).toHaveLength(all.length);
    expect(new Set(rows.map((r) => r.task_id))).toEqual(new Set(all.map((r) => r.task_id)));
    expect(rows.map((r) => [r.staff_id, r.due_by])).toEqual([
      ['D1', '2024-08-02'],
      ['R1', '2024-07-20'],
      ['R1', '2024-08-01'],
      ['R2', '2024-07-25'],
      [null, '2024-07-15'],
    ]);
    for (const r of rows) expect(all).toContainEqual(r);
    // who holds the task first; every column of followups due, masked as it masks them
    expect(DUE_SHEET.slice(0, 2).map((c) => c.key)).toEqual(['staff_id', 'staff_name']);
    expect(new Set(DUE_SHEET.map((c) => c.key))).toEqual(new Set(DUE_COLUMNS.map((c) => c.key)));
    expect(DUE_SHEET.find((c) => c.key === 'phone')?.mask).toBe('phone');
  });

  it('assignments: those of the period, as export assignments --period lists them', () => {
    const rows = rowsOf(workbook('en'), 'assignments');
    expect(rows.map((r) => [r.customer_id, r.staff_id, r.rule, r.assigned_on])).toEqual([
      [1, 'R1', 'collector', '2024-07-02'],
      [3, 'R2', 'nearness', '2024-07-10'],
    ]);
    // a phone typed into an explanation is masked by its column on the way out
    expect(sheetOf(workbook('en'), 'assignments').columns.find((c) => c.key === 'explanation')?.mask).toBe('text');
  });
});
