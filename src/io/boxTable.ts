/**
 * The boxed table of the hot paths (followups due, kpi, assign), drawn by hand: the same
 * look as cli-table3's, without its cost per cell (2,000 rows: ~1 s there, a few ms here).
 * Widths are display widths, so Chinese text lines up (io/width.ts).
 */
import { displayWidth, tableCell } from './width.js';

export interface BoxTable {
  /** header lines (a header may take two lines: `On\ntime`), each a cell per column */
  head: string[][];
  rows: string[][];
  /** right-aligned columns (numbers) */
  right: boolean[];
  color: boolean;
  /** a rule is drawn before this row (a totals row) */
  ruleBefore?: number;
  /** styles a body cell after padding (colour for what is behind target, bold totals) */
  style?: (text: string, row: number, col: number) => string;
}

export const ansi = (on: boolean, code: number, end: number) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[${end}m` : s);

export function boxTable(t: BoxTable): string {
  const grey = ansi(t.color, 90, 39);
  const cyan = ansi(t.color, 36, 39);
  // a body cell is one line of at most TABLE_CELL_WIDTH columns, cut with … (io/width.ts)
  const rows = t.rows.map((r) => r.map((c) => tableCell(c)));
  const all = [...t.head, ...rows];
  const widths = t.right.map((_, i) => Math.max(0, ...all.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(widths[i] - displayWidth(s));
    return t.right[i] ? fill + s : s + fill;
  };
  const rule = (l: string, m: string, r: string) => grey(l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r);
  const bar = grey('│');
  const line = (cells: string[], style: (s: string, i: number) => string) => bar + widths.map((_, i) => ' ' + style(pad(cells[i] ?? '', i), i) + ' ').join(bar) + bar;
  const out = [rule('┌', '┬', '┐'), ...t.head.map((cells) => line(cells, cyan)), rule('├', '┼', '┤')];
  rows.forEach((cells, n) => {
    if (n === t.ruleBefore && n > 0) out.push(rule('├', '┼', '┤'));
    out.push(line(cells, t.style ? (s, i) => t.style!(s, n, i) : (s) => s));
  });
  out.push(rule('└', '┴', '┘'));
  return out.join('\n') + '\n';
}
