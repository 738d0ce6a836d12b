/**
 * Issue 17: `npm run bench` prints the lines of the README's Performance table exactly as the
 * README shows them, so a reader re-runs it and compares line by line. The bench builds its
 * table from scripts/bench/perf.mjs; this keeps the README's table in the same form: the same
 * columns, and a line for each path a run with the default options measures, in its order.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error a script of the repository, plain JavaScript
import { PERF_HEAD, defaultPaths, perfLine, perfTable } from '../../scripts/bench/perf.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The README's Performance table: its lines from the header to the first line that is not a row. */
function readmeTable(): string[] {
  const lines = readme.split('\n');
  const head = perfTable([]).split('\n')[0];
  const at = lines.indexOf(head);
  expect(at, `the README has no line "${head}" (the bench's header)`).toBeGreaterThan(0);
  const out: string[] = [];
  for (let i = at; i < lines.length && lines[i].startsWith('|'); i++) out.push(lines[i]);
  return out;
}

const cells = (line: string) => line.slice(2, -2).split(' | ');

describe("the README's Performance table is the bench's", () => {
  it('has the bench header and separator', () => {
    const [head, sep] = readmeTable();
    expect(cells(head)).toEqual(PERF_HEAD);
    expect(sep).toBe(perfTable([]).split('\n')[1]);
  });

  it('has a line for each path of a default run, in the order the bench prints them', () => {
    const rows = readmeTable().slice(2).map(cells);
    expect(rows.map((r) => r[0])).toEqual(defaultPaths());
  });

  it('each line is one the bench could print: five cells, a time, a ratio, a memory or nothing', () => {
    for (const r of readmeTable().slice(2).map(cells)) {
      expect(r, r[0]).toHaveLength(PERF_HEAD.length);
      expect(r[1], r[0]).toMatch(/^\d+(\.\d+)? (s|ms)$/);
      expect(r[3], r[0]).toMatch(/^\d+(\.\d+)?×( \*\*missed\*\*)?$/);
      expect(r[4], r[0]).toMatch(/^(\d+ MB)?$/);
    }
  });

  it('the bench formats a line as the README reads it (a missed target marked)', () => {
    const table = perfTable([perfLine('`x`', '1.00 s', '0.50 s sqlite3', '2×', 90, false), perfLine('`y`', '5 ms', '4 ms', '1.25×', null, true)]);
    expect(table.split('\n').slice(2)).toEqual(['| `x` | 1.00 s | 0.50 s sqlite3 | 2× **missed** | 90 MB |', '| `y` | 5 ms | 4 ms | 1.25× |  |']);
  });
});
