/**
 * §3.4 handover, run wherever a leaver's left_on is set (staff leave, staff import), inside
 * the caller's transaction and after left_on is written.
 *
 * - Every customer the leaver owns (pinned and archived ones included: a leaver cannot
 *   remain the owner of anything) goes by §3.1 rules 2–4 (the engine's `handOver`) to an
 *   active rep on the date; a pin is cleared, with a note in the explanation. The history
 *   row has rule `handover` and previous_staff_id = the leaver; the kept handover list
 *   (table handovers) keeps which of rules 2–4 chose (`rule`) and how many open rep tasks
 *   moved with the customer.
 * - If any customer would be left without an owner (no other active rep, or all at
 *   capacity) it throws a UserError: the caller's transaction rolls back, nothing changes
 *   (left_on included) and the command says why (exit 1).
 * - Open rep tasks the leaver holds on customers they do not own go to those customers'
 *   owners; open doctor tasks of a leaving doctor go to the doctor `chooseDoctor` picks
 *   (src/store/followups.ts handOverDoctorTasks), or to nobody when no doctor is active.
 * - What went where, per receiver (`receivers`), is the plan `staff leave` shows before it
 *   commits (issue 15): counted from the moves themselves, so the plan is what happens.
 */
import type { DB } from '../store/db.js';
import type { Notice } from './listing.js';
import { t } from '../messages/index.js';
import { UserError } from '../errors.js';
import { handOver as engineHandOver } from '../domain/assignment.js';
import {
  assignPolicyOn,
  handoverWriter,
  hasOpenDoctorTasks,
  moveTasksToOwners,
  openDoctorTasksByCustomer,
  ownerChanges,
  readOwnedBy,
  readReps,
  setPin,
  strayOpenRepTasks,
} from '../store/assignments.js';
import { handOverDoctorTasks } from '../store/followups.js';
import { maskFreeText } from '../domain/masking.js';

/** a type, not an interface: a listing's rows are plain records (io/output Row) */
export type HandoverRow = {
  customer_id: number;
  new_staff_id: string;
  /** which of §3.1 rules 2–4 chose the new owner: nearness, new_staff or workload */
  rule: string;
  /** §5: masked (it quotes a cleared pin's reason, whose phone/ID numbers stay only in the database) */
  explanation: string;
  /** open rep tasks that moved to the new owner */
  tasks_moved: number;
};

/**
 * One receiver of a handover: a rep (customers, and the open rep tasks that went with them or
 * to the owner of their customer) or a doctor (a leaving doctor's open doctor tasks);
 * `staff_id` null: tasks held by nobody (no active doctor; a customer without an owner).
 */
export interface Receiver {
  staff_id: string | null;
  role: 'rep' | 'doctor';
  customers: number;
  open_tasks: number;
}

/** What a handover did; its list is printed with app/staff.ts HANDOVER_COLUMNS (the staff commands'). */
export interface Handover {
  rows: HandoverRow[];
  /** per receiver, reps first then doctors, each by staff_id, nobody last */
  receivers: Receiver[];
  /** where a leaving doctor's open tasks went (not with --quiet) */
  notices: Notice[];
  /** open doctor tasks left with nobody: said even with --quiet */
  warnings: Notice[];
}

export interface HandoverOptions {
  staffId: string;
  /** the leaver's first day gone, kept with each line of the list */
  leftOn: string;
  /** the date the new owners must be active on (--as-of) */
  asOf: string;
}

export function handOver(db: DB, o: HandoverOptions): Handover {
  const { staffId, leftOn, asOf } = o;
  // issue 18: the customers and tasks pass on the leaving day (a leave recorded late is still
  // the day the leaver stopped answering for them), or on as-of for a leave still to come
  const passedOn = leftOn < asOf ? leftOn : asOf;
  const rows: HandoverRow[] = [];
  const notices: Notice[] = [];
  const warnings: Notice[] = [];
  const received = new Map<string, Receiver>();
  const receive = (staff_id: string | null, role: Receiver['role'], customers: number, tasks: number) => {
    const k = `${role} ${staff_id ?? ''}`;
    let r = received.get(k);
    if (!r) received.set(k, (r = { staff_id, role, customers: 0, open_tasks: 0 }));
    r.customers += customers;
    r.open_tasks += tasks;
  };
  const owned = readOwnedBy(db, staffId);
  if (owned.length > 0) {
    const policy = assignPolicyOn(db, asOf);
    const reps = readReps(db, asOf, policy);
    const result = engineHandOver(staffId, owned, reps, asOf, policy);
    if (result.unassigned.length > 0) {
      const r = result.unassigned[0].reason;
      throw new UserError(
        t('assign.handover.failed', { leaver: staffId, n: result.unassigned.length, reason: t(r.key, r.params) }),
        t('assign.handover.failed.hint'),
      );
    }
    const byId = new Map(owned.map((c) => [c.customer_id, c]));
    const changes = ownerChanges(db, passedOn);
    const keep = handoverWriter(db);
    const texts = new Map<number, string>();
    for (const d of result.decisions) {
      const c = byId.get(d.customer_id)!;
      let explanation = t('assign.explain.handover', { leaver: staffId, then: t(d.explanation.key, d.explanation.params) });
      if (c.pinned) {
        setPin(db, c.customer_id, null);
        explanation = t('assign.explain.pin_cleared', { then: explanation, reason: c.pin_reason ?? '' });
      }
      texts.set(c.customer_id, explanation);
      changes.add({ customer_id: c.customer_id, staff_id: d.staff_id, previous_staff_id: staffId, rule: 'handover', explanation });
    }
    changes.finish();
    for (const d of result.decisions) {
      const c = byId.get(d.customer_id)!;
      const moved = moveTasksToOwners(db, [[c.customer_id, d.staff_id]], passedOn, 'handover');
      const rule = d.sub_rule ?? 'handover';
      keep(staffId, c.customer_id, d.staff_id, rule, leftOn, moved);
      receive(d.staff_id, 'rep', 1, moved);
      rows.push({
        customer_id: c.customer_id,
        new_staff_id: d.staff_id,
        rule,
        explanation: maskFreeText(texts.get(c.customer_id)!),
        tasks_moved: moved,
      });
    }
  }

  // §3.2: open rep tasks belong to the customer's owner, never to a leaver
  for (const s of strayOpenRepTasks(db, staffId)) {
    const moved = moveTasksToOwners(db, [[s.customer_id, s.owner_id]], passedOn, 'handover');
    if (moved > 0) receive(s.owner_id, 'rep', 0, moved);
  }

  // a leaving doctor: their open doctor tasks go to the covering doctor (nearness, then load)
  if (hasOpenDoctorTasks(db, staffId)) {
    const tasks = openDoctorTasksByCustomer(db, staffId);
    const moves = handOverDoctorTasks(db, staffId, asOf, passedOn);
    for (const [customer, doctor] of moves) {
      const n = tasks.get(customer) ?? 0;
      if (n > 0) receive(doctor, 'doctor', 0, n);
    }
    const to = new Map<string, number>();
    let none = 0;
    for (const [, doctor] of moves) {
      if (doctor === null) none++;
      else to.set(doctor, (to.get(doctor) ?? 0) + 1);
    }
    if (to.size > 0) {
      notices.push({
        key: 'assign.handover.doctor_tasks',
        params: { staff: staffId, n: moves.length - none, to: [...to.entries()].map(([d, n]) => `${d} (${n})`).join(', ') },
      });
    }
    if (none > 0) warnings.push({ key: 'assign.handover.doctor_none', params: { staff: staffId, n: none } });
  }
  const order = (r: Receiver) => `${r.role === 'rep' ? 0 : 1}${r.staff_id === null ? '1' : '0' + r.staff_id}`;
  const receivers = [...received.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { rows, receivers, notices, warnings };
}
