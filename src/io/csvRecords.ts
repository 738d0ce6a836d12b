/**
 * CSV records out of decoded text, read exactly as csv-parse reads them with the options of
 * every import (`relax_quotes`, `relax_column_count`, `skip_empty_lines`, the record
 * delimiter taken from the first line ending outside quotes: `\r\n`, `\n` or `\r`), but
 * three to four times faster: it works on the decoded string instead of re-encoding it to
 * bytes, slices cells instead of copying them char by char, and allocates nothing per
 * record beyond the cells. It also counts spreadsheet rows: the row of a record is 1 + the
 * line endings (outside quotes) before it, so a blank line counts and a cell with a line
 * break in it does not — for an ordinary file, the line number of the record.
 *
 * A record longer than `maxRecord` characters (a quote left open swallows the rest of the
 * file; a file with no line break at all) is not kept: it is reported once as `TooLong` and
 * the reader then skips to its end without keeping its text, so memory stays flat whatever
 * the length of a line.
 */

/**
 * Longest record an import keeps, in characters (UTF-16 units, as a JS string counts them):
 * far above any sheet (every cell is limited to a few thousand characters, see importWorker),
 * small enough that one line never costs more than a few MB.
 */
export const MAX_RECORD = 1 << 20;

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** What {@link CsvRecords.next} found at the current position. */
export const Found = {
  /** a record: its cells are in `cells`, its text is `text.slice(start, end)` */
  Record: 0,
  /** an empty line: no record */
  Empty: 1,
  /** the text ends inside a record and more is coming: `feed` the next chunk */
  More: 2,
  /** the end of the input */
  End: 3,
  /** the input ended inside a quoted cell */
  Unclosed: 4,
  /**
   * a record longer than `maxRecord` characters: its row is `row`, the cell where it became
   * too long is `longCell` (the longest cell when the record was read whole) and
   * `longValue` is that cell's start; its text and cells are not kept, and the next call
   * goes on after its end
   */
  TooLong: 5,
} as const;
export type Found = (typeof Found)[keyof typeof Found];

/** Where skipping a record given up is: at the start of a cell, in an unquoted cell, in quotes, after a quote in quotes. */
const Skip = { No: 0, CellStart: 1, Unquoted: 2, Quoted: 3, QuoteInQuoted: 4 } as const;
type Skip = (typeof Skip)[keyof typeof Skip];

export class CsvRecords {
  /** The record delimiter: '' until the first line ending outside quotes tells which. */
  rd: '' | '\r\n' | '\n' | '\r';
  /** Spreadsheet row of the record `next` returns. */
  row = 0;
  /** Cells of the last record (the array is reused: copy it to keep it). */
  cells: string[] = [];
  /** Where the last record's text starts and ends in `text` (without its line ending). */
  start = 0;
  end = 0;
  /** The text being read: what was left of the previous chunk plus the new one. */
  text = '';
  private pos = 0;
  private final = false;
  private nextRow = 1;
  private readonly delim: number;
  private readonly maxRecord: number;
  /** After `TooLong`: the state of the skipped record's end (0: not skipping). */
  private skip: Skip = Skip.No;
  /** Index of the cell of a `TooLong` record that made it too long. */
  longCell = 0;
  /** The first characters of that cell. */
  longValue = '';

  constructor(delimiter: string, rd: '' | '\r\n' | '\n' | '\r' = '', maxRecord = Infinity) {
    this.delim = delimiter.charCodeAt(0);
    this.rd = rd;
    this.maxRecord = maxRecord;
  }

  private parts: string[] = [];
  private partsLength = 0;

  /**
   * Adds decoded text (`final` with the last of it) after the unread rest of the previous
   * text. Returns false when there is nothing new to read yet: a record longer than the
   * text added since (a long quoted cell, or a quote never closed) is read again only once
   * the text has doubled, so reading stays linear.
   */
  feed(text: string, final: boolean): boolean {
    this.parts.push(text);
    this.partsLength += text.length;
    this.final = final;
    const rest = this.text.length - this.pos;
    if (!final && rest > this.partsLength) return false;
    const added = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.text = rest > 0 ? this.text.slice(this.pos) + added : added;
    this.pos = 0;
    this.parts = [];
    this.partsLength = 0;
    return true;
  }

  /** Reads one record (or blank line) at the current position. */
  next(): Found {
    if (this.skip !== Skip.No && !this.skipRest()) {
      // the rest of the text is in the skipped record: drop it
      if (this.final) return Found.End;
      return Found.More;
    }
    const s = this.text;
    const len = s.length;
    const start = this.pos;
    if (start >= len) return this.final ? Found.End : Found.More;
    const rdAtStart = this.rdAt(s, start);
    if (rdAtStart < 0) return Found.More;
    if (rdAtStart > 0) {
      this.pos = start + rdAtStart;
      this.row = this.nextRow++;
      return Found.Empty;
    }
    const cells = this.cells;
    cells.length = 0;
    const d = this.delim;
    let i = start;
    for (;;) {
      // one cell, starting at i
      const cellStart = i;
      let prefix = '';
      let k: number;
      if (i < len && s.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        let closed = -1;
        for (;;) {
          const q = s.indexOf('"', j);
          if (q < 0) {
            if (!this.final) return this.more(start, cellStart);
            // a quote never closed: too long when its record, to the end of the input, is
            return len - start > this.maxRecord ? this.giveUp(start, cellStart) : Found.Unclosed;
          }
          if (q + 1 >= len) {
            if (!this.final) return this.more(start, cellStart);
            prefix += s.slice(j, q);
            closed = q + 1;
            break;
          }
          const n = s.charCodeAt(q + 1);
          if (n === QUOTE) {
            // "" inside quotes is one quote
            prefix += s.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          if (n === d || n === 0) {
            prefix += s.slice(j, q);
            closed = q + 1;
            break;
          }
          const r = n === CR || n === LF ? this.rdAt(s, q + 1) : 0;
          if (r < 0) return this.more(start, cellStart);
          if (r > 0) {
            prefix += s.slice(j, q);
            closed = q + 1;
            break;
          }
          // relax_quotes: a quote followed by anything else ends the quoting, and the
          // cell keeps both quotes and goes on unquoted ("abc"def → "abc"def)
          prefix = '"' + prefix + s.slice(j, q + 1);
          closed = q + 1;
          break;
        }
        i = closed;
      }
      // unquoted (or the rest after a closing quote)
      for (k = i; k < len; k++) {
        const c = s.charCodeAt(k);
        if (c === d) break;
        if (c === CR || c === LF) {
          const r = this.rdAt(s, k);
          if (r < 0) return this.more(start, cellStart);
          if (r > 0) break;
        }
      }
      if (k >= len && !this.final) return this.more(start, cellStart);
      cells.push(k === i ? prefix : prefix === '' ? s.slice(i, k) : prefix + s.slice(i, k));
      if (k >= len) return this.record(start, len, len);
      if (s.charCodeAt(k) === d) {
        i = k + 1;
        if (i >= len && this.final) {
          // a delimiter at the very end: one more, empty cell
          cells.push('');
          return this.record(start, len, len);
        }
        continue;
      }
      // a record delimiter
      return this.record(start, k, k + this.rdAt(s, k));
    }
  }

  /** The record from start to end (the next one from pos) was read whole. */
  private record(start: number, end: number, pos: number): Found {
    this.start = start;
    this.end = end;
    this.pos = pos;
    this.row = this.nextRow++;
    if (end - start <= this.maxRecord) return Found.Record;
    // read whole in one piece of text, but too long all the same: the same answer whatever
    // the chunks, so the longest cell is the one to blame
    const cells = this.cells;
    let longest = 0;
    for (let c = 1; c < cells.length; c++) if (cells[c].length > cells[longest].length) longest = c;
    this.longCell = longest;
    this.longValue = cells[longest].slice(0, PREVIEW);
    cells.length = 0;
    return Found.TooLong;
  }

  /**
   * The record from start goes on past the text read so far, in the cell starting at
   * cellStart. Once it is longer than maxRecord (its end is at least text.length - 1: a CR
   * at the very end may be its line ending), it is given up and skipped to its end.
   */
  private more(start: number, cellStart: number): Found {
    return this.text.length - 1 - start <= this.maxRecord ? Found.More : this.giveUp(start, cellStart);
  }

  private giveUp(start: number, cellStart: number): Found {
    const s = this.text;
    this.longCell = this.cells.length;
    this.longValue = s.slice(cellStart, cellStart + PREVIEW);
    this.cells.length = 0;
    this.row = this.nextRow++;
    // read it again from its start with the small state machine of skipRest
    this.pos = start;
    this.skip = Skip.CellStart;
    return Found.TooLong;
  }

  /**
   * Goes on through a record given up (`TooLong`), as the reader would read it but keeping
   * nothing: true when its end is found (pos is after its line ending), false when the text
   * ends first (pos at the end, or at a CR that may start a CRLF).
   */
  private skipRest(): boolean {
    const s = this.text;
    const len = s.length;
    const d = this.delim;
    let state = this.skip;
    let k = this.pos;
    for (; k < len; k++) {
      const c = s.charCodeAt(k);
      if (state === Skip.Quoted) {
        // the closing quote is the next one: jump to it
        const q = s.indexOf('"', k);
        if (q < 0) {
          k = len;
          break;
        }
        k = q;
        state = Skip.QuoteInQuoted;
        continue;
      }
      if (state === Skip.QuoteInQuoted) {
        // "" is one quote inside the quotes; any other character ends the quoting
        // (relax_quotes), a delimiter or a line ending ends the cell as usual
        if (c === QUOTE) {
          state = Skip.Quoted;
          continue;
        }
        state = Skip.Unquoted;
      } else if (state === Skip.CellStart && c === QUOTE) {
        state = Skip.Quoted;
        continue;
      }
      if (c === d) state = Skip.CellStart;
      else if (c === CR || c === LF) {
        const r = this.rdAt(s, k);
        if (r < 0) break;
        if (r > 0) {
          this.pos = k + r;
          this.skip = Skip.No;
          return true;
        }
        state = Skip.Unquoted;
      } else state = Skip.Unquoted;
    }
    this.pos = k;
    if (this.final && k >= len) {
      // the input ends inside the record (an unclosed quote included): it was reported
      this.skip = Skip.No;
      return false;
    }
    this.skip = state;
    return false;
  }

  /**
   * Length of the record delimiter at k (0: none, -1: cannot tell before more text comes).
   * Until one is known, the first \r\n, \n or \r outside quotes becomes it, as in csv-parse.
   */
  private rdAt(s: string, k: number): number {
    const c = s.charCodeAt(k);
    if (c !== CR && c !== LF) return 0;
    const rd = this.rd;
    if (rd === '') {
      if (c === LF) {
        this.rd = '\n';
        return 1;
      }
      if (k + 1 >= s.length) {
        if (!this.final) return -1;
        this.rd = '\r';
        return 1;
      }
      if (s.charCodeAt(k + 1) === LF) {
        this.rd = '\r\n';
        return 2;
      }
      this.rd = '\r';
      return 1;
    }
    if (rd === '\n') return c === LF ? 1 : 0;
    if (rd === '\r') return c === CR ? 1 : 0;
    if (c !== CR) return 0;
    if (k + 1 >= s.length) return this.final ? 0 : -1;
    return s.charCodeAt(k + 1) === LF ? 2 : 0;
  }
}

/** How many characters of the cell that made a record too long `longValue` keeps. */
const PREVIEW = 40;

/** The cells of one record's text (as kept by the import worker), for a rejected row. */
export function recordCells(text: string, delimiter: string, rd: '' | '\r\n' | '\n' | '\r'): string[] {
  const r = new CsvRecords(delimiter, rd);
  r.feed(text, true);
  return r.next() === Found.Record ? r.cells.slice() : [];
}
