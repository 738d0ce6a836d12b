/**
 * What an input file is, from its first bytes and before any text decoding (issue 16): an
 * .xlsx workbook (a zip), a file salesops cannot read and says how to save (an .xls/.et or a
 * password-protected workbook, an .ods, a Numbers file, a web page saved as .xls), or a CSV:
 * then its encoding (BOM → UTF-8, else strict UTF-8, else GB18030 — the superset of GBK that
 * Excel on Chinese Windows writes), the delimiter of its header line, and whether it is text
 * at all. It reads one sample (and, for a zip, its central directory) and no more: a first
 * line too long to be a header (a file with no line break) is refused by the import's
 * reader, which gives it up after a few MB (csvRecords.ts, MAX_RECORD).
 */
import fs from 'node:fs';
import { UserError } from '../errors.js';
import { t } from '../messages/index.js';

export type Encoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

const ENCODING_NAMES: Record<string, Encoding> = {
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  gb18030: 'gb18030',
  cp936: 'gb18030',
  ansi: 'gb18030',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16be': 'utf-16be',
};

export function encodingFromFlag(flag: string): Encoding {
  const e = ENCODING_NAMES[flag.trim().toLowerCase()];
  if (!e) throw new UserError(t('import.bad_encoding_flag', { value: flag }), t('import.bad_encoding_flag.hint'), 2);
  return e;
}

export type Sniffed = SniffedText | SniffedWorkbook;

export interface SniffedText {
  kind: 'csv';
  encoding: Encoding;
  delimiter: string;
  size: number;
}

/**
 * A zip that is neither an OpenDocument nor a Numbers file: an .xlsx, or a zip that is not a
 * workbook at all, which the workbook reader refuses. --encoding and --delimiter do not
 * apply to it.
 */
export interface SniffedWorkbook {
  kind: 'xlsx';
  size: number;
}

const SAMPLE = 64 * 1024;

export function detectEncoding(sample: Buffer): Encoding | 'binary' {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  if (sample.includes(0)) return utf16WithoutBom(sample) ?? 'binary';
  const u = utf8Sequences(sample);
  if (u.invalid === 0) return 'utf-8';
  // not UTF-8 throughout: GB18030, unless most of its characters are UTF-8 ones (a UTF-8
  // file with a GBK cell pasted in): then the import stops at the exact bad byte rather than
  // reading the whole file as GB18030 gibberish
  return u.valid > u.invalid * 4 ? 'utf-8' : 'gb18030';
}

/**
 * UTF-16 without a byte order mark (some scripts and old tools write it): a CSV's
 * delimiters, line endings and digits are ASCII, so one byte of each pair is 0 — the second
 * in little-endian, the first in big-endian — and the text decodes to a delimiter or a line
 * ending and no other control character. A binary file (an .xlsx) has zeros anywhere and
 * decodes to control characters.
 */
function utf16WithoutBom(sample: Buffer): 'utf-16le' | 'utf-16be' | null {
  let even = 0;
  let odd = 0;
  const n = sample.length - (sample.length % 2);
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  const encoding = odd > even * 4 ? 'utf-16le' : even > odd * 4 ? 'utf-16be' : null;
  if (encoding === null) return null;
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(sample.subarray(0, n), { stream: true });
  } catch {
    return null;
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return null;
  return /[,;\t\r\n]/.test(text) ? encoding : null;
}

/**
 * Valid and invalid UTF-8 sequences of more than one byte in the sample (a sequence cut by
 * its end is neither).
 */
export function utf8Sequences(b: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  const n = b.length;
  for (let i = 0; i < n; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    // the byte ranges of the Unicode standard (table 3-7): no overlong form, no surrogate
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    }
    let ok = need > 0;
    let k = 1;
    for (; ok && k <= need; k++) {
      if (i + k >= n) return { valid, invalid };
      const x = b[i + k];
      if (x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) ok = false;
    }
    if (ok) {
      valid++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

export function detectDelimiter(firstLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';']) {
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const ZIP_CENTRAL_HEADER = 0x02014b50;
/** a central directory larger than this is not looked through (an .xlsx has a few dozen entries) */
const ZIP_DIRECTORY_MAX = 1 << 20;
/** the signature of an OLE2 compound file: .xls, WPS .et, and an .xlsx encrypted with a password */
const COMPOUND_FILE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** sector numbers from here up are markers (end of chain, free, FAT), not sectors */
const COMPOUND_LAST_SECTOR = 0xfffffffa;
/** directory sectors looked through: 4 to 32 entries each, and an .xlsx encrypted has a dozen */
const COMPOUND_DIRECTORY_MAX = 64;
const ODS_MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';

/**
 * 'zip' for a zip the workbook reader takes, null for a file that may be text; throws, with
 * how to save it as .xlsx or CSV, for a file that is neither (issue 16: "a clear error that
 * says to save the file as .xlsx or CSV").
 */
function container(sample: Buffer, fd: number, size: number, file: string): 'zip' | null {
  if (startsWith(sample, COMPOUND_FILE)) {
    if (compoundStreamNames(sample, fd).includes('EncryptedPackage')) {
      throw new UserError(t('input.encrypted_workbook', { path: file }), t('input.encrypted_workbook.hint'));
    }
    throw new UserError(t('input.old_workbook', { path: file }), t('input.save_as.hint'));
  }
  if (startsWith(sample, ZIP_LOCAL_HEADER)) {
    if (storedFirstEntry(sample, 'mimetype')?.startsWith(ODS_MIMETYPE)) throw new UserError(t('input.ods', { path: file }), t('input.ods.hint'));
    // Numbers 2013 and later: a zip of .iwa parts (or a zipped .numbers folder)
    if (zipEntryNames(fd, size).some((name) => /(^|\/)Index\/Document\.iwa$/.test(name))) {
      throw new UserError(t('input.numbers', { path: file }), t('input.numbers.hint'));
    }
    return 'zip';
  }
  // a system's "export to Excel" often writes a web page or an XML Spreadsheet 2003 under an
  // .xls name: Excel opens it, and read as CSV it would only be "missing columns"
  const head = sample.subarray(0, 256).toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart().toLowerCase();
  if (/^(<!doctype html|<html|<table|<\?xml|mime-version:)/.test(head)) throw new UserError(t('input.web_page', { path: file }), t('input.save_as.hint'));
  return null;
}

function startsWith(b: Buffer, prefix: Buffer): boolean {
  return b.length >= prefix.length && b.subarray(0, prefix.length).equals(prefix);
}

/**
 * The content of a zip's first entry when it is named `name` and stored uncompressed, as
 * OpenDocument requires of its `mimetype` (ODF 1.2 part 3, §3.3): read from the local header
 * in the sample, with no unzipping.
 */
function storedFirstEntry(sample: Buffer, name: string): string | undefined {
  if (sample.length < 30 || sample.readUInt16LE(8) !== 0) return undefined;
  const size = sample.readUInt32LE(18);
  const nameLength = sample.readUInt16LE(26);
  const start = 30 + nameLength + sample.readUInt16LE(28);
  if (sample.toString('latin1', 30, 30 + nameLength) !== name || start + size > sample.length) return undefined;
  return sample.toString('latin1', start, start + size);
}

/**
 * The entry names of a zip's central directory, found from its end record; none when the
 * record is not in the last 64 KiB (a zip64 or a damaged file: the workbook reader refuses
 * it) or the directory is larger than any workbook's.
 */
function zipEntryNames(fd: number, size: number): string[] {
  const tail = Buffer.alloc(Math.min(size, 22 + 0xffff));
  fs.readSync(fd, tail, 0, tail.length, size - tail.length);
  const end = tail.lastIndexOf(ZIP_END);
  if (end < 0 || end + 22 > tail.length) return [];
  const length = tail.readUInt32LE(end + 12);
  const offset = tail.readUInt32LE(end + 16);
  if (length > ZIP_DIRECTORY_MAX || offset + length > size) return [];
  const dir = Buffer.alloc(length);
  fs.readSync(fd, dir, 0, length, offset);
  const names: string[] = [];
  for (let p = 0; p + 46 <= dir.length && dir.readUInt32LE(p) === ZIP_CENTRAL_HEADER; ) {
    const nameLength = dir.readUInt16LE(p + 28);
    names.push(dir.toString('utf8', p + 46, p + 46 + nameLength));
    p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
  }
  return names;
}

/**
 * The names in a compound file's directory ([MS-CFB] §2.2, §2.6), its sectors followed
 * through the FAT: an .xlsx encrypted with a password keeps its package there as
 * `EncryptedPackage` ([MS-OFFCRYPTO] §2.3.4.4), beside `EncryptionInfo`. Only the FAT
 * sectors the header lists are looked at (the first 109: 7 MB of a 512-byte-sector file),
 * and at most COMPOUND_DIRECTORY_MAX sectors, so that a damaged chain cannot loop.
 */
function compoundStreamNames(sample: Buffer, fd: number): string[] {
  if (sample.length < 512) return [];
  const shift = sample.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return [];
  const size = 1 << shift;
  const read = (sector: number, length: number, at = 0): Buffer => {
    const b = Buffer.alloc(length);
    return b.subarray(0, fs.readSync(fd, b, 0, length, (sector + 1) * size + at));
  };
  const names: string[] = [];
  let sector = sample.readUInt32LE(0x30);
  for (let n = 0; n < COMPOUND_DIRECTORY_MAX && sector < COMPOUND_LAST_SECTOR; n++) {
    const dir = read(sector, size);
    for (let p = 0; p + 128 <= dir.length; p += 128) {
      const length = dir.readUInt16LE(p + 0x40);
      if (length >= 2 && length <= 64) names.push(dir.toString('utf16le', p, p + length - 2));
    }
    const fatIndex = Math.floor(sector / (size / 4));
    const fatSector = fatIndex < 109 ? sample.readUInt32LE(0x4c + fatIndex * 4) : COMPOUND_LAST_SECTOR;
    if (fatSector >= COMPOUND_LAST_SECTOR) break;
    const next = read(fatSector, 4, (sector % (size / 4)) * 4);
    sector = next.length === 4 ? next.readUInt32LE(0) : COMPOUND_LAST_SECTOR;
  }
  return names;
}

export function sniff(file: string, forced?: { encoding?: string; delimiter?: string }): Sniffed {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(t(code === 'EISDIR' ? 'import.is_dir' : 'import.no_file', { path: file }), t('import.no_file.hint'));
  }
  try {
    const stat = fs.fstatSync(fd);
    // on Linux a directory opens fine and only fails on read (EISDIR)
    if (stat.isDirectory()) throw new UserError(t('import.is_dir', { path: file }), t('import.no_file.hint'));
    const size = stat.size;
    if (size === 0) throw new UserError(t('import.empty_file', { path: file }), t('import.empty_file.hint'));
    const buf = Buffer.alloc(Math.min(SAMPLE, size));
    fs.readSync(fd, buf, 0, buf.length, 0);
    // a bad flag is a usage error whatever the file; then the file by its content, before the
    // encoding and whatever --encoding says: an .xls read as GBK text only ever gave "not
    // valid gb18030" advice (issue 16)
    const forcedEncoding = forced?.encoding ? encodingFromFlag(forced.encoding) : undefined;
    const forcedDelimiter = forced?.delimiter ? delimiterFromFlag(forced.delimiter) : undefined;
    if (container(buf, fd, size, file) === 'zip') return { kind: 'xlsx', size };
    let encoding: Encoding;
    if (forcedEncoding) encoding = forcedEncoding;
    else {
      const d = detectEncoding(buf);
      if (d === 'binary') throw new UserError(t('import.binary', { path: file }), t('import.binary.hint'));
      encoding = d;
    }
    const text = new TextDecoder(encoding).decode(buf, { stream: true });
    const firstLine = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
    return { kind: 'csv', encoding, delimiter: forcedDelimiter ?? detectDelimiter(firstLine), size };
  } finally {
    fs.closeSync(fd);
  }
}

export function delimiterFromFlag(flag: string): string {
  const f = flag.toLowerCase();
  if (f === 'tab' || f === '\\t' || f === '\t') return '\t';
  if (f === 'comma' || f === ',') return ',';
  if (f === 'semicolon' || f === ';') return ';';
  if (flag.length === 1) return flag;
  throw new UserError(t('import.bad_delimiter', { value: flag }), undefined, 2);
}

const READ = 1 << 20;

/**
 * The exact place of the first byte that is not `encoding`, once decoding failed in the
 * `length` bytes starting at `from`: the offset where the bad sequence starts (from 0) and
 * its line (1 + the line endings before it). It reads the file again up to there: only after
 * that failure.
 */
export function locateBadByte(file: string, encoding: string, from: number, length: number): { offset: number; line?: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ);
    /** decodes [start, end) in pieces; returns the start of the piece that fails, or -1 */
    const decode = (d: TextDecoder, start: number, end: number, piece: number, onText?: (s: string) => void): number => {
      for (let pos = start; pos < end; ) {
        const n = fs.readSync(fd, buf, 0, Math.min(piece, end - pos), pos);
        if (n === 0) break;
        try {
          const s = d.decode(buf.subarray(0, n), { stream: true });
          onText?.(s);
        } catch {
          return pos;
        }
        pos += n;
      }
      return -1;
    };
    // 1. which 4 KiB of the chunk fails
    const PIECE = 4096;
    const d1 = new TextDecoder(encoding, { fatal: true });
    decode(d1, 0, from, READ);
    const piece = decode(d1, from, from + length, PIECE);
    if (piece < 0) return { offset: from };
    // 2. again, counting lines, then byte by byte from a little before that piece: a byte
    // that completes a character gives text, so the bad sequence starts after the last one
    let breaks = 0;
    let cr = false;
    const count = (s: string) => {
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 10) {
          if (!cr) breaks++;
          cr = false;
        } else if (c === 13) {
          breaks++;
          cr = true;
        } else cr = false;
      }
    };
    const d2 = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    const back = Math.max(0, piece - 8);
    decode(d2, 0, back, READ, count);
    const n = fs.readSync(fd, buf, 0, piece + PIECE - back, back);
    let seq = back;
    for (let i = 0; i < n; i++) {
      let s: string;
      try {
        s = d2.decode(buf.subarray(i, i + 1), { stream: true });
      } catch {
        return { offset: seq, line: breaks + 1 };
      }
      if (s !== '') {
        count(s);
        seq = back + i + 1;
      }
    }
    return { offset: piece };
  } finally {
    fs.closeSync(fd);
  }
}
