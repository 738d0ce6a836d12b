/**
 * The roster as use cases (SPEC §2 staff.csv, §3.4): `staff import`, `list`, `add`, `leave`,
 * `rehire`. A re-import never undoes a recorded leave; rehiring is `staff rehire`, audited
 * (issue 13). Every change is in one transaction with its change-log lines and, for a
 * leaver, the handover of their customers and open tasks.
 */
import { columnHeader } from '../messages/columns.js';
import { UserError, UsageError } from '../errors.js';
import { t } from '../messages/index.js';
import { inTransaction, type DB } from '../store/db.js';
import { getStaff, insertStaff, listStaff, setLeftOn, staffWriter, type KeptLeave } from '../store/staff.js';
import { changeLog } from '../store/changes.js';
import { appendAudit } from '../store/audit.js';
import { parseRole, type StaffMember } from '../domain/staff.js';
import { regionByCode } from '../domain/region.js';
import type { ImportReport } from '../io/importer.js';
import type { Column } from '../io/output/column.js';
import type { Listing, Notice } from './listing.js';
import type { ImportRequest } from './customers.js';
import { handOver, type HandoverRow, type Receiver } from './handover.js';

/** The handover list (app/handover.ts rows): each customer a leaver's handover moved, and why. */
export const HANDOVER_COLUMNS: Column[] = [
  { key: 'customer_id', header: columnHeader('col.handover.customer_id'), kind: 'int' },
  { key: 'new_staff_id', header: columnHeader('col.handover.new_staff_id') },
  { key: 'rule', header: columnHeader('col.handover.rule'), codes: 'rule' },
  { key: 'explanation', header: columnHeader('col.handover.explanation') },
];

/** What the handovers of a command said (where a leaving doctor's tasks went): notices, and warnings said even with --quiet. */
export interface HandoverNotes {
  notices: Notice[];
  warnings: Notice[];
}

export interface StaffImport extends HandoverNotes {
  report: ImportReport;
  /** recorded leaves the sheet did not undo (said with the way to rehire) */
  kept: KeptLeave[];
  /** each leaver the import recorded, with the customers handed over (once committed) */
  handovers: [staffId: string, rows: HandoverRow[]][];
}

/** `staff import`: upsert by staff_id, leavers handed over (§3.4), in the import's one transaction. */
export async function importStaff(db: DB, req: ImportRequest, o: { asOf: string; command: string }): Promise<StaffImport> {
  const { runImport } = await import('../io/importer.js');
  const done: Omit<StaffImport, 'report' | 'kept'> = { handovers: [], notices: [], warnings: [] };
  const writer = staffWriter(db, {
    onLeft: (staffId, leftOn) => {
      const h = handOver(db, { staffId, leftOn, asOf: o.asOf });
      done.handovers.push([staffId, h.rows]);
      done.notices.push(...h.notices);
      done.warnings.push(...h.warnings);
    },
    log: changeLog(db, o.command),
    asOf: o.asOf,
    command: o.command,
  });
  const report = await runImport({ ...req, kind: 'staff', db, writer, ctx: { asOf: o.asOf } });
  return { ...done, report, kept: writer.kept, handovers: report.committed ? done.handovers : [] };
}

const STAFF_COLUMNS: Column[] = [
  { key: 'staff_id', header: columnHeader('col.staff.staff_id') },
  { key: 'name', header: columnHeader('col.staff.name') },
  { key: 'role', header: columnHeader('col.staff.role'), codes: 'role' },
  { key: 'team', header: columnHeader('col.staff.team') },
  { key: 'district', header: columnHeader('col.staff.district') },
  { key: 'district_name', header: columnHeader('col.staff.district_name') },
  { key: 'areas', header: columnHeader('col.staff.areas'), kind: 'list' },
  { key: 'hired_on', header: columnHeader('col.staff.hired_on'), kind: 'date' },
  { key: 'regular_on', header: columnHeader('col.staff.regular_on'), kind: 'date' },
  { key: 'left_on', header: columnHeader('col.staff.left_on'), kind: 'date' },
  { key: 'capacity', header: columnHeader('col.staff.capacity'), kind: 'int' },
];

/** `staff list`: the roster by staff_id, with each district's name. */
export function staffList(db: DB, o: { role?: string; team?: string; activeOn?: string }): Listing {
  const role = o.role ? parseRole(o.role) : undefined;
  if (o.role && !role) throw new UsageError(t('staff.bad_role') + `: ${o.role}`, t('staff.bad_role.fix'));
  const rows = listStaff(db, { role: role ?? undefined, team: o.team, activeOn: o.activeOn }).map((s) => ({
    ...s,
    district_name: s.district ? regionByCode(s.district)?.fullName ?? null : null,
  }));
  return { rows, columns: STAFF_COLUMNS };
}

/** `staff add`: one roster row, validated as an imported one; refused when the staff_id is taken. */
export async function addStaff(db: DB, values: Record<string, string>, asOf: string): Promise<StaffMember> {
  const { kind } = await import('../io/kinds/staff.js');
  const parsed = kind.parseRow((k) => (values[k] ?? '').trim(), { asOf });
  if (!parsed.ok) {
    const e = parsed.errors[0];
    throw new UserError(`${e.column} "${e.value}": ${t(e.reason, e.params)}`, e.fix ? t(e.fix, e.params) : undefined);
  }
  const s = parsed.value;
  if (getStaff(db, s.staff_id)) throw new UserError(t('staff.exists', { id: s.staff_id }), t('staff.exists.hint'));
  inTransaction(db, () => insertStaff(db, s));
  return s;
}

function known(db: DB, staffId: string): StaffMember {
  const s = getStaff(db, staffId);
  if (!s) throw new UserError(t('staff.unknown', { id: staffId }), t('staff.unknown.hint'));
  return s;
}

/** One receiver of a leaver's handover, as `staff leave` shows it before anything moves (issue 15); staff_id null: held by nobody. */
export type LeavePlanRow = {
  staff_id: string | null;
  name: string | null;
  role: Receiver['role'];
  customers: number;
  open_tasks: number;
};

export const LEAVE_PLAN_COLUMNS: Column[] = [
  { key: 'staff_id', header: columnHeader('col.leave_plan.staff_id') },
  { key: 'name', header: columnHeader('col.leave_plan.name') },
  { key: 'role', header: columnHeader('col.leave_plan.role') },
  { key: 'customers', header: columnHeader('col.leave_plan.customers'), kind: 'int' },
  { key: 'open_tasks', header: columnHeader('col.leave_plan.open_tasks'), kind: 'int' },
];

/** What `staff leave` does, or would do: the plan per receiver, the list per customer, what to say. */
export interface Leave extends HandoverNotes {
  name: string;
  rows: HandoverRow[];
  plan: LeavePlanRow[];
  /** tasks the plan leaves with nobody, said plainly before the question (always, even with --quiet) */
  planWarnings: Notice[];
}

export interface LeaveOptions {
  staffId: string;
  leftOn: string;
  asOf: string;
  command: string;
  /** compute the plan only: the very handover, rolled back */
  dryRun?: boolean;
  /** the plan the user agreed to: anything else happening now is refused, nothing changed */
  expect?: Leave;
}

/** The way out of a dry run's transaction: the handover done, then rolled back. */
class PlanOnly {
  constructor(readonly leave: Leave) {}
}

/**
 * `staff leave`: left_on set, logged, and the leaver's customers and tasks handed over
 * (§3.4), all or nothing. The plan shown first (issue 15) is this same function with
 * `dryRun`: the same writes in the same transaction, rolled back, so it is what happens. Done
 * after a question, it is checked against the plan agreed to (`expect`): if another command
 * changed what moves in between, nothing is changed and the command says so (exit 1).
 */
export function leaveStaff(db: DB, o: LeaveOptions): Leave {
  const s = known(db, o.staffId);
  if (o.leftOn < s.hired_on) throw new UserError(t('staff.left_before_hired'), t('staff.left_before_hired.fix'));
  try {
    return inTransaction(db, () => {
      setLeftOn(db, o.staffId, o.leftOn);
      changeLog(db, o.command).field('staff', o.staffId, 'left_on', s.left_on, o.leftOn);
      const h = handOver(db, { staffId: o.staffId, leftOn: o.leftOn, asOf: o.asOf });
      const plan = h.receivers.map((r) => ({ ...r, name: r.staff_id === null ? null : getStaff(db, r.staff_id)?.name ?? null }));
      const leave: Leave = { name: s.name, rows: h.rows, plan, notices: h.notices, warnings: h.warnings, planWarnings: nobody(o.staffId, h.receivers) };
      if (o.dryRun) throw new PlanOnly(leave);
      if (o.expect && !samePlan(o.expect, leave)) throw new UserError(t('plans.leave.changed', { id: o.staffId }), t('plans.leave.changed.hint'));
      return leave;
    });
  } catch (e) {
    if (e instanceof PlanOnly) return e.leave;
    throw e;
  }
}

/** Open tasks a handover leaves with nobody (issue 15: said plainly before it happens). */
function nobody(staff: string, receivers: Receiver[]): Notice[] {
  return receivers
    .filter((r) => r.staff_id === null)
    .map((r) => ({ key: r.role === 'doctor' ? 'plans.leave.doctor_none' : 'plans.leave.rep_none', params: { staff, n: r.open_tasks } }));
}

/** The same customers to the same people, the same tasks to the same people. */
function samePlan(a: Leave, b: Leave): boolean {
  const moves = (l: Leave) => JSON.stringify([l.plan, l.rows.map((r) => [r.customer_id, r.new_staff_id, r.rule, r.tasks_moved])]);
  return moves(a) === moves(b);
}

/** `staff rehire`: a recorded leave cleared, logged and audited; returns the leave it cleared. */
export function rehireStaff(db: DB, o: { staffId: string; on: string; reason?: string; command: string }): string {
  const { staffId, on } = o;
  const s = known(db, staffId);
  const leftOn = s.left_on;
  if (leftOn === null) throw new UserError(t('staff.not_left', { id: staffId }), t('staff.not_left.hint', { id: staffId }));
  if (on < s.hired_on) throw new UserError(t('staff.rehire_before_hired', { on, hired: s.hired_on }), t('staff.left_before_hired.fix'));
  // back before the recorded leave: the leave and the rehire would say two things of the same days
  if (on < leftOn) throw new UserError(t('staff.rehire_before_left', { id: staffId, on, left: leftOn }), t('staff.rehire_before_left.hint', { id: staffId, left: leftOn }));
  inTransaction(db, () => {
    setLeftOn(db, staffId, null);
    changeLog(db, o.command).field('staff', staffId, 'left_on', leftOn, null);
    appendAudit(db, { action: 'rehire', approved_by: null, reason: o.reason?.trim() || null, subject: staffId, detail: `left_on ${leftOn} cleared; rehired on ${on}` });
  });
  return leftOn;
}
