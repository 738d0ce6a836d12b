/** csv (UTF-8 with BOM, CRLF: what Excel and WPS open as UTF-8) and tsv (plain, LF): the header is the keys. */
import { flatText } from '../cell.js';
import { CSV_BOM, csvCell, lineEnd } from '../csv.js';
import type { SinkFactory } from '../sink.js';

export const delimited =
  (format: 'csv' | 'tsv'): SinkFactory =>
  (columns, write) => {
    const sep = format === 'tsv' ? '\t' : ',';
    const eol = lineEnd(format);
    write((format === 'csv' ? CSV_BOM : '') + columns.map((c) => csvCell(c.key, sep)).join(sep) + eol);
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
