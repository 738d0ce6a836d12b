/**
 * A synchronous PostgreSQL connection (issue 19): `pg` runs in a worker thread (pgWorker.ts)
 * and the main thread blocks on `Atomics.wait` for each answer, so the store keeps the one
 * synchronous shape it has on SQLite and src/app does not change. docs/postgres-plan.md §2:
 * ≈180 µs a statement against ≈115 µs awaited, which only per-row loops would feel, and those
 * must become set-based on a server anyway.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { UserError } from '../../errors.js';
import { t } from '../../messages/index.js';
import { redactAddress } from '../address.js';

/** Where and who: a `postgres://` address with libpq's environment (PGHOST, PGUSER…) filling the gaps. */
export interface PgConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  passfile?: string;
  sslmode?: string;
  sslrootcert?: string;
  /** the client's time zone: the session's, so local dates and times are the clerk's (SPEC: no UTC shift) */
  timeZone: string;
}

export type PgRequest =
  | { op: 'connect' }
  | { op: 'query'; text: string; values?: unknown[] }
  | { op: 'copyStart'; id: number; text: string }
  | { op: 'copyData'; id: number; data: Uint8Array; ack: boolean }
  | { op: 'copyEnd'; id: number }
  | { op: 'close' };

export interface PgError {
  message: string;
  code?: string;
  detail?: string;
  hint?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

export type PgReply = { rows: unknown[][]; fields: string[]; rowCount: number; error?: undefined } | { error: PgError };

export interface PgResult {
  rows: unknown[][];
  fields: string[];
  rowCount: number;
}

/** A server's error, with its SQLSTATE (`code`), as the store sees it. */
export class PgServerError extends Error {
  readonly code?: string;
  readonly detail?: string;
  readonly constraint?: string;
  constructor(e: PgError) {
    super(e.message);
    this.name = 'PgServerError';
    Object.assign(this, e);
  }
}

/** libpq's reading of a connection URI, its environment variables filling what the URI leaves out. */
export function pgConfig(address: string, env: NodeJS.ProcessEnv, timeZone: string): PgConfig {
  // libpq allows no host at all (postgres:///db?host=/run/postgresql); a URL parser does not
  const NO_HOST = 'salesops-no-host.invalid';
  let u: URL;
  try {
    u = new URL(address.replace(/^postgres(?:ql)?:\/\/([^/?#]*@)?(?=[/?#]|$)/i, (_m, who: string | undefined) => `postgres://${who ?? ''}${NO_HOST}`));
  } catch {
    throw new UserError(t('pg.bad_address', { address: redactAddress(address) }), t('pg.bad_address.hint'));
  }
  const q = u.searchParams;
  const dec = (s: string) => (s ? decodeURIComponent(s) : '');
  const user = dec(u.username) || q.get('user') || env.PGUSER || env.USER || 'postgres';
  const host = u.hostname === NO_HOST ? '' : dec(u.hostname).replace(/^\[(.*)\]$/, '$1');
  return {
    host: host || q.get('host') || env.PGHOST || 'localhost',
    port: Number(u.port || q.get('port') || env.PGPORT || 5432),
    database: dec(u.pathname.replace(/^\//, '')) || q.get('dbname') || env.PGDATABASE || user,
    user,
    password: dec(u.password) || q.get('password') || env.PGPASSWORD || undefined,
    passfile: env.PGPASSFILE || undefined,
    sslmode: sslMode(q.get('sslmode') || env.PGSSLMODE || undefined),
    sslrootcert: q.get('sslrootcert') || env.PGSSLROOTCERT || undefined,
    timeZone,
  };
}

/** libpq's sslmode values; another is refused, as psql refuses it (never taken for `require`). */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

function sslMode(mode: string | undefined): string | undefined {
  if (mode === undefined || SSL_MODES.includes(mode)) return mode;
  throw new UserError(t('pg.bad_sslmode', { mode }), t('pg.bad_sslmode.hint', { modes: SSL_MODES.join(', ') }));
}

/** How long the main thread waits for one answer before it looks again whether the worker lives. */
const WAIT_SLICE_MS = 1000;

export class PgConnection {
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private exited = false;
  private copyIds = 0;
  readonly serverVersion: number;

  constructor(readonly config: PgConfig, readonly shown: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./pgWorker.js', import.meta.url), { workerData: { flag: this.flag, port: port2, config }, transferList: [port2] });
    // the worker never keeps a finished command alive, and its end is seen between waits
    this.worker.unref();
    this.worker.on('exit', () => (this.exited = true));
    const r = this.call({ op: 'connect' }, true);
    this.serverVersion = r.rows[0][0] as number;
  }

  /** One request, answered: blocks the thread until the worker replies. */
  call(req: PgRequest, connecting = false): PgResult {
    if (this.exited) throw connectionError(this.shown, { message: 'connection closed', code: '08003' }, false);
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(req);
    let message: PgReply | undefined;
    for (;;) {
      Atomics.wait(this.flag, 0, 0, WAIT_SLICE_MS);
      message = receiveMessageOnPort(this.port)?.message as PgReply | undefined;
      if (message) break;
      if (this.exited) throw connectionError(this.shown, { message: 'the client thread stopped', code: '08006' }, connecting);
    }
    if (message.error) {
      const e = message.error;
      if (connecting || isConnectionFault(e)) throw connectionError(this.shown, e, connecting);
      throw new PgServerError(e);
    }
    return message;
  }

  /** COPY … FROM STDIN: `write` chunks (not each waited for), `end` for the row count. */
  copyIn(text: string): { write(chunk: Uint8Array): void; end(): number } {
    const id = ++this.copyIds;
    this.call({ op: 'copyStart', id, text });
    let sent = 0;
    return {
      write: (data) => {
        // one chunk in 32 waits for the worker: at most a few MB in flight
        const ack = ++sent % 32 === 0;
        if (ack) this.call({ op: 'copyData', id, data, ack });
        else this.port.postMessage({ op: 'copyData', id, data, ack } satisfies PgRequest);
      },
      end: () => this.call({ op: 'copyEnd', id }).rowCount,
    };
  }

  close(): void {
    if (this.exited) return;
    try {
      this.call({ op: 'close' });
    } catch {
      // closing a lost connection: nothing more to say
    }
    void this.worker.terminate();
    this.exited = true;
  }
}

/** Node's codes for a certificate that does not verify (self-signed, unknown issuer, expired, another host's). */
const TLS_TRUST = /^(?:SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)$/;

/** SQLSTATE class 08 (connection exception), 57P01–57P03 (the server shut it), or the socket's own error. */
function isConnectionFault(e: PgError): boolean {
  const c = e.code ?? '';
  return c.startsWith('08') || /^57P0[123]$/.test(c) || /^E[A-Z]+$/.test(c) || /Connection terminated|Client was closed|not connected/i.test(e.message);
}

/** What went wrong with the connection, in the clerk's words (issue 19: never a stack, never the password). */
export function connectionError(shown: string, e: PgError, connecting: boolean): UserError {
  const c = e.code ?? '';
  if (c === '28P01' || c === '28000') return new UserError(t('pg.auth_failed', { address: shown }), t('pg.auth_failed.hint'));
  if (c === '3D000') return new UserError(t('pg.no_database', { address: shown }), t('pg.no_database.hint'));
  if (c === 'SALESOPS_NO_PASSWORD') return new UserError(t('pg.no_password', { address: shown }), t('pg.no_password.hint'));
  if (c === 'SALESOPS_PGPASS_MODE') return new UserError(t('pg.no_password', { address: shown }), t('pg.pgpass_mode.hint', { file: e.detail ?? '~/.pgpass' }));
  if (c === 'SALESOPS_NO_TLS') return new UserError(t('pg.no_tls', { address: shown }), t('pg.no_tls.hint'));
  // the server's certificate not trusted (sslmode=verify-ca/verify-full): Node's TLS codes
  if (TLS_TRUST.test(c)) return new UserError(t('pg.tls_untrusted', { address: shown, reason: e.message }), t('pg.tls_untrusted.hint'));
  if (connecting) return new UserError(t('pg.unreachable', { address: shown, reason: e.message }), t('pg.unreachable.hint'));
  return new UserError(t('pg.connection_lost', { address: shown, reason: e.message }), t('pg.connection_lost.hint'));
}
