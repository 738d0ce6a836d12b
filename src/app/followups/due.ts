/**
 * §3.2 `followups due`: the open tasks due by a cutoff (--as-of plus --within days, the
 * policy's due_within_days unless told), overdue first, for everyone, one staff member, the
 * tasks nobody holds yet or one role. Rows stream from the statement; sealed columns (§5)
 * are masked on the way out (Column.mask) unless a GM approved a reveal.
 */
import { columnHeader } from '../../messages/columns.js';
import type { DB } from '../../store/db.js';
import type { Column } from '../../io/output/column.js';
import type { Listing, Notice } from '../listing.js';
import { dueCutoff, isOverdue, type PlanKind, type Role } from '../../domain/followUpPlan.js';
import { daysBetween } from '../../domain/values.js';
import { dueTasks, followupPolicyOn, policyVersions } from '../../store/followups.js';
import { staffNamed } from './lookup.js';

/** §4: the machine formats (csv/tsv/json/jsonl), keys English and stable. */
export const DUE_COLUMNS: Column[] = [
  { key: 'customer_id', header: columnHeader('followups.col.customer_id'), kind: 'int' },
  { key: 'customer_name', header: columnHeader('followups.col.customer_name'), mask: 'text' },
  { key: 'role', header: columnHeader('followups.col.role') },
  { key: 'seq', header: columnHeader('followups.col.seq'), kind: 'int' },
  { key: 'due_by', header: columnHeader('followups.col.due_by'), kind: 'date' },
  { key: 'overdue', header: columnHeader('followups.col.overdue'), kind: 'bool' },
  { key: 'staff_id', header: columnHeader('followups.col.staff_id') },
  // issue 15: who holds the task, beside the id (§4's fields unchanged)
  { key: 'staff_name', header: columnHeader('followups.col.staff_name') },
  { key: 'phone', header: columnHeader('followups.col.phone'), mask: 'phone' },
  { key: 'days_overdue', header: columnHeader('followups.col.days_overdue'), kind: 'int' },
  { key: 'plan', header: columnHeader('followups.col.plan') },
  { key: 'task_id', header: columnHeader('followups.col.task'), kind: 'int' },
  // §5: phone/ID numbers typed into a note (or a name) are masked like the phone
  { key: 'note', header: columnHeader('followups.col.note'), mask: 'text' },
];

export type DueItem = {
  task_id: number;
  customer_id: number;
  customer_name: string;
  role: Role;
  seq: number;
  due_by: string;
  overdue: boolean;
  staff_id: string | null;
  staff_name: string | null;
  phone: string;
  days_overdue: number;
  plan: PlanKind;
  note: string | null;
};

export interface DueOptions {
  asOf: string;
  /** days after asOf; the policy's due_within_days when not given */
  within?: number;
  /** a staff id or a name only one staff member has */
  staff?: string;
  unassigned?: boolean;
  role?: Role;
  /** only tasks due before asOf */
  overdue?: boolean;
  /** rows the listing shows (0 = all): the query reads one more, to tell whether it was cut */
  limit: number;
}

export interface DueList extends Listing<DueItem> {
  rows: Iterable<DueItem>;
  /** what a reveal of this list is written to the audit log as (§5) */
  subject: string;
  /** after the rows were read: the line under them (none due, or how many and how many overdue) */
  tally(): { overdue: number; notice: Notice };
}

export function dueList(db: DB, o: DueOptions): DueList {
  const staff = o.staff ? staffNamed(db, o.staff).staff_id : undefined;
  const subject = `followups due ${JSON.stringify({ staff, unassigned: o.unassigned, role: o.role, overdue: o.overdue })}`;
  const within = o.within ?? followupPolicyOn(policyVersions(db), o.asOf).due_within_days;
  const cutoff = dueCutoff(o.asOf, within);
  const filter = { asOf: o.asOf, cutoff, staff, unassigned: o.unassigned, role: o.role, overdueOnly: o.overdue, limit: o.limit ? o.limit + 1 : undefined };
  let count = 0;
  let overdue = 0;
  // Lazily: the statement runs when the rows are read, after a reveal's audit entry is
  // written. A row is counted once the reader asks for the next one (or the rows end): the
  // row read only to tell that the list was cut is never taken, and never counted.
  const rows = function* (): Generator<DueItem> {
    for (const r of dueTasks(db, filter)) {
      const late = isOverdue(r.due_by, o.asOf);
      yield { ...r, overdue: late, days_overdue: late ? daysBetween(r.due_by, o.asOf) : 0 };
      count++;
      if (late) overdue++;
    }
  };
  const shownCutoff = o.overdue ? o.asOf : cutoff;
  return {
    rows: rows(),
    columns: DUE_COLUMNS,
    subject,
    tally: () => ({
      overdue,
      notice: count === 0 ? { key: 'followups.due.none', params: { cutoff: shownCutoff } } : { key: 'followups.due.summary', params: { cutoff: shownCutoff, count, overdue } },
    }),
  };
}
