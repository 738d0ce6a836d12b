/**
 * The change log (issue 13): every update of a stored row by an import or a command, one
 * entry per field with its old and new value, the command and the time. Append-only (the
 * schema refuses UPDATE, DELETE and INSERT OR REPLACE on `changes`). Values are stored as
 * they are; sealed ones are masked where the log is shown (`audit --changes`).
 */
import os from 'node:os';
import type { DB } from './db.js';

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
  const insert = db.prepare('INSERT INTO changes (kind, key, field, old_value, new_value, command, os_user) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const user = osUser();
  const field = (kind: string, key: string, f: string, o: ChangeValue, n: ChangeValue) => {
    insert.run(kind, key, f, text(o), text(n), command, user);
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

export interface ChangeFilter {
  kind?: string;
  key?: string;
  /** local dates, inclusive */
  from?: string;
  to?: string;
}

export function listChanges(db: DB, f: ChangeFilter = {}): ChangeEntry[] {
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (f.kind) (where.push('kind = @kind'), (params.kind = f.kind));
  if (f.key) (where.push('key = @key'), (params.key = f.key));
  if (f.from) (where.push('at >= @from'), (params.from = f.from));
  if (f.to) (where.push("at < date(@to, '+1 day')"), (params.to = f.to));
  const sql = `SELECT * FROM changes${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY change_id`;
  return db.prepare(sql).all(params) as ChangeEntry[];
}
