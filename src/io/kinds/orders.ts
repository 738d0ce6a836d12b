/**
 * orders.csv — sales (销售订单, SPEC §2), idempotent by `order_no`. Parsing only; the
 * customer is resolved and the credited rep defaulted on the main thread.
 */
import type { ImportKind, FieldError, ParseResult, RowNotice } from '../kind.js';
import { textIdCell } from './cells.js';
import { parseMoney } from '../../domain/values.js';
import { CUSTOMER_COLUMNS, parseCustomerKey, parseDateCell, parseStaffCell, type CustomerKey } from './followups.js';

export interface OrderRow {
  order_no: string;
  customer: CustomerKey;
  order_date: string;
  amount_fen: number;
  /** null: the customer's owner at import */
  staff_id: string | null;
  product: string | null;
}

export const kind: ImportKind<OrderRow> = {
  name: 'orders',
  // the first alias is the template's header; the others are what office sheets call the column (issue 15)
  columns: [
    { key: 'order_no', aliases: ['订单编号', '订单号', '单号', '编号', '订单号码', '销售单号', '单据编号', '单据号', '订单ID'], required: true },
    ...CUSTOMER_COLUMNS,
    { key: 'order_date', aliases: ['订单日期', '下单日期', '日期', '销售日期', '成交日期', '购买日期', '开单日期'], required: true },
    { key: 'amount', aliases: ['金额', '订单金额', '销售金额', '成交金额', '订单总额', '实收金额', '总金额', '合计金额', '购买金额'], required: true },
    { key: 'staff', aliases: ['业务员', '销售员', '员工', '工号', 'staff_id', '跟进人', '销售代表', '业务代表', '经办人', '开单人', '业绩归属'] },
    { key: 'product', aliases: ['产品', '产品名称', '商品', '商品名称', '品名', '产品名'] },
  ],
  rowKey: (o) => o.order_no,
  keyColumns: ['order_no'],
  parseRow(cells, ctx): ParseResult<OrderRow> {
    const errors: FieldError[] = [];
    const notices: RowNotice[] = [];
    const orderNo = textIdCell(cells, 'order_no', errors);
    if (!orderNo) errors.push({ column: 'order_no', value: '', reason: 'import.required', fix: 'import.required.fix' });
    const customer = parseCustomerKey(cells, errors);
    const date = parseDateCell(cells, 'order_date', errors, { required: true, notAfter: ctx.asOf, notices });
    const aRaw = cells('amount');
    const amount = aRaw ? parseMoney(aRaw) : null;
    if (amount === null) errors.push({ column: 'amount', value: aRaw, reason: aRaw ? 'import.bad_money' : 'import.required', fix: 'import.bad_money.fix' });
    else if (amount < 0) errors.push({ column: 'amount', value: aRaw, reason: 'import.negative', fix: 'import.negative.fix' });
    const staff = parseStaffCell(cells, 'staff', ctx, errors);
    if (errors.length) return { ok: false, errors };
    return {
      ok: true,
      value: { order_no: orderNo, customer: customer!, order_date: date!, amount_fen: amount!, staff_id: staff, product: cells('product') || null },
      notices: notices.length ? notices : undefined,
    };
  },
};
