/**
 * expenses.csv — 费用明细 (SPEC §2): one row per expense line of a trip. The parser checks
 * each cell (kind, class, money ≥ 0, time, hours, the approver on the roster); whether the
 * trip exists and the line is dated within it needs the database, so the writer checks
 * that (src/store/trips.ts `expenseChecker`). How re-import stays idempotent is described
 * there too: the lines a file gives for a trip replace that trip's stored lines as a set.
 */
import { keyOf, type ImportKind, type FieldError, type ParseResult, type RowNotice } from '../kind.js';
import { fenToYuanString, parseDateTime, parseHours, parseTime } from '../../domain/values.js';
import { noteDate, textIdCell } from './cells.js';
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
  火车费: 'train',
  高铁票: 'train',
  动车票: 'train',
  汽车: 'bus',
  汽车票: 'bus',
  长途汽车: 'bus',
  长途车: 'bus',
  大巴: 'bus',
  客车: 'bus',
  汽车费: 'bus',
  长途客车: 'bus',
  coach: 'bus',
  轮船: 'ship',
  船: 'ship',
  船票: 'ship',
  飞机: 'plane',
  机票: 'plane',
  航班: 'plane',
  飞机票: 'plane',
  机票费: 'plane',
  flight: 'plane',
  出租车: 'taxi',
  打车: 'taxi',
  的士: 'taxi',
  网约车: 'taxi',
  滴滴: 'taxi',
  滴滴打车: 'taxi',
  滴滴出行: 'taxi',
  出租: 'taxi',
  打的: 'taxi',
  快车: 'taxi',
  专车: 'taxi',
  出租车费: 'taxi',
  打车费: 'taxi',
  cab: 'taxi',
  市内交通: 'local_bus',
  公交: 'local_bus',
  公交车: 'local_bus',
  市内公交: 'local_bus',
  短途客车: 'local_bus',
  市内公交车: 'local_bus',
  公交费: 'local_bus',
  地铁: 'local_bus',
  市内车费: 'local_bus',
  招待: 'dinner',
  招待费: 'dinner',
  招待餐: 'dinner',
  客户招待: 'dinner',
  客户招待餐: 'dinner',
  宴请: 'dinner',
  业务招待: 'dinner',
  业务招待费: 'dinner',
  招待客户: 'dinner',
  请客: 'dinner',
  住宿: 'lodging',
  住宿费: 'lodging',
  酒店: 'lodging',
  宾馆: 'lodging',
  hotel: 'lodging',
  住宿费用: 'lodging',
  旅馆: 'lodging',
  其他: 'other',
  其它: 'other',
  杂费: 'other',
  其他费用: 'other',
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
  夜间乘车: 'night',
  晚上打车: 'night',
  设备: 'equipment',
  携带设备: 'equipment',
  大件: 'equipment',
  贵重物品: 'equipment',
  携带大件或贵重物品: 'equipment',
  带设备: 'equipment',
  行李多: 'equipment',
  大件物品: 'equipment',
  无公交: 'no_bus',
  没有公交: 'no_bus',
  无公交车: 'no_bus',
  没有公交车: 'no_bus',
  无车可乘: 'no_bus',
  无班车: 'no_bus',
  路远: 'far',
  距离远: 'far',
  超过3公里: 'far',
  超3公里: 'far',
  路途远: 'far',
  路程远: 'far',
  较远: 'far',
  超过三公里: 'far',
  特殊情况: 'special',
  特批: 'special',
  特殊: 'special',
  特殊情况经批准: 'special',
  经批准: 'special',
  领导批准: 'special',
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

/** How a ticket or a sheet writes a class besides the names normalizeClass knows (issue 15). */
const OFFICE_CLASSES: Record<string, string> = {
  二等: 'second_class',
  一等: 'first_class',
  硬座票: 'hard_seat',
  硬卧上铺: 'hard_sleeper',
  硬卧中铺: 'hard_sleeper',
  硬卧下铺: 'hard_sleeper',
  软卧上铺: 'soft_sleeper',
  软卧下铺: 'soft_sleeper',
  商务: 'business',
  头等: 'first_class',
  经济: 'economy',
};

let startCache: { data: unknown; starts: Map<string, string> } | null = null;
/** The start date of a stored trip (ctx.data.tripStarts), or undefined. */
function tripStart(data: unknown, tripNo: string): string | undefined {
  if (!startCache || startCache.data !== data) startCache = { data, starts: new Map((data as TripsKindData | undefined)?.tripStarts ?? []) };
  return startCache.starts.get(tripNo);
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
  // the first alias is the template's header; the others are what office sheets call the column (issue 15)
  columns: [
    { key: 'trip_no', aliases: TRIP_NO_ALIASES, required: true },
    { key: 'date', aliases: ['日期', '费用日期', '发生日期', '乘车日期', '消费日期', '票据日期'], required: true },
    { key: 'time', aliases: ['时间', '乘车时间', '发生时间', '上车时间', '打车时间'] },
    { key: 'kind', aliases: ['费用类别', '类别', '费用类型', '类型', '项目', '费用项目', '报销项目', '交通工具', '费用名称'], required: true },
    { key: 'amount', aliases: ['金额', '报销金额', '申报金额', '票面金额', '票价', '费用金额', '实际金额', '发票金额'], required: true },
    { key: 'hours', aliases: ['连续乘车时长', '乘车时长', '时长', '小时', '乘车小时数', '连续乘车时间'] },
    { key: 'class', aliases: ['席别', '座席', '舱位', '等级', '座位等级', '舱等', '座别', '席位'] },
    { key: 'standard_fare', aliases: ['标准票价', '标准金额', '应乘标准票价', '应乘票价'] },
    { key: 'receipt', aliases: ['正式发票', '发票', '有无发票', '是否有发票', '有无正式发票'] },
    { key: 'reason', aliases: ['事由', '乘车事由', '原因', '打车原因', '乘车原因', '打车事由'] },
    { key: 'from', aliases: ['起点', '出发地', '起始地', '从', '出发地点', '上车地点', '起点站'] },
    { key: 'to', aliases: ['终点', '目的地', '到达地', '到', '到达地点', '下车地点', '终点站'] },
    { key: 'approved_by', aliases: ['批准人', '事先批准', '审批人', '批准', '事先批准人', '特批人'] },
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
  dateField: 'date',
  parseRow(cells, ctx): ParseResult<ExpenseRow> {
    const errors: FieldError[] = [];
    let notices: RowNotice[] | undefined;
    const tripNo = textIdCell(cells, 'trip_no', errors);
    if (!tripNo) errors.push({ column: 'trip_no', value: '', reason: 'import.required', fix: 'import.required.fix' });
    const dateRaw = cells('date');
    // a date without a year (issue 15): the one nearest to its trip's start, else --as-of's year
    const start = tripStart(ctx.data, tripNo);
    const dt = dateRaw ? parseDateTime(dateRaw, start ?? ctx.asOf, start ? 'nearest' : 'same') : null;
    const date = dt?.date ?? null;
    if (!date) errors.push({ column: 'date', value: dateRaw, reason: dateRaw ? 'import.bad_date' : 'import.required', fix: 'import.bad_date.fix' });
    const timeRaw = cells('time');
    let time = timeRaw ? parseTime(timeRaw) : null;
    if (timeRaw && !time) errors.push({ column: 'time', value: timeRaw, reason: 'import.bad_time', fix: 'import.bad_time.fix' });
    // a date-time in the date column is the line's date and time when the time column is blank
    // (the taxi's night rule reads it, §3.3); beside a time of its own, its time is dropped, and said
    if (date && dt!.time !== null && dt!.time !== '00:00' && !timeRaw) {
      time = dt!.time;
      notices = noteDate(notices, dateRaw, 'date', date, true);
    } else if (date) notices = noteDate(notices, dateRaw, 'date', date);
    const kindRaw = cells('kind');
    const kind = kindRaw ? parseExpenseKind(kindRaw) : null;
    if (!kind) errors.push({ column: 'kind', value: kindRaw, reason: kindRaw ? 'expenses.bad_kind' : 'import.required', fix: 'expenses.bad_kind.fix' });
    const amount = moneyCell(cells, 'amount', errors, true);
    const hoursRaw = cells('hours');
    const hours = hoursRaw ? parseHours(hoursRaw) : null;
    if (hoursRaw && hours === null) errors.push({ column: 'hours', value: hoursRaw, reason: 'expenses.bad_hours', fix: 'expenses.bad_hours.fix' });
    const classRaw = cells('class');
    const cls = normalizeClass(OFFICE_CLASSES[classRaw] ?? classRaw);
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
      notices,
    };
  },
};
