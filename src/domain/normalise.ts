/**
 * Issue 15: the text a clerk really types, read as the text meant. Every imported cell and
 * every phone/name argument goes through normaliseText; a person's name also through
 * personName.
 */

/** Zero-width characters: ZWSP, ZWNJ, ZWJ, word joiner, BOM/ZWNBSP. */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
/** Horizontal space: tab and every Unicode space separator (Zs: NBSP, U+3000, U+2000–U+200A…). */
const SPACES = /[\t\p{Zs}]+/gu;

/**
 * True when s is already normal and costs nothing to check: printable ASCII or CJK unified
 * ideographs (neither changes here), no space at either end, no two spaces in a row.
 */
function clean(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  if (s.charCodeAt(0) === 32 || s.charCodeAt(n - 1) === 32) return false;
  let prevSpace = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return false;
      prevSpace = true;
    } else if ((c > 32 && c < 127) || (c >= 0x4e00 && c <= 0x9fff)) prevSpace = false;
    else return false;
  }
  return true;
}

/**
 * Full-width digits and Latin letters: NFKC for those alone. Full-width punctuation is how
 * Chinese is written (`血压偏高，已提醒`): a note keeps its `，` `（）` `：`.
 */
const FULL_WIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
const toAscii = (c: string) => String.fromCharCode(c.charCodeAt(0) - 0xfee0);

/**
 * Full-width digits and Latin letters → ASCII (`１３８…` → `138…`, `１２元` → `12元`),
 * zero-width characters removed, every run of tabs and Unicode spaces made one ASCII space,
 * and the ends trimmed. Line breaks inside (a note) stay. Idempotent.
 */
export function normaliseText(s: string): string {
  if (clean(s)) return s;
  return s.replace(ZERO_WIDTH, '').replace(FULL_WIDTH_ALNUM, toAscii).replace(SPACES, ' ').trim();
}

const CJK_SPACE = /(?<=[\p{Script=Han}\u3007]) (?=[\p{Script=Han}\u3007])/gu;

/**
 * A person's name: normaliseText, then no space between two Chinese characters (`冯　明`,
 * `冯 明` → `冯明`); one space between Latin words stays (`John Smith`).
 */
export function personName(s: string): string {
  const v = normaliseText(s);
  return v.indexOf(' ') < 0 ? v : v.replace(CJK_SPACE, '');
}
