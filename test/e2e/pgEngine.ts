/**
 * Tests on PostgreSQL (issue 19: "runs the end-to-end suite against both engines"): the server
 * the run's globalSetup (test/pgServer.ts) provides, a fresh database per test, and
 * `describePg`/`itPg` for tests that need one. Without a server (a machine without PostgreSQL,
 * not required), those tests are reported skipped with the reason in their names, never passing
 * silently; when required (SALESOPS_PG_REQUIRED=1 or CI), they are never skipped: with no server
 * they fail, saying so.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, inject, it } from 'vitest';
import { pgRequired, type PgServerInfo } from '../pgServer.js';

/** Run, skip (why), or fail (why): what a PostgreSQL test does in this run. */
export type PgTestMode = { run: true; adminUrl: string; url: string } | { run: false; skip: boolean; why: string };

/** The decision, from what globalSetup provided and whether a server is required. */
export function pgTestMode(info: PgServerInfo | undefined, required: boolean): PgTestMode {
  if (info && 'adminUrl' in info) return { run: true, adminUrl: info.adminUrl, url: info.url };
  const why = info?.notRun ?? 'no server provided (vitest.config.ts: globalSetup test/pgServer.ts)';
  return required
    ? { run: false, skip: false, why: `PostgreSQL is required (SALESOPS_PG_REQUIRED=1 or CI) and there is none: ${why}` }
    : { run: false, skip: true, why };
}

const mode = (): PgTestMode => pgTestMode(inject('pgServer'), pgRequired());

/** The name a skipped test carries, so that the report says why. */
const skippedName = (name: string, why: string): string => `${name} [PostgreSQL tests NOT run: ${why}]`;

/** Whether this run has a PostgreSQL server. */
export function pgAvailable(): boolean {
  return mode().run;
}

function server(): { adminUrl: string; url: string } {
  const m = mode();
  if (!m.run) throw new Error(m.why);
  return m;
}

/** The superuser's address (database `postgres`): to create and drop databases, to end backends. */
export function pgAdminUrl(): string {
  return server().adminUrl;
}

/** A database of the test's own. */
export interface TestDatabase {
  name: string;
  /** as the test role (owner of the database), with its password, over TCP */
  url: string;
  /** drops it, its connections ended first (WITH (FORCE)); dropping twice is harmless */
  drop(): Promise<void>;
}

/** Rows of one statement at `url`, on a connection of its own (psql's part in a test). */
export async function pgRows<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Runs statements as the superuser, one after another. */
async function asAdmin(...sql: string[]): Promise<void> {
  for (const s of sql) await pgRows(pgAdminUrl(), s);
}

/**
 * A fresh database with a random name, owned by the test role (PGTEST_URL's: `salesops` on the
 * script's server): empty (from template0: nothing
 * anyone added to template1 on a shared server), or a copy of `template` (a database made
 * earlier in the run, with no connection left open to it: PostgreSQL refuses to copy one in
 * use), which is cheaper than building the same data again.
 */
export async function createTestDatabase(opts: { template?: string } = {}): Promise<TestDatabase> {
  const { url } = server();
  const name = `salesops_test_${randomBytes(8).toString('hex')}`;
  const template = pg.escapeIdentifier(opts.template ?? 'template0');
  // the default strategy (WAL_LOG), not FILE_COPY: on the throw-away server (fsync off) FILE_COPY
  // saves 2 ms of 14, but on a server with fsync on (a PGTEST_ADMIN_URL of one's own) its two
  // checkpoints make it twice as slow, 50 against 25 ms (issue 19, measured)
  const own = new URL(url);
  const owner = pg.escapeIdentifier(decodeURIComponent(own.username));
  await asAdmin(`CREATE DATABASE ${pg.escapeIdentifier(name)} OWNER ${owner} TEMPLATE ${template}`);
  own.pathname = '/' + name;
  return {
    name,
    url: own.href,
    drop: () => asAdmin(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  };
}

/** `describe` for tests that need PostgreSQL (see the top of this file). */
export function describePg(name: string, body: () => void): void {
  const m = mode();
  if (m.run) describe(name, body);
  else if (m.skip) describe.skip(skippedName(name, m.why), body);
  else
    describe(name, () => {
      // every test of the block fails, each saying why
      beforeAll(() => {
        throw new Error(m.why);
      });
      body();
    });
}

/** `it` for a test that needs PostgreSQL (see the top of this file). */
export function itPg(name: string, fn: () => Promise<void> | void): void {
  const m = mode();
  if (m.run) it(name, fn);
  else if (m.skip) it.skip(skippedName(name, m.why), fn);
  else
    it(name, () => {
      throw new Error(m.why);
    });
}
