/**
 * Files, follow-up tasks and recorded follow-ups (SPEC §3.2): all the SQL of the
 * follow-up issue that is not events or orders. The rules themselves are pure functions
 * of src/domain/followUpPlan.ts; this module reads their inputs and writes their outputs.
 *
 * Who holds a task: rep tasks the customer's current owner (NULL until assignment gives
 * one; `moveOpenRepTasks` moves them when the owner changes), doctor tasks the doctor
 * chosen by `chooseDoctor` (the customer's doctor while active; else nearness, then load).
 */
import type { DB } from './db.js';
import type { FieldError } from '../io/kind.js';
import type { RowWriter, WriteOutcome } from '../io/importer.js';
import type { CustomerKey, FollowUpRow } from '../io/kinds/followups.js';
import { DEFAULT_POLICY, policyOn, type Policy } from '../domain/policy.js';
import {
  applyEvent,
  chooseDoctor,
  compareEvents,
  matchFollowUp,
  matchableTasks,
  manualTask,
  planNotStarted,
  type DoctorCandidate,
  type FileState,
  type Method,
  type PlanKind,
  type Role,
  type Task,
  type TaskSpec,
} from '../domain/followUpPlan.js';
import { daysBetween } from '../domain/values.js';

// ---------------------------------------------------------------------------------------
// Customers named by a row or an argument

export interface CustomerRef {
  customer_id: number;
  name: string;
  owner_id: string | null;
  district: string | null;
}

export type Resolved = CustomerRef | { error: FieldError };

/** Looks customer keys up: a customer id, phone + name, or a phone only one customer has. */
export function customerResolver(db: DB): (key: CustomerKey) => Resolved {
  const cols = 'customer_id, name, owner_id, district';
  const byId = db.prepare(`SELECT ${cols} FROM customers WHERE customer_id = ?`);
  const byPhoneName = db.prepare(`SELECT ${cols} FROM customers WHERE phone = ? AND name = ?`);
  const byPhone = db.prepare(`SELECT ${cols} FROM customers WHERE phone = ? ORDER BY customer_id LIMIT 5`);
  return (key) => {
    const err = (reason: FieldError['reason'], fix: FieldError['fix'], params?: FieldError['params']): Resolved => ({
      error: { column: key.column, value: key.value, reason, fix, params },
    });
    if (key.id !== null) {
      const c = byId.get(key.id) as CustomerRef | undefined;
      if (!c) return err('import.unknown_customer', 'import.unknown_customer.fix');
      if (key.name && key.name !== c.name) return err('fu.customer_name_mismatch', 'fu.customer_name_mismatch.fix', { name: c.name, given: key.name });
      return c;
    }
    if (key.name) {
      const c = byPhoneName.get(key.phone, key.name) as CustomerRef | undefined;
      return c ?? err('fu.unknown_customer_name', 'import.unknown_customer.fix', { name: key.name });
    }
    const found = byPhone.all(key.phone) as CustomerRef[];
    if (found.length === 0) return err('import.unknown_customer', 'import.unknown_customer.fix');
    if (found.length > 1) return err('fu.ambiguous_customer', 'fu.ambiguous_customer.fix', { names: found.map((c) => c.name).join(', ') });
    return found[0];
  };
}

// ---------------------------------------------------------------------------------------
// Policy (§6): the plan days in force on a date

/** The stored policy versions (complete documents), oldest first. */
export function policyVersions(db: DB): Policy[] {
  const rows = db.prepare('SELECT document FROM policy_versions ORDER BY effective_from').all() as { document: string }[];
  const out: Policy[] = [];
  for (const r of rows) {
    try {
      out.push(JSON.parse(r.document) as Policy);
    } catch {
      // a document that does not parse was never stored by `policy load`; ignore it
    }
  }
  return out;
}

/** The follow-up part of the policy in force on `date`. */
export function followupPolicyOn(versions: readonly Policy[], date: string): Policy['followup'] {
  return (versions.length ? policyOn(versions, date) : DEFAULT_POLICY).followup;
}

// ---------------------------------------------------------------------------------------
// Reading a customer's file and tasks

interface TaskRow extends Task {
  staff_id: string | null;
}

export function readFile(db: DB, customerId: number): FileState | null {
  const r = db.prepare('SELECT opened_on, buyer, bought_on FROM files WHERE customer_id = ?').get(customerId) as
    | { opened_on: string; buyer: number; bought_on: string | null }
    | undefined;
  return r ? { opened_on: r.opened_on, buyer: r.buyer === 1, bought_on: r.bought_on } : null;
}

function taskReader(db: DB) {
  const all = db.prepare('SELECT task_id, role, seq, plan, due_by, status, done_on, staff_id FROM tasks WHERE customer_id = ? ORDER BY task_id');
  const open = db.prepare(
    "SELECT task_id, role, seq, plan, due_by, status, done_on, staff_id FROM tasks WHERE customer_id = ? AND role = ? AND status IN ('open', 'cancelled')",
  );
  return {
    all: (customerId: number) => all.all(customerId) as TaskRow[],
    /** the open and cancelled tasks of a role (a cancelled one may still take an earlier follow-up: matchableTasks) */
    open: (customerId: number, role: Role) => open.all(customerId, role) as TaskRow[],
  };
}

// ---------------------------------------------------------------------------------------
// Doctors and their load

/** Chooses doctors for customers; keeps the open-task load current as tasks are given out. */
export function doctorPicker(db: DB, on: string) {
  let doctors: DoctorCandidate[] | null = null;
  const current = db.prepare(
    "SELECT staff_id FROM tasks WHERE customer_id = ? AND role = 'doctor' AND staff_id IS NOT NULL ORDER BY task_id DESC LIMIT 1",
  );
  const load = () => {
    if (doctors) return doctors;
    const rows = db.prepare("SELECT staff_id, district, areas, hired_on, left_on FROM staff WHERE role = 'doctor' ORDER BY staff_id").all() as {
      staff_id: string;
      district: string | null;
      areas: string | null;
      hired_on: string;
      left_on: string | null;
    }[];
    // tasks_open_staff covers this count; a doctor holds only doctor tasks
    const count = db.prepare("SELECT count(*) AS n FROM tasks WHERE staff_id = ? AND status = 'open'");
    doctors = rows.map((r) => ({
      ...r,
      areas: r.areas ? r.areas.split(';') : [],
      open_tasks: (count.get(r.staff_id) as { n: number }).n,
    }));
    return doctors;
  };
  return {
    /** the doctor for this customer's next doctor tasks (null: no active doctor) */
    pick(c: { customer_id: number; district: string | null }, exclude?: string): string | null {
      const list = exclude ? load().filter((d) => d.staff_id !== exclude) : load();
      const cur = (current.get(c.customer_id) as { staff_id: string } | undefined)?.staff_id ?? null;
      return chooseDoctor(c.district, list, on, cur === exclude ? null : cur);
    },
    /** n more (or fewer) open tasks for a doctor */
    took(staffId: string | null, n: number): void {
      if (!staffId || !doctors) return;
      const d = doctors.find((x) => x.staff_id === staffId);
      if (d) d.open_tasks += n;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Files and plans (§2 events.csv, §3.2)

export interface PlanSummary {
  opened: number;
  buyers: number;
  upgraded: number;
  added: number;
  cancelled: number;
  /** follow-ups recorded earlier that the new plans took (see planApplier) */
  linked: number;
}

export function emptySummary(): PlanSummary {
  return { opened: 0, buyers: 0, upgraded: 0, added: 0, cancelled: 0, linked: 0 };
}

export interface Attendance {
  event_date: string;
  purchased: boolean;
  event: string | null;
  recorded_by: string | null;
}

/**
 * Applies events to files and plans. Events of one customer must come in `compareEvents`
 * order (the writers collect a file's rows and apply them per customer in that order).
 */
export function planApplier(db: DB, asOf: string) {
  const versions = policyVersions(db);
  const doctors = doctorPicker(db, asOf);
  const tasks = taskReader(db);
  const upsertFile = db.prepare(
    `INSERT INTO files (customer_id, opened_on, buyer, bought_on, event, recorded_by) VALUES (@customer_id, @opened_on, @buyer, @bought_on, @event, @recorded_by)
     ON CONFLICT (customer_id) DO UPDATE SET opened_on = excluded.opened_on, buyer = excluded.buyer, bought_on = excluded.bought_on,
       event = CASE WHEN excluded.opened_on <> files.opened_on THEN excluded.event ELSE files.event END,
       recorded_by = CASE WHEN excluded.opened_on <> files.opened_on THEN excluded.recorded_by ELSE files.recorded_by END`,
  );
  // a superseded task done after the purchase gives its follow-up back (matched again below)
  const unlink = db.prepare('UPDATE followups SET task_id = NULL, late = 0 WHERE followup_id = (SELECT followup_id FROM tasks WHERE task_id = ?)');
  const cancel = db.prepare("UPDATE tasks SET status = 'cancelled', done_on = NULL, followup_id = NULL WHERE task_id = ? AND status <> 'cancelled'");
  const insertTask = db.prepare('INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, note) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const extras = db.prepare(
    'SELECT followup_id, customer_id, role, done_on, method, staff_id, note FROM followups WHERE customer_id = ? AND task_id IS NULL AND done_on >= ? ORDER BY done_on, followup_id',
  );
  let recorder: ReturnType<typeof followUpRecorder> | undefined;
  const orderDates = db.prepare("SELECT DISTINCT order_date FROM orders WHERE customer_id = ? AND source = 'orders' ORDER BY order_date");
  const summary = emptySummary();

  const addTasks = (c: CustomerRef, specs: TaskSpec[]) => {
    let doctor: string | null | undefined;
    for (const s of specs) {
      let staff: string | null;
      if (s.role === 'rep') staff = c.owner_id;
      else {
        if (doctor === undefined) doctor = doctors.pick(c);
        staff = doctor;
        doctors.took(staff, 1);
      }
      insertTask.run(c.customer_id, s.role, s.seq, s.plan, s.due_by, staff, null);
      summary.added++;
    }
  };

  return {
    summary,
    /**
     * One customer's new or changed events (any order), merged with the customer's orders:
     * an order is "a later purchase" (§2) once the file is open — it upgrades a non-buyer's
     * plan from its date but never opens a file nor moves it back. Events go by date (a
     * purchase first), an order after the events of its day. Merging every order each time
     * makes the result independent of whether the orders or the events were imported first.
     */
    apply(c: CustomerRef, events: Attendance[]): void {
      let file = readFile(db, c.customer_id);
      const purchases = (orderDates.all(c.customer_id) as { order_date: string }[]).map(
        (o): Attendance & { order: true } => ({ event_date: o.order_date, purchased: true, event: null, recorded_by: null, order: true }),
      );
      const all = [...sortEvents(events), ...purchases].sort((a, b) =>
        a.event_date !== b.event_date ? (a.event_date < b.event_date ? -1 : 1) : Number('order' in a) - Number('order' in b),
      );
      for (const ev of all) {
        if ('order' in ev && (file === null || file.buyer || ev.event_date < file.opened_on)) continue;
        const policy = followupPolicyOn(versions, ev.event_date);
        const effect = applyEvent({ file, tasks: file ? tasks.all(c.customer_id) : [] }, ev, policy);
        if (effect.kind === 'none') continue;
        upsertFile.run({
          customer_id: c.customer_id,
          opened_on: effect.file.opened_on,
          buyer: effect.file.buyer ? 1 : 0,
          bought_on: effect.file.bought_on,
          event: ev.event || null,
          recorded_by: ev.recorded_by,
        });
        if (effect.kind === 'open') {
          summary.opened++;
          if (effect.file.buyer) summary.buyers++;
        } else {
          summary.upgraded++;
          for (const id of effect.cancel) {
            unlink.run(id);
            const info = cancel.run(id);
            summary.cancelled += info.changes;
          }
          // cancelled doctor tasks no longer load their doctor (non-buyer plans rarely have any)
        }
        addTasks(c, effect.add);
        file = effect.file;
        // follow-ups recorded before this plan existed (a follow-up sheet imported before the
        // event or order sheet): the plan takes them now, as if everything came in date order
        const start = effect.kind === 'open' ? effect.file.opened_on : (effect.file.bought_on ?? effect.file.opened_on);
        for (const f of extras.all(c.customer_id, start) as (FollowUpInput & { followup_id: number })[]) {
          if ((recorder ??= followUpRecorder(db)).match(f.followup_id, f).kind === 'matched') summary.linked++;
        }
      }
    },
  };
}

/** Groups what a file's rows did, per customer, to apply after the last row. */
export class PerCustomer<T> {
  private readonly map = new Map<number, { c: CustomerRef; items: T[] }>();
  add(c: CustomerRef, item: T): void {
    const e = this.map.get(c.customer_id);
    if (e) e.items.push(item);
    else this.map.set(c.customer_id, { c, items: [item] });
  }
  *entries(): IterableIterator<{ c: CustomerRef; items: T[] }> {
    yield* this.map.values();
  }
  get size(): number {
    return this.map.size;
  }
}

export function sortEvents<T extends { event_date: string; purchased: boolean }>(items: T[]): T[] {
  return items.map((x, i) => [x, i] as const).sort((a, b) => compareEvents(a[0], b[0]) || a[1] - b[1]).map((x) => x[0]);
}

// ---------------------------------------------------------------------------------------
// Recording follow-ups (§3.2: completes the earliest open task of the role, else an extra contact)

export interface FollowUpInput {
  customer_id: number;
  role: Role;
  done_on: string;
  method: Method;
  /** null: the staff of the task it completes, else (rep) the customer's owner */
  staff_id: string | null;
  note: string;
}

export type FollowUpResult =
  | { kind: 'matched'; followup_id: number; task_id: number; seq: number; plan: PlanKind; due_by: string; late: boolean; days_late: number; staff_id: string | null }
  | { kind: 'extra'; followup_id: number; before_plan: string | null; staff_id: string | null }
  | { kind: 'duplicate' };

export interface FollowUpSummary {
  matched: number;
  late: number;
  extra: number;
}

export function followUpRecorder(db: DB) {
  const dup = db.prepare(
    `SELECT followup_id FROM followups WHERE customer_id = @customer_id AND role = @role AND done_on = @done_on AND method = @method
       AND note = @note AND (@staff_id IS NULL OR staff_id IS NULL OR staff_id = @staff_id) LIMIT 1`,
  );
  const insert = db.prepare(
    'INSERT INTO followups (customer_id, role, done_on, method, staff_id, note) VALUES (@customer_id, @role, @done_on, @method, @staff_id, @note)',
  );
  const complete = db.prepare("UPDATE tasks SET status = 'done', done_on = ?, followup_id = ? WHERE task_id = ? AND status <> 'done'");
  const link = db.prepare('UPDATE followups SET task_id = ?, late = ?, staff_id = coalesce(staff_id, ?) WHERE followup_id = ?');
  const owner = db.prepare('SELECT owner_id FROM customers WHERE customer_id = ?');
  const tasks = taskReader(db);
  const summary: FollowUpSummary = { matched: 0, late: 0, extra: 0 };

  /** true when this follow-up is already recorded (a blank staff matches any) */
  const isDuplicate = (f: FollowUpInput) => dup.get(f) !== undefined;
  const add = (f: FollowUpInput) => Number(insert.run(f).lastInsertRowid);
  /** links a recorded follow-up to the task it completes (follow-ups of a customer in done_on order) */
  const match = (followupId: number, f: FollowUpInput): FollowUpResult => {
    const file = readFile(db, f.customer_id);
    const open = matchableTasks(tasks.open(f.customer_id, f.role), f.done_on, file);
    const m = matchFollowUp(open, f.role, f.done_on, file);
    if (m.task_id === null) {
      const staff = f.staff_id ?? (f.role === 'rep' ? ((owner.get(f.customer_id) as { owner_id: string | null } | undefined)?.owner_id ?? null) : null);
      link.run(null, 0, staff, followupId);
      summary.extra++;
      return { kind: 'extra', followup_id: followupId, before_plan: planNotStarted(open, f.role, f.done_on, file)?.start ?? null, staff_id: staff };
    }
    const t = open.find((x) => x.task_id === m.task_id)!;
    complete.run(f.done_on, followupId, t.task_id);
    link.run(t.task_id, m.late ? 1 : 0, t.staff_id, followupId);
    summary.matched++;
    if (m.late) summary.late++;
    return {
      kind: 'matched',
      followup_id: followupId,
      task_id: t.task_id,
      seq: t.seq,
      plan: t.plan,
      due_by: t.due_by,
      late: m.late,
      days_late: m.late ? daysBetween(t.due_by, f.done_on) : 0,
      staff_id: f.staff_id ?? t.staff_id,
    };
  };
  return {
    summary,
    isDuplicate,
    add,
    match,
    /** `followups done`: the whole of it */
    record(f: FollowUpInput): FollowUpResult {
      if (isDuplicate(f)) return { kind: 'duplicate' };
      return match(add(f), f);
    },
  };
}

/** §2 followups.csv: rows are recorded as read; matched to tasks per customer in done_on order after the last row. */
export function followUpWriter(db: DB): RowWriter<FollowUpRow> & { summary: FollowUpSummary } {
  const resolve = customerResolver(db);
  const rec = followUpRecorder(db);
  const pending = new PerCustomer<[number, FollowUpInput, number]>();
  let n = 0;
  return {
    summary: rec.summary,
    write(r): WriteOutcome {
      const c = resolve(r.customer);
      if ('error' in c) return c;
      const f: FollowUpInput = { customer_id: c.customer_id, role: r.role, done_on: r.done_on, method: r.method, staff_id: r.staff_id, note: r.note };
      if (rec.isDuplicate(f)) return 'unchanged';
      pending.add(c, [rec.add(f), f, n++]);
      return 'new';
    },
    finish() {
      for (const { items } of pending.entries()) {
        items.sort((a, b) => (a[1].done_on < b[1].done_on ? -1 : a[1].done_on > b[1].done_on ? 1 : a[2] - b[2]));
        for (const [id, f] of items) rec.match(id, f);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------
// A manager's extra task (§3.2 `followups add`, 其他回访计划)

export interface ManualTask {
  task_id: number;
  seq: number;
  staff_id: string | null;
}

export function addManualTask(db: DB, c: CustomerRef, role: Role, dueBy: string, staffId: string | null, note: string | null, asOf: string): ManualTask {
  const existing = db.prepare('SELECT role, seq, plan FROM tasks WHERE customer_id = ? AND role = ?').all(c.customer_id, role) as Pick<Task, 'role' | 'seq' | 'plan'>[];
  const spec = manualTask(existing, role, dueBy);
  const staff = staffId ?? (role === 'rep' ? c.owner_id : doctorPicker(db, asOf).pick(c));
  const info = db
    .prepare('INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, note) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(c.customer_id, spec.role, spec.seq, spec.plan, spec.due_by, staff, note);
  return { task_id: Number(info.lastInsertRowid), seq: spec.seq, staff_id: staff };
}

// ---------------------------------------------------------------------------------------
// Tasks follow their customer (§3.1 assignment, §3.4 handover)

/**
 * The customer's open rep tasks go to `newStaffId` (the new owner). Call it wherever
 * customers.owner_id changes (assignment, pin, handover), in the same transaction.
 * Returns how many tasks moved.
 */
export function moveOpenRepTasks(db: DB, customerId: number, newStaffId: string | null): number {
  return repTaskMover(db)(customerId, newStaffId);
}

/** `moveOpenRepTasks` prepared once, for many customers (an assignment run moves thousands). */
export function repTaskMover(db: DB): (customerId: number, newStaffId: string | null) => number {
  const move = db.prepare("UPDATE tasks SET staff_id = ? WHERE customer_id = ? AND role = 'rep' AND status = 'open' AND staff_id IS NOT ?");
  return (customerId, newStaffId) => move.run(newStaffId, customerId, newStaffId).changes;
}

/**
 * §3.4 for a doctor who leaves on `on` (left_on already set): each of their open doctor
 * tasks goes, customer by customer, to the doctor `chooseDoctor` picks among those active
 * on `on`. Returns [customer_id, new doctor or null][] (null: no active doctor is left).
 */
export function handOverDoctorTasks(db: DB, doctorId: string, on: string): [number, string | null][] {
  const customers = db
    .prepare(
      `SELECT DISTINCT t.customer_id, c.district FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
       WHERE t.staff_id = ? AND t.status = 'open' ORDER BY t.customer_id`,
    )
    .all(doctorId) as { customer_id: number; district: string | null }[];
  const picker = doctorPicker(db, on);
  const move = db.prepare("UPDATE tasks SET staff_id = ? WHERE customer_id = ? AND staff_id = ? AND status = 'open' AND role = 'doctor'");
  const out: [number, string | null][] = [];
  for (const c of customers) {
    const to = picker.pick(c, doctorId);
    const n = move.run(to, c.customer_id, doctorId).changes;
    picker.took(to, n);
    out.push([c.customer_id, to]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The due list (§3.2 `followups due`)

export interface DueFilter {
  asOf: string;
  /** due_by <= cutoff */
  cutoff: string;
  staff?: string;
  unassigned?: boolean;
  role?: Role;
  /** only due_by < asOf */
  overdueOnly?: boolean;
  /** at most this many rows (none: all) */
  limit?: number;
}

export interface DueRow {
  task_id: number;
  customer_id: number;
  customer_name: string;
  phone: string;
  role: Role;
  seq: number;
  plan: PlanKind;
  due_by: string;
  staff_id: string | null;
  note: string | null;
}

/**
 * Open tasks due by the cutoff, overdue first then by due_by (one order: due_by ascending
 * puts every overdue task first), ties by task_id. Reads the partial indexes on open tasks
 * (tasks_open_due, or tasks_open_staff with a staff), so a LIMIT stops after that many rows
 * even over millions of tasks. An iterator: rows are streamed, never all held in memory.
 */
export function dueTasks(db: DB, f: DueFilter): IterableIterator<DueRow> {
  const q = dueQuery(f);
  return db.prepare(q.sql).iterate(q.params) as IterableIterator<DueRow>;
}

/** The SQL of `dueTasks` (exported so a test can check its query plan). */
export function dueQuery(f: DueFilter): { sql: string; params: Record<string, string | number> } {
  // an archived customer (§5) is no longer followed up
  const where = ["t.status = 'open'", f.overdueOnly ? 't.due_by < @cutoff' : 't.due_by <= @cutoff', 'c.archived_on IS NULL'];
  const params: Record<string, string | number> = { cutoff: f.overdueOnly ? f.asOf : f.cutoff };
  if (f.staff) {
    where.push('t.staff_id = @staff');
    params.staff = f.staff;
  } else if (f.unassigned) where.push('t.staff_id IS NULL');
  if (f.role) {
    where.push('t.role = @role');
    params.role = f.role;
  }
  // Named, so no statistics (or their absence) can send the planner to tasks_due, which
  // holds the done tasks too (80% of them at scale): both partial indexes hold open tasks only.
  const index = f.staff || f.unassigned ? 'tasks_open_staff' : 'tasks_open_due';
  let sql = `SELECT t.task_id, t.customer_id, c.name AS customer_name, c.phone, t.role, t.seq, t.plan, t.due_by, t.staff_id, t.note
    FROM tasks t INDEXED BY ${index} JOIN customers c ON c.customer_id = t.customer_id
    WHERE ${where.join(' AND ')} ORDER BY t.due_by, t.task_id`;
  if (f.limit) {
    sql += ' LIMIT @limit';
    params.limit = f.limit;
  }
  return { sql, params };
}

/** staff_id → name, for the headings of the due list */
export function staffNames(db: DB, ids: string[]): Map<string, { name: string; role: string }> {
  const get = db.prepare('SELECT name, role FROM staff WHERE staff_id = ?');
  const out = new Map<string, { name: string; role: string }>();
  for (const id of ids) {
    const r = get.get(id) as { name: string; role: string } | undefined;
    if (r) out.set(id, r);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// One customer's history (`customers show`)

export interface CustomerHistory {
  file: { opened_on: string; buyer: boolean; bought_on: string | null; event: string | null; recorded_by: string | null } | null;
  tasks: { task_id: number; role: Role; seq: number; plan: PlanKind; due_by: string; staff_id: string | null; status: string; done_on: string | null; note: string | null; late: boolean | null }[];
  followups: { followup_id: number; done_on: string; role: Role; method: Method; staff_id: string | null; task_id: number | null; seq: number | null; late: boolean; note: string }[];
  events: { event_date: string; event: string; purchased: boolean; amount_fen: number | null; recorded_by: string | null }[];
  orders: { order_no: string; order_date: string; amount_fen: number; staff_id: string | null; product: string | null; source: string }[];
}

export function customerHistory(db: DB, customerId: number): CustomerHistory {
  const f = db.prepare('SELECT opened_on, buyer, bought_on, event, recorded_by FROM files WHERE customer_id = ?').get(customerId) as
    | { opened_on: string; buyer: number; bought_on: string | null; event: string | null; recorded_by: string | null }
    | undefined;
  const tasks = (
    db
      .prepare(
        `SELECT t.task_id, t.role, t.seq, t.plan, t.due_by, t.staff_id, t.status, t.done_on, t.note, f.late
         FROM tasks t LEFT JOIN followups f ON f.followup_id = t.followup_id
         WHERE t.customer_id = ? ORDER BY t.due_by, t.role DESC, t.seq, t.task_id`,
      )
      .all(customerId) as (Omit<CustomerHistory['tasks'][number], 'late'> & { late: number | null })[]
  ).map((t) => ({ ...t, late: t.late === null ? null : t.late === 1 }));
  const followups = (
    db
      .prepare(
        `SELECT f.followup_id, f.done_on, f.role, f.method, f.staff_id, f.task_id, t.seq, f.late, f.note
         FROM followups f LEFT JOIN tasks t ON t.task_id = f.task_id
         WHERE f.customer_id = ? ORDER BY f.done_on, f.followup_id`,
      )
      .all(customerId) as (Omit<CustomerHistory['followups'][number], 'late'> & { late: number })[]
  ).map((x) => ({ ...x, late: x.late === 1 }));
  const events = (
    db.prepare('SELECT event_date, event, purchased, amount_fen, recorded_by FROM events WHERE customer_id = ? ORDER BY event_date, event_id').all(customerId) as (Omit<
      CustomerHistory['events'][number],
      'purchased'
    > & { purchased: number })[]
  ).map((e) => ({ ...e, purchased: e.purchased === 1 }));
  const orders = db
    .prepare('SELECT order_no, order_date, amount_fen, staff_id, product, source FROM orders WHERE customer_id = ? ORDER BY order_date, order_no')
    .all(customerId) as CustomerHistory['orders'];
  return { file: f ? { ...f, buyer: f.buyer === 1 } : null, tasks, followups, events, orders };
}
