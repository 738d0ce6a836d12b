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
        const fs = await import('node:fs');
        const existed = fs.existsSync(ctx.dbPath);
        const { openDb, schemaVersion } = await import('../store/db.js');
        const db = openDb(ctx.dbPath, { create: true });
        ctx.info(existed ? 'init.exists' : 'init.created', { path: ctx.dbPath, version: schemaVersion(db) });
        db.close();
      }),
    );
}
