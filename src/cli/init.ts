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
        // an empty file (touch) is initialised, not "already there"
        const existed = fs.existsSync(ctx.dbPath) && fs.statSync(ctx.dbPath).size > 0;
        const { openDb, schemaVersion } = await import('../store/db.js');
        const db = openDb(ctx.dbPath, { create: true });
        ctx.info(existed ? 'init.exists' : 'init.created', { path: ctx.dbPath, version: schemaVersion(db) });
        db.close();
      }),
    );
}
