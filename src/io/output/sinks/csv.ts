/**
 * csv (CRLF; UTF-8 with a BOM when it is a file for people: what Excel and WPS open as UTF-8)
 * and tsv (plain, LF): the header is the keys, or the columns' names in the user's language
 * (sink.ts `headers`).
 */
import { flatText } from '../cell.js';
import { fileHeader } from '../column.js';
import { CSV_BOM, csvCell, lineEnd } from '../csv.js';
import type { SinkFactory } from '../sink.js';

export const delimited =
  (format: 'csv' | 'tsv'): SinkFactory =>
  (columns, write, opts) => {
    const sep = format === 'tsv' ? '\t' : ',';
    const eol = lineEnd(format);
    const names = opts.headers ?? 'keys';
    const head = columns.map((c) => csvCell(fileHeader(c, opts.lang, names), sep)).join(sep);
    write((format === 'csv' && opts.bom ? CSV_BOM : '') + head + eol);
    return {
      row(r) {
        let line = '';
        for (let i = 0; i < columns.length; i++) {
          const c = columns[i];
          line += (i > 0 ? sep : '') + csvCell(flatText(r[c.key], c.kind ?? 'text'), sep);
        }
        write(line + eol);
      },
      end() {},
    };
  };
