// The SQL that `salesops followups due` and `salesops kpi` run, taken from the built store
// modules (dist/) with the parameters inlined, for the bare-sqlite3 side of scripts/bench.mjs:
// what sqlite3 alone takes for the same reads.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const literal = (v) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
/** `sql` with its @name parameters replaced by SQL literals */
export const inline = (sql, params) =>
  sql.replace(/@(\w+)/g, (m, k) => {
    if (!(k in params)) throw new Error(`no value for ${m} in ${sql.slice(0, 60)}…`);
    return literal(params[k]);
  });

const load = (root, mod) => import(pathToFileURL(path.join(root, 'dist', mod)).href);

/**
 * `followups due [--staff S] [--limit N]` with the default table form: the one SELECT of
 * store/followups.ts dueQuery, with the cutoff (as-of + the policy's due_within_days) and the
 * LIMIT (N + 1: one more row tells whether the list was cut) that the command passes.
 */
export async function dueSql(root, { asOf, staff, limit = 1000 }) {
  const { dueQuery } = await load(root, 'store/followups.js');
  const { dueCutoff } = await load(root, 'domain/followUpPlan.js');
  const { DEFAULT_POLICY } = await load(root, 'domain/policy.js');
  const cutoff = dueCutoff(asOf, DEFAULT_POLICY.followup.due_within_days);
  const q = dueQuery({ asOf, cutoff, staff, limit: limit ? limit + 1 : undefined });
  const sql = inline(q.sql, q.params);
  return { statements: [sql], sql: sql + ';', cutoff };
}

/**
 * `kpi --period P` (both --by forms read the same): the roster, the KPI_SQL aggregates of
 * store/kpi.ts over the counted range and the comparison range as kpiCounts runs them, and
 * the reads of the trip pricing (the period's trips, every trip with a client for the
 * two-trips rule, their expense lines in one join instead of one query per trip).
 */
export async function kpiSql(root, { asOf, period }) {
  const { KPI_SQL } = await load(root, 'store/kpi.js');
  const kpi = await load(root, 'domain/kpi.js');
  const { addDays } = await load(root, 'domain/values.js');
  const r = kpi.parsePeriod({ period }, asOf);
  if (!r.ok) throw new Error(`bad period ${period}`);
  const range = kpi.countedRange(r.period, asOf);
  const prev = kpi.comparisonRange(r.period, asOf);
  if (!range) throw new Error(`period ${period} starts after ${asOf}`);
  const out = [
    'SELECT version_id, effective_from, document, source, loaded_at FROM policy_versions ORDER BY effective_from',
    'SELECT staff_id, name, role, team, hired_on, regular_on, left_on FROM staff ORDER BY staff_id',
  ];
  const dates = { from: range.from, to: range.to, asOf };
  out.push(inline(KPI_SQL.newCustomers, dates), inline(KPI_SQL.files, dates));
  for (const s of [KPI_SQL.orders, KPI_SQL.ordersNoStaff]) out.push(inline(s, dates), inline(s, { from: prev.from, to: prev.to }));
  const lastPast = range.to < asOf ? range.to : addDays(asOf, -1);
  for (const s of [KPI_SQL.tasks, KPI_SQL.tasksNoStaff]) {
    if (range.from <= lastPast) out.push(inline(s, { from: range.from, to: lastPast, asOf }));
    if (range.to >= asOf) out.push(inline(s, { from: asOf, to: asOf, asOf }));
  }
  const trips = `start_date >= ${literal(range.from)} AND start_date <= ${literal(range.to)}`;
  out.push(
    'SELECT staff_id, name, role FROM staff',
    `SELECT * FROM trips WHERE ${trips} ORDER BY start_date, trip_no`,
    'SELECT * FROM trips WHERE client IS NOT NULL ORDER BY start_date, trip_no',
    `SELECT x.* FROM expenses x JOIN trips t USING (trip_no) WHERE t.${trips} ORDER BY x.trip_no, x.line_no`,
  );
  return { statements: out, sql: out.map((s) => s + ';').join('\n'), range, comparison: prev };
}
