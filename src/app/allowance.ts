/**
 * `allowance` (SPEC §3.3, §4) as a use case: the trips a filter selects, each priced by the
 * policy version in force on its start date (store/trips.ts `priceTrips`, domain/allowance.ts),
 * with what each format writes of them:
 * - json / jsonl: one object per trip with the §4 keys (trip_no, staff_id, days, per_diem,
 *   claimed, reimbursable, advance, net_payable, flags, lines[kind, date, claimed,
 *   reimbursable, rule, flags]) plus paid_days, policy_effective_from, start_date, end_date,
 *   scope, client, report_due_on, and per line line_no, days (per-diem lines) and rule_text
 *   (`allowanceTripJson`);
 * - csv / tsv: one row per priced line (per-diem lines included) with the trip's columns
 *   repeated on each row; the trip's totals keep their JSON names, the line's columns are
 *   prefixed `line_` (`lines`). Summing `line_reimbursable` gives the reimbursable total.
 * The table (a block per trip and a summary) is the command's (src/cli/allowanceTable.ts).
 */
import { UserError } from '../errors.js';
import { getLang, t, type MessageKey } from '../messages/index.js';
import { tripMessages } from '../messages/trips.js';
import type { DB } from '../store/db.js';
import { findStaff } from '../store/staff.js';
import { priceTrips, tripExists, type TripAllowance } from '../store/trips.js';
import { allowanceJson, type RuleParams } from '../domain/allowance.js';
import type { Column, Row } from '../io/output/column.js';
import { columnHeader } from '../messages/columns.js';
import type { Listing, Notice } from './listing.js';

export type { TripAllowance } from '../store/trips.js';

export interface AllowanceOptions {
  /** trips starting on or after / on or before (`--month`) */
  from?: string;
  to?: string;
  /** `--staff`: a staff id or a name only one staff member has */
  staff?: string;
  /** `--trip` */
  trip?: string;
  /** the day of the computation (report_missing) */
  asOf: string;
}

export interface AllowanceReport {
  /** the priced trips, in order of start, then trip_no */
  trips: TripAllowance[];
  /** csv / tsv: one row per priced line */
  lines: Listing;
  notices: Notice[];
}

export function allowance(db: DB, o: AllowanceOptions): AllowanceReport {
  let staffId: string | undefined;
  if (o.staff !== undefined) {
    const s = findStaff(db, o.staff.trim());
    if (!s) throw new UserError(t('staff.unknown', { id: o.staff }), t('staff.unknown.hint'));
    staffId = s.staff_id;
  }
  const trip = o.trip?.trim();
  if (trip !== undefined && !tripExists(db, trip)) {
    throw new UserError(t('allowance.unknown_trip', { trip: o.trip }), t('allowance.unknown_trip.hint'));
  }
  const trips = priceTrips(db, { trip, staff_id: staffId, from: o.from, to: o.to }, o.asOf);
  return {
    trips,
    lines: { rows: lineRows(trips), columns: ALLOWANCE_LINE_COLUMNS },
    notices: trips.length === 0 ? [{ key: 'allowance.no_trips' }] : [],
  };
}

// ---------------------------------------------------------------------------------------
// The texts of rules and flags, in the run's language

const hasMessage = (key: string): boolean => Object.prototype.hasOwnProperty.call(tripMessages, key);

/** A policy name (`hard_sleeper`, `company_car`) in words, when the catalogue has it; else as written. */
function named(prefix: 'allowance.class' | 'allowance.transport', name: string): string {
  const key = `${prefix}.${name}`;
  return hasMessage(key) ? t(key as MessageKey) : name;
}

/** Why a line was priced so: `allowance.rule.<rule>` with the numbers the line carries. */
export function ruleText(rule: string, params: RuleParams): string {
  const p: RuleParams = { ...params };
  if (typeof p.class === 'string') p.class = named('allowance.class', p.class);
  if (typeof p.allowed === 'string') p.allowed = p.allowed.split(', ').map((c) => named('allowance.class', c)).join(getLang() === 'zh' ? '、' : ', ');
  if (typeof p.transport === 'string') p.transport = named('allowance.transport', p.transport);
  return t(`allowance.rule.${rule}` as MessageKey, p);
}

export function flagText(flag: string): string {
  return t(`allowance.flag.${flag}` as MessageKey);
}

// ---------------------------------------------------------------------------------------
// §4 json: one object per trip

export function allowanceTripJson({ trip, priced }: TripAllowance): object {
  const j = allowanceJson(priced);
  return {
    ...j,
    lines: j.lines.map((l, i) => ({ ...l, rule_text: ruleText(l.rule, priced.lines[i].params) })),
    start_date: trip.start_date,
    end_date: trip.end_date,
    scope: trip.scope,
    client: trip.client,
    report_due_on: priced.report_due_on,
  };
}

// ---------------------------------------------------------------------------------------
// csv / tsv: one row per priced line, the trip's columns repeated

const col = (key: string, kind: Column['kind'] = 'text'): Column => ({ key, kind });

export const ALLOWANCE_LINE_COLUMNS: Column[] = [
  col('trip_no'), col('staff_id'), col('staff_name'), col('start_date', 'date'), col('end_date', 'date'), col('scope'),
  col('client'), col('days', 'int'), col('paid_days', 'int'), col('per_diem', 'money'), col('claimed', 'money'), col('reimbursable', 'money'),
  col('advance', 'money'), col('net_payable', 'money'), col('flags', 'list'), col('policy_effective_from', 'date'), col('line_no', 'int'),
  col('line_kind'), col('line_date', 'date'), col('line_days', 'int'), col('line_claimed', 'money'), col('line_reimbursable', 'money'),
  col('line_rule'), col('line_flags', 'list'), col('line_rule_text'),
];

function* lineRows(trips: readonly TripAllowance[]): Generator<Row> {
  for (const { trip, priced } of trips) {
    for (const l of priced.lines) {
      yield {
        trip_no: trip.trip_no,
        staff_id: trip.staff_id,
        staff_name: trip.staff_name,
        start_date: trip.start_date,
        end_date: trip.end_date,
        scope: trip.scope,
        client: trip.client,
        days: priced.days,
        paid_days: priced.paid_days,
        per_diem: priced.per_diem_fen,
        claimed: priced.claimed_fen,
        reimbursable: priced.reimbursable_fen,
        advance: priced.advance_fen,
        net_payable: priced.net_payable_fen,
        flags: priced.flags,
        policy_effective_from: priced.policy_effective_from,
        line_no: l.line_no,
        line_kind: l.kind,
        line_date: l.date,
        line_days: l.days ?? null,
        line_claimed: l.claimed_fen,
        line_reimbursable: l.reimbursable_fen,
        line_rule: l.rule,
        line_flags: l.flags,
        line_rule_text: ruleText(l.rule, l.params),
      };
    }
  }
}

/** A trip's (or a sum of trips') amounts, §3.3: per diem, claimed, reimbursable, advance, net payable. */
export const TRIP_AMOUNT_COLUMNS: readonly Column[] = [
  { key: 'per_diem', header: columnHeader('allowance.col.per_diem'), kind: 'money' },
  { key: 'claimed', header: columnHeader('allowance.col.claimed'), kind: 'money' },
  { key: 'reimbursable', header: columnHeader('allowance.col.reimbursable'), kind: 'money' },
  { key: 'advance', header: columnHeader('allowance.col.advance'), kind: 'money' },
  { key: 'net_payable', header: columnHeader('allowance.col.net_payable'), kind: 'money' },
];

/** The summary of the `allowance` table (per staff and month of the trips' start, then the total). */
export const ALLOWANCE_STAFF_COLUMNS: Column[] = [
  { key: 'staff_id', header: columnHeader('allowance.col.staff_id') },
  { key: 'staff_name', header: columnHeader('allowance.col.staff_name') },
  { key: 'month', header: columnHeader('allowance.col.month') },
  { key: 'trips', header: columnHeader('allowance.col.trips'), kind: 'int' },
  { key: 'days', header: columnHeader('allowance.col.days'), kind: 'int' },
  ...TRIP_AMOUNT_COLUMNS,
];

/** Per staff and month of the trips' start, in order of staff and month, then the total. */
export function allowanceSummary(trips: readonly TripAllowance[]): Row[] {
  const zero = { trips: 0, days: 0, per_diem: 0, claimed: 0, reimbursable: 0, advance: 0, net_payable: 0 };
  type Sums = typeof zero & { staff_id: string; staff_name: string | null; month: string };
  const groups = new Map<string, Sums>();
  const total: Sums = { staff_id: t('allowance.total_row'), staff_name: null, month: '', ...zero };
  for (const { trip, priced } of trips) {
    const month = trip.start_date.slice(0, 7);
    const k = `${trip.staff_id}\u0000${month}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { staff_id: trip.staff_id, staff_name: trip.staff_name, month, ...zero }));
    for (const x of [g, total]) {
      x.trips++;
      x.days += priced.days;
      x.per_diem += priced.per_diem_fen;
      x.claimed += priced.claimed_fen;
      x.reimbursable += priced.reimbursable_fen;
      x.advance += priced.advance_fen;
      x.net_payable += priced.net_payable_fen;
    }
  }
  const rows = [...groups.values()].sort((a, b) => (a.staff_id === b.staff_id ? a.month.localeCompare(b.month) : a.staff_id.localeCompare(b.staff_id)));
  return [...rows, total];
}
