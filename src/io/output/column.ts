/**
 * The one description of a listing's columns, from which every format is written: the key
 * (csv header, json key — English, stable), the table header in both languages, the type
 * (how a value is written), the words of its codes, masking and the table width.
 */
import type { Entry } from '../../messages/entry.js';
import type { CodeSet } from '../../messages/columns.js';
import type { HeaderNames } from './formats.js';

export type ColumnKind = 'text' | 'int' | 'money' | 'rate' | 'number' | 'date' | 'bool' | 'list';

export interface Column {
  key: string;
  /**
   * the table header (a `\n` makes it two lines); csv/tsv/json use `key`, except a Chinese
   * csv/tsv written for people (`--headers names`, an export to a file: issue 15)
   */
  header?: Entry;
  /** text unless said: int, money (integer fen in, yuan out), rate (a ratio), number, date, bool, list */
  kind?: ColumnKind;
  /** a `number` in a table with this many decimals (else as it is) */
  decimals?: number;
  /**
   * the values are codes of this set (`rep`, `new_staff`, `F`): a Chinese table shows each
   * code's word (a list column each item's), csv/tsv/json and English tables the code
   * (issue 15; messages/columns.ts codeText)
   */
  codes?: CodeSet;
  /**
   * §5 sealed data in this column, masked on the way out unless the run is revealed:
   * `phone` (138****1234) or `text` (numbers typed into free text)
   */
  mask?: 'phone' | 'text';
  /** widest a table cell of this column may be, in display columns (default TABLE_CELL_WIDTH) */
  width?: number;
}

export type Row = Record<string, unknown>;

/** Kinds aligned right in a table (numbers). */
export const RIGHT: ReadonlySet<ColumnKind> = new Set(['int', 'money', 'rate', 'number']);

/** The table header of a column in a language (the key when it has none). */
export function headerText(c: Column, lang: 'zh' | 'en'): string {
  return c.header ? c.header[lang] : c.key;
}

/**
 * The csv/tsv header of a column. `names` in Chinese: its header on one line (`逾期\n未访` →
 * 逾期未访); in English the names are the keys, as the English import templates' headers are.
 */
export function fileHeader(c: Column, lang: 'zh' | 'en', names: HeaderNames): string {
  return names === 'names' && lang === 'zh' && c.header ? c.header.zh.replaceAll('\n', '') : c.key;
}
