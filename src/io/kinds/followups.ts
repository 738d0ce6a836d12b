/**
 * followups.csv — completed follow-ups (回访记录, SPEC §2): customer, role, done_on, method,
 * staff, note. Also the cell helpers the events and orders kinds share: the customer key
 * (a phone, phone + name, or a customer id) and a staff member of the roster. The parser
 * only reads cells; the customer is looked up on the main thread (it needs the database).
 */
import { keyOf, type ImportKind, type FieldError, type ParseResult, type Cells, type ColumnSpec, type KindContext, type RowNotice } from '../kind.js';
import type { MessageKey } from '../../messages/index.js';
import { staffCellOf, type Roster } from './staffRef.js';
import { parseDate, normalizePhone } from '../../domain/values.js';
import { parseFollowUpRole, parseMethod, type Method, type Role } from '../../domain/followUpPlan.js';
import { personName } from '../../domain/normalise.js';
import { noteDate, phoneError, scientificError, PHONE_ALIASES } from './cells.js';
import { isExcelScientific } from '../../domain/values.js';

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
  { key: 'customer', aliases: ['顾客编号', '顾客', '客户', '客户编号', 'customer_id', '顾客ID', '客户ID', '档案号', '档案编号', '顾客档案号'] },
  { key: 'phone', aliases: PHONE_ALIASES },
  { key: 'name', aliases: ['姓名', '顾客姓名', '客户姓名', '名字', '顾客名字', '客户名字'] },
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
      errors.push(isExcelScientific(c) ? scientificError('customer', c) : { column: 'customer', value: c, reason: 'fu.bad_customer_key', fix: 'fu.customer_key.fix' });
      return null;
    }
  }
  const phone = normalizePhone(p);
  if (!phone) {
    errors.push(phoneError('phone', p));
    return null;
  }
  return { column: 'phone', value: p, phone, id: null, name: name ?? (c && !normalizePhone(c) ? c : null) };
}

/** A staff cell: a staff_id or a name only one staff member has → staff_id; blank → null (staffRef.ts). */
export function parseStaffCell(cells: Cells, column: string, ctx: KindContext, errors: FieldError[]): string | null {
  return staffCellOf(ctx.data as Roster | undefined, cells(column), column, errors);
}

/**
 * A date cell: required or not, and not after `notAfter` (the as-of date). A date without a
 * year is the latest such day up to `notAfter` (issue 15), said by a notice pushed to `notices`.
 */
export function parseDateCell(
  cells: Cells,
  column: string,
  errors: FieldError[],
  opts: { required: boolean; notAfter: string; futureFix?: MessageKey; notices: RowNotice[] },
): string | null {
  const raw = cells(column);
  if (!raw) {
    if (opts.required) errors.push({ column, value: '', reason: 'import.required', fix: 'import.bad_date.fix' });
    return null;
  }
  const d = parseDate(raw, opts.notAfter, 'past');
  if (!d) errors.push({ column, value: raw, reason: 'import.bad_date', fix: 'import.bad_date.fix' });
  else if (d > opts.notAfter) {
    errors.push({ column, value: raw, reason: 'survey.future_date', params: { as_of: opts.notAfter }, fix: opts.futureFix ?? 'fu.future_date.fix' });
  } else noteDate(opts.notices, raw, column, d);
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

/**
 * Words an office's follow-up sheet writes for the role and the method besides the ones
 * src/domain/followUpPlan.ts knows (issue 15).
 */
const OFFICE_ROLES: Record<string, string> = { 销售员: 'rep', 业务员: 'rep', 销售人员: 'rep', 跟进员工: 'rep', 医师: 'doctor', 顾服主管医生: 'doctor' };
const OFFICE_METHODS: Record<string, string> = {
  电访: 'phone',
  电话访问: 'phone',
  电话沟通: 'phone',
  致电: 'phone',
  来电: 'phone',
  家访: 'visit',
  入户: 'visit',
  入户回访: 'visit',
  上门拜访: 'visit',
  上门走访: 'visit',
  面访: 'visit',
  登门: 'visit',
};

export const kind: ImportKind<FollowUpRow> = {
  name: 'followups',
  // the first alias is the template's header; the others are what office sheets call the column (issue 15)
  columns: [
    ...CUSTOMER_COLUMNS,
    { key: 'role', aliases: ['回访人', '回访角色', '角色', '岗位', '回访岗位', '回访人类别'], required: true },
    { key: 'done_on', aliases: ['回访日期', '日期', '回访时间', '完成日期', '联系日期'], required: true },
    { key: 'method', aliases: ['回访方式', '方式', '回访形式', '形式', '回访途径'], required: true },
    { key: 'staff', aliases: ['回访员工', '员工', '工号', 'staff_id', '回访人员', '回访员', '回访人姓名', '执行人'] },
    { key: 'note', aliases: ['回访内容', '回访记录', '内容', '备注', '沟通内容', '回访情况', '沟通记录', '回访结果', '记录'], required: true, maxLength: 20_000 },
  ],
  // an exact repeat of another row (the same contact recorded twice); a corrected row differs
  rowKey: (f) => keyOf(customerKeyText(f.customer), f.role, f.done_on, f.method, f.staff_id, f.note),
  keyColumns: ['*'],
  parseRow(cells, ctx): ParseResult<FollowUpRow> {
    const errors: FieldError[] = [];
    const notices: RowNotice[] = [];
    const customer = parseCustomerKey(cells, errors);
    const roleRaw = cells('role');
    const role = parseFollowUpRole(OFFICE_ROLES[roleRaw] ?? roleRaw);
    if (!role) errors.push({ column: 'role', value: roleRaw, reason: roleRaw ? 'followups.error.role' : 'import.required', params: { value: roleRaw }, fix: 'followups.error.role.hint' });
    const doneOn = parseDateCell(cells, 'done_on', errors, { required: true, notAfter: ctx.asOf, futureFix: 'followups.error.future.hint', notices });
    const methodRaw = cells('method');
    const method = parseMethod(OFFICE_METHODS[methodRaw] ?? methodRaw);
    if (!method) errors.push({ column: 'method', value: methodRaw, reason: methodRaw ? 'followups.error.method' : 'import.required', params: { value: methodRaw }, fix: 'followups.error.method.hint' });
    const staff = parseStaffCell(cells, 'staff', ctx, errors);
    const note = cells('note');
    if (!note) errors.push({ column: 'note', value: '', reason: 'followups.error.note_required', fix: 'fu.note_required.fix' });
    if (errors.length) return { ok: false, errors };
    return { ok: true, value: { customer: customer!, role: role!, done_on: doneOn!, method: method!, staff_id: staff, note }, notices: notices.length ? notices : undefined };
  },
};
