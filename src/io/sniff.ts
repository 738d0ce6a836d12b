/**
 * What kind of text file a CSV is, from its first bytes: encoding (BOM → UTF-8, else strict
 * UTF-8, else GB18030 — the superset of GBK that Excel on Chinese Windows writes), the
 * delimiter of its header line, and whether it is text at all.
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

export interface Sniffed {
  encoding: Encoding;
  delimiter: string;
  size: number;
}

const SAMPLE = 64 * 1024;

export function detectEncoding(sample: Buffer): Encoding | 'binary' {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  if (sample.includes(0)) return 'binary';
  try {
    // stream: true tolerates a character cut in half at the end of the sample
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
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
    let encoding: Encoding;
    if (forced?.encoding) encoding = encodingFromFlag(forced.encoding);
    else {
      const d = detectEncoding(buf);
      if (d === 'binary') throw new UserError(t('import.binary', { path: file }), t('import.binary.hint'));
      encoding = d;
    }
    const text = new TextDecoder(encoding).decode(buf, { stream: true });
    const firstLine = text.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
    let delimiter = detectDelimiter(firstLine);
    if (forced?.delimiter) delimiter = delimiterFromFlag(forced.delimiter);
    return { encoding, delimiter, size };
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
