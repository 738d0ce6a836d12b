/**
 * Display width in a terminal: East Asian wide and full-width characters take two cells
 * (Unicode's East Asian Width, from the maintained `get-east-asian-width` tables), marks,
 * format and ignorable characters none, the rest one. test/unit/width.test.ts pins it to
 * string-width character by character.
 */
import { eastAsianWidth } from 'get-east-asian-width';

/**
 * Text of characters whose width is known without a look-up — printable ASCII, Latin
 * letters, general punctuation (—, …, ·, “”) one column each; CJK ideographs, CJK
 * punctuation and full-width forms two — is measured by two native regular-expression scans
 * instead of a loop over its characters (issue 17: the loop, still interpreted at start-up,
 * was a fifth of drawing a due list of 549 rows). The ranges are charWidth's own
 * (test/unit/width.test.ts checks every character of them).
 */
const SIMPLE = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u2010-\u2027\u3000-\u3029\u302e-\u303e\u4e00-\u9fff\uff01-\uff60]*$/;
const WIDE = /[\u3000-\u3029\u302e-\u303e\u4e00-\u9fff\uff01-\uff60]/g;

/** The width of SIMPLE text: a column a character, two for a wide one. */
const simpleWidth = (s: string) => 2 * s.length - s.replace(WIDE, '').length;

export function displayWidth(s: string): number {
  if (SIMPLE.test(s)) return simpleWidth(s);
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    w += charWidth(c);
  }
  return w;
}

const ZERO_WIDTH = /^[\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Nonspacing_Mark}\p{Enclosing_Mark}\p{Surrogate}]$/u;

/** Widths of the Basic Multilingual Plane, worked out once per character on first use (0 = not yet). */
const bmp = new Uint8Array(0x10000);

function measure(c: number): number {
  if (ZERO_WIDTH.test(String.fromCodePoint(c))) return 0;
  return eastAsianWidth(c);
}

/** Width of one code point: 2 for wide and full-width, 0 for marks and ignorables, else 1. */
export function charWidth(c: number): number {
  // printable ASCII and Latin-1 letters: most of every table, one comparison
  if ((c >= 0x20 && c < 0x7f) || (c >= 0xc0 && c < 0x300)) return 1;
  if (c > 0xffff) return measure(c);
  const known = bmp[c];
  if (known !== 0) return known - 1;
  const w = measure(c);
  bmp[c] = w + 1;
  return w;
}

/**
 * Widest a cell of a terminal table may be, in display columns (a CJK character counts 2):
 * longer text is cut and ends with `…`. Tables are for reading; csv/tsv/json keep every
 * character.
 */
export const TABLE_CELL_WIDTH = 60;

const ELLIPSIS = '…';

/**
 * A value as one line of a terminal table, at most `max` display columns: a line break (CRLF,
 * CR or LF) and a tab become a space, any other control character (an escape sequence would
 * drive the terminal) becomes `�`, and text wider than `max` is cut at a whole character and
 * ends with `…` (so the cell is `max` or, when a wide character does not fit, `max - 1`
 * columns wide). It reads at most the first `max` characters or so of the value, never the
 * rest: a 10 MB note costs what a short one does.
 */
export function tableCell(s: string, max: number = TABLE_CELL_WIDTH): string {
  // short simple text fits as it is (no control character, at most two columns a character)
  if (2 * s.length <= max && SIMPLE.test(s)) return s;
  let w = 0;
  // where the text fits into max - 1 columns (the room left for … when it must be cut)
  let fit = 0;
  let clean = true;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) clean = false;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    // a CRLF is one space, so it is one column
    const cw = c === 13 && s.charCodeAt(i + 1) === 10 ? (i++, 1) : c < 0x20 || (c >= 0x7f && c <= 0x9f) ? 1 : charWidth(c);
    if (w + cw > max) return sanitize(s.slice(0, fit), clean) + ELLIPSIS;
    w += cw;
    if (w <= max - 1) fit = i + 1;
  }
  return clean ? s : sanitize(s, false);
}

function sanitize(s: string, clean: boolean): string {
  if (clean) return s;
  return s.replace(/\r\n|[\r\n\t]|[\u0000-\u001f\u007f-\u009f]/g, (m) => (m.length === 2 || m === '\r' || m === '\n' || m === '\t' ? ' ' : '\ufffd'));
}
