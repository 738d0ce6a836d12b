/**
 * Properties of priceTrip over any trip, any lines and any valid policy: nothing claimed
 * disappears, nothing is paid above what was claimed (plus the per diem), the totals are
 * the sums of the lines, and every line's rule text can be filled from its params.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EXPENSE_KINDS,
  FLAGS,
  priceTrip,
  RULES,
  toPricingPolicy,
  type ExpenseLine,
  type PricedTrip,
  type PricingContext,
  type Signature,
  type StaffRole,
  type Trip,
} from '../../src/domain/allowance.js';
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy.js';
import { parsePolicy } from '../../src/domain/policyDocument.js';
import { addDays, daysBetween } from '../../src/domain/values.js';
import { tripMessages } from '../../src/messages/trips.js';

const ROLES: StaffRole[] = ['rep', 'supervisor', 'manager', 'doctor', 'gm'];
const BASE = '2023-01-01';

const signature = fc.option(
  fc.record({ staff_id: fc.constantFrom('R1', 'S1', 'M1', 'G1', 'X9'), role: fc.constantFrom(...ROLES) }) as fc.Arbitrary<Signature>,
  { nil: null },
);
const time = fc.option(
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    fc.constantFrom('19:59', '20:00', '08:00', '08:01', '7:30', '25:00', ''),
  ),
  { nil: null },
);
const text = fc.option(fc.constantFrom('', '  ', 'A', '酒店'), { nil: null });
const fen = (max: number) => fc.integer({ min: 0, max });

const tripArb: fc.Arbitrary<Trip> = fc
  .record({
    startOffset: fc.integer({ min: 0, max: 900 }),
    length: fc.integer({ min: 0, max: 9 }),
    staff_id: fc.constantFrom('R1', 'S1', 'M1', 'G1'),
    staff_role: fc.constantFrom(...ROLES),
    scope: fc.constantFrom('in_province' as const, 'out_of_province' as const),
    client: fc.option(fc.constantFrom('C1', 'C2', ''), { nil: null }),
    // mostly a properly approved trip, so that the line rules are exercised, not only the refusals
    reviewed_by: fc.oneof({ weight: 4, arbitrary: fc.constant<Signature>({ staff_id: 'S1', role: 'supervisor' }) }, { weight: 1, arbitrary: signature }),
    approved_by: fc.oneof({ weight: 4, arbitrary: fc.constant<Signature>({ staff_id: 'G1', role: 'gm' }) }, { weight: 1, arbitrary: signature }),
    invited_by: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('R5', '', ' ') }),
    transport_provided: fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('company_car' as const, 'own_vehicle' as const, 'host' as const) },
    ),
    advance_fen: fen(200_000),
    reportOffset: fc.option(fc.integer({ min: -1, max: 10 }), { nil: null }),
    order_amount_fen: fc.option(fc.oneof(fen(5_000_000), fc.constantFrom(1_000_000, 1_000_001)), { nil: null }),
    deal_closed: fc.boolean(),
    exempt: fc.boolean(),
  })
  .map((r) => {
    const start_date = addDays(BASE, r.startOffset);
    const end_date = addDays(start_date, r.length);
    return {
      trip_no: 'T1',
      staff_id: r.staff_id,
      staff_role: r.staff_role,
      start_date,
      start_time: null,
      end_date,
      end_time: null,
      scope: r.scope,
      purpose: null,
      client: r.client,
      reviewed_by: r.reviewed_by,
      approved_by: r.approved_by,
      invited_by: r.invited_by,
      transport_provided: r.transport_provided,
      advance_fen: r.advance_fen,
      report_on: r.reportOffset === null ? null : addDays(end_date, r.reportOffset),
      order_amount_fen: r.order_amount_fen,
      deal_closed: r.deal_closed,
      exempt: r.exempt,
    };
  });

/** lines dated from the day before the start to two days after a 9-day trip */
const lineArb = (i: number): fc.Arbitrary<Omit<ExpenseLine, 'date'> & { dayOffset: number }> =>
  fc.record({
    line_no: fc.constant(i + 1),
    dayOffset: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 11 }) }),
    time,
    kind: fc.constantFrom(...EXPENSE_KINDS),
    amount_fen: fen(300_000),
    hours: fc.option(fc.oneof(fc.double({ min: 0, max: 30, noNaN: true }), fc.constantFrom(9.99, 10)), { nil: null }),
    class: fc.option(fc.constantFrom('hard_seat', 'soft_seat', 'second_class', 'first_class', 'hard_sleeper', 'soft_sleeper', 'business', 'economy', '硬卧', ''), { nil: null }),
    standard_fare_fen: fc.option(fen(300_000), { nil: null }),
    receipt: fc.option(fc.boolean(), { nil: null }),
    reason: fc.option(fc.constantFrom('night', 'equipment', 'no_bus', 'far', 'special', 'rain', ' Night ', ''), { nil: null }),
    from: text,
    to: text,
    approved_by: signature,
  });

const linesArb = fc
  .integer({ min: 0, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => lineArb(i))));

/** valid policies around the default: every §3.3 number varies */
const policyArb: fc.Arbitrary<Policy> = fc.oneof(
  fc.constant(DEFAULT_POLICY),
  fc
    .record({
      per_diem: fc.record({
        in_province_same_day: fc.integer({ min: 0, max: 50_000 }).map((f) => f / 100),
        in_province_overnight: fc.integer({ min: 0, max: 50_000 }).map((f) => f / 100),
        out_of_province: fc.integer({ min: 0, max: 50_000 }).map((f) => f / 100),
      }),
      day_limit: fc.record({ in_province: fc.integer({ min: 1, max: 6 }), out_of_province: fc.integer({ min: 1, max: 6 }) }),
      absence_over_days: fc.record({ in_province: fc.integer({ min: 1, max: 8 }), out_of_province: fc.integer({ min: 1, max: 8 }) }),
      train: fc.record({ sleeper_min_hours: fc.integer({ min: 1, max: 2400 }).map((h) => h / 100) }),
      taxi: fc.record({
        reasons: fc.constantFrom(['night', 'equipment', 'no_bus', 'far', 'special'], ['night', 'equipment', 'no_bus', 'far', 'special', 'rain'], ['night', 'special']),
      }),
      client_trip_limit: fc.integer({ min: 1, max: 4 }),
      dinner: fc.record({
        min_order: fc.integer({ min: 0, max: 5_000_000 }).map((f) => f / 100),
        max_rate: fc.integer({ min: 0, max: 1_000_000 }).map((p) => p / 1e6),
      }),
      advance_max: fc.integer({ min: 0, max: 200_000 }).map((f) => f / 100),
      report_due_days: fc.integer({ min: 0, max: 10 }),
    })
    .map((travel) => {
      const r = parsePolicy({ effective_from: '2023-06-01', travel });
      if (!r.ok) throw new Error(r.errors.join('; '));
      return r.policy;
    }),
);

const ctxArb: fc.Arbitrary<PricingContext> = fc.record({
  earlierApprovedTripsToClient: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 1 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }) }),
  policy: policyArb,
  asOf: fc.integer({ min: 0, max: 1000 }).map((o) => addDays(BASE, o)),
});

const caseArb = fc.tuple(tripArb, linesArb, ctxArb).map(([t, ls, ctx]) => {
  const lines: ExpenseLine[] = ls.map(({ dayOffset, ...l }) => ({ ...l, date: addDays(t.start_date, dayOffset) }));
  return { t, lines, ctx };
});

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const expenseLines = (p: PricedTrip) => p.lines.filter((l) => l.kind !== 'per_diem');
const perDiemLines = (p: PricedTrip) => p.lines.filter((l) => l.kind === 'per_diem');
const RUNS = { numRuns: 1000 };

describe('priceTrip properties', () => {
  it('nothing claimed disappears: one output line per input line, same order, same claimed amount', () => {
    fc.assert(
      fc.property(caseArb, ({ t, lines, ctx }) => {
        const p = priceTrip(t, lines, ctx);
        const ex = expenseLines(p);
        expect(ex.length).toBe(lines.length);
        expect(ex.map((l) => [l.line_no, l.kind, l.date, l.claimed_fen])).toEqual(lines.map((l) => [l.line_no, l.kind, l.date, l.amount_fen]));
        expect(p.claimed_fen).toBe(sum(lines.map((l) => l.amount_fen)));
      }),
      RUNS,
    );
  });

  it('no line pays more than claimed; the trip pays at most claimed + per diem; totals are the sums of the lines', () => {
    fc.assert(
      fc.property(caseArb, ({ t, lines, ctx }) => {
        const p = priceTrip(t, lines, ctx);
        for (const l of p.lines) {
          expect(Number.isSafeInteger(l.reimbursable_fen)).toBe(true);
          expect(l.reimbursable_fen).toBeGreaterThanOrEqual(0);
          expect(l.reimbursable_fen).toBeLessThanOrEqual(l.claimed_fen);
          // a line paid less than claimed says why: a flag, or a rule that caps (dinner, standard fare)
          if (l.reimbursable_fen < l.claimed_fen) expect(l.flags.length > 0 || l.rule === 'dinner.capped').toBe(true);
        }
        expect(p.per_diem_fen).toBe(sum(perDiemLines(p).map((l) => l.reimbursable_fen)));
        expect(p.reimbursable_fen).toBe(sum(p.lines.map((l) => l.reimbursable_fen)));
        expect(p.reimbursable_fen).toBeLessThanOrEqual(p.claimed_fen + p.per_diem_fen);
        expect(p.net_payable_fen).toBe(p.reimbursable_fen - t.advance_fen);
      }),
      RUNS,
    );
  });

  it('per diem lines cover every day once; only paid days are paid; a refused trip pays nothing', () => {
    fc.assert(
      fc.property(caseArb, ({ t, lines, ctx }) => {
        const p = priceTrip(t, lines, ctx);
        const pol = toPricingPolicy(ctx.policy);
        const pd = perDiemLines(p);
        expect(sum(pd.map((l) => l.days ?? 0))).toBe(p.days);
        expect(pd[0].date).toBe(t.start_date);
        const limit = t.scope === 'in_province' ? pol.day_limit.in_province : pol.day_limit.out_of_province;
        // §3.3: the pay limit holds whether or not the trip is exempt (exempt lifts only 旷工)
        expect(p.paid_days).toBe(Math.min(p.days, limit));
        expect(pd.filter((l) => l.rule !== 'per_diem.over_day_limit').length).toBe(p.paid_days);
        if (p.flags.some((f) => f === 'unapproved' || f === 'invited' || f === 'third_trip')) {
          expect(p.reimbursable_fen).toBe(0);
        }
        // lines on unpaid days are never paid
        for (const l of expenseLines(p)) {
          const day = daysBetween(t.start_date, l.date) + 1;
          if (day < 1 || day > p.paid_days) expect(l.reimbursable_fen).toBe(0);
        }
      }),
      RUNS,
    );
  });

  it('flags: the trip’s are in §4 order, unique, and include every line’s', () => {
    fc.assert(
      fc.property(caseArb, ({ t, lines, ctx }) => {
        const p = priceTrip(t, lines, ctx);
        const order = (fs: string[]) => fs.map((f) => FLAGS.indexOf(f as (typeof FLAGS)[number]));
        for (const fs of [p.flags, ...p.lines.map((l) => l.flags)]) {
          const idx = order(fs);
          expect(idx.every((x) => x >= 0)).toBe(true);
          expect(idx.every((x, i) => i === 0 || x > idx[i - 1])).toBe(true);
        }
        for (const l of p.lines) for (const f of l.flags) expect(p.flags).toContain(f);
      }),
      RUNS,
    );
  });

  it('every line’s rule text can be filled from its params, in both languages', () => {
    const msgs = tripMessages as Record<string, { zh: string; en: string }>;
    fc.assert(
      fc.property(caseArb, ({ t, lines, ctx }) => {
        const p = priceTrip(t, lines, ctx);
        for (const l of p.lines) {
          const m = msgs[`allowance.rule.${l.rule}`];
          expect(m, l.rule).toBeDefined();
          for (const [, name] of `${m.zh} ${m.en}`.matchAll(/\{(\w+)\}/g)) expect(l.params, `${l.rule} {${name}}`).toHaveProperty(name);
        }
      }),
      RUNS,
    );
  });

  it('the order of the lines does not change what the trip pays', () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), ({ t, lines, ctx }, seed) => {
        const shuffled = [...lines];
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) & 0x7fffffff;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        const a = priceTrip(t, lines, ctx);
        const b = priceTrip(t, shuffled, ctx);
        expect(b.reimbursable_fen).toBe(a.reimbursable_fen);
        expect(b.flags).toEqual(a.flags);
      }),
      RUNS,
    );
  });

  it('an exemption changes only the absence flag: same lines, same money (§3.3 特殊情况 is about 旷工 alone)', () => {
    fc.assert(
      fc.property(caseArb, ({ t, lines, ctx }) => {
        const plain = priceTrip({ ...t, exempt: false }, lines, ctx);
        const exempt = priceTrip({ ...t, exempt: true }, lines, ctx);
        expect(exempt.reimbursable_fen).toBe(plain.reimbursable_fen);
        expect(exempt.paid_days).toBe(plain.paid_days);
        expect(exempt.lines).toEqual(plain.lines);
        expect(exempt.flags).not.toContain('absence');
        expect(exempt.flags).toEqual(plain.flags.filter((f) => f !== 'absence'));
      }),
      RUNS,
    );
  });

  it('the generator reaches every line rule (so the properties above are not vacuous)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(caseArb, ({ t, lines, ctx }) => {
        for (const l of priceTrip(t, lines, ctx).lines) seen.add(l.rule);
      }),
      { numRuns: 3000, seed: 20240506 },
    );
    expect(RULES.filter((r) => !seen.has(r))).toEqual([]);
  });

  it('is pure: the same inputs give the same result and are not modified', () => {
    fc.assert(
      fc.property(caseArb, ({ t, lines, ctx }) => {
        const before = JSON.stringify([t, lines, ctx]);
        const a = priceTrip(t, lines, ctx);
        expect(JSON.stringify([t, lines, ctx])).toBe(before);
        expect(priceTrip(t, lines, ctx)).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });
});
