/**
 * The parsing half of an import, in a worker thread: read → decode → split into records
 * (csvRecords.ts) → map the header → parse and validate each row with the kind's pure
 * parser. The main thread only writes to SQLite, so the two halves run on both cores.
 * Each chunk of the file becomes one batch; batches are acknowledged one by one and the
 * worker stops reading while too many are in flight, which keeps memory flat whatever the
 * size of the file.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { mapHeader, type ImportKind, type KindContext, type FieldError } from './kind.js';
import { CsvRecords, Found } from './csvRecords.js';

export interface WorkerInput {
  file: string;
  kind: string;
  encoding: string;
  delimiter: string;
  ctx: KindContext;
}

/**
 * The rows of one chunk of the file. Row i has the spreadsheet row `rows[i]` and the parsed
 * value `values[i]` (null when invalid); `errors` lists the invalid ones as [i, errors].
 * Cells are not sent: the rows' text is, as one string, row i being
 * `text.slice(offsets[2i], offsets[2i+1])`, so the main thread can write the rows it
 * rejects verbatim (recordCells with `rd`) at no cost for the rows it keeps.
 */
export interface WorkerBatch {
  rows: number[];
  values: unknown[];
  errors: [number, FieldError[]][];
  text: string;
  offsets: number[];
  rd: CsvRecords['rd'];
}

export type WorkerMessage =
  | { type: 'header'; header: string[]; unknown: string[]; missing: string[]; duplicates: string[] }
  | { type: 'rows'; batch: WorkerBatch; bytes: number }
  | { type: 'done'; records: number; bytes: number }
  | { type: 'fatal'; reason: 'encoding' | 'csv'; detail: string; bytes: number; line?: number };

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

function blank(record: string[]): boolean {
  for (let i = 0; i < record.length; i++) if (record[i].trim() !== '') return false;
  return true;
}

/**
 * csv-parse's own words for a quote that is never closed ("Quote Not Closed: … at line N"),
 * so the message stays what it always was. Only on that error: it reads the file again.
 */
function quoteNotClosed(): Promise<{ detail: string; line?: number }> {
  return import('csv-parse').then(
    ({ parse }) =>
      new Promise((resolve) => {
        const decoder = new TextDecoder(input.encoding);
        const parser = parse({ delimiter: input.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
        parser.on('readable', () => {
          while (parser.read() !== null);
        });
        parser.on('error', (e: Error & { lines?: number }) => resolve({ detail: e.message, line: e.lines }));
        parser.on('end', () => resolve({ detail: 'Quote Not Closed' }));
        const stream = fs.createReadStream(input.file, { highWaterMark: CHUNK });
        stream.on('data', (c) => parser.write(decoder.decode(c as Buffer, { stream: true })));
        stream.on('end', () => parser.end(decoder.decode()));
        stream.on('error', (e) => resolve({ detail: e.message }));
      }),
  );
}

async function run(): Promise<void> {
  const mod = (await import(`./kinds/${input.kind}.js`)) as { kind: ImportKind };
  const kind = mod.kind;
  const ctx = input.ctx;
  const decoder = new TextDecoder(input.encoding, { fatal: true });
  const csv = new CsvRecords(input.delimiter);
  const fd = fs.openSync(input.file, 'r');
  const chunk = Buffer.allocUnsafe(CHUNK);
  let bytes = 0;
  let header: string[] | null = null;
  let index: Map<string, number> = new Map();
  let records = 0;
  // the record parseRow is reading: one `cells` function for all rows
  let record: string[] = [];
  const cells = (key: string): string => {
    const i = index.get(key);
    return i === undefined ? '' : (record[i] ?? '').trim();
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
        else port.postMessage({ type: 'fatal', reason: 'encoding', detail: String(bytes), bytes } satisfies WorkerMessage);
        return;
      }
      bytes += n;
      if (!csv.feed(text, final)) continue;
      const rows: number[] = [];
      const values: unknown[] = [];
      const errors: [number, FieldError[]][] = [];
      const offsets: number[] = [];
      let first = -1;
      let last = -1;
      for (;;) {
        const found = csv.next();
        if (found === Found.Record) {
          if (header === null) {
            header = csv.cells.map((h, i) => (i === 0 ? h.replace(/^\ufeff/, '') : h));
            const map = mapHeader(header, kind.columns);
            index = map.index;
            port.postMessage({ type: 'header', header, unknown: map.unknown, missing: map.missing, duplicates: map.duplicates } satisfies WorkerMessage);
            if (map.missing.length) return;
            continue;
          }
          records++;
          record = csv.cells;
          // a row of empty cells (Excel leaves them at the end of a sheet) is not a row
          if (blank(record)) continue;
          const r = kind.parseRow(cells, ctx);
          if (first < 0) first = csv.start;
          last = csv.end;
          offsets.push(csv.start - first, csv.end - first);
          rows.push(csv.row);
          if (r.ok) values.push(r.value);
          else {
            errors.push([values.length, r.errors]);
            values.push(null);
          }
        } else if (found === Found.Empty) continue;
        else if (found === Found.Unclosed) {
          port.postMessage({ type: 'fatal', reason: 'csv', bytes, ...(await quoteNotClosed()) } satisfies WorkerMessage);
          return;
        } else break;
      }
      if (rows.length) {
        const batch: WorkerBatch = { rows, values, errors, text: csv.text.slice(first, last), offsets, rd: csv.rd };
        inFlight++;
        port.postMessage({ type: 'rows', batch, bytes } satisfies WorkerMessage);
        while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
      }
    }
    if (header === null) {
      port.postMessage({ type: 'header', header: [], unknown: [], missing: kind.columns.filter((c) => c.required).map((c) => c.key), duplicates: [] } satisfies WorkerMessage);
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
