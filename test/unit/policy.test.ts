/**
 * §6 the policy document: validation with errors that name the field, partial documents
 * merged over the version in force, and the version in force on a date.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_POLICY, hasPolicyShape, mergePolicy, policyOn, yuanToFen, type Policy } from '../../src/domain/policy.js';
import { parsePolicy, parsePolicyText, parsePolicyVersion, policySchema } from '../../src/domain/policyDocument.js';
import { addDays } from '../../src/domain/values.js';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
function version(effective_from: string, travel: Record<string, unknown> = {}, base: Policy = DEFAULT_POLICY): Policy {
  const r = parsePolicy({ effective_from, travel }, { base });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.policy;
}
function errorsOf(doc: unknown, opts = {}): string[] {
  const r = parsePolicy(doc, opts);
  return r.ok ? [] : r.errors;
}

describe('§6 the default policy', () => {
  it('is valid as a whole document', () => {
    expect(policySchema.safeParse(DEFAULT_POLICY).success).toBe(true);
    const r = parsePolicy(clone(DEFAULT_POLICY));
    expect(r).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });
  it('is the regulation as written (§3.3 numbers)', () => {
    const t = DEFAULT_POLICY.travel;
    expect([t.per_diem.in_province_same_day, t.per_diem.in_province_overnight, t.per_diem.out_of_province]).toEqual([15, 100, 130]);
    expect([t.day_limit.in_province, t.day_limit.out_of_province, t.absence_over_days.in_province, t.absence_over_days.out_of_province]).toEqual([2, 3, 4, 5]);
    expect([t.train.sleeper_min_hours, t.taxi.night_from, t.taxi.night_to, t.taxi.far_km]).toEqual([10, '20:00', '08:00', 3]);
    expect([t.client_trip_limit, t.dinner.min_order, t.dinner.max_rate, t.advance_max, t.report_due_days]).toEqual([2, 10000, 0.02, 500, 3]);
  });
  it('money in yuan converts to fen with Math.round', () => {
    expect(yuanToFen(10000.01)).toBe(1_000_001);
    expect(yuanToFen(0.1 + 0.2)).toBe(30);
    expect(yuanToFen(130)).toBe(13_000);
  });
});

describe('§6 validation: every error names the field path', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a negative per diem', { travel: { per_diem: { out_of_province: -1 } } }, 'travel.per_diem.out_of_province: must be an amount in yuan ≥ 0 with at most 2 decimals'],
    ['a per diem written as text', { travel: { per_diem: { out_of_province: '130' } } }, 'travel.per_diem.out_of_province: must be an amount in yuan ≥ 0 with at most 2 decimals'],
    ['a per diem with 3 decimals', { travel: { per_diem: { in_province_same_day: 15.005 } } }, 'travel.per_diem.in_province_same_day: must be an amount in yuan ≥ 0 with at most 2 decimals'],
    ['a day limit of 0', { travel: { day_limit: { in_province: 0 } } }, 'travel.day_limit.in_province: must be a whole number ≥ 1'],
    ['a day limit of 2.5', { travel: { day_limit: { out_of_province: 2.5 } } }, 'travel.day_limit.out_of_province: must be a whole number ≥ 1'],
    ['report due in -1 days', { travel: { report_due_days: -1 } }, 'travel.report_due_days: must be a whole number ≥ 0'],
    ['sleeper hours of 0', { travel: { train: { sleeper_min_hours: 0 } } }, 'travel.train.sleeper_min_hours: must be a number of hours > 0'],
    ['no seat class', { travel: { train: { seat_classes: [] } } }, 'travel.train.seat_classes: must be a list of at least one name in lower-case snake_case (e.g. hard_seat)'],
    ['a class name with a space', { travel: { train: { seat_classes: ['hard_seat', 'Hard Seat'] } } }, 'travel.train.seat_classes[1]: must be a list of at least one name in lower-case snake_case (e.g. hard_seat)'],
    ['a night start of 8:00', { travel: { taxi: { night_to: '8:00' } } }, 'travel.taxi.night_to: must be a time HH:mm (00:00–23:59)'],
    ['a night start of 24:00', { travel: { taxi: { night_from: '24:00' } } }, 'travel.taxi.night_from: must be a time HH:mm (00:00–23:59)'],
    ['an empty night window', { travel: { taxi: { night_from: '08:00' } } }, 'travel.taxi.night_to: must differ from travel.taxi.night_from'],
    ['a dinner rate of 2 (200%)', { travel: { dinner: { max_rate: 2 } } }, 'travel.dinner.max_rate: must be a share from 0 to 1 (0.02 = 2%) with at most 6 decimals'],
    ['a dinner rate with 7 decimals', { travel: { dinner: { max_rate: 0.0200001 } } }, 'travel.dinner.max_rate: must be a share from 0 to 1 (0.02 = 2%) with at most 6 decimals'],
    ['an approver role that does not exist', { travel: { approval: { approver_roles: ['boss'] } } }, 'travel.approval.approver_roles[0]: must be a list of at least one role from rep, supervisor, manager, doctor, gm'],
    ['a misspelt field', { travel: { per_deim: { out_of_province: 150 } } }, 'travel.per_deim: is not a policy field (check the spelling)'],
    ['a misspelt nested field', { travel: { dinner: { min_ordre: 5000 } } }, 'travel.dinner.min_ordre: is not a policy field (check the spelling)'],
    ['a section that is not an object', { travel: 5 }, 'travel: must be an object { … }'],
    ['follow-up days out of order', { followup: { buyer: { rep: [30, 3] } } }, 'followup.buyer.rep: must be a list of whole days ≥ 1 in increasing order'],
    ['class B above class A', { kpi: { class_b_min: 20000 } }, 'kpi.class_b_min: must not be above kpi.class_a_min'],
    ['a new-staff share of 120%', { assign: { new_staff_share: 1.2 } }, 'assign.new_staff_share: must be a share from 0 to 1 (0.02 = 2%) with at most 6 decimals'],
    ['an impossible date', { effective_from: '2024-02-30' }, 'effective_from: must be a date YYYY-MM-DD'],
    ['a date in another format', { effective_from: '2024/5/1' }, 'effective_from: must be a date YYYY-MM-DD'],
  ])('%s', (_d, doc, error) => {
    expect(errorsOf({ effective_from: '2024-01-01', ...doc })).toEqual([error]);
  });

  it('a document without a date (and no --from) says effective_from is missing', () => {
    expect(errorsOf({ travel: { advance_max: 600 } })).toEqual(['effective_from: is missing']);
  });
  it('the date never comes from the base version', () => {
    const base = version('2024-01-01');
    expect(errorsOf({ travel: { advance_max: 600 } }, { base })).toEqual(['effective_from: is missing']);
  });
  it('--from gives the date; if the document gives one too they must agree', () => {
    const r = parsePolicy({ travel: { advance_max: 600 } }, { effective_from: '2024-07-01' });
    expect(r.ok && r.policy.effective_from).toBe('2024-07-01');
    expect(parsePolicy({ effective_from: '2024-07-01' }, { effective_from: '2024-07-01' }).ok).toBe(true);
    expect(errorsOf({ effective_from: '2024-07-01' }, { effective_from: '2024-08-01' })).toEqual([
      'effective_from: the document says 2024-07-01 but --from says 2024-08-01: make them agree',
    ]);
  });
  it('every problem is listed at once, nothing else', () => {
    const errors = errorsOf({
      effective_from: '2024-01-01',
      travel: { per_diem: { out_of_province: -5 }, advance_max: 'five hundred', bogus: 1 },
      kpi: { class_window_months: 0 },
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        'travel.per_diem.out_of_province: must be an amount in yuan ≥ 0 with at most 2 decimals',
        'travel.advance_max: must be an amount in yuan ≥ 0 with at most 2 decimals',
        'travel.bogus: is not a policy field (check the spelling)',
        'kpi.class_window_months: must be a whole number ≥ 1',
      ]),
    );
    expect(errors).toHaveLength(4);
  });
  it('errors come in Chinese too, and carry codes for any language', () => {
    const r = parsePolicy({ effective_from: '2024-01-01', travel: { day_limit: { in_province: 0 } } }, { lang: 'zh' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(['travel.day_limit.in_province: 必须是不小于 1 的整数']);
    expect(r.issues).toEqual([{ path: 'travel.day_limit.in_province', code: 'count1', params: {} }]);
  });
  it.each<[string, unknown]>([
    ['an array', []],
    ['a number', 42],
    ['null', null],
  ])('a document that is %s is refused as a whole', (_d, doc) => {
    expect(errorsOf(doc)).toEqual(['(document): the policy document must be a JSON object { … }']);
  });
  it('the text of a file: BOM accepted, bad JSON reported', () => {
    expect(parsePolicyText('\uFEFF{"effective_from":"2024-01-01"}').ok).toBe(true);
    const r = parsePolicyText('{"effective_from": "2024-01-01",}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^\(document\): not valid JSON: /);
  });
});

describe('§6 a partial document is merged over the version in force, then must be complete', () => {
  it('only the fields that change: the rest comes from the base', () => {
    const r = parsePolicy({ effective_from: '2025-01-01', travel: { per_diem: { out_of_province: 150 } } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.travel.per_diem).toEqual({ in_province_same_day: 15, in_province_overnight: 100, out_of_province: 150 });
    expect({ ...r.policy, effective_from: 'x', travel: { ...r.policy.travel, per_diem: null } }).toEqual({
      ...DEFAULT_POLICY,
      effective_from: 'x',
      travel: { ...DEFAULT_POLICY.travel, per_diem: null },
    });
  });
  it('a list replaces the whole list', () => {
    const v = version('2025-01-01', { train: { seat_classes: ['hard_seat'] } });
    expect(v.travel.train.seat_classes).toEqual(['hard_seat']);
    expect(v.travel.train.sleeper_classes).toEqual(['hard_sleeper']);
  });
  it('merging never modifies the base', () => {
    const before = clone(DEFAULT_POLICY);
    version('2025-01-01', { per_diem: { out_of_province: 999 } });
    expect(DEFAULT_POLICY).toEqual(before);
    expect(mergePolicy({ a: { b: 1, c: 2 } }, { a: { b: 3 } })).toEqual({ a: { b: 3, c: 2 } });
  });
  it('parsePolicyVersion merges over the version in force on the new date, not the latest', () => {
    const v2024 = version('2024-01-01', { per_diem: { out_of_province: 140 } });
    const v2026 = version('2026-01-01', { per_diem: { out_of_province: 160 } });
    const r = parsePolicyVersion([v2026, v2024], { travel: { advance_max: 800 } }, { effective_from: '2025-01-01' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.effective_from).toBe('2025-01-01');
    expect(r.policy.travel.per_diem.out_of_province).toBe(140);
    expect(r.policy.travel.advance_max).toBe(800);
  });
  it('parsePolicyVersion refuses a second version on the same date unless replacing it', () => {
    const v2024 = version('2024-01-01', { per_diem: { out_of_province: 140 } });
    const v2025 = version('2025-01-01', { per_diem: { out_of_province: 150 } }, v2024);
    const again = parsePolicyVersion([v2024, v2025], { effective_from: '2025-01-01', travel: { advance_max: 800 } });
    expect(again.ok ? [] : again.errors).toEqual(['effective_from: a policy version from 2025-01-01 is already loaded']);
    const replaced = parsePolicyVersion([v2024, v2025], { effective_from: '2025-01-01', travel: { advance_max: 800 } }, { replace: true });
    expect(replaced.ok && [replaced.policy.travel.per_diem.out_of_province, replaced.policy.travel.advance_max]).toEqual([140, 800]);
  });
});

describe('§6 hasPolicyShape: a stored version is trusted when complete', () => {
  it('accepts the default and any valid document; refuses a missing field, a wrong kind, a list for an object', () => {
    expect(hasPolicyShape(DEFAULT_POLICY)).toBe(true);
    expect(hasPolicyShape(clone(DEFAULT_POLICY))).toBe(true);
    const missing = clone(DEFAULT_POLICY) as unknown as { travel: Record<string, unknown> };
    delete missing.travel.per_diem;
    expect(hasPolicyShape(missing)).toBe(false);
    expect(hasPolicyShape({ ...clone(DEFAULT_POLICY), assign: { ...DEFAULT_POLICY.assign, new_staff_days: '90' } })).toBe(false);
    expect(hasPolicyShape({ ...clone(DEFAULT_POLICY), travel: [] })).toBe(false);
    expect(hasPolicyShape(null)).toBe(false);
    expect(hasPolicyShape('policy')).toBe(false);
  });
});

describe('§6 policyOn: the version in force on a date', () => {
  const v2024 = version('2024-01-01', { per_diem: { out_of_province: 140 } });
  const v2024b = version('2024-07-01', { per_diem: { out_of_province: 145 } });
  const v2025 = version('2025-01-01', { per_diem: { out_of_province: 150 } });
  const versions = [v2025, v2024, v2024b]; // any order

  it.each<[string, string, Policy]>([
    ['before the first version: the default', '2023-12-31', DEFAULT_POLICY],
    ['on the first version’s day: that version', '2024-01-01', v2024],
    ['between two versions: the earlier', '2024-06-30', v2024],
    ['on the day of a change: the new one', '2024-07-01', v2024b],
    ['the last day before the next: still the old', '2024-12-31', v2024b],
    ['after the last: the last', '2030-05-05', v2025],
  ])('%s', (_d, date, expected) => {
    expect(policyOn(versions, date)).toBe(expected);
  });
  it('no versions: the default', () => {
    expect(policyOn([], '2024-05-01')).toBe(DEFAULT_POLICY);
  });
  it('two versions with the same date: the later in the list', () => {
    const again = { ...v2024, advance_max: 1 };
    expect(policyOn([v2024, again], '2024-02-01')).toBe(again);
  });
  it('property: the version returned is in force and no other in force is later', () => {
    const dateArb = fc.integer({ min: 0, max: 2000 }).map((n) => addDays('2022-01-01', n));
    fc.assert(
      fc.property(fc.uniqueArray(dateArb, { maxLength: 6 }), dateArb, (dates, on) => {
        const vs = dates.map((d) => ({ ...DEFAULT_POLICY, effective_from: d }));
        const p = policyOn(vs, on);
        const inForce = vs.filter((v) => v.effective_from <= on);
        if (inForce.length === 0) expect(p).toBe(DEFAULT_POLICY);
        else expect(p.effective_from).toBe(inForce.map((v) => v.effective_from).sort().at(-1));
      }),
    );
  });
});
