/**
 * The one table renderer: a box drawn by hand, in the look of cli-table3's compact style
 * (test/unit/output.test.ts pins it to cli-table3's own output), without its cost: cli-table3
 * measures and pads every cell through ANSI-aware string functions whose time grows with the
 * square of a cell's length and recurses per row (200,000 customers overflowed the stack).
 * Here a cell is cut to one line of at most its column's width first (io/width.ts), widths
 * are one pass over the rows, and the text one join: linear in rows and in cell length.
 * Widths are display widths, so Chinese text lines up. Colour only when the run says so (a
 * terminal, no NO_COLOR).
 */
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

type Style = (s: string) => string;

/**
 * A style as chalk writes it at its level 1 (16 colours), byte for byte
 * (test/unit/output.test.ts compares them): nothing around empty text, a style closed
 * inside it reopened, closed before a line break and reopened after it. Not chalk itself:
 * loading it works out the colour support of the terminal, 2 ms of every table (issue 17).
 */
function ansi(open: number, close: number): Style {
  const on = `\u001b[${open}m`;
  const off = `\u001b[${close}m`;
  return (s) => {
    if (!s) return s;
    const inner = s.includes('\u001b') ? s.split(off).join(off + on) : s;
    return on + inner.replace(/\r?\n/g, (lf) => off + lf + on) + off;
  };
}

const same: Style = (s) => s;
const plain = { gray: same, cyan: same, red: same, bold: same };
export const coloured = { gray: ansi(90, 39), cyan: ansi(36, 39), red: ansi(31, 39), bold: ansi(1, 22) };

export function boxTable(t: BoxTable): string {
  const ink = t.color ? coloured : plain;
  const n = t.right.length;
  // Plain loops, every cell cut and measured once: a table is drawn once per run, by code
  // still interpreted, where each call and array per cell counts (issue 17: drawing a due
  // list of 549 rows took longer than reading it).
  const texts: string[][] = [];
  // every cell's display width, row after row: one flat array, not an array a row (100,000
  // rows: 15 MB less)
  const sizes = new Int32Array((t.head.length + t.rows.length) * n);
  const widths = new Array<number>(n).fill(0);
  const add = (cells: string[], body: boolean) => {
    const text = new Array<string>(n);
    const at = texts.length * n;
    for (let i = 0; i < n; i++) {
      // a body cell is one line of at most its column's width, cut with … (io/width.ts)
      const cell = body ? tableCell(cells[i] ?? '', t.widths?.[i]) : (cells[i] ?? '');
      text[i] = cell;
      const size = (sizes[at + i] = displayWidth(cell));
      if (size > widths[i]) widths[i] = size;
    }
    texts.push(text);
  };
  for (const cells of t.head) add(cells, false);
  for (const cells of t.rows) add(cells, true);
  const rule = (l: string, m: string, r: string) => ink.gray(l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r);
  const bar = ink.gray('│');
  const parts = new Array<string>(n);
  // joined, not concatenated: a line built by += is a rope of its pieces until printed, and
  // 100,000 of them held 80 MB more (issue 17)
  const line = (k: number, style: (s: string, i: number) => string) => {
    for (let i = 0; i < n; i++) {
      const fill = ' '.repeat(widths[i] - sizes[k * n + i]);
      parts[i] = ' ' + style(t.right[i] ? fill + texts[k][i] : texts[k][i] + fill, i) + ' ';
    }
    return bar + parts.join(bar) + bar;
  };
  const out = [rule('┌', '┬', '┐')];
  for (let k = 0; k < t.head.length; k++) out.push(line(k, (s) => ink.cyan(s)));
  out.push(rule('├', '┼', '┤'));
  const paint: Paint = { red: (s) => ink.red(s), bold: (s) => ink.bold(s) };
  const head = t.head.length;
  for (let k = 0; k < t.rows.length; k++) {
    if (k === t.ruleBefore && k > 0) out.push(rule('├', '┼', '┤'));
    out.push(line(head + k, t.style ? (s, i) => t.style!(s, k, i, paint) : (s) => s));
  }
  out.push(rule('└', '┴', '┘'));
  return out.join('\n') + '\n';
}
