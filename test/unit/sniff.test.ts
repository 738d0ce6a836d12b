/** §2 inputs: encoding (UTF-8 ± BOM, GBK/GB18030, UTF-16) and delimiter detection. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { delimiterFromFlag, detectDelimiter, detectEncoding, encodingFromFlag, sniff } from '../../src/io/sniff.js';
import { UserError } from '../../src/errors.js';

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
    ['UTF-16LE without a BOM has NULs: binary', iconv.encode('name,phone', 'utf16-le'), 'binary'],
    ['a UTF-8 character cut by the end of the sample is still UTF-8', utf8('姓名,电话').subarray(0, 4), 'utf-8'],
    ['cut after the first of three bytes', utf8('ab姓').subarray(0, 3), 'utf-8'],
    ['a lone continuation byte is not UTF-8', Buffer.from([0x61, 0x80, 0x62]), 'gb18030'],
    ['a GBK character cut at the end is still GBK', gbk('姓名,电话').subarray(0, 3), 'gb18030'],
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
    expect(sniff(p)).toEqual({ encoding, delimiter, size: bytes.length });
  });

  it('forced encoding and delimiter win over detection', () => {
    const p = file('forced.csv', utf8('a,b,c\n'));
    expect(sniff(p, { encoding: 'gbk', delimiter: 'tab' })).toMatchObject({ encoding: 'gb18030', delimiter: '\t' });
  });

  it.each<[string, () => string, RegExp]>([
    ['a missing file', () => path.join(dir, 'nope.csv'), /cannot read/],
    ['an empty file', () => file('empty.csv', Buffer.alloc(0)), /is empty/],
    ['a binary file', () => file('book.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0])), /not a text CSV/],
    ['a folder', () => dir, /folder/],
  ])('%s is a user error, not a crash', (_rule, target, message) => {
    const p = target();
    expect(() => sniff(p)).toThrow(UserError);
    expect(() => sniff(p)).toThrow(message);
  });
});
