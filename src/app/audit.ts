/**
 * The audit log (§5) and the change log (issue 13) as use cases: a GM's approval to reveal
 * sealed data, written to the audit log before anything is shown; `audit`, the log of
 * reveals and personal-data exports; `audit --changes`, every update of a stored row, field
 * by field, old → new.
 */
import { columnHeader } from '../messages/columns.js';
import { UserError, UsageError } from '../errors.js';
import { getLang, t, type MessageKey } from '../messages/index.js';
import { inTransaction, type DB } from '../store/db.js';
import { appendAudit, listAudit } from '../store/audit.js';
import { CHANGE_KINDS, changeKinds, iterateChanges, type ChangeEntry, type ChangeFilter } from '../store/changes.js';
import { findStaff } from '../store/staff.js';
import { maskFieldValue, maskFreeText } from '../domain/masking.js';
import { fenToYuanString } from '../domain/values.js';
import type { Column } from '../io/output/column.js';
import type { Listing } from './listing.js';

/** `--reveal --approved-by GM --reason TEXT` as given. */
export interface RevealRequest {
  reveal?: boolean;
  approvedBy?: string;
  reason?: string;
}

/** A GM's approval to reveal sealed data, checked but not yet written to the audit log. */
export interface Approval {
  approvedBy: string;
  reason: string;
}

/**
 * §5: a reveal needs `--approved-by` naming a gm in office `today` (the approval is given
 * now, whatever --as-of says) and a `--reason`. Null without --reveal; nothing written.
 */
export function approveReveal(db: DB, req: RevealRequest, today: string): Approval | null {
  if (!req.reveal) return null;
  if (!req.approvedBy || !req.reason?.trim()) throw new UsageError(t('reveal.needs_approval'), t('reveal.needs_approval.hint'));
  const gm = findStaff(db, req.approvedBy);
  if (!gm || gm.role !== 'gm') throw new UserError(t('reveal.not_gm', { who: req.approvedBy }), t('reveal.needs_approval.hint'));
  if (gm.left_on !== null && gm.left_on <= today) {
    throw new UserError(t('reveal.gm_left', { who: gm.staff_id, left_on: gm.left_on }), t('reveal.needs_approval.hint'));
  }
  return { approvedBy: gm.staff_id, reason: req.reason.trim() };
}

/** §5: the reveal in the audit log, written before the data is shown; `detail` is the command line. */
export function recordReveal(db: DB, approval: Approval, action: string, subject: string, detail: string): void {
  inTransaction(db, () => appendAudit(db, { action, approved_by: approval.approvedBy, reason: approval.reason, subject, detail }));
}

/** Checks the request and, when approved, writes the reveal; true when sealed data may be shown. */
export function authorizeReveal(db: DB, req: RevealRequest, today: string, action: string, subject: string, detail: string): boolean {
  const approval = approveReveal(db, req, today);
  if (approval) recordReveal(db, approval, action, subject, detail);
  return approval !== null;
}

/** A period of local calendar dates (YYYY-MM-DD), both ends included. */
export interface Period {
  from?: string;
  to?: string;
}

const AUDIT_COLUMNS: Column[] = [
  { key: 'audit_id', header: columnHeader('col.audit.audit_id'), kind: 'int' },
  { key: 'at', header: columnHeader('col.audit.at') },
  { key: 'action', header: columnHeader('col.audit.action'), codes: 'audit_action' },
  { key: 'approved_by', header: columnHeader('col.audit.approved_by') },
  { key: 'reason', header: columnHeader('col.audit.reason') },
  { key: 'subject', header: columnHeader('col.audit.subject') },
  { key: 'os_user', header: columnHeader('col.audit.os_user') },
];

/** `audit`: the log of reveals and exports, oldest first, streamed (it grows with every export). */
export function auditLog(db: DB, period: Period): Listing {
  return {
    columns: AUDIT_COLUMNS,
    rows: (function* () {
      // §5: a reason or subject typed with a phone or ID number in it is shown masked
      for (const r of listAudit(db, period)) yield { ...r, reason: maskFreeText(r.reason), subject: maskFreeText(r.subject) };
    })(),
  };
}

/** JSON keys and CSV headers (English, stable); table headers in the user's language. */
export const CHANGE_COLUMNS: Column[] = [
  { key: 'change_id', header: columnHeader('col.changes.change_id'), kind: 'int' },
  { key: 'at', header: columnHeader('col.changes.at') },
  { key: 'kind', header: columnHeader('col.changes.kind'), codes: 'change_kind' },
  { key: 'key', header: columnHeader('col.changes.key') },
  { key: 'field', header: columnHeader('col.changes.field') },
  { key: 'old_value', header: columnHeader('col.changes.old_value') },
  { key: 'new_value', header: columnHeader('col.changes.new_value') },
  { key: 'command', header: columnHeader('col.changes.command') },
  { key: 'os_user', header: columnHeader('col.changes.os_user') },
];

export interface ChangesOptions extends Period {
  /** as typed: a known kind in English or Chinese (`trips`, `出差`), or any kind already in the log */
  kind?: string;
  key?: string;
  reveal: RevealRequest;
  /** today's date, for the approval of a reveal */
  today: string;
  /** the command line, kept with the audit entry of a reveal */
  detail: string;
}

export interface ChangesListing extends Listing<ChangeEntry & Record<string, unknown>> {
  /** the filter as flags (` (--kind trips --key T001)`), for the summary */
  filter: string;
  revealed: boolean;
}

/**
 * `audit --changes`: the entries that match, oldest first, streamed (the log grows with
 * every correction). §5: unless a gm approved a reveal — audited before anything is shown —
 * sealed values and numbers typed into any text are masked (viewChange).
 */
export function changes(db: DB, o: ChangesOptions): ChangesListing {
  const filter: ChangeFilter = { from: o.from, to: o.to };
  if (o.kind !== undefined) filter.kind = kindOf(db, o.kind);
  if (o.key !== undefined && o.key.trim() !== '') filter.key = o.key.trim();
  const said = filterText(filter);
  const revealed = authorizeReveal(db, o.reveal, o.today, 'reveal', `audit --changes${said}`, o.detail);
  const sealed = t('sealed.placeholder');
  return {
    columns: CHANGE_COLUMNS,
    rows: (function* () {
      for (const r of iterateChanges(db, filter)) yield viewChange(r, revealed, sealed) as ChangeEntry & Record<string, unknown>;
    })(),
    filter: said,
    revealed,
  };
}

/** `--kind` in English or Chinese (`trips`, `出差`), case and spaces ignored; a kind only in the log as it is. */
function kindOf(db: DB, v: string): string {
  const raw = v.trim();
  const lower = raw.toLowerCase();
  for (const k of CHANGE_KINDS) if (lower === k || raw === kindName(k, 'zh')) return k;
  const inLog = changeKinds(db);
  if (raw && inLog.includes(raw)) return raw;
  const kinds = inLog.map((k) => (getLang() === 'zh' && k !== kindName(k, 'zh') ? `${k}（${kindName(k, 'zh')}）` : k));
  throw new UsageError(t('audit.bad_kind', { value: v, kinds: kinds.join(', ') }), t('audit.bad_kind.hint'));
}

/** A known kind's name in `lang` (`出差`); another kind as it is. */
export function kindName(kind: string, lang: 'zh' | 'en'): string {
  return (CHANGE_KINDS as readonly string[]).includes(kind) ? t(`audit.kind.${kind}` as MessageKey, undefined, lang) : kind;
}

/** The filter as flags (the same in both languages): ` (--kind trips --key T001)`. */
function filterText(f: ChangeFilter): string {
  const parts: string[] = [];
  if (f.kind) parts.push(`--kind ${f.kind}`);
  if (f.key) parts.push(`--key ${f.key}`);
  if (f.from) parts.push(`--from ${f.from}`);
  if (f.to) parts.push(`--to ${f.to}`);
  return parts.length ? ` (${parts.join(' ')})` : '';
}

/**
 * One entry as `audit --changes` shows it. Unless revealed (§5): a sealed field's old and new
 * values masked (phone `138****5678`, address `****`, ID `330726********1234`, health and a
 * follow-up's note `sealed`), phone and ID numbers typed into any other value, the key or the
 * command masked. Money stored in fen (a field `…_fen`) is shown in yuan under the field's
 * name without `_fen`: `advance` 1280.00 → 280.00, not `advance_fen` 128000 → 28000.
 */
export function viewChange(r: ChangeEntry, revealed: boolean, sealed: string): ChangeEntry {
  let v: ChangeEntry = revealed
    ? r
    : {
        ...r,
        key: maskFreeText(r.key),
        old_value: maskFieldValue(r.kind, r.field, r.old_value, sealed),
        new_value: maskFieldValue(r.kind, r.field, r.new_value, sealed),
        command: maskFreeText(r.command),
      };
  if (v.field.endsWith('_fen') && v.field.length > 4) {
    const yuan = (x: string | null) => (x !== null && /^-?\d{1,15}$/.test(x) ? fenToYuanString(Number(x)) : x);
    v = { ...v, field: v.field.slice(0, -4), old_value: yuan(v.old_value), new_value: yuan(v.new_value) };
  }
  return v;
}
