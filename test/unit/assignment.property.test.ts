/**
 * Properties of SPEC §3.1 / §3.4 over random rosters and customers (fast-check), and a
 * comparison with a naive model written straight from the regulation: the engine's heaps
 * and caches must choose exactly what a rep-by-rep scan would.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignCustomers,
  handOver,
  isActiveRep,
  type AssignResult,
  type CustomerToAssign,
  type Explanation,
  type Rep,
} from '../../src/domain/assignment.js';
import type { Policy } from '../../src/domain/policy.js';
import { nearness } from '../../src/domain/region.js';
import { daysBetween } from '../../src/domain/values.js';
import { assignMessages } from '../../src/messages/assign.js';

type AssignPolicy = Policy['assign'];

// Real GB/T 2260 places around 浦江县 (330726): same city 婺城区, 金华市 itself, same province
// 杭州西湖区 / 杭州市 / 浙江省, and far away 北京东城区 / 北京市 / 广州天河区.
const DISTRICTS = ['330726', '330702', '330700', '330106', '330100', '330000', '110101', '110000', '440106', null];
const AREAS = ['330726', '330700', '330106', '330000', '110101'];
const DATES = ['2023-01-01', '2024-03-01', '2024-04-01', '2024-05-15', '2024-06-30', '2024-07-01'];
const TIER_NAMES = ['county', 'city', 'province', 'anywhere'];

const repArb = (ids: string[]) =>
  fc.record({
    staff_id: fc.constantFrom(...ids),
    role: fc.constantFrom('rep', 'rep', 'rep', 'rep', 'supervisor', 'doctor') as fc.Arbitrary<Rep['role']>,
    hired_on: fc.constantFrom(...DATES),
    left_on: fc.constantFrom(null, null, null, '2024-03-01', '2024-06-30', '2024-07-01'),
    district: fc.constantFrom(...DISTRICTS),
    areas: fc.subarray(AREAS, { maxLength: 2 }),
    capacity: fc.constantFrom(null, null, 0, 1, 2, 3, 10),
    load: fc.integer({ min: 0, max: 4 }),
    on_time_rate: fc.constantFrom(null, 0, 0.5, 1),
    conversion_rate: fc.constantFrom(null, 0, 0.5, 1),
  });

const SHARES: [number, number][] = [
  [0, 1],
  [1, 10],
  [1, 5],
  [1, 4],
  [1, 2],
  [1, 1],
];

const worldArb = (maxReps: number, maxCustomers: number) => {
  const ids = Array.from({ length: maxReps }, (_, i) => `R${String(i + 1).padStart(3, '0')}`);
  return fc.record({
    reps: fc.uniqueArray(repArb(ids), { selector: (r) => r.staff_id, maxLength: maxReps }),
    customers: fc.uniqueArray(
      fc.record({
        customer_id: fc.integer({ min: 1, max: 100_000 }),
        collector_id: fc.constantFrom(...ids, 'X001'),
        district: fc.constantFrom(...DISTRICTS),
        collected_on: fc.constantFrom('2024-01-05', '2024-02-10', '2024-02-11', '2024-06-30'),
      }),
      { selector: (c) => c.customer_id, maxLength: maxCustomers },
    ),
    asOf: fc.constantFrom('2024-06-30', '2024-03-01', '2024-07-01'),
    share: fc.constantFrom(...SHARES),
    new_staff_days: fc.constantFrom(0, 30, 90, 400),
    default_capacity: fc.constantFrom(2, 5, 500),
    seed: fc.nat(),
  });
};

type World = {
  reps: Rep[];
  customers: CustomerToAssign[];
  asOf: string;
  share: [number, number];
  new_staff_days: number;
  default_capacity: number;
  seed: number;
};

function policyOf(w: World): AssignPolicy {
  return { new_staff_days: w.new_staff_days, new_staff_share: w.share[0] / w.share[1], default_capacity: w.default_capacity, on_time_window_days: 90 };
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const a = xs.slice();
  let s = seed >>> 0;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function filled(e: Explanation): boolean {
  const entry = (assignMessages as Record<string, { zh: string; en: string }>)[e.key as string];
  if (!entry) return false;
  return [entry.zh, entry.en].every((text) => [...text.matchAll(/\{(\w+)\}/g)].every((m) => m[1] in e.params));
}

/**
 * The regulation read literally, one rep at a time — slow and obviously right.
 * Returns one line per customer: "id staff rule tier key" or "id - unassigned".
 */
function model(customers: CustomerToAssign[], reps: Rep[], asOf: string, p: AssignPolicy, share: [number, number], leaver: string | null): string[] {
  const load = new Map(reps.map((r) => [r.staff_id, r.load]));
  const cap = (r: Rep) => r.capacity ?? p.default_capacity;
  const ratio = (r: Rep) => load.get(r.staff_id)! / cap(r);
  const rateKey = (x: number | null) => (x === null ? -1 : x);
  const active = reps.filter((r) => r.role === 'rep' && r.hired_on <= asOf && (r.left_on === null || asOf < r.left_on) && r.staff_id !== leaver);
  const isNew = (r: Rep) => daysBetween(r.hired_on, asOf) < p.new_staff_days;
  const rule4 = (a: Rep, b: Rep) =>
    ratio(a) - ratio(b) ||
    rateKey(b.on_time_rate) - rateKey(a.on_time_rate) ||
    rateKey(b.conversion_rate) - rateKey(a.conversion_rate) ||
    (a.staff_id < b.staff_id ? -1 : 1);
  const order = [...customers].sort((a, b) => (a.collected_on < b.collected_on ? -1 : a.collected_on > b.collected_on ? 1 : a.customer_id - b.customer_id));
  const out: string[] = [];
  let picked = 0;
  let given = 0;
  for (const c of order) {
    const collector = leaver === null ? active.find((r) => r.staff_id === c.collector_id) : undefined;
    if (collector) {
      out.push(`${c.customer_id} ${collector.staff_id} collector - assign.explain.collector`);
      load.set(collector.staff_id, load.get(collector.staff_id)! + 1);
      continue;
    }
    const open = active.filter((r) => load.get(r.staff_id)! < cap(r));
    if (open.length === 0) {
      out.push(`${c.customer_id} - unassigned`);
      continue;
    }
    const tierOf = (r: Rep) => nearness(c.district, r.district, r.areas);
    const t = Math.min(...open.map(tierOf));
    const tier = open.filter((r) => tierOf(r) === t);
    const fresh = tier.filter(isNew).sort((a, b) => ratio(a) - ratio(b) || (a.staff_id < b.staff_id ? -1 : 1));
    let pick: Rep;
    let rule: string;
    let key: string;
    if (given * share[1] < share[0] * (picked + 1) && fresh.length > 0) {
      [pick, rule, key] = [fresh[0], 'new_staff', `assign.explain.new_staff.${TIER_NAMES[t]}`];
    } else if (tier.length === 1) {
      [pick, rule, key] = [tier[0], 'nearness', `assign.explain.nearness.${TIER_NAMES[t]}`];
    } else {
      const [w, r] = tier.sort(rule4);
      const by =
        ratio(w) !== ratio(r) ? 'load' : w.on_time_rate !== r.on_time_rate ? 'on_time' : w.conversion_rate !== r.conversion_rate ? 'conversion' : 'staff_id';
      [pick, rule, key] = [w, 'workload', `assign.explain.workload.${TIER_NAMES[t]}.${by}`];
    }
    out.push(`${c.customer_id} ${pick.staff_id} ${leaver === null ? rule : 'handover'} ${t} ${key}`);
    picked++;
    if (isNew(pick)) given++;
    load.set(pick.staff_id, load.get(pick.staff_id)! + 1);
  }
  return out;
}

/** The engine's result in the model's notation. */
function lines(r: AssignResult): string[] {
  return [
    ...r.decisions.map((d) => `${d.customer_id} ${d.staff_id} ${d.rule} ${d.tier ?? '-'} ${String(d.explanation.key)}`),
    ...r.unassigned.map((u) => `${u.customer_id} - unassigned`),
  ];
}

function sortedById(xs: string[]): string[] {
  return [...xs].sort((a, b) => Number(a.split(' ')[0]) - Number(b.split(' ')[0]));
}

describe('§3.1 properties', () => {
  it('chooses exactly what the regulation read rep by rep chooses (owner, rule, tier, reason)', () => {
    fc.assert(
      fc.property(worldArb(12, 40), (w) => {
        const p = policyOf(w);
        const r = assignCustomers(w.customers, w.reps, w.asOf, p);
        expect(sortedById(lines(r))).toEqual(sortedById(model(w.customers, w.reps, w.asOf, p, w.share, null)));
        // and decisions come in processing order
        const processed = model(w.customers, w.reps, w.asOf, p, w.share, null).filter((l) => !l.endsWith('unassigned'));
        expect(r.decisions.map((d) => d.customer_id)).toEqual(processed.map((l) => Number(l.split(' ')[0])));
      }),
      { numRuns: 400 },
    );
  });

  it('matches the model on bigger books, where many reps share a place and loads fill up', () => {
    fc.assert(
      fc.property(worldArb(40, 300), (w) => {
        const p = policyOf(w);
        const r = assignCustomers(w.customers, w.reps, w.asOf, p);
        expect(sortedById(lines(r))).toEqual(sortedById(model(w.customers, w.reps, w.asOf, p, w.share, null)));
      }),
      { numRuns: 100 },
    );
  });

  it('is deterministic: same input twice, or customers and reps shuffled, gives the same result', () => {
    fc.assert(
      fc.property(worldArb(12, 40), (w) => {
        const p = policyOf(w);
        const first = assignCustomers(w.customers, w.reps, w.asOf, p);
        expect(assignCustomers(w.customers, w.reps, w.asOf, p)).toEqual(first);
        expect(assignCustomers(shuffled(w.customers, w.seed), shuffled(w.reps, w.seed ^ 0x5bd1e995), w.asOf, p)).toEqual(first);
      }),
    );
  });

  it('never assigns to an inactive rep or a non-rep, and every reason is a complete message', () => {
    fc.assert(
      fc.property(worldArb(12, 40), (w) => {
        const r = assignCustomers(w.customers, w.reps, w.asOf, policyOf(w));
        const byId = new Map(w.reps.map((x) => [x.staff_id, x]));
        for (const d of r.decisions) {
          const owner = byId.get(d.staff_id);
          expect(owner && isActiveRep(owner, w.asOf)).toBe(true);
          expect(owner!.role).toBe('rep');
          expect(filled(d.explanation)).toBe(true);
        }
        for (const u of r.unassigned) expect(filled(u.reason)).toBe(true);
      }),
    );
  });

  it('the collector rule always wins when it applies, and only then', () => {
    fc.assert(
      fc.property(worldArb(12, 40), (w) => {
        const r = assignCustomers(w.customers, w.reps, w.asOf, policyOf(w));
        const active = new Set(w.reps.filter((x) => isActiveRep(x, w.asOf)).map((x) => x.staff_id));
        const collector = new Map(w.customers.map((c) => [c.customer_id, c.collector_id]));
        for (const d of r.decisions) {
          const applies = active.has(collector.get(d.customer_id)!);
          expect(d.rule === 'collector').toBe(applies);
          if (applies) expect(d.staff_id).toBe(collector.get(d.customer_id));
        }
        for (const u of r.unassigned) expect(active.has(collector.get(u.customer_id)!)).toBe(false);
      }),
    );
  });

  it('every customer gets exactly one owner when an eligible rep exists', () => {
    fc.assert(
      fc.property(worldArb(12, 40), (w) => {
        const roomy: Rep = {
          staff_id: 'R999',
          role: 'rep',
          hired_on: '2020-01-01',
          left_on: null,
          district: '440106',
          areas: [],
          capacity: 1_000_000,
          load: 0,
          on_time_rate: null,
          conversion_rate: null,
        };
        const r = assignCustomers(w.customers, [...w.reps, roomy], w.asOf, policyOf(w));
        expect(r.unassigned).toEqual([]);
        expect(r.decisions.map((d) => d.customer_id).sort((a, b) => a - b)).toEqual(w.customers.map((c) => c.customer_id).sort((a, b) => a - b));
      }),
    );
  });

  it('without such a rep, every customer is either assigned once or unassigned once', () => {
    fc.assert(
      fc.property(worldArb(12, 40), (w) => {
        const r = assignCustomers(w.customers, w.reps, w.asOf, policyOf(w));
        const ids = [...r.decisions.map((d) => d.customer_id), ...r.unassigned.map((u) => u.customer_id)].sort((a, b) => a - b);
        expect(ids).toEqual(w.customers.map((c) => c.customer_id).sort((a, b) => a - b));
      }),
    );
  });

  it('rules 2–4 never push a rep past capacity; rule 1 may', () => {
    fc.assert(
      fc.property(worldArb(12, 40), (w) => {
        const p = policyOf(w);
        const r = assignCustomers(w.customers, w.reps, w.asOf, p);
        const reps = new Map(w.reps.map((x) => [x.staff_id, x]));
        const load = new Map(w.reps.map((x) => [x.staff_id, x.load]));
        for (const d of r.decisions) {
          const rep = reps.get(d.staff_id)!;
          if (d.rule !== 'collector') expect(load.get(d.staff_id)!).toBeLessThan(rep.capacity ?? p.default_capacity);
          load.set(d.staff_id, load.get(d.staff_id)! + 1);
        }
      }),
    );
  });
});

describe('§3.4 handover properties', () => {
  it('never to the leaver, always recorded as handover, otherwise §3.1 without rule 1', () => {
    fc.assert(
      fc.property(worldArb(12, 40), fc.nat(), (w, k) => {
        fc.pre(w.reps.length > 0);
        const leaver = w.reps[k % w.reps.length].staff_id;
        const p = policyOf(w);
        const r = handOver(leaver, w.customers, w.reps, w.asOf, p);
        for (const d of r.decisions) {
          expect(d.staff_id).not.toBe(leaver);
          expect(d.rule).toBe('handover');
          expect(d.sub_rule).toBeDefined();
          expect(String(d.explanation.key)).toContain(`.${d.sub_rule}.`);
        }
        expect(sortedById(lines(r))).toEqual(sortedById(model(w.customers, w.reps, w.asOf, p, w.share, leaver)));
      }),
      { numRuns: 300 },
    );
  });
});
