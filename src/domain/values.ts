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
const DATE_ZH = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/;
const SERIAL = /^\d{1,7}(\.\d+)?$/;
const DATE_TIME = /^(.+?)(?:\s+|\s*T\s*)(\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)$/;

/**
 * `2024-05-09`, `2024/5/9`, `2024.5.9`, `2024年5月9日` or an Excel serial day number
 * (a fraction, the time of day, is dropped) → `YYYY-MM-DD`. A time after the date
 * (`2025/11/3 0:00`, `2025-11-03 08:15:00`, `2025-11-03T08:15`: what Excel writes for a
 * date-time column) is dropped; parseDateTime keeps it.
 */
export function parseDate(raw: string): string | null {
  let s = raw.trim();
  if (s === '') return null;
  // issue 15: a date-time where a date is expected (`2025/11/3 0:00`, `2025-11-03T08:15`) is its date
  const t = DATE_TIME.exec(s);
  if (t && parseTime(t[2])) s = t[1];
  let m = DATE_SEP.exec(s);
  if (m) return isoDate(+m[1], +m[3], +m[4]);
  m = DATE_ZH.exec(s);
  if (m) return isoDate(+m[1], +m[2], +m[3]);
  if (SERIAL.test(s)) return fromExcelSerial(Math.floor(+s));
  return null;
}

const TIME = /^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$/;

/** `HH:mm` (or `H:mm`, `HH:mm:ss`) → `HH:mm`, or null. `24:00` is not a time. */
export function parseTime(raw: string): string | null {
  const m = TIME.exec(raw.trim());
  if (!m) return null;
  const h = +m[1];
  const min = +m[2];
  if (h > 23 || min > 59 || (m[3] !== undefined && +m[3] > 59)) return null;
  return `${pad2(h)}:${pad2(min)}`;
}

/** A date with an optional time (`2024-05-09 08:30`, `2024/5/9T8:30`). */
export function parseDateTime(raw: string): { date: string; time: string | null } | null {
  const s = raw.trim();
  const m = /^(.+?)(?:[ T]+(\d{1,2}[:：]\d{2}(?:[:：]\d{2})?))?$/.exec(s);
  if (!m) return null;
  const date = parseDate(m[1]);
  if (!date) return null;
  if (m[2] === undefined) return { date, time: null };
  const time = parseTime(m[2]);
  return time ? { date, time } : null;
}

const MONEY = /^(\d+)(?:\.(\d{1,2}))?$/; // the sign is taken off before

/**
 * Yuan with up to 2 decimals, with optional `¥`/`￥`/`元`/`RMB` and thousands separators,
 * → integer fen. Never goes through floating point.
 */
export function parseMoney(raw: string): number | null {
  let s = raw.trim();
  if (s === '') return null;
  s = s.replace(/^(?:¥|￥|RMB|CNY)\s*/i, '').replace(/\s*元$/, '');
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
  const m = MONEY.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
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

const YES = new Set(['y', 'yes', '是', '1', 'true', 't', '对', '有']);
const NO = new Set(['n', 'no', '否', '0', 'false', 'f', '无', '没有']);

/** `Y/N`, `yes/no`, `是/否`, `1/0`, `true/false` → boolean, or null. */
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

/** Hours as a decimal (`10`, `9.5`, `10:30` → 10.5), or null. */
export function parseHours(raw: string): number | null {
  const s = raw.trim();
  const hm = /^(\d{1,3})[:：](\d{2})$/.exec(s);
  if (hm) return +hm[2] < 60 ? +hm[1] + +hm[2] / 60 : null;
  if (!/^\d{1,3}(\.\d+)?$/.test(s)) return null;
  return Number(s);
}
