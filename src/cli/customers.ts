/**
 * `salesops customers list|show|duplicates|archive` — masked unless revealed with a GM's
 * approval (§5); never deleted, archived with a reason (§5).
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { action, missingFlagsError } from './run.js';
import { today } from './context.js';
import { withRevealFlags, type RevealFlags } from './reveal.js';
import { openDatabase } from './database.js';

interface ListFlags extends RevealFlags {
  unassigned?: boolean;
  district?: string;
  collector?: string;
  owner?: string;
  limit?: string;
  out?: string;
}

export function registerCustomers(program: Command): void {
  const customers = program.command('customers').description(t('customers.description'));

  withRevealFlags(
    customers
      .command('list')
      .description(t('customers.list.description'))
      .option('--unassigned', t('customers.flag.unassigned'))
      .option('--district <code|name>', t('customers.flag.district'))
      .option('--collector <staff>', t('customers.flag.collector'))
      .option('--owner <staff>', t('customers.flag.owner'))
      .option('--limit <n>', t('customers.flag.limit'))
      .option('--out <file>', t('workbooks.flag.out')),
  ).action(
    action(async (given, f: ListFlags) => {
      const { print, limitFlag, withOut } = await import('./output.js');
      // --out FILE: its extension decides the format (issue 16), checked before any work
      const ctx = await withOut(given, f.out);
      const { customerList } = await import('../app/customers.js');
      const limit = limitFlag(f.limit);
      const db = await openDatabase(ctx);
      try {
        const list = customerList(db, {
          unassigned: f.unassigned,
          district: f.district,
          collector: f.collector,
          owner: f.owner,
          limit,
          reveal: f,
          today: today(ctx.io.now()),
          asData: ctx.format !== 'table',
          target: ctx.outFile,
          detail: ctx.detail,
        });
        // the audit entry when the rows leave: a file only once it is complete (§5)
        const done = await print(ctx, list.rows, list.columns, { limit, sheet: 'workbooks.sheet.customers', record: list.record });
        if (list.exportLogged) ctx.info('sealed.list.audited', { format: ctx.format });
        if (done.count === 0) ctx.info('common.no_rows');
      } finally {
        db.close();
      }
    }),
  );

  withRevealFlags(customers.command('show <customer>').description(t('customers.show.description')).option('--name <name>', t('customers.flag.name'))).action(
    action(async (ctx, key: string, f: RevealFlags & { name?: string }) => {
      const { customerCard } = await import('../app/customers.js');
      const { showCustomerCard } = await import('./customerDetail.js');
      const db = await openDatabase(ctx);
      try {
        const card = customerCard(db, { key, name: f.name, asOf: ctx.asOf, reveal: f, today: today(ctx.io.now()), detail: ctx.detail });
        showCustomerCard(ctx, card);
      } finally {
        db.close();
      }
    }),
  );

  customers
    .command('duplicates')
    .description(t('customers.duplicates.description'))
    .action(
      action(async (ctx) => {
        const { print } = await import('./output.js');
        const { duplicateListing } = await import('../app/duplicates.js');
        const db = await openDatabase(ctx);
        try {
          const list = duplicateListing(db, { asData: ctx.format !== 'table', target: ctx.outFile, detail: ctx.detail });
          for (const n of list.notices ?? []) ctx.info(n.key, n.params);
          // "no results" is not a failure: exit 0, said on stderr
          const done = await print(ctx, list.rows, list.columns, { limit: 0, record: list.record });
          if (list.exportLogged) ctx.info('customers.duplicates.audited', { format: ctx.format });
          if (done.count === 0) ctx.info('customers.duplicates.none');
        } finally {
          db.close();
        }
      }),
    );

  customers
    .command('archive <id>')
    .description(t('customers.archive.description'))
    .option('--reason <text>', t('customers.flag.reason'))
    .option('--duplicate-of <id>', t('customers.flag.duplicate_of'))
    .action(
      action(async (ctx, id: string, f: { reason?: string; duplicateOf?: string }) => {
        // a script gets a usage error naming the flag; §5 wants the reason, so there is no prompt for it
        if (f.reason === undefined) throw missingFlagsError(['--reason']);
        const { archiveUseCase } = await import('../app/duplicates.js');
        const db = await openDatabase(ctx);
        try {
          const notices = archiveUseCase(db, { id, reason: f.reason, duplicateOf: f.duplicateOf, asOf: ctx.asOf, command: ctx.command });
          for (const n of notices) ctx.info(n.key, n.params);
        } finally {
          db.close();
        }
      }),
    );
}
