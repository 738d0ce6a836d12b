/**
 * `salesops kpi` (SPEC §3.5): the KPI or customer-class report of a period (app/kpi.ts) as
 * a table a manager reads at a glance — what is behind target in red on a terminal, the
 * totals under a rule — or csv/tsv/json/jsonl with the §4 field names, or a workbook (to
 * `--out FILE` whose extension decides the format: cli/output.ts withOut, issue 16). The period and
 * `--by` flags are shared with `export kpi` (export.ts).
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import type { Period } from '../domain/kpi.js';
import type { By, Report } from '../app/kpi.js';
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
    .option('--out <file>', t('workbooks.flag.out'))
    .action(
      action(async (given, f: ReportFlags & { out?: string }) => {
        const { withOut } = await import('./output.js');
        // --out FILE: its extension decides the format (issue 16), checked before any work
        const ctx = await withOut(given, f.out);
        const by = byOf(f.by);
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
