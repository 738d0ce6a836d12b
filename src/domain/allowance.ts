/**
 * Travel allowances (出差补贴, SPEC §3.3): prices one trip and its expense lines under the
 * travel policy in force on the trip's start date. Pure: no database, no clock (`asOf` is
 * passed), no Date objects (calendar arithmetic from values.ts).
 *
 * Money is integer fen throughout. Policy amounts are yuan and are converted with
 * `yuanToFen` (Math.round(yuan × 100)). The only division is the dinner cap, a share of
 * the order amount, rounded half up to the fen in exact integer arithmetic (see `shareFen`).
 *
 * Every claimed line comes back (claimed vs reimbursable, the rule that priced it and its
 * flags), and the per diem comes back as lines too: one per paid day, plus one line for
 * the unpaid days beyond the day limit. So finance can see why for every yuan:
 *   trip.reimbursable_fen = Σ lines.reimbursable_fen = per_diem_fen + Σ expense lines
 *   trip.claimed_fen      = Σ expense lines.claimed_fen (a per-diem line's claimed is the
 *                           day's standard rate; the per diem is an allowance, not a claim)
 *
 * Readings of the regulation decided here (a careful finance clerk's):
 * - Approval: a rep's or doctor's trip needs reviewed_by a supervisor/manager (not the
 *   traveller) and approved_by a GM; a supervisor's or manager's own trip needs the GM only;
 *   the GM's own trip needs approved_by a GM, which may be the GM (no one ranks above).
 *   A GM in reviewed_by does not stand in for the dept head. The data has no approval
 *   date, so "before departure" is the approver's responsibility, not checked here.
 * - Trip-wide refusals (`unapproved`, `invited`, `third_trip`) zero every line and the per
 *   diem; the lines are still listed, with the refusal as their rule and flags.
 * - Two-trips rule: only trips that would be reimbursed count (approved, not invited, with a
 *   client); the store counts them (`countsForClientLimit`) in order of start, ties by
 *   trip_no. A trip with no client is outside the rule.
 * - `exempt` (特殊情况) lifts only the absence (旷工) flag; the pay limits of the day limits
 *   still apply (§3.3: the regulation attaches 特殊情况除外 to 旷工 alone).
 * - Days are calendar days start..end inclusive; the start/end times do not change them.
 *   An expense dated on a day after the paid days, or outside the trip's dates, is 0 with
 *   `over_day_limit` (rules day_limit.over / day_limit.outside_trip).
 * - Checks on a line, first failing one decides: trip-wide refusal → day limit →
 *   transport provided (transport kinds) → the kind's own rule.
 * - Train: hours blank counts as a ride under sleeper_min_hours; class blank cannot be
 *   checked, so it is treated as above entitlement (standard_fare when given, else 0,
 *   `over_class`). Same for a ship's class. standard_fare is capped at the claimed amount.
 * - Ship: receipt first (no formal receipt → 0 `no_receipt`), then class.
 * - local_bus without from/to: the detailed record replaces the receipt, so without it the
 *   line is 0 with `no_receipt` (rule local_bus.no_record).
 * - Taxi: from and to required first. Reason `night` needs the line's time inside the
 *   window (both ends inside: 20:00 and 08:00 are night) or no time; a time that does not
 *   read as HH:mm is not night. `special` needs approved_by on the line by one of
 *   taxi.special_approver_roles (not the traveller, unless the traveller is the GM).
 *   Other reasons in taxi.reasons are accepted as stated (no distance data for `far`).
 *   A ride whose time is inside the night window is a night ride whatever the reason column.
 * - Plane: approved_by on the line must be a GM (not the traveller, unless the GM).
 * - Dinner: order_amount > dinner.min_order strictly and deal_closed; the cap (round half up
 *   of order × max_rate, to the fen) is for the trip's dinners together, used up in line
 *   order; a dinner over what is left is paid the rest (rule dinner.capped, no flag).
 * - Lodging: covered by the per diem on every trip → 0 `lodging_in_per_diem`. Meals are
 *   also in the per diem but there is no meal kind; dinner is the separate client dinner.
 * - other: not named by §3.3; reimbursed at the actual amount only with a formal receipt
 *   (凭票报销, as for bus), else 0 `no_receipt`.
 * - Advance over the limit: flagged; the full advance is still deducted (it was paid out).
 * - Report: due on end_date + report_due_days inclusive; later → `report_late`; none and
 *   asOf after the due date → `report_missing`; none and still in time → no flag. Report
 *   flags, absence and advance flags do not change the amounts.
 */
import { addDays, dayNumber, daysBetween, fenToYuan, fenToYuanString } from './values.js';
import { DEFAULT_POLICY, policyOn, yuanToFen, type Policy, type StaffRole, type TravelPolicy } from './policy.js';

export type { StaffRole } from './policy.js';

export type Scope = 'in_province' | 'out_of_province';
export const EXPENSE_KINDS = ['train', 'bus', 'ship', 'plane', 'taxi', 'local_bus', 'dinner', 'lodging', 'other'] as const;
export type ExpenseKind = (typeof EXPENSE_KINDS)[number];
/** 3.3: company car, own vehicle or host-provided transport → no transport reimbursement for these */
export const TRANSPORT_KINDS: readonly ExpenseKind[] = ['train', 'bus', 'ship', 'plane', 'taxi', 'local_bus'];

export interface Signature {
  staff_id: string;
  role: StaffRole;
}

/**
 * A trip (出差登记, §2 trips.csv) as priced: the one declaration of the trip record; the
 * import's row (io/kinds/trips.ts), the stored row and what a priced trip shows
 * (store/trips.ts) are derived from it.
 */
export interface Trip {
  trip_no: string;
  staff_id: string;
  staff_role: StaffRole;
  start_date: string;
  start_time: string | null;
  end_date: string;
  end_time: string | null;
  scope: Scope;
  purpose: string | null;
  client: string | null;
  reviewed_by: Signature | null;
  approved_by: Signature | null;
  invited_by: string | null;
  transport_provided: 'company_car' | 'own_vehicle' | 'host' | null;
  advance_fen: number;
  report_on: string | null;
  order_amount_fen: number | null;
  deal_closed: boolean;
  exempt: boolean;
}

/**
 * An expense line of a trip (费用明细, §2 expenses.csv) as priced: the one declaration of the
 * line; the import's row (io/kinds/expenses.ts) and the stored row (store/trips.ts) are
 * derived from it.
 */
export interface ExpenseLine {
  line_no: number;
  date: string;
  time: string | null;
  kind: ExpenseKind;
  amount_fen: number;
  hours: number | null;
  class: string | null;
  standard_fare_fen: number | null;
  receipt: boolean | null;
  reason: string | null;
  from: string | null;
  to: string | null;
  approved_by: Signature | null;
}

/** §4 flag names, in the order they are listed (flags arrays are sorted in this order). */
export const FLAGS = [
  'unapproved',
  'invited',
  'over_day_limit',
  'absence',
  'over_class',
  'no_receipt',
  'plane_not_approved',
  'taxi_not_allowed',
  'transport_provided',
  'third_trip',
  'dinner_not_eligible',
  'lodging_in_per_diem',
  'advance_over_limit',
  'report_late',
  'report_missing',
] as const;
export type Flag = (typeof FLAGS)[number];

/** Stable ids of the rules that price a line; the text is `allowance.rule.<id>` in messages/trips.ts. */
export const RULES = [
  'per_diem.in_province_same_day',
  'per_diem.in_province_overnight',
  'per_diem.out_of_province',
  'per_diem.over_day_limit',
  'trip.unapproved',
  'trip.invited',
  'trip.third_trip',
  'day_limit.over',
  'day_limit.outside_trip',
  'transport.provided',
  'train.seat',
  'train.sleeper',
  'train.standard_fare',
  'train.over_class',
  'train.class_missing',
  'bus.receipt',
  'bus.no_receipt',
  'ship.class',
  'ship.standard_fare',
  'ship.over_class',
  'ship.class_missing',
  'ship.no_receipt',
  'local_bus.record',
  'local_bus.no_record',
  'plane.approved',
  'plane.not_approved',
  'taxi.night',
  'taxi.equipment',
  'taxi.no_bus',
  'taxi.far',
  'taxi.special',
  'taxi.reason',
  'taxi.no_route',
  'taxi.not_night',
  'taxi.special_not_approved',
  'taxi.reason_not_allowed',
  'taxi.no_reason',
  'dinner.within_cap',
  'dinner.capped',
  'dinner.deal_not_closed',
  'dinner.order_not_over_min',
  'lodging.in_per_diem',
  'other.receipt',
  'other.no_receipt',
] as const;
export type Rule = (typeof RULES)[number];

export type RuleParams = Record<string, string | number>;

export interface PricedLine {
  /** the expense line's number; null for per-diem lines */
  line_no: number | null;
  /** the expense kind, or 'per_diem' */
  kind: ExpenseKind | 'per_diem';
  date: string;
  /** per-diem lines only: the days the line covers (1 for a paid day) */
  days?: number;
  /** expense lines: the amount claimed; per-diem lines: the standard per diem of the days */
  claimed_fen: number;
  reimbursable_fen: number;
  rule: Rule;
  flags: Flag[];
  /** the numbers behind the rule, for its message (`allowance.rule.<rule>`) */
  params: RuleParams;
}

export interface PricedTrip {
  trip_no: string;
  staff_id: string;
  /** calendar days start..end inclusive */
  days: number;
  /** days the per diem and expenses are paid for (at most the day limit, exempt or not) */
  paid_days: number;
  per_diem_fen: number;
  /** sum of the expense lines' claimed amounts */
  claimed_fen: number;
  /** per diem + expense lines reimbursed */
  reimbursable_fen: number;
  advance_fen: number;
  /** reimbursable − advance; negative: owed back */
  net_payable_fen: number;
  /** trip-wide flags and every line's flags, in FLAGS order */
  flags: Flag[];
  /** per-diem lines (by date), then the expense lines in the order given */
  lines: PricedLine[];
  policy_effective_from: string;
  /** the report's due date (end_date + report_due_days, inclusive) */
  report_due_on: string;
  /** the numbers behind the trip-wide flags, for their messages (`allowance.flag.<flag>`) */
  params: RuleParams;
}

export type PricingPolicy = TravelPolicy & { effective_from: string };

export interface PricingContext {
  /** approved trips (see countsForClientLimit) to the same client that start before this one (ties by trip_no) */
  earlierApprovedTripsToClient: number;
  /** the version in force on the trip's start date (see pricingPolicyFor): a whole Policy or its travel part with effective_from */
  policy: Policy | PricingPolicy;
  /** the day the computation is made (report_missing) */
  asOf: string;
}

// ---------------------------------------------------------------------------------------
// Helpers the store and the import share with the pricing

/** §6: a trip is priced by the version in force on its start date, for all its days. */
export function pricingPolicyFor(versions: readonly Policy[], trip: Pick<Trip, 'start_date'>): PricingPolicy {
  return toPricingPolicy(policyOn(versions, trip.start_date));
}

export function toPricingPolicy(p: Policy | PricingPolicy): PricingPolicy {
  return 'travel' in p ? { ...p.travel, effective_from: p.effective_from } : p;
}

function signed(sig: Signature | null, roles: readonly StaffRole[], trip: Pick<Trip, 'staff_id' | 'staff_role'>, approverRoles: readonly StaffRole[]): boolean {
  if (!sig || !roles.includes(sig.role)) return false;
  // nobody signs for themselves, except the top of the approval chain (the GM)
  return sig.staff_id !== trip.staff_id || approverRoles.includes(trip.staff_role);
}

/**
 * 3.3: approved before departure — dept head review (a supervisor or manager) + GM approval;
 * the own trip of a supervisor or manager needs the GM only; the GM's own trip needs the GM's
 * signature as approver.
 */
export function isApproved(
  trip: Pick<Trip, 'staff_id' | 'staff_role' | 'reviewed_by' | 'approved_by'>,
  policy: Policy | PricingPolicy = DEFAULT_POLICY,
): boolean {
  const { reviewer_roles, approver_roles } = toPricingPolicy(policy).approval;
  if (!signed(trip.approved_by, approver_roles, trip, approver_roles)) return false;
  if (approver_roles.includes(trip.staff_role) || reviewer_roles.includes(trip.staff_role)) return true;
  return signed(trip.reviewed_by, reviewer_roles, trip, approver_roles);
}

/** 3.3 two-trips rule: does this trip count among a client's reimbursed trips? */
export function countsForClientLimit(
  trip: Pick<Trip, 'staff_id' | 'staff_role' | 'reviewed_by' | 'approved_by' | 'invited_by' | 'client'>,
  policy: Policy | PricingPolicy = DEFAULT_POLICY,
): boolean {
  return hasText(trip.client) && !hasText(trip.invited_by) && isApproved(trip, policy);
}

/** `HH:mm` (or `H:mm`) → minutes after midnight, or null. */
function minutesOf(time: string): number | null {
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(time);
  if (!m || +m[1] > 23 || +m[2] > 59) return null;
  return +m[1] * 60 + +m[2];
}

/** 3.3: taxi only at night, 20:00–08:00 — both ends inside; a window may wrap midnight. */
export function inNightWindow(time: string, from: string, to: string): boolean {
  const t = minutesOf(time);
  const a = minutesOf(from);
  const b = minutesOf(to);
  if (t === null || a === null || b === null) return false;
  return a <= b ? t >= a && t <= b : t >= a || t <= b;
}

const CLASS_ALIASES: Record<string, string> = {
  硬座: 'hard_seat',
  软座: 'soft_seat',
  二等座: 'second_class',
  一等座: 'first_class',
  硬卧: 'hard_sleeper',
  软卧: 'soft_sleeper',
  商务座: 'business',
  特等座: 'business',
  经济舱: 'economy',
  商务舱: 'business',
  公务舱: 'business',
  头等舱: 'first_class',
  高级软卧: 'deluxe_soft_sleeper',
  超级经济舱: 'premium_economy',
};

/**
 * Class names the import accepts besides the ones the policies name (SPEC §2 `class`):
 * every seat, berth and cabin a Chinese ticket shows, so that a class above entitlement is
 * priced (`over_class`) rather than refused as a typo.
 */
export const KNOWN_CLASSES: readonly string[] = [
  'hard_seat',
  'soft_seat',
  'second_class',
  'first_class',
  'business',
  'hard_sleeper',
  'soft_sleeper',
  'deluxe_soft_sleeper',
  'economy',
  'premium_economy',
];

/** A class as written (`Hard Seat`, `hard-seat`, `硬座`) → the policy's name (`hard_seat`), or null when blank. */
export function normalizeClass(raw: string | null): string | null {
  if (raw === null) return null;
  const s = raw.trim();
  if (s === '') return null;
  return CLASS_ALIASES[s] ?? s.toLowerCase().replace(/[\s-]+/g, '_');
}

/**
 * `share` of `fen`, rounded half up to the fen, exactly: the share is taken to 6 decimals
 * (policy validation allows no more) and the product is done in BigInt, so no float error
 * can move a half fen. 3.3: the dinner cap, 2% of the order.
 */
export function shareFen(fen: number, share: number): number {
  const scale = 10n ** 6n;
  const parts = BigInt(Math.round(share * 1e6));
  const x = BigInt(Math.round(fen)) * parts;
  const q = x >= 0n ? (x + scale / 2n) / scale : -((-x + scale / 2n - 1n) / scale);
  return Number(q);
}

function hasText(s: string | null | undefined): s is string {
  return typeof s === 'string' && s.trim() !== '';
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
function assertDate(what: string, s: string): void {
  if (!ISO.test(s) || !Number.isFinite(dayNumber(s)) || addDays(s, 0) !== s) {
    throw new RangeError(`${what} must be a date YYYY-MM-DD, got ${JSON.stringify(s)}`);
  }
}

function sortFlags(flags: Iterable<Flag>): Flag[] {
  const set = new Set(flags);
  return FLAGS.filter((f) => set.has(f));
}

const yuan = fenToYuanString;

// ---------------------------------------------------------------------------------------
// Pricing

interface Priced {
  reimbursable_fen: number;
  rule: Rule;
  flags: Flag[];
  params: RuleParams;
}

const pay = (fen: number, rule: Rule, params: RuleParams = {}): Priced => ({ reimbursable_fen: fen, rule, flags: [], params });
const refuse = (rule: Rule, flag: Flag, params: RuleParams = {}): Priced => ({ reimbursable_fen: 0, rule, flags: [flag], params });

/** 3.3 train and ship: the entitled class pays the fare; a higher one pays standard_fare when given (never more than claimed), else nothing. */
function priceByClass(
  line: ExpenseLine,
  allowed: readonly string[],
  rules: { ok: Rule; standard: Rule; over: Rule; missing: Rule },
  params: RuleParams,
): Priced {
  const cls = normalizeClass(line.class);
  const p = { ...params, class: cls ?? '—', allowed: allowed.join(', ') };
  if (cls !== null && allowed.includes(cls)) return pay(line.amount_fen, rules.ok, p);
  if (line.standard_fare_fen !== null) {
    const fen = Math.min(line.standard_fare_fen, line.amount_fen);
    return { reimbursable_fen: fen, rule: rules.standard, flags: ['over_class'], params: { ...p, standard_fare: yuan(line.standard_fare_fen) } };
  }
  return refuse(cls === null ? rules.missing : rules.over, 'over_class', p);
}

function priceTrain(line: ExpenseLine, pol: PricingPolicy): Priced {
  const t = pol.train;
  // 3.3: continuous ride under 10 h → seat classes; 10 h or more → up to hard_sleeper (exactly 10 h may sleep)
  const long = line.hours !== null && line.hours >= t.sleeper_min_hours;
  const allowed = long ? [...t.seat_classes, ...t.sleeper_classes] : t.seat_classes;
  const priced = priceByClass(
    line,
    allowed,
    { ok: 'train.seat', standard: 'train.standard_fare', over: 'train.over_class', missing: 'train.class_missing' },
    { hours: line.hours ?? '—', min_hours: t.sleeper_min_hours },
  );
  if (priced.rule === 'train.seat' && !t.seat_classes.includes(normalizeClass(line.class) ?? '')) priced.rule = 'train.sleeper';
  return priced;
}

function priceShip(line: ExpenseLine, pol: PricingPolicy): Priced {
  // 3.3: bus and ship — actual fare including insurance, only with a formal receipt
  if (line.receipt !== true) return refuse('ship.no_receipt', 'no_receipt');
  // 3.3: ship economy; above it is over_class like the train
  return priceByClass(line, pol.ship_classes, {
    ok: 'ship.class',
    standard: 'ship.standard_fare',
    over: 'ship.over_class',
    missing: 'ship.class_missing',
  }, {});
}

function priceTaxi(line: ExpenseLine, trip: Trip, pol: PricingPolicy): Priced {
  const tx = pol.taxi;
  const params: RuleParams = { night_from: tx.night_from, night_to: tx.night_to, time: line.time ?? '—', far_km: tx.far_km };
  // 3.3: the line must give from/to
  if (!hasText(line.from) || !hasText(line.to)) return refuse('taxi.no_route', 'taxi_not_allowed', params);
  const reason = hasText(line.reason) ? line.reason.trim().toLowerCase() : null;
  const nightAllowed = tx.reasons.includes('night');
  // 3.3: taxi only at night, 20:00–08:00, by the line's time when given
  const nightTime = line.time !== null && inNightWindow(line.time, tx.night_from, tx.night_to);
  if (reason === 'night' && nightAllowed) {
    if (line.time === null || nightTime) return pay(line.amount_fen, 'taxi.night', params);
    return refuse('taxi.not_night', 'taxi_not_allowed', params);
  }
  const special = reason === 'special' && tx.reasons.includes('special');
  // 3.3: a special case approved in advance — the approval is on the line
  if (special && signed(line.approved_by, tx.special_approver_roles, trip, pol.approval.approver_roles)) {
    return pay(line.amount_fen, 'taxi.special', { ...params, approved_by: line.approved_by!.staff_id });
  }
  if (reason !== null && reason !== 'night' && reason !== 'special' && tx.reasons.includes(reason)) {
    // 3.3: bulky or valuable equipment, no bus, over 3 km: the traveller's stated reason
    const rule: Rule = reason === 'equipment' || reason === 'no_bus' || reason === 'far' ? `taxi.${reason}` : 'taxi.reason';
    return pay(line.amount_fen, rule, { ...params, reason });
  }
  // a ride whose time is in the night window is a night ride, whatever the reason column says
  if (nightAllowed && nightTime) return pay(line.amount_fen, 'taxi.night', params);
  if (special) return refuse('taxi.special_not_approved', 'taxi_not_allowed', params);
  if (reason === null) return refuse('taxi.no_reason', 'taxi_not_allowed', params);
  return refuse('taxi.reason_not_allowed', 'taxi_not_allowed', { ...params, reason, reasons: tx.reasons.join(', ') });
}

/**
 * Prices one trip. `lines` are the trip's expense lines (the store gives them in line_no
 * order; the dinner cap is used up in that order). Throws RangeError on a trip whose dates
 * are not dates or whose end is before its start (the import refuses such rows).
 */
export function priceTrip(trip: Trip, lines: readonly ExpenseLine[], ctx: PricingContext): PricedTrip {
  const pol = toPricingPolicy(ctx.policy);
  assertDate(`trip ${trip.trip_no}: start_date`, trip.start_date);
  assertDate(`trip ${trip.trip_no}: end_date`, trip.end_date);
  assertDate('asOf', ctx.asOf);
  // 3.3: days d = calendar days from start to end inclusive
  const days = daysBetween(trip.start_date, trip.end_date) + 1;
  if (days < 1) throw new RangeError(`trip ${trip.trip_no}: end_date ${trip.end_date} is before start_date ${trip.start_date}`);
  const inProvince = trip.scope === 'in_province';

  // 3.3: per diem and expenses are paid for at most 2 days in province, 3 out; later days are
  // the traveller's own cost. `exempt` does NOT lift this limit: §3.3 attaches 特殊情况除外
  // ("unless exempt") to the absence flag (旷工) alone.
  const dayLimit = inProvince ? pol.day_limit.in_province : pol.day_limit.out_of_province;
  const paidDays = Math.min(days, dayLimit);
  // 3.3: more than 4 days (in) or 5 days (out) is absence (旷工) unless exempt (the only thing exempt lifts)
  const absenceOver = inProvince ? pol.absence_over_days.in_province : pol.absence_over_days.out_of_province;

  // 3.3: trip-wide refusals, in the order of the regulation
  const gate: Flag[] = [];
  const approved = isApproved(trip, pol);
  if (!approved) gate.push('unapproved');
  if (hasText(trip.invited_by)) gate.push('invited');
  // 3.3: a client may be visited on at most 2 reimbursed trips; this trip is one only if it counts itself
  if (
    countsForClientLimit(trip, pol) &&
    ctx.earlierApprovedTripsToClient >= pol.client_trip_limit
  ) {
    gate.push('third_trip');
  }
  const gateRule: Rule | null = gate.length === 0 ? null : (`trip.${gate[0]}` as Rule);
  const gateParams: RuleParams = {
    client: trip.client ?? '—',
    earlier_trips: ctx.earlierApprovedTripsToClient,
    limit: pol.client_trip_limit,
    invited_by: trip.invited_by ?? '—',
  };

  const out: PricedLine[] = [];

  // 3.3 per diem: in province same-day (meals) / overnight (meals and lodging) / out of province, a day each (policy.per_diem)
  const perDiemRule: Rule = !inProvince
    ? 'per_diem.out_of_province'
    : days === 1
      ? 'per_diem.in_province_same_day'
      : 'per_diem.in_province_overnight';
  const rateFen = yuanToFen(
    !inProvince ? pol.per_diem.out_of_province : days === 1 ? pol.per_diem.in_province_same_day : pol.per_diem.in_province_overnight,
  );
  let perDiemFen = 0;
  for (let i = 0; i < paidDays; i++) {
    const paid = gateRule === null ? rateFen : 0;
    perDiemFen += paid;
    out.push({
      line_no: null,
      kind: 'per_diem',
      date: addDays(trip.start_date, i),
      days: 1,
      claimed_fen: rateFen,
      reimbursable_fen: paid,
      rule: gateRule ?? perDiemRule,
      flags: [...gate],
      params: gateRule ? gateParams : { rate: yuan(rateFen), day: i + 1 },
    });
  }
  if (days > paidDays) {
    // 3.3: later days are the traveller's own cost
    out.push({
      line_no: null,
      kind: 'per_diem',
      date: addDays(trip.start_date, paidDays),
      days: days - paidDays,
      claimed_fen: rateFen * (days - paidDays),
      reimbursable_fen: 0,
      rule: 'per_diem.over_day_limit',
      flags: sortFlags(['over_day_limit', ...gate]),
      params: { rate: yuan(rateFen), days: days - paidDays, limit: dayLimit },
    });
  }

  // 3.3 client dinner: only when the deal closed and the order exceeds 10,000 (strictly); up to 2% of the order
  const minOrderFen = yuanToFen(pol.dinner.min_order);
  const orderFen = trip.order_amount_fen;
  const dinnerEligible = trip.deal_closed && orderFen !== null && orderFen > minOrderFen;
  const dinnerCapFen = dinnerEligible ? shareFen(orderFen, pol.dinner.max_rate) : 0;
  let dinnerLeftFen = dinnerCapFen;
  const dinnerParams: RuleParams = {
    order: orderFen === null ? '—' : yuan(orderFen),
    min_order: yuan(minOrderFen),
    rate_percent: +(pol.dinner.max_rate * 100).toFixed(4),
    cap: yuan(dinnerCapFen),
  };

  let claimedFen = 0;
  let linesFen = 0;
  for (const line of lines) {
    claimedFen += line.amount_fen;
    let priced: Priced;
    const dayNo = daysBetween(trip.start_date, line.date) + 1;
    if (gateRule !== null) {
      priced = { reimbursable_fen: 0, rule: gateRule, flags: [...gate], params: gateParams };
    } else if (!(dayNo >= 1 && dayNo <= days)) {
      priced = refuse('day_limit.outside_trip', 'over_day_limit', { start: trip.start_date, end: trip.end_date });
    } else if (dayNo > paidDays) {
      priced = refuse('day_limit.over', 'over_day_limit', { day: dayNo, limit: dayLimit });
    } else if (trip.transport_provided !== null && TRANSPORT_KINDS.includes(line.kind)) {
      // 3.3: company car, own vehicle or host-provided transport: no transport reimbursement
      priced = refuse('transport.provided', 'transport_provided', { transport: trip.transport_provided });
    } else {
      switch (line.kind) {
        case 'train':
          priced = priceTrain(line, pol);
          break;
        case 'bus':
          // 3.3: bus — actual fare including insurance, only with a formal receipt
          priced = line.receipt === true ? pay(line.amount_fen, 'bus.receipt') : refuse('bus.no_receipt', 'no_receipt');
          break;
        case 'ship':
          priced = priceShip(line, pol);
          break;
        case 'local_bus':
          // 3.3: local transport — actual fare on the traveller's own record (from, to), no receipt needed
          priced =
            hasText(line.from) && hasText(line.to)
              ? pay(line.amount_fen, 'local_bus.record', { from: line.from, to: line.to })
              : refuse('local_bus.no_record', 'no_receipt');
          break;
        case 'plane':
          // 3.3: plane only with GM pre-approval on the line
          priced = signed(line.approved_by, pol.plane_approver_roles, trip, pol.approval.approver_roles)
            ? pay(line.amount_fen, 'plane.approved', { approved_by: line.approved_by!.staff_id })
            : refuse('plane.not_approved', 'plane_not_approved');
          break;
        case 'taxi':
          priced = priceTaxi(line, trip, pol);
          break;
        case 'dinner':
          if (!dinnerEligible) {
            priced = refuse(trip.deal_closed ? 'dinner.order_not_over_min' : 'dinner.deal_not_closed', 'dinner_not_eligible', dinnerParams);
          } else {
            const fen = Math.min(line.amount_fen, dinnerLeftFen);
            dinnerLeftFen -= fen;
            priced = pay(fen, fen === line.amount_fen ? 'dinner.within_cap' : 'dinner.capped', { ...dinnerParams, left: yuan(dinnerLeftFen) });
          }
          break;
        case 'lodging':
          // 3.3: lodging receipts are covered by the per diem
          priced = refuse('lodging.in_per_diem', 'lodging_in_per_diem', { rate: yuan(rateFen) });
          break;
        default:
          // `other` (and any kind §3.3 does not name): actual amount with a formal receipt
          priced = line.receipt === true ? pay(line.amount_fen, 'other.receipt') : refuse('other.no_receipt', 'no_receipt');
      }
    }
    linesFen += priced.reimbursable_fen;
    out.push({
      line_no: line.line_no,
      kind: line.kind,
      date: line.date,
      claimed_fen: line.amount_fen,
      reimbursable_fen: priced.reimbursable_fen,
      rule: priced.rule,
      flags: sortFlags(priced.flags),
      params: priced.params,
    });
  }

  const tripFlags = new Set<Flag>(gate);
  if (!trip.exempt && days > absenceOver) tripFlags.add('absence');
  // 3.3: advance at most 500 — flagged, the whole advance is still deducted (it was paid out)
  const advanceMaxFen = yuanToFen(pol.advance_max);
  if (trip.advance_fen > advanceMaxFen) tripFlags.add('advance_over_limit');
  // 3.3: trip report due within 3 days of return (end_date + 3 inclusive)
  const reportDue = addDays(trip.end_date, pol.report_due_days);
  if (trip.report_on !== null) {
    if (daysBetween(reportDue, trip.report_on) > 0) tripFlags.add('report_late');
  } else if (daysBetween(reportDue, ctx.asOf) > 0) {
    tripFlags.add('report_missing');
  }
  for (const l of out) for (const f of l.flags) tripFlags.add(f);

  const reimbursable = perDiemFen + linesFen;
  return {
    trip_no: trip.trip_no,
    staff_id: trip.staff_id,
    days,
    paid_days: paidDays,
    per_diem_fen: perDiemFen,
    claimed_fen: claimedFen,
    reimbursable_fen: reimbursable,
    advance_fen: trip.advance_fen,
    net_payable_fen: reimbursable - trip.advance_fen,
    flags: sortFlags(tripFlags),
    lines: out,
    policy_effective_from: pol.effective_from,
    report_due_on: reportDue,
    params: {
      days,
      absence_over_days: absenceOver,
      advance_max: yuan(advanceMaxFen),
      report_due_on: reportDue,
      report_on: trip.report_on ?? '—',
      ...gateParams,
    },
  };
}

// ---------------------------------------------------------------------------------------
// §4 `allowance --format json`: money in yuan (2 decimals), English snake_case keys

/** The `_fen` amounts of a priced record, in yuan and named without `_fen` (§4 json). */
type InYuan<T, K extends keyof T & `${string}_fen`> = { [P in K as P extends `${infer N}_fen` ? N : never]: number };

export type AllowanceLineJson = Pick<PricedLine, 'line_no' | 'kind' | 'date' | 'days' | 'rule' | 'flags'> &
  InYuan<PricedLine, 'claimed_fen' | 'reimbursable_fen'>;

export type AllowanceJson = Pick<PricedTrip, 'trip_no' | 'staff_id' | 'days' | 'paid_days' | 'flags' | 'policy_effective_from'> &
  InYuan<PricedTrip, 'per_diem_fen' | 'claimed_fen' | 'reimbursable_fen' | 'advance_fen' | 'net_payable_fen'> & {
    lines: AllowanceLineJson[];
  };

const toYuan = fenToYuan;

export function allowanceJson(p: PricedTrip): AllowanceJson {
  return {
    trip_no: p.trip_no,
    staff_id: p.staff_id,
    days: p.days,
    paid_days: p.paid_days,
    per_diem: toYuan(p.per_diem_fen),
    claimed: toYuan(p.claimed_fen),
    reimbursable: toYuan(p.reimbursable_fen),
    advance: toYuan(p.advance_fen),
    net_payable: toYuan(p.net_payable_fen),
    flags: p.flags,
    lines: p.lines.map((l) => ({
      line_no: l.line_no,
      kind: l.kind,
      date: l.date,
      ...(l.days !== undefined ? { days: l.days } : {}),
      claimed: toYuan(l.claimed_fen),
      reimbursable: toYuan(l.reimbursable_fen),
      rule: l.rule,
      flags: l.flags,
    })),
    policy_effective_from: p.policy_effective_from,
  };
}
