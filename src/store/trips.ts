/**
 * Trips and their expense lines (SPEC §2 trips.csv / expenses.csv), and pricing them with the
 * policy in force (§3.3, §6).
 *
 * Idempotent re-import:
 * - trips: upsert by `trip_no` (new / updated / unchanged). Trips are never deleted. A
 *   trip_no twice in one file is a row error (the importer's generic row key, issue 13).
 * - expense lines: the lines a file gives for a trip are that trip's lines, as a set. Each
 *   line's `line_no` is its order among the trip's rows in the file (1, 2, …); a line equal
 *   to the stored line of the same number is unchanged, a different one updated, a new
 *   number new. Trips the file does not mention keep their lines. A file that gives a trip
 *   fewer lines than are stored would remove the rest: that takes `--replace` (issue 13);
 *   without it the import is refused whole, naming the trip and the lines that would go.
 *   So correcting or inserting a row in the spreadsheet and importing it again leaves
 *   exactly the spreadsheet's lines, and deleting one says so first.
 * - every stored trip or line an import changes goes to the change log: kind 'trips' key
 *   trip_no, kind 'expenses' key `trip_no#line_no` (a removed line: each field → null).
 * - A trip's lines go in together: with --skip-invalid, when one line of a trip is invalid,
 *   the trip's other lines are rejected with it (`trip_has_bad_line`), so the rejects file
 *   holds the whole trip and importing it after the fix gives the complete set again. The
 *   use case finds those trips before the import (src/app/trips.ts `badTrips`), since the
 *   writer sees only rows the worker parsed.
 */
import type { DB } from './db.js';
import type { RowWriter, WriteOutcome } from '../io/kind.js';
import type { FieldError } from '../io/kind.js';
import type { TripRow } from '../io/kinds/trips.js';
import type { ExpenseRow } from '../io/kinds/expenses.js';
import type { StaffRole } from '../domain/policy.js';
import {
  countsForClientLimit,
  pricingPolicyFor,
  priceTrip,
  type ExpenseLine,
  type PricedTrip,
  type Signature,
  type Trip,
} from '../domain/allowance.js';
import { storedPolicies } from './policy.js';
import { NO_CHANGE_LOG, type ChangeLog, type ChangeValue } from './changes.js';
import { UserError } from '../errors.js';
import { getLang, t, type MessageKey } from '../messages/index.js';
import { fenToYuanString } from '../domain/values.js';
import { grouped } from '../io/numbers.js';

// ---------------------------------------------------------------------------------------
// trips.csv

/** A trips row: the import's row with SQLite's 0/1 for its yes/no columns. */
type StoredTripRow = Omit<TripRow, 'deal_closed' | 'exempt'> & { deal_closed: number; exempt: number };

const TRIP_FIELDS = [
  'staff_id', 'start_date', 'start_time', 'end_date', 'end_time', 'scope', 'purpose', 'client', 'reviewed_by', 'approved_by',
  'invited_by', 'transport_provided', 'advance_fen', 'report_on', 'order_amount_fen', 'deal_closed', 'exempt',
] as const satisfies readonly (keyof StoredTripRow)[];

/** Every column of a stored trip, for the statements that read or write whole trips. */
const TRIP_KEYS = ['trip_no', ...TRIP_FIELDS];
const TRIP_COLUMNS = TRIP_KEYS.join(', ');

function tripParams(r: TripRow): StoredTripRow {
  return { ...r, deal_closed: r.deal_closed ? 1 : 0, exempt: r.exempt ? 1 : 0 };
}

/** Upsert by trip_no; every changed field of a stored trip goes to the change log. */
export function tripsWriter(db: DB, log: ChangeLog = NO_CHANGE_LOG): RowWriter<TripRow> {
  const select = db.prepare(`SELECT ${TRIP_COLUMNS} FROM trips WHERE trip_no = ?`);
  const insert = db.prepare(`INSERT INTO trips (${TRIP_COLUMNS}) VALUES (${TRIP_KEYS.map((c) => '@' + c).join(', ')})`);
  const update = db.prepare(`UPDATE trips SET ${TRIP_FIELDS.map((c) => `${c} = @${c}`).join(', ')} WHERE trip_no = @trip_no`);
  return {
    write(r): WriteOutcome {
      const p = tripParams(r);
      const old = select.get(r.trip_no) as StoredTripRow | undefined;
      if (!old) {
        insert.run(p);
        return 'new';
      }
      if (TRIP_FIELDS.every((f) => (old[f] ?? null) === (p[f] ?? null))) return 'unchanged';
      update.run(p);
      log.record('trips', r.trip_no, old as unknown as Record<string, ChangeValue>, p as unknown as Record<string, ChangeValue>, TRIP_FIELDS);
      return 'updated';
    },
  };
}

/** [trip_no, start_date] of every stored trip: an expense line's date without a year takes its trip's (issue 15). */
export function tripStarts(db: DB): [string, string][] {
  return db.prepare('SELECT trip_no, start_date FROM trips').raw().all() as [string, string][];
}

export function tripCount(db: DB): number {
  return (db.prepare('SELECT count(*) AS n FROM trips').get() as { n: number }).n;
}

// ---------------------------------------------------------------------------------------
// expenses.csv

/** §2 checks that need the database: the trip exists and the line is dated within it. */
export function expenseChecker(db: DB): (r: ExpenseRow) => FieldError | null {
  const find = db.prepare('SELECT start_date, end_date FROM trips WHERE trip_no = ?');
  const cache = new Map<string, { start_date: string; end_date: string } | null>();
  return (r) => {
    let trip = cache.get(r.trip_no);
    if (trip === undefined) {
      trip = (find.get(r.trip_no) as { start_date: string; end_date: string } | undefined) ?? null;
      cache.set(r.trip_no, trip);
    }
    if (!trip) return { column: 'trip_no', value: r.trip_no, reason: 'expenses.unknown_trip', fix: 'expenses.unknown_trip.fix' };
    const params = { start: trip.start_date, end: trip.end_date };
    if (r.date < trip.start_date) return { column: 'date', value: r.date, reason: 'expenses.before_trip', params, fix: 'expenses.outside_trip.fix' };
    if (r.date > trip.end_date) return { column: 'date', value: r.date, reason: 'expenses.after_trip', params, fix: 'expenses.outside_trip.fix' };
    return null;
  };
}

/** An expenses row of a trip: the import's row under its line number, SQLite's 0/1 for the receipt, from/to as stored. */
type StoredLine = Omit<ExpenseRow, 'trip_no' | 'receipt' | 'from' | 'to'> & {
  line_no: number;
  receipt: number | null;
  from_place: string | null;
  to_place: string | null;
};

function lineParams(r: ExpenseRow, lineNo: number): StoredLine & { trip_no: string } {
  const { from, to, receipt, ...rest } = r;
  return { ...rest, line_no: lineNo, receipt: receipt === null ? null : receipt ? 1 : 0, from_place: from, to_place: to };
}

const LINE_FIELDS = [
  'date', 'time', 'kind', 'amount_fen', 'hours', 'class', 'standard_fare_fen', 'receipt', 'reason', 'from_place', 'to_place', 'approved_by',
] as const satisfies readonly (keyof StoredLine)[];

export interface ExpensesWriter extends RowWriter<ExpenseRow> {
  /** after finish(): stored lines removed (with --replace) because the file gives fewer lines for their trip */
  removed: { trip_no: string; lines: number }[];
}

export interface ExpensesWriterOptions {
  /** trips with an invalid line somewhere in the file (trip_no → row numbers), see the header */
  bad?: ReadonlyMap<string, number[]>;
  /** `--replace`: a file with fewer lines for a trip than stored removes the rest */
  replace?: boolean;
  log?: ChangeLog;
}

/** How many stored lines a refusal names before "… and N more". */
const MAX_NAMED_LINES = 20;

/**
 * The lines of each trip in the file replace its stored lines as a set (see the header).
 * `bad`: trips with an invalid line somewhere in the file (trip_no → row numbers), whose
 * valid lines are rejected too (--skip-invalid only; otherwise the import fails anyway).
 */
export function expensesWriter(db: DB, opts: ExpensesWriterOptions | ReadonlyMap<string, number[]> = {}): ExpensesWriter {
  const o: ExpensesWriterOptions = opts instanceof Map ? { bad: opts } : (opts as ExpensesWriterOptions);
  const bad = o.bad ?? new Map<string, number[]>();
  const log = o.log ?? NO_CHANGE_LOG;
  const check = expenseChecker(db);
  const selectLines = db.prepare(`SELECT line_no, ${LINE_FIELDS.join(', ')} FROM expenses WHERE trip_no = ? ORDER BY line_no`);
  const insert = db.prepare(
    `INSERT INTO expenses (trip_no, line_no, ${LINE_FIELDS.join(', ')}) VALUES (@trip_no, @line_no, ${LINE_FIELDS.map((f) => '@' + f).join(', ')})`,
  );
  const update = db.prepare(`UPDATE expenses SET ${LINE_FIELDS.map((f) => `${f} = @${f}`).join(', ')} WHERE trip_no = @trip_no AND line_no = @line_no`);
  const removeLine = db.prepare('DELETE FROM expenses WHERE trip_no = ? AND line_no = ?');
  const trips = new Map<string, { n: number; old: Map<number, StoredLine> }>();
  const removed: { trip_no: string; lines: number }[] = [];
  /** stored lines beyond the file's count, trip by trip */
  const beyond = () => [...trips].map(([tripNo, tr]) => ({ tripNo, n: tr.n, lines: [...tr.old.values()].filter((l) => l.line_no > tr.n) })).filter((x) => x.lines.length > 0);
  return {
    removed,
    write(r, row): WriteOutcome {
      const problem = check(r);
      if (problem) return { error: problem };
      const badRows = bad.get(r.trip_no)?.filter((n) => n !== row);
      if (badRows && badRows.length) {
        return { error: { column: 'trip_no', value: r.trip_no, reason: 'expenses.trip_has_bad_line', params: { rows: badRows.join(', ') }, fix: 'expenses.trip_has_bad_line.fix' } };
      }
      let trip = trips.get(r.trip_no);
      if (!trip) {
        const old = new Map((selectLines.all(r.trip_no) as StoredLine[]).map((l) => [l.line_no, l]));
        trip = { n: 0, old };
        trips.set(r.trip_no, trip);
      }
      const p = lineParams(r, ++trip.n);
      const old = trip.old.get(p.line_no);
      if (!old) {
        insert.run(p);
        return 'new';
      }
      if (LINE_FIELDS.every((f) => (old[f] ?? null) === (p[f] ?? null))) return 'unchanged';
      update.run(p);
      log.record('expenses', `${r.trip_no}#${p.line_no}`, old as unknown as Record<string, ChangeValue>, p as unknown as Record<string, ChangeValue>, LINE_FIELDS);
      return 'updated';
    },
    verify() {
      if (o.replace) return;
      const short = beyond();
      if (short.length === 0) return;
      const described: string[] = [];
      let more = 0;
      for (const { tripNo, n, lines } of short) {
        const named = lines.slice(0, Math.max(0, MAX_NAMED_LINES - described.length));
        more += lines.length - named.length;
        if (named.length === 0) continue;
        described.push(
          t('expenses.would_remove_trip', {
            trip: tripNo,
            stored: n + lines.length,
            given: n,
            lines: named.map((l) => t('expenses.would_remove_line', { line: l.line_no, date: l.date, kind: t(`allowance.kind.${l.kind}` as MessageKey), amount: grouped(fenToYuanString(l.amount_fen)) })).join(getLang() === 'zh' ? '；' : '; '),
          }),
        );
      }
      if (more > 0) described.push(t('expenses.would_remove_more', { n: more }));
      throw new UserError(t('expenses.would_remove', { trips: short.map((x) => x.tripNo).join(', '), detail: described.join('\n  ') }), t('expenses.would_remove.hint'));
    },
    finish() {
      for (const { tripNo, lines } of beyond()) {
        for (const l of lines) {
          removeLine.run(tripNo, l.line_no);
          log.record('expenses', `${tripNo}#${l.line_no}`, l as unknown as Record<string, ChangeValue>, {}, LINE_FIELDS);
        }
        removed.push({ trip_no: tripNo, lines: lines.length });
      }
    },
  };
}

// ---------------------------------------------------------------------------------------
// Pricing (§3.3 with the policy in force, §6)

export interface TripFilter {
  trip?: string;
  staff_id?: string;
  /** trips starting on or after */
  from?: string;
  /** trips starting on or before */
  to?: string;
}

/** What a priced trip shows of its row, with the traveller's name. */
export type TripInfo = Pick<Trip, 'trip_no' | 'staff_id' | 'start_date' | 'start_time' | 'end_date' | 'end_time' | 'scope' | 'purpose' | 'client'> & {
  staff_name: string | null;
};

/** A type, not an interface: a row the output pipeline takes as it is (json: `allowanceTripJson`). */
export type TripAllowance = {
  trip: TripInfo;
  priced: PricedTrip;
};

interface RosterEntry {
  name: string;
  role: StaffRole;
}

/** The key of the two-trips rule: the client as written, spaces collapsed, case ignored. */
export function clientKey(client: string | null): string | null {
  if (client === null) return null;
  const k = client.trim().replace(/\s+/g, ' ').toLowerCase();
  return k === '' ? null : k;
}

function toTrip(r: StoredTripRow, roster: Map<string, RosterEntry>): Trip {
  const sig = (id: string | null): Signature | null => {
    if (id === null) return null;
    const s = roster.get(id);
    return s ? { staff_id: id, role: s.role } : null;
  };
  return {
    ...r,
    staff_role: roster.get(r.staff_id)?.role ?? 'rep',
    reviewed_by: sig(r.reviewed_by),
    approved_by: sig(r.approved_by),
    deal_closed: r.deal_closed === 1,
    exempt: r.exempt === 1,
  };
}

function toLine(l: StoredLine, roster: Map<string, RosterEntry>): ExpenseLine {
  const { from_place, to_place, receipt, approved_by, ...rest } = l;
  const approver = approved_by !== null ? roster.get(approved_by) : undefined;
  return {
    ...rest,
    receipt: receipt === null ? null : receipt === 1,
    from: from_place,
    to: to_place,
    approved_by: approved_by !== null && approver ? { staff_id: approved_by, role: approver.role } : null,
  };
}

/**
 * Prices the trips the filter selects (in order of start, then trip_no):
 * - with the policy version in force on each trip's start date (§6);
 * - the two-trips rule counts, for each trip, the stored trips to the same client that
 *   start before it (ties by trip_no) and count by `countsForClientLimit` under their own
 *   policy — whatever the filter, so `--staff` or `--month` price a trip as `--trip` does;
 * - signatures carry the roles of the roster now (the roster has no role history);
 * - `asOf` decides report_missing.
 * The KPI travel cost is `priced.reimbursable_fen` summed over the trips of a period.
 */
export function priceTrips(db: DB, filter: TripFilter, asOf: string): TripAllowance[] {
  const versions = storedPolicies(db);
  const roster = new Map(
    (db.prepare('SELECT staff_id, name, role FROM staff').all() as { staff_id: string; name: string; role: StaffRole }[]).map((s) => [
      s.staff_id,
      { name: s.name, role: s.role },
    ]),
  );
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (filter.trip !== undefined) {
    where.push('trip_no = @trip');
    params.trip = filter.trip;
  }
  if (filter.staff_id !== undefined) {
    where.push('staff_id = @staff');
    params.staff = filter.staff_id;
  }
  if (filter.from !== undefined) {
    where.push('start_date >= @from');
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    where.push('start_date <= @to');
    params.to = filter.to;
  }
  const selected = db
    .prepare(`SELECT ${TRIP_COLUMNS} FROM trips ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY start_date, trip_no`)
    .all(params) as StoredTripRow[];
  if (selected.length === 0) return [];

  // §3.3 two-trips rule: approved trips to the same client before this one, in order of start (ties by trip_no)
  const clients = new Set(selected.map((r) => clientKey(r.client)).filter((k): k is string => k !== null));
  const earlier = new Map<string, number>();
  if (clients.size > 0) {
    const counted = new Map<string, number>();
    const all = db.prepare(`SELECT ${TRIP_COLUMNS} FROM trips WHERE client IS NOT NULL ORDER BY start_date, trip_no`).all() as StoredTripRow[];
    for (const r of all) {
      const k = clientKey(r.client);
      if (k === null || !clients.has(k)) continue;
      const n = counted.get(k) ?? 0;
      earlier.set(r.trip_no, n);
      const t = toTrip(r, roster);
      if (countsForClientLimit(t, pricingPolicyFor(versions, t))) counted.set(k, n + 1);
    }
  }

  const linesOf = db.prepare(`SELECT line_no, ${LINE_FIELDS.join(', ')} FROM expenses WHERE trip_no = ? ORDER BY line_no`);
  return selected.map((r) => {
    const t = toTrip(r, roster);
    const lines = (linesOf.all(r.trip_no) as StoredLine[]).map((l) => toLine(l, roster));
    const priced = priceTrip(t, lines, {
      earlierApprovedTripsToClient: earlier.get(r.trip_no) ?? 0,
      policy: pricingPolicyFor(versions, t),
      asOf,
    });
    const { trip_no, staff_id, start_date, start_time, end_date, end_time, scope, purpose, client } = r;
    const trip: TripInfo = { trip_no, staff_id, staff_name: roster.get(staff_id)?.name ?? null, start_date, start_time, end_date, end_time, scope, purpose, client };
    return { trip, priced };
  });
}

export function tripExists(db: DB, tripNo: string): boolean {
  return db.prepare('SELECT 1 FROM trips WHERE trip_no = ?').get(tripNo) !== undefined;
}
