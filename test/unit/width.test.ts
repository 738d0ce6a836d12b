/**
 * io/width.ts measures text a character at a time (it runs for every table cell; string-width
 * segments graphemes, several times slower), with Unicode's East Asian Width from
 * get-east-asian-width. Pinned here to string-width, the maintained measure most terminal
 * tools use: the two agree on every character a table of ours can show — ASCII, Chinese
 * (CJK, punctuation, full-width forms), kana, Hangul, combining marks, zero-width spaces,
 * emoji.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { displayWidth } from '../../src/io/width.js';

const RANGES: [string, number, number][] = [
  ['printable ASCII', 0x20, 0x7e],
  ['Latin-1 and Latin Extended', 0xa0, 0x2ff],
  ['combining marks', 0x300, 0x36f],
  ['general punctuation (—, …, ·, “”)', 0x2010, 0x2027],
  ['CJK symbols and punctuation (、。《》【】)', 0x3000, 0x303e],
  ['kana', 0x3041, 0x30ff],
  ['CJK unified ideographs', 0x4e00, 0x9fff],
  ['CJK extension A', 0x3400, 0x4dbf],
  ['Hangul syllables', 0xac00, 0xd7a3],
  ['full-width forms (，：０Ａ)', 0xff01, 0xff60],
  ['full-width signs (￥)', 0xffe0, 0xffe6],
  ['CJK extension B (surrogate pairs)', 0x20000, 0x2a6df],
  ['Hangul jamo', 0x1100, 0x11ff],
  ['CJK radicals, Kangxi', 0x2e80, 0x2fff],
  ['bopomofo, compatibility jamo, enclosed CJK, CJK compatibility', 0x3100, 0x33ff],
  ['Yi', 0xa000, 0xa4cf],
  ['CJK compatibility ideographs', 0xf900, 0xfaff],
  ['CJK compatibility forms', 0xfe30, 0xfe4f],
  ['pictographs and emoji', 0x1f300, 0x1faff],
];

describe('displayWidth agrees with string-width', () => {
  it.each(RANGES)('every character of %s', (_name, from, to) => {
    for (let c = from; c <= to; c++) {
      const s = String.fromCodePoint(c);
      expect([c.toString(16), displayWidth(s)]).toEqual([c.toString(16), stringWidth(s)]);
    }
  });

  it('zero-width spaces and joiners take no room', () => {
    for (const s of ['\u200b', '\u200c', '\u200d']) expect(displayWidth(s)).toBe(stringWidth(s));
  });

  it('common emoji are two columns', () => {
    for (const s of ['😀', '👍', '🎉', '🚗', '🏠']) expect(displayWidth(s)).toBe(stringWidth(s));
  });

  // marks, jamo and emoji modifiers join the character before them into one grapheme, which
  // string-width measures as a whole: a mix is compared on the characters that stand alone
  const ALONE = RANGES.filter(([name]) => !/jamo|emoji|combining/.test(name));
  const joins = (s: string) => /[\p{M}\p{Default_Ignorable_Code_Point}\p{Cf}]/u.test(s);

  it('any mix of characters that stand alone: the width of a string is the sum of its characters', () => {
    const ch = fc.oneof(...ALONE.map(([, from, to]) => fc.integer({ min: from, max: to }).map((c) => String.fromCodePoint(c)).filter((s) => !joins(s))));
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 40 }), (chars) => {
        const s = chars.join('');
        expect(displayWidth(s)).toBe(stringWidth(s));
      }),
      { numRuns: 500 },
    );
  });
});
