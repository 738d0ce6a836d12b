/**
 * The import's CSV reader (src/io/csvRecords.ts) must read every text exactly as csv-parse
 * does with the import options — quotes, doubled quotes, line breaks inside quotes, stray
 * quotes (relax_quotes), the line ending of the first line, blank lines — however the text
 * is cut into chunks; and count spreadsheet rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { CsvRecords, Found, recordCells } from '../../src/io/csvRecords.js';

const OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: true } as const;

function reference(text: string, delimiter: string): string[][] | 'unclosed' {
  try {
    return parse(text, { ...OPTIONS, delimiter }) as string[][];
  } catch (e) {
    if ((e as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED') return 'unclosed';
    throw e;
  }
}

/** Records of `text` fed in pieces of the given sizes, with their rows and re-read cells. */
function read(text: string, delimiter: string, cuts: number[] = []): { records: string[][]; rows: number[]; reread: string[][] } | 'unclosed' {
  const r = new CsvRecords(delimiter);
  const records: string[][] = [];
  const rows: number[] = [];
  const reread: string[][] = [];
  let pos = 0;
  let i = 0;
  for (;;) {
    const n = cuts.length ? cuts[i++ % cuts.length] : text.length;
    const piece = text.slice(pos, pos + n);
    pos += n;
    const final = pos >= text.length && (piece === '' || cuts.length === 0);
    if (!r.feed(piece, final)) continue;
    for (;;) {
      const f = r.next();
      if (f === Found.Record) {
        records.push(r.cells.slice());
        rows.push(r.row);
        reread.push(recordCells(r.text.slice(r.start, r.end), delimiter, r.rd));
      } else if (f === Found.Unclosed) return 'unclosed';
      else if (f !== Found.Empty) break;
    }
    if (final) return { records, rows, reread };
  }
}

describe('CsvRecords', () => {
  it('reads what csv-parse reads, in any chunks', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', '中', ',', ';', '"', '""', '\r', '\n', '\r\n', ' ', '\t'), { maxLength: 40 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom(',', ';', '\t'), fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 5 }), (s, d, cuts) => {
        const ref = reference(s, d);
        const got = read(s, d, cuts);
        if (ref === 'unclosed') expect(got).toBe('unclosed');
        else {
          expect(got).not.toBe('unclosed');
          if (got === 'unclosed') return;
          expect(got.records).toEqual(ref);
          // the text kept for a row reads back to the same cells (the rejects file)
          expect(got.reread).toEqual(got.records);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('quoted cells with commas, line breaks and doubled quotes', () => {
    const got = read('a,b,c\r\n1,"x, ""y""\r\nz",3\r\n\r\n2,"",\r\n', ',', [4]);
    expect(got).toEqual({
      records: [['a', 'b', 'c'], ['1', 'x, "y"\r\nz', '3'], ['2', '', '']],
      rows: [1, 2, 4],
      reread: [['a', 'b', 'c'], ['1', 'x, "y"\r\nz', '3'], ['2', '', '']],
    });
  });

  it('numbers rows as a spreadsheet does: blank lines count, line breaks inside a cell do not', () => {
    const got = read('h\n\n"two\nlines"\nafter\n', ',');
    expect(got !== 'unclosed' && got.rows).toEqual([1, 3, 4]);
  });

  it('a stray quote keeps its place (relax_quotes) and an unclosed one is an error', () => {
    expect(read('a,"b"c,d\n', ',')).toMatchObject({ records: [['a', '"b"c', 'd']] });
    expect(read('a,x"y"z\n', ',')).toMatchObject({ records: [['a', 'x"y"z']] });
    expect(read('a,"b\nc\n', ',', [2])).toBe('unclosed');
  });

  it('reads a long quoted cell fed in small pieces (linear, not re-read from the start each time)', () => {
    const long = 'x'.repeat(200_000);
    const got = read(`h\n"${long}",1\n`, ',', [1000]);
    expect(got !== 'unclosed' && got.records[1]).toEqual([long, '1']);
  });
});
