/**
 * CSV records out of decoded text, read exactly as csv-parse reads them with the options of
 * every import (`relax_quotes`, `relax_column_count`, `skip_empty_lines`, the record
 * delimiter: any of `\r\n`, `\n` and `\r` outside quotes, mixed in one file — issue 15), but
 * three to four times faster: it works on the decoded string instead of re-encoding it to
 * bytes, slices cells instead of copying them char by char, and allocates nothing per
 * record beyond the cells. It also counts spreadsheet rows: the row of a record is 1 + the
 * line endings (outside quotes) before it, so a blank line counts and a cell with a line
 * break in it does not — for an ordinary file, the line number of the record.
 *
 * A record longer than `maxRecord` characters (a file with no line break at all, a quoted
 * cell whose closing quote is megabytes further on) is not kept: it is reported once as
 * `TooLong` and the reader skips to its end without keeping its text, so memory stays flat
 * whatever the length of a line.
 *
 * A quote never closed (the input ends inside a quoted cell) is `Unclosed`, with the row the
 * quote opened in, however long the rest of the file it swallowed: not `TooLong`. While a
 * record given up is inside quotes the reader cannot tell which it is, so it keeps skipping
 * and says nothing until the quote closes or the input ends. Only a record already over the
 * limit before its last quote opened gives both, `TooLong` then `Unclosed`. The events are
 * the same however the text is cut into chunks.
 */
import fs from 'node:fs';
import { locateBadByte } from './sniff.js';

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
  /**
   * the input ended inside a quoted cell: `row` is the row of the record the quote opened in,
   * `longCell` that cell and `longValue` its start (from the quote); the next call gives End
   */
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
  /** While skipping a record given up: the skipper's state (0: not skipping). */
  private skip: Skip = Skip.No;
  /** The record being skipped is over the limit and that is not reported yet. */
  private pending = false;
  /** Where the record being skipped starts, relative to `text` (negative once text before it was dropped). */
  private skipStart = 0;
  /** The index of the cell the skipper is in. */
  private skipCell = 0;
  /**
   * The last quoted cell the skipper entered: its index, its offset in the record, and its
   * first PREVIEW characters: `quoteValue`, then the text from `quoteAt` (-1: none to add).
   */
  private quoteCell = 0;
  private quoteOffset = 0;
  private quoteAt = -1;
  private quoteValue = '';
  /**
   * `TooLong`: the index of the cell that made the record too long; `Unclosed`: the cell
   * whose quote is never closed.
   */
  longCell = 0;
  /** The first characters of that cell (a quoted cell's from its opening quote). */
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
    this.skipStart -= this.pos;
    // a skipped quote still open whose start is shorter than a preview: it goes on here
    if ((this.skip === Skip.Quoted || this.skip === Skip.QuoteInQuoted) && this.quoteValue.length < PREVIEW) this.quoteAt = rest;
    this.pos = 0;
    this.parts = [];
    this.partsLength = 0;
    return true;
  }

  /** Reads one record (or blank line) at the current position. */
  next(): Found {
    if (this.skip !== Skip.No) {
      const f = this.skipRest();
      if (f !== null) return f;
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
            // a quote never closed; a record already too long before it opened is TooLong
            // first, as when read in chunks
            if (cellStart - start > this.maxRecord) return this.giveUp(start, cellStart);
            this.longCell = cells.length;
            this.longValue = s.slice(cellStart, cellStart + PREVIEW);
            cells.length = 0;
            this.row = this.nextRow++;
            this.pos = len;
            return Found.Unclosed;
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

  /**
   * Gives up the record from start (too long): keeps its row and the cell to blame, then
   * skips it from its start with the small state machine of skipRest, which says TooLong (or
   * Unclosed) once it knows which.
   */
  private giveUp(start: number, cellStart: number): Found {
    const s = this.text;
    this.longCell = this.cells.length;
    this.longValue = s.slice(cellStart, cellStart + PREVIEW);
    this.cells.length = 0;
    this.row = this.nextRow++;
    this.pos = start;
    this.skip = Skip.CellStart;
    this.pending = true;
    this.skipStart = start;
    this.skipCell = 0;
    this.quoteAt = -1;
    return this.next();
  }

  /**
   * Goes on through a record given up, as the reader would read it but keeping nothing.
   * Returns null when its end is found and nothing is left to say (pos is after its line
   * ending), else what `next` returns:
   * - TooLong, not said yet, at its end; or at the end of the text when the skipper is
   *   outside quotes and the record is already over the limit, whatever follows (the early
   *   answer that fails a file of one long line after a few MB);
   * - Unclosed at the end of the input inside quotes (TooLong before it when the record was
   *   over the limit before that quote opened);
   * - More when the text ends first (pos at its end, or at a CR that may start a CRLF);
   * - End at the end of the input, everything said.
   */
  private skipRest(): Found | null {
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
        this.quoteCell = this.skipCell;
        this.quoteOffset = k - this.skipStart;
        this.quoteValue = '';
        this.quoteAt = k;
        continue;
      }
      if (c === d) {
        state = Skip.CellStart;
        this.skipCell++;
      } else if (c === CR || c === LF) {
        const r = this.rdAt(s, k);
        if (r < 0) break;
        if (r > 0) {
          this.pos = k + r;
          this.skip = Skip.No;
          if (!this.pending) return null;
          this.pending = false;
          return Found.TooLong;
        }
        state = Skip.Unquoted;
      } else state = Skip.Unquoted;
    }
    this.pos = k;
    this.skip = state;
    if (this.quoteAt >= 0) {
      // a quote still open goes on past this text: keep its start before the text is dropped
      if (state === Skip.Quoted || state === Skip.QuoteInQuoted) this.quoteValue += s.slice(this.quoteAt, this.quoteAt + PREVIEW - this.quoteValue.length);
      this.quoteAt = -1;
    }
    if (!this.final || k < len) {
      if (this.pending && (state === Skip.CellStart || state === Skip.Unquoted) && len - this.skipStart > this.maxRecord) {
        this.pending = false;
        return Found.TooLong;
      }
      return Found.More;
    }
    // the end of the input, inside the record
    if (state === Skip.Quoted) {
      if (this.pending && this.quoteOffset > this.maxRecord) {
        // over the limit before the quote opened: TooLong now, Unclosed on the next call
        this.pending = false;
        return Found.TooLong;
      }
      this.pending = false;
      this.skip = Skip.No;
      this.longCell = this.quoteCell;
      this.longValue = this.quoteValue;
      return Found.Unclosed;
    }
    this.skip = Skip.No;
    if (!this.pending) return Found.End;
    this.pending = false;
    return Found.TooLong;
  }

  /**
   * Length of the record delimiter at k (0: none, -1: cannot tell before more text comes).
   * Issue 15: \r\n, \n and \r outside quotes each end a record, mixed in one file (a CRLF
   * header with LF rows appended in another editor); `rd` keeps the first one seen.
   */
  private rdAt(s: string, k: number): number {
    const c = s.charCodeAt(k);
    if (c === LF) {
      if (this.rd === '') this.rd = '\n';
      return 1;
    }
    if (c !== CR) return 0;
    if (k + 1 >= s.length) {
      if (!this.final) return -1;
      if (this.rd === '') this.rd = '\r';
      return 1;
    }
    if (s.charCodeAt(k + 1) === LF) {
      if (this.rd === '') this.rd = '\r\n';
      return 2;
    }
    if (this.rd === '') this.rd = '\r';
    return 1;
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

/**
 * The records of an import's input, whatever the file (issue 16: CSV or a workbook's sheet):
 * what the import worker and `expenses import`'s look-ahead (app/trips.ts) read, so that
 * header, validation, batching, rejects and row numbers are one code path for both.
 *
 * `next` says what comes next in what was read so far, as CsvRecords.next does (Record,
 * Empty, TooLong, Unclosed); More when that is used up (then `read` the next piece), End at
 * the end of the input. A problem with the file as a whole (bytes that are not its encoding,
 * a damaged workbook) is thrown by `read`: a ReadFault, or a UserError worded for the user.
 */
export interface RecordSource {
  next(): Found;
  read(): Promise<void>;
  /** the row of the record (the sheet's own row number; a CSV's line) */
  readonly row: number;
  /** its cells (reused: copy them to keep them) */
  readonly cells: string[];
  /** TooLong, Unclosed: the cell to blame and its start */
  readonly longCell: number;
  readonly longValue: string;
  /** cells of the record whose formula gives an error (a workbook's `#REF!`): [index, error], or null */
  readonly cellErrors: [number, string][] | null;
  /** the record as `rowCells` reads it back on the main thread (for a rejects file) */
  text(): string;
  /** how the texts of `text` are read back: a CSV's record delimiter, or null for cells joined by CELL_SEP */
  readonly rd: CsvRecords['rd'] | null;
  /** how far the file is read, in bytes of the file */
  readonly bytes: number;
  /** the sheet read, for a workbook, and how many sheets it shows */
  readonly sheet?: string;
  readonly sheetCount?: number;
  /** a workbook's merged ranges [first row, first column, last row, last column], complete at End */
  readonly merged?: readonly [number, number, number, number][];
  close(): void;
}

/** Separates the cells of a workbook's row in `RecordSource.text` (no cell holds U+0000: cells.ts). */
export const CELL_SEP = '\u0000';

/** The cells of a record's text as a RecordSource gave it, for a rejected row. */
export function rowCells(text: string, delimiter: string, rd: CsvRecords['rd'] | null): string[] {
  return rd === null ? text.split(CELL_SEP) : recordCells(text, delimiter, rd);
}

/** What the file's bytes could not be read as (the worker says it, the main thread words it). */
export class ReadFault extends Error {
  constructor(
    /** encoding: `detail` is the offset of the first bad byte, `line` its line; csv: `detail` says what */
    readonly reason: 'encoding' | 'csv',
    readonly detail: string,
    readonly line?: number,
  ) {
    super(detail);
  }
}

/** Bytes read at a time from a CSV file: a batch of rows per chunk. */
const CHUNK = 1 << 20;
/**
 * The first read is smaller: its rows go to the writer at once, which starts writing while
 * the rest is parsed (issue 17: the main thread waited about 75 ms for the rows of the first
 * megabyte). They are the first batch whole — fewer than the worker's 1,024 rows a batch
 * even at 16 bytes a row — so the rows and bytes it reports estimate the rows of the file
 * (RowWriter.begin).
 */
const FIRST_CHUNK = 16 << 10;

/** A CSV file's records: read in chunks, decoded strictly, split by CsvRecords. */
export class CsvFileRecords implements RecordSource {
  private readonly csv: CsvRecords;
  private readonly decoder: TextDecoder;
  private readonly fd: number;
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  bytes = 0;
  readonly cellErrors = null;

  constructor(
    private readonly file: string,
    private readonly encoding: string,
    delimiter: string,
  ) {
    this.csv = new CsvRecords(delimiter, '', MAX_RECORD);
    this.decoder = new TextDecoder(encoding, { fatal: true });
    this.fd = fs.openSync(file, 'r');
  }

  get row(): number {
    return this.csv.row;
  }
  get cells(): string[] {
    return this.csv.cells;
  }
  get longCell(): number {
    return this.csv.longCell;
  }
  get longValue(): string {
    return this.csv.longValue;
  }
  get rd(): CsvRecords['rd'] {
    return this.csv.rd;
  }

  next(): Found {
    return this.csv.next();
  }

  text(): string {
    return this.csv.text.slice(this.csv.start, this.csv.end);
  }

  async read(): Promise<void> {
    // a record longer than the text added since is read again only once more text came (feed)
    for (;;) {
      const n = fs.readSync(this.fd, this.chunk, 0, this.bytes === 0 ? FIRST_CHUNK : CHUNK, null);
      const final = n === 0;
      let text: string;
      try {
        text = final ? this.decoder.decode() : this.decoder.decode(this.chunk.subarray(0, n), { stream: true });
      } catch (e) {
        // bytes that are not the encoding; at the very end, a character cut short (a
        // truncated file), reported as an unreadable CSV as it always was
        if (final) throw new ReadFault('csv', (e as Error).message);
        const at = locateBadByte(this.file, this.encoding, this.bytes, n);
        throw new ReadFault('encoding', String(at.offset), at.line);
      }
      this.bytes += n;
      if (this.csv.feed(text, final)) return;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** What an import reads: the file, and how (the sniffed encoding and delimiter of a CSV, the sheet of a workbook). */
export interface SourceSpec {
  file: string;
  /** a workbook (the file starts with the zip signature), else a CSV */
  xlsx: boolean;
  encoding: string;
  delimiter: string;
  /** `--sheet NAME|N` */
  sheet?: string;
}

/** The records of the file: a CSV's, or a workbook's sheet's (its reader loaded only then). */
export async function openRecords(spec: SourceSpec): Promise<RecordSource> {
  if (!spec.xlsx) return new CsvFileRecords(spec.file, spec.encoding, spec.delimiter);
  const { openSheet } = await import('./xlsx/read.js');
  return openSheet(spec.file, spec.sheet);
}
