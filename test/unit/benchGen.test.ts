/**
 * The bench's databases (scripts/bench/gen-sql.mjs) look like what salesops writes (issue 18):
 * filled at a small size into a database made by the migrations, as the bench fills its own
 * (indexes and triggers dropped, then recreated from their stored SQL), the history agrees
 * with itself and with the rules salesops keeps, so `followups due --as-of` of a past day and
 * a closed month's `kpi` read data shaped like a real database's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type DB } from '../../src/store/db.js';
import { runChecks } from '../../src/store/maintenance.js';
// @ts-expect-error a script of the repository, plain JavaScript
import { AS_OF, assignFill, fillScript, opsFill } from '../../scripts/bench/gen-sql.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-benchgen-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A database made by the migrations, filled as scripts/bench.mjs fills its own. */
function filled(name: string, fill: string): DB {
  const db = openDb(path.join(dir, `${name}.db`), { create: true });
  const drop = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type = 'trigger', rowid").all();
  db.exec(fillScript(fill, drop));
  return db;
}

const count = (db: DB, sql: string) => db.prepare(sql).pluck().get() as number;

describe('the due/kpi database (opsFill) keeps the history salesops keeps', () => {
  const db = filled('ops', opsFill({ customers: 4000, tasks: 20000, orders: 4000 }));

  it('every task has the day it came into being: not after its deadline nor as-of, and it was closed on or after it', () => {
    expect(count(db, 'SELECT count(*) FROM tasks WHERE created_on IS NULL')).toBe(0);
    expect(count(db, `SELECT count(*) FROM tasks WHERE created_on > due_by OR created_on > '${AS_OF}'`)).toBe(0);
    expect(count(db, 'SELECT count(*) FROM tasks WHERE done_on < created_on OR cancelled_on < created_on')).toBe(0);
  });

  it('a cancelled task is a non-buyer task a purchase cancelled by as-of, some after their deadline; no other task has a cancellation', () => {
    expect(count(db, "SELECT count(*) FROM tasks WHERE status = 'cancelled'")).toBeGreaterThan(0);
    expect(count(db, `SELECT count(*) FROM tasks WHERE status = 'cancelled' AND (cancelled_on IS NULL OR cancelled_on > '${AS_OF}' OR cancel_reason IS NOT 'purchase' OR plan <> 'non_buyer')`)).toBe(0);
    expect(count(db, "SELECT count(*) FROM tasks WHERE status = 'cancelled' AND cancelled_on > due_by")).toBeGreaterThan(0);
    expect(count(db, "SELECT count(*) FROM tasks WHERE status <> 'cancelled' AND (cancelled_on IS NOT NULL OR cancel_reason IS NOT NULL)")).toBe(0);
  });

  it("each customer's last assignment is its owner now, since the day customers.assigned_on says", () => {
    const off = count(
      db,
      `SELECT count(*) FROM customers c WHERE NOT EXISTS (
         SELECT 1 FROM assignments a WHERE a.customer_id = c.customer_id AND a.staff_id = c.owner_id AND a.assigned_on = c.assigned_on
           AND a.assignment_id = (SELECT max(b.assignment_id) FROM assignments b WHERE b.customer_id = c.customer_id))`,
    );
    expect(off).toBe(0);
    expect(count(db, "SELECT count(*) FROM assignments WHERE rule = 'collector'")).toBeGreaterThan(0);
  });

  it('about 2% handed over on their leaver’s left_on, each rep task open that day moved to the new owner', () => {
    const handed = count(db, "SELECT count(*) FROM assignments WHERE rule = 'handover'");
    expect(handed / 4000).toBeGreaterThan(0.01);
    expect(handed / 4000).toBeLessThan(0.04);
    expect(count(db, "SELECT count(*) FROM assignments a JOIN staff s ON s.staff_id = a.previous_staff_id WHERE a.rule = 'handover' AND a.assigned_on IS NOT s.left_on")).toBe(0);
    expect(count(db, 'SELECT count(*) FROM handovers')).toBe(handed);
    // every move is the handover of its customer: from the leaver to the new owner, that day
    const moves = count(db, 'SELECT count(*) FROM task_moves');
    expect(moves).toBeGreaterThan(0);
    const agree = count(
      db,
      `SELECT count(*) FROM task_moves m JOIN tasks t ON t.task_id = m.task_id
         JOIN assignments a ON a.customer_id = t.customer_id AND a.rule = 'handover'
        WHERE m.moved_on = a.assigned_on AND m.from_staff_id = a.previous_staff_id AND m.to_staff_id = a.staff_id AND m.reason = 'handover'
          AND t.role = 'rep' AND t.moved_on = m.moved_on AND t.created_on < m.moved_on AND ifnull(t.done_on, ifnull(t.cancelled_on, '9999')) >= m.moved_on`,
    );
    expect(agree).toBe(moves);
    // and no rep task of theirs open on that day was left behind; those closed before stay with the leaver
    const missed = count(
      db,
      `SELECT count(*) FROM tasks t JOIN assignments a ON a.customer_id = t.customer_id AND a.rule = 'handover'
        WHERE t.role = 'rep' AND t.created_on < a.assigned_on AND ifnull(t.done_on, ifnull(t.cancelled_on, '9999')) >= a.assigned_on AND t.moved_on IS NULL`,
    );
    expect(missed).toBe(0);
    expect(
      count(
        db,
        `SELECT count(*) FROM tasks t JOIN assignments a ON a.customer_id = t.customer_id AND a.rule = 'handover'
          WHERE t.role = 'rep' AND ifnull(t.done_on, t.cancelled_on) < a.assigned_on AND t.staff_id IS NOT a.previous_staff_id`,
      ),
    ).toBe(0);
  });

  it('nine reps changed team during 2024, one of them in July and one in November', () => {
    expect(count(db, "SELECT count(*) FROM staff_history h JOIN staff s USING (staff_id) WHERE s.role = 'rep' AND h.team <> s.team AND h.until_on LIKE '2024-%'")).toBe(9);
    expect(count(db, "SELECT count(*) FROM staff_history WHERE until_on LIKE '2024-07-%' OR until_on LIKE '2024-11-%'")).toBe(2);
  });

  it('salesops check finds only what the generator does not model: plans derived from files and events', () => {
    expect(runChecks(db).map((p) => p.check)).toEqual(['plan_disagrees_with_events']);
  });
});

describe('the assign database (assignFill)', () => {
  const db = filled('assign', assignFill({ unassigned: 4000, owned: 400 }));

  it('the owned customers have their assignment; the waiting plans start when their file opened', () => {
    expect(count(db, 'SELECT count(*) FROM customers c WHERE c.owner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.customer_id = c.customer_id AND a.staff_id = c.owner_id AND a.assigned_on = c.assigned_on)')).toBe(0);
    expect(count(db, 'SELECT count(*) FROM assignments')).toBe(400);
    expect(count(db, 'SELECT count(*) FROM tasks WHERE created_on IS NULL OR created_on > due_by OR done_on < created_on')).toBe(0);
    expect(count(db, "SELECT count(*) FROM tasks t JOIN files f USING (customer_id) WHERE t.status = 'open' AND t.created_on <> f.opened_on")).toBe(0);
  });
});
