/**
 * The import machinery's failure paths that an end-to-end test cannot reach on demand: a row
 * whose statement made SQLite roll back the whole transaction (SQLITE_FULL, SQLITE_IOERR)
 * reports that error, not "no such savepoint"; a parsing worker that dies is said plainly;
 * the import's transaction holds the write lock from its start and leaves the connection as
 * it found it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { writeInSavepoint, workerFault } from '../../src/io/importer.js';
import type { RowWriter } from '../../src/io/kind.js';
import { UserError } from '../../src/errors.js';
import { setLang } from '../../src/messages/index.js';
import type { DB } from '../../src/store/db.js';
import { beginImport } from '../../src/store/importTransaction.js';

setLang('en');
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');

let db: DB;
function fresh(): DB {
  db = new Database(':memory:');
  db.exec('CREATE TABLE t (x INTEGER NOT NULL); CREATE TABLE u (x INTEGER NOT NULL)');
  return db;
}
afterEach(() => db?.close());

const rows = () => db.prepare('SELECT (SELECT count(*) FROM t) AS t, (SELECT count(*) FROM u) AS u').get();

describe('writeInSavepoint: one row of several statements', () => {
  it('a row the writer rejects leaves none of its statements; a kept row all of them', () => {
    fresh();
    const writer: RowWriter<number> = {
      multiStatement: true,
      write(x) {
        db.prepare('INSERT INTO t VALUES (?)').run(x);
        db.prepare('INSERT INTO u VALUES (?)').run(x);
        return x < 0 ? { error: { column: 'x', value: String(x), reason: 'import.negative' } } : 'new';
      },
    };
    db.exec('BEGIN');
    expect(writeInSavepoint(db, writer, 1, 2)).toBe('new');
    expect(writeInSavepoint(db, writer, -1, 3)).toEqual({ error: expect.objectContaining({ reason: 'import.negative' }) });
    expect(db.inTransaction).toBe(true);
    db.exec('COMMIT');
    expect(rows()).toEqual({ t: 1, u: 1 });
  });

  it('a statement that fails inside the transaction: back to the savepoint, the transaction still open, the error itself thrown', () => {
    fresh();
    const failure = Object.assign(new Error('NOT NULL constraint failed: u.x'), { code: 'SQLITE_CONSTRAINT_NOTNULL' });
    const writer: RowWriter<number> = {
      multiStatement: true,
      write(x) {
        db.prepare('INSERT INTO t VALUES (?)').run(x);
        throw failure;
      },
    };
    db.exec('BEGIN');
    db.prepare('INSERT INTO t VALUES (0)').run();
    expect(() => writeInSavepoint(db, writer, 1, 2)).toThrow(failure);
    expect(db.inTransaction).toBe(true);
    expect(rows()).toEqual({ t: 1, u: 0 });
    db.exec('ROLLBACK');
  });

  it('SQLite rolled the whole transaction back itself (disk full): the disk-full error comes out, not "no such savepoint"', () => {
    fresh();
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const writer: RowWriter<number> = {
      multiStatement: true,
      write(x) {
        db.prepare('INSERT INTO t VALUES (?)').run(x);
        // what SQLite does on some SQLITE_FULL / SQLITE_IOERR: the whole transaction undone
        db.exec('ROLLBACK');
        throw full;
      },
    };
    db.exec('BEGIN');
    let thrown: unknown;
    try {
      writeInSavepoint(db, writer, 1, 2);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(full);
    expect(db.inTransaction).toBe(false);
    expect(rows()).toEqual({ t: 0, u: 0 });
  });
});

describe("beginImport: the import's one transaction", () => {
  it('holds the write lock from the start; end rolls back what is left open and restores the page cache, and never throws', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-tx-'));
    const file = path.join(dir, 't.db');
    const other = new Database(file, { timeout: 0 });
    try {
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (x INTEGER NOT NULL)');
      const cache = db.pragma('cache_size', { simple: true });
      const tx = beginImport(db);
      expect(tx.active).toBe(true);
      expect(db.pragma('cache_size', { simple: true })).not.toBe(cache);
      // another writer waits (here: fails at once, busy timeout 0) before a single row is written
      expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      db.prepare('INSERT INTO t VALUES (1)').run();
      tx.end();
      expect(tx.active).toBe(false);
      expect(db.pragma('cache_size', { simple: true })).toBe(cache);
      expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
      beginImport(db).commit();
      db.close();
      expect(() => tx.end()).not.toThrow();
    } finally {
      other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a lock it cannot get: the error thrown, nothing open, the page cache as it was', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-tx-'));
    const file = path.join(dir, 't.db');
    const other = new Database(file);
    try {
      other.pragma('journal_mode = WAL');
      other.exec('BEGIN IMMEDIATE');
      db = new Database(file, { timeout: 0 });
      const cache = db.pragma('cache_size', { simple: true });
      expect(() => beginImport(db)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      expect(db.inTransaction).toBe(false);
      expect(db.pragma('cache_size', { simple: true })).toBe(cache);
    } finally {
      other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('workerFault: the parsing worker died', () => {
  it('out of memory: split the file; nothing was changed; exit 1', () => {
    const e = workerFault(Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }), 'big.csv');
    expect(e).toBeInstanceOf(UserError);
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe('reading big.csv ran out of memory; nothing was changed');
    expect(e.hint).toMatch(/split the file into smaller files/);
  });

  it('any other death (an exception, an exit code): said plainly, nothing was changed, exit 1', () => {
    const e = workerFault(new Error('the reading thread ended with code 7'), 'big.csv');
    expect(e).toBeInstanceOf(UserError);
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe('reading big.csv failed (the reading thread ended with code 7); nothing was changed');
    expect(e.message).not.toContain('bug');
  });

  it('a file that cannot be read any more: with its reason', () => {
    const e = workerFault(Object.assign(new Error("EACCES: permission denied, open 'big.csv'"), { code: 'EACCES', path: 'big.csv' }), 'big.csv');
    expect(e.message).toBe("reading big.csv failed (EACCES: permission denied, open 'big.csv'); nothing was changed");
  });
});
