/**
 * The .xlsx reader (src/io/xlsx: issue 16): cells as Excel shows them (numbers exact, dates
 * in the 1900 and 1904 systems with the 1900 leap-year bug, times), every kind of string,
 * gaps, merged ranges, the sheet chosen, and the limits: a file that is not a workbook, a
 * zip bomb, a cell or a row past what a sheet can hold. Workbooks are built the way Excel and
 * WPS write them (test/e2e/workbooks.ts), or with yazl from raw XML for shapes it lacks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Found, MAX_RECORD } from '../../src/io/csvRecords.js';
import { openSheet } from '../../src/io/xlsx/read.js';
import { Shown, builtInShown, columnIndex, formatShown, numberText, serialText } from '../../src/io/xlsx/cells.js';
import { UserError } from '../../src/errors.js';
import { setLang } from '../../src/messages/index.js';
import { bigCellSheet, emptySheet, excelSerial, officeSurveySheet, wideSheet, workbook, zip, zipBomb, zipNotWorkbook, type WorkbookSpec } from '../e2e/workbooks.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function file(spec: WorkbookSpec | Buffer | Promise<Buffer>): Promise<string> {
  const p = path.join(dir, `w${++n}.xlsx`);
  const data = Buffer.isBuffer(spec) ? spec : spec instanceof Promise ? await spec : await workbook(spec as WorkbookSpec);
  fs.writeFileSync(p, data);
  return p;
}

interface Read {
  sheet: string;
  rows: { row: number; cells: string[]; errors?: [number, string][]; long?: [number, string] }[];
  merged: readonly [number, number, number, number][];
}

/** Every record of the sheet, as the import worker reads them. */
async function readSheet(p: string, sheet?: string): Promise<Read> {
  const src = await openSheet(p, sheet);
  const out: Read = { sheet: src.sheet, rows: [], merged: [] };
  try {
    await src.read();
    for (;;) {
      const f = src.next();
      if (f === Found.More) await src.read();
      else if (f === Found.End) break;
      else if (f === Found.Record) out.rows.push({ row: src.row, cells: src.cells.slice(), ...(src.cellErrors ? { errors: src.cellErrors } : {}) });
      else if (f === Found.TooLong) out.rows.push({ row: src.row, cells: [], long: [src.longCell, src.longValue] });
    }
    out.merged = src.merged;
  } finally {
    src.close();
  }
  return out;
}

/** The UserError reading the sheet throws (its message). */
async function refusal(p: string, sheet?: string): Promise<string> {
  try {
    await readSheet(p, sheet);
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('read without an error');
}

describe('numbers as a person sees them', () => {
  it('integers stay digits, never scientific nor .0', () => {
    expect(numberText('13800138000')).toBe('13800138000');
    expect(numberText('1.3800138E10')).toBe('13800138000');
    expect(numberText('-42')).toBe('-42');
    expect(numberText('0')).toBe('0');
    expect(numberText('20240509')).toBe('20240509');
  });
  it('floating noise is rounded to 15 significant digits, trailing zeros dropped', () => {
    expect(numberText('3980.0000000000005')).toBe('3980');
    expect(numberText('1234.5599999999999')).toBe('1234.56');
    expect(numberText('0.30000000000000004')).toBe('0.3');
    expect(numberText('12.5')).toBe('12.5');
    expect(numberText('1E-7')).toBe('0.0000001');
    expect(numberText('-0.000123')).toBe('-0.000123');
  });
  it('past 15 digits Excel kept no more: scientific, as the kinds refuse it (digits lost)', () => {
    expect(numberText('4.4010419560101101E+17')).toBe('4.40104195601011E+17');
    expect(numberText('1234567890123460')).toBe('1.23456789012346E+15');
  });
});

describe('dates', () => {
  it('1900 system: serial 1 is 1900-01-01, 59 is 1900-02-28, 60 the 1900-02-29 that never was, 61 is 1900-03-01', () => {
    expect(serialText(1, Shown.Date, false)).toBe('1900-01-01');
    expect(serialText(59, Shown.Date, false)).toBe('1900-02-28');
    expect(serialText(60, Shown.Date, false)).toBe('1900-02-29');
    expect(serialText(61, Shown.Date, false)).toBe('1900-03-01');
    expect(serialText(45421, Shown.Date, false)).toBe('2024-05-09');
    expect(serialText(excelSerial('2024-02-29'), Shown.Date, false)).toBe('2024-02-29');
  });
  it('1904 system: serial 0 is 1904-01-01', () => {
    expect(serialText(0, Shown.Date, true)).toBe('1904-01-01');
    expect(serialText(45421 - 1462, Shown.Date, true)).toBe('2024-05-09');
  });
  it('a time of day: with the date when the format shows one and it is not midnight; alone for a time format', () => {
    const at = 45476 + (8 * 60 + 30) / 1440;
    expect(serialText(at, Shown.DateTime, false)).toBe('2024-07-03 08:30');
    expect(serialText(45476, Shown.DateTime, false)).toBe('2024-07-03');
    expect(serialText(at, Shown.Date, false)).toBe('2024-07-03');
    expect(serialText((20 * 60 + 30) / 1440, Shown.Time, false)).toBe('20:30');
    expect(serialText(45476 + 0.999999999, Shown.DateTime, false)).toBe('2024-07-04');
    expect(serialText(1 + 10.5 / 24, Shown.Elapsed, false)).toBe('34:30');
    expect(serialText(-1, Shown.Date, false)).toBeNull();
  });
  it('which formats show dates: built-in ids and custom codes, quoted text and brackets aside', () => {
    for (const id of [14, 15, 16, 17, 27, 31, 36, 50, 57, 58]) expect(builtInShown(id)).toBe(Shown.Date);
    for (const id of [18, 20, 21, 32, 45]) expect(builtInShown(id)).toBe(Shown.Time);
    expect(builtInShown(22)).toBe(Shown.DateTime);
    for (const id of [0, 1, 2, 4, 9, 10, 49]) expect(builtInShown(id)).toBe(Shown.Number);
    expect(formatShown('yyyy"年"m"月"d"日";@')).toBe(Shown.Date);
    expect(formatShown('yyyy/m/d;@')).toBe(Shown.Date);
    expect(formatShown('yyyy\\-mm\\-dd\\ hh:mm')).toBe(Shown.DateTime);
    expect(formatShown('[$-F800]dddd, mmmm dd, yyyy')).toBe(Shown.Date);
    expect(formatShown('[DBNum1][$-804]yyyy"年"m"月"d"日"')).toBe(Shown.Date);
    expect(formatShown('h:mm AM/PM')).toBe(Shown.Time);
    expect(formatShown('[h]:mm:ss')).toBe(Shown.Elapsed);
    expect(formatShown('mmm')).toBe(Shown.Date);
    expect(formatShown('#,##0.00_);[Red]\\(#,##0.00\\)')).toBe(Shown.Number);
    expect(formatShown('0.00"天"')).toBe(Shown.Number);
    expect(formatShown('"Day "0')).toBe(Shown.Number);
    expect(formatShown('General')).toBe(Shown.Number);
    expect(formatShown('@')).toBe(Shown.Number);
  });
  it('column letters: A is 0, XFD is the last', () => {
    expect(columnIndex('A1')).toBe(0);
    expect(columnIndex('AB12')).toBe(27);
    expect(columnIndex('XFD1')).toBe(16_383);
    expect(columnIndex('XFE1')).toBeGreaterThanOrEqual(16_384);
    expect(columnIndex('12')).toBe(-1);
  });
});

describe('a sheet as Excel and WPS write it', () => {
  it('title rows, a merged banner, numeric phones, four date styles, a hidden row: the sheet rows and numbers', async () => {
    for (const app of ['excel', 'wps'] as const) {
      const r = await readSheet(await file({ app, sheets: [officeSurveySheet()] }));
      expect(r.sheet).toBe('5月调查');
      expect(r.rows.map((x) => x.row)).toEqual([1, 2, 4, 5, 6, 7, 8]);
      expect(r.rows[2].cells).toEqual(['问卷号', '客户姓名', '性别', '年龄', '手机号码', '家庭地址', '采集人', '调查日期']);
      expect(r.rows[3].cells).toEqual(['Q1', '冯明', '男', '68', '13857903456', '浙江省金华市浦江县和平路 1 号', '刘芳', '2024-05-09']);
      expect(r.rows.slice(3).map((x) => x.cells[7])).toEqual(['2024-05-09', '2024-05-09', '2024-05-10', '2024-05-10 09:30']);
      expect(r.rows[6].cells[4]).toBe('13857903459');
      expect(r.merged).toEqual([
        [1, 0, 1, 7],
        [2, 0, 2, 7],
      ]);
    }
  });

  it('shared and inline strings, rich text without its phonetic guide, formulas by their cached value, booleans, errors, gaps', async () => {
    for (const sharedStrings of [true, false]) {
      const r = await readSheet(
        await file({
          sharedStrings,
          sheets: [
            {
              name: '数据',
              rows: [
                ['a', null, 'c', { rich: [{ text: '重要', bold: true }, { text: '客户', color: 'FFFF0000' }], phonetic: 'じゅうよう' }],
                [{ formula: 'A1&"x"', value: 'ax' }, { formula: 'SUM(1,2)', value: 3 }, { formula: '1=1', value: true }, false, { error: '#N/A' }, { formula: 'VLOOKUP(1,A:A,2)', value: { error: '#REF!' } }],
                [{ number: 3980.5, style: 'money' }, { number: '1234.5599999999999' }, { number: 0.15, style: 'percent' }, { time: '20:30' }, { blank: true }, 'f'],
              ],
            },
          ],
        }),
      );
      expect(r.rows[0].cells).toEqual(['a', '', 'c', '重要客户']);
      expect(r.rows[1].cells.slice(0, 4)).toEqual(['ax', '3', 'TRUE', 'FALSE']);
      expect(r.rows[1].errors).toEqual([
        [4, '#N/A'],
        [5, '#REF!'],
      ]);
      expect(r.rows[2].cells).toEqual(['3980.5', '1234.56', '0.15', '20:30', '', 'f']);
    }
  });

  it('the 1904 date system and the dates of every style', async () => {
    const row = [{ date: '2024-05-09' }, { date: '2024-05-09', style: 'zh' as const }, { date: '2024-05-09', style: 'zh-builtin' as const }, { date: '2024-07-03T08:30', style: 'datetime-builtin' as const }];
    for (const date1904 of [false, true]) {
      const r = await readSheet(await file({ date1904, sheets: [{ name: 'S', rows: [row] }] }));
      expect(r.rows[0].cells).toEqual(['2024-05-09', '2024-05-09', '2024-05-09', '2024-07-03 08:30']);
    }
  });

  it('a namespace prefix (.NET Open XML SDK), absolute targets, tabs moved: the first tab is read', async () => {
    const sheets = [
      { name: '一', rows: [['x1']] },
      { name: '二', rows: [['x2']] },
    ];
    for (const spec of [{ prefix: 'x', sheets }, { absoluteTargets: true, sheets }, { tabsMoved: true, sheets }] as WorkbookSpec[]) {
      const r = await readSheet(await file(spec));
      expect([r.sheet, r.rows[0].cells]).toEqual(['一', ['x1']]);
    }
  });

  it('--sheet: by name (any case), by number counting the tabs shown; a hidden tab is skipped by default', async () => {
    const p = await file({
      sheets: [
        { name: 'Lists', rows: [['hidden']], hidden: true },
        { name: 'Summary', rows: [['s']] },
        { name: 'Details', rows: [['d']] },
      ],
    });
    expect((await readSheet(p)).sheet).toBe('Summary');
    expect((await readSheet(p, 'details')).rows[0].cells).toEqual(['d']);
    expect((await readSheet(p, '2')).sheet).toBe('Details');
    expect((await readSheet(p, 'Lists')).rows[0].cells).toEqual(['hidden']);
    setLang('en');
    expect(await refusal(p, '3')).toContain('has no sheet "3"; its sheets: "Lists" (hidden), 1 "Summary", 2 "Details"');
    setLang('zh');
    expect(await refusal(p, '汇总')).toContain('没有工作表「汇总」；其中的工作表：「Lists」（隐藏）、1「Summary」、2「Details」');
    setLang('en');
  });

  it('a cell is placed by its reference and a row by its number, whatever comes before', async () => {
    const sheet = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="3"><c r="C3" t="inlineStr"><is><t>c</t></is></c><c r="E3"><v>5</v></c></row><row><c t="inlineStr"><is><t>next</t></is></c><c><v>2</v></c></row></sheetData></worksheet>';
    const r = await readSheet(await file(minimal(sheet)));
    expect(r.rows).toEqual([
      { row: 3, cells: ['', '', 'c', '', '5'] },
      { row: 4, cells: ['next', '2'] },
    ]);
  });

  it('_xHHHH_ escapes of control characters and of _x itself', async () => {
    const sheet = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D_b</t></is></c><c r="B1" t="inlineStr"><is><t>_x005F_x0041_</t></is></c></row></sheetData></worksheet>';
    expect((await readSheet(await file(minimal(sheet)))).rows[0].cells).toEqual(['a\rb', '_x0041_']);
  });
});

describe('limits and files that are not workbooks', () => {
  it('a zip cut short, a zip that is no workbook, an empty sheet: each said plainly', async () => {
    setLang('en');
    const whole = await workbook({ sheets: [{ name: 'S', rows: [['a']] }] });
    expect(await refusal(await file(whole.subarray(0, whole.length - 30)))).toMatch(/is a damaged workbook and cannot be read/);
    expect(await refusal(await file(zipNotWorkbook()))).toMatch(/is a zip file but not an Excel workbook/);
    expect(await refusal(await file(emptySheet()))).toMatch(/the sheet "Sheet1" of .* is empty/);
    expect(await refusal(await file(emptySheet('wps')))).toMatch(/is empty/);
  });

  it('a cell past XFD is refused; XFD itself is a column', async () => {
    setLang('en');
    expect(await refusal(await file(wideSheet(16_385)))).toMatch(/row 1 of the sheet "Sheet1" in .* has a cell at XFE1, past XFD/);
    const r = await readSheet(await file(wideSheet(16_384)));
    expect(r.rows[0].cells.length).toBe(16_384);
  });

  it('a cell over a record’s length is TooLong, in shared and inline strings alike', async () => {
    for (const sharedStrings of [true, false]) {
      const r = await readSheet(await file(bigCellSheet(MAX_RECORD + 10, sharedStrings)));
      expect(r.rows[1]).toEqual({ row: 2, cells: [], long: [2, 'x'.repeat(40)] });
    }
  });

  it('a zip bomb: refused by its ratio before it is read, and by counting when its sizes lie', async () => {
    setLang('en');
    const bomb = await zipBomb(path.join(dir, 'bomb.xlsx'), { bytes: 64 * 1024 ** 2 });
    expect(await refusal(bomb)).toMatch(/xl\/worksheets\/sheet1\.xml of .* expands [\d,]+ times/);
    const liar = await zipBomb(path.join(dir, 'liar.xlsx'), { bytes: 64 * 1024 ** 2, lie: true });
    expect(await refusal(liar)).toMatch(/expands past the size it declares/);
  });

  it('a zip whose entries are encrypted (legacy zip encryption) is password-protected', async () => {
    setLang('en');
    const buf = await workbook({ sheets: [{ name: 'S', rows: [['a']] }] });
    // set the "encrypted" flag (bit 0) of every central directory entry
    for (let p = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); p >= 0; p = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), p + 4)) buf[p + 8] |= 1;
    expect(await refusal(await file(buf))).toMatch(/is password-protected/);
  });
});

/** A workbook of one sheet of the given XML, nothing else but what must be there. */
function minimal(sheetXml: string): Promise<Buffer> {
  return zip([
    ['_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'],
    ['xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'],
    ['xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/s.xml"/></Relationships>'],
    ['xl/worksheets/s.xml', sheetXml],
  ]);
}
