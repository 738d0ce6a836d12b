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
    const object =
      opts.json ??
      ((r: Row) => {
        const o: Row = {};
        for (const c of columns) o[c.key] = jsonValue(r[c.key], c.kind ?? 'text');
        return o;
      });
    let n = 0;
    return {
      row(r) {
        const text = JSON.stringify(object(r));
        write(lines ? text + '\n' : (n++ === 0 ? '[\n  ' : ',\n  ') + text);
      },
      end(count) {
        if (!lines) write(count === 0 ? '[]\n' : '\n]\n');
      },
    };
  };
