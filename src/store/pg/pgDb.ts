/**
 * The store's database on PostgreSQL (issue 19): the part of better-sqlite3's interface the
 * store uses — prepare(…).run/get/all/iterate, pluck, raw, exec, transaction, inTransaction —
 * over one synchronous connection (pgBridge.ts). The store is written once; where the SQL
 * itself differs, the statement has a PostgreSQL twin beside it (engine.ts `sqlFor`).
 *
 * Placeholders are SQLite's (`?` and `@name`) and become `$1…` here, once per statement.
 */
import { PgConnection, PgServerError, type PgResult } from './pgBridge.js';

type Mode = 'object' | 'pluck' | 'raw';

/** `?` and `@name` → `$n`, outside strings, quoted names and comments. */
export function translatePlaceholders(sql: string): { text: string; names: (string | number)[] } {
  const names: (string | number)[] = [];
  const byName = new Map<string, number>();
  let out = '';
  let positional = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      names.push(positional++);
      out += `$${names.length}`;
      i++;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /\w/.test(sql[j])) j++;
      const name = sql.slice(i + 1, j);
      let n = byName.get(name);
      if (n === undefined) {
        names.push(name);
        n = names.length;
        byName.set(name, n);
      }
      out += `$${n}`;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, names };
}

function closing(sql: string, start: number, q: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === q) {
      if (sql[i + 1] === q) i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}

/** better-sqlite3's binding: positional values (arrays flattened) and one object of named ones. */
function bind(names: (string | number)[], args: unknown[]): unknown[] {
  const positional: unknown[] = [];
  let named: Record<string, unknown> | null = null;
  for (const a of args) {
    if (Array.isArray(a)) positional.push(...a);
    else if (a !== null && typeof a === 'object' && !(a instanceof Uint8Array)) named = a as Record<string, unknown>;
    else positional.push(a);
  }
  return names.map((n) => {
    const v = typeof n === 'number' ? positional[n] : named?.[n];
    if (v === undefined) return null;
    return typeof v === 'bigint' ? v.toString() : v;
  });
}

function shape(r: PgResult, mode: Mode): unknown[] {
  if (mode === 'raw') return r.rows;
  if (mode === 'pluck') return r.rows.map((row) => row[0]);
  return r.rows.map((row) => {
    const o: Record<string, unknown> = {};
    r.fields.forEach((f, k) => (o[f] = row[k]));
    return o;
  });
}

let cursors = 0;

/** Each statement's translation, by its SQLite text: the store prepares the same few hundred again and again. */
const translated = new Map<string, { text: string; names: (string | number)[] }>();

export class PgStatement {
  private mode: Mode = 'object';
  private readonly text: string;
  private readonly names: (string | number)[];

  constructor(
    private readonly db: PgDatabase,
    readonly source: string,
  ) {
    let t = translated.get(source);
    if (!t) translated.set(source, (t = translatePlaceholders(source)));
    ({ text: this.text, names: this.names } = t);
  }

  pluck(on = true): this {
    this.mode = on ? 'pluck' : 'object';
    return this;
  }

  raw(on = true): this {
    this.mode = on ? 'raw' : 'object';
    return this;
  }

  run(...args: unknown[]): { changes: number; lastInsertRowid: number | bigint } {
    const r = this.db.query(this.text, bind(this.names, args));
    // a twin that says RETURNING <id> gives what SQLite's lastInsertRowid gives
    return { changes: r.rowCount, lastInsertRowid: (r.rows[0]?.[0] as number | undefined) ?? 0 };
  }

  get(...args: unknown[]): unknown {
    return shape(this.db.query(this.text, bind(this.names, args)), this.mode)[0];
  }

  all(...args: unknown[]): unknown[] {
    return shape(this.db.query(this.text, bind(this.names, args)), this.mode);
  }

  /**
   * Rows a thousand at a time through a cursor: an export of a million rows never holds them
   * all. WITH HOLD, so it outlives the transaction it is read in (or the one of its own).
   */
  *iterate(...args: unknown[]): IterableIterator<unknown> {
    const name = `salesops_c${++cursors}`;
    this.db.query(`DECLARE ${name} NO SCROLL CURSOR WITH HOLD FOR ${this.text}`, bind(this.names, args));
    try {
      for (;;) {
        const r = this.db.query(`FETCH 1000 FROM ${name}`);
        if (r.rows.length === 0) return;
        yield* shape(r, this.mode);
      }
    } finally {
      if (this.db.open) {
        try {
          this.db.query(`CLOSE ${name}`);
        } catch {
          // the transaction failed and took the cursor with it
        }
      }
    }
  }
}

/** better-sqlite3's `transaction(fn)`: a function running fn in BEGIN … COMMIT (a savepoint when nested). */
type TxFn<T> = ((...a: unknown[]) => T) & { deferred: (...a: unknown[]) => T; immediate: (...a: unknown[]) => T; exclusive: (...a: unknown[]) => T };

/**
 * The key of the one write lock (issue 19): SQLite lets one writer in at a time (BEGIN
 * IMMEDIATE), and the store's read-then-write steps (assign, handover, import) rely on it.
 * On the server every write transaction takes this advisory lock first: the same single
 * writer, readers never blocked.
 */
export const WRITE_LOCK_KEY = 7_283_465;

export class PgDatabase {
  readonly engine = 'postgres' as const;
  open = true;
  inTransaction = false;
  /** opening it made the salesops schema (init on an empty database) */
  createdSchema = false;
  /**
   * init granted the clerks' group its rights ('granted'), or could not: the group does not
   * exist and this role may not create it ('missing'); null when init made no grants (not the owner)
   */
  clerkRights: 'granted' | 'missing' | null = null;
  private savepoints = 0;

  constructor(
    readonly conn: PgConnection,
    /** the address as shown (password ***) */
    readonly name: string,
  ) {}

  query(text: string, values?: unknown[]): PgResult {
    if (!this.open) throw new TypeError('The database connection is not open');
    return this.conn.call({ op: 'query', text, values: values?.length ? values : undefined });
  }

  prepare(sql: string): PgStatement {
    // a new statement each time (pluck/raw change it); its translation is kept
    return new PgStatement(this, sql);
  }

  /** A script (no parameters): BEGIN, COMMIT and ROLLBACK keep `inTransaction` as SQLite's does. */
  exec(sql: string): this {
    const head = sql.trim().toUpperCase();
    try {
      this.query(sql);
    } catch (e) {
      // a failed COMMIT ends the transaction (PostgreSQL rolls it back)
      if (/^(COMMIT|END)\b/.test(head)) this.inTransaction = false;
      throw e;
    }
    if (/^BEGIN\b/.test(head)) this.inTransaction = true;
    else if (/^(COMMIT|END)\b/.test(head) || /^ROLLBACK\s*;?$/.test(head)) this.inTransaction = false;
    return this;
  }

  /** Takes the single writer's lock inside the current transaction (see WRITE_LOCK_KEY). */
  lockForWrite(): void {
    this.query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`);
  }

  transaction<T>(fn: (...a: unknown[]) => T): TxFn<T> {
    const run =
      (write: boolean) =>
      (...a: unknown[]): T => {
        if (this.inTransaction) {
          const sp = `salesops_sp${++this.savepoints}`;
          this.query(`SAVEPOINT ${sp}`);
          try {
            const r = fn(...a);
            this.query(`RELEASE ${sp}`);
            return r;
          } catch (e) {
            this.query(`ROLLBACK TO ${sp}`);
            throw e;
          }
        }
        this.exec('BEGIN');
        try {
          if (write) this.lockForWrite();
          const r = fn(...a);
          this.exec('COMMIT');
          return r;
        } catch (e) {
          if (this.inTransaction && this.open) {
            try {
              this.exec('ROLLBACK');
            } catch {
              // the connection is gone: the server rolled it back
              this.inTransaction = false;
            }
          }
          throw e;
        }
      };
    return Object.assign(run(true), { deferred: run(false), immediate: run(true), exclusive: run(true) });
  }

  /**
   * SQLite's pragmas. Its tuning of one connection — the page cache (cache_size), foreign keys
   * left unchecked by a bulk write whose ids were all just read (foreign_keys = OFF) — means
   * nothing to a server, which manages its own memory and always checks: let pass. Any other
   * pragma asks something only SQLite has, and its caller needs a twin.
   */
  pragma(source: string, opts?: { simple?: boolean }): unknown {
    const m = /^\s*(\w+)\s*(=.*)?$/.exec(source);
    if (m && (m[1] === 'cache_size' || (m[1] === 'foreign_keys' && m[2]))) return opts?.simple ? 0 : [];
    throw new Error(`PRAGMA ${source}: no PostgreSQL twin (store/engine.ts sqlFor)`);
  }

  close(): this {
    if (!this.open) return this;
    this.open = false;
    this.conn.close();
    return this;
  }

  /** Whether an error is the server refusing a row (unique, check, foreign key…): SQLSTATE class 23. */
  static isConstraint(e: unknown): boolean {
    return e instanceof PgServerError && (e.code ?? '').startsWith('23');
  }
}
