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
import { utcOffsetText } from './timeZone.js';
import { PG_BASELINE_SQL, PG_BASELINE_VERSION, PG_CLERK_ROLE, PG_PRIVILEGES_SQL, PG_SCHEMA_VERSION_SQL } from './schema.js';

export interface PgOpenOptions {
  create?: boolean;
  /** the newest schema this salesops knows (migrations.ts LATEST_VERSION) */
  latest: number;
}

export function openPg(address: string, opts: PgOpenOptions): PgDatabase {
  const shown = redactAddress(address);
  const conn = new PgConnection(pgConfig(address, stdio().env, clientTimeZone(stdio().now())), shown);
  const db = new PgDatabase(conn, shown);
  try {
    prepareSchema(db, shown, opts);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * The client's time zone for the session (SPEC: local calendar dates and times, no UTC shift):
 * its IANA name, or, where TZ is a POSIX rule (CST-8), empty or unknown (Node says no name,
 * or Etc/Unknown), the offset the clock has now, as ±HH:MM: the server then keeps the times
 * the clerk's clock shows, as a file does.
 */
export function clientTimeZone(now: Date): string {
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return name && name !== 'Etc/Unknown' ? name : utcOffsetText(now);
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
  if (version === opts.latest) {
    // init again by the owner: the clerks' rights granted anew (the group created since, README)
    if (opts.create && ownsSchema(db)) inWriteTransaction(db, shown, version, opts, () => grantClerks(db));
    return;
  }
  if (version === 0) {
    // no schema to speak of (asked only here: no round trip more for every command): the role
    // may not use the one its search_path names (a clerk not in salesops_clerk, or init never
    // granted the group), which would read as "no salesops data"
    const [schema, user] = db.query('SELECT current_schema(), current_user').rows[0] as [string | null, string];
    if (schema === null) throw new UserError(t('pg.no_schema_access', { address: shown, user }), t('pg.no_schema_access.hint', { user, group: PG_CLERK_ROLE }));
    // another program's tables in the schema salesops would use: never mixed with ours
    const tables = db.query("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").rows[0][0] as number;
    if (tables > 0) throw new UserError(t('pg.foreign', { address: shown }), t('pg.foreign.hint'));
    if (!opts.create) throw new UserError(t('pg.not_initialised', { address: shown }), t('pg.not_initialised.hint', { address: shown }));
  }
  inWriteTransaction(db, shown, version, opts, () => {
    // two clerks running init at once: one makes the schema, the other finds it made
    const now = pgSchemaVersion(db);
    if (now === 0) {
      db.exec(PG_SCHEMA_VERSION_SQL);
      db.exec(PG_BASELINE_SQL);
      grantClerks(db);
      db.query('INSERT INTO schema_version (application, version) VALUES ($1, $2)', ['salesops', PG_BASELINE_VERSION]);
      db.createdSchema = true;
    }
    // later migrations will have their PostgreSQL twin beside the SQLite one (migrations.ts)
  });
}

/** `work` in one transaction under the single writer's lock; a role short of rights said so, never as a failed upgrade. */
function inWriteTransaction(db: PgDatabase, shown: string, version: number, opts: PgOpenOptions, work: () => void): void {
  db.exec('BEGIN');
  try {
    db.lockForWrite();
    work();
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (e instanceof UserError) throw e;
    // 42501 insufficient_privilege: a clerk running init or db copy (the owner's work)
    if ((e as { code?: string }).code === '42501') {
      const user = db.query('SELECT current_user').rows[0][0] as string;
      throw new UserError(t('pg.init_not_owner', { address: shown, user, reason: (e as Error).message }), t('pg.init_not_owner.hint'));
    }
    throw new UserError(t('db.migrate_failed', { path: shown, from: version, to: opts.latest, reason: (e as Error).message }), t('db.migrate_failed.hint'));
  }
}

/** Whether this role owns salesops's tables (may grant on them): the office's admin, not a clerk. */
function ownsSchema(db: PgDatabase): boolean {
  return db.query("SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c WHERE c.oid = 'schema_version'::regclass").rows[0]?.[0] === 1;
}

/** The clerks' group its rights (schema.ts PG_PRIVILEGES_SQL); whether the group exists to have them. */
function grantClerks(db: PgDatabase): void {
  db.exec(PG_PRIVILEGES_SQL);
  const exists = db.query('SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)', [PG_CLERK_ROLE]).rows[0][0] === 1;
  db.clerkRights = exists ? 'granted' : 'missing';
}
