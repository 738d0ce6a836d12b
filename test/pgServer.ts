/**
 * vitest globalSetup (issue 19: "CI uses a real server"): a PostgreSQL server for the tests
 * that run on both engines, handed to the test workers through `provide` (test/e2e/pgEngine.ts
 * reads it with `inject`: unlike the environment of this process, it reaches forked workers
 * whatever their start).
 *
 * - PGTEST_ADMIN_URL and PGTEST_URL set (.ci/run, or a server of one's own): that server, once a
 *   real connection to each says it answers; an address given that does not answer fails the
 *   run, never a quiet fallback.
 * - Otherwise, PostgreSQL on the machine (initdb found): a throw-away one from
 *   scripts/pg-test-server.sh `serve`, stopped in teardown; the script holds our pipe, so a
 *   killed run stops it too. `npm test` on a developer's machine tests both engines.
 * - None to be had: with SALESOPS_PG_REQUIRED=1 or CI set, the run fails saying why; else one
 *   loud line, and the PostgreSQL tests report themselves skipped with the reason.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

/** What the workers get: a server's addresses, or why there is none. */
export type PgServerInfo =
  | { adminUrl: string; url: string }
  | { notRun: string };

/** What the sandboxes' databases of this run are named with: `salesops_t_<run>_…`. */
export const SANDBOX_PREFIX = 'salesops_t_';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServer: PgServerInfo;
    /** this run's part of the sandboxes' names (test/e2e/pgSandbox.ts), so its teardown drops only its own */
    pgRun: string;
  }
}

const SCRIPT = fileURLToPath(new URL('../scripts/pg-test-server.sh', import.meta.url));

/** The script's exit code for "PostgreSQL is not installed". */
const NO_POSTGRES = 3;

/** SALESOPS_PG_REQUIRED=1, or CI set (as CI services set it): a missing server fails the run. */
export function pgRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI ?? '';
  return env.SALESOPS_PG_REQUIRED === '1' || (ci !== '' && ci !== '0' && ci !== 'false');
}

/** Connects to `url`, runs one query, disconnects; rejects with the client's error. */
async function answers(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 30_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
}

/** The address without its password, for messages. */
const masked = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

interface Served {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts `pg-test-server.sh serve`: resolves with the exports it prints once the server is up;
 * rejects with its exit code and stderr when it could not start one. The child is in a session
 * of its own (a Ctrl-C to the run does not reach it): it stops the server when its stdin ends,
 * at teardown or when this process dies, however it dies.
 */
function serve(): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT, 'serve'], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const closed = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    // a script that has exited already (it failed to start) makes our end of its stdin fail
    child.stdin.on('error', () => {});
    // the script closes its stdout once the exports are printed (or when it exits)
    child.stdout.on('end', () => {
      const env: Record<string, string> = {};
      for (const m of out.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm)) env[m[1]] = m[2];
      if (env.PGTEST_ADMIN_URL && env.PGTEST_URL) {
        resolve({
          env,
          stop: async () => {
            child.stdin.end();
            await closed;
          },
        });
      } else {
        void closed.then((code) => reject(Object.assign(new Error(err.trim() || `pg-test-server.sh exited with ${code}`), { exitCode: code })));
      }
    });
  });
}

/** The server of this run, or why there is none; `stop` when this run started one. */
interface Obtained {
  info: PgServerInfo;
  stop?: () => Promise<void>;
}

async function obtain(): Promise<Obtained> {
  const given = { adminUrl: process.env.PGTEST_ADMIN_URL ?? '', url: process.env.PGTEST_URL ?? '' };
  if (given.adminUrl || given.url) {
    if (!given.adminUrl || !given.url) throw new Error('PGTEST_ADMIN_URL and PGTEST_URL go together (scripts/pg-test-server.sh start prints both)');
    for (const url of [given.adminUrl, given.url]) {
      await answers(url).catch((e: Error) => {
        throw new Error(`PostgreSQL at ${masked(url)} does not answer: ${e.message}`);
      });
    }
    // a server of one's own outlives the run: the databases the run made there are dropped at teardown
    return { info: given, stop: () => dropRunDatabases(given.adminUrl) };
  }
  try {
    const served = await serve();
    return { info: { adminUrl: served.env.PGTEST_ADMIN_URL, url: served.env.PGTEST_URL }, stop: served.stop };
  } catch (e) {
    const err = e as Error & { exitCode?: number | null };
    // one line: the script's own words, without its name
    const said = err.message.replace(/^pg-test-server: /gm, '').split('\n').join(' | ');
    const why = err.exitCode === NO_POSTGRES ? said : `the test server did not start: ${said}`;
    if (pgRequired()) throw new Error(`PostgreSQL is required (SALESOPS_PG_REQUIRED=1 or CI) and there is none: ${why}`);
    // one loud line: the PostgreSQL tests are reported skipped, each with this reason
    console.warn(`\n*** PostgreSQL tests NOT run: ${why}\n`);
    return { info: { notRun: why } };
  }
}

/**
 * One server for the whole run: vitest runs a globalSetup once per project (and once more for
 * the root config when there are projects: three servers for a sqlite and a postgres project),
 * each in a module instance of its own, so the one they share hangs on globalThis; the last
 * teardown stops it.
 */
const SHARED = Symbol.for('salesops.test.pgServer');
type Shared = { users: number; obtained: Promise<Obtained> };

/** Random per run: runs sharing one server of a developer's never drop each other's databases. */
const RUN = randomBytes(4).toString('hex');

/**
 * The databases this run left on a server it did not start (a sandbox's drop is skipped when
 * a test fails half-way, and the roster templates live as long as a worker): dropped, whoever
 * is still connected (a worker killed mid-test).
 */
async function dropRunDatabases(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 30_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${SANDBOX_PREFIX}${RUN}_`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const g = globalThis as { [SHARED]?: Shared };
  const shared = (g[SHARED] ??= { users: 0, obtained: obtain() });
  shared.users++;
  const { info, stop } = await shared.obtained;
  project.provide('pgServer', info);
  project.provide('pgRun', RUN);
  return async () => {
    if (--shared.users > 0) return;
    delete g[SHARED];
    await stop?.();
  };
}
