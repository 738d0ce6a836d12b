/**
 * The zip container of an .xlsx (issue 16), on yauzl: the central directory read once (the
 * parts by name, as OPC names them: case-insensitively), then one part at a time inflated as
 * a stream. Nothing here trusts the sizes a zip declares (issue 16, "a zip bomb"): a part is
 * refused before it is read when it says it is bigger than its limit, or expands more than
 * MAX_RATIO times past RATIO_FLOOR; and while it is inflated its bytes are counted against
 * the same limit and against the size the entry declares, so a header that lies is caught
 * by what comes out. A part is inflated here rather than by yauzl, in pieces of INFLATE_CHUNK
 * bytes: yauzl's inflater gives 16 KiB at a time, and the round trips to zlib's thread took
 * more than half the time of reading a sheet.
 */
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { UserError } from '../../errors.js';
import { t } from '../../messages/index.js';
import { thousands } from '../numbers.js';

/** Most bytes a worksheet may inflate to: far above Excel's own limit of 1,048,576 rows of real data. */
export const MAX_SHEET = 2 * 1024 ** 3;
/** Most bytes the other parts read (workbook, relationships, styles, shared strings) may inflate to. */
export const MAX_PART = 200 * 1024 ** 2;
/** A part that expands more than this many times… */
export const MAX_RATIO = 1000;
/** …past this size is not what a spreadsheet program writes (XML compresses 5–30 times). */
export const RATIO_FLOOR = 10 * 1024 ** 2;
/** A workbook has a few dozen parts; a zip of more is not one (and its directory would take memory). */
const MAX_ENTRIES = 50_000;
/** Bytes an inflated part comes in. */
const INFLATE_CHUNK = 1 << 16;

export class Zip {
  private constructor(
    readonly file: string,
    private readonly zip: ZipFile,
    /** lower-cased part name → entry */
    private readonly entries: Map<string, Entry>,
  ) {}

  /** Opens FILE (known to start with the zip signature) and reads its directory. */
  static async open(file: string): Promise<Zip> {
    const yauzl = (await import('yauzl')).default;
    let zip: ZipFile;
    try {
      zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true });
    } catch (e) {
      throw damaged(file, e);
    }
    const entries = new Map<string, Entry>();
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('entry', (entry: Entry) => {
          if (entries.size >= MAX_ENTRIES) {
            reject(new UserError(t('xlsx.not_workbook', { file }), t('xlsx.not_workbook.hint')));
            return;
          }
          // a folder has no data; '\' was made '/' by yauzl (strictFileNames off)
          if (!entry.fileName.endsWith('/')) entries.set(entry.fileName.replace(/^\/+/, '').toLowerCase(), entry);
          zip.readEntry();
        });
        zip.on('end', () => resolve());
        zip.on('error', reject);
        zip.readEntry();
      });
    } catch (e) {
      zip.close();
      throw e instanceof UserError ? e : damaged(file, e);
    }
    return new Zip(file, zip, entries);
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** The inflated size a part declares (0 when absent): progress is the share of it read. */
  size(name: string): number {
    return this.entries.get(name.toLowerCase())?.uncompressedSize ?? 0;
  }

  /** The size of the whole file, in bytes. */
  get fileSize(): number {
    return this.zip.fileSize;
  }

  /**
   * The inflated bytes of part `name`, chunk by chunk, counted against `limit`; null when the
   * zip has no such part. Refused up front when its declared size or ratio is absurd.
   */
  async open(name: string, limit: number): Promise<AsyncIterable<Buffer> | null> {
    const entry = this.entries.get(name.toLowerCase());
    if (!entry) return null;
    // the legacy zip encryption (Excel's own password protection is an OLE file: sniff.ts)
    if (entry.isEncrypted()) throw new UserError(t('xlsx.encrypted', { file: this.file }), t('xlsx.encrypted.hint'));
    this.checkSize(name, entry.uncompressedSize, entry.compressedSize, limit);
    // stored (0) or deflated (8): what Excel, WPS and every zip library write
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw damaged(this.file, new Error(`${name}: compression method ${entry.compressionMethod}`));
    let stream: Readable;
    try {
      const raw = await this.zip.openReadStreamPromise(entry, { decompress: entry.compressionMethod === 8 ? false : null });
      stream = entry.compressionMethod === 8 ? raw.pipe(zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK })) : raw;
      // the compressed bytes failing to read fail the inflater's reader too
      if (stream !== raw) raw.on('error', (e) => stream.destroy(e));
    } catch (e) {
      throw damaged(this.file, e);
    }
    return this.counted(name, stream, entry.uncompressedSize, entry.compressedSize, limit);
  }

  private checkSize(name: string, size: number, packed: number, limit: number): void {
    if (size > limit) throw new UserError(t('xlsx.too_big', { file: this.file, part: name, size: mib(size), max: mib(limit) }), t('xlsx.too_big.hint'));
    if (size > RATIO_FLOOR && size / Math.max(1, packed) > MAX_RATIO) {
      throw new UserError(t('xlsx.bomb', { file: this.file, part: name, packed: mib(packed), size: mib(size), ratio: thousands(Math.round(size / Math.max(1, packed))) }), t('xlsx.too_big.hint'));
    }
  }

  /**
   * The stream's chunks, counting what comes out: past the size the entry declares, the
   * limit or the ratio, refused there.
   */
  private async *counted(name: string, stream: Readable, declared: number, packed: number, limit: number): AsyncIterable<Buffer> {
    let n = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        n += chunk.length;
        if (n > declared) throw new UserError(t('xlsx.bomb_lied', { file: this.file, part: name }), t('xlsx.too_big.hint'));
        this.checkSize(name, n, packed, limit);
        yield chunk;
      }
    } catch (e) {
      throw e instanceof UserError ? e : damaged(this.file, e);
    } finally {
      stream.destroy();
    }
    if (n < declared) throw damaged(this.file, new Error(`${name}: ${n} bytes of ${declared}`));
  }

  close(): void {
    this.zip.close();
  }
}

/** A file that starts like a zip but cannot be read as one: cut short, or damaged. */
export function damaged(file: string, e: unknown): UserError {
  return new UserError(t('xlsx.damaged', { file, reason: (e as Error)?.message ?? String(e) }), t('xlsx.damaged.hint'));
}

/** Bytes as MB for a message: `2,048 MB`. */
function mib(n: number): string {
  return thousands(Math.ceil(n / 1024 ** 2)) + ' MB';
}
