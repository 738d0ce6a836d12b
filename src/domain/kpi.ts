/**
 * KPIs (SPEC §3.5): periods, and every measure as a pure function over plain aggregate
 * numbers (the store counts with GROUP BY; nothing here sees a row of a big table).
 * Money is integer fen; a ratio is null when its denominator is 0.
 *
 * Readings of §3.5 decided here:
 * - Periods: `YYYY-MM`, `YYYY-Qn`, `YYYY`, `--from/--to` (inclusive), and the words
 *   this-month, last-month, this-quarter, last-quarter, this-year, last-year, relative to
 *   as-of. Counts use the period up to as-of: the *counted range* is period start ..
 *   min(period end, as-of); a period that starts after as-of counts nothing.
 * - Growth compares with the previous period of the same length: a month with the month
 *   before, a quarter with the quarter before, a year with the year before, from/to with
 *   the same number of days just before. A period still running on as-of is compared
 *   like for like: with as many days from the start of the previous period (July 1–15
 *   against June 1–15), never with a whole previous month.
 * - Follow-ups: a task counts as due when its due_by is in the counted range, it is not
 *   cancelled, and it is decided on as-of (its deadline has passed, or it is done).
 *   due = done on time + done late + overdue still open, so the table adds up; a task due
 *   on the as-of day itself and still open is not yet due. Overdue still open is limited
 *   to tasks due in the period (the backlog of a period, not of all time). A task done
 *   after as-of counts as open on as-of (reports rerun with an earlier --as-of agree).
 * - Headcount counts reps (the sales force the measures are about): average headcount is
 *   the mean over the days of the counted range of the reps on the roster that day
 *   (hired_on <= day < left_on). Regularisation and attrition count reps too, so numerator
 *   and denominator are the same people: reps whose regular_on / left_on falls in the
 *   counted range.
 * - Customer classes use the purchases of the 12 months up to as-of (as-of − 12 months,
 *   as-of], whoever was credited; A ≥ class_a_min, B ≥ class_b_min, else C (no purchase
 *   is C).
 */
import dayjs from 'dayjs';
import { addDays, daysBetween, daysInMonth, parseDate } from './values.js';
import type { Role } from './staff.js';

// ---------------------------------------------------------------------------------------
// Periods

export type PeriodKind = 'month' | 'quarter' | 'year' | 'range';

/** An inclusive range of calendar dates. */
export interface DateRange {
  from: string;
  to: string;
}

export interface Period extends DateRange {
  kind: PeriodKind;
  /** `2024-05`, `2024-Q2`, `2024`, `2024-05-01..2024-05-15` */
  label: string;
}

export type PeriodError =
  | { code: 'bad_period'; value: string }
  | { code: 'bad_date'; flag: '--from' | '--to'; value: string }
  | { code: 'to_without_from' }
  | { code: 'period_and_range' }
  | { code: 'from_after_to'; from: string; to: string };

export type PeriodResult = { ok: true; period: Period } | { ok: false; error: PeriodError };

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));

export function monthPeriod(y: number, m: number): Period {
  return { kind: 'month', label: `${y}-${pad2(m)}`, from: `${y}-${pad2(m)}-01`, to: `${y}-${pad2(m)}-${pad2(daysInMonth(y, m))}` };
}

export function quarterPeriod(y: number, q: number): Period {
  const m = (q - 1) * 3 + 1;
  return { kind: 'quarter', label: `${y}-Q${q}`, from: `${y}-${pad2(m)}-01`, to: monthPeriod(y, m + 2).to };
}

export function yearPeriod(y: number): Period {
  return { kind: 'year', label: String(y), from: `${y}-01-01`, to: `${y}-12-31` };
}

export function rangePeriod(from: string, to: string): Period {
  return { kind: 'range', label: `${from}..${to}`, from, to };
}

const ym = (iso: string): [number, number] => [+iso.slice(0, 4), +iso.slice(5, 7)];

/** The period words, relative to as-of (English and Chinese). */
const WORDS: Record<string, (asOf: string) => Period> = {
  'this-month': (a) => monthPeriod(...ym(a)),
  'last-month': (a) => previousPeriod(monthPeriod(...ym(a))),
  'this-quarter': (a) => quarterPeriod(ym(a)[0], Math.ceil(ym(a)[1] / 3)),
  'last-quarter': (a) => previousPeriod(quarterPeriod(ym(a)[0], Math.ceil(ym(a)[1] / 3))),
  'this-year': (a) => yearPeriod(ym(a)[0]),
  'last-year': (a) => yearPeriod(ym(a)[0] - 1),
  本月: (a) => WORDS['this-month'](a),
  上月: (a) => WORDS['last-month'](a),
  本季度: (a) => WORDS['this-quarter'](a),
  上季度: (a) => WORDS['last-quarter'](a),
  今年: (a) => WORDS['this-year'](a),
  去年: (a) => WORDS['last-year'](a),
};

const validYear = (y: number) => y >= 1900 && y <= 2999;

/**
 * `2024-05` (also `2024/5`, `2024.05`, `2024年5月`), `2024-Q2` (`2024Q2`, `2024 q2`,
 * `2024年第2季度`), `2024` (`2024年`), or a word (this-month…), relative to as-of.
 */
export function parsePeriodText(raw: string, asOf: string): Period | null {
  const s = raw.trim();
  const word = WORDS[s.toLowerCase().replace(/[\s_]+/g, '-')];
  if (word) return word(asOf);
  let m = /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月)$/.exec(s);
  if (m) {
    const y = +m[1];
    const mo = +(m[2] ?? m[3]);
    return validYear(y) && mo >= 1 && mo <= 12 ? monthPeriod(y, mo) : null;
  }
  m = /^(\d{4})\s*(?:[-\s]?\s*[Qq]\s*([1-4])|年\s*第?\s*([1-4一二三四])\s*季度?)$/.exec(s);
  if (m) {
    const y = +m[1];
    const q = m[2] ?? m[3];
    const n = '一二三四'.includes(q) ? '一二三四'.indexOf(q) + 1 : +q;
    return validYear(y) ? quarterPeriod(y, n) : null;
  }
  m = /^(\d{4})\s*年?$/.exec(s);
  if (m) return validYear(+m[1]) ? yearPeriod(+m[1]) : null;
  return null;
}

/**
 * The period of `kpi` from its flags: `--period`, or `--from` [`--to`, default as-of], or
 * by default the month of as-of.
 */
export function parsePeriod(f: { period?: string; from?: string; to?: string }, asOf: string): PeriodResult {
  if (f.period !== undefined && (f.from !== undefined || f.to !== undefined)) return { ok: false, error: { code: 'period_and_range' } };
  if (f.period !== undefined) {
    const p = parsePeriodText(f.period, asOf);
    return p ? { ok: true, period: p } : { ok: false, error: { code: 'bad_period', value: f.period } };
  }
  if (f.from === undefined && f.to !== undefined) return { ok: false, error: { code: 'to_without_from' } };
  if (f.from === undefined) return { ok: true, period: monthPeriod(...ym(asOf)) };
  const from = parseDate(f.from);
  if (!from) return { ok: false, error: { code: 'bad_date', flag: '--from', value: f.from } };
  const to = f.to === undefined ? asOf : parseDate(f.to);
  if (!to) return { ok: false, error: { code: 'bad_date', flag: '--to', value: f.to ?? '' } };
  if (to < from) return { ok: false, error: { code: 'from_after_to', from, to } };
  return { ok: true, period: rangePeriod(from, to) };
}

/** The period of the same length just before: the month, quarter or year before; from/to: as many days just before. */
export function previousPeriod(p: Period): Period {
  const [y, m] = ym(p.from);
  switch (p.kind) {
    case 'month':
      return m === 1 ? monthPeriod(y - 1, 12) : monthPeriod(y, m - 1);
    case 'quarter': {
      const q = Math.ceil(m / 3);
      return q === 1 ? quarterPeriod(y - 1, 4) : quarterPeriod(y, q - 1);
    }
    case 'year':
      return yearPeriod(y - 1);
    case 'range': {
      const days = daysBetween(p.from, p.to) + 1;
      return rangePeriod(addDays(p.from, -days), addDays(p.from, -1));
    }
  }
}

/** §3.5 "counts use the period up to as-of": start .. min(end, as-of); null when the period starts after as-of. */
export function countedRange(p: DateRange, asOf: string): DateRange | null {
  const to = p.to < asOf ? p.to : asOf;
  return to < p.from ? null : { from: p.from, to };
}

/**
 * What growth compares with: the previous period, cut to as many days as the counted range
 * when the period is still running on as-of (like for like); null when nothing is counted.
 */
export function comparisonRange(p: Period, asOf: string): DateRange | null {
  const counted = countedRange(p, asOf);
  if (!counted) return null;
  const prev = previousPeriod(p);
  if (counted.to === p.to) return { from: prev.from, to: prev.to };
  const cut = addDays(prev.from, daysBetween(counted.from, counted.to));
  return { from: prev.from, to: cut < prev.to ? cut : prev.to };
}

/** `iso` moved by n calendar months, the day clamped to the month's length (03-31 − 1 month → 02-29). */
export function addMonths(iso: string, n: number): string {
  // dayjs parses and formats a bare date in local time: the calendar date never shifts
  return dayjs(iso).add(n, 'month').format('YYYY-MM-DD');
}

// ---------------------------------------------------------------------------------------
// Measures

/** Plain aggregates of one staff member (or a team, or everyone), as the store counts them. */
export interface Counts {
  /** customers from surveys the person collected, collected in the counted range */
  new_customers: number;
  /** files (顾客档案) of customers the person owns, opened in the counted range */
  files_opened: number;
  /** of those, buyers (bought on or before as-of) */
  buyers: number;
  /** orders credited in the counted range */
  orders: number;
  sales_fen: number;
  /** sales credited in the comparison range (growth) */
  prev_sales_fen: number;
  /** tasks due in the counted range and decided on as-of (see the module comment) */
  followups_due: number;
  followups_on_time: number;
  /** tasks due in the counted range, still open and past due on as-of */
  overdue_open: number;
  /** reimbursable amount of the person's trips starting in the counted range */
  travel_cost_fen: number;
}

export const ZERO_COUNTS: Readonly<Counts> = Object.freeze({
  new_customers: 0,
  files_opened: 0,
  buyers: 0,
  orders: 0,
  sales_fen: 0,
  prev_sales_fen: 0,
  followups_due: 0,
  followups_on_time: 0,
  overdue_open: 0,
  travel_cost_fen: 0,
});

const COUNT_KEYS = Object.keys(ZERO_COUNTS) as (keyof Counts)[];

export function addCounts(a: Counts, b: Partial<Counts>): Counts {
  const out = { ...a };
  for (const k of COUNT_KEYS) out[k] += b[k] ?? 0;
  return out;
}

export function sumCounts(items: Iterable<Counts>): Counts {
  let out: Counts = { ...ZERO_COUNTS };
  for (const c of items) out = addCounts(out, c);
  return out;
}

export function isZero(c: Counts): boolean {
  return COUNT_KEYS.every((k) => c[k] === 0);
}

/** n / d, or null when the denominator is 0 (§3.5: `—` in tables, null in JSON). */
export function ratio(n: number, d: number | null): number | null {
  return d === null || d === 0 ? null : n / d;
}

/** (current − previous) / previous, null when previous is 0. */
export function growth(current: number, previous: number): number | null {
  return previous === 0 ? null : (current - previous) / previous;
}

/** Money per unit, rounded to the fen; null when there are no units. */
export function perUnitFen(fen: number, units: number): number | null {
  return units === 0 ? null : Math.round(fen / units);
}

/** The §4 fields of `kpi --by staff` (money in fen; the renderer shows yuan). */
export interface Measures {
  new_customers: number;
  files_opened: number;
  buyers: number;
  conversion_rate: number | null;
  orders: number;
  sales_amount: number;
  sales_growth: number | null;
  followups_due: number;
  followups_on_time: number;
  on_time_rate: number | null;
  overdue_open: number;
  travel_cost: number;
  cost_per_order: number | null;
}

export function measures(c: Counts): Measures {
  return {
    new_customers: c.new_customers,
    files_opened: c.files_opened,
    buyers: c.buyers,
    conversion_rate: ratio(c.buyers, c.files_opened),
    orders: c.orders,
    sales_amount: c.sales_fen,
    sales_growth: growth(c.sales_fen, c.prev_sales_fen),
    followups_due: c.followups_due,
    followups_on_time: c.followups_on_time,
    on_time_rate: ratio(c.followups_on_time, c.followups_due),
    overdue_open: c.overdue_open,
    travel_cost: c.travel_cost_fen,
    cost_per_order: perUnitFen(c.travel_cost_fen, c.orders),
  };
}

/** A roster entry as the KPIs need it. */
export interface Member {
  staff_id: string;
  name: string;
  role: Role;
  team: string | null;
  hired_on: string;
  regular_on: string | null;
  left_on: string | null;
}

/** Days of the range the person is on the roster (hired_on <= day < left_on). */
export function daysOnRoster(m: Pick<Member, 'hired_on' | 'left_on'>, r: DateRange): number {
  const first = m.hired_on > r.from ? m.hired_on : r.from;
  const lastAway = m.left_on ?? '9999-12-31';
  const end = addDays(r.to, 1) < lastAway ? addDays(r.to, 1) : lastAway; // first day not counted
  return end > first ? daysBetween(first, end) : 0;
}

/** Mean of the daily headcount over the range; null when the range is empty. */
export function avgHeadcount(members: readonly Pick<Member, 'hired_on' | 'left_on'>[], r: DateRange | null): number | null {
  if (!r) return null;
  const days = daysBetween(r.from, r.to) + 1;
  let personDays = 0;
  for (const m of members) personDays += daysOnRoster(m, r);
  return personDays / days;
}

/** Was the person on the roster on some day of the range? */
export function activeDuring(m: Pick<Member, 'hired_on' | 'left_on'>, r: DateRange | null): boolean {
  return r !== null && daysOnRoster(m, r) > 0;
}

const inRange = (d: string | null, r: DateRange | null) => d !== null && r !== null && d >= r.from && d <= r.to;

/** The team fields `kpi --by team` adds. */
export interface TeamMeasures {
  avg_headcount: number | null;
  active_reps: number;
  activity_rate: number | null;
  per_capita_productivity: number | null;
  regularisation_rate: number | null;
  attrition_rate: number | null;
}

/**
 * §3.5 team measures. `reps`: the team's reps (whole roster, any dates); `repsWithOrder`:
 * how many of them have an order in the counted range; `salesFen`: the team's sales.
 */
export function teamMeasures(reps: readonly Member[], repsWithOrder: number, salesFen: number, r: DateRange | null): TeamMeasures {
  const hc = avgHeadcount(reps, r);
  const regularised = reps.filter((m) => inRange(m.regular_on, r)).length;
  const leavers = reps.filter((m) => inRange(m.left_on, r)).length;
  return {
    avg_headcount: hc === null ? null : Math.round(hc * 100) / 100,
    active_reps: repsWithOrder,
    activity_rate: ratio(repsWithOrder, hc),
    per_capita_productivity: perUnitFen(salesFen, repsWithOrder),
    regularisation_rate: ratio(regularised, hc),
    attrition_rate: ratio(leavers, hc),
  };
}

// ---------------------------------------------------------------------------------------
// The report: rows per staff member or per team, and the total

export interface KpiInput {
  roster: readonly Member[];
  /** aggregates by staff_id; the key null holds what is credited to no one (no owner, no credited rep) */
  counts: ReadonlyMap<string | null, Counts>;
  /** the counted range (null: the period starts after as-of) */
  range: DateRange | null;
}

export interface StaffRow extends Measures {
  staff_id: string | null;
  name: string | null;
  team: string | null;
}

export interface TeamRow extends Measures, TeamMeasures {
  team: string | null;
}

const isRep = (m: Member) => m.role === 'rep';
const countsOf = (input: KpiInput, id: string | null) => input.counts.get(id) ?? ZERO_COUNTS;

/** Staff on a KPI table: reps on the roster some day of the range, and anyone with something counted. */
export function reportedStaff(input: KpiInput): Member[] {
  return input.roster.filter((m) => (isRep(m) && activeDuring(m, input.range)) || !isZero(countsOf(input, m.staff_id)));
}

const byTeamThenId = (a: { team: string | null; staff_id: string | null }, b: { team: string | null; staff_id: string | null }) =>
  cmpNullLast(a.team, b.team) || cmpNullLast(a.staff_id, b.staff_id);

function cmpNullLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** `kpi --by staff`: one row per reported staff member (by team, then id), then credited-to-no-one when anything is. */
export function staffRows(input: KpiInput): StaffRow[] {
  const rows: StaffRow[] = reportedStaff(input).map((m) => ({ staff_id: m.staff_id, name: m.name, team: m.team, ...measures(countsOf(input, m.staff_id)) }));
  rows.sort(byTeamThenId);
  const known = new Set(input.roster.map((m) => m.staff_id));
  // counts under an id that is not on the roster (should not happen: foreign keys) join the no-one row
  const orphan = sumCounts([...input.counts].filter(([k]) => k === null || !known.has(k)).map(([, c]) => c));
  if (!isZero(orphan)) rows.push({ staff_id: null, name: null, team: null, ...measures(orphan) });
  return rows;
}

/** The total of everything counted (including what is credited to no one). */
export function totalCounts(input: KpiInput): Counts {
  return sumCounts(input.counts.values());
}

export function staffTotal(input: KpiInput): Measures {
  return measures(totalCounts(input));
}

function teamRow(team: string | null, members: readonly Member[], c: Counts, input: KpiInput): TeamRow {
  const reps = members.filter(isRep);
  const withOrder = reps.filter((m) => countsOf(input, m.staff_id).orders > 0).length;
  return { team, ...measures(c), ...teamMeasures(reps, withOrder, c.sales_fen, input.range) };
}

/**
 * `kpi --by team`: one row per team (by name), then the row of staff with no team, which
 * also holds what is credited to no one. A team is listed when it has a reported member.
 */
export function teamRows(input: KpiInput): TeamRow[] {
  const reported = new Set(reportedStaff(input).map((m) => m.staff_id));
  const known = new Set(input.roster.map((m) => m.staff_id));
  const teams = new Map<string | null, Member[]>();
  for (const m of input.roster) {
    if (!teams.has(m.team)) teams.set(m.team, []);
    teams.get(m.team)!.push(m);
  }
  const orphan = sumCounts([...input.counts].filter(([k]) => k === null || !known.has(k)).map(([, c]) => c));
  const rows: TeamRow[] = [];
  for (const [team, members] of teams) {
    let c = sumCounts(members.map((m) => countsOf(input, m.staff_id)));
    if (team === null) c = addCounts(c, orphan);
    const listed = members.some((m) => reported.has(m.staff_id)) || (team === null && !isZero(orphan));
    if (listed) rows.push(teamRow(team, members, c, input));
  }
  if (!teams.has(null) && !isZero(orphan)) rows.push(teamRow(null, [], orphan, input));
  rows.sort((a, b) => cmpNullLast(a.team, b.team));
  return rows;
}

/** The total row of `--by team`: everyone's counts, every rep of the roster. */
export function teamTotal(input: KpiInput): TeamRow {
  return teamRow(null, input.roster, totalCounts(input), input);
}

// ---------------------------------------------------------------------------------------
// Customer classes (A/B/C by 12-month purchases)

export type CustomerClass = 'A' | 'B' | 'C';

/** Thresholds in fen (the policy holds yuan: policy.kpi.class_a_min × 100). */
export interface ClassThresholds {
  a_min_fen: number;
  b_min_fen: number;
}

export function classOf(purchasesFen: number, t: ClassThresholds): CustomerClass {
  if (purchasesFen >= t.a_min_fen) return 'A';
  if (purchasesFen >= t.b_min_fen) return 'B';
  return 'C';
}

/** The purchases window: the `months` months up to as-of, (as-of − months, as-of]. */
export function classWindow(asOf: string, months: number): DateRange {
  return { from: addDays(addMonths(asOf, -months), 1), to: asOf };
}

/** Per owner (or team, or total): customers by class. */
export interface ClassCounts {
  customers: number;
  class_a: number;
  class_b: number;
}

export interface ClassRow {
  staff_id?: string | null;
  name?: string | null;
  team: string | null;
  customers: number;
  class_a: number;
  class_b: number;
  class_c: number;
  class_a_rate: number | null;
}

export function classRow(key: { staff_id?: string | null; name?: string | null; team: string | null }, c: ClassCounts): ClassRow {
  return { ...key, customers: c.customers, class_a: c.class_a, class_b: c.class_b, class_c: c.customers - c.class_a - c.class_b, class_a_rate: ratio(c.class_a, c.customers) };
}

export function addClassCounts(a: ClassCounts, b: ClassCounts): ClassCounts {
  return { customers: a.customers + b.customers, class_a: a.class_a + b.class_a, class_b: a.class_b + b.class_b };
}


// ---------------------------------------------------------------------------------------
// Targets: what a table shows in red (on a terminal)

/** The on-time follow-up rate a rep should reach (回访及时率). */
export const ON_TIME_TARGET = 0.9;

/** Behind target: on-time rate under 90%, overdue follow-ups still open, falling sales. */
export function behindTarget(field: string, value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  switch (field) {
    case 'on_time_rate':
      return value < ON_TIME_TARGET;
    case 'overdue_open':
      return value > 0;
    case 'sales_growth':
      return value < 0;
    default:
      return false;
  }
}
