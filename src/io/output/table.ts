/**
 * The one table renderer: a box drawn by hand, in the look of cli-table3's compact style
 * (test/unit/output.test.ts pins it to cli-table3's own output), without its cost: cli-table3
 * measures and pads every cell through ANSI-aware string functions whose time grows with the
 * square of a cell's length and recurses per row (200,000 customers overflowed the stack).
 * Here a cell is cut to one line of at most its column's width first (io/width.ts), widths
 * are one pass over the rows, and the text one join: linear in rows and in cell length.
 * Widths are display widths, so Chinese text lines up. Colour through chalk, only when the
 * run says so (a terminal, no NO_COLOR).
 */
import { Chalk } from 'chalk';
import { displayWidth, tableCell } from '../width.js';

export interface BoxTable {
  /** header lines (a header may take two lines: `On\ntime`), each a cell per column */
  head: string[][];
  rows: string[][];
  /** right-aligned columns (numbers) */
  right: boolean[];
  color: boolean;
  /** widest a body cell of each column may be (default io/width.ts TABLE_CELL_WIDTH) */
  widths?: (number | undefined)[];
  /** a rule is drawn before this row (a totals row) */
  ruleBefore?: number;
  /** styles a body cell after padding (colour for what is behind target, bold totals) */
  style?: (text: string, row: number, col: number, paint: Paint) => string;
}

/** The colours a table may use; plain text when the run has no colour. */
export interface Paint {
  red(s: string): string;
  bold(s: string): string;
}

const plain = new Chalk({ level: 0 });
const coloured = new Chalk({ level: 1 });

export function boxTable(t: BoxTable): string {
  const chalk = t.color ? coloured : plain;
  const n = t.right.length;
  // a body cell is one line of at most its column's width, cut with … (io/width.ts)
  const rows = t.rows.map((r) => r.map((c, i) => tableCell(c, t.widths?.[i])));
  const widths = new Array<number>(n).fill(0);
  for (const r of t.head) for (let i = 0; i < n; i++) widths[i] = Math.max(widths[i], displayWidth(r[i] ?? ''));
  for (const r of rows) for (let i = 0; i < n; i++) widths[i] = Math.max(widths[i], displayWidth(r[i] ?? ''));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(widths[i] - displayWidth(s));
    return t.right[i] ? fill + s : s + fill;
  };
  const rule = (l: string, m: string, r: string) => chalk.gray(l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r);
  const bar = chalk.gray('│');
  const line = (cells: string[], style: (s: string, i: number) => string) => bar + widths.map((_, i) => ' ' + style(pad(cells[i] ?? '', i), i) + ' ').join(bar) + bar;
  const out = [rule('┌', '┬', '┐'), ...t.head.map((cells) => line(cells, (s) => chalk.cyan(s))), rule('├', '┼', '┤')];
  const paint: Paint = { red: (s) => chalk.red(s), bold: (s) => chalk.bold(s) };
  for (let k = 0; k < rows.length; k++) {
    if (k === t.ruleBefore && k > 0) out.push(rule('├', '┼', '┤'));
    out.push(line(rows[k], t.style ? (s, i) => t.style!(s, k, i, paint) : (s) => s));
  }
  out.push(rule('└', '┴', '┘'));
  return out.join('\n') + '\n';
}
