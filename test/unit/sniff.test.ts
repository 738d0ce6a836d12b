/** §2 inputs: encoding (UTF-8 ± BOM, GBK/GB18030, UTF-16) and delimiter detection. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { delimiterFromFlag, detectDelimiter, detectEncoding, encodingFromFlag, locateBadByte, sniff, utf8Sequences } from '../../src/io/sniff.js';
import { MAX_RECORD } from '../../src/io/csvRecords.js';
import { UserError } from '../../src/errors.js';
import { compoundFile, csvRenamedXlsx, encryptedXlsx, legacyXls, numbersFile, odsFile, officeSurveySheet, workbook, zip, zipNotWorkbook } from '../e2e/workbooks.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const gbk = (s: string) => iconv.encode(s, 'gbk');
const CSV = '姓名,电话,收集日期\n刘芳,13812345678,2024-05-09\n';

describe('detectEncoding: BOM → its encoding, else strict UTF-8, else GB18030', () => {
  it.each<[string, Buffer, string]>([
    ['UTF-8 with BOM', Buffer.concat([BOM, utf8(CSV)]), 'utf-8'],
    ['UTF-8 without BOM', utf8(CSV), 'utf-8'],
    ['plain ASCII', utf8('name,phone\nA,13812345678\n'), 'utf-8'],
    ['GBK bytes (Excel on Chinese Windows)', gbk(CSV), 'gb18030'],
    ['GB18030 bytes', iconv.encode(CSV, 'gb18030'), 'gb18030'],
    ['UTF-16LE with BOM (Excel "Unicode text")', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV, 'utf16-le')]), 'utf-16le'],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(CSV, 'utf16-be')]), 'utf-16be'],
    ['a NUL byte: binary', Buffer.from([0x61, 0x2c, 0x00, 0x62]), 'binary'],
    ['an .xlsx (zip) header: binary', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), 'binary'],
    ['UTF-16LE without a BOM (NULs in every second byte)', iconv.encode('name,phone', 'utf16-le'), 'utf-16le'],
    ['UTF-16BE without a BOM (NULs in every first byte)', iconv.encode('name,phone', 'utf16-be'), 'utf-16be'],
    ['UTF-16LE without a BOM, Chinese (一 is 00 4E: NULs on both sides, most on one)', iconv.encode(CSV + '一一,一\n', 'utf16-le'), 'utf-16le'],
    ['UTF-16BE without a BOM, Chinese', iconv.encode(CSV + '一一,一\n', 'utf16-be'), 'utf-16be'],
    ['NULs on one side that decode to control characters: binary', Buffer.from([0x01, 0, 0x02, 0, 0x03, 0, 0x61, 0]), 'binary'],
    ['UTF-16LE with a lone surrogate: binary', Buffer.from([0x61, 0, 0x00, 0xd8, 0x62, 0, 0x63, 0]), 'binary'],
    ['a UTF-8 character cut by the end of the sample is still UTF-8', utf8('姓名,电话').subarray(0, 4), 'utf-8'],
    ['cut after the first of three bytes', utf8('ab姓').subarray(0, 3), 'utf-8'],
    ['a lone continuation byte is not UTF-8', Buffer.from([0x61, 0x80, 0x62]), 'gb18030'],
    ['a GBK character cut at the end is still GBK', gbk('姓名,电话').subarray(0, 3), 'gb18030'],
    ['a UTF-8 file with one GBK cell pasted in: UTF-8 (the import then stops at the bad byte)', Buffer.concat([utf8(CSV + CSV + CSV), gbk('张三,'), utf8(CSV)]), 'utf-8'],
    ['a GBK file with one UTF-8 cell: GBK', Buffer.concat([gbk(CSV + CSV + CSV), utf8('张三,'), gbk(CSV)]), 'gb18030'],
    ['empty', Buffer.alloc(0), 'utf-8'],
  ])('%s → %s', (_rule, sample, expected) => {
    expect(detectEncoding(sample)).toBe(expected);
  });

  it('the GBK sample really is invalid UTF-8 (so the case above can fail)', () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk('刘芳'))).toThrow();
  });
});

describe('detectDelimiter: the most frequent of , tab ; in the header line, outside quotes', () => {
  it.each<[string, string, string]>([
    ['comma', 'name,phone,collector', ','],
    ['tab', 'name\tphone\tcollector', '\t'],
    ['semicolon (European Excel)', 'name;phone;collector', ';'],
    ['commas inside quotes do not count', '"name,full";phone;collector', ';'],
    ['quoted header, tabs between', '"a,b,c"\t"d,e"', '\t'],
    ['commas win a tie-free majority', 'a,b;c,d', ','],
    ['a single column: comma by default', 'name', ','],
    ['an empty line: comma by default', '', ','],
    ['Chinese headers with tabs', '姓名\t电话\t收集人', '\t'],
    ['a semicolon inside quotes with commas around', 'a,"b;c;d",e', ','],
  ])('%s: %j → %j', (_rule, line, expected) => {
    expect(detectDelimiter(line)).toBe(expected);
  });
});

describe('--encoding and --delimiter flags', () => {
  it.each<[string, string]>([
    ['utf8', 'utf-8'],
    ['UTF-8', 'utf-8'],
    ['gbk', 'gb18030'],
    ['GBK', 'gb18030'],
    ['gb2312', 'gb18030'],
    ['cp936', 'gb18030'],
    ['utf-16le', 'utf-16le'],
  ])('--encoding %s → %s', (flag, enc) => {
    expect(encodingFromFlag(flag)).toBe(enc);
  });

  it('an unknown encoding is a usage error (exit 2)', () => {
    expect(() => encodingFromFlag('latin9')).toThrow(UserError);
    try {
      encodingFromFlag('latin9');
    } catch (e) {
      expect((e as UserError).exitCode).toBe(2);
    }
  });

  it.each<[string, string]>([
    ['tab', '\t'],
    ['TAB', '\t'],
    ['\\t', '\t'],
    ['comma', ','],
    [',', ','],
    ['semicolon', ';'],
    ['|', '|'],
  ])('--delimiter %j → %j', (flag, d) => {
    expect(delimiterFromFlag(flag)).toBe(d);
  });

  it('a multi-character delimiter is a usage error', () => {
    expect(() => delimiterFromFlag('||')).toThrow(UserError);
  });
});

describe('sniff: a file on disk', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-sniff-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };

  it.each<[string, Buffer, string, string]>([
    ['UTF-8 with BOM, comma', Buffer.concat([BOM, utf8(CSV)]), 'utf-8', ','],
    ['GBK, tab', gbk(CSV.replace(/,/g, '\t')), 'gb18030', '\t'],
    ['UTF-8, semicolon, CRLF', utf8(CSV.replace(/,/g, ';').replace(/\n/g, '\r\n')), 'utf-8', ';'],
    ['UTF-16LE with BOM, tab', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CSV.replace(/,/g, '\t'), 'utf16-le')]), 'utf-16le', '\t'],
  ])('%s', (name, bytes, encoding, delimiter) => {
    const p = file(name.replace(/\W+/g, '_') + '.csv', bytes);
    expect(sniff(p)).toEqual({ kind: 'csv', encoding, delimiter, size: bytes.length });
  });

  it('forced encoding and delimiter win over detection', () => {
    const p = file('forced.csv', utf8('a,b,c\n'));
    expect(sniff(p, { encoding: 'gbk', delimiter: 'tab' })).toMatchObject({ encoding: 'gb18030', delimiter: '\t' });
  });

  it.each<[string, () => string, RegExp]>([
    ['a missing file', () => path.join(dir, 'nope.csv'), /cannot read/],
    ['an empty file', () => file('empty.csv', Buffer.alloc(0)), /is empty/],
    ['a binary file', () => file('photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])), /is neither a CSV file nor an \.xlsx workbook/],
    ['a folder', () => dir, /folder/],
  ])('%s is a user error, not a crash', (_rule, target, message) => {
    const p = target();
    expect(() => sniff(p)).toThrow(UserError);
    expect(() => sniff(p)).toThrow(message);
  });
});

describe('sniff: UTF-16 without a BOM is read as UTF-16; a long first line is not its business', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-sniff2-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };

  it.each<[string, string]>([
    ['utf16-le', 'utf-16le'],
    ['utf16-be', 'utf-16be'],
  ])('%s without a BOM, tab-separated', (iconvName, encoding) => {
    const bytes = iconv.encode(CSV.replace(/,/g, '\t'), iconvName);
    expect(sniff(file(`${iconvName}.csv`, bytes))).toEqual({ kind: 'csv', encoding, delimiter: '\t', size: bytes.length });
  });

  it('a file with no line break, longer than a record may be, is sniffed from its sample: the import reader refuses it (test/e2e/limits)', () => {
    const p = file('one-line.csv', Buffer.alloc(5 * MAX_RECORD, 'x'));
    expect(sniff(p)).toEqual({ kind: 'csv', encoding: 'utf-8', delimiter: ',', size: 5 * MAX_RECORD });
  });

  it('a long first line under the limit, or a short file without a line break, is fine', () => {
    expect(sniff(file('long-ok.csv', utf8('名,'.repeat(MAX_RECORD / 2 - 10) + '\nx')))).toMatchObject({ encoding: 'utf-8' });
    expect(sniff(file('nolf.csv', utf8('name,phone')))).toMatchObject({ delimiter: ',' });
  });
});

describe('sniff: what a file is, by its content, before any decoding and whatever --encoding says (issue 16)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-container-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const files = new Map<string, string>();
  const SAVE_AS = /\.xlsx.*CSV UTF-8/;
  const XML_SPREADSHEET = '<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1"/></Workbook>';
  const builders: Record<string, () => Buffer | Promise<Buffer>> = {
    'an Excel workbook': () => workbook({ sheets: [officeSurveySheet()] }),
    'a WPS workbook with inline strings': () => workbook({ app: 'wps', sharedStrings: false, sheets: [officeSurveySheet()] }),
    'a Word file renamed .xlsx (the reader refuses it)': () => zipNotWorkbook(),
    'a zip cut after its first bytes (the reader says it is damaged)': () => Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x08, 0, 0, 0, 0x21, 0]),
    'a zip whose first entry is a compressed mimetype': () => zip([['mimetype', 'application/vnd.oasis.opendocument.spreadsheet']]),
    'a CSV renamed .xlsx': () => csvRenamedXlsx(),
    'an .ods': () => odsFile(),
    'a Numbers file': () => numbersFile(),
    'a zipped .numbers folder': async () => zip([['账目.numbers/Index/Document.iwa', Buffer.from([0, 1])]]),
    'an .xls': () => legacyXls(),
    'a compound file cut after its signature': () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    'a password-protected .xlsx': () => encryptedXlsx(),
    'a password-protected .xlsx, its EncryptedPackage in the third directory sector': () =>
      compoundFile([...'ABCDEFGHI'].map((name) => ({ name, data: Buffer.alloc(10) })).concat([{ name: 'EncryptedPackage', data: Buffer.alloc(5000) }])),
    'a web page saved as .xls': () => Buffer.from('\ufeff<html xmlns:o="urn:schemas-microsoft-com:office:office">\r\n<body><table><tr><td>客户姓名</td></tr></table></body></html>'),
    'a bare table saved as .xls': () => Buffer.from('  \r\n<table border=1><tr><td>客户姓名</td></tr></table>'),
    'an XML Spreadsheet 2003': () => Buffer.from(XML_SPREADSHEET),
    'a single-file web page (MHTML)': () => Buffer.from('MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related; boundary="----=_NextPart_01D9"\r\n'),
  };
  beforeAll(async () => {
    for (const [name, build] of Object.entries(builders)) {
      const p = path.join(dir, name.replace(/\W+/g, '_'));
      fs.writeFileSync(p, await build());
      files.set(name, p);
    }
  });

  it.each<[string, object]>([
    ['an Excel workbook', { kind: 'xlsx' }],
    ['a WPS workbook with inline strings', { kind: 'xlsx' }],
    ['a Word file renamed .xlsx (the reader refuses it)', { kind: 'xlsx' }],
    ['a zip cut after its first bytes (the reader says it is damaged)', { kind: 'xlsx' }],
    ['a zip whose first entry is a compressed mimetype', { kind: 'xlsx' }],
    ['a CSV renamed .xlsx', { kind: 'csv', encoding: 'utf-8', delimiter: ',' }],
  ])('%s → %j', (name, want) => {
    const p = files.get(name)!;
    expect(sniff(p)).toEqual({ ...want, size: fs.statSync(p).size });
  });

  it('a zip is a workbook whatever --encoding and --delimiter say; a flag that means nothing is still a usage error', () => {
    const p = files.get('an Excel workbook')!;
    expect(sniff(p, { encoding: 'gbk', delimiter: 'tab' })).toMatchObject({ kind: 'xlsx' });
    expect(() => sniff(p, { encoding: 'latin9' })).toThrow(/--encoding latin9 is not supported/);
    expect(() => sniff(files.get('an .xls')!, { delimiter: '||' })).toThrow(UserError);
  });

  it.each<[string, RegExp, RegExp]>([
    ['an .ods', /is an OpenDocument spreadsheet \(\.ods\)/, /WPS, LibreOffice or Excel.*\.xlsx.*CSV UTF-8/],
    ['a Numbers file', /is an Apple Numbers file/, /Export To → Excel/],
    ['a zipped .numbers folder', /is an Apple Numbers file/, /Export To → Excel/],
    ['an .xls', /is an Excel 97-2003 workbook \(\.xls\) or a WPS spreadsheet \(\.et\)/, SAVE_AS],
    ['a compound file cut after its signature', /is an Excel 97-2003 workbook/, SAVE_AS],
    ['a password-protected .xlsx', /is protected by a password to open/, /remove the password.*\.xlsx or CSV UTF-8/],
    ['a password-protected .xlsx, its EncryptedPackage in the third directory sector', /is protected by a password to open/, /remove the password/],
    ['a web page saved as .xls', /is a web page or an XML spreadsheet/, SAVE_AS],
    ['a bare table saved as .xls', /is a web page or an XML spreadsheet/, SAVE_AS],
    ['an XML Spreadsheet 2003', /is a web page or an XML spreadsheet/, SAVE_AS],
    ['a single-file web page (MHTML)', /is a web page or an XML spreadsheet/, SAVE_AS],
  ])('%s: a clear error (exit 1) with how to save it, with or without --encoding', (name, message, hint) => {
    const p = files.get(name)!;
    for (const forced of [undefined, { encoding: 'gbk' }, { encoding: 'utf-16le', delimiter: ';' }]) {
      let error: unknown;
      try {
        sniff(p, forced);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      const u = error as UserError;
      expect(u.message).toMatch(message);
      expect(u.message).toContain(p);
      expect(u.hint).toMatch(hint);
      expect(u.exitCode).toBe(1);
    }
  });
});

describe('utf8Sequences: valid and invalid sequences of more than one byte', () => {
  it.each<[string, Buffer, { valid: number; invalid: number }]>([
    ['ASCII only: none', utf8('name,phone\n'), { valid: 0, invalid: 0 }],
    ['two 3-byte characters', utf8('姓名'), { valid: 2, invalid: 0 }],
    ['2- and 4-byte characters', utf8('é😀'), { valid: 2, invalid: 0 }],
    ['a lone continuation byte', Buffer.from([0x61, 0x80, 0x62]), { valid: 0, invalid: 1 }],
    ['an overlong form (C0 80)', Buffer.from([0xc0, 0x80]), { valid: 0, invalid: 2 }],
    ['a surrogate (ED A0 80)', Buffer.from([0xed, 0xa0, 0x80]), { valid: 0, invalid: 3 }],
    ['GBK 刘芳 (C1 F5 B7 BC): every byte invalid', gbk('刘芳'), { valid: 0, invalid: 4 }],
    ['cut by the end of the sample: neither', utf8('ab姓').subarray(0, 4), { valid: 0, invalid: 0 }],
  ])('%s', (_rule, bytes, want) => {
    expect(utf8Sequences(bytes)).toEqual(want);
  });
});

describe('locateBadByte: the offset of the first byte that is not the encoding, and its line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-locate-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const at = (name: string, bytes: Buffer, encoding: string, from = 0) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return locateBadByte(p, encoding, from, Math.min(1 << 20, bytes.length - from));
  };

  it('a GBK cell in a UTF-8 file: the offset of its first byte, not of the chunk', () => {
    const before = utf8('姓名,电话\r\n王小明,13812345678\r\n李大华,13812345679\r\n');
    const bytes = Buffer.concat([before, gbk('张三,13812345670\r\n'), utf8('赵六,13812345671\r\n')]);
    expect(at('mixed.csv', bytes, 'utf-8')).toEqual({ offset: before.length, line: 4 });
  });

  it('a UTF-8 character cut short by an ASCII byte: the offset of its lead byte', () => {
    const bytes = Buffer.concat([utf8('a\nbc\n'), Buffer.from([0xe5, 0x88]), utf8(',x\n')]);
    expect(at('cut.csv', bytes, 'utf-8')).toEqual({ offset: 5, line: 3 });
  });

  it('a bad sequence across a 4 KiB boundary, far into a later chunk', () => {
    const lines = '名字,1\n'.repeat(200_000); // 1.6 MB
    const head = utf8(lines).subarray(0, (1 << 20) + 4096 * 3 - 1);
    // cut to a whole line so the bad bytes follow complete characters
    const whole = head.subarray(0, head.lastIndexOf(0x0a) + 1);
    const bytes = Buffer.concat([whole, Buffer.from([0xe5, 0x88, 0x41]), utf8('\nend\n')]);
    const line = whole.toString('utf8').split('\n').length;
    expect(at('far.csv', bytes, 'utf-8', 1 << 20)).toEqual({ offset: whole.length, line });
  });

  it('a byte that is not GB18030, after a BOM-less GBK text', () => {
    const before = gbk('姓名,电话\n刘芳,138\n');
    const bytes = Buffer.concat([before, Buffer.from([0x81, 0x20]), gbk('x\n')]);
    expect(at('gbk.csv', bytes, 'gb18030')).toEqual({ offset: before.length, line: 3 });
  });

  it('a UTF-8 BOM does not shift the offset; CR, LF and CRLF line endings each count once', () => {
    const before = Buffer.concat([BOM, utf8('a\rb\r\nc\nd,')]);
    const bytes = Buffer.concat([before, Buffer.from([0xff]), utf8('\n')]);
    expect(at('bom.csv', bytes, 'utf-8')).toEqual({ offset: before.length, line: 4 });
  });
});
