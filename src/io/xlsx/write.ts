/**
 * The .xlsx writer (issue 16): exports, listings, templates, the monthly report and the
 * rejects file of a workbook import, written from the one column description
 * (output/column.ts) by yazl.
 *
 * Streaming: each sheet's XML is written as its rows come, into its zip entry, waiting for
 * the compressor when it is behind (a million rows in flat memory). Cells are inline
 * strings, so no shared-strings table is held; the column widths are fitted to the header
 * and the first WIDTH_ROWS rows, the only rows held. Through the one atomic writer
 * (outputFile.ts: the guard, a temporary file renamed when complete, mode 0600), or to a
 * stream (stdout).
 *
 * Each sheet: optional title rows (bold, in column A), the header row (bold, frozen, with an
 * auto-filter over it and the rows), an optional example row (grey italics, its first cell
 * `示例`/`example`: an import skips it), the rows, and drop-down lists for the columns of a
 * closed vocabulary. No formula is ever written: a text starting with = + - @ is a text cell
 * (marked, as Excel marks one typed with a leading ', so that editing it keeps it text).
 */
import fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { Column, Row } from '../output/column.js';
import { fileHeader } from '../output/column.js';
import type { Lang } from '../../messages/entry.js';
import { getLang, t } from '../../messages/index.js';
import type { HeaderNames } from '../output/formats.js';
import { AtomicFile, type OutputGuard } from '../outputFile.js';
import { maskRow } from '../output/emit.js';
import { UserError } from '../../errors.js';
import { columnName, sheetNames, sheetRef, xmlText } from './writeXml.js';
import { Styles, columnWidth, numberFormat, numberValue, sheetColumn, textCell, textWidth, type SheetColumn } from './writeCells.js';
import { CHART_SERIES_MAX, TYPE_CHART, TYPE_DRAWING, chartXml, drawingRels, drawingXml, sheetRels, type ChartPlot, type ChartSeries, type LineChart } from './writeChart.js';

export interface SheetSpec {
  /** the sheet's name (the writer makes it legal: ≤ 31 characters, none of []:*?/\, unique) */
  name: string;
  /** the one column description: kind → cell type and number format */
  columns: readonly Column[];
  lang: Lang;
  /** header row by key or in `lang` (as a csv file for people names it: output/column.ts fileHeader; default 'names') */
  headers?: HeaderNames;
  /** lines written above the header row, each one bold cell in column A */
  titleRows?: string[];
  /** one example row under the header, grey italics, its first cell `示例`/`example` (an import skips it) */
  example?: Row;
  /** closed vocabularies: column key → the words a cell may take (a drop-down list) */
  validations?: Record<string, readonly string[]>;
  /** the rows, masked as every output masks them (§5) unless `revealed` */
  rows: Iterable<Row> | AsyncIterable<Row>;
  revealed?: boolean;
  /**
   * the empty cells of each column formatted for what the column takes (a template): text
   * columns as Text, so a phone or an id typed in stays as typed; dates and money as such
   */
  typedColumns?: boolean;
  /** a line chart under the table (issue 18: a trend), its series the rows' cells (writeChart.ts) */
  chart?: LineChart;
}

/** Where the workbook's bytes go: a file being written, or stdout (waiting on drain). */
export interface ByteSink {
  write(chunk: Buffer): void | Promise<void>;
}

/** Excel's limits of a sheet. */
export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;
/** Rows read before the widths are fixed: the head of the sheet, with its widths, comes first. */
const WIDTH_ROWS = 1000;
/** Text gathered before it is handed to the compressor. */
const FLUSH_AT = 1 << 16;
/**
 * The entries' date and no extended timestamp: the same rows give the same bytes (a diff of
 * two exports shows what changed, not when).
 */
const ENTRY = { mtime: new Date(2000, 0, 1), forceDosTimestamp: true };
/** An inline list of a drop-down: Excel's limit on its text, commas included. */
const INLINE_LIST_MAX = 255;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const TYPE_SHEET = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';

/** A list of a drop-down too long (or with commas) to be written inline: a column of the hidden lists sheet. */
interface ListRef {
  name: string;
  items: readonly string[];
}

/** The workbook as planned before a row is read: sheet names, styles, drop-downs. */
interface Plan {
  names: string[];
  styles: Styles;
  /** per sheet: column index → formula1 of its drop-down */
  dropDowns: Map<number, string>[];
  lists: ListRef[];
  /** the hidden sheet holding `lists`, when there are any */
  listsSheet: string | null;
  /** the sheets with a chart, by index: the k-th has drawing k + 1 and chart k + 1 */
  charts: number[];
}

function plan(sheets: readonly SheetSpec[], lang: Lang): Plan {
  const lists: ListRef[] = [];
  const dropDowns = sheets.map((s) => {
    const byColumn = new Map<number, string>();
    for (const [key, words] of Object.entries(s.validations ?? {})) {
      const i = s.columns.findIndex((c) => c.key === key);
      if (i < 0 || words.length === 0) continue;
      const inline = words.join(',');
      if (inline.length <= INLINE_LIST_MAX && !words.some((w) => /[,"]/.test(w))) {
        byColumn.set(i, `"${inline}"`);
      } else {
        const ref: ListRef = { name: `salesops_list_${lists.length + 1}`, items: words };
        lists.push(ref);
        byColumn.set(i, ref.name);
      }
    }
    return byColumn;
  });
  const wanted = sheets.map((s) => s.name);
  if (lists.length) wanted.push(t('workbooks.sheet.lists', undefined, lang));
  const names = sheetNames(wanted);
  const charts = sheets.flatMap((s, i) => (s.chart ? [i] : []));
  return { names: names.slice(0, sheets.length), styles: new Styles(lang), dropDowns, lists, listsSheet: lists.length ? names[sheets.length] : null, charts };
}

/** The parts of the package around the sheets: content types, relationships, properties, workbook. */
function packageParts(p: Plan): { path: string; data: string }[] {
  const sheetCount = p.names.length + (p.listsSheet ? 1 : 0);
  const sheetPaths = Array.from({ length: sheetCount }, (_, i) => `xl/worksheets/sheet${i + 1}.xml`);
  const contentTypes =
    XML_HEAD +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheetPaths.map((s) => `<Override PartName="/${s}" ContentType="${TYPE_SHEET}"/>`).join('') +
    p.charts.map((_, k) => `<Override PartName="/xl/drawings/drawing${k + 1}.xml" ContentType="${TYPE_DRAWING}"/><Override PartName="/xl/charts/chart${k + 1}.xml" ContentType="${TYPE_CHART}"/>`).join('') +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
    '</Types>';
  const rootRels =
    XML_HEAD +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
    '</Relationships>';
  const core =
    XML_HEAD +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
    '<dc:creator>salesops</dc:creator></cp:coreProperties>';
  const app = XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>salesops</Application></Properties>';
  const sheetsXml = [
    ...p.names.map((n, i) => `<sheet name="${xmlText(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`),
    ...(p.listsSheet ? [`<sheet name="${xmlText(p.listsSheet)}" sheetId="${sheetCount}" state="hidden" r:id="rId${sheetCount}"/>`] : []),
  ].join('');
  const names = p.lists.map((l, i) => `<definedName name="${l.name}">${xmlText(`${sheetRef(p.listsSheet!)}!$${columnName(i)}$1:$${columnName(i)}$${l.items.length}`)}</definedName>`).join('');
  const workbook =
    XML_HEAD +
    `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets>${sheetsXml}</sheets>` +
    (names ? `<definedNames>${names}</definedNames>` : '') +
    '</workbook>';
  const workbookRels =
    XML_HEAD +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    sheetPaths.map((s, i) => `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="${s.slice(3)}"/>`).join('') +
    `<Relationship Id="rId${sheetCount + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
    '</Relationships>';
  return [
    { path: '[Content_Types].xml', data: contentTypes },
    { path: '_rels/.rels', data: rootRels },
    { path: 'docProps/core.xml', data: core },
    { path: 'docProps/app.xml', data: app },
    { path: 'xl/workbook.xml', data: workbook },
    { path: 'xl/_rels/workbook.xml.rels', data: workbookRels },
  ];
}

/** The hidden sheet of the long drop-down lists: one list per column, from row 1. */
function listsSheetXml(lists: readonly ListRef[]): string {
  const depth = Math.max(...lists.map((l) => l.items.length));
  let rows = '';
  for (let r = 1; r <= depth; r++) {
    let cells = '';
    lists.forEach((l, i) => {
      if (r <= l.items.length) cells += textCell(columnName(i) + r, l.items[r - 1], 0);
    });
    rows += `<row r="${r}">${cells}</row>`;
  }
  return sheetHead({ selected: false, frozen: 0, widths: [] }) + rows + '</sheetData></worksheet>';
}

/** The sheet's XML up to its first row: the frozen pane below `frozen` rows, the column widths (and formats). */
function sheetHead(o: { selected: boolean; frozen: number; widths: readonly number[]; styles?: readonly number[] }): string {
  const top = `A${o.frozen + 1}`;
  const pane = o.frozen
    ? `<pane ySplit="${o.frozen}" topLeftCell="${top}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${top}" sqref="${top}"/>`
    : '';
  const cols = o.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}"${o.styles?.[i] ? ` style="${o.styles[i]}"` : ''} customWidth="1"/>`).join('');
  return (
    XML_HEAD +
    `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<sheetViews><sheetView workbookViewId="0"${o.selected ? ' tabSelected="1"' : ''}>${pane}</sheetView></sheetViews>` +
    (cols ? `<cols>${cols}</cols>` : '') +
    '<sheetData>'
  );
}

/** The sheet's XML after its last row: the auto-filter over header and rows, the drop-downs, the drawing of its chart. */
function sheetTail(o: { columns: number; headerRow: number; lastRow: number; dropDowns?: Map<number, string>; firstDataRow: number; lang: Lang; drawing?: boolean }): string {
  let xml = '</sheetData>';
  if (o.columns > 0) xml += `<autoFilter ref="A${o.headerRow}:${columnName(o.columns - 1)}${o.lastRow}"/>`;
  if (o.dropDowns?.size) {
    const title = xmlText(t('workbooks.validation.title', undefined, o.lang));
    const error = xmlText(t('workbooks.validation.error', undefined, o.lang));
    const rules = [...o.dropDowns].map(([i, formula]) => {
      const col = columnName(i);
      // a warning, not a stop: the import reads more words than the list shows (业务员 for 销售代表)
      return (
        `<dataValidation type="list" errorStyle="warning" allowBlank="1" showErrorMessage="1" errorTitle="${title}" error="${error}" ` +
        `sqref="${col}${o.firstDataRow}:${col}${MAX_ROWS}"><formula1>${xmlText(formula)}</formula1></dataValidation>`
      );
    });
    xml += `<dataValidations count="${rules.length}">${rules.join('')}</dataValidations>`;
  }
  xml += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>';
  // after the page margins, as the schema orders a worksheet's parts; rId1 of the sheet's own relationships
  return xml + (o.drawing ? '<drawing r:id="rId1"/>' : '') + '</worksheet>';
}

function tooManyRows(): UserError {
  return new UserError(t('workbooks.too_many_rows', { max: MAX_ROWS.toLocaleString('en-US') }), t('workbooks.too_many_rows.hint'));
}

function tooManyColumns(n: number): UserError {
  return new UserError(t('workbooks.too_many_columns', { n, max: MAX_COLUMNS.toLocaleString('en-US') }), t('workbooks.too_many_columns.hint'));
}

/** A row of cells all in one style (title, header). */
function styledRow(r: number, texts: readonly string[], style: number): string {
  let cells = '';
  for (let i = 0; i < texts.length; i++) if (texts[i] !== '') cells += textCell(columnName(i) + r, texts[i], style);
  return `<row r="${r}">${cells}</row>`;
}

/** Resolves when `s` can take more, rejects when it failed or closed meanwhile. */
function drained(s: PassThrough): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (e?: unknown) => {
      s.off('drain', done);
      s.off('error', done);
      s.off('close', closed);
      if (e) reject(e);
      else resolve();
    };
    const closed = () => done(s.errored ?? new Error('the workbook stream closed'));
    s.on('drain', done);
    s.on('error', done);
    s.on('close', closed);
  });
}

/** A sheet's columns ready to write, and the formats of their empty cells (typedColumns), with their styles registered. */
function prepare(s: SheetSpec, styles: Styles): { cols: SheetColumn[]; blank?: number[] } {
  if (s.columns.length > MAX_COLUMNS) throw tooManyColumns(s.columns.length);
  const cols = s.columns.map((c, i) => sheetColumn(c, columnName(i), s.lang, styles));
  return { cols, blank: s.typedColumns ? cols.map((c) => styles.xf(c.blank, 'normal')) : undefined };
}

/**
 * Writes one sheet into its entry's stream: the head once the widths are known (from the
 * header, the example and the first WIDTH_ROWS rows), then the rows as they come, waiting
 * for the compressor every 64 KiB. Returns the rows written, and what its chart draws.
 */
async function writeSheet(out: PassThrough, s: SheetSpec, p: Plan, index: number): Promise<{ count: number; plot?: ChartPlot }> {
  const { cols, blank } = prepare(s, p.styles);
  const keys = s.columns.map((c) => c.key);
  const masked = s.revealed ? [] : s.columns.filter((c) => c.mask);
  const headers = s.columns.map((c) => fileHeader(c, s.lang, s.headers ?? 'names'));
  const bold = p.styles.xf(null, 'bold');
  const titles = s.titleRows ?? [];
  const headerRow = titles.length + 1;
  let r = headerRow;
  let buf = '';
  const flush = async () => {
    if (out.destroyed) throw out.errored ?? new Error('the workbook stream closed');
    const text = buf;
    buf = '';
    if (!out.write(text)) await drained(out);
  };
  const rowXml = (row: Row, example: boolean): string => {
    let cells = '';
    for (let i = 0; i < cols.length; i++) cells += cols[i].cell(r, row[keys[i]], example);
    return `<row r="${r}">${cells}</row>`;
  };
  const chart = s.chart ? chartColumns(s.chart, keys) : null;
  const series: ChartSeries[] = [];
  const add = (row: Row) => {
    if (++r > MAX_ROWS) throw tooManyRows();
    buf += rowXml(row, false);
    // one more than the limit: a totals row after the last series drawn is left out, not one of them
    if (chart && series.length <= CHART_SERIES_MAX) {
      const named = chart.name.find((i) => row[keys[i]] !== null && row[keys[i]] !== undefined && row[keys[i]] !== '');
      series.push({
        row: r,
        nameColumn: named ?? -1,
        name: named === undefined ? String(series.length + 1) : String(row[keys[named]]),
        values: chart.categories.map((i) => numberValue(s.columns[i], row[keys[i]])),
      });
    }
  };
  let first: Row[] | null = [];
  const begin = () => {
    const widest = headers.map(() => 0);
    const measure = (row: Row) => {
      for (let i = 0; i < cols.length; i++) widest[i] = Math.max(widest[i], cols[i].width(row[keys[i]]));
    };
    const example = s.example ? { ...s.example, [keys[0]]: t('workbooks.example', undefined, s.lang) } : null;
    if (example) measure(example);
    for (const row of first!) measure(row);
    // a drop-down's words are what the column will hold
    for (const [key, words] of Object.entries(s.validations ?? {})) {
      const i = keys.indexOf(key);
      if (i >= 0) for (const w of words) widest[i] = Math.max(widest[i], textWidth(w));
    }
    buf += sheetHead({ selected: index === 0, frozen: headerRow, widths: headers.map((h, i) => columnWidth(textWidth(h), widest[i])), styles: blank });
    titles.forEach((line, i) => (buf += styledRow(i + 1, [line], bold)));
    buf += styledRow(headerRow, headers, bold);
    if (example && cols.length) {
      r++;
      buf += rowXml(example, true);
    }
    for (const row of first!) add(row);
    first = null;
  };
  const take = (raw: Row) => {
    const row = masked.length ? maskRow(raw, masked) : raw;
    if (first === null) add(row);
    else if (first.push(row) === WIDTH_ROWS) begin();
  };
  const rows = s.rows;
  let count = 0;
  if (Symbol.iterator in rows) {
    // a plain loop for the common case: `for await` would cost a promise per row
    for (const row of rows) {
      take(row);
      count++;
      if (buf.length >= FLUSH_AT) await flush();
    }
  } else {
    for await (const row of rows) {
      take(row);
      count++;
      if (buf.length >= FLUSH_AT) await flush();
    }
  }
  if (first !== null) begin();
  buf += sheetTail({
    columns: cols.length,
    headerRow,
    lastRow: r,
    dropDowns: p.dropDowns[index],
    firstDataRow: headerRow + 1,
    lang: s.lang,
    drawing: chart !== null,
  });
  await flush();
  out.end();
  if (!chart) return { count };
  if (s.chart!.totalsRow && series.at(-1)?.row === r) series.pop();
  const plot: ChartPlot = {
    chart: s.chart!,
    sheet: p.names[index],
    headerRow,
    lastRow: r,
    firstColumn: chart.categories[0],
    categories: chart.categories.map((i) => headers[i]),
    series: series.slice(0, CHART_SERIES_MAX),
    format: numberFormat(s.columns[chart.categories[0]]),
  };
  return { count, plot };
}

/** A chart's columns by index: the categories side by side (a series is one range of its row), the naming ones that exist. */
function chartColumns(c: LineChart, keys: readonly string[]): { categories: number[]; name: number[] } {
  const categories = c.categories.map((k) => keys.indexOf(k));
  if (categories.length === 0 || categories.some((i, k) => i < 0 || i !== categories[0] + k)) throw new Error(`chart categories ${c.categories.join(',')}: not columns side by side`);
  return { categories, name: c.name.map((k) => keys.indexOf(k)).filter((i) => i >= 0) };
}

/**
 * Zips `entries` into `out`: texts as they are, streams as `produce` fills them (it runs
 * while the zip is written). A failure of either side (a full disk, a row that cannot be
 * written) stops both and is thrown; nothing waits forever.
 */
async function zipTo(out: ByteSink, entries: readonly { path: string; data: string | Readable }[], produce: () => Promise<void>): Promise<void> {
  const zip = new ZipFile();
  const streams = entries.flatMap((e) => (typeof e.data === 'string' ? [] : [e.data]));
  const output = zip.outputStream as PassThrough;
  let failed: { error: unknown } | null = null;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = { error };
    for (const s of streams) s.destroy();
    output.destroy();
  };
  // errors reach `fail`, whichever stream they happen on (an 'error' without a listener would end the process)
  zip.on('error', fail);
  output.on('error', () => {});
  for (const s of streams) s.on('error', () => {});
  for (const e of entries) {
    if (typeof e.data === 'string') zip.addBuffer(Buffer.from(e.data, 'utf8'), e.path, ENTRY);
    else zip.addReadStream(e.data, e.path, ENTRY);
  }
  zip.end();
  const pump = (async () => {
    for await (const chunk of output) await out.write(chunk as Buffer);
  })().catch(fail);
  await produce().catch(fail);
  await pump;
  if (failed) throw (failed as { error: unknown }).error;
}

/**
 * Writes a workbook of these sheets, in order, streaming, to `out` (stdout, or a file the
 * caller publishes: `export` records its audit entry between the two). Resolves with the
 * rows written per sheet.
 */
export async function writeWorkbookTo(out: ByteSink, sheets: SheetSpec[]): Promise<{ rows: number[] }> {
  const p = plan(sheets, sheets[0]?.lang ?? getLang());
  const streams = sheets.map(() => new PassThrough());
  // a chart's parts are known once its sheet is written (the rows it draws, where it goes)
  const drawings = p.charts.map(() => ({ drawing: new PassThrough(), chart: new PassThrough() }));
  const rows: number[] = [];
  // the styles part is complete only once every sheet's columns asked for theirs
  for (const s of sheets) prepare(s, p.styles);
  p.styles.xf(null, 'bold');
  const entries: { path: string; data: string | Readable }[] = [
    ...packageParts(p),
    { path: 'xl/styles.xml', data: p.styles.xml() },
    ...streams.map((s, i) => ({ path: `xl/worksheets/sheet${i + 1}.xml`, data: s })),
  ];
  if (p.listsSheet) entries.push({ path: `xl/worksheets/sheet${sheets.length + 1}.xml`, data: listsSheetXml(p.lists) });
  p.charts.forEach((sheet, k) => {
    entries.push(
      { path: `xl/worksheets/_rels/sheet${sheet + 1}.xml.rels`, data: sheetRels(k + 1) },
      { path: `xl/drawings/drawing${k + 1}.xml`, data: drawings[k].drawing },
      { path: `xl/drawings/_rels/drawing${k + 1}.xml.rels`, data: drawingRels(k + 1) },
      { path: `xl/charts/chart${k + 1}.xml`, data: drawings[k].chart },
    );
  });
  await zipTo(out, entries, async () => {
    for (let i = 0; i < sheets.length; i++) {
      const { count, plot } = await writeSheet(streams[i], sheets[i], p, i);
      rows.push(count);
      if (plot) {
        // a few KiB, ended at once: the zip reads them after every sheet (their entries come last)
        const k = p.charts.indexOf(i);
        drawings[k].drawing.end(drawingXml(plot.lastRow, sheets[i].columns.length));
        drawings[k].chart.end(chartXml(plot));
      }
    }
  });
  return { rows };
}

/**
 * Writes a workbook of these sheets, in order, streaming (flat memory whatever the rows), to
 * `file` through the one atomic writer (temp file + rename, 0600, never the database or an
 * input, never through a link). Resolves with the rows written per sheet. Never writes a
 * formula: a text cell starting with = + - @ stays text.
 */
export async function writeWorkbook(file: string, guard: OutputGuard, sheets: SheetSpec[]): Promise<{ rows: number[] }> {
  const target = AtomicFile.open(file, guard);
  try {
    const done = await writeWorkbookTo({ write: (chunk) => target.write(chunk) }, sheets);
    target.publish();
    return done;
  } catch (e) {
    target.abort();
    throw e;
  }
}

/**
 * The rejects file of an .xlsx import: the input's header row + an error column, then each
 * rejected row's cells as text, as they were read, and the error text. Streaming. `publish()`
 * gives the file its name; `abort()` leaves nothing.
 */
export interface RejectsWorkbook {
  row(cells: readonly string[], error: string): void;
  /** the workbook complete and flushed to its temporary file (before the import commits) */
  finish(): Promise<void>;
  /** under its name (after the commit); finishes first if not yet */
  publish(): Promise<void>;
  abort(): void;
}

/**
 * Opens the rejects workbook of an import. `row` is synchronous (the importer calls it as it
 * goes): the sheet's rows go to a temporary file beside the target; `finish` zips them into
 * the workbook (the widths of the header and the first WIDTH_ROWS rows) and flushes it before
 * the import commits, and `publish` renames it into place after the commit. Cells are text, as read; a row's error is always in the error
 * column (a row with more cells than the header has the rest after it). `opts.interrupted`:
 * what Ctrl-C says meanwhile (as AtomicFile.open).
 */
export async function openRejectsWorkbook(
  file: string,
  guard: OutputGuard,
  header: readonly string[],
  sheetName: string,
  opts: { interrupted?: string } = {},
): Promise<RejectsWorkbook> {
  const lang = getLang();
  const names = [...header, t('import.rejects.error_column')];
  if (names.length > MAX_COLUMNS) throw tooManyColumns(names.length);
  const styles = new Styles(lang);
  const cols: SheetColumn[] = [];
  const column = (i: number) => (cols[i] ??= sheetColumn({ key: String(i) }, columnName(i), lang, styles));
  names.forEach((_, i) => column(i));
  const bold = styles.xf(null, 'bold');
  const headerWidths = names.map(textWidth);
  const widest: number[] = names.map(() => 0);
  const body = AtomicFile.open(file, guard, opts);
  /** the finished workbook, flushed, waiting for its name */
  let target: AtomicFile | null = null;
  body.write(styledRow(1, names, bold));
  let r = 1;
  let width = names.length;
  return {
    row(cells, error) {
      if (++r > MAX_ROWS) throw tooManyRows();
      const values = cells.length <= header.length ? [...cells, ...Array<string>(header.length - cells.length).fill(''), error] : [...cells.slice(0, header.length), error, ...cells.slice(header.length)];
      if (values.length > MAX_COLUMNS) throw tooManyColumns(values.length);
      let xml = '';
      for (let i = 0; i < values.length; i++) {
        const c = column(i);
        xml += c.cell(r, values[i], false);
        if (r <= WIDTH_ROWS + 1) widest[i] = Math.max(widest[i] ?? 0, c.width(values[i]));
      }
      width = Math.max(width, values.length);
      body.write(`<row r="${r}">${xml}</row>`);
    },
    finish,
    async publish() {
      await finish();
      target!.publish();
    },
    abort() {
      body.abort();
      target?.abort();
    },
  };

  async function finish(): Promise<void> {
    if (target) return;
    try {
      body.flush();
      const widths = widest.map((w, i) => columnWidth(headerWidths[i] ?? 0, w ?? 0));
      const head = sheetHead({ selected: true, frozen: 1, widths });
      const tail = sheetTail({ columns: width, headerRow: 1, lastRow: r, firstDataRow: 2, lang });
      const tmp = body.tmp;
      const sheet = Readable.from(
        (async function* () {
          yield Buffer.from(head, 'utf8');
          yield* fs.createReadStream(tmp);
          yield Buffer.from(tail, 'utf8');
        })(),
        { objectMode: false },
      );
      const p: Plan = { names: sheetNames([sheetName]), styles, dropDowns: [], lists: [], listsSheet: null, charts: [] };
      const book = AtomicFile.open(file, guard, opts);
      try {
        await zipTo({ write: (chunk) => book.write(chunk) }, [...packageParts(p), { path: 'xl/styles.xml', data: styles.xml() }, { path: 'xl/worksheets/sheet1.xml', data: sheet }], async () => {});
        // complete on disk (flushed) before the import commits: only the rename is left
        book.flush();
        target = book;
      } catch (e) {
        book.abort();
        throw e;
      }
    } finally {
      body.abort();
    }
  }
}
