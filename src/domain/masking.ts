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
//
// The scanner works in two steps (docs/decisions.md, "Trust (issue 12)"):
//  1. Runs: digit groups (ASCII or full-width, a trailing X/x kept for an ID's check
//     character) joined by short separators — spaces, dashes, dots, slashes, brackets, in
//     ASCII or full-width forms. `139.1111.2222`, `(0571)8888-1234` and `2024-08-05 3980`
//     are one run each; a comma, a colon, a letter or CJK text ends a run.
//  2. Readings: every place in a run's digits (separators removed) where a mobile, a landline
//     with its area code or a resident ID starts and ends. Every accepted reading is masked —
//     not the longest, not the first: overlapping readings (`0571 8888 139 1111 2222` reads
//     as a landline `0571 8888139` and as a mobile `139 1111 2222`) are merged and masked as
//     one, so no reading can leave part of another visible.

/** ASCII digits, full-width digits (one UTF-16 unit each, so positions map one to one). */
const isDigit = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0xff10 && c <= 0xff19);
/** X, x and their full-width forms: the check character that may end an 18-digit ID. */
const isCheckX = (c: number): boolean => c === 0x58 || c === 0x78 || c === 0xff38 || c === 0xff58;
/** What may stand between the digit groups of one number (at most MAX_GAP of them). */
const SEPARATORS = new Set(
  Array.from(
    ' \t\u00A0\u2002\u2003\u2009\u202F\u3000' + // spaces
      '-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D' + // dashes
      '.\uFF0E\u00B7\u30FB' + // dots
      '/\uFF0F' + // slashes
      '()\uFF08\uFF09', // brackets
  ).map((c) => c.charCodeAt(0)),
);
const MAX_GAP = 3;
/** Fewest digits a reading has (a landline behind +86 without its trunk 0: 10); shorter runs are skipped. */
const MIN_DIGITS = 10;
const OPEN_BRACKET = new Set(['(', '\uFF08']);
const CLOSE_BRACKET = /[)\uFF09]/;
const PLUS = new Set(['+', '\uFF0B']);

const MOBILE = /^1[3-9]\d{9}$/;
/**
 * A landline with its area code: 010 and 02x take an 8-digit local number, the 4-digit codes
 * (03xx–09xx) 7 or 8 digits; local numbers start 2–8 (0 and 1 are trunk and service prefixes,
 * 9 the short service numbers).
 */
const LANDLINE = /^(?:0(?:10|2\d)[2-8]\d{7}|0[3-9]\d{2}[2-8]\d{6,7})$/;

type Kind = 'mobile' | 'landline' | 'id';

interface Run {
  /** the digits of the run, ASCII, separators removed; an X only as the last character of a group */
  digits: string;
  /** text index of each character of `digits` */
  pos: number[];
  /** group number of each character of `digits` */
  group: number[];
}

interface Reading {
  kind: Kind;
  from: number;
  to: number;
  /** right behind a country prefix (`+86`, `0086`): counts as the start of a group */
  afterPrefix: boolean;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/** The first two digits of a region code: a province (GB/T 2260), or 81–83 on the residence permits of Hong Kong, Macao and Taiwan residents. */
const PROVINCE = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])\d{4}/;

/** An 18-character (last may be X) or 15-digit resident ID: a region code in a province, then a birth date. */
function isIdCard(id: string): boolean {
  if (!PROVINCE.test(id)) return false;
  if (id.length === 18) {
    const y = +id.slice(6, 10);
    return y >= 1880 && y <= 2099 && /^\d{17}[\dX]$/.test(id) && validDate(y, +id.slice(10, 12), +id.slice(12, 14));
  }
  if (id.length === 15) return /^\d{15}$/.test(id) && validDate(1900 + +id.slice(6, 8), +id.slice(8, 10), +id.slice(10, 12));
  return false;
}

/** The runs of `text` with at least MIN_DIGITS digits. */
function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  let run: Run | null = null;
  let groups = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    // a digit group, then its check character X if any
    if (!run) {
      run = { digits: '', pos: [], group: [] };
      groups = 0;
    }
    while (i < n && isDigit(text.charCodeAt(i))) {
      const c = text.charCodeAt(i);
      run.digits += String.fromCharCode(c >= 0xff10 ? c - 0xfee0 : c);
      run.pos.push(i);
      run.group.push(groups);
      i++;
    }
    if (i < n && isCheckX(text.charCodeAt(i))) {
      run.digits += 'X';
      run.pos.push(i);
      run.group.push(groups);
      i++;
    }
    groups++;
    // the run goes on when a digit follows after at most MAX_GAP separators (none after an X)
    let j = i;
    while (j < n && j - i < MAX_GAP && SEPARATORS.has(text.charCodeAt(j))) j++;
    // an ID's check character written apart (`330726 19500101 123 X`): a group of its own
    if (j > i && j < n && isCheckX(text.charCodeAt(j)) && !run.digits.endsWith('X')) {
      run.digits += 'X';
      run.pos.push(j);
      run.group.push(groups++);
      j++;
    }
    const joined = j < n && isDigit(text.charCodeAt(j)) && (j > i || run.digits.endsWith('X'));
    if (!joined) {
      if (run.digits.length >= MIN_DIGITS) runs.push(run);
      run = null;
    }
    i = j;
  }
  return runs;
}

/**
 * Where a reading may sit in its run. A reading across separators starts where a group starts
 * (or right behind a country prefix: `86139 1111 2222`) and ends where a group ends:
 * `2024-05-06 15812345678` holds no landline `0615812345`, `1280 1380 1580 1980` no mobile.
 * Inside one group (digits glued together) a mobile or an 18-character ID may sit anywhere —
 * `2024080513911112222` — and a landline must touch the group's start or end (its area code
 * is what marks it). An old 15-digit ID must be a whole group or groups: fifteen digits with a
 * plausible date are too common inside long numbers. Across groups a landline starts with its
 * whole area code (a group of 3 digits or more; `10`, `571` behind +86) — in
 * `2024-08-05 88881234` the day `05` is no area code — and an old ID with its whole region
 * code (6 digits or more): `1234 139 1111 2222` is no ID.
 */
function accepted(run: Run, r: Reading, text: string): boolean {
  const { group } = run;
  // digits next to a `*` are what a mask left of a longer number (`139****2222`): never its edge
  const startsGroup = (startOfGroup(run, r.from) && text[run.pos[r.from] - 1] !== '*') || r.afterPrefix;
  // a check character X after a phone's last digit is a letter after it, not part of its group
  const endsGroup = (r.to === group.length || group[r.to] !== group[r.to - 1] || run.digits[r.to] === 'X') && text[run.pos[r.to - 1] + 1] !== '*';
  const glued = r.kind === 'mobile' || (r.kind === 'id' && r.to - r.from === 18);
  if (group[r.from] === group[r.to - 1]) return glued || (r.kind === 'landline' ? startsGroup || endsGroup : startsGroup && endsGroup);
  if (!(startsGroup && endsGroup)) return false;
  const least = r.kind === 'landline' && !r.afterPrefix ? 3 : r.kind === 'id' && r.to - r.from === 15 ? 6 : 0;
  let first = r.from;
  while (first < group.length && first - r.from < least && group[first] === group[r.from]) first++;
  return first - r.from >= least;
}

const startOfGroup = (run: Run, i: number): boolean => i === 0 || run.group[i - 1] !== run.group[i];

/** Whether digit `i` follows a country prefix `86` or `0086` that starts its group. */
function behindPrefix(run: Run, i: number): boolean {
  const d = run.digits;
  return (i >= 2 && d.slice(i - 2, i) === '86' && startOfGroup(run, i - 2)) || (i >= 4 && d.slice(i - 4, i) === '0086' && startOfGroup(run, i - 4));
}

/** Every accepted reading of a run, by where it starts. */
function readingsOf(run: Run, text: string): Reading[] {
  const d = run.digits;
  const out: Reading[] = [];
  const add = (kind: Kind, from: number, to: number, afterPrefix = false) => {
    const r = { kind, from, to, afterPrefix };
    if (accepted(run, r, text)) out.push(r);
  };
  for (let a = 0; a + MIN_DIGITS <= d.length; a++) {
    const c = d[a];
    if (c === '1' && MOBILE.test(d.slice(a, a + 11))) add('mobile', a, a + 11, behindPrefix(run, a));
    if (c === '0') {
      for (const len of [11, 12]) if (a + len <= d.length && LANDLINE.test(d.slice(a, a + len))) add('landline', a, a + len);
    } else if (c >= '1' && c <= '8') {
      for (const len of [15, 18]) if (a + len <= d.length && isIdCard(d.slice(a, a + len))) add('id', a, a + len);
    }
    // abroad a landline drops its trunk 0: +86 571 8888 1234, 0086 571 8888 1234
    if (c !== '0' && a >= 2 && d.slice(a - 2, a) === '86') {
      const plus = startOfGroup(run, a - 2) && PLUS.has(text[run.pos[a - 2] - 1]);
      const zeros = a >= 4 && d.slice(a - 4, a - 2) === '00';
      if (plus || zeros) {
        for (const len of [10, 11]) if (a + len <= d.length && LANDLINE.test('0' + d.slice(a, a + len))) add('landline', a, a + len, true);
      }
    }
  }
  // `0086 139…`, `+86 571…`: the prefix is a prefix, not the start of another number (`086139…`)
  const prefixes = out.filter((r) => r.afterPrefix).map((r) => [r.from - (d.slice(r.from - 4, r.from) === '0086' ? 4 : 2), r.from]);
  return prefixes.length ? out.filter((r) => r.afterPrefix || !prefixes.some(([p, q]) => r.from >= p && r.from < q)) : out;
}

/** `330726********1234`: an ID card keeps its region code (first 6) and its last 4 characters. */
export function maskIdCard(id: string): string {
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4).toUpperCase();
}

/**
 * §5 in free text: every mobile, landline (with its area code) and resident ID number typed
 * into a note, reason, name or product is masked — phones as `139****2222` (first 3, last 4,
 * as maskPhone), ID cards as `330726********1234` (region code and last 4); readings that
 * overlap (`0571 8888 139 1111 2222`) are masked together as one, its first 3 and last 4
 * kept. Numbers may be written in any grouping with spaces, dashes, dots, slashes or brackets
 * between the groups (`139.1111.2222`, `1391 111 2222`, `(0571)8888-1234`,
 * `330726 19500101 1234`), behind `+86`/`(+86)`/`0086`/`86` (kept as written), in full-width
 * digits, glued to text on either side, and (mobiles and IDs) glued to other digits. A masked
 * number is written in ASCII digits without its inner separators. Ordinary numbers (amounts,
 * dates, order numbers, local numbers without an area code) are left as they are.
 */
export function maskFreeText(text: string): string;
export function maskFreeText(text: string | null): string | null;
export function maskFreeText(text: string | null | undefined): string | null | undefined;
export function maskFreeText(text: string | null | undefined): string | null | undefined {
  if (!text) return text;
  // fast path: too few digits for any number
  let count = 0;
  for (let i = 0; i < text.length && count < MIN_DIGITS; i++) if (isDigit(text.charCodeAt(i))) count++;
  if (count < MIN_DIGITS) return text;

  const edits: { from: number; to: number; masked: string }[] = [];
  for (const run of runsOf(text)) {
    const readings = readingsOf(run, text);
    // merge overlapping readings into spans; a span that one reading covers keeps its form
    let k = 0;
    while (k < readings.length) {
      const start = k;
      let to = readings[k].to;
      for (k++; k < readings.length && readings[k].from < to; k++) to = Math.max(to, readings[k].to);
      const first = readings[start];
      const cover = readings.slice(start, k).filter((r) => r.from === first.from && r.to === to);
      const whole = cover.find((r) => r.kind === 'id') ?? cover[0];
      const span = run.digits.slice(first.from, to);
      const masked = whole?.kind === 'id' ? maskIdCard(span) : maskPhone(span);
      let from = run.pos[first.from];
      const end = run.pos[to - 1] + 1;
      // `(0571)8888 1234`: the bracket before an area code goes with the number
      if (from > 0 && OPEN_BRACKET.has(text[from - 1]) && CLOSE_BRACKET.test(text.slice(from, end))) from--;
      edits.push({ from, to: end, masked });
    }
  }
  if (edits.length === 0) return text;
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.from) + e.masked;
    at = e.to;
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------------------------------
// One field's value, where a view shows fields by name (the change log, `audit --changes`)

/** How a field's value is sealed: a phone, an address, an ID number, or left out entirely. */
export type SealedAs = 'phone' | 'address' | 'id' | 'omit';

/** Sealed fields by name, whatever the kind that holds them (§5: phones, ID numbers, addresses, health). */
const SEALED_FIELDS: Readonly<Record<string, SealedAs>> = {
  phone: 'phone',
  mobile: 'phone',
  address: 'address',
  health: 'omit',
  id_card: 'id',
  id_no: 'id',
  id_number: 'id',
};

/**
 * How `field` of `kind` is sealed, or null when it is not (its text then only has the numbers
 * typed into it masked). A follow-up's note is sealed like health (what the customer said; the
 * rule of `customers show` and `export followups`).
 */
export function sealedField(kind: string, field: string): SealedAs | null {
  if (kind === 'followups' && field === 'note') return 'omit';
  return SEALED_FIELDS[field] ?? null;
}

/**
 * One stored value as a masked view shows it: a sealed phone as `138****5678`, an address as
 * `****` (no district beside it to keep), an ID as `330726********1234`, health and follow-up
 * notes as `omitted` (the caller's `(sealed)`); any other text with its phone and ID numbers
 * masked (maskFreeText). A missing or blank value stays as it is.
 */
export function maskFieldValue(kind: string, field: string, value: string | null, omitted: string): string | null {
  if (value === null || value.trim() === '') return value;
  switch (sealedField(kind, field)) {
    case 'phone':
      return maskPhone(value.trim());
    case 'address':
      return maskAddress(value, null);
    case 'id':
      return value.trim().length >= 10 ? maskIdCard(value.trim()) : '*'.repeat(value.trim().length);
    case 'omit':
      return omitted;
    default:
      return maskFreeText(value);
  }
}
