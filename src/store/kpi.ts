/**
 * Aggregates for the KPIs (SPEC §3.5). Every KPI query is a GROUP BY over a date range read
 * through a covering index on that date (migration 2; EXPLAIN QUERY PLAN is checked by
 * test/unit/kpi.test.ts), so a month over millions of rows reads only the month; nothing
 * here loads a big table into memory. Travel cost is priced by the trips module
 * (store/trips.ts) and passed in.
 */
import type { DB } from './db.js';
import type { Counts, Credit, DateRange, Member, ClassCounts, ClassThresholds } from '../domain/kpi.js';
import { addDays } from '../domain/values.js';
import { HOLDER_ON_DUE, ownerOn } from './history.js';
import { isPostgres, sqlFor } from './engine.js';

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
 * date). Parameters: @from, @to (the range), @state (the day whose end the state of a file or
 * task is taken at: the range's last day), @asOf. Each count is credited to whoever had the
 * customer or the task on the day of what is counted (issue 18), per (staff, day): the team of
 * that day is the caller's (domain/kpi.ts sharesByTeam). Orders and tasks are read per staff
 * member through (staff_id, date, …) indexes in staff_id order, so the GROUP BY needs no sort.
 */
export const KPI_SQL = {
  /** new customers by collector: one seek per roster entry into customers_collector(collector_id, collected_on) */
  newCustomers: `SELECT s.staff_id AS k,
      (SELECT count(*) FROM customers c WHERE c.collector_id = s.staff_id AND c.collected_on BETWEEN @from AND @to) AS new_customers
    FROM staff s`,
  /** files opened in the range, by the customer's owner on the day it opened */
  files: `SELECT ${ownerOn('f.opened_on', 'sqlite')} AS k, count(*) AS files_opened
    FROM files f INDEXED BY files_kpi CROSS JOIN customers c INDEXED BY customers_owner_on ON c.customer_id = f.customer_id
    WHERE f.opened_on BETWEEN @from AND @to
    GROUP BY k`,
  /**
   * of the files opened in the range (@rfrom…@rto), the buyers who bought in @from…@to (a
   * purchase is never before the file opens), by the owner on the day of the purchase
   */
  buyers: `SELECT ${ownerOn('coalesce(f.bought_on, f.opened_on)', 'sqlite')} AS k, count(*) AS buyers
    FROM files f INDEXED BY files_kpi CROSS JOIN customers c INDEXED BY customers_owner_on ON c.customer_id = f.customer_id
    WHERE f.opened_on BETWEEN @rfrom AND @rto AND f.buyer = 1 AND coalesce(f.bought_on, f.opened_on) BETWEEN @from AND @to
    GROUP BY k`,
  /** orders and sales by credited staff (orders.staff_id: the sheet's, else the owner on the order's day) */
  orders: `SELECT s.staff_id AS k, count(*) AS orders, sum(o.amount_fen) AS sales_fen
    FROM staff s CROSS JOIN orders o INDEXED BY orders_kpi ON o.staff_id = s.staff_id
    WHERE o.order_date BETWEEN @from AND @to
    GROUP BY s.staff_id`,
  ordersNoStaff: `SELECT NULL AS k, count(*) AS orders, sum(amount_fen) AS sales_fen
    FROM orders INDEXED BY orders_kpi
    WHERE staff_id IS NULL AND order_date BETWEEN @from AND @to`,
  /**
   * follow-up tasks due in the range by the task's holder now, cancelled ones left out: how
   * many, how many done on time, how many done by the end of the range (@state; the rest were
   * still open then). Tasks that moved after their deadline and tasks cancelled after the range
   * are corrected by `movedLate` and `cancelledLater`.
   */
  tasks: `SELECT s.staff_id AS k, count(*) AS n, sum(t.status = 'done' AND t.done_on <= t.due_by) AS on_time,
      sum(t.status = 'done' AND t.done_on <= @state) AS done
    FROM staff s CROSS JOIN tasks t INDEXED BY tasks_kpi ON t.staff_id = s.staff_id
    WHERE t.due_by BETWEEN @from AND @to AND t.status <> 'cancelled'
    GROUP BY s.staff_id`,
  tasksNoStaff: `SELECT NULL AS k, count(*) AS n, sum(status = 'done' AND done_on <= due_by) AS on_time,
      sum(status = 'done' AND done_on <= @state) AS done
    FROM tasks INDEXED BY tasks_kpi
    WHERE staff_id IS NULL AND due_by BETWEEN @from AND @to AND status <> 'cancelled'`,
  /** tasks due in the range that moved after their deadline (a handover of an overdue task): the holder then, and now */
  movedLate: `SELECT t.staff_id AS now_k, ${HOLDER_ON_DUE} AS k, t.due_by AS d, t.status, t.done_on
    FROM tasks t INDEXED BY tasks_moved_late
    WHERE t.moved_on > t.due_by AND t.due_by BETWEEN @from AND @to AND t.status <> 'cancelled'`,
  /** tasks due in the range and cancelled after it (a later purchase): open at its end, so counted */
  cancelledLater: `SELECT ${HOLDER_ON_DUE} AS k, t.due_by AS d
    FROM tasks t INDEXED BY tasks_cancelled
    WHERE t.status = 'cancelled' AND t.due_by BETWEEN @from AND @to AND t.cancelled_on > @state`,
} as const;

/**
 * The PostgreSQL twins of KPI_SQL (issue 19), statement for statement: no index hints (the
 * server's planner chooses; CROSS JOIN, SQLite's way to fix the join order, takes no ON
 * there: a plain JOIN), and a count of the rows matching a condition is `count(*) FILTER`
 * where SQLite sums the boolean (PostgreSQL has no sum(boolean)). Over no rows it gives 0
 * where SQLite's sum gives NULL: both are no count to credit (kpiCredits).
 */
export const KPI_SQL_PG: Record<keyof typeof KPI_SQL, string> = {
  newCustomers: KPI_SQL.newCustomers,
  files: `SELECT ${ownerOn('f.opened_on', 'postgres')} AS k, count(*) AS files_opened
    FROM files f JOIN customers c ON c.customer_id = f.customer_id
    WHERE f.opened_on BETWEEN @from AND @to
    GROUP BY k`,
  buyers: `SELECT ${ownerOn('coalesce(f.bought_on, f.opened_on)', 'postgres')} AS k, count(*) AS buyers
    FROM files f JOIN customers c ON c.customer_id = f.customer_id
    WHERE f.opened_on BETWEEN @rfrom AND @rto AND f.buyer = 1 AND coalesce(f.bought_on, f.opened_on) BETWEEN @from AND @to
    GROUP BY k`,
  orders: `SELECT s.staff_id AS k, count(*) AS orders, sum(o.amount_fen) AS sales_fen
    FROM staff s JOIN orders o ON o.staff_id = s.staff_id
    WHERE o.order_date BETWEEN @from AND @to
    GROUP BY s.staff_id`,
  ordersNoStaff: `SELECT NULL AS k, count(*) AS orders, sum(amount_fen) AS sales_fen
    FROM orders
    WHERE staff_id IS NULL AND order_date BETWEEN @from AND @to`,
  tasks: `SELECT s.staff_id AS k, count(*) AS n, count(*) FILTER (WHERE t.status = 'done' AND t.done_on <= t.due_by) AS on_time,
      count(*) FILTER (WHERE t.status = 'done' AND t.done_on <= @state) AS done
    FROM staff s JOIN tasks t ON t.staff_id = s.staff_id
    WHERE t.due_by BETWEEN @from AND @to AND t.status <> 'cancelled'
    GROUP BY s.staff_id`,
  tasksNoStaff: `SELECT NULL AS k, count(*) AS n, count(*) FILTER (WHERE status = 'done' AND done_on <= due_by) AS on_time,
      count(*) FILTER (WHERE status = 'done' AND done_on <= @state) AS done
    FROM tasks
    WHERE staff_id IS NULL AND due_by BETWEEN @from AND @to AND status <> 'cancelled'`,
  movedLate: `SELECT t.staff_id AS now_k, ${HOLDER_ON_DUE} AS k, t.due_by AS d, t.status, t.done_on
    FROM tasks t
    WHERE t.moved_on > t.due_by AND t.due_by BETWEEN @from AND @to AND t.status <> 'cancelled'`,
  cancelledLater: `SELECT ${HOLDER_ON_DUE} AS k, t.due_by AS d
    FROM tasks t
    WHERE t.status = 'cancelled' AND t.due_by BETWEEN @from AND @to AND t.cancelled_on > @state`,
};

type Keyed = { k: string | null } & Record<string, number | string | null>;

/**
 * Everything §3.5 counts over the counted range, credited per (staff member, day), with the
 * sales of the comparison range (growth) and the travel cost (priced by the trips module,
 * passed in: reimbursable fen per traveller and start day). Key null: credited to no one.
 *
 * The state of a file or task is the one at the end of the range (issue 18: a closed period
 * does not change with what happens after it). Follow-ups (see domain/kpi.ts): a task due
 * before as-of is due; done on time when done by its due_by; still open when not done by
 * the end of the range. A task due on as-of itself counts only once done (then on time).
 */
export function kpiCredits(db: DB, range: DateRange, comparison: DateRange | null, asOf: string, travel: Iterable<Credit> = []): Credit[] {
  const out: Credit[] = [];
  const SQL = isPostgres(db) ? KPI_SQL_PG : KPI_SQL;
  type Row = Keyed & Record<string, number>;
  const all = (sql: string, params: Record<string, string>) => db.prepare(sql).all(params) as Row[];
  const state = range.to;
  // Counted per staff member over stretches of days in which no one changed team (nearly
  // always the whole range): every credit of a stretch has the team of its first day
  const credit = (sql: string, at: DateRange, extra: Record<string, string>, part: (r: Row) => Partial<Counts> | null) => {
    for (const seg of stretches(db, at)) {
      for (const r of all(sql, { from: seg.from, to: seg.to, ...extra })) {
        const c = part(r);
        if (c) out.push({ k: r.k, d: seg.from, c });
      }
    }
  };
  credit(SQL.newCustomers, range, {}, (r) => (r.new_customers ? { new_customers: r.new_customers } : null));
  credit(SQL.files, range, {}, (r) => ({ files_opened: r.files_opened }));
  credit(SQL.buyers, range, { rfrom: range.from, rto: range.to }, (r) => ({ buyers: r.buyers }));
  for (const sql of [SQL.orders, SQL.ordersNoStaff]) {
    credit(sql, range, {}, (r) => (r.orders ? { orders: r.orders, sales_fen: r.sales_fen } : null));
    if (comparison) credit(sql, comparison, {}, (r) => (r.sales_fen ? { prev_sales_fen: r.sales_fen } : null));
  }
  // tasks due before as-of, then (when the range reaches it) the ones due on as-of
  const lastPast = range.to < asOf ? range.to : addDays(asOf, -1);
  for (const sql of [SQL.tasks, SQL.tasksNoStaff]) {
    if (range.from <= lastPast) {
      credit(sql, { from: range.from, to: lastPast }, { state }, (r) =>
        r.n ? { followups_due: r.n, followups_on_time: r.on_time, overdue_open: r.n - r.done } : null,
      );
    }
    if (range.to >= asOf) credit(sql, { from: asOf, to: asOf }, { state }, (r) => (r.done ? { followups_due: r.done, followups_on_time: r.on_time } : null));
  }
  const taskCredit = (dueBy: string, done: string | null): Partial<Counts> | null => {
    const doneThen = done !== null && done <= state;
    if (!doneThen && dueBy >= asOf) return null; // due on as-of and not done: not yet due
    return { followups_due: 1, followups_on_time: doneThen && done <= dueBy ? 1 : 0, overdue_open: doneThen ? 0 : 1 };
  };
  const negate = (c: Partial<Counts>): Partial<Counts> => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, -(v as number)]));
  const dates = { from: range.from, to: range.to };
  for (const r of db.prepare(SQL.movedLate).all(dates) as { now_k: string | null; k: string | null; d: string; status: string; done_on: string | null }[]) {
    const c = taskCredit(r.d, r.status === 'done' ? r.done_on : null);
    if (!c || r.now_k === r.k) continue;
    out.push({ k: r.now_k, d: r.d, c: negate(c) }, { k: r.k, d: r.d, c });
  }
  for (const r of db.prepare(SQL.cancelledLater).all({ ...dates, state }) as { k: string | null; d: string }[]) {
    const c = taskCredit(r.d, null);
    if (c) out.push({ k: r.k, d: r.d, c });
  }
  for (const t of travel) out.push(t);
  return out;
}

/** The range cut at each day someone's team or role changed (staff_history), in order. */
function stretches(db: DB, r: DateRange): DateRange[] {
  const days = db.prepare('SELECT DISTINCT until_on FROM staff_history WHERE until_on > ? AND until_on <= ? ORDER BY until_on').pluck().all(r.from, r.to) as string[];
  const out: DateRange[] = [];
  let from = r.from;
  for (const d of days) {
    out.push({ from, to: addDays(d, -1) });
    from = d;
  }
  out.push({ from, to: r.to });
  return out;
}

/** Does any trip start in the range? (Pricing needs the policy module; a month without trips skips it.) */
export function hasTrips(db: DB, range: DateRange): boolean {
  const sql = sqlFor(db, {
    sqlite: 'SELECT 1 FROM trips INDEXED BY trips_start WHERE start_date BETWEEN ? AND ? LIMIT 1',
    postgres: 'SELECT 1 FROM trips WHERE start_date BETWEEN ? AND ? LIMIT 1',
  });
  return db.prepare(sql).get(range.from, range.to) !== undefined;
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
    CROSS JOIN customers c INDEXED BY customers_owner_on ON c.customer_id = p.customer_id
    GROUP BY c.owner_id`,
  archivedClasses: `SELECT t.owner_id AS k, sum(t.total >= @a) AS class_a, sum(t.total < @a) AS class_b
    FROM (SELECT c.owner_id,
            (SELECT sum(o.amount_fen) FROM orders o INDEXED BY orders_customer_kpi
             WHERE o.customer_id = c.customer_id AND o.order_date BETWEEN @from AND @to) AS total
          FROM customers c INDEXED BY customers_archived WHERE c.archived_on IS NOT NULL) t
    WHERE t.total >= @b
    GROUP BY t.owner_id`,
} as const;

/** The PostgreSQL twins of CLASS_SQL (issue 19), as KPI_SQL_PG differs from KPI_SQL. */
export const CLASS_SQL_PG: Record<keyof typeof CLASS_SQL, string> = {
  customers: 'SELECT owner_id AS k, count(*) AS n FROM customers GROUP BY owner_id',
  archived: 'SELECT owner_id AS k, count(*) AS n FROM customers WHERE archived_on IS NOT NULL GROUP BY owner_id',
  classes: `SELECT c.owner_id AS k, count(*) FILTER (WHERE p.total >= @a) AS class_a, count(*) FILTER (WHERE p.total < @a) AS class_b
    FROM (SELECT customer_id, sum(amount_fen) AS total FROM orders
          WHERE order_date BETWEEN @from AND @to GROUP BY customer_id HAVING sum(amount_fen) >= @b) p
    JOIN customers c ON c.customer_id = p.customer_id
    GROUP BY c.owner_id`,
  archivedClasses: `SELECT t.owner_id AS k, count(*) FILTER (WHERE t.total >= @a) AS class_a, count(*) FILTER (WHERE t.total < @a) AS class_b
    FROM (SELECT c.owner_id,
            (SELECT sum(o.amount_fen) FROM orders o
             WHERE o.customer_id = c.customer_id AND o.order_date BETWEEN @from AND @to) AS total
          FROM customers c WHERE c.archived_on IS NOT NULL) t
    WHERE t.total >= @b
    GROUP BY t.owner_id`,
};

/** Customers by class per owner (key null: no owner), over the purchases window; archived customers are left out. */
export function classCounts(db: DB, window: DateRange, t: ClassThresholds): Map<string | null, ClassCounts> {
  const out = new Map<string | null, ClassCounts>();
  const SQL = isPostgres(db) ? CLASS_SQL_PG : CLASS_SQL;
  const get = (k: string | null) => {
    let c = out.get(k);
    if (!c) out.set(k, (c = { customers: 0, class_a: 0, class_b: 0 }));
    return c;
  };
  const p = { from: window.from, to: window.to, a: t.a_min_fen, b: t.b_min_fen };
  type R = { k: string | null; n: number; class_a: number; class_b: number };
  for (const r of db.prepare(SQL.customers).all() as R[]) get(r.k).customers += r.n;
  for (const r of db.prepare(SQL.archived).all() as R[]) get(r.k).customers -= r.n;
  for (const r of db.prepare(SQL.classes).all(p) as R[]) {
    get(r.k).class_a += r.class_a;
    get(r.k).class_b += r.class_b;
  }
  for (const r of db.prepare(SQL.archivedClasses).all(p) as R[]) {
    get(r.k).class_a -= r.class_a;
    get(r.k).class_b -= r.class_b;
  }
  for (const [k, c] of out) if (c.customers === 0) out.delete(k);
  return out;
}
