/**
 * The parsing half of an import, in a worker thread: read the records of the file (a CSV,
 * or a workbook's sheet — issue 16: one RecordSource, csvRecords.ts) → find and map the
 * header → parse and validate each row with the kind's pure parser. The main thread only
 * writes to SQLite, so the two halves run on both cores. Each piece of the file read
 * becomes one batch; batches are acknowledged one by one and the worker stops reading while
 * too many are in flight, which keeps memory flat whatever the size of the file.
 */
import { thousands } from './numbers.js';
import { parentPort, workerData } from 'node:worker_threads';
import { cellValue, HeaderSearch, isExampleRow, mapHeader, MAX_CELL, type ColumnSpec, type ImportKind, type KindContext, type FieldError, type RowNotice } from './kind.js';
import { CELL_SEP, Found, MAX_RECORD, ReadFault, openRecords, type CsvRecords, type RecordSource } from './csvRecords.js';
import { setLang, t } from '../messages/index.js';
import type { Lang } from '../messages/entry.js';
import { tableCell } from './width.js';
import { restoreFormula } from './formula.js';
import { UserError } from '../errors.js';
import { columnLetters } from './xlsx/cells.js';

export interface WorkerInput {
  file: string;
  kind: string;
  /** the file is a workbook (it starts with the zip signature): its sheet is read, not text */
  xlsx: boolean;
  /** `--sheet NAME|N` (a workbook) */
  sheet?: string;
  encoding: string;
  delimiter: string;
  ctx: KindContext;
  /** language of the messages the worker words itself (a header too long to read, a damaged workbook) */
  lang?: Lang;
  /** no row keys: repeated rows are allowed (`expenses import --allow-duplicates`) */
  allowDuplicates?: boolean;
  /** the rows' text goes with each batch: the main thread writes a rejects file */
  keepText: boolean;
}

/**
 * The rows of one piece of the file. Row i has the sheet's row number `rows[i]` and the
 * parsed value `values[i]` (null when invalid); `errors` lists the invalid ones as [i,
 * errors]. Cells are not sent; when the main thread writes a rejects file (`keepText`), the
 * rows' text is, as one string, row i being `text.slice(offsets[2i], offsets[2i+1])`, which
 * `rowCells` turns back into the cells as they were read: a CSV record (with `rd`), or a
 * workbook row's cells joined by CELL_SEP (`rd` null). Otherwise `text` is empty.
 *
 * A row longer than MAX_RECORD characters is not kept (that is what keeps memory flat): it
 * comes alone in its batch, as an error whose message says so, and its text is a stand-in
 * of empty cells, one per header column, so that its line in the rejects file lines up with
 * the header and its `error` cell says where the row is.
 */
export interface WorkerBatch {
  rows: number[];
  values: unknown[];
  errors: [number, FieldError[]][];
  text: string;
  offsets: number[];
  rd: CsvRecords['rd'] | null;
  /** the kind's `rowKey` of each valid row (null for an invalid one); absent when the kind has none */
  keys?: (string | null)[];
  /** the rows with notices as [i, notices], by i; absent when no row of the batch has one */
  notes?: [number, RowNotice[]][];
}

export type WorkerMessage =
  | {
      type: 'header';
      header: string[];
      unknown: string[];
      missing: string[];
      duplicates: string[];
      key?: RowKeyInfo;
      /** column key → the name to call it in a message: the file's header, else the template's (issue 15) */
      names: Record<string, string>;
      /** missing column key → every name it is read under (key and aliases), for the error */
      accepted: Record<string, string[]>;
      /** the kind's dateField */
      dateField?: string;
      /** the header's row (issue 16: title rows may come above it) and how many rows above it had anything in them */
      row: number;
      titles: number;
      /** column key → its index in a row (a required cell found empty inside a merged range) */
      columns: Record<string, number>;
      /** the sheet read and how many the workbook shows */
      sheet?: string;
      sheets?: number;
    }
  | { type: 'rows'; batch: WorkerBatch; bytes: number }
  /** a workbook's merged ranges [first row, first column, last row, last column], after its last rows */
  | { type: 'merged'; ranges: [number, number, number, number][] }
  | { type: 'done'; records: number; bytes: number }
  | { type: 'fatal'; reason: 'encoding' | 'csv'; detail: string; bytes: number; line?: number }
  /** a problem worded here for the user (a damaged workbook, no such sheet): said as it is */
  | { type: 'fatal'; reason: 'user'; detail: string; hint?: string; bytes: number };
// reason 'encoding': `detail` is the offset of the first byte that is not the encoding (the
// start of the bad sequence, counted from 0) and `line` the line it is on

/** How the main thread words a repeated row key: the key's columns and what to do. */
export interface RowKeyInfo {
  columns: string[];
  fix?: string;
}

const MAX_IN_FLIGHT = 4;
/** A batch is sent once the rows of this much of the file are in it (a CSV's chunk: csvRecords.ts)… */
const BATCH_BYTES = 1 << 20;
/**
 * …or this many rows, also in the middle of a piece: a batch being filled is live data that
 * every collection of the worker's small young generation copies, so a smaller one costs
 * less (issue 17: 1,024 rows against a megabyte's 6,800, 4% of the worker's time and 8 MB
 * of memory on 100,000 rows).
 */
const BATCH_ROWS = 1024;
/** …or this many characters of rows' text for a rejects file (a workbook's rows padded out to column XFD are 16,384 characters each, however small the file). */
const BATCH_TEXT = 8 << 20;

/**
 * Most columns a header may reach (issue 16: "a sheet of 16,384 columns" is refused): a
 * kind reads a few dozen; a header going on past this is no list of records (a matrix, a
 * sheet pasted sideways), and its unknown names would fill the screen.
 */
const MAX_HEADER_COLUMNS = 1024;

const input = workerData as WorkerInput;
const port = parentPort!;
let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', (m: { type: string }) => {
  if (m.type === 'ack') {
    inFlight--;
    if (wake) {
      const w = wake;
      wake = null;
      w();
    }
  }
});

/**
 * The name each column goes by in messages (issue 15): the header as the file writes it
 * (`电话`), or, for a column the file lacks, the template's header in the user's language
 * (the first alias in Chinese, the key in English).
 */
function columnNames(columns: ColumnSpec[], header: string[], index: Map<string, number>, zh: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of columns) {
    const i = index.get(c.key);
    const written = i === undefined ? '' : header[i].trim();
    out[c.key] = written !== '' ? written : zh ? (c.aliases[0] ?? c.key) : c.key;
  }
  return out;
}

/** Every name a missing column is read under: its key, then its aliases. */
function acceptedNames(columns: ColumnSpec[], missing: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of columns) if (missing.includes(c.key)) out[c.key] = [c.key, ...c.aliases];
  return out;
}

function blank(record: string[]): boolean {
  for (let i = 0; i < record.length; i++) if (record[i] !== undefined && record[i].trim() !== '') return false;
  return true;
}

/** Characters (code points) of s, counted only past `max` UTF-16 units (the common case costs nothing). */
function overLimit(raw: string, max: number): number {
  if (raw.length <= max) return 0;
  const v = cellValue(raw);
  if (v.length <= max) return 0;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n > max ? n : 0;
}

/** The start of a long value, for a message: one line of at most 30 columns. */
function preview(s: string): string {
  return tableCell(s.trimStart(), 30);
}

/** A row read before the header was found (issue 16: title rows come first), kept until it is. */
interface Early {
  row: number;
  cells: string[];
  text: string;
  cellErrors: [number, string][] | null;
}

async function run(): Promise<void> {
  if (input.lang) setLang(input.lang);
  const mod = (await import(`./kinds/${input.kind}.js`)) as { kind: ImportKind };
  const kind = mod.kind;
  const ctx = input.ctx;
  const keepText = input.keepText;
  const rowKey = kind.rowKey && !input.allowDuplicates ? kind.rowKey.bind(kind) : null;
  const keyInfo: RowKeyInfo | undefined = rowKey ? { columns: kind.keyColumns ?? [kind.columns[0].key], fix: kind.duplicateFix } : undefined;
  let src: RecordSource | null = null;
  let header: string[] | null = null;
  let index: Map<string, number> = new Map();
  /** the mapped columns' limits: [index in the record, most characters, key] */
  let limits: [number, number, string][] = [];
  let records = 0;
  // the record parseRow is reading: one `cells` function for all rows
  let record: string[] = [];
  const cells = (key: string): string => {
    const i = index.get(key);
    return i === undefined ? '' : cellValue(record[i] ?? '');
  };
  /** the key of the column at index i of a record (its header when it is not read), for a message */
  const columnName = (i: number): string => {
    for (const [key, at] of index) if (at === i) return key;
    const h = header?.[i]?.trim();
    return h ? h : `#${i + 1}`;
  };
  const bytes = () => src?.bytes ?? 0;
  /** the file read when the last batch was sent */
  let flushedAt = 0;

  // the batch being filled
  let rows: number[] = [];
  let values: unknown[] = [];
  let errors: [number, FieldError[]][] = [];
  let texts: string[] = [];
  let offsets: number[] = [];
  let textLength = 0;
  let keys: (string | null)[] | undefined = rowKey ? [] : undefined;
  let notes: [number, RowNotice[]][] | undefined;
  const send = async (batch: WorkerBatch) => {
    inFlight++;
    port.postMessage({ type: 'rows', batch, bytes: bytes() } satisfies WorkerMessage);
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
  };
  const flush = async () => {
    if (rows.length === 0) return;
    const batch: WorkerBatch = { rows, values, errors, text: texts.join(''), offsets, rd: src!.rd };
    if (keys) batch.keys = keys;
    if (notes) batch.notes = notes;
    rows = [];
    values = [];
    errors = [];
    texts = [];
    offsets = [];
    textLength = 0;
    keys = rowKey ? [] : undefined;
    notes = undefined;
    await send(batch);
  };

  /** One data row: checked, parsed, added to the batch. */
  const addRow = (row: number, rec: string[], text: string, cellErrors: [number, string][] | null) => {
    records++;
    record = rec;
    // a row of empty cells (Excel leaves them at the end of a sheet) is not a row
    if (blank(record)) return;
    // a cell over its column's limit, or whose formula fails, is an error of its own; the parser does not see it
    let own: FieldError[] | null = null;
    for (const [i, max, key] of limits) {
      const raw = record[i];
      const chars = raw === undefined ? 0 : overLimit(raw, max);
      if (chars > 0) (own ??= []).push({ column: key, value: preview(raw), reason: 'import.cell_too_long', params: { n: thousands(chars), max: thousands(max) }, fix: 'import.cell_too_long.fix' });
    }
    if (cellErrors !== null) {
      for (const [i, error] of cellErrors) {
        for (const [key, at] of index) if (at === i) (own ??= []).push({ column: key, value: error, reason: 'xlsx.formula_error', fix: 'xlsx.formula_error.fix' });
      }
    }
    const r = own ? ({ ok: false, errors: own } as const) : kind.parseRow(cells, ctx);
    if (keepText) {
      texts.push(text);
      offsets.push(textLength, (textLength += text.length));
    }
    rows.push(row);
    if (r.ok) {
      if (r.notices !== undefined) (notes ??= []).push([values.length, r.notices]);
      values.push(r.value);
      keys?.push(rowKey!(r.value));
    } else {
      errors.push([values.length, r.errors]);
      values.push(null);
      keys?.push(null);
    }
  };

  // issue 16: the header is looked for among the first rows (titles may come above it)
  const search = new HeaderSearch<Early>(kind.columns);
  /** the first data row is a template's example row when it says so: skipped, said nowhere */
  let exampleChecked = false;
  const dataRow = (row: number, rec: string[], text: string, cellErrors: [number, string][] | null) => {
    if (!exampleChecked && !blank(rec)) {
      exampleChecked = true;
      if (isExampleRow(rec)) return;
    }
    addRow(row, rec, text, cellErrors);
  };
  /** Takes the at-th row offered as the header; says so; reads the rows after it. Returns false when required columns are missing. */
  const useHeader = (at: number): boolean => {
    const early = search.rows;
    const h = early[at];
    let last = h.cells.length - 1;
    while (last >= 0 && h.cells[last].trim() === '') last--;
    if (last >= MAX_HEADER_COLUMNS) {
      throw new UserError(
        t('import.too_many_columns', { file: input.file, row: h.row, column: columnLetters(last), n: thousands(last + 1), max: thousands(MAX_HEADER_COLUMNS) }),
        t('import.too_many_columns.hint'),
      );
    }
    // a rejects file neutralises its header too ('=x for =x): read back as it was
    header = h.cells.map((c, i) => restoreFormula(i === 0 ? c.replace(/^\ufeff/, '') : c));
    const map = mapHeader(header, kind.columns);
    index = map.index;
    limits = kind.columns.filter((c) => index.has(c.key)).map((c) => [index.get(c.key)!, c.maxLength ?? MAX_CELL, c.key]);
    port.postMessage({
      type: 'header',
      header,
      unknown: map.unknown,
      missing: map.missing,
      duplicates: map.duplicates,
      key: keyInfo,
      names: columnNames(kind.columns, header, index, input.lang === 'zh'),
      accepted: acceptedNames(kind.columns, map.missing),
      dateField: kind.dateField,
      row: h.row,
      titles: at,
      columns: Object.fromEntries(index),
      sheet: src!.sheet,
      sheets: src!.sheetCount,
    } satisfies WorkerMessage);
    if (map.missing.length) return false;
    for (const e of early.slice(at + 1)) dataRow(e.row, e.cells, e.text, e.cellErrors);
    early.length = 0;
    return true;
  };

  try {
    src = await openRecords({ file: input.file, xlsx: input.xlsx, encoding: input.encoding, delimiter: input.delimiter, sheet: input.sheet });
    await src.read();
    for (;;) {
      const found = src.next();
      if (found === Found.Record) {
        if (header === null) {
          if (blank(src.cells)) continue;
          const at = search.offer({ row: src.row, cells: src.cells.slice(), text: keepText ? src.text() : '', cellErrors: src.cellErrors });
          if (at >= 0 && !useHeader(at)) return;
          continue;
        }
        dataRow(src.row, src.cells, keepText ? src.text() : '', src.cellErrors);
        if (rows.length >= BATCH_ROWS) await flush();
      } else if (found === Found.Empty) continue;
      else if (found === Found.More) {
        // a batch per MB of the file if sooner than BATCH_ROWS rows (a sheet's pieces are
        // small); the first piece's rows at once, so that the writer starts (issue 17)
        if (flushedAt === 0 || src.bytes - flushedAt >= BATCH_BYTES || textLength >= BATCH_TEXT) {
          flushedAt = src.bytes;
          await flush();
        }
        await src.read();
      } else if (found === Found.TooLong) {
        if (header === null) {
          if (search.rows.length === 0) {
            const detail = src.sheet === undefined ? t('import.long_header', { max: thousands(MAX_RECORD) }) : t('xlsx.long_header', { row: src.row, max: thousands(MAX_RECORD) });
            port.postMessage({ type: 'fatal', reason: 'csv', detail, bytes: bytes() } satisfies WorkerMessage);
            return;
          }
          if (!useHeader(search.settle())) return;
        }
        records++;
        // not kept: alone in its batch, with empty cells in place of its text
        await flush();
        const row = src.row;
        const error: FieldError = {
          column: columnName(src.longCell),
          value: preview(src.longValue),
          reason: 'import.row_too_long',
          params: { row, max: thousands(MAX_RECORD) },
          fix: 'import.row_too_long.fix',
        };
        const others = Math.max(0, header!.length - 1);
        const text = src.rd === null ? CELL_SEP.repeat(others) : '""' + input.delimiter.repeat(others);
        await send({ rows: [row], values: [null], errors: [[0, [error]]], text, offsets: [0, text.length], rd: src.rd, ...(rowKey ? { keys: [null] } : {}) });
      } else if (found === Found.Unclosed) {
        // the rest of the file is one cell: no row is read, whatever --skip-invalid says
        const detail = t('import.unclosed_quote', { line: src.row, column: columnName(src.longCell), value: preview(src.longValue) });
        port.postMessage({ type: 'fatal', reason: 'csv', detail, line: src.row, bytes: bytes() } satisfies WorkerMessage);
        return;
      } else break;
    }
    if (header === null && search.rows.length > 0 && !useHeader(search.settle())) return;
    await flush();
    if (header === null) {
      const missing = kind.columns.filter((c) => c.required).map((c) => c.key);
      const names = columnNames(kind.columns, [], new Map(), input.lang === 'zh');
      port.postMessage({ type: 'header', header: [], unknown: [], missing, duplicates: [], names, accepted: acceptedNames(kind.columns, missing), row: 0, titles: 0, columns: {} } satisfies WorkerMessage);
      return;
    }
    if (src.merged?.length) port.postMessage({ type: 'merged', ranges: [...src.merged] } satisfies WorkerMessage);
    port.postMessage({ type: 'done', records, bytes: bytes() } satisfies WorkerMessage);
  } catch (e) {
    if (e instanceof ReadFault) port.postMessage({ type: 'fatal', reason: e.reason, detail: e.detail, line: e.line, bytes: bytes() } satisfies WorkerMessage);
    else if (e instanceof UserError) port.postMessage({ type: 'fatal', reason: 'user', detail: e.message, hint: e.hint, bytes: bytes() } satisfies WorkerMessage);
    else {
      const detail = (e as { message?: string }).message ?? String(e);
      // a workbook's reader failing on what it read: the file, said as damaged
      if (input.xlsx) port.postMessage({ type: 'fatal', reason: 'user', detail: t('xlsx.damaged', { file: input.file, reason: detail }), hint: t('xlsx.damaged.hint'), bytes: bytes() } satisfies WorkerMessage);
      else port.postMessage({ type: 'fatal', reason: 'csv', detail, bytes: bytes() } satisfies WorkerMessage);
    }
  } finally {
    src?.close();
  }
}

await run();
