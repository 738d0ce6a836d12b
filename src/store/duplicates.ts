/**
 * Customers stored in another spelling than an import writes now (issue 15): before names
 * and phones were normalised, `冯　明` and `冯明` with one phone became two customers. Schema
 * migration 5 normalises every stored spelling it can (normaliseStoredCustomers); where the
 * normal one is taken, it does not guess: `customers duplicates` lists the group
 * (duplicateGroups) for a person to archive the extra record (SPEC §5: never deleted).
 */
import type { DB } from './db.js';
import { sqlFor } from './engine.js';
import { appendAudit } from './audit.js';
import { changeLog } from './changes.js';
import { normaliseText, personName } from '../domain/normalise.js';
import { normalizePhone } from '../domain/values.js';

export interface Identity {
  phone: string;
  name: string;
}

/**
 * A customer's phone and name as a survey import writes them now (cellValue, then
 * normalizePhone and personName): the customer's identity (SPEC §1). A phone no import
 * would take, or a name that normalises to nothing, stays as stored.
 */
export function normalIdentity(stored: Identity): Identity {
  return { phone: normalizePhone(normaliseText(stored.phone)) ?? stored.phone, name: personName(stored.name) || stored.name };
}

/**
 * A superset of the rows normalIdentity changes, for SQLite to pick out at C speed (1,000,000
 * customers, §7): a name of ASCII letters and digits and common CJK characters only, and a
 * plain mobile number, are already normal; every other row is checked in code. PostgreSQL
 * has no GLOB: the same patterns as regular expressions (issue 19; a bracket range there is
 * of code points too, in a UTF8 database).
 */
const maybeUnnormal = (db: DB): string =>
  sqlFor(db, {
    sqlite: `(name GLOB '*[^0-9A-Za-z\u4e00-\u9fff]*' OR phone NOT GLOB '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')`,
    postgres: `(name ~ '[^0-9A-Za-z\u4e00-\u9fff]' OR phone !~ '^1[3-9][0-9]{9}$')`,
  });

interface Unnormal extends Identity {
  customer_id: number;
  normal: Identity;
}

/** The customers whose stored phone or name is not as an import writes it, by id (few: gathered). */
function unnormalCustomers(db: DB, activeOnly: boolean): Unnormal[] {
  const sql = `SELECT customer_id, phone, name FROM customers WHERE ${maybeUnnormal(db)}${activeOnly ? ' AND archived_on IS NULL' : ''} ORDER BY customer_id`;
  const out: Unnormal[] = [];
  for (const r of db.prepare(sql).iterate() as IterableIterator<Identity & { customer_id: number }>) {
    const normal = normalIdentity(r);
    if (normal.phone !== r.phone || normal.name !== r.name) out.push({ ...r, normal });
  }
  return out;
}

const key = (i: Identity) => `${i.phone}\n${i.name}`;

/**
 * Migration 5: every customer whose normal phone and name no other customer holds gets them
 * (each field in the change log, issue 13); the others stay as they are, each left with the
 * customer holding its normal spelling for `customers duplicates`. One audit entry says how
 * many of each — none when there was nothing to do.
 */
export function normaliseStoredCustomers(db: DB, command: string): { normalised: number; groups: number } {
  const holder = db.prepare('SELECT customer_id FROM customers WHERE phone = ? AND name = ?').pluck(true);
  const update = db.prepare('UPDATE customers SET phone = ?, name = ? WHERE customer_id = ?');
  const log = changeLog(db, command);
  let normalised = 0;
  const groups = new Set<string>();
  // in id order: of two spellings of one normal name, the older customer gets it
  for (const c of unnormalCustomers(db, false)) {
    if (holder.get(c.normal.phone, c.normal.name) !== undefined) {
      groups.add(key(c.normal));
      continue;
    }
    update.run(c.normal.phone, c.normal.name, c.customer_id);
    log.record('customers', String(c.customer_id), { phone: c.phone, name: c.name }, { ...c.normal });
    normalised++;
  }
  if (normalised > 0 || groups.size > 0) {
    // §5: an audited trail; stored in English like every subject of the log
    appendAudit(db, {
      action: 'normalise',
      approved_by: null,
      reason: 'issue 15: names and phones as an import reads them',
      subject: `customers: ${normalised} normalised, ${groups.size} left as possible duplicates (salesops customers duplicates)`,
      detail: command,
    });
  }
  return { normalised, groups: groups.size };
}

export interface DuplicateMember {
  customer_id: number;
  name: string;
  phone: string;
  district: string | null;
  owner_id: string | null;
  collected_on: string;
  open_tasks: number;
  orders: number;
}

/**
 * The customers (archived ones left out) that are one person by their normal phone and name,
 * in groups of two or more, each group by id, the groups by their first id. Every group holds
 * a customer stored in another spelling (two normal ones would break UNIQUE(phone, name)),
 * so the groups are found from those: one pass over the rows of maybeUnnormal.
 */
export function duplicateGroups(db: DB): DuplicateMember[][] {
  const byKey = new Map<string, Unnormal[]>();
  for (const c of unnormalCustomers(db, true)) {
    const k = key(c.normal);
    byKey.set(k, [...(byKey.get(k) ?? []), c]);
  }
  const holder = db.prepare('SELECT customer_id FROM customers WHERE phone = ? AND name = ? AND archived_on IS NULL').pluck(true);
  const member = db.prepare('SELECT customer_id, name, phone, district, owner_id, collected_on FROM customers WHERE customer_id = ?');
  const load = customerLoad(db);
  const groups: DuplicateMember[][] = [];
  for (const spellings of byKey.values()) {
    const ids = spellings.map((c) => c.customer_id);
    const normal = holder.get(spellings[0].normal.phone, spellings[0].normal.name) as number | undefined;
    if (normal !== undefined) ids.push(normal);
    if (ids.length < 2) continue;
    groups.push(ids.sort((a, b) => a - b).map((id) => ({ ...(member.get(id) as Omit<DuplicateMember, 'open_tasks' | 'orders'>), ...load(id) })));
  }
  return groups.sort((a, b) => a[0].customer_id - b[0].customer_id);
}

/** What a customer holds that stays with its record when archived: open follow-up tasks and orders. */
export function customerLoad(db: DB): (customerId: number) => { open_tasks: number; orders: number } {
  const stmt = db.prepare(
    `SELECT (SELECT count(*) FROM tasks WHERE customer_id = @id AND status = 'open') AS open_tasks,
            (SELECT count(*) FROM orders WHERE customer_id = @id) AS orders`,
  );
  return (id) => stmt.get({ id }) as { open_tasks: number; orders: number };
}
