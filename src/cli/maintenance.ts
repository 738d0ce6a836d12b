/** `salesops backup FILE`, `salesops restore FILE` and `salesops check` (SPEC §7: nothing lost). */
import type { Command } from 'commander';
import { t, type MessageKey } from '../messages/index.js';
import { UserError } from '../errors.js';
import { action } from './run.js';

/** The crash tests may stop `backup` or `restore` at a phase (testHook.ts). */
async function pauseFor(command: 'backup' | 'restore', phase: string): Promise<void> {
  const { pauseAt } = await import('../testHook.js');
  pauseAt(`${command}.${phase}`);
}

export function registerMaintenance(program: Command): void {
  program
    .command('backup <file>')
    .description(t('backup.description'))
    .action(
      action(async (ctx, file: string) => {
        const { openDb } = await import('../store/db.js');
        const { backupTo } = await import('../store/maintenance.js');
        const { namesDatabase, faultError } = await import('../io/outputFile.js');
        // said as a backup's own mistake, before the general output guard in backupTo
        if (namesDatabase(file, ctx.dbPath)) throw new UserError(t('backup.is_database', { path: file }), t('backup.is_database.hint'));
        const db = openDb(ctx.dbPath);
        try {
          const r = await backupTo(db, file, { db: ctx.dbPath, what: 'database' }, { at: (phase) => pauseFor('backup', phase) });
          ctx.info('backup.done_audited', { file, bytes: r.bytes, sha256: r.sha256 });
        } catch (e) {
          const fault = faultError(e, file);
          if (fault) throw fault;
          throw new UserError(t('backup.failed', { file, reason: (e as Error).message }), t('backup.failed.hint'));
        } finally {
          db.close();
        }
      }),
    );

  program
    .command('restore <file>')
    .description(t('restore.description'))
    .option('--replace-damaged', t('restore.opt.replace_damaged'))
    .action(
      action(async (ctx, file: string, opts: { replaceDamaged?: boolean }) => {
        const { busyTimeoutMs } = await import('../store/db.js');
        const { restoreFrom } = await import('../store/maintenance.js');
        const r = await restoreFrom(ctx.dbPath, file, {
          busyTimeoutMs: busyTimeoutMs(),
          replaceDamaged: opts.replaceDamaged ?? false,
          at: async (phase, info) => {
            ctx.info(`restore.phase.${phase}` as MessageKey, info);
            await pauseFor('restore', phase);
          },
        });
        if (r.damaged) ctx.warn(t('restore.damaged_db', { reason: r.damaged }));
        if (r.fromVersion < r.version) ctx.info('restore.migrated', { from: r.fromVersion, to: r.version });
        if (r.kept) {
          ctx.info('restore.done', { db: ctx.dbPath, file, sha256: r.sha256, kept: r.kept });
          ctx.info('restore.undo', { kept: r.kept });
        } else {
          ctx.info('restore.done_new', { db: ctx.dbPath, file, sha256: r.sha256 });
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
