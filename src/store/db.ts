/**
 * Opening the database: file created readable by its owner only (§5), WAL so readers never
 * block, foreign keys on, and a busy timeout so two commands at once wait instead of
 * failing (§7). Migrations run on open; a database from a newer salesops is refused.
 */
import { stdio } from '../stdio.js';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../errors.js';
import { t } from '../messages/index.js';
import { migrations, LATEST_VERSION, type MigrationNote } from './migrations.js';
import { isPostgres } from './engine.js';
import { isServerAddress, redactAddress } from './address.js';
import { PgServerError } from './pg/pgBridge.js';
import type { PgDatabase } from './pg/pgDb.js';
import { openPg, pgSchemaVersion } from './pg/openPg.js';

export type DB = Database.Database;

/**
 * How long a command waits for another one's write lock before giving up: 30 s, or
 * `SALESOPS_BUSY_TIMEOUT` seconds (a cron job that would rather fail fast, or wait longer).
 * A command waits once: writes take the lock at the start of their one transaction.
 */
export function busyTimeoutMs(env: NodeJS.ProcessEnv = stdio().env): number {
  const v = env.SALESOPS_BUSY_TIMEOUT;
  if (v === undefined || v.trim() === '') return 30_000;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    throw new UserError(t('db.bad_busy_timeout', { value: v }), t('db.bad_busy_timeout.hint'));
  }
  return Math.round(n * 1000);
}

/**
 * SQLite could not open the database file `file` (SQLITE_CANTOPEN): which of the usual
 * reasons it is — its folder missing, a folder in its place, no permission… — or SQLite's
 * own words, as a UserError (exit 1). Never "read-only": that is SQLITE_READONLY.
 */
export function cantOpenError(file: string, e?: unknown): UserError {
  return new UserError(t('fault.cantopen', { path: file, reason: cantOpenReason(file, e) }), t('fault.cantopen.hint'));
}

function cantOpenReason(file: string, e: unknown): string {
  const stat = (p: string) => {
    try {
      return fs.statSync(p);
    } catch {
      return null;
    }
  };
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const shownDir = path.dirname(file);
  const d = stat(dir);
  if (!d) return t('fault.cantopen.no_folder', { dir: shownDir });
  if (!d.isDirectory()) return t('fault.cantopen.folder_not_dir', { dir: shownDir });
  const f = stat(abs);
  if (f?.isDirectory()) return t('fault.cantopen.is_folder');
  if (f && !f.isFile()) return t('fault.cantopen.not_file');
  if (!f) return t('fault.cantopen.missing');
  const may = (p: string, mode: number) => {
    try {
      fs.accessSync(p, mode);
      return true;
    } catch {
      return false;
    }
  };
  const { R_OK, W_OK, X_OK } = fs.constants;
  if (!may(abs, R_OK)) return t('fault.cantopen.no_read');
  if (!may(abs, W_OK)) return t('fault.cantopen.no_write');
  for (const s of ['-wal', '-shm']) {
    if (fs.existsSync(abs + s) && !may(abs + s, R_OK | W_OK)) return t('fault.cantopen.no_companion', { file: path.basename(file) + s });
  }
  if (!may(dir, W_OK | X_OK)) return t('fault.cantopen.no_folder_write', { dir: shownDir });
  return (e as Error | undefined)?.message ?? String(e);
}

export interface OpenOptions {
  /** Create the file if it does not exist (only `init` and `demo` do). */
  create?: boolean;
  readonly?: boolean;
  /**
   * Called when a write has waited WAIT_NOTICE_MS for another writer's lock and goes on
   * waiting (issue 15): the command says so; the store never prints.
   */
  onWait?: () => void;
  /** what an upgrade of the schema could not do by itself (issue 18): the command says it */
  onMigrated?: (notes: MigrationNote[]) => void;
  /** an upgrade of a big database is about to start (it can take minutes): the command says so */
  onUpgrading?: (from: number, to: number) => void;
}

/** From this size an upgrade is announced before it starts (migration 7: 5,000,000 tasks took 100 s). */
const ANNOUNCED_UPGRADE_BYTES = 64 * 1024 * 1024;

/** How long a write waits for the lock before the command is told (issue 15: a second, then the rest of the busy timeout). */
const WAIT_NOTICE_MS = 1000;

/** Each open connection's busy timeout and who to tell when a write has to wait. */
const waiting = new WeakMap<DB, { timeoutMs: number; onWait?: () => void }>();

const isBusy = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
};

/**
 * Takes the write lock by `begin` (BEGIN IMMEDIATE, or a transaction that starts with it),
 * telling `onWait` when another writer holds it past WAIT_NOTICE_MS (issue 15: a clerk sees
 * why the command stands still). better-sqlite3 is synchronous, so the wait is SQLite's busy
 * handler: a first attempt with WAIT_NOTICE_MS, then, once told, the rest of the busy timeout
 * (§7). `begin` calls `locked()` once the lock is taken: the work inside has the full busy
 * timeout back, and a busy error from it is its own (thrown, never retried: the work may have
 * run half-way before it was rolled back).
 */
function takeWriteLock<T>(db: DB, begin: (locked: () => void) => T): T {
  if (isPostgres(db)) return takePgWriteLock(db as unknown as PgDatabase, begin);
  const w = waiting.get(db);
  if (!w?.onWait || w.timeoutMs <= WAIT_NOTICE_MS || db.inTransaction) return begin(() => {});
  const setBusy = (ms: number) => db.pragma(`busy_timeout = ${ms}`);
  let held = false;
  const locked = () => {
    held = true;
    setBusy(w.timeoutMs);
  };
  setBusy(WAIT_NOTICE_MS);
  try {
    return begin(locked);
  } catch (e) {
    if (held || !isBusy(e)) throw e;
  } finally {
    setBusy(w.timeoutMs);
  }
  w.onWait();
  setBusy(w.timeoutMs - WAIT_NOTICE_MS);
  try {
    return begin(locked);
  } finally {
    setBusy(w.timeoutMs);
  }
}

/**
 * The same on PostgreSQL (issue 19): `begin` opens the transaction and takes the single
 * writer's advisory lock (pgDb.ts WRITE_LOCK_KEY), a second at most (lock_timeout); another
 * writer holding it past that is said, and the rest of the busy timeout waited. The lock
 * waits are the server's, so a clerk's command waits exactly as on SQLite.
 */
function takePgWriteLock<T>(db: PgDatabase, begin: (locked: () => void) => T): T {
  const w = waiting.get(db as unknown as DB) ?? { timeoutMs: busyTimeoutMs() };
  const setLockTimeout = (ms: number) => db.query(`SET lock_timeout = ${Math.max(1, ms)}`);
  const lockWaitedOut = (e: unknown) => e instanceof PgServerError && e.code === '55P03';
  let held = false;
  const locked = () => {
    held = true;
    setLockTimeout(w.timeoutMs);
  };
  const first = w.onWait && w.timeoutMs > WAIT_NOTICE_MS && !db.inTransaction;
  setLockTimeout(first ? WAIT_NOTICE_MS : w.timeoutMs);
  try {
    return begin(locked);
  } catch (e) {
    // the whole timeout waited already (one of a second or less is waited without a word)
    if (held || !first || !lockWaitedOut(e)) throw busyOr(e);
  } finally {
    if (db.open && !db.inTransaction) setLockTimeout(w.timeoutMs);
  }
  w.onWait?.();
  setLockTimeout(w.timeoutMs - WAIT_NOTICE_MS);
  try {
    return begin(locked);
  } catch (e) {
    throw busyOr(e);
  } finally {
    if (db.open && !db.inTransaction) setLockTimeout(w.timeoutMs);
  }
}

/** The lock waited out on the server is SQLite's "busy": exit 5, nothing changed, try again (§7). */
function busyOr(e: unknown): unknown {
  if (e instanceof PgServerError && e.code === '55P03') return Object.assign(new Error(e.message), { code: 'SQLITE_BUSY' });
  return e;
}

/** BEGIN IMMEDIATE, said to the command when it has to wait for another writer (issue 15). */
export function beginImmediate(db: DB): void {
  takeWriteLock(db, (locked) => {
    if (isPostgres(db)) beginImmediateLocked(db);
    else db.exec('BEGIN IMMEDIATE');
    locked();
  });
}

/** PostgreSQL's BEGIN IMMEDIATE: a transaction that holds the single writer's lock, or none at all. */
function beginImmediateLocked(db: DB): void {
  db.exec('BEGIN');
  try {
    (db as unknown as PgDatabase).lockForWrite();
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}

export function openDb(file: string, opts: OpenOptions = {}): DB {
  if (isServerAddress(file)) {
    const timeout = busyTimeoutMs();
    const db = openPg(file, { create: opts.create, latest: LATEST_VERSION }) as unknown as DB;
    waiting.set(db, { timeoutMs: timeout, onWait: opts.onWait });
    return db;
  }
  refuseServerAddress(file);
  const timeout = busyTimeoutMs();
  const exists = fs.existsSync(file);
  if (!exists && !opts.create) {
    throw new UserError(t('db.missing', { path: file }), t('db.missing.hint', { path: file }));
  }
  if (!exists) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    // §5: created readable by its owner only, before SQLite writes a byte into it
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  // init on an existing file (empty or not) leaves it owner-only like a new one (§5)
  if (exists && opts.create) tightenMode(file);
  let db: DB | undefined;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: true, timeout });
    // the version before anything is written: switching a rollback-journal file to WAL
    // rewrites its header, and a database from a newer salesops must be left as it was
    refuseNewer(db, file);
    refuseForeign(db, file, opts.create ?? false);
    db.pragma('journal_mode = WAL');
  } catch (e) {
    if (db?.open) db.close();
    if (e instanceof UserError) throw e;
    const code = (e as { code?: string }).code ?? '';
    // a file (or folder) this user may not write: WAL needs -wal and -shm files beside it
    if (code.startsWith('SQLITE_READONLY')) {
      throw new UserError(t('fault.readonly_db', { path: file }), t('fault.readonly_db.hint'));
    }
    // not opened at all (a folder, no permission…): not "read-only", but why
    if (code.startsWith('SQLITE_CANTOPEN')) throw cantOpenError(file, e);
    throw new UserError(t('db.unreadable', { path: file, reason: (e as Error).message }), t('db.unreadable.hint'));
  }
  // said only of a salesops database (not of a file being refused), once it is known to be one
  if (exists && !opts.create) warnIfReadableByOthers(file);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${timeout}`);
  waiting.set(db, { timeoutMs: timeout, onWait: opts.onWait });
  const notes = migrate(db, file, opts.onUpgrading);
  if (notes.length) opts.onMigrated?.(notes);
  return db;
}

/**
 * issue 19: `--db postgres://user@host/db` (any `scheme://` address) is a server, never a path:
 * taken for one it made a folder `postgres:` with a SQLite file inside, and every later command
 * "succeeded" on that. Refused, with the password (if any) never repeated.
 */
export function refuseServerAddress(file: string): void {
  const shown = redactAddress(file);
  // a PostgreSQL address mistyped (postgres:/host/db, postgresql:db) or copied from a Java
  // program's settings (jdbc:postgresql://…): meant for a server, never a folder `postgres:`
  if (/^(jdbc:)?postgres(ql)?:/i.test(file)) throw new UserError(t('pg.bad_address', { address: shown }), t('pg.bad_address.hint'));
  // another engine's address, also with one slash (mysql:/…); a drive letter (C:/…) is a path
  const m = /^([a-z][a-z0-9+.-]+(?::[a-z][a-z0-9+.-]*)*):\//i.exec(file);
  if (!m) return;
  throw new UserError(t('db.server_address', { address: shown, scheme: m[1] }), t('db.server_address.hint'));
}

/** §5: the database readable by its owner only; init makes it so (and its WAL files, created with its mode). */
function tightenMode(file: string): void {
  try {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
  } catch {
    warnIfReadableByOthers(file);
  }
}

/** A database that others can read is said so on every command (§5), without stopping the work. */
function warnIfReadableByOthers(file: string): void {
  let mode: number;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch {
    return;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    stdio().stderr.write(t('db.readable_by_others', { path: file, mode: mode.toString(8).padStart(4, '0') }) + '\n');
  }
}

/** What init did for the clerks' group on a server (see PgDatabase.clerkRights); null on a file. */
export function clerkRights(db: DB): 'granted' | 'missing' | null {
  return isPostgres(db) ? (db as unknown as PgDatabase).clerkRights : null;
}

/** Whether opening the database made its schema (a server's database; a file says so by its size). */
export function createdSchema(db: DB): boolean {
  return isPostgres(db) && (db as unknown as PgDatabase).createdSchema;
}

export { isServerAddress };

export function schemaVersion(db: DB): number {
  if (isPostgres(db)) return pgSchemaVersion(db as unknown as PgDatabase);
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewer(db: DB, file: string): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    db.close();
    throw new UserError(
      t('db.too_new', { path: file, version: current, latest: LATEST_VERSION }),
      t('db.too_new.hint'),
    );
  }
}

/**
 * A file without a salesops schema (user_version 0): an empty file (`touch`) is a database
 * not yet initialised, and a SQLite database of another program must never get our tables.
 */
function refuseForeign(db: DB, file: string, create: boolean): void {
  if (schemaVersion(db) !== 0) return;
  const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").pluck(true).get() as number;
  if (tables > 0) {
    db.close();
    throw new UserError(t('db.foreign', { path: file }), t('db.foreign.hint'));
  }
  if (!create) {
    db.close();
    throw new UserError(t('db.missing', { path: file }), t('db.missing.hint', { path: file }));
  }
}

function migrate(db: DB, file: string, onUpgrading?: (from: number, to: number) => void): MigrationNote[] {
  refuseNewer(db, file);
  const current = schemaVersion(db);
  if (current === LATEST_VERSION) return [];
  const bytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  if (current > 0 && bytes >= ANNOUNCED_UPGRADE_BYTES) onUpgrading?.(current, LATEST_VERSION);
  const notes: MigrationNote[] = [];
  // BEGIN IMMEDIATE: two processes opening a fresh file at once must not both migrate
  beginImmediate(db);
  try {
    const now = schemaVersion(db);
    for (const m of migrations) {
      if (m.version <= now) continue;
      db.exec(m.sql);
      // what SQL cannot say (issue 15: names normalised as an import reads them now)
      notes.push(...(m.data?.(db) ?? []));
      db.pragma(`user_version = ${m.version}`);
    }
    db.exec('COMMIT');
    // a new database has nothing to say
    return current === 0 ? [] : notes;
  } catch (e) {
    db.exec('ROLLBACK');
    const from = schemaVersion(db);
    db.close();
    if (e instanceof UserError) throw e;
    // the schema change rolled back whole: say so, and that the data is untouched
    throw new UserError(t('db.migrate_failed', { path: file, from, to: LATEST_VERSION, reason: (e as Error).message }), t('db.migrate_failed.hint'));
  }
}

/**
 * Lifts indexes and triggers for a bulk write inside the caller's transaction; the returned
 * function recreates them from their own stored SQL. Keeping a B-tree up to date row by row
 * costs more than building it once after a million rows. A rollback or a kill restores them
 * with the rest, and other connections only ever see them present (the writer holds the lock).
 */
export function liftForBulkWrite(db: DB, names: readonly string[]): () => void {
  // on a server the indexes stay: the bulk import is a COPY there, and only the table's owner may drop them
  if (isPostgres(db)) return () => {};
  const lifted = names.length
    ? (db
        .prepare(`SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND type IN ('index', 'trigger') AND name IN (${names.map(() => '?').join(', ')}) ORDER BY rowid`)
        .all(...names) as { type: 'index' | 'trigger'; name: string; sql: string }[])
    : [];
  for (const o of lifted) db.exec(`DROP ${o.type === 'index' ? 'INDEX' : 'TRIGGER'} "${o.name.replace(/"/g, '""')}"`);
  return () => {
    for (const o of lifted) db.exec(o.sql);
    lifted.length = 0;
  };
}

/**
 * Runs `fn` in one IMMEDIATE transaction: all of it is written, or nothing. Waiting for
 * another writer's lock is said through the connection's `onWait` (issue 15).
 */
export function inTransaction<T>(db: DB, fn: () => T): T {
  if (isPostgres(db)) {
    return takeWriteLock(db, (locked) => {
      beginImmediateLocked(db);
      locked();
      try {
        const r = fn();
        db.exec('COMMIT');
        return r;
      } catch (e) {
        if (db.open && db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    });
  }
  return takeWriteLock(db, (locked) =>
    db
      .transaction(() => {
        locked();
        return fn();
      })
      .immediate(),
  );
}
