/**
 * The PostgreSQL client's thread (issue 19). The store is synchronous (better-sqlite3); `pg` is
 * asynchronous. This worker holds the one `pg` connection of a run; the main thread posts a
 * request and blocks on `Atomics.wait` until the answer is here (pgBridge.ts). Only a
 * `postgres://` database starts it, so `pg` is never loaded for a SQLite file.
 * docs/postgres-plan.md §2 has the measurements behind the design (≈180 µs a statement).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import pg from 'pg';
import type { PgConfig, PgReply, PgRequest } from './pgBridge.js';
import { utcOffsetText } from './timeZone.js';

// SQLite hands the store numbers and text: PostgreSQL's bigint and numeric come as strings
// and its dates as Date objects unless told otherwise. Booleans (a comparison in a select
// list) are 1/0, as SQLite's are.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
pg.types.setTypeParser(16, (v) => (v === 't' ? 1 : 0));
for (const oid of [1082, 1114, 1184]) pg.types.setTypeParser(oid, (v) => v);

const { flag, port, config } = workerData as { flag: Int32Array; port: MessagePort; config: PgConfig };

let client: pg.Client | null = null;
/** the connection's last error while idle (the server shut it: pg_terminate_backend, a restart) */
let lost: Error | null = null;
/** open COPY FROM STDIN streams, by id */
const copies = new Map<number, { stream: NodeJS.WritableStream; done: Promise<number>; error: Error | null; finished: boolean }>();

function reply(r: PgReply): void {
  port.postMessage(r);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function errorOf(e: unknown): PgReply {
  const x = e as { message?: string; code?: string; detail?: string; hint?: string; constraint?: string; table?: string; column?: string; where?: string };
  return { error: { message: String(x?.message ?? e), code: x?.code, detail: x?.detail, hint: x?.hint, constraint: x?.constraint, table: x?.table, column: x?.column } };
}

/** A password file libpq would ignore (others may read it, or not a plain file): said in the clerk's words, not pgpass's English warning. */
let ignoredPassfile: string | null = null;

/** libpq reads ~/.pgpass (or PGPASSFILE) when no password is given: pg's own support is deprecated, so asked here. */
async function passwordFromFile(c: PgConfig): Promise<string | undefined> {
  const file = c.passfile ?? path.join(os.homedir(), '.pgpass');
  if (!fs.existsSync(file)) return undefined;
  // libpq's rule: a password file others may read is not used (on Windows modes say nothing)
  const st = fs.statSync(file);
  if (!st.isFile() || (process.platform !== 'win32' && (st.mode & 0o077) !== 0)) {
    ignoredPassfile = file;
    return undefined;
  }
  const { default: pgpass } = await import('pgpass');
  return new Promise((resolve) => {
    const prev = process.env.PGPASSFILE;
    process.env.PGPASSFILE = file;
    pgpass({ host: c.host, port: c.port, database: c.database, user: c.user }, (pw) => {
      if (prev === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = prev;
      resolve(pw);
    });
  });
}

/**
 * libpq's sslmode, which pg does not follow: `prefer` (libpq's default) tries TLS and falls
 * back to a plain connection when the server has none; `require` encrypts without checking
 * the certificate; `verify-ca` checks it against the root certificate; `verify-full` also
 * checks the host name.
 */
function tlsOptions(c: PgConfig): false | Record<string, unknown> {
  const mode = c.sslmode ?? 'prefer';
  if (mode === 'disable' || mode === 'allow') return false;
  const rootcert = c.sslrootcert ?? path.join(os.homedir(), '.postgresql', 'root.crt');
  if (mode === 'verify-ca' || mode === 'verify-full') {
    const ca = fs.existsSync(rootcert) ? fs.readFileSync(rootcert) : undefined;
    return { rejectUnauthorized: true, ca, ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}) };
  }
  return { rejectUnauthorized: false };
}

/**
 * The session's zone: an offset (openPg clientTimeZone) as an ISO interval (east positive:
 * PostgreSQL reads '+08:00' as a POSIX rule, west positive); a name the server's tzdata
 * lacks (a newer zone than the server's) as the offset the client's clock has now.
 */
async function setTimeZone(c: pg.Client, zone: string): Promise<void> {
  const offset = (z: string) => c.query(`SET TIME ZONE INTERVAL '${z}' HOUR TO MINUTE`);
  if (/^[+-]\d\d:\d\d$/.test(zone)) return void (await offset(zone));
  try {
    await c.query(`SET TimeZone = '${zone.replace(/'/g, "''")}'`);
  } catch (e) {
    // 22023 invalid_parameter_value: "invalid value for parameter TimeZone"
    if ((e as { code?: string }).code !== '22023') throw e;
    await offset(utcOffsetText(new Date()));
  }
}

async function connect(): Promise<PgReply> {
  const password = config.password ?? (await passwordFromFile(config));
  // none: a function answering none, so pg does not read ~/.pgpass itself (its deprecated
  // fallback, which also warned in English about a file passwordFromFile had set aside)
  const base = { host: config.host, port: config.port, database: config.database, user: config.user, password: password ?? (() => undefined as unknown as string), application_name: 'salesops' };
  const tls = tlsOptions(config);
  const open = async (ssl: false | Record<string, unknown>) => {
    const c = new pg.Client({ ...base, ssl: ssl as pg.ClientConfig['ssl'] });
    c.on('error', (e) => (lost = e));
    await c.connect();
    return c;
  };
  try {
    try {
      client = await open(tls);
    } catch (e) {
      // sslmode=prefer: a server without TLS is spoken to in plain text, as psql does
      if ((config.sslmode ?? 'prefer') !== 'prefer' || !/does not support SSL/i.test(String((e as Error).message))) throw e;
      client = await open(false);
    }
  } catch (e) {
    // the server asks for a password and none was given (pg: "client password must be a string")
    if (password === undefined && /password must be a string/i.test(String((e as Error).message))) {
      throw Object.assign(new Error('no password given'), { code: ignoredPassfile ? 'SALESOPS_PGPASS_MODE' : 'SALESOPS_NO_PASSWORD', detail: ignoredPassfile ?? undefined });
    }
    // sslmode=require/verify-*: the server offers no TLS at all
    if (/does not support SSL/i.test(String((e as Error).message))) throw Object.assign(new Error('the server does not support SSL connections'), { code: 'SALESOPS_NO_TLS' });
    throw e;
  }
  // dates are the clerk's local calendar (SPEC: no UTC shift): the session speaks the client's zone
  await setTimeZone(client, config.timeZone);
  // short statements of a clerk's command: compiling one with JIT cost ~570 ms (bench, due list);
  // a cursor is read to its end here, so plans are chosen for all its rows, not the first tenth
  await client.query('SET jit = off; SET cursor_tuple_fraction = 1');
  const v = await client.query('SHOW server_version_num');
  return { rows: [[Number(v.rows[0].server_version_num)]], fields: [], rowCount: 1 };
}

/**
 * Until `stream` emits `event`, or fails, or the connection ends: a backend ended in the middle
 * of a COPY (pg_terminate_backend) closes the socket, and a stream waiting for 'drain' or
 * 'finish' would then wait for ever (found: `db copy` hung instead of saying so).
 */
function settled(stream: NodeJS.WritableStream, event: 'drain' | 'finish'): Promise<void> {
  return new Promise((resolve) => {
    const c = client;
    const done = () => {
      stream.off(event, done);
      stream.off('error', done);
      stream.off('close', done);
      c?.off('end', done);
      c?.off('error', done);
      resolve();
    };
    stream.on(event, done);
    stream.on('error', done);
    stream.on('close', done);
    c?.on('end', done);
    c?.on('error', done);
    // ended before we listened
    if (lost) done();
  });
}

async function handle(req: PgRequest): Promise<PgReply> {
  if (req.op === 'connect') return connect();
  if (!client) throw new Error('not connected');
  if (lost) throw lost;
  switch (req.op) {
    case 'query': {
      const r = await client.query({ text: req.text, values: req.values, rowMode: 'array' });
      // a script of several statements answers with one result each: the last one speaks
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return { rows: last?.rows ?? [], fields: (last?.fields ?? []).map((f: { name: string }) => f.name), rowCount: last?.rowCount ?? 0 };
    }
    case 'copyStart': {
      const { from } = await import('pg-copy-streams');
      const stream = client.query(from(req.text));
      const entry = { stream, error: null as Error | null, finished: false, done: null as unknown as Promise<number> };
      entry.done = new Promise<number>((resolve, reject) => {
        stream.on('finish', () => {
          entry.finished = true;
          resolve((stream as unknown as { rowCount: number }).rowCount);
        });
        stream.on('error', (e: Error) => {
          entry.error = e;
          reject(e);
        });
      });
      entry.done.catch(() => {});
      copies.set(req.id, entry);
      return { rows: [], fields: [], rowCount: 0 };
    }
    case 'copyData': {
      // mostly not waited for by the main thread (no reply): chunks flow while it formats
      // the next; one in so many asks for an answer, so the queue stays a few megabytes
      const c = copies.get(req.id);
      if (c && !c.error && !c.stream.write(Buffer.from(req.data))) await settled(c.stream, 'drain');
      if (c && !c.error && lost) c.error = lost;
      if (req.ack && c?.error) throw c.error;
      return { rows: [], fields: [], rowCount: 0 };
    }
    case 'copyEnd': {
      const c = copies.get(req.id);
      if (!c) throw new Error('no such copy');
      copies.delete(req.id);
      if (c.error) throw c.error;
      c.stream.end();
      await settled(c.stream, 'finish');
      if (c.error) throw c.error;
      if (lost) throw lost;
      // neither finished nor failed, and the connection gone: said as the connection lost
      if (!c.finished) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
      const n = await c.done;
      return { rows: [], fields: [], rowCount: n };
    }
    case 'close':
      await client.end().catch(() => {});
      client = null;
      return { rows: [], fields: [], rowCount: 0 };
  }
}

// one request at a time, in order (the main thread waits for each but copyData)
let chain = Promise.resolve();
port.on('message', (req: PgRequest) => {
  chain = chain.then(async () => {
    let r: PgReply;
    try {
      r = await handle(req);
    } catch (e) {
      r = errorOf(e);
    }
    if (req.op !== 'copyData' || req.ack) reply(r);
    else if (r.error) {
      const c = copies.get(req.id);
      if (c && !c.error) c.error = Object.assign(new Error(r.error.message), r.error);
    }
  });
});
parentPort?.on('message', () => {});
process.on('uncaughtException', (e) => reply(errorOf(e)));
