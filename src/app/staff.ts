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
import { handOver, type HandoverRow } from './handover.js';

/** The handover list (app/handover.ts rows): each customer a leaver's handover moved, and why. */
export const HANDOVER_COLUMNS: Column[] = [
  { key: 'customer_id', header: columnHeader('col.handover.customer_id'), kind: 'int' },
  { key: 'new_staff_id', header: columnHeader('col.handover.new_staff_id') },
  { key: 'rule', header: columnHeader('col.handover.rule') },
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
  });
  const report = await runImport({ ...req, kind: 'staff', db, writer, ctx: { asOf: o.asOf } });
  return { ...done, report, kept: writer.kept, handovers: report.committed ? done.handovers : [] };
}

const STAFF_COLUMNS: Column[] = [
  { key: 'staff_id', header: columnHeader('col.staff.staff_id') },
  { key: 'name', header: columnHeader('col.staff.name') },
  { key: 'role', header: columnHeader('col.staff.role') },
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

/** `staff leave`: left_on set, logged, and the leaver's customers and tasks handed over (§3.4), all or nothing. */
export function leaveStaff(db: DB, o: { staffId: string; leftOn: string; asOf: string; command: string }): HandoverNotes & { rows: HandoverRow[] } {
  const s = known(db, o.staffId);
  if (o.leftOn < s.hired_on) throw new UserError(t('staff.left_before_hired'), t('staff.left_before_hired.fix'));
  return inTransaction(db, () => {
    setLeftOn(db, o.staffId, o.leftOn);
    changeLog(db, o.command).field('staff', o.staffId, 'left_on', s.left_on, o.leftOn);
    return handOver(db, { staffId: o.staffId, leftOn: o.leftOn, asOf: o.asOf });
  });
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
