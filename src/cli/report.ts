/**
 * `salesops report --period 2024-07 --out 7月经营报表.xlsx` (issue 16): the report workbook
 * of a period (app/report.ts), a sheet per listing, each with the period and `--as-of` in
 * the lines above its table, names and headers in the run's language. Written as `export`
 * writes a file (§5): into a temporary file, audited once it is whole on disk, then renamed
 * over the target.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action, listing } from './run.js';
import { periodOf } from './kpi.js';
import { openDatabase } from './database.js';
import type { AtomicFile } from '../io/outputFile.js';

interface ReportFlags {
  period?: string;
  out?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(t('report.description'))
    .option('--period <period>', t('report.flag.period'))
    .option('--out <file>', t('report.flag.out'))
    .action(
      action(async (ctx, f: ReportFlags) => {
        // both required, said at once: no default period, as the report of the month of
        // as-of, run on the 2nd of August, would be two days of August under the name of July
        const missing = ([[f.period, '--period'], [f.out, '--out']] as const).filter(([v]) => v === undefined).map(([, flag]) => flag);
        if (missing.length > 0) throw new UsageError(t('report.missing', { flags: listing(missing) }), t('report.missing.hint'));
        const out = f.out!;
        // a workbook and nothing else (issue 16: an output's extension decides its format, or is refused)
        if (!/\.xlsx$/i.test(out)) {
          throw new UsageError(t('report.not_xlsx', { file: out }), t('report.not_xlsx.hint', { suggest: out.replace(/(?<=[^/\\])\.[^./\\]*$/, '') + '.xlsx' }));
        }
        const period = await periodOf({ period: f.period }, ctx.asOf);
        const outputFile = await import('../io/outputFile.js');
        const guard = { db: ctx.dbPath, what: 'export' } as const;
        // a path that can never be written is refused before the database is opened
        outputFile.checkOutputPath(out, guard);
        const { reportWorkbook } = await import('../app/report.js');
        const { recordExport } = await import('../app/export/exportData.js');
        const { writeWorkbookTo } = await import('../io/xlsx/write.js');
        const db = await openDatabase(ctx);
        let file: AtomicFile | null = null;
        try {
          const wb = reportWorkbook(db, { period, asOf: ctx.asOf, target: out, command: ctx.detail });
          const sheets = wb.sheets.map((s) => ({
            name: t(s.name),
            columns: s.columns,
            lang: ctx.lang,
            headers: ctx.headers ?? 'names',
            titleRows: s.notices.map((n) => t(n.key, n.params)),
            rows: s.rows,
            chart: s.chart && { ...s.chart, title: t(s.chart.title.key, s.chart.title.params) },
          }));
          const target = (file = outputFile.AtomicFile.open(out, guard));
          const { rows } = await writeWorkbookTo({ write: (chunk) => target.write(chunk) }, sheets);
          // §5 as `export` does: on record once the file is whole on disk, before it takes its
          // name, so that neither is left without the other
          target.flush();
          recordExport(db, wb.audit);
          target.publish();
          file = null;
          ctx.info('report.written', { file: out, sheets: listing(sheets.map((s, i) => t('report.sheet_rows', { name: s.name, n: rows[i] }))) });
        } finally {
          file?.abort();
          db.close();
        }
      }),
    );
}
