/**
 * §3.4 handover, called wherever a leaver's left_on is set (staff leave, staff import),
 * inside the caller's transaction and after left_on is written.
 *
 * - Every customer the leaver owns (pinned and archived ones included: a leaver cannot
 *   remain the owner of anything) goes by §3.1 rules 2–4 (the engine's `handOver`) to an
 *   active rep on --as-of; a pin is cleared, with a note in the explanation. The history
 *   row has rule `handover` and previous_staff_id = the leaver; the handover list row
 *   (table handovers) keeps which of rules 2–4 chose (`rule`) and how many open rep tasks
 *   moved with the customer.
 * - If any customer would be left without an owner (no other active rep, or all at
 *   capacity) it throws a UserError: the caller's transaction rolls back, nothing changes
 *   (left_on included) and the command says why (exit 1).
 * - Open rep tasks the leaver holds on customers they do not own go to those customers'
 *   owners; open doctor tasks of a leaving doctor go to the doctor `chooseDoctor` picks
 *   (src/store/followups.ts handOverDoctorTasks), or to nobody when no doctor is active.
 */
import type { DB } from '../store/db.js';
import type { Ctx } from './context.js';
import { t } from '../messages/index.js';
import { UserError } from '../errors.js';
import { handOver as engineHandOver } from '../domain/assignment.js';
import {
  assignPolicyOn,
  handoverWriter,
  hasOpenDoctorTasks,
  moveTasksToOwners,
  ownerChanges,
  readOwnedBy,
  readReps,
  setPin,
  strayOpenRepTasks,
} from '../store/assignments.js';
import { handOverDoctorTasks } from '../store/followups.js';
import { maskFreeText } from '../domain/masking.js';

export interface HandoverRow {
  customer_id: number;
  new_staff_id: string;
  /** which of §3.1 rules 2–4 chose the new owner: nearness, new_staff or workload */
  rule: string;
  explanation: string;
  previous_staff_id: string;
  /** open rep tasks that moved to the new owner */
  tasks_moved: number;
  /** the reason of the pin this handover cleared, if the customer was pinned */
  pin_cleared: string | null;
}

export function handOver(db: DB, ctx: Ctx, staffId: string, leftOn: string): HandoverRow[] {
  const asOf = ctx.asOf;
  const rows: HandoverRow[] = [];
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
    const changes = ownerChanges(db, asOf);
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
      const moved = moveTasksToOwners(db, [[c.customer_id, d.staff_id]]);
      const rule = d.sub_rule ?? 'handover';
      keep(staffId, c.customer_id, d.staff_id, rule, leftOn, moved);
      rows.push({
        customer_id: c.customer_id,
        new_staff_id: d.staff_id,
        rule,
        // §5: the handover list is printed; pin reasons keep their phone/ID numbers only in the database
        explanation: maskFreeText(texts.get(c.customer_id)!),
        previous_staff_id: staffId,
        tasks_moved: moved,
        pin_cleared: c.pinned ? maskFreeText(c.pin_reason) : null,
      });
    }
  }

  // §3.2: open rep tasks belong to the customer's owner, never to a leaver
  moveTasksToOwners(db, strayOpenRepTasks(db, staffId).map((s) => [s.customer_id, s.owner_id] as [number, string | null]));

  // a leaving doctor: their open doctor tasks go to the covering doctor (nearness, then load)
  if (hasOpenDoctorTasks(db, staffId)) {
    const moves = handOverDoctorTasks(db, staffId, asOf);
    const to = new Map<string, number>();
    let none = 0;
    for (const [, doctor] of moves) {
      if (doctor === null) none++;
      else to.set(doctor, (to.get(doctor) ?? 0) + 1);
    }
    if (to.size > 0) {
      ctx.info('assign.handover.doctor_tasks', {
        staff: staffId,
        n: moves.length - none,
        to: [...to.entries()].map(([d, n]) => `${d} (${n})`).join(', '),
      });
    }
    if (none > 0) ctx.warn(t('assign.handover.doctor_none', { staff: staffId, n: none }));
  }
  return rows;
}
