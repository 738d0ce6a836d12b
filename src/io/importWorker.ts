/**
 * The parsing half of an import, in a worker thread: decode → csv-parse → map the header →
 * parse and validate each row with the kind's pure parser. The main thread only writes to
 * SQLite, so the two halves run on both cores. Batches are acknowledged one by one; the
 * worker stops reading while too many are in flight, which keeps memory flat.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { parse } from 'csv-parse';
import { mapHeader, type ImportKind, type KindContext, type FieldError } from './kind.js';

export interface WorkerInput {
  file: string;
  kind: string;
  encoding: string;
  delimiter: string;
  ctx: KindContext;
}

/** [row number, raw cells, parsed value or null, errors or null] */
export type WorkerRow = [number, string[], unknown, FieldError[] | null];

export type WorkerMessage =
  | { type: 'header'; header: string[]; unknown: string[]; missing: string[]; duplicates: string[] }
  | { type: 'rows'; rows: WorkerRow[]; bytes: number }
  | { type: 'done'; records: number; bytes: number }
  | { type: 'fatal'; reason: 'encoding' | 'csv'; detail: string; bytes: number; line?: number };

const BATCH = 2000;
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

async function run(): Promise<void> {
  const mod = (await import(`./kinds/${input.kind}.js`)) as { kind: ImportKind };
  const kind = mod.kind;
  const decoder = new TextDecoder(input.encoding, { fatal: true });
  const parser = parse({
    delimiter: input.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  });
  let bytes = 0;
  let decodeError: string | null = null;
  const feed = (async () => {
    const stream = fs.createReadStream(input.file, { highWaterMark: 1 << 20 });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        let text: string;
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          decodeError = String(bytes);
          throw new Error('decode');
        }
        bytes += chunk.length;
        if (!parser.write(text)) await once(parser, 'drain');
      }
      parser.end(decoder.decode());
    } catch (e) {
      stream.destroy();
      parser.destroy(e as Error);
    }
  })();

  let header: string[] | null = null;
  let index: Map<string, number> = new Map();
  let batch: WorkerRow[] = [];
  let records = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    inFlight++;
    port.postMessage({ type: 'rows', rows: batch, bytes } satisfies WorkerMessage);
    batch = [];
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
  };
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const record = item.record;
      if (header === null) {
        header = record.map((h, i) => (i === 0 ? h.replace(/^\ufeff/, '') : h));
        const map = mapHeader(header, kind.columns);
        index = map.index;
        port.postMessage({ type: 'header', header, unknown: map.unknown, missing: map.missing, duplicates: map.duplicates } satisfies WorkerMessage);
        if (map.missing.length) return;
        continue;
      }
      records++;
      // a row of empty cells (Excel leaves them at the end of a sheet) is not a row
      if (record.every((c) => c.trim() === '')) continue;
      const cells = (key: string): string => {
        const i = index.get(key);
        return i === undefined ? '' : (record[i] ?? '').trim();
      };
      const r = kind.parseRow(cells, input.ctx);
      batch.push(r.ok ? [item.info.lines, record, r.value, null] : [item.info.lines, record, null, r.errors]);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    await feed;
    if (header === null) {
      port.postMessage({ type: 'header', header: [], unknown: [], missing: kind.columns.filter((c) => c.required).map((c) => c.key), duplicates: [] } satisfies WorkerMessage);
      return;
    }
    port.postMessage({ type: 'done', records, bytes } satisfies WorkerMessage);
  } catch (e) {
    const err = e as { message?: string; code?: string; lines?: number };
    if (decodeError !== null) {
      port.postMessage({ type: 'fatal', reason: 'encoding', detail: decodeError, bytes } satisfies WorkerMessage);
    } else {
      port.postMessage({ type: 'fatal', reason: 'csv', detail: err.message ?? String(e), bytes, line: err.lines } satisfies WorkerMessage);
    }
  }
}

await run();
