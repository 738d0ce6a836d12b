/** `salesops db copy --from A --to B` (issue 19); the use case is app/copy.ts. */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { action, missingFlagsError } from './run.js';

export function registerDb(program: Command): void {
  const db = program.command('db').description(t('db.description'));
  db.command('copy')
    .description(t('copy.description'))
    .option('--from <database>', t('copy.flag.from'))
    .option('--to <database>', t('copy.flag.to'))
    .action(
      action(async (ctx, f: { from?: string; to?: string }) => {
        const missing = [!f.from && '--from', !f.to && '--to'].filter(Boolean) as string[];
        if (missing.length) throw missingFlagsError(missing);
        const { copyDatabase } = await import('../app/copy.js');
        const { redactAddress } = await import('../store/address.js');
        const r = copyDatabase({ from: f.from!, to: f.to!, onTable: (table, rows) => ctx.info('copy.table', { table, rows }) });
        const rows = r.tables.reduce((n, x) => n + x.rows, 0);
        ctx.info('copy.done', { from: redactAddress(f.from!), to: redactAddress(f.to!), rows, tables: r.tables.length });
      }),
    );
}
