/**
 * §3.2 `followups done` (a follow-up made: it completes the earliest open task of its role,
 * else it is kept as an extra contact) and `followups add` (a manager's extra task, 其他回访计划).
 * Each is one transaction; what a person reads is returned as notices, what a program reads
 * as one record (json/jsonl).
 */
import type { DB } from '../../store/db.js';
import type { CustomerRef } from '../../store/followups.js';
import type { StaffMember } from '../../domain/staff.js';
import type { Method, Role } from '../../domain/followUpPlan.js';
import type { Notice } from '../listing.js';
import { inTransaction } from '../../store/db.js';
import { addManualTask, followUpRecorder } from '../../store/followups.js';
import { daysBetween } from '../../domain/values.js';
import { maskFreeText } from '../../domain/masking.js';
import { UserError } from '../../errors.js';
import { t } from '../../messages/index.js';

export interface Recorded<R> {
  record: R;
  notices: Notice[];
}

export interface DoneOptions {
  customer: CustomerRef;
  role: Role;
  method: Method;
  /** what was said (§3.2: required, already trimmed) */
  note: string;
  doneOn: string;
  /** who made it; else the holder of the task it completes (rep: else the customer's owner) */
  staff?: StaffMember;
  asOf: string;
}

export interface DoneRecord {
  customer_id: number;
  role: Role;
  done_on: string;
  method: Method;
  staff_id: string | null;
  /** matched (a task completed), extra (no open task of the role) or duplicate (already recorded) */
  result: 'matched' | 'extra' | 'duplicate';
  task_id: number | null;
  seq: number | null;
  due_by: string | null;
  late: boolean;
}

export function recordFollowUp(db: DB, o: DoneOptions): Recorded<DoneRecord> {
  // §3.2: only a follow-up already made is recorded; a later one is planned with `followups add`
  if (o.doneOn > o.asOf) throw new UserError(t('followups.error.future', { done_on: o.doneOn, as_of: o.asOf }), t('followups.error.future.hint'));
  const input = { customer_id: o.customer.customer_id, role: o.role, done_on: o.doneOn, method: o.method, staff_id: o.staff?.staff_id ?? null, note: o.note };
  const r = inTransaction(db, () => followUpRecorder(db).record(input));
  const role = t(`followups.role.${o.role}`);
  let notice: Notice;
  if (r.kind === 'duplicate') notice = { key: 'followups.done.duplicate' };
  else if (r.kind === 'extra') {
    notice = r.before_plan ? { key: 'followups.done.before_plan', params: { done_on: o.doneOn, start: r.before_plan } } : { key: 'followups.done.extra', params: { role } };
  } else if (r.late) notice = { key: 'followups.done.late', params: { role, seq: r.seq, due_by: r.due_by, days: daysBetween(r.due_by, o.doneOn) } };
  else notice = { key: 'followups.done.on_time', params: { role, seq: r.seq, due_by: r.due_by } };
  const matched = r.kind === 'matched' ? r : null;
  return {
    notices: [notice],
    record: {
      customer_id: input.customer_id,
      role: o.role,
      done_on: o.doneOn,
      method: o.method,
      staff_id: r.kind === 'duplicate' ? input.staff_id : r.staff_id,
      result: r.kind,
      task_id: matched?.task_id ?? null,
      seq: matched?.seq ?? null,
      due_by: matched?.due_by ?? null,
      late: matched?.late ?? false,
    },
  };
}

export interface AddOptions {
  customer: CustomerRef;
  role: Role;
  dueBy: string;
  /** who holds it; else the owner (rep) or the doctor chosen for the customer (doctor) */
  staff?: StaffMember;
  /** what to do (stored as typed) */
  note: string | null;
  asOf: string;
}

export interface AddRecord {
  task_id: number;
  customer_id: number;
  role: Role;
  seq: number;
  plan: 'manual';
  due_by: string;
  staff_id: string | null;
  note: string | null;
}

export function addFollowUp(db: DB, o: AddOptions): Recorded<AddRecord> {
  const { customer: c, role, staff } = o;
  const notices: Notice[] = [];
  if (staff && role === 'doctor' && staff.role !== 'doctor') notices.push({ key: 'followups.staff_not_doctor', params: { staff: staff.staff_id, role: staff.role } });
  // §3.2: rep tasks belong to the customer's owner; another holder would be lost on the next handover
  if (staff && role === 'rep' && staff.staff_id !== c.owner_id) {
    throw new UserError(t('followups.error.rep_not_owner', { staff: staff.staff_id, owner: c.owner_id ?? '—' }), t('followups.error.rep_not_owner.hint'));
  }
  const task = inTransaction(db, () => addManualTask(db, c, role, o.dueBy, staff?.staff_id ?? null, o.note, o.asOf));
  notices.push({ key: 'followups.add.added', params: { customer: c.customer_id, role: t(`followups.role.${role}`), seq: task.seq, due_by: o.dueBy } });
  if (o.dueBy < o.asOf) notices.push({ key: 'followups.add.past', params: { due_by: o.dueBy, as_of: o.asOf } });
  return {
    notices,
    // §5: the echo of the note is an output like any other: numbers masked (the note is stored as typed)
    record: { task_id: task.task_id, customer_id: c.customer_id, role, seq: task.seq, plan: 'manual', due_by: o.dueBy, staff_id: task.staff_id, note: maskFreeText(o.note) },
  };
}
