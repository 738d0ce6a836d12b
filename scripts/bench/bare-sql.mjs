// The SQL that `salesops followups due` and `salesops kpi` run, taken from the built modules
// (dist/) with the parameters inlined, for the bare-sqlite3 side of scripts/bench.mjs: what
// sqlite3 alone takes for the same reads.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const literal = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' || typeof v === 'bigint' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
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
  // a SQLite database (engine.ts: any db that is not PostgreSQL's) names the SQLite texts
  const q = dueQuery({}, { asOf, cutoff, staff, limit: limit ? limit + 1 : undefined });
  const sql = inline(q.sql, q.params);
  return { statements: [sql], sql: sql + ';', cutoff };
}

/**
 * Every read `run(db)` makes, in order, as SQL with its parameters inlined: the function runs
 * on `file` (opened read-only) through a stand-in of the connection that notes each statement
 * it runs (all/get/iterate/run) and each pragma, and hands the real results back, so the list
 * is exactly what the code of the command reads, however many statements that is.
 */
export function recordReads(root, file, run) {
  const Database = createRequire(path.join(root, 'package.json'))('better-sqlite3');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const out = [];
  const note = (sql, args) => {
    const named = args.length === 1 && args[0] !== null && typeof args[0] === 'object' && !Array.isArray(args[0]);
    let k = 0;
    out.push(named ? inline(sql, args[0]) : sql.replace(/\?/g, () => literal(args.flat()[k++])));
  };
  const wrap = (stmt, sql) => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        const v = target[prop];
        if (typeof v !== 'function') return v;
        if (['all', 'get', 'iterate', 'run'].includes(prop)) {
          return (...args) => {
            note(sql, args);
            return v.apply(target, args);
          };
        }
        // pluck, raw, expand, safeIntegers, bind give the statement back: keep noting through it
        return (...args) => {
          const r = v.apply(target, args);
          return r === target ? proxy : r;
        };
      },
    });
    return proxy;
  };
  const conn = new Proxy(db, {
    get(target, prop) {
      const v = target[prop];
      if (prop === 'prepare') return (sql) => wrap(v.call(target, sql), sql);
      if (prop === 'pragma') {
        return (text, opts) => {
          out.push(`PRAGMA ${text}`);
          return v.call(target, text, opts);
        };
      }
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  try {
    run(conn);
  } finally {
    db.close();
  }
  return out;
}

/**
 * `kpi --period P [--by B]` on `file`: the reads of app/kpi.ts kpiReport (the roster, the
 * history, KPI_SQL of store/kpi.ts over each stretch of the counted and comparison ranges,
 * the trip pricing), recorded by recordReads.
 */
export async function kpiSql(root, file, { asOf, period, by = 'staff' }) {
  const { kpiReport } = await load(root, 'app/kpi.js');
  const kpi = await load(root, 'domain/kpi.js');
  const r = kpi.parsePeriod({ period }, asOf);
  if (!r.ok) throw new Error(`bad period ${period}`);
  const range = kpi.countedRange(r.period, asOf);
  const prev = kpi.comparisonRange(r.period, asOf);
  if (!range) throw new Error(`period ${period} starts after ${asOf}`);
  const out = recordReads(root, file, (db) => kpiReport(db, { period: r.period, by, asOf }));
  return { statements: out, sql: out.map((s) => s + ';').join('\n'), range, comparison: prev };
}
