/**
 * The PostgreSQL server of the test run (issue 19: "CI uses a real server"; test/pgServer.ts,
 * scripts/pg-test-server.sh): it answers, gives each test a database of its own and takes it
 * back, holds the passwords, and is reachable from this machine only. And what a PostgreSQL
 * test does when there is no server: skipped with the reason, or failed when one is required.
 */
import net from 'node:net';
import os from 'node:os';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { pgRequired } from '../pgServer.js';
import { createTestDatabase, describePg, pgAdminUrl, pgRows as rows, pgTestMode } from '../e2e/pgEngine.js';


/** The error of connecting to `url` (null when it connects). */
async function connectError(url: string): Promise<(Error & { code?: string }) | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return null;
  } catch (e) {
    return e as Error & { code?: string };
  } finally {
    await client.end().catch(() => {});
  }
}

const databaseCount = async (name: string): Promise<number> =>
  (await rows<{ n: number }>(pgAdminUrl(), 'SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [name]))[0].n;

describe('a PostgreSQL test without a server', () => {
  const server = { adminUrl: 'postgres://postgres:pw@127.0.0.1:5/postgres', url: 'postgres://salesops:pw@127.0.0.1:5/salesops' };

  it('runs when one is provided', () => {
    expect(pgTestMode(server, false)).toMatchObject({ run: true, adminUrl: server.adminUrl });
    expect(pgTestMode(server, true)).toMatchObject({ run: true });
  });

  it('is skipped, saying why, when none could be had and none is required', () => {
    expect(pgTestMode({ notRun: 'no initdb' }, false)).toEqual({ run: false, skip: true, why: 'no initdb' });
    expect(pgTestMode(undefined, false)).toMatchObject({ run: false, skip: true, why: expect.stringContaining('globalSetup') });
  });

  it('fails, never skipped, when one is required', () => {
    expect(pgTestMode({ notRun: 'no initdb' }, true)).toEqual({ run: false, skip: false, why: expect.stringMatching(/required.*no initdb/) });
  });

  it('is required with SALESOPS_PG_REQUIRED=1 or CI', () => {
    expect(pgRequired({ SALESOPS_PG_REQUIRED: '1' })).toBe(true);
    expect(pgRequired({ CI: 'true' })).toBe(true);
    expect(pgRequired({ CI: '1' })).toBe(true);
    expect(pgRequired({})).toBe(false);
    expect(pgRequired({ CI: 'false', SALESOPS_PG_REQUIRED: '0' })).toBe(false);
  });
});

describePg('the PostgreSQL test server', () => {
  it('gives a test a fresh database, owned by the test role, and drops it', async () => {
    const db = await createTestDatabase();
    try {
      expect(await databaseCount(db.name)).toBe(1);
      const [who] = await rows<{ db: string; role: string; superuser: string; encoding: string; collation: string }>(
        db.url,
        `SELECT current_database() AS db, current_user AS role, current_setting('is_superuser') AS superuser,
                pg_encoding_to_char(encoding) AS encoding, datcollate AS collation
           FROM pg_database WHERE datname = current_database()`,
      );
      // not a superuser: what the tests do there, a clerk could do
      expect(who).toEqual({ db: db.name, role: 'salesops', superuser: 'off', encoding: 'UTF8', collation: 'C.UTF-8' });
      // the owner may create tables (PostgreSQL 15 gives the public schema to the database's owner)
      await rows(db.url, 'CREATE TABLE t (id bigint PRIMARY KEY)');
    } finally {
      await db.drop();
    }
    expect(await databaseCount(db.name)).toBe(0);
    // a second drop (a test's finally after its own) is harmless
    await db.drop();
  });

  it('drops a database that still has connections open', async () => {
    const db = await createTestDatabase();
    const open = new pg.Client({ connectionString: db.url });
    await open.connect();
    // the connection is ended by the server: its error is expected, not a failure
    open.on('error', () => {});
    await db.drop();
    expect(await databaseCount(db.name)).toBe(0);
    await open.end().catch(() => {});
  });

  it('copies a template database with its rows', async () => {
    const template = await createTestDatabase();
    try {
      await rows(template.url, "CREATE TABLE staff (id text PRIMARY KEY); INSERT INTO staff VALUES ('R1'), ('R2')");
      const copy = await createTestDatabase({ template: template.name });
      try {
        expect(await rows(copy.url, 'SELECT id FROM staff ORDER BY id')).toEqual([{ id: 'R1' }, { id: 'R2' }]);
      } finally {
        await copy.drop();
      }
    } finally {
      await template.drop();
    }
  });

  it('asks for the password over TCP: a wrong one is refused (28P01)', async () => {
    const db = await createTestDatabase();
    try {
      for (const url of [pgAdminUrl(), db.url]) {
        expect(await connectError(url)).toBe(null);
        const wrong = new URL(url);
        wrong.password = 'not-the-password';
        expect((await connectError(wrong.href))?.code).toBe('28P01');
      }
    } finally {
      await db.drop();
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    const [{ listen }] = await rows<{ listen: string }>(pgAdminUrl(), "SELECT current_setting('listen_addresses') AS listen");
    expect(listen).toBe('127.0.0.1');
    // and the port is closed on IPv6's loopback and on this machine's other addresses (link-local
    // ones aside: they need an interface named)
    const port = Number(new URL(pgAdminUrl()).port);
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80:'))
      .map((a) => a!.address);
    for (const host of ['::1', ...others]) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host, port });
        socket.on('connect', () => (socket.destroy(), resolve('connected')));
        socket.on('error', (e: Error & { code?: string }) => resolve(e.code ?? e.message));
      });
      expect(outcome, host).not.toBe('connected');
    }
  });
});
