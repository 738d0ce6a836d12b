/**
 * Derived state follows its source (issue 13): a customer's file (顾客档案表), plan tasks and
 * task ↔ follow-up links are a function of its events, orders and follow-ups (and the
 * manual tasks a manager added). `replayPlan` (domain) computes them as one clean import of
 * the data as it is now would; this module reads the inputs, compares with what is stored
 * and writes only the difference:
 * - a task keeps its row (and task_id) when the plan still has it (same role, plan, seq),
 *   updated in place; tasks the plan no longer has are deleted, new ones inserted;
 * - who holds a task: an open rep task the owner, an open doctor task the customer's doctor
 *   (the one holding its doctor tasks while active, else nearness then load); a task that
 *   stays done or cancelled keeps who held it;
 * - follow-ups keep their rows; only which task they complete (and `late`) changes.
 * Events, orders and follow-ups imports apply their customers through `rebuild`; `check`
 * compares with `planDifference` (reads only).
 */
import type { DB } from './db.js';
import { sqlFor } from './engine.js';
import { doctorPicker, followupPolicyOn, policyVersions, type CustomerRef } from './followups.js';
import { ownerChangesOf, repHolding, taskMoveEraser, taskMoveWriter } from './history.js';
import { replayPlan, type Method, type PlanKind, type Replayed, type ReplayTask, type Role, type TaskStatus } from '../domain/followUpPlan.js';

interface StoredFile {
  opened_on: string;
  buyer: number;
  bought_on: string | null;
  event: string | null;
  recorded_by: string | null;
}

/** A stored task: the plan's task (with the follow-up it took) and who holds it. */
interface StoredTask extends ReplayTask {
  staff_id: string | null;
}

interface StoredFollowUp {
  followup_id: number;
  role: Role;
  done_on: string;
  method: Method;
  staff_id: string | null;
  task_id: number | null;
  late: number;
}

interface Stored {
  file: StoredFile | null;
  tasks: StoredTask[];
  followups: StoredFollowUp[];
}

/** What the imports say they did to files and plans (the summary lines of events/orders imports). */
export interface RebuildSummary {
  opened: number;
  buyers: number;
  upgraded: number;
  added: number;
  cancelled: number;
  /** follow-ups recorded earlier that the plans took */
  linked: number;
  /** files whose plan changed otherwise: a correction (是 → 否, a date), an earlier event */
  replanned: number;
  /** tasks a corrected plan no longer has */
  removed: number;
}

export function emptyRebuildSummary(): RebuildSummary {
  return { opened: 0, buyers: 0, upgraded: 0, added: 0, cancelled: 0, linked: 0, replanned: 0, removed: 0 };
}

const taskKey = (t: { role: Role; plan: PlanKind; seq: number }) => `${t.role}|${t.plan}|${t.seq}`;

/** Reads a customer's sources and what is stored; derives its plan (no writes). */
function planReader(db: DB) {
  const versions = policyVersions(db);
  const policyOn = (d: string) => followupPolicyOn(versions, d);
  const q = {
    events: db.prepare('SELECT event_date, purchased, event, recorded_by FROM events WHERE customer_id = ? ORDER BY event_id'),
    orders: db.prepare("SELECT DISTINCT order_date FROM orders WHERE customer_id = ? AND source = 'orders'").pluck(),
    file: db.prepare('SELECT opened_on, buyer, bought_on, event, recorded_by FROM files WHERE customer_id = ?'),
    tasks: db.prepare(
      'SELECT task_id, role, seq, plan, due_by, status, done_on, staff_id, followup_id, created_on, cancelled_on, cancel_reason FROM tasks WHERE customer_id = ? ORDER BY task_id',
    ),
    followups: db.prepare('SELECT followup_id, role, done_on, method, staff_id, task_id, late FROM followups WHERE customer_id = ? ORDER BY followup_id'),
  };
  const stored = (customerId: number): Stored => ({
    file: (q.file.get(customerId) as StoredFile | undefined) ?? null,
    tasks: q.tasks.all(customerId) as StoredTask[],
    followups: q.followups.all(customerId) as StoredFollowUp[],
  });
  const derive = (customerId: number, now: Stored): Replayed => {
    const manual = now.tasks.filter((t) => t.plan === 'manual');
    const held = new Set(manual.map((t) => t.task_id));
    const events = (q.events.all(customerId) as { event_date: string; purchased: number; event: string; recorded_by: string | null }[]).map((e) => ({
      event_date: e.event_date,
      purchased: e.purchased === 1,
      event: e.event || null,
      recorded_by: e.recorded_by,
    }));
    return replayPlan({
      events,
      orderDates: q.orders.all(customerId) as string[],
      followups: now.followups.filter((f) => f.task_id === null || !held.has(f.task_id)),
      manual: manual.map(({ staff_id: _s, ...t }): ReplayTask => ({ ...t })),
      policyOn,
    });
  };
  return { stored, derive };
}

function sameFile(a: StoredFile | null, b: Replayed['file']): boolean {
  if (a === null || b === null) return a === b;
  return a.opened_on === b.opened_on && (a.buyer === 1) === b.buyer && a.bought_on === b.bought_on && a.event === b.event && a.recorded_by === b.recorded_by;
}

/**
 * Brings customers' files, plans and links in line with their events, orders and follow-ups.
 * One per import (the doctor load it keeps grows as tasks are given out).
 */
export function planRebuilder(db: DB, asOf: string) {
  const reader = planReader(db);
  let doctors: ReturnType<typeof doctorPicker> | undefined;
  const summary = emptyRebuildSummary();
  const s = {
    upsertFile: db.prepare(
      `INSERT INTO files (customer_id, opened_on, buyer, bought_on, event, recorded_by) VALUES (@customer_id, @opened_on, @buyer, @bought_on, @event, @recorded_by)
       ON CONFLICT (customer_id) DO UPDATE SET opened_on = excluded.opened_on, buyer = excluded.buyer, bought_on = excluded.bought_on, event = excluded.event, recorded_by = excluded.recorded_by`,
    ),
    deleteFile: db.prepare('DELETE FROM files WHERE customer_id = ?'),
    unlink: db.prepare('UPDATE followups SET task_id = NULL, late = 0 WHERE followup_id = ?'),
    link: db.prepare('UPDATE followups SET task_id = ?, late = ? WHERE followup_id = ?'),
    fillStaff: db.prepare('UPDATE followups SET staff_id = ? WHERE followup_id = ? AND staff_id IS NULL'),
    deleteTask: db.prepare('DELETE FROM tasks WHERE task_id = ?'),
    updateTask: db.prepare(
      'UPDATE tasks SET due_by = ?, status = ?, done_on = ?, followup_id = ?, staff_id = ?, created_on = ?, cancelled_on = ?, cancel_reason = ? WHERE task_id = ?',
    ),
    insertTask: db.prepare(
      sqlFor(db, {
        sqlite:
          'INSERT INTO tasks (customer_id, role, seq, plan, due_by, status, done_on, followup_id, staff_id, note, created_on, cancelled_on, cancel_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)',
        // the new id: what SQLite's lastInsertRowid gives (pgDb.ts run)
        postgres:
          'INSERT INTO tasks (customer_id, role, seq, plan, due_by, status, done_on, followup_id, staff_id, note, created_on, cancelled_on, cancel_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?) RETURNING task_id',
      }),
    ),
    clearMoved: db.prepare('UPDATE tasks SET moved_on = NULL WHERE task_id = ?'),
    ownerSince: db.prepare('SELECT assigned_on FROM customers WHERE customer_id = ?').pluck(),
  };
  const ownerChanges = ownerChangesOf(db);
  const writeMove = taskMoveWriter(db);
  const eraseMoves = taskMoveEraser(db);

  /**
   * Re-derives one customer; returns whether anything changed. `c.owner_id` holds the rep
   * tasks; the customer's doctor (or the doctor rule) the doctor tasks.
   */
  function rebuild(c: CustomerRef): boolean {
    const now = reader.stored(c.customer_id);
    const target = reader.derive(c.customer_id, now);
    const byKey = new Map(now.tasks.map((t) => [taskKey(t), t]));
    // chosen before anything is written: the doctor now holding the customer's doctor tasks stays
    let doctor: string | null | undefined;
    const doctorFor = () => (doctor === undefined ? (doctor = (doctors ??= doctorPicker(db, asOf)).pick(c)) : doctor);

    // §3.2 rep tasks belong to the customer's owner: a rep task new to the plan (or open
    // again) was held, since its plan started, by whoever owned the customer each day (issue
    // 18: a purchase recorded after a handover, dated before it) — only a customer whose owner
    // changed after the task started needs its assignment history
    let since: string | null | undefined;
    const holding = (t: ReplayTask): { staff: string | null; moves: ReturnType<typeof repHolding>['moves'] } => {
      since ??= (s.ownerSince.get(c.customer_id) as string | null | undefined) ?? null;
      if (since === null || since <= t.created_on) return { staff: c.owner_id, moves: [] };
      const changes = ownerChanges(c.customer_id);
      // an owner with no assignment on record (a database filled by hand): the owner now
      if (changes.length === 0) return { staff: c.owner_id, moves: [] };
      const h = repHolding(changes, t.created_on, t.done_on ?? t.cancelled_on);
      return { staff: h.moves.length ? h.moves[h.moves.length - 1].to_staff_id : h.first, moves: h.moves };
    };
    type Op = { t: ReplayTask; old: StoredTask | undefined; staff: string | null; moves: ReturnType<typeof repHolding>['moves'] | null };
    const ops: Op[] = [];
    const keep = new Set<number>();
    for (const t of target.tasks) {
      const old = byKey.get(taskKey(t));
      if (old) keep.add(old.task_id);
      let staff: string | null;
      let moves: Op['moves'] = null;
      if (old && (old.status === t.status || t.status !== 'open')) staff = old.staff_id;
      else if (t.role === 'rep') ({ staff, moves } = holding(t));
      else staff = doctorFor();
      if (
        old &&
        old.due_by === t.due_by &&
        old.status === t.status &&
        old.done_on === t.done_on &&
        old.followup_id === t.followup_id &&
        old.staff_id === staff &&
        old.created_on === t.created_on &&
        old.cancelled_on === t.cancelled_on &&
        old.cancel_reason === t.cancel_reason &&
        moves === null
      )
        continue;
      ops.push({ t, old, staff, moves });
    }
    const gone = now.tasks.filter((t) => !keep.has(t.task_id));
    const fileSame = sameFile(now.file, target.file);
    // which stored task a target task is (known before writing, except new ones)
    const idOf = new Map<number, number>();
    for (const t of target.tasks) {
      const old = byKey.get(taskKey(t));
      if (old) idOf.set(t.task_id, old.task_id);
    }
    // a follow-up a manual task holds is not part of the replay: it stays where it is
    const heldByManual = new Set(now.tasks.filter((t) => t.plan === 'manual').map((t) => t.task_id));
    const linkChanges = now.followups.filter((f) => {
      const l = target.links.get(f.followup_id);
      if (!l) return f.task_id !== null ? !heldByManual.has(f.task_id) : f.late !== 0;
      return idOf.get(l.task_id) !== f.task_id || (l.late ? 1 : 0) !== f.late;
    });
    // who made a follow-up recorded without a name: the holder of the task it completes; an
    // extra rep contact the owner (as when it was recorded)
    const fills: [number, string][] = [];
    if (now.followups.some((f) => f.staff_id === null)) {
      const staffOf = new Map<number, string | null>();
      for (const o of ops) staffOf.set(o.t.task_id, o.staff);
      for (const t of target.tasks) if (!staffOf.has(t.task_id)) staffOf.set(t.task_id, byKey.get(taskKey(t))?.staff_id ?? null);
      for (const f of now.followups) {
        if (f.staff_id !== null) continue;
        const l = target.links.get(f.followup_id);
        let staff: string | null;
        if (l) staff = staffOf.get(l.task_id) ?? null;
        else if (f.task_id !== null && heldByManual.has(f.task_id)) staff = now.tasks.find((t) => t.task_id === f.task_id)?.staff_id ?? null;
        else staff = f.role === 'rep' ? c.owner_id : null;
        if (staff !== null) fills.push([f.followup_id, staff]);
      }
    }
    if (ops.length === 0 && gone.length === 0 && fileSame && linkChanges.length === 0 && fills.length === 0) return false;

    // 1. follow-ups let go of the tasks they no longer complete (followups.task_id references tasks)
    for (const f of linkChanges) s.unlink.run(f.followup_id);
    // 2. tasks the plan no longer has
    for (const t of gone) {
      eraseMoves(t.task_id);
      s.deleteTask.run(t.task_id);
      if (t.role === 'doctor' && t.status === 'open') doctors?.took(t.staff_id, -1);
    }
    // 3. tasks kept (updated in place) and new ones
    let inserted = 0;
    let cancelled = 0;
    for (const { t, old, staff, moves } of ops) {
      if (old) {
        s.updateTask.run(t.due_by, t.status, t.done_on, t.followup_id, staff, t.created_on, t.cancelled_on, t.cancel_reason, old.task_id);
        if (moves) {
          // open again: its holders are the owners since it started, as if never closed
          eraseMoves(old.task_id);
          s.clearMoved.run(old.task_id);
          for (const m of moves) writeMove({ task_id: old.task_id, ...m });
        }
        if (t.status === 'cancelled' && old.status !== 'cancelled') cancelled++;
        if (t.role === 'doctor' && (old.status === 'open') !== (t.status === 'open')) doctors?.took(staff, t.status === 'open' ? 1 : -1);
      } else {
        const id = Number(
          s.insertTask.run(c.customer_id, t.role, t.seq, t.plan, t.due_by, t.status, t.done_on, t.followup_id, staff, t.created_on, t.cancelled_on, t.cancel_reason).lastInsertRowid,
        );
        for (const m of moves ?? []) writeMove({ task_id: id, ...m });
        idOf.set(t.task_id, id);
        inserted++;
        if (t.status === 'cancelled') cancelled++;
        if (t.role === 'doctor' && t.status === 'open') doctors?.took(staff, 1);
      }
    }
    // 4. the links, and who made the follow-ups recorded without a name
    let linked = 0;
    for (const f of linkChanges) {
      const l = target.links.get(f.followup_id);
      if (!l) continue;
      s.link.run(idOf.get(l.task_id)!, l.late ? 1 : 0, f.followup_id);
      if (f.task_id === null) linked++;
    }
    for (const [id, staff] of fills) s.fillStaff.run(staff, id);
    // 5. the file
    if (!fileSame) {
      if (target.file === null) s.deleteFile.run(c.customer_id);
      else {
        const f = target.file;
        s.upsertFile.run({ customer_id: c.customer_id, opened_on: f.opened_on, buyer: f.buyer ? 1 : 0, bought_on: f.bought_on, event: f.event, recorded_by: f.recorded_by });
      }
    }

    // what it amounts to, in the import's words
    const before = now.file;
    const after = target.file;
    // the plan itself changed (not only which follow-up completes a task): a task added or
    // removed, re-dated, cancelled or no longer cancelled
    const planMoved =
      gone.some((t) => t.plan !== 'manual') ||
      ops.some((o) => !o.old || o.old.due_by !== o.t.due_by || (o.old.status === 'cancelled') !== (o.t.status === 'cancelled'));
    if (before === null && after !== null) {
      summary.opened++;
      if (after.buyer && after.bought_on === after.opened_on) summary.buyers++;
      else if (after.buyer) summary.upgraded++;
    } else if (before !== null && before.buyer === 0 && after?.buyer) {
      summary.upgraded++;
      // more than a later purchase: tasks removed or re-dated, the file re-dated
      if (gone.some((t) => t.plan !== 'manual') || ops.some((o) => o.old && o.old.due_by !== o.t.due_by) || before.opened_on !== after.opened_on) summary.replanned++;
    } else if (!fileSame || planMoved) {
      summary.replanned++;
    }
    summary.added += inserted;
    summary.cancelled += cancelled;
    summary.removed += gone.length;
    summary.linked += linked;
    return true;
  }

  return { summary, rebuild };
}

// ---------------------------------------------------------------------------------------
// `check`: a plan that disagrees with its events

/** A file and its plan as `check` describes them (store/maintenance.ts words it, in zh or en). */
export interface PlanShape {
  /** null: no file */
  file: { opened_on: string; buyer: boolean; bought_on: string | null } | null;
  /** plan tasks not cancelled */
  tasks: number;
  cancelled: number;
}

export interface PlanDisagreement {
  customer_id: number;
  /** what is stored: "buyer file opened 2024-05-09, 6 plan tasks" */
  stored: PlanShape;
  /** what the customer's events and orders give: "non-buyer file opened 2024-05-09, 2 plan tasks" */
  derived: PlanShape;
}

function shape(file: { opened_on: string; buyer: boolean; bought_on: string | null } | null, tasks: { status: TaskStatus }[]): PlanShape {
  const live = tasks.filter((t) => t.status !== 'cancelled').length;
  return { file, tasks: live, cancelled: tasks.length - live };
}

/**
 * The customers whose stored file or plan tasks differ from what their events and orders
 * give (the file's opening day, buyer status and purchase day; each plan task's role, plan,
 * seq, deadline and whether it was cancelled). Which follow-up completed which task is not
 * compared: follow-ups recorded out of date order take the earliest task open when they
 * come. Reads only.
 */
export function planDisagreements(db: DB, limit = Infinity): { count: number; samples: PlanDisagreement[] } {
  const reader = planReader(db);
  const customers = db
    .prepare("SELECT customer_id FROM files UNION SELECT customer_id FROM events UNION SELECT customer_id FROM tasks WHERE plan <> 'manual' ORDER BY 1")
    .pluck()
    .all() as number[];
  const samples: PlanDisagreement[] = [];
  let count = 0;
  const sig = (t: { role: Role; plan: PlanKind; seq: number; due_by: string; status: TaskStatus }) => `${t.role}|${t.plan}|${t.seq}|${t.due_by}|${t.status === 'cancelled' ? 'x' : ''}`;
  for (const id of customers) {
    const now = reader.stored(id);
    const target = reader.derive(id, now);
    const mine = now.tasks.filter((t) => t.plan !== 'manual');
    const theirs = target.tasks.filter((t) => t.plan !== 'manual');
    const a = mine.map(sig).sort().join(';');
    const b = theirs.map(sig).sort().join(';');
    const f = now.file;
    const g = target.file;
    const fileOk = f === null || g === null ? f === g : f.opened_on === g.opened_on && (f.buyer === 1) === g.buyer && f.bought_on === g.bought_on;
    if (fileOk && a === b) continue;
    count++;
    if (samples.length < limit) {
      const stored = shape(f ? { opened_on: f.opened_on, buyer: f.buyer === 1, bought_on: f.bought_on } : null, mine);
      const derived = shape(g ? { opened_on: g.opened_on, buyer: g.buyer, bought_on: g.bought_on } : null, theirs);
      samples.push({ customer_id: id, stored, derived });
    }
  }
  return { count, samples };
}
