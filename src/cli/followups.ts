/**
 * `salesops events import`, `orders import` and `followups due|done|add|import` — customer
 * files, follow-up plans and the daily due list (SPEC §2, §3.2, §4). Here the commands and
 * their flags; each action loads its module (due.ts, followupsRecord.ts) or use case
 * (app/followups/imports.ts) when it runs.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import { withImportFlags, type ImportFlags } from './importCommand.js';
import { withRevealFlags } from './reveal.js';
import type { DueFlags } from './due.js';
import type { AddFlags, DoneFlags } from './followupsRecord.js';
import type { FileImport, FileImportOptions } from '../app/followups/imports.js';
import type { DB } from '../store/db.js';
import { openDatabase } from './database.js';

type Importer = (db: DB, o: FileImportOptions) => Promise<FileImport>;

/** An import, its report, then what its rows did to files and plans (once committed). */
async function importCommand(ctx: Ctx, file: string, flags: ImportFlags, load: () => Promise<Importer>): Promise<number> {
  const { printReport, progressPrinter } = await import('./importCommand.js');
  const run = await load();
  const db = await openDatabase(ctx);
  try {
    const { report, notices } = await run(db, { ...flags, file, asOf: ctx.asOf, command: ctx.command, onProgress: progressPrinter(ctx) });
    const code = printReport(ctx, report);
    for (const n of notices) ctx.info(n.key, n.params);
    return code;
  } finally {
    db.close();
  }
}

const imports = () => import('../app/followups/imports.js');

export function registerFollowups(program: Command): void {
  const events = program.command('events').description(t('events.description'));
  withImportFlags(events.command('import <file>').description(t('events.import.description'))).action(
    action((ctx, file: string, flags: ImportFlags) => importCommand(ctx, file, flags, async () => (await imports()).importEvents)),
  );

  const orders = program.command('orders').description(t('orders.description'));
  withImportFlags(orders.command('import <file>').description(t('orders.import.description'))).action(
    action((ctx, file: string, flags: ImportFlags) => importCommand(ctx, file, flags, async () => (await imports()).importOrders)),
  );

  const followups = program.command('followups').description(t('followups.description'));

  withRevealFlags(
    followups
      .command('due')
      .description(t('followups.due.description'))
      .option('--within <days>', t('followups.flag.within'))
      .option('--staff <staff>', t('followups.flag.staff'))
      .option('--unassigned', t('followups.flag.unassigned'))
      .option('--role <role>', t('followups.flag.role'))
      .option('--overdue', t('followups.flag.overdue'))
      .option('--fail-if-overdue', t('followups.flag.fail_if_overdue'))
      .option('--limit <n>', t('followups.flag.limit'))
      .option('--out <file>', t('workbooks.flag.out')),
  ).action(action(async (ctx, f: DueFlags) => (await import('./due.js')).dueCommand(ctx, f)));

  followups
    .command('done [customer]')
    .description(t('followups.done.description'))
    .option('--name <name>', t('followups.flag.name'))
    .option('--role <role>', t('followups.flag.role_done'))
    .option('--method <method>', t('followups.flag.method'))
    .option('--note <text>', t('followups.flag.note'))
    .option('--on <date>', t('followups.flag.on'))
    .option('--staff <staff>', t('followups.flag.staff_done'))
    .action(action(async (ctx, customer: string | undefined, f: DoneFlags) => (await import('./followupsRecord.js')).doneCommand(ctx, customer, f)));

  followups
    .command('add [customer]')
    .description(t('followups.add.description'))
    .option('--name <name>', t('followups.flag.name'))
    .option('--role <role>', t('followups.flag.role_done'))
    .option('--due <date>', t('followups.flag.due'))
    .option('--note <text>', t('followups.flag.note_add'))
    .option('--staff <staff>', t('followups.flag.staff_add'))
    .action(action(async (ctx, customer: string | undefined, f: AddFlags) => (await import('./followupsRecord.js')).addCommand(ctx, customer, f)));

  withImportFlags(followups.command('import <file>').description(t('followups.import.description'))).action(
    action((ctx, file: string, flags: ImportFlags) => importCommand(ctx, file, flags, async () => (await imports()).importFollowUps)),
  );
}
