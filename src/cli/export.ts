/**
 * `salesops export KIND` (SPEC §4, §5): every row of a kind (app/export) to stdout or a file
 * as csv/tsv/json/jsonl or an .xlsx workbook (issue 16: typed cells, one sheet named after
 * the kind), streamed through the output pipeline (cli/output.ts print). Personal data is masked
 * unless a GM approved the reveal, and every export with personal data is audited: to
 * stdout before the rows leave, to a file once it is complete on disk and before it takes
 * its name, so an export that failed is never on record as done.
 *
 * issue 15: a file (`--out FILE`) is for people: csv with a BOM (Excel), the header row in
 * the user's language — in Chinese, for a kind that re-imports, the import template's
 * headers, so the file goes back in as it is. stdout (`--out -` too) is for scripts: the
 * keys, and a BOM only when it is redirected to a regular file (cli/output.ts stdoutFile).
 * `--headers keys|names` and `--bom`/`--no-bom` say otherwise. The file's extension decides
 * its format, or the name is refused (issue 16: `c.xlsx` was csv text Excel would not open).
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import { withRevealFlags, type Approval, type RevealFlags } from './reveal.js';
import { byOf, periodOf, withReportFlags, type ReportFlags } from './kpi.js';
import { EXPORT_KINDS, SEALED, isExportKind } from '../app/export/kinds.js';
import { openDatabase } from './database.js';

interface ExportFlags extends RevealFlags, ReportFlags {
  out?: string;
}

async function runExport(given: Ctx, kindArg: string, f: ExportFlags): Promise<void> {
  const kind = kindArg.trim().toLowerCase();
  if (!isExportKind(kind)) throw new UsageError(t('export.unknown', { kind: kindArg }), t('export.unknown.hint', { kinds: EXPORT_KINDS.join(', ') }));
  if (given.formatGiven && given.format === 'table') throw new UsageError(t('export.no_table'), t('export.no_table.hint'));
  // data, never a table: csv unless --format or the file's extension (issue 16: which decides, or is refused)
  // says otherwise; a path that can never be written is refused before the database is opened
  const { withOut, print } = await import('./output.js');
  const ctx = await withOut(given.formatGiven ? given : { ...given, format: 'csv' }, f.out);
  const by = byOf(f.by);
  const dated = f.period !== undefined || f.from !== undefined;
  const period = kind === 'kpi' || dated ? await periodOf(f, ctx.asOf) : null;
  if (dated && kind === 'staff') ctx.info('export.no_period', { kind });
  const { exportData, recordExport } = await import('../app/export/exportData.js');
  const db = await openDatabase(ctx);
  try {
    const sealed = SEALED[kind];
    let approval: Approval | null = null;
    if (f.reveal && !sealed) ctx.info('export.no_sealed', { kind });
    else if (sealed) {
      const { checkReveal } = await import('./reveal.js');
      approval = await checkReveal(db, f);
      if (!approval) ctx.info('export.masked', { extra: sealed.health ? t('export.masked.health') : sealed.notes ? t('export.masked.notes') : '' });
    }
    const listing = exportData(db, {
      kind,
      period,
      asOf: ctx.asOf,
      approval,
      by,
      classes: Boolean(f.classes),
      totals: f.totals !== false,
      target: ctx.outFile ?? 'stdout',
      command: ctx.detail,
    });
    const audit = listing.audit;
    await print(ctx, listing.rows, listing.columns, {
      limit: 0,
      revealed: listing.revealed,
      json: listing.json,
      sheet: `workbooks.sheet.${kind}`,
      record: audit ? () => recordExport(db, audit) : undefined,
      written: { key: 'export.written', params: { kind } },
    });
  } finally {
    db.close();
  }
}

export function registerExport(program: Command): void {
  withRevealFlags(
    withReportFlags(
      program
        .command('export <kind>')
        .description(t('export.description') + ` (${EXPORT_KINDS.join('|')})`)
        .option('--out <file>', t('workbooks.flag.out')),
      t('export.flag.period'),
    ),
  ).action(action(async (ctx, kind: string, f: ExportFlags) => runExport(ctx, kind, f)));
}
