/**
 * End-to-end harness: runs salesops, built (dist/; `npm test` builds first), against a
 * temporary database and real files, and returns exit code, stdout and stderr. A run is in
 * the test's own process by default (inProcess.ts: `runCli` with captured streams); with
 * `{ process: true }`, or through `runBin`, it is the binary (bin/salesops.js) as a child
 * process: for what only a process shows. SALESOPS_TEST_BINARY=1 runs every one as a process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import iconv from 'iconv-lite';
import Database from 'better-sqlite3';
import type { ChangeEntry } from '../../src/store/changes.js';
import { runInProcess } from './inProcess.js';
import { pgSandboxDatabase, type PgSandboxDatabase } from './pgSandbox.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(ROOT, 'bin/salesops.js');

export interface RunResult {
  /** the exit code, -1 when killed by a signal */
  code: number;
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  asOf?: string | null;
  lang?: string;
  env?: Record<string, string>;
  input?: string;
  cwd?: string;
  /**
   * run the binary as a child process rather than in the test's process: for signals, a
   * second process holding a lock, the exit of the binary itself. Implied by `input` and by
   * SALESOPS_TEST_PAUSE in `env` (the run stops its own process).
   */
  process?: boolean;
}

/** The environment of a run: this process's, without colour, in English, no database named. */
function runEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  // a developer's own PostgreSQL settings (libpq's variables) never reach a test's run (issue 19)
  const base = { ...process.env };
  for (const k of ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGPASSFILE', 'PGSSLMODE', 'PGSERVICE']) delete base[k];
  return { ...base, NO_COLOR: '1', LANG: 'en_US.UTF-8', SALESOPS_DB: '', ...env };
}

/** Every run as a process (SALESOPS_TEST_BINARY=1): checks the in-process runs against the binary. */
const ALWAYS_BINARY = process.env.SALESOPS_TEST_BINARY === '1';

/** Runs the built binary with `args` as a child process and resolves when it exits (never by a timer). */
export function runBin(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd,
      env: runEnv(opts.env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
}

export interface Sandbox {
  dir: string;
  db: string;
  /**
   * runs `salesops --db <db> --lang en --as-of <asOf> ...args`, in process unless
   * `opts.process`; a process is waited for asynchronously (a blocking spawnSync would stall
   * the vitest worker on a loaded machine)
   */
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** writes a CSV (utf8 | utf8-bom | gbk | utf16le), CRLF when asked, returns its path */
  file(name: string, text: string, opts?: { encoding?: 'utf8' | 'utf8-bom' | 'gbk' | 'utf16le'; crlf?: boolean }): string;
  /** rows of a query against the database (read-only) */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  /** runs SQL against the database (read-write), as someone with sqlite3 (or psql) at hand could; one statement when given parameters */
  exec(sql: string, ...params: unknown[]): void;
  cleanup(): void;
}

/**
 * The engine the end-to-end tests run on (issue 19): SQLite files, or with
 * SALESOPS_TEST_ENGINE=postgres a fresh database on the test server for each sandbox.
 */
export const TEST_ENGINE: 'sqlite' | 'postgres' = process.env.SALESOPS_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export type Engine = 'sqlite' | 'postgres';

/** A sandbox on the run's engine (TEST_ENGINE), or on the one a test names (`engine`: a test of the server itself). */
export function sandbox(defaultAsOf = '2024-07-31', opts: { template?: string; engine?: Engine } = {}): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-test-'));
  const pg: PgSandboxDatabase | null = (opts.engine ?? TEST_ENGINE) === 'postgres' ? pgSandboxDatabase(opts.template) : null;
  const db = pg ? pg.url : path.join(dir, 'test.db');
  return {
    dir,
    db,
    run(args, opts = {}) {
      const asOf = opts.asOf === undefined ? defaultAsOf : opts.asOf;
      const full = ['--db', db, '--lang', opts.lang ?? 'en', ...(asOf ? ['--as-of', asOf] : []), ...args];
      const cwd = opts.cwd ?? dir;
      const asProcess = ALWAYS_BINARY || opts.process || opts.input !== undefined || opts.env?.SALESOPS_TEST_PAUSE !== undefined;
      if (asProcess) return runBin(full, { cwd, env: opts.env, input: opts.input });
      return runInProcess(ROOT, full, { cwd, env: runEnv(opts.env) });
    },
    file(name, text, opts = {}) {
      const p = path.join(dir, name);
      const body = opts.crlf ? text.replace(/\r?\n/g, '\r\n') : text;
      const enc = opts.encoding ?? 'utf8';
      let buf: Buffer;
      if (enc === 'gbk') buf = iconv.encode(body, 'gbk');
      else if (enc === 'utf16le') buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]);
      else buf = Buffer.from((enc === 'utf8-bom' ? '\ufeff' : '') + body, 'utf8');
      fs.writeFileSync(p, buf);
      return p;
    },
    query<T>(sql: string, ...params: unknown[]): T[] {
      if (pg) return pg.all(sql, params) as T[];
      const d = new Database(db, { readonly: true });
      try {
        return d.prepare(sql).all(...params) as T[];
      } finally {
        d.close();
      }
    },
    exec(sql, ...params) {
      if (pg) return void pg.all(sql, params);
      const d = new Database(db);
      try {
        if (params.length) d.prepare(sql).run(...params);
        else d.exec(sql);
      } finally {
        d.close();
      }
    },
    cleanup() {
      pg?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A small roster used by most end-to-end tests (English headers, UTF-8). */
export const ROSTER = `staff_id,name,role,team,district,areas,hired_on,regular_on,left_on,capacity
G1,周建国,gm,HQ,330702,,2015-03-01,,,
M1,陈丽华,manager,T1,330702,,2018-07-01,,,
S1,王志强,supervisor,T1,330726,,2019-02-15,,,
D1,张医生,doctor,CS,330702,330726,2019-09-01,,,
R1,刘芳,rep,T1,330726,,2021-03-01,2021-06-01,,300
R2,杨洋,rep,T1,330702,,2022-05-10,,,
R3,赵敏,rep,T2,330106,,2024-06-03,,,
`;

/**
 * The database with ROSTER imported, made once per test worker and date (`init`, `staff
 * import`), then copied for each sandbox: two commands fewer per test that starts from the
 * roster.
 */
const rosterTemplates = new Map<string, Promise<string>>();
const templateDirs: string[] = [];
process.on('exit', () => {
  for (const d of templateDirs) fs.rmSync(d, { recursive: true, force: true });
});

function rosterTemplate(asOf: string, engine: Engine): Promise<string> {
  const key = `${engine} ${asOf}`;
  let made = rosterTemplates.get(key);
  if (!made) {
    made = (async () => {
      const s = sandbox(asOf, { engine });
      templateDirs.push(s.dir);
      const init = await s.run(['init']);
      if (init.code !== 0) throw new Error('init failed: ' + init.stderr);
      const r = await s.run(['staff', 'import', s.file('staff.csv', ROSTER)]);
      if (r.code !== 0) throw new Error('roster import failed: ' + r.stderr);
      return s.db;
    })();
    rosterTemplates.set(key, made);
  }
  return made;
}

/** A sandbox whose database holds ROSTER (made by init + staff import); returns the sandbox. */
export async function withRoster(asOf = '2024-07-31', engine: Engine = TEST_ENGINE): Promise<Sandbox> {
  const template = await rosterTemplate(asOf, engine);
  // on a server the template is a database, copied by CREATE DATABASE … TEMPLATE
  if (engine === 'postgres') return sandbox(asOf, { template, engine });
  const s = sandbox(asOf);
  // the template is closed (its WAL folded in): the one file is the whole database
  fs.copyFileSync(template, s.db);
  if (fs.existsSync(template + '-wal')) fs.copyFileSync(template + '-wal', s.db + '-wal');
  fs.chmodSync(s.db, 0o600);
  return s;
}

/** The bundled fixtures imported, as the demo does (its roster, surveys, events, orders, follow-ups, trips, expenses). */
export async function withFixtures(asOf = '2024-07-31'): Promise<Sandbox> {
  const s = sandbox(asOf);
  for (const args of [
    ['init'],
    ['staff', 'import', 'staff.csv'],
    ['survey', 'import', 'surveys.csv'],
    ['events', 'import', 'events.csv'],
    ['orders', 'import', 'orders.csv'],
    ['followups', 'import', 'followups.csv'],
    ['trips', 'import', 'trips.csv'],
    ['expenses', 'import', 'expenses.csv'],
  ]) {
    const r = await s.run(args.map((a) => (a.endsWith('.csv') ? path.join(ROOT, 'fixtures', a) : a)));
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  }
  return s;
}

/**
 * A sandbox with ROSTER, the survey sheet `surveys` imported, and owners set as assignment
 * would (`owners`: survey_no → staff_id; the other customers stay unassigned).
 */
export async function withSurveys(surveys: string, owners: Record<string, string>, asOf = '2024-07-31'): Promise<Sandbox> {
  const s = await withRoster(asOf);
  const r = await s.run(['survey', 'import', s.file('surveys.csv', surveys)]);
  if (r.code !== 0) throw new Error(r.stderr);
  for (const [surveyNo, staffId] of Object.entries(owners)) s.exec('UPDATE customers SET owner_id = ? WHERE survey_no = ?', staffId, surveyNo);
  return s;
}

/**
 * Sandboxes removed after each test of the file: call once at the top level of a test file.
 * `keep` hands a sandbox over to be removed; `roster` is `withRoster` kept so.
 */
export function sandboxesPerTest(): { keep<S extends Sandbox>(s: S): S; roster(asOf?: string): Promise<Sandbox> } {
  const made: Sandbox[] = [];
  afterEach(() => {
    for (const s of made.splice(0)) s.cleanup();
  });
  const keep = <S extends Sandbox>(s: S): S => (made.push(s), s);
  return { keep, roster: async (asOf?: string) => keep(await withRoster(asOf)) };
}

/** A row of the change log as the tests compare it (without its id, time and user). */
export type LoggedChange = Pick<ChangeEntry, 'key' | 'field' | 'old_value' | 'new_value' | 'command'>;

/** The change log's entries of one kind, oldest first. */
export const changesOf = (s: Sandbox, kind: string): LoggedChange[] =>
  s.query<LoggedChange>('SELECT key, field, old_value, new_value, command FROM changes WHERE kind = ? ORDER BY change_id', kind);

/**
 * Resolves once process `pid` is stopped (state T, or t under a tracer): a SIGCONT sent
 * before the process has stopped itself (SALESOPS_TEST_PAUSE: it says so on stderr, then
 * sends itself SIGSTOP) would be lost, and it would stay stopped. Reads /proc (or asks
 * `ps`) until it says so, whatever the time it takes; resolves too once the process is gone.
 */
export async function stopped(pid: number): Promise<void> {
  for (;;) {
    let state = '';
    try {
      const stat = await fs.promises.readFile(`/proc/${pid}/stat`, 'utf8');
      state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
    } catch {
      if (fs.existsSync('/proc/self/stat')) return; // gone
      state = await new Promise<string>((resolve) => {
        let out = '';
        const ps = spawn('ps', ['-o', 'stat=', '-p', String(pid)]);
        ps.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        ps.on('close', () => resolve(out.trim().charAt(0)));
      });
      if (state === '') return;
    }
    if (state === 'T' || state === 't') return;
  }
}
