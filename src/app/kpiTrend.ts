/**
 * `kpi --trend N` (issue 18): one measure of the KPI report over the last N periods, per rep
 * or team. Each period's figure is the one `kpi --period P` prints for that period — taken
 * from kpiReport, never computed a second way — so a closed period reads the same in the
 * trend as in the KPI table.
 *
 * The listing is flat, for csv and json alike: the key columns of `kpi --by` (staff_id,
 * staff_name, team; or team), then one column per period keyed by its label (`2023-08` …
 * `2024-07`, `2024-Q2`, `2024`), oldest first, holding the measure as `kpi` writes it (money
 * in yuan, a rate to 4 decimals), null where the period's `kpi` has no such row. A table adds
 * the sparkline (`trend`) after the figures; the report workbook a line chart instead.
 */
import { columnHeader } from '../messages/columns.js';
import { getLang } from '../messages/index.js';
import { headerText, RIGHT, type Column, type Row } from '../io/output/column.js';
import type { DB } from '../store/db.js';
import type { Period } from '../domain/kpi.js';
import { sparkline, trendPeriods } from '../domain/trend.js';
import type { Notice } from './listing.js';
import { KPI_STAFF_COLUMNS, KPI_TEAM_COLUMNS, kpiReport, rowsForPeople, TOTAL_KEY, type By, type Report } from './kpi.js';

export interface TrendOptions {
  /** the last period of the trend (the month of as-of by default, or `--period`) */
  last: Period;
  /** how many periods, the last included */
  n: number;
  /** a numeric field of `kpi --by` (trendMeasures) */
  measure: string;
  by: By;
  asOf: string;
}

export interface TrendReport extends Report {
  /** oldest first; each one's label is its column's key */
  periods: Period[];
  /** the measure's column in `kpi` (its header names the trend, its kind each period's column) */
  measure: Column;
}

/** The measures a trend can follow: the number fields of `kpi --by staff` or `--by team`. */
export function trendMeasures(by: By): Column[] {
  return (by === 'team' ? KPI_TEAM_COLUMNS : KPI_STAFF_COLUMNS).filter((c) => c.kind !== undefined && RIGHT.has(c.kind));
}

/** The trend's sparkline column in a table, after the figures. */
export const TREND_COLUMN: Column = { key: 'trend', header: columnHeader('col.kpi.trend') };

export function kpiTrend(db: DB, o: TrendOptions): TrendReport {
  const measure = trendMeasures(o.by).find((c) => c.key === o.measure);
  if (!measure) throw new Error(`kpiTrend: ${o.measure} is not a measure of kpi --by ${o.by}`);
  const periods = trendPeriods(o.last, o.n);
  const reports = periods.map((period) => kpiReport(db, { period, by: o.by, asOf: o.asOf }));
  const last = reports[reports.length - 1];
  const key = last.key;
  const keyColumns = last.columns.slice(0, key === 'staff_id' ? 3 : 1);
  const rows = new Map<string | null, Row>();
  reports.forEach((rep, i) => {
    for (const r of rep.rows) {
      const id = r[key] as string | null;
      // who the row is: as the latest period that lists it says (a rep who changed team shows the team of then)
      const row = { ...(rows.get(id) ?? {}), ...Object.fromEntries(keyColumns.map((c) => [c.key, r[c.key]])) };
      row[periods[i].label] = r[measure.key];
      rows.set(id, row);
    }
  });
  const blank = Object.fromEntries(periods.map((p) => [p.label, null]));
  const ordered = [...rows.values()].map((r) => ({ ...blank, ...r })).sort((a, b) => nullsLast(a.team, b.team) || nullsLast(a[key], b[key]));
  const total: Row = Object.fromEntries(keyColumns.map((c) => [c.key, c.key === key ? TOTAL_KEY : null]));
  reports.forEach((rep, i) => (total[periods[i].label] = rep.total[measure.key]));
  const first = periods[0];
  const end = periods[periods.length - 1];
  const notices: Notice[] = [
    {
      key: end.to > o.asOf ? 'kpi.trend.heading.cut' : 'kpi.trend.heading',
      params: { name: oneLine(headerText(measure, getLang())), measure: measure.key, first: first.label, last: end.label, n: periods.length, asOf: o.asOf },
    },
  ];
  return {
    columns: [...keyColumns, ...periods.map((p): Column => ({ key: p.label, kind: measure.kind, decimals: measure.decimals }))],
    rows: ordered,
    total,
    key,
    notices,
    periods,
    measure,
  };
}

/** Ascending, no team (or no one) last; as `kpi` orders its rows. */
function nullsLast(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return String(a) < String(b) ? -1 : 1;
}

/** The rows as a table shows them: labelled as `kpi`'s table labels them (rowsForPeople), each with its sparkline. */
export function trendRowsForPeople(rep: TrendReport, totals: boolean): Row[] {
  return rowsForPeople(rep, totals).map((r) => ({ ...r, trend: sparkline(rep.periods.map((p) => figure(r[p.label]))) }));
}

/** A two-line header on one line: `逾期\n未访` → 逾期未访, `On-time\nrate` → On-time rate, `Over-\ndue` → Over-due. */
const oneLine = (header: string) => header.replace(/(-?)\n/g, (_, hyphen: string) => hyphen || (/\p{Script=Han}/u.test(header) ? '' : ' '));

const figure = (v: unknown): number | null => (typeof v === 'number' ? v : null);
