/**
 * `assign set` and `assign unpin`: SPEC §3.1 rule 5, a manager's pin. A pin sets the owner
 * (history row rule `pin`), moves the customer's open rep tasks to them and keeps the reason;
 * unpinning leaves the owner and lets later handovers move the customer again. Each writes
 * in one transaction with its change-log lines (issue 13: owner and pin, old → new, as stored).
 */
import { UserError } from '../../errors.js';
import { t, type MessageKey } from '../../messages/index.js';
import type { DB } from '../../store/db.js';
import { inTransaction } from '../../store/db.js';
import type { CustomerRecord } from '../../store/customers.js';
import type { Listing, Notice } from '../listing.js';
import { validatePin } from '../../domain/assignment.js';
import { maskFreeText } from '../../domain/masking.js';
import { findStaff, listStaff } from '../../store/staff.js';
import { changeLog } from '../../store/changes.js';
import * as store from '../../store/assignments.js';
import { assignColumns, COL } from './columns.js';
import { roleWord } from './explain.js';

/** The reps a pin may go to on `asOf`, for the prompt's choices. */
export function pinTargets(db: DB, asOf: string): string[] {
  return listStaff(db, { role: 'rep', activeOn: asOf })
    .filter((s) => s.left_on === null)
    .map((s) => s.staff_id);
}

export interface PinOptions {
  asOf: string;
  customer: CustomerRecord;
  /** the rep, by staff id or name */
  staff: string;
  /** as typed (trimmed): stored unmasked */
  reason: string;
  /** the customer's name on the row (the table form) */
  names: boolean;
  /** the command line, for the change log */
  command: string;
}

const HINTS: Record<string, MessageKey> = {
  'assign.pin.unknown': 'assign.pin.unknown.hint',
  'assign.pin.not_rep': 'assign.pin.not_rep.hint',
  'assign.pin.not_hired': 'assign.pin.not_hired.hint',
  'assign.pin.left': 'assign.pin.left.hint',
};

/**
 * Pins the customer to the rep. Returns the pin as one row (none when it was already so)
 * and the notice that says what happened.
 */
export function pinCustomer(db: DB, o: PinOptions): Listing & { notices: Notice[] } {
  const { customer, asOf, reason } = o;
  // §5: the reason is stored as typed; what is printed of it, and the name, is masked
  const explanation = { ...COL.explanation, mask: 'text' as const };
  const columns = assignColumns(o.names, true, explanation);
  // rule 5: the target must be an active rep on --as-of, and not a recorded leaver
  const staff = findStaff(db, o.staff);
  const bad = validatePin(staff && store.repOf(staff), asOf, o.staff);
  if (bad) {
    const params = 'role' in bad.params ? { ...bad.params, role: roleWord(String(bad.params.role)) } : bad.params;
    const hint = HINTS[bad.key];
    throw new UserError(t(bad.key, params), hint ? t(hint, bad.params) : undefined);
  }
  if (staff!.left_on !== null) {
    throw new UserError(t('assign.pin.leaving', { staff: staff!.staff_id, left_on: staff!.left_on }), t('assign.pin.left.hint'));
  }
  if (customer.archived_on !== null) {
    throw new UserError(
      t('assign.pin.archived', { id: customer.customer_id, reason: maskFreeText(customer.archive_reason ?? '') }),
      t('assign.pin.archived.hint', { id: customer.customer_id }),
    );
  }
  const staffId = staff!.staff_id;
  if (customer.pinned === 1 && customer.owner_id === staffId && customer.pin_reason === reason) {
    return { rows: [], columns, notices: [{ key: 'assign.pin.unchanged', params: { id: customer.customer_id, staff: staffId } }] };
  }
  const text = t('assign.explain.pin', { reason });
  inTransaction(db, () => {
    const before = store.pinState(db, customer.customer_id)!;
    store.setPin(db, customer.customer_id, reason);
    const changes = store.ownerChanges(db, asOf);
    changes.add({ customer_id: customer.customer_id, staff_id: staffId, previous_staff_id: customer.owner_id, rule: 'pin', explanation: text });
    changes.finish();
    store.moveTasksToOwners(db, [[customer.customer_id, staffId]], asOf, 'pin');
    changeLog(db, o.command).record('customers', String(customer.customer_id), before, store.pinState(db, customer.customer_id)!, store.PIN_FIELDS);
  });
  const previous = customer.owner_id ?? '—';
  return {
    rows: [{ customer_id: customer.customer_id, name: customer.name, staff_id: staffId, rule: 'pin', explanation: text }],
    columns,
    notices: [{ key: 'assign.pinned', params: { id: customer.customer_id, name: maskFreeText(customer.name), staff: staffId, previous } }],
  };
}

/** Clears the customer's pin (the owner stays). Returns what to say. */
export function unpinCustomer(db: DB, customer: CustomerRecord, command: string): Notice {
  if (customer.pinned !== 1) return { key: 'assign.unpin.not_pinned', params: { id: customer.customer_id } };
  inTransaction(db, () => {
    const before = store.pinState(db, customer.customer_id)!;
    store.setPin(db, customer.customer_id, null);
    changeLog(db, command).record('customers', String(customer.customer_id), before, store.pinState(db, customer.customer_id)!, store.PIN_FIELDS);
  });
  return { key: 'assign.unpinned', params: { id: customer.customer_id, staff: customer.owner_id ?? '—' } };
}
