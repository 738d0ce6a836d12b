/**
 * The import's CSV reader (src/io/csvRecords.ts) must read every text exactly as csv-parse
 * does with the import options — quotes, doubled quotes, line breaks inside quotes, stray
 * quotes (relax_quotes), the line ending of the first line, blank lines — however the text
 * is cut into chunks; and count spreadsheet rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { CsvRecords, Found, MAX_RECORD, recordCells } from '../../src/io/csvRecords.js';

// issue 15: \r\n, \n and \r each end a record, mixed in one file
const OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'] } as const;

function reference(text: string, delimiter: string): string[][] | 'unclosed' {
  try {
    return parse(text, { ...OPTIONS, record_delimiter: [...OPTIONS.record_delimiter], delimiter }) as string[][];
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
 * a line, and the records after it are read as usual. A quote never closed is Unclosed with
 * the row it opened in, never a TooLong for the rest of the file.
 */
type Event = { row: number; cells: string[] } | { row: number; tooLong: true } | { row: number; unclosed: true; cell: number; value: string };

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
          out.push({ row: r.row, unclosed: true, cell: r.longCell, value: r.longValue });
          // nothing after it
          expect(r.next()).toBe(Found.End);
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
      out.push({ row: r.row, unclosed: true, cell: r.longCell, value: r.longValue });
      return out;
    } else if (f !== Found.Empty) return out;
  }
}

describe('CsvRecords with a record limit', () => {
  it('a record over the limit is TooLong, any other is read as without a limit, a quote never closed is Unclosed, in any chunks', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', '中', ',', ';', '"', '""', '\r', '\n', '\r\n', ' ', '\t', 'xxxxxxxx'), { maxLength: 40 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom(',', ';', '\t'), fc.integer({ min: 0, max: 12 }), fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 5 }), (s, d, max, cuts) => {
        const whole = events(s, d, max).events;
        const ref = expected(s, d, max);
        const last = ref[ref.length - 1];
        if (last !== undefined && 'unclosed' in last) {
          // a quote never closed: Unclosed with its row, cell and start, however long the
          // record — after a TooLong of the same row only when the record was over the
          // limit before that quote opened (the table below pins that down)
          const n = ref.length - 1;
          expect(whole.slice(0, n)).toEqual(ref.slice(0, n));
          const tail = whole.slice(n);
          expect(tail[tail.length - 1]).toEqual(last);
          if (tail.length === 2) expect(tail[0]).toEqual({ row: last.row, tooLong: true });
          else expect(tail).toHaveLength(1);
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

  it('a file of one line with no line break: the first record is TooLong at once (after a few MB, not at the end), then the end', () => {
    const got = events('z'.repeat(5_000_000), ',', 1 << 20, [1 << 20]);
    expect(got.events).toEqual([{ row: 1, tooLong: true }]);
    expect(got.maxText).toBeLessThan(3 << 20);
    // said while most of the line is still to come
    const r = new CsvRecords(',', '', 1 << 20);
    let fed = 0;
    let found: Found = Found.More;
    while (found === Found.More) {
      if (r.feed('z'.repeat(1 << 20), false)) found = r.next();
      fed += 1 << 20;
    }
    expect(found).toBe(Found.TooLong);
    expect(r.row).toBe(1);
    expect(fed).toBeLessThanOrEqual(3 << 20);
  });

  it('says which cell made the record too long and how it starts', () => {
    const r = new CsvRecords(',', '', 100);
    r.feed('a,b,c\n1,"' + 'q'.repeat(200), false);
    expect(r.next()).toBe(Found.Record);
    // inside quotes it cannot tell a long cell from a quote never closed: not yet
    expect(r.next()).toBe(Found.More);
    r.feed('q",3\n4,5,6\n', true);
    expect(r.next()).toBe(Found.TooLong);
    expect(r.row).toBe(2);
    expect(r.longCell).toBe(1);
    expect(r.longValue.startsWith('"qqq')).toBe(true);
    expect(r.longValue.length).toBeLessThanOrEqual(40);
    expect(r.next()).toBe(Found.Record);
    expect([r.row, r.cells]).toEqual([3, ['4', '5', '6']]);
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

/** Every way of cutting `text` into pieces of 1 to 7 characters, and whole. */
const CUTS = [[], [1], [2], [3], [5], [7], [1, 4], [3, 1, 2]];

describe('a quote never closed: Unclosed, with the row (as in the sheet) the quote opened in', () => {
  const rec = (row: number, ...cells: string[]): Event => ({ row, cells });
  const open = (row: number, cell: number, value: string): Event => ({ row, unclosed: true, cell, value });
  it.each<[string, string, number, Event[]]>([
    ['LF, at the end of a short file', 'h,i\na,b\n"c,d\ne,f\n', Infinity, [rec(1, 'h', 'i'), rec(2, 'a', 'b'), open(3, 0, '"c,d\ne,f\n')]],
    ['CRLF, in the second cell', 'h,i\r\na,b\r\nx,"c\r\ne\r\n', Infinity, [rec(1, 'h', 'i'), rec(2, 'a', 'b'), open(3, 1, '"c\r\ne\r\n')]],
    ['CR line endings', 'h\ra\r"c\rd', Infinity, [rec(1, 'h'), rec(2, 'a'), open(3, 0, '"c\rd')]],
    // issue 15: every \r\n, \n and \r outside quotes ends a record, mixed in one file
    ['an LF file with a lone CR (a line ending too)', 'h\na\rb\n"c\r\nd', Infinity, [rec(1, 'h'), rec(2, 'a'), rec(3, 'b'), open(4, 0, '"c\r\nd')]],
    ['a CRLF header, then LF and CR rows, and a blank line', 'h\r\na\nb,c\rd\r\n\r\n"x\r\n', Infinity, [rec(1, 'h'), rec(2, 'a'), rec(3, 'b', 'c'), rec(4, 'd'), open(6, 0, '"x\r\n')]],
    ['a CR file with LFs after it (LF is text there)', 'h\r"a\nb\r', Infinity, [rec(1, 'h'), open(2, 0, '"a\nb\r')]],
    ['blank lines count', 'h\n\n\n"x', Infinity, [rec(1, 'h'), open(4, 0, '"x')]],
    ['after a cell of two lines: its row in the sheet, not its line in the file', 'h\n"a\nb"\n"c', Infinity, [rec(1, 'h'), rec(2, 'a\nb'), open(3, 0, '"c')]],
    ['after a closed cell of two lines in the same record', 'h\nx,"a\nb",y,"c\n', Infinity, [rec(1, 'h'), open(2, 3, '"c\n')]],
    ['a quote alone at the very end', 'h\na,"', Infinity, [rec(1, 'h'), open(2, 1, '"')]],
    ['"" inside the open quote is text', 'h\n"a""b\n', Infinity, [rec(1, 'h'), open(2, 0, '"a""b\n')]],
    ['in the header', '"h,i\na,b\n', Infinity, [open(1, 0, '"h,i\na,b\n')]],
    ['a stray quote in a cell is text; the next cell opens one', 'h\na"b,"c', Infinity, [rec(1, 'h'), open(2, 1, '"c')]],
    // with a small limit: never TooLong for the rest of the file…
    ['over the limit after the quote opened: Unclosed only', 'h\nab,"' + 'x\n'.repeat(20), 10, [rec(1, 'h'), open(2, 1, '"' + 'x\n'.repeat(19) + 'x')]],
    ['the quote opening right at the limit: Unclosed only', 'h\n' + 'y'.repeat(9) + ',"zz\nzz', 10, [rec(1, 'h'), open(2, 1, '"zz\nzz')]],
    // …unless the record was over the limit before the quote opened: TooLong, then Unclosed
    ['the quote opening one past the limit: TooLong, then Unclosed', 'h\n' + 'y'.repeat(10) + ',"zz\nzz', 10, [rec(1, 'h'), { row: 2, tooLong: true }, open(2, 1, '"zz\nzz')]],
    ['a long closed cell, then a quote never closed', 'h\n"' + 'y'.repeat(20) + '",b,"c\nd', 10, [rec(1, 'h'), { row: 2, tooLong: true }, open(2, 2, '"c\nd')]],
  ])('%s', (_case, text, max, want) => {
    for (const cuts of CUTS) expect(events(text, ',', max, cuts).events).toEqual(want);
  });

  it.each<[string, string]>([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('%s: at the end of a file after more than 1 MiB of lines swallowed, Unclosed with row 3 — the text kept stays flat', (_name, eol) => {
    const text = ['h,i', 'a,b', 'c,"d', ...Array<string>(400_000).fill('e,f')].join(eol) + eol;
    expect(text.length).toBeGreaterThan(MAX_RECORD);
    const want = [rec(1, 'h', 'i'), rec(2, 'a', 'b'), open(3, 1, ('"d' + eol + 'e,f' + eol).repeat(1).padEnd(40, 'e,f' + eol).slice(0, 40))];
    for (const cuts of [[], [1 << 20], [65_536, 1 << 20, 3]]) {
      const got = events(text, ',', MAX_RECORD, cuts);
      expect(got.events).toEqual(want);
      if (cuts.length) expect(got.maxText).toBeLessThan(3 * MAX_RECORD);
    }
  });

  it('a quote closed right at the limit is a record; one character more is TooLong; neither is Unclosed', () => {
    /** events with a record's cells as their lengths (a 1 MiB cell in a diff helps no one) */
    const short = (e: Event[]) => e.map((x) => ('cells' in x ? { row: x.row, lengths: x.cells.map((c) => c.length) } : x));
    for (const eol of ['\n', '\r\n', '\r']) {
      // the record `"x…x"` has MAX_RECORD characters with MAX_RECORD - 2 x's
      for (const [xs, fits] of [
        [MAX_RECORD - 2, true],
        [MAX_RECORD - 1, false],
      ] as const) {
        const record = '"' + 'x'.repeat(xs) + '"';
        const second = fits ? { row: 2, lengths: [xs] } : { row: 2, tooLong: true };
        for (const [text, want] of [
          // a line after it, or the end of the file right after the closing quote
          [`h${eol}${record}${eol}next${eol}`, [{ row: 1, lengths: [1] }, second, { row: 3, lengths: [4] }]],
          [`h${eol}${record}`, [{ row: 1, lengths: [1] }, second]],
        ] as const) {
          for (const cuts of [[], [1 << 20], [MAX_RECORD + 1], [999_983], [65_536, 3]]) {
            expect(short(events(text, ',', MAX_RECORD, cuts).events), `${JSON.stringify(eol)} ${xs} ${cuts}`).toEqual(want);
          }
        }
      }
    }
  });
});

describe('mixed line endings (issue 15): each of \\r\\n, \\n and \\r outside quotes ends a record', () => {
  it.each<[string, string, string[][], number[]]>([
    ['a CRLF header then LF rows', 'name,phone\r\n冯明,1\n刘芳,2\n', [['name', 'phone'], ['冯明', '1'], ['刘芳', '2']], [1, 2, 3]],
    ['CR-only rows', 'name,phone\r冯明,1\r刘芳,2\r', [['name', 'phone'], ['冯明', '1'], ['刘芳', '2']], [1, 2, 3]],
    ['LF header then CRLF rows, one CR', 'h\na\r\nb\rc', [['h'], ['a'], ['b'], ['c']], [1, 2, 3, 4]],
    ['line endings inside quotes stay in the cell', 'h\r\n"a\nb\rc"\nd', [['h'], ['a\nb\rc'], ['d']], [1, 2, 3]],
    ['a blank line of another kind still counts as a row', 'h\r\n\na\r\rb', [['h'], ['a'], ['b']], [1, 3, 5]],
  ])('%s', (_case, text, records, rows) => {
    for (const cuts of CUTS) {
      const got = read(text, ',', cuts);
      expect(got).not.toBe('unclosed');
      if (got === 'unclosed') return;
      expect(got.records).toEqual(records);
      expect(got.rows).toEqual(rows);
      expect(got.reread).toEqual(records);
    }
  });
});
