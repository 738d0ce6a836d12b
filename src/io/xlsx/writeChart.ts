/**
 * A line chart drawn on a sheet (issue 18: the trend of a measure over periods, one line per
 * rep or team): the parts Excel writes for a chart — the drawing that places it
 * (xl/drawings/drawingN.xml), the chart (xl/charts/chartN.xml), their relationships — its
 * series referring to the sheet's own cells (categories: the header cells of the period
 * columns; a series: one row's cells), with the values cached as Excel caches them so that a
 * reader that does not recalculate shows them too.
 */
import { columnName, sheetRef, xmlText } from './writeXml.js';

/** What to draw: set on a sheet (write.ts SheetSpec.chart). */
export interface LineChart {
  title: string;
  /** the columns (keys, side by side) whose headers are the categories and whose cells the points of each series */
  categories: readonly string[];
  /** the columns naming a series: the first with a value in the row */
  name: readonly string[];
  /** the last row is a total: not drawn (it would flatten every other line) */
  totalsRow?: boolean;
}

/** A series as the sheet was written: its row, its name's cell, its values as the cells hold them. */
export interface ChartSeries {
  row: number;
  /** the column index of the cell naming it (-1: none) and its text */
  nameColumn: number;
  name: string;
  values: (string | null)[];
}

/** Excel's limit on the series of a chart: rows past it are not drawn. */
export const CHART_SERIES_MAX = 255;

const NS_C = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const NS_A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_XDR = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export const TYPE_DRAWING = 'application/vnd.openxmlformats-officedocument.drawing+xml';
export const TYPE_CHART = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';

/** The sheet's relationship to its drawing (xl/worksheets/_rels/sheetN.xml.rels); the sheet says `<drawing r:id="rId1"/>`. */
export function sheetRels(drawing: number): string {
  return XML_HEAD + `<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_R}/drawing" Target="../drawings/drawing${drawing}.xml"/></Relationships>`;
}

/** The drawing's relationship to its chart (xl/drawings/_rels/drawingN.xml.rels). */
export function drawingRels(chart: number): string {
  return XML_HEAD + `<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_R}/chart" Target="../charts/chart${chart}.xml"/></Relationships>`;
}

/** Rows a chart is tall; columns it is wide, at least and at most: room for twelve periods and a legend, within a screen. */
const CHART_ROWS = 20;
const CHART_MIN_COLUMNS = 8;
const CHART_MAX_COLUMNS = 12;

/** The drawing placing the chart under the table, from `afterRow` (1-based, the table's last row) + 2, as wide as the table within bounds. */
export function drawingXml(afterRow: number, columns: number): string {
  const anchor = (col: number, row: number) => `<xdr:col>${col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${row}</xdr:row><xdr:rowOff>0</xdr:rowOff>`;
  const top = afterRow + 1; // 0-based: one empty row between table and chart
  return (
    XML_HEAD +
    `<xdr:wsDr xmlns:xdr="${NS_XDR}" xmlns:a="${NS_A}">` +
    '<xdr:twoCellAnchor editAs="oneCell">' +
    `<xdr:from>${anchor(0, top)}</xdr:from><xdr:to>${anchor(Math.min(Math.max(columns, CHART_MIN_COLUMNS), CHART_MAX_COLUMNS), top + CHART_ROWS)}</xdr:to>` +
    '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Chart 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>' +
    '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>' +
    `<a:graphic><a:graphicData uri="${NS_C}"><c:chart xmlns:c="${NS_C}" xmlns:r="${NS_R}" r:id="rId1"/></a:graphicData></a:graphic>` +
    '</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>'
  );
}

export interface ChartPlot {
  chart: LineChart;
  /** the sheet's name as written in the workbook */
  sheet: string;
  /** the 1-based row of the header (the categories' cells) */
  headerRow: number;
  /** the table's last row: the chart goes under it */
  lastRow: number;
  /** the 0-based index of the first category column; the others follow it */
  firstColumn: number;
  /** the categories' texts, as the header cells hold them */
  categories: readonly string[];
  series: readonly ChartSeries[];
  /** the values' number format (the columns' own) */
  format: string | null;
}

/** The chart part: a line per series, categories along the bottom, a gap where a value is missing. */
export function chartXml(p: ChartPlot): string {
  const sheet = sheetRef(p.sheet);
  const abs = (col: number, row: number) => `$${columnName(col)}$${row}`;
  const last = p.firstColumn + p.categories.length - 1;
  const strCache = (texts: readonly string[]) =>
    `<c:strCache><c:ptCount val="${texts.length}"/>${texts.map((s, i) => `<c:pt idx="${i}"><c:v>${xmlText(s)}</c:v></c:pt>`).join('')}</c:strCache>`;
  const format = xmlText(p.format ?? 'General');
  const cat = `<c:cat><c:strRef><c:f>${xmlText(`${sheet}!${abs(p.firstColumn, p.headerRow)}:${abs(last, p.headerRow)}`)}</c:f>${strCache(p.categories)}</c:strRef></c:cat>`;
  const series = p.series.map((s, i) => {
    const tx =
      s.nameColumn >= 0
        ? `<c:tx><c:strRef><c:f>${xmlText(`${sheet}!${abs(s.nameColumn, s.row)}`)}</c:f>${strCache([s.name])}</c:strRef></c:tx>`
        : `<c:tx><c:v>${xmlText(s.name)}</c:v></c:tx>`;
    const points = s.values.map((v, k) => (v === null ? '' : `<c:pt idx="${k}"><c:v>${v}</c:v></c:pt>`)).join('');
    const val =
      `<c:val><c:numRef><c:f>${xmlText(`${sheet}!${abs(p.firstColumn, s.row)}:${abs(last, s.row)}`)}</c:f>` +
      `<c:numCache><c:formatCode>${format}</c:formatCode><c:ptCount val="${s.values.length}"/>${points}</c:numCache></c:numRef></c:val>`;
    return `<c:ser><c:idx val="${i}"/><c:order val="${i}"/>${tx}<c:marker><c:symbol val="circle"/><c:size val="5"/></c:marker>${cat}${val}<c:smooth val="0"/></c:ser>`;
  });
  const title = `<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>${xmlText(p.chart.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`;
  const axes =
    '<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/>' +
    '<c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>' +
    '<c:crossAx val="500000002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>' +
    '<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>' +
    `<c:numFmt formatCode="${format}" sourceLinked="1"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>` +
    '<c:crossAx val="500000001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>';
  return (
    XML_HEAD +
    `<c:chartSpace xmlns:c="${NS_C}" xmlns:a="${NS_A}" xmlns:r="${NS_R}">` +
    '<c:roundedCorners val="0"/>' +
    `<c:chart>${title}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>` +
    `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series.join('')}<c:marker val="1"/><c:axId val="500000001"/><c:axId val="500000002"/></c:lineChart>` +
    `${axes}</c:plotArea><c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>` +
    '</c:chartSpace>'
  );
}
