/**
 * The database as a command opens it: `openDb` with what the command says while it waits
 * for another writer (issue 15) — the store never prints, the command does, once.
 */
import type { DB, OpenOptions } from '../store/db.js';
import type { Ctx } from './context.js';
import { t, type MessageKey } from '../messages/index.js';

export async function openDatabase(ctx: Ctx, opts: Omit<OpenOptions, 'onWait'> = {}): Promise<DB> {
  const { openDb } = await import('../store/db.js');
  let said = false;
  const onWait = () => {
    if (!said) ctx.info('plans.waiting');
    said = true;
  };
  const onMigrated = (notes: { key: MessageKey; params: Record<string, string | number> }[]) => {
    for (const n of notes) ctx.warn(t(n.key, n.params));
  };
  const onUpgrading = (from: number, to: number) => ctx.warn(t('db.upgrading', { path: ctx.dbShown, from, to }));
  return openDb(ctx.dbPath, { ...opts, onWait, onMigrated, onUpgrading });
}
