/**
 * A line chart on a sheet (issue 18, io/xlsx/writeChart.ts through write.ts): the parts Excel
 * writes for one — the sheet's drawing, the drawing's anchor under the table, the chart with
 * a series per row referring to the sheet's cells and caching their values — tied together by
 * relationships and content types, every part well-formed; a totals row and a missing figure
 * not drawn; a workbook without a chart has none of these parts.
 */
import { describe, expect, it } from 'vitest';
import { writeWorkbookTo, type SheetSpec } from '../../src/io/xlsx/write.js';
import { CHART_SERIES_MAX } from '../../src/io/xlsx/writeChart.js';
import type { Column, Row } from '../../src/io/output/column.js';
import { wellFormed, zipParts } from '../xlsxParts.js';

const COLUMNS: Column[] = [
  { key: 'staff_id', header: { zh: '工号', en: 'Staff' } },
  { key: 'staff_name', header: { zh: '姓名', en: 'Name' } },
  { key: '2024-05', kind: 'money' },
  { key: '2024-06', kind: 'money' },
  { key: '2024-07', kind: 'money' },
];
const CHART = { title: '各代表销售额走势', categories: ['2024-05', '2024-06', '2024-07'], name: ['staff_name', 'staff_id'], totalsRow: true };

async function workbook(sheets: SheetSpec[]): Promise<Map<string, string>> {
  const chunks: Buffer[] = [];
  await writeWorkbookTo({ write: (c) => void chunks.push(c) }, sheets);
  const parts = await zipParts(Buffer.concat(chunks));
  for (const [name, xml] of parts) expect(() => wellFormed(xml), name).not.toThrow();
  return parts;
}

const ROWS: Row[] = [
  { staff_id: 'R1', staff_name: '刘芳', '2024-05': 50000, '2024-06': 0, '2024-07': 123450 },
  { staff_id: 'R3', staff_name: '赵敏', '2024-05': null, '2024-06': 0, '2024-07': 294000 },
  { staff_id: '（未归属）', staff_name: null, '2024-05': null, '2024-06': null, '2024-07': 1000 },
  { staff_id: '合计', staff_name: null, '2024-05': 50000, '2024-06': 0, '2024-07': 418450 },
];

describe('a sheet with a line chart', () => {
  it('has its drawing and chart, tied by relationships and content types', async () => {
    const parts = await workbook([
      { name: '业绩', columns: COLUMNS, lang: 'zh', rows: [] },
      { name: '销售走势', columns: COLUMNS, lang: 'zh', titleRows: ['期间 2024-07'], rows: ROWS, chart: CHART },
    ]);
    expect(parts.get('xl/worksheets/sheet1.xml')).not.toContain('<drawing');
    expect(parts.get('xl/worksheets/sheet2.xml')).toMatch(/<pageMargins [^>]*\/><drawing r:id="rId1"\/><\/worksheet>$/);
    expect(parts.get('xl/worksheets/_rels/sheet2.xml.rels')).toContain('Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"');
    expect(parts.get('xl/drawings/_rels/drawing1.xml.rels')).toContain('Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="../charts/chart1.xml"');
    const types = parts.get('[Content_Types].xml')!;
    expect(types).toContain('<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>');
    expect(types).toContain('<Override PartName="/xl/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>');
    // under the table: rows 1 (title), 2 (header), 3–6; the chart from 0-based row 7 (row 8)
    expect(parts.get('xl/drawings/drawing1.xml')).toContain('<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>7</xdr:row>');
    expect(parts.get('xl/drawings/drawing1.xml')).toContain('r:id="rId1"');
  });

  it('draws a line per row but the total, named by its first naming cell, the periods along the bottom, values as the cells hold them (yuan, exact to the fen)', async () => {
    const parts = await workbook([{ name: '销售走势', columns: COLUMNS, lang: 'zh', titleRows: ['期间 2024-07'], rows: ROWS, chart: CHART }]);
    const chart = parts.get('xl/charts/chart1.xml')!;
    expect(chart).toContain('<a:t>各代表销售额走势</a:t>');
    const series = [...chart.matchAll(/<c:ser>([\s\S]*?)<\/c:ser>/g)].map((m) => m[1]);
    expect(series).toHaveLength(3);
    const names = series.map((x) => /<c:tx><c:strRef><c:f>([^<]*)<\/c:f>.*?<c:v>([^<]*)<\/c:v>/.exec(x)!.slice(1));
    expect(names).toEqual([
      ["'销售走势'!$B$3", '刘芳'],
      ["'销售走势'!$B$4", '赵敏'],
      ["'销售走势'!$A$5", '（未归属）'],
    ]);
    for (const x of series) expect(x).toContain("<c:cat><c:strRef><c:f>'销售走势'!$C$2:$E$2</c:f><c:strCache><c:ptCount val=\"3\"/><c:pt idx=\"0\"><c:v>2024-05</c:v></c:pt>");
    expect(series[0]).toContain("<c:f>'销售走势'!$C$3:$E$3</c:f><c:numCache><c:formatCode>#,##0.00</c:formatCode><c:ptCount val=\"3\"/><c:pt idx=\"0\"><c:v>500.00</c:v></c:pt><c:pt idx=\"1\"><c:v>0.00</c:v></c:pt><c:pt idx=\"2\"><c:v>1234.50</c:v></c:pt>");
    // a missing figure is no point: a gap in the line
    expect(series[1]).toContain('<c:ptCount val="3"/><c:pt idx="1"><c:v>0.00</c:v></c:pt><c:pt idx="2"><c:v>2940.00</c:v></c:pt>');
    expect(chart).toContain('<c:dispBlanksAs val="gap"/>');
  });

  it('draws at most Excel\'s 255 series; the rows past them are on the sheet, not in the chart', async () => {
    const many = Array.from({ length: CHART_SERIES_MAX + 5 }, (_, i) => ({ staff_id: `R${i}`, staff_name: null, '2024-05': i, '2024-06': i, '2024-07': i }));
    const parts = await workbook([{ name: 's', columns: COLUMNS, lang: 'en', rows: many, chart: { ...CHART, totalsRow: false } }]);
    expect([...parts.get('xl/charts/chart1.xml')!.matchAll(/<c:ser>/g)]).toHaveLength(CHART_SERIES_MAX);
    expect(parts.get('xl/worksheets/sheet1.xml')).toContain(`<row r="${CHART_SERIES_MAX + 6}">`);
  });

  it('two sheets with charts: drawing and chart 1 and 2, each sheet its own', async () => {
    const parts = await workbook([
      { name: 'a', columns: COLUMNS, lang: 'en', rows: ROWS, chart: CHART },
      { name: 'b', columns: COLUMNS, lang: 'en', rows: [], validations: { staff_id: ['x'.repeat(300)] } },
      { name: 'c', columns: COLUMNS, lang: 'en', rows: ROWS.slice(0, 2), chart: { ...CHART, totalsRow: false } },
    ]);
    expect(parts.get('xl/worksheets/_rels/sheet1.xml.rels')).toContain('../drawings/drawing1.xml');
    expect(parts.get('xl/worksheets/_rels/sheet3.xml.rels')).toContain('../drawings/drawing2.xml');
    expect(parts.has('xl/worksheets/_rels/sheet2.xml.rels')).toBe(false);
    expect(parts.get('xl/drawings/_rels/drawing2.xml.rels')).toContain('../charts/chart2.xml');
    expect([...parts.get('xl/charts/chart2.xml')!.matchAll(/<c:ser>/g)]).toHaveLength(2);
    // the hidden sheet of long lists is still the fourth
    expect(parts.has('xl/worksheets/sheet4.xml')).toBe(true);
  });

  it('a workbook without a chart has no drawing, chart or sheet relationships', async () => {
    const parts = await workbook([{ name: 's', columns: COLUMNS, lang: 'en', rows: ROWS }]);
    expect([...parts.keys()].filter((k) => /drawing|chart|worksheets\/_rels/.test(k))).toEqual([]);
    expect(parts.get('[Content_Types].xml')).not.toContain('drawing');
  });

  it('refuses categories that are not columns side by side (a series is one range of its row)', async () => {
    await expect(workbook([{ name: 's', columns: COLUMNS, lang: 'en', rows: ROWS, chart: { ...CHART, categories: ['2024-05', '2024-07'] } }])).rejects.toThrow('not columns side by side');
  });
});
