/**
 * How the import reads a cell (src/io/kind.ts cellValue): trimmed, and the `'` that an export
 * or a rejects file puts before a formula-like text (SPEC §4) taken off again, so a rejects
 * file re-imports to exactly what the original file gave.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellValue } from '../../src/io/kind.js';
import { neutralizeFormula } from '../../src/io/render.js';

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
