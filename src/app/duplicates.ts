/**
 * Issue 15: one person entered twice before names were normalised. `customers duplicates`
 * lists each group for a person to decide (nothing is merged by guess); `customers archive`
 * archives a record with a reason (SPEC §5: customers are never deleted), audited, and with
 * `--duplicate-of` names the record kept.
 */
import { columnHeader } from '../messages/columns.js';
import { UserError, UsageError } from '../errors.js';
import { t } from '../messages/index.js';
import { inTransaction, type DB } from '../store/db.js';
import { appendAudit } from '../store/audit.js';
import { changeLog } from '../store/changes.js';
import { ARCHIVE_FIELDS, archiveCustomer, exchangeIdentities, findCustomers, IDENTITY_FIELDS, type CustomerRecord } from '../store/customers.js';
import { customerLoad, duplicateGroups, normalIdentity } from '../store/duplicates.js';
import { normaliseText } from '../domain/normalise.js';
import { maskFreeText } from '../domain/masking.js';
import type { Column } from '../io/output/column.js';
import type { Listing, Notice } from './listing.js';

const COLUMNS: Column[] = [
  { key: 'group', header: columnHeader('col.duplicates.group'), kind: 'int' },
  { key: 'customer_id', header: columnHeader('col.customers.customer_id'), kind: 'int' },
  { key: 'name', header: columnHeader('col.customers.name'), mask: 'text' },
  { key: 'phone', header: columnHeader('col.customers.phone'), mask: 'phone' },
  { key: 'district', header: columnHeader('col.customers.district') },
  { key: 'owner_id', header: columnHeader('col.customers.owner_id') },
  { key: 'collected_on', header: columnHeader('col.customers.collected_on'), kind: 'date' },
  { key: 'open_tasks', header: columnHeader('col.duplicates.open_tasks'), kind: 'int' },
  { key: 'orders', header: columnHeader('col.duplicates.orders'), kind: 'int' },
];

export interface DuplicateListing extends Listing {
  /** a list written as data is logged as an export (§5) */
  exportLogged: boolean;
  /** writes that audit entry: called by the output when the rows leave */
  record?: () => void;
}

/** `customers duplicates`: one row per record, the records of one person under one group number. */
export function duplicateListing(db: DB, o: { asData: boolean; detail: string; target?: string }): DuplicateListing {
  const groups = duplicateGroups(db);
  const rows = groups.flatMap((g, i) => g.map((c) => ({ group: i + 1, ...c })));
  // §5 "every export with personal data": masked names and phones leaving as data, as `customers list`
  const exportLogged = o.asData && rows.length > 0;
  const record = exportLogged
    ? () => inTransaction(db, () => appendAudit(db, { action: 'export', approved_by: null, reason: null, subject: `customers duplicates → ${o.target ?? 'stdout'} (masked)`, detail: o.detail }))
    : undefined;
  const notices: Notice[] = rows.length ? [{ key: 'customers.duplicates.found', params: { groups: groups.length, n: rows.length } }] : [];
  return { rows, columns: COLUMNS, notices, exportLogged, record };
}

export interface ArchiveOptions {
  /** the customer's id (`#12` or `12`): an archive names one record, never a phone */
  id: string;
  reason: string;
  /** the id of the record kept when this one is the same person entered twice */
  duplicateOf?: string;
  asOf: string;
  /** the command line, for the audit log and the change log */
  command: string;
}

function byId(db: DB, raw: string): CustomerRecord {
  const v = normaliseText(raw);
  if (!/^#?\d{1,9}$/.test(v)) throw new UsageError(t('customers.archive.not_id', { value: raw }), t('customers.archive.not_id.hint'));
  const [c] = findCustomers(db, { id: Number(v.replace('#', '')) });
  if (!c) throw new UserError(t('customers.not_found', { value: v }), t('customers.not_found.hint'));
  return c;
}

/**
 * `customers archive`: archived on --as-of with the reason, one transaction with its audit
 * entry and change-log lines. Nothing moves: the open tasks and orders stay with the record
 * (a plan and its orders come from the events and files of that record, §3.2; moving them
 * would have to rebuild both plans), readable with `customers show ID`. With --duplicate-of,
 * when the extra record holds the spelling imports write (the kept one could not be
 * normalised because of it), the two spellings are exchanged so that imports and look-ups
 * reach the record kept.
 */
export function archiveUseCase(db: DB, o: ArchiveOptions): Notice[] {
  const reason = o.reason.trim();
  if (!reason) throw new UsageError(t('customers.archive.empty_reason'), t('customers.archive.empty_reason.hint'));
  // read, checked and written under the write lock: no other command archives it in between
  return inTransaction(db, () => archive(db, o, reason));
}

function archive(db: DB, o: ArchiveOptions, reason: string): Notice[] {
  const c = byId(db, o.id);
  const kept = o.duplicateOf === undefined ? undefined : byId(db, o.duplicateOf);
  if (c.archived_on !== null) {
    return [{ key: 'customers.archive.already', params: { id: c.customer_id, on: c.archived_on, reason: maskFreeText(c.archive_reason ?? '') } }];
  }
  let exchange = false;
  if (kept) {
    if (kept.customer_id === c.customer_id) throw new UsageError(t('customers.archive.self', { id: c.customer_id }), t('customers.archive.self.hint'));
    if (kept.archived_on !== null) throw new UserError(t('customers.archive.kept_archived', { kept: kept.customer_id }), t('customers.archive.kept_archived.hint'));
    const normal = normalIdentity(kept);
    if (normalIdentity(c).phone !== normal.phone) {
      const params = { id: c.customer_id, kept: kept.customer_id };
      throw new UserError(t('customers.archive.other_phone', params), t('customers.archive.other_phone.hint', params));
    }
    exchange = c.phone === normal.phone && c.name === normal.name && (kept.phone !== normal.phone || kept.name !== normal.name);
  }
  const stored = kept ? t('customers.archive.duplicate_reason', { kept: kept.customer_id, reason }) : reason;
  const load = customerLoad(db)(c.customer_id);
  const log = changeLog(db, o.command);
  if (kept && exchange) {
    exchangeIdentities(db, c, kept);
    const [a, b] = [{ phone: c.phone, name: c.name }, { phone: kept.phone, name: kept.name }];
    log.record('customers', String(kept.customer_id), b, a, IDENTITY_FIELDS);
    log.record('customers', String(c.customer_id), a, b, IDENTITY_FIELDS);
  }
  archiveCustomer(db, c.customer_id, o.asOf, stored);
  log.record('customers', String(c.customer_id), { archived_on: null, archive_reason: c.archive_reason }, { archived_on: o.asOf, archive_reason: stored }, ARCHIVE_FIELDS);
  // §5: customers are archived with a reason, in the audited trail; the subject names the records as `audit` does
  const subject = kept ? `customer ${c.customer_id} (duplicate of customer ${kept.customer_id})` : `customer ${c.customer_id}`;
  appendAudit(db, { action: 'archive', approved_by: null, reason, subject, detail: o.command });

  // each name as stored now, masked as every listing shows it (§5)
  const name = maskFreeText(exchange ? kept!.name : c.name);
  const notices: Notice[] = kept
    ? [{ key: 'customers.archived.duplicate', params: { id: c.customer_id, name, on: o.asOf, kept: kept.customer_id, kept_name: maskFreeText(exchange ? c.name : kept.name) } }]
    : [{ key: 'customers.archived', params: { id: c.customer_id, name, on: o.asOf } }];
  if (exchange) notices.push({ key: 'customers.archived.exchanged', params: { id: c.customer_id, kept: kept!.customer_id } });
  if (load.open_tasks > 0 || load.orders > 0) notices.push({ key: 'customers.archived.stays', params: { id: c.customer_id, open: load.open_tasks, orders: load.orders } });
  return notices;
}
