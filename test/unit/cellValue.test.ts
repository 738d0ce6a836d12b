/**
 * How the import reads a cell (src/io/kind.ts cellValue): trimmed, and the `'` that an export
 * or a rejects file puts before a formula-like text (SPEC §4) taken off again, so a rejects
 * file re-imports to exactly what the original file gave. One rule takes it off:
 * restoreFormula (src/io/formula.ts), which the header goes through as it is and cellValue
 * applies between trims.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellValue } from '../../src/io/kind.js';
import { neutralizeFormula } from '../../src/io/formula.js';
import { restoreFormula } from '../../src/io/formula.js';

describe('cellValue', () => {
  it.each<[string, string]>([
    ["'=1+1", '=1+1'],
    ["'+8613812345678", '+8613812345678'],
    ["'-3", '-3'],
    ["'@王", '@王'],
    ["'\t=1", '=1'],
    ["'\r=1", '=1'],
    ['  \'=SUM(A1)  ', '=SUM(A1)'],
  ])('%j reads as %j', (cell, value) => {
    expect(cellValue(cell)).toBe(value);
  });

  it.each(["'abc", "'", "''=1", "' =1", "'1", 'a\'=1', '刘芳', '=1', ' x '])('%j: only that exact pattern loses its quote', (cell) => {
    expect(cellValue(cell)).toBe(cell.trim());
  });

  it('a neutralised cell reads as the original did: a rejects file re-imports as it was', () => {
    const cell = fc.array(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ' ', "'", 'a', '1', '中', ','), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(cell, (x) => {
        expect(cellValue(neutralizeFormula(x))).toBe(cellValue(x));
      }),
      { numRuns: 5000 },
    );
  });

  it('what an export writes reads back to the value exported', () => {
    for (const v of ['=HYPERLINK("x")', '+86 138 1234 5678', '-5', '@home', '普通文本']) {
      expect(cellValue(neutralizeFormula(v))).toBe(v);
    }
  });
});

describe('restoreFormula: the one rule that takes the quote off', () => {
  it.each<[string, string]>([
    ["'=1+1", '=1+1'],
    ["'+86", '+86'],
    ["'-3", '-3'],
    ["'@王", '@王'],
    ["'\t=1", '\t=1'],
    ["'\rx", '\rx'],
    // only that exact pattern, once, and nothing trimmed
    ["'abc", "'abc"],
    ["'", "'"],
    ['', ''],
    ["''=1", "''=1"],
    ["' =1", "' =1"],
    [" '=1", " '=1"],
    ["'\t'=1", "\t'=1"],
    ['=1', '=1'],
  ])('%j → %j', (cell, value) => {
    expect(restoreFormula(cell)).toBe(value);
  });

  const text = fc.array(fc.constantFrom('=', '+', '-', '@', '\t', '\r', ' ', "'", 'a', '1', '中'), { maxLength: 8 }).map((p) => p.join(''));

  it('undoes neutralizeFormula exactly, for any text that does not itself start with a neutralised formula (a header cell re-imports as it was)', () => {
    fc.assert(
      fc.property(text, (x) => {
        fc.pre(restoreFormula(x) === x);
        expect(restoreFormula(neutralizeFormula(x))).toBe(x);
      }),
      { numRuns: 5000 },
    );
  });

  it('cellValue takes off what restoreFormula takes off, after trimming the start, until nothing is left to take off', () => {
    fc.assert(
      fc.property(text, (x) => {
        const v = cellValue(x);
        // one step of the rule changes nothing cellValue gives
        expect(cellValue(restoreFormula(x.trimStart()))).toBe(v);
        // and leaves nothing for the rule to take off
        expect(restoreFormula(v)).toBe(v);
      }),
      { numRuns: 5000 },
    );
    // the case that needs the loop: a rejects file neutralised `\t'=1` (a tab first) as `'\t'=1`
    expect(cellValue(neutralizeFormula("\t'=1"))).toBe(cellValue("\t'=1"));
    expect(cellValue("'\t'=1")).toBe('=1');
    expect(cellValue(neutralizeFormula('\t'))).toBe('');
  });
});
