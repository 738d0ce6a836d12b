/**
 * events.csv — event attendance (活动签到, SPEC §2): attending opens the customer's file
 * (顾客档案表) and starts the follow-up plan; a purchase with an amount also records an order.
 * Parsing only; the customer is resolved and the plan applied on the main thread.
 */
import { keyOf, type ImportKind, type FieldError, type ParseResult, type RowNotice } from '../kind.js';
import { parseMoney, parseYesNo } from '../../domain/values.js';
import { CUSTOMER_COLUMNS, customerKeyText, parseCustomerKey, parseDateCell, parseStaffCell, type CustomerKey } from './followups.js';

export interface EventRow {
  customer: CustomerKey;
  event_date: string;
  /** '' when the sheet names no event */
  event: string;
  purchased: boolean;
  amount_fen: number | null;
  /** 填表人: a staff_id (an id or a name only one staff member has); blank: null */
  recorded_by: string | null;
}

export const kind: ImportKind<EventRow> = {
  name: 'events',
  // the first alias is the template's header; the others are what office sheets call the column (issue 15)
  columns: [
    ...CUSTOMER_COLUMNS,
    { key: 'event_date', aliases: ['活动日期', '日期', '签到日期', '参会日期', '会议日期', '活动时间', '举办日期'], required: true },
    { key: 'event', aliases: ['活动名称', '活动', '会议名称', '活动主题', '会议', '会议主题'] },
    { key: 'purchased', aliases: ['是否购买', '购买', '已购买', '是否成交', '成交', '购买情况', '是否下单', '有无购买'], required: true },
    { key: 'amount', aliases: ['购买金额', '金额', '消费金额', '成交金额', '订单金额', '销售金额'] },
    { key: 'recorded_by', aliases: ['填表人', '记录人', '登记人', '填表员', '录入人', '经办人', '记录员'] },
  ],
  // the store's identity of an attendance (customer, date, event), the customer as written
  rowKey: (e) => keyOf(customerKeyText(e.customer), e.event_date, e.event),
  keyColumns: ['customer', 'event_date', 'event'],
  parseRow(cells, ctx): ParseResult<EventRow> {
    const errors: FieldError[] = [];
    const notices: RowNotice[] = [];
    const customer = parseCustomerKey(cells, errors);
    const date = parseDateCell(cells, 'event_date', errors, { required: true, notAfter: ctx.asOf, futureFix: 'events.future_date.fix', notices });
    const pRaw = cells('purchased');
    const purchased = parseYesNo(pRaw);
    if (purchased === null) errors.push({ column: 'purchased', value: pRaw, reason: pRaw ? 'import.bad_yes_no' : 'import.required', fix: 'import.bad_yes_no.fix' });
    const aRaw = cells('amount');
    let amount: number | null = null;
    if (aRaw) {
      amount = parseMoney(aRaw);
      if (amount === null) errors.push({ column: 'amount', value: aRaw, reason: 'import.bad_money', fix: 'import.bad_money.fix' });
      else if (amount < 0) errors.push({ column: 'amount', value: aRaw, reason: 'import.negative', fix: 'import.negative.fix' });
      else if (purchased === false && amount > 0) errors.push({ column: 'amount', value: aRaw, reason: 'events.amount_without_purchase', fix: 'events.amount_without_purchase.fix' });
    }
    // 填表人: resolved against the roster like every staff reference (staffRef.ts)
    const recordedBy = parseStaffCell(cells, 'recorded_by', ctx, errors);
    if (errors.length) return { ok: false, errors };
    return {
      ok: true,
      value: { customer: customer!, event_date: date!, event: cells('event'), purchased: purchased!, amount_fen: purchased ? amount : null, recorded_by: recordedBy },
      notices: notices.length ? notices : undefined,
    };
  },
};
