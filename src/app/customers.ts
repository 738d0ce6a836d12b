/**
 * The customers as use cases: `survey import` (survey rows in, customers out, SPEC §2),
 * `customers list` and `customers show` — sealed (§5) unless a GM approved a reveal, which
 * is written to the audit log before anything is shown.
 */
import { columnHeader } from '../messages/columns.js';
import { UserError, UsageError } from '../errors.js';
import { t } from '../messages/index.js';
import { inTransaction, type DB } from '../store/db.js';
import { findCustomers, listCustomers, surveyWriter, type CustomerRecord } from '../store/customers.js';
import { customerHistory, type CustomerHistory } from '../store/followups.js';
import { ownershipOf, type OwnershipPeriod } from '../store/ownership.js';
import { findStaff, rosterIndex, staffCount } from '../store/staff.js';
import { appendAudit } from '../store/audit.js';
import { normalizePhone } from '../domain/values.js';
import { normaliseText, personName } from '../domain/normalise.js';
import { maskCustomer, maskFreeText } from '../domain/masking.js';
import { regionByCode, resolveRegion } from '../domain/region.js';
import { isOverdue } from '../domain/followUpPlan.js';
import type { ImportOptions, ImportReport } from '../io/importer.js';
import type { Column } from '../io/output/column.js';
import type { Listing } from './listing.js';
import { authorizeReveal, type RevealRequest } from './audit.js';

/** What an import command passes on from its flags (SPEC §2). */
export type ImportRequest = Pick<ImportOptions<unknown>, 'file' | 'encoding' | 'delimiter' | 'skipInvalid' | 'rejects' | 'dryRun' | 'onProgress' | 'sheet'>;

/** `survey import`: needs the roster (a survey names its collector); one transaction (the importer's). */
export async function importSurveys(db: DB, req: ImportRequest, asOf: string): Promise<ImportReport> {
  if (staffCount(db) === 0) throw new UserError(t('survey.no_roster'), t('survey.no_roster.hint'));
  const { runImport } = await import('../io/importer.js');
  return runImport({ ...req, kind: 'surveys', db, writer: surveyWriter(db), ctx: { asOf, data: rosterIndex(db) } });
}

/** At most this many customers named in the error of an ambiguous argument (a shared landline). */
const AMBIGUOUS_SHOWN = 10;

/** issue 15: names compared with spaces of every kind left out and full-width letters as ASCII (`冯　明` = `冯 明` = `冯明`). */
const nameKey = (s: string) => normaliseText(s).replace(/ /g, '');

/**
 * A customer argument: an id (`#12` or `12` when short), a phone, or phone+name. A phone
 * that several customers share is an error that lists each (id, name, district; masked as
 * in a listing, §5) and exits 2; an archived record (a duplicate) is passed over when one
 * customer with the phone is not archived.
 */
export function resolveCustomer(db: DB, rawArg: string, rawName?: string): CustomerRecord {
  // issue 15: `１３８…`, `冯　明` typed as the import would read them
  const arg = normaliseText(rawArg);
  const name = rawName === undefined ? undefined : personName(rawName);
  const phone = normalizePhone(arg);
  let found: CustomerRecord[];
  if (phone) {
    found = findCustomers(db, { phone });
    if (name !== undefined) found = found.filter((c) => nameKey(c.name) === nameKey(name));
  } else if (/^#?\d{1,9}$/.test(arg)) found = findCustomers(db, { id: Number(arg.replace('#', '')) });
  else throw new UserError(t('customers.bad_key', { value: arg }), t('customers.bad_key.hint'));
  if (found.length === 0) throw new UserError(t('customers.not_found', { value: name ? `${arg} ${name}` : arg }), t('customers.not_found.hint'));
  const active = found.filter((c) => c.archived_on === null);
  const candidates = active.length > 0 ? active : found;
  if (candidates.length === 1) return candidates[0];
  throw ambiguous(arg, name, candidates);
}

function ambiguous(value: string, name: string | undefined, found: CustomerRecord[]): UsageError {
  const lines = found.slice(0, AMBIGUOUS_SHOWN).map((c) => {
    const region = c.district ? regionByCode(c.district) : undefined;
    const district = c.district ? (region ? `${c.district} ${region.name}` : c.district) : t('customers.ambiguous.no_district');
    // §5: a phone or ID number typed into a name is masked here as in every listing
    return t('customers.ambiguous.line', { id: c.customer_id, name: maskFreeText(c.name), district });
  });
  if (found.length > AMBIGUOUS_SHOWN) lines.push(t('customers.ambiguous.more', { n: found.length - AMBIGUOUS_SHOWN }));
  const params = { value, name: name ?? '', n: found.length, list: lines.join('\n') };
  const message = t(name === undefined ? 'customers.ambiguous_phone' : 'customers.ambiguous_name', params);
  // --name tells apart only customers of different names
  const oneName = new Set(found.map((c) => nameKey(c.name))).size === 1;
  const id = found[0].customer_id;
  const hint = t(name === undefined && !oneName ? 'customers.ambiguous.hint' : 'customers.ambiguous.hint_id', { id }) + (oneName ? t('customers.ambiguous.same_person') : '');
  return new UsageError(message, hint);
}

/**
 * §5: a customer as shown without a reveal — health omitted, the phone and the address
 * beyond the district masked, phone and ID numbers typed into free text masked.
 */
function sealed(c: CustomerRecord): Omit<CustomerRecord, 'health'> {
  return { ...maskCustomer(c), name: maskFreeText(c.name), pin_reason: maskFreeText(c.pin_reason), archive_reason: maskFreeText(c.archive_reason) };
}

const LIST_COLUMNS: Column[] = [
  { key: 'customer_id', header: columnHeader('col.customers.customer_id'), kind: 'int' },
  { key: 'name', header: columnHeader('col.customers.name') },
  { key: 'phone', header: columnHeader('col.customers.phone') },
  { key: 'gender', header: columnHeader('col.customers.gender'), codes: 'gender' },
  { key: 'birth_year', header: columnHeader('col.customers.birth_year'), kind: 'number' },
  { key: 'district', header: columnHeader('col.customers.district') },
  { key: 'address', header: columnHeader('col.customers.address') },
  { key: 'collector_id', header: columnHeader('col.customers.collector_id') },
  { key: 'collected_on', header: columnHeader('col.customers.collected_on'), kind: 'date' },
  { key: 'owner_id', header: columnHeader('col.customers.owner_id') },
];
const HEALTH: Column = { key: 'health', header: columnHeader('col.customers.health') };

export interface CustomerListOptions {
  unassigned?: boolean;
  /** a region code or place name: a province or city covers its counties */
  district?: string;
  /** staff id or a name only one staff member has */
  collector?: string;
  owner?: string;
  /** the rows asked for (0 = all), as the audit entry's subject names them; the output applies it */
  limit?: number;
  reveal: RevealRequest;
  /** today's date, for the approval of a reveal */
  today: string;
  /** the list leaves as data for a file or a script (csv, json…): §5 logs it like an export */
  asData: boolean;
  /** where it leaves for: the `--out` file, else stdout (named in the audit entry) */
  target?: string;
  /** the command line, kept with the audit entry */
  detail: string;
}

export interface CustomerListing extends Listing {
  revealed: boolean;
  /** a masked list written as data is logged as an export */
  exportLogged: boolean;
  /** writes that audit entry: called by the output when the rows leave (a file: once complete, before its rename) */
  record?: () => void;
}

/** `customers list`: the customers that match, by id, streamed (200,000 rows in flat memory). */
export function customerList(db: DB, o: CustomerListOptions): CustomerListing {
  let district: string | undefined;
  if (o.district) {
    const r = resolveRegion(o.district);
    if (!r.ok) {
      const candidates = r.reason === 'ambiguous' ? r.candidates.map((c) => `${c.fullName} (${c.code})`).join(', ') : '';
      throw new UsageError(t(r.reason === 'ambiguous' ? 'region.ambiguous' : 'region.unknown', { candidates }) + `: ${o.district}`, t('region.unknown.fix'));
    }
    district = r.region.code;
  }
  const staffId = (v?: string) => {
    if (!v) return undefined;
    const s = findStaff(db, v);
    if (!s) throw new UserError(t('staff.unknown', { id: v }), t('staff.unknown.hint'));
    return s.staff_id;
  };
  const filter = { unassigned: o.unassigned, district, collector: staffId(o.collector), owner: staffId(o.owner) };
  const subject = `customers list ${JSON.stringify({ ...filter, limit: o.limit })}`;
  const revealed = authorizeReveal(db, o.reveal, o.today, 'reveal', subject, o.detail);
  // §5 "every export with personal data": the list as data leaving for a file or a script
  // is logged like a masked `export customers` (a reveal was logged above)
  const exportLogged = !revealed && o.asData;
  const record = exportLogged
    ? () => inTransaction(db, () => appendAudit(db, { action: 'export', approved_by: null, reason: null, subject: `${subject} → ${o.target ?? 'stdout'} (masked)`, detail: o.detail }))
    : undefined;
  return {
    record,
    columns: revealed ? [...LIST_COLUMNS, HEALTH] : LIST_COLUMNS,
    rows: (function* () {
      for (const c of listCustomers(db, filter)) yield revealed ? c : sealed(c);
    })(),
    revealed,
    exportLogged,
  };
}

export interface CustomerCardOptions {
  /** an id (`#12`), a phone, or a phone shared by several customers with `name` */
  key: string;
  name?: string;
  asOf: string;
  reveal: RevealRequest;
  today: string;
  detail: string;
}

type Task = CustomerHistory['tasks'][number] & { overdue: boolean };

export interface CustomerCard {
  /** the customer as shown (sealed unless revealed), with `district_name` */
  customer: Record<string, unknown>;
  /** the file, the plan (each task overdue or not on --as-of), the contacts, the events, the orders */
  history: Omit<CustomerHistory, 'tasks'> & { tasks: Task[] };
  /** issue 18: who owned the customer when, oldest first (none before the first assignment) */
  ownership: OwnershipPeriod[];
  revealed: boolean;
}

/** `customers show`: one customer's card, its owners over time and its history. */
export function customerCard(db: DB, o: CustomerCardOptions): CustomerCard {
  const c = resolveCustomer(db, o.key, o.name);
  const revealed = authorizeReveal(db, o.reveal, o.today, 'reveal', `customer ${c.customer_id}`, o.detail);
  const customer: Record<string, unknown> = revealed ? { ...c } : sealed(c);
  customer.district_name = c.district ? regionByCode(c.district)?.fullName ?? null : null;
  const h = sealHistory(customerHistory(db, c.customer_id), revealed);
  return {
    customer,
    history: { ...h, tasks: h.tasks.map((x) => ({ ...x, overdue: x.status === 'open' && isOverdue(x.due_by, o.asOf) })) },
    ownership: ownershipOf(db, c.customer_id),
    revealed,
  };
}

/**
 * §5, the same rule as `export`: unless revealed, a task's note (the manager's instruction) is
 * shown with phone and ID numbers masked, a follow-up's note (what the customer said, often
 * health) is sealed, and the other free text (event names, products) has its numbers masked.
 */
function sealHistory(h: CustomerHistory, revealed: boolean): CustomerHistory {
  if (revealed) return h;
  return {
    ...h,
    file: h.file ? { ...h.file, event: maskFreeText(h.file.event) } : h.file,
    tasks: h.tasks.map((x) => ({ ...x, note: maskFreeText(x.note) })),
    followups: h.followups.map(({ note: _sealed, ...x }) => x) as CustomerHistory['followups'],
    events: h.events.map((e) => ({ ...e, event: maskFreeText(e.event) })),
    orders: h.orders.map((o) => ({ ...o, product: maskFreeText(o.product) })),
  };
}
