/**
 * json: one array, one object per line (`[\n  {…},\n  {…}\n]\n`, `[]\n` when empty), so a
 * million rows stream and a diff shows one row per line; jsonl: one object per line.
 * Keys are the columns' keys (English, stable); values as cell.ts jsonValue writes them.
 */
import { jsonValue } from '../cell.js';
import type { Row } from '../column.js';
import type { SinkFactory } from '../sink.js';

export const json =
  (lines: boolean): SinkFactory =>
  (columns, write, opts) => {
    // written key by key in the columns' order: JSON.stringify of an object puts keys that
    // look like numbers first (a yearly trend's "2023", "2024" before staff_id, issue 18)
    const keys = columns.map((c) => JSON.stringify(c.key) + ':');
    const text = opts.json
      ? (r: Row) => JSON.stringify(opts.json!(r))
      : (r: Row) => '{' + columns.map((c, i) => keys[i] + JSON.stringify(jsonValue(r[c.key], c.kind ?? 'text') ?? null)).join(',') + '}';
    let n = 0;
    return {
      row(r) {
        const line = text(r);
        write(lines ? line + '\n' : (n++ === 0 ? '[\n  ' : ',\n  ') + line);
      },
      end(count) {
        if (!lines) write(count === 0 ? '[]\n' : '\n]\n');
      },
    };
  };
