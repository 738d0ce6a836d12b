/**
 * An .xlsx sheet as the records of an import (issue 16), streaming: yauzl inflates one part
 * at a time (unzip.ts, with the zip-bomb limits) and xml.ts scans its XML. First the small
 * parts — the workbook (its sheets in order, their names, `date1904`), its relationships
 * (which part each sheet is), the styles (which cell styles show a date or a time), the
 * shared strings (held whole, compactly: cells refer to them at random, so the part's size
 * limit bounds their memory) — then the chosen sheet row by row, never whole: `read` scans
 * a quarter of a megabyte of its XML, `next` gives the rows it completed. Cells and shared
 * strings written the way Excel and WPS write nearly all of them are read in one regular
 * expression match each; anything else, tag by tag.
 *
 * A row is the sheet's `<row r="N">`: N is the row number every message names. Cells are
 * placed by their reference (`r="C7"`, gaps empty) and read as Excel shows them (cells.ts):
 * shared, inline (rich-text runs joined, phonetic guides left out) and formula strings as
 * text; a formula's cached value, never the formula; booleans as TRUE/FALSE; numbers as
 * their exact decimal; date-styled numbers as dates. A formula error (`#REF!`) is reported
 * per cell (`cellErrors`): the import makes it a row error when the column is one it reads.
 * Hidden rows are rows. Merged ranges come after the rows in the XML: they are `merged` at End.
 */
import { UserError } from '../../errors.js';
import { t } from '../../messages/index.js';
import { CELL_SEP, Found, MAX_RECORD, type RecordSource } from '../csvRecords.js';
import { Zip, MAX_PART, MAX_SHEET, damaged } from './unzip.js';
import { XmlError, XmlScanner, attr, local, type XmlEvents } from './xml.js';
import { MAX_COLUMNS, Shown, builtInShown, columnIndex, columnLetters, formatShown, isoDateText, numberText, rowOf, serialText, unescapeXstring } from './cells.js';

/** A sheet of the workbook, in tab order. */
export interface SheetInfo {
  name: string;
  /** the part holding its cells (`xl/worksheets/sheet1.xml`) */
  part: string;
  hidden: boolean;
}

/**
 * Decoded XML scanned per `read`: rows come in batches of about this much of the sheet
 * (~600 survey rows), few enough that they die young, not in the old generation (memory flat).
 */
const PIECE = 1 << 18;
/** A cell as Excel writes it (SheetRecords.plainCell): its column letters, style, type and value. */
const PLAIN_CELL = /<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="([a-z]+)")?(?:\/>|>(?:<v>([^<&\r]*)<\/v>)?<\/c>)/y;

/** How many characters of a cell over the limit a message shows. */
const PREVIEW = 40;
/** Merged ranges kept (a sheet has a handful; past this many, the rest are not explained). */
const MAX_MERGED = 100_000;

/** Handlers of the events of a part: any of them. */
type PartEvents = Partial<Omit<XmlEvents, 'close'>> & { close?: (name: string) => void; scanner?: (x: XmlScanner) => void };

/**
 * Reads a whole part (any but a sheet's); false when the zip has no such part. `close` gets
 * the local name; `scanner` gets the scanner, whose `wantText` the handlers set.
 */
async function parsePart(zip: Zip, part: string, on: PartEvents): Promise<boolean> {
  const chunks = await zip.open(part, MAX_PART);
  if (chunks === null) return false;
  const x = new XmlScanner({ open: on.open ?? (() => {}), close: (name) => on.close?.(local(name)), text: on.text ?? (() => {}), element: on.element });
  on.scanner?.(x);
  const decode = decoder();
  try {
    for await (const chunk of chunks) x.write(decode(chunk));
    x.write(decode(null));
    x.end();
  } catch (e) {
    throw e instanceof XmlError ? damaged(zip.file, new Error(`${part}: ${e.message}`)) : e;
  }
  return true;
}

/** Bytes → text, in pieces (null: the end): UTF-8, or UTF-16 when the part starts with its BOM. */
function decoder(): (chunk: Buffer | null) => string {
  let d: TextDecoder | null = null;
  return (chunk) => {
    if (chunk === null) return d ? d.decode() : '';
    d ??= new TextDecoder(chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : 'utf-8');
    return d.decode(chunk, { stream: true });
  };
}

/** `xl/` + `worksheets/sheet1.xml`, `/xl/worksheets/sheet1.xml`, `../x.xml`: a part name from a relationship's target. */
function resolvePart(base: string, target: string): string {
  const parts = target.startsWith('/') ? [] : base.split('/').slice(0, -1);
  for (const p of target.replace(/^\/+/, '').split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

/** The relationships of a part: id → [type (its last segment: `worksheet`), part name]. */
async function relationships(zip: Zip, part: string): Promise<Map<string, [string, string]>> {
  const slash = part.lastIndexOf('/');
  const relsPart = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
  const out = new Map<string, [string, string]>();
  await parsePart(zip, relsPart, {
    open: (name, a) => {
      if (local(name) !== 'Relationship' || attr(a, 'TargetMode') === 'External') return;
      const id = attr(a, 'Id');
      const target = attr(a, 'Target');
      const type = attr(a, 'Type') ?? '';
      if (id !== undefined && target !== undefined) out.set(id, [type.slice(type.lastIndexOf('/') + 1), resolvePart(part, target)]);
    },
  });
  return out;
}

/** The workbook: its sheets, date system, styles and shared strings; the zip stays open for the sheet. */
export class Workbook {
  private constructor(
    readonly zip: Zip,
    readonly sheets: SheetInfo[],
    readonly date1904: boolean,
    /** cell style index → what its number format shows */
    readonly styles: Shown[],
    readonly strings: SharedStrings,
  ) {}

  static async open(file: string): Promise<Workbook> {
    const zip = await Zip.open(file);
    try {
      // the main part: where the package's relationships say (xl/workbook.xml when Excel wrote it)
      let main = 'xl/workbook.xml';
      for (const [type, part] of (await relationships(zip, '')).values()) if (type === 'officeDocument') main = part;
      // a zip of something else (.docx, a zipped folder); an .ods or a Numbers file is refused by sniff.ts
      if (!zip.has(main)) throw new UserError(t('xlsx.not_workbook', { file }), t('xlsx.not_workbook.hint'));
      const rels = await relationships(zip, main);
      const sheets: SheetInfo[] = [];
      let date1904 = false;
      let root = '';
      await parsePart(zip, main, {
        open: (tag, a) => {
          const name = local(tag);
          root ||= name;
          if (name === 'workbookPr') {
            const v = attr(a, 'date1904');
            date1904 = v === '1' || v === 'true';
          } else if (name === 'sheet') {
            const rel = rels.get(attr(a, 'id') ?? '');
            // a chart sheet or a dialog sheet has no cells to import
            if (rel === undefined || rel[0] !== 'worksheet') return;
            const state = attr(a, 'state');
            sheets.push({ name: attr(a, 'name') ?? '', part: rel[1], hidden: state === 'hidden' || state === 'veryHidden' });
          }
        },
      });
      // the main part of a Word or PowerPoint file is a document, not a workbook
      if (root !== 'workbook') throw new UserError(t('xlsx.not_workbook', { file }), t('xlsx.not_workbook.hint'));
      const find = (type: string, fallback: string): string => {
        for (const [ty, part] of rels.values()) if (ty === type) return part;
        return fallback;
      };
      const styles = await readStyles(zip, find('styles', 'xl/styles.xml'));
      const strings = await readStrings(zip, find('sharedStrings', 'xl/sharedStrings.xml'));
      return new Workbook(zip, sheets, date1904, styles, strings);
    } catch (e) {
      zip.close();
      throw e;
    }
  }

  /**
   * The sheet `--sheet` names: a name (as Excel compares them, case aside), else a number
   * counting the tabs Excel shows (hidden sheets are chosen by name); by default the first
   * tab shown. Refused with the list of sheets when there is no such sheet.
   */
  pick(file: string, wanted?: string): SheetInfo {
    const shown = this.sheets.filter((s) => !s.hidden);
    if (wanted === undefined) {
      const first = shown[0] ?? this.sheets[0];
      if (first === undefined) throw new UserError(t('xlsx.no_sheets', { file }), t('xlsx.not_workbook.hint'));
      return first;
    }
    const w = wanted.trim().toLowerCase();
    const named = this.sheets.find((s) => s.name.trim().toLowerCase() === w);
    if (named) return named;
    if (/^\d+$/.test(w) && +w >= 1 && +w <= shown.length) return shown[+w - 1];
    throw new UserError(t('xlsx.no_sheet', { file, sheet: wanted, sheets: this.sheetList() }), t('xlsx.no_sheet.hint'));
  }

  /** `1「汇总」、2「明细」` / `1 "Summary", 2 "Details"`: the sheets as --sheet takes them. */
  sheetList(): string {
    let n = 0;
    return this.sheets.map((s) => (s.hidden ? t('xlsx.sheet_hidden', { name: s.name }) : t('xlsx.sheet_item', { n: ++n, name: s.name }))).join(t('import.list_sep'));
  }
}

/** The styles part: for each cell style (cellXfs, in order), what its number format shows. */
async function readStyles(zip: Zip, part: string): Promise<Shown[]> {
  const custom = new Map<number, Shown>();
  const out: Shown[] = [];
  let inCellXfs = false;
  await parsePart(zip, part, {
    open: (tag, a) => {
      const name = local(tag);
      if (name === 'numFmt') custom.set(Number(attr(a, 'numFmtId')), formatShown(attr(a, 'formatCode') ?? ''));
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(attr(a, 'numFmtId') ?? 0);
        // a custom format may reuse a built-in id: the workbook's own definition wins
        out.push(custom.get(id) ?? builtInShown(id));
      }
    },
    close: (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return out;
}

/**
 * The shared-strings table, compact: a million-row sheet has millions of shared strings
 * (every distinct name, address and number written as text), which as separate strings
 * would cost their V8 headers more than their text (issue 16: a 1,000,000-row sheet under
 * 500 MB). They are appended to pages of about a million characters, and found by page,
 * start and length; `get` cuts one out (a slice of its page, made only when a cell asks).
 * Strings of Latin-1 characters go to pages of their own, which V8 keeps at a byte a
 * character, so that the Chinese text of other strings does not make them two bytes wide.
 */
export class SharedStrings {
  private readonly pages: string[] = [];
  /** each string's page (high 12 bits) and start in it (low 20 bits: STRING_PAGE) */
  private loc = new Uint32Array(1024);
  private length = new Uint32Array(1024);
  size = 0;
  /** the page being filled, for one-byte strings [0] and for the others [1]: its parts, their length, its index */
  private readonly filling: [string[], number, number][] = [
    [[], 0, -1],
    [[], 0, -1],
  ];

  get(i: number): string | undefined {
    if (!(i >= 0 && i < this.size)) return undefined;
    const loc = this.loc[i];
    const start = loc & (STRING_PAGE - 1);
    return this.pages[loc >>> 20].slice(start, start + this.length[i]);
  }

  /** Room for n strings in all (the part's `uniqueCount`, when it can be believed). */
  reserve(n: number): void {
    if (n > this.loc.length) this.resize(n);
  }

  push(s: string): void {
    if (this.size === this.loc.length) this.resize(Math.ceil(this.size * 1.5));
    const f = this.filling[/[^\u0000-\u00ff]/.test(s) ? 1 : 0];
    // a string longer than a page has a page of its own, from its start
    if (f[2] < 0 || (f[1] > 0 && f[1] + s.length > STRING_PAGE)) {
      this.seal(f);
      f[2] = this.pages.push('') - 1;
      if (f[2] >= 1 << 12) throw new Error('too many shared strings');
    }
    this.loc[this.size] = ((f[2] << 20) | f[1]) >>> 0;
    this.length[this.size] = s.length;
    this.size++;
    f[0].push(s);
    f[1] += s.length;
  }

  private resize(n: number): void {
    const grow = (a: Uint32Array) => {
      const b = new Uint32Array(n);
      b.set(a.subarray(0, this.size));
      return b;
    };
    this.loc = grow(this.loc);
    this.length = grow(this.length);
  }

  /** Makes the page filled so far one flat string (and lets go of the XML text its parts were cut from). */
  private seal(f: [string[], number, number]): void {
    if (f[2] >= 0) this.pages[f[2]] = f[0].join('');
    f[0] = [];
    f[1] = 0;
  }

  /** After the last push. */
  done(): void {
    for (const f of this.filling) this.seal(f);
  }
}

/** A shared string as Excel writes nearly all of them: its text. */
const PLAIN_STRING = /<si><t(?: xml:space="preserve")?>([^<&\r]*)<\/t><\/si>/y;

/** Characters per page of the shared strings (2^20: a string's start in its page takes 20 bits). */
const STRING_PAGE = 1 << 20;

/**
 * The shared strings, in order: each `<si>`'s text (its `<t>`, or its rich-text runs
 * joined), without phonetic guides (`<rPh>`). A string longer than a record can be is kept
 * only up to just past that: the cell using it is refused as too long anyway.
 */
async function readStrings(zip: Zip, part: string): Promise<SharedStrings> {
  const out = new SharedStrings();
  let cur = '';
  let t = '';
  let phonetic = 0;
  let x: XmlScanner;
  await parsePart(zip, part, {
    scanner: (scanner) => (x = scanner),
    // a plain string, as nearly all are: at once (a rich one, an entity, a prefix: tag by tag)
    element: (s, lt) => {
      if (s.charCodeAt(lt + 1) !== 115 /* s */) return -1;
      PLAIN_STRING.lastIndex = lt;
      const m = PLAIN_STRING.exec(s);
      if (m === null) return -1;
      out.push(unescapeXstring(m[1].length > MAX_RECORD ? m[1].slice(0, MAX_RECORD + 1) : m[1]));
      return PLAIN_STRING.lastIndex;
    },
    open: (tag, a) => {
      switch (local(tag)) {
        case 'sst':
          // as many as it says, if the part is long enough to hold them (`<si><t/></si>` each)
          out.reserve(Math.min(Number(attr(a, 'uniqueCount') ?? 0) || 0, Math.floor(zip.size(part) / 13)));
          break;
        case 'si':
          cur = '';
          break;
        case 't':
          x.wantText = phonetic === 0;
          t = '';
          break;
        case 'rPh':
          phonetic++;
          break;
      }
    },
    text: (s) => {
      if (cur.length + t.length <= MAX_RECORD) t += s;
    },
    close: (name) => {
      switch (name) {
        case 't':
          if (x.wantText) cur += unescapeXstring(t);
          x.wantText = false;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'si':
          out.push(cur.length > MAX_RECORD ? cur.slice(0, MAX_RECORD + 1) : cur);
          break;
      }
    },
  });
  out.done();
  return out;
}

/** One row read and not yet given out. */
interface Pending {
  row: number;
  cells: string[];
  cellErrors: [number, string][] | null;
  /** a cell over MAX_RECORD characters: its index and start */
  long: [number, string] | null;
}

/** Opens FILE's sheet (`--sheet`, else the first shown) for reading its rows. */
export async function openSheet(file: string, wanted?: string): Promise<SheetRecords> {
  const book = await Workbook.open(file);
  try {
    const sheet = book.pick(file, wanted);
    const chunks = await book.zip.open(sheet.part, MAX_SHEET);
    if (chunks === null) throw new UserError(t('xlsx.damaged', { file, reason: t('xlsx.missing_part', { part: sheet.part }) }), t('xlsx.damaged.hint'));
    return new SheetRecords(file, book, sheet, chunks);
  } catch (e) {
    book.zip.close();
    throw e;
  }
}

/** The rows of one sheet, as a RecordSource. */
export class SheetRecords implements RecordSource {
  readonly sheet: string;
  readonly sheetCount: number;
  readonly rd = null;
  readonly merged: [number, number, number, number][] = [];
  row = 0;
  cells: string[] = [];
  cellErrors: [number, string][] | null = null;
  longCell = 0;
  longValue = '';
  bytes = 0;

  private readonly scanner: XmlScanner;
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly decode = decoder();
  private readonly size: number;
  private readonly fileSize: number;
  private inflated = 0;
  private done = false;
  /** rows completed by the last `read`, given out by `next` */
  private queue: Pending[] = [];
  private at = 0;
  /** any non-blank row at all (an empty sheet is refused at its end) */
  private any = false;

  // the row and cell being parsed
  private rowNum = 0;
  private rowCells: string[] = [];
  private rowErrors: [number, string][] | null = null;
  private rowLong: [number, string] | null = null;
  private rowChars = 0;
  private col = -1;
  private type = '';
  private style = 0;
  /** the cell's text (scanner.wantText: inside <v>, or an inline string's <t>), kept up to just past MAX_RECORD */
  private value = '';
  private inInline = false;
  /** where the text of the inline string's <t> being read starts in `value` */
  private tStart = -1;
  private fromInline = false;
  private phonetic = 0;
  private hasValue = false;

  private readonly part: string;

  constructor(
    private readonly file: string,
    private readonly book: Workbook,
    info: SheetInfo,
    chunks: AsyncIterable<Buffer>,
  ) {
    this.sheet = info.name;
    this.part = info.part;
    this.sheetCount = book.sheets.filter((s) => !s.hidden).length;
    this.chunks = chunks[Symbol.asyncIterator]();
    this.size = book.zip.size(info.part);
    this.fileSize = book.zip.fileSize;
    this.scanner = new XmlScanner({
      open: (name, attrs) => this.onOpen(name, attrs),
      close: (name) => this.onClose(name),
      text: (s) => {
        if (this.value.length <= MAX_RECORD) this.value += s;
      },
      element: (s, lt) => this.plainCell(s, lt),
    });
  }

  /**
   * A cell as Excel and WPS write nearly all of them — `<c r="B2" s="3" t="s"><v>12</v></c>`
   * or `<c r="B2" s="3"/>` — read in one match (a third of the time of reading its tags one
   * by one); any other form (a formula, an inline string, an entity, attributes in another
   * order, a prefix) is left to the tags. The index after it, or -1.
   */
  private plainCell(s: string, lt: number): number {
    if (s.charCodeAt(lt + 1) !== 99 /* c */ || s.charCodeAt(lt + 2) !== 32) return -1;
    PLAIN_CELL.lastIndex = lt;
    const m = PLAIN_CELL.exec(s);
    if (m === null) return -1;
    this.col = columnIndex(m[1]);
    if (this.col >= MAX_COLUMNS) throw new UserError(t('xlsx.too_many_columns', { file: this.file, sheet: this.sheet, row: this.rowNum, ref: m[1] + this.rowNum }), t('xlsx.damaged.hint'));
    this.style = m[2] === undefined ? 0 : +m[2];
    this.type = m[3] ?? '';
    this.value = m[4] ?? '';
    this.hasValue = m[4] !== undefined;
    this.cell();
    return PLAIN_CELL.lastIndex;
  }

  next(): Found {
    if (this.at < this.queue.length) {
      const r = this.queue[this.at++];
      this.row = r.row;
      this.cellErrors = r.cellErrors;
      if (r.long !== null) {
        this.cells = [];
        [this.longCell, this.longValue] = r.long;
        return Found.TooLong;
      }
      this.cells = r.cells;
      return Found.Record;
    }
    this.queue = [];
    this.at = 0;
    return this.done ? Found.End : Found.More;
  }

  text(): string {
    return this.cells.join(CELL_SEP);
  }

  async read(): Promise<void> {
    let fed = 0;
    while (fed < PIECE && !this.done) {
      const r = await this.chunks.next();
      if (r.done) {
        this.feed(this.decode(null));
        this.feed(null);
        this.done = true;
        this.bytes = this.fileSize;
        if (!this.any) throw new UserError(t('xlsx.empty_sheet', { file: this.file, sheet: this.sheet }), t('xlsx.empty_sheet.hint', { sheets: this.book.sheetList() }));
        break;
      }
      const text = this.decode(r.value);
      this.inflated += r.value.length;
      // progress in bytes of the file: the share of the sheet inflated so far
      this.bytes = Math.min(this.fileSize, Math.round((this.fileSize * this.inflated) / Math.max(1, this.size)));
      this.feed(text);
      fed += text.length;
    }
  }

  /** Scans a piece of the sheet's XML (null: its end); a malformed part is a damaged file. */
  private feed(text: string | null): void {
    try {
      if (text === null) this.scanner.end();
      else if (text !== '') this.scanner.write(text);
    } catch (e) {
      throw e instanceof XmlError ? damaged(this.file, new Error(`${this.part}: ${e.message}`)) : e;
    }
  }

  private onOpen(name: string, a: string): void {
    switch (local(name)) {
      case 'c': {
        const ref = attr(a, 'r');
        this.col = ref === undefined ? this.col + 1 : columnIndex(ref);
        if (this.col >= MAX_COLUMNS) {
          throw new UserError(t('xlsx.too_many_columns', { file: this.file, sheet: this.sheet, row: this.rowNum, ref: ref ?? columnLetters(this.col) }), t('xlsx.damaged.hint'));
        }
        if (this.col < 0) this.col = this.rowCells.length;
        this.type = attr(a, 't') ?? '';
        const style = attr(a, 's');
        this.style = style === undefined ? 0 : +style;
        this.value = '';
        this.hasValue = false;
        this.inInline = false;
        this.fromInline = false;
        this.tStart = -1;
        this.phonetic = 0;
        break;
      }
      case 'v':
        this.scanner.wantText = true;
        this.fromInline = false;
        this.value = '';
        break;
      case 'is':
        this.inInline = true;
        this.fromInline = true;
        this.value = '';
        break;
      case 't':
        if (this.inInline && this.phonetic === 0) {
          this.scanner.wantText = true;
          this.tStart = this.value.length;
        }
        break;
      case 'rPh':
        this.phonetic++;
        break;
      case 'row': {
        const r = attr(a, 'r');
        this.rowNum = r === undefined ? this.rowNum + 1 : +r;
        this.rowCells = [];
        this.rowErrors = null;
        this.rowLong = null;
        this.rowChars = 0;
        this.col = -1;
        break;
      }
      case 'mergeCell': {
        const ref = attr(a, 'ref');
        if (ref !== undefined && this.merged.length < MAX_MERGED) {
          const [from, to = from] = ref.split(':');
          this.merged.push([rowOf(from), columnIndex(from), rowOf(to), columnIndex(to)]);
        }
        break;
      }
    }
  }

  private onClose(name: string): void {
    switch (local(name)) {
      case 'v':
        this.scanner.wantText = false;
        this.hasValue = true;
        break;
      case 't':
        if (this.inInline && this.tStart >= 0) {
          // each <t> is an ST_Xstring of its own: its _xHHHH_ escapes are undone on their own
          this.value = this.value.slice(0, this.tStart) + unescapeXstring(this.value.slice(this.tStart));
          this.tStart = -1;
        }
        if (this.inInline) this.scanner.wantText = false;
        break;
      case 'rPh':
        this.phonetic--;
        break;
      case 'is':
        this.inInline = false;
        this.hasValue = true;
        break;
      case 'c':
        this.cell();
        break;
      case 'row':
        this.endRow();
        break;
    }
  }

  /** The cell just closed, as text, placed at its column. */
  private cell(): void {
    this.scanner.wantText = false;
    if (!this.hasValue) return;
    const v = this.value;
    let text: string;
    switch (this.type) {
      case 's': {
        // an empty <v></v> is no string at all (+'' would be string 0): an empty cell
        if (v === '') return;
        const s = this.book.strings.get(+v);
        if (s === undefined) throw new UserError(t('xlsx.damaged', { file: this.file, reason: t('xlsx.bad_string', { row: this.rowNum, n: v }) }), t('xlsx.damaged.hint'));
        text = s;
        break;
      }
      case 'inlineStr':
        // undone <t> by <t> (a <v> in its place, as some writers put, is one string)
        text = this.fromInline ? v : unescapeXstring(v);
        break;
      case 'str':
        text = unescapeXstring(v);
        break;
      case 'b':
        text = v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : v;
        break;
      case 'e':
        // a formula's error: no value; said as a row error if the column is read
        (this.rowErrors ??= []).push([this.col, v]);
        text = '';
        break;
      case 'd':
        text = isoDateText(v);
        break;
      default: {
        if (v === '') {
          text = '';
          break;
        }
        const shown = this.book.styles[this.style] ?? Shown.Number;
        text = shown === Shown.Number ? numberText(v) : serialText(+v, shown, this.book.date1904) ?? numberText(v);
      }
    }
    // XML forbids U+0000, but a careless writer puts one: it would split the row's rejects text (csvRecords CELL_SEP)
    if (text.includes('\0')) text = text.replaceAll('\0', '');
    if (text === '') return;
    if (text.length > MAX_RECORD) {
      this.rowLong ??= [this.col, text.slice(0, PREVIEW)];
      return;
    }
    this.rowChars += text.length;
    const cells = this.rowCells;
    while (cells.length < this.col) cells.push('');
    cells[this.col] = text;
  }

  private endRow(): void {
    const cells = this.rowCells;
    if (this.rowLong === null && this.rowChars > MAX_RECORD) {
      // too long as a whole, as a CSV record would be: the longest cell is to blame
      let longest = 0;
      for (let c = 1; c < cells.length; c++) if (cells[c].length > cells[longest].length) longest = c;
      this.rowLong = [longest, cells[longest].slice(0, PREVIEW)];
    }
    if (cells.length === 0 && this.rowLong === null && this.rowErrors === null) return;
    this.any = true;
    this.queue.push({ row: this.rowNum, cells, cellErrors: this.rowErrors, long: this.rowLong });
    this.rowCells = [];
  }

  close(): void {
    this.book.zip.close();
  }
}
