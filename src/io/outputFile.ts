/**
 * Every file salesops writes goes through here (rejects, exports, templates, backups,
 * restores): one guard that refuses a path salesops must never write, and one way to write
 * — a temporary file in the same folder, owner-only (mode 0600, §5), renamed over the
 * target only when complete. A full disk, an error, Ctrl-C or `kill` (SIGINT/SIGTERM) leaves
 * the target as it was and no temporary file behind; what a `kill -9` or a power cut leaves
 * is removed by the next write of the same file (the temporary file's name carries the
 * writer's pid, so only the files of writers that are gone are removed).
 *
 * Refused: the database and its -wal/-shm/-journal files (by path and by inode, so a hard
 * link or another spelling of the path is caught), the input being read, a folder, a
 * missing folder, a symbolic link (a rename would replace the link; writing through it
 * would overwrite whatever it points to), a device or pipe, and — for anything but a
 * database copy — a name ending in .db/.sqlite or an existing SQLite file.
 */
import { stdio } from '../stdio.js';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { EXIT, UserError } from '../errors.js';
import { t, type MessageKey } from '../messages/index.js';
import { busyTimeoutMs, cantOpenError } from '../store/db.js';

export interface OutputGuard {
  /** the live database: never written, nor its -wal/-shm/-journal */
  db?: string;
  /** files being read by the same command */
  inputs?: string[];
  /** what is written, for messages; 'database' allows .db names and SQLite targets (backup, restore) */
  what: 'csv' | 'export' | 'rejects' | 'template' | 'database';
  /** the file name suggested inside a folder given as the target (a server's backup: a pg_dump archive) */
  suggest?: string;
}

const DB_SUFFIXES = ['', '-wal', '-shm', '-journal'];
const DB_NAME = /\.(db|db3|sqlite|sqlite3)$/i;
/** the first 16 bytes of every SQLite database file */
export const SQLITE_MAGIC = 'SQLite format 3\0';
/** the longest file name (in bytes) of Linux, macOS and Windows file systems */
export const NAME_MAX = 255;

/** stat (lstat unless `follow`), null when there is nothing there */
export function statOrNull(p: string, follow = false): fs.Stats | null {
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

/** Whether `p` is a SQLite database file (its first 16 bytes), never following a link. */
export function isSqliteFile(p: string): boolean {
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
  const bytes = Buffer.byteLength(name);
  if (bytes > NAME_MAX) refuse('out.name_too_long', { name: `${Array.from(name).slice(0, 24).join('')}…`, bytes: String(bytes), max: String(NAME_MAX) }, 'out.name_too_long.hint');
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
  if (own?.isDirectory()) refuse('out.is_directory', { path: target, suggest: path.join(target, guard.suggest ?? (guard.what === 'database' ? 'salesops-backup.db' : 'out.csv')) }, 'out.is_directory.hint');
  if (own && !own.isFile()) refuse('out.not_regular', { path: target }, 'out.not_regular.hint');
  const dir = path.dirname(abs);
  const parent = statOrNull(dir, true);
  if (!parent) refuse('out.no_parent', { dir: path.dirname(target) || '.' }, 'out.no_parent.hint');
  if (!parent.isDirectory()) refuse('out.parent_not_dir', { dir: path.dirname(target) }, 'out.no_parent.hint');
  if (guard.what !== 'database') {
    if (DB_NAME.test(name)) refuse('out.database_name', { path: target, what, suggest }, 'out.database_name.hint');
    if (own && isSqliteFile(abs)) refuse('out.is_sqlite', { path: target, what, suggest }, 'out.database_name.hint');
  }
  return abs;
}

/**
 * A fault of the machine or of the database file — full disk, no permission, read-only
 * database, a database that cannot be opened, I/O error, a lock held too long, a name too
 * long — as a UserError that says what happened and what to do (exit 1), instead of "this
 * is a bug". `file` is the file being worked on (the error's own path when it has one).
 * Null for anything else.
 */
export function faultError(e: unknown, file: string): UserError | null {
  if (e instanceof UserError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ?? '';
  const where = err?.path ?? file;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || code === 'SQLITE_FULL') {
    return new UserError(t('fault.disk_full', { path: where }), t('fault.disk_full.hint'));
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new UserError(t('fault.readonly_db', { path: file }), t('fault.readonly_db.hint'));
  }
  // not read-only: a missing folder, a folder in place of the file, no permission… said as such
  if (code.startsWith('SQLITE_CANTOPEN')) return cantOpenError(file || where, err);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')) {
    return new UserError(t('db.busy', { seconds: busySeconds() }), t('db.busy.hint'), EXIT.busy);
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new UserError(t('out.no_permission', { path: where }), t('out.no_permission.hint'));
  }
  if (code === 'ENAMETOOLONG') return new UserError(t('fault.name_too_long', { path: where }), t('out.name_too_long.hint', { max: NAME_MAX }));
  // a folder that is not there (or not a folder) where a file was to be written: /proc, a removed folder
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    const dir = path.dirname(where);
    // a folder that is there but takes no files of ours (/proc) is an I/O fault, not a missing folder
    if (code === 'ENOENT' && statOrNull(dir, true)?.isDirectory()) return new UserError(t('fault.io', { path: where, reason: code }), t('fault.io.hint'));
    return new UserError(t(code === 'ENOENT' ? 'out.no_parent' : 'out.parent_not_dir', { dir }), t('out.no_parent.hint', { dir }));
  }
  if (code === 'EIO' || code.startsWith('SQLITE_IOERR')) return new UserError(t('fault.io', { path: where, reason: code }), t('fault.io.hint'));
  return null;
}

/** The busy timeout in force, in seconds, for the message (a bad SALESOPS_BUSY_TIMEOUT was refused when the database was opened). */
function busySeconds(): number {
  try {
    return Math.round(busyTimeoutMs() / 1000);
  } catch {
    return 30;
  }
}

/** Characters of the target's name kept in the name of its temporary file. */
const TEMP_NAME_CHARS = 20;
/** Bytes gathered in memory before they go to the temporary file (a rejects file: one row at a time). */
const WRITE_BUFFER = 64 * 1024;
/** Files SQLite may make beside a database it writes (the temporary copy of a backup). */
const COMPANIONS = ['-wal', '-shm', '-journal'];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function firstChars(name: string): string {
  return Array.from(name).slice(0, TEMP_NAME_CHARS).join('');
}

/**
 * `.<the first 20 characters of the name>.<pid>.<random>.tmp`: at most about 110 bytes
 * whatever the target's name (a name of up to NAME_MAX bytes plus a suffix would not fit),
 * and the pid tells a later writer whether the one that made it still runs.
 */
function tempName(name: string): string {
  return `.${firstChars(name)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
}

/** Whether process `pid` runs (signal 0 sends nothing); in doubt (another user's process), yes. */
function running(pid: number): boolean {
  if (pid === process.pid || !Number.isSafeInteger(pid) || pid <= 0 || pid > 0x7fffffff) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes what writers of `target` that were killed outright (kill -9, a power cut) left
 * beside it: temporary files named as AtomicFile names them (or with the whole name, as
 * earlier versions did), with their SQLite companions, whose writer's pid no longer runs —
 * ordinary files of this user only; a writer still running keeps its file. Returns the
 * names removed.
 */
export function removeStaleTempsOf(target: string): string[] {
  const abs = path.resolve(target);
  const dir = path.dirname(abs);
  const name = path.basename(abs);
  const re = new RegExp(`^\\.(?:${escapeRe(firstChars(name))}|${escapeRe(name)})\\.(\\d+)\\.[a-z0-9]+\\.tmp(?:${COMPANIONS.join('|')})?$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const removed: string[] = [];
  for (const n of names) {
    const m = re.exec(n);
    if (!m || running(Number(m[1]))) continue;
    const p = path.join(dir, n);
    const st = statOrNull(p);
    if (!st?.isFile() || (uid !== undefined && st.uid !== uid)) continue;
    try {
      fs.unlinkSync(p);
      removed.push(n);
    } catch {
      // removed by another writer meanwhile, or not ours to remove: left as it is
    }
  }
  return removed;
}

/**
 * The temporary files open in this process. While there is one, Ctrl-C (SIGINT) and `kill`
 * (SIGTERM) remove them before salesops exits with the conventional code (128 + signal):
 * the target stays as it was. Node runs the handler between two steps of the event loop,
 * so a rename (or a COMMIT) already started completes first; with no file open, the
 * signals keep their default action (the process ends at once; SQLite rolls back an open
 * transaction).
 */
const live = new Set<AtomicFile>();
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

function onSignal(signal: NodeJS.Signals): void {
  const files = [...live];
  for (const f of files) f.abort();
  const said = new Set(files.map((f) => f.interrupted ?? t('fault.interrupted', { path: f.path })));
  for (const text of said) stdio().stderr.write(text + '\n');
  process.exit(SIGNAL_EXIT[signal as keyof typeof SIGNAL_EXIT] ?? 1);
}

function track(f: AtomicFile, open: boolean): void {
  if (open) {
    if (live.size === 0) for (const s of Object.keys(SIGNAL_EXIT)) process.on(s, onSignal);
    live.add(f);
  } else if (live.delete(f) && live.size === 0) {
    for (const s of Object.keys(SIGNAL_EXIT)) process.off(s, onSignal);
  }
}

/**
 * A file being written: bytes go to a temporary file beside the target (owner-only, created
 * exclusively, never through a link); `publish` flushes it to disk and renames it over the
 * target; `abort` removes it. Writes are synchronous (the target is a local file, and the
 * callers — import, export — produce their rows in order) and gathered up to 64 KiB.
 */
export class AtomicFile {
  readonly path: string;
  readonly tmp: string;
  /** what Ctrl-C says while this file is being written (by default: the file was not written) */
  readonly interrupted?: string;
  private fd: number | null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  private constructor(target: string, abs: string, interrupted?: string) {
    this.path = target;
    this.interrupted = interrupted;
    removeStaleTempsOf(abs);
    this.tmp = path.join(path.dirname(abs), tempName(path.basename(abs)));
    try {
      const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
      this.fd = fs.openSync(this.tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    } catch (e) {
      throw faultError(e, target) ?? e;
    }
    track(this, true);
  }

  /**
   * Checks the target with the guard and opens its temporary file (removing those that
   * writers killed earlier left). `opts.interrupted`: what to say on Ctrl-C instead of
   * "FILE was not written".
   */
  static open(target: string, guard: OutputGuard, opts: { interrupted?: string } = {}): AtomicFile {
    return new AtomicFile(target, checkOutputPath(target, guard), opts.interrupted);
  }

  write(data: string | Uint8Array): void {
    if (this.fd === null) throw new Error('AtomicFile: write after close');
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    try {
      if (this.pendingBytes + buf.length < WRITE_BUFFER) {
        // a copy of bytes the caller may reuse; a string's own buffer is already one
        this.pending.push(typeof data === 'string' ? (buf as Buffer) : Buffer.from(buf));
        this.pendingBytes += buf.length;
        return;
      }
      this.drain();
      this.writeAll(buf);
    } catch (e) {
      this.abort();
      throw faultError(e, this.path) ?? e;
    }
  }

  /** Writes what is gathered. */
  private drain(): void {
    if (this.pendingBytes === 0) return;
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.writeAll(all);
  }

  /** All of `buf`: write(2) may write fewer bytes than asked (a signal, a nearly full disk). */
  private writeAll(buf: Uint8Array): void {
    for (let off = 0; off < buf.length; ) {
      const n = fs.writeSync(this.fd!, buf, off, buf.length - off);
      if (n <= 0) throw Object.assign(new Error(`write returned ${n}`), { code: 'EIO' });
      off += n;
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
      this.drain();
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = null;
    } catch (e) {
      this.abort();
      throw faultError(e, this.path) ?? e;
    }
  }

  /** Flushes (if not yet) and renames the temporary file over the target. */
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
    track(this, false);
  }

  /** Removes the temporary file (and SQLite's companions of it); the target stays as it was. Safe to call twice. */
  abort(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already unusable; the file is removed below
      }
      this.fd = null;
    }
    this.pending = [];
    this.pendingBytes = 0;
    track(this, false);
    for (const s of ['', ...COMPANIONS]) {
      try {
        fs.rmSync(this.tmp + s, { force: true });
      } catch {
        // a folder made read-only meanwhile: the next writer of the target removes it
      }
    }
  }
}

/** Writes a whole small file atomically (templates, policy exports). */
export function writeFileAtomic(target: string, data: string | Uint8Array, guard: OutputGuard): void {
  const f = AtomicFile.open(target, guard);
  f.write(data);
  f.publish();
}
