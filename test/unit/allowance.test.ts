/**
 * §3.3 travel allowances (出差补贴), rule by rule, with the edges finance asks about.
 * Money in the rows is written in yuan (y(…) → fen) so the rows read like the regulation.
 */
import { describe, expect, it } from 'vitest';
import {
  allowanceJson,
  countsForClientLimit,
  FLAGS,
  inNightWindow,
  isApproved,
  normalizeClass,
  priceTrip,
  pricingPolicyFor,
  RULES,
  shareFen,
  toPricingPolicy,
  TRANSPORT_KINDS,
  type ExpenseKind,
  type ExpenseLine,
  type Flag,
  type PricedLine,
  type PricedTrip,
  type PricingContext,
  type Rule,
  type Signature,
  type StaffRole,
  type Trip,
} from '../../src/domain/allowance.js';
import { DEFAULT_POLICY, policyOn, type Policy } from '../../src/domain/policy.js';
import { parsePolicy } from '../../src/domain/policyDocument.js';
import { tripMessages } from '../../src/messages/trips.js';

const y = (yuan: number) => Math.round(yuan * 100);

const GM: Signature = { staff_id: 'G1', role: 'gm' };
const GM2: Signature = { staff_id: 'G2', role: 'gm' };
const SUP: Signature = { staff_id: 'S1', role: 'supervisor' };
const MGR: Signature = { staff_id: 'M1', role: 'manager' };
const REP: Signature = { staff_id: 'R2', role: 'rep' };

function trip(o: Partial<Trip> = {}): Trip {
  return {
    trip_no: 'T1',
    staff_id: 'R1',
    staff_role: 'rep',
    start_date: '2024-05-06',
    start_time: null,
    end_date: '2024-05-06',
    end_time: null,
    scope: 'in_province',
    purpose: 'visit',
    client: 'C1',
    reviewed_by: SUP,
    approved_by: GM,
    invited_by: null,
    transport_provided: null,
    advance_fen: 0,
    report_on: '2024-05-07',
    order_amount_fen: null,
    deal_closed: false,
    exempt: false,
    ...o,
  };
}

let lineNo = 0;
function line(o: Partial<ExpenseLine> = {}): ExpenseLine {
  return {
    line_no: ++lineNo,
    date: '2024-05-06',
    time: null,
    kind: 'other',
    amount_fen: y(100),
    hours: null,
    class: null,
    standard_fare_fen: null,
    receipt: null,
    reason: null,
    from: null,
    to: null,
    approved_by: null,
    ...o,
  };
}

function price(t: Trip, lines: ExpenseLine[] = [], ctx: Partial<PricingContext> = {}): PricedTrip {
  return priceTrip(t, lines, { earlierApprovedTripsToClient: 0, policy: DEFAULT_POLICY, asOf: '2024-06-30', ...ctx });
}
const expenseLines = (p: PricedTrip) => p.lines.filter((l) => l.line_no !== null);
const perDiemLines = (p: PricedTrip) => p.lines.filter((l) => l.kind === 'per_diem');
/** the priced form of a single expense line on a one-day approved trip (or the trip given) */
function priceLine(l: Partial<ExpenseLine>, t: Partial<Trip> = {}, ctx: Partial<PricingContext> = {}): PricedLine {
  const p = price(trip(t), [line(l)], ctx);
  return expenseLines(p)[0];
}
function withTravel(change: Record<string, unknown>): Policy {
  const r = parsePolicy({ effective_from: '2024-01-01', travel: change });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.policy;
}

// ---------------------------------------------------------------------------------------

describe('3.3 approval before departure: dept head review + GM approval', () => {
  it.each<[string, StaffRole, Signature | null, Signature | null, boolean]>([
    ['a rep reviewed by a supervisor and approved by the GM is approved', 'rep', SUP, GM, true],
    ['a rep reviewed by a manager and approved by the GM is approved', 'rep', MGR, GM, true],
    ['a doctor reviewed by a supervisor and approved by the GM is approved', 'doctor', SUP, GM, true],
    ['a rep approved by the GM without a dept head review is not', 'rep', null, GM, false],
    ['a rep reviewed by a supervisor without GM approval is not', 'rep', SUP, null, false],
    ['a rep with neither is not', 'rep', null, null, false],
    ['a rep "reviewed" by another rep is not', 'rep', REP, GM, false],
    ['a rep reviewed by the GM: the GM does not stand in for the dept head', 'rep', GM2, GM, false],
    ['a rep "approved" by a manager (not the GM) is not', 'rep', SUP, MGR, false],
    ['a supervisor’s own trip needs the GM only', 'supervisor', null, GM, true],
    ['a manager’s own trip needs the GM only', 'manager', null, GM, true],
    ['a supervisor’s own trip without the GM is not approved, whoever reviewed it', 'supervisor', MGR, null, false],
    ['a manager’s own trip approved by a supervisor is not', 'manager', null, SUP, false],
    ['the GM’s own trip signed by the GM is approved', 'gm', null, { staff_id: 'R1', role: 'gm' }, true],
    ['the GM’s own trip signed by another GM is approved', 'gm', null, GM2, true],
    ['the GM’s own trip with no signature is not', 'gm', null, null, false],
  ])('%s', (_d, staff_role, reviewed_by, approved_by, approved) => {
    const t = trip({ staff_role, reviewed_by, approved_by });
    expect(isApproved(t)).toBe(approved);
    const p = price(t, [line({ kind: 'other', receipt: true })]);
    expect(p.flags.includes('unapproved')).toBe(!approved);
    expect(p.reimbursable_fen).toBe(approved ? y(15) + y(100) : 0);
  });

  it('a supervisor’s own trip: a self-review neither helps nor harms, the GM’s approval decides', () => {
    expect(isApproved(trip({ staff_id: 'S1', staff_role: 'supervisor', reviewed_by: SUP, approved_by: GM }))).toBe(true);
    expect(isApproved(trip({ staff_id: 'S1', staff_role: 'supervisor', reviewed_by: SUP, approved_by: null }))).toBe(false);
  });

  it('the approving roles are the policy’s', () => {
    const policy = withTravel({ approval: { reviewer_roles: ['supervisor'], approver_roles: ['gm', 'manager'] } });
    expect(isApproved(trip({ reviewed_by: SUP, approved_by: MGR }), policy)).toBe(true);
    expect(isApproved(trip({ reviewed_by: MGR, approved_by: GM }), policy)).toBe(false);
  });

  it('unapproved: every line still listed, claimed vs 0, rule trip.unapproved; the advance is still owed back', () => {
    const lines = [line({ kind: 'train', class: 'hard_seat', amount_fen: y(80) }), line({ kind: 'lodging', amount_fen: y(200) })];
    const p = price(trip({ approved_by: null, end_date: '2024-05-07', advance_fen: y(300) }), lines);
    expect(p.reimbursable_fen).toBe(0);
    expect(p.per_diem_fen).toBe(0);
    expect(p.claimed_fen).toBe(y(280));
    expect(p.net_payable_fen).toBe(-y(300));
    expect(p.flags).toEqual(['unapproved']);
    expect(p.lines.map((l) => [l.kind, l.claimed_fen, l.reimbursable_fen, l.rule, l.flags])).toEqual([
      ['per_diem', y(100), 0, 'trip.unapproved', ['unapproved']],
      ['per_diem', y(100), 0, 'trip.unapproved', ['unapproved']],
      ['train', y(80), 0, 'trip.unapproved', ['unapproved']],
      ['lodging', y(200), 0, 'trip.unapproved', ['unapproved']],
    ]);
  });
});

describe('3.3 an invited colleague is not reimbursed at all (邀同事一起去 … 均不予报销)', () => {
  it('invited: per diem and every line 0, flag invited', () => {
    const p = price(trip({ invited_by: 'R7' }), [line({ kind: 'bus', receipt: true })]);
    expect(p.reimbursable_fen).toBe(0);
    expect(p.flags).toEqual(['invited']);
    expect(p.lines.every((l) => l.rule === 'trip.invited' && l.reimbursable_fen === 0)).toBe(true);
    expect(p.lines[0].params.invited_by).toBe('R7');
  });
  it('invited and unapproved: both flags, the first rule of the regulation names the lines', () => {
    const p = price(trip({ invited_by: 'R7', approved_by: null }), [line()]);
    expect(p.flags).toEqual(['unapproved', 'invited']);
    expect(expenseLines(p)[0].rule).toBe('trip.unapproved');
    expect(expenseLines(p)[0].flags).toEqual(['unapproved', 'invited']);
  });
  it('a blank invited_by is no invitation', () => {
    expect(price(trip({ invited_by: '  ' })).flags).toEqual([]);
  });
});

describe('3.3 days and per diem', () => {
  it.each<[string, Trip['scope'], string, string, boolean, number, number, number, Rule, boolean]>([
    // desc, scope, start, end, exempt, days, paid days, per diem (yuan), rule, absence
    ['in province, same day: 15 a day (meals)', 'in_province', '2024-05-06', '2024-05-06', false, 1, 1, 15, 'per_diem.in_province_same_day', false],
    ['in province, overnight 2 days: 100 a day', 'in_province', '2024-05-06', '2024-05-07', false, 2, 2, 200, 'per_diem.in_province_overnight', false],
    ['in province, day 3 is not paid (limit 2 days)', 'in_province', '2024-05-06', '2024-05-08', false, 3, 2, 200, 'per_diem.in_province_overnight', false],
    ['in province, 4 days: paid 2, not yet absence', 'in_province', '2024-05-06', '2024-05-09', false, 4, 2, 200, 'per_diem.in_province_overnight', false],
    ['in province, 5 days: more than 4 is absence', 'in_province', '2024-05-06', '2024-05-10', false, 5, 2, 200, 'per_diem.in_province_overnight', true],
    // exempt (特殊情况) lifts only the absence flag (旷工); the pay limit still applies (§3.3)
    ['in province, 3 days exempt: paid 2 (limit still applies), no absence', 'in_province', '2024-05-06', '2024-05-08', true, 3, 2, 200, 'per_diem.in_province_overnight', false],
    ['in province, 4 days exempt: paid 2, no absence', 'in_province', '2024-05-06', '2024-05-09', true, 4, 2, 200, 'per_diem.in_province_overnight', false],
    ['in province, 5 days exempt: paid 2, no absence', 'in_province', '2024-05-06', '2024-05-10', true, 5, 2, 200, 'per_diem.in_province_overnight', false],
    ['out of province, same day: 130', 'out_of_province', '2024-05-06', '2024-05-06', false, 1, 1, 130, 'per_diem.out_of_province', false],
    ['out of province, 3 days: 130 a day', 'out_of_province', '2024-05-06', '2024-05-08', false, 3, 3, 390, 'per_diem.out_of_province', false],
    ['out of province, day 4 is not paid (limit 3 days)', 'out_of_province', '2024-05-06', '2024-05-09', false, 4, 3, 390, 'per_diem.out_of_province', false],
    ['out of province, 5 days: paid 3, not yet absence', 'out_of_province', '2024-05-06', '2024-05-10', false, 5, 3, 390, 'per_diem.out_of_province', false],
    ['out of province, 6 days: more than 5 is absence', 'out_of_province', '2024-05-06', '2024-05-11', false, 6, 3, 390, 'per_diem.out_of_province', true],
    ['out of province, 4 days exempt: paid 3 (limit still applies), no absence', 'out_of_province', '2024-05-06', '2024-05-09', true, 4, 3, 390, 'per_diem.out_of_province', false],
    ['out of province, 6 days exempt: paid 3, no absence', 'out_of_province', '2024-05-06', '2024-05-11', true, 6, 3, 390, 'per_diem.out_of_province', false],
    ['across a leap day: 2024-02-28..03-01 is 3 days', 'out_of_province', '2024-02-28', '2024-03-01', false, 3, 3, 390, 'per_diem.out_of_province', false],
    ['across the new year: 12-31..01-01 is 2 days', 'in_province', '2024-12-31', '2025-01-01', false, 2, 2, 200, 'per_diem.in_province_overnight', false],
  ])('%s', (_d, scope, start_date, end_date, exempt, days, paidDays, perDiem, rule, absence) => {
    const p = price(trip({ scope, start_date, end_date, exempt, report_on: end_date }));
    expect(p.days).toBe(days);
    expect(p.paid_days).toBe(paidDays);
    expect(p.per_diem_fen).toBe(y(perDiem));
    expect(p.reimbursable_fen).toBe(y(perDiem));
    expect(p.flags.includes('absence')).toBe(absence);
    const paid = perDiemLines(p).filter((l) => l.reimbursable_fen > 0);
    expect(paid).toHaveLength(paidDays);
    expect(paid.every((l) => l.rule === rule && l.days === 1)).toBe(true);
  });

  it.each<[string, boolean, Flag[]]>([
    // desc, exempt, trip flags — 5 days in province with a cost on day 4
    ['not exempt: over_day_limit lines unpaid and absence', false, ['over_day_limit', 'absence']],
    ['exempt: over_day_limit lines still unpaid, but no absence', true, ['over_day_limit']],
  ])('5 days in province, %s', (_d, exempt, flags) => {
    const p = price(trip({ start_date: '2024-05-06', end_date: '2024-05-10', exempt, report_on: '2024-05-10' }), [
      line({ date: '2024-05-09', kind: 'other', receipt: true, amount_fen: y(50) }),
    ]);
    expect(perDiemLines(p).map((l) => [l.date, l.days, l.claimed_fen, l.reimbursable_fen, l.rule, l.flags])).toEqual([
      ['2024-05-06', 1, y(100), y(100), 'per_diem.in_province_overnight', []],
      ['2024-05-07', 1, y(100), y(100), 'per_diem.in_province_overnight', []],
      ['2024-05-08', 3, y(300), 0, 'per_diem.over_day_limit', ['over_day_limit']],
    ]);
    const l = expenseLines(p)[0];
    expect([l.claimed_fen, l.reimbursable_fen, l.rule, l.flags]).toEqual([y(50), 0, 'day_limit.over', ['over_day_limit']]);
    expect(p.reimbursable_fen).toBe(y(200));
    expect([...p.flags].sort()).toEqual([...flags].sort());
  });

  it('start and end times do not change the calendar days', () => {
    const p = price(trip({ start_time: '23:50', end_date: '2024-05-07', end_time: '00:10' }));
    expect(p.days).toBe(2);
    expect(p.per_diem_fen).toBe(y(200));
  });

  it('per diem lines: one per paid day, then one line for the unpaid days with over_day_limit', () => {
    const p = price(trip({ start_date: '2024-05-06', end_date: '2024-05-09' }));
    expect(perDiemLines(p).map((l) => [l.date, l.days, l.claimed_fen, l.reimbursable_fen, l.rule, l.flags])).toEqual([
      ['2024-05-06', 1, y(100), y(100), 'per_diem.in_province_overnight', []],
      ['2024-05-07', 1, y(100), y(100), 'per_diem.in_province_overnight', []],
      ['2024-05-08', 2, y(200), 0, 'per_diem.over_day_limit', ['over_day_limit']],
    ]);
    expect(p.flags).toEqual(['over_day_limit']);
  });

  it('lodging is covered by the per diem: 0, lodging_in_per_diem, the per diem still paid', () => {
    for (const scope of ['in_province', 'out_of_province'] as const) {
      const p = price(trip({ scope, end_date: '2024-05-07' }), [line({ kind: 'lodging', amount_fen: y(180), receipt: true })]);
      const l = expenseLines(p)[0];
      expect([l.claimed_fen, l.reimbursable_fen, l.rule, l.flags]).toEqual([y(180), 0, 'lodging.in_per_diem', ['lodging_in_per_diem']]);
      expect(p.per_diem_fen).toBe(scope === 'in_province' ? y(200) : y(260));
    }
  });

  it('throws on an end before the start (the import refuses such rows)', () => {
    expect(() => price(trip({ end_date: '2024-05-05' }))).toThrow(RangeError);
    expect(() => price(trip({ start_date: '2024-02-30' }))).toThrow(RangeError);
  });
});

describe('3.3 day limits for expenses: days counted from the start', () => {
  it.each<[string, Partial<Trip>, string, number, Rule]>([
    ['in province: a cost on day 2 is paid', { end_date: '2024-05-08' }, '2024-05-07', y(50), 'other.receipt'],
    ['in province: a cost on day 3 is the traveller’s own', { end_date: '2024-05-08' }, '2024-05-08', 0, 'day_limit.over'],
    ['out of province: a cost on day 3 is paid', { scope: 'out_of_province', end_date: '2024-05-10' }, '2024-05-08', y(50), 'other.receipt'],
    ['out of province: a cost on day 4 is not', { scope: 'out_of_province', end_date: '2024-05-10' }, '2024-05-09', 0, 'day_limit.over'],
    ['exempt: a cost on day 2 in province is paid', { end_date: '2024-05-08', exempt: true }, '2024-05-07', y(50), 'other.receipt'],
    ['exempt: a cost on day 3 in province is still the traveller’s own', { end_date: '2024-05-08', exempt: true }, '2024-05-08', 0, 'day_limit.over'],
    ['exempt: a cost on day 4 out of province is still the traveller’s own', { scope: 'out_of_province', end_date: '2024-05-10', exempt: true }, '2024-05-09', 0, 'day_limit.over'],
    ['a cost dated before the start is outside the trip', { end_date: '2024-05-07' }, '2024-05-05', 0, 'day_limit.outside_trip'],
    ['a cost dated after the end is outside the trip, even when exempt', { end_date: '2024-05-07', exempt: true }, '2024-05-08', 0, 'day_limit.outside_trip'],
  ])('%s', (_d, t, date, reimbursable, rule) => {
    const l = priceLine({ date, kind: 'other', receipt: true, amount_fen: y(50) }, t);
    expect(l.reimbursable_fen).toBe(reimbursable);
    expect(l.rule).toBe(rule);
    expect(l.flags).toEqual(reimbursable ? [] : ['over_day_limit']);
  });
});

describe('3.3 train: under 10 h seat classes, 10 h or more up to hard_sleeper', () => {
  it.each<[string, number | null, string | null, number | null, number, number, Rule, Flag[]]>([
    // desc, hours, class, standard fare, claimed, reimbursable (yuan), rule, flags
    ['9.99 h in hard_seat: actual fare', 9.99, 'hard_seat', null, 80, 80, 'train.seat', []],
    ['9.99 h in soft_seat: actual fare', 9.99, 'soft_seat', null, 90, 90, 'train.seat', []],
    ['9.99 h in second_class: actual fare', 9.99, 'second_class', null, 200, 200, 'train.seat', []],
    ['9.99 h in hard_sleeper with the seat fare given: the seat fare', 9.99, 'hard_sleeper', 120, 180, 120, 'train.standard_fare', ['over_class']],
    ['9.99 h in hard_sleeper, no standard fare: nothing', 9.99, 'hard_sleeper', null, 180, 0, 'train.over_class', ['over_class']],
    ['exactly 10 h in hard_sleeper: actual fare', 10, 'hard_sleeper', null, 180, 180, 'train.sleeper', []],
    ['exactly 10 h in hard_seat: actual fare', 10, 'hard_seat', null, 100, 100, 'train.seat', []],
    ['12 h in soft_sleeper with the hard_sleeper fare: that fare', 12, 'soft_sleeper', 180, 280, 180, 'train.standard_fare', ['over_class']],
    ['12 h in soft_sleeper, no standard fare: nothing', 12, 'soft_sleeper', null, 280, 0, 'train.over_class', ['over_class']],
    ['3 h in first_class with the second_class fare: that fare', 3, 'first_class', 200, 320, 200, 'train.standard_fare', ['over_class']],
    ['3 h in business: standard fare above the claim pays the claim', 3, 'business', 500, 400, 400, 'train.standard_fare', ['over_class']],
    ['hours blank: a sleeper is not shown to be entitled', null, 'hard_sleeper', null, 180, 0, 'train.over_class', ['over_class']],
    ['hours blank in a seat: actual fare', null, 'hard_seat', null, 60, 60, 'train.seat', []],
    ['class blank: cannot be checked, nothing without a standard fare', 5, null, null, 60, 0, 'train.class_missing', ['over_class']],
    ['class blank with a standard fare: that fare', 5, null, 50, 60, 50, 'train.standard_fare', ['over_class']],
    ['class written 硬卧 on an 11 h ride: actual fare', 11, '硬卧', null, 150, 150, 'train.sleeper', []],
    ['class written "Second Class": actual fare', 2, 'Second Class', null, 70, 70, 'train.seat', []],
    ['9:59 (9.983 h) in hard_sleeper: under 10 h', 9 + 59 / 60, 'hard_sleeper', null, 150, 0, 'train.over_class', ['over_class']],
  ])('%s', (_d, hours, cls, std, claimed, reimbursable, rule, flags) => {
    const l = priceLine({ kind: 'train', hours, class: cls, standard_fare_fen: std === null ? null : y(std), amount_fen: y(claimed) });
    expect([l.claimed_fen, l.reimbursable_fen, l.rule, l.flags]).toEqual([y(claimed), y(reimbursable), rule, flags]);
  });

  it('the sleeper threshold is the policy’s: with 8 h, an 8 h ride may sleep', () => {
    const policy = withTravel({ train: { sleeper_min_hours: 8 } });
    expect(priceLine({ kind: 'train', hours: 8, class: 'hard_sleeper' }, {}, { policy }).rule).toBe('train.sleeper');
    expect(priceLine({ kind: 'train', hours: 7.99, class: 'hard_sleeper' }, {}, { policy }).rule).toBe('train.over_class');
  });
});

describe('3.3 bus and ship: actual fare including insurance, only with a formal receipt; ship economy', () => {
  it.each<[string, ExpenseKind, boolean | null, string | null, number | null, number, Rule, Flag[]]>([
    ['bus with a formal receipt: actual fare', 'bus', true, null, null, 45, 'bus.receipt', []],
    ['bus without a receipt: nothing', 'bus', false, null, null, 0, 'bus.no_receipt', ['no_receipt']],
    ['bus, receipt blank: nothing', 'bus', null, null, null, 0, 'bus.no_receipt', ['no_receipt']],
    ['ship economy with a receipt: actual fare', 'ship', true, 'economy', null, 45, 'ship.class', []],
    ['ship economy written 经济舱: actual fare', 'ship', true, '经济舱', null, 45, 'ship.class', []],
    ['ship economy without a receipt: nothing', 'ship', false, 'economy', null, 0, 'ship.no_receipt', ['no_receipt']],
    ['ship first_class with the economy fare: that fare', 'ship', true, 'first_class', 30, 30, 'ship.standard_fare', ['over_class']],
    ['ship business, no standard fare: nothing', 'ship', true, 'business', null, 0, 'ship.over_class', ['over_class']],
    ['ship, class blank: nothing', 'ship', true, null, null, 0, 'ship.class_missing', ['over_class']],
    ['ship above economy and no receipt: the receipt decides first', 'ship', null, 'first_class', 30, 0, 'ship.no_receipt', ['no_receipt']],
  ])('%s', (_d, kind, receipt, cls, std, reimbursable, rule, flags) => {
    const l = priceLine({ kind, receipt, class: cls, standard_fare_fen: std === null ? null : y(std), amount_fen: y(45) });
    expect([l.reimbursable_fen, l.rule, l.flags]).toEqual([y(reimbursable), rule, flags]);
  });
});

describe('3.3 local transport: actual fare on the traveller’s own record (from, to), no receipt needed', () => {
  it.each<[string, string | null, string | null, boolean | null, number, Rule, Flag[]]>([
    ['with from and to, no receipt: actual fare', '浦江汽车站', '黄宅镇', null, 6, 'local_bus.record', []],
    ['with from and to, receipt no: still actual fare', 'A', 'B', false, 6, 'local_bus.record', []],
    ['without to: nothing', 'A', null, true, 0, 'local_bus.no_record', ['no_receipt']],
    ['without from: nothing', null, 'B', true, 0, 'local_bus.no_record', ['no_receipt']],
    ['with a blank from: nothing', '  ', 'B', null, 0, 'local_bus.no_record', ['no_receipt']],
  ])('%s', (_d, from, to, receipt, reimbursable, rule, flags) => {
    const l = priceLine({ kind: 'local_bus', from, to, receipt, amount_fen: y(6) });
    expect([l.reimbursable_fen, l.rule, l.flags]).toEqual([y(reimbursable), rule, flags]);
  });
});

describe('3.3 plane: only with GM pre-approval on the line', () => {
  it.each<[string, Partial<Trip>, Signature | null, boolean]>([
    ['approved on the line by the GM: actual fare', {}, GM, true],
    ['no approval on the line: nothing', {}, null, false],
    ['approved by a manager: nothing', {}, MGR, false],
    ['a supervisor’s own flight approved by the GM: actual fare', { staff_id: 'S1', staff_role: 'supervisor', reviewed_by: null }, GM, true],
    ['the GM’s own flight, signed by the GM: actual fare', { staff_id: 'G1', staff_role: 'gm', reviewed_by: null }, GM, true],
  ])('%s', (_d, t, approved_by, paid) => {
    const l = priceLine({ kind: 'plane', approved_by, amount_fen: y(900) }, t);
    expect(l.reimbursable_fen).toBe(paid ? y(900) : 0);
    expect(l.rule).toBe(paid ? 'plane.approved' : 'plane.not_approved');
    expect(l.flags).toEqual(paid ? [] : ['plane_not_approved']);
  });
});

describe('3.3 taxi: night 20:00–08:00, equipment, no bus, over 3 km, or special approved in advance; from/to required', () => {
  const route = { from: '酒店', to: '火车站' };
  it.each<[string, Partial<ExpenseLine>, Partial<Trip>, boolean, Rule]>([
    ['19:59, reason night: not night', { time: '19:59', reason: 'night' }, {}, false, 'taxi.not_night'],
    ['20:00, reason night: night (20:00 is inside)', { time: '20:00', reason: 'night' }, {}, true, 'taxi.night'],
    ['23:30, reason night: night', { time: '23:30', reason: 'night' }, {}, true, 'taxi.night'],
    ['00:00, reason night: night (the window wraps midnight)', { time: '00:00', reason: 'night' }, {}, true, 'taxi.night'],
    ['08:00, reason night: night (08:00 is inside)', { time: '08:00', reason: 'night' }, {}, true, 'taxi.night'],
    ['08:01, reason night: not night', { time: '08:01', reason: 'night' }, {}, false, 'taxi.not_night'],
    ['7:30 written H:mm, reason night: night', { time: '7:30', reason: 'night' }, {}, true, 'taxi.night'],
    ['12:00, reason night: a daytime ride is not a night ride', { time: '12:00', reason: 'night' }, {}, false, 'taxi.not_night'],
    ['no time, reason night: accepted (the time is checked only when given)', { time: null, reason: 'night' }, {}, true, 'taxi.night'],
    ['an unreadable time, reason night: not shown to be night', { time: '25:00', reason: 'night' }, {}, false, 'taxi.not_night'],
    ['reason written " Night ": same reason', { time: '21:00', reason: ' Night ' }, {}, true, 'taxi.night'],
    ['22:00 with no reason: the time shows a night ride', { time: '22:00', reason: null }, {}, true, 'taxi.night'],
    ['12:00 with no reason: nothing', { time: '12:00', reason: null }, {}, false, 'taxi.no_reason'],
    ['23:00, reason shopping: the time shows a night ride', { time: '23:00', reason: 'shopping' }, {}, true, 'taxi.night'],
    ['23:00, special without approval: still a night ride', { time: '23:00', reason: 'special' }, {}, true, 'taxi.night'],
    ['12:00, equipment: actual fare', { time: '12:00', reason: 'equipment' }, {}, true, 'taxi.equipment'],
    ['12:00, no bus: actual fare', { time: '12:00', reason: 'no_bus' }, {}, true, 'taxi.no_bus'],
    ['12:00, over 3 km: actual fare', { time: '12:00', reason: 'far' }, {}, true, 'taxi.far'],
    ['12:00, special approved in advance by a manager: actual fare', { time: '12:00', reason: 'special', approved_by: MGR }, {}, true, 'taxi.special'],
    ['12:00, special approved by the GM: actual fare', { time: '12:00', reason: 'special', approved_by: GM }, {}, true, 'taxi.special'],
    ['12:00, special without approval: nothing', { time: '12:00', reason: 'special' }, {}, false, 'taxi.special_not_approved'],
    ['12:00, special "approved" by a rep: nothing', { time: '12:00', reason: 'special', approved_by: REP }, {}, false, 'taxi.special_not_approved'],
    ['12:00, special approved by the traveller (a supervisor) themselves: nothing', { time: '12:00', reason: 'special', approved_by: SUP },
      { staff_id: 'S1', staff_role: 'supervisor', reviewed_by: null }, false, 'taxi.special_not_approved'],
    ['12:00, reason shopping: not a reason the policy allows', { time: '12:00', reason: 'shopping' }, {}, false, 'taxi.reason_not_allowed'],
    ['21:00, reason night, but no from: nothing', { time: '21:00', reason: 'night', from: null }, {}, false, 'taxi.no_route'],
    ['21:00, reason night, but no to: nothing', { time: '21:00', reason: 'night', to: '' }, {}, false, 'taxi.no_route'],
  ])('%s', (_d, l, t, paid, rule) => {
    const priced = priceLine({ kind: 'taxi', amount_fen: y(25), ...route, ...l }, t);
    expect(priced.reimbursable_fen).toBe(paid ? y(25) : 0);
    expect(priced.rule).toBe(rule);
    expect(priced.flags).toEqual(paid ? [] : ['taxi_not_allowed']);
  });

  it.each<[string, string, boolean]>([
    ['19:59', '19:59', false],
    ['20:00', '20:00', true],
    ['08:00', '08:00', true],
    ['08:01', '08:01', false],
    ['03:15', '03:15', true],
  ])('inNightWindow(%s, 20:00, 08:00)', (_d, time, inside) => {
    expect(inNightWindow(time, '20:00', '08:00')).toBe(inside);
  });

  it('a window that does not wrap midnight works too, both ends inside', () => {
    expect(inNightWindow('00:00', '00:00', '06:00')).toBe(true);
    expect(inNightWindow('06:00', '00:00', '06:00')).toBe(true);
    expect(inNightWindow('06:01', '00:00', '06:00')).toBe(false);
  });

  it('the window and reasons are the policy’s: 22:00–06:00 and no far', () => {
    const policy = withTravel({ taxi: { night_from: '22:00', night_to: '06:00', reasons: ['night', 'equipment', 'no_bus', 'special'] } });
    expect(priceLine({ kind: 'taxi', ...route, time: '21:00', reason: 'night' }, {}, { policy }).rule).toBe('taxi.not_night');
    expect(priceLine({ kind: 'taxi', ...route, time: '22:00', reason: 'night' }, {}, { policy }).rule).toBe('taxi.night');
    expect(priceLine({ kind: 'taxi', ...route, time: '12:00', reason: 'far' }, {}, { policy }).rule).toBe('taxi.reason_not_allowed');
  });

  it('a reason the policy adds is accepted as stated', () => {
    const policy = withTravel({ taxi: { reasons: ['night', 'rain'] } });
    const l = priceLine({ kind: 'taxi', ...route, time: '12:00', reason: 'rain' }, {}, { policy });
    expect([l.reimbursable_fen, l.rule]).toEqual([y(100), 'taxi.reason']);
  });
});

describe('3.3 company car, own vehicle or host-provided transport: no transport reimbursement', () => {
  const transportLines: Partial<ExpenseLine>[] = [
    { kind: 'train', class: 'hard_seat' },
    { kind: 'bus', receipt: true },
    { kind: 'ship', receipt: true, class: 'economy' },
    { kind: 'plane', approved_by: GM },
    { kind: 'taxi', reason: 'far', from: 'A', to: 'B' },
    { kind: 'local_bus', from: 'A', to: 'B' },
  ];
  it.each(['company_car', 'own_vehicle', 'host'] as const)('%s: every transport line 0, other costs and the per diem still paid', (transport_provided) => {
    const lines = [...transportLines.map((l) => line(l)), line({ kind: 'other', receipt: true })];
    const p = price(trip({ transport_provided }), lines);
    const ex = expenseLines(p);
    for (const l of ex.slice(0, transportLines.length)) {
      expect([l.reimbursable_fen, l.rule, l.flags]).toEqual([0, 'transport.provided', ['transport_provided']]);
    }
    expect(ex[transportLines.length].reimbursable_fen).toBe(y(100));
    expect(p.per_diem_fen).toBe(y(15));
    expect(TRANSPORT_KINDS.length).toBe(transportLines.length);
  });
  it('without provided transport the same lines are paid', () => {
    const p = price(trip(), transportLines.map((l) => line(l)));
    expect(expenseLines(p).every((l) => l.reimbursable_fen === y(100))).toBe(true);
  });
});

describe('3.3 a client may be visited on at most 2 reimbursed trips', () => {
  it.each<[string, Partial<Trip>, number, boolean, Flag[]]>([
    ['the 1st approved trip to a client: reimbursed', {}, 0, true, []],
    ['the 2nd: reimbursed', {}, 1, true, []],
    ['the 3rd: not reimbursed', {}, 2, false, ['third_trip']],
    ['the 5th: not reimbursed', {}, 4, false, ['third_trip']],
    ['a trip with no client is outside the rule', { client: null }, 2, true, []],
    ['an unapproved 3rd trip is flagged unapproved only (it is not one of the client’s approved trips)', { approved_by: null }, 2, false, ['unapproved']],
  ])('%s', (_d, t, earlier, paid, flags) => {
    const p = price(trip(t), [line({ kind: 'other', receipt: true })], { earlierApprovedTripsToClient: earlier });
    expect(p.reimbursable_fen).toBe(paid ? y(115) : 0);
    expect(p.flags).toEqual(flags);
    if (flags.includes('third_trip')) expect(p.lines.every((l) => l.rule === 'trip.third_trip')).toBe(true);
  });

  it('a 3rd trip after an unapproved one is still reimbursed: only approved trips count', () => {
    const history = [
      trip({ trip_no: 'A', start_date: '2024-03-01', end_date: '2024-03-01' }),
      trip({ trip_no: 'B', start_date: '2024-04-01', end_date: '2024-04-01', reviewed_by: null }),
      trip({ trip_no: 'X', start_date: '2024-04-15', end_date: '2024-04-15', invited_by: 'R5' }),
    ];
    expect(history.map((t) => countsForClientLimit(t))).toEqual([true, false, false]);
    const earlier = history.filter((t) => countsForClientLimit(t)).length;
    const p = price(trip({ trip_no: 'C' }), [], { earlierApprovedTripsToClient: earlier });
    expect(p.flags).toEqual([]);
    expect(p.reimbursable_fen).toBe(y(15));
  });

  it('the limit is the policy’s: with 3, the 3rd trip is reimbursed', () => {
    const policy = withTravel({ client_trip_limit: 3 });
    expect(price(trip(), [], { earlierApprovedTripsToClient: 2, policy }).flags).toEqual([]);
    expect(price(trip(), [], { earlierApprovedTripsToClient: 3, policy }).flags).toEqual(['third_trip']);
  });
});

describe('3.3 client dinner: deal closed and order over 10,000; up to 2% of the order', () => {
  it.each<[string, boolean, number | null, number[], number[], Rule[]]>([
    // desc, deal closed, order (fen), dinners claimed (yuan), reimbursable (yuan), rules
    ['order of exactly 10,000.00: not eligible', true, 1_000_000, [150], [0], ['dinner.order_not_over_min']],
    ['order of 10,000.01: eligible, cap 200.00', true, 1_000_001, [150], [150], ['dinner.within_cap']],
    ['order of 10,000.01, dinner 300: capped at 200.00', true, 1_000_001, [300], [200], ['dinner.capped']],
    ['order of 20,000 not closed: not eligible', false, 2_000_000, [150], [0], ['dinner.deal_not_closed']],
    ['deal closed but no order amount: not eligible', true, null, [150], [0], ['dinner.order_not_over_min']],
    ['two dinners share the cap, used up in line order', true, 1_500_000, [200, 150], [200, 100], ['dinner.within_cap', 'dinner.capped']],
    ['a dinner after the cap is used up: 0, rule capped', true, 1_500_000, [300, 50], [300, 0], ['dinner.within_cap', 'dinner.capped']],
    ['cap exactly reached: within cap', true, 5_000_000, [1000], [1000], ['dinner.within_cap']],
  ])('%s', (_d, deal_closed, order_amount_fen, claims, paid, rules) => {
    const p = price(trip({ deal_closed, order_amount_fen }), claims.map((c) => line({ kind: 'dinner', amount_fen: y(c) })));
    const ex = expenseLines(p);
    expect(ex.map((l) => l.reimbursable_fen)).toEqual(paid.map(y));
    expect(ex.map((l) => l.rule)).toEqual(rules);
    const notEligible = rules.some((r) => r === 'dinner.order_not_over_min' || r === 'dinner.deal_not_closed');
    expect(p.flags.includes('dinner_not_eligible')).toBe(notEligible);
  });

  it.each<[string, number, number, number]>([
    ['20000.5 fen rounds half up to 20001', 1_000_025, 0.02, 20001],
    ['20001.5 fen rounds half up to 20002', 1_000_075, 0.02, 20002],
    ['20000.02 fen rounds down to 20000', 1_000_001, 0.02, 20000],
    ['20000.48 fen rounds down to 20000', 1_000_024, 0.02, 20000],
    ['1.5% of 10,000.33: 15000.495 fen → 15000', 1_000_033, 0.015, 15000],
    ['1.5% of 10,000.34: 15000.51 fen → 15001', 1_000_034, 0.015, 15001],
    ['0.07 × 1,000,000 yuan: no float error', 100_000_000, 0.07, 7_000_000],
  ])('dinner cap, round half up to the fen: %s', (_d, orderFen, rate, capFen) => {
    expect(shareFen(orderFen, rate)).toBe(capFen);
  });

  it('the cap applies to the trip: a dinner on an unpaid day does not use it', () => {
    const p = price(trip({ end_date: '2024-05-08', deal_closed: true, order_amount_fen: 1_000_001 }), [
      line({ kind: 'dinner', date: '2024-05-08', amount_fen: y(200) }),
      line({ kind: 'dinner', date: '2024-05-07', amount_fen: y(200) }),
    ]);
    expect(expenseLines(p).map((l) => [l.reimbursable_fen, l.rule])).toEqual([
      [0, 'day_limit.over'],
      [y(200), 'dinner.within_cap'],
    ]);
  });
});

describe('3.3 other costs: actual amount with a formal receipt', () => {
  it.each<[boolean | null, number, Rule]>([
    [true, y(30), 'other.receipt'],
    [false, 0, 'other.no_receipt'],
    [null, 0, 'other.no_receipt'],
  ])('receipt %s', (receipt, paid, rule) => {
    const l = priceLine({ kind: 'other', receipt, amount_fen: y(30) });
    expect([l.reimbursable_fen, l.rule]).toEqual([paid, rule]);
  });
});

describe('3.3 advance at most 500; net payable = reimbursable − advance', () => {
  it.each<[string, number, boolean, number]>([
    ['an advance of exactly 500.00 is within the limit', 50_000, false, 1500 - 50_000],
    ['an advance of 500.01 is over the limit (still fully deducted)', 50_001, true, 1500 - 50_001],
    ['no advance: the whole reimbursable is payable', 0, false, 1500],
    ['an advance of 10: net 5', 1000, false, 500],
  ])('%s', (_d, advance_fen, over, net) => {
    const p = price(trip({ advance_fen }));
    expect(p.flags.includes('advance_over_limit')).toBe(over);
    expect(p.advance_fen).toBe(advance_fen);
    expect(p.net_payable_fen).toBe(net);
  });
});

describe('3.3 trip report due within 3 days of return (end date + 3, inclusive)', () => {
  it.each<[string, string | null, string, Flag[]]>([
    ['handed in on the day of return', '2024-05-06', '2024-06-30', []],
    ['handed in on day 3 after return: in time', '2024-05-09', '2024-06-30', []],
    ['handed in on day 4 after return: late', '2024-05-10', '2024-06-30', ['report_late']],
    ['not handed in, asOf day 3: still in time, no flag', null, '2024-05-09', []],
    ['not handed in, asOf day 4: missing', null, '2024-05-10', ['report_missing']],
  ])('%s', (_d, report_on, asOf, flags) => {
    const p = price(trip({ report_on }), [], { asOf });
    expect(p.flags).toEqual(flags);
    expect(p.report_due_on).toBe('2024-05-09');
    expect(p.reimbursable_fen).toBe(y(15)); // a flag only: the amounts do not change
  });
});

describe('§6 the policy in force on the trip’s start date prices the whole trip', () => {
  const v2025 = withTravel({ per_diem: { out_of_province: 150 } });
  const v2025b: Policy = { ...v2025, effective_from: '2025-01-01' };
  const versions = [v2025b];

  it('a trip spanning the change is priced by the version of its start date', () => {
    const t = trip({ scope: 'out_of_province', start_date: '2024-12-30', end_date: '2025-01-01', report_on: '2025-01-02' });
    const pol = pricingPolicyFor(versions, t);
    expect(pol.effective_from).toBe(DEFAULT_POLICY.effective_from);
    const p = priceTrip(t, [], { earlierApprovedTripsToClient: 0, policy: pol, asOf: '2025-01-31' });
    expect(p.per_diem_fen).toBe(3 * y(130));
    expect(p.policy_effective_from).toBe('1900-01-01');
  });
  it('a trip starting on the day of the change is priced by the new version', () => {
    const t = trip({ scope: 'out_of_province', start_date: '2025-01-01', end_date: '2025-01-02', report_on: '2025-01-02' });
    const pol = pricingPolicyFor(versions, t);
    expect(pol.effective_from).toBe('2025-01-01');
    const p = priceTrip(t, [], { earlierApprovedTripsToClient: 0, policy: pol, asOf: '2025-01-31' });
    expect(p.per_diem_fen).toBe(2 * y(150));
    expect(p.policy_effective_from).toBe('2025-01-01');
  });
  it('priceTrip uses the policy passed, whole or its travel part', () => {
    const t = trip({ scope: 'out_of_province' });
    expect(price(t, [], { policy: v2025b }).per_diem_fen).toBe(y(150));
    expect(price(t, [], { policy: toPricingPolicy(v2025b) }).per_diem_fen).toBe(y(150));
    expect(policyOn(versions, '2024-12-31')).toBe(DEFAULT_POLICY);
  });
  it('every §3.3 number comes from the policy: per diem, day limits, absence, advance, report', () => {
    const policy = withTravel({
      per_diem: { in_province_same_day: 20, in_province_overnight: 120.5, out_of_province: 200 },
      day_limit: { in_province: 3 },
      absence_over_days: { in_province: 3 },
      advance_max: 1000,
      report_due_days: 1,
      dinner: { min_order: 5000, max_rate: 0.05 },
    });
    const p = price(
      trip({ end_date: '2024-05-09', advance_fen: y(800), report_on: '2024-05-11', deal_closed: true, order_amount_fen: y(5000.01) }),
      [line({ kind: 'dinner', amount_fen: y(300) })],
      { policy },
    );
    expect(p.paid_days).toBe(3);
    expect(p.per_diem_fen).toBe(3 * 12050);
    expect(p.flags).toEqual(['over_day_limit', 'absence', 'report_late']);
    expect(expenseLines(p)[0].reimbursable_fen).toBe(shareFen(y(5000.01), 0.05));
  });
});

describe('the result explains every yuan', () => {
  it('a full trip: per diem lines, expense lines in the order given, totals, flags in §4 order', () => {
    const t = trip({
      scope: 'out_of_province',
      start_date: '2024-05-06',
      end_date: '2024-05-09',
      advance_fen: y(500),
      report_on: '2024-05-13',
      deal_closed: true,
      order_amount_fen: y(30000),
    });
    const lines = [
      line({ kind: 'train', date: '2024-05-06', hours: 11, class: 'soft_sleeper', standard_fare_fen: y(260), amount_fen: y(410) }),
      line({ kind: 'taxi', date: '2024-05-06', time: '21:40', reason: 'night', from: '站', to: '酒店', amount_fen: y(32) }),
      line({ kind: 'lodging', date: '2024-05-06', amount_fen: y(280) }),
      line({ kind: 'dinner', date: '2024-05-07', amount_fen: y(800) }),
      line({ kind: 'train', date: '2024-05-09', hours: 11, class: 'hard_sleeper', amount_fen: y(260) }),
    ];
    const p = price(t, lines);
    expect(p.lines.map((l) => [l.kind, l.date, l.claimed_fen / 100, l.reimbursable_fen / 100, l.rule, l.flags.join(',')])).toEqual([
      ['per_diem', '2024-05-06', 130, 130, 'per_diem.out_of_province', ''],
      ['per_diem', '2024-05-07', 130, 130, 'per_diem.out_of_province', ''],
      ['per_diem', '2024-05-08', 130, 130, 'per_diem.out_of_province', ''],
      ['per_diem', '2024-05-09', 130, 0, 'per_diem.over_day_limit', 'over_day_limit'],
      ['train', '2024-05-06', 410, 260, 'train.standard_fare', 'over_class'],
      ['taxi', '2024-05-06', 32, 32, 'taxi.night', ''],
      ['lodging', '2024-05-06', 280, 0, 'lodging.in_per_diem', 'lodging_in_per_diem'],
      ['dinner', '2024-05-07', 800, 600, 'dinner.capped', ''],
      ['train', '2024-05-09', 260, 0, 'day_limit.over', 'over_day_limit'],
    ]);
    expect(p.claimed_fen).toBe(y(410 + 32 + 280 + 800 + 260));
    expect(p.per_diem_fen).toBe(y(390));
    expect(p.reimbursable_fen).toBe(y(390 + 260 + 32 + 600));
    expect(p.net_payable_fen).toBe(y(390 + 260 + 32 + 600 - 500));
    expect(p.flags).toEqual(['over_day_limit', 'over_class', 'lodging_in_per_diem', 'report_late']);

    const json = allowanceJson(p);
    expect(json).toMatchObject({
      trip_no: 'T1',
      staff_id: 'R1',
      days: 4,
      per_diem: 390,
      claimed: 1782,
      reimbursable: 1282,
      advance: 500,
      net_payable: 782,
      flags: ['over_day_limit', 'over_class', 'lodging_in_per_diem', 'report_late'],
    });
    expect(json.lines[4]).toEqual({ line_no: lines[0].line_no, kind: 'train', date: '2024-05-06', claimed: 410, reimbursable: 260, rule: 'train.standard_fare', flags: ['over_class'] });
    expect(json.lines[3]).toMatchObject({ kind: 'per_diem', days: 1, claimed: 130, reimbursable: 0 });
  });

  it('every rule and flag has its text in Chinese and English', () => {
    const msgs = tripMessages as Record<string, { zh: string; en: string }>;
    for (const r of RULES) expect(msgs[`allowance.rule.${r}`], r).toMatchObject({ zh: expect.any(String), en: expect.any(String) });
    for (const f of FLAGS) expect(msgs[`allowance.flag.${f}`], f).toMatchObject({ zh: expect.any(String), en: expect.any(String) });
    for (const [k, v] of Object.entries(msgs)) {
      expect(v.zh.trim(), k).not.toBe('');
      expect(v.en.trim(), k).not.toBe('');
      // both languages use the same placeholders
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(ph(v.zh), k).toEqual(ph(v.en));
    }
  });

  it('class names are normalised', () => {
    expect(normalizeClass(' Hard-Seat ')).toBe('hard_seat');
    expect(normalizeClass('二等座')).toBe('second_class');
    expect(normalizeClass('  ')).toBeNull();
    expect(normalizeClass(null)).toBeNull();
  });
});
