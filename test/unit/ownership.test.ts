/**
 * issue 18: a customer's ownership timeline from the assignment history (store/ownership.ts),
 * and `export assignments` reading each row as a period of ownership (until, days), on a
 * database in memory with the schema of every migration.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrations } from '../../src/store/migrations.js';
import { nextAssignedOn, ownershipOf } from '../../src/store/ownership.js';
import { exportRows, exportSql } from '../../src/store/exports.js';
import { exportData } from '../../src/app/export/exportData.js';
import type { DB } from '../../src/store/db.js';

let db: DB;

beforeAll(() => {
  db = new Database(':memory:');
  for (const m of migrations) {
    db.exec(m.sql);
    m.data?.(db);
  }
  db.exec(`
    INSERT INTO staff (staff_id, name, role, team, hired_on) VALUES
      ('R1','刘芳','rep','T1','2020-01-01'), ('R2','杨洋','rep','T1','2020-01-01'), ('R3','赵敏','rep','T2','2020-01-01');
    INSERT INTO customers (customer_id, name, phone, collector_id, collected_on, owner_id) VALUES
      (1,'许金凤','13800007919','R1','2024-05-01','R1'), (2,'陈玉兰','13800079190','R1','2024-05-02','R3'), (3,'王秀英','13900001111','R2','2024-05-03',NULL);
    -- ids not in date order: the handover of customer 1 dated the leaver's last day (2024-07-10) is
    -- written after a row of customer 2 dated later; customer 1's assignment and pin share a day
    INSERT INTO assignments (assignment_id, customer_id, staff_id, previous_staff_id, rule, explanation, assigned_on) VALUES
      (1, 1, 'R1', NULL, 'collector', 'collector R1 is an active rep', '2024-06-01'),
      (2, 2, 'R1', NULL, 'collector', 'collector R1 is an active rep', '2024-06-01'),
      (3, 1, 'R2', 'R1', 'pin', 'manager''s pin: 家属13812345678要求', '2024-06-01'),
      (4, 2, 'R3', 'R1', 'workload', 're-run', '2024-07-20'),
      (5, 1, 'R1', 'R2', 'handover', 'handover from R2', '2024-07-10');
  `);
});

describe('ownershipOf', () => {
  it('one period per change of owner, oldest first; until the next one (exclusive), null for the current', () => {
    expect(ownershipOf(db, 1)).toEqual([
      { from: '2024-06-01', until: '2024-06-01', staff_id: 'R1', staff_name: '刘芳', rule: 'collector', previous_staff_id: null },
      { from: '2024-06-01', until: '2024-07-10', staff_id: 'R2', staff_name: '杨洋', rule: 'pin', previous_staff_id: 'R1' },
      { from: '2024-07-10', until: null, staff_id: 'R1', staff_name: '刘芳', rule: 'handover', previous_staff_id: 'R2' },
    ]);
    expect(ownershipOf(db, 2).map((p) => [p.from, p.until, p.staff_id])).toEqual([
      ['2024-06-01', '2024-07-20', 'R1'],
      ['2024-07-20', null, 'R3'],
    ]);
  });

  it('none for a customer never assigned', () => {
    expect(ownershipOf(db, 3)).toEqual([]);
  });
});

describe('export assignments: each row a period of ownership', () => {
  it('until is the customer\'s next change of owner, in the export\'s order (assignment_id)', () => {
    const rows = [...exportRows(db, { kind: 'assignments', range: null, asOf: '2024-07-31' })];
    expect(rows.map((r) => [r.assignment_id, r.customer_id, r.assigned_on, r.until])).toEqual([
      [1, 1, '2024-06-01', '2024-06-01'],
      [2, 2, '2024-06-01', '2024-07-20'],
      [3, 1, '2024-06-01', '2024-07-10'],
      [4, 2, '2024-07-20', null],
      [5, 1, '2024-07-10', null],
    ]);
  });

  it('with --period, a row\'s until is still its next change, if it falls after the period', () => {
    const june = { from: '2024-06-01', to: '2024-06-30' };
    expect([...exportRows(db, { kind: 'assignments', range: june, asOf: '2024-07-31' })].map((r) => [r.assignment_id, r.until])).toEqual([
      [1, '2024-06-01'],
      [2, '2024-07-20'],
      [3, '2024-07-10'],
    ]);
  });

  it('a row written after the pass of the untils is left out, not shown with its predecessor still current', () => {
    const next = nextAssignedOn(db, null);
    db.exec('BEGIN');
    try {
      db.exec("INSERT INTO assignments (assignment_id, customer_id, staff_id, previous_staff_id, rule, explanation, assigned_on) VALUES (6, 2, 'R1', 'R3', 'pin', 'later', '2024-07-25')");
      const { sql, params } = exportSql({ kind: 'assignments', range: null, asOf: '2024-07-31', upTo: next.upTo });
      expect(db.prepare(sql).all(params).map((r) => (r as { assignment_id: number }).assignment_id)).toEqual([1, 2, 3, 4, 5]);
      expect([next.upTo, next.until(4), next.until(6)]).toEqual([5, null, null]);
    } finally {
      db.exec('ROLLBACK');
    }
  });

  it('days: until − from, up to --as-of for the current owner, 0 for a row dated after --as-of', () => {
    const days = (asOf: string) => {
      const listing = exportData(db, { kind: 'assignments', period: null, asOf, approval: null, by: 'staff', classes: false, totals: false, target: 'stdout', command: 'test' });
      expect(listing.columns.map((c) => c.key).slice(-2)).toEqual(['until', 'days']);
      return [...listing.rows].map((r) => [r.assignment_id, r.days]);
    };
    expect(days('2024-07-31')).toEqual([
      [1, 0],
      [2, 49],
      [3, 39],
      [4, 11],
      [5, 21],
    ]);
    // on 2024-07-15 the row of 2024-07-20 was not held yet
    expect(days('2024-07-15')).toEqual([
      [1, 0],
      [2, 49],
      [3, 39],
      [4, 0],
      [5, 5],
    ]);
  });
});
