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

/**
 * A record longer than maxRecord characters is given up (Found.TooLong, once, with its row)
 * and skipped to its end without keeping its text: memory stays flat whatever the length of
 * a line, and the records after it are read as usual.
 */
type Event = { row: number; cells: string[] } | { row: number; tooLong: true } | 'unclosed';

function events(text: string, delimiter: string, max: number, cuts: number[] = []): { events: Event[]; maxText: number } {
  const r = new CsvRecords(delimiter, '', max);
  const out: Event[] = [];
  let maxText = 0;
  let pos = 0;
  let i = 0;
  for (;;) {
    const n = cuts.length ? cuts[i++ % cuts.length] : text.length;
    const piece = text.slice(pos, pos + n);
    pos += n;
    const final = pos >= text.length && (piece === '' || cuts.length === 0);
    const fed = r.feed(piece, final);
    maxText = Math.max(maxText, r.text.length);
    if (fed) {
      for (;;) {
        const f = r.next();
        if (f === Found.Record) out.push({ row: r.row, cells: r.cells.slice() });
        else if (f === Found.TooLong) out.push({ row: r.row, tooLong: true });
        else if (f === Found.Unclosed) {
          out.push('unclosed');
          return { events: out, maxText };
        } else if (f !== Found.Empty) break;
      }
    }
    if (final) return { events: out, maxText };
  }
}

/** What the unlimited reader reads, with each record over max replaced by TooLong. */
function expected(text: string, delimiter: string, max: number): Event[] {
  const r = new CsvRecords(delimiter);
  r.feed(text, true);
  const out: Event[] = [];
  for (;;) {
    const f = r.next();
    if (f === Found.Record) out.push(r.end - r.start > max ? { row: r.row, tooLong: true } : { row: r.row, cells: r.cells.slice() });
    else if (f === Found.Unclosed) {
      out.push('unclosed');
      return out;
    } else if (f !== Found.Empty) return out;
  }
}

describe('CsvRecords with a record limit', () => {
  it('a record over the limit is TooLong, any other is read as without a limit, in any chunks', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', '中', ',', ';', '"', '""', '\r', '\n', '\r\n', ' ', '\t', 'xxxxxxxx'), { maxLength: 40 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom(',', ';', '\t'), fc.integer({ min: 0, max: 12 }), fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 5 }), (s, d, max, cuts) => {
        const whole = events(s, d, max).events;
        const ref = expected(s, d, max);
        if (ref[ref.length - 1] === 'unclosed') {
          // a quote never closed: an error either way — Unclosed, or TooLong when the record
          // (to the end of the input) is over the limit
          expect(whole.slice(0, ref.length - 1)).toEqual(ref.slice(0, -1));
          const last = whole[ref.length - 1];
          expect(last === 'unclosed' || (typeof last === 'object' && 'tooLong' in last)).toBe(true);
          expect(whole.length).toBe(ref.length);
        } else expect(whole).toEqual(ref);
        // the same answer however the text is cut
        expect(events(s, d, max, cuts).events).toEqual(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it('a 50 MB record in 1 MiB pieces: TooLong once, the text kept stays under three times the limit, the next record is read', () => {
    const max = 1 << 20;
    const chunk = 1 << 20;
    for (const long of ['x'.repeat(50 * chunk), '"' + 'y,\n'.repeat(16 * chunk) + '"']) {
      const text = `name,phone\n${long},1\nafter,2\n`;
      const got = events(text, ',', max, [chunk]);
      expect(got.events).toEqual([
        { row: 1, cells: ['name', 'phone'] },
        { row: 2, tooLong: true },
        { row: 3, cells: ['after', '2'] },
      ]);
      expect(got.maxText).toBeLessThan(3 * max);
    }
  });

  it('a file of one line with no line break: the first record is TooLong, then the end', () => {
    const got = events('z'.repeat(5_000_000), ',', 1 << 20, [1 << 20]);
    expect(got.events).toEqual([{ row: 1, tooLong: true }]);
    expect(got.maxText).toBeLessThan(3 << 20);
  });

  it('says which cell made the record too long and how it starts', () => {
    const r = new CsvRecords(',', '', 100);
    r.feed('a,b,c\n1,"' + 'q'.repeat(200), false);
    expect(r.next()).toBe(Found.Record);
    expect(r.next()).toBe(Found.TooLong);
    expect(r.row).toBe(2);
    expect(r.longCell).toBe(1);
    expect(r.longValue.startsWith('"qqq')).toBe(true);
    expect(r.longValue.length).toBeLessThanOrEqual(40);
    // read whole: the longest cell is the one to blame
    const w = new CsvRecords(',', '', 100);
    w.feed('a,b,c\n1,2,' + 'w'.repeat(200) + '\n3,4,5\n', true);
    expect(w.next()).toBe(Found.Record);
    expect(w.next()).toBe(Found.TooLong);
    expect([w.row, w.longCell, w.longValue]).toEqual([2, 2, 'w'.repeat(40)]);
    expect(w.next()).toBe(Found.Record);
    expect([w.row, w.cells]).toEqual([3, ['3', '4', '5']]);
  });

  it('a CRLF cut between the CR and the LF while skipping', () => {
    const text = 'h\r\n' + 'x'.repeat(30) + '\r\nok\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(events(text, ',', 10, [cut]).events).toEqual([
        { row: 1, cells: ['h'] },
        { row: 2, tooLong: true },
        { row: 3, cells: ['ok'] },
      ]);
    }
  });
});
