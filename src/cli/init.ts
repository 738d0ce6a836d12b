/** `salesops init`: create the database (mode 0600) with the current schema. */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { action } from './run.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(t('init.description'))
    .action(
      action(async (ctx) => {
        const { initDatabase } = await import('../app/maintenance.js');
        const r = initDatabase(ctx.dbPath);
        ctx.info(r.existed ? 'init.exists' : 'init.created', { path: ctx.dbShown, version: r.version });
      }),
    );
}
