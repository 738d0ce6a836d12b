/**
 * KPI trends (issue 18, "trends people would rather look at than read"): the periods a trend
 * covers, stepped back from the last one, and the sparkline a table shows beside the figures.
 * Pure: the figures themselves are `kpi`'s for each period (app/kpiTrend.ts).
 */
import { previousPeriod, type Period } from './kpi.js';

/** How many periods a trend may have: two to see a direction, three years of months at most. */
export const TREND_MIN = 2;
export const TREND_MAX = 36;

/**
 * The `n` periods of `last`'s kind ending with `last`, oldest first: 2024-01 back 12 →
 * 2023-02 … 2024-01; 2024-Q2 back 4 → 2023-Q3 … 2024-Q2. Each step is previousPeriod, the
 * step `kpi` compares growth with, so a trend's neighbours are kpi's own.
 */
export function trendPeriods(last: Period, n: number): Period[] {
  const out: Period[] = [last];
  while (out.length < n) out.push(previousPeriod(out[out.length - 1]));
  return out.reverse();
}

/** The eight heights, lowest first; each one terminal column wide (io/width.ts: East Asian Width A, narrow). */
export const SPARK_BLOCKS = '▁▂▃▄▅▆▇█';
/** A period with no figure (not on that period's kpi, or a ratio over nothing). */
export const SPARK_GAP = ' ';
/** A row whose figures are all the same: flat at half height, not all on the floor. */
export const SPARK_FLAT = '▄';

/**
 * One character per value, scaled to the row's own range: its lowest figure ▁, its highest
 * █, the rest in between (rounded to the nearest of the eight heights, so a larger figure is
 * never drawn lower); null a space; a row of one value (or one figure) a flat ▄ line.
 */
export function sparkline(values: readonly (number | null)[]): string {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const top = SPARK_BLOCKS.length - 1;
  let out = '';
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) out += SPARK_GAP;
    else if (max === min) out += SPARK_FLAT;
    else out += SPARK_BLOCKS[Math.round(((v - min) / (max - min)) * top)];
  }
  return out;
}
