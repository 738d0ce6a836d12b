/**
 * The test factory of workbooks (test/e2e/workbooks.ts, issue 16): every file it builds is a
 * zip that yauzl reads, every XML part parses with saxes (namespaces bound), every part the
 * relationships name is there, and each shape is written as the builder says: shared and
 * inline strings, date serials in both date systems, styles, merges, hidden and sparse rows,
 * formulas, WPS's particulars, the bad inputs and the compound files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { SaxesParser } from 'saxes';
import {
  bigCellSheet,
  columnName,
  compoundFile,
  csvRenamedXlsx,
  emptySheet,
  encryptedXlsx,
  excelSerial,
  legacyXls,
  numbersFile,
  odsFile,
  officeSurveySheet,
  wideSheet,
  workbook,
  zipBomb,
  zipNotWorkbook,
  type WorkbookSpec,
} from '../e2e/workbooks.js';

/** The entries of a zip opened with lazyEntries, in the order of its directory. */
function entries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const out: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      out.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** Every entry of a zip, inflated (by yauzl, checking sizes and CRCs). */
async function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for (const entry of await entries(zip)) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  return out;
}

interface El {
  name: string;
  local: string;
  uri: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

/** The XML parsed with namespaces (an unbound prefix is an error), as a tree. */
function parse(xml: string): El {
  const parser = new SaxesParser({ xmlns: true });
  const root: El = { name: '', local: '', uri: '', attrs: {}, children: [], text: '' };
  const stack = [root];
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, a] of Object.entries(tag.attributes)) attrs[k] = typeof a === 'string' ? a : a.value;
    const el: El = { name: tag.name, local: tag.local ?? tag.name, uri: tag.uri ?? '', attrs, children: [], text: '' };
    stack[stack.length - 1].children.push(el);
    stack.push(el);
  });
  parser.on('text', (t) => (stack[stack.length - 1].text += t));
  parser.on('closetag', () => stack.pop());
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  return root.children[0];
}

const all = (el: El, local: string): El[] => [...(el.local === local ? [el] : []), ...el.children.flatMap((c) => all(c, local))];
const first = (el: El, local: string): El | undefined => all(el, local)[0];

/** The parts of a workbook, each XML part parsed, after checking the package holds together. */
async function open(spec: WorkbookSpec): Promise<{ parts: Map<string, Buffer>; xml: (name: string) => El }> {
  const parts = await unzip(await workbook(spec));
  const trees = new Map<string, El>();
  for (const [name, data] of parts) if (/\.(xml|rels)$/.test(name)) trees.set(name, parse(data.toString('utf8')));
  const xml = (name: string) => {
    const t = trees.get(name);
    if (!t) throw new Error(`no part ${name}`);
    return t;
  };
  // every part a relationship names is in the zip, and has a content type
  const overrides = new Set(all(xml('[Content_Types].xml'), 'Override').map((o) => o.attrs.PartName));
  for (const [relsName, base] of [
    ['_rels/.rels', ''],
    ['xl/_rels/workbook.xml.rels', 'xl/'],
  ]) {
    for (const rel of all(xml(relsName), 'Relationship')) {
      const target = rel.attrs.Target.startsWith('/') ? rel.attrs.Target.slice(1) : base + rel.attrs.Target;
      expect(parts.has(target), `${relsName} → ${target}`).toBe(true);
      expect(overrides.has('/' + target), `content type of ${target}`).toBe(true);
    }
  }
  return { parts, xml };
}

interface CellOut {
  t?: string;
  s?: string;
  v?: string;
  f?: El;
  inline?: string;
}

/** The cells of a sheet part by reference, and its rows' attributes. */
function cells(sheet: El): { cells: Map<string, CellOut>; rows: Map<number, Record<string, string>> } {
  const out = new Map<string, CellOut>();
  const rows = new Map<number, Record<string, string>>();
  for (const row of all(sheet, 'row')) {
    rows.set(+row.attrs.r, row.attrs);
    for (const c of row.children) {
      const v = first(c, 'v');
      const is = first(c, 'is');
      out.set(c.attrs.r, { t: c.attrs.t, s: c.attrs.s, v: v?.text, f: first(c, 'f'), inline: is ? all(is, 't').map((t) => t.text).join('') : undefined });
    }
  }
  return { cells: out, rows };
}

/** The text of shared string i (its runs, not its phonetic runs). */
function sharedString(sst: El, i: number): string {
  const si = all(sst, 'si')[i];
  return si.children.flatMap((c) => (c.local === 't' ? [c.text] : c.local === 'r' ? all(c, 't').map((t) => t.text) : [])).join('');
}

/** numFmtId of cell style s */
function numFmt(styles: El, s: string | undefined): number {
  return +first(styles, 'cellXfs')!.children[+(s ?? 0)].attrs.numFmtId;
}

const SHAPES: WorkbookSpec = {
  sheets: [
    {
      name: '说明',
      rows: [['本表第二页为数据']],
    },
    {
      name: '数据',
      rows: [
        [{ text: '中老年健康调查表（5月）', style: 'title' }],
        [],
        ['姓名', '电话', '金额', '日期', '时间', '合计', '说明', '成交', '核对'],
        ['冯明', 13800138000, 3980.5, { date: '2024-05-09' }, { time: '20:30' }, { formula: 'SUM(C3:C4)', value: 3 }, { formula: 'A4&"先生"', value: '冯明先生' }, true, { error: '#N/A' }],
        ['王兰', null, { number: '1234.5599999999999', style: 'money' }, { date: '2024-07-03T08:30', style: 'datetime' }, null, { formula: '', value: 8, shared: { si: 0 } }, { rich: [{ text: '已' }, { text: '成交', bold: true, color: 'FFFF0000' }] }, false, { formula: 'VLOOKUP(A5,G:G,1,0)', value: { error: '#N/A' } }],
        ['李强', { text: '13800138001', style: 'text' }, 0.1 + 0.2, { date: '2024-05-10', style: 'zh' }, null, null, null, null, { blank: true }],
        [],
        [null, null, null, { date: '2024-05-11', style: 'zh-builtin' }, null, null, null, null, null, 'J8'],
      ],
      merges: ['A1:I1'],
      hiddenRows: [6],
      autoFilter: 'A3:I6',
    },
  ],
};

describe('workbook(): the parts Excel writes', () => {
  it('a zip of the parts of an Excel workbook, in the order Excel zips them, each well-formed', async () => {
    const { parts, xml } = await open(SHAPES);
    expect([...parts.keys()]).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
      'xl/theme/theme1.xml',
      'xl/styles.xml',
      'xl/sharedStrings.xml',
      'docProps/core.xml',
      'docProps/app.xml',
    ]);
    expect(first(xml('docProps/app.xml'), 'Application')!.text).toBe('Microsoft Excel');
    expect(xml('xl/worksheets/sheet2.xml').uri).toBe('http://schemas.openxmlformats.org/spreadsheetml/2006/main');
    expect(parts.get('xl/worksheets/sheet2.xml')!.toString('utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?>\r\n<worksheet /);
    expect(all(xml('xl/workbook.xml'), 'sheet').map((s) => s.attrs.name)).toEqual(['说明', '数据']);
    expect(first(xml('xl/workbook.xml'), 'definedName')).toMatchObject({ attrs: { name: '_xlnm._FilterDatabase', localSheetId: '1' }, text: '数据!$A$3:$I$6' });
  });

  it('cells as Excel stores them: shared strings, numbers, date serials with their styles, formulas, booleans, errors', async () => {
    const { xml } = await open(SHAPES);
    const sheet = xml('xl/worksheets/sheet2.xml');
    const sst = xml('xl/sharedStrings.xml');
    const styles = xml('xl/styles.xml');
    const { cells: c, rows } = cells(sheet);
    expect(first(sheet, 'dimension')!.attrs.ref).toBe('A1:J8');
    // strings: shared, equal ones once; counts as Excel keeps them
    expect(c.get('A4')).toMatchObject({ t: 's' });
    expect(sharedString(sst, +c.get('A4')!.v!)).toBe('冯明');
    expect(+sst.attrs.uniqueCount).toBe(all(sst, 'si').length);
    const refs = (part: string) => all(xml(part), 'c').filter((x) => x.attrs.t === 's').length;
    expect(+sst.attrs.count).toBe(refs('xl/worksheets/sheet1.xml') + refs('xl/worksheets/sheet2.xml'));
    // the phone a number in General; money with binary noise as Excel writes it
    expect(c.get('B4')).toEqual({ v: '13800138000', t: undefined, s: undefined, f: undefined, inline: undefined });
    expect(c.get('C4')!.v).toBe('3980.5');
    expect(c.get('C5')).toMatchObject({ v: '1234.5599999999999' });
    expect(numFmt(styles, c.get('C5')!.s)).toBe(4);
    expect(c.get('C6')!.v).toBe('0.30000000000000004');
    expect(c.get('B6')).toMatchObject({ t: 's' });
    expect(numFmt(styles, c.get('B6')!.s)).toBe(49);
    // dates: serials, and the format of each
    expect(c.get('D4')).toMatchObject({ v: '45421' });
    expect(numFmt(styles, c.get('D4')!.s)).toBe(14);
    expect(Number(c.get('D5')!.v)).toBeCloseTo(45476 + 8.5 / 24, 10);
    const customs = new Map(all(styles, 'numFmt').map((n) => [+n.attrs.numFmtId, n.attrs.formatCode]));
    expect(customs.get(numFmt(styles, c.get('D5')!.s))).toBe('yyyy\\-mm\\-dd\\ hh:mm');
    expect(customs.get(numFmt(styles, c.get('D6')!.s))).toBe('yyyy"年"m"月"d"日";@');
    expect(numFmt(styles, c.get('D8')!.s)).toBe(31);
    expect(customs.has(31)).toBe(false);
    expect(Number(c.get('E4')!.v)).toBeCloseTo(20.5 / 24, 12);
    expect(numFmt(styles, c.get('E4')!.s)).toBe(20);
    // formulas with their cached values
    expect(c.get('F4')).toMatchObject({ v: '3', t: undefined });
    expect(c.get('F4')!.f!.text).toBe('SUM(C3:C4)');
    expect(c.get('G4')).toMatchObject({ t: 'str', v: '冯明先生' });
    expect(c.get('F5')!.f!.attrs).toEqual({ t: 'shared', si: '0' });
    expect(c.get('I5')).toMatchObject({ t: 'e', v: '#N/A' });
    expect(c.get('H4')).toMatchObject({ t: 'b', v: '1' });
    expect(c.get('H5')).toMatchObject({ t: 'b', v: '0' });
    expect(c.get('I4')).toMatchObject({ t: 'e', v: '#N/A' });
    expect(c.get('I6')).toEqual({ t: undefined, s: undefined, v: undefined, f: undefined, inline: undefined });
    // rich text: runs in one shared string
    const rich = all(sst, 'si')[+c.get('G5')!.v!];
    expect(all(rich, 'r')).toHaveLength(2);
    expect(sharedString(sst, +c.get('G5')!.v!)).toBe('已成交');
    // the banner: merged after sheetData, its covered cells empty in its style
    const order = xml('xl/worksheets/sheet2.xml').children.map((e) => e.local);
    expect(order.indexOf('mergeCells')).toBeGreaterThan(order.indexOf('sheetData'));
    expect(order.indexOf('autoFilter')).toBe(order.indexOf('sheetData') + 1);
    expect(first(sheet, 'mergeCell')!.attrs.ref).toBe('A1:I1');
    expect(c.get('B1')).toMatchObject({ s: c.get('A1')!.s, v: undefined });
    expect(c.get('I1')).toMatchObject({ s: c.get('A1')!.s });
    // sparse: rows 2 and 7 absent, row 5 skips B, row 8 starts at D
    expect([...rows.keys()]).toEqual([1, 3, 4, 5, 6, 8]);
    expect(c.has('B5')).toBe(false);
    expect([...c.keys()].filter((k) => k.endsWith('8'))).toEqual(['D8', 'J8']);
    expect(rows.get(8)!.spans).toBe('4:10');
    expect(rows.get(6)!.hidden).toBe('1');
    expect(rows.get(5)!.hidden).toBeUndefined();
  });

  it('CJK strings carry phonetic properties, whose runs are not the text', async () => {
    const { xml } = await open({ sheets: [{ name: 'S', rows: [['姓名', 'name', { rich: [{ text: '漢字' }], phonetic: 'かんじ' }]] }] });
    const sst = xml('xl/sharedStrings.xml');
    const si = all(sst, 'si');
    expect(first(si[0], 'phoneticPr')).toBeDefined();
    expect(first(si[1], 'phoneticPr')).toBeUndefined();
    expect(first(si[2], 'rPh')).toBeDefined();
    expect(sharedString(sst, 2)).toBe('漢字');
  });

  it('inline strings (sharedStrings: false): no sharedStrings part, t="inlineStr"', async () => {
    const { parts, xml } = await open({ ...SHAPES, sharedStrings: false });
    expect(parts.has('xl/sharedStrings.xml')).toBe(false);
    const { cells: c } = cells(xml('xl/worksheets/sheet2.xml'));
    expect(c.get('A4')).toMatchObject({ t: 'inlineStr', inline: '冯明' });
    expect(c.get('G5')).toMatchObject({ t: 'inlineStr', inline: '已成交' });
    expect(all(xml('xl/_rels/workbook.xml.rels'), 'Relationship').some((r) => r.attrs.Target.includes('sharedStrings'))).toBe(false);
  });

  it('the 1904 date system: date1904="1", serials 1,462 days smaller', async () => {
    const { xml } = await open({ ...SHAPES, date1904: true });
    expect(first(xml('xl/workbook.xml'), 'workbookPr')!.attrs.date1904).toBe('1');
    expect(cells(xml('xl/worksheets/sheet2.xml')).cells.get('D4')!.v).toBe(String(45421 - 1462));
  });

  it('WPS: 宋体, WPS 表格 in app.xml, KSOProductBuildVer in custom.xml, the etc: namespace, custom formats from 176', async () => {
    const { parts, xml } = await open({ ...SHAPES, app: 'wps' });
    expect(first(xml('docProps/app.xml'), 'Application')!.text).toBe('WPS 表格');
    expect(all(xml('docProps/custom.xml'), 'property').map((p) => p.attrs.name)).toContain('KSOProductBuildVer');
    expect(parts.get('xl/worksheets/sheet2.xml')!.toString()).toContain('xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"');
    expect(first(xml('xl/worksheets/sheet2.xml'), 'autoFilter')!.attrs['etc:filterBottomFollowUsedRange']).toBe('0');
    const styles = xml('xl/styles.xml');
    expect(first(styles, 'name')!.attrs.val).toBe('宋体');
    const { cells: c } = cells(xml('xl/worksheets/sheet2.xml'));
    expect(numFmt(styles, c.get('D6')!.s)).toBeGreaterThanOrEqual(176);
    expect(c.get('B4')!.v).toBe('13800138000');
  });

  it('a namespace prefix (x:) on every SpreadsheetML part, as Open XML SDK programs write', async () => {
    const { xml } = await open({ ...SHAPES, prefix: 'x' });
    for (const part of ['xl/workbook.xml', 'xl/worksheets/sheet2.xml', 'xl/sharedStrings.xml', 'xl/styles.xml']) {
      expect(xml(part).name.startsWith('x:'), part).toBe(true);
      expect(xml(part).uri).toBe('http://schemas.openxmlformats.org/spreadsheetml/2006/main');
    }
    expect(cells(xml('xl/worksheets/sheet2.xml')).cells.get('B4')!.v).toBe('13800138000');
  });

  it('tabs moved: the first tab is the last part; absolute targets resolve', async () => {
    const { xml } = await open({ ...SHAPES, tabsMoved: true, absoluteTargets: true });
    const sheets = all(xml('xl/workbook.xml'), 'sheet');
    expect(sheets.map((s) => [s.attrs.name, s.attrs['r:id']])).toEqual([
      ['说明', 'rId2'],
      ['数据', 'rId1'],
    ]);
    const rel = all(xml('xl/_rels/workbook.xml.rels'), 'Relationship').find((r) => r.attrs.Id === 'rId1')!;
    expect(rel.attrs.Target).toBe('/xl/worksheets/sheet1.xml');
    expect(cells(xml('xl/worksheets/sheet1.xml')).cells.get('B4')!.v).toBe('13800138000');
  });

  it('a hidden tab and all columns formatted', async () => {
    const { xml } = await open({ sheets: [{ name: '代码表', rows: [['男']], hidden: true }, { name: 'Sheet1', rows: [['a']], allColumnsFormatted: true }] });
    expect(all(xml('xl/workbook.xml'), 'sheet')[0].attrs.state).toBe('hidden');
    expect(first(xml('xl/worksheets/sheet2.xml'), 'col')!.attrs.max).toBe('16384');
  });

  it.each(['excel', 'wps'] as const)('the office survey sheet (%s): title, note, blank row, header on row 4, a hidden row', async (app) => {
    const { xml } = await open({ app, sheets: [officeSurveySheet()] });
    const { cells: c, rows } = cells(xml('xl/worksheets/sheet1.xml'));
    expect([...rows.keys()]).toEqual([1, 2, 4, 5, 6, 7, 8]);
    expect(rows.get(7)!.hidden).toBe('1');
    expect(c.get('E5')!.v).toBe('13857903456');
    expect(c.get('H5')!.v).toBe('45421');
    if (app === 'excel') {
      // equal strings shared once (刘芳, 男, …): more references than strings
      const sst = xml('xl/sharedStrings.xml');
      expect(+sst.attrs.count).toBeGreaterThan(+sst.attrs.uniqueCount);
      expect(c.get('G5')!.v).toBe(c.get('G6')!.v);
    }
  });
});

describe('dates and columns', () => {
  it.each<[string, boolean, number]>([
    ['1900-01-01', false, 1],
    ['1900-02-28', false, 59],
    ['1900-03-01', false, 61],
    ['2024-05-09', false, 45421],
    ['2024-05-09T12:00', false, 45421.5],
    ['1904-01-01', true, 0],
    ['2024-05-09', true, 43959],
  ])('%s (1904: %s) → %d', (iso, date1904, serial) => {
    expect(excelSerial(iso, date1904)).toBe(serial);
  });

  it.each<[number, string]>([
    [1, 'A'],
    [26, 'Z'],
    [27, 'AA'],
    [702, 'ZZ'],
    [703, 'AAA'],
    [16_384, 'XFD'],
    [16_385, 'XFE'],
  ])('column %d is %s', (n, name) => {
    expect(columnName(n)).toBe(name);
  });
});

describe('bad inputs', () => {
  it('an empty sheet: dimension A1, an empty sheetData', async () => {
    const { xml } = await open(emptySheet());
    const sheet = xml('xl/worksheets/sheet1.xml');
    expect(first(sheet, 'dimension')!.attrs.ref).toBe('A1');
    expect(first(sheet, 'sheetData')!.children).toEqual([]);
  });

  it.each([16_384, 16_385])('a header of %d columns ends at XFD / XFE', async (columns) => {
    const { xml } = await open(wideSheet(columns));
    const { cells: c } = cells(xml('xl/worksheets/sheet1.xml'));
    expect(c.has(columnName(columns) + '1')).toBe(true);
    expect(first(xml('xl/worksheets/sheet1.xml'), 'dimension')!.attrs.ref).toBe(`A1:${columnName(columns)}2`);
  });

  it.each([true, false])('a cell of 1 MB (shared strings: %s)', async (shared) => {
    const { xml } = await open(bigCellSheet(1 << 20, shared));
    const cell = cells(xml('xl/worksheets/sheet1.xml')).cells.get('C2')!;
    const text = shared ? sharedString(xml('xl/sharedStrings.xml'), +cell.v!) : cell.inline;
    expect(text).toHaveLength(1 << 20);
  });

  it('a CSV renamed .xlsx is text; a .docx is a zip with no workbook', async () => {
    expect(csvRenamedXlsx().subarray(0, 2).toString()).not.toBe('PK');
    const parts = await unzip(await zipNotWorkbook());
    expect([...parts.keys()]).toContain('word/document.xml');
    expect([...parts.keys()].some((k) => k.startsWith('xl/'))).toBe(false);
    for (const [, data] of parts) parse(data.toString('utf8'));
  });

  it('an .ods: its first entry `mimetype`, stored, its media type right after the local header', async () => {
    const buf = await odsFile();
    expect(buf.readUInt32LE(0)).toBe(0x04034b50);
    expect(buf.readUInt16LE(8)).toBe(0); // stored
    expect(buf.toString('latin1', 30, 38)).toBe('mimetype');
    expect(buf.readUInt16LE(28)).toBe(0); // no extra field
    expect(buf.toString('latin1', 38, 38 + buf.readUInt32LE(18))).toBe('application/vnd.oasis.opendocument.spreadsheet');
    const parts = await unzip(buf);
    parse(parts.get('content.xml')!.toString('utf8'));
  });

  it('a Numbers file: a zip of .iwa parts', async () => {
    expect([...(await unzip(await numbersFile())).keys()]).toContain('Index/Document.iwa');
  });

  describe('a zip bomb', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-bomb-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const MiB = 1024 ** 2;

    it('expands about a thousand times; its sheet is well-formed XML, streamed', async () => {
      const file = await zipBomb(path.join(dir, 'bomb.xlsx'), { bytes: 64 * MiB });
      expect(fs.statSync(file).size).toBeLessThan(MiB / 4);
      const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
      let seen = false;
      for (const entry of await entries(zip)) {
        if (entry.fileName !== 'xl/worksheets/sheet1.xml') continue;
        seen = true;
        expect(entry.uncompressedSize).toBeGreaterThan(64 * MiB);
        expect(entry.uncompressedSize / entry.compressedSize).toBeGreaterThan(1000);
        const parser = new SaxesParser({ xmlns: true });
        let rows = 0;
        parser.on('opentag', (t) => (rows += t.local === 'row' ? 1 : 0));
        for await (const chunk of await zip.openReadStreamPromise(entry)) parser.write((chunk as Buffer).toString('latin1'));
        parser.close();
        expect(rows).toBe(2);
      }
      zip.close();
      expect(seen).toBe(true);
    });

    it('lying about its size: yauzl finds more bytes than declared', async () => {
      const file = await zipBomb(path.join(dir, 'liar.xlsx'), { bytes: 8 * MiB, lie: true });
      const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
      for (const entry of await entries(zip)) {
        if (entry.fileName !== 'xl/worksheets/sheet1.xml') continue;
        expect(entry.uncompressedSize).toBe(100_000);
        const read = async () => {
          for await (const chunk of await zip.openReadStreamPromise(entry)) void chunk;
        };
        await expect(read()).rejects.toThrow(/too many bytes/);
      }
      zip.close();
    });
  });
});

/** A compound file read back: its directory's names, and a stream's bytes through the FAT or mini FAT. */
function readCompound(buf: Buffer): Map<string, Buffer> {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
  const sector = 1 << buf.readUInt16LE(0x1e);
  const at = (n: number) => (n + 1) * sector;
  const fat: number[] = [];
  for (let i = 0; i < buf.readUInt32LE(0x2c); i++) {
    const s = buf.readUInt32LE(0x4c + i * 4);
    for (let p = 0; p < sector; p += 4) fat.push(buf.readUInt32LE(at(s) + p));
  }
  const chain = (start: number, next: number[]): number[] => {
    const out: number[] = [];
    for (let s = start; s !== 0xfffffffe; s = next[s]) out.push(s);
    return out;
  };
  const read = (start: number) => Buffer.concat(chain(start, fat).map((s) => buf.subarray(at(s), at(s) + sector)));
  const dir = read(buf.readUInt32LE(0x30));
  const miniFat: number[] = [];
  const mf = buf.readUInt32LE(0x3c) === 0xfffffffe ? Buffer.alloc(0) : read(buf.readUInt32LE(0x3c));
  for (let p = 0; p < mf.length; p += 4) miniFat.push(mf.readUInt32LE(p));
  const miniStream = read(dir.readUInt32LE(0x74));
  const out = new Map<string, Buffer>();
  const walk = (id: number) => {
    if (id === 0xffffffff) return;
    const e = id * 128;
    const name = dir.toString('utf16le', e, e + dir.readUInt16LE(e + 0x40) - 2);
    const start = dir.readUInt32LE(e + 0x74);
    const size = Number(dir.readBigUInt64LE(e + 0x78));
    const data = size < 4096 ? Buffer.concat(chain(start, miniFat).map((s) => miniStream.subarray(s * 64, s * 64 + 64))) : read(start);
    out.set(name, data.subarray(0, size));
    walk(dir.readUInt32LE(e + 0x44));
    walk(dir.readUInt32LE(e + 0x48));
  };
  walk(dir.readUInt32LE(0x4c)); // the root's child
  return out;
}

describe('compound files', () => {
  it('streams large and small read back through the FAT and the mini FAT', () => {
    const streams = [
      { name: 'Workbook', data: Buffer.alloc(9000, 7) },
      { name: 'A', data: Buffer.from('small') },
      { name: 'EncryptionInfo', data: Buffer.alloc(300, 1) },
      { name: 'EncryptedPackage', data: Buffer.alloc(5000, 2) },
    ];
    const back = readCompound(compoundFile(streams));
    expect(new Map([...back].sort())).toEqual(new Map(streams.map((s) => [s.name, s.data] as [string, Buffer]).sort()));
  });

  it('a password-protected .xlsx holds EncryptionInfo (agile, 4.4) and EncryptedPackage', () => {
    const back = readCompound(encryptedXlsx());
    expect([...back.keys()].sort()).toEqual(['EncryptedPackage', 'EncryptionInfo']);
    expect([...back.get('EncryptionInfo')!.subarray(0, 4)]).toEqual([4, 0, 4, 0]);
    parse(back.get('EncryptionInfo')!.subarray(8).toString('utf8'));
  });

  it('an .xls holds a Workbook stream that opens with a BIFF8 BOF record', () => {
    const back = readCompound(legacyXls());
    expect(back.get('Workbook')!.readUInt16LE(0)).toBe(0x0809);
    expect(back.get('Workbook')!.readUInt16LE(4)).toBe(0x0600); // BIFF8
  });
});
