/**
 * `backup FILE` of a database on a PostgreSQL server (issue 19: "a pg_dump-compatible or a
 * SQLite copy, say which, and how to restore"): a pg_dump archive in its custom format
 * (`pg_dump -Fc`), restored by PostgreSQL's own `pg_restore` into an empty database. Why
 * pg_dump rather than a SQLite copy: it is the server's own consistent snapshot (one
 * REPEATABLE READ transaction, writers never blocked), it keeps what a SQLite file cannot
 * hold (the guards' triggers, the clerks' grants, the identity sequences), and every
 * administrator knows how to restore it; a SQLite copy is `salesops db copy`'s job.
 *
 * The same guarantees as a SQLite backup (maintenance.ts backupTo): written into an
 * owner-only temporary file beside FILE, flushed, its size and SHA-256 in the audit log,
 * and only then given its name. The password reaches pg_dump through its environment
 * (PGPASSWORD), never its command line, where any user of the machine could read it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { UserError } from '../errors.js';
import { t } from '../messages/index.js';
import { stdio } from '../stdio.js';
import type { PgConfig } from './pg/pgBridge.js';
import type { PgDatabase } from './pg/pgDb.js';

/** The first bytes of every pg_dump archive in custom format. */
export const PG_DUMP_MAGIC = 'PGDMP';

/** Whether `p` is a pg_dump archive (custom format): an earlier backup of a server's database, which backup may replace. */
export function isPgDumpArchive(p: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const head = Buffer.alloc(PG_DUMP_MAGIC.length);
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === PG_DUMP_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (asynchronously: the command's own event loop goes on). ENOENT: not installed. */
function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A libpq connection string's value, quoted (libpq: single quotes, `\` escaping `'` and `\`). */
const conninfoValue = (v: string | number): string => `'${String(v).replace(/[\\']/g, '\\$&')}'`;

/**
 * Where pg_dump connects: the address the command was given, as the bridge read it (pgBridge
 * pgConfig: the URL, then PGHOST, PGUSER… and PGSSLMODE with libpq's own meaning, which
 * pg_dump has natively) — as a connection string without the password on the command line,
 * the password in the child's environment only.
 */
function dumpConnection(c: PgConfig, env: NodeJS.ProcessEnv): { conninfo: string; env: NodeJS.ProcessEnv } {
  const parts: [string, string | number | undefined][] = [
    ['host', c.host],
    ['port', c.port],
    ['dbname', c.database],
    ['user', c.user],
    ['sslmode', c.sslmode],
    ['sslrootcert', c.sslrootcert],
    ['application_name', 'salesops backup'],
  ];
  const conninfo = parts
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${conninfoValue(v)}`)
    .join(' ');
  const childEnv: NodeJS.ProcessEnv = { ...env };
  if (c.password !== undefined) childEnv.PGPASSWORD = c.password;
  return { conninfo, env: childEnv };
}

/** The pg_dump on PATH, refused (exit 1, saying what to install) when there is none or it is older than the server. */
async function checkPgDump(env: NodeJS.ProcessEnv, serverVersion: number): Promise<void> {
  // server_version_num: 150018 is 15.18 (10 and later: major × 10000)
  const server = Math.floor(serverVersion / 10000);
  let ran: Ran;
  try {
    ran = await run('pg_dump', ['--version'], env);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
    throw new UserError(t('backup.pg_dump_missing'), t('backup.pg_dump_missing.hint', { major: server }));
  }
  const m = /\(PostgreSQL\)\s+((\d+)[\w.]*)/.exec(ran.stdout);
  if (ran.code !== 0 || !m) throw new UserError(t('backup.pg_dump_missing'), t('backup.pg_dump_missing.hint', { major: server }));
  // pg_dump refuses a newer server itself ("server version mismatch"): said first, with what to
  // install (a 9.x pg_dump reads as 9: older than any server the schema runs on, 11 and later)
  if (Number(m[2]) < server) throw new UserError(t('backup.pg_dump_old', { found: m[1], server }), t('backup.pg_dump_missing.hint', { major: server }));
}

/**
 * The archive of the whole database in `tmp` (an empty owner-only file of the caller's,
 * which pg_dump writes into, keeping its mode). Refused as a backup's error, with pg_dump's
 * own words, when it fails.
 */
export async function pgDumpInto(db: PgDatabase, tmp: string): Promise<void> {
  const env = stdio().env;
  await checkPgDump(env, db.conn.serverVersion);
  const c = dumpConnection(db.conn.config, env);
  // --no-password: never a prompt on the terminal (the bridge found the password, or none is needed)
  const ran = await run('pg_dump', ['--format=custom', '--no-password', `--file=${tmp}`, `--dbname=${c.conninfo}`], c.env);
  if (ran.code !== 0) {
    // the disk full (or the file-size limit: SIGXFSZ stops pg_dump, a child of ours) is the
    // machine's fault, said as such for FILE by the caller, as for a SQLite backup
    if (ran.signal === 'SIGXFSZ' || /No space left on device|File too large|Disk quota exceeded/i.test(ran.stderr)) {
      throw Object.assign(new Error(ran.stderr.trim() || 'SIGXFSZ'), { code: /quota/i.test(ran.stderr) ? 'EDQUOT' : 'ENOSPC' });
    }
    const reason = ran.stderr.trim().split('\n').filter(Boolean).pop()?.replace(/^pg_dump:\s*(error:\s*)?/, '') || (ran.signal ? `stopped by ${ran.signal}` : `exit ${ran.code}`);
    throw new UserError(t('backup.pg_dump_failed', { address: db.name, reason }), t('backup.pg_dump_failed.hint'));
  }
}
