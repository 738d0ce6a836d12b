/** Backups and integrity checks (SPEC §7: nothing lost). */
import fs from 'node:fs';
import type { DB } from './db.js';
import { parsePolicy } from '../domain/policyDocument.js';
import { DEFAULT_POLICY } from '../domain/policy.js';

/** SQLite's online backup API: a consistent copy while other commands keep writing. */
export async function backupTo(db: DB, file: string): Promise<{ pages: number }> {
  const tmp = `${file}.partial`;
  fs.rmSync(tmp, { force: true });
  // owner-only from the first byte (SQLite would create it with the umask's mode)
  fs.closeSync(fs.openSync(tmp, 'wx', 0o600));
  const r = await db.backup(tmp);
  fs.chmodSync(tmp, 0o600);
  // only a complete copy takes the name
  fs.renameSync(tmp, file);
  return { pages: r.totalPages };
}

export interface Problem {
  check: string;
  count: number;
  sample: string;
}

/** The database's own checks, then the domain's invariants. Empty when all is well. */
export function runChecks(db: DB): Problem[] {
  const problems: Problem[] = [];
  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  if (!(integrity.length === 1 && integrity[0].integrity_check === 'ok')) {
    problems.push({ check: 'integrity_check', count: integrity.length, sample: integrity.slice(0, 3).map((r) => r.integrity_check).join('; ') });
  }
  const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  if (fk.length) problems.push({ check: 'foreign_key_check', count: fk.length, sample: fk.slice(0, 3).map((r) => `${r.table}#${r.rowid} → ${r.parent}`).join('; ') });
  const invariant = (check: string, sql: string) => {
    const rows = db.prepare(sql).all() as { sample: string }[];
    if (rows.length) problems.push({ check, count: rows.length, sample: rows.slice(0, 3).map((r) => r.sample).join('; ') });
  };
  // §3.4: a leaver cannot remain the owner of anything
  invariant(
    'leaver_owns_customer',
    `SELECT 'customer ' || c.customer_id || ' owned by ' || s.staff_id || ' (left ' || s.left_on || ')' AS sample
       FROM customers c JOIN staff s ON s.staff_id = c.owner_id WHERE s.left_on IS NOT NULL`,
  );
  invariant(
    'leaver_has_open_task',
    `SELECT 'task ' || t.task_id || ' of ' || s.staff_id AS sample
       FROM tasks t JOIN staff s ON s.staff_id = t.staff_id WHERE t.status = 'open' AND s.left_on IS NOT NULL`,
  );
  // §3.1: only reps own customers
  invariant(
    'non_rep_owns_customer',
    `SELECT 'customer ' || c.customer_id || ' owned by ' || s.staff_id || ' (' || s.role || ')' AS sample
       FROM customers c JOIN staff s ON s.staff_id = c.owner_id WHERE s.role <> 'rep'`,
  );
  // §3.2: an open rep task belongs to the customer's owner
  invariant(
    'rep_task_not_owner',
    `SELECT 'task ' || t.task_id || ' staff ' || ifnull(t.staff_id, '-') || ' owner ' || ifnull(c.owner_id, '-') AS sample
       FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
      WHERE t.status = 'open' AND t.role = 'rep' AND t.staff_id IS NOT c.owner_id`,
  );
  invariant(
    'task_done_without_date',
    `SELECT 'task ' || task_id AS sample FROM tasks WHERE (status = 'done') <> (done_on IS NOT NULL)`,
  );
  // money: a purchase at an event recorded with an amount has its order, with the same amount
  invariant(
    'event_purchase_without_order',
    `SELECT 'event ' || e.event_id AS sample FROM events e
      WHERE e.purchased = 1 AND e.amount_fen IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = e.customer_id AND o.order_date = e.event_date AND o.source = 'event' AND o.amount_fen = e.amount_fen)`,
  );
  invariant('negative_money', `SELECT 'order ' || order_no AS sample FROM orders WHERE amount_fen < 0 UNION ALL SELECT 'expense ' || expense_id FROM expenses WHERE amount_fen < 0`);
  invariant('trip_dates', `SELECT 'trip ' || trip_no AS sample FROM trips WHERE end_date < start_date`);
  // §6: every stored policy version is complete and valid (commands trust them as stored)
  const bad: string[] = [];
  for (const r of db.prepare('SELECT effective_from, document FROM policy_versions ORDER BY effective_from').all() as { effective_from: string; document: string }[]) {
    let json: unknown;
    try {
      json = JSON.parse(r.document);
    } catch (e) {
      bad.push(`${r.effective_from}: ${(e as Error).message}`);
      continue;
    }
    const parsed = parsePolicy(json, { base: DEFAULT_POLICY });
    if (!parsed.ok) bad.push(`${r.effective_from}: ${parsed.errors.slice(0, 2).join('; ')}`);
    else if (parsed.policy.effective_from !== r.effective_from) bad.push(`${r.effective_from}: the document says ${parsed.policy.effective_from}`);
  }
  if (bad.length) problems.push({ check: 'policy_version_invalid', count: bad.length, sample: bad.slice(0, 3).join('; ') });
  return problems;
}
