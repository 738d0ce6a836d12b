/**
 * The cells of a workbook being written (issue 16), typed from the one column description
 * (output/column.ts): numbers and money as numbers with a number format, rates as
 * percentages, dates as dates, text as text — never a formula — and the styles they need
 * (xl/styles.xml). Also how wide each value shows, for the column widths.
 */
import type { Lang } from '../../messages/entry.js';
import { fenToYuanString } from '../../domain/values.js';
import { displayWidth } from '../width.js';
import { grouped, thousands } from '../numbers.js';
import { percentText } from '../output/cell.js';
import type { Column } from '../output/column.js';
import { xmlText } from './writeXml.js';

/** Number formats of the built-in table (ECMA-376 §18.8.30) the writer uses; others get ids from 164. */
const BUILT_IN: Record<string, number> = { '0': 1, '#,##0': 3, '#,##0.00': 4, '@': 49 };
const FIRST_CUSTOM = 164;

export const MONEY_FORMAT = '#,##0.00';
export const RATE_FORMAT = '0.0%';
export const DATE_FORMAT = 'yyyy-mm-dd';

/** normal text, bold (title and header rows), grey italics (a template's example row) */
export type Font = 'normal' | 'bold' | 'example';
const FONT_ID: Record<Font, number> = { normal: 0, bold: 1, example: 2 };

/**
 * The cell formats (cellXfs) a workbook uses, numbered as they are first asked for; index 0
 * is the default. One font family for the whole workbook: Excel's default for Chinese (等线)
 * in a Chinese workbook, Calibri in an English one.
 */
export class Styles {
  private readonly formats = new Map<string, number>();
  private readonly xfs: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly lang: Lang) {
    this.xf(null, 'normal');
  }

  /** The index of the format: a number format (null: General), a font, and Excel's "text, not a formula" mark. */
  xf(format: string | null, font: Font, quote = false): number {
    const key = `${format}|${font}|${quote}`;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    let numFmt = 0;
    if (format !== null) {
      numFmt = BUILT_IN[format] ?? this.formats.get(format) ?? FIRST_CUSTOM + this.formats.size;
      if (BUILT_IN[format] === undefined) this.formats.set(format, numFmt);
    }
    const fontId = FONT_ID[font];
    this.xfs.push(
      `<xf numFmtId="${numFmt}" fontId="${fontId}" fillId="0" borderId="0" xfId="0"` +
        (numFmt ? ' applyNumberFormat="1"' : '') +
        (fontId ? ' applyFont="1"' : '') +
        (quote ? ' quotePrefix="1"' : '') +
        '/>',
    );
    this.index.set(key, this.xfs.length - 1);
    return this.xfs.length - 1;
  }

  xml(): string {
    const face = this.lang === 'zh' ? '<name val="等线"/><family val="2"/><charset val="134"/>' : '<name val="Calibri"/><family val="2"/>';
    const numFmts = [...this.formats].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${xmlText(code)}"/>`);
    return (
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      (numFmts.length ? `<numFmts count="${numFmts.length}">${numFmts.join('')}</numFmts>` : '') +
      '<fonts count="3">' +
      `<font><sz val="11"/>${face}</font>` +
      `<font><b/><sz val="11"/>${face}</font>` +
      `<font><i/><sz val="11"/><color rgb="FF808080"/>${face}</font>` +
      '</fonts>' +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '</styleSheet>'
    );
  }
}

/** The serial of 1970-01-01 in Excel's 1900 date system (day 1 is 1900-01-01, with its fictitious 1900-02-29). */
const UNIX_EPOCH_SERIAL = 25569;
/** 1900-03-01: from here on the serial counts real days. */
const FIRST_TRUE_SERIAL = 61;
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date `YYYY-MM-DD` as Excel's serial day number (1900 system): the day itself,
 * whatever the time zone (counted in UTC days, no clock involved). Null for a text that is
 * not a real date, or one before 1900-03-01 (Excel's 1900 leap-year bug): written as text.
 */
export function dateSerial(s: string): number | null {
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  const serial = ms / DAY_MS + UNIX_EPOCH_SERIAL;
  return serial >= FIRST_TRUE_SERIAL ? serial : null;
}

/** Excel's limit on the text of a cell; a longer one would make Excel "repair" the file. */
export const CELL_TEXT_MAX = 32_767;
/** A text that a spreadsheet would take for a formula when typed (§4: never executed). */
const FORMULA_START = /^[=+\-@]/;
/** Text that keeps its spaces and line breaks only when marked so. */
const NEEDS_PRESERVE = /^\s|\s$|[\n\t]/;

/** An inline string cell (no shared-strings table to hold in memory). */
export function textCell(ref: string, s: string, style: number): string {
  const text = s.length > CELL_TEXT_MAX ? cutText(s) : s;
  const attr = style ? ` s="${style}"` : '';
  return `<c r="${ref}"${attr} t="inlineStr"><is><t${NEEDS_PRESERVE.test(text) ? ' xml:space="preserve"' : ''}>${xmlText(text)}</t></is></c>`;
}

/** The first CELL_TEXT_MAX - 1 units and `…`, never half a surrogate pair. */
function cutText(s: string): string {
  let end = CELL_TEXT_MAX - 1;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end) + '…';
}

function numberCell(ref: string, v: string, style: number): string {
  return `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${v}</v></c>`;
}

/**
 * An integer column that names or dates something rather than counts it (customer_id,
 * order line_no, seq, group, birth_year): written without thousands separators.
 */
const PLAIN_INT = /(^|_)(id|no|seq|group|year)$/;

const YES_NO: Record<Lang, [string, string]> = { zh: ['是', '否'], en: ['yes', 'no'] };

/** A column ready to write: its letters, and its cell and its shown width for a value. */
export interface SheetColumn {
  letter: string;
  /**
   * the number format of the column's empty cells in a template: Text (`@`) for a text
   * column, so that a phone or an id typed in stays as typed (13800138000, 0571…, 007);
   * the kind's format for the others
   */
  blank: string | null;
  /** the cell's XML in row `r` ('' for no value); `example`: the grey italic example row */
  cell(r: number, v: unknown, example: boolean): string;
  /** the display width of the value as the cell shows it (a CJK character counts 2) */
  width(v: unknown): number;
}

/** How wide text shows: its widest line among the first few, no further than a column is ever made. */
export function textWidth(s: string): number {
  const head = s.length > 256 ? s.slice(0, 256) : s;
  let w = 0;
  for (const line of head.split('\n')) w = Math.max(w, displayWidth(line.length > 64 ? line.slice(0, 64) : line));
  return w;
}

const noValue = (v: unknown) => v === undefined || v === null || v === '' || (typeof v === 'number' && !Number.isFinite(v));

/** The number format of a number column's cells (null: General, or not a number column). */
export function numberFormat(c: Column): string | null {
  switch (c.kind) {
    case 'money':
      return MONEY_FORMAT;
    case 'rate':
      return RATE_FORMAT;
    case 'int':
      return PLAIN_INT.test(c.key) ? '0' : '#,##0';
    case 'number':
      return c.decimals === undefined ? null : c.decimals === 0 ? '#,##0' : `#,##0.${'0'.repeat(c.decimals)}`;
    default:
      return null;
  }
}

/**
 * The number a number column's cell holds for `v` (money: integer fen as yuan, exact to the
 * fen), as the cell's `<v>` and a chart's cache write it; null for no number.
 */
export function numberValue(c: Column, v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (c.kind === 'money') return fenToYuanString(Math.round(v));
  return String(v === 0 ? 0 : v);
}

/**
 * A column's cells by its kind: int/number/money/rate as numbers (money from integer fen to
 * yuan, exact to the fen), dates as serial days with a date format, bool as 是/否 (yes/no in
 * English: words every import reads back), lists joined with `;` as in a csv, text as text.
 * A value of another type than its kind says (a `TOTAL` label in a number column) is text.
 * Codes (Column.codes) stay codes, as in a csv: an export re-imports as it is.
 */
export function sheetColumn(c: Column, letter: string, lang: Lang, styles: Styles): SheetColumn {
  const kind = c.kind ?? 'text';
  const text = [styles.xf(null, 'normal'), styles.xf(null, 'example')];
  const quoted = [styles.xf(null, 'normal', true), styles.xf(null, 'example', true)];
  const asText = (r: number, s: string, example: boolean) => textCell(letter + r, s, (FORMULA_START.test(s) ? quoted : text)[+example]);
  const fallback = (r: number, v: unknown, example: boolean) => asText(r, String(v), example);
  const formatted = (format: string) => [styles.xf(format, 'normal'), styles.xf(format, 'example')];
  switch (kind) {
    case 'money': {
      const s = formatted(MONEY_FORMAT);
      return {
        letter,
        blank: MONEY_FORMAT,
        cell: (r, v, ex) => (noValue(v) ? '' : typeof v === 'number' ? numberCell(letter + r, numberValue(c, v)!, s[+ex]) : fallback(r, v, ex)),
        width: (v) => (typeof v === 'number' && Number.isFinite(v) ? grouped(fenToYuanString(Math.round(v))).length : noValue(v) ? 0 : textWidth(String(v))),
      };
    }
    case 'int':
    case 'number':
    case 'rate': {
      const plain = kind === 'int' && PLAIN_INT.test(c.key);
      const format = numberFormat(c);
      const s = format === null ? text : formatted(format);
      const shown = (n: number): string =>
        kind === 'rate' ? percentText(n) : plain ? String(n) : kind === 'int' ? thousands(n) : c.decimals === undefined ? String(n) : grouped(n.toFixed(c.decimals));
      return {
        letter,
        blank: format,
        cell: (r, v, ex) => (noValue(v) ? '' : typeof v === 'number' ? numberCell(letter + r, numberValue(c, v)!, s[+ex]) : fallback(r, v, ex)),
        width: (v) => (typeof v === 'number' && Number.isFinite(v) ? shown(v).length : noValue(v) ? 0 : textWidth(String(v))),
      };
    }
    case 'date': {
      const s = formatted(DATE_FORMAT);
      return {
        letter,
        blank: DATE_FORMAT,
        cell: (r, v, ex) => {
          if (noValue(v)) return '';
          const serial = typeof v === 'string' ? dateSerial(v) : null;
          return serial === null ? fallback(r, v, ex) : numberCell(letter + r, String(serial), s[+ex]);
        },
        width: (v) => (noValue(v) ? 0 : textWidth(String(v))),
      };
    }
    case 'bool': {
      const [yes, no] = YES_NO[lang];
      const word = (v: unknown) => (typeof v === 'boolean' || typeof v === 'number' ? (v ? yes : no) : String(v));
      return {
        letter,
        blank: '@',
        cell: (r, v, ex) => (noValue(v) ? '' : asText(r, word(v), ex)),
        width: (v) => (noValue(v) ? 0 : displayWidth(word(v))),
      };
    }
    case 'list': {
      const joined = (v: unknown) => (Array.isArray(v) ? v.join(';') : String(v));
      return {
        letter,
        blank: '@',
        cell: (r, v, ex) => (noValue(v) || (Array.isArray(v) && v.length === 0) ? '' : asText(r, joined(v), ex)),
        width: (v) => (noValue(v) ? 0 : textWidth(joined(v))),
      };
    }
    default:
      return {
        letter,
        blank: '@',
        cell: (r, v, ex) => (noValue(v) ? '' : fallback(r, v, ex)),
        width: (v) => (noValue(v) ? 0 : textWidth(String(v))),
      };
  }
}

/** Widest a column is made, and narrowest, in Excel's units (about one digit of the default font). */
const WIDTH_MAX = 60;
const WIDTH_MIN = 6;
/** room for the cell's margins, and for the filter button beside a header */
const DATA_PAD = 2;
const HEADER_PAD = 4;

/** A column's width: the header's (bold, beside its filter button) or the widest value's, within bounds. */
export function columnWidth(header: number, widest: number): number {
  return Math.min(WIDTH_MAX, Math.max(WIDTH_MIN, header + HEADER_PAD, widest + DATA_PAD));
}
