/**
 * The KPI report of a period (SPEC §3.5) and the customer classes, per rep or team: store
 * aggregates → pure measures (domain/kpi.ts) → rows with the §4 field names, a totals row,
 * the columns of the data formats and of the table, and the heading to read beside them.
 * Used by `salesops kpi` and `salesops export kpi`.
 */
import { columnHeader } from '../messages/columns.js';
import { t } from '../messages/index.js';
import type { DB } from '../store/db.js';
import type { Column, Row } from '../io/output/column.js';
import type { Listing, Notice } from './listing.js';
import {
  addClassCounts,
  classRow,
  classWindow,
  comparisonRange,
  countedRange,
  countsByStaff,
  sharesByTeam,
  staffRows,
  staffTotal,
  teamRows,
  teamTotal,
  type ClassCounts,
  type Credit,
  type DateRange,
  type KpiInput,
  type Period,
} from '../domain/kpi.js';
import { yuanToFen } from '../domain/policy.js';
import { cacheForReport, classCounts, hasTrips, kpiCredits, readRoster } from '../store/kpi.js';
import { staffPeriods } from '../store/history.js';
import { policyOn } from '../store/policy.js';
import { priceTrips } from '../store/trips.js';

export type By = 'staff' | 'team';

export interface ReportOptions {
  period: Period;
  by: By;
  asOf: string;
}

export interface Report extends Listing {
  /** the §4 fields, in every format (by staff: the name beside the id, issue 15) */
  columns: Column[];
  rows: Row[];
  /** the totals row, keyed TOTAL in its key column */
  total: Row;
  /** the key column of the rows (staff_id or team) */
  key: 'staff_id' | 'team';
  /** the heading: which days were counted, against which */
  notices: Notice[];
}

// ---------------------------------------------------------------------------------------
// Columns (§4 field names; headers for the table)

/** §4 `kpi --by staff` fields after the key. */
const MEASURE_COLUMNS: Column[] = [
  { key: 'new_customers', header: columnHeader('col.kpi.new_customers'), kind: 'int' },
  { key: 'files_opened', header: columnHeader('col.kpi.files_opened'), kind: 'int' },
  { key: 'buyers', header: columnHeader('col.kpi.buyers'), kind: 'int' },
  { key: 'conversion_rate', header: columnHeader('col.kpi.conversion_rate'), kind: 'rate' },
  { key: 'orders', header: columnHeader('col.kpi.orders'), kind: 'int' },
  { key: 'sales_amount', header: columnHeader('col.kpi.sales_amount'), kind: 'money' },
  { key: 'sales_growth', header: columnHeader('col.kpi.sales_growth'), kind: 'rate' },
  { key: 'followups_due', header: columnHeader('col.kpi.followups_due'), kind: 'int' },
  { key: 'followups_on_time', header: columnHeader('col.kpi.followups_on_time'), kind: 'int' },
  { key: 'on_time_rate', header: columnHeader('col.kpi.on_time_rate'), kind: 'rate' },
  { key: 'overdue_open', header: columnHeader('col.kpi.overdue_open'), kind: 'int' },
  { key: 'travel_cost', header: columnHeader('col.kpi.travel_cost'), kind: 'money' },
  { key: 'cost_per_order', header: columnHeader('col.kpi.cost_per_order'), kind: 'money' },
];

/** What `--by team` adds. */
const TEAM_MEASURE_COLUMNS: Column[] = [
  { key: 'avg_headcount', header: columnHeader('col.kpi.avg_headcount'), kind: 'number', decimals: 1 },
  { key: 'active_reps', header: columnHeader('col.kpi.active_reps'), kind: 'int' },
  { key: 'activity_rate', header: columnHeader('col.kpi.activity_rate'), kind: 'rate' },
  { key: 'per_capita_productivity', header: columnHeader('col.kpi.per_capita_productivity'), kind: 'money' },
  { key: 'regularisation_rate', header: columnHeader('col.kpi.regularisation_rate'), kind: 'rate' },
  { key: 'attrition_rate', header: columnHeader('col.kpi.attrition_rate'), kind: 'rate' },
];

const STAFF_ID: Column = { key: 'staff_id', header: columnHeader('col.kpi.staff_id') };
/** issue 15: who the id is, in every format (a script's report reads names too); after §4's staff_id */
const STAFF_NAME: Column = { key: 'staff_name', header: columnHeader('col.kpi.staff_name') };
const TEAM: Column = { key: 'team', header: columnHeader('col.kpi.team') };

export const KPI_STAFF_COLUMNS: Column[] = [STAFF_ID, STAFF_NAME, TEAM, ...MEASURE_COLUMNS];
export const KPI_TEAM_COLUMNS: Column[] = [TEAM, ...MEASURE_COLUMNS, ...TEAM_MEASURE_COLUMNS];
const CLASS_MEASURES: Column[] = [
  { key: 'customers', header: columnHeader('col.kpi.customers'), kind: 'int' },
  { key: 'class_a', header: columnHeader('col.kpi.class_a'), kind: 'int' },
  { key: 'class_b', header: columnHeader('col.kpi.class_b'), kind: 'int' },
  { key: 'class_c', header: columnHeader('col.kpi.class_c'), kind: 'int' },
  { key: 'class_a_rate', header: columnHeader('col.kpi.class_a_rate'), kind: 'rate' },
];
export const CLASS_STAFF_COLUMNS: Column[] = [STAFF_ID, STAFF_NAME, TEAM, ...CLASS_MEASURES];
export const CLASS_TEAM_COLUMNS: Column[] = [TEAM, ...CLASS_MEASURES];

/** The key a totals row carries in csv/tsv/json/jsonl (`staff_id` or `team`). */
export const TOTAL_KEY = 'TOTAL';

/** A row of the domain's with its `name` under the listing's key, `staff_name`. */
function withStaffName({ name, ...row }: { name?: string | null }): Row {
  return { ...row, staff_name: name ?? null };
}

// ---------------------------------------------------------------------------------------
// The reports

/** §3.5 KPIs of a period: the days counted (never after as-of), growth against the period before. */
export function kpiReport(db: DB, { period, by, asOf }: ReportOptions): Report {
  cacheForReport(db);
  const range = countedRange(period, asOf);
  const comparison = comparisonRange(period, asOf);
  // a period still running is counted to as-of, and the heading says so
  const notices: Notice[] = range
    ? [
        {
          key: range.to !== period.to ? 'kpi.heading.cut' : 'kpi.heading',
          params: { label: period.label, from: period.from, to: period.to, asOf, pfrom: comparison!.from, pto: comparison!.to },
        },
      ]
    : [{ key: 'kpi.not_started', params: { label: period.label, asOf } }];
  const roster = readRoster(db);
  // issue 18: each count to whoever had the customer or the task that day, and to their team of that day
  const credits = range ? kpiCredits(db, range, comparison, asOf, travelCost(db, range, asOf)) : [];
  const periods = staffPeriods(db);
  const counts = countsByStaff(credits);
  const input: KpiInput = { roster, counts, range, periods, shares: by === 'team' ? sharesByTeam(credits, periods) : undefined };
  if (by === 'team') {
    return {
      columns: KPI_TEAM_COLUMNS,
      rows: teamRows(input) as unknown as Row[],
      total: { ...teamTotal(input), team: TOTAL_KEY },
      key: 'team',
      notices,
    };
  }
  return {
    columns: KPI_STAFF_COLUMNS,
    rows: staffRows(input).map(withStaffName),
    total: { staff_id: TOTAL_KEY, staff_name: null, team: null, ...staffTotal(input) },
    key: 'staff_id',
    notices,
  };
}

/** §3.5 travel cost: the reimbursable amount (§3.3, priced by the trips module) of the trips starting in the range, per traveller and start day. */
function travelCost(db: DB, range: DateRange, asOf: string): Credit[] {
  if (!hasTrips(db, range)) return [];
  return priceTrips(db, { from: range.from, to: range.to }, asOf)
    .filter(({ priced: p }) => p.reimbursable_fen !== 0)
    .map(({ trip, priced: p }) => ({ k: p.staff_id, d: trip.start_date, c: { travel_cost_fen: p.reimbursable_fen } }));
}

/** Customer classes per owner or team: 12 months of purchases up to the end of the counted range. */
export function classReport(db: DB, { period, by, asOf }: ReportOptions): Report {
  cacheForReport(db);
  const on = period.to < asOf ? period.to : asOf;
  const pol = policyOn(db, on).kpi;
  const window = classWindow(on, pol.class_window_months);
  const notices: Notice[] = [
    { key: 'kpi.classes.heading', params: { on, from: window.from, to: window.to, a: pol.class_a_min.toLocaleString('en-US'), b: pol.class_b_min.toLocaleString('en-US') } },
  ];
  const counts = classCounts(db, window, { a_min_fen: yuanToFen(pol.class_a_min), b_min_fen: yuanToFen(pol.class_b_min) });
  const roster = new Map(readRoster(db).map((m) => [m.staff_id, m]));
  const zero: ClassCounts = { customers: 0, class_a: 0, class_b: 0 };
  let total = zero;
  for (const c of counts.values()) total = addClassCounts(total, c);
  if (by === 'team') {
    const teams = new Map<string | null, ClassCounts>();
    for (const [k, c] of counts) {
      const team = k === null ? null : roster.get(k)?.team ?? null;
      teams.set(team, addClassCounts(teams.get(team) ?? zero, c));
    }
    const rows = [...teams].sort(([a], [b]) => nullsLast(a, b)).map(([team, c]) => classRow({ team }, c));
    return { columns: CLASS_TEAM_COLUMNS, rows: rows as unknown as Row[], total: classRow({ team: TOTAL_KEY }, total) as unknown as Row, key: 'team', notices };
  }
  const rows = [...counts]
    .map(([k, c]) => classRow({ staff_id: k, name: k === null ? null : roster.get(k)?.name ?? null, team: k === null ? null : roster.get(k)?.team ?? null }, c))
    .sort((a, b) => nullsLast(a.team, b.team) || nullsLast(a.staff_id ?? null, b.staff_id ?? null));
  return {
    columns: CLASS_STAFF_COLUMNS,
    rows: rows.map(withStaffName),
    total: withStaffName(classRow({ staff_id: TOTAL_KEY, team: null }, total)),
    key: 'staff_id',
    notices,
  };
}

/** Ascending, with no team (or no owner) last. */
function nullsLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * A report's rows as people read them (a table, the report workbook): who and what no one is
 * credited to said in the run's language, and the totals row labelled (the data formats
 * keep null and TOTAL, §4).
 */
export function rowsForPeople(rep: Report, totals: boolean): Row[] {
  const label = (r: Row): Row => {
    if (r[rep.key] !== null) return r;
    if (rep.key === 'team') return { ...r, team: t('kpi.no_team') };
    return { ...r, staff_id: t(r.customers !== undefined ? 'kpi.no_owner' : 'kpi.no_one') };
  };
  const rows = rep.rows.map(label);
  if (totals) rows.push({ ...rep.total, [rep.key]: t('kpi.total') });
  return rows;
}
