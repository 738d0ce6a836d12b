/**
 * src/store/history.ts (issue 18): the pure piece (a rep task's holders from its customer's
 * owner changes) and what migration 7 derives from an older database's change log.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { deriveHistory, repHolding, staffPeriods, type OwnerChange } from '../../src/store/history.js';
import { periodOn } from '../../src/domain/kpi.js';

const change = (assigned_on: string, staff_id: string, previous_staff_id: string | null, rule = 'nearness'): OwnerChange => ({ assigned_on, staff_id, previous_staff_id, rule });

describe('repHolding: a rep task is held by whoever owned its customer each day it was open (§3.2)', () => {
  const changes = [change('2024-04-02', 'R1', null, 'collector'), change('2024-05-15', 'R2', 'R1', 'handover'), change('2024-06-01', 'R3', 'R2', 'pin')];
  it.each<[string, string, string | null, string | null, string[]]>([
    ['started before any owner change after it', '2024-05-02', null, 'R1', ['2024-05-15 R1→R2 handover', '2024-06-01 R2→R3 pin']],
    ['closed before the handover: never moved', '2024-05-02', '2024-05-10', 'R1', []],
    ['closed on the day of the handover: moved that day', '2024-05-02', '2024-05-15', 'R1', ['2024-05-15 R1→R2 handover']],
    ['started on the day of a change: held by the new owner', '2024-05-15', null, 'R2', ['2024-06-01 R2→R3 pin']],
    ['started before the first assignment: no one, then the first owner', '2024-04-01', null, null, ['2024-04-02 -→R1 assign', '2024-05-15 R1→R2 handover', '2024-06-01 R2→R3 pin']],
  ])('%s', (_why, from, until, first, moves) => {
    const h = repHolding(changes, from, until);
    expect(h.first).toBe(first);
    expect(h.moves.map((m) => `${m.moved_on} ${m.from_staff_id ?? '-'}→${m.to_staff_id} ${m.reason}`)).toEqual(moves);
  });
});

describe('migration 7 reads the change log for earlier teams and roles', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-history-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('each team or role change of the log gives the value before it, valid until the day it was recorded', () => {
    const db = openDb(path.join(dir, 'h.db'), { create: true });
    try {
      db.exec(`INSERT INTO staff (staff_id, name, role, team, hired_on) VALUES ('R2', '杨洋', 'supervisor', '三部', '2022-05-10'), ('R3', '赵敏', 'rep', '二部', '2023-01-01');
        INSERT INTO changes (at, kind, key, field, old_value, new_value, command) VALUES
          ('2024-03-01T09:00:00', 'staff', 'R2', 'team', '一部', '二部', 'staff import a.csv'),
          ('2024-05-25T10:00:00', 'staff', 'R2', 'team', '二部', '三部', 'staff import b.csv'),
          ('2024-05-25T10:00:00', 'staff', 'R2', 'role', 'rep', 'supervisor', 'staff import b.csv'),
          ('2024-05-26T10:00:00', 'staff', 'R3', 'district', '330106', '330726', 'staff import c.csv');`);
      const notes = deriveHistory(db);
      expect(notes).toEqual([{ key: 'migrate.history.staff', params: { n: 3 } }]);
      const periods = staffPeriods(db).filter((p) => p.staff_id === 'R2');
      expect(periods).toEqual([
        { staff_id: 'R2', team: '一部', role: 'rep', from_on: null, until_on: '2024-03-01' },
        { staff_id: 'R2', team: '二部', role: 'rep', from_on: '2024-03-01', until_on: '2024-05-25' },
        // the team and the role changed on one day: the value of that day is the new one
        { staff_id: 'R2', team: '三部', role: 'supervisor', from_on: '2024-05-25', until_on: null },
      ]);
      expect(periodOn(periods, '2024-05-24')?.team).toBe('二部');
      expect(periodOn(periods, '2024-05-25')).toMatchObject({ team: '三部', role: 'supervisor' });
      expect(staffPeriods(db).filter((p) => p.staff_id === 'R3')).toEqual([{ staff_id: 'R3', team: '二部', role: 'rep', from_on: null, until_on: null }]);
    } finally {
      db.close();
    }
  });
});
