/**
 * Every file salesops writes goes through here (rejects, exports, templates, backups,
 * restores): one guard that refuses a path salesops must never write, and one way to write
 * — a temporary file in the same folder, owner-only (mode 0600, §5), renamed over the
 * target only when complete. A kill, a full disk or an error leaves the target as it was
 * and no temporary file behind.
 *
 * Refused: the database and its -wal/-shm/-journal files (by path and by inode, so a hard
 * link or another spelling of the path is caught), the input being read, a folder, a
 * missing folder, a symbolic link (a rename would replace the link; writing through it
 * would overwrite whatever it points to), a device or pipe, and — for anything but a
 * database copy — a name ending in .db/.sqlite or an existing SQLite file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { t, type MessageKey } from '../messages/index.js';

export interface OutputGuard {
  /** the live database: never written, nor its -wal/-shm/-journal */
  db?: string;
  /** files being read by the same command */
  inputs?: string[];
  /** what is written, for messages; 'database' allows .db names and SQLite targets (backup, restore) */
  what: 'csv' | 'export' | 'rejects' | 'template' | 'database';
}

const DB_SUFFIXES = ['', '-wal', '-shm', '-journal'];
const DB_NAME = /\.(db|db3|sqlite|sqlite3)$/i;
const SQLITE_MAGIC = 'SQLite format 3\0';

function statOrNull(p: string, follow = false): fs.Stats | null {
  try {
    return follow ? fs.statSync(p) : fs.lstatSync(p);
  } catch {
    return null;
  }
}

function sameFile(a: fs.Stats | null, b: fs.Stats | null): boolean {
  return a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;
}

/**
 * Whether `p` names the database `db` or one of its -wal/-shm/-journal files: by path, by
 * the real path behind links, or as the same file (device and inode: a hard link, another
 * spelling of the path).
 */
export function namesDatabase(p: string, db: string): boolean {
  const abs = path.resolve(p);
  const bases = new Set([path.resolve(db)]);
  try {
    bases.add(fs.realpathSync(db));
  } catch {
    // no database yet (init): its path is enough
  }
  let real: string | null = null;
  try {
    real = fs.realpathSync(abs);
  } catch {
    // not there
  }
  const st = statOrNull(abs, true);
  for (const base of bases) {
    for (const s of DB_SUFFIXES) {
      if (abs === base + s || real === base + s || sameFile(st, statOrNull(base + s, true))) return true;
    }
  }
  return false;
}

function isSqliteFile(p: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const buf = Buffer.alloc(16);
    return fs.readSync(fd, buf, 0, 16, 0) === 16 && buf.toString('latin1') === SQLITE_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function refuse(key: MessageKey, params: Record<string, string>, hint?: MessageKey): never {
  throw new UserError(t(key, params), hint ? t(hint, params) : undefined);
}

/**
 * Checks that `target` may be written; returns its absolute path. Throws a UserError that
 * says what to do otherwise. Called before any work starts, so that a bad `--out` or
 * `--rejects` fails before the database is touched.
 */
export function checkOutputPath(target: string, guard: OutputGuard): string {
  const abs = path.resolve(target);
  const name = path.basename(abs);
  const stem = name.replace(/\.[^.]*$/, '') || 'out';
  const suggest = path.join(path.dirname(target), `${stem}.csv`);
  const what = t(`fault.what.${guard.what === 'database' ? 'csv' : guard.what}` as MessageKey);
  const own = statOrNull(abs);
  const real = statOrNull(abs, true);
  if (guard.db && namesDatabase(abs, guard.db)) refuse('out.is_database', { path: target, name: stem }, 'out.is_database.hint');
  for (const input of guard.inputs ?? []) {
    if (path.resolve(input) === abs || sameFile(statOrNull(input, true), real)) {
      refuse('out.is_input', { path: target, suggest: path.join(path.dirname(target), `${stem}-rejects.csv`) }, 'out.is_input.hint');
    }
  }
  if (own?.isSymbolicLink()) refuse('out.symlink', { path: target }, 'out.symlink.hint');
  if (own?.isDirectory()) refuse('out.is_directory', { path: target, suggest: path.join(target, guard.what === 'database' ? 'salesops-backup.db' : 'out.csv') }, 'out.is_directory.hint');
  if (own && !own.isFile()) refuse('out.not_regular', { path: target }, 'out.not_regular.hint');
  const dir = path.dirname(abs);
  const parent = statOrNull(dir, true);
  if (!parent) refuse('out.no_parent', { dir: path.dirname(target) || '.' }, 'out.no_parent.hint');
  if (!parent.isDirectory()) refuse('out.parent_not_dir', { dir: path.dirname(target) }, 'out.no_parent.hint');
  if (guard.what !== 'database') {
    if (DB_NAME.test(name)) refuse('out.database_name', { path: target, what, suggest }, 'out.database_name.hint');
    if (own && isSqliteFile(abs)) refuse('out.is_sqlite', { path: target, what }, 'out.database_name.hint');
  }
  return abs;
}

/**
 * A fault of the machine or of the database file — full disk, no permission, read-only
 * database, I/O error, a lock held too long — as a UserError that says what happened and
 * what to do (exit 1), instead of "this is a bug". `file` is the file being worked on
 * (the error's own path when it has one). Null for anything else.
 */
export function faultError(e: unknown, file: string): UserError | null {
  if (e instanceof UserError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ?? '';
  const where = err?.path ?? file;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || code === 'SQLITE_FULL') {
    return new UserError(t('fault.disk_full', { path: where }), t('fault.disk_full.hint'));
  }
  if (code.startsWith('SQLITE_READONLY') || (code === 'SQLITE_CANTOPEN' && file)) {
    return new UserError(t('fault.readonly_db', { path: file }), t('fault.readonly_db.hint'));
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')) {
    return new UserError(t('db.busy', { seconds: Math.round(busyTimeoutSeconds()) }), t('db.busy.hint'));
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new UserError(t('out.no_permission', { path: where }), t('out.no_permission.hint'));
  }
  if (code === 'EIO' || code.startsWith('SQLITE_IOERR')) return new UserError(t('fault.io', { path: where, reason: code }), t('fault.io.hint'));
  return null;
}

function busyTimeoutSeconds(): number {
  const v = Number(process.env.SALESOPS_BUSY_TIMEOUT);
  return process.env.SALESOPS_BUSY_TIMEOUT?.trim() && Number.isFinite(v) && v >= 0 ? v : 30;
}

/**
 * A file being written: bytes go to a temporary file beside the target (owner-only, created
 * exclusively, never through a link); `commit` flushes it to disk and renames it over the
 * target; `abort` removes it. Writes are synchronous: the target is a local file, and the
 * callers (import, export) already produce their rows in order.
 */
export class AtomicFile {
  readonly path: string;
  readonly tmp: string;
  private fd: number | null;

  private constructor(target: string, abs: string) {
    this.path = target;
    const rand = Math.random().toString(36).slice(2, 8);
    this.tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${rand}.tmp`);
    try {
      const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
      this.fd = fs.openSync(this.tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    } catch (e) {
      throw faultError(e, target) ?? e;
    }
  }

  /** Checks the target with the guard and opens its temporary file. */
  static open(target: string, guard: OutputGuard): AtomicFile {
    return new AtomicFile(target, checkOutputPath(target, guard));
  }

  write(data: string | Uint8Array): void {
    if (this.fd === null) throw new Error('AtomicFile: write after close');
    try {
      if (typeof data === 'string') fs.writeSync(this.fd, data);
      else {
        let off = 0;
        while (off < data.length) off += fs.writeSync(this.fd, data, off, data.length - off);
      }
    } catch (e) {
      this.abort();
      throw faultError(e, this.path) ?? e;
    }
  }

  /**
   * Flushes the temporary file to disk, so that a crash after the rename finds the whole
   * file; the rename itself is done by `publish` (the caller may commit the database in
   * between, so that no failure leaves one without the other).
   */
  flush(): void {
    if (this.fd === null) return;
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = null;
    } catch (e) {
      this.abort();
      throw faultError(e, this.path) ?? e;
    }
  }

  /** Renames the flushed temporary file over the target. */
  publish(): void {
    this.flush();
    try {
      // mode again: an existing target's mode does not carry over a rename, but be explicit
      fs.chmodSync(this.tmp, 0o600);
      fs.renameSync(this.tmp, path.resolve(this.path));
    } catch (e) {
      this.abort();
      throw faultError(e, this.path) ?? e;
    }
  }

  /** flush + publish */
  commit(): void {
    this.publish();
  }

  /** Removes the temporary file; the target stays as it was. Safe to call twice. */
  abort(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already unusable; the file is removed below
      }
      this.fd = null;
    }
    fs.rmSync(this.tmp, { force: true });
  }
}

/** Writes a whole small file atomically (templates, policy exports). */
export function writeFileAtomic(target: string, data: string | Uint8Array, guard: OutputGuard): void {
  const f = AtomicFile.open(target, guard);
  f.write(data);
  f.commit();
}
