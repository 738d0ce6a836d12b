/**
 * The colours of a table (io/output/table.ts) are written as chalk writes them at its level 1,
 * without loading chalk (its colour detection cost every table 2 ms of start-up, issue 17):
 * byte for byte, for any text — empty, with line breaks, with colours already inside.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Chalk } from 'chalk';
import { coloured } from '../../src/io/output/table.js';

const chalk = new Chalk({ level: 1 });
const STYLES = ['gray', 'cyan', 'red', 'bold'] as const;

// text made of what matters to a style: line breaks, escape sequences of colours, plain words
const piece = fc.constantFrom('', 'a', '林洋', ' ', '\n', '\r\n', '\r', '\u001b[31m', '\u001b[39m', '\u001b[1m', '\u001b[22m', '\u001b[90m', '\u001b');
const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));

describe('table colours are chalk level 1', () => {
  it.each(STYLES)('%s, on any text', (style) => {
    fc.assert(
      fc.property(text, (s) => {
        expect(coloured[style](s)).toBe(chalk[style](s));
      }),
      { numRuns: 500 },
    );
  });

  it('nested, as a totals row behind target is (bold around red)', () => {
    for (const s of ['12.5%', '', 'a\nb']) expect(coloured.bold(coloured.red(s))).toBe(chalk.bold(chalk.red(s)));
  });
});
