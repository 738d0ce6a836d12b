/**
 * Parsing of the cell values of SPEC §2: dates, times, money, yes/no, phones, genders.
 * Pure and allocation-light: these run once per cell on million-row imports.
 * Every parser returns `null` for a value it cannot read; callers turn that into a row error.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1];
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** A valid calendar date as `YYYY-MM-DD`, or null. */
export function isoDate(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

// Days from 1970-01-01 to a civil date and back (Howard Hinnant's algorithm): pure integer
// arithmetic, so no Date object and no time zone can shift a calendar date.
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Day number of an ISO date (for differences between calendar dates). */
export function dayNumber(iso: string): number {
  return daysFromCivil(+iso.slice(0, 4), +iso.slice(5, 7), +iso.slice(8, 10));
}

export function addDays(iso: string, n: number): string {
  const [y, m, d] = civilFromDays(dayNumber(iso) + n);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Calendar days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

// Excel stores dates as serial day numbers. From serial 61 (1900-03-01) on, the epoch is
// 1899-12-30; below it Excel's fictitious 1900-02-29 (serial 60) shifts the epoch by one.
const EXCEL_EPOCH = daysFromCivil(1899, 12, 30);

function fromExcelSerial(serial: number): string | null {
  if (serial === 60 || serial < 1 || serial > 2958465) return null;
  const z = EXCEL_EPOCH + serial + (serial < 60 ? 1 : 0);
  const [y, m, d] = civilFromDays(z);
  return isoDate(y, m, d);
}

// one separator throughout (2024-05-09, 2024/5/9, 2024.5.9) or 年 月 (日); `2024-05/09` is not a date
const DATE_SEP = /^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})$/;
const DATE_ZH = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/;
// issue 15: the office's year-less `7月3日` / `7月3号`; `7/3` is not read (day or month first?)
const MONTH_DAY = /^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/;
const SERIAL = /^\d{1,7}(\.\d+)?$/;
// where a time starts after a date: a space or `T` (or nothing after 日/号), then a time's
// first characters (`8:`, `20点`, `晚上`, `8pm`); dates themselves hold none of these
const TIME_AT = /(?:\s+|\s*T\s*|(?<=[日号])\s*)(?=(?:上午|早上|早晨|清晨|凌晨|中午|下午|午后|傍晚|晚上|晚间|夜里|夜间|早|晚|夜)|[零〇一二两三四五六七八九十\d]{1,3}\s*[:：点點时時]|\d{1,2}\s*[ap]\.?m\b)/i;

/** A date and the time written after it (`2025/11/3 0:00`, `2025年11月3日晚上8点`), or null when there is no time. */
function splitTime(s: string): [string, string] | null {
  const m = TIME_AT.exec(s);
  if (!m || m.index === 0) return null;
  return [s.slice(0, m.index), s.slice(m.index + m[0].length)];
}

/**
 * How a date without a year (`7月3日`) takes one from its anchor date (issue 15):
 * - `same`: the anchor's year (the --as-of date's: a hire, a trip's start);
 * - `past`: the latest such day not after the anchor (a column that cannot be after --as-of:
 *   `12月30日` as of 2026-01-04 is 2025-12-30);
 * - `nearest`: the year that puts it nearest to the anchor (a date inside a trip, anchored on
 *   its start: `1月2日` on a trip from 2025-12-30 is 2026-01-02).
 */
export type YearRule = 'same' | 'past' | 'nearest';

function withYear(m: number, d: number, anchor: string, rule: YearRule): string | null {
  const y = +anchor.slice(0, 4);
  if (rule === 'same') return isoDate(y, m, d);
  const at = dayNumber(anchor);
  let best: string | null = null;
  let gap = Infinity;
  for (const yy of rule === 'past' ? [y, y - 1, y - 2, y - 3, y - 4] : [y, y - 1, y + 1]) {
    const iso = isoDate(yy, m, d);
    if (iso === null) continue; // 2月29日 outside a leap year
    const diff = dayNumber(iso) - at;
    if (rule === 'past') {
      if (diff <= 0) return iso;
    } else if (Math.abs(diff) < gap) [best, gap] = [iso, Math.abs(diff)];
  }
  return best;
}

/**
 * `2024-05-09`, `2024/5/9`, `2024.5.9`, `2024年5月9日` or an Excel serial day number
 * (a fraction, the time of day, is dropped) → `YYYY-MM-DD`. A time after the date
 * (`2025/11/3 0:00`, `2025-11-03 08:15:00`, `2025-11-03T08:15`: what Excel writes for a
 * date-time column; `2025年11月3日晚上8点`) is dropped; parseDateTime keeps it. With an
 * `anchor` date, a date without a year (`7月3日`, `7月3号`) takes a year from it by `rule`
 * (YearRule; issue 15: the trip's year, or the --as-of date's); dateNotes says so.
 */
export function parseDate(raw: string, anchor?: string, rule: YearRule = 'same'): string | null {
  const s = raw.trim();
  if (s === '') return null;
  let m = DATE_SEP.exec(s);
  if (m) return isoDate(+m[1], +m[3], +m[4]);
  m = DATE_ZH.exec(s);
  if (m) return isoDate(+m[1], +m[2], +m[3]);
  if (SERIAL.test(s)) return fromExcelSerial(Math.floor(+s));
  // issue 15: a date-time where a date is expected (`2025/11/3 0:00`, `2025-11-03T08:15`) is its date
  const dt = splitTime(s);
  if (dt && parseTime(dt[1]) !== null) return parseDate(dt[0], anchor, rule);
  if (anchor !== undefined) {
    m = MONTH_DAY.exec(s);
    if (m) return withYear(+m[1], +m[2], anchor, rule);
  }
  return null;
}

/** dateNotes: the date had no year (it was taken from the anchor). */
export const NO_YEAR = 1;
/** dateNotes: a time of day other than 0:00 was written after the date, and dropped. */
export const TIME_DROPPED = 2;

/**
 * What parseDate read into or left out of a cell it accepted (issue 15: said, not silent):
 * NO_YEAR, TIME_DROPPED (bits), 0 for nothing. The common cell (`2024-05-09`, `2024年5月9日`)
 * is answered from its first five characters, without allocating: this runs on every date
 * of a million-row survey import.
 */
export function dateNotes(raw: string): number {
  const s = raw.trim();
  const c4 = s.charCodeAt(4);
  if (s.length <= 11 && digits4(s) && (c4 === 45 || c4 === 47 || c4 === 46 || c4 === 0x5e74)) return 0;
  let notes = 0;
  let date = s;
  const dt = splitTime(s);
  if (dt) {
    date = dt[0];
    const time = parseTime(dt[1]);
    if (time !== null && time !== '00:00') notes |= TIME_DROPPED;
  } else if (SERIAL.test(s) && +s % 1 !== 0) notes |= TIME_DROPPED;
  if (MONTH_DAY.test(date.trim())) notes |= NO_YEAR;
  return notes;
}

function digits4(s: string): boolean {
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const TIME = /^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$/;

/** Chinese numerals up to 59 (`八`, `十二`, `二十三`, `两`, `零五`) or digits → the number, or NaN. */
function smallNumber(s: string): number {
  if (/^\d{1,2}$/.test(s)) return +s;
  const digit = (c: string): number => (c === '两' ? 2 : c === '零' ? 0 : '〇一二三四五六七八九'.indexOf(c));
  const m = /^([二两三四五]?)十([一二三四五六七八九]?)$/.exec(s);
  if (m) return (m[1] ? digit(m[1]) : 1) * 10 + (m[2] ? digit(m[2]) : 0);
  if (/^[零〇][一二三四五六七八九]$/.test(s)) return digit(s[1]);
  const d = s.length === 1 ? digit(s) : -1;
  return d >= 0 ? d : NaN;
}

// issue 15: a time as an office writes it — `20点`, `20点30分`, `20时30分`, `8点半`, `8点一刻`,
// `晚上8点半`, `下午3点`, `八点十五`, `8:30 pm` — the period (上午, 下午, 晚上…) first
const PERIOD = '(上午|早上|早晨|清晨|凌晨|中午|下午|午后|傍晚|晚上|晚间|夜里|夜间|早|晚|夜)?';
const NUM = '(\\d{1,2}|[零〇一二两三四五六七八九十]{1,3})';
const TIME_ZH = new RegExp(`^${PERIOD}\\s*${NUM}\\s*[点點时時]\\s*(?:钟|整|(半)|(一刻)|(三刻)|(\\d{2}|[零〇一二三四五六七八九十]{1,3})\\s*(?:分钟?)?|(\\d)\\s*分钟?)?\\s*(?:(\\d{1,2})\\s*秒)?$`);
const TIME_PERIOD_COLON = new RegExp(`^${PERIOD}\\s*(\\d{1,2})[:：](\\d{2})(?:[:：](\\d{2}))?$`);
const TIME_AMPM = /^(\d{1,2})(?:[:：](\d{2}))?\s*([ap])\.?\s*m\.?$/i;

/**
 * The hour of the 24-hour clock that `h` said with `period` means, or NaN when they do not
 * go together (`上午15点`): 下午 and 晚上 add 12 to 1–11, 晚上12点 and 凌晨12点 are midnight,
 * 夜里2点 is 2 in the morning. A 24-hour hour (`晚上20点`) stands as it is where it fits.
 */
function periodHour(period: string | undefined, h: number): number {
  if (!period) return h;
  switch (period) {
    case '上午':
    case '早上':
    case '早晨':
    case '清晨':
    case '早':
      return h <= 12 ? h : NaN;
    case '凌晨':
      return h === 12 ? 0 : h <= 6 ? h : NaN;
    case '中午':
      return h >= 11 && h <= 14 ? h : h >= 1 && h <= 2 ? h + 12 : NaN;
    case '下午':
    case '午后':
      return h >= 1 && h <= 11 ? h + 12 : h >= 12 && h <= 19 ? h : NaN;
    case '傍晚':
      return h >= 4 && h <= 8 ? h + 12 : h >= 16 && h <= 20 ? h : NaN;
    default: // 晚上, 晚间, 夜里, 夜间, 晚, 夜
      return h === 12 ? 0 : h >= 5 && h <= 11 ? h + 12 : h <= 4 || (h >= 17 && h <= 23) ? h : NaN;
  }
}

function hm(h: number, min: number): string | null {
  if (!(h >= 0 && h <= 23 && min >= 0 && min <= 59)) return null;
  return `${pad2(h)}:${pad2(min)}`;
}

/**
 * `HH:mm` (or `H:mm`, `HH:mm:ss`) → `HH:mm`, or null. `24:00` is not a time. Also the
 * office's wordings (issue 15): `20点`, `20时30分`, `8点半`, `8点一刻`, `晚上8点半`, `下午3点`,
 * `八点十五分`, `晚上8:30`, `8:30 pm`. A one-digit minute needs its 分 (`8点5分`; `8点5` is not read).
 */
export function parseTime(raw: string): string | null {
  const s = raw.trim();
  let m = TIME.exec(s);
  if (m) {
    if (m[3] !== undefined && +m[3] > 59) return null;
    return hm(+m[1], +m[2]);
  }
  m = TIME_ZH.exec(s);
  if (m) {
    const h = periodHour(m[1], smallNumber(m[2]));
    const min = m[3] ? 30 : m[4] ? 15 : m[5] ? 45 : m[6] ? smallNumber(m[6]) : m[7] ? +m[7] : 0;
    if (m[8] !== undefined && +m[8] > 59) return null;
    return hm(h, min);
  }
  m = TIME_PERIOD_COLON.exec(s);
  if (m) {
    if (m[4] !== undefined && +m[4] > 59) return null;
    return hm(periodHour(m[1], +m[2]), +m[3]);
  }
  m = TIME_AMPM.exec(s);
  if (m) {
    const h = +m[1];
    if (h < 1 || h > 12) return null;
    return hm((h % 12) + (m[3].toLowerCase() === 'p' ? 12 : 0), m[2] ? +m[2] : 0);
  }
  return null;
}

/**
 * A date with an optional time (`2024-05-09 08:30`, `2024/5/9T8:30`, `2024年5月9日晚上8点`);
 * with an `anchor`, the date may leave out its year (parseDate, `rule`).
 */
export function parseDateTime(raw: string, anchor?: string, rule: YearRule = 'same'): { date: string; time: string | null } | null {
  const s = raw.trim();
  const dt = splitTime(s);
  if (dt === null) {
    const date = parseDate(s, anchor, rule);
    return date ? { date, time: null } : null;
  }
  const date = parseDate(dt[0], anchor, rule);
  if (!date) return null;
  const time = parseTime(dt[1]);
  return time ? { date, time } : null;
}

const MONEY = /^(\d+)(?:\.(\d{1,2}))?$/; // the sign is taken off before
// issue 15: how a cashier writes yuan: `12元5角3分`, `12块5毛`, `5角`; `12块5` is 12.50
const YUAN_JIAO_FEN = /^(?:(\d+)\s*[元块圆])?\s*(?:(\d)\s*[角毛])?\s*(?:(\d)\s*分)?$/;
const YUAN_TENTHS = /^(\d+)\s*[元块](\d)$/;
// `1.2万` / `1.2万元`: ten-thousands of yuan, as order amounts are often written
const WAN = /^(\d+)(?:\.(\d{1,6}))?\s*万$/;

/**
 * Yuan with up to 2 decimals, with optional `¥`/`￥`/`元`/`RMB`/`人民币` and thousands
 * separators, → integer fen. Also (issue 15) `12元整`, `12块`, `12元5角3分`, `12块5`,
 * `1.2万元`. Never goes through floating point.
 */
export function parseMoney(raw: string): number | null {
  let s = raw.trim();
  if (s === '') return null;
  s = s.replace(/^(?:¥|￥|RMB|CNY|人民币)\s*/i, '').replace(/\s*(?:元整|元|圆整|圆|块钱|块|整)$/, '');
  let neg = false;
  if (s.startsWith('-') || s.startsWith('−')) {
    neg = true;
    s = s.slice(1).replace(/^(?:¥|￥)\s*/, '');
  }
  if (s.includes(',') || s.includes('，')) {
    // thousands separators must sit every three digits: 1,234,567.89
    if (!/^\d{1,3}([,，]\d{3})+(\.\d+)?$/.test(s)) return null;
    s = s.replace(/[,，]/g, '');
  }
  let fen: number;
  let m = MONEY.exec(s);
  if (m) fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  else if ((m = WAN.exec(s))) fen = Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
  else if ((m = YUAN_TENTHS.exec(s))) fen = Number(m[1]) * 100 + Number(m[2]) * 10;
  else if ((m = YUAN_JIAO_FEN.exec(s)) && (m[1] ?? m[2] ?? m[3]) !== undefined) fen = Number(m[1] ?? 0) * 100 + Number(m[2] ?? 0) * 10 + Number(m[3] ?? 0);
  else return null;
  if (!Number.isSafeInteger(fen)) return null;
  return neg && fen !== 0 ? -fen : fen; // `-0` is 0 fen, not -0
}

/** Integer fen → `1234.50` (for CSV and JSON). */
export function fenToYuanString(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const s = `${Math.floor(abs / 100)}.${pad2(abs % 100)}`;
  return neg ? '-' + s : s;
}

/** Integer fen → number of yuan with 2 decimals (SPEC §4: money in JSON). */
export function fenToYuan(fen: number): number {
  return Math.round(fen) / 100;
}

// issue 15: the ticks and crosses of a paper form (√ ✓ ✔ ☑ / × ✗ ✘) and the words of the
// sheets (有/无, 已购买/未购买, 有发票/无发票, 已成交/未成交) besides SPEC §2's Y/N, 是/否, 1/0, true/false
const YES = new Set(['y', 'yes', '是', '1', 'true', 't', '对', '有', '是的', '√', '✓', '✔', '☑', '已', '已购买', '购买', '已购', '买了', '已买', '成交', '已成交', '有发票', '有票']);
const NO = new Set(['n', 'no', '否', '0', 'false', 'f', '无', '没有', '不是', '×', '✗', '✘', '未', '未购买', '未购', '没买', '未买', '不买', '未成交', '没成交', '无发票', '没有发票', '无票', '没票']);

/** `Y/N`, `yes/no`, `是/否`, `1/0`, `true/false`, `√/×`, `有/无` … → boolean, or null. */
export function parseYesNo(raw: string): boolean | null {
  const s = raw.trim().toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  return null;
}

/** `男/女/M/F` → 'M' | 'F', or null. */
export function parseGender(raw: string): 'M' | 'F' | null {
  const s = raw.trim().toLowerCase();
  if (s === '男' || s === 'm' || s === 'male' || s === '男性') return 'M';
  if (s === '女' || s === 'f' || s === 'female' || s === '女性') return 'F';
  return null;
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

/**
 * SPEC §2: remove spaces, dashes and `+86`, then a mobile `1[3-9]\d{9}` or a landline
 * `0\d{2,3}-?\d{7,8}`. The normalised form (digits only) is half of a customer's identity.
 * Phones stay strings: a leading 0 is part of the number.
 */
export function normalizePhone(raw: string): string | null {
  let s = raw.replace(/[\s\-－—()（）]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.length === 13 && s.startsWith('86') && s[2] === '1') s = s.slice(2);
  if (MOBILE.test(s) || LANDLINE.test(s)) return s;
  return null;
}

/**
 * A number Excel wrote in scientific notation (`1.3857E+10`, `1.38579E+10`, `4.40104E+17`):
 * what a long number in a cell formatted as a number (not text) becomes when the sheet is
 * saved as CSV. The digits past the sixth are lost, so no phone, id or number can be read
 * back from it (issue 15): the import says so and how to fix the sheet.
 */
export function isExcelScientific(raw: string): boolean {
  // the `+` first: no regex runs on the cells of a million-row import that have none
  return raw.indexOf('+') > 0 && SCIENTIFIC.test(raw);
}
const SCIENTIFIC = /^\s*\d(?:\.\d+)?\s*E\+\d{1,3}\s*$/i;

/** `138****5678`: the first 3 and last 4 digits stay, the middle is starred (SPEC §5). */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/** A non-negative whole number, or null. */
export function parseCount(raw: string): number | null {
  const s = raw.trim();
  if (!/^\d{1,9}$/.test(s)) return null;
  return Number(s);
}

/** Hours as a decimal (`10`, `9.5`, `10:30` → 10.5; issue 15: `10小时`, `10个小时30分钟`, `9.5h`), or null. */
export function parseHours(raw: string): number | null {
  const s = raw.trim();
  const hm = /^(\d{1,3})[:：](\d{2})$/.exec(s);
  if (hm) return +hm[2] < 60 ? +hm[1] + +hm[2] / 60 : null;
  const zh = /^(\d{1,3}(?:\.\d+)?)\s*(?:个?\s*小时|h|hrs?|hours?)(?:\s*(\d{1,2})\s*分钟?)?$/i.exec(s);
  if (zh) return zh[2] === undefined ? Number(zh[1]) : +zh[2] < 60 && !zh[1].includes('.') ? +zh[1] + +zh[2] / 60 : null;
  if (!/^\d{1,3}(\.\d+)?$/.test(s)) return null;
  return Number(s);
}
