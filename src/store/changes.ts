/**
 * The change log (issue 13): every update of a stored row by an import or a command, one
 * entry per field with its old and new value, the command and the time. Append-only (the
 * schema refuses UPDATE, DELETE and INSERT OR REPLACE on `changes`). Values are stored as
 * they are; sealed ones are masked where the log is shown (`audit --changes`).
 */
import os from 'node:os';
import { redactSecrets } from './address.js';
import type { DB } from './db.js';
import { sqlFor } from './engine.js';

export type ChangeValue = string | number | boolean | null | undefined;

export interface ChangeEntry {
  change_id: number;
  at: string;
  kind: string;
  key: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  command: string;
  os_user: string | null;
}

export interface ChangeLog {
  /**
   * Records the fields whose value differs between `before` and `after` (only the `fields`
   * given, or every key of `after`); returns how many fields changed.
   */
  record(kind: string, key: string, before: Record<string, ChangeValue>, after: Record<string, ChangeValue>, fields?: readonly string[]): number;
  /** one field set explicitly (e.g. a leave undone by `staff rehire`) */
  field(kind: string, key: string, field: string, oldValue: ChangeValue, newValue: ChangeValue): void;
}

function text(v: ChangeValue): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

function osUser(): string | null {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? null;
  }
}

/** A log for one command (`command` as the user would recognise it: "orders import o.csv"). */
export function changeLog(db: DB, command: string): ChangeLog {
  // a server's password never kept (issue 19)
  const shownCommand = redactSecrets(command);
  const insert = db.prepare('INSERT INTO changes (kind, key, field, old_value, new_value, command, os_user) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const user = osUser();
  const field = (kind: string, key: string, f: string, o: ChangeValue, n: ChangeValue) => {
    insert.run(kind, key, f, text(o), text(n), shownCommand, user);
  };
  return {
    field,
    record(kind, key, before, after, fields) {
      let n = 0;
      for (const f of fields ?? Object.keys(after)) {
        const o = text(before[f]);
        const v = text(after[f]);
        if (o === v) continue;
        field(kind, key, f, o, v);
        n++;
      }
      return n;
    },
  };
}

/** A log that records nothing (dry runs, tests of a writer alone). */
export const NO_CHANGE_LOG: ChangeLog = { record: () => 0, field: () => {} };

/**
 * The kinds the writers record (the key of each): staff (staff_id), customers (customer_id:
 * imports, and the owner and pin `assign set` / `assign unpin` change),
 * events (`customer_id|event_date|event`), followups (followup_id), orders (order_no), trips
 * (trip_no), expenses (`trip_no#line_no`), policy (effective_from: the document a `policy load
 * --replace` replaced). `audit --changes --kind` takes these, and any other kind already in the log.
 */
export const CHANGE_KINDS = ['staff', 'customers', 'events', 'followups', 'orders', 'trips', 'expenses', 'policy'] as const;

export interface ChangeFilter {
  kind?: string;
  /**
   * the row's key; a composite key also matches by its leading part: `T001` finds the lines
   * `T001#1`, `T001#2` of trip T001's expenses, `12` the events `12|2024-07-01|…` of customer 12
   */
  key?: string;
  /** local dates (YYYY-MM-DD), inclusive */
  from?: string;
  to?: string;
}

function changeQuery(db: DB, f: ChangeFilter, limit?: number): { sql: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (f.kind) (where.push('kind = @kind'), (params.kind = f.kind));
  if (f.key) {
    // exact, or the leading part of a composite key (`#` and `|` join the parts); no LIKE, so
    // `_` and `%` in a key are themselves
    where.push("(key = @key OR substr(key, 1, length(@key) + 1) IN (@key || '#', @key || '|'))");
    params.key = f.key;
  }
  if (f.from) (where.push('at >= @from'), (params.from = f.from));
  if (f.to) {
    // the day after `to`: SQLite's date modifier, a server's date arithmetic
    where.push(sqlFor(db, { sqlite: "at < date(@to, '+1 day')", postgres: 'at < (CAST(@to AS text)::date + 1)::text' }));
    params.to = f.to;
  }
  let sql = `SELECT change_id, at, kind, key, field, old_value, new_value, command, os_user FROM changes${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY change_id`;
  if (limit !== undefined) (sql += ' LIMIT @limit'), (params.limit = limit);
  return { sql, params };
}

/** The entries that match, oldest first. */
export function listChanges(db: DB, f: ChangeFilter = {}): ChangeEntry[] {
  const q = changeQuery(db, f);
  return db.prepare(q.sql).all(q.params) as ChangeEntry[];
}

/**
 * The same entries streamed (the log grows with every correction: a listing never holds it
 * all); at most `limit` when given. The connection is busy until the iterator is done.
 */
export function iterateChanges(db: DB, f: ChangeFilter = {}, limit?: number): IterableIterator<ChangeEntry> {
  const q = changeQuery(db, f, limit);
  return db.prepare(q.sql).iterate(q.params) as IterableIterator<ChangeEntry>;
}

/** The kinds a filter may name: the known ones, then any other kind already in the log. */
export function changeKinds(db: DB): string[] {
  const known: string[] = [...CHANGE_KINDS];
  for (const k of db.prepare('SELECT DISTINCT kind FROM changes ORDER BY kind').pluck().all() as string[]) if (!known.includes(k)) known.push(k);
  return known;
}
