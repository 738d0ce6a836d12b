/** The append-only audit log (§5): triggers in the schema refuse UPDATE and DELETE. */
import os from 'node:os';
import { redactSecrets } from './address.js';
import type { DB } from './db.js';
import { sqlFor } from './engine.js';

export interface AuditEntry {
  audit_id: number;
  at: string;
  action: string;
  approved_by: string | null;
  reason: string | null;
  subject: string | null;
  detail: string | null;
  os_user: string | null;
}

export function appendAudit(db: DB, e: { action: string; approved_by: string | null; reason: string | null; subject: string; detail?: string }): void {
  let user: string | null = null;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? null;
  }
  db.prepare('INSERT INTO audit_log (action, approved_by, reason, subject, detail, os_user) VALUES (?, ?, ?, ?, ?, ?)').run(
    e.action,
    e.approved_by,
    e.reason,
    // a server's password never kept, however a caller worded the entry (issue 19)
    redactSecrets(e.subject),
    e.detail === undefined ? null : redactSecrets(e.detail),
    user,
  );
}

/**
 * The entries of a period (local dates, both ends included), oldest first, streamed: the log
 * grows with every reveal and export. The connection is busy until the iterator is done.
 */
export function listAudit(db: DB, f: { from?: string; to?: string } = {}): IterableIterator<AuditEntry> {
  return db
    .prepare(
      sqlFor(db, {
        sqlite: `SELECT * FROM audit_log WHERE (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < date(@to, '+1 day')) ORDER BY audit_id`,
        // a server must know a parameter's type before `IS NULL`; the day after by date arithmetic
        postgres: `SELECT * FROM audit_log WHERE (CAST(@from AS text) IS NULL OR at >= @from) AND (CAST(@to AS text) IS NULL OR at < (CAST(@to AS text)::date + 1)::text) ORDER BY audit_id`,
      }),
    )
    .iterate({ from: f.from ?? null, to: f.to ?? null }) as IterableIterator<AuditEntry>;
}
