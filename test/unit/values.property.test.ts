/** Properties of the §2 value parsers over generated inputs (fast-check). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  daysBetween,
  fenToYuan,
  fenToYuanString,
  maskPhone,
  normalizePhone,
  parseDate,
  parseMoney,
} from '../../src/domain/values.js';

// ---- a pure reference calendar, written independently of the code under test ----
const refLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const refMonthLen = (y: number, m: number) => [31, refLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
/** days since 1900-01-01, by counting whole years and months */
function refOrdinal(y: number, m: number, d: number): number {
  let n = 0;
  for (let yy = 1900; yy < y; yy++) n += refLeap(yy) ? 366 : 365;
  for (let mm = 1; mm < m; mm++) n += refMonthLen(y, mm);
  return n + d - 1;
}
function refFromOrdinal(n: number): string {
  let y = 1900;
  while (n >= (refLeap(y) ? 366 : 365)) n -= refLeap(y++) ? 366 : 365;
  let m = 1;
  while (n >= refMonthLen(y, m)) n -= refMonthLen(y, m++);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${y}-${p(m)}-${p(n + 1)}`;
}
const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** a valid calendar date 1900-01-01 … 2199-12-31 as [y, m, d] */
const civil = fc
  .record({ y: fc.integer({ min: 1900, max: 2199 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .map(({ y, m, d }) => [y, m, Math.min(d, refMonthLen(y, m))] as const);

/** Runs `f` with `Date` unusable, so a calendar computation that reached for it would throw. */
function withoutDate<T>(f: () => T): T {
  const RealDate = globalThis.Date;
  const trap = new Proxy(RealDate, {
    construct() {
      throw new Error('Date constructed: calendar arithmetic must not depend on the time zone');
    },
    apply() {
      throw new Error('Date called: calendar arithmetic must not depend on the time zone');
    },
    get(target, prop, receiver) {
      if (prop === 'now' || prop === 'parse' || prop === 'UTC') throw new Error(`Date.${String(prop)} used`);
      return Reflect.get(target, prop, receiver);
    },
  });
  globalThis.Date = trap;
  try {
    return f();
  } finally {
    globalThis.Date = RealDate;
  }
}

describe('calendar dates are pure day arithmetic (never a Date, never a time zone)', () => {
  it('the Date trap itself works (so the properties below can fail)', () => {
    expect(() => withoutDate(() => new Date(2024, 4, 9))).toThrow(/Date constructed/);
    expect(() => withoutDate(() => Date.now())).toThrow(/Date.now/);
  });

  it('addDays(d, n) then daysBetween(d, result) gives n back', () => {
    fc.assert(
      fc.property(civil, fc.integer({ min: -20000, max: 20000 }), ([y, m, d], n) => {
        const from = iso(y, m, d);
        withoutDate(() => {
          const to = addDays(from, n);
          expect(daysBetween(from, to)).toBe(n);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('addDays agrees with a reference calendar that counts whole years and months', () => {
    fc.assert(
      fc.property(civil, fc.integer({ min: -3000, max: 3000 }), ([y, m, d], n) => {
        const start = refOrdinal(y, m, d);
        fc.pre(start + n >= 0);
        const got = withoutDate(() => addDays(iso(y, m, d), n));
        expect(got).toBe(refFromOrdinal(start + n));
      }),
      { numRuns: 2000 },
    );
  });

  it('daysBetween agrees with the reference calendar', () => {
    fc.assert(
      fc.property(civil, civil, ([y1, m1, d1], [y2, m2, d2]) => {
        const got = withoutDate(() => daysBetween(iso(y1, m1, d1), iso(y2, m2, d2)));
        expect(got).toBe(refOrdinal(y2, m2, d2) - refOrdinal(y1, m1, d1));
      }),
      { numRuns: 1000 },
    );
  });

  it('every written form of a date parses to the same ISO date, without a Date', () => {
    fc.assert(
      fc.property(civil, fc.constantFrom('-', '/', '.', '年'), fc.boolean(), ([y, m, d], sep, pad) => {
        const mm = pad ? String(m).padStart(2, '0') : String(m);
        const dd = pad ? String(d).padStart(2, '0') : String(d);
        const raw = sep === '年' ? `${y}年${mm}月${dd}日` : `${y}${sep}${mm}${sep}${dd}`;
        expect(withoutDate(() => parseDate(raw))).toBe(iso(y, m, d));
      }),
      { numRuns: 1000 },
    );
  });

  it('an Excel serial ≥ 61 is the number of days since 1899-12-30', () => {
    fc.assert(
      fc.property(civil, ([y, m, d]) => {
        fc.pre(y > 1900 || m >= 3);
        // 1899-12-30 is 2 days before the reference epoch 1900-01-01
        const serial = refOrdinal(y, m, d) + 2;
        expect(withoutDate(() => parseDate(String(serial)))).toBe(iso(y, m, d));
        expect(withoutDate(() => parseDate(`${serial}.5`))).toBe(iso(y, m, d));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('money round-trips through fen exactly', () => {
  const fen = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

  it('parseMoney(fenToYuanString(f)) === f for any integer fen', () => {
    fc.assert(
      fc.property(fen, (f) => {
        expect(parseMoney(fenToYuanString(f))).toBe(f);
      }),
      { numRuns: 3000 },
    );
  });

  it('small amounts too (where floating point would bite)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100000, max: 100000 }), (f) => {
        expect(parseMoney(fenToYuanString(f))).toBe(f);
        // JSON money: the number of yuan, whose shortest decimal form reads back as the same fen
        expect(parseMoney(String(fenToYuan(f)))).toBe(f);
      }),
    );
  });

  it('with ¥, 元 and thousands separators the amount is the same', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 13 }), fc.constantFrom('¥', '￥', ''), fc.constantFrom('元', ''), (f, pre, post) => {
        const [int, dec] = fenToYuanString(f).split('.');
        const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
        expect(parseMoney(`${pre}${grouped}.${dec}${post}`)).toBe(f);
      }),
    );
  });

  it('three decimals are never money', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 9 }), fc.integer({ min: 0, max: 999 }), (yuan, milli) => {
        expect(parseMoney(`${yuan}.${String(milli).padStart(3, '0')}`)).toBeNull();
      }),
    );
  });
});

describe('phones', () => {
  const mobile = fc
    .tuple(fc.integer({ min: 3, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }))
    .map(([second, rest]) => `1${second}${rest.join('')}`);
  /** the same number as people write it: spaces or dashes between groups, a country prefix */
  const written = fc
    .tuple(mobile, fc.constantFrom('', '+86', '+86 ', '0086', '86'), fc.constantFrom('', ' ', '-'))
    .map(([n, prefix, sep]) => ({ n, raw: `${prefix}${n.slice(0, 3)}${sep}${n.slice(3, 7)}${sep}${n.slice(7)}` }));

  it('any written form of a mobile normalises to its 11 digits, and normalising is idempotent', () => {
    fc.assert(
      fc.property(written, ({ n, raw }) => {
        const p = normalizePhone(raw);
        expect(p).toBe(n);
        expect(normalizePhone(p!)).toBe(p);
      }),
    );
  });

  it('a mask keeps the length, the first 3 and the last 4 digits, and hides the rest', () => {
    fc.assert(
      fc.property(mobile, (n) => {
        const m = maskPhone(n);
        expect(m).toHaveLength(11);
        expect(m).toBe(`${n.slice(0, 3)}****${n.slice(7)}`);
      }),
    );
  });
});
