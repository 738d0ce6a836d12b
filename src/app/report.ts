/**
 * `salesops report` (issue 16): the report workbook of a period, the one file a manager
 * mails to the GM. One sheet per listing, each the listing of the use case behind its own
 * command, so that no figure is computed a second time and each equals what that command
 * says for the same period and `--as-of`:
 *
 * | sheet            | the figures of                                  |
 * |------------------|-------------------------------------------------|
 * | KPI by rep       | `kpi --period P` (app/kpi.ts kpiReport)         |
 * | KPI by team      | `kpi --period P --by team`                      |
 * | sales trend      | `kpi --trend N --period P` (app/kpiTrend.ts),   |
 * |                  | with a line chart: a line per rep               |
 * | customer classes | `kpi --period P --classes`                      |
 * | allowances       | `allowance --month P` (app/allowance.ts): the   |
 * |                  | trips starting in P, summed per staff and month |
 * |                  | as the `allowance` table sums them, and a sheet |
 * |                  | of every priced line                            |
 * | follow-ups       | `followups due` (app/followups/due.ts), per rep |
 * | assignments      | `export assignments --period P`                 |
 *
 * The rows are for people, as a table shows them: the totals row, who no one is credited to
 * and the codes (a line's kind, its flags, a task's role) in words of the run's language.
 * The report holds personal data only masked (§5: there is no reveal); writing it is
 * audited as an export with personal data is.
 */
import { codeText, columnHeader } from '../messages/columns.js';
import { getLang, t, type MessageKey } from '../messages/index.js';
import type { DB } from '../store/db.js';
import { readRoster } from '../store/kpi.js';
import type { Column, Row } from '../io/output/column.js';
import type { Period } from '../domain/kpi.js';
import type { Listing, Notice } from './listing.js';
import { classReport, kpiReport, rowsForPeople, type Report } from './kpi.js';
import { kpiTrend } from './kpiTrend.js';
import type { LineChart } from '../io/xlsx/writeChart.js';
import { allowance, ALLOWANCE_LINE_COLUMNS, ALLOWANCE_STAFF_COLUMNS, allowanceSummary, flagText } from './allowance.js';
import { DUE_COLUMNS, dueList } from './followups/due.js';
import { exportData, type AuditRecord } from './export/exportData.js';

/** The sheets, in the order of the workbook; each is named `report.sheet.<id>`. */
export const REPORT_SHEETS = ['kpi_staff', 'kpi_team', 'trend', 'classes', 'allowance_staff', 'allowance_lines', 'followups_due', 'assignments'] as const;
export type SheetId = (typeof REPORT_SHEETS)[number];

export interface ReportSheet extends Listing {
  id: SheetId;
  /** the sheet's name in the catalogue */
  name: `report.sheet.${SheetId}` & MessageKey;
  rows: Iterable<Row>;
  /** the lines above its table: the period and as-of, then what the sheet's command says before its rows */
  notices: Notice[];
  /** a line chart under the table, its title in the run's language (io/xlsx/writeChart.ts) */
  chart?: Omit<LineChart, 'title'> & { title: Notice };
}

export interface ReportOptions {
  period: Period;
  asOf: string;
  /** the file written and the command line, for the audit entry */
  target: string;
  command: string;
}

export interface ReportWorkbook {
  sheets: ReportSheet[];
  /** §5: the entry the report leaves once written (customers' names and masked phones leave with it) */
  audit: AuditRecord;
}

export function reportWorkbook(db: DB, o: ReportOptions): ReportWorkbook {
  const { period, asOf } = o;
  const title: Notice = { key: 'report.title', params: { label: period.label, from: period.from, to: period.to, asOf } };
  const sheet = (id: SheetId, listing: { columns: Column[]; rows: Iterable<Row>; notices?: Notice[]; chart?: ReportSheet['chart'] }): ReportSheet => ({
    id,
    name: `report.sheet.${id}`,
    columns: listing.columns,
    rows: listing.rows,
    notices: [title, ...(listing.notices ?? [])],
    ...(listing.chart && { chart: listing.chart }),
  });
  // the small listings are made now (their headings go above their rows); the long ones,
  // the due list and the assignments, are read as the workbook is written
  const byStaff = kpiReport(db, { period, by: 'staff', asOf });
  const byTeam = kpiReport(db, { period, by: 'team', asOf });
  const classes = classReport(db, { period, by: 'staff', asOf });
  // `allowance --month`: the trips that start in the period, priced as of as-of
  const allowances = allowance(db, { from: period.from, to: period.to, asOf });
  const assignments = exportData(db, {
    kind: 'assignments',
    period,
    asOf,
    approval: null,
    by: 'staff',
    classes: false,
    totals: false,
    target: o.target,
    command: o.command,
  });
  return {
    sheets: [
      sheet('kpi_staff', forPeople(byStaff)),
      sheet('kpi_team', forPeople(byTeam)),
      sheet('trend', salesTrend(db, period, asOf)),
      sheet('classes', forPeople(classes)),
      sheet('allowance_staff', { columns: ALLOWANCE_STAFF_COLUMNS, rows: allowanceSummary(allowances.trips), notices: allowances.notices }),
      sheet('allowance_lines', { columns: ALLOWANCE_LINES_SHEET, rows: inWords(allowances.lines.rows as Iterable<Row>, LINE_WORDS), notices: allowances.notices }),
      sheet('followups_due', { columns: DUE_SHEET, rows: inWords(duePerRep(db, asOf), DUE_WORDS), notices: [{ key: 'report.due_note' }] }),
      sheet('assignments', { ...assignments, rows: inWords(assignments.rows, ASSIGNMENT_WORDS) }),
    ],
    audit: {
      action: 'export',
      approved_by: null,
      reason: null,
      subject: `report ${period.label} → ${o.target} (masked)`,
      detail: o.command,
    },
  };
}

// ---------------------------------------------------------------------------------------
// KPI and classes: the rows and the totals row as the `kpi` table labels them

function forPeople(rep: Report): { columns: Column[]; rows: Row[]; notices: Notice[] } {
  return { columns: rep.columns, rows: rowsForPeople(rep, true), notices: rep.notices };
}

// ---------------------------------------------------------------------------------------
// The sales trend: `kpi --trend N --period P`, a line per rep

/**
 * How many periods the trend sheet shows, by the report's kind: a year of months, two years
 * of quarters, five years. Sales by rep: what a manager reads the month against (issue 18).
 */
export const REPORT_TREND: Record<'month' | 'quarter' | 'year', number> = { month: 12, quarter: 8, year: 5 };

function salesTrend(db: DB, period: Period, asOf: string): { columns: Column[]; rows: Row[]; notices: Notice[]; chart: ReportSheet['chart'] } {
  const n = period.kind === 'range' ? REPORT_TREND.month : REPORT_TREND[period.kind];
  const rep = kpiTrend(db, { last: period, n, measure: 'sales_amount', by: 'staff', asOf });
  return {
    columns: rep.columns,
    rows: rowsForPeople(rep, true),
    notices: rep.notices,
    chart: {
      title: { key: 'report.trend_chart', params: rep.notices[0].params },
      categories: rep.periods.map((p) => p.label),
      // a rep by name; the row of sales credited to no one by its label
      name: ['staff_name', 'staff_id'],
      totalsRow: true,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Allowances: per staff and month, then every priced line

/**
 * The sheet of every priced line: `allowance --format csv`'s columns (ALLOWANCE_LINE_COLUMNS)
 * less the trip's totals, which repeated on each line would be summed over by whoever adds
 * a column up in Excel (the totals are on the summary sheet). Headers: the `allowance`
 * table's where it has one.
 */
const LINE_HEADERS: Column[] = [
  { key: 'trip_no', header: columnHeader('col.export.allowances.trip_no') },
  { key: 'staff_id', header: columnHeader('allowance.col.staff_id') },
  { key: 'staff_name', header: columnHeader('allowance.col.staff_name') },
  { key: 'start_date', header: columnHeader('col.report.start_date') },
  { key: 'end_date', header: columnHeader('col.report.end_date') },
  { key: 'scope', header: columnHeader('col.report.scope') },
  { key: 'client', header: columnHeader('col.report.client') },
  { key: 'line_no', header: columnHeader('allowance.col.line_no') },
  { key: 'line_kind', header: columnHeader('allowance.col.kind') },
  { key: 'line_date', header: columnHeader('allowance.col.date') },
  { key: 'line_days', header: columnHeader('allowance.col.days') },
  { key: 'line_claimed', header: columnHeader('allowance.col.claimed') },
  { key: 'line_reimbursable', header: columnHeader('allowance.col.reimbursable') },
  { key: 'line_rule_text', header: columnHeader('allowance.col.rule') },
  { key: 'line_flags', header: columnHeader('allowance.col.flags') },
  { key: 'flags', header: columnHeader('col.report.trip_flags') },
  { key: 'policy_effective_from', header: columnHeader('col.report.policy_effective_from') },
];
export const ALLOWANCE_LINES_SHEET: Column[] = pick(ALLOWANCE_LINE_COLUMNS, LINE_HEADERS);

// ---------------------------------------------------------------------------------------
// Follow-ups: `followups due`, one rep after the other

/** `followups due`'s columns, who holds the task first: the sheet reads per rep. */
export const DUE_SHEET: Column[] = pick(DUE_COLUMNS, [
  ...['staff_id', 'staff_name'].map((key) => ({ key })),
  ...DUE_COLUMNS.filter((c) => c.key !== 'staff_id' && c.key !== 'staff_name'),
]);

/**
 * The rows of `followups due` as of as-of, per staff member in order of id, each one's
 * overdue first (the list's own order), then the tasks nobody holds: the list read a staff
 * member at a time, through the index of open tasks by holder.
 */
function* duePerRep(db: DB, asOf: string): Generator<Row> {
  for (const { staff_id } of readRoster(db)) yield* dueList(db, { asOf, staff: staff_id, limit: 0 }).rows;
  yield* dueList(db, { asOf, unassigned: true, limit: 0 }).rows;
}

// ---------------------------------------------------------------------------------------
// Codes in words, as the tables of `allowance`, `followups due` and `assign` show them

/** Per column, the words of its codes (a list column: of each item). */
export type Words = Record<string, (code: string) => string>;

const wordsOf = (prefix: 'allowance.kind' | 'allowance.scope' | 'followups.role' | 'followups.plan') => (code: string) => t(`${prefix}.${code}` as MessageKey);

export const LINE_WORDS: Words = { line_kind: wordsOf('allowance.kind'), scope: wordsOf('allowance.scope'), line_flags: flagText, flags: flagText };
export const DUE_WORDS: Words = { role: wordsOf('followups.role'), plan: wordsOf('followups.plan') };
/** §3.1 rules: their Chinese words, the codes in English (as `assign`'s summary names them) */
export const ASSIGNMENT_WORDS: Words = { rule: (code) => codeText('rule', code, getLang()) };

/** The rows with the codes of those columns in words, as they are read. */
export function* inWords(rows: Iterable<Row>, words: Words): Generator<Row> {
  const keys = Object.keys(words);
  for (const r of rows) {
    const out: Row = { ...r };
    for (const k of keys) {
      const v = out[k];
      if (typeof v === 'string') out[k] = words[k](v);
      else if (Array.isArray(v)) out[k] = v.map((code) => words[k](String(code)));
    }
    yield out;
  }
}

/** The columns of a listing, in the order of `wanted`, each with the listing's kind and mask (and header, else the one wanted gives). */
function pick(columns: readonly Column[], wanted: readonly Column[]): Column[] {
  return wanted.map((w) => {
    const c = columns.find((x) => x.key === w.key);
    if (!c) throw new Error(`no column ${w.key}`);
    return { ...c, header: c.header ?? w.header };
  });
}
