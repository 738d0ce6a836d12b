/**
 * An import kind (staff, surveys, events, …): its columns with their Chinese aliases and a
 * pure row parser, and the contract of the writer that stores its rows (`RowWriter`). The
 * parser runs inside the import worker thread, so it must not touch the database: whatever
 * it needs (the roster, the date) comes in `KindContext`.
 */
import { t, type MessageKey, type Params } from '../messages/index.js';
import { restoreFormula } from './formula.js';
import { normaliseText } from '../domain/normalise.js';

export interface ColumnSpec {
  key: string;
  aliases: string[];
  required?: boolean;
  /** most characters a cell of this column may hold (default MAX_CELL); longer is a row error */
  maxLength?: number;
}

/**
 * Most characters a cell may hold, unless its column says otherwise (`maxLength`: the
 * free-text notes — a follow-up's `note`, a survey's `health` — take 20,000). Far above any
 * name, address or code; a longer cell is text pasted by mistake or a quote left open, and
 * would make every listing slow.
 */
export const MAX_CELL = 4000;

/**
 * A cell as the kind's parser reads it: normalised (normaliseText: NFKC, spaces trimmed and
 * collapsed, zero-width characters out — issue 15), and without the `'` an export (or a
 * rejects file) puts before a text starting with = + - @, tab or CR so that a spreadsheet
 * does not run it as a formula (SPEC §4), so the file re-imports as it was: for any cell x,
 * cellValue(neutralizeFormula(x)) === cellValue(x). Only that exact pattern: `'abc` stays
 * `'abc`. (A cell typed `'=x` in Excel is saved as `=x` anyway: the `'` is Excel's text
 * marker, not part of the value.)
 */
export function cellValue(raw: string): string {
  const c0 = raw.charCodeAt(0);
  // the common cell: no quote, nothing to trim, nothing to normalise (normaliseText's own fast path)
  if (c0 !== 39 && c0 > 32 && c0 < 127) return normaliseText(raw);
  let v = raw.trimStart();
  // again after trimming: `'\t'=x` (a tab, so neutralised, before `'=x`) reads as cellValue(`\t'=x`)
  for (let r = restoreFormula(v); r !== v; r = restoreFormula(v)) v = r.trimStart();
  // issue 15: then NFKC, zero-width characters out, every kind of space trimmed and collapsed
  return normaliseText(v);
}

export interface FieldError {
  column: string;
  value: string;
  reason: MessageKey;
  params?: Params;
  /** what to do about it */
  fix?: MessageKey;
}

export interface KindContext {
  asOf: string;
  /** kind-specific data prepared on the main thread (e.g. the roster for surveys) */
  data?: unknown;
}

/** One row's cells by column key ('' when the column is absent or the cell empty; read by cellValue). */
export type Cells = (key: string) => string;

/**
 * Something a good row's parser read into a cell or left out of it, which the user should
 * know (issue 15): a date without a year taken as 2026, a time dropped from a date. The
 * importer gathers the notices of the rows it keeps into one line per key, column and
 * params, with the count and the first rows (ImportReport.notices).
 */
export interface RowNotice {
  key: MessageKey;
  column: string;
  params?: Params;
}

/** A row's value, with its notices when there are any (most rows have none: no array then). */
export type ParseResult<T> = { ok: true; value: T; notices?: RowNotice[] } | { ok: false; errors: FieldError[] };

export interface ImportKind<T = unknown> {
  name: string;
  columns: ColumnSpec[];
  parseRow(cells: Cells, ctx: KindContext): ParseResult<T>;
  /**
   * The row's identity inside one file (issue 13): a second row of the same file with the
   * same key is a row error naming both rows ("order_no SO1 is already in row 2"), checked by
   * the importer on the main thread before the writer sees the row, the same for every kind.
   * Parts joined by `keyOf`; null: this row has no key. Computed in the worker, which has
   * the parsed value at hand; a kind without it (surveys: the 1M-row path) is not checked.
   */
  rowKey?(value: T): string | null;
  /** the columns the key is made of, named in the message (default: the first column) */
  keyColumns?: string[];
  /** what to do about a repeated row, when the generic advice is not enough */
  duplicateFix?: MessageKey;
  /**
   * The field of a parsed row holding the date the row is about (a trip's start, an expense
   * line's date): the report's `latestDate` is the latest among the rows kept, so that the
   * next step names the month the file is about, not today's (issue 15).
   */
  dateField?: string;
}

export type WriteOutcome = 'new' | 'updated' | 'unchanged' | { error: FieldError };

/**
 * The writing half of a kind, on the main thread (a store writer: src/store/*.ts): the
 * importer hands it each valid row, inside the import's one transaction (SPEC §2).
 */
export interface RowWriter<T> {
  /**
   * Before the first row, inside the transaction, with an estimate of how many rows are
   * coming (from the first chunk of the file): a writer may, for a big import, drop
   * secondary indexes that `finish` builds again (faster than keeping them up to date row by
   * row; the transaction makes it invisible to others and undoes it on failure).
   */
  begin?(expected: { rows: number }): void;
  write(value: T, row: number): WriteOutcome;
  /**
   * The rows of a batch at once, their outcomes in order (issue 19: on a server a statement
   * per row costs ~200 µs, a batch merged set-wise a few round trips). Preferred to `write`
   * when a writer has it.
   */
  writeBatch?(values: T[], rows: number[]): WriteOutcome[];
  /**
   * After the last row, before anything is committed, also in a dry run (not when the
   * import fails on its rows anyway): may throw a UserError to refuse the whole import,
   * e.g. an expenses file that would remove stored lines without `--replace`.
   */
  verify?(): void;
  /** after the last row, inside the transaction (e.g. the handover of leavers) */
  finish?(): void;
  /** wrap each row in a savepoint: needed when one row writes several statements */
  multiStatement?: boolean;
}

/** Separates the parts of a row key (a character no cell holds: cellValue keeps it out of a name). */
export const KEY_SEP = '\u001f';

/** A row key of several parts; blank parts stay (they are part of the identity). */
export function keyOf(...parts: (string | number | boolean | null | undefined)[]): string {
  return parts.map((p) => (p === null || p === undefined ? '' : String(p))).join(KEY_SEP);
}

/** A key as a person reads it: its parts joined by " / ", blank ones left out. */
export function keyText(key: string): string {
  return key
    .split(KEY_SEP)
    .filter((p) => p !== '')
    .join(' / ');
}

/** Header text → comparable key: case, spaces, `_`/`-`, a trailing `*` and a `(…)` note ignored. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\ufeff/, '')
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s_\-*＊]/g, '')
    .toLowerCase();
}

export interface HeaderMap {
  /** column key → index in the record */
  index: Map<string, number>;
  unknown: string[];
  missing: string[];
  duplicates: string[];
}

export function mapHeader(header: string[], columns: ColumnSpec[]): HeaderMap {
  const lookup = new Map<string, string>();
  for (const c of columns) {
    lookup.set(normalizeHeader(c.key), c.key);
    for (const a of c.aliases) lookup.set(normalizeHeader(a), c.key);
  }
  const index = new Map<string, number>();
  const unknown: string[] = [];
  const duplicates: string[] = [];
  header.forEach((h, i) => {
    const key = lookup.get(normalizeHeader(h));
    if (!key) {
      if (h.trim() !== '') unknown.push(h.trim());
    } else if (index.has(key)) duplicates.push(h.trim());
    else index.set(key, i);
  });
  const missing = columns.filter((c) => c.required && !index.has(c.key)).map((c) => c.key);
  return { index, unknown, missing, duplicates };
}

/**
 * How many rows, at most, the header is looked for among (issue 16): a title, a note, a
 * merged banner and blank rows may come above it; ten is more than any sheet has.
 */
export const HEADER_SEARCH = 10;

/**
 * Which of the first rows (blank ones left out) is the header (issue 16): the first that
 * names every required column; else the one that names the most of the kind's columns, if
 * two or more (one known word in a title, `日期：5月`, is no header); else the first row, as
 * before, whose missing columns the import then names. A title row never names two columns,
 * and a data row's cells are values, not column names, so the rule cannot take either for
 * the header; a header lacking a required column is still found (and its lack said) when it
 * names the others.
 */
export function findHeader(rows: readonly string[][], columns: ColumnSpec[]): number {
  let best = 0;
  let bestKnown = 1;
  for (let i = 0; i < rows.length; i++) {
    const map = mapHeader(rows[i], columns);
    if (map.missing.length === 0) return i;
    if (map.index.size > bestKnown) [best, bestKnown] = [i, map.index.size];
  }
  return best;
}

/**
 * The example row of a template (issue 16: `template KIND --out FILE.xlsx` writes one under
 * the header, its first cell `示例` or `example`, the catalogue's `workbooks.example` in
 * either language, whatever the language of the import): not a row to import. Only its first
 * cell says so (a note after it, `示例（请删除）`, aside), and only the first row under the
 * header is looked at.
 */
export function isExampleRow(cells: readonly string[]): boolean {
  const first = normalizeHeader(cellValue(cells[0] ?? ''));
  return first !== '' && (first === normalizeHeader(t('workbooks.example', undefined, 'zh')) || first === normalizeHeader(t('workbooks.example', undefined, 'en')));
}

/**
 * The header looked for as the first rows come (issue 16; findHeader): `offer` each row that
 * is not blank; once the header is known it gives its index among the rows offered (the
 * rows after it are data rows), else -1; `settle` gives it at the end of the input (-1: no
 * row at all).
 */
export class HeaderSearch<R extends { cells: string[] }> {
  readonly rows: R[] = [];
  constructor(private readonly columns: ColumnSpec[]) {}

  offer(r: R): number {
    this.rows.push(r);
    // the first row that names every required column is the header at once (the common case: row 1)
    if (mapHeader(r.cells, this.columns).missing.length === 0) return this.rows.length - 1;
    return this.rows.length >= HEADER_SEARCH ? this.settle() : -1;
  }

  settle(): number {
    return this.rows.length === 0 ? -1 : findHeader(this.rows.map((r) => r.cells), this.columns);
  }
}
