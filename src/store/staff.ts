/** The roster aggregate: upsert, listing, look-ups. */
import type { DB } from './db.js';
import type { StaffMember, Role } from '../domain/staff.js';
import type { WriteOutcome, RowWriter } from '../io/importer.js';
import type { Roster } from '../io/kinds/surveys.js';

interface StaffRow {
  staff_id: string;
  name: string;
  role: Role;
  team: string | null;
  district: string | null;
  areas: string | null;
  hired_on: string;
  regular_on: string | null;
  left_on: string | null;
  capacity: number | null;
}

function fromRow(r: StaffRow): StaffMember {
  return { ...r, areas: r.areas ? r.areas.split(';') : [] };
}

export function getStaff(db: DB, staffId: string): StaffMember | undefined {
  const r = db.prepare('SELECT * FROM staff WHERE staff_id = ?').get(staffId) as StaffRow | undefined;
  return r && fromRow(r);
}

/** By staff_id, or by an exact name that only one staff member has. */
export function findStaff(db: DB, idOrName: string): StaffMember | undefined {
  const byId = getStaff(db, idOrName);
  if (byId) return byId;
  const rows = db.prepare('SELECT * FROM staff WHERE name = ? LIMIT 2').all(idOrName) as StaffRow[];
  return rows.length === 1 ? fromRow(rows[0]) : undefined;
}

export interface StaffFilter {
  role?: Role;
  team?: string;
  activeOn?: string;
}

export function listStaff(db: DB, f: StaffFilter = {}): StaffMember[] {
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (f.role) {
    where.push('role = @role');
    params.role = f.role;
  }
  if (f.team) {
    where.push('team = @team');
    params.team = f.team;
  }
  if (f.activeOn) {
    where.push('hired_on <= @on AND (left_on IS NULL OR left_on > @on)');
    params.on = f.activeOn;
  }
  const sql = `SELECT * FROM staff ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY staff_id`;
  return (db.prepare(sql).all(params) as StaffRow[]).map(fromRow);
}

export function staffCount(db: DB): number {
  return (db.prepare('SELECT count(*) AS n FROM staff').get() as { n: number }).n;
}

/** What the survey worker needs to resolve collectors without the database. */
export function rosterIndex(db: DB): Roster {
  const rows = db.prepare('SELECT staff_id, name FROM staff').all() as { staff_id: string; name: string }[];
  const names = new Map<string, string>();
  for (const r of rows) names.set(r.name, names.has(r.name) ? '' : r.staff_id);
  return { ids: rows.map((r) => r.staff_id), names: [...names] };
}

const FIELDS = ['name', 'role', 'team', 'district', 'areas', 'hired_on', 'regular_on', 'left_on', 'capacity'] as const;

function toRow(s: StaffMember): StaffRow {
  return { ...s, areas: s.areas.length ? s.areas.join(';') : null };
}

/**
 * Upsert by staff_id. Reports leavers (left_on newly set) through `onLeft`, so the caller
 * can hand their customers over in the same transaction.
 */
export function staffWriter(db: DB, onLeft?: (staffId: string, leftOn: string) => void): RowWriter<StaffMember> & { leavers: [string, string][] } {
  const select = db.prepare('SELECT * FROM staff WHERE staff_id = ?');
  const insert = db.prepare(
    `INSERT INTO staff (staff_id, name, role, team, district, areas, hired_on, regular_on, left_on, capacity)
     VALUES (@staff_id, @name, @role, @team, @district, @areas, @hired_on, @regular_on, @left_on, @capacity)`,
  );
  const update = db.prepare(
    `UPDATE staff SET name=@name, role=@role, team=@team, district=@district, areas=@areas, hired_on=@hired_on,
       regular_on=@regular_on, left_on=@left_on, capacity=@capacity,
       updated_at=strftime('%Y-%m-%dT%H:%M:%S','now','localtime')
     WHERE staff_id=@staff_id`,
  );
  const leavers: [string, string][] = [];
  return {
    leavers,
    write(s): WriteOutcome {
      const row = toRow(s);
      const old = select.get(s.staff_id) as StaffRow | undefined;
      if (!old) {
        insert.run(row);
        if (row.left_on) leavers.push([s.staff_id, row.left_on]);
        return 'new';
      }
      if (FIELDS.every((f) => (old[f] ?? null) === (row[f] ?? null))) return 'unchanged';
      update.run(row);
      if (row.left_on && old.left_on !== row.left_on) leavers.push([s.staff_id, row.left_on]);
      return 'updated';
    },
    finish() {
      if (onLeft) for (const [id, on] of leavers) onLeft(id, on);
    },
  };
}

export function insertStaff(db: DB, s: StaffMember): void {
  db.prepare(
    `INSERT INTO staff (staff_id, name, role, team, district, areas, hired_on, regular_on, left_on, capacity)
     VALUES (@staff_id, @name, @role, @team, @district, @areas, @hired_on, @regular_on, @left_on, @capacity)`,
  ).run(toRow(s));
}

export function setLeftOn(db: DB, staffId: string, leftOn: string): void {
  db.prepare(`UPDATE staff SET left_on = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%S','now','localtime') WHERE staff_id = ?`).run(leftOn, staffId);
}
