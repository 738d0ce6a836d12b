/**
 * The database itself as use cases (SPEC §7: nothing lost): `init`, `backup`, `restore` and
 * `check`. The work is store/maintenance.ts's; here is what each command asks of it.
 */
import { columnHeader } from '../messages/columns.js';
import fs from 'node:fs';
import { UserError } from '../errors.js';
import { t } from '../messages/index.js';
import { busyTimeoutMs, openDb, refuseServerAddress, schemaVersion, type DB } from '../store/db.js';
import { backupTo, restoreFrom, runChecks, type BackupOptions, type RestoreOptions, type RestoreResult } from '../store/maintenance.js';
import { faultError, isSqliteFile, namesDatabase, statOrNull } from '../io/outputFile.js';
import type { Column } from '../io/output/column.js';
import type { Listing } from './listing.js';

/** `init`: the database created (owner-only) with the current schema, or brought up to it. */
export function initDatabase(dbPath: string): { existed: boolean; version: number } {
  // an empty file (touch) is initialised, not "already there"
  const existed = fs.existsSync(dbPath) && fs.statSync(dbPath).size > 0;
  const db = openDb(dbPath, { create: true });
  try {
    return { existed, version: schemaVersion(db) };
  } finally {
    db.close();
  }
}

/** `backup FILE`: an audited, owner-only copy (store/maintenance.ts backupTo); a failure said as a backup's. */
export async function backup(db: DB, o: { file: string; dbPath: string; force?: boolean; at?: BackupOptions['at'] }): Promise<{ bytes: number; sha256: string }> {
  // said as a backup's own mistake, before the general output guard in backupTo
  if (namesDatabase(o.file, o.dbPath)) throw new UserError(t('backup.is_database', { path: o.file }), t('backup.is_database.hint'));
  // an earlier backup (a SQLite file) is replaced, as a nightly `backup backups/latest.db`
  // expects; anything else there (a sheet, a report typed by mistake) is not ours to destroy
  const st = statOrNull(o.file);
  if (st?.isFile() && !o.force && !isSqliteFile(o.file)) throw new UserError(t('backup.not_a_backup', { file: o.file }), t('backup.not_a_backup.hint'));
  try {
    return await backupTo(db, o.file, { db: o.dbPath, what: 'database' }, { at: o.at });
  } catch (e) {
    const fault = faultError(e, o.file);
    if (fault) throw fault;
    throw new UserError(t('backup.failed', { file: o.file, reason: (e as Error).message }), t('backup.failed.hint'));
  }
}

/** `restore FILE`: the database replaced by a checked backup, the one it replaces kept. */
export function restore(o: { dbPath: string; file: string; env: NodeJS.ProcessEnv } & Pick<RestoreOptions, 'replaceDamaged' | 'at'>): Promise<RestoreResult> {
  refuseServerAddress(o.dbPath);
  return restoreFrom(o.dbPath, o.file, { busyTimeoutMs: busyTimeoutMs(o.env), replaceDamaged: o.replaceDamaged ?? false, at: o.at });
}

const PROBLEM_COLUMNS: Column[] = [
  { key: 'check', header: columnHeader('col.check.check') },
  { key: 'count', header: columnHeader('col.check.count'), kind: 'int' },
  { key: 'sample', header: columnHeader('col.check.sample') },
];

/** `check`: each kind of problem found (integrity, foreign keys, the rules' invariants), with a count and samples; none when all is well. */
export function check(db: DB): Listing & { problems: number } {
  const problems = runChecks(db);
  return { rows: problems.map((p) => ({ ...p })), columns: PROBLEM_COLUMNS, problems: problems.length };
}
