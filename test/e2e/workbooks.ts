/**
 * A factory of workbooks for the tests of issue 16: .xlsx files built the way Excel and WPS
 * write them, from raw XML parts zipped with yazl, so that the importer is tested against the
 * shapes real programs produce, independently of salesops' own writer and reader
 * (src/io/xlsx). Also the files a clerk may hand over that are not a readable .xlsx: a CSV
 * renamed .xlsx, a Word file, an .ods, a Numbers file, an .xls and a password-protected
 * workbook (OLE2 compound files), a sheet of 16,384+ columns, a 1 MB cell, a zip bomb.
 *
 * Each shape names the program that writes it. "Excel" is Excel 2016–365 on Chinese Windows
 * (the 等线 font, 常规 as the name of the Normal style, phonetic properties on CJK strings);
 * "WPS" is WPS Office 表格 (宋体, `KSOProductBuildVer` 2052-… in docProps/custom.xml, the
 * `etc:` namespace of Kingsoft on every worksheet). Both always write a cell's `r`.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import yazl from 'yazl';

export type App = 'excel' | 'wps';

/**
 * How a date cell is formatted. Every date is stored as a number (a serial day in the
 * workbook's date system); only its style says it is a date.
 * - `short`: built-in format 14, what Excel and WPS give a cell typed as `2024/5/9` (shown
 *   `yyyy/m/d` in a Chinese locale)
 * - `slash`: the custom `yyyy/m/d;@` that Format Cells → Date → 2012/3/14 writes
 * - `datetime`: a custom `yyyy-mm-dd hh:mm` typed in Format Cells → Custom (Excel stores it
 *   escaped, `yyyy\-mm\-dd\ hh:mm`; WPS as typed)
 * - `datetime-builtin`: built-in 22, what a cell typed as `2024/7/3 8:30` gets
 * - `zh`: the custom `yyyy"年"m"月"d"日";@` of Format Cells → Date → 2012年3月14日
 * - `zh-builtin`: built-in 31, Chinese Excel's own 年月日 format, used without being
 *   declared in styles.xml (ids 27–36 and 50–58 depend on the locale)
 */
export type DateStyle = 'short' | 'slash' | 'datetime' | 'datetime-builtin' | 'zh' | 'zh-builtin';

/** `money`: built-in 4 `#,##0.00`; `percent`: built-in 10 `0.00%`; `integer`: built-in 1 `0` */
export type NumberStyle = 'general' | 'money' | 'percent' | 'integer';

/** `text`: built-in 49 `@`, a column formatted as Text before typing (phones, ids); `header`: bold; `title`: a bold 16 pt banner, centred */
export type TextStyle = 'general' | 'text' | 'header' | 'title';

export type ExcelError = '#N/A' | '#DIV/0!' | '#VALUE!' | '#REF!' | '#NAME?' | '#NUM!' | '#NULL!';

export interface Run {
  text: string;
  bold?: boolean;
  /** ARGB, as Excel writes it: `FFFF0000` */
  color?: string;
}

/**
 * One cell. `null`/`undefined` writes no cell at all (a gap in the row's `r` attributes, as
 * Excel writes an empty cell). A string is a text cell, shared or inline as the workbook's
 * `sharedStrings` says; a number is a number in the General format (a phone typed into a
 * General column is the number 13800138000); a boolean is `t="b"`.
 */
export type Cell =
  | null
  | undefined
  | string
  | number
  | boolean
  /** an ISO date `2024-05-09` or date-time `2024-07-03T08:30[:00]` */
  | { date: string; style?: DateStyle }
  /** a time of day `20:30`, built-in format 20 `h:mm`: what a cell typed as `20:30` gets */
  | { time: string }
  /**
   * a number with a format; a string is the exact text of `<v>`: Excel writes 17
   * significant digits where the shortest form would do (1234.56 → `1234.5599999999999`)
   */
  | { number: number | string; style?: NumberStyle }
  | { text: string; style?: TextStyle }
  /**
   * rich text: runs of their own font in one cell (a word made bold or red). `phonetic`
   * adds a phonetic run (`<rPh>`, Japanese furigana) whose text is not the cell's.
   */
  | { rich: Run[]; phonetic?: string }
  /**
   * a formula with the value Excel cached when it saved. `shared`: a formula filled down —
   * the first cell holds the text and the range (`ref`), the others only `si` and their
   * value (pass `formula: ''` for those)
   */
  | { formula: string; value: number | string | boolean | { error: ExcelError }; shared?: { si: number; ref?: string } }
  | { error: ExcelError }
  /** a cell with no value, only a style: what a formatted empty cell is */
  | { blank: true };

export interface SheetSpec {
  name: string;
  /** row i is the sheet's row i + 1; an empty (or all-null) row writes no `<row>`, as a skipped row */
  rows: Cell[][];
  /** `A1:H1`: written after sheetData, each covered cell an empty cell of the banner's style, as Excel does */
  merges?: string[];
  /** sheet row numbers (from 1) written `hidden="1"` */
  hiddenRows?: number[];
  /** `<autoFilter ref>` on the header row, with its `_xlnm._FilterDatabase` defined name, as Excel's Filter button writes */
  autoFilter?: string;
  /** a sheet tab hidden (right-click → Hide): `state="hidden"` */
  hidden?: boolean;
  /**
   * all columns formatted at once (select all, then a width or a font): one
   * `<col min="1" max="16384">`, which WPS also writes of its own. Not 16,384 columns of data.
   */
  allColumnsFormatted?: boolean;
}

export interface WorkbookSpec {
  sheets: SheetSpec[];
  /** true (default): strings in xl/sharedStrings.xml, as Excel and WPS write them. false: inline strings (`t="inlineStr"`), as Apache POI's streaming writer (SXSSF, behind many Java ERP/OA exports) writes them */
  sharedStrings?: boolean;
  /** the 1904 date system (`<workbookPr date1904="1"/>`): workbooks made with Excel for Mac 2008 and earlier keep it */
  date1904?: boolean;
  /** the program that wrote it; default Excel */
  app?: App;
  /**
   * sheet tabs moved after they were made: the first tab lives in the last sheetN.xml, with
   * the highest rId and sheetId (Excel keeps part names and ids when a tab is dragged)
   */
  tabsMoved?: boolean;
  /**
   * SpreadsheetML written with a namespace prefix (`<x:worksheet xmlns:x=…>`), as programs
   * built on the .NET Open XML SDK write it; no Excel or WPS particulars then
   */
  prefix?: string;
  /** relationship targets as absolute part names (`/xl/worksheets/sheet1.xml`), which OPC allows and some exporters write */
  absoluteTargets?: boolean;
}

const NS = {
  main: 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  r: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  pkgRels: 'http://schemas.openxmlformats.org/package/2006/relationships',
  mc: 'http://schemas.openxmlformats.org/markup-compatibility/2006',
  x14ac: 'http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac',
  xr: 'http://schemas.microsoft.com/office/spreadsheetml/2014/revision',
  xr2: 'http://schemas.microsoft.com/office/spreadsheetml/2015/revision2',
  xr3: 'http://schemas.microsoft.com/office/spreadsheetml/2016/revision3',
  xr6: 'http://schemas.microsoft.com/office/spreadsheetml/2016/revision6',
  xr10: 'http://schemas.microsoft.com/office/spreadsheetml/2016/revision10',
  x15: 'http://schemas.microsoft.com/office/spreadsheetml/2010/11/main',
  x15ac: 'http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac',
  x14: 'http://schemas.microsoft.com/office/spreadsheetml/2009/9/main',
  xdr: 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing',
  etc: 'http://www.wps.cn/officeDocument/2017/etCustomData',
  rel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
};
const REL = {
  officeDocument: `${NS.rel}/officeDocument`,
  worksheet: `${NS.rel}/worksheet`,
  styles: `${NS.rel}/styles`,
  sharedStrings: `${NS.rel}/sharedStrings`,
  theme: `${NS.rel}/theme`,
  extended: `${NS.rel}/extended-properties`,
  custom: `${NS.rel}/custom-properties`,
  core: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
};
const CT = {
  workbook: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  styles: 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml',
  sharedStrings: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml',
  theme: 'application/vnd.openxmlformats-officedocument.theme+xml',
  core: 'application/vnd.openxmlformats-package.core-properties+xml',
  extended: 'application/vnd.openxmlformats-officedocument.extended-properties+xml',
  custom: 'application/vnd.openxmlformats-officedocument.custom-properties+xml',
};
/** Excel begins every part with this declaration and a CRLF */
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
/** Excel writes every entry with the DOS epoch as its time */
const ZIP_TIME = new Date(1980, 0, 1);

export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `A` for 1, `XFD` for 16,384, `XFE` for 16,385 (past Excel's last column) */
export function columnName(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * The serial number of an ISO date or date-time in a date system. 1900: days since
 * 1899-12-30 from 1900-03-01 on; before it one day less, for the 29 February 1900 that Excel
 * counts (after Lotus 1-2-3). 1904: days since 1904-01-01. A time is the fraction of a day.
 */
export function excelSerial(iso: string, date1904 = false): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  const day = Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86_400_000;
  let serial = date1904 ? day - Date.UTC(1904, 0, 1) / 86_400_000 : day - Date.UTC(1899, 11, 30) / 86_400_000;
  if (!date1904 && serial < 61) serial -= 1;
  return serial + timeFraction(m[4] ? `${m[4]}:${m[5]}:${m[6] ?? '00'}` : '00:00');
}

function timeFraction(hms: string): number {
  const [h, mi, s = '0'] = hms.split(':');
  return (+h * 3600 + +mi * 60 + +s) / 86_400;
}

/** a number as Excel writes it in `<v>`: the shortest exact form, `E` in an exponent */
const numberText = (n: number): string => String(n).toUpperCase();

/** The styles of a workbook: one cellXfs entry per style a cell may ask for, Excel's or WPS's way. */
const XF = ['general', 'short', 'slash', 'datetime', 'datetime-builtin', 'zh', 'zh-builtin', 'time', 'money', 'percent', 'integer', 'text', 'header', 'title'] as const;
type XfName = (typeof XF)[number];
const xf = (name: XfName): number => XF.indexOf(name);

function stylesXml(app: App, prefix: string): string {
  // custom formats: Excel numbers them from 164; WPS after its own, from 176
  const base = app === 'wps' ? 176 : 164;
  const custom = [app === 'wps' ? 'yyyy/m/d' : 'yyyy/m/d;@', app === 'wps' ? 'yyyy-mm-dd hh:mm' : 'yyyy\\-mm\\-dd\\ hh:mm', 'yyyy"年"m"月"d"日";@'];
  const numFmtId: Record<XfName, number> = {
    general: 0,
    short: 14,
    slash: base,
    datetime: base + 1,
    'datetime-builtin': 22,
    zh: base + 2,
    'zh-builtin': 31,
    time: 20,
    money: 4,
    percent: 10,
    integer: 1,
    text: 49,
    header: 0,
    title: 0,
  };
  const font = app === 'wps' ? '<name val="宋体"/><charset val="134"/>' : '<name val="等线"/><family val="2"/><charset val="134"/>';
  // WPS declares the accounting formats 41–44 again, with its ￥
  const wpsBuiltins =
    app === 'wps'
      ? [
          [41, '_ * #,##0_ ;_ * \\-#,##0_ ;_ * "-"_ ;_ @_ '],
          [42, '_ "￥"* #,##0_ ;_ "￥"* \\-#,##0_ ;_ "￥"* "-"_ ;_ @_ '],
          [43, '_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ '],
          [44, '_ "￥"* #,##0.00_ ;_ "￥"* \\-#,##0.00_ ;_ "￥"* "-"??_ ;_ @_ '],
        ]
      : [];
  const fmts = [...wpsBuiltins, ...custom.map((code, i) => [base + i, code])] as [number, string][];
  const p = prefix ? `${prefix}:` : '';
  const xfs = XF.map((name) => {
    const fontId = name === 'header' ? 2 : name === 'title' ? 3 : 0;
    const applies = `${numFmtId[name] ? ' applyNumberFormat="1"' : ''}${fontId ? ' applyFont="1"' : ''}${name === 'title' ? ' applyAlignment="1"' : ''}`;
    const align = name === 'title' ? '<alignment horizontal="center" vertical="center"/>' : '<alignment vertical="center"/>';
    return `<${p}xf numFmtId="${numFmtId[name]}" fontId="${fontId}" fillId="0" borderId="0" xfId="0"${applies}>${prefix ? '' : align}</${p}xf>`;
  });
  if (prefix) {
    return (
      `${DECL}<${p}styleSheet xmlns:${prefix}="${NS.main}"><${p}numFmts count="${fmts.length}">${fmts.map(([id, code]) => `<${p}numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`).join('')}</${p}numFmts>` +
      `<${p}fonts count="4">${['', '', `<${p}b/>`, `<${p}b/><${p}sz val="16"/>`].map((f) => `<${p}font>${f}</${p}font>`).join('')}</${p}fonts>` +
      `<${p}fills count="1"><${p}fill><${p}patternFill patternType="none"/></${p}fill></${p}fills><${p}borders count="1"><${p}border/></${p}borders>` +
      `<${p}cellXfs count="${xfs.length}">${xfs.join('')}</${p}cellXfs></${p}styleSheet>`
    );
  }
  const head = app === 'wps' ? `<styleSheet xmlns="${NS.main}" xmlns:mc="${NS.mc}" mc:Ignorable="xr9" xmlns:xr9="http://schemas.microsoft.com/office/spreadsheetml/2016/revision9">` : `<styleSheet xmlns="${NS.main}" xmlns:mc="${NS.mc}" mc:Ignorable="x14ac x16r2 xr" xmlns:x14ac="${NS.x14ac}" xmlns:x16r2="http://schemas.microsoft.com/office/spreadsheetml/2015/02/main" xmlns:xr="${NS.xr}">`;
  return (
    DECL +
    head +
    `<numFmts count="${fmts.length}">${fmts.map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`).join('')}</numFmts>` +
    `<fonts count="4"${app === 'excel' ? ' x14ac:knownFonts="1"' : ''}>` +
    `<font><sz val="11"/><color theme="1"/>${font}<scheme val="minor"/></font>` +
    // font 1: the phonetic font Excel's phoneticPr refers to
    `<font><sz val="9"/>${font.replace('<family val="2"/>', '<family val="3"/>')}<scheme val="minor"/></font>` +
    `<font><b/><sz val="11"/><color theme="1"/>${font}<scheme val="minor"/></font>` +
    `<font><b/><sz val="16"/><color theme="1"/>${font}<scheme val="minor"/></font></fonts>` +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"><alignment vertical="center"/></xf></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>' +
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
  );
}

/** xl/sharedStrings.xml as it fills: Excel and WPS share equal plain strings, never rich ones. */
class SharedStrings {
  private readonly items: string[] = [];
  private readonly index = new Map<string, number>();
  count = 0;
  constructor(
    private readonly app: App,
    private readonly prefix: string,
  ) {}

  plain(text: string): number {
    this.count++;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.items.push(`<${this.p}si>${tXml(text, this.p)}${this.phoneticPr(text)}</${this.p}si>`) - 1;
      this.index.set(text, i);
    }
    return i;
  }

  rich(runs: Run[], phonetic?: string): number {
    this.count++;
    const text = runs.map((r) => r.text).join('');
    const rPh = phonetic ? `<${this.p}rPh sb="0" eb="${text.length}">${tXml(phonetic, this.p)}</${this.p}rPh>` : '';
    return this.items.push(`<${this.p}si>${runsXml(runs, this.app, this.p)}${rPh}${this.phoneticPr(text, Boolean(phonetic))}</${this.p}si>`) - 1;
  }

  xml(): string {
    const p = this.p;
    return `${DECL}<${p}sst xmlns${this.prefix ? `:${this.prefix}` : ''}="${NS.main}" count="${this.count}" uniqueCount="${this.items.length}">${this.items.join('')}</${p}sst>`;
  }

  private get p(): string {
    return this.prefix ? `${this.prefix}:` : '';
  }

  /** Chinese Excel adds phonetic properties to every string it took from an input method */
  private phoneticPr(text: string, always = false): string {
    return this.app === 'excel' && !this.prefix && (always || /[\u3000-\u9fff\uff00-\uffef]/.test(text)) ? '<phoneticPr fontId="1" type="noConversion"/>' : '';
  }
}

function tXml(text: string, p: string): string {
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<${p}t${space}>${escapeXml(text)}</${p}t>`;
}

function runsXml(runs: Run[], app: App, p: string): string {
  const font = app === 'wps' ? '<rFont val="宋体"/><charset val="134"/>' : '<rFont val="等线"/><family val="3"/><charset val="134"/>';
  return runs
    .map((r) => {
      const props = p ? '' : `<rPr>${r.bold ? '<b/>' : ''}<sz val="11"/><color ${r.color ? `rgb="${r.color}"` : 'theme="1"'}/>${font}<scheme val="minor"/></rPr>`;
      return `<${p}r>${props}${tXml(r.text, p)}</${p}r>`;
    })
    .join('');
}

interface SheetContext {
  app: App;
  prefix: string;
  strings: SharedStrings | null;
  date1904: boolean;
}

/** A cell's XML (`s` forced by a merge over it), or '' for none. */
function cellXml(ref: string, cell: Cell, ctx: SheetContext, style?: number): string {
  const p = ctx.prefix ? `${ctx.prefix}:` : '';
  const c = (attrs: string, inner: string, xfName?: XfName) => {
    const s = style ?? (xfName ? xf(xfName) : 0);
    return `<${p}c r="${ref}"${s ? ` s="${s}"` : ''}${attrs}>${inner}</${p}c>`;
  };
  const v = (text: string) => `<${p}v>${escapeXml(text)}</${p}v>`;
  const text = (s: string, xfName?: XfName) => (ctx.strings ? c(' t="s"', v(String(ctx.strings.plain(s))), xfName) : c(' t="inlineStr"', `<${p}is>${tXml(s, p)}</${p}is>`, xfName));
  if (cell === null || cell === undefined) return style ? `<${p}c r="${ref}" s="${style}"/>` : '';
  if (typeof cell === 'string') return text(cell);
  if (typeof cell === 'number') return c('', v(numberText(cell)));
  if (typeof cell === 'boolean') return c(' t="b"', v(cell ? '1' : '0'));
  if ('date' in cell) return c('', v(numberText(excelSerial(cell.date, ctx.date1904))), cell.style ?? 'short');
  if ('time' in cell) return c('', v(numberText(timeFraction(cell.time))), 'time');
  if ('number' in cell) return c('', v(typeof cell.number === 'number' ? numberText(cell.number) : cell.number), cell.style ?? 'general');
  if ('text' in cell) return text(cell.text, cell.style ?? 'general');
  if ('rich' in cell) {
    if (ctx.strings) return c(' t="s"', v(String(ctx.strings.rich(cell.rich, cell.phonetic))));
    return c(' t="inlineStr"', `<${p}is>${runsXml(cell.rich, ctx.app, p)}</${p}is>`);
  }
  if ('formula' in cell) {
    const value = cell.value;
    const f = cell.shared
      ? cell.formula
        ? `<${p}f t="shared"${cell.shared.ref ? ` ref="${cell.shared.ref}"` : ''} si="${cell.shared.si}">${escapeXml(cell.formula)}</${p}f>`
        : `<${p}f t="shared" si="${cell.shared.si}"/>`
      : `<${p}f>${escapeXml(cell.formula)}</${p}f>`;
    if (typeof value === 'number') return c('', f + v(numberText(value)));
    if (typeof value === 'string') return c(' t="str"', f + v(value));
    if (typeof value === 'boolean') return c(' t="b"', f + v(value ? '1' : '0'));
    return c(' t="e"', f + v(value.error));
  }
  if ('error' in cell) return c(' t="e"', v(cell.error));
  return `<${p}c r="${ref}"${style ? ` s="${style}"` : ''}/>`;
}

function parseRange(range: string): { c1: number; r1: number; c2: number; r2: number } {
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(range);
  if (!m) throw new Error(`not a range: ${range}`);
  const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { c1: col(m[1]), r1: +m[2], c2: col(m[3] ?? m[1]), r2: +(m[4] ?? m[2]) };
}

/** The style of a cell as the merge writer needs it: the xf its XML carries. */
function styleOf(cell: Cell): number {
  if (cell && typeof cell === 'object') {
    if ('date' in cell) return xf(cell.style ?? 'short');
    if ('text' in cell || 'number' in cell) return xf(cell.style ?? 'general');
    if ('time' in cell) return xf('time');
  }
  return 0;
}

function sheetXml(sheet: SheetSpec, index: number, ctx: SheetContext): string {
  const p = ctx.prefix ? `${ctx.prefix}:` : '';
  // the cells a merge covers, written empty in the style of its top-left cell
  const covered = new Map<string, number>();
  for (const m of sheet.merges ?? []) {
    const { c1, r1, c2, r2 } = parseRange(m);
    const style = styleOf(sheet.rows[r1 - 1]?.[c1 - 1]);
    for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) if (r !== r1 || c !== c1) covered.set(`${r}:${c}`, style);
  }
  const hidden = new Set(sheet.hiddenRows ?? []);
  const rowCount = Math.max(sheet.rows.length, ...[...covered.keys()].map((k) => +k.split(':')[0]), ...hidden);
  let minC = Infinity;
  let maxC = 0;
  let minR = Infinity;
  let maxR = 0;
  const rows: string[] = [];
  for (let r = 1; r <= rowCount; r++) {
    const cells = sheet.rows[r - 1] ?? [];
    const width = Math.max(cells.length, ...[...covered.keys()].filter((k) => +k.split(':')[0] === r).map((k) => +k.split(':')[1]));
    const xml: string[] = [];
    let first = 0;
    let last = 0;
    for (let c = 1; c <= width; c++) {
      const cx = cellXml(columnName(c) + r, cells[c - 1], ctx, covered.get(`${r}:${c}`));
      if (!cx) continue;
      xml.push(cx);
      first ||= c;
      last = c;
    }
    if (xml.length === 0 && !hidden.has(r)) continue;
    if (xml.length) {
      minC = Math.min(minC, first);
      maxC = Math.max(maxC, last);
      minR = Math.min(minR, r);
      maxR = r;
    }
    const spans = !ctx.prefix && xml.length ? ` spans="${first}:${last}"` : '';
    const hid = hidden.has(r) ? ' hidden="1"' : '';
    const dy = ctx.app === 'excel' && !ctx.prefix ? ' x14ac:dyDescent="0.25"' : '';
    rows.push(xml.length ? `<${p}row r="${r}"${spans}${hid}${dy}>${xml.join('')}</${p}row>` : `<${p}row r="${r}"${hid}${dy}/>`);
  }
  const sheetData = rows.length ? `<${p}sheetData>${rows.join('')}</${p}sheetData>` : `<${p}sheetData/>`;
  const merges = sheet.merges?.length ? `<${p}mergeCells count="${sheet.merges.length}">${sheet.merges.map((m) => `<${p}mergeCell ref="${m}"/>`).join('')}</${p}mergeCells>` : '';
  const filter = sheet.autoFilter ? `<${p}autoFilter ref="${sheet.autoFilter}"${ctx.app === 'wps' && !ctx.prefix ? ' etc:filterBottomFollowUsedRange="0"' : ''}/>` : '';
  if (ctx.prefix) return `${DECL}<${p}worksheet xmlns:${ctx.prefix}="${NS.main}" xmlns:r="${NS.r}">${sheetData}${filter}${merges}</${p}worksheet>`;
  const dimension = maxR ? `${columnName(minC)}${minR}:${columnName(maxC)}${maxR}` : 'A1';
  const view = `<sheetViews><sheetView${index === 0 ? ' tabSelected="1"' : ''} workbookViewId="0"><selection activeCell="A1" sqref="A1"/></sheetView></sheetViews>`;
  if (ctx.app === 'wps') {
    const cols = `<cols><col min="1" max="${sheet.allColumnsFormatted ? 16384 : Math.max(1, maxC)}" width="9" style="0"/></cols>`;
    return (
      DECL +
      `<worksheet xmlns="${NS.main}" xmlns:r="${NS.r}" xmlns:xdr="${NS.xdr}" xmlns:x14="${NS.x14}" xmlns:mc="${NS.mc}" xmlns:etc="${NS.etc}">` +
      `<sheetPr/><dimension ref="${dimension}"/>${view}<sheetFormatPr defaultColWidth="9" defaultRowHeight="13.5"/>${cols}${sheetData}${filter}${merges}` +
      '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/><headerFooter/></worksheet>'
    );
  }
  const cols = sheet.allColumnsFormatted ? '<cols><col min="1" max="16384" width="12.6640625" customWidth="1"/></cols>' : '';
  return (
    DECL +
    `<worksheet xmlns="${NS.main}" xmlns:r="${NS.r}" xmlns:mc="${NS.mc}" mc:Ignorable="x14ac xr xr2 xr3" xmlns:x14ac="${NS.x14ac}" xmlns:xr="${NS.xr}" xmlns:xr2="${NS.xr2}" xmlns:xr3="${NS.xr3}" xr:uid="{00000000-0001-0000-${String(index).padStart(4, '0')}-000000000000}">` +
    `<dimension ref="${dimension}"/>${view}<sheetFormatPr defaultRowHeight="14" x14ac:dyDescent="0.25"/>${cols}${sheetData}${filter}${merges}` +
    '<phoneticPr fontId="1" type="noConversion"/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
  );
}

/** Where each sheet of the spec lives: its part number (sheetN.xml, rIdN, sheetId N). */
function sheetNumbers(spec: WorkbookSpec): number[] {
  const n = spec.sheets.length;
  return spec.sheets.map((_, i) => (spec.tabsMoved ? n - i : i + 1));
}

function workbookXml(spec: WorkbookSpec, app: App): string {
  const numbers = sheetNumbers(spec);
  const prefix = spec.prefix ?? '';
  const p = prefix ? `${prefix}:` : '';
  const sheets = spec.sheets.map((s, i) => `<${p}sheet name="${escapeXml(s.name)}" sheetId="${numbers[i]}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${numbers[i]}"/>`).join('');
  const filters = spec.sheets.flatMap((s, i) => (s.autoFilter ? [`<${p}definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${quoteSheet(s.name)}!${absolute(s.autoFilter)}</${p}definedName>`] : []));
  const definedNames = filters.length ? `<${p}definedNames>${filters.join('')}</${p}definedNames>` : '';
  const pr1904 = spec.date1904 ? ' date1904="1"' : '';
  if (prefix) return `${DECL}<${p}workbook xmlns:${prefix}="${NS.main}" xmlns:r="${NS.r}">${spec.date1904 ? `<${p}workbookPr date1904="1"/>` : ''}<${p}sheets>${sheets}</${p}sheets>${definedNames}</${p}workbook>`;
  if (app === 'wps') {
    return (
      DECL +
      `<workbook xmlns="${NS.main}" xmlns:r="${NS.r}"><fileVersion appName="xl" lastEdited="3" lowestEdited="5" rupBuild="9302"/><workbookPr${pr1904}/>` +
      `<bookViews><workbookView windowWidth="28125" windowHeight="12540"/></bookViews><sheets>${sheets}</sheets>${definedNames}<calcPr calcId="144525"/></workbook>`
    );
  }
  return (
    DECL +
    `<workbook xmlns="${NS.main}" xmlns:r="${NS.r}" xmlns:mc="${NS.mc}" mc:Ignorable="x15 xr xr6 xr10 xr2" xmlns:x15="${NS.x15}" xmlns:xr="${NS.xr}" xmlns:xr6="${NS.xr6}" xmlns:xr10="${NS.xr10}" xmlns:xr2="${NS.xr2}">` +
    `<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/><workbookPr${pr1904} defaultThemeVersion="166925"/>` +
    // where the file was saved: an element of another namespace inside the workbook
    `<mc:AlternateContent xmlns:mc="${NS.mc}"><mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\刘芳\\Desktop\\" xmlns:x15ac="${NS.x15ac}"/></mc:Choice></mc:AlternateContent>` +
    '<xr:revisionPtr revIDLastSave="0" documentId="13_ncr:1_{6F3D4D8B-4C8E-4A55-9E4C-2D7A3B1C0F11}" xr6:coauthVersionLast="47" xr6:coauthVersionMax="47" xr10:uidLastSave="{00000000-0000-0000-0000-000000000000}"/>' +
    `<bookViews><workbookView xWindow="-110" yWindow="-110" windowWidth="25820" windowHeight="15500" xr2:uid="{6A1B6F7E-2F36-4E6B-8D6F-3C2B1D0E9A87}"/></bookViews><sheets>${sheets}</sheets>${definedNames}<calcPr calcId="191029"/></workbook>`
  );
}

const quoteSheet = (name: string): string => (/^[\p{L}_][\p{L}\p{N}_.]*$/u.test(name) ? name : `'${name.replace(/'/g, "''")}'`);
const absolute = (range: string): string => range.replace(/([A-Z]+)(\d+)/g, '$$$1$$$2');

function relsXml(rels: [id: string, type: string, target: string][]): string {
  return `${DECL}<Relationships xmlns="${NS.pkgRels}">${rels.map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${escapeXml(target)}"/>`).join('')}</Relationships>`;
}

function appXml(spec: WorkbookSpec, app: App): string {
  const titles = `<TitlesOfParts><vt:vector size="${spec.sheets.length}" baseType="lpstr">${spec.sheets.map((s) => `<vt:lpstr>${escapeXml(s.name)}</vt:lpstr>`).join('')}</vt:vector></TitlesOfParts>`;
  const heading = `<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>工作表</vt:lpstr></vt:variant><vt:variant><vt:i4>${spec.sheets.length}</vt:i4></vt:variant></vt:vector></HeadingPairs>`;
  const open = `${DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">`;
  if (app === 'wps') return `${open}<Application>WPS 表格</Application>${heading}${titles}</Properties>`;
  return `${open}<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>${heading}${titles}<Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>`;
}

function coreXml(app: App): string {
  const who = app === 'wps' ? 'WPS_1646793251' : '刘芳';
  return (
    DECL +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:creator>${who}</dc:creator><cp:lastModifiedBy>${who}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2024-05-09T01:12:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2024-05-10T08:30:00Z</dcterms:modified></cp:coreProperties>`
  );
}

/** docProps/custom.xml of WPS: its build (2052 = zh-CN) and a document id */
const WPS_CUSTOM =
  DECL +
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' +
  '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer"><vt:lpwstr>2052-11.1.0.14309</vt:lpwstr></property>' +
  '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="ICV"><vt:lpwstr>3D3104DE13954D2088C3AB089CA30F63_12</vt:lpwstr></property></Properties>';

/** a theme part as short as a valid one may be (Excel's runs to 7 KB of colours and fonts); WPS's fonts are 宋体 */
const theme = (app: App): string => (app === 'wps' ? THEME.replace(/等线( Light)?/g, '宋体') : THEME);
const THEME =
  DECL +
  '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office 主题"><a:themeElements><a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2><a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4><a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6><a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme>' +
  '<a:fontScheme name="Office"><a:majorFont><a:latin typeface="等线 Light"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="等线"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>' +
  '<a:fmtScheme name="Office"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>';

/** The parts of a workbook in the order Excel zips them (the shared strings after the sheets). */
export function workbookParts(spec: WorkbookSpec): [name: string, xml: string][] {
  const app = spec.app ?? 'excel';
  const prefix = spec.prefix ?? '';
  const strings = spec.sharedStrings === false ? null : new SharedStrings(app, prefix);
  const numbers = sheetNumbers(spec);
  const target = (t: string) => (spec.absoluteTargets ? `/xl/${t}` : t);
  const sheets: [string, string][] = [];
  spec.sheets.forEach((sheet, i) => {
    sheets[numbers[i] - 1] = [`xl/worksheets/sheet${numbers[i]}.xml`, sheetXml(sheet, i, { app, prefix, strings, date1904: Boolean(spec.date1904) })];
  });
  const n = spec.sheets.length;
  const wbRels: [string, string, string][] = sheets.map((_, i) => [`rId${i + 1}`, REL.worksheet, target(`worksheets/sheet${i + 1}.xml`)]);
  wbRels.push([`rId${n + 1}`, REL.theme, target('theme/theme1.xml')], [`rId${n + 2}`, REL.styles, target('styles.xml')]);
  if (strings) wbRels.push([`rId${n + 3}`, REL.sharedStrings, target('sharedStrings.xml')]);
  const rootRels: [string, string, string][] = [
    ['rId3', REL.extended, 'docProps/app.xml'],
    ['rId2', REL.core, 'docProps/core.xml'],
    ['rId1', REL.officeDocument, spec.absoluteTargets ? '/xl/workbook.xml' : 'xl/workbook.xml'],
  ];
  if (app === 'wps') rootRels.push(['rId4', REL.custom, 'docProps/custom.xml']);
  const overrides: [string, string][] = [
    ['/xl/workbook.xml', CT.workbook],
    ...sheets.map(([name]): [string, string] => [`/${name}`, CT.worksheet]),
    ['/xl/theme/theme1.xml', CT.theme],
    ['/xl/styles.xml', CT.styles],
    ...(strings ? [['/xl/sharedStrings.xml', CT.sharedStrings] as [string, string]] : []),
    ['/docProps/core.xml', CT.core],
    ['/docProps/app.xml', CT.extended],
    ...(app === 'wps' ? [['/docProps/custom.xml', CT.custom] as [string, string]] : []),
  ];
  const types =
    `${DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
    `${overrides.map(([part, type]) => `<Override PartName="${escapeXml(part)}" ContentType="${type}"/>`).join('')}</Types>`;
  // the sheets are written before the shared strings part, which only then is complete
  return [
    ['[Content_Types].xml', types],
    ['_rels/.rels', relsXml(rootRels)],
    ['xl/workbook.xml', workbookXml(spec, app)],
    ['xl/_rels/workbook.xml.rels', relsXml(wbRels)],
    ...sheets,
    ['xl/theme/theme1.xml', theme(app)],
    ['xl/styles.xml', stylesXml(app, prefix)],
    ...(strings ? [['xl/sharedStrings.xml', strings.xml()] as [string, string]] : []),
    ['docProps/core.xml', coreXml(app)],
    ['docProps/app.xml', appXml(spec, app)],
    ...(app === 'wps' ? [['docProps/custom.xml', WPS_CUSTOM] as [string, string]] : []),
  ];
}

/** A zip of `entries` (deflated, unless `stored`), in that order, as one Buffer. */
export function zip(entries: [name: string, data: string | Buffer][], opts: { stored?: string[] } = {}): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, data] of entries) {
    const stored = opts.stored?.includes(name);
    z.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'), name, { mtime: ZIP_TIME, compress: !stored, forceDosTimestamp: true });
  }
  z.end();
  return collect(z.outputStream);
}

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The .xlsx of `spec`. */
export function workbook(spec: WorkbookSpec): Promise<Buffer> {
  return zip(workbookParts(spec));
}

/** Writes the .xlsx of `spec` to `file`; returns `file`. */
export async function writeWorkbook(file: string, spec: WorkbookSpec): Promise<string> {
  fs.writeFileSync(file, await workbook(spec));
  return file;
}

// ---------------------------------------------------------------------------------------
// A sheet as an office hands it over

/**
 * A survey sheet as a clerk keeps it (issue 16, "title rows"): a merged banner over the
 * header, a note row, a blank row, then the header (row 4) and the data, with the phone a
 * number in a General column, the date a date cell, one row hidden (row 7, imported like any
 * other) and an auto-filter on the header. Collectors are the harness roster's reps.
 */
export function officeSurveySheet(name = '5月调查'): SheetSpec {
  return {
    name,
    rows: [
      [{ text: '中老年健康调查表（5月）', style: 'title' }],
      ['填表说明：电话填 11 位手机号；日期按 年/月/日 填写'],
      [],
      ['问卷号', '客户姓名', '性别', '年龄', '手机号码', '家庭地址', '采集人', '调查日期'].map((h) => ({ text: h, style: 'header' as const })),
      ['Q1', '冯明', '男', 68, 13857903456, '浙江省金华市浦江县和平路 1 号', '刘芳', { date: '2024-05-09' }],
      ['Q2', '王兰', '女', 70, 13857903457, '浙江省金华市浦江县和平路 2 号', '刘芳', { date: '2024-05-09', style: 'zh' }],
      ['Q3', '李强', '男', 72, 13857903458, '浙江省金华市浦江县和平路 3 号', '杨洋', { date: '2024-05-10', style: 'slash' }],
      ['Q4', '赵丽', '女', 66, { text: '13857903459', style: 'text' }, '浙江省金华市浦江县和平路 4 号', '杨洋', { date: '2024-05-10T09:30', style: 'datetime' }],
    ],
    merges: ['A1:H1', 'A2:H2'],
    hiddenRows: [7],
    autoFilter: 'A4:H8',
  };
}

// ---------------------------------------------------------------------------------------
// Bad inputs

/** A CSV renamed .xlsx: text, not a zip (what "rename to .xlsx" gives a clerk). */
export function csvRenamedXlsx(text = '问卷号,客户姓名,手机号码,采集人,调查日期\nQ1,冯明,13857903456,刘芳,2024-05-09\n'): Buffer {
  return Buffer.from(text, 'utf8');
}

/** A zip that is not a workbook: a Word document (.docx) renamed .xlsx. */
export function zipNotWorkbook(): Promise<Buffer> {
  return zip([
    [
      '[Content_Types].xml',
      `${DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    ],
    ['_rels/.rels', relsXml([['rId1', REL.officeDocument, 'word/document.xml']])],
    ['word/document.xml', `${DECL}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>中老年健康调查表</w:t></w:r></w:p></w:body></w:document>`],
  ]);
}

/**
 * An OpenDocument spreadsheet as LibreOffice Calc (or WPS "save as .ods") writes it: first
 * the entry `mimetype`, stored, no extra field, holding its media type (ODF 1.2 part 3 §3.3).
 */
export function odsFile(): Promise<Buffer> {
  const office = 'urn:oasis:names:tc:opendocument:xmlns:office:1.0';
  return zip(
    [
      ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'],
      [
        'content.xml',
        `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="${office}" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string"><text:p>客户姓名</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`,
      ],
      [
        'META-INF/manifest.xml',
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
      ],
    ],
    { stored: ['mimetype'] },
  );
}

/** A Numbers file (Numbers 2013 and later): a zip of .iwa parts, no XML at all. */
export function numbersFile(): Promise<Buffer> {
  return zip([
    ['Index/Document.iwa', Buffer.from([0x00, 0x2a, 0x00, 0x00, 0x08, 0x01, 0x12, 0x04])],
    ['Index/Tables/DataList.iwa', Buffer.from([0x00, 0x10, 0x00, 0x00])],
    ['Metadata/Properties.plist', '<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>isMultiPage</key><false/></dict></plist>'],
    ['Metadata/DocumentIdentifier', '6B2B0D8C-3C43-4C6A-9E0C-1F2A3B4C5D6E'],
    ['preview.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9])],
  ]);
}

/** A workbook with one sheet and nothing on it: Excel writes `<dimension ref="A1"/>` and an empty sheetData. */
export function emptySheet(app: App = 'excel'): WorkbookSpec {
  return { app, sheets: [{ name: 'Sheet1', rows: [] }] };
}

/**
 * A survey sheet of `columns` columns: the survey's own header in A–E, then a header cell in
 * every column up to the last (16,384 reaches XFD, Excel's last column; more names columns
 * no program can have, XFE1…), and one row of data. Read as it stands it would import.
 */
export function wideSheet(columns = 16_384): WorkbookSpec {
  const header = ['客户姓名', '手机号码', '家庭地址', '采集人', '调查日期'];
  for (let c = header.length + 1; c <= columns; c++) header.push(`列${c}`);
  return { sheets: [{ name: 'Sheet1', rows: [header, ['冯明', 13857903456, '浙江省金华市浦江县', '刘芳', { date: '2024-05-09' }]] }] };
}

/** A survey sheet with one cell of `bytes` characters (1 MB: far past what a cell holds, 32,767 in Excel). */
export function bigCellSheet(bytes = 1 << 20, sharedStrings = true): WorkbookSpec {
  return {
    sharedStrings,
    sheets: [
      {
        name: 'Sheet1',
        rows: [
          ['客户姓名', '手机号码', '家庭地址', '采集人', '调查日期'],
          ['冯明', 13857903456, 'x'.repeat(bytes), '刘芳', { date: '2024-05-09' }],
        ],
      },
    ],
  };
}

/**
 * A zip bomb written to `file`: an otherwise ordinary workbook whose sheet is a header, one
 * row, then `bytes` of whitespace between the rows (legal XML that any streaming parser
 * passes over), deflated as it is made 64 KiB at a time: the sheet is never held whole,
 * only the small zip. One byte repeated deflates about 1,030 times: 1 GiB (the default)
 * makes a file of about 1 MB, in about 5 s. `lie`:
 * the central directory declares 100 KB for the sheet, as a crafted bomb does, so only what
 * the inflater gives out can tell (under 4 GiB, where zip64 fields would be needed).
 */
export async function zipBomb(file: string, opts: { bytes?: number; lie?: boolean } = {}): Promise<string> {
  const bytes = opts.bytes ?? 1024 ** 3;
  if (opts.lie && bytes >= 0xffffffff) throw new Error('a lying bomb is limited to 4 GiB');
  const parts = workbookParts({ sheets: [{ name: 'Sheet1', rows: [['客户姓名', '手机号码'], ['冯明', 13857903456]] }] });
  const sheetName = 'xl/worksheets/sheet1.xml';
  const sheet = parts.find(([name]) => name === sheetName)![1];
  const cut = sheet.indexOf('</sheetData>');
  const z = new yazl.ZipFile();
  for (const [name, xml] of parts) {
    if (name !== sheetName) {
      z.addBuffer(Buffer.from(xml, 'utf8'), name, { mtime: ZIP_TIME, forceDosTimestamp: true });
      continue;
    }
    z.addReadStreamLazy(name, { mtime: ZIP_TIME, forceDosTimestamp: true, compressionLevel: 9 }, (cb) => cb(null, filler(Buffer.from(sheet.slice(0, cut)), bytes, Buffer.from(sheet.slice(cut)))));
  }
  z.end();
  const out = await collect(z.outputStream);
  if (opts.lie) declareSize(out, sheetName, 100_000);
  fs.writeFileSync(file, out);
  return file;
}

/** `head`, `size` spaces made 64 KiB at a time, then `tail`. */
function filler(head: Buffer, size: number, tail: Buffer): Readable {
  const spaces = Buffer.alloc(1 << 16, 0x20);
  let left = size;
  let started = false;
  return new Readable({
    read() {
      if (!started) {
        started = true;
        this.push(head);
      } else if (left > 0) {
        const n = Math.min(left, spaces.length);
        left -= n;
        this.push(n === spaces.length ? spaces : spaces.subarray(0, n));
      } else {
        this.push(tail);
        this.push(null);
      }
    },
  });
}

/** Overwrites the uncompressed size the central directory declares for entry `name`. */
function declareSize(zipBytes: Buffer, name: string, size: number): void {
  const end = zipBytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = zipBytes.readUInt32LE(end + 16);
  while (zipBytes.readUInt32LE(p) === 0x02014b50) {
    const nameLength = zipBytes.readUInt16LE(p + 28);
    if (zipBytes.toString('utf8', p + 46, p + 46 + nameLength) === name) {
      zipBytes.writeUInt32LE(size, p + 24);
      return;
    }
    p += 46 + nameLength + zipBytes.readUInt16LE(p + 30) + zipBytes.readUInt16LE(p + 32);
  }
  throw new Error(`no entry ${name}`);
}

// ---------------------------------------------------------------------------------------
// OLE2 compound files ([MS-CFB]): .xls, WPS .et and password-protected workbooks

const SECTOR = 512;
const MINI_SECTOR = 64;
const MINI_CUTOFF = 4096;
const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;
const FATSECT = 0xfffffffd;
const NOSTREAM = 0xffffffff;

/**
 * A valid compound file (version 3, 512-byte sectors) holding `streams` under its root:
 * streams under 4,096 bytes in the mini stream, as the format requires, the others in
 * sectors of their own. Enough for a reader to find the streams by name; not an Office
 * document inside.
 */
export function compoundFile(streams: { name: string; data: Buffer }[]): Buffer {
  const small = streams.filter((s) => s.data.length < MINI_CUTOFF);
  const large = streams.filter((s) => s.data.length >= MINI_CUTOFF);
  const sectors = (n: number, size = SECTOR) => Math.ceil(n / size);
  // the mini stream: each small stream from a 64-byte boundary, chained in the mini FAT
  const miniFat: number[] = [];
  const miniStart = new Map<string, number>();
  for (const s of small) {
    const first = miniFat.length;
    const count = Math.max(1, sectors(s.data.length, MINI_SECTOR));
    for (let i = 0; i < count; i++) miniFat.push(i === count - 1 ? ENDOFCHAIN : first + i + 1);
    miniStart.set(s.name, first);
  }
  const miniStream = Buffer.alloc(miniFat.length * MINI_SECTOR);
  for (const s of small) s.data.copy(miniStream, miniStart.get(s.name)! * MINI_SECTOR);
  const dirSectors = sectors((streams.length + 1) * 128);
  const miniFatSectors = sectors(miniFat.length * 4);
  const miniStreamSectors = sectors(miniStream.length);
  const dataSectors = large.reduce((n, s) => n + sectors(s.data.length), 0);
  let fatSectors = 1;
  while (fatSectors * (SECTOR / 4) < fatSectors + dirSectors + miniFatSectors + miniStreamSectors + dataSectors) fatSectors++;
  if (fatSectors > 109) throw new Error('too large for a compound file without DIFAT sectors');

  const fat: number[] = [];
  const chain = (count: number): number => {
    const first = fat.length;
    for (let i = 0; i < count; i++) fat.push(i === count - 1 ? ENDOFCHAIN : first + i + 1);
    return count ? first : ENDOFCHAIN;
  };
  for (let i = 0; i < fatSectors; i++) fat.push(FATSECT);
  const dirStart = chain(dirSectors);
  const miniFatStart = chain(miniFatSectors);
  const miniStreamStart = chain(miniStreamSectors);
  const largeStart = new Map(large.map((s) => [s.name, chain(sectors(s.data.length))]));

  const header = Buffer.alloc(SECTOR);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x003e, 0x18); // minor version
  header.writeUInt16LE(0x0003, 0x1a); // major version 3: 512-byte sectors
  header.writeUInt16LE(0xfffe, 0x1c); // little-endian
  header.writeUInt16LE(9, 0x1e); // sector shift
  header.writeUInt16LE(6, 0x20); // mini sector shift
  header.writeUInt32LE(fatSectors, 0x2c);
  header.writeUInt32LE(dirStart, 0x30);
  header.writeUInt32LE(MINI_CUTOFF, 0x38);
  header.writeUInt32LE(miniFatSectors ? miniFatStart : ENDOFCHAIN, 0x3c);
  header.writeUInt32LE(miniFatSectors, 0x40);
  header.writeUInt32LE(ENDOFCHAIN, 0x44); // no DIFAT sectors
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i < fatSectors ? i : FREESECT, 0x4c + i * 4);

  // the directory: the root, then the streams as a balanced binary search tree under it
  // (compared by length, then case-blind, [MS-CFB] §2.6.4), every node black: readers find
  // streams by walking it and do not check the colours
  const ordered = [...streams].sort((a, b) => a.name.length - b.name.length || (a.name.toUpperCase() < b.name.toUpperCase() ? -1 : 1));
  const dir = Buffer.alloc(dirSectors * SECTOR);
  const entry = (i: number, name: string, type: number, left: number, right: number, child: number, start: number, size: number) => {
    const at = i * 128;
    dir.write(name, at, 'utf16le');
    dir.writeUInt16LE((name.length + 1) * 2, at + 0x40);
    dir[at + 0x42] = type;
    dir[at + 0x43] = 1; // black
    dir.writeUInt32LE(left, at + 0x44);
    dir.writeUInt32LE(right, at + 0x48);
    dir.writeUInt32LE(child, at + 0x4c);
    dir.writeUInt32LE(start, at + 0x74);
    dir.writeBigUInt64LE(BigInt(size), at + 0x78);
  };
  const tree = (lo: number, hi: number): number => {
    if (lo > hi) return NOSTREAM;
    const mid = (lo + hi) >> 1;
    const left = tree(lo, mid - 1);
    const right = tree(mid + 1, hi);
    const s = ordered[mid];
    const start = s.data.length < MINI_CUTOFF ? miniStart.get(s.name)! : largeStart.get(s.name)!;
    entry(mid + 1, s.name, 2, left, right, NOSTREAM, start, s.data.length);
    return mid + 1;
  };
  const top = tree(0, ordered.length - 1);
  entry(0, 'Root Entry', 5, NOSTREAM, NOSTREAM, top, miniStream.length ? miniStreamStart : ENDOFCHAIN, miniStream.length);
  for (let i = ordered.length + 1; i < dirSectors * 4; i++) {
    dir.writeUInt32LE(NOSTREAM, i * 128 + 0x44);
    dir.writeUInt32LE(NOSTREAM, i * 128 + 0x48);
    dir.writeUInt32LE(NOSTREAM, i * 128 + 0x4c);
  }

  const fatBytes = Buffer.alloc(fatSectors * SECTOR, 0xff);
  fat.forEach((v, i) => fatBytes.writeUInt32LE(v, i * 4));
  const miniFatBytes = Buffer.alloc(miniFatSectors * SECTOR, 0xff);
  miniFat.forEach((v, i) => miniFatBytes.writeUInt32LE(v, i * 4));
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc(sectors(b.length) * SECTOR - b.length)]);
  return Buffer.concat([header, fatBytes, dir, miniFatBytes, pad(miniStream), ...large.map((s) => pad(s.data))]);
}

/**
 * An .xlsx saved with a password to open, as Excel and WPS save it: not a zip but a compound
 * file whose `EncryptedPackage` stream holds the encrypted zip, described by
 * `EncryptionInfo` (agile encryption, version 4.4, [MS-OFFCRYPTO] §2.3.4.10). The bytes are
 * not a real cipher text: nobody decrypts them.
 */
export function encryptedXlsx(): Buffer {
  const descriptor =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/><keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><p:encryptedKey spinCount="100000" saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></keyEncryptor></keyEncryptors></encryption>';
  const info = Buffer.concat([Buffer.from([0x04, 0x00, 0x04, 0x00, 0x40, 0x00, 0x00, 0x00]), Buffer.from(descriptor, 'utf8')]);
  const pkg = Buffer.alloc(8 + 8192);
  pkg.writeBigUInt64LE(8000n, 0); // the size of the zip before encryption
  for (let i = 8; i < pkg.length; i++) pkg[i] = (i * 151 + 7) & 0xff;
  return compoundFile([
    { name: 'EncryptionInfo', data: info },
    { name: 'EncryptedPackage', data: pkg },
  ]);
}

/**
 * An Excel 97–2003 workbook (.xls; WPS's .et is a compound file too): the `Workbook` stream
 * opens with a BIFF8 BOF record (0x0809) and ends with an EOF record (0x000A).
 */
export function legacyXls(): Buffer {
  const bof = Buffer.from([0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00, 0xbb, 0x0d, 0xcc, 0x07, 0xc9, 0xc0, 0x00, 0x00, 0x06, 0x03, 0x00, 0x00]);
  const eof = Buffer.from([0x0a, 0x00, 0x00, 0x00]);
  const workbookStream = Buffer.concat([bof, Buffer.alloc(MINI_CUTOFF + 100 - bof.length - eof.length), eof]);
  return compoundFile([
    { name: 'Workbook', data: workbookStream },
    { name: '\u0005SummaryInformation', data: Buffer.alloc(200) },
  ]);
}
