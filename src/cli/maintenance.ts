/** `salesops backup FILE` and `salesops check` (SPEC §7: nothing lost). */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UserError } from '../errors.js';
import { action } from './run.js';

export function registerMaintenance(program: Command): void {
  program
    .command('backup <file>')
    .description(t('backup.description'))
    .action(
      action(async (ctx, file: string) => {
        const path = await import('node:path');
        const { openDb } = await import('../store/db.js');
        const { backupTo } = await import('../store/maintenance.js');
        if (path.resolve(file) === path.resolve(ctx.dbPath)) throw new UserError(t('backup.same_file'), t('backup.same_file.hint'));
        const db = openDb(ctx.dbPath);
        try {
          const r = await backupTo(db, file);
          ctx.info('backup.done', { file, pages: r.pages });
        } catch (e) {
          if (e instanceof UserError) throw e;
          throw new UserError(t('backup.failed', { file, reason: (e as Error).message }), t('backup.failed.hint'));
        } finally {
          db.close();
        }
      }),
    );

  program
    .command('check')
    .description(t('check.description'))
    .action(
      action(async (ctx) => {
        const { openDb } = await import('../store/db.js');
        const { runChecks } = await import('../store/maintenance.js');
        const { render } = await import('../io/render.js');
        const db = openDb(ctx.dbPath);
        const problems = runChecks(db);
        db.close();
        // like hledger: silence and exit 0 when all is well
        if (problems.length === 0) return 0;
        ctx.warn(t('check.problems', { n: problems.length }));
        ctx.out(
          render(problems as unknown as Record<string, unknown>[], [
            { key: 'check', header: { zh: '检查项', en: 'check' } },
            { key: 'count', header: { zh: '数量', en: 'count' }, kind: 'int' },
            { key: 'sample', header: { zh: '示例', en: 'sample' } },
          ], ctx),
        );
        return 1;
      }),
    );
}
