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
import { sqlFor } from './engine.js';
import type { FieldError } from '../io/kind.js';
import type { RowWriter, WriteOutcome } from '../io/kind.js';
import type { CustomerKey, FollowUpRow } from '../io/kinds/followups.js';
import { DEFAULT_POLICY, policyOn, type Policy } from '../domain/policy.js';
import {
  chooseDoctor,
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
} from '../domain/followUpPlan.js';
import { daysBetween } from '../domain/values.js';
import { NO_CHANGE_LOG, type ChangeLog, type ChangeValue } from './changes.js';
import { planRebuilder } from './planRebuild.js';
import { holderOn, openTaskMover, type MoveReason } from './history.js';

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
  // the live ones first: an archived duplicate is passed over as `customers show` passes it (issue 15)
  const byPhone = db.prepare(`SELECT ${cols}, archived_on FROM customers WHERE phone = ? ORDER BY archived_on IS NOT NULL, customer_id LIMIT 5`);
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
    const found = byPhone.all(key.phone) as (CustomerRef & { archived_on: string | null })[];
    if (found.length === 0) return err('import.unknown_customer', 'import.unknown_customer.fix');
    const live = found.filter((c) => c.archived_on === null);
    const meant = live.length === 1 ? live : found;
    if (meant.length > 1) return err('fu.ambiguous_customer', 'fu.ambiguous_customer.fix', { names: meant.map((c) => c.name).join(', ') });
    const { archived_on: _archived, ...customer } = meant[0];
    return customer;
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
// Files and plans (§2 events.csv, §3.2): derived from the customer's events, orders and
// follow-ups by store/planRebuild.ts (planRebuilder), whichever sheet came first

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
    sqlFor(db, {
      sqlite: `SELECT followup_id FROM followups WHERE customer_id = @customer_id AND role = @role AND done_on = @done_on AND method = @method
       AND note = @note AND (@staff_id IS NULL OR staff_id IS NULL OR staff_id = @staff_id) LIMIT 1`,
      // a parameter first met in `IS NULL` has no type on the server: said (issue 19)
      postgres: `SELECT followup_id FROM followups WHERE customer_id = @customer_id AND role = @role AND done_on = @done_on AND method = @method
       AND note = @note AND (CAST(@staff_id AS text) IS NULL OR staff_id IS NULL OR staff_id = @staff_id) LIMIT 1`,
    }),
  );
  const insert = db.prepare(
    sqlFor(db, {
      sqlite: `INSERT INTO followups (customer_id, role, done_on, method, staff_id, note, source, source_row)
     VALUES (@customer_id, @role, @done_on, @method, @staff_id, @note, @source, @source_row)`,
      // the new id: what SQLite's lastInsertRowid gives (pgDb.ts run)
      postgres: `INSERT INTO followups (customer_id, role, done_on, method, staff_id, note, source, source_row)
     VALUES (@customer_id, @role, @done_on, @method, @staff_id, @note, @source, @source_row) RETURNING followup_id`,
    }),
  );
  // a non-buyer task a later purchase cancelled may take an earlier follow-up (matchableTasks):
  // done then, it was never cancelled (issue 18: no cancellation date left on it)
  const complete = db.prepare("UPDATE tasks SET status = 'done', done_on = ?, followup_id = ?, cancelled_on = NULL, cancel_reason = NULL WHERE task_id = ? AND status <> 'done'");
  const link = db.prepare('UPDATE followups SET task_id = ?, late = ?, staff_id = coalesce(staff_id, ?) WHERE followup_id = ?');
  const owner = db.prepare('SELECT owner_id FROM customers WHERE customer_id = ?');
  const tasks = taskReader(db);
  const summary: FollowUpSummary = { matched: 0, late: 0, extra: 0 };

  /** true when this follow-up is already recorded (a blank staff matches any) */
  const isDuplicate = (f: FollowUpInput) => dup.get(f) !== undefined;
  /** `from`: the file (its name) and row it came from; none for `followups done` */
  const add = (f: FollowUpInput, from?: { source: string | null; source_row: number | null }) =>
    Number(insert.run({ ...f, source: from?.source ?? null, source_row: from?.source_row ?? null }).lastInsertRowid);
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

// ---------------------------------------------------------------------------------------
// followups.csv: which stored follow-up a row is (issue 13)

export interface FollowUpWriterOptions {
  /** the file's name without its folder: where the rows came from (a corrected date is found by it) */
  source: string | null;
  asOf: string;
  log?: ChangeLog;
}

export interface FollowUpImportSummary extends FollowUpSummary {
  /** stored follow-ups corrected in place by a row (note, method, staff or date) */
  corrected: number;
  /** customers whose tasks were matched again because a follow-up's date was corrected */
  rematched: number;
}

/** A stored follow-up: what was recorded (`staff_id` as stored), its id and where it came from. */
interface StoredRef extends FollowUpInput {
  followup_id: number;
  source: string | null;
  source_row: number | null;
}

type Decision =
  | { kind: 'same'; stored: StoredRef }
  | { kind: 'fix'; stored: StoredRef }
  /** another row of the file already is its stored follow-up (a blank staff matches any) */
  | { kind: 'repeat' }
  | { kind: 'new' };

interface FileRow {
  row: number;
  c: CustomerRef;
  f: FollowUpInput;
  provisional: 'new' | 'unchanged';
}

/**
 * §2 followups.csv. Rows are resolved as read and decided after the last one, against what
 * is stored, in this order (README, docs/decisions.md "Corrections"):
 * (a) a stored follow-up equal to the row (customer, role, done_on, method, note; a blank
 *     staff matches any) → unchanged;
 * (b) a stored one with the row's customer, role and done_on that no other row of the file
 *     is → a corrected method, staff or note: updated in place (the change log keeps old → new);
 * (c) a corrected date: the stored one that came from this file (its name) at the row after
 *     (or before) the stored row the file's previous (or next) row is, same customer and
 *     role, that no other row is → updated in place, and the customer's tasks matched again;
 * (d) else a new follow-up, matched like `followups done`.
 * A note alone never identifies a follow-up (the same words recur every month). The report's
 * counts are final once `adjustment` is applied (a row's outcome is only known at the end).
 */
export function followUpWriter(
  db: DB,
  opts: FollowUpWriterOptions,
): RowWriter<FollowUpRow> & { summary: FollowUpImportSummary; adjustment(): { new: number; updated: number; unchanged: number } } {
  const resolve = customerResolver(db);
  const rec = followUpRecorder(db);
  const log = opts.log ?? NO_CHANGE_LOG;
  const src = opts.source;
  const cols = 'followup_id, customer_id, role, done_on, method, staff_id, note, source, source_row';
  const exact = db.prepare(
    sqlFor(db, {
      sqlite: `SELECT ${cols} FROM followups WHERE customer_id = @customer_id AND role = @role AND done_on = @done_on AND method = @method
       AND note = @note AND (@staff_id IS NULL OR staff_id IS NULL OR staff_id = @staff_id)`,
      // a parameter first met in `IS NULL` has no type on the server (issue 19)
      postgres: `SELECT ${cols} FROM followups WHERE customer_id = @customer_id AND role = @role AND done_on = @done_on AND method = @method
       AND note = @note AND (CAST(@staff_id AS text) IS NULL OR staff_id IS NULL OR staff_id = @staff_id)`,
    }),
  );
  const sameKey = db.prepare(`SELECT ${cols} FROM followups WHERE customer_id = ? AND role = ? AND done_on = ?`);
  const atRow = db.prepare(`SELECT ${cols} FROM followups WHERE customer_id = ? AND role = ? AND source = ? AND source_row = ?`);
  const taken = db.prepare(
    sqlFor(db, {
      // each says the expression of its engine's followups_natural index, to be read through it
      sqlite: `SELECT 1 FROM followups WHERE customer_id = ? AND role = ? AND done_on = ? AND method = ? AND ifnull(staff_id, '') = ifnull(?, '') AND note = ? AND followup_id <> ?`,
      postgres: `SELECT 1 FROM followups WHERE customer_id = ? AND role = ? AND done_on = ? AND method = ? AND coalesce(staff_id, '') = coalesce(?, '') AND note = ? AND followup_id <> ?`,
    }),
  );
  const setSource = db.prepare('UPDATE followups SET source = ?, source_row = ? WHERE followup_id = ?');
  const correct = db.prepare('UPDATE followups SET done_on = ?, method = ?, staff_id = ?, note = ?, source = ?, source_row = ? WHERE followup_id = ?');
  const linkOf = db.prepare('SELECT task_id, late FROM followups WHERE followup_id = ?');
  const rows: FileRow[] = [];
  let decisions: Decision[] | null = null;
  const summary: FollowUpImportSummary = { matched: 0, late: 0, extra: 0, corrected: 0, rematched: 0 };

  /** the stored follow-up of the file's own row first (the same sheet imported again), then the oldest */
  const pick = (cands: StoredRef[], claimed: Set<number>, row: number): StoredRef | undefined => {
    const free = cands.filter((x) => !claimed.has(x.followup_id));
    return free.find((x) => src !== null && x.source === src && x.source_row === row) ?? free[0];
  };
  const after = (d: StoredRef, r: FileRow) => ({ done_on: r.f.done_on, method: r.f.method, staff_id: r.f.staff_id ?? d.staff_id, note: r.f.note });

  /** in the order they were recorded (sorted here: an ORDER BY made SQLite read followups_done instead of followups_natural) */
  const oldestFirst = (xs: StoredRef[]) => xs.sort((a, b) => a.followup_id - b.followup_id);
  const decide = (): Decision[] => {
    if (decisions) return decisions;
    const out: (Decision | undefined)[] = rows.map(() => undefined);
    const claimed = new Set<number>();
    const byRow = new Map(rows.map((r, i) => [r.row, i]));
    const claim = (i: number, d: Decision & { stored: StoredRef }) => {
      out[i] = d;
      claimed.add(d.stored.followup_id);
    };
    // (a) exact
    rows.forEach((r, i) => {
      const cands = oldestFirst(exact.all(r.f) as StoredRef[]);
      if (cands.length === 0) return;
      const s = pick(cands, claimed, r.row);
      if (s) claim(i, { kind: 'same', stored: s });
      else out[i] = { kind: 'repeat' };
    });
    // (b) the same contact (customer, role, day) with its method, staff or note corrected —
    // only where the row is the stored one's place: the same file and row, or a follow-up
    // with no place (recorded by `followups done`, or by a salesops before sources); the
    // rows anchored by a neighbour are found below. A second call on the same day from
    // another sheet is a new contact, never a correction of the first.
    rows.forEach((r, i) => {
      if (out[i]) return;
      const free = oldestFirst(sameKey.all(r.f.customer_id, r.f.role, r.f.done_on) as StoredRef[]).filter((x) => !claimed.has(x.followup_id));
      const s = free.find((x) => src !== null && x.source === src && x.source_row === r.row) ?? free.find((x) => x.source === null);
      if (s) claim(i, { kind: 'fix', stored: s });
    });
    // rows anchored by a neighbour: the file's row r-1 (r+1) is the stored follow-up of sheet
    // S, row q, so row r stands at S, row q+1 (q-1), whatever the file is called now
    // (`回访记录(修改).csv`). The one stored there, with the row's customer and role, is the
    // row corrected: (b) on the same day; (c) on another day — from a file of the same name
    // whatever else changed, from a file of another name only when method, staff and note are
    // as stored (a date corrected, nothing else: a different contact at that place is new). A
    // worklist: a row decided here anchors its own neighbours, each row looked at again only
    // when a neighbour is decided, so a long run of corrected dates stays linear.
    const placeOf = (i: number): { source: string; row: number } | null => {
      const d = out[i];
      if (!d || (d.kind !== 'same' && d.kind !== 'fix') || d.stored.source === null || d.stored.source_row === null) return null;
      return { source: d.stored.source, row: d.stored.source_row };
    };
    const tryAnchored = (i: number): boolean => {
      const r = rows[i];
      for (const step of [-1, 1]) {
        const j = byRow.get(r.row + step);
        const at = j === undefined ? null : placeOf(j);
        if (!at) continue;
        const cands = (atRow.all(r.f.customer_id, r.f.role, at.source, at.row - step) as StoredRef[]).filter((x) => !claimed.has(x.followup_id));
        if (cands.length !== 1) continue;
        const s = cands[0];
        // the same sheet under its own name is the clerk's corrected copy: any field; under
        // another name, a sheet that only repeats a stored row next to a new contact must not
        // overwrite the contact stored after it, so only the day or only the rest may differ
        const sameSheet = at.source === src;
        const sameDay = s.done_on === r.f.done_on;
        const onlyDate = s.method === r.f.method && s.note === r.f.note && (r.f.staff_id === null || s.staff_id === null || s.staff_id === r.f.staff_id);
        if (!sameSheet && !sameDay && !onlyDate) continue;
        claim(i, { kind: 'fix', stored: s });
        return true;
      }
      return false;
    };
    if (src !== null) {
      const queue: number[] = [];
      const around = (i: number) => {
        for (const step of [-1, 1]) {
          const j = byRow.get(rows[i].row + step);
          if (j !== undefined && !out[j]) queue.push(j);
        }
      };
      rows.forEach((_, i) => {
        if (placeOf(i)) around(i);
      });
      while (queue.length) {
        const i = queue.pop()!;
        if (!out[i] && tryAnchored(i)) around(i);
      }
    }
    // a correction that would make the follow-up equal to another stored one is that one;
    // a row equal to another row of the file (a blank staff matches any, the customer
    // however it was written) is that row
    const kept = new Map<string, (string | null)[]>();
    const seen = (key: string, staff: string | null): boolean => {
      const list = kept.get(key);
      if (list?.some((x) => x === null || staff === null || x === staff)) return true;
      kept.set(key, [...(list ?? []), staff]);
      return false;
    };
    const contact = (f: Pick<FollowUpInput, 'customer_id' | 'role' | 'done_on' | 'method' | 'note'>) => JSON.stringify([f.customer_id, f.role, f.done_on, f.method, f.note]);
    decisions = out.map((d, i): Decision => {
      if (d?.kind === 'fix') {
        const a = after(d.stored, rows[i]);
        if (taken.get(d.stored.customer_id, d.stored.role, a.done_on, a.method, a.staff_id, a.note, d.stored.followup_id)) return { kind: 'repeat' };
        seen(contact({ ...d.stored, ...a }), a.staff_id);
        return d;
      }
      if (d) return d;
      return seen(contact(rows[i].f), rows[i].f.staff_id) ? { kind: 'repeat' } : { kind: 'new' };
    });
    return decisions;
  };

  const outcome = (d: Decision): 'new' | 'updated' | 'unchanged' => (d.kind === 'new' ? 'new' : d.kind === 'fix' ? 'updated' : 'unchanged');

  return {
    summary,
    write(r, row): WriteOutcome {
      const c = resolve(r.customer);
      if ('error' in c) return c;
      const f: FollowUpInput = { customer_id: c.customer_id, role: r.role, done_on: r.done_on, method: r.method, staff_id: r.staff_id, note: r.note };
      // what the row most likely is; `adjustment` corrects the count once every row is known
      const provisional = exact.get(f) ? 'unchanged' : 'new';
      rows.push({ row, c, f, provisional });
      return provisional;
    },
    finish() {
      const ds = decide();
      const fresh = new PerCustomer<[number, FollowUpInput, number]>();
      const rematch = new Map<number, CustomerRef>();
      const added: number[] = [];
      ds.forEach((d, i) => {
        const r = rows[i];
        if (d.kind === 'same') {
          // where it came from: kept, or first recorded now (a follow-up of `followups done`, or of an older salesops)
          const s = d.stored;
          if (src !== null && (s.source === null || (s.source === src && s.source_row !== r.row))) setSource.run(src, r.row, s.followup_id);
        } else if (d.kind === 'fix') {
          const s = d.stored;
          const a = after(s, r);
          log.record('followups', String(s.followup_id), s as unknown as Record<string, ChangeValue>, a, ['done_on', 'method', 'staff_id', 'note']);
          correct.run(a.done_on, a.method, a.staff_id, a.note, src ?? s.source, src !== null ? r.row : s.source_row, s.followup_id);
          summary.corrected++;
          // a corrected date may complete another task (or none): the customer's tasks are matched again
          if (a.done_on !== s.done_on) rematch.set(r.c.customer_id, r.c);
        } else if (d.kind === 'new') {
          const id = rec.add(r.f, { source: src, source_row: src !== null ? r.row : null });
          added.push(id);
          fresh.add(r.c, [id, r.f, i]);
        }
      });
      if (rematch.size) {
        const rebuilder = planRebuilder(db, opts.asOf);
        for (const c of rematch.values()) rebuilder.rebuild(c);
        summary.rematched = rematch.size;
      }
      for (const { c, items } of fresh.entries()) {
        if (rematch.has(c.customer_id)) continue; // its new follow-ups were matched with the rest
        items.sort((a, b) => (a[1].done_on < b[1].done_on ? -1 : a[1].done_on > b[1].done_on ? 1 : a[2] - b[2]));
        for (const [id, f] of items) rec.match(id, f);
      }
      // what the new rows did, as stored now
      for (const id of added) {
        const l = linkOf.get(id) as { task_id: number | null; late: number };
        if (l.task_id === null) summary.extra++;
        else {
          summary.matched++;
          if (l.late) summary.late++;
        }
      }
    },
    adjustment() {
      const ds = decide();
      const delta = { new: 0, updated: 0, unchanged: 0 };
      ds.forEach((d, i) => {
        const final = outcome(d);
        const was = rows[i].provisional;
        if (final === was) return;
        delta[was]--;
        delta[final]++;
      });
      return delta;
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
    // issue 18: it exists from the day the manager added it (a past due list before that leaves it out)
    .prepare(
      sqlFor(db, {
        sqlite: 'INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, note, created_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        // the new id: what SQLite's lastInsertRowid gives (pgDb.ts run)
        postgres: 'INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, note, created_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING task_id',
      }),
    )
    .run(c.customer_id, spec.role, spec.seq, spec.plan, spec.due_by, staff, note, asOf);
  return { task_id: Number(info.lastInsertRowid), seq: spec.seq, staff_id: staff };
}

// ---------------------------------------------------------------------------------------
// Tasks follow their customer (§3.1 assignment, §3.4 handover)

/**
 * The customer's open rep tasks go to `newStaffId` (the new owner) on `on`, for `reason`.
 * Call it wherever customers.owner_id changes (assignment, pin, handover), in the same
 * transaction. Returns how many tasks moved.
 */
export function moveOpenRepTasks(db: DB, customerId: number, newStaffId: string | null, on: string, reason: MoveReason): number {
  return repTaskMover(db, on, reason)(customerId, newStaffId);
}

/**
 * `moveOpenRepTasks` prepared once, for many customers (an assignment run moves thousands).
 * Each move is kept (task_moves, issue 18): a past due list and a closed month's KPIs name
 * the holder of that day.
 */
export function repTaskMover(db: DB, on: string, reason: MoveReason): (customerId: number, newStaffId: string | null) => number {
  const move = openTaskMover(
    db,
    sqlFor(db, {
      sqlite: "customer_id = @customer AND role = 'rep' AND status = 'open' AND staff_id IS NOT @to",
      // SQLite's IS NOT of two values is the standard IS DISTINCT FROM (issue 19)
      postgres: "customer_id = @customer AND role = 'rep' AND status = 'open' AND staff_id IS DISTINCT FROM @to",
    }),
  );
  return (customer, to) => move({ customer, to, on, reason });
}

/**
 * §3.4 for a doctor who leaves on `on` (left_on already set): each of their open doctor
 * tasks goes, customer by customer, to the doctor `chooseDoctor` picks among those active
 * on `on`. Returns [customer_id, new doctor or null][] (null: no active doctor is left).
 */
export function handOverDoctorTasks(db: DB, doctorId: string, on: string, movedOn: string = on): [number, string | null][] {
  const customers = db
    .prepare(
      `SELECT DISTINCT t.customer_id, c.district FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
       WHERE t.staff_id = ? AND t.status = 'open' ORDER BY t.customer_id`,
    )
    .all(doctorId) as { customer_id: number; district: string | null }[];
  const picker = doctorPicker(db, on);
  const move = openTaskMover(db, "customer_id = @customer AND staff_id = @from AND status = 'open' AND role = 'doctor'");
  const out: [number, string | null][] = [];
  for (const c of customers) {
    const to = picker.pick(c, doctorId);
    const n = move({ customer: c.customer_id, from: doctorId, to, on: movedOn, reason: 'handover' });
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
  /** the name of staff_id (issue 15: beside the id in every format); null when nobody holds it */
  staff_name: string | null;
  note: string | null;
}

/**
 * The tasks open on as-of (issue 18: on a past day too) due by the cutoff, overdue first then
 * by due_by (one order: due_by ascending puts every overdue task first), ties by task_id, each
 * with who held it that day. An iterator: rows are streamed, never all held in memory.
 */
export function dueTasks(db: DB, f: DueFilter): IterableIterator<DueRow> {
  const q = dueQuery(db, f);
  return db.prepare(q.sql).iterate(q.params) as IterableIterator<DueRow>;
}

/**
 * The SQL of `dueTasks` (exported so a test can check its query plan): a task is open on D
 * when it had started (created_on ≤ D) and was not done or cancelled by D; its holder on D
 * is tasks.staff_id unless it moved after D (then the first such move says from whom). The
 * parts below are merged in (due_by, task_id) order, each read through an index in that
 * order or small, so a LIMIT stops after that many rows even over millions of tasks:
 * - open now (the partial indexes on open tasks, tasks_open_due or tasks_open_staff);
 * - closed after D (tasks_closed, or one holder's tasks through tasks_kpi): empty for today;
 * - held on D by the one asked for and moved since (task_moves_from): empty for today.
 * On PostgreSQL (issue 19) the same parts without index hints (its planner chooses from
 * statistics; it has no INDEXED BY), coalesce as its tasks_closed index says, and the one
 * holder asked for said as `= @staff` or `IS NULL` (SQLite's `IS @staff` is not standard).
 */
export function dueQuery(db: DB, f: DueFilter): { sql: string; params: Record<string, string | number | null> } {
  const params: Record<string, string | number | null> = { asOf: f.asOf, cutoff: f.overdueOnly ? f.asOf : f.cutoff };
  // an archived customer (§5) is no longer followed up — from the day of its archiving
  const common = [
    f.overdueOnly ? 't.due_by < @cutoff' : 't.due_by <= @cutoff',
    sqlFor(db, { sqlite: "ifnull(t.created_on, '') <= @asOf", postgres: "coalesce(t.created_on, '') <= @asOf" }),
    '(c.archived_on IS NULL OR c.archived_on > @asOf)',
  ];
  if (f.role) {
    common.push('t.role = @role');
    params.role = f.role;
  }
  // the expression of each engine's tasks_closed index
  const closedOn = sqlFor(db, { sqlite: 'ifnull(t.done_on, t.cancelled_on)', postgres: 'coalesce(t.done_on, t.cancelled_on)' });
  const closedAfter = `t.status <> 'open' AND ${closedOn} > @asOf`;
  const notMovedSince = '(t.moved_on IS NULL OR t.moved_on <= @asOf)';
  const holderThen = holderOn('@asOf', { firstOwner: false });
  const part = (from: string, holder: string, where: string[]) =>
    `SELECT t.task_id, t.customer_id, c.name AS customer_name, c.phone, t.role, t.seq, t.plan, t.due_by, ${holder} AS staff_id, s.name AS staff_name, t.note
    FROM ${from} JOIN customers c ON c.customer_id = t.customer_id LEFT JOIN staff s ON s.staff_id = ${holder}
    WHERE ${[...where, ...common].join(' AND ')}`;
  let parts: string[];
  if (f.staff || f.unassigned) {
    // one holder (or nobody): what they hold now and held then, what they held then and was
    // closed since, and what moved away from them since
    params.staff = f.staff ?? null;
    const heldBy = (col: string) => sqlFor(db, { sqlite: `${col} IS @staff`, postgres: f.staff ? `${col} = @staff` : `${col} IS NULL` });
    parts = [
      part(sqlFor(db, { sqlite: 'tasks t INDEXED BY tasks_open_staff', postgres: 'tasks t' }), 't.staff_id', ["t.status = 'open'", heldBy('t.staff_id'), notMovedSince]),
      part(sqlFor(db, { sqlite: 'tasks t INDEXED BY tasks_kpi', postgres: 'tasks t' }), 't.staff_id', [heldBy('t.staff_id'), closedAfter, notMovedSince]),
      part(
        sqlFor(db, {
          sqlite: 'task_moves m0 INDEXED BY task_moves_from CROSS JOIN tasks t ON t.task_id = m0.task_id',
          postgres: 'task_moves m0 JOIN tasks t ON t.task_id = m0.task_id',
        }),
        'm0.from_staff_id',
        [
          heldBy('m0.from_staff_id'),
          'm0.moved_on > @asOf',
          `NOT EXISTS (SELECT 1 FROM task_moves m1 WHERE m1.task_id = m0.task_id AND m1.moved_on > @asOf AND (m1.moved_on < m0.moved_on OR (m1.moved_on = m0.moved_on AND m1.move_id < m0.move_id)))`,
          `(t.status = 'open' OR ${closedOn} > @asOf)`,
        ],
      ),
    ];
  } else {
    // Indexes named, so no statistics (or their absence) can send the planner to tasks_due,
    // which holds the done tasks too (80% of them at scale).
    // Closed since D: tens of thousands for a month back; they are chosen and put in order
    // from tasks_closed and the customers (archived?), and only the first `limit` are read.
    // tasks_closed is walked one closing day at a time (each a range of deadlines up to the
    // cutoff): a range on the closing day alone would visit every task closed since D, two
    // million a year back, to keep the few due by the cutoff (bench: 150 ms → 47 ms). On
    // PostgreSQL the one range, from tasks_closed (the statistics tasks_closed_on tell the
    // planner how few closed after D: pg/schema.ts).
    const closed = sqlFor(db, {
      sqlite: `WITH RECURSIVE closing(day) AS (SELECT date(@asOf, '+1 day') UNION ALL SELECT date(day, '+1 day') FROM closing
      WHERE day < (SELECT max(ifnull(done_on, cancelled_on)) FROM tasks INDEXED BY tasks_closed WHERE status <> 'open')) SELECT t.task_id FROM closing CROSS JOIN tasks t INDEXED BY tasks_closed ON ifnull(t.done_on, t.cancelled_on) = closing.day
      JOIN customers c ON c.customer_id = t.customer_id
      WHERE ${[closedAfter, ...common].join(' AND ')} ORDER BY t.due_by, t.task_id${f.limit ? ' LIMIT @limit' : ''}`,
      // the same walk, a day at a time: LATERAL … OFFSET 0 keeps the planner to it (asked for the
      // first `limit` in deadline order, it walked tasks_due through every task: a month back 6.4 s)
      postgres: `SELECT t.task_id FROM generate_series(CAST(@asOf AS date) + 1,
        (SELECT max(coalesce(done_on, cancelled_on)) FROM tasks WHERE status <> 'open')::date, interval '1 day') AS closing(day)
      CROSS JOIN LATERAL (SELECT t.* FROM tasks t WHERE ${[`${closedOn} = to_char(closing.day, 'YYYY-MM-DD')`, "t.status <> 'open'", ...common.filter((w) => !w.includes('c.'))].join(' AND ')} OFFSET 0) t
      JOIN customers c ON c.customer_id = t.customer_id
      WHERE ${[closedAfter, ...common].join(' AND ')} ORDER BY t.due_by, t.task_id${f.limit ? ' LIMIT @limit' : ''}`,
    });
    // PostgreSQL: a due list cut at `limit` reads the open tasks in deadline order and stops (the
    // planner would join all of them, 560,000 at scale, and sort: 1 s)
    const openFirst = `(SELECT t.* FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
      WHERE ${["t.status = 'open'", ...common].join(' AND ')} ORDER BY t.due_by, t.task_id LIMIT @limit) t`;
    parts = [
      part(sqlFor(db, { sqlite: 'tasks t INDEXED BY tasks_open_due', postgres: f.limit ? openFirst : 'tasks t' }), holderThen, ["t.status = 'open'"]),
      // PostgreSQL has no CROSS JOIN … ON (SQLite's way to fix the join order)
      part(sqlFor(db, { sqlite: `(${closed}) b CROSS JOIN tasks t ON t.task_id = b.task_id`, postgres: `(${closed}) b JOIN tasks t ON t.task_id = b.task_id` }), holderThen, []),
    ];
  }
  let sql = `${parts.join('\n  UNION ALL\n')}\n  ORDER BY due_by, task_id`;
  if (f.limit) {
    sql += ' LIMIT @limit';
    params.limit = f.limit;
  }
  return { sql, params };
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
