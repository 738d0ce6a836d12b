/**
 * Backups, restores and integrity checks (SPEC §7: nothing lost; §5: on record).
 *
 * `backup` copies through SQLite's online backup API into a temporary file beside the
 * target (owner-only), records the copy (size, SHA-256) in the audit log, and only then
 * gives it its name.
 *
 * `restore` copies a backup into a temporary file beside the database and checks that copy
 * (integrity, a salesops schema not newer than this program), upgrading it if older. It
 * then takes the database's write lock the way every writer does — through SQLite, so other
 * commands wait for it and readers go on reading the database as it was — and, holding it,
 * keeps the current database beside it, records the restore in the copy, and copies the
 * copy INTO the database with SQLite's online backup API, in one transaction. The database
 * file is never renamed, truncated or deleted while it may be open: every connection, open
 * before or after, sees the old database or the restored one, and a kill at any moment
 * leaves the old one (SQLite rolls the unfinished copy back) or the restored one, whole.
 */
import dayjs from 'dayjs';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDb, schemaVersion, type DB } from './db.js';
import { appendAudit, type AuditEntry } from './audit.js';
import { LATEST_VERSION, migrations } from './migrations.js';
import { parsePolicy } from '../domain/policyDocument.js';
import { planDisagreements, type PlanDisagreement, type PlanShape } from './planRebuild.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { EXIT, UserError } from '../errors.js';
import { t, type MessageKey } from '../messages/index.js';
import { AtomicFile, faultError, namesDatabase, SQLITE_MAGIC, statOrNull, type OutputGuard } from '../io/outputFile.js';
import { isPostgres } from './engine.js';
import { PG_DUMP_MAGIC, pgDumpInto } from './pgBackup.js';
import type { PgDatabase } from './pg/pgDb.js';
import { PG_BASELINE_SQL, PG_GUARDS } from './pg/schema.js';

/** the files SQLite keeps beside a database */
const COMPANIONS = ['-wal', '-shm', '-journal'];
const CHUNK = 1 << 20;
/** pages per step of the copy into the database once it may go: all (the lock is held throughout anyway) */
const ALL_PAGES = 0x7fffffff;
/** how often a restore tries again for the lock another command holds (SQLite's own busy wait is similar) */
const RETRY_MS = 50;

/** Removes a temporary SQLite file of this command and the companions SQLite may have left beside it. */
function removeWithCompanions(p: string): void {
  for (const s of ['', ...COMPANIONS]) fs.rmSync(p + s, { force: true });
}

/** Flushes a folder, so that a rename in it survives a crash (a no-op where folders cannot be opened). */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows and some file systems: the rename is as durable as they make it
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function fsyncFile(p: string): void {
  const fd = fs.openSync(p, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A new owner-only file, created exclusively and never through a link. */
function createExclusive(p: string): number {
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
  return fs.openSync(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
}

/**
 * Reads all bytes of an open file from its start: their size and SHA-256; with `to`, also
 * copies them into that file, flushed to disk.
 */
function digestFd(from: number, to?: number): { bytes: number; sha256: string } {
  const hash = crypto.createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  let pos = 0;
  for (;;) {
    const n = fs.readSync(from, buf, 0, CHUNK, pos);
    if (n === 0) break;
    hash.update(buf.subarray(0, n));
    if (to !== undefined) for (let off = 0; off < n; ) off += fs.writeSync(to, buf, off, n - off, pos + off);
    pos += n;
  }
  if (to !== undefined) fs.fsyncSync(to);
  return { bytes: pos, sha256: hash.digest('hex') };
}

/** Size and SHA-256 of a file. */
function fileDigest(p: string): { bytes: number; sha256: string } {
  const fd = fs.openSync(p, 'r');
  try {
    return digestFd(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The name of a temporary file of this process in `dir`: hidden, and findable again by `removeStaleTemps`. */
function tempName(dir: string, base: string, kind: 'restore' | 'keep'): string {
  return path.join(dir, `.${base}.${kind}-${process.pid}-${crypto.randomBytes(3).toString('hex')}.tmp`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporary files of restores that were killed (with what SQLite left beside them): their process is gone, so are they. */
function removeStaleTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const esc = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\.${esc}\\.(?:restore|keep)-(\\d+)-[a-z0-9]+\\.tmp(?:-wal|-shm|-journal)?$`);
  for (const name of names) {
    const m = re.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

const sqliteCode = (e: unknown): string => String((e as { code?: unknown })?.code ?? '');
const isDamage = (e: unknown): boolean => /^SQLITE_(NOTADB|CORRUPT)/.test(sqliteCode(e));

function refuse(key: MessageKey, params: Record<string, string | number>): never {
  // a database another command keeps locked: exit 5, "busy, try again" (cron retries it)
  throw new UserError(t(key, params), t(`${key}.hint` as MessageKey, params), key === 'restore.busy' ? EXIT.busy : EXIT.error);
}

export type BackupPhase = 'recorded';

/** What a backup is: a SQLite file (of a SQLite database), or a pg_dump archive in custom format (of a server's: issue 19). */
export type BackupFormat = 'sqlite' | 'pg_dump';

export interface BackupOptions {
  /** called at each phase (tests stop the process there) */
  at?: (phase: BackupPhase, info: Record<string, string | number>) => Promise<void> | void;
}

/**
 * `salesops backup FILE`: SQLite's online backup API, a consistent copy while other
 * commands keep writing; of a database on a server (issue 19), pg_dump's archive of it
 * instead (pgBackup.ts), written and recorded in the same steps. In this order: the copy complete and flushed in its temporary
 * file; its size and SHA-256; the audit entry committed; then the copy takes its name. A
 * failure before the commit leaves no file and no entry (and FILE, if there was one, as it
 * was); a failure to give it its name after the commit is said (exit 1), the temporary file
 * removed, and a second entry says the backup was not written (the log is append-only).
 */
export async function backupTo(db: DB, file: string, guard: OutputGuard, opts: BackupOptions = {}): Promise<{ file: string; format: BackupFormat; bytes: number; sha256: string }> {
  // the guard (database, companions, folder, missing folder, link…) before anything is
  // written; the temporary files of killed backups of FILE are removed there too
  const out = AtomicFile.open(file, guard);
  const abs = path.resolve(file);
  const format: BackupFormat = isPostgres(db) ? 'pg_dump' : 'sqlite';
  let recorded: { bytes: number; sha256: string } | null = null;
  try {
    // owner-only from the first byte; SQLite (or pg_dump) writes into the empty file through its own handle
    out.flush();
    if (format === 'pg_dump') {
      // issue 19: a server's database is backed up by the server's own tool (pgBackup.ts)
      await pgDumpInto(db as unknown as PgDatabase, out.tmp);
    } else {
      await db.backup(out.tmp);
      // the copy's own journal, if SQLite left one (it does not after a complete backup)
      for (const s of COMPANIONS) fs.rmSync(out.tmp + s, { force: true });
    }
    fsyncFile(out.tmp);
    const digest = fileDigest(out.tmp);
    // §5: where the data went, on record before the copy has its name
    const detail = `bytes=${digest.bytes} sha256=${digest.sha256}${format === 'pg_dump' ? ' format=pg_dump' : ''}`;
    db.transaction(() => {
      appendAudit(db, { action: 'backup', approved_by: null, reason: null, subject: abs, detail });
    }).immediate();
    recorded = digest;
    await opts.at?.('recorded', { file: abs, ...digest });
    out.publish();
    fsyncDir(path.dirname(abs));
    return { file: abs, format, ...digest };
  } catch (e) {
    out.abort();
    if (!recorded) throw faultError(e, file) ?? e;
    const reason = faultError(e, file)?.message ?? ((e as NodeJS.ErrnoException).code || (e as Error).message);
    try {
      appendAudit(db, { action: 'backup_failed', approved_by: null, reason: null, subject: abs, detail: `sha256=${recorded.sha256} not written: ${reason}` });
    } catch {
      // the message below says it all the same
    }
    throw new UserError(t('backup.not_written', { file, reason }), t('backup.not_written.hint', { file }));
  }
}

export type RestorePhase = 'copied' | 'checked' | 'waiting' | 'locked' | 'kept' | 'replaced';

export interface RestoreResult {
  file: string;
  db: string;
  bytes: number;
  sha256: string;
  /** the backup's schema version, before any upgrade */
  fromVersion: number;
  version: number;
  /** where the replaced database is kept; null when there was none (or it was empty) */
  kept: string | null;
  /** the replaced database could not be read (kept as it was): why */
  damaged: string | null;
}

export interface RestoreOptions {
  /** how long to wait for another command's write lock */
  busyTimeoutMs: number;
  /** replace a database that cannot be read (`--replace-damaged`); refused otherwise */
  replaceDamaged?: boolean;
  /** called at each phase (progress; tests stop the process there) */
  at?: (phase: RestorePhase, info: Record<string, string | number>) => Promise<void> | void;
}

/** Local time as 20240731-142501, for the name of the kept database. */
function stamp(d = new Date()): string {
  return dayjs(d).format('YYYYMMDD-HHmmss');
}

/** `<db>.replaced-<timestamp>`, with -2, -3… when a restore in the same second left one. */
function keptName(db: string): string {
  const base = `${db}.replaced-${stamp()}`;
  let name = base;
  for (let i = 2; ['', ...COMPANIONS].some((s) => statOrNull(name + s)); i++) name = `${base}-${i}`;
  return name;
}

/** Gives a complete temporary file its name without ever overwriting one. */
function publishNew(tmp: string, name: string): void {
  try {
    fs.linkSync(tmp, name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') refuse('restore.kept_exists', { path: name });
    // a file system without hard links: the name was free a moment ago
    if (statOrNull(name)) refuse('restore.kept_exists', { path: name });
    fs.renameSync(tmp, name);
    return;
  }
  fs.rmSync(tmp, { force: true });
}

/** Checks the copy of a backup: a sound SQLite file with a salesops schema this program knows. */
function checkCandidate(tmp: string, shown: string): number {
  let c: DB | undefined;
  try {
    c = new Database(tmp, { fileMustExist: true });
    const rows = c.pragma('integrity_check') as { integrity_check: string }[];
    if (!(rows.length === 1 && rows[0].integrity_check === 'ok')) {
      refuse('restore.corrupt', { path: shown, detail: rows.slice(0, 3).map((r) => r.integrity_check).join('; ') });
    }
    const version = schemaVersion(c);
    if (version > LATEST_VERSION) refuse('restore.too_new', { path: shown, version, latest: LATEST_VERSION });
    const tables = new Set(c.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck(true).all() as string[]);
    if (version === 0 || !['staff', 'customers', 'audit_log'].every((n) => tables.has(n))) refuse('restore.not_salesops', { path: shown });
    return version;
  } catch (e) {
    if (e instanceof UserError) throw e;
    if (isDamage(e)) refuse('restore.corrupt', { path: shown, detail: (e as Error).message });
    throw e;
  } finally {
    c?.close();
  }
}

interface Damage {
  message: string;
  /** not even its first page is a database's: SQLite can neither read nor lock it */
  unlockable: boolean;
}

/**
 * The database about to be replaced, read: null when it can be read (or is empty), what is
 * wrong otherwise. A SQLite file of another program is refused.
 */
function inspectLive(live: DB, shown: string): Damage | null {
  try {
    const version = schemaVersion(live);
    const objects = live.prepare("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").pluck(true).get() as number;
    if (version === 0 && objects > 0) refuse('restore.db_foreign', { path: shown });
    return null;
  } catch (e) {
    if (!isDamage(e)) throw e;
    return { message: (e as Error).message, unlockable: sqliteCode(e).startsWith('SQLITE_NOTADB') };
  }
}

/**
 * What is wrong with the first 100 bytes of a database file, read through a handle of ours
 * (a file that is not a database: SQLite refuses it as such); null when they are a SQLite
 * header, or the file is empty (a new database).
 */
function headerDamage(fd: number): Damage | null {
  if (fs.fstatSync(fd).size === 0) return null;
  const h = Buffer.alloc(100);
  const n = fs.readSync(fd, h, 0, 100, 0);
  const raw = n === 100 ? h.readUInt16BE(16) : 0;
  const pageSize = raw === 1 ? 65536 : raw;
  const sound =
    n === 100 && h.toString('latin1', 0, 16) === SQLITE_MAGIC && pageSize >= 512 && (pageSize & (pageSize - 1)) === 0 && h[19] >= 1 && h[19] <= 2 && h[21] === 64 && h[22] === 32 && h[23] === 32;
  return sound ? null : { message: 'file is not a database', unlockable: true };
}

/** The same, through a connection of its own (after a pause: has anything replaced it meanwhile?). */
function inspectAgain(file: string, shown: string): Damage | null {
  const d = new Database(file, { fileMustExist: true });
  try {
    return inspectLive(d, shown);
  } finally {
    d.close();
  }
}

/**
 * Makes the database ready to receive the copy in WAL mode, so that readers are never in
 * the way of its commit (a copy into a database with rollback journal needs them all gone),
 * and the copy's pages the database's size (SQLite copies into a WAL database only pages
 * of its own size). An empty database takes the copy as it is.
 */
function matchForCopy(live: DB, restored: DB): void {
  if ((live.pragma('page_count', { simple: true }) as number) === 0) return;
  if (live.pragma('journal_mode', { simple: true }) !== 'wal') live.pragma('journal_mode = WAL');
  const size = Number(live.pragma('page_size', { simple: true }));
  if (Number(restored.pragma('page_size', { simple: true })) !== size) {
    restored.pragma('journal_mode = DELETE');
    restored.pragma(`page_size = ${size}`);
    restored.exec('VACUUM');
    restored.pragma('journal_mode = WAL');
  }
}

/**
 * The write lock of the database file `dest`, taken by SQLite's online backup of `source`
 * into it: the backup's first step opens a write transaction on `dest` (like any writer:
 * other commands wait for it, readers go on reading what was committed) and copies nothing;
 * `copy` then copies every page of `source` and commits in that same transaction (a kill
 * before the commit leaves `dest` as it was); `release` lets go without writing anything.
 * Held by another command: tried again until the busy timeout, then refused.
 */
interface WriteLock {
  copy(): Promise<void>;
  release(): Promise<void>;
}

async function lockByBackup(source: DB, dest: string, timeoutMs: number, shown: string, onBusy: () => Promise<void> | void): Promise<WriteLock> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    // better-sqlite3 runs a backup in steps from setImmediate and calls `progress` between
    // them with the lock held; a step of 0 pages keeps the lock and writes nothing
    let state: 'hold' | 'copy' | 'release' = 'hold';
    let onLocked!: () => void;
    const locked = new Promise<'locked'>((resolve) => (onLocked = () => resolve('locked')));
    const backup = source.backup(dest, {
      progress: () => {
        if (state === 'release') throw new Error('restore: lock released');
        onLocked();
        return state === 'copy' ? ALL_PAGES : 0;
      },
    });
    let first: 'locked' | Database.BackupMetadata;
    try {
      first = await Promise.race([locked, backup]);
    } catch (e) {
      // made unreadable since it was inspected (a restore beside this one?)
      if (isDamage(e)) refuse('restore.changed', { path: shown });
      throw e;
    }
    if (first === 'locked') {
      return {
        copy: async () => {
          state = 'copy';
          await backup;
        },
        release: async () => {
          state = 'release';
          await backup.catch(() => {});
        },
      };
    }
    // over without a step that locked: better-sqlite3 reports SQLITE_BUSY (another command
    // holds the lock) as a backup of nothing
    if (Date.now() >= deadline) refuse('restore.busy', { path: shown, seconds: Math.round(timeoutMs / 1000) });
    if (attempt === 0) await onBusy();
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

/** The database to keep (its path and a handle of ours on it), and the temporary and final names of the kept copy. */
interface Keeping {
  dbAbs: string;
  fd: number;
  keepTmp: string;
  kept: string;
}

/**
 * Keeps the database beside it byte for byte, as it is, with its -wal and -journal when
 * they hold anything (copied first: the kept file never appears without them, and SQLite
 * finds it as it found this one): for a database that cannot be read.
 */
function keepAsIs({ dbAbs, fd, keepTmp, kept }: Keeping): void {
  for (const s of ['-wal', '-journal']) {
    const st = statOrNull(dbAbs + s);
    if (!st?.isFile() || st.size === 0) continue;
    fs.copyFileSync(dbAbs + s, kept + s, fs.constants.COPYFILE_EXCL);
    fs.chmodSync(kept + s, 0o600);
    fsyncFile(kept + s);
  }
  const kfd = createExclusive(keepTmp);
  try {
    digestFd(fd, kfd);
  } finally {
    fs.closeSync(kfd);
  }
  publishNew(keepTmp, kept);
  fsyncDir(path.dirname(dbAbs));
}

/**
 * The database, read by `live` while the lock is held, kept beside it (VACUUM INTO: a
 * consistent copy of what is committed, owner-only), with a note in its own log of what
 * replaced it. Returns its audit entries, to carry over; a damaged database (when allowed)
 * is kept as it is instead, and none are carried.
 */
function keepCurrent(live: DB, k: Keeping, note: { src: string; sha256: string }, damaged: Damage | null, opts: { replaceDamaged: boolean; shown: string }): { audit: AuditRow[]; damaged: Damage | null } {
  const { dbAbs, keepTmp, kept } = k;
  if (!damaged) {
    try {
      const audit = readAudit(live);
      fs.closeSync(createExclusive(keepTmp));
      live.prepare('VACUUM INTO ?').run(keepTmp);
      noteReplaced(keepTmp, note.src, note.sha256, kept);
      fsyncFile(keepTmp);
      publishNew(keepTmp, kept);
      fsyncDir(path.dirname(dbAbs));
      return { audit, damaged: null };
    } catch (e) {
      if (!isDamage(e)) throw e;
      if (!opts.replaceDamaged) refuse('restore.damaged_refused', { path: opts.shown, reason: (e as Error).message });
      damaged = { message: (e as Error).message, unlockable: false };
      removeWithCompanions(keepTmp);
    }
  }
  keepAsIs(k);
  return { audit: [], damaged };
}

/** The database, seen through a connection open since before the copy: the restored one, sound. */
function verifyRestored(live: DB, version: number, marker: AuditEntry, shown: string, kept: string | null): void {
  const found = live.prepare('SELECT * FROM audit_log WHERE audit_id = ?').get(marker.audit_id);
  if (JSON.stringify(found) !== JSON.stringify(marker)) refuse('restore.not_applied', { path: shown });
  const rows = live.pragma('integrity_check') as { integrity_check: string }[];
  const ok = rows.length === 1 && rows[0].integrity_check === 'ok';
  if (!ok || schemaVersion(live) !== version) {
    const detail = ok ? `schema ${schemaVersion(live)}, expected ${version}` : rows.slice(0, 3).map((r) => r.integrity_check).join('; ');
    refuse(kept ? 'restore.verify_failed' : 'restore.verify_failed_new', { path: shown, detail, kept: kept ?? '-' });
  }
}

/**
 * `salesops restore FILE`: see the top of this file. Every refusal comes before the
 * database is written. Phases, in order: copied, checked (the database not yet touched),
 * waiting (only while another command holds the lock), locked, kept (the database still as
 * it was), replaced. A database that cannot be read is replaced only with `replaceDamaged`,
 * kept as it is; one that is not even a SQLite file any more (nobody can open it) is kept
 * before the lock ("kept" comes before "locked"), then emptied so that SQLite takes it as a
 * new database.
 */
export async function restoreFrom(dbPath: string, file: string, opts: RestoreOptions): Promise<RestoreResult> {
  const at = opts.at ?? (() => {});
  const shownDb = dbPath;
  // a database reached through a link is replaced where it lives
  let dbAbs = path.resolve(dbPath);
  try {
    dbAbs = fs.realpathSync(dbAbs);
  } catch {
    // no database yet
  }
  const dir = path.dirname(dbAbs);
  const base = path.basename(dbAbs);
  const src = path.resolve(file);

  // 1. the backup: there, readable, a SQLite file, not the database itself
  if (namesDatabase(src, dbAbs)) refuse('restore.is_database', { path: file });
  const st = statOrNull(src, true);
  if (!st) refuse('restore.missing', { path: file });
  if (!st.isFile()) refuse('restore.not_file', { path: file });
  let srcFd: number;
  try {
    srcFd = fs.openSync(src, 'r');
  } catch (e) {
    refuse('restore.unreadable', { path: file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
  }
  try {
    const head = Buffer.alloc(100);
    const n = fs.readSync(srcFd, head, 0, 100, 0);
    // a server's backup (issue 19) is not for a SQLite file: said with the tool that restores it
    if (head.toString('latin1', 0, PG_DUMP_MAGIC.length) === PG_DUMP_MAGIC) refuse('restore.pg_dump_archive', { path: file });
    if (n < 100 || head.toString('latin1', 0, 16) !== SQLITE_MAGIC) refuse('restore.not_sqlite', { path: file });
    if ((statOrNull(`${src}-wal`, true)?.size ?? 0) > 0) refuse('restore.source_wal', { path: file });
    if (!statOrNull(dir, true)?.isDirectory()) throw new UserError(t('out.no_parent', { dir: path.dirname(dbPath) }), t('out.no_parent.hint', { dir: path.dirname(dbPath) }));

    removeStaleTemps(dir, base);
    const tmp = tempName(dir, base, 'restore');
    const keepTmp = tempName(dir, base, 'keep');
    let restored: DB | undefined;
    let live: DB | undefined;
    let liveFd: number | undefined;
    let lock: WriteLock | undefined;
    try {
      // 2. a copy beside the database: the checks run on the very bytes that are copied
      // into it, and the backup itself is only read (SQLite would leave -wal/-shm beside it)
      let digest: { bytes: number; sha256: string };
      const fd = createExclusive(tmp);
      try {
        digest = digestFd(srcFd, fd);
      } finally {
        fs.closeSync(fd);
      }
      await at('copied', { file, bytes: digest.bytes, sha256: digest.sha256 });

      // 3. integrity, a salesops schema, not newer; then upgraded if older (openDb)
      const fromVersion = checkCandidate(tmp, file);
      restored = openDb(tmp);
      const version = schemaVersion(restored);
      await at('checked', { file, version, db: shownDb });
      const result: RestoreResult = { file: src, db: dbAbs, ...digest, fromVersion, version, kept: null, damaged: null };

      // 4. the database as it is. None yet: an empty one, owner-only, made here (never over
      // one made meanwhile), so that the copy goes into it under SQLite's lock like any other.
      try {
        fs.closeSync(createExclusive(dbAbs));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      // a handle of our own, open until every connection to the file is closed (closing any
      // handle of a file drops this process's locks on it): the damaged database is read
      // through it
      liveFd = fs.openSync(dbAbs, 'r+');
      // its header read first through that handle: SQLite, opening a file that is not a
      // database, would drop the -wal and -journal beside it
      let damage = headerDamage(liveFd);
      const seenBy = damage ? 'header' : 'sqlite';
      if (!damage) {
        live = new Database(dbAbs, { fileMustExist: true, timeout: opts.busyTimeoutMs });
        damage = inspectLive(live, shownDb);
      }
      if (damage && !opts.replaceDamaged) refuse('restore.damaged_refused', { path: shownDb, reason: damage.message });
      if (damage?.unlockable) {
        // not a database any more: nobody can open it, nor can SQLite lock it. Kept as it
        // is, then emptied in place (not deleted, not renamed): SQLite takes an empty file as
        // a new database, and itself drops the -wal or -journal left beside it (kept above)
        result.kept = keptName(dbAbs);
        result.damaged = damage.message;
        keepAsIs({ dbAbs, fd: liveFd, keepTmp, kept: result.kept });
        await at('kept', { kept: result.kept });
        // still so? (a restore beside this one may have replaced it meanwhile)
        const still = seenBy === 'header' ? headerDamage(liveFd) : inspectAgain(dbAbs, shownDb);
        if (!still?.unlockable) refuse('restore.changed', { path: shownDb });
        fs.ftruncateSync(liveFd, 0);
        fs.fsyncSync(liveFd);
        live?.close();
        live = undefined;
        damage = null;
      }
      live ??= new Database(dbAbs, { fileMustExist: true, timeout: opts.busyTimeoutMs });
      matchForCopy(live, restored);

      // 5. the write lock: other commands wait, readers read the database as it was
      lock = await lockByBackup(restored, dbAbs, opts.busyTimeoutMs, shownDb, () => at('waiting', { db: shownDb, seconds: Math.round(opts.busyTimeoutMs / 1000) }));
      await at('locked', { db: shownDb });

      // 6. under the lock, the database as it is now (another restore may have filled it
      // meanwhile) kept beside it, and its audit entries read, to be carried over. Its size
      // says whether there is one: an empty file has no journal mode yet, and the lock on it
      // keeps readers out too (they would read nothing)
      let oldAudit: AuditRow[] = [];
      if (fs.fstatSync(liveFd).size > 0) {
        const kept = keptName(dbAbs);
        const k = keepCurrent(live, { dbAbs, fd: liveFd, keepTmp, kept }, { src, sha256: digest.sha256 }, damage, { replaceDamaged: opts.replaceDamaged ?? false, shown: shownDb });
        oldAudit = k.audit;
        if (k.damaged) result.damaged = k.damaged.message;
        result.kept = kept;
        await at('kept', { kept });
      }

      // 7. the restore recorded in the restored database, so that it comes with it; the
      // audit log is append-only across a restore too: the entries written since the backup
      // (reveals, exports, backups) are carried over first
      const carried = carryAudit(restored, oldAudit);
      const detail = [`sha256=${digest.sha256}`, `bytes=${digest.bytes}`, `schema=${fromVersion}${fromVersion < version ? `->${version}` : ''}`];
      detail.push(`kept=${result.kept ? path.basename(result.kept) : '-'}`, `carried=${carried}`);
      appendAudit(restored, { action: 'restore', approved_by: null, reason: null, subject: src, detail: detail.join(' ') });
      const marker = restored.prepare('SELECT * FROM audit_log ORDER BY audit_id DESC LIMIT 1').get() as AuditEntry;

      // 8. every page into the database and one commit, still under the lock
      const held = lock;
      lock = undefined;
      await held.copy();
      // seen by a connection that was open before: what other commands see now
      verifyRestored(live, version, marker, shownDb, result.kept);
      // the copy sits in the -wal; folded into the file as far as readers allow
      live.pragma('wal_checkpoint(PASSIVE)');
      live.close();
      restored.close();
      fs.closeSync(liveFd);
      liveFd = undefined;
      removeWithCompanions(tmp);
      await at('replaced', { db: shownDb });
      return result;
    } catch (e) {
      if (lock) await lock.release();
      if (restored?.open) restored.close();
      if (live?.open) live.close();
      if (liveFd !== undefined) fs.closeSync(liveFd);
      removeWithCompanions(tmp);
      removeWithCompanions(keepTmp);
      throw faultError(e, dbPath) ?? e;
    }
  } finally {
    fs.closeSync(srcFd);
  }
}

type AuditRow = Omit<AuditEntry, 'audit_id'>;

const AUDIT_COLUMNS = 'at, action, approved_by, reason, subject, detail, os_user';

function readAudit(db: DB): AuditRow[] {
  if (!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'").get()) return [];
  return db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY audit_id`).all() as AuditRow[];
}

/**
 * Appends to `db` the entries of `old` it does not have (the same entry counted as often as
 * it occurs), in their order, as they were written (time, OS user). Returns how many.
 */
function carryAudit(db: DB, old: AuditRow[]): number {
  if (old.length === 0) return 0;
  const key = (r: AuditRow) => JSON.stringify([r.at, r.action, r.approved_by, r.reason, r.subject, r.detail, r.os_user]);
  const have = new Map<string, number>();
  for (const r of readAudit(db)) have.set(key(r), (have.get(key(r)) ?? 0) + 1);
  const insert = db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (@at, @action, @approved_by, @reason, @subject, @detail, @os_user)`);
  let n = 0;
  db.transaction(() => {
    for (const r of old) {
      const k = key(r);
      const c = have.get(k) ?? 0;
      if (c > 0) have.set(k, c - 1);
      else {
        insert.run(r);
        n++;
      }
    }
  }).immediate();
  return n;
}

/** The replaced database's own log says what replaced it (best effort). */
function noteReplaced(keptTmp: string, src: string, sha256: string, kept: string): void {
  let k: DB | undefined;
  try {
    k = new Database(keptTmp, { fileMustExist: true });
    if (!k.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'").get()) return;
    appendAudit(k, { action: 'restore', approved_by: null, reason: null, subject: src, detail: `replaced_by=${src} sha256=${sha256} kept=${path.basename(kept)}` });
  } catch {
    // the copy stays as it was
  } finally {
    k?.close();
    for (const s of COMPANIONS) fs.rmSync(keptTmp + s, { force: true });
  }
}

export interface Problem {
  check: string;
  count: number;
  sample: string;
}

/**
 * The database's own checks, then the domain's invariants. Empty when all is well. On a
 * server (issue 19) the first two have no meaning — PostgreSQL checks its own pages and
 * always enforces foreign keys (amcheck is its administrator's) — and `check` says so
 * (app/maintenance.ts); the invariants and the guards are checked the same.
 */
export function runChecks(db: DB): Problem[] {
  const problems: Problem[] = [];
  if (!isPostgres(db)) problems.push(...storageProblems(db));
  const invariant = (check: string, sql: string) => {
    const rows = db.prepare(sql).all() as { sample: string }[];
    if (rows.length) problems.push({ check, count: rows.length, sample: rows.slice(0, 3).map((r) => r.sample).join('; ') });
  };
  // §3.4: a leaver cannot remain the owner of anything
  invariant(
    'leaver_owns_customer',
    `SELECT 'customer ' || c.customer_id || ' owned by ' || s.staff_id || ' (left ' || s.left_on || ')' AS sample
       FROM customers c JOIN staff s ON s.staff_id = c.owner_id WHERE s.left_on IS NOT NULL`,
  );
  invariant(
    'leaver_has_open_task',
    `SELECT 'task ' || t.task_id || ' of ' || s.staff_id AS sample
       FROM tasks t JOIN staff s ON s.staff_id = t.staff_id WHERE t.status = 'open' AND s.left_on IS NOT NULL`,
  );
  // §3.1: only reps own customers
  invariant(
    'non_rep_owns_customer',
    `SELECT 'customer ' || c.customer_id || ' owned by ' || s.staff_id || ' (' || s.role || ')' AS sample
       FROM customers c JOIN staff s ON s.staff_id = c.owner_id WHERE s.role <> 'rep'`,
  );
  // §3.2: an open rep task belongs to the customer's owner
  invariant(
    'rep_task_not_owner',
    `SELECT 'task ' || t.task_id || ' staff ' || coalesce(t.staff_id, '-') || ' owner ' || coalesce(c.owner_id, '-') AS sample
       FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
      WHERE t.status = 'open' AND t.role = 'rep' AND t.staff_id IS DISTINCT FROM c.owner_id`,
  );
  invariant(
    'task_done_without_date',
    `SELECT 'task ' || task_id AS sample FROM tasks WHERE (status = 'done') <> (done_on IS NOT NULL)`,
  );
  // issue 18: the history a past due list and a closed month's KPIs read — a task cancelled
  // with its day, and only then; its last move on the day it says. (A manual task may be done
  // by a contact dated before it was added, and a purchase dated before the file's first
  // event cancels tasks that started after it: neither is a contradiction.)
  invariant(
    'task_history_dates',
    `SELECT 'task ' || task_id AS sample FROM tasks WHERE (status = 'cancelled') <> (cancelled_on IS NOT NULL)`,
  );
  invariant(
    'task_moves_disagree',
    `SELECT 'task ' || m.task_id || ' moved ' || m.last || ', says ' || coalesce(t.moved_on, '-') AS sample
       FROM (SELECT task_id, max(moved_on) AS last FROM task_moves GROUP BY task_id) m JOIN tasks t ON t.task_id = m.task_id
      WHERE t.moved_on IS DISTINCT FROM m.last`,
  );
  // money: a purchase at an event recorded with an amount has its order, with the same amount
  invariant(
    'event_purchase_without_order',
    `SELECT 'event ' || e.event_id AS sample FROM events e
      WHERE e.purchased = 1 AND e.amount_fen IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = e.customer_id AND o.order_date = e.event_date AND o.source = 'event' AND o.amount_fen = e.amount_fen)`,
  );
  // issue 13: a file and its plan are what the customer's events and orders give (as a clean
  // import of them would): a purchase corrected to none, a file or task edited by hand…
  try {
    const plans = planDisagreements(db, 3);
    if (plans.count) problems.push({ check: 'plan_disagrees_with_events', count: plans.count, sample: plans.samples.map(disagreementText).join('; ') });
  } catch (e) {
    // a stored policy version that cannot give a plan (reported below as policy_version_invalid)
    problems.push({ check: 'plan_disagrees_with_events', count: 1, sample: t('check.plan.underivable', { reason: (e as Error).message }) });
  }
  invariant('negative_money', `SELECT 'order ' || order_no AS sample FROM orders WHERE amount_fen < 0 UNION ALL SELECT 'expense ' || expense_id FROM expenses WHERE amount_fen < 0`);
  invariant('trip_dates', `SELECT 'trip ' || trip_no AS sample FROM trips WHERE end_date < start_date`);
  // §6: every stored policy version is complete and valid (commands trust them as stored)
  const bad: string[] = [];
  for (const r of db.prepare('SELECT effective_from, document FROM policy_versions ORDER BY effective_from').all() as { effective_from: string; document: string }[]) {
    let json: unknown;
    try {
      json = JSON.parse(r.document);
    } catch (e) {
      bad.push(`${r.effective_from}: ${(e as Error).message}`);
      continue;
    }
    const parsed = parsePolicy(json, { base: DEFAULT_POLICY });
    if (!parsed.ok) bad.push(`${r.effective_from}: ${parsed.errors.slice(0, 2).join('; ')}`);
    else if (parsed.policy.effective_from !== r.effective_from) bad.push(`${r.effective_from}: the document says ${parsed.policy.effective_from}`);
  }
  if (bad.length) problems.push({ check: 'policy_version_invalid', count: bad.length, sample: bad.slice(0, 3).join('; ') });
  // §5/§7: the schema's own guards (append-only audit log, customers never deleted or
  // replaced) are there, as the migrations wrote them; a dropped one would let any SQL through
  const guards = isPostgres(db) ? pgGuardFaults(db) : sqliteGuardFaults(db);
  if (guards.length) problems.push({ check: 'protective_trigger', count: guards.length, sample: guards.slice(0, 3).join('; ') });
  return problems;
}

/** SQLite's own checks of the file: its pages and indexes, and the foreign keys (off while a bulk write ran). */
function storageProblems(db: DB): Problem[] {
  const problems: Problem[] = [];
  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  if (!(integrity.length === 1 && integrity[0].integrity_check === 'ok')) {
    problems.push({ check: 'integrity_check', count: integrity.length, sample: integrity.slice(0, 3).map((r) => r.integrity_check).join('; ') });
  }
  const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  if (fk.length) problems.push({ check: 'foreign_key_check', count: fk.length, sample: fk.slice(0, 3).map((r) => `${r.table}#${r.rowid} → ${r.parent}`).join('; ') });
  return problems;
}

/** The guards of a SQLite database that are not as the migrations wrote them: `name missing` or `name altered`. */
function sqliteGuardFaults(db: DB): string[] {
  const triggers = new Map(
    (db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'").all() as { name: string; sql: string | null }[]).map((r) => [r.name, r.sql ?? '']),
  );
  const faults: string[] = [];
  for (const [name, sql] of protectiveTriggers(schemaVersion(db))) {
    const found = triggers.get(name);
    if (found === undefined) faults.push(`${name} missing`);
    else if (normaliseSql(found) !== normaliseSql(sql)) faults.push(`${name} altered`);
  }
  return faults;
}

/** The function every guard of the PostgreSQL schema calls (pg/schema.ts): its body as written there. */
const PG_REFUSE_BODY = /CREATE FUNCTION salesops_refuse\(\)[^$]*\$\$([\s\S]*?)\$\$/.exec(PG_BASELINE_SQL)?.[1] ?? '';

/**
 * The same on a server (issue 19): each trigger of pg/schema.ts PG_GUARDS on its table as
 * the schema made it (pg_get_triggerdef: event, timing, row or statement, no WHEN, the
 * function and its message), enabled (ALTER TABLE … DISABLE TRIGGER would keep it but
 * silence it), and the function they call still refusing (CREATE OR REPLACE FUNCTION could
 * make every guard let everything through).
 */
function pgGuardFaults(db: DB): string[] {
  const found = new Map(
    (
      db
        .prepare(
          `SELECT t.tgname AS name, t.tgenabled AS enabled, pg_get_triggerdef(t.oid) AS def
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace`,
        )
        .all() as { name: string; enabled: string; def: string }[]
    ).map((r) => [r.name, r]),
  );
  const schema = db.prepare('SELECT quote_ident(current_schema())').pluck().get() as string;
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const faults: string[] = [];
  for (const g of PG_GUARDS) {
    const r = found.get(g.name);
    const def = `CREATE TRIGGER ${g.name} BEFORE ${g.event} ON ${schema}.${g.table} FOR EACH ${g.event === 'TRUNCATE' ? 'STATEMENT' : 'ROW'} EXECUTE FUNCTION salesops_refuse(${quote(g.message)})`;
    if (!r) faults.push(`${g.name} missing`);
    else if (r.def !== def) faults.push(`${g.name} altered`);
    // 'O' fires in every ordinary session, 'A' always; 'D' is disabled, 'R' fires only on a replica
    else if (r.enabled !== 'O' && r.enabled !== 'A') faults.push(`${g.name} disabled`);
  }
  const body = db.prepare("SELECT prosrc FROM pg_proc WHERE proname = 'salesops_refuse' AND pronamespace = current_schema()::regnamespace").pluck().get() as string | undefined;
  if (body === undefined) faults.push('salesops_refuse missing');
  else if (normaliseSql(body) !== normaliseSql(PG_REFUSE_BODY)) faults.push('salesops_refuse altered');
  return faults;
}

/** A file and its plan in the user's language: "buyer file opened 2024-07-01, bought 2024-07-01, 6 plan tasks". */
function planText(p: PlanShape): string {
  const tasks = t(p.cancelled ? 'check.plan.tasks_cancelled' : 'check.plan.tasks', { n: p.tasks, off: p.cancelled });
  if (!p.file) return t('check.plan.no_file', { tasks });
  return p.file.buyer
    ? t('check.plan.buyer_file', { opened: p.file.opened_on, bought: p.file.bought_on ?? '—', tasks })
    : t('check.plan.non_buyer_file', { opened: p.file.opened_on, tasks });
}

/** One customer's sample of plan_disagrees_with_events; the same words on both sides: only deadlines differ. */
function disagreementText(d: PlanDisagreement): string {
  const stored = planText(d.stored);
  const derived = planText(d.derived);
  return t(stored === derived ? 'check.plan.disagrees_deadlines' : 'check.plan.disagrees', { id: d.customer_id, stored, derived });
}

const normaliseSql = (sql: string): string => sql.replace(/;\s*$/, '').replace(/\s+/g, ' ').trim();

/**
 * The triggers the migrations up to `version` leave in the schema, with their SQL as
 * written there (the same text SQLite keeps in sqlite_schema): every one of them guards
 * data (the audit log's UPDATE/DELETE/REPLACE refusals, the customers' delete and replace
 * guards). A later migration that drops or redefines one is followed.
 */
export function protectiveTriggers(version: number = LATEST_VERSION): Map<string, string> {
  const out = new Map<string, string>();
  const statement = /\bCREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?[\s\S]*?\bEND\b|\bDROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?"?(\w+)"?/gi;
  for (const m of migrations) {
    if (m.version > version) continue;
    const sql = m.sql.replace(/--[^\n]*/g, '');
    for (const x of sql.matchAll(statement)) {
      if (x[1]) out.set(x[1], x[0]);
      else out.delete(x[2]);
    }
  }
  return out;
}
