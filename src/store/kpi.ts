/**
 * Aggregates for the KPIs (SPEC §3.5). Every KPI query is a GROUP BY over a date range read
 * through a covering index on that date (migration 2; EXPLAIN QUERY PLAN is checked by
 * test/unit/kpi.test.ts), so a month over millions of rows reads only the month; nothing
 * here loads a big table into memory. Travel cost is priced by the trips module
 * (store/trips.ts) and passed in.
 */
import type { DB } from './db.js';
import type { Counts, DateRange, Member, ClassCounts, ClassThresholds } from '../domain/kpi.js';
import { ZERO_COUNTS } from '../domain/kpi.js';
import { addDays } from '../domain/values.js';

/**
 * A month's files look up their owners across the customer index: keep its pages once read
 * (64 MiB of page cache for this connection) rather than read them again per file.
 */
export function cacheForReport(db: DB): void {
  db.pragma('cache_size = -65536');
}

// ---------------------------------------------------------------------------------------
// Roster

export function readRoster(db: DB): Member[] {
  return db.prepare('SELECT staff_id, name, role, team, hired_on, regular_on, left_on FROM staff ORDER BY staff_id').all() as Member[];
}

// ---------------------------------------------------------------------------------------
// KPI aggregates

/**
 * The SQL of the KPI counts (exported so a test can check that each reads an index on its
 * date). Parameters: @from, @to (the range), @asOf. Orders and tasks are read per staff
 * member through (staff_id, date, …) indexes in staff_id order, so the GROUP BY needs no
 * sort; what is credited to no one is read by the same index with staff_id IS NULL.
 */
export const KPI_SQL = {
  /** new customers by collector: one seek per roster entry into customers_collector(collector_id, collected_on) */
  newCustomers: `SELECT s.staff_id AS k,
      (SELECT count(*) FROM customers c WHERE c.collector_id = s.staff_id AND c.collected_on BETWEEN @from AND @to) AS new_customers
    FROM staff s`,
  /** files opened in the range by the customer's owner; a buyer bought on or before as-of */
  files: `SELECT c.owner_id AS k, count(*) AS files_opened,
      sum(f.buyer = 1 AND coalesce(f.bought_on, f.opened_on) <= @asOf) AS buyers
    FROM files f INDEXED BY files_kpi CROSS JOIN customers c INDEXED BY customers_kpi ON c.customer_id = f.customer_id
    WHERE f.opened_on BETWEEN @from AND @to
    GROUP BY c.owner_id`,
  /** orders and sales by credited staff */
  orders: `SELECT s.staff_id AS k, count(*) AS orders, sum(o.amount_fen) AS sales_fen
    FROM staff s CROSS JOIN orders o INDEXED BY orders_kpi ON o.staff_id = s.staff_id
    WHERE o.order_date BETWEEN @from AND @to
    GROUP BY s.staff_id`,
  ordersNoStaff: `SELECT NULL AS k, count(*) AS orders, sum(amount_fen) AS sales_fen
    FROM orders INDEXED BY orders_kpi
    WHERE staff_id IS NULL AND order_date BETWEEN @from AND @to`,
  /**
   * follow-up tasks due in the range by the task's staff, cancelled ones left out: how many,
   * how many done on time, how many done by as-of (the rest are still open on as-of)
   */
  tasks: `SELECT s.staff_id AS k, count(*) AS n, sum(t.status = 'done' AND t.done_on <= t.due_by) AS on_time,
      sum(t.status = 'done' AND t.done_on <= @asOf) AS done
    FROM staff s CROSS JOIN tasks t INDEXED BY tasks_kpi ON t.staff_id = s.staff_id
    WHERE t.due_by BETWEEN @from AND @to AND t.status <> 'cancelled'
    GROUP BY s.staff_id`,
  tasksNoStaff: `SELECT NULL AS k, count(*) AS n, sum(status = 'done' AND done_on <= due_by) AS on_time,
      sum(status = 'done' AND done_on <= @asOf) AS done
    FROM tasks INDEXED BY tasks_kpi
    WHERE staff_id IS NULL AND due_by BETWEEN @from AND @to AND status <> 'cancelled'`,
} as const;

type Keyed = { k: string | null } & Record<string, number | string | null>;

/**
 * Everything §3.5 counts per staff member over the counted range, with the sales of the
 * comparison range (growth) and the travel cost (priced by the trips module, passed in:
 * reimbursable fen per traveller). Key null: credited to no one.
 *
 * Follow-ups (see domain/kpi.ts): a task due before as-of is due; done on time when done by
 * its due_by; overdue when not done by as-of. A task due on as-of itself counts only once
 * done (then on time). The range never ends after as-of.
 */
export function kpiCounts(
  db: DB,
  range: DateRange,
  comparison: DateRange | null,
  asOf: string,
  travel: ReadonlyMap<string, number> = new Map(),
): Map<string | null, Counts> {
  const out = new Map<string | null, Counts>();
  const add = (k: string | null, part: Partial<Counts>) => {
    const c = out.get(k) ?? { ...ZERO_COUNTS };
    for (const [key, v] of Object.entries(part) as [keyof Counts, number][]) c[key] += v ?? 0;
    out.set(k, c);
  };
  const all = (sql: string, params: Record<string, string>) => db.prepare(sql).all(params) as Keyed[];
  const dates = { from: range.from, to: range.to };
  for (const r of all(KPI_SQL.newCustomers, dates)) if (r.new_customers) add(r.k, { new_customers: r.new_customers as number });
  for (const r of all(KPI_SQL.files, { ...dates, asOf })) add(r.k, { files_opened: r.files_opened as number, buyers: (r.buyers as number) ?? 0 });
  for (const sql of [KPI_SQL.orders, KPI_SQL.ordersNoStaff]) {
    for (const r of all(sql, dates)) if (r.orders) add(r.k, { orders: r.orders as number, sales_fen: r.sales_fen as number });
    if (comparison) for (const r of all(sql, { from: comparison.from, to: comparison.to })) if (r.sales_fen) add(r.k, { prev_sales_fen: r.sales_fen as number });
  }
  // tasks due before as-of, then (when the range reaches it) the ones due on as-of
  const lastPast = range.to < asOf ? range.to : addDays(asOf, -1);
  for (const sql of [KPI_SQL.tasks, KPI_SQL.tasksNoStaff]) {
    if (range.from <= lastPast) {
      for (const r of all(sql, { from: range.from, to: lastPast, asOf })) {
        const n = r.n as number;
        if (n) add(r.k, { followups_due: n, followups_on_time: r.on_time as number, overdue_open: n - (r.done as number) });
      }
    }
    if (range.to >= asOf) {
      for (const r of all(sql, { from: asOf, to: asOf, asOf })) if (r.done) add(r.k, { followups_due: r.done as number, followups_on_time: r.on_time as number });
    }
  }
  for (const [k, fen] of travel) if (fen) add(k, { travel_cost_fen: fen });
  // a staff member with only zeros (a sales credit with an empty comparison, say) is dropped
  for (const [k, c] of out) if (Object.values(c).every((v) => v === 0)) out.delete(k);
  return out;
}

/** Does any trip start in the range? (Pricing needs the policy module; a month without trips skips it.) */
export function hasTrips(db: DB, range: DateRange): boolean {
  return db.prepare('SELECT 1 FROM trips INDEXED BY trips_start WHERE start_date BETWEEN ? AND ? LIMIT 1').get(range.from, range.to) !== undefined;
}

/** SQL of the customer classes (exported for the index test). @from/@to: the purchases window; @a/@b: class minimums in fen. */
export const CLASS_SQL = {
  /** every customer by owner (archived ones are subtracted with `archived`) */
  customers: 'SELECT owner_id AS k, count(*) AS n FROM customers INDEXED BY customers_owner GROUP BY owner_id',
  archived: 'SELECT owner_id AS k, count(*) AS n FROM customers INDEXED BY customers_archived WHERE archived_on IS NOT NULL GROUP BY owner_id',
  /** A and B by owner: purchases per customer in the window, in customer order from a covering index */
  classes: `SELECT c.owner_id AS k, sum(p.total >= @a) AS class_a, sum(p.total < @a) AS class_b
    FROM (SELECT customer_id, sum(amount_fen) AS total FROM orders INDEXED BY orders_customer_kpi
          WHERE order_date BETWEEN @from AND @to GROUP BY customer_id HAVING sum(amount_fen) >= @b) p
    CROSS JOIN customers c INDEXED BY customers_kpi ON c.customer_id = p.customer_id
    GROUP BY c.owner_id`,
  archivedClasses: `SELECT t.owner_id AS k, sum(t.total >= @a) AS class_a, sum(t.total < @a) AS class_b
    FROM (SELECT c.owner_id,
            (SELECT sum(o.amount_fen) FROM orders o INDEXED BY orders_customer_kpi
             WHERE o.customer_id = c.customer_id AND o.order_date BETWEEN @from AND @to) AS total
          FROM customers c INDEXED BY customers_archived WHERE c.archived_on IS NOT NULL) t
    WHERE t.total >= @b
    GROUP BY t.owner_id`,
} as const;

/** Customers by class per owner (key null: no owner), over the purchases window; archived customers are left out. */
export function classCounts(db: DB, window: DateRange, t: ClassThresholds): Map<string | null, ClassCounts> {
  const out = new Map<string | null, ClassCounts>();
  const get = (k: string | null) => {
    let c = out.get(k);
    if (!c) out.set(k, (c = { customers: 0, class_a: 0, class_b: 0 }));
    return c;
  };
  const p = { from: window.from, to: window.to, a: t.a_min_fen, b: t.b_min_fen };
  type R = { k: string | null; n: number; class_a: number; class_b: number };
  for (const r of db.prepare(CLASS_SQL.customers).all() as R[]) get(r.k).customers += r.n;
  for (const r of db.prepare(CLASS_SQL.archived).all() as R[]) get(r.k).customers -= r.n;
  for (const r of db.prepare(CLASS_SQL.classes).all(p) as R[]) {
    get(r.k).class_a += r.class_a;
    get(r.k).class_b += r.class_b;
  }
  for (const r of db.prepare(CLASS_SQL.archivedClasses).all(p) as R[]) {
    get(r.k).class_a -= r.class_a;
    get(r.k).class_b -= r.class_b;
  }
  for (const [k, c] of out) if (c.customers === 0) out.delete(k);
  return out;
}
