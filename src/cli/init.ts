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
        // a server: what the clerks may do now (issue 19, README "One company, many offices")
        if (r.clerks !== null) {
          const { PG_CLERK_ROLE: group } = await import('../store/pg/schema.js');
          if (r.clerks === 'granted') ctx.info('pg.clerks_granted', { group });
          else ctx.warn(t('pg.clerks_missing', { group }) + '\n' + t('cli.hint', { hint: t('pg.clerks_missing.hint', { group }) }));
        }
      }),
    );
}
