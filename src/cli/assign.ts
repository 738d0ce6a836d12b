/**
 * `salesops assign [--dry-run] [--explain] [--limit N]`, `assign set CUSTOMER STAFF --reason
 * TEXT` and `assign unpin CUSTOMER` — SPEC §3.1; the work is in src/app/assign/.
 *
 * Data (one row per customer assigned) goes to stdout after the commit (or to `--out FILE`,
 * whose extension decides the format: .csv … .xlsx, issue 16), through the one output pipeline: the table shows TABLE_LIMIT rows unless --limit says otherwise (and says
 * so), csv/tsv/json/jsonl every row. The per-rep summary, the totals and the customers left
 * unassigned go to stderr. Exit 0 when something was assigned or nothing waited; 1 when
 * customers wait and none could be assigned: nothing is written.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { writeOut } from '../stdio.js';
import { action, ask, requireAll } from './run.js';
import { limitFlag, print, withOut } from './output.js';
import type { Ctx } from './context.js';
import { openDatabase } from './database.js';
import type { Notice } from '../app/listing.js';

function say(ctx: Ctx, notices: readonly Notice[] = []): void {
  for (const n of notices) ctx.info(n.key, n.params);
}

export function registerAssign(program: Command): void {
  const assign = program
    .command('assign')
    .description(t('assign.description'))
    .option('--dry-run', t('assign.flag.dry_run'))
    .option('--explain', t('assign.flag.explain'))
    .option('--limit <n>', t('assign.flag.limit'))
    .option('--out <file>', t('workbooks.flag.out'));

  assign.action(
    action(async (given, f: { dryRun?: boolean; explain?: boolean; limit?: string; out?: string }) => {
      // --out FILE: its extension decides the format (issue 16), checked before any work
      const ctx = await withOut(given, f.out);
      const limit = limitFlag(f.limit);
      const { runAssign } = await import('../app/assign/run.js');
      const db = await openDatabase(ctx);
      try {
        const table = ctx.format === 'table';
        const run = runAssign(db, { asOf: ctx.asOf, dryRun: Boolean(f.dryRun), names: table, explain: !table || Boolean(f.explain) });
        say(ctx, run.notices);
        const { effectiveLimit } = await import('../io/output/emit.js');
        // a cut table says how many there were and how to get them all (a file cut by --limit: the generic notice)
        const cutNotice = table ? { key: 'assign.table_truncated' as const, params: { shown: effectiveLimit(ctx.format, limit), n: run.total } } : undefined;
        await print(ctx, run.rows, run.columns, { limit, cutNotice, sheet: 'workbooks.sheet.assign' });
        if (!run.done) return 0;
        if (!ctx.quiet) {
          // stderr: the per-rep summary, always a table
          const { emit } = await import('../io/output/emit.js');
          const write = (s: string) => writeOut(ctx.io.stderr, s);
          await write(t('assign.summary') + '\n');
          await emit(run.summary.rows, run.summary.columns, { write }, { format: 'table', lang: ctx.lang, color: ctx.color, limit: 0 });
        }
        // under the summary, one line per rep above capacity (warnings: even with --quiet)
        for (const w of run.overCapacity) ctx.warn(t(w.key, w.params));
        say(ctx, [run.done]);
        for (const w of run.warnings) ctx.warn(t(w.key, w.params));
        return 0;
      } finally {
        db.close();
      }
    }),
  );

  assign
    .command('set [customer] [staff]')
    .description(t('assign.set.description'))
    .option('--reason <text>', t('assign.flag.reason'))
    .option('--name <name>', t('assign.flag.name'))
    .action(
      action(async (ctx, customerArg: string | undefined, staffArg: string | undefined, f: { reason?: string; name?: string }) => {
        if (f.reason !== undefined && f.reason.trim() === '') throw new UsageError(t('assign.pin.empty_reason'), t('assign.pin.empty_reason.hint'));
        // without a terminal the missing values are one usage error naming them all, before any work
        requireAll(ctx, [
          [customerArg, 'CUSTOMER'],
          [staffArg, 'STAFF'],
          [f.reason, '--reason'],
        ]);
        const { pinCustomer, pinTargets } = await import('../app/assign/pin.js');
        const { resolveCustomer } = await import('../app/customers.js');
        const db = await openDatabase(ctx);
        try {
          const customer = resolveCustomer(db, customerArg ?? (await ask(ctx, 'CUSTOMER', 'assign.ask.customer')), f.name);
          let staff = staffArg;
          if (staff === undefined) {
            const active = pinTargets(db, ctx.asOf);
            staff = await ask(ctx, 'STAFF', 'assign.ask.staff', active.length ? { choices: active } : {});
          }
          const reason = (f.reason ?? (await ask(ctx, '--reason', 'assign.ask.reason'))).trim();
          const pin = pinCustomer(db, { asOf: ctx.asOf, customer, staff, reason, names: ctx.format === 'table', command: ctx.command });
          say(ctx, pin.notices);
          await print(ctx, pin.rows, pin.columns);
          return 0;
        } finally {
          db.close();
        }
      }),
    );

  assign
    .command('unpin <customer>')
    .description(t('assign.unpin.description'))
    .option('--name <name>', t('assign.flag.name'))
    .action(
      action(async (ctx, customerArg: string, f: { name?: string }) => {
        const { unpinCustomer } = await import('../app/assign/pin.js');
        const { resolveCustomer } = await import('../app/customers.js');
        const db = await openDatabase(ctx);
        try {
          say(ctx, [unpinCustomer(db, resolveCustomer(db, customerArg, f.name), ctx.command)]);
          return 0;
        } finally {
          db.close();
        }
      }),
    );
}
