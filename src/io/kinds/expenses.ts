/**
 * expenses.csv — 费用明细 (SPEC §2): one row per expense line of a trip. The parser checks
 * each cell (kind, class, money ≥ 0, time, hours, the approver on the roster); whether the
 * trip exists and the line is dated within it needs the database, so the writer checks
 * that (src/store/trips.ts `expenseChecker`). How re-import stays idempotent is described
 * there too: the lines a file gives for a trip replace that trip's stored lines as a set.
 */
import { keyOf, type ImportKind, type FieldError, type ParseResult } from '../kind.js';
import { fenToYuanString, parseDate, parseHours, parseTime } from '../../domain/values.js';
import { EXPENSE_KINDS, KNOWN_CLASSES, normalizeClass, type ExpenseKind, type ExpenseLine } from '../../domain/allowance.js';
import { moneyCell, staffCell, yesNoCell, TRIP_NO_ALIASES, type TripsKindData } from './trips.js';

/**
 * An expenses.csv row: the domain's ExpenseLine (§3.3) of the trip it names, its approver as
 * the staff id written (the role is read from the roster when priced); its `line_no` is
 * given when it is stored (its order among the trip's rows in the file).
 */
export type ExpenseRow = Omit<ExpenseLine, 'line_no' | 'approved_by'> & {
  trip_no: string;
  approved_by: string | null;
};

const KIND_ALIASES: Record<string, ExpenseKind> = {
  火车: 'train',
  火车票: 'train',
  高铁: 'train',
  动车: 'train',
  铁路: 'train',
  汽车: 'bus',
  汽车票: 'bus',
  长途汽车: 'bus',
  长途车: 'bus',
  大巴: 'bus',
  coach: 'bus',
  轮船: 'ship',
  船: 'ship',
  船票: 'ship',
  飞机: 'plane',
  机票: 'plane',
  航班: 'plane',
  flight: 'plane',
  出租车: 'taxi',
  打车: 'taxi',
  的士: 'taxi',
  网约车: 'taxi',
  cab: 'taxi',
  市内交通: 'local_bus',
  公交: 'local_bus',
  公交车: 'local_bus',
  市内公交: 'local_bus',
  短途客车: 'local_bus',
  招待: 'dinner',
  招待费: 'dinner',
  招待餐: 'dinner',
  客户招待: 'dinner',
  客户招待餐: 'dinner',
  宴请: 'dinner',
  业务招待: 'dinner',
  住宿: 'lodging',
  住宿费: 'lodging',
  酒店: 'lodging',
  宾馆: 'lodging',
  hotel: 'lodging',
  其他: 'other',
  其它: 'other',
  杂费: 'other',
};

/** `火车`, `Local Bus`, `local-bus` … → the kind, or null. */
export function parseExpenseKind(raw: string): ExpenseKind | null {
  const s = raw.trim();
  const k = s.toLowerCase().replace(/[\s-]+/g, '_');
  if ((EXPENSE_KINDS as readonly string[]).includes(k)) return k as ExpenseKind;
  return KIND_ALIASES[s] ?? KIND_ALIASES[k] ?? null;
}

const REASON_ALIASES: Record<string, string> = {
  夜间: 'night',
  晚上: 'night',
  夜里: 'night',
  深夜: 'night',
  设备: 'equipment',
  携带设备: 'equipment',
  大件: 'equipment',
  贵重物品: 'equipment',
  携带大件或贵重物品: 'equipment',
  无公交: 'no_bus',
  没有公交: 'no_bus',
  无公交车: 'no_bus',
  路远: 'far',
  距离远: 'far',
  超过3公里: 'far',
  超3公里: 'far',
  特殊情况: 'special',
  特批: 'special',
  特殊: 'special',
};

/**
 * A taxi reason as written → the policy's name (`夜间` → `night`). A reason that is none of
 * these is kept as written: it is priced as a reason the policy does not allow (the line
 * shows claimed vs 0 and why) rather than refused at import.
 */
export function normalizeReason(raw: string): string | null {
  const s = raw.trim();
  if (s === '') return null;
  return REASON_ALIASES[s] ?? s.toLowerCase().replace(/[\s-]+/g, '_');
}

let classCache: { data: unknown; set: Set<string>; list: string } | null = null;
function classes(data: unknown): { set: Set<string>; list: string } {
  if (!classCache || classCache.data !== data) {
    const all = [...new Set([...KNOWN_CLASSES, ...((data as TripsKindData | undefined)?.classes ?? [])])];
    classCache = { data, set: new Set(all), list: all.join(', ') };
  }
  return classCache;
}

export const kind: ImportKind<ExpenseRow> = {
  name: 'expenses',
  columns: [
    { key: 'trip_no', aliases: TRIP_NO_ALIASES, required: true },
    { key: 'date', aliases: ['日期', '费用日期', '发生日期', '乘车日期'], required: true },
    { key: 'time', aliases: ['时间', '乘车时间', '发生时间'] },
    { key: 'kind', aliases: ['费用类别', '类别', '费用类型', '类型', '项目'], required: true },
    { key: 'amount', aliases: ['金额', '报销金额', '申报金额', '票面金额'], required: true },
    { key: 'hours', aliases: ['连续乘车时长', '乘车时长', '时长', '小时'] },
    { key: 'class', aliases: ['席别', '座席', '舱位', '等级', '座位等级'] },
    { key: 'standard_fare', aliases: ['标准票价', '标准金额', '应乘标准票价'] },
    { key: 'receipt', aliases: ['正式发票', '发票', '有无发票', '是否有发票'] },
    { key: 'reason', aliases: ['事由', '乘车事由', '原因', '打车原因'] },
    { key: 'from', aliases: ['起点', '出发地', '起始地', '从'] },
    { key: 'to', aliases: ['终点', '目的地', '到达地', '到'] },
    { key: 'approved_by', aliases: ['批准人', '事先批准', '审批人', '批准'] },
  ],
  // the whole line: the same line twice is paid twice (two identical bus tickets are real:
  // `expenses import --allow-duplicates`)
  rowKey: (e) =>
    keyOf(
      e.trip_no,
      e.date,
      e.time,
      e.kind,
      fenToYuanString(e.amount_fen),
      e.hours,
      e.class,
      e.standard_fare_fen === null ? null : fenToYuanString(e.standard_fare_fen),
      e.receipt === null ? null : e.receipt ? 'Y' : 'N',
      e.reason,
      e.from,
      e.to,
      e.approved_by,
    ),
  keyColumns: ['*'],
  duplicateFix: 'expenses.duplicate_line.fix',
  parseRow(cells, ctx): ParseResult<ExpenseRow> {
    const errors: FieldError[] = [];
    const tripNo = cells('trip_no');
    if (!tripNo) errors.push({ column: 'trip_no', value: '', reason: 'import.required', fix: 'import.required.fix' });
    const dateRaw = cells('date');
    const date = dateRaw ? parseDate(dateRaw) : null;
    if (!date) errors.push({ column: 'date', value: dateRaw, reason: dateRaw ? 'import.bad_date' : 'import.required', fix: 'import.bad_date.fix' });
    const timeRaw = cells('time');
    const time = timeRaw ? parseTime(timeRaw) : null;
    if (timeRaw && !time) errors.push({ column: 'time', value: timeRaw, reason: 'import.bad_time', fix: 'import.bad_time.fix' });
    const kindRaw = cells('kind');
    const kind = kindRaw ? parseExpenseKind(kindRaw) : null;
    if (!kind) errors.push({ column: 'kind', value: kindRaw, reason: kindRaw ? 'expenses.bad_kind' : 'import.required', fix: 'expenses.bad_kind.fix' });
    const amount = moneyCell(cells, 'amount', errors, true);
    const hoursRaw = cells('hours');
    const hours = hoursRaw ? parseHours(hoursRaw.replace(/\s*(h|小时)$/i, '')) : null;
    if (hoursRaw && hours === null) errors.push({ column: 'hours', value: hoursRaw, reason: 'expenses.bad_hours', fix: 'expenses.bad_hours.fix' });
    const classRaw = cells('class');
    const cls = normalizeClass(classRaw);
    if (cls !== null) {
      const known = classes(ctx.data);
      if (!known.set.has(cls)) errors.push({ column: 'class', value: classRaw, reason: 'expenses.bad_class', params: { classes: known.list }, fix: 'expenses.bad_class.fix' });
    }
    const standard = moneyCell(cells, 'standard_fare', errors);
    const receipt = yesNoCell(cells, 'receipt', errors);
    const approvedBy = staffCell(cells, 'approved_by', ctx, errors);
    if (errors.length) return { ok: false, errors };
    return {
      ok: true,
      value: {
        trip_no: tripNo,
        date: date!,
        time,
        kind: kind!,
        amount_fen: amount!,
        hours,
        class: cls,
        standard_fare_fen: standard,
        receipt,
        reason: normalizeReason(cells('reason')),
        from: cells('from') || null,
        to: cells('to') || null,
        approved_by: approvedBy,
      },
    };
  },
};
