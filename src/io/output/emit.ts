/**
 * The one output pipeline: `emit(rows, columns, target, options)` writes a listing in the
 * chosen format from one column description. Rows stream (an iterable or async iterable,
 * read once, never gathered: a million rows in flat memory) through masking (§5, unless
 * revealed) into the format's sink, whose text is gathered into 64 KiB writes that wait on
 * the target when it is full (a pipe to `head`, a slow disk).
 *
 * Limits, the same everywhere: a table shows TABLE_LIMIT rows unless `limit` says
 * otherwise, csv/tsv/json/jsonl every row; `limit` 0 is all. One row more than the limit is
 * read to tell whether the listing was cut (`cut`), and the caller says how to get the rest.
 */
import { maskPhone } from '../../domain/values.js';
import { maskFreeText } from '../../domain/masking.js';
import type { Column, Row } from './column.js';
import type { Sink, SinkFactory, SinkOptions } from './sink.js';
import { delimited } from './sinks/csv.js';
import { json } from './sinks/json.js';
import { table } from './sinks/table.js';
import type { OutputFormat, TextFormat } from './formats.js';

/** Rows a table shows unless --limit says otherwise: a screenful is for reading, a file for everything. */
export const TABLE_LIMIT = 1000;

const SINKS: Record<TextFormat, SinkFactory> = {
  table,
  csv: delimited('csv'),
  tsv: delimited('tsv'),
  json: json(false),
  jsonl: json(true),
};

/** Where the text goes: stdout (waiting on drain) or a file being written (io/outputFile.ts). */
export interface Target {
  write(text: string): void | Promise<void>;
}

export interface EmitOptions extends SinkOptions {
  /** a workbook is not text: io/xlsx/write.ts writes it from the same columns */
  format: TextFormat;
  /** at most this many rows; 0 = all; unset: TABLE_LIMIT for a table, all otherwise */
  limit?: number;
  /** sealed columns (Column.mask) shown as they are: only with a GM's approval, audited */
  revealed?: boolean;
}

export interface Emitted {
  /** rows written */
  count: number;
  /** more rows were there than the limit let through */
  cut: boolean;
}

const FLUSH_AT = 1 << 16;

/** The limit a listing gets: the flag's when given, else TABLE_LIMIT for a table and all for a file. */
export function effectiveLimit(format: OutputFormat, limit: number | undefined): number {
  return limit ?? (format === 'table' ? TABLE_LIMIT : 0);
}

/**
 * The rows' way into a sink, shared by emit and renderText: the limit (one row more than it
 * tells that the listing was cut), masking, the count.
 */
function feed(columns: readonly Column[], write: (text: string) => void, opts: EmitOptions) {
  const sink: Sink = SINKS[opts.format](columns, write, opts);
  const limit = effectiveLimit(opts.format, opts.limit);
  const masked = opts.revealed ? [] : columns.filter((c) => c.mask);
  const done: Emitted = { count: 0, cut: false };
  return {
    /** false when the row was not taken: the limit is reached */
    take(row: Row): boolean {
      if (limit > 0 && done.count === limit) return !(done.cut = true);
      sink.row(masked.length ? maskRow(row, masked) : row);
      done.count++;
      return true;
    },
    end(): Emitted {
      sink.end(done.count);
      return done;
    },
  };
}

export async function emit(rows: Iterable<Row> | AsyncIterable<Row>, columns: readonly Column[], target: Target, opts: EmitOptions): Promise<Emitted> {
  let buf = '';
  const rowsIn = feed(columns, (text) => (buf += text), opts);
  const flush = async () => {
    const text = buf;
    buf = '';
    await target.write(text);
  };
  if (Symbol.iterator in rows) {
    // a plain loop for the common case: `for await` would cost a promise per row
    for (const row of rows) {
      if (!rowsIn.take(row)) break;
      if (buf.length >= FLUSH_AT) await flush();
    }
  } else {
    for await (const row of rows) {
      if (!rowsIn.take(row)) break;
      if (buf.length >= FLUSH_AT) await flush();
    }
  }
  const done = rowsIn.end();
  if (buf) await flush();
  return done;
}

/**
 * The listing as one string, for output that is small by nature (a customer's card, a
 * summary on stderr): the same sinks and limit rule as emit, without a target.
 */
export function renderText(rows: Iterable<Row>, columns: readonly Column[], opts: EmitOptions): string {
  let text = '';
  const rowsIn = feed(columns, (s) => (text += s), opts);
  for (const row of rows) if (!rowsIn.take(row)) break;
  rowsIn.end();
  return text;
}

/** §5: a row with its sealed columns (Column.mask) masked, as every listing shows them. */
export function maskRow<R extends Row>(row: R, columns: readonly Column[]): R {
  const out: Row = { ...row };
  for (const c of columns) {
    if (!c.mask) continue;
    const v = out[c.key];
    if (typeof v !== 'string') continue;
    out[c.key] = c.mask === 'phone' ? maskPhone(v) : maskFreeText(v);
  }
  return out as R;
}
