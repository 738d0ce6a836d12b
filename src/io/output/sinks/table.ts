/**
 * table: the rows as one box (table.ts), headers from the catalogue in the run's language,
 * numbers right-aligned, a totals row under a rule. It holds the rows it is given — emit.ts
 * gives it at most the listing's limit — as cut cells, never the raw values.
 */
import { tableText } from '../cell.js';
import { headerText, RIGHT } from '../column.js';
import type { SinkFactory } from '../sink.js';
import { boxTable } from '../table.js';

export const table: SinkFactory = (columns, write, opts) => {
  const cells: string[][] = [];
  const raw: unknown[][] | null = opts.style ? [] : null;
  return {
    row(r) {
      cells.push(columns.map((c) => tableText(r[c.key], c, opts.lang)));
      raw?.push(columns.map((c) => r[c.key]));
    },
    end(count) {
      if (count === 0) return;
      // a header may take two lines (`On\ntime`), so twenty columns still fit a wide terminal
      const lines = columns.map((c) => headerText(c, opts.lang).split('\n'));
      const depth = Math.max(...lines.map((l) => l.length));
      const total = opts.totals ? count - 1 : undefined;
      write(
        boxTable({
          head: Array.from({ length: depth }, (_, i) => lines.map((l) => l[i] ?? '')),
          rows: cells,
          right: columns.map((c) => RIGHT.has(c.kind ?? 'text')),
          widths: columns.map((c) => c.width),
          color: opts.color,
          ruleBefore: total,
          style:
            opts.style || total !== undefined
              ? (s, k, i, paint) => {
                  const styled = raw && opts.style ? opts.style(s, columns[i].key, raw[k][i], paint) : s;
                  return k === total ? paint.bold(styled) : styled;
                }
              : undefined,
        }),
      );
    },
  };
};
