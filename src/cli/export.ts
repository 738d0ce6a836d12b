/**
 * `salesops export KIND` (SPEC §4, §5): every row of a kind (app/export) to stdout or a file
 * as csv/tsv/json/jsonl, streamed through the output pipeline. Personal data is masked
 * unless a GM approved the reveal, and every export with personal data is audited: to
 * stdout before the rows leave, to a file once it is complete on disk and before it takes
 * its name, so an export that failed is never on record as done.
 *
 * issue 15: a file (`--out FILE`) is for people: csv with a BOM (Excel), the header row in
 * the user's language — in Chinese, for a kind that re-imports, the import template's
 * headers, so the file goes back in as it is. stdout (`--out -` too) is for scripts: the
 * keys, and a BOM only when it is redirected to a regular file (cli/output.ts stdoutFile).
 * `--headers keys|names` and `--bom`/`--no-bom` say otherwise.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import { withRevealFlags, type Approval, type RevealFlags } from './reveal.js';
import { byOf, periodOf, withReportFlags, type ReportFlags } from './kpi.js';
import { EXPORT_KINDS, SEALED, isExportKind } from '../app/export/kinds.js';
import type { DataFormat } from '../io/output/formats.js';
import type { AtomicFile } from '../io/outputFile.js';
import { openDatabase } from './database.js';

interface ExportFlags extends RevealFlags, ReportFlags {
  out?: string;
}

/** --format when given (never a table), else the file's extension, else csv. */
function exportFormat(ctx: Ctx, out: string | undefined): DataFormat {
  if (ctx.formatGiven) {
    if (ctx.format === 'table') throw new UsageError(t('export.no_table'), t('export.no_table.hint'));
    return ctx.format;
  }
  const ext = out?.toLowerCase().match(/\.(json|jsonl|ndjson|tsv|csv)$/)?.[1];
  if (ext === 'json') return 'json';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'tsv') return 'tsv';
  return 'csv';
}

async function runExport(ctx: Ctx, kindArg: string, f: ExportFlags): Promise<void> {
  const kind = kindArg.trim().toLowerCase();
  if (!isExportKind(kind)) throw new UsageError(t('export.unknown', { kind: kindArg }), t('export.unknown.hint', { kinds: EXPORT_KINDS.join(', ') }));
  // `--out -` is stdout, as for most tools
  const out = f.out === '-' ? undefined : f.out;
  const format = exportFormat(ctx, out);
  const by = byOf(f.by);
  const dated = f.period !== undefined || f.from !== undefined;
  const period = kind === 'kpi' || dated ? await periodOf(f, ctx.asOf) : null;
  if (dated && kind === 'staff') ctx.info('export.no_period', { kind });
  const outputFile = await import('../io/outputFile.js');
  const guard = { db: ctx.dbPath, what: 'export' } as const;
  // a path that can never be written is refused before the database is opened
  if (out) outputFile.checkOutputPath(out, guard);
  const { exportData, recordExport } = await import('../app/export/exportData.js');
  const { emit } = await import('../io/output/emit.js');
  const db = await openDatabase(ctx);
  let file: AtomicFile | null = null;
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
      target: out ?? 'stdout',
      command: ctx.io.argv.join(' '),
    });
    const opts = { format, lang: ctx.lang, color: false, limit: 0, revealed: listing.revealed, json: listing.json };
    if (!out) {
      // the rows leave as they are written: the entry comes first
      if (listing.audit) recordExport(db, listing.audit);
      const { writeOut } = await import('../stdio.js');
      const { stdoutFile } = await import('./output.js');
      await emit(listing.rows, listing.columns, { write: (text) => writeOut(ctx.io.stdout, text) }, { ...opts, ...stdoutFile(ctx) });
      return;
    }
    const target = (file = outputFile.AtomicFile.open(out, guard));
    const forPeople = { headers: ctx.headers ?? 'names', bom: ctx.bom ?? true } as const;
    const { count } = await emit(listing.rows, listing.columns, { write: (text) => target.write(text) }, { ...opts, ...forPeople });
    target.flush();
    if (listing.audit) recordExport(db, listing.audit);
    target.publish();
    file = null;
    ctx.info('export.written', { n: count, kind, file: out });
  } finally {
    file?.abort();
    db.close();
  }
}

export function registerExport(program: Command): void {
  withRevealFlags(
    withReportFlags(
      program
        .command('export <kind>')
        .description(t('export.description') + ` (${EXPORT_KINDS.join('|')})`)
        .option('--out <file>', t('export.flag.out')),
      t('export.flag.period'),
    ),
  ).action(action(async (ctx, kind: string, f: ExportFlags) => runExport(ctx, kind, f)));
}
