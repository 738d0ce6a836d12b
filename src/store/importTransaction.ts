/**
 * The one transaction of a CSV import (SPEC §2: all of it is written, or nothing) and the
 * savepoint of one row. The import is asynchronous (its rows come from the parsing worker),
 * so it cannot be one `inTransaction` callback: the importer opens it, writes its rows,
 * then commits or rolls back, and `end` cleans up whatever happened in between.
 */
import { beginImmediate, type DB } from './db.js';

/**
 * SQLite page cache during an import, in KiB (16 MiB otherwise). Rows go into unique
 * indexes at random places (phone + name); with those pages in cache they are not written
 * out to the WAL and read back again and again before the commit. It bounds memory
 * whatever the size of the file: 32 MiB keeps a 1,000,000-row survey import under 200 MB
 * (issue 17: 48 MiB took it to 199–210 MB, for no time measurable at 1,000,000 rows).
 */
const IMPORT_CACHE_KIB = 32 * 1024;

export interface ImportTransaction {
  /** still open: false once committed or rolled back, also when SQLite rolled it back itself (a full disk) */
  readonly active: boolean;
  commit(): void;
  rollback(): void;
  /**
   * Whatever happened: rolled back if still open, the page cache as it was. Never throws,
   * so it never hides the error being thrown (SQLite may have rolled back on its own already,
   * the connection may be closed).
   */
  end(): void;
}

/**
 * Takes the write lock at once (BEGIN IMMEDIATE), before a single row is parsed: the one
 * wait for another writer (the busy timeout, §7), and every write of the import inside this
 * one transaction. A lock time-out throws here, with nothing read and nothing written; a
 * wait past a second is said through the connection's `onWait` (issue 15).
 */
export function beginImport(db: DB): ImportTransaction {
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  const restoreCache = () => {
    try {
      if (db.open) db.pragma(`cache_size = ${cacheBefore}`);
    } catch {
      // the connection is closed right after
    }
  };
  try {
    db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
    beginImmediate(db);
  } catch (e) {
    restoreCache();
    throw e;
  }
  return {
    get active() {
      return db.open && db.inTransaction;
    },
    commit: () => db.exec('COMMIT'),
    rollback: () => db.exec('ROLLBACK'),
    end() {
      try {
        if (db.open && db.inTransaction) db.exec('ROLLBACK');
      } catch {
        // nothing left to roll back
      }
      restoreCache();
    },
  };
}

/**
 * One row written by several statements, in a savepoint: a row that `undo` says was
 * rejected leaves nothing. A statement that fails with SQLITE_FULL, SQLITE_IOERR… may have
 * made SQLite roll back the whole transaction already: there is no savepoint to go back to
 * then, and the error to report is the statement's, never "no such savepoint".
 */
export function inRowSavepoint<R>(db: DB, write: () => R, undo: (result: R) => boolean): R {
  db.exec('SAVEPOINT row');
  let result: R;
  try {
    result = write();
  } catch (e) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK TO row; RELEASE row');
      } catch {
        // the first error is the one that says what happened
      }
    }
    throw e;
  }
  if (undo(result)) db.exec('ROLLBACK TO row');
  db.exec('RELEASE row');
  return result;
}
