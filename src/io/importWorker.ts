/**
 * The parsing half of an import, in a worker thread: read → decode → split into records
 * (csvRecords.ts) → map the header → parse and validate each row with the kind's pure
 * parser. The main thread only writes to SQLite, so the two halves run on both cores.
 * Each chunk of the file becomes one batch; batches are acknowledged one by one and the
 * worker stops reading while too many are in flight, which keeps memory flat whatever the
 * size of the file.
 */
import { thousands } from './numbers.js';
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { cellValue, mapHeader, MAX_CELL, type ColumnSpec, type ImportKind, type KindContext, type FieldError, type RowNotice } from './kind.js';
import { CsvRecords, Found, MAX_RECORD } from './csvRecords.js';
import { setLang, t } from '../messages/index.js';
import type { Lang } from '../messages/entry.js';
import { locateBadByte } from './sniff.js';
import { tableCell } from './width.js';
import { restoreFormula } from './formula.js';

export interface WorkerInput {
  file: string;
  kind: string;
  encoding: string;
  delimiter: string;
  ctx: KindContext;
  /** language of the few messages the worker words itself (a header too long to read) */
  lang?: Lang;
  /** no row keys: repeated rows are allowed (`expenses import --allow-duplicates`) */
  allowDuplicates?: boolean;
}

/**
 * The rows of one chunk of the file. Row i has the spreadsheet row `rows[i]` and the parsed
 * value `values[i]` (null when invalid); `errors` lists the invalid ones as [i, errors].
 * Cells are not sent: the rows' text is, as one string, row i being
 * `text.slice(offsets[2i], offsets[2i+1])`, so the main thread can write the rows it
 * rejects verbatim (recordCells with `rd`) at no cost for the rows it keeps.
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
  rd: CsvRecords['rd'];
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
    }
  | { type: 'rows'; batch: WorkerBatch; bytes: number }
  | { type: 'done'; records: number; bytes: number }
  | { type: 'fatal'; reason: 'encoding' | 'csv'; detail: string; bytes: number; line?: number };
// reason 'encoding': `detail` is the offset of the first byte that is not the encoding (the
// start of the bad sequence, counted from 0) and `line` the line it is on

/** How the main thread words a repeated row key: the key's columns and what to do. */
export interface RowKeyInfo {
  columns: string[];
  fix?: string;
}

/** Bytes read at a time; one batch per chunk. Also the unit of the offset in decode errors. */
const CHUNK = 1 << 20;
const MAX_IN_FLIGHT = 4;

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
  for (let i = 0; i < record.length; i++) if (record[i].trim() !== '') return false;
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

async function run(): Promise<void> {
  if (input.lang) setLang(input.lang);
  const mod = (await import(`./kinds/${input.kind}.js`)) as { kind: ImportKind };
  const kind = mod.kind;
  const ctx = input.ctx;
  const rowKey = kind.rowKey && !input.allowDuplicates ? kind.rowKey.bind(kind) : null;
  const keyInfo: RowKeyInfo | undefined = rowKey ? { columns: kind.keyColumns ?? [kind.columns[0].key], fix: kind.duplicateFix } : undefined;
  const decoder = new TextDecoder(input.encoding, { fatal: true });
  const csv = new CsvRecords(input.delimiter, '', MAX_RECORD);
  const fd = fs.openSync(input.file, 'r');
  const chunk = Buffer.allocUnsafe(CHUNK);
  let bytes = 0;
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
  /** the name of the column at index i of a record, for a message */
  const columnName = (i: number): string => {
    for (const [key, at] of index) if (at === i) return key;
    const h = header?.[i]?.trim();
    return h ? h : `#${i + 1}`;
  };

  // the batch being filled: rows of csv.text from `first` to `last`
  let rows: number[] = [];
  let values: unknown[] = [];
  let errors: [number, FieldError[]][] = [];
  let offsets: number[] = [];
  let keys: (string | null)[] | undefined = rowKey ? [] : undefined;
  let notes: [number, RowNotice[]][] | undefined;
  let first = -1;
  let last = -1;
  const send = async (batch: WorkerBatch) => {
    inFlight++;
    port.postMessage({ type: 'rows', batch, bytes } satisfies WorkerMessage);
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
  };
  const flush = async () => {
    if (rows.length === 0) return;
    const batch: WorkerBatch = { rows, values, errors, text: csv.text.slice(first, last), offsets, rd: csv.rd };
    if (keys) batch.keys = keys;
    if (notes) batch.notes = notes;
    rows = [];
    values = [];
    errors = [];
    offsets = [];
    keys = rowKey ? [] : undefined;
    notes = undefined;
    first = -1;
    last = -1;
    await send(batch);
  };

  try {
    for (let final = false; !final; ) {
      const n = fs.readSync(fd, chunk, 0, CHUNK, null);
      final = n === 0;
      let text: string;
      try {
        text = final ? decoder.decode() : decoder.decode(chunk.subarray(0, n), { stream: true });
      } catch (e) {
        // bytes that are not the encoding; at the very end, a character cut short (a
        // truncated file), reported as an unreadable CSV as it always was
        if (final) port.postMessage({ type: 'fatal', reason: 'csv', detail: (e as Error).message, bytes } satisfies WorkerMessage);
        else {
          const at = locateBadByte(input.file, input.encoding, bytes, n);
          port.postMessage({ type: 'fatal', reason: 'encoding', detail: String(at.offset), line: at.line, bytes } satisfies WorkerMessage);
        }
        return;
      }
      bytes += n;
      if (!csv.feed(text, final)) continue;
      for (;;) {
        const found = csv.next();
        if (found === Found.Record) {
          if (header === null) {
            // a rejects file neutralises its header too ('=x for =x): read back as it was
            header = csv.cells.map((h, i) => restoreFormula(i === 0 ? h.replace(/^\ufeff/, '') : h));
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
            } satisfies WorkerMessage);
            if (map.missing.length) return;
            continue;
          }
          records++;
          record = csv.cells;
          // a row of empty cells (Excel leaves them at the end of a sheet) is not a row
          if (blank(record)) continue;
          // a cell over its column's limit is an error of its own; the parser does not see it
          let long: FieldError[] | null = null;
          for (const [i, max, key] of limits) {
            const raw = record[i];
            const chars = raw === undefined ? 0 : overLimit(raw, max);
            if (chars > 0) (long ??= []).push({ column: key, value: preview(raw), reason: 'import.cell_too_long', params: { n: thousands(chars), max: thousands(max) }, fix: 'import.cell_too_long.fix' });
          }
          const r = long ? ({ ok: false, errors: long } as const) : kind.parseRow(cells, ctx);
          if (first < 0) first = csv.start;
          last = csv.end;
          offsets.push(csv.start - first, csv.end - first);
          rows.push(csv.row);
          if (r.ok) {
            if (r.notices !== undefined) (notes ??= []).push([values.length, r.notices]);
            values.push(r.value);
            keys?.push(rowKey!(r.value));
          } else {
            errors.push([values.length, r.errors]);
            values.push(null);
            keys?.push(null);
          }
        } else if (found === Found.Empty) continue;
        else if (found === Found.TooLong) {
          if (header === null) {
            port.postMessage({ type: 'fatal', reason: 'csv', detail: t('import.long_header', { max: thousands(MAX_RECORD) }), bytes } satisfies WorkerMessage);
            return;
          }
          records++;
          // not kept: alone in its batch, with empty cells in place of its text
          await flush();
          const row = csv.row;
          const error: FieldError = {
            column: columnName(csv.longCell),
            value: preview(csv.longValue),
            reason: 'import.row_too_long',
            params: { row, max: thousands(MAX_RECORD) },
            fix: 'import.row_too_long.fix',
          };
          const text = '""' + input.delimiter.repeat(Math.max(0, header.length - 1));
          await send({ rows: [row], values: [null], errors: [[0, [error]]], text, offsets: [0, text.length], rd: csv.rd, ...(rowKey ? { keys: [null] } : {}) });
        } else if (found === Found.Unclosed) {
          // the rest of the file is one cell: no row is read, whatever --skip-invalid says
          const detail = t('import.unclosed_quote', { line: csv.row, column: columnName(csv.longCell), value: preview(csv.longValue) });
          port.postMessage({ type: 'fatal', reason: 'csv', detail, line: csv.row, bytes } satisfies WorkerMessage);
          return;
        } else break;
      }
      await flush();
    }
    if (header === null) {
      const missing = kind.columns.filter((c) => c.required).map((c) => c.key);
      const names = columnNames(kind.columns, [], new Map(), input.lang === 'zh');
      port.postMessage({ type: 'header', header: [], unknown: [], missing, duplicates: [], names, accepted: acceptedNames(kind.columns, missing) } satisfies WorkerMessage);
      return;
    }
    port.postMessage({ type: 'done', records, bytes } satisfies WorkerMessage);
  } catch (e) {
    const err = e as { message?: string };
    port.postMessage({ type: 'fatal', reason: 'csv', detail: err.message ?? String(e), bytes } satisfies WorkerMessage);
  } finally {
    fs.closeSync(fd);
  }
}

await run();
