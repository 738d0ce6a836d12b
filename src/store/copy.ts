/**
 * `db copy` (issue 19): every row of every table, the audit log and the change log included,
 * from one database to another of either engine, ids kept, in one transaction on the target.
 * An office moves its SQLite file to the server this way, and back.
 */
import crypto from 'node:crypto';
import type { DB } from './db.js';
import { pauseAt } from '../testHook.js';
import { isPostgres, sqlFor } from './engine.js';
import type { PgDatabase } from './pg/pgDb.js';

/**
 * Every table of the schema, parents before the tables whose foreign keys name them.
 * `db copy` refuses a database with a table this list lacks (test/e2e/dbCopy.test.ts then fails).
 */
export const COPIED_TABLES = [
  'staff',
  'staff_history',
  'customers',
  'assignments',
  'handovers',
  'events',
  'files',
  'tasks',
  'task_moves',
  'followups',
  'orders',
  'trips',
  'expenses',
  'policy_versions',
  'audit_log',
  'changes',
] as const;

/** The tables of a database (its own schema's, not ours), for the completeness check. */
export function tablesOf(db: DB): string[] {
  const sql = sqlFor(db, {
    sqlite: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    // schema_version is PostgreSQL's PRAGMA user_version: the target's own, not copied
    postgres: "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_version' ORDER BY tablename",
  });
  return db.prepare(sql).pluck().all() as string[];
}

/** A table's columns in their order. */
export function columnsOf(db: DB, table: string): string[] {
  if (isPostgres(db)) {
    return db.prepare('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position').pluck().all(table) as string[];
  }
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
}

/** `fn` reading the database as of one moment (a read transaction; REPEATABLE READ on a server). */
export function inReadSnapshot<T>(db: DB, fn: () => T): T {
  db.exec(sqlFor(db, { sqlite: 'BEGIN', postgres: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' }));
  try {
    return fn();
  } finally {
    if (db.open && db.inTransaction) db.exec('COMMIT');
  }
}

/** Rows in the table (the target must have none: a copy never merges into data). */
export function rowCount(db: DB, table: string): number {
  return db.prepare(`SELECT count(*) FROM ${ident(table)}`).pluck().get() as number;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The rows of a table as arrays, in its primary key's order, a cursor's worth at a time. */
export function readRows(db: DB, table: string, columns: readonly string[]): IterableIterator<unknown[]> {
  return db.prepare(`SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)} ORDER BY 1`).raw().iterate() as IterableIterator<unknown[]>;
}

/** One field in COPY's text format: \N for null, backslash, tab and line ends escaped. */
function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  return String(v).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

const COPY_CHUNK = 64 * 1024;

/** COPY … FROM STDIN on a server: rows formatted here, sent in chunks without waiting for each (as psql's \copy). */
export function copyRows(db: DB, table: string, columns: readonly string[], rows: Iterable<unknown[]>): number {
  const copy = (db as unknown as PgDatabase).conn.copyIn(`COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM STDIN`);
  let buf = '';
  let n = 0;
  for (const r of rows) {
    buf += r.map(copyField).join('\t') + '\n';
    if (buf.length >= COPY_CHUNK) {
      copy.write(Buffer.from(buf));
      buf = '';
      // the crash tests end the connection here, rows of a table in flight (a COPY that hung)
      pauseAt(`copy.${table}`, ++n);
    }
  }
  if (buf) copy.write(Buffer.from(buf));
  return copy.end();
}

/**
 * Writes `rows` into `table` of the target (inside its transaction): COPY on a server (as fast
 * as psql's \copy: docs/postgres-plan.md), batched INSERTs into a file. Returns the count.
 */
export function writeRows(db: DB, table: string, columns: readonly string[], rows: Iterable<unknown[]>): number {
  if (isPostgres(db)) return copyRows(db, table, columns, rows);
  const insert = db.prepare(`INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  let n = 0;
  for (const r of rows) {
    insert.run(...r);
    n++;
  }
  return n;
}

/**
 * After ids were copied as they were, a server's identity columns go on after the highest
 * (a file's INTEGER PRIMARY KEY does so by itself).
 */
export function continueIds(db: DB, table: string): void {
  if (!isPostgres(db)) return;
  const cols = db
    .prepare("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'YES'")
    .pluck()
    .all(table) as string[];
  for (const c of cols) {
    db.prepare(`SELECT setval(pg_get_serial_sequence(?, ?), coalesce((SELECT max(${ident(c)}) FROM ${ident(table)}), 0) + 1, false)`).get(table, c);
  }
}

/**
 * The planner's statistics of the copied tables, taken in the copy's own transaction. A
 * server plans from them (the due list's index or a walk of 5,000,000 tasks) and has none
 * of rows just COPYed until autovacuum comes round, a minute or more later: the first due
 * list after moving an office in would be planned blind. A file's planner keeps none
 * (docs/indexes.md: its plans are pinned by the schema alone).
 */
export function refreshStatistics(db: DB, tables: readonly string[]): void {
  if (!isPostgres(db) || tables.length === 0) return;
  db.exec(`ANALYZE ${tables.map(ident).join(', ')}`);
}

/** The whole of a table, in primary key order, as a count and a SHA-256: two copies compared without holding either. */
export function tableDigest(db: DB, table: string, columns: readonly string[]): { rows: number; digest: string } {
  let rows = 0;
  const h = crypto.createHash('sha256');
  for (const r of readRows(db, table, columns)) {
    rows++;
    h.update(JSON.stringify(r.map((v) => (v === null || v === undefined ? null : typeof v === 'number' ? v : String(v)))) + '\n');
  }
  return { rows, digest: h.digest('hex') };
}
