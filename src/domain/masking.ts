/**
 * §5 档案封存: listings mask phone numbers (`138****5678`) and addresses beyond the
 * district, and omit health notes.
 */
import { maskPhone } from './values.js';
import { regionByCode } from './region.js';

export interface Maskable {
  phone: string;
  address: string | null;
  district: string | null;
  health?: string | null;
}

/** The address up to its district (the district's full name when the address starts with it), then `****`. */
export function maskAddress(address: string | null, district: string | null): string | null {
  if (!address) return null;
  const region = district ? regionByCode(district) : undefined;
  if (!region) return '****';
  const compact = address.replace(/\s+/g, '');
  for (const prefix of [region.fullName, region.fullName.replace(/^.+?(省|自治区)/, ''), region.name]) {
    if (prefix && compact.startsWith(prefix)) return prefix + '****';
  }
  return region.fullName + '****';
}

export function maskCustomer<T extends Maskable>(c: T): Omit<T, 'health'> {
  const { health: _omit, ...rest } = c;
  return { ...rest, phone: maskPhone(c.phone), address: maskAddress(c.address, c.district) };
}

// ---------------------------------------------------------------------------------------
// Numbers inside free text (notes, reasons, names, products…)

/** ASCII and full-width digits (one UTF-16 unit each, so positions map one to one). */
const DIGIT_RUN = /[0-9\uFF10-\uFF19]+/g;
/** A fast path: every number masked here has a run of at least 3 digits. */
const HAS_3_DIGITS = /[0-9\uFF10-\uFF19]{3}/;
/** What may stand between the digit groups of one number: spaces, or a dash with optional spaces. */
const GAP = /^(?:[ \t\u00A0\u3000]{1,2}|[ \t\u00A0\u3000]?[-\u2010-\u2015\u2212\uFF0D][ \t\u00A0\u3000]?)$/;
/** After an area code in brackets: `(0571)8888 1234`, `（0571） 88881234`. */
const AREA_CLOSE = /^[)\uFF09][ \t\u00A0\u3000]?$/;
const PLUS = new Set(['+', '\uFF0B']);
const CHECK_X = new Set(['X', 'x', '\uFF38', '\uFF58']);

/** How the groups of each kind of number are written (lengths of the digit groups). */
const MOBILE_GROUPS = ['11', '3,4,4', '3,8', '7,4', '4,3,4'];
const ID18_GROUPS = ['18', '6,8,4', '6,4,4,4', '6,12'];
const ID15_GROUPS = ['15', '6,6,3', '6,9'];
const MAX_GROUPS = 5; // a prefix and four groups

interface Group {
  start: number;
  end: number;
  digits: string;
}

const ascii = (s: string): string => s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/** An 18-digit (last may be X) or 15-digit resident ID: a region code 1–8…, then a birth date. */
function isIdCard(digits: string): boolean {
  if (!/^[1-8]\d{5}/.test(digits)) return false;
  if (digits.length === 18) {
    const y = +digits.slice(6, 10);
    return (y >= 1880 && y <= 2099) && /^\d{17}[\dX]$/.test(digits) && validDate(y, +digits.slice(10, 12), +digits.slice(12, 14));
  }
  if (digits.length === 15) return /^\d{15}$/.test(digits) && validDate(1900 + +digits.slice(6, 8), +digits.slice(8, 10), +digits.slice(10, 12));
  return false;
}

/** A landline with its area code: `0` + 2–3 digits, then 7–8 digits, written glued or area code apart. */
function isLandline(digits: string, lens: number[]): boolean {
  if (!/^0[1-9]\d{8,10}$/.test(digits)) return false;
  if (lens.length === 1) return true;
  const [area, ...local] = lens;
  const localLen = digits.length - area;
  if (area < 3 || area > 4 || localLen < 7 || localLen > 8) return false;
  // the local number in one piece, or 3–4 then 4 (`8888 1234`, `888-1234`)
  return local.length === 1 || (local.length === 2 && local[0] >= 3 && local[1] >= 3);
}

type Found = { kind: 'phone' | 'id'; masked: string; from: number; to: number };

/**
 * Tries the groups `gs` (joined by GAPs, the first at text index gs[0].start) as one number.
 * Returns the part of the text to replace and its masked form, or null.
 */
function classify(text: string, gs: Group[], trailingX: boolean): Found | null {
  let lens = gs.map((g) => g.digits.length);
  let digits = gs.map((g) => g.digits).join('');
  const end = gs[gs.length - 1].end;
  const key = (l: number[]) => l.join(',');

  // resident ID cards (no country prefix); an 18th character X right after 17 digits is the check
  if (trailingX && digits.length === 17) {
    const l = [...lens];
    l[l.length - 1]++;
    if (ID18_GROUPS.includes(key(l)) && isIdCard(digits + 'X')) return { kind: 'id', masked: maskIdCard(digits + 'X'), from: gs[0].start, to: end + 1 };
  }
  if ((digits.length === 18 && ID18_GROUPS.includes(key(lens))) || (digits.length === 15 && ID15_GROUPS.includes(key(lens)))) {
    if (isIdCard(digits)) return { kind: 'id', masked: maskIdCard(digits), from: gs[0].start, to: end };
  }

  // the country prefix: +86, 0086, or 86 before a mobile; kept as written, the number after it masked
  let from = gs[0].start;
  let intl = false;
  const plus = gs[0].start > 0 && PLUS.has(text[gs[0].start - 1]);
  const prefix = plus && digits.startsWith('86') ? 2 : digits.startsWith('0086') ? 4 : digits.startsWith('86') ? 2 : 0;
  if (prefix > 0) {
    const rest = digits.slice(prefix);
    const bare = prefix === 2 && !plus; // a bare 86 counts only before a mobile
    if (!bare || /^1[3-9]\d{9}$/.test(rest)) {
      if (lens[0] === prefix) {
        if (gs.length === 1) return null;
        lens = lens.slice(1);
        from = gs[1].start;
      } else {
        lens = [lens[0] - prefix, ...lens.slice(1)];
        from = gs[0].start + prefix;
      }
      digits = rest;
      intl = true;
    }
  }
  if (/^1[3-9]\d{9}$/.test(digits) && MOBILE_GROUPS.includes(key(lens))) return { kind: 'phone', masked: maskPhone(digits), from, to: end };
  if (isLandline(digits, lens)) {
    // `(0571)8888 1234`: the bracket before the area code goes with the number
    if (lens.length > 1 && from > 0 && (text[from - 1] === '(' || text[from - 1] === '\uFF08') && AREA_CLOSE.test(text.slice(gs[gs.length - lens.length].end, gs[gs.length - lens.length + 1].start))) from--;
    return { kind: 'phone', masked: maskPhone(digits), from, to: end };
  }
  // abroad a landline drops its trunk 0: +86 571 8888 1234
  if (intl && /^[2-9]/.test(digits) && isLandline('0' + digits, [lens[0] + 1, ...lens.slice(1)])) return { kind: 'phone', masked: maskPhone(digits), from, to: end };
  return null;
}

/** `330726********1234`: an ID card keeps its region code (first 6) and its last 4 characters. */
export function maskIdCard(id: string): string {
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4).toUpperCase();
}

/**
 * §5 in free text: every mobile, landline (with its area code) and resident ID number typed
 * into a note, reason, name or product is masked — phones as `139****2222` (first 3, last 4,
 * as maskPhone), ID cards as `330726********1234` (region code and last 4). Numbers may be
 * written with spaces or dashes between their usual groups (`139 1111 2222`, `0571-8888 1234`,
 * `330726 19500101 1234`), behind `+86`/`0086`/`86`, in full-width digits, and glued to text
 * on either side. A masked number is written in ASCII digits without its inner separators.
 * Ordinary numbers (amounts, dates, order numbers shorter than a phone) are left as they are;
 * so are digits glued to other digits (no single number can be told from such a run) and local
 * numbers without an area code (7–8 digits, indistinguishable from an order number).
 */
export function maskFreeText(text: string): string;
export function maskFreeText(text: string | null): string | null;
export function maskFreeText(text: string | null | undefined): string | null | undefined;
export function maskFreeText(text: string | null | undefined): string | null | undefined {
  if (!text || !HAS_3_DIGITS.test(text)) return text;
  const groups: Group[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) groups.push({ start: m.index, end: m.index + m[0].length, digits: ascii(m[0]) });
  const found: Found[] = [];
  let i = 0;
  while (i < groups.length) {
    // the groups that may belong to one number with groups[i]: joined by a gap each
    let last = i;
    while (last + 1 < groups.length && last - i + 1 < MAX_GROUPS) {
      const gap = text.slice(groups[last].end, groups[last + 1].start);
      // a closing bracket only after what can be an area code (`(0571)`, or `(571)` behind +86)
      const areaClose = groups[last].digits.length >= 2 && groups[last].digits.length <= 4 && AREA_CLOSE.test(gap);
      if (!GAP.test(gap) && !areaClose) break;
      last++;
    }
    let hit: Found | null = null;
    let used = i;
    // the longest reading wins
    for (let j = last; j >= i && !hit; j--) {
      const trailingX = CHECK_X.has(text[groups[j].end] ?? '');
      hit = classify(text, groups.slice(i, j + 1), trailingX);
      used = j;
    }
    if (hit) {
      found.push(hit);
      i = used + 1;
    } else i++;
  }
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.from) + f.masked;
    at = f.to;
  }
  return out + text.slice(at);
}
