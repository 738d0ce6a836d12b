/**
 * Customer files and follow-up plans (回访原则, SPEC §3.2): which tasks a file starts, what a
 * later event does to it, which task a recorded follow-up completes, and what is due.
 * Pure: plain data in, plain data out. Dates are ISO `YYYY-MM-DD` strings, which compare
 * correctly as strings; day arithmetic goes through `addDays` (no Date object, so no time
 * zone can move a calendar date). Plan days come from the policy in force, never from here.
 */
import type { Policy } from './policy.js';
import { addDays } from './values.js';
import { nearness } from './region.js';

export type Role = 'rep' | 'doctor';
/** `manual` is a manager's extra task (§3.2 `followups add`, 其他回访计划). */
export type PlanKind = 'buyer' | 'non_buyer' | 'manual';
export type TaskStatus = 'open' | 'done' | 'cancelled';

/** A task to create (the store gives it a task_id and an owner). */
export interface TaskSpec {
  role: Role;
  seq: number;
  plan: PlanKind;
  due_by: string;
}

export interface Task {
  task_id: number;
  role: Role;
  seq: number;
  plan: PlanKind;
  due_by: string;
  status: TaskStatus;
  done_on: string | null;
}

/** The file (顾客档案表) of one customer. */
export interface FileState {
  /** §1: the day the customer first attended a company event */
  opened_on: string;
  buyer: boolean;
  /** the purchase that made the file a buyer's; null for a non-buyer */
  bought_on: string | null;
}

export type EventEffect =
  | { kind: 'open'; file: FileState; add: TaskSpec[] }
  | {
      kind: 'upgrade';
      file: FileState;
      /**
       * task_ids of the non-buyer tasks the purchase supersedes: the open ones, and the ones
       * done on or after the purchase date (recorded late: the plan was already superseded
       * then; their follow-ups are matched again, against the buyer plan)
       */
      cancel: number[];
      /** the buyer plan counted from the purchase date */
      add: TaskSpec[];
    }
  | { kind: 'none'; file: FileState };

export type FollowUpMatch = { task_id: number; late: boolean } | { task_id: null; late: false };

const ROLES: readonly Role[] = ['rep', 'doctor'];

/**
 * §3.2: the tasks of a file opened on `openedOn`, one per deadline of the buyer or
 * non-buyer plan: `due_by = openedOn + N days`, deadline inclusive. `seq` counts 1..n per
 * role in deadline order. Ordered by due_by, then rep before doctor, then seq.
 */
export function planFor(openedOn: string, buyer: boolean, policy: Policy['followup']): TaskSpec[] {
  const plan: PlanKind = buyer ? 'buyer' : 'non_buyer';
  const days = buyer ? policy.buyer : policy.non_buyer;
  const out: TaskSpec[] = [];
  for (const role of ROLES) {
    // §3.2 "days after the file opens": seq follows the deadlines, whatever order the
    // policy document lists them in.
    const sorted = [...days[role]].sort((a, b) => a - b);
    sorted.forEach((n, i) => out.push({ role, seq: i + 1, plan, due_by: addDays(openedOn, n) }));
  }
  return out.sort(compareSpecs);
}

function compareSpecs(a: TaskSpec, b: TaskSpec): number {
  if (a.due_by !== b.due_by) return a.due_by < b.due_by ? -1 : 1;
  if (a.role !== b.role) return a.role === 'rep' ? -1 : 1;
  return a.seq - b.seq;
}

/**
 * What attending an event does to a customer's file (SPEC §2 events.csv, §3.2):
 * - no file yet → `open` it on the event date, as a buyer's file when the customer bought
 *   there, with the matching plan;
 * - a non-buyer's file and a purchase (on any date) → `upgrade`: the open non-buyer tasks
 *   are cancelled (tasks done before the purchase stay done, manual ones stay open) and the
 *   buyer plan starts from the purchase date; a purchase dated before `opened_on` (an older
 *   event imported late) also moves `opened_on` back to it, since the customer attended
 *   then. A non-buyer task done on or after the purchase date (the purchase was recorded
 *   after the follow-up) is cancelled too: the result does not depend on which sheet was
 *   imported first;
 * - anything else → `none`: a buyer's file is never re-planned, and an event without a
 *   purchase neither restarts nor re-dates a plan that has started (even one dated before
 *   `opened_on`: its tasks may already have been worked).
 * Events of one customer should be applied in `event_date` order.
 */
export function applyEvent(
  existing: { file: FileState | null; tasks: Task[] },
  event: { event_date: string; purchased: boolean },
  policy: Policy['followup'],
): EventEffect {
  const { file, tasks } = existing;
  const date = event.event_date;
  if (file === null) {
    // §1 file: opened on the day the customer attends an event; starts the plan.
    return {
      kind: 'open',
      file: { opened_on: date, buyer: event.purchased, bought_on: event.purchased ? date : null },
      add: planFor(date, event.purchased, policy),
    };
  }
  if (!event.purchased || file.buyer) return { kind: 'none', file };
  // §2 events.csv: "a later purchase replaces an open non-buyer plan by a buyer plan from
  // that date" — also after the non-buyer plan is fully done: buyers are followed up.
  const cancel = tasks
    .filter((t) => t.plan === 'non_buyer' && (t.status === 'open' || (t.status === 'done' && t.done_on !== null && t.done_on >= date)))
    .map((t) => t.task_id);
  return {
    kind: 'upgrade',
    file: { opened_on: date < file.opened_on ? date : file.opened_on, buyer: true, bought_on: date },
    cancel,
    add: planFor(date, true, policy),
  };
}

/**
 * The tasks a follow-up dated `doneOn` may complete, for `matchFollowUp`: the open ones, and
 * the non-buyer tasks a purchase after `doneOn` cancelled (they were open on `doneOn`; the
 * follow-up was recorded after the purchase). Those come back with status 'open'.
 */
export function matchableTasks<T extends Task>(tasks: T[], doneOn: string, file: FileState | null): T[] {
  if (!file || !file.buyer || file.bought_on === null || doneOn >= file.bought_on) return tasks;
  return tasks.map((t) => (t.status === 'cancelled' && t.plan === 'non_buyer' ? { ...t, status: 'open' as const } : t));
}

/**
 * The first day a task's follow-up can be made: a follow-up made before the event that
 * started the plan cannot be a follow-up of it. Non-buyer plan: the opening day; buyer
 * plan: the purchase day; manual tasks: no limit (the manager set them).
 */
export function planStart(task: Pick<Task, 'plan'>, file: FileState): string | null {
  if (task.plan === 'non_buyer') return file.opened_on;
  if (task.plan === 'buyer') return file.bought_on ?? file.opened_on;
  return null;
}

/**
 * §3.2: a recorded follow-up completes the earliest open task of its role (by due_by, then
 * seq, then task_id); it is late when `doneOn > due_by` (deadline inclusive). With no such
 * task it is an extra contact (`task_id: null`), kept, never dropped. When `file` is given,
 * tasks whose plan started after `doneOn` are not eligible (see planStart): a contact dated
 * before the file opened, or before the purchase for a buyer-plan task, is an extra contact.
 * Follow-ups of one customer should be matched in `done_on` order.
 */
export function matchFollowUp(
  tasks: Task[],
  role: Role,
  doneOn: string,
  file?: FileState | null,
): FollowUpMatch {
  let best: Task | null = null;
  for (const t of tasks) {
    if (t.status !== 'open' || t.role !== role) continue;
    if (file) {
      const start = planStart(t, file);
      if (start !== null && doneOn < start) continue;
    }
    if (best === null || compareTasks(t, best) < 0) best = t;
  }
  if (best === null) return { task_id: null, late: false };
  return { task_id: best.task_id, late: isLate(best.due_by, doneOn) };
}

function compareTasks(a: Task, b: Task): number {
  if (a.due_by !== b.due_by) return a.due_by < b.due_by ? -1 : 1;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.task_id - b.task_id;
}

/** §3.2 deadline inclusive: done on `due_by` is on time, the day after is late. */
export function isLate(dueBy: string, doneOn: string): boolean {
  return doneOn > dueBy;
}

/** §3.5: an open task is overdue when `due_by < asOf` (due today is not yet overdue). */
export function isOverdue(dueBy: string, asOf: string): boolean {
  return dueBy < asOf;
}

/** §3.2 `followups due --as-of D --within K`: open tasks with `due_by <= D + K` are listed. */
export function dueCutoff(asOf: string, within: number): string {
  return addDays(asOf, within);
}

/**
 * §3.2 `followups add` (其他回访计划): a manager's task for a role, numbered after the
 * customer's earlier manual tasks of that role (cancelled and done ones included).
 */
export function manualTask(tasks: Pick<Task, 'role' | 'seq' | 'plan'>[], role: Role, dueBy: string): TaskSpec {
  let seq = 0;
  for (const t of tasks) if (t.plan === 'manual' && t.role === role && t.seq > seq) seq = t.seq;
  return { role, seq: seq + 1, plan: 'manual', due_by: dueBy };
}

// ---------------------------------------------------------------------------------------
// Who does the doctor's follow-ups (§3.2: "doctor tasks to the doctor covering the
// customer (nearness, then load)")

export interface DoctorCandidate {
  staff_id: string;
  district: string | null;
  areas: readonly string[];
  hired_on: string;
  left_on: string | null;
  /** open doctor tasks the doctor holds now (the load of §3.2) */
  open_tasks: number;
}

/**
 * The doctor for a customer's doctor tasks, or null when no doctor is active on `on`.
 * - `current` (the doctor already holding this customer's doctor tasks) keeps the customer
 *   while active: one customer, one doctor, as the collector keeps a customer in §3.1;
 * - otherwise the active doctor nearest to the customer's district (§3.1 tiers: same
 *   county or in the doctor's areas > same city > same province > anywhere), then the
 *   fewest open doctor tasks, then the lowest staff_id — deterministic.
 * Active on `on`: hired on or before it and not yet left (left_on is the first day away).
 */
export function chooseDoctor(
  customerDistrict: string | null,
  doctors: readonly DoctorCandidate[],
  on: string,
  current?: string | null,
): string | null {
  let best: DoctorCandidate | null = null;
  let bestTier = 4;
  for (const d of doctors) {
    if (!(d.hired_on <= on && (d.left_on === null || on < d.left_on))) continue;
    if (current && d.staff_id === current) return d.staff_id;
    const tier = nearness(customerDistrict, d.district, d.areas);
    if (
      best === null ||
      tier < bestTier ||
      (tier === bestTier && (d.open_tasks < best.open_tasks || (d.open_tasks === best.open_tasks && d.staff_id < best.staff_id)))
    ) {
      best = d;
      bestTier = tier;
    }
  }
  return best ? best.staff_id : null;
}

// ---------------------------------------------------------------------------------------
// Cell and flag values of the follow-up vocabulary

const ROLE_WORDS: Record<string, Role> = {
  rep: 'rep',
  representative: 'rep',
  满意代表: 'rep',
  滿意代表: 'rep',
  销售代表: 'rep',
  代表: 'rep',
  跟进人: 'rep',
  doctor: 'doctor',
  医生: 'doctor',
  顾服医生: 'doctor',
  顾服主管医生: 'doctor',
};

/** `rep`/`满意代表`/`销售代表` → rep, `doctor`/`医生`/`顾服医生` → doctor, else null. */
export function parseFollowUpRole(raw: string): Role | null {
  return ROLE_WORDS[raw.trim().toLowerCase()] ?? null;
}

export type Method = 'phone' | 'visit';

const METHOD_WORDS: Record<string, Method> = {
  phone: 'phone',
  call: 'phone',
  tel: 'phone',
  电话: 'phone',
  电话回访: 'phone',
  打电话: 'phone',
  visit: 'visit',
  home_visit: 'visit',
  上门: 'visit',
  上门回访: 'visit',
  走访: 'visit',
  拜访: 'visit',
};

/** §2 followups.csv `method`: phone/visit, 电话/上门 → 'phone' | 'visit', else null. */
export function parseMethod(raw: string): Method | null {
  return METHOD_WORDS[raw.trim().toLowerCase().replace(/[\s-]+/g, '_')] ?? null;
}

/**
 * Which open task a follow-up would have completed were it not dated before the plan
 * started (for the "before the plan" message): the earliest open task of the role, ignoring
 * plan starts, and that plan's start; null when there is none.
 */
export function planNotStarted(
  tasks: Task[],
  role: Role,
  doneOn: string,
  file: FileState | null,
): { start: string } | null {
  if (!file) return null;
  const any = matchFollowUp(tasks, role, doneOn);
  if (any.task_id === null) return null;
  const t = tasks.find((x) => x.task_id === any.task_id)!;
  const start = planStart(t, file);
  return start !== null && doneOn < start ? { start } : null;
}

/** §3.2: events of one customer in the order they are applied: by date; on one day a purchase first. */
export function compareEvents(a: { event_date: string; purchased: boolean }, b: { event_date: string; purchased: boolean }): number {
  if (a.event_date !== b.event_date) return a.event_date < b.event_date ? -1 : 1;
  return Number(b.purchased) - Number(a.purchased);
}

// ---------------------------------------------------------------------------------------
// A customer's plan derived from its sources (issue 13: derived state follows its source)

const byText = (a: string | null, b: string | null): number => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

/** An attendance, or a purchase from orders.csv (`order`), as the plan replays it. */
export interface ReplayEvent {
  event_date: string;
  purchased: boolean;
  event: string | null;
  recorded_by: string | null;
  order?: true;
}

export interface ReplayTask extends Task {
  /** the follow-up that completed it (done tasks only) */
  followup_id: number | null;
  /** issue 18: the day the task came into being (its plan's start; a manual task: the day it was added) */
  created_on: string;
  /** the day a purchase superseded it (cancelled tasks only) */
  cancelled_on: string | null;
  cancel_reason: 'purchase' | null;
}

export interface ReplayInput {
  /** the customer's attendances (ties of one day: a purchase first, then by event name) */
  events: Omit<ReplayEvent, 'order'>[];
  /** dates of the customer's orders from orders.csv */
  orderDates: string[];
  /** the customer's follow-ups, except those a manual task holds (they stay where they are) */
  followups: { followup_id: number; role: Role; done_on: string }[];
  /** the customer's manual tasks (§3.2 `followups add`) as they are */
  manual: ReplayTask[];
  /** the follow-up part of the policy in force on a date */
  policyOn: (date: string) => Policy['followup'];
}

export interface Replayed {
  file: (FileState & { event: string | null; recorded_by: string | null }) | null;
  /** manual tasks with their task_id; plan tasks numbered from PLAN_TASK_BASE up, in creation order */
  tasks: ReplayTask[];
  /** follow-up → the task it completes and whether late; a follow-up absent here is an extra contact */
  links: Map<number, { task_id: number; late: boolean }>;
}

/** Ids of the plan tasks of a replay: above any real task id, so a tie with a manual task goes to the manual one. */
export const PLAN_TASK_BASE = 2 ** 52;

/**
 * The file, plan tasks and task ↔ follow-up links of one customer exactly as importing its
 * events, orders and follow-ups into an empty database would give them, whatever order they
 * came in (SPEC §2, §3.2): events by date (a purchase first on a day), an order after that
 * day's events and only as "a later purchase" of an open file (events of one day: a purchase
 * first, then by event name); after each change of plan the
 * follow-ups not yet held, from the plan's start, in done_on order, each completing the
 * earliest open task of its role (matchFollowUp, matchableTasks). Pure: store/planRebuild.ts
 * reads the inputs, compares and writes.
 */
export function replayPlan(input: ReplayInput): Replayed {
  const tasks: ReplayTask[] = input.manual.map((t) => ({ ...t }));
  const links = new Map<number, { task_id: number; late: boolean }>();
  let file: Replayed['file'] = null;
  let next = PLAN_TASK_BASE;
  const events: ReplayEvent[] = input.events
    .map((e, i) => [e, i] as const)
    // ties of a day by the event's name, not by when it was recorded: sheets handed in
    // in parts, in any order, give the file the same event and 填表人 as one clean import
    .sort((a, b) => compareEvents(a[0], b[0]) || byText(a[0].event, b[0].event) || byText(a[0].recorded_by, b[0].recorded_by) || a[1] - b[1])
    .map(([e]) => ({ ...e }));
  const orders: ReplayEvent[] = [...new Set(input.orderDates)].sort().map((d) => ({ event_date: d, purchased: true, event: null, recorded_by: null, order: true }));
  // stable: events of a day keep their order, an order comes after the day's events
  const all = [...events, ...orders].sort((a, b) => (a.event_date !== b.event_date ? (a.event_date < b.event_date ? -1 : 1) : Number(a.order === true) - Number(b.order === true)));
  const followups = [...input.followups].sort((a, b) => (a.done_on !== b.done_on ? (a.done_on < b.done_on ? -1 : 1) : a.followup_id - b.followup_id));

  const match = (f: { followup_id: number; role: Role; done_on: string }) => {
    const open = tasks.filter((t) => t.role === f.role && (t.status === 'open' || t.status === 'cancelled'));
    const m = matchFollowUp(matchableTasks(open, f.done_on, file), f.role, f.done_on, file);
    if (m.task_id === null) return;
    const t = tasks.find((x) => x.task_id === m.task_id)!;
    t.status = 'done';
    t.done_on = f.done_on;
    t.followup_id = f.followup_id;
    t.cancelled_on = null;
    t.cancel_reason = null;
    links.set(f.followup_id, { task_id: t.task_id, late: m.late });
  };

  for (const ev of all) {
    if (ev.order && (file === null || file.buyer || ev.event_date < file.opened_on)) continue;
    const effect = applyEvent({ file, tasks: file ? tasks : [] }, ev, input.policyOn(ev.event_date));
    if (effect.kind === 'none') continue;
    const prev = file as Replayed['file'];
    const moved: boolean = prev === null || effect.file.opened_on !== prev.opened_on;
    file = {
      ...effect.file,
      event: moved || !prev ? ev.event || null : prev.event,
      recorded_by: moved || !prev ? ev.recorded_by : prev.recorded_by,
    };
    if (effect.kind === 'upgrade') {
      for (const id of effect.cancel) {
        const t = tasks.find((x) => x.task_id === id)!;
        if (t.followup_id !== null) links.delete(t.followup_id);
        t.status = 'cancelled';
        t.done_on = null;
        t.followup_id = null;
        // issue 18: superseded on the day of the purchase (a past due list still has it before)
        t.cancelled_on = ev.event_date;
        t.cancel_reason = 'purchase';
      }
    }
    // the plan starts on the event's day: the file's opening, or the purchase of a buyer plan
    for (const s of effect.add) tasks.push({ task_id: next++, ...s, status: 'open', done_on: null, followup_id: null, created_on: ev.event_date, cancelled_on: null, cancel_reason: null });
    // the follow-ups recorded so far that this plan may take, as if they came after it
    const start = effect.kind === 'open' ? effect.file.opened_on : (effect.file.bought_on ?? effect.file.opened_on);
    for (const f of followups) if (!links.has(f.followup_id) && f.done_on >= start) match(f);
  }
  return { file, tasks, links };
}
