/**
 * Opening a PostgreSQL database (issue 19): connect, then the same checks as a SQLite file —
 * another program's database refused, a newer salesops's schema refused untouched, an
 * uninitialised one created by `init` only — and the schema made at its version under the
 * single writer's lock, in one transaction.
 */
import { UserError } from '../../errors.js';
import { t } from '../../messages/index.js';
import { stdio } from '../../stdio.js';
import { redactAddress } from '../address.js';
import { PgConnection, pgConfig } from './pgBridge.js';
import { PgDatabase } from './pgDb.js';
import { PG_BASELINE_SQL, PG_BASELINE_VERSION, PG_PRIVILEGES_SQL, PG_SCHEMA_VERSION_SQL } from './schema.js';

export interface PgOpenOptions {
  create?: boolean;
  /** the newest schema this salesops knows (migrations.ts LATEST_VERSION) */
  latest: number;
}

export function openPg(address: string, opts: PgOpenOptions): PgDatabase {
  const shown = redactAddress(address);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const conn = new PgConnection(pgConfig(address, stdio().env, zone), shown);
  const db = new PgDatabase(conn, shown);
  try {
    prepareSchema(db, shown, opts);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** The schema's version: 0 when the database has no salesops schema (yet). */
export function pgSchemaVersion(db: PgDatabase): number {
  const has = db.query("SELECT to_regclass('schema_version') IS NOT NULL").rows[0][0];
  if (!has) return 0;
  return (db.query("SELECT version FROM schema_version WHERE application = 'salesops'").rows[0]?.[0] as number | undefined) ?? 0;
}

function prepareSchema(db: PgDatabase, shown: string, opts: PgOpenOptions): void {
  const version = pgSchemaVersion(db);
  if (version > opts.latest) throw new UserError(t('db.too_new', { path: shown, version, latest: opts.latest }), t('db.too_new.hint'));
  if (version === opts.latest) return;
  if (version === 0) {
    // another program's tables in the schema salesops would use: never mixed with ours
    const tables = db.query("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").rows[0][0] as number;
    if (tables > 0) throw new UserError(t('pg.foreign', { address: shown }), t('pg.foreign.hint'));
    if (!opts.create) throw new UserError(t('pg.not_initialised', { address: shown }), t('pg.not_initialised.hint', { address: shown }));
  }
  db.exec('BEGIN');
  try {
    // two clerks running init at once: one makes the schema, the other finds it made
    db.lockForWrite();
    const now = pgSchemaVersion(db);
    if (now === 0) {
      db.exec(PG_SCHEMA_VERSION_SQL);
      db.exec(PG_BASELINE_SQL);
      db.exec(PG_PRIVILEGES_SQL);
      db.query('INSERT INTO schema_version (application, version) VALUES ($1, $2)', ['salesops', PG_BASELINE_VERSION]);
      db.createdSchema = true;
    }
    // later migrations will have their PostgreSQL twin beside the SQLite one (migrations.ts)
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (e instanceof UserError) throw e;
    throw new UserError(t('db.migrate_failed', { path: shown, from: version, to: opts.latest, reason: (e as Error).message }), t('db.migrate_failed.hint'));
  }
}
