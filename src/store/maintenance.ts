/**
 * Backups, restores and integrity checks (SPEC §7: nothing lost; §5: on record).
 *
 * `backup` copies through SQLite's online backup API into a temporary file beside the
 * target (owner-only), then records the copy (size, SHA-256) in the audit log and gives it
 * its name in one step. `restore` copies a backup into a temporary file beside the database,
 * checks that copy (integrity, a salesops schema not newer than this program), upgrades it
 * if older and records the restore in it; then, holding the database exclusively, keeps the
 * current database beside it and renames the checked copy over it. A kill at any moment
 * leaves either the old database or the restored one, whole.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDb, schemaVersion, type DB } from './db.js';
import { appendAudit, type AuditEntry } from './audit.js';
import { LATEST_VERSION, migrations } from './migrations.js';
import { parsePolicy } from '../domain/policyDocument.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { UserError } from '../errors.js';
import { t, type MessageKey } from '../messages/index.js';
import { AtomicFile, faultError, namesDatabase, type OutputGuard } from '../io/outputFile.js';

const COMPANIONS = ['', '-wal', '-shm', '-journal'];
const SQLITE_MAGIC = 'SQLite format 3\0';
const CHUNK = 1 << 20;

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/** Removes a SQLite file and the companions SQLite may have left beside it. */
function removeWithCompanions(p: string): void {
  for (const s of COMPANIONS) fs.rmSync(p + s, { force: true });
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

/** Copies all bytes of an open file into another, flushed to disk; returns their size and SHA-256. */
function copyFd(from: number, to: number): { bytes: number; sha256: string } {
  const hash = crypto.createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  let pos = 0;
  for (;;) {
    const n = fs.readSync(from, buf, 0, CHUNK, pos);
    if (n === 0) break;
    hash.update(buf.subarray(0, n));
    let off = 0;
    while (off < n) off += fs.writeSync(to, buf, off, n - off, pos + off);
    pos += n;
  }
  fs.fsyncSync(to);
  return { bytes: pos, sha256: hash.digest('hex') };
}

/** Size and SHA-256 of a file. */
export function fileDigest(p: string): { bytes: number; sha256: string } {
  const fd = fs.openSync(p, 'r');
  try {
    const hash = crypto.createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      pos += n;
    }
    return { bytes: pos, sha256: hash.digest('hex') };
  } finally {
    fs.closeSync(fd);
  }
}

/** The name of a temporary file of this process in `dir`: hidden, and findable again by `removeStaleTemps`. */
function tempName(dir: string, base: string, kind: 'restore' | 'keep'): string {
  return path.join(dir, `.${base}.${kind}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporary files of restores (or backups) that were killed: their process is gone, so are they. */
function removeStaleTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const esc = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\.${esc}\\.(?:(?:restore|keep)-)?(\\d+)[.-][a-z0-9]+\\.tmp(?:-wal|-shm|-journal)?$`);
  for (const name of names) {
    const m = re.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/** SQLite's online backup API: a consistent copy while other commands keep writing. */
export async function backupTo(db: DB, file: string, guard: OutputGuard): Promise<{ file: string; pages: number; bytes: number; sha256: string }> {
  // the guard (database, companions, folder, missing folder, link…) before anything is written
  const out = AtomicFile.open(file, guard);
  const abs = path.resolve(file);
  removeStaleTemps(path.dirname(abs), path.basename(abs));
  let published = false;
  try {
    // owner-only from the first byte; SQLite writes into the empty file through its own handle
    out.flush();
    const r = await db.backup(out.tmp);
    // the copy's own journal, if SQLite left one (it does not after a complete backup)
    for (const s of COMPANIONS.slice(1)) fs.rmSync(out.tmp + s, { force: true });
    fsyncFile(out.tmp);
    const digest = fileDigest(out.tmp);
    // the audit entry and the name in one step: if the rename fails the entry rolls back,
    // and a copy never carries its name without its entry (§5: where the data went, on record)
    db.transaction(() => {
      appendAudit(db, { action: 'backup', approved_by: null, reason: null, subject: abs, detail: `bytes=${digest.bytes} sha256=${digest.sha256}` });
      out.publish();
      published = true;
    }).immediate();
    fsyncDir(path.dirname(abs));
    return { file: abs, pages: r.totalPages, ...digest };
  } catch (e) {
    // named but its entry not committed: not kept
    if (published) fs.rmSync(abs, { force: true });
    out.abort();
    for (const s of COMPANIONS.slice(1)) fs.rmSync(out.tmp + s, { force: true });
    throw faultError(e, file) ?? e;
  }
}

export type RestorePhase = 'copied' | 'checked' | 'locked' | 'kept' | 'replaced';

export interface RestoreResult {
  file: string;
  db: string;
  bytes: number;
  sha256: string;
  /** the backup's schema version, before any upgrade */
  fromVersion: number;
  version: number;
  /** where the replaced database is kept; null when there was none */
  kept: string | null;
  /** the replaced database could not be opened (kept as it was) */
  damaged: string | null;
}

export interface RestoreOptions {
  /** how long to wait for other commands to close the database */
  busyTimeoutMs: number;
  /** called at each phase (progress; tests stop the process there) */
  at?: (phase: RestorePhase, info: Record<string, string | number>) => Promise<void> | void;
}

function refuse(key: MessageKey, params: Record<string, string | number>): never {
  throw new UserError(t(key, params), t(`${key}.hint` as MessageKey, params));
}

const sqliteCode = (e: unknown): string => String((e as { code?: unknown })?.code ?? '');
const isDamage = (e: unknown): boolean => /^SQLITE_(NOTADB|CORRUPT)/.test(sqliteCode(e));

/** Local time as 20240731-142501, for the name of the kept database. */
function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** `<db>.replaced-<timestamp>`, with -2, -3… when a restore in the same second left one. */
function keptName(db: string): string {
  const base = `${db}.replaced-${stamp()}`;
  let name = base;
  for (let i = 2; COMPANIONS.some((s) => lstatOrNull(name + s)); i++) name = `${base}-${i}`;
  return name;
}

/** Gives a complete temporary file its name without ever overwriting one. */
function publishNew(tmp: string, name: string): void {
  try {
    fs.linkSync(tmp, name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') refuse('restore.kept_exists', { path: name });
    // a file system without hard links: the name was free a moment ago
    if (lstatOrNull(name)) refuse('restore.kept_exists', { path: name });
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

/**
 * Folds the database's WAL into the file and holds it exclusively: leaving WAL mode needs
 * every other connection closed (SQLite refuses at once otherwise, so this retries until
 * the busy timeout), checkpoints every committed change into the file and removes the -wal
 * and -shm files; the exclusive locking mode then keeps every other connection out, readers
 * included, until this one closes.
 */
async function foldAndLock(a: DB, shown: string, timeoutMs: number): Promise<void> {
  a.pragma('locking_mode = EXCLUSIVE');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let mode: unknown;
    try {
      mode = a.pragma('journal_mode = DELETE', { simple: true });
    } catch (e) {
      if (!sqliteCode(e).startsWith('SQLITE_BUSY') && !sqliteCode(e).startsWith('SQLITE_LOCKED')) throw e;
    }
    if (mode === 'delete') break;
    if (Date.now() >= deadline) refuse('restore.in_use', { path: shown });
    await new Promise((r) => setTimeout(r, 50));
  }
  // a write lock too: nothing reads or writes the file until this connection closes
  a.exec('BEGIN EXCLUSIVE');
  a.exec('COMMIT');
}

/**
 * `salesops restore FILE`: see the top of this file. Every refusal comes before the
 * database is touched. Phases, in order: copied, checked (the database not yet touched),
 * locked, kept (the database still as it was), replaced.
 */
export async function restoreFrom(dbPath: string, file: string, opts: RestoreOptions): Promise<RestoreResult> {
  const at = opts.at ?? (() => {});
  const shownDb = dbPath;
  // a database reached through a link is replaced where it lives, not the link
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
  const st = statOrNull(src);
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
    if (n < 100 || head.toString('latin1', 0, 16) !== SQLITE_MAGIC) refuse('restore.not_sqlite', { path: file });
    if ((statOrNull(`${src}-wal`)?.size ?? 0) > 0) refuse('restore.source_wal', { path: file });
    if (!statOrNull(dir)?.isDirectory()) throw new UserError(t('out.no_parent', { dir: path.dirname(dbPath) }), t('out.no_parent.hint', { dir: path.dirname(dbPath) }));

    removeStaleTemps(dir, base);
    const tmp = tempName(dir, base, 'restore');
    const keepTmp = tempName(dir, base, 'keep');
    try {
      // 2. a copy beside the database (same file system: the final rename is atomic); the
      // checks run on this copy, the very bytes that become the database, and the backup
      // itself is only read (SQLite would leave -wal/-shm files beside it)
      let digest: { bytes: number; sha256: string };
      const fd = createExclusive(tmp);
      try {
        digest = copyFd(srcFd, fd);
      } finally {
        fs.closeSync(fd);
      }
      await at('copied', { file, bytes: digest.bytes, sha256: digest.sha256 });

      // 3. integrity, a salesops schema, not newer; then upgraded if older (openDb)
      const fromVersion = checkCandidate(tmp, file);
      const restored = openDb(tmp);
      let a: DB | undefined;
      let oldFd: number | undefined;
      try {
        const version = schemaVersion(restored);
        await at('checked', { file, version, db: shownDb });
        const exists = lstatOrNull(dbAbs) !== null;
        const kept = exists ? keptName(dbAbs) : null;
        const result: RestoreResult = { file: src, db: dbAbs, ...digest, fromVersion, version, kept, damaged: null };

        // 4. the current database, held exclusively with every change folded into the file
        let oldAudit: AuditRow[] = [];
        if (exists) {
          a = new Database(dbAbs, { fileMustExist: true, timeout: opts.busyTimeoutMs });
          try {
            const v = schemaVersion(a);
            if (v === 0 && (a.prepare("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").pluck(true).get() as number) > 0) {
              refuse('restore.db_foreign', { path: shownDb });
            }
            await foldAndLock(a, shownDb, opts.busyTimeoutMs);
            oldAudit = readAudit(a);
          } catch (e) {
            if (!isDamage(e)) throw e;
            // it cannot even be read: kept as it is, with its WAL (below)
            result.damaged = (e as Error).message;
            a.close();
          }
          if (!result.damaged) await at('locked', { db: shownDb });
        }

        // 5. the restore recorded in the restored database, so that it takes the database's
        // name with its audit entry; the audit log is append-only across a restore too: the
        // entries written since the backup (reveals, exports, backups) are carried over first
        const carried = carryAudit(restored, oldAudit);
        const detail = [`sha256=${digest.sha256}`, `bytes=${digest.bytes}`, `schema=${fromVersion}${fromVersion < version ? `->${version}` : ''}`];
        detail.push(`kept=${kept ? path.basename(kept) : '-'}`, `carried=${carried}`);
        appendAudit(restored, { action: 'restore', approved_by: null, reason: null, subject: src, detail: detail.join(' ') });
        // the last connection: its WAL is checkpointed into the file and removed
        restored.close();
        for (const s of ['-wal', '-shm', '-journal']) fs.rmSync(tmp + s, { force: true });
        fsyncFile(tmp);
        fs.chmodSync(tmp, 0o600);

        if (!kept) {
          // no database yet: stale companions of a database that is gone must not apply to this one
          for (const s of ['-wal', '-shm', '-journal']) fs.rmSync(dbAbs + s, { force: true });
          fs.renameSync(tmp, dbAbs);
          fsyncDir(dir);
        } else if (!result.damaged) {
          // 6. a copy of the current database beside it, read through a handle of our own that
          // stays open until the connection closes (closing any handle of a file drops this
          // process's locks on it), with a note in its own log of what replaced it
          oldFd = fs.openSync(dbAbs, 'r+');
          const kfd = createExclusive(keepTmp);
          try {
            copyFd(oldFd, kfd);
          } finally {
            fs.closeSync(kfd);
          }
          noteReplaced(keepTmp, src, digest.sha256, kept);
          publishNew(keepTmp, kept);
          fsyncDir(dir);
          await at('kept', { kept });
          // the rollback journal left by the switch out of WAL is committed (zeroed), but is
          // never left beside the new database; nor are a -wal or -shm (there are none)
          for (const s of ['-journal', '-wal', '-shm']) fs.rmSync(dbAbs + s, { force: true });
          // 7. the switch: one rename, the old database or the new one at every moment
          fs.renameSync(tmp, dbAbs);
          fsyncDir(dir);
          // a command that opened the old file in the last instant finds it empty (and stops,
          // "no database") instead of writing where nobody would look
          fs.ftruncateSync(oldFd, 0);
        } else {
          fs.copyFileSync(dbAbs, keepTmp);
          fs.chmodSync(keepTmp, 0o600);
          fsyncFile(keepTmp);
          publishNew(keepTmp, kept);
          if (statOrNull(`${dbAbs}-wal`)) {
            fs.copyFileSync(`${dbAbs}-wal`, `${kept}-wal`, fs.constants.COPYFILE_EXCL);
            fs.chmodSync(`${kept}-wal`, 0o600);
          }
          fsyncDir(dir);
          await at('kept', { kept });
          for (const s of ['-wal', '-shm', '-journal']) fs.rmSync(dbAbs + s, { force: true });
          fs.renameSync(tmp, dbAbs);
          fsyncDir(dir);
        }
        if (a?.open) a.close();
        if (oldFd !== undefined) fs.closeSync(oldFd);
        oldFd = undefined;
        await at('replaced', { db: shownDb });
        return result;
      } finally {
        if (restored.open) restored.close();
        if (a?.open) a.close();
        if (oldFd !== undefined) fs.closeSync(oldFd);
      }
    } catch (e) {
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

/** The replaced database's own log says what replaced it (best effort: it may be damaged). */
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
    for (const s of ['-wal', '-shm', '-journal']) fs.rmSync(keptTmp + s, { force: true });
  }
}

export interface Problem {
  check: string;
  count: number;
  sample: string;
}

/** The database's own checks, then the domain's invariants. Empty when all is well. */
export function runChecks(db: DB): Problem[] {
  const problems: Problem[] = [];
  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  if (!(integrity.length === 1 && integrity[0].integrity_check === 'ok')) {
    problems.push({ check: 'integrity_check', count: integrity.length, sample: integrity.slice(0, 3).map((r) => r.integrity_check).join('; ') });
  }
  const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  if (fk.length) problems.push({ check: 'foreign_key_check', count: fk.length, sample: fk.slice(0, 3).map((r) => `${r.table}#${r.rowid} → ${r.parent}`).join('; ') });
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
    `SELECT 'task ' || t.task_id || ' staff ' || ifnull(t.staff_id, '-') || ' owner ' || ifnull(c.owner_id, '-') AS sample
       FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
      WHERE t.status = 'open' AND t.role = 'rep' AND t.staff_id IS NOT c.owner_id`,
  );
  invariant(
    'task_done_without_date',
    `SELECT 'task ' || task_id AS sample FROM tasks WHERE (status = 'done') <> (done_on IS NOT NULL)`,
  );
  // money: a purchase at an event recorded with an amount has its order, with the same amount
  invariant(
    'event_purchase_without_order',
    `SELECT 'event ' || e.event_id AS sample FROM events e
      WHERE e.purchased = 1 AND e.amount_fen IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = e.customer_id AND o.order_date = e.event_date AND o.source = 'event' AND o.amount_fen = e.amount_fen)`,
  );
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
  const triggers = new Map(
    (db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'").all() as { name: string; sql: string | null }[]).map((r) => [r.name, r.sql ?? '']),
  );
  const guards: string[] = [];
  for (const [name, sql] of protectiveTriggers(schemaVersion(db))) {
    const found = triggers.get(name);
    if (found === undefined) guards.push(`${name} missing`);
    else if (normaliseSql(found) !== normaliseSql(sql)) guards.push(`${name} altered`);
  }
  if (guards.length) problems.push({ check: 'protective_trigger', count: guards.length, sample: guards.slice(0, 3).join('; ') });
  return problems;
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
