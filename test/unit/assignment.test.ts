/**
 * SPEC §3.1 (档案分配原则) and §3.4 (离职交接), rule by rule. Places are real GB/T 2260 codes:
 * 浙江省 33 › 金华市 3307 › 浦江县 330726, 婺城区 330702; 杭州市西湖区 330106; 北京市东城区 110101.
 */
import { describe, expect, it } from 'vitest';
import {
  assignCustomers,
  handOver,
  isActiveRep,
  shareFraction,
  validatePin,
  type CustomerToAssign,
  type Decision,
  type Explanation,
  type Rep,
} from '../../src/domain/assignment.js';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { addDays } from '../../src/domain/values.js';
import { assignMessages } from '../../src/messages/assign.js';

const P = DEFAULT_POLICY.assign;
const AS_OF = '2024-06-30';
const OLD = '2023-01-01'; // hired long before AS_OF: not new staff
const NEW = '2024-05-01'; // hired 60 days before AS_OF: new staff (< 90)

const PUJIANG = '330726'; // 浦江县, 金华市
const WUCHENG = '330702'; // 婺城区, 金华市
const XIHU = '330106'; // 西湖区, 杭州市 (same province)
const DONGCHENG = '110101'; // 东城区, 北京市 (elsewhere)

function rep(staff_id: string, over: Partial<Rep> = {}): Rep {
  return {
    staff_id,
    role: 'rep',
    hired_on: OLD,
    left_on: null,
    district: PUJIANG,
    areas: [],
    capacity: null,
    load: 0,
    on_time_rate: null,
    conversion_rate: null,
    ...over,
  };
}

function customer(customer_id: number, over: Partial<CustomerToAssign> = {}): CustomerToAssign {
  return { customer_id, collector_id: 'S9999', district: PUJIANG, collected_on: '2024-06-01', ...over };
}

/** Renders an explanation like t() does, and checks every placeholder is filled. */
function render(e: Explanation, lang: 'zh' | 'en'): string {
  const entry = (assignMessages as Record<string, { zh: string; en: string }>)[e.key as string];
  expect(entry, `message ${String(e.key)}`).toBeDefined();
  const text = entry[lang].replace(/\{(\w+)\}/g, (m, name: string) => (name in e.params ? String(e.params[name]) : m));
  expect(text, `unfilled placeholder in ${String(e.key)}`).not.toMatch(/\{\w+\}/);
  return text;
}

function one(customers: CustomerToAssign[], reps: Rep[], asOf = AS_OF, policy = P): Decision {
  const r = assignCustomers(customers, reps, asOf, policy);
  expect(r.unassigned).toEqual([]);
  expect(r.decisions).toHaveLength(1);
  render(r.decisions[0].explanation, 'zh');
  render(r.decisions[0].explanation, 'en');
  return r.decisions[0];
}

describe('3.1 rule 1: the collector keeps it (this rule wins)', () => {
  const near = rep('R0001'); // a rep in the customer's own county, always a candidate
  it.each([
    ['an active rep', rep('R0003', { district: DONGCHENG }), 'R0003', 'collector'],
    ['an active rep at capacity', rep('R0003', { district: DONGCHENG, load: 500 }), 'R0003', 'collector'],
    ['an active rep over a small capacity', rep('R0003', { district: DONGCHENG, load: 9, capacity: 3 }), 'R0003', 'collector'],
    ['leaving later (left_on after the date)', rep('R0003', { left_on: '2024-07-01' }), 'R0003', 'collector'],
    ['hired on the date itself', rep('R0003', { hired_on: AS_OF }), 'R0003', 'collector'],
    ['left before the date', rep('R0003', { left_on: '2024-06-01' }), 'R0001', 'nearness'],
    ['left on the date (left_on is the first day gone)', rep('R0003', { left_on: AS_OF }), 'R0001', 'nearness'],
    ['not a rep (supervisor)', rep('R0003', { role: 'supervisor' }), 'R0001', 'nearness'],
    ['not a rep (doctor)', rep('R0003', { role: 'doctor' }), 'R0001', 'nearness'],
    ['hired after the date', rep('R0003', { hired_on: '2024-07-01' }), 'R0001', 'nearness'],
  ] as const)('collector %s → %s (%s)', (_, collector, owner, rule) => {
    const d = one([customer(1, { collector_id: 'R0003' })], [near, collector]);
    expect([d.staff_id, d.rule]).toEqual([owner, rule]);
  });

  it('an unknown collector: the customer is distributed', () => {
    const d = one([customer(1, { collector_id: 'NOBODY' })], [near]);
    expect([d.staff_id, d.rule]).toEqual(['R0001', 'nearness']);
  });

  it('explains itself in both languages', () => {
    const d = one([customer(1, { collector_id: 'R0003' })], [rep('R0003')]);
    expect(d.explanation).toEqual({ key: 'assign.explain.collector', params: { staff: 'R0003' } });
    expect(render(d.explanation, 'en')).toBe('collector R0003 is an active rep: who collects it keeps it');
    expect(render(d.explanation, 'zh')).toBe('收集人 R0003 在职，谁收集归谁');
  });
});

describe('3.1 rule 2: nearness — county (or areas) > city > province > anywhere', () => {
  const county = rep('R0001', { district: PUJIANG });
  const viaArea = rep('R0002', { district: DONGCHENG, areas: [PUJIANG] });
  const viaCityArea = rep('R0003', { district: DONGCHENG, areas: ['330700'] }); // all of 金华市
  const city = rep('R0004', { district: WUCHENG });
  const province = rep('R0005', { district: XIHU });
  const provinceArea = rep('R0006', { district: DONGCHENG, areas: ['330000'] }); // a province as area: only the province tier
  const anywhere = rep('R0007', { district: DONGCHENG });

  it.each([
    ['same county', PUJIANG, [county, city, province, anywhere], 'R0001', 0, 'county'],
    ["in the rep's areas (a county code)", PUJIANG, [viaArea, city, province, anywhere], 'R0002', 0, 'county'],
    ["in the rep's areas (a city code covers its counties)", PUJIANG, [viaCityArea, city, province, anywhere], 'R0003', 0, 'county'],
    ['same city', PUJIANG, [city, province, anywhere], 'R0004', 1, 'city'],
    ['same city, the customer known only by city', '330700', [city, province, anywhere], 'R0004', 1, 'city'],
    ['same province', PUJIANG, [province, anywhere], 'R0005', 2, 'province'],
    ['a province as area counts as same province', PUJIANG, [provinceArea, anywhere], 'R0006', 2, 'province'],
    ['anywhere', PUJIANG, [anywhere], 'R0007', 3, 'anywhere'],
    ['unknown district: anywhere', null, [county], 'R0001', 3, 'anywhere'],
  ] as const)('%s → %s (tier %i)', (_, district, reps, owner, tier, word) => {
    const d = one([customer(1, { district })], [...reps]);
    expect(d).toMatchObject({ staff_id: owner, rule: 'nearness', tier, sub_rule: 'nearness' });
    expect(d.explanation).toEqual({ key: `assign.explain.nearness.${word}`, params: { staff: owner } });
  });

  it('reads like the regulation', () => {
    const d = one([customer(1)], [rep('R0007'), anywhere]);
    expect(render(d.explanation, 'en')).toBe('nearest reps by county (or their areas): only R0007');
    expect(render(d.explanation, 'zh')).toBe('就近分配（同县或负责片区）：只有 R0007');
  });

  it('an unknown district puts every rep in one tier: the least loaded anywhere wins', () => {
    const d = one([customer(1, { district: null })], [rep('R0001', { load: 5 }), rep('R0002', { district: DONGCHENG, load: 1 })]);
    expect(d).toMatchObject({ staff_id: 'R0002', rule: 'workload', tier: 3 });
  });

  it.each([
    ['left', { left_on: '2024-06-01' }],
    ['not a rep', { role: 'manager' as const }],
    ['hired after the date', { hired_on: '2024-07-01' }],
    ['at capacity (load = default capacity)', { load: 500 }],
    ['at capacity (own capacity)', { load: 20, capacity: 20 }],
    ['capacity 0', { capacity: 0 }],
  ])('a county rep who is %s is no candidate: the city rep gets it', (_, over) => {
    const d = one([customer(1)], [rep('R0001', over), city]);
    expect(d).toMatchObject({ staff_id: 'R0004', rule: 'nearness', tier: 1 });
  });

  it('a rep whose capacity fills up during the run drops out', () => {
    const r = assignCustomers([customer(1), customer(2), customer(3)], [rep('R0001', { capacity: 2, load: 1 }), city], AS_OF, P);
    expect(r.decisions.map((d) => [d.staff_id, d.tier])).toEqual([
      ['R0001', 0],
      ['R0004', 1],
      ['R0004', 1],
    ]);
  });

  it("a collector's customers count towards the collector's load in the same run", () => {
    const r = assignCustomers(
      [customer(1, { collector_id: 'R0001' }), customer(2)],
      [rep('R0001', { capacity: 1 }), city],
      AS_OF,
      P,
    );
    expect(r.decisions.map((d) => [d.staff_id, d.rule])).toEqual([
      ['R0001', 'collector'],
      ['R0004', 'nearness'],
    ]);
  });
});

describe('3.1 rule 4: load/capacity, then on-time rate, then conversion, then staff_id', () => {
  it.each([
    ['lower load', { load: 10 }, { load: 5 }, 'R0002', 'load'],
    ['lower load relative to capacity', { load: 10, capacity: 100 }, { load: 30, capacity: 500 }, 'R0002', 'load'],
    ['blank capacity is the default (500)', { load: 10 }, { load: 3, capacity: 100 }, 'R0001', 'load'],
    ['load tie (1/10 = 30/300), better on-time rate', { load: 1, capacity: 10, on_time_rate: 0.8 }, { load: 30, capacity: 300, on_time_rate: 0.9 }, 'R0002', 'on_time'],
    ['load tie, no tasks ranks below a 0% on-time rate', { on_time_rate: null }, { on_time_rate: 0 }, 'R0002', 'on_time'],
    ['load and on-time tie, better conversion', { on_time_rate: 0.9, conversion_rate: 0.1 }, { on_time_rate: 0.9, conversion_rate: 0.3 }, 'R0002', 'conversion'],
    ['load and on-time tie, no conversion ranks below 0%', { conversion_rate: null }, { conversion_rate: 0 }, 'R0002', 'conversion'],
    ['everything tied: staff_id', { on_time_rate: 0.5, conversion_rate: 0.5 }, { on_time_rate: 0.5, conversion_rate: 0.5 }, 'R0001', 'staff_id'],
    ['everything null: staff_id', {}, {}, 'R0001', 'staff_id'],
  ] as const)('%s → %s', (_, a, b, owner, by) => {
    // the input order is reversed on purpose: it never matters
    const d = one([customer(1)], [rep('R0002', b), rep('R0001', a)]);
    expect(d).toMatchObject({ staff_id: owner, rule: 'workload', tier: 0, sub_rule: 'workload' });
    expect(d.explanation.key).toBe(`assign.explain.workload.county.${by}`);
  });

  it('reads like the regulation', () => {
    const d = one([customer(1)], [rep('R0004', { district: WUCHENG, load: 12 }), rep('R0005', { district: WUCHENG, load: 13 }), rep('R0006', { district: WUCHENG, load: 14 })]);
    expect(render(d.explanation, 'en')).toBe('least loaded of 3 in same city: R0004 (12/500)');
    expect(render(d.explanation, 'zh')).toBe('同市 3 人中负载最低：R0004（12/500）');
  });

  it('the runner-up may be the next rep of the same place or of another place in the tier', () => {
    // R0001 and R0002 share a place (浦江县); R0003 is in the county tier through its areas
    const reps = [rep('R0001', { load: 1 }), rep('R0002', { load: 9 }), rep('R0003', { district: DONGCHENG, areas: [PUJIANG], load: 1, on_time_rate: 0.5 })];
    const d = one([customer(1)], reps);
    expect([d.staff_id, d.explanation.key]).toEqual(['R0003', 'assign.explain.workload.county.on_time']);
    expect(render(d.explanation, 'en')).toBe('of 3 in same county or areas tied on load, best on-time rate: R0003 (1/500, on time 50%)');
  });

  it('loads update as customers are assigned: equal reps take turns', () => {
    const r = assignCustomers([1, 2, 3, 4, 5].map((i) => customer(i)), [rep('R0002'), rep('R0001')], AS_OF, P);
    expect(r.decisions.map((d) => d.staff_id)).toEqual(['R0001', 'R0002', 'R0001', 'R0002', 'R0001']);
  });

  it('loads of earlier runs count (input load)', () => {
    const r = assignCustomers([1, 2, 3].map((i) => customer(i)), [rep('R0001', { load: 2 }), rep('R0002')], AS_OF, P);
    expect(r.decisions.map((d) => d.staff_id)).toEqual(['R0002', 'R0002', 'R0001']);
  });
});

describe('3.1 rule 3: a share for new staff', () => {
  const oldRep = rep('R0001'); // load 0: rule 4 would always choose it
  const newRep = rep('R0012', { hired_on: NEW, load: 100 });

  it('the first pick goes to a new rep of the nearest tier (0 < 20% × 1)', () => {
    const d = one([customer(1)], [oldRep, newRep]);
    expect(d).toMatchObject({ staff_id: 'R0012', rule: 'new_staff', tier: 0 });
    expect(d.explanation).toEqual({
      key: 'assign.explain.new_staff.county',
      params: { given: 0, of: 1, share: '20%', staff: 'R0012', hired_on: NEW, load: 100, capacity: 500 },
    });
    expect(render(d.explanation, 'en')).toBe(
      'new-staff share: 0 of 1 so far below 20%; R0012 hired 2024-05-01, least loaded new rep in same county or areas (100/500)',
    );
  });

  it('exactly 20%: after 1 new of 4 picks, the 5th is not new (1 < 20% × 5 is false); the 6th is', () => {
    const r = assignCustomers([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => customer(i)), [oldRep, newRep], AS_OF, P);
    const newPicks = r.decisions.flatMap((d, i) => (d.rule === 'new_staff' ? [i + 1] : []));
    expect(newPicks).toEqual([1, 6, 11]);
    expect(r.decisions.filter((d) => d.staff_id === 'R0012').length).toBe(3);
  });

  it('the comparison is exact: with a 7% share, 7 of 100 is not below 7% (0.07 × 100 is 7.000000000000001 in floating point)', () => {
    const customers = Array.from({ length: 100 }, (_, i) => customer(i + 1));
    const r = assignCustomers(customers, [oldRep, newRep], AS_OF, { ...P, new_staff_share: 0.07 });
    const newPicks = r.decisions.flatMap((d, i) => (d.rule === 'new_staff' ? [i + 1] : []));
    expect(newPicks).toEqual([1, 15, 29, 43, 58, 72, 86]);
  });

  it.each([
    ['89 days before the date: new', addDays(AS_OF, -89), 'new_staff'],
    ['90 days before the date: not new', addDays(AS_OF, -90), 'workload'],
    ['on the date: new', AS_OF, 'new_staff'],
  ])('hired %s', (_, hired_on, rule) => {
    const d = one([customer(1)], [oldRep, rep('R0012', { hired_on, load: 100 })]);
    expect(d.rule).toBe(rule);
  });

  it('the numbers come from the policy', () => {
    const d1 = one([customer(1)], [oldRep, newRep], AS_OF, { ...P, new_staff_days: 30 });
    expect(d1.rule).toBe('workload'); // hired 60 days ago: not new under a 30-day policy
    const d2 = one([customer(1)], [oldRep, newRep], AS_OF, { ...P, new_staff_share: 0 });
    expect(d2.rule).toBe('workload');
  });

  it('only a new rep in the nearest tier: a new rep farther away is not chosen', () => {
    const d = one([customer(1)], [oldRep, rep('R0012', { hired_on: NEW, district: WUCHENG })]);
    expect(d).toMatchObject({ staff_id: 'R0001', rule: 'nearness', tier: 0 });
  });

  it('the only rep of the nearest tier, new: rule 3 chose it', () => {
    const d = one([customer(1)], [rep('R0012', { hired_on: NEW }), rep('R0001', { district: WUCHENG })]);
    expect(d).toMatchObject({ staff_id: 'R0012', rule: 'new_staff', tier: 0 });
  });

  it('the least loaded new rep (load/capacity), then staff_id; rates do not matter', () => {
    const d1 = one([customer(1)], [oldRep, rep('R0012', { hired_on: NEW, load: 5, capacity: 10 }), rep('R0013', { hired_on: NEW, load: 100 })]);
    expect(d1.staff_id).toBe('R0013'); // 100/500 < 5/10
    const d2 = one([customer(1)], [oldRep, rep('R0013', { hired_on: NEW, on_time_rate: 1 }), rep('R0012', { hired_on: NEW, on_time_rate: 0 })]);
    expect(d2.staff_id).toBe('R0012');
  });

  it('a new rep at capacity is no candidate', () => {
    const d = one([customer(1)], [oldRep, rep('R0012', { hired_on: NEW, load: 10, capacity: 10 })]);
    expect(d).toMatchObject({ staff_id: 'R0001', rule: 'nearness' });
  });

  it("customers kept by their collector (rule 1) do not count towards the share", () => {
    const r = assignCustomers(
      [customer(1, { collector_id: 'R0012' }), customer(2, { collector_id: 'R0012' }), customer(3)],
      [oldRep, newRep],
      AS_OF,
      P,
    );
    expect(r.decisions.map((d) => d.rule)).toEqual(['collector', 'collector', 'new_staff']);
  });

  it('a new rep chosen by rule 4 counts as given to new staff', () => {
    // the new rep is the least loaded, so rule 4 gives it every other customer: the share
    // (well above 20%) never has to step in again
    const r = assignCustomers(Array.from({ length: 12 }, (_, i) => customer(i + 1)), [rep('R0001', { load: 2 }), rep('R0012', { hired_on: NEW })], AS_OF, P);
    expect(r.decisions.slice(0, 4).map((d) => [d.staff_id, d.rule])).toEqual([
      ['R0012', 'new_staff'],
      ['R0012', 'workload'],
      ['R0001', 'workload'],
      ['R0012', 'workload'],
    ]);
    expect(r.decisions.filter((d) => d.rule === 'new_staff')).toHaveLength(1);
  });
});

describe('order of processing', () => {
  it('collected_on, then customer_id — whatever the input order', () => {
    const reps = [rep('R0001', { capacity: 2 }), rep('R0004', { district: WUCHENG })];
    const customers = [
      customer(3, { collected_on: '2024-06-02' }),
      customer(9, { collected_on: '2024-05-31' }),
      customer(2, { collected_on: '2024-06-02' }),
      customer(1, { collected_on: '2024-06-03' }),
    ];
    const r = assignCustomers(customers, reps, AS_OF, P);
    expect(r.decisions.map((d) => [d.customer_id, d.staff_id])).toEqual([
      [9, 'R0001'],
      [2, 'R0001'],
      [3, 'R0004'],
      [1, 'R0004'],
    ]);
  });
});

describe('nobody eligible', () => {
  it.each([
    ['no reps at all', [], 'assign.unassigned.no_rep', { date: AS_OF }],
    ['only inactive reps and other roles', [rep('R0001', { left_on: '2024-01-01' }), rep('M0001', { role: 'manager' })], 'assign.unassigned.no_rep', { date: AS_OF }],
    ['every active rep at capacity', [rep('R0001', { load: 500 }), rep('R0002', { load: 3, capacity: 3 })], 'assign.unassigned.full', { n: 2 }],
  ])('%s → unassigned with a reason', (_, reps, key, params) => {
    const r = assignCustomers([customer(1)], reps, AS_OF, P);
    expect(r.decisions).toEqual([]);
    expect(r.unassigned).toEqual([{ customer_id: 1, reason: { key, params } }]);
    render(r.unassigned[0].reason, 'en');
    render(r.unassigned[0].reason, 'zh');
  });

  it('the collector still keeps it when everyone is full', () => {
    const r = assignCustomers([customer(1, { collector_id: 'R0001' }), customer(2)], [rep('R0001', { load: 500 })], AS_OF, P);
    expect(r.decisions.map((d) => [d.customer_id, d.staff_id])).toEqual([[1, 'R0001']]);
    expect(r.unassigned.map((u) => u.customer_id)).toEqual([2]);
  });

  it('no customers: nothing to do', () => {
    expect(assignCustomers([], [rep('R0001')], AS_OF, P)).toEqual({ decisions: [], unassigned: [] });
  });
});

describe('3.4 handover: §3.1 without rule 1, never to the leaver', () => {
  const leaver = rep('R0009', { left_on: '2024-07-15' }); // still active on AS_OF, nearest and least loaded

  it('never to the leaver, even while still active', () => {
    const r = handOver('R0009', [customer(1, { collector_id: 'R0009' })], [leaver, rep('R0001', { district: WUCHENG, load: 50 })], AS_OF, P);
    expect(r.decisions).toMatchObject([{ customer_id: 1, staff_id: 'R0001', rule: 'handover', sub_rule: 'nearness', tier: 1 }]);
    expect(r.decisions[0].explanation.key).toBe('assign.explain.nearness.city');
  });

  it('rule 1 does not apply: an active collector does not get it back', () => {
    const r = handOver('R0009', [customer(1, { collector_id: 'R0005' })], [leaver, rep('R0001'), rep('R0005', { district: XIHU })], AS_OF, P);
    expect(r.decisions).toMatchObject([{ staff_id: 'R0001', rule: 'handover', sub_rule: 'nearness', tier: 0 }]);
  });

  it.each([
    ['nearness', [rep('R0001')], 'R0001', 'assign.explain.nearness.county'],
    ['workload', [rep('R0001', { load: 3 }), rep('R0002', { load: 2 })], 'R0002', 'assign.explain.workload.county.load'],
    ['new_staff', [rep('R0001'), rep('R0012', { hired_on: NEW, load: 40 })], 'R0012', 'assign.explain.new_staff.county'],
  ] as const)('records which rule chose: %s', (sub, reps, owner, key) => {
    const r = handOver('R0009', [customer(1)], [leaver, ...reps], AS_OF, P);
    expect(r.decisions).toMatchObject([{ staff_id: owner, rule: 'handover', sub_rule: sub }]);
    expect(r.decisions[0].explanation.key).toBe(key);
  });

  it('the leaver alone: unassigned, and the reason says so', () => {
    const r = handOver('R0009', [customer(1), customer(2)], [leaver, rep('S0001', { role: 'supervisor' })], AS_OF, P);
    expect(r.decisions).toEqual([]);
    expect(r.unassigned).toEqual([1, 2].map((customer_id) => ({ customer_id, reason: { key: 'assign.unassigned.no_other_rep', params: { date: AS_OF, leaver: 'R0009' } } })));
    expect(render(r.unassigned[0].reason, 'en')).toBe('no active rep on 2024-06-30 other than the leaver R0009 to hand over to');
  });

  it('spreads a book of customers by workload', () => {
    const book = Array.from({ length: 6 }, (_, i) => customer(i + 1));
    const r = handOver('R0009', book, [leaver, rep('R0001', { load: 10 }), rep('R0002', { load: 12 })], AS_OF, P);
    // loads 10/12 → 11/12 → 12/12 → tie, staff_id → 13/12 → 13/13 → tie → 14/13
    expect(r.decisions.map((d) => d.staff_id)).toEqual(['R0001', 'R0001', 'R0001', 'R0002', 'R0001', 'R0002']);
  });
});

describe('isActiveRep', () => {
  it.each([
    [{}, true],
    [{ role: 'gm' as const }, false],
    [{ hired_on: '2024-07-01' }, false],
    [{ hired_on: AS_OF }, true],
    [{ left_on: AS_OF }, false],
    [{ left_on: '2024-07-01' }, true],
  ])('%o → %s', (over, active) => {
    expect(isActiveRep(rep('R0001', over), AS_OF)).toBe(active);
  });
});

describe('3.1 rule 5: validatePin — the target must be an active rep', () => {
  it.each([
    ['unknown', undefined, { key: 'assign.pin.unknown', params: { staff: 'R0404' } }],
    ['not a rep', rep('D0001', { role: 'doctor' }), { key: 'assign.pin.not_rep', params: { staff: 'D0001', role: 'doctor' } }],
    ['hired after the date', rep('R0001', { hired_on: '2024-07-01' }), { key: 'assign.pin.not_hired', params: { staff: 'R0001', hired_on: '2024-07-01', date: AS_OF } }],
    ['left', rep('R0001', { left_on: AS_OF }), { key: 'assign.pin.left', params: { staff: 'R0001', left_on: AS_OF } }],
    ['active', rep('R0001'), null],
    ['active and at capacity (the manager decides)', rep('R0001', { load: 900 }), null],
    ['leaving later', rep('R0001', { left_on: '2024-07-01' }), null],
  ])('%s', (_, target, expected) => {
    const e = validatePin(target, AS_OF, 'R0404');
    expect(e).toEqual(expected);
    if (e) {
      render(e, 'en');
      render(e, 'zh');
    }
  });
});

describe('shareFraction', () => {
  it.each([
    [0.2, [2, 10]],
    [0, [0, 1]],
    [1, [1, 1]],
    [0.07, [7, 100]],
    [0.125, [125, 1000]],
  ])('%f → %o', (share, frac) => {
    expect(shareFraction(share)).toEqual(frac);
  });
});

describe('messages', () => {
  it('every assign message has both languages with the same placeholders', () => {
    for (const [key, entry] of Object.entries(assignMessages)) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(entry.zh), key).toEqual(names(entry.en));
      expect(entry.zh.includes('\n') || entry.en.includes('\n'), key).toBe(false);
    }
  });
});

describe('bad input fails loudly', () => {
  it('a rep without a numeric load or capacity is a programming error', () => {
    expect(() => assignCustomers([customer(1)], [rep('R0001', { load: Number.NaN })], AS_OF, P)).toThrow(RangeError);
    expect(() => assignCustomers([customer(1)], [rep('R0001')], AS_OF, { ...P, default_capacity: Number.NaN })).toThrow(/R0001/);
  });
});
