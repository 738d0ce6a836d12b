/**
 * `export KIND` (SPEC §4, §5): every row of a kind as a listing — streamed from the store,
 * computed (allowances, kpi) or read — with its columns, what is masked unless a GM
 * approved the reveal, and the audit entry the export must leave. Nothing is read before
 * the rows are: the caller writes the audit entry first when the rows go straight out.
 */
import type { DB } from '../../store/db.js';
import type { Row } from '../../io/output/column.js';
import type { Listing } from '../listing.js';
import type { Period } from '../../domain/kpi.js';
import { classOf, classWindow } from '../../domain/kpi.js';
import { allowanceJson } from '../../domain/allowance.js';
import { maskAddress } from '../../domain/masking.js';
import { yuanToFen } from '../../domain/policy.js';
import { daysBetween } from '../../domain/values.js';
import { appendAudit } from '../../store/audit.js';
import { exportRows } from '../../store/exports.js';
import { policyOn } from '../../store/policy.js';
import { priceTrips } from '../../store/trips.js';
import { CLASS_STAFF_COLUMNS, CLASS_TEAM_COLUMNS, KPI_STAFF_COLUMNS, KPI_TEAM_COLUMNS, classReport, kpiReport, type By } from '../kpi.js';
import { exportColumns } from './columns.js';
import type { ExportKind } from './kinds.js';

/** Kinds that carry customers' personal data (names at least): every export of them is audited. */
const CUSTOMER_DATA: ReadonlySet<ExportKind> = new Set(['customers', 'events', 'files', 'tasks', 'followups', 'orders']);

/** A GM's approval to reveal sealed data (checked by the caller). */
export interface Approval {
  approvedBy: string;
  reason: string;
}

export interface ExportOptions {
  kind: ExportKind;
  /** only rows dated in it (kpi: the period reported); null: every row */
  period: Period | null;
  asOf: string;
  /** a kind with sealed columns (kinds.ts SEALED): shown as they are; null: masked or left out */
  approval: Approval | null;
  /** kpi: rows per staff or team, classes instead of KPIs, the totals row */
  by: By;
  classes: boolean;
  totals: boolean;
  /** where the rows go (a file, or `stdout`) and the command line, for the audit entry */
  target: string;
  command: string;
}

export interface AuditRecord {
  action: 'export';
  approved_by: string | null;
  reason: string | null;
  subject: string;
  detail: string;
}

export interface ExportListing extends Listing {
  rows: Iterable<Row>;
  /** the sealed columns shown as they are */
  revealed: boolean;
  /** json/jsonl: the object of a row when it is more than its columns (an allowance's lines) */
  json?: (row: Row) => unknown;
  /** §5 the entry of an export with personal data, revealed or masked; null when none */
  audit: AuditRecord | null;
}

export function exportData(db: DB, o: ExportOptions): ExportListing {
  const revealed = o.approval !== null;
  // §5 "every export with personal data", revealed (with its approval) or masked (customer
  // names leave even when phones are masked)
  const subject = `export ${o.kind}${o.period ? ' ' + o.period.label : ''} → ${o.target}`;
  const audit: AuditRecord | null =
    revealed || CUSTOMER_DATA.has(o.kind)
      ? { action: 'export', approved_by: o.approval?.approvedBy ?? null, reason: o.approval?.reason ?? null, subject: revealed ? subject : `${subject} (masked)`, detail: o.command }
      : null;
  if (o.kind === 'kpi') {
    const columns = o.classes ? (o.by === 'team' ? CLASS_TEAM_COLUMNS : CLASS_STAFF_COLUMNS) : o.by === 'team' ? KPI_TEAM_COLUMNS : KPI_STAFF_COLUMNS;
    return { rows: kpiRows(db, o), columns, revealed, audit };
  }
  const columns = exportColumns(o.kind, revealed);
  if (o.kind === 'allowances') return { rows: allowanceRows(db, o), columns, revealed, audit, json: (r) => r.json };
  return { rows: tableRows(db, o.kind, o, revealed), columns, revealed, audit };
}

/** Writes the export's audit entry (append-only). */
export function recordExport(db: DB, audit: AuditRecord): void {
  appendAudit(db, audit);
}

function* kpiRows(db: DB, o: ExportOptions): Generator<Row> {
  const rep = (o.classes ? classReport : kpiReport)(db, { period: o.period!, by: o.by, asOf: o.asOf });
  yield* rep.rows;
  if (o.totals) yield rep.total;
}

/** One row per trip priced by the policy (§3.3); json: the §4 `allowance` objects, lines included. */
function* allowanceRows(db: DB, o: ExportOptions): Generator<Row> {
  for (const { priced: p } of priceTrips(db, o.period ? { from: o.period.from, to: o.period.to } : {}, o.asOf)) {
    yield {
      json: allowanceJson(p),
      trip_no: p.trip_no,
      staff_id: p.staff_id,
      days: p.days,
      per_diem: p.per_diem_fen,
      claimed: p.claimed_fen,
      reimbursable: p.reimbursable_fen,
      advance: p.advance_fen,
      net_payable: p.net_payable_fen,
      flags: p.flags,
    };
  }
}

/** The rows of a table kind; a customer's class from the purchases of the policy's window, the address masked unless revealed. */
function* tableRows(db: DB, kind: Exclude<ExportKind, 'allowances' | 'kpi'>, o: ExportOptions, revealed: boolean): Generator<Row> {
  if (kind === 'assignments') {
    yield* assignmentRows(db, o);
    return;
  }
  if (kind !== 'customers') {
    yield* exportRows(db, { kind, range: o.period, asOf: o.asOf });
    return;
  }
  const pol = policyOn(db, o.asOf).kpi;
  const window = classWindow(o.asOf, pol.class_window_months);
  const th = { a_min_fen: yuanToFen(pol.class_a_min), b_min_fen: yuanToFen(pol.class_b_min) };
  for (const r of exportRows(db, { kind: 'customers', range: o.period, asOf: o.asOf, classWindow: window })) {
    const row: Row = { ...r, class: classOf(r.purchases_12m as number, th) };
    // §5 the address up to its district (the phone is masked by its column)
    if (!revealed) row.address = maskAddress(r.address as string | null, r.district as string | null);
    yield row;
  }
}

/**
 * issue 18: each assignment as a period of ownership — `until` (the customer's next change of
 * owner, null for the current owner) from the store, and the days it lasted: until − from, or
 * up to --as-of for the current one (0 for a row dated after --as-of: not yet held that day).
 */
function* assignmentRows(db: DB, o: ExportOptions): Generator<Row> {
  for (const r of exportRows(db, { kind: 'assignments', range: o.period, asOf: o.asOf })) {
    r.days = Math.max(0, daysBetween(r.assigned_on as string, (r.until as string | null) ?? o.asOf));
    yield r;
  }
}
