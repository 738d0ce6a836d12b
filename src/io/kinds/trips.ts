/**
 * trips.csv — 出差登记 (SPEC §2), upsert by `trip_no`. The parser runs in the import worker:
 * the roster comes in `ctx.data` (`TripsKindData`), so an unknown traveller, reviewer,
 * approver or inviter is a row error here. Whether the signatures have the right roles is
 * not an import error: it is priced (flag `unapproved`, §3.3), so finance sees why.
 *
 * Also the cell helpers the expenses kind shares (staff, money, yes/no).
 */
import type { ImportKind, FieldError, ParseResult, Cells, KindContext, RowNotice } from '../kind.js';
import { staffCellOf, type Roster } from './staffRef.js';
import { noteDate, textIdCell } from './cells.js';
import { parseDate, parseDateTime, parseMoney, parseYesNo, type YearRule } from '../../domain/values.js';
import type { Scope, Trip } from '../../domain/allowance.js';

/** What the trips and expenses workers need from the database. */
export interface TripsKindData {
  roster: Roster;
  /** expenses only: every class name the import accepts (built in + the stored policies') */
  classes?: string[];
  /** expenses only: [trip_no, start_date] of the stored trips: a line's date without a year takes its trip's (issue 15) */
  tripStarts?: [string, string][];
}

/**
 * A trips.csv row as stored: the domain's Trip (§3.3) with its signatures as the staff ids
 * written, without the roles — those are read from the roster when the trip is priced.
 */
export type TripRow = Omit<Trip, 'staff_role' | 'reviewed_by' | 'approved_by'> & {
  reviewed_by: string | null;
  approved_by: string | null;
};

const key = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, '_');

const SCOPES: Record<string, Scope> = {
  in_province: 'in_province',
  in: 'in_province',
  province: 'in_province',
  省内: 'in_province',
  本省: 'in_province',
  省内出差: 'in_province',
  市内: 'in_province',
  本市: 'in_province',
  县内: 'in_province',
  out_of_province: 'out_of_province',
  out: 'out_of_province',
  outside_province: 'out_of_province',
  省外: 'out_of_province',
  外省: 'out_of_province',
  省外出差: 'out_of_province',
  出省: 'out_of_province',
  跨省: 'out_of_province',
};

const PURPOSES: Record<string, string> = {
  visit: 'visit',
  拜访: 'visit',
  拜访客户: 'visit',
  客户拜访: 'visit',
  回访客户: 'visit',
  客户回访: 'visit',
  看望客户: 'visit',
  见客户: 'visit',
  走访: 'visit',
  走访客户: 'visit',
  new_market: 'new_market',
  开发新市场: 'new_market',
  开发市场: 'new_market',
  拓展市场: 'new_market',
  市场拓展: 'new_market',
  开拓业务: 'new_market',
  开发新客户: 'new_market',
  开拓市场: 'new_market',
  开拓新市场: 'new_market',
  新市场: 'new_market',
  市场开发: 'new_market',
  other: 'other',
  其他: 'other',
  其它: 'other',
  培训: 'other',
  开会: 'other',
  会议: 'other',
};

const TRANSPORT: Record<string, Trip['transport_provided']> = {
  company_car: 'company_car',
  公司派车: 'company_car',
  派车: 'company_car',
  公车: 'company_car',
  公司车: 'company_car',
  单位派车: 'company_car',
  公司用车: 'company_car',
  公务车: 'company_car',
  own_vehicle: 'own_vehicle',
  自驾: 'own_vehicle',
  私车: 'own_vehicle',
  自备车: 'own_vehicle',
  私家车: 'own_vehicle',
  自驾车: 'own_vehicle',
  自己开车: 'own_vehicle',
  私车公用: 'own_vehicle',
  host: 'host',
  对方接送: 'host',
  客户接送: 'host',
  接待方提供: 'host',
  对方提供: 'host',
  对方派车: 'host',
  客户派车: 'host',
  对方安排: 'host',
  接待单位提供: 'host',
  none: null,
  no: null,
  n: null,
  无: null,
  否: null,
  没有: null,
  不提供: null,
};

/** A staff cell: a staff_id or a name only one staff member has → staff_id; blank → null (staffRef.ts). */
export function staffCell(cells: Cells, column: string, ctx: KindContext, errors: FieldError[], required = false): string | null {
  return staffCellOf((ctx.data as TripsKindData | undefined)?.roster, cells(column), column, errors, required);
}

/** Yuan ≥ 0 → fen; blank → null (or an error when required). */
export function moneyCell(cells: Cells, column: string, errors: FieldError[], required = false): number | null {
  const raw = cells(column);
  if (!raw) {
    if (required) errors.push({ column, value: '', reason: 'import.required', fix: 'import.bad_money.fix' });
    return null;
  }
  const fen = parseMoney(raw);
  if (fen === null) errors.push({ column, value: raw, reason: 'import.bad_money', fix: 'import.bad_money.fix' });
  else if (fen < 0) errors.push({ column, value: raw, reason: 'import.negative', fix: 'import.negative.fix' });
  return fen;
}

/** yes/no → boolean; blank → null. */
export function yesNoCell(cells: Cells, column: string, errors: FieldError[]): boolean | null {
  const raw = cells(column);
  if (!raw) return null;
  const v = parseYesNo(raw);
  if (v === null) errors.push({ column, value: raw, reason: 'import.bad_yes_no', fix: 'import.bad_yes_no.fix' });
  return v;
}

/** The trip number columns (shared with expenses.csv). */
export const TRIP_NO_ALIASES = ['出差单号', '出差编号', '出差单编号', '单号', 'trip', '出差申请单号', '申请单号', '出差单', 'trip_id'];

export const kind: ImportKind<TripRow> = {
  name: 'trips',
  // the first alias is the template's header; the others are what office sheets call the column (issue 15)
  columns: [
    { key: 'trip_no', aliases: TRIP_NO_ALIASES, required: true },
    { key: 'staff', aliases: ['出差人', '出差人员', '员工', '工号', 'staff_id', '姓名', '出差人姓名', '申请人', '员工姓名'], required: true },
    { key: 'start', aliases: ['出发日期', '出发时间', '开始日期', '起始日期', 'start_date', '出差日期', '启程日期', '出差开始日期', '去程日期'], required: true },
    { key: 'end', aliases: ['返回日期', '返回时间', '结束日期', '回程日期', 'end_date', '返程日期', '出差结束日期', '回来日期'], required: true },
    { key: 'scope', aliases: ['出差范围', '范围', '省内省外', '省内/省外', '省内外', '出差区域'], required: true },
    { key: 'purpose', aliases: ['出差事由', '事由', '出差目的', '目的', '出差原因', '出差任务'] },
    { key: 'client', aliases: ['拜访客户', '客户', '客户名称', '出差单位', '拜访单位', '走访客户', '客户单位', '对方单位'] },
    { key: 'reviewed_by', aliases: ['部门审核', '部门负责人', '审核人', '部门审核人', '部门主管'] },
    { key: 'approved_by', aliases: ['总经理批准', '批准人', '审批人', '总经理审批', '总经理'] },
    { key: 'invited_by', aliases: ['邀请人', '受邀于', '邀请同事', '邀请人姓名'] },
    { key: 'transport_provided', aliases: ['交通安排', '提供交通', '派车情况', 'transport', '是否派车', '派车'] },
    { key: 'advance', aliases: ['预支差旅费', '预支', '借支', '预借', '预支金额', '借支金额', '借款', '预借差旅费'] },
    { key: 'report_on', aliases: ['报告日期', '出差报告日期', '报告提交日期', '交报告日期', '报告时间', '出差报告提交日期'] },
    { key: 'order_amount', aliases: ['订单金额', '成交金额', '签单金额', '合同金额', '签约金额'] },
    { key: 'deal_closed', aliases: ['是否成交', '成交', '已成交', '是否签单', '签单'] },
    { key: 'exempt', aliases: ['特殊情况', '特批', '豁免', '是否特批'] },
    // the clock time in a column of its own, as `export trips` writes it (so the export
    // re-imports with its times); blank: the time in the date cell, if any
    { key: 'start_time', aliases: ['出发时刻', '出发钟点'] },
    { key: 'end_time', aliases: ['返回时刻', '返回钟点'] },
  ],
  rowKey: (t) => t.trip_no,
  keyColumns: ['trip_no'],
  duplicateFix: 'trips.duplicate_row.fix',
  dateField: 'start_date',
  parseRow(cells, ctx): ParseResult<TripRow> {
    const errors: FieldError[] = [];
    let notices: RowNotice[] | undefined;
    const tripNo = textIdCell(cells, 'trip_no', errors);
    if (!tripNo) errors.push({ column: 'trip_no', value: '', reason: 'import.required', fix: 'import.required.fix' });
    const staff = staffCell(cells, 'staff', ctx, errors, true);
    // a date without a year (issue 15): the start's is --as-of's year, the end's the one nearest to the start
    const when = (col: 'start' | 'end', anchor: string, rule: YearRule) => {
      const time = cells(`${col}_time`);
      const raw = time && cells(col) ? `${cells(col)} ${time}` : cells(col);
      if (!raw) {
        errors.push({ column: col, value: '', reason: 'import.required', fix: 'trips.bad_datetime.fix' });
        return null;
      }
      const v = parseDateTime(raw, anchor, rule);
      if (!v) errors.push({ column: col, value: raw, reason: 'trips.bad_datetime', fix: 'trips.bad_datetime.fix' });
      else notices = noteDate(notices, raw, col, v.date, true);
      return v;
    };
    const start = when('start', ctx.asOf, 'same');
    const end = when('end', start?.date ?? ctx.asOf, start ? 'nearest' : 'same');
    if (start && end) {
      // §3.3 days are calendar days; the times only matter for "end before start"
      const before = end.date < start.date || (end.date === start.date && start.time !== null && end.time !== null && end.time < start.time);
      if (before) {
        errors.push({
          column: 'end',
          value: cells('end'),
          reason: 'trips.end_before_start',
          params: { start: start.date + (start.time ? ' ' + start.time : '') },
          fix: 'trips.end_before_start.fix',
        });
      }
    }
    const scopeRaw = cells('scope');
    const scope = SCOPES[key(scopeRaw)];
    if (!scope) errors.push({ column: 'scope', value: scopeRaw, reason: scopeRaw ? 'trips.bad_scope' : 'import.required', fix: 'trips.bad_scope.fix' });
    const purposeRaw = cells('purpose');
    const purpose = purposeRaw ? PURPOSES[key(purposeRaw)] : null;
    if (purpose === undefined) errors.push({ column: 'purpose', value: purposeRaw, reason: 'trips.bad_purpose', fix: 'trips.bad_purpose.fix' });
    const reviewed = staffCell(cells, 'reviewed_by', ctx, errors);
    const approved = staffCell(cells, 'approved_by', ctx, errors);
    const invited = staffCell(cells, 'invited_by', ctx, errors);
    if (invited !== null && invited === staff) errors.push({ column: 'invited_by', value: cells('invited_by'), reason: 'trips.invited_self', fix: 'trips.invited_self.fix' });
    const transportRaw = cells('transport_provided');
    const transport = transportRaw ? TRANSPORT[key(transportRaw)] : null;
    if (transport === undefined) errors.push({ column: 'transport_provided', value: transportRaw, reason: 'trips.bad_transport', fix: 'trips.bad_transport.fix' });
    const advance = moneyCell(cells, 'advance', errors);
    const reportRaw = cells('report_on');
    let report: string | null = null;
    if (reportRaw) {
      report = parseDate(reportRaw, end?.date ?? ctx.asOf, end ? 'nearest' : 'same');
      if (!report) errors.push({ column: 'report_on', value: reportRaw, reason: 'import.bad_date', fix: 'import.bad_date.fix' });
      else if (start && report < start.date) {
        errors.push({ column: 'report_on', value: reportRaw, reason: 'trips.report_before_start', params: { start: start.date }, fix: 'trips.report_before_start.fix' });
      }
    }
    const order = moneyCell(cells, 'order_amount', errors);
    const deal = yesNoCell(cells, 'deal_closed', errors);
    const exempt = yesNoCell(cells, 'exempt', errors);
    if (errors.length) return { ok: false, errors };
    return {
      ok: true,
      value: {
        trip_no: tripNo,
        staff_id: staff!,
        start_date: start!.date,
        start_time: start!.time,
        end_date: end!.date,
        end_time: end!.time,
        scope: scope!,
        purpose: purpose ?? null,
        client: cells('client').replace(/\s+/g, ' ') || null,
        reviewed_by: reviewed,
        approved_by: approved,
        invited_by: invited,
        transport_provided: transport ?? null,
        advance_fen: advance ?? 0,
        report_on: report,
        order_amount_fen: order,
        deal_closed: deal ?? false,
        exempt: exempt ?? false,
      },
      notices: report ? noteDate(notices, reportRaw, 'report_on', report) : notices,
    };
  },
};
