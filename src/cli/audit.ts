/**
 * `salesops audit` — the append-only log of reveals and personal-data exports (§5) — and
 * `salesops audit --changes`, the append-only change log (issue 13): every update of a stored
 * row by an import or a command, field by field, old → new, with the command and the time.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import { withRevealFlags, type RevealFlags } from './reveal.js';
import type { Period } from '../app/audit.js';
import type { Row } from '../io/output/column.js';
import { openDatabase } from './database.js';

// test/unit/changes.test.ts reads the view of an entry from here

interface AuditFlags extends RevealFlags {
  from?: string;
  to?: string;
  changes?: boolean;
  kind?: string;
  key?: string;
  limit?: string;
}

export function registerAudit(program: Command): void {
  withRevealFlags(
    program
      .command('audit')
      .description(t('audit.description'))
      .option('--from <date>', t('audit.flag.from'))
      .option('--to <date>', t('audit.flag.to'))
      .option('--changes', t('audit.flag.changes'))
      .option('--kind <kind>', t('audit.flag.kind'))
      .option('--key <key>', t('audit.flag.key'))
      .option('--limit <n>', t('audit.flag.limit')),
  ).action(
    action(async (ctx, f: AuditFlags) => {
      const period = await periodFlags(f);
      const { limitFlag } = await import('./output.js');
      const limit = limitFlag(f.limit);
      if (f.changes) return changesCommand(ctx, f, period, limit);
      // the flags of the change log alone
      for (const [v, flag] of [[f.kind, '--kind'], [f.key, '--key'], [f.reveal, '--reveal']] as const) {
        if (v !== undefined) throw new UsageError(t('audit.changes_only', { flag }), t('audit.changes_only.hint', { flag }));
      }
      const { auditLog } = await import('../app/audit.js');
      const { print } = await import('./output.js');
      const db = await openDatabase(ctx);
      try {
        const log = auditLog(db, period);
        // the log grows with every export: a table shows the first 1000 entries unless --limit says
        const done = await print(ctx, log.rows, log.columns, { limit });
        if (done.count === 0) ctx.info('common.no_rows');
      } finally {
        db.close();
      }
    }),
  );
}

/** `--from`/`--to` as local calendar dates (any form parseDate reads), checked: a usage error (exit 2) otherwise. */
async function periodFlags(f: { from?: string; to?: string }): Promise<Period> {
  const { parseDate } = await import('../domain/values.js');
  const date = (flag: string, v: string | undefined): string | undefined => {
    if (v === undefined) return undefined;
    const d = parseDate(v);
    if (!d) throw new UsageError(t('cli.bad_date_flag', { flag, value: v }));
    return d;
  };
  const from = date('--from', f.from);
  const to = date('--to', f.to);
  if (from && to && to < from) throw new UsageError(t('audit.from_after_to', { from, to }), t('audit.from_after_to.hint'));
  return { from, to };
}

async function changesCommand(ctx: Ctx, f: AuditFlags, period: Period, limit: number | undefined): Promise<number> {
  const { changes, kindName } = await import('../app/audit.js');
  const { print } = await import('./output.js');
  const { today } = await import('./context.js');
  const db = await openDatabase(ctx);
  try {
    const log = changes(db, { ...period, kind: f.kind, key: f.key, reveal: f, today: today(ctx.io.now()), detail: ctx.detail });
    // a table names the kind in the user's language and shows a missing value as —
    const rows =
      ctx.format === 'table'
        ? (function* (): Generator<Row> {
            for (const r of log.rows as Iterable<Row>) {
              yield { ...r, kind: ctx.lang === 'zh' ? kindName(String(r.kind), 'zh') : r.kind, old_value: r.old_value ?? '—', new_value: r.new_value ?? '—' };
            }
          })()
        : log.rows;
    const done = await print(ctx, rows, log.columns, { limit, cutNotice: { key: 'audit.changes.truncated' } });
    if (done.count === 0) ctx.info('audit.changes.none', { filter: log.filter });
    else if (!done.cut) ctx.info(log.revealed ? 'audit.changes.summary_revealed' : 'audit.changes.summary', { n: done.count, filter: log.filter });
    return 0;
  } finally {
    db.close();
  }
}
