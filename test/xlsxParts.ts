/**
 * Reading back a workbook salesops wrote, for the tests of the writer (issue 16): the zip's
 * parts as text (yauzl), every part checked to be well-formed XML (saxes), and a sheet's
 * cells by reference — independent of the importer's reader (src/io/xlsx/read.ts), so a bug
 * in one does not hide a bug in the other.
 */
import yauzl from 'yauzl';
import { SaxesParser } from 'saxes';

/** Every part of the zip at `source` (a path or the bytes), by name, as UTF-8 text. */
export function zipParts(source: string | Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const parts = new Map<string, string>();
    const opened = (err: Error | null, zip?: yauzl.ZipFile) => {
      if (err || !zip) return reject(err);
      zip.on('error', reject);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            parts.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(parts));
      zip.readEntry();
    };
    if (typeof source === 'string') yauzl.open(source, { lazyEntries: true }, opened);
    else yauzl.fromBuffer(source, { lazyEntries: true }, opened);
  });
}

/** Throws unless `xml` is well-formed XML. */
export function wellFormed(xml: string): void {
  const parser = new SaxesParser();
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
}

export interface Cell {
  /** `t` attribute: inlineStr, s, b, … (undefined: a number) */
  type?: string;
  /** style index */
  style: number;
  /** the inline text, or the `<v>` text */
  value: string;
}

/** The cells of a sheet's XML by reference (`A1` → cell), and its rows' numbers. */
export function sheetCells(xml: string): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")*)>([\s\S]*?)<\/c>/g)) {
    const attrs = Object.fromEntries([...m[2].matchAll(/ ([a-z]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    const inner = m[3];
    const text = /<t(?: [^>]*)?>([\s\S]*?)<\/t>/.exec(inner)?.[1] ?? /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] ?? '';
    cells.set(m[1], { type: attrs.t, style: Number(attrs.s ?? 0), value: text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&') });
  }
  return cells;
}

/** The cellXfs of styles.xml, in order, as attribute maps; the number formats by id. */
export function styleSheet(xml: string): { xfs: Record<string, string>[]; formats: Map<number, string>; fonts: string[] } {
  const cellXfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  const xfs = [...cellXfs.matchAll(/<xf ([^>]*?)\/>/g)].map((m) => Object.fromEntries([...m[1].matchAll(/([A-Za-z]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));
  const formats = new Map<number, string>([
    [0, 'General'],
    [1, '0'],
    [3, '#,##0'],
    [4, '#,##0.00'],
    [49, '@'],
  ]);
  for (const m of xml.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"\/>/g)) formats.set(Number(m[1]), m[2].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  const fonts = [...(/<fonts[^>]*>([\s\S]*?)<\/fonts>/.exec(xml)?.[1] ?? '').matchAll(/<font>([\s\S]*?)<\/font>/g)].map((m) => m[1]);
  return { xfs, formats, fonts };
}

/** The number format and font of a cell's style. */
export function cellStyle(styles: ReturnType<typeof styleSheet>, style: number): { format: string; font: string; quotePrefix: boolean } {
  const xf = styles.xfs[style];
  return { format: styles.formats.get(Number(xf.numFmtId)) ?? '?', font: styles.fonts[Number(xf.fontId)], quotePrefix: xf.quotePrefix === '1' };
}
