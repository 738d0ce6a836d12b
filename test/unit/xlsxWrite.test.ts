/**
 * The .xlsx writer (src/io/xlsx/write.ts, issue 16), read back with yauzl and checked as XML:
 * characters XML cannot carry escaped as Excel escapes them, a text that looks like a
 * formula still a text cell, money exact to the fen, dates as serial days, widths fitted to
 * CJK text, legal sheet names, drop-downs (a long list on a hidden sheet), masking, the
 * example row, the rejects workbook, the row limit, and failures that leave no file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeWorkbook, writeWorkbookTo, openRejectsWorkbook, MAX_ROWS, type SheetSpec } from '../../src/io/xlsx/write.js';
import { dateSerial, columnWidth } from '../../src/io/xlsx/writeCells.js';
import { columnName, sheetNames, xmlText } from '../../src/io/xlsx/writeXml.js';
import type { Column, Row } from '../../src/io/output/column.js';
import { UserError } from '../../src/errors.js';
import { setLang } from '../../src/messages/index.js';
import { cellStyle, sheetCells, styleSheet, wellFormed, zipParts } from '../xlsxParts.js';

setLang('en');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-xlsx-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (name = 'out.xlsx') => {
  const d = path.join(root, `d${n++}`);
  fs.mkdirSync(d);
  return path.join(d, name);
};
const guard = { what: 'export' } as const;

const COLUMNS: Column[] = [
  { key: 'customer_id', kind: 'int', header: { zh: '编号', en: 'customer_id' } },
  { key: 'name', header: { zh: '姓名', en: 'name' }, mask: 'text' },
  { key: 'phone', header: { zh: '电话', en: 'phone' }, mask: 'phone' },
  { key: 'amount', kind: 'money', header: { zh: '金额', en: 'amount' } },
  { key: 'rate', kind: 'rate' },
  { key: 'day', kind: 'date' },
  { key: 'buyer', kind: 'bool' },
  { key: 'flags', kind: 'list' },
  { key: 'note' },
];

/** Writes one sheet and reads it back: its cells, its styles, all parts (each well-formed). */
async function written(spec: Partial<SheetSpec> & { rows: SheetSpec['rows'] }) {
  const file = fresh();
  const done = await writeWorkbook(file, guard, [{ name: 'sheet', columns: COLUMNS, lang: 'en', ...spec }]);
  const parts = await zipParts(file);
  for (const [name, xml] of parts) expect(() => wellFormed(xml), name).not.toThrow();
  const sheet = parts.get('xl/worksheets/sheet1.xml')!;
  const styles = styleSheet(parts.get('xl/styles.xml')!);
  return { file, done, parts, sheet, cells: sheetCells(sheet), styles, style: (ref: string) => cellStyle(styles, sheetCells(sheet).get(ref)!.style) };
}

describe('XML text as Excel writes it', () => {
  it('escapes markup, keeps tab and LF, writes other controls and CR as _xHHHH_', () => {
    expect(xmlText('a & b < c > "d"')).toBe('a &amp; b &lt; c &gt; &quot;d&quot;');
    expect(xmlText('tab\there\nnext')).toBe('tab\there\nnext');
    expect(xmlText('nul\u0000 bel\u0007 cr\r\n esc\u001b')).toBe('nul_x0000_ bel_x0007_ cr_x000D_\n esc_x001B_');
  });

  it('a text that already reads as an escape is escaped itself, so it reads back as it was', () => {
    expect(xmlText('_x0041_ and _x00')).toBe('_x005F_x0041_ and _x00');
  });

  it('a lone surrogate and U+FFFE/U+FFFF, which no XML carries, become U+FFFD; a pair stays', () => {
    expect(xmlText('a\ud800b\udc00c\ufffe\uffff')).toBe('a\ufffdb\ufffdc\ufffd\ufffd');
    expect(xmlText('😀')).toBe('😀');
  });

  it('cells with every such character still make well-formed parts', async () => {
    const all = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\ud83d';
    const { cells } = await written({ rows: [{ note: all }] });
    expect(cells.get('I2')!.value).toContain('_x0000_');
  });
});

describe('cells typed from the columns', () => {
  it('a text starting with = + - @ is a text cell, marked as Excel marks one typed with a leading quote', async () => {
    const rows = ['=1+1', '+86 138', '-5', '@SUM(A1)', '=HYPERLINK("http://x","y")'].map((note) => ({ note }));
    const { sheet, cells, style } = await written({ rows });
    expect(sheet).not.toContain('<f>');
    for (let r = 2; r <= 6; r++) {
      expect(cells.get(`I${r}`)!.type).toBe('inlineStr');
      expect(style(`I${r}`).quotePrefix).toBe(true);
    }
    expect(cells.get('I2')!.value).toBe('=1+1');
    expect(cells.get('I6')!.value).toBe('=HYPERLINK("http://x","y")');
  });

  it('money: integer fen as yuan, exact to the fen, with #,##0.00', async () => {
    const { cells, style } = await written({ rows: [{ amount: 123_456_789 }, { amount: -50 }, { amount: 1 }, { amount: 0 }] });
    expect(['D2', 'D3', 'D4', 'D5'].map((r) => cells.get(r)!.value)).toEqual(['1234567.89', '-0.50', '0.01', '0.00']);
    expect(Number(cells.get('D2')!.value)).toBe(1234567.89);
    expect(cells.get('D2')!.type).toBeUndefined();
    expect(style('D2').format).toBe('#,##0.00');
  });

  it('rates as the ratio with a percentage format; ids without, counts with thousands separators', async () => {
    const { cells, style } = await written({ rows: [{ customer_id: 12345, rate: 0.2345 }] });
    expect(cells.get('E2')!.value).toBe('0.2345');
    expect(style('E2').format).toBe('0.0%');
    expect(style('A2').format).toBe('0');
    const counts = await written({ columns: [{ key: 'orders', kind: 'int' }], rows: [{ orders: 12345 }] });
    expect(counts.style('A2').format).toBe('#,##0');
  });

  it('dates as serial days of the 1900 system, with yyyy-mm-dd; not a date: text', async () => {
    expect(dateSerial('2024-07-31')).toBe(45504);
    expect(dateSerial('2000-01-01')).toBe(36526);
    expect(dateSerial('1900-03-01')).toBe(61);
    // Excel's fictitious 1900-02-29 makes the days before March 1900 one off: written as text
    expect(dateSerial('1900-02-28')).toBeNull();
    expect(dateSerial('2024-02-30')).toBeNull();
    expect(dateSerial('2024-7-1')).toBeNull();
    const { cells, style } = await written({ rows: [{ day: '2024-07-31' }, { day: '2024-02-30' }] });
    expect(cells.get('F2')!.value).toBe('45504');
    expect(style('F2').format).toBe('yyyy-mm-dd');
    expect(cells.get('F3')).toMatchObject({ type: 'inlineStr', value: '2024-02-30' });
  });

  it('bool as the words every import reads back (是/否 in Chinese, yes/no in English), lists joined with ;', async () => {
    const en = await written({ rows: [{ buyer: true, flags: ['late', 'over'] }, { buyer: false, flags: [] }] });
    expect([en.cells.get('G2')!.value, en.cells.get('G3')!.value, en.cells.get('H2')!.value]).toEqual(['yes', 'no', 'late;over']);
    expect(en.cells.has('H3')).toBe(false);
    const zh = await written({ lang: 'zh', rows: [{ buyer: true }, { buyer: false }] });
    expect([zh.cells.get('G2')!.value, zh.cells.get('G3')!.value]).toEqual(['是', '否']);
  });

  it('no value: no cell (a rate of no denominator too); a label in a number column is text', async () => {
    const { cells } = await written({ rows: [{ customer_id: null, rate: Infinity, amount: 'TOTAL' }] });
    expect(cells.has('A2')).toBe(false);
    expect(cells.has('E2')).toBe(false);
    expect(cells.get('D2')).toMatchObject({ type: 'inlineStr', value: 'TOTAL' });
  });

  it('phones stay text, never a number', async () => {
    const { cells } = await written({ rows: [{ phone: '13800138000' }], revealed: true });
    expect(cells.get('C2')).toMatchObject({ type: 'inlineStr', value: '13800138000' });
  });
});

describe('the sheet', () => {
  it('header in the language (or keys), bold, frozen below the title rows, filtered over header and rows', async () => {
    const { sheet, cells, style } = await written({ lang: 'zh', titleRows: ['期间 2024-07 · 截至 2024-07-31'], rows: [{ customer_id: 1 }, { customer_id: 2 }] });
    expect(cells.get('A1')!.value).toBe('期间 2024-07 · 截至 2024-07-31');
    expect(style('A1').font).toContain('<b/>');
    expect([cells.get('A2')!.value, cells.get('B2')!.value, cells.get('E2')!.value]).toEqual(['编号', '姓名', 'rate']);
    expect(style('B2').font).toContain('<b/>');
    expect(sheet).toContain('<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>');
    expect(sheet).toContain('<autoFilter ref="A2:I4"/>');
    const keys = await written({ lang: 'zh', headers: 'keys', rows: [] });
    expect(keys.cells.get('A1')!.value).toBe('customer_id');
    expect(keys.sheet).toContain('<autoFilter ref="A1:I1"/>');
  });

  it('widths fitted to the header and the values, a Chinese character two columns', async () => {
    const columns: Column[] = [{ key: 'a' }, { key: 'b' }, { key: 'c' }];
    const { sheet } = await written({ columns, rows: [{ a: '张三丰王五赵六', b: 'abcdefghijklmn', c: '很长'.repeat(100) }] });
    const widths = [...sheet.matchAll(/<col min="\d+" max="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([columnWidth(1, 14), columnWidth(1, 14), columnWidth(1, 400)]);
    expect(widths[2]).toBe(60);
  });

  it('masks sealed columns unless revealed (§5)', async () => {
    const masked = await written({ rows: [{ name: '王 13800138000', phone: '13800138000' }] });
    expect(masked.cells.get('C2')!.value).toBe('138****8000');
    expect(masked.cells.get('B2')!.value).not.toContain('13800138000');
    const shown = await written({ rows: [{ name: '王 13800138000', phone: '13800138000' }], revealed: true });
    expect(shown.cells.get('C2')!.value).toBe('13800138000');
  });

  it('an example row under the header: its first cell 示例/example, grey italics', async () => {
    for (const [lang, word] of [['zh', '示例'], ['en', 'example']] as const) {
      const { cells, style } = await written({ lang, example: { customer_id: 7, name: '刘芳', day: '2024-07-02' }, rows: [] });
      expect(cells.get('A2')).toMatchObject({ type: 'inlineStr', value: word });
      expect(cells.get('B2')!.value).toBe('刘芳');
      for (const ref of ['A2', 'B2', 'F2']) expect(style(ref).font).toMatch(/<i\/>.*FF808080/);
      expect(style('F2').format).toBe('yyyy-mm-dd');
    }
  });

  it('drop-down lists: inline when short, on a hidden sheet through a name when longer than 255 characters', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `class_${i}`);
    const { sheet, parts } = await written({ example: { note: 'x' }, validations: { note: ['是', '否'], flags: long, nosuch: ['x'] }, rows: [] });
    expect(sheet).toContain('sqref="I2:I1048576"><formula1>&quot;是,否&quot;</formula1>');
    expect(sheet).toContain('sqref="H2:H1048576"><formula1>salesops_list_1</formula1>');
    expect(sheet).toContain('errorStyle="warning"');
    const workbook = parts.get('xl/workbook.xml')!;
    expect(workbook).toContain('<sheet name="lists" sheetId="2" state="hidden" r:id="rId2"/>');
    expect(workbook).toContain(`<definedName name="salesops_list_1">'lists'!$A$1:$A$60</definedName>`);
    const lists = sheetCells(parts.get('xl/worksheets/sheet2.xml')!);
    expect([lists.get('A1')!.value, lists.get('A60')!.value]).toEqual(['class_0', 'class_59']);
  });

  it('sheet names made legal and distinct', () => {
    expect(sheetNames(['a/b:c*d?e[f]g\\h', "'quoted'", '', 'x'.repeat(40), 'Data', 'data', 'History', '顾客'.repeat(20)])).toEqual([
      'a_b_c_d_e_f_g_h',
      'quoted',
      'Sheet3',
      'x'.repeat(31),
      'Data',
      'data (2)',
      'History (2)',
      '顾客'.repeat(15) + '顾',
    ]);
    expect(columnName(0) + columnName(25) + columnName(26) + columnName(16383)).toBe('AZAAXFD');
  });

  it('the same rows give the same bytes', async () => {
    const a = await written({ rows: [{ customer_id: 1, note: 'x' }] });
    const b = await written({ rows: [{ customer_id: 1, note: 'x' }] });
    expect(fs.readFileSync(a.file).equals(fs.readFileSync(b.file))).toBe(true);
  });

  it('several sheets, in order, rows counted per sheet; async rows too', async () => {
    const file = fresh();
    async function* slow(): AsyncIterable<Row> {
      for (let i = 0; i < 3; i++) yield { a: i };
    }
    const done = await writeWorkbook(file, guard, [
      { name: 'one', columns: [{ key: 'a', kind: 'int' }], lang: 'en', rows: [{ a: 1 }] },
      { name: 'two', columns: [{ key: 'a', kind: 'int' }], lang: 'en', rows: slow() },
    ]);
    expect(done.rows).toEqual([1, 3]);
    const parts = await zipParts(file);
    expect(parts.get('xl/workbook.xml')).toMatch(/<sheet name="one" sheetId="1" r:id="rId1"\/><sheet name="two" sheetId="2" r:id="rId2"\/>/);
    expect(sheetCells(parts.get('xl/worksheets/sheet2.xml')!).get('A4')!.value).toBe('2');
  });
});

describe('streaming and failures', () => {
  it('streams: 200,000 rows through a sink that is read as it goes, in bounded chunks', async () => {
    const chunks: number[] = [];
    function* rows(): Iterable<Row> {
      for (let i = 0; i < 200_000; i++) yield { customer_id: i, name: `顾客${i}`, amount: i * 101, day: '2024-07-31', note: 'n'.repeat(20) };
    }
    const done = await writeWorkbookTo({ write: (c) => void chunks.push(c.length) }, [{ name: 's', columns: COLUMNS, lang: 'zh', rows: rows() }]);
    expect(done.rows).toEqual([200_000]);
    // the zip came out piece by piece, not as one buffer at the end
    expect(chunks.length).toBeGreaterThan(50);
    expect(Math.max(...chunks)).toBeLessThan(1 << 20);
  });

  it('a row that cannot be read: the error, no file, no temporary file', async () => {
    const file = fresh();
    function* rows(): Iterable<Row> {
      yield { customer_id: 1 };
      throw new Error('disk read failed');
    }
    await expect(writeWorkbook(file, guard, [{ name: 's', columns: COLUMNS, lang: 'en', rows: rows() }])).rejects.toThrow('disk read failed');
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('a sink that fails (a full disk): the error, nothing waits forever', async () => {
    function* rows(): Iterable<Row> {
      for (let i = 0; i < 100_000; i++) yield { note: `row ${i} ${'x'.repeat(50)}` };
    }
    let written = 0;
    const sink = {
      write(c: Buffer) {
        if ((written += c.length) > 20_000) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
      },
    };
    await expect(writeWorkbookTo(sink, [{ name: 's', columns: COLUMNS, lang: 'en', rows: rows() }])).rejects.toThrow('no space');
  });

  it(`more rows than a sheet holds (${MAX_ROWS} with the header): a clear error, no file`, async () => {
    const file = fresh();
    function* rows(): Iterable<Row> {
      for (let i = 0; i < MAX_ROWS; i++) yield { a: 1 };
    }
    const e = await writeWorkbook(file, guard, [{ name: 's', columns: [{ key: 'a', kind: 'int' }], lang: 'en', rows: rows() }]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toContain('more rows than one Excel sheet holds');
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('refuses what every output refuses (the guard): a folder, the database', async () => {
    const dir = path.dirname(fresh());
    await expect(writeWorkbook(dir, guard, [])).rejects.toThrow('is a folder');
    const db = path.join(dir, 'x.xlsx');
    await expect(writeWorkbook(db, { db, what: 'export' }, [])).rejects.toThrow('is the database');
  });

  it('the file is owner-only (0600)', async () => {
    const { file } = await written({ rows: [] });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('the rejects workbook of an .xlsx import', () => {
  it('the header + the error column, each row as read (text) with its error in that column', async () => {
    const file = fresh('rejects.xlsx');
    const w = await openRejectsWorkbook(file, { what: 'rejects' }, ['电话', '姓名', '日期'], '调查表');
    w.row(['1380013', '张三', '45504'], 'phone: wrong number of digits');
    w.row(['=1+1'], 'a short row');
    w.row(['a', 'b', 'c', 'd'], 'a long row');
    // the rows wait beside the target until published
    expect(fs.existsSync(file)).toBe(false);
    await w.publish();
    const parts = await zipParts(file);
    for (const [name, xml] of parts) expect(() => wellFormed(xml), name).not.toThrow();
    expect(parts.get('xl/workbook.xml')).toContain('<sheet name="调查表"');
    const sheet = parts.get('xl/worksheets/sheet1.xml')!;
    const cells = sheetCells(sheet);
    const row = (r: number) => ['A', 'B', 'C', 'D', 'E'].map((c) => cells.get(c + r)?.value ?? '');
    expect(row(1)).toEqual(['电话', '姓名', '日期', 'error', '']);
    expect(row(2)).toEqual(['1380013', '张三', '45504', 'phone: wrong number of digits', '']);
    expect(row(3)).toEqual(['=1+1', '', '', 'a short row', '']);
    expect(row(4)).toEqual(['a', 'b', 'c', 'a long row', 'd']);
    expect(cells.get('C2')!.type).toBe('inlineStr');
    expect(sheet).toContain('<pane ySplit="1" topLeftCell="A2"');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['rejects.xlsx']);
  });

  it('abort leaves nothing', async () => {
    const file = fresh('rejects.xlsx');
    const w = await openRejectsWorkbook(file, { what: 'rejects' }, ['a'], 's');
    w.row(['1'], 'bad');
    w.abort();
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('the error column in the language of the run', async () => {
    setLang('zh');
    try {
      const file = fresh('rejects.xlsx');
      const w = await openRejectsWorkbook(file, { what: 'rejects' }, ['a'], 's');
      await w.publish();
      expect(sheetCells((await zipParts(file)).get('xl/worksheets/sheet1.xml')!).get('B1')!.value).toBe('错误原因');
    } finally {
      setLang('en');
    }
  });
});
