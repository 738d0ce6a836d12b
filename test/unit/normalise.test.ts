/**
 * Issue 15: the text a clerk really types (full-width digits, ideographic and no-break spaces,
 * zero-width characters) read as the text meant — every imported cell (cellValue) and the
 * phone/name arguments of commands.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseText, personName } from '../../src/domain/normalise.js';
import { cellValue } from '../../src/io/kind.js';
import { neutralizeFormula } from '../../src/io/formula.js';
import { normalizePhone, parseMoney } from '../../src/domain/values.js';

describe('normaliseText', () => {
  it.each<[string, string, string]>([
    ['full-width digits', '１３８５７９０３４５６', '13857903456'],
    ['full-width money', '１２元', '12元'],
    ['full-width Latin', 'ＡＢＣ ｘｙｚ', 'ABC xyz'],
    ['ideographic space trimmed', '\u3000冯明\u3000', '冯明'],
    ['NBSP trimmed', '\u00a0abc\u00a0', 'abc'],
    ['tabs trimmed and collapsed', '\ta\t\tb\t', 'a b'],
    ['other Zs (em space, thin space) collapsed', 'a\u2003\u2009b', 'a b'],
    ['a run of mixed spaces is one space', 'a \u3000\u00a0\t b', 'a b'],
    ['zero-width space removed', '138\u200b5790\u200c3456', '13857903456'],
    ['ZWJ, word joiner and BOM removed', '\ufeff冯\u200d明\u2060', '冯明'],
    ['a zero-width character between spaces', 'a \u200b b', 'a b'],
    ['a line break inside a note stays', '第一行\n第二行', '第一行\n第二行'],
    ['plain ASCII unchanged', 'John Smith', 'John Smith'],
    ['plain Chinese unchanged', '浙江省金华市', '浙江省金华市'],
    ['empty', '', ''],
    ['only spaces', '\u3000 \u00a0', ''],
    ['full-width digits inside Chinese punctuation: the punctuation stays', '（１）', '（1）'],
    ['a note keeps its Chinese commas and colons', '血压偏高，已提醒：按时服药', '血压偏高，已提醒：按时服药'],
  ])('%s: %j → %j', (_rule, raw, want) => {
    expect(normaliseText(raw)).toBe(want);
  });

  it('a full-width phone is a phone; full-width money is money', () => {
    expect(normalizePhone(normaliseText('１３８５７９０３４５６'))).toBe('13857903456');
    expect(normalizePhone(normaliseText('０５７９－８４１２３４５６'))).toBe('057984123456');
    expect(parseMoney(normaliseText('１２').replace('元', ''))).toBe(1200);
  });

  const alphabet = fc.constantFrom('a', 'B', '1', '１', 'Ａ', ' ', '\u3000', '\u00a0', '\t', '\u2003', '\u200b', '\ufeff', '\u2060', '冯', '明', '\n', "'", '=', '（', '。', 'é', 'e\u0301');
  const text = fc.array(alphabet, { maxLength: 12 }).map((p) => p.join(''));

  it('normalising twice is normalising once', () => {
    fc.assert(
      fc.property(text, (s) => {
        const once = normaliseText(s);
        expect(normaliseText(once)).toBe(once);
        const name = personName(s);
        expect(personName(name)).toBe(name);
      }),
      { numRuns: 5000 },
    );
  });

  it('ASCII-clean strings come back unchanged (the same string: the fast path)', () => {
    const clean = fc
      .array(fc.array(fc.integer({ min: 33, max: 126 }), { minLength: 1, maxLength: 8 }).map((cs) => String.fromCharCode(...cs)), { maxLength: 4 })
      .map((w) => w.join(' '));
    fc.assert(
      fc.property(clean, (s) => {
        expect(normaliseText(s)).toBe(s);
        // a cell starting with ' may lose it (the formula rule); any other reads as it is
        if (s.charCodeAt(0) !== 39) expect(cellValue(s)).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('personName', () => {
  it.each<[string, string]>([
    ['冯　明', '冯明'],
    ['冯 明', '冯明'],
    ['冯\u00a0\u00a0明', '冯明'],
    [' 欧阳 娜 娜 ', '欧阳娜娜'],
    ['冯\u200b明', '冯明'],
    ['John Smith', 'John Smith'],
    ['Ｊｏｈｎ　Ｓｍｉｔｈ', 'John Smith'],
    ['John  Smith', 'John Smith'],
    ['王 John', '王 John'],
    ['', ''],
  ])('%j → %j', (raw, want) => {
    expect(personName(raw)).toBe(want);
  });
});

describe('cellValue normalises every cell, and the formula rule still holds', () => {
  it.each<[string, string]>([
    ['\u3000１３８５７９０３４５６\u3000', '13857903456'],
    ["'=1+1", '=1+1'],
    ["\u3000'=1", '=1'],
    ["'\t=1", '=1'],
    ['a\u3000\u3000b', 'a b'],
    ['\u200b', ''],
  ])('%j reads as %j', (cell, want) => {
    expect(cellValue(cell)).toBe(want);
  });

  it('a neutralised cell still reads as the original did', () => {
    const cell = fc.array(fc.constantFrom('=', '+', '-', '@', '\t', '\r', ' ', '\u3000', '\u200b', "'", 'a', '１', '中'), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(cell, (x) => {
        expect(cellValue(neutralizeFormula(x))).toBe(cellValue(x));
      }),
      { numRuns: 5000 },
    );
  });
});
