/** `salesops backup FILE`, `salesops restore FILE` and `salesops check` (SPEC §7: nothing lost); the use cases are app/maintenance.ts. */
import type { Command } from 'commander';
import { t, type MessageKey } from '../messages/index.js';
import { action } from './run.js';
import { openDatabase } from './database.js';

/** The crash tests may stop `backup` or `restore` at a phase (testHook.ts). */
async function pauseFor(command: 'backup' | 'restore', phase: string): Promise<void> {
  const { pauseAt } = await import('../testHook.js');
  pauseAt(`${command}.${phase}`);
}

export function registerMaintenance(program: Command): void {
  program
    .command('backup <file>')
    .description(t('backup.description'))
    .option('--force', t('backup.flag.force'))
    .action(
      action(async (ctx, file: string, f: { force?: boolean }) => {
        const { backup } = await import('../app/maintenance.js');
        const db = await openDatabase(ctx);
        try {
          const r = await backup(db, { file, dbPath: ctx.dbPath, force: f.force, at: (phase) => pauseFor('backup', phase) });
          ctx.info('backup.done_audited', { file, bytes: r.bytes, sha256: r.sha256 });
          // issue 19: say which kind of backup it is, and how it goes back
          if (r.format === 'pg_dump') ctx.info('backup.pg_format', { file });
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
        const { restore } = await import('../app/maintenance.js');
        const r = await restore({
          dbPath: ctx.dbPath,
          file,
          env: ctx.io.env,
          replaceDamaged: opts.replaceDamaged,
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
        const { check } = await import('../app/maintenance.js');
        const { print } = await import('./output.js');
        const db = await openDatabase(ctx);
        try {
          const found = check(db);
          for (const note of found.notes) ctx.info(note);
          // like hledger: silence (but for the notes above) and exit 0 when all is well
          if (found.problems === 0) return 0;
          ctx.warn(t('check.problems', { n: found.problems }));
          // a kind of problem a row, a few samples each: never cut
          await print(ctx, found.rows, found.columns, { limit: 0 });
          return 1;
        } finally {
          db.close();
        }
      }),
    );
}
