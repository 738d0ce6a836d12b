/**
 * The text of a workbook being written (issue 16): XML escaping as Excel itself writes it,
 * cell references and legal sheet names. Shared by the writer's parts (write.ts,
 * writeCells.ts); the reader has its own (read.ts).
 */

/**
 * Characters XML 1.0 does not allow (C0 controls but tab and LF), the CR (an XML reader
 * turns it into LF), and a text that already looks like an escape (`_x0041_`): each
 * written the way Excel writes them, so a reader of Excel's files reads them back as they
 * were — `\u0001` as `_x0001_`, `\r` as `_x000D_`, a literal `_x0041_` as `_x005F_x0041_`.
 * A lone surrogate and U+FFFE/U+FFFF, which no XML can carry, become U+FFFD.
 */
const SPECIAL = /[&<>"\u0000-\u0008\u000B-\u001F\uD800-\uDFFF\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;
const ESCAPES = /[&<>"]|[\u0000-\u0008\u000B-\u001F]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF\uFFFE\uFFFF]|_x(?=[0-9A-Fa-f]{4}_)/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escapeOne(m: string): string {
  if (m.length === 2) return m === '_x' ? '_x005F_x' : m;
  const e = ENTITIES[m];
  if (e) return e;
  const c = m.charCodeAt(0);
  if (c < 0x20) return `_x${c.toString(16).toUpperCase().padStart(4, '0')}_`;
  return '\uFFFD';
}

/** Text for an element's content or an attribute's value (between double quotes). */
export function xmlText(s: string): string {
  return SPECIAL.test(s) ? s.replace(ESCAPES, escapeOne) : s;
}

/** The letters of a column: 0 → A, 25 → Z, 26 → AA … 16383 → XFD. */
export function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Excel's limit on a sheet name, in UTF-16 units. */
const SHEET_NAME_MAX = 31;
/** What a sheet name may not hold (Excel refuses the file otherwise), and control characters. */
const NOT_IN_NAME = /[[\]:*?/\\\u0000-\u001f]/g;

/** At most `max` UTF-16 units of `s`, never half a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * Legal, distinct sheet names for `wanted`, in order: none of `[]:*?/\`, no apostrophe at
 * either end, at most 31 characters, not empty (`Sheet1`…), and no two the same ignoring
 * case (Excel's rule; `History` is Excel's own) — a second `顾客` is `顾客 (2)`.
 */
export function sheetNames(wanted: readonly string[]): string[] {
  const taken = new Set<string>(['history']);
  return wanted.map((raw, i) => {
    let base = cut(raw.replace(NOT_IN_NAME, '_').trim().replace(/^'+|'+$/g, '').trim(), SHEET_NAME_MAX);
    if (base === '') base = `Sheet${i + 1}`;
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) {
      const suffix = ` (${n})`;
      name = cut(base, SHEET_NAME_MAX - suffix.length) + suffix;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}

/** A sheet's name in a formula or a defined name: always quoted, its apostrophes doubled. */
export function sheetRef(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}
