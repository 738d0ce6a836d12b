/**
 * The database itself as use cases (SPEC §7: nothing lost): `init`, `backup`, `restore` and
 * `check`. The work is store/maintenance.ts's; here is what each command asks of it.
 */
import { columnHeader } from '../messages/columns.js';
import fs from 'node:fs';
import { UserError } from '../errors.js';
import { t, type MessageKey } from '../messages/index.js';
import { busyTimeoutMs, clerkRights, createdSchema, isServerAddress, openDb, refuseServerAddress, schemaVersion, type DB } from '../store/db.js';
import { backupTo, restoreFrom, runChecks, type BackupFormat, type BackupOptions, type RestoreOptions, type RestoreResult } from '../store/maintenance.js';
import { isPostgres } from '../store/engine.js';
import { redactAddress } from '../store/address.js';
import { isPgDumpArchive } from '../store/pgBackup.js';
import { faultError, isSqliteFile, namesDatabase, statOrNull } from '../io/outputFile.js';
import type { Column } from '../io/output/column.js';
import type { Listing } from './listing.js';

/** `init`: the database created (owner-only) with the current schema, or brought up to it. */
export function initDatabase(dbPath: string): { existed: boolean; version: number; clerks: 'granted' | 'missing' | null } {
  // an empty file (touch) is initialised, not "already there"
  const existed = !isServerAddress(dbPath) && fs.existsSync(dbPath) && fs.statSync(dbPath).size > 0;
  const db = openDb(dbPath, { create: true });
  try {
    // a server's database: whether this init made its schema, and granted the clerks their rights (issue 19)
    return { existed: existed || (isServerAddress(dbPath) && !createdSchema(db)), version: schemaVersion(db), clerks: clerkRights(db) };
  } finally {
    db.close();
  }
}

/**
 * `backup FILE`: an audited, owner-only copy (store/maintenance.ts backupTo) — a SQLite file,
 * or of a server's database a pg_dump archive (issue 19); a failure said as a backup's.
 */
export async function backup(db: DB, o: { file: string; dbPath: string; force?: boolean; at?: BackupOptions['at'] }): Promise<{ bytes: number; sha256: string; format: BackupFormat }> {
  // said as a backup's own mistake, before the general output guard in backupTo
  if (namesDatabase(o.file, o.dbPath)) throw new UserError(t('backup.is_database', { path: o.file }), t('backup.is_database.hint'));
  // an earlier backup (a SQLite file; of a server's database, a pg_dump archive) is replaced,
  // as a nightly `backup backups/latest.db` expects; anything else there (a sheet, a report
  // typed by mistake) is not ours to destroy
  const st = statOrNull(o.file);
  if (st?.isFile() && !o.force) {
    if (!isPostgres(db) && !isSqliteFile(o.file)) throw new UserError(t('backup.not_a_backup', { file: o.file }), t('backup.not_a_backup.hint'));
    if (isPostgres(db) && !isPgDumpArchive(o.file)) throw new UserError(t('backup.not_a_pg_backup', { file: o.file }), t('backup.not_a_pg_backup.hint'));
  }
  try {
    return await backupTo(db, o.file, { db: o.dbPath, what: 'database', suggest: isPostgres(db) ? 'salesops-backup.dump' : 'salesops-backup.db' }, { at: o.at });
  } catch (e) {
    const fault = faultError(e, o.file);
    if (fault) throw fault;
    throw new UserError(t('backup.failed', { file: o.file, reason: (e as Error).message }), t('backup.failed.hint'));
  }
}

/**
 * `restore FILE`: the database replaced by a checked backup, the one it replaces kept. A
 * SQLite file only: a server's database is restored by PostgreSQL's own pg_restore, or a
 * SQLite backup copied onto it by `db copy` (issue 19), as the refusal says.
 */
export function restore(o: { dbPath: string; file: string; env: NodeJS.ProcessEnv } & Pick<RestoreOptions, 'replaceDamaged' | 'at'>): Promise<RestoreResult> {
  if (isServerAddress(o.dbPath)) throw new UserError(t('restore.server', { address: redactAddress(o.dbPath) }), t('restore.server.hint'));
  refuseServerAddress(o.dbPath);
  return restoreFrom(o.dbPath, o.file, { busyTimeoutMs: busyTimeoutMs(o.env), replaceDamaged: o.replaceDamaged ?? false, at: o.at });
}

const PROBLEM_COLUMNS: Column[] = [
  { key: 'check', header: columnHeader('col.check.check') },
  { key: 'count', header: columnHeader('col.check.count'), kind: 'int' },
  { key: 'sample', header: columnHeader('col.check.sample') },
];

/**
 * `check`: each kind of problem found (integrity, foreign keys, the rules' invariants), with a
 * count and samples; none when all is well. `notes`: what was not checked and why (on a
 * server, its storage: issue 19), to be said whatever was found.
 */
export function check(db: DB): Listing & { problems: number; notes: MessageKey[] } {
  const problems = runChecks(db);
  const notes: MessageKey[] = isPostgres(db) ? ['check.pg_storage'] : [];
  return { rows: problems.map((p) => ({ ...p })), columns: PROBLEM_COLUMNS, problems: problems.length, notes };
}
