/**
 * followups.csv — completed follow-ups (回访记录, SPEC §2): customer, role, done_on, method,
 * staff, note. Also the cell helpers the events and orders kinds share: the customer key
 * (a phone, phone + name, or a customer id) and a staff member of the roster. The parser
 * only reads cells; the customer is looked up on the main thread (it needs the database).
 */
import { keyOf, type ImportKind, type FieldError, type ParseResult, type Cells, type ColumnSpec, type KindContext } from '../kind.js';
import type { MessageKey } from '../../messages/index.js';
import { staffCellOf, type Roster } from './staffRef.js';
import { parseDate, normalizePhone } from '../../domain/values.js';
import { parseFollowUpRole, parseMethod, type Method, type Role } from '../../domain/followUpPlan.js';
import { personName } from '../../domain/normalise.js';

/** How a row names its customer: resolved against the database by the writer. */
export interface CustomerKey {
  /** the column the user wrote it in (for the error message) */
  column: string;
  value: string;
  phone: string | null;
  id: number | null;
  name: string | null;
}

/** The customer columns every kind that refers to a customer shares (none is required alone). */
export const CUSTOMER_COLUMNS: ColumnSpec[] = [
  { key: 'customer', aliases: ['顾客编号', '顾客', '客户', '客户编号', 'customer_id'] },
  { key: 'phone', aliases: ['电话', '手机', '联系电话', '手机号', '电话号码', 'mobile'] },
  { key: 'name', aliases: ['姓名', '顾客姓名', '客户姓名'] },
];

/**
 * `customer` holds a phone (any written form) or a customer id (`12`, `#12`); or a `phone`
 * column; `name` narrows a shared phone. Null with an error pushed when neither is usable.
 */
export function parseCustomerKey(cells: Cells, errors: FieldError[]): CustomerKey | null {
  const name = personName(cells('name')) || null;
  const c = cells('customer');
  const p = cells('phone');
  if (!c && !p) {
    errors.push({ column: 'customer', value: '', reason: 'import.required', fix: 'fu.customer_key.fix' });
    return null;
  }
  if (c) {
    const phone = normalizePhone(c);
    if (phone) return { column: 'customer', value: c, phone, id: null, name };
    if (/^#?\d{1,9}$/.test(c)) return { column: 'customer', value: c, phone: null, id: Number(c.replace('#', '')), name };
    // a phone column may still name the customer when `customer` holds a name
    if (!p) {
      errors.push({ column: 'customer', value: c, reason: 'fu.bad_customer_key', fix: 'fu.customer_key.fix' });
      return null;
    }
  }
  const phone = normalizePhone(p);
  if (!phone) {
    errors.push({ column: 'phone', value: p, reason: 'survey.bad_phone', fix: 'survey.bad_phone.fix' });
    return null;
  }
  return { column: 'phone', value: p, phone, id: null, name: name ?? (c && !normalizePhone(c) ? c : null) };
}

/** A staff cell: a staff_id or a name only one staff member has → staff_id; blank → null (staffRef.ts). */
export function parseStaffCell(cells: Cells, column: string, ctx: KindContext, errors: FieldError[]): string | null {
  return staffCellOf(ctx.data as Roster | undefined, cells(column), column, errors);
}

/** A date cell: required or not, and not after `notAfter` (the as-of date) when given. */
export function parseDateCell(cells: Cells, column: string, errors: FieldError[], opts: { required: boolean; notAfter?: string; futureFix?: MessageKey }): string | null {
  const raw = cells(column);
  if (!raw) {
    if (opts.required) errors.push({ column, value: '', reason: 'import.required', fix: 'import.bad_date.fix' });
    return null;
  }
  const d = parseDate(raw);
  if (!d) errors.push({ column, value: raw, reason: 'import.bad_date', fix: 'import.bad_date.fix' });
  else if (opts.notAfter && d > opts.notAfter) {
    errors.push({ column, value: raw, reason: 'survey.future_date', params: { as_of: opts.notAfter }, fix: opts.futureFix ?? 'fu.future_date.fix' });
  }
  return d;
}

export interface FollowUpRow {
  customer: CustomerKey;
  role: Role;
  done_on: string;
  method: Method;
  /** null: the staff of the task it completes (for a rep, the owner) */
  staff_id: string | null;
  note: string;
}

/** A customer key as written, for a row key: the normalised phone or `#id`, then the name when given. */
export function customerKeyText(c: CustomerKey): string {
  return keyOf(c.phone ?? `#${c.id}`, c.name);
}

export const kind: ImportKind<FollowUpRow> = {
  name: 'followups',
  columns: [
    ...CUSTOMER_COLUMNS,
    { key: 'role', aliases: ['回访人', '回访角色', '角色', '岗位'], required: true },
    { key: 'done_on', aliases: ['回访日期', '日期', '回访时间'], required: true },
    { key: 'method', aliases: ['回访方式', '方式'], required: true },
    { key: 'staff', aliases: ['回访员工', '员工', '工号', 'staff_id', '回访人员'] },
    { key: 'note', aliases: ['回访内容', '回访记录', '内容', '备注', '沟通内容'], required: true, maxLength: 20_000 },
  ],
  // an exact repeat of another row (the same contact recorded twice); a corrected row differs
  rowKey: (f) => keyOf(customerKeyText(f.customer), f.role, f.done_on, f.method, f.staff_id, f.note),
  keyColumns: ['*'],
  parseRow(cells, ctx): ParseResult<FollowUpRow> {
    const errors: FieldError[] = [];
    const customer = parseCustomerKey(cells, errors);
    const roleRaw = cells('role');
    const role = parseFollowUpRole(roleRaw);
    if (!role) errors.push({ column: 'role', value: roleRaw, reason: roleRaw ? 'followups.error.role' : 'import.required', params: { value: roleRaw }, fix: 'followups.error.role.hint' });
    const doneOn = parseDateCell(cells, 'done_on', errors, { required: true, notAfter: ctx.asOf, futureFix: 'followups.error.future.hint' });
    const methodRaw = cells('method');
    const method = parseMethod(methodRaw);
    if (!method) errors.push({ column: 'method', value: methodRaw, reason: methodRaw ? 'followups.error.method' : 'import.required', params: { value: methodRaw }, fix: 'followups.error.method.hint' });
    const staff = parseStaffCell(cells, 'staff', ctx, errors);
    const note = cells('note');
    if (!note) errors.push({ column: 'note', value: '', reason: 'followups.error.note_required', fix: 'fu.note_required.fix' });
    if (errors.length) return { ok: false, errors };
    return { ok: true, value: { customer: customer!, role: role!, done_on: doneOn!, method: method!, staff_id: staff, note } };
  },
};
