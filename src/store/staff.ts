/** The roster aggregate: upsert, listing, look-ups. */
import type { DB } from './db.js';
import { keepStaffValues } from './history.js';
import type { StaffMember, Role } from '../domain/staff.js';
import type { RowWriter, WriteOutcome } from '../io/kind.js';
import type { Roster } from '../io/kinds/staffRef.js';
import { NO_CHANGE_LOG, type ChangeLog } from './changes.js';
import { sqlFor } from './engine.js';

/**
 * issue 19: SQLite's strftime('%Y-%m-%dT%H:%M:%S','now','localtime') on PostgreSQL, as the
 * schema's timestamp defaults write it (store/pg/schema.ts NOW: the session's TimeZone is the
 * client's zone).
 */
const PG_NOW = `to_char(statement_timestamp(), 'YYYY-MM-DD"T"HH24:MI:SS')`;

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

/**
 * What an import worker needs to resolve staff references without the database
 * (src/io/kinds/staffRef.ts): the ids, each name's one staff_id ('' when shared) and, for
 * the shared names, who has them with their teams (the message lists them).
 */
export function rosterIndex(db: DB): Roster {
  const rows = db.prepare('SELECT staff_id, name, team FROM staff ORDER BY staff_id').all() as { staff_id: string; name: string; team: string | null }[];
  const names = new Map<string, string>();
  const byName = new Map<string, [string, string | null][]>();
  for (const r of rows) {
    names.set(r.name, names.has(r.name) ? '' : r.staff_id);
    const list = byName.get(r.name);
    if (list) list.push([r.staff_id, r.team]);
    else byName.set(r.name, [[r.staff_id, r.team]]);
  }
  const shared = [...byName].filter(([, list]) => list.length > 1);
  return { ids: rows.map((r) => r.staff_id), names: [...names], shared };
}

const FIELDS = ['name', 'role', 'team', 'district', 'areas', 'hired_on', 'regular_on', 'left_on', 'capacity'] as const;

function toRow(s: StaffMember): StaffRow {
  return { ...s, areas: s.areas.length ? s.areas.join(';') : null };
}

/**
 * A recorded leave the sheet did not undo (issue 13): the sheet's 离职日期 was blank
 * (`sheet` null) or a later date that would make the person active again.
 */
export interface KeptLeave {
  staff_id: string;
  left_on: string;
  sheet: string | null;
}

export interface StaffWriterOptions {
  /** leavers (left_on newly set or corrected), so the caller can hand their customers over in the same transaction */
  onLeft?: (staffId: string, leftOn: string) => void;
  /** the change log of the command (updates of stored rows) */
  log?: ChangeLog;
  /** --as-of: a corrected leaving date is taken when the person has left by then under it; a new team or role holds from it */
  asOf?: string;
  /** the command line, kept beside an earlier team or role (staff_history) */
  command?: string;
}

/**
 * Upsert by staff_id. A re-import never undoes a recorded leave (issue 13): a stored
 * left_on stays when the sheet's is blank, and when the sheet's is later than the stored one
 * and after --as-of (it would make the person active again); those are reported in `kept`.
 * A different date that keeps the person left (on or before --as-of, or earlier than the
 * stored one) corrects it. Rehiring is `salesops staff rehire`. Every field an update
 * changes goes to the change log (kind 'staff', key staff_id).
 */
export function staffWriter(db: DB, o: StaffWriterOptions = {}): RowWriter<StaffMember> & { kept: KeptLeave[] } {
  const log = o.log ?? NO_CHANGE_LOG;
  const select = db.prepare('SELECT * FROM staff WHERE staff_id = ?');
  const insert = db.prepare(
    `INSERT INTO staff (staff_id, name, role, team, district, areas, hired_on, regular_on, left_on, capacity)
     VALUES (@staff_id, @name, @role, @team, @district, @areas, @hired_on, @regular_on, @left_on, @capacity)`,
  );
  const update = db.prepare(
    sqlFor(db, {
      sqlite: `UPDATE staff SET name=@name, role=@role, team=@team, district=@district, areas=@areas, hired_on=@hired_on,
       regular_on=@regular_on, left_on=@left_on, capacity=@capacity,
       updated_at=strftime('%Y-%m-%dT%H:%M:%S','now','localtime')
     WHERE staff_id=@staff_id`,
      postgres: `UPDATE staff SET name=@name, role=@role, team=@team, district=@district, areas=@areas, hired_on=@hired_on,
       regular_on=@regular_on, left_on=@left_on, capacity=@capacity, updated_at=${PG_NOW}
     WHERE staff_id=@staff_id`,
    }),
  );
  const leavers: [string, string][] = [];
  const kept: KeptLeave[] = [];
  return {
    kept,
    write(s): WriteOutcome {
      const row = toRow(s);
      const old = select.get(s.staff_id) as StaffRow | undefined;
      if (!old) {
        insert.run(row);
        if (row.left_on) leavers.push([s.staff_id, row.left_on]);
        return 'new';
      }
      if (old.left_on !== null && row.left_on !== old.left_on) {
        const sheet = row.left_on;
        const stillLeft = sheet !== null && (sheet < old.left_on || (o.asOf !== undefined && sheet <= o.asOf));
        if (!stillLeft) {
          kept.push({ staff_id: s.staff_id, left_on: old.left_on, sheet });
          row.left_on = old.left_on;
        }
      }
      if (FIELDS.every((f) => (old[f] ?? null) === (row[f] ?? null))) return 'unchanged';
      update.run(row);
      // issue 18: KPIs credit the team (and count the role) a person had on each day, so the
      // values a re-import replaces are kept, valid until the day before --as-of
      if (o.asOf !== undefined && (old.team !== row.team || old.role !== row.role)) keepStaffValues(db, old, o.asOf, o.command ?? 'staff import');
      log.record('staff', s.staff_id, old as unknown as Record<string, string | number | null>, row as unknown as Record<string, string | number | null>, FIELDS);
      if (row.left_on && old.left_on !== row.left_on) leavers.push([s.staff_id, row.left_on]);
      return 'updated';
    },
    finish() {
      if (o.onLeft) for (const [id, on] of leavers) o.onLeft(id, on);
    },
  };
}

export function insertStaff(db: DB, s: StaffMember): void {
  db.prepare(
    `INSERT INTO staff (staff_id, name, role, team, district, areas, hired_on, regular_on, left_on, capacity)
     VALUES (@staff_id, @name, @role, @team, @district, @areas, @hired_on, @regular_on, @left_on, @capacity)`,
  ).run(toRow(s));
}

export function setLeftOn(db: DB, staffId: string, leftOn: string | null): void {
  db.prepare(
    sqlFor(db, {
      sqlite: `UPDATE staff SET left_on = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%S','now','localtime') WHERE staff_id = ?`,
      postgres: `UPDATE staff SET left_on = ?, updated_at = ${PG_NOW} WHERE staff_id = ?`,
    }),
  ).run(leftOn, staffId);
}
