/**
 * SPEC §3.1 assignment and §3.4 handover: all the SQL that feeds the pure rule engine
 * (src/domain/assignment.ts) and writes its decisions. The use cases (src/app/assign/run.ts,
 * src/app/assign/pin.ts, src/app/handover.ts) run the reads, the engine and the writes in ONE
 * transaction.
 *
 * Decisions taken here (see docs/decisions.md):
 * - Candidates are the reps of the roster WITHOUT a recorded `left_on`, whatever its date:
 *   a recorded leaver was handed over when the date was set, and a leaver cannot remain
 *   the owner of anything (§3.4), so they never receive customers again — not even from a
 *   run `--as-of` a day before their last day. The engine then applies hired_on ≤ date.
 * - Load = customers owned and not archived.
 * - On-time rate (rule 4): the rep's rep tasks (tasks.staff_id) due in
 *   [asOf − on_time_window_days, asOf], cancelled ones left out; on time = done on or
 *   before due_by. null when there are none (ranks below any rate).
 * - Conversion rate (rule 4): buyers / files opened (files table, opened on or before asOf)
 *   of the customers the rep owns now. null when there are none.
 * - Open rep tasks follow the owner through `moveOpenRepTasks` of src/store/followups.ts
 *   (the one place that moves them), called only for customers that have open rep tasks.
 *
 * Scale: 1,000,000 unassigned customers are read with one iterate() (raw rows, repeated
 * strings interned) into compact objects; decisions are written as one prepared INSERT of
 * the history row per decision, then one set-based UPDATE of the owners (ownerChanges).
 */
import { copyRows } from './copy.js';
import dayjs from 'dayjs';
import { liftForBulkWrite, type DB } from './db.js';
import type { CustomerToAssign, Rep } from '../domain/assignment.js';
import type { StaffMember } from '../domain/staff.js';
import type { Policy } from '../domain/policy.js';
import { addDays } from '../domain/values.js';
import { repTaskMover } from './followups.js';
import { HOLDER_ON_DUE, type MoveReason } from './history.js';
import { policyOn } from './policy.js';
import { isPostgres, sqlFor } from './engine.js';

export type AssignPolicy = Policy['assign'];

/** §6: the assignment part of the policy version in force on `date` (DEFAULT_POLICY before the first). */
export function assignPolicyOn(db: DB, date: string): AssignPolicy {
  return policyOn(db, date).assign;
}

/**
 * Runs `fn` in one deferred (read) transaction: a dry run sees one snapshot of the customers
 * and the roster while an import may be writing, and takes no write lock. On PostgreSQL a
 * transaction's statements each see what was committed before them (READ COMMITTED) unless it
 * is REPEATABLE READ: that is SQLite's one snapshot (issue 19).
 */
export function inSnapshot<T>(db: DB, fn: () => T): T {
  const begins = !db.inTransaction;
  return db
    .transaction(() => {
      if (begins && isPostgres(db)) db.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return fn();
    })
    .deferred();
}

/** A roster row as the engine sees it (load and rates zero/null: for validatePin). */
export function repOf(s: StaffMember): Rep {
  return {
    staff_id: s.staff_id,
    role: s.role,
    hired_on: s.hired_on,
    left_on: s.left_on,
    district: s.district,
    areas: s.areas,
    capacity: s.capacity,
    load: 0,
    on_time_rate: null,
    conversion_rate: null,
  };
}

interface RepRow {
  staff_id: string;
  role: Rep['role'];
  hired_on: string;
  left_on: string | null;
  district: string | null;
  areas: string | null;
  capacity: number | null;
}

/**
 * The candidate reps (role rep, no recorded left_on) with their load, 90-day on-time rate
 * and conversion rate, in staff_id order. Hire dates are left to the engine.
 */
export function readReps(db: DB, asOf: string, policy: AssignPolicy): Rep[] {
  const rows = db
    .prepare(
      `SELECT staff_id, role, hired_on, left_on, district, areas, capacity FROM staff
        WHERE role = 'rep' AND left_on IS NULL ORDER BY staff_id`,
    )
    .all() as RepRow[];
  // Each read answers from one narrow index (a million customers, five million tasks): load =
  // owned minus owned-and-archived, as the KPI classes count it (store/kpi.ts CLASS_SQL)
  const load = new Map<string, number>();
  for (const r of db
    .prepare(
      sqlFor(db, {
        sqlite: 'SELECT owner_id AS id, count(*) AS n FROM customers INDEXED BY customers_owner WHERE owner_id IS NOT NULL GROUP BY owner_id',
        postgres: 'SELECT owner_id AS id, count(*) AS n FROM customers WHERE owner_id IS NOT NULL GROUP BY owner_id',
      }),
    )
    .iterate() as IterableIterator<{ id: string; n: number }>) {
    load.set(r.id, r.n);
  }
  for (const r of db
    .prepare(
      sqlFor(db, {
        sqlite: 'SELECT owner_id AS id, count(*) AS n FROM customers INDEXED BY customers_archived WHERE archived_on IS NOT NULL AND owner_id IS NOT NULL GROUP BY owner_id',
        postgres: 'SELECT owner_id AS id, count(*) AS n FROM customers WHERE archived_on IS NOT NULL AND owner_id IS NOT NULL GROUP BY owner_id',
      }),
    )
    .iterate() as IterableIterator<{ id: string; n: number }>) {
    load.set(r.id, (load.get(r.id) ?? 0) - r.n);
  }
  // the tasks a candidate rep holds are rep tasks (doctor tasks go to doctors), so the covering
  // index (staff_id, due_by, status, done_on) answers without visiting the tasks table
  const window = { from: addDays(asOf, -policy.on_time_window_days), to: asOf };
  const tally = new Map<string | null, { n: number; ok: number }>();
  const add = (id: string | null, n: number, ok: number) => {
    const x = tally.get(id) ?? { n: 0, ok: 0 };
    tally.set(id, { n: x.n + n, ok: x.ok + ok });
  };
  for (const r of db
    .prepare(
      sqlFor(db, {
        sqlite: `SELECT s.staff_id AS id, count(*) AS n, sum(t.status = 'done' AND t.done_on <= t.due_by) AS ok
         FROM staff s CROSS JOIN tasks t INDEXED BY tasks_kpi ON t.staff_id = s.staff_id AND t.due_by >= @from AND t.due_by <= @to
        WHERE s.role = 'rep' AND s.left_on IS NULL AND t.status <> 'cancelled'
        GROUP BY s.staff_id`,
        // issue 19: no index hint nor CROSS JOIN … ON on the server; no sum(boolean) there
        postgres: `SELECT s.staff_id AS id, count(*) AS n, count(*) FILTER (WHERE t.status = 'done' AND t.done_on <= t.due_by) AS ok
         FROM staff s JOIN tasks t ON t.staff_id = s.staff_id AND t.due_by >= @from AND t.due_by <= @to
        WHERE s.role = 'rep' AND s.left_on IS NULL AND t.status <> 'cancelled'
        GROUP BY s.staff_id`,
      }),
    )
    .iterate(window) as IterableIterator<{ id: string; n: number; ok: number }>) {
    add(r.id, r.n, r.ok);
  }
  // issue 18: only the tasks the rep held on their deadline — an overdue task a handover gave
  // them counts for the rep who let it lapse (the few tasks moved after their deadline)
  for (const r of db
    .prepare(
      sqlFor(db, {
        sqlite: `SELECT t.staff_id AS now_id, ${HOLDER_ON_DUE} AS id,
              t.status = 'done' AND t.done_on <= t.due_by AS ok
         FROM tasks t INDEXED BY tasks_moved_late
        WHERE t.moved_on > t.due_by AND t.due_by >= @from AND t.due_by <= @to AND t.status <> 'cancelled'`,
        // issue 19: no index hint; a boolean column is 1/0 as SQLite's (store/pg/pgDb.ts)
        postgres: `SELECT t.staff_id AS now_id, ${HOLDER_ON_DUE} AS id,
              t.status = 'done' AND t.done_on <= t.due_by AS ok
         FROM tasks t
        WHERE t.moved_on > t.due_by AND t.due_by >= @from AND t.due_by <= @to AND t.status <> 'cancelled'`,
      }),
    )
    .all(window) as { now_id: string | null; id: string | null; ok: number }[]) {
    if (r.now_id === r.id) continue;
    add(r.now_id, -1, -r.ok);
    add(r.id, 1, r.ok);
  }
  const onTime = new Map<string, number>();
  for (const [id, x] of tally) if (id !== null && x.n > 0) onTime.set(id, x.ok / x.n);
  const conversion = new Map<string, number>();
  for (const r of db
    .prepare(
      sqlFor(db, {
        sqlite: `SELECT c.owner_id AS id, count(*) AS n, sum(f.buyer = 1 AND ifnull(f.bought_on, f.opened_on) <= @asOf) AS buyers
         FROM files f INDEXED BY files_kpi CROSS JOIN customers c INDEXED BY customers_owner_on ON c.customer_id = f.customer_id
        WHERE c.owner_id IS NOT NULL AND f.opened_on <= @asOf GROUP BY c.owner_id`,
        postgres: `SELECT c.owner_id AS id, count(*) AS n, count(*) FILTER (WHERE f.buyer = 1 AND coalesce(f.bought_on, f.opened_on) <= @asOf) AS buyers
         FROM files f JOIN customers c ON c.customer_id = f.customer_id
        WHERE c.owner_id IS NOT NULL AND f.opened_on <= @asOf GROUP BY c.owner_id`,
      }),
    )
    .iterate({ asOf }) as IterableIterator<{ id: string; n: number; buyers: number }>) {
    if (r.n > 0) conversion.set(r.id, r.buyers / r.n);
  }
  return rows.map((r) => ({
    staff_id: r.staff_id,
    role: r.role,
    hired_on: r.hired_on,
    left_on: r.left_on,
    district: r.district,
    areas: r.areas ? r.areas.split(';') : [],
    capacity: r.capacity,
    load: load.get(r.staff_id) ?? 0,
    on_time_rate: onTime.get(r.staff_id) ?? null,
    conversion_rate: conversion.get(r.staff_id) ?? null,
  }));
}

/** Dedupes repeated strings (dates, districts, collectors) so a million rows share them. */
function interner(): (s: string | null) => string | null {
  const seen = new Map<string, string>();
  return (s) => {
    if (s === null) return null;
    const had = seen.get(s);
    if (had !== undefined) return had;
    seen.set(s, s);
    return s;
  };
}

/**
 * §3.1 input: customers without an owner, not pinned, not archived, in customer_id order.
 * (The engine puts them in collected_on, then import order itself. Read through the
 * customers_owner index in rowid order, the table pages come in file order: ordering by
 * collected_on here made the read of 1,000,000 rows twice as slow.)
 */
export function readUnassigned(db: DB): CustomerToAssign[] {
  const intern = interner();
  const out: CustomerToAssign[] = [];
  const stmt = db
    .prepare(
      `SELECT customer_id, collector_id, district, collected_on FROM customers
        WHERE owner_id IS NULL AND pinned = 0 AND archived_on IS NULL ORDER BY customer_id`,
    )
    .raw(true);
  for (const r of stmt.iterate() as IterableIterator<[number, string, string | null, string]>) {
    out.push({ customer_id: r[0], collector_id: intern(r[1])!, district: intern(r[2]), collected_on: intern(r[3])! });
  }
  return out;
}

/** A customer a leaver owns, with what the handover must undo. */
export interface OwnedCustomer extends CustomerToAssign {
  pinned: boolean;
  pin_reason: string | null;
}

/** §3.4 input: every customer the staff member owns (archived and pinned ones included: a leaver owns nothing). */
export function readOwnedBy(db: DB, staffId: string): OwnedCustomer[] {
  const rows = db
    .prepare(
      `SELECT customer_id, collector_id, district, collected_on, pinned, pin_reason FROM customers
        WHERE owner_id = ? ORDER BY collected_on, customer_id`,
    )
    .all(staffId) as (CustomerToAssign & { pinned: number; pin_reason: string | null })[];
  return rows.map((r) => ({ ...r, pinned: r.pinned === 1 }));
}

/** Customers among the unassigned that have open rep tasks (held by nobody until now). */
export function unassignedWithOpenRepTasks(db: DB): Set<number> {
  const ids = new Set<number>();
  const stmt = db
    .prepare(
      `SELECT DISTINCT t.customer_id FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
        WHERE t.status = 'open' AND t.role = 'rep' AND c.owner_id IS NULL`,
    )
    .pluck(true);
  for (const id of stmt.iterate() as IterableIterator<number>) ids.add(id);
  return ids;
}

/** Customers (not owned by the leaver) whose open rep tasks the leaver still holds: they go to the owner. */
export function strayOpenRepTasks(db: DB, staffId: string): { customer_id: number; owner_id: string | null }[] {
  return db
    .prepare(
      sqlFor(db, {
        sqlite: `SELECT DISTINCT t.customer_id, c.owner_id FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
        WHERE t.staff_id = ? AND t.status = 'open' AND t.role = 'rep' AND c.owner_id IS NOT ?`,
        // issue 19: SQLite's IS NOT (a null-safe <>) is IS DISTINCT FROM there
        postgres: `SELECT DISTINCT t.customer_id, c.owner_id FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
        WHERE t.staff_id = ? AND t.status = 'open' AND t.role = 'rep' AND c.owner_id IS DISTINCT FROM ?`,
      }),
    )
    .all(staffId, staffId) as { customer_id: number; owner_id: string | null }[];
}

/** Whether the staff member holds open doctor tasks (a leaving doctor's tasks need a new doctor). */
export function hasOpenDoctorTasks(db: DB, staffId: string): boolean {
  return db.prepare("SELECT 1 FROM tasks WHERE staff_id = ? AND status = 'open' AND role = 'doctor' LIMIT 1").get(staffId) !== undefined;
}

/** The leaver's open doctor tasks per customer: how many each move of a leaving doctor's handover carries (the plan, issue 15). */
export function openDoctorTasksByCustomer(db: DB, staffId: string): Map<number, number> {
  const rows = db
    .prepare("SELECT customer_id, count(*) AS n FROM tasks WHERE staff_id = ? AND status = 'open' AND role = 'doctor' GROUP BY customer_id")
    .all(staffId) as { customer_id: number; n: number }[];
  return new Map(rows.map((r) => [r.customer_id, r.n]));
}

export type HistoryRule = 'collector' | 'nearness' | 'new_staff' | 'workload' | 'pin' | 'handover';

export interface OwnerChange {
  customer_id: number;
  staff_id: string;
  previous_staff_id: string | null;
  rule: HistoryRule;
  explanation: string;
}

/** The local time as SQLite's strftime('%Y-%m-%dT%H:%M:%S','now','localtime') writes it. */
function localStamp(d = new Date()): string {
  return dayjs(d).format('YYYY-MM-DDTHH:mm:ss');
}

/** Indexes that an UPDATE of customers.owner_id maintains row by row. */
const OWNER_INDEXES = ['customers_owner'];
/** From this many changes, and at least 1/BULK_SHARE of the customers, those indexes are rebuilt once instead. */
const BULK_MIN = 50_000;
const BULK_SHARE = 20;
/**
 * Foreign keys off for an assignment run's write, before its transaction (saves ~2.5 s of
 * 1,000,000 checks): every id it writes was read in the same immediate transaction
 * (customers, active reps), so none can dangle. The connection ends with the command.
 */
export function skipForeignKeyChecks(db: DB): void {
  db.pragma('foreign_keys = OFF');
}

/** Page cache of a bulk run (as PRAGMA cache_size takes it: -KiB). */
const BULK_CACHE = -64 * 1024;
/** History rows per INSERT statement in big runs. */
const ROWS = 50;

/**
 * Owner changes of one run, inside the caller's transaction: `add` writes the history row
 * (assignments), `finish` sets customers.owner_id/assigned_on of every added customer in one
 * set-based UPDATE. Add customers in customer_id order for page locality (a million rows in
 * collected_on order take three times as long).
 *
 * created_at is bound once per run instead of the column default: strftime('now',
 * 'localtime') costs a stat of /etc/localtime per row (40% of the insert time at 1,000,000).
 *
 * A bulk run (≥ BULK_MIN changes and ≥ 1/BULK_SHARE of all customers) drops the two owner
 * indexes before and recreates them from their own stored SQL (sqlite_master) in `finish`:
 * maintaining them row by row took ~18 s of a 1,000,000-customer run, rebuilding them ~1 s.
 * It all happens in the caller's transaction, so an error or a kill rolls the drop back too,
 * and other connections only ever see the indexes present.
 */
export function ownerChanges(db: DB, assignedOn: string, expected = 0) {
  const createdAt = localStamp();
  const cols = 'INSERT INTO assignments (customer_id, staff_id, previous_staff_id, rule, explanation, assigned_on, created_at) VALUES ';
  const one = db.prepare(cols + '(?, ?, ?, ?, ?, ?, ?)');
  // big runs: ROWS rows per statement (a million single-row runs cost 40% more, in call overhead)
  const many = expected >= ROWS ? db.prepare(cols + Array(ROWS).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')) : null;
  const pending: unknown[] = [];
  const first =
    (db
      .prepare(sqlFor(db, { sqlite: 'SELECT ifnull(max(assignment_id), 0) FROM assignments', postgres: 'SELECT coalesce(max(assignment_id), 0) FROM assignments' }))
      .pluck(true)
      .get() as number) + 1;
  let restore = (): void => {};
  if (expected >= BULK_MIN) {
    const total = db.prepare('SELECT count(*) FROM customers').pluck(true).get() as number;
    if (expected * BULK_SHARE >= total) {
      restore = liftForBulkWrite(db, OWNER_INDEXES);
      // a bulk run rewrites most pages of customers and assignments in one transaction: with
      // SQLite's 2 MB default cache they spill to the WAL again and again (1,000,000
      // customers: 15–18 s instead of 17–22 s, for +56 MB); the process ends with the command
      db.pragma(`cache_size = ${BULK_CACHE}`);
    }
  }
  let n = 0;
  // issue 19: on a server a statement costs ~200 µs: the history rows go in by one COPY at the end
  const copied: unknown[][] | null = isPostgres(db) ? [] : null;
  return {
    /** the history row of one change (rows are written in the order added) */
    add(c: OwnerChange): void {
      n++;
      if (copied) {
        copied.push([c.customer_id, c.staff_id, c.previous_staff_id, c.rule, c.explanation, assignedOn, createdAt]);
        return;
      }
      if (!many) {
        one.run(c.customer_id, c.staff_id, c.previous_staff_id, c.rule, c.explanation, assignedOn, createdAt);
        return;
      }
      pending.push(c.customer_id, c.staff_id, c.previous_staff_id, c.rule, c.explanation, assignedOn, createdAt);
      if (pending.length === ROWS * 7) {
        many.run(pending);
        pending.length = 0;
      }
    },
    /** sets the owners of every customer added; returns how many customers changed */
    finish(): number {
      for (let i = 0; i < pending.length; i += 7) one.run(pending.slice(i, i + 7));
      pending.length = 0;
      if (copied?.length) copyRows(db, 'assignments', ['customer_id', 'staff_id', 'previous_staff_id', 'rule', 'explanation', 'assigned_on', 'created_at'], copied.splice(0));
      const changed = n
        ? db
            .prepare(
              `UPDATE customers SET owner_id = a.staff_id, assigned_on = a.assigned_on
                 FROM assignments a WHERE a.assignment_id >= ? AND customers.customer_id = a.customer_id`,
            )
            .run(first).changes
        : 0;
      restore();
      return changed;
    },
  };
}

/** Moves the open rep tasks of these customers to their owner on `on` (one place: followups.repTaskMover). */
export function moveTasksToOwners(db: DB, owners: Iterable<[number, string | null]>, on: string, reason: MoveReason): number {
  let moved = 0;
  const move = repTaskMover(db, on, reason);
  for (const [customerId, owner] of owners) moved += move(customerId, owner);
  return moved;
}

/** The columns of a customer `assign set` and `assign unpin` change, as the change log names them. */
export const PIN_FIELDS = ['owner_id', 'assigned_on', 'pinned', 'pin_reason'] as const;

export type PinState = Record<(typeof PIN_FIELDS)[number], string | number | null>;

/** A customer's owner and pin as stored (before and after a command, for the change log). */
export function pinState(db: DB, customerId: number): PinState | undefined {
  return db.prepare(`SELECT ${PIN_FIELDS.join(', ')} FROM customers WHERE customer_id = ?`).get(customerId) as PinState | undefined;
}

/** §3.1 rule 5: the pin flag and reason (the owner is written by ownerChanges). */
export function setPin(db: DB, customerId: number, reason: string | null): void {
  db.prepare('UPDATE customers SET pinned = ?, pin_reason = ? WHERE customer_id = ?').run(reason === null ? 0 : 1, reason, customerId);
}

/** §3.4: one line of the kept handover list. */
export function handoverWriter(db: DB) {
  const insert = db.prepare(
    'INSERT INTO handovers (leaver_id, customer_id, new_staff_id, rule, left_on, tasks_moved) VALUES (?, ?, ?, ?, ?, ?)',
  );
  return (leaverId: string, customerId: number, newStaffId: string, rule: string, leftOn: string, tasksMoved: number): void => {
    insert.run(leaverId, customerId, newStaffId, rule, leftOn, tasksMoved);
  };
}

/** Customer names by id, for the table form of the output. */
export function customerNames(db: DB): (customerId: number) => string {
  const stmt = db.prepare('SELECT name FROM customers WHERE customer_id = ?').pluck(true);
  return (id) => (stmt.get(id) as string | undefined) ?? '';
}
