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

// ---------------------------------------------------------------------------------------
// Teams and roles over time (issue 18)

/** A staff member's team and role from `from_on` (null: always) until the day before `until_on` (null: still). */
export interface StaffPeriod {
  staff_id: string;
  team: string | null;
  role: string;
  from_on: string | null;
  until_on: string | null;
}

/** The roster's teams and roles as they are now, for all time (a roster with no recorded changes). */
function periodsOfRoster(roster: readonly Member[]): StaffPeriod[] {
  return roster.map((m) => ({ staff_id: m.staff_id, team: m.team, role: m.role, from_on: null, until_on: null }));
}

/** The period that holds `day` among one person's periods (oldest first); the last one past its end. */
export function periodOn<P extends Pick<StaffPeriod, 'from_on' | 'until_on'>>(periods: readonly P[], day: string): P | undefined {
  for (const p of periods) if (p.until_on === null || day < p.until_on) return p;
  return periods[periods.length - 1];
}

/** What is credited to one staff member (null: no one) on one day. */
export interface Credit {
  k: string | null;
  /** the day of what is credited: collected, opened, bought, ordered, due, trip start */
  d: string;
  c: Partial<Counts>;
}

/** What one staff member earned while in one team (§3.5 per team: the team that rep was in on that day). */
export interface TeamShare {
  staff_id: string | null;
  team: string | null;
  counts: Counts;
}

/** Credits by staff member, over the whole range. */
export function countsByStaff(credits: Iterable<Credit>): Map<string | null, Counts> {
  const out = new Map<string | null, Counts>();
  for (const { k, c } of credits) out.set(k, addCounts(out.get(k) ?? ZERO_COUNTS, c));
  return out;
}

/** Credits by staff member and the team they were in on each credit's day. */
export function sharesByTeam(credits: Iterable<Credit>, periods: readonly StaffPeriod[]): TeamShare[] {
  const byStaff = groupPeriods(periods);
  const out = new Map<string, TeamShare>();
  for (const { k, d, c } of credits) {
    const team = k === null ? null : (periodOn(byStaff.get(k) ?? [], d)?.team ?? null);
    const key = JSON.stringify([k, team]);
    const share = out.get(key);
    if (share) share.counts = addCounts(share.counts, c);
    else out.set(key, { staff_id: k, team, counts: addCounts(ZERO_COUNTS, c) });
  }
  return [...out.values()];
}

function groupPeriods(periods: readonly StaffPeriod[]): Map<string, StaffPeriod[]> {
  const out = new Map<string, StaffPeriod[]>();
  for (const p of periods) {
    const list = out.get(p.staff_id);
    if (list) list.push(p);
    else out.set(p.staff_id, [p]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The report: rows per staff member or per team, and the total

export interface KpiInput {
  roster: readonly Member[];
  /** aggregates by staff_id; the key null holds what is credited to no one (no owner, no credited rep) */
  counts: ReadonlyMap<string | null, Counts>;
  /**
   * the same counts split by the team each person was in on the day of each item (issue 18);
   * absent: everything under the team of the roster now
   */
  shares?: readonly TeamShare[];
  /** each person's teams and roles over time (absent: the roster's, for all time) */
  periods?: readonly StaffPeriod[];
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

const countsOf = (input: KpiInput, id: string | null) => input.counts.get(id) ?? ZERO_COUNTS;

/** A person's periods, clipped to their days on the roster and to the range. */
interface Stint {
  member: Member;
  team: string | null;
  role: string;
  /** first day and first day after, within the range */
  from: string;
  until: string;
}

/** Stints of an input, computed once (a report asks for them per row). */
const stintsOf = new WeakMap<KpiInput, Stint[]>();

function stints(input: KpiInput): Stint[] {
  let out = stintsOf.get(input);
  if (!out) stintsOf.set(input, (out = computeStints(input)));
  return out;
}

function computeStints(input: KpiInput): Stint[] {
  const r = input.range;
  if (!r) return [];
  const periods = groupPeriods(input.periods ?? periodsOfRoster(input.roster));
  const end = addDays(r.to, 1);
  const out: Stint[] = [];
  for (const m of input.roster) {
    for (const p of periods.get(m.staff_id) ?? periodsOfRoster([m])) {
      const from = [r.from, m.hired_on, p.from_on ?? r.from].reduce((a, b) => (a > b ? a : b));
      const until = [end, m.left_on ?? end, p.until_on ?? end].reduce((a, b) => (a < b ? a : b));
      if (until > from) out.push({ member: m, team: p.team, role: p.role, from, until });
    }
  }
  return out;
}

/** Staff on a KPI table: reps on the roster some day of the range, and anyone with something counted. */
export function reportedStaff(input: KpiInput): Member[] {
  const reps = new Set(stints(input).filter((s) => s.role === 'rep').map((s) => s.member.staff_id));
  return input.roster.filter((m) => reps.has(m.staff_id) || !isZero(countsOf(input, m.staff_id)));
}

const byTeamThenId = (a: { team: string | null; staff_id: string | null }, b: { team: string | null; staff_id: string | null }) =>
  cmpNullLast(a.team, b.team) || cmpNullLast(a.staff_id, b.staff_id);

function cmpNullLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The team each person was in at the end of the range (their last day on the roster in it). */
function teamsAtEnd(input: KpiInput): Map<string, string | null> {
  const last = new Map<string, Stint>();
  for (const s of stints(input)) {
    const seen = last.get(s.member.staff_id);
    if (!seen || s.until > seen.until) last.set(s.member.staff_id, s);
  }
  return new Map([...last].map(([id, s]) => [id, s.team]));
}

/**
 * `kpi --by staff`: one row per reported staff member (by team, then id), then
 * credited-to-no-one when anything is. The team is the one the person was in at the end of
 * the range (a row per person: what they did in an earlier team is in that team's row of `--by team`).
 */
export function staffRows(input: KpiInput): StaffRow[] {
  const atEnd = teamsAtEnd(input);
  const rows: StaffRow[] = reportedStaff(input).map((m) => ({
    staff_id: m.staff_id,
    name: m.name,
    team: atEnd.has(m.staff_id) ? atEnd.get(m.staff_id)! : m.team,
    ...measures(countsOf(input, m.staff_id)),
  }));
  rows.sort(byTeamThenId);
  const orphan = orphanCounts(input);
  if (!isZero(orphan)) rows.push({ staff_id: null, name: null, team: null, ...measures(orphan) });
  return rows;
}

/** counts under no one, or under an id that is not on the roster (should not happen: foreign keys) */
function orphanCounts(input: KpiInput): Counts {
  const known = new Set(input.roster.map((m) => m.staff_id));
  return sumCounts([...input.counts].filter(([k]) => k === null || !known.has(k)).map(([, c]) => c));
}

/** The total of everything counted (including what is credited to no one). */
export function totalCounts(input: KpiInput): Counts {
  return sumCounts(input.counts.values());
}

export function staffTotal(input: KpiInput): Measures {
  return measures(totalCounts(input));
}

/**
 * §3.5 team measures over stints: headcount the mean of the daily number of reps (in the
 * team, on the roster, role rep that day), regularisation and attrition the reps whose
 * regular_on / last day falls in the range while in the team, active reps those with an
 * order credited while in it.
 */
function teamRowOf(team: string | null, c: Counts, reps: Stint[], shares: readonly TeamShare[], input: KpiInput): TeamRow {
  const r = input.range;
  let personDays = 0;
  let regularised = 0;
  let leavers = 0;
  for (const s of reps) {
    personDays += daysBetween(s.from, s.until);
    const m = s.member;
    if (m.regular_on !== null && m.regular_on >= s.from && m.regular_on < s.until) regularised++;
    // the last day on the roster (the day before left_on) falls in this stint
    if (m.left_on !== null && r !== null && inRange(m.left_on, r) && addDays(m.left_on, -1) >= s.from && addDays(m.left_on, -1) < s.until) leavers++;
  }
  const hc = r ? personDays / (daysBetween(r.from, r.to) + 1) : null;
  const repIds = new Set(reps.map((s) => s.member.staff_id));
  const active = new Set(shares.filter((x) => x.staff_id !== null && repIds.has(x.staff_id) && x.counts.orders > 0).map((x) => x.staff_id)).size;
  return {
    team,
    ...measures(c),
    avg_headcount: hc === null ? null : Math.round(hc * 100) / 100,
    active_reps: active,
    activity_rate: ratio(active, hc),
    per_capita_productivity: perUnitFen(c.sales_fen, active),
    regularisation_rate: ratio(regularised, hc),
    attrition_rate: ratio(leavers, hc),
  };
}

/** The shares of the input (absent: each person's counts under their team of now). */
function sharesOf(input: KpiInput): readonly TeamShare[] {
  if (input.shares) return input.shares;
  const teamNow = new Map(input.roster.map((m) => [m.staff_id, m.team]));
  return [...input.counts].map(([k, counts]) => ({ staff_id: k, team: k === null ? null : (teamNow.get(k) ?? null), counts }));
}

/**
 * `kpi --by team`: one row per team (by name), then the row of staff with no team, which
 * also holds what is credited to no one. A team is listed when a reported person was in it
 * during the range, or when something is credited to it.
 */
export function teamRows(input: KpiInput): TeamRow[] {
  const known = new Set(input.roster.map((m) => m.staff_id));
  const reported = new Set(reportedStaff(input).map((m) => m.staff_id));
  const all = stints(input);
  const shares = sharesOf(input).map((x) => (x.staff_id !== null && !known.has(x.staff_id) ? { ...x, staff_id: null, team: null } : x));
  const teams = new Set<string | null>();
  for (const s of all) if (reported.has(s.member.staff_id)) teams.add(s.team);
  for (const x of shares) if (!isZero(x.counts)) teams.add(x.team);
  const rows: TeamRow[] = [];
  for (const team of teams) {
    const mine = shares.filter((x) => x.team === team);
    const c = sumCounts(mine.map((x) => x.counts));
    rows.push(teamRowOf(team, c, all.filter((s) => s.team === team && s.role === 'rep'), mine, input));
  }
  rows.sort((a, b) => cmpNullLast(a.team, b.team));
  return rows;
}

/** The total row of `--by team`: everyone's counts, every rep of the roster. */
export function teamTotal(input: KpiInput): TeamRow {
  const row = teamRowOf(
    null,
    totalCounts(input),
    stints(input).filter((s) => s.role === 'rep'),
    [...input.counts].map(([k, counts]) => ({ staff_id: k, team: null, counts })),
    input,
  );
  return row;
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
