/**
 * The flags and the report every `… import FILE` command shares (SPEC §2): --encoding,
 * --delimiter, --sheet (a workbook's, issue 16), --skip-invalid, --rejects, --dry-run; bad
 * rows listed with row, column, value, reason and what to do; a summary of new / updated /
 * unchanged / rejected.
 */
import type { Command } from 'commander';
import type { Ctx } from './context.js';
import { t } from '../messages/index.js';
import { thousands } from '../io/numbers.js';
import type { ImportNotice, ImportProgress, ImportReport } from '../io/importer.js';

export interface ImportFlags {
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  skipInvalid?: boolean;
  rejects?: string;
  dryRun?: boolean;
}

export function withImportFlags(cmd: Command): Command {
  return cmd
    .option('--encoding <name>', t('import.flag.encoding'))
    .option('--delimiter <char>', t('import.flag.delimiter'))
    .option('--sheet <name|n>', t('import.flag.sheet'))
    .option('--skip-invalid', t('import.flag.skip_invalid'))
    .option('--rejects <file>', t('import.flag.rejects'))
    .option('--dry-run', t('import.flag.dry_run'));
}

/**
 * Progress on stderr: on a terminal one line rewritten in place; with --progress (logs,
 * scripts) one plain line per step and per chunk of rows read. Nothing with --quiet.
 */
export function progressPrinter(ctx: Ctx): ((p: ImportProgress) => void) | undefined {
  if (ctx.quiet) return undefined;
  const err = ctx.io.stderr;
  if (ctx.progress) {
    return (p) => {
      if (p.phase === 'reading') {
        const pct = p.size ? Math.floor((p.bytes / p.size) * 100) : 100;
        err.write(t('import.progress_line', { pct, rows: thousands(p.rows) }) + '\n');
      } else err.write(t(`import.phase.${p.phase}`, { rows: thousands(p.rows) }) + '\n');
    };
  }
  if (!err.isTTY) return undefined;
  let last = 0;
  return (p) => {
    if (p.phase !== 'reading') return;
    // a terminal is redrawn at most five times a second (the time of day, not the run's clock)
    const now = Date.now();
    if (now - last < 200 && p.bytes < p.size) return;
    last = now;
    const pct = p.size ? Math.floor((p.bytes / p.size) * 100) : 100;
    // \r back to the start of the line, \x1b[K erases what the longer line before left
    err.write(`\r${t('import.progress', { pct, rows: thousands(p.rows) })}\x1b[K`);
    if (p.bytes >= p.size) err.write('\r\x1b[K');
  };
}

/** A notice's params: its own, the column, the rows (`第 3、5、9 行` / `rows 3, 5, 9`) and the count. */
function noticeParams(n: ImportNotice): Record<string, string | number | null | undefined> {
  const list = n.rows.map((row) => thousands(row)).join(t('import.list_sep'));
  const rows = t(n.count > n.rows.length ? 'import.notice.rows_more' : n.rows.length === 1 ? 'import.notice.row' : 'import.notice.rows', { list });
  const count = n.count === 1 ? t('import.notice.count_one') : t('import.notice.count', { n: thousands(n.count) });
  return { ...n.params, column: n.column, rows, count };
}

/** Prints the report (errors and summary on stderr, JSON on stdout when asked) and returns the exit code. */
export function printReport(ctx: Ctx, r: ImportReport): number {
  // issue 16: which sheet of several was read, and the title rows above the header, said once
  if (r.sheetsShown > 1 && r.sheet !== null) ctx.info('import.sheet_read', { sheet: r.sheet, n: r.sheetsShown });
  if (r.titleRows > 0) ctx.info(r.headerRow === 2 ? 'import.header_row_one' : 'import.header_row', { row: r.headerRow, n: r.headerRow - 1 });
  if (r.unknownColumns.length) ctx.info('import.unknown_columns', { columns: r.unknownColumns.join(', ') });
  if (r.duplicateColumns.length) ctx.info('import.duplicate_columns', { columns: r.duplicateColumns.join(', ') });
  for (const e of r.errors) {
    ctx.warn(t('import.row_error', { row: e.row, column: e.column, value: e.value, reason: e.reason }) + (e.fix ? ` → ${e.fix}` : ''));
  }
  if (r.moreErrors) ctx.warn(t('import.more_errors', { n: r.moreErrors }));
  // issue 15: what was read into the rows or left out of them, one line per kind (also in a dry run)
  for (const n of r.notices) ctx.info(n.key, noticeParams(n));
  const counts = { rows: r.rows, new: r.new, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected };
  if (r.rejected > 0 && !r.committed && !r.dryRun) {
    ctx.warn(t('import.failed_nothing_written', counts));
  } else if (r.dryRun) {
    ctx.info('import.dry_run_summary', counts);
  } else {
    ctx.info('import.summary', counts);
    if (r.rejectsNotWritten) {
      // the rows are committed, the rejects file is not there: said, exit 1 (docs/decisions.md, Trust)
      const { path, reason } = r.rejectsNotWritten;
      ctx.warn(t('import.rejects_not_written', { n: thousands(r.rejected), path, reason }) + '\n' + t('cli.hint', { hint: t('import.rejects_not_written.hint') }));
    } else if (r.rejected > 0 && r.committed) ctx.info('import.rejects_written', { n: r.rejected });
  }
  if (r.rows === 0 && r.rejected === 0) ctx.info('import.no_rows', { file: r.file });
  if (ctx.formatGiven && (ctx.format === 'json' || ctx.format === 'jsonl')) {
    const o = {
      file: r.file,
      encoding: r.encoding,
      sheet: r.sheet,
      header_row: r.headerRow,
      rows: r.rows,
      new: r.new,
      updated: r.updated,
      unchanged: r.unchanged,
      rejected: r.rejected,
      dry_run: r.dryRun,
      committed: r.committed,
      errors: r.errors,
    };
    ctx.out(ctx.format === 'json' ? JSON.stringify(o, null, 2) : JSON.stringify(o));
  }
  return r.exitCode;
}
