/**
 * A sandbox's database on the PostgreSQL test server (issue 19): a fresh database for each,
 * made and dropped through the server's administrator (PGTEST_ADMIN_URL, from the suite's
 * server: test/pgServer.ts), reached as the test role (PGTEST_URL) as a clerk's command
 * would. Synchronous, through the product's own bridge (dist/, built by `npm test`), as the
 * SQLite sandboxes are.
 */
import crypto from 'node:crypto';
import { inject } from 'vitest';
import { SANDBOX_PREFIX } from '../pgServer.js';
import type { PgDatabase as PgDatabaseT } from '../../src/store/pg/pgDb.js';

// the built bridge: its worker (dist/store/pg/pgWorker.js) is a file beside it
const { PgConnection, pgConfig } = (await import(new URL('../../dist/store/pg/pgBridge.js', import.meta.url).href)) as typeof import('../../src/store/pg/pgBridge.js');
const { PgDatabase } = (await import(new URL('../../dist/store/pg/pgDb.js', import.meta.url).href)) as typeof import('../../src/store/pg/pgDb.js');
type PgDatabase = PgDatabaseT;

export interface PgSandboxDatabase {
  url: string;
  /** rows of a statement (SQLite's `?` placeholders), as objects */
  all(sql: string, params: unknown[]): Record<string, unknown>[];
  drop(): void;
}

let admin: PgDatabase | null = null;

function connect(url: string): PgDatabase {
  return new PgDatabase(new PgConnection(pgConfig(url, process.env, Intl.DateTimeFormat().resolvedOptions().timeZone), 'test'), 'test');
}

/** The run's server (test/pgServer.ts provides it), or the one named in the environment. */
function server(): { adminUrl: string; url: string } {
  const info = inject('pgServer');
  if (info && 'adminUrl' in info) return info;
  const { PGTEST_ADMIN_URL: adminUrl, PGTEST_URL: url } = process.env;
  if (adminUrl && url) return { adminUrl, url };
  throw new Error(`SALESOPS_TEST_ENGINE=postgres needs a server: ${info && 'notRun' in info ? info.notRun : 'none provided (test/pgServer.ts)'}`);
}

function adminDb(): PgDatabase {
  return (admin ??= connect(server().adminUrl));
}

/** The test role's address for database `name`. */
function urlOf(name: string): string {
  const u = new URL(server().url);
  u.pathname = '/' + name;
  return u.toString();
}

export function pgSandboxDatabase(template?: string): PgSandboxDatabase {
  // the run's tag in the name: its teardown drops what it left (test/pgServer.ts)
  const name = `${SANDBOX_PREFIX}${inject('pgRun') ?? 'x'}_${crypto.randomBytes(6).toString('hex')}`;
  const from = template ? ` TEMPLATE "${new URL(template).pathname.slice(1)}"` : '';
  const role = new URL(server().url).username;
  adminDb().exec(`CREATE DATABASE "${name}" OWNER "${role}"${from}`);
  const url = urlOf(name);
  let conn: PgDatabase | null = null;
  return {
    url,
    all(sql, params) {
      conn ??= connect(url);
      return conn.prepare(sql).all(...params) as Record<string, unknown>[];
    },
    drop() {
      conn?.close();
      conn = null;
      adminDb().exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
