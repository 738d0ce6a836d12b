/**
 * KPI trends (issue 18, domain/trend.ts): the periods a trend steps back through, and the
 * sparkline of a row — its lowest figure ▁, its highest █, a missing one a space.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { monthPeriod, quarterPeriod, yearPeriod } from '../../src/domain/kpi.js';
import { SPARK_BLOCKS, sparkline, trendPeriods } from '../../src/domain/trend.js';
import { displayWidth } from '../../src/io/width.js';

describe('trendPeriods: the last N periods of the last one\'s kind, oldest first', () => {
  it.each([
    { last: monthPeriod(2024, 1), n: 12, labels: ['2023-02', '2023-03', '2023-04', '2023-05', '2023-06', '2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12', '2024-01'] },
    { last: monthPeriod(2024, 7), n: 3, labels: ['2024-05', '2024-06', '2024-07'] },
    { last: monthPeriod(2024, 3), n: 2, labels: ['2024-02', '2024-03'] },
    { last: quarterPeriod(2024, 2), n: 4, labels: ['2023-Q3', '2023-Q4', '2024-Q1', '2024-Q2'] },
    { last: quarterPeriod(2024, 1), n: 2, labels: ['2023-Q4', '2024-Q1'] },
    { last: yearPeriod(2024), n: 3, labels: ['2022', '2023', '2024'] },
  ])('$last.label back $n', ({ last, n, labels }) => {
    expect(trendPeriods(last, n).map((p) => p.label)).toEqual(labels);
  });

  it('periods that follow one another, day after day: February of a leap year whole, the last one itself', () => {
    const ps = trendPeriods(monthPeriod(2024, 3), 36);
    expect(ps).toHaveLength(36);
    expect(ps.at(-1)).toEqual(monthPeriod(2024, 3));
    expect(ps.find((p) => p.label === '2024-02')).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(ps[0]).toMatchObject({ label: '2021-04', from: '2021-04-01' });
    for (let i = 1; i < ps.length; i++) {
      const next = new Date(Date.parse(ps[i - 1].to + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10);
      expect(ps[i].from).toBe(next);
    }
  });
});

describe('sparkline: one block per period, scaled to the row', () => {
  it.each([
    { values: [0, 1, 2, 3, 4, 5, 6, 7], line: '▁▂▃▄▅▆▇█', why: 'eight steps, eight heights' },
    { values: [100, 700], line: '▁█', why: 'lowest ▁, highest █' },
    { values: [700, 100, 400], line: '█▁▅', why: 'the middle rounded to its nearest height (3.5 → 4)' },
    { values: [5, 5, 5], line: '▄▄▄', why: 'all the same: a flat line at half height' },
    { values: [0, 0, 0, 0], line: '▄▄▄▄', why: 'nothing sold: flat, not on the floor' },
    { values: [null, 3, null, 9], line: ' ▁ █', why: 'a period with no figure is a gap' },
    { values: [null, null], line: '  ', why: 'no figure at all: gaps' },
    { values: [null, 4], line: ' ▄', why: 'one figure: flat' },
    { values: [-2, 0, 2], line: '▁▅█', why: 'negative figures (a growth rate) scale as any' },
    { values: [0.3333, 0.9, 1], line: '▁▇█', why: 'rates' },
    { values: [], line: '', why: 'no periods' },
  ])('$values → $line ($why)', ({ values, line }) => {
    expect(sparkline(values)).toBe(line);
  });

  it('each block is one column of a terminal table', () => {
    for (const b of SPARK_BLOCKS) expect(displayWidth(b), b).toBe(1);
    expect(displayWidth(sparkline([1, null, 3, 2]))).toBe(4);
  });

  const figures = fc.array(fc.option(fc.integer({ min: -1e9, max: 1e9 }), { nil: null }), { maxLength: 36 });

  it('property: one character per period, a gap exactly where there is no figure, min ▁ and max █ when they differ', () => {
    fc.assert(
      fc.property(figures, (values) => {
        const line = [...sparkline(values)];
        expect(line).toHaveLength(values.length);
        values.forEach((v, i) => expect(line[i] === ' ').toBe(v === null));
        const known = values.filter((v): v is number => v !== null);
        if (known.length > 0 && Math.min(...known) !== Math.max(...known)) {
          expect(line[values.indexOf(Math.min(...known))]).toBe('▁');
          expect(line[values.indexOf(Math.max(...known))]).toBe('█');
        }
      }),
    );
  });

  it('property: monotone — a larger figure is never drawn lower', () => {
    fc.assert(
      fc.property(figures, (values) => {
        const line = [...sparkline(values)];
        const height = (i: number) => SPARK_BLOCKS.indexOf(line[i]);
        values.forEach((a, i) =>
          values.forEach((b, j) => {
            if (a !== null && b !== null && a < b) expect(height(i)).toBeLessThanOrEqual(height(j));
          }),
        );
      }),
    );
  });
});
