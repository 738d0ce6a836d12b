/**
 * `salesops kpi` (SPEC §3.5): the KPI or customer-class report of a period (app/kpi.ts) as
 * a table a manager reads at a glance — what is behind target in red on a terminal, the
 * totals under a rule — or csv/tsv/json/jsonl with the §4 field names, or a workbook (to
 * `--out FILE` whose extension decides the format: cli/output.ts withOut, issue 16). The period and
 * `--by` flags are shared with `export kpi` (export.ts). `--trend N` (issue 18): one measure
 * over the last N periods, with a sparkline (app/kpiTrend.ts).
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import type { Period } from '../domain/kpi.js';
import type { By, Report } from '../app/kpi.js';
import type { Column } from '../io/output/column.js';
import { openDatabase } from './database.js';

export interface PeriodFlags {
  period?: string;
  from?: string;
  to?: string;
}

/** The period of `--period` or `--from/--to` (default: the month of as-of). */
export async function periodOf(f: PeriodFlags, asOf: string): Promise<Period> {
  const { parsePeriod } = await import('../domain/kpi.js');
  const r = parsePeriod(f, asOf);
  if (r.ok) return r.period;
  const e = r.error;
  switch (e.code) {
    case 'bad_period':
      throw new UsageError(t('kpi.bad_period', { value: e.value }), t('kpi.bad_period.hint'));
    case 'bad_date':
      throw new UsageError(t('cli.bad_date_flag', { flag: e.flag, value: e.value }));
    case 'to_without_from':
      throw new UsageError(t('kpi.to_without_from'), t('kpi.to_without_from.hint'));
    case 'period_and_range':
      throw new UsageError(t('kpi.period_and_range'));
    case 'from_after_to':
      throw new UsageError(t('kpi.from_after_to', { from: e.from, to: e.to }), t('kpi.from_after_to.hint'));
  }
}

export function byOf(v: string | undefined): By {
  const s = (v ?? 'staff').trim().toLowerCase();
  if (s === 'staff' || s === 'rep' || s === 'reps' || s === '代表' || s === '员工') return 'staff';
  if (s === 'team' || s === 'teams' || s === '团队' || s === '部门') return 'team';
  throw new UsageError(t('kpi.bad_by', { value: v ?? '' }));
}

/** The flags of the report, on `kpi` and on `export` (for `export kpi`). */
export function withReportFlags(cmd: Command, periodHelp: string): Command {
  return cmd
    .option('--period <period>', periodHelp)
    .option('--from <date>', t('kpi.flag.from'))
    .option('--to <date>', t('kpi.flag.to'))
    .option('--by <staff|team>', t('kpi.flag.by'), 'staff')
    .option('--classes', t('kpi.flag.classes'))
    .option('--no-totals', t('kpi.flag.no_totals'));
}

export interface ReportFlags extends PeriodFlags {
  by?: string;
  classes?: boolean;
  totals?: boolean;
}

/** The report as the chosen format: a table with labels, or the §4 fields (the totals row keyed TOTAL unless --no-totals). */
async function printReport(ctx: Ctx, rep: Report, totals: boolean, classes: boolean): Promise<void> {
  const { print } = await import('./output.js');
  // a report has a row per rep or team: small, shown whole
  if (ctx.format !== 'table') {
    await print(ctx, totals ? [...rep.rows, rep.total] : rep.rows, rep.columns, { limit: 0, sheet: classes ? 'workbooks.sheet.classes' : 'workbooks.sheet.kpi' });
    return;
  }
  if (rep.rows.length === 0 && !totals) {
    ctx.info('common.no_rows');
    return;
  }
  const { behindTarget } = await import('../domain/kpi.js');
  const { rowsForPeople } = await import('../app/kpi.js');
  await print(ctx, rowsForPeople(rep, totals), rep.columns, {
    limit: 0,
    totals,
    style: (text, key, value, paint) => (behindTarget(key, value) ? paint.red(text) : text),
  });
}

export function registerKpi(program: Command): void {
  withReportFlags(program.command('kpi').description(t('kpi.description')), t('kpi.flag.period'))
    .option('--trend <n>', t('kpi.flag.trend'))
    .option('--measure <measure>', t('kpi.flag.measure'))
    .option('--out <file>', t('workbooks.flag.out'))
    .action(
      action(async (given, f: ReportFlags & TrendFlags & { out?: string }) => {
        const { withOut } = await import('./output.js');
        // --out FILE: its extension decides the format (issue 16), checked before any work
        const ctx = await withOut(given, f.out);
        const by = byOf(f.by);
        if (f.trend !== undefined || f.measure !== undefined) return trend(ctx, f, by);
        const period = await periodOf(f, ctx.asOf);
        const { classReport, kpiReport } = await import('../app/kpi.js');
        const db = await openDatabase(ctx);
        try {
          const rep = (f.classes ? classReport : kpiReport)(db, { period, by, asOf: ctx.asOf });
          for (const n of rep.notices) ctx.info(n.key, n.params);
          await printReport(ctx, rep, f.totals !== false, Boolean(f.classes));
        } finally {
          db.close();
        }
      }),
    );
}

// ---------------------------------------------------------------------------------------
// kpi --trend N (issue 18)

interface TrendFlags {
  trend?: string;
  measure?: string;
}

/** A measure as the user may name it: its field name (sales_amount) or its header in either language (销售额, Sales). */
const measureName = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** `--trend N`: whole periods stepped back from one period, so neither --classes nor a --from/--to range. */
async function trend(ctx: Ctx, f: ReportFlags & TrendFlags, by: By): Promise<void> {
  if (f.trend === undefined) throw new UsageError(t('kpi.trend.measure_alone'), t('kpi.trend.measure_alone.hint', { value: f.measure ?? '' }));
  const { TREND_MAX, TREND_MIN } = await import('../domain/trend.js');
  const n = /^\s*\d{1,3}\s*$/.test(f.trend) ? Number(f.trend) : NaN;
  if (!(n >= TREND_MIN && n <= TREND_MAX)) throw new UsageError(t('kpi.trend.bad_n', { value: f.trend, min: TREND_MIN, max: TREND_MAX }), t('kpi.trend.bad_n.hint'));
  if (f.classes) throw new UsageError(t('kpi.trend.conflict', { flag: '--classes' }), t('kpi.trend.conflict.hint'));
  if (f.from !== undefined || f.to !== undefined) throw new UsageError(t('kpi.trend.conflict', { flag: f.from !== undefined ? '--from' : '--to' }), t('kpi.trend.conflict.hint'));
  const { kpiTrend, trendMeasures, trendRowsForPeople, TREND_COLUMN } = await import('../app/kpiTrend.js');
  const measure = measureOf(f.measure ?? 'sales_amount', by, trendMeasures);
  const last = await periodOf({ period: f.period }, ctx.asOf);
  const db = await openDatabase(ctx);
  try {
    const rep = kpiTrend(db, { last, n, measure, by, asOf: ctx.asOf });
    for (const notice of rep.notices) ctx.info(notice.key, notice.params);
    const totals = f.totals !== false;
    const { print } = await import('./output.js');
    if (ctx.format !== 'table') {
      await print(ctx, totals ? [...rep.rows, rep.total] : rep.rows, rep.columns, {
        limit: 0,
        sheet: 'kpi.trend.sheet',
        // a workbook draws the trend (csv and json ignore it)
        chart: { title: t('kpi.trend.sheet'), categories: rep.periods.map((p) => p.label), name: rep.key === 'team' ? ['team'] : ['staff_name', 'staff_id'], totalsRow: totals },
      });
      return;
    }
    if (rep.rows.length === 0 && !totals) {
      ctx.info('common.no_rows');
      return;
    }
    const { behindTarget } = await import('../domain/kpi.js');
    const periods = new Set(rep.periods.map((p) => p.label));
    await print(ctx, trendRowsForPeople(rep, totals), [...rep.columns, TREND_COLUMN], {
      limit: 0,
      totals,
      // a period behind target in red, as the kpi table paints the measure (on-time rate under 90%…)
      style: (text, key, value, paint) => (periods.has(key) && behindTarget(measure, value) ? paint.red(text) : text),
    });
  } finally {
    db.close();
  }
}

/** The field name of `--measure`: a number field of `kpi --by` (by name or header); a team's own measure asks for --by team. */
function measureOf(given: string, by: By, measures: (by: By) => Column[]): string {
  const wanted = measureName(given);
  const named = (c: Column) => [c.key, c.header?.zh ?? '', c.header?.en ?? ''].some((x) => measureName(x) === wanted);
  const found = measures(by).find(named);
  if (found) return found.key;
  if (by === 'staff' && measures('team').some(named)) throw new UsageError(t('kpi.trend.team_only', { value: given }), t('kpi.trend.team_only.hint'));
  throw new UsageError(t('kpi.trend.bad_measure', { value: given, by }), t('kpi.trend.bad_measure.hint', { measures: measures(by).map((c) => c.key).join(', ') }));
}
