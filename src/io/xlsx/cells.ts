/**
 * An .xlsx cell's stored value as a person sees it in Excel (issue 16): a number as its
 * exact decimal (`13800138000`, never `1.38E+10` nor `13800138000.0`; `3980.0000000000005` is
 * `3980`), a date-styled number as its calendar date (and time), by integer arithmetic and no
 * time zone, in the 1900 or 1904 date system; a column reference as its index. Pure.
 */
import { civilFromDays, daysFromCivil } from '../../domain/values.js';

/** The most columns a sheet has: XFD, Excel's last (issue 16: a cell beyond is refused). */
export const MAX_COLUMNS = 16_384;

/**
 * The column index (0 for A) of a cell reference (`AB12` → 27); -1 when it has no letters;
 * MAX_COLUMNS or more when it is past XFD (the caller refuses it).
 */
export function columnIndex(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 97 || c > 122) break;
    n = n * 26 + (c - 96);
    // past XFD already: stop counting before the number grows without bound
    if (n > MAX_COLUMNS) return MAX_COLUMNS;
  }
  return i === 0 ? -1 : n - 1;
}

/** The row number of a cell reference (`AB12` → 12), or 0. */
export function rowOf(ref: string): number {
  let i = 0;
  while (i < ref.length && ref.charCodeAt(i) > 57) i++;
  const n = Number(ref.slice(i));
  return Number.isInteger(n) ? n : 0;
}

/** `A`, `B`, …, `Z`, `AA`: the letters of column index i. */
export function columnLetters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** What a number format shows a number as. */
export const Shown = {
  Number: 0,
  /** a calendar date (`yyyy-mm-dd`, `m/d/yyyy`, `yyyy"年"m"月"d"日"`) */
  Date: 1,
  /** a date and a time of day (`yyyy-mm-dd hh:mm`) */
  DateTime: 2,
  /** a time of day (`hh:mm`, `h"时"mm"分"`) */
  Time: 3,
  /** elapsed time (`[h]:mm`): hours past 24 */
  Elapsed: 4,
} as const;
export type Shown = (typeof Shown)[keyof typeof Shown];

/**
 * The built-in formats (ECMA-376 §18.8.30, and the CJK ones Excel and WPS write in Chinese:
 * 27–36 and 50–58, e.g. 31 = yyyy"年"m"月"d"日", 32 = h"时"mm"分") that show a date or a time.
 */
export function builtInShown(id: number): Shown {
  if (id === 22) return Shown.DateTime;
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || id === 45 || id === 47 || id === 55 || id === 56) return Shown.Time;
  if (id === 46) return Shown.Elapsed;
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id === 36 || (id >= 50 && id <= 58)) return Shown.Date;
  return Shown.Number;
}

/**
 * What a custom format code shows: a date when its first section has d, y or a month m (an
 * m with no h or s), a time when it has h or s, outside quoted text ("年"), escaped
 * characters (\-), brackets ([Red], [$-804], [DBNum1]) and the AM/PM markers; `[h]` is
 * elapsed time. `General`, `0.00`, `#,##0` and `@` show numbers (or text).
 */
export function formatShown(code: string): Shown {
  const first = firstSection(code);
  if (/\[(h+|m+|s+)\]/i.test(first)) return Shown.Elapsed;
  const bare = first
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/[_*]./g, '')
    .replace(/AM\/PM|A\/P|General/gi, '');
  const date = /[dy]/i.test(bare);
  const time = /[hs]/i.test(bare);
  if (date) return time ? Shown.DateTime : Shown.Date;
  if (time) return Shown.Time;
  // an m alone is a month (`mmm`, `mmmm`): a date
  return /m/i.test(bare) ? Shown.Date : Shown.Number;
}

/** The first section of a format code (`;` outside quotes and escapes ends it). */
function firstSection(code: string): string {
  let quoted = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\') i++;
    else if (c === ';' && !quoted) return code.slice(0, i);
  }
  return code;
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const pad4 = (n: number): string => String(n).padStart(4, '0');

/** 1899-12-30, day 0 of Excel's 1900 system from day 61 (1900-03-01) on, as days from 1970-01-01. */
const EPOCH_1900 = daysFromCivil(1899, 12, 30);
/** 1904-01-01, day 0 of the 1904 system (Excel for Mac until 2011, some WPS files). */
const EPOCH_1904 = daysFromCivil(1904, 1, 1);

/**
 * A date-styled number as text: `YYYY-MM-DD`, with ` HH:mm` (`:ss` when there are seconds)
 * when the format shows a time and the time is not midnight; a time format gives `HH:mm`, an
 * elapsed one `H:mm` (hours past 24). Calendar arithmetic on whole days, no time zone (issue
 * 16: no shift). The 1900 system keeps Lotus's leap-year bug: day 60 is 1900-02-29, a day
 * that never was, given as such so that the import says it is not a date; days 1–59 are
 * January and February 1900. Null when the number is no date (negative, past year 9999).
 */
export function serialText(serial: number, shown: Shown, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  // to the second, as Excel rounds what it shows
  let day = Math.floor(serial);
  let secs = Math.round((serial - day) * 86_400);
  if (secs >= 86_400) {
    day++;
    secs -= 86_400;
  }
  const hh = Math.floor(secs / 3600);
  const mm = Math.floor((secs % 3600) / 60);
  const ss = secs % 60;
  const clock = pad2(hh) + ':' + pad2(mm) + (ss ? ':' + pad2(ss) : '');
  if (shown === Shown.Time) return clock;
  if (shown === Shown.Elapsed) return String(day * 24 + hh) + ':' + pad2(mm) + (ss ? ':' + pad2(ss) : '');
  let ymd: string;
  if (date1904) ymd = civilText(EPOCH_1904 + day);
  else if (day >= 61) ymd = civilText(EPOCH_1900 + day);
  else if (day === 60) ymd = '1900-02-29';
  else if (day === 0) ymd = '1900-01-00';
  else ymd = civilText(EPOCH_1900 + day + 1);
  if (ymd.length !== 10) return null;
  return shown === Shown.DateTime && secs !== 0 ? ymd + ' ' + clock : ymd;
}

function civilText(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return y > 9999 ? '' : pad4(y) + '-' + pad2(m) + '-' + pad2(d);
}

/**
 * A number as stored (`<v>13800138000</v>`, `<v>3980.0000000000005</v>`, `<v>1E-3</v>`) as
 * the exact decimal a person reads in the cell: integers as they are, other numbers rounded
 * to Excel's 15 significant digits without trailing zeros, never in scientific notation —
 * except from 10^15 on, where Excel itself has dropped the digits past the fifteenth: then
 * `4.40104195601011E+17`, which the kinds refuse as a number whose digits are lost
 * (isExcelScientific), rather than inventing zeros for the lost digits.
 */
export function numberText(v: string): string {
  if (isPlainInteger(v)) return v;
  const x = Number(v);
  if (!Number.isFinite(x)) return v.trim();
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e15) return x.toPrecision(15).replace(/\.?0+e/, 'e').replace('e', 'E');
  const p = x.toPrecision(15);
  const e = p.indexOf('e');
  if (e < 0) return trimZeros(p);
  // a small number: toPrecision gives 1.5e-7; written out in full, as Excel's General does up to 1E-9
  const digits = p.slice(0, e).replace('-', '').replace('.', '');
  const exp = Number(p.slice(e + 1));
  return trimZeros((x < 0 ? '-' : '') + '0.' + '0'.repeat(-exp - 1) + digits);
}

/** Up to 15 digits, no sign but `-`, no leading zero: already the text Excel shows. */
function isPlainInteger(v: string): boolean {
  const n = v.length;
  if (n === 0 || n > 16) return false;
  let i = v.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n || n - i > 15 || (v.charCodeAt(i) === 48 && n - i > 1)) return false;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * `_xHHHH_` escapes of a string (ECMA-376 ST_Xstring): how Excel stores a character XML
 * cannot hold (a control character: `_x000D_`) and a literal `_x` (`_x005F_`). U+0000 is
 * dropped: no cell holds it, and the import keeps rows as cells joined by it.
 */
export function unescapeXstring(s: string): string {
  if (s.indexOf('_x') < 0) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => {
    const c = parseInt(h, 16);
    return c === 0 ? '' : String.fromCharCode(c);
  });
}

/** A `t="d"` cell (ISO 8601, as strict OOXML and some writers store dates): `YYYY-MM-DD[ HH:mm]`. */
export function isoDateText(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(v.trim());
  if (!m) return v.trim();
  if (m[2] === undefined || (m[2] === '00' && m[3] === '00' && (m[4] ?? '00') === '00')) return m[1];
  return `${m[1]} ${m[2]}:${m[3]}` + (m[4] && m[4] !== '00' ? ':' + m[4] : '');
}
