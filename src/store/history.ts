/**
 * What each task, owner and team was on a past day (issue 18): the SQL that writes and reads
 * the history of migration 7.
 *
 * - A task's holder: tasks.staff_id now; every change of holder is a row of task_moves (the
 *   day, from whom, to whom, why) and tasks.moved_on the day of the last one, so the holder on
 *   day D is the from_staff of the first move after D, else tasks.staff_id — and a task not
 *   moved after D (nearly all of them) needs no lookup at all.
 * - A customer's owner: customers.owner_id since customers.assigned_on, before that the
 *   assignment history (one row per change: assign, pin, handover).
 * - A staff member's team and role: the staff row since the last change, the earlier values
 *   in staff_history (each valid until the day before its until_on).
 */
import type { DB } from './db.js';
import { engineOf, sqlFor, type Engine } from './engine.js';
import type { MigrationNote } from './migrations.js';
import type { StaffPeriod } from '../domain/kpi.js';

export type MoveReason = 'assign' | 'pin' | 'handover' | 'replan';

/** A change of holder (rep tasks follow the owner, §3.2). */
export interface TaskMove {
  task_id: number;
  moved_on: string;
  from_staff_id: string | null;
  to_staff_id: string | null;
  reason: MoveReason;
}

/** The reason a task moves with its customer, from the rule of the assignment that moved it. */
function moveReason(rule: string): MoveReason {
  return rule === 'pin' ? 'pin' : rule === 'handover' ? 'handover' : 'assign';
}

/**
 * SQL: who held task t on `day` (an SQL expression): tasks.staff_id unless it moved after that
 * day, then the holder the first such move took it from. `firstOwner`: for who *answers* for
 * the task (KPIs, §3.1 rule 4's on-time rate), when that move was its customer's first
 * assignment or pin (from no one), the rep it went to (as ownerOn: a customer's first owner
 * answers for it from the start); a due list shows the holder as it was (no one).
 */
export function holderOn(day: string, o: { firstOwner: boolean }): string {
  const from = o.firstOwner ? "CASE WHEN m.from_staff_id IS NULL AND m.reason IN ('assign', 'pin') THEN m.to_staff_id ELSE m.from_staff_id END" : 'm.from_staff_id';
  return `CASE WHEN t.moved_on > ${day}
      THEN (SELECT ${from} FROM task_moves m WHERE m.task_id = t.task_id AND m.moved_on > ${day} ORDER BY m.moved_on, m.move_id LIMIT 1)
      ELSE t.staff_id END`;
}

/** Who answers for task t on its deadline day (KPIs, the on-time rate): see holderOn. */
export const HOLDER_ON_DUE = holderOn('t.due_by', { firstOwner: true });

/**
 * Moves the open tasks `which` selects (a WHERE clause over tasks with @customer, @to and
 * the caller's own parameters) to @to on @on, for @reason, keeping each move (task_moves,
 * tasks.moved_on) in the caller's transaction; returns how many moved. Rep tasks follow their
 * customer's owner, a leaving doctor's go to the covering doctor: one way to move tasks.
 */
export function openTaskMover(db: DB, which: string): (params: Record<string, string | number | null>) => number {
  const keep = db.prepare(`INSERT INTO task_moves (task_id, moved_on, from_staff_id, to_staff_id, reason) SELECT task_id, @on, staff_id, @to, @reason FROM tasks WHERE ${which}`);
  const move = db.prepare(
    sqlFor(db, {
      sqlite: `UPDATE tasks SET staff_id = @to, moved_on = max(ifnull(moved_on, @on), @on) WHERE task_id IN (SELECT task_id FROM tasks WHERE ${which})`,
      // issue 19: the scalar max() of SQLite is GREATEST there
      postgres: `UPDATE tasks SET staff_id = @to, moved_on = GREATEST(coalesce(moved_on, @on), @on) WHERE task_id IN (SELECT task_id FROM tasks WHERE ${which})`,
    }),
  );
  return (params) => {
    if (keep.run(params).changes === 0) return 0;
    const { reason: _reason, ...rest } = params;
    return move.run(rest).changes;
  };
}

/** Writes moves (and each task's moved_on), in the caller's transaction. */
export function taskMoveWriter(db: DB): (m: TaskMove) => void {
  const insert = db.prepare('INSERT INTO task_moves (task_id, moved_on, from_staff_id, to_staff_id, reason) VALUES (?, ?, ?, ?, ?)');
  const stamp = db.prepare('UPDATE tasks SET moved_on = ? WHERE task_id = ? AND (moved_on IS NULL OR moved_on < ?)');
  return (m) => {
    insert.run(m.task_id, m.moved_on, m.from_staff_id, m.to_staff_id, m.reason);
    stamp.run(m.moved_on, m.task_id, m.moved_on);
  };
}

/** Forgets the moves of a task a corrected plan no longer has (before the task is deleted). */
export function taskMoveEraser(db: DB): (taskId: number) => void {
  const del = db.prepare('DELETE FROM task_moves WHERE task_id = ?');
  return (taskId) => void del.run(taskId);
}

export interface OwnerChange {
  assigned_on: string;
  staff_id: string;
  previous_staff_id: string | null;
  rule: string;
}

/** A customer's owner changes, oldest first (assignments_owner_on). */
export function ownerChangesOf(db: DB): (customerId: number) => OwnerChange[] {
  const q = db.prepare('SELECT assigned_on, staff_id, previous_staff_id, rule FROM assignments WHERE customer_id = ? ORDER BY assigned_on, assignment_id');
  return (customerId) => q.all(customerId) as OwnerChange[];
}

/**
 * SQL: who answers for customer c on `day` (an SQL expression; null: no one): since
 * assigned_on the owner now, before that the owner of that day in the assignment history.
 * Before its first assignment, its first owner: a new customer is theirs from its collection
 * (rule 1 gives it to the collector, who had it from the survey; rules 2–4 on the first run
 * after it came), so what it bought before that run goes with it — not to no one because
 * `assign` ran a few days later.
 */
export function ownerOn(day: string, engine: Engine): string {
  if (engine === 'postgres') {
    // issue 19: the same, without the index hints (the server's planner chooses)
    return `CASE WHEN c.assigned_on IS NULL OR c.assigned_on <= ${day} THEN c.owner_id
      ELSE coalesce(
        (SELECT a.staff_id FROM assignments a
          WHERE a.customer_id = c.customer_id AND a.assigned_on <= ${day} ORDER BY a.assigned_on DESC, a.assignment_id DESC LIMIT 1),
        (SELECT a.staff_id FROM assignments a
          WHERE a.customer_id = c.customer_id ORDER BY a.assigned_on, a.assignment_id LIMIT 1)) END`;
  }
  return `CASE WHEN c.assigned_on IS NULL OR c.assigned_on <= ${day} THEN c.owner_id
      ELSE coalesce(
        (SELECT a.staff_id FROM assignments a INDEXED BY assignments_owner_on
          WHERE a.customer_id = c.customer_id AND a.assigned_on <= ${day} ORDER BY a.assigned_on DESC, a.assignment_id DESC LIMIT 1),
        (SELECT a.staff_id FROM assignments a INDEXED BY assignments_owner_on
          WHERE a.customer_id = c.customer_id ORDER BY a.assigned_on, a.assignment_id LIMIT 1)) END`;
}

/** The owner of one customer on a day (ownerOn): whom an order or an event purchase with no staff is credited to. */
export function ownerOnDay(db: DB): (customerId: number, day: string) => string | null {
  const q = db.prepare(`SELECT ${ownerOn('@day', engineOf(db))} FROM customers c WHERE c.customer_id = @customer`).pluck();
  return (customer, day) => (q.get({ customer, day }) as string | null | undefined) ?? null;
}

/**
 * §3.2 "rep tasks belong to the customer's owner", for a rep task that starts on `from` and
 * is closed on `until` (null: open): who held it first, and each change while it was open.
 */
export function repHolding(changes: readonly OwnerChange[], from: string, until: string | null): { first: string | null; moves: Omit<TaskMove, 'task_id'>[] } {
  let first: string | null = null;
  const moves: Omit<TaskMove, 'task_id'>[] = [];
  for (const c of changes) {
    if (c.assigned_on <= from) first = c.staff_id;
    else if (until === null || c.assigned_on <= until) {
      const prev = moves.length ? moves[moves.length - 1].to_staff_id : first;
      moves.push({ moved_on: c.assigned_on, from_staff_id: prev, to_staff_id: c.staff_id, reason: moveReason(c.rule) });
    }
  }
  return { first, moves };
}

// ---------------------------------------------------------------------------------------
// Staff: team and role of a day

/** Keeps the team and role a roster change replaces, valid until the day before `on`. */
export function keepStaffValues(db: DB, s: { staff_id: string; team: string | null; role: string }, on: string, command: string): void {
  db.prepare('INSERT INTO staff_history (staff_id, team, role, until_on, command) VALUES (?, ?, ?, ?, ?)').run(s.staff_id, s.team, s.role, on, command);
}

/** Every staff member's teams and roles over time, in staff_id then date order (small: the roster's changes). */
export function staffPeriods(db: DB): StaffPeriod[] {
  const current = db.prepare('SELECT staff_id, team, role FROM staff ORDER BY staff_id').all() as { staff_id: string; team: string | null; role: string }[];
  const earlier = db.prepare('SELECT staff_id, team, role, until_on FROM staff_history ORDER BY staff_id, until_on, history_id').all() as {
    staff_id: string;
    team: string | null;
    role: string;
    until_on: string;
  }[];
  const byStaff = new Map<string, typeof earlier>();
  for (const e of earlier) {
    const list = byStaff.get(e.staff_id);
    if (list) list.push(e);
    else byStaff.set(e.staff_id, [e]);
  }
  const out: StaffPeriod[] = [];
  for (const s of current) {
    let from: string | null = null;
    for (const e of byStaff.get(s.staff_id) ?? []) {
      // two changes on one day: the first holds the value before that day, the second lasted no day
      if (from !== null && e.until_on <= from) continue;
      out.push({ staff_id: s.staff_id, team: e.team, role: e.role, from_on: from, until_on: e.until_on });
      from = e.until_on;
    }
    out.push({ staff_id: s.staff_id, team: s.team, role: s.role, from_on: from, until_on: null });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Migration 7: what an older database lets us derive

/**
 * Fills the history columns of an existing database (migration 7), and says what could not be
 * derived:
 * - created_on: a plan task's plan start (non-buyer: the file's opening; buyer: the purchase,
 *   else the opening); a manual task the day it was recorded (or its deadline, if earlier);
 * - cancelled_on: a cancelled non-buyer task the purchase that superseded it (the file's bought_on);
 * - rep task moves: from the assignment history (rep tasks followed their owner while open);
 * - team and role changes: from the change log (the day the change was recorded);
 * - doctor task moves (a doctor who left) were not recorded: counted, left with today's doctor.
 */
export function deriveHistory(db: DB): MigrationNote[] {
  const notes: MigrationNote[] = [];
  db.exec(`
UPDATE tasks SET created_on = min(due_by, CASE
    WHEN plan = 'manual' THEN date(created_at)
    WHEN plan = 'buyer' THEN (SELECT coalesce(f.bought_on, f.opened_on) FROM files f WHERE f.customer_id = tasks.customer_id)
    ELSE (SELECT f.opened_on FROM files f WHERE f.customer_id = tasks.customer_id) END)
  WHERE created_on IS NULL;
UPDATE tasks SET created_on = min(due_by, date(created_at)) WHERE created_on IS NULL;
UPDATE tasks SET cancelled_on = (SELECT f.bought_on FROM files f WHERE f.customer_id = tasks.customer_id), cancel_reason = 'purchase'
  WHERE status = 'cancelled' AND cancelled_on IS NULL;
`);
  const undated = db.prepare("SELECT count(*) FROM tasks WHERE status = 'cancelled' AND cancelled_on IS NULL").pluck().get() as number;
  if (undated > 0) {
    // a cancelled task without a purchase to date it: counted as cancelled since it started
    db.exec("UPDATE tasks SET cancelled_on = created_on, cancel_reason = NULL WHERE status = 'cancelled' AND cancelled_on IS NULL");
    notes.push({ key: 'migrate.history.cancelled_undated', params: { n: undated } });
  }
  // rep tasks followed their customer's owner while open: each assignment after the task
  // started and before it was closed moved it
  db.exec(`
INSERT INTO task_moves (task_id, moved_on, from_staff_id, to_staff_id, reason)
  SELECT t.task_id, a.assigned_on, a.previous_staff_id, a.staff_id, CASE a.rule WHEN 'pin' THEN 'pin' WHEN 'handover' THEN 'handover' ELSE 'assign' END
  FROM tasks t JOIN assignments a ON a.customer_id = t.customer_id
  WHERE t.role = 'rep' AND a.assigned_on > t.created_on AND a.assigned_on <= coalesce(t.done_on, t.cancelled_on, '9999-12-31')
  ORDER BY t.task_id, a.assigned_on, a.assignment_id;
UPDATE tasks SET moved_on = (SELECT max(m.moved_on) FROM task_moves m WHERE m.task_id = tasks.task_id)
  WHERE task_id IN (SELECT task_id FROM task_moves);
`);
  const doctorTasks = db
    .prepare(
      `SELECT count(*) FROM tasks t WHERE t.role = 'doctor'
         AND EXISTS (SELECT 1 FROM staff s WHERE s.role = 'doctor' AND s.left_on IS NOT NULL AND s.left_on > t.created_on)`,
    )
    .pluck()
    .get() as number;
  if (doctorTasks > 0) notes.push({ key: 'migrate.history.doctor_moves', params: { n: doctorTasks } });
  // team and role changes the change log kept (issue 13): the earlier value until the day it was recorded
  const changes = db
    .prepare(
      `SELECT key AS staff_id, field, old_value, date(at) AS on_day, command, change_id FROM changes
        WHERE kind = 'staff' AND field IN ('team', 'role') AND key IN (SELECT staff_id FROM staff) ORDER BY key, change_id DESC`,
    )
    .all() as { staff_id: string; field: 'team' | 'role'; old_value: string | null; on_day: string; command: string }[];
  const current = db.prepare('SELECT team, role FROM staff WHERE staff_id = ?');
  const keep = db.prepare('INSERT INTO staff_history (staff_id, team, role, until_on, command) VALUES (?, ?, ?, ?, ?)');
  let staffId: string | null = null;
  let value: { team: string | null; role: string } = { team: null, role: '' };
  // newest first: walk back from the current values, each change giving the value before it
  const rows: [string, string | null, string, string, string][] = [];
  for (const c of changes) {
    if (c.staff_id !== staffId) {
      staffId = c.staff_id;
      value = current.get(staffId) as { team: string | null; role: string };
    }
    value = { ...value, [c.field]: c.old_value };
    rows.push([c.staff_id, value.team, value.role, c.on_day, c.command]);
  }
  for (const r of rows.reverse()) keep.run(...r);
  if (rows.length > 0) notes.push({ key: 'migrate.history.staff', params: { n: rows.length } });
  const unrecorded = db
    .prepare('SELECT count(*) FROM customers c WHERE c.owner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.customer_id = c.customer_id)')
    .pluck()
    .get() as number;
  if (unrecorded > 0) notes.push({ key: 'migrate.history.owners', params: { n: unrecorded } });
  return notes;
}
