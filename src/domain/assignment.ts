/**
 * SPEC §3.1 assigning customers to reps (档案分配原则) and §3.4 handover when staff leave
 * (离职交接): a pure, deterministic rule engine over plain data. The store reads reps and
 * customers, calls `assignCustomers` / `handOver`, and writes the decisions.
 *
 * Scale: the store may pass 1,000,000 customers and 500 reps at once. Reps with the same
 * place (district + areas) are interchangeable for nearness, so they form a group with two
 * indexed heaps (all reps by rule 4's order, new reps by load); each distinct customer
 * district caches which groups sit in which tier. A pick compares only the heap tops of the
 * groups in the nearest tier, and an assignment re-sifts one rep in its own group.
 * Measured (node 20, 2-core box): see the micro-benchmark in the report / docs.
 */
import type { MessageKey } from '../messages/index.js';
import type { Policy } from './policy.js';
import { nearness, type Nearness } from './region.js';
import { daysBetween } from './values.js';

export type { Nearness } from './region.js';

export type AssignRule = 'pin' | 'collector' | 'nearness' | 'new_staff' | 'workload' | 'handover';
/** The rule of §3.1 that chose within rules 2–4 (a handover records which one chose). */
export type SubRule = 'nearness' | 'new_staff' | 'workload';

export interface Rep {
  staff_id: string;
  role: 'rep' | 'supervisor' | 'manager' | 'doctor' | 'gm';
  hired_on: string;
  left_on: string | null;
  district: string | null;
  areas: string[];
  /** blank: policy.default_capacity */
  capacity: number | null;
  /** customers currently owned (earlier runs included) */
  load: number;
  /** 0..1 over the last on_time_window_days; null = no tasks (ranks below any number) */
  on_time_rate: number | null;
  /** 0..1; null ranks below any number */
  conversion_rate: number | null;
}

export interface CustomerToAssign {
  customer_id: number;
  collector_id: string;
  district: string | null;
  collected_on: string;
}

export interface Explanation {
  key: MessageKey;
  params: Record<string, string | number>;
}

export interface Decision {
  customer_id: number;
  staff_id: string;
  rule: AssignRule;
  explanation: Explanation;
  /** nearness tier of the chosen rep (rules 2–4 and handover) */
  tier?: Nearness;
  /** which of rules 2–4 chose (set for rules 2–4 and handover) */
  sub_rule?: SubRule;
}

export interface AssignResult {
  decisions: Decision[];
  unassigned: { customer_id: number; reason: Explanation }[];
}

type Policy3_1 = Policy['assign'];
type TierName = 'county' | 'city' | 'province' | 'anywhere';
type Decider = 'load' | 'on_time' | 'conversion' | 'staff_id';

const TIER_NAMES: readonly TierName[] = ['county', 'city', 'province', 'anywhere'];
const DECIDERS: readonly Decider[] = ['load', 'on_time', 'conversion', 'staff_id'];

// Message keys built once (not per decision: a million decisions share these strings).
const NEARNESS_KEYS = TIER_NAMES.map((t) => `assign.explain.nearness.${t}` as const);
const NEW_STAFF_KEYS = TIER_NAMES.map((t) => `assign.explain.new_staff.${t}` as const);
const WORKLOAD_KEYS = TIER_NAMES.map((t) => {
  const keys = {} as Record<Decider, `assign.explain.workload.${TierName}.${Decider}`>;
  for (const d of DECIDERS) keys[d] = `assign.explain.workload.${t}.${d}`;
  return keys;
});

/** Active on `on`: role rep, hired on or before it, not yet left (left_on is the first day gone). */
export function isActiveRep(rep: Rep, on: string): boolean {
  return rep.role === 'rep' && rep.hired_on <= on && (rep.left_on === null || on < rep.left_on);
}

/** 3.1 rule 3: hired fewer than new_staff_days days before `on`. */
export function isNewRep(rep: Rep, on: string, policy: Policy3_1): boolean {
  return daysBetween(rep.hired_on, on) < policy.new_staff_days;
}

/** 3.1: capacity, blank → policy.default_capacity. */
export function capacityOf(rep: Rep, policy: Policy3_1): number {
  return rep.capacity ?? policy.default_capacity;
}

/**
 * 3.1 rule 5: the target of a pin must be a known, active rep on `asOf`. Returns the error
 * to show, or null when the pin is allowed. Capacity does not matter (the manager's call).
 */
export function validatePin(rep: Rep | undefined, asOf: string, staffId?: string): Explanation | null {
  if (!rep) return { key: 'assign.pin.unknown', params: { staff: staffId ?? '' } };
  const staff = rep.staff_id;
  if (rep.role !== 'rep') return { key: 'assign.pin.not_rep', params: { staff, role: rep.role } };
  if (rep.hired_on > asOf) return { key: 'assign.pin.not_hired', params: { staff, hired_on: rep.hired_on, date: asOf } };
  if (rep.left_on !== null && rep.left_on <= asOf) return { key: 'assign.pin.left', params: { staff, left_on: rep.left_on } };
  return null;
}

/** §3.1 rules 1–4 for customers without an owner (pinned customers are never passed in). */
export function assignCustomers(customers: CustomerToAssign[], reps: Rep[], asOf: string, policy: Policy3_1): AssignResult {
  return run(customers, reps, asOf, policy, null);
}

/**
 * §3.4: the leaver's customers go by §3.1 without rule 1 and never to the leaver (even when
 * asOf is before their left_on). Rule recorded 'handover'; `sub_rule` and the explanation
 * say which of rules 2–4 chose.
 */
export function handOver(
  leaverId: string,
  customers: CustomerToAssign[],
  reps: Rep[],
  asOf: string,
  policy: Policy3_1,
): AssignResult {
  return run(customers, reps, asOf, policy, leaverId);
}

// ---------------------------------------------------------------------------------------

interface Cand {
  rep: Rep;
  id: string;
  load: number;
  cap: number;
  isNew: boolean;
  onTime: number; // null → -Infinity: ranks below any number
  conv: number;
  onTimeText: string; // for explanations, formatted once
  convText: string;
  pos: [number, number]; // index in its group's [all, fresh] heaps, -1 when absent
  group: Group | null; // null when at capacity from the start
  collectorExpl?: Explanation;
  nearExpl?: (Explanation | undefined)[];
}

interface Group {
  all: RepHeap; // 3.1 rule 4 order
  fresh: RepHeap; // new reps, 3.1 rule 3 order
}

/** The groups of one nearness tier for one customer district, and how many reps they hold. */
interface TierList {
  groups: Group[];
  open: number;
}

// 3.1 rule 4: lowest load/capacity (exact: cross-multiplied), best on-time rate, best
// conversion rate, then staff_id (code-unit order, independent of locale).
function byWorkload(a: Cand, b: Cand): number {
  const d = a.load * b.cap - b.load * a.cap;
  if (d !== 0) return d;
  if (a.onTime !== b.onTime) return a.onTime > b.onTime ? -1 : 1;
  if (a.conv !== b.conv) return a.conv > b.conv ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// 3.1 rule 3: the least loaded new rep (load/capacity, then staff_id).
function byLoad(a: Cand, b: Cand): number {
  const d = a.load * b.cap - b.load * a.cap;
  if (d !== 0) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function decider(w: Cand, r: Cand): Decider {
  if (w.load * r.cap !== r.load * w.cap) return 'load';
  if (w.onTime !== r.onTime) return 'on_time';
  if (w.conv !== r.conv) return 'conversion';
  return 'staff_id';
}

/** Binary min-heap of reps that knows each rep's position, so a rep's key can change. */
class RepHeap {
  readonly items: Cand[] = [];
  constructor(
    private readonly cmp: (a: Cand, b: Cand) => number,
    private readonly slot: 0 | 1,
  ) {}

  push(c: Cand): void {
    c.pos[this.slot] = this.items.length;
    this.items.push(c);
    this.up(this.items.length - 1);
  }

  remove(c: Cand): void {
    const i = c.pos[this.slot];
    if (i < 0) return;
    c.pos[this.slot] = -1;
    const last = this.items.pop()!;
    if (i < this.items.length) {
      this.items[i] = last;
      last.pos[this.slot] = i;
      this.up(i);
      this.down(i);
    }
  }

  /** c's key grew (its load went up). */
  grew(c: Cand): void {
    const i = c.pos[this.slot];
    if (i >= 0) this.down(i);
  }

  private up(i: number): void {
    const a = this.items;
    const c = a[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.cmp(c, a[p]) >= 0) break;
      a[i] = a[p];
      a[i].pos[this.slot] = i;
      i = p;
    }
    a[i] = c;
    c.pos[this.slot] = i;
  }

  private down(i: number): void {
    const a = this.items;
    const n = a.length;
    const c = a[i];
    for (;;) {
      let k = 2 * i + 1;
      if (k >= n) break;
      if (k + 1 < n && this.cmp(a[k + 1], a[k]) < 0) k++;
      if (this.cmp(a[k], c) >= 0) break;
      a[i] = a[k];
      a[i].pos[this.slot] = i;
      i = k;
    }
    a[i] = c;
    c.pos[this.slot] = i;
  }
}

/** A share as an exact fraction num/den (den a power of ten up to 1e9), so 20% edges are exact. */
export function shareFraction(share: number): [number, number] {
  for (let den = 1; den <= 1e9; den *= 10) {
    const num = Math.round(share * den);
    if (Math.abs(num - share * den) <= den * 1e-12) return [num, den];
  }
  return [Math.round(share * 1e9), 1e9];
}

function percent(x: number): string {
  return `${+(x * 100).toFixed(1)}%`;
}

function rate(x: number | null): string {
  return x === null ? '—' : percent(x);
}

const byCustomerId = (a: CustomerToAssign, b: CustomerToAssign): number => a.customer_id - b.customer_id;

/**
 * 3.1: "in order of collected_on, then import order" — customer_id stands for import order.
 * A bucket per date, then ids within a date: linear for the usual few thousand dates.
 */
function inOrder(customers: CustomerToAssign[]): CustomerToAssign[] {
  const byDate = new Map<string, CustomerToAssign[]>();
  for (const c of customers) {
    const b = byDate.get(c.collected_on);
    if (b) b.push(c);
    else byDate.set(c.collected_on, [c]);
  }
  const out: CustomerToAssign[] = [];
  for (const date of [...byDate.keys()].sort()) {
    const b = byDate.get(date)!;
    for (let i = 1; i < b.length; i++) {
      if (b[i - 1].customer_id > b[i].customer_id) {
        b.sort(byCustomerId);
        break;
      }
    }
    for (const c of b) out.push(c);
  }
  return out;
}

function run(
  customers: CustomerToAssign[],
  reps: Rep[],
  asOf: string,
  policy: Policy3_1,
  leaver: string | null,
): AssignResult {
  const [num, den] = shareFraction(policy.new_staff_share);
  const share = percent(policy.new_staff_share);

  // 3.1 rule 2: candidates are the active reps (never the leaver, §3.4), grouped by place
  const byId = new Map<string, Cand>();
  const groups = new Map<string, { district: string | null; areas: string[]; group: Group }>();
  let active = 0;
  let open = 0; // active reps below capacity
  for (const rep of reps) {
    if (!isActiveRep(rep, asOf) || rep.staff_id === leaver || byId.has(rep.staff_id)) continue;
    const c: Cand = {
      rep,
      id: rep.staff_id,
      load: rep.load,
      cap: capacityOf(rep, policy),
      isNew: isNewRep(rep, asOf, policy),
      onTime: rep.on_time_rate ?? -Infinity,
      conv: rep.conversion_rate ?? -Infinity,
      onTimeText: rate(rep.on_time_rate),
      convText: rate(rep.conversion_rate),
      pos: [-1, -1],
      group: null,
    };
    byId.set(c.id, c);
    active++;
    // 3.1 rule 2: a rep whose load has reached capacity is no candidate
    if (c.load >= c.cap) continue;
    const areas = [...new Set(rep.areas)].sort();
    const sig = `${rep.district ?? ''}|${areas.join(',')}`;
    let g = groups.get(sig);
    if (!g) {
      g = { district: rep.district, areas, group: { all: new RepHeap(byWorkload, 0), fresh: new RepHeap(byLoad, 1) } };
      groups.set(sig, g);
    }
    c.group = g.group;
    g.group.all.push(c);
    if (c.isNew) g.group.fresh.push(c);
    open++;
  }

  // per distinct customer district: the groups of each nearness tier (0 county … 3 anywhere)
  const tierCache = new Map<string, TierList[]>();
  const listsOf = new Map<Group, TierList[]>(); // the tier lists a group is in (to keep `open` counts)
  const tiersFor = (district: string | null): TierList[] => {
    const key = district ?? '';
    let tiers = tierCache.get(key);
    if (!tiers) {
      tiers = [0, 1, 2, 3].map(() => ({ groups: [], open: 0 }));
      for (const g of groups.values()) {
        const list = tiers[nearness(district, g.district, g.areas)];
        list.groups.push(g.group);
        list.open += g.group.all.items.length;
        const ls = listsOf.get(g.group);
        if (ls) ls.push(list);
        else listsOf.set(g.group, [list]);
      }
      tierCache.set(key, tiers);
    }
    return tiers;
  };

  // one more customer for c: loads update within the run; at capacity it leaves the pool
  const bump = (c: Cand): void => {
    c.load++;
    const g = c.group;
    if (!g || c.pos[0] < 0) return;
    if (c.load >= c.cap) {
      g.all.remove(c);
      g.fresh.remove(c);
      open--;
      for (const list of listsOf.get(g) ?? []) list.open--;
    } else {
      g.all.grew(c);
      g.fresh.grew(c);
    }
  };

  const decisions: Decision[] = [];
  const unassigned: AssignResult['unassigned'] = [];
  let picked = 0; // customers assigned by rules 2–4 so far in this run
  let given = 0; // of them, given to new reps

  for (const cu of inOrder(customers)) {
    // 3.1 rule 1: the collector keeps it when an active rep on asOf — even at capacity (this rule wins)
    if (leaver === null) {
      const col = byId.get(cu.collector_id);
      if (col) {
        col.collectorExpl ??= Object.freeze({
          key: 'assign.explain.collector',
          params: Object.freeze({ staff: col.id }),
        });
        decisions.push({ customer_id: cu.customer_id, staff_id: col.id, rule: 'collector', explanation: col.collectorExpl });
        bump(col);
        continue;
      }
    }

    if (open === 0) {
      const reason: Explanation =
        active > 0
          ? { key: 'assign.unassigned.full', params: { n: active } }
          : leaver !== null
            ? { key: 'assign.unassigned.no_other_rep', params: { date: asOf, leaver } }
            : { key: 'assign.unassigned.no_rep', params: { date: asOf } };
      unassigned.push({ customer_id: cu.customer_id, reason });
      continue;
    }

    // 3.1 rule 2: the nearest non-empty tier is the candidate set (open > 0, so one exists)
    const tiers = tiersFor(cu.district);
    let t = 0;
    while (tiers[t].open === 0) t++;
    const tier = t as Nearness;
    const list = tiers[t];

    let pick: Cand | undefined;
    let sub: SubRule;
    let explanation: Explanation;

    // 3.1 rule 3: new staff get their share — given < share × (picked + 1), exactly
    if (given * den < num * (picked + 1)) {
      for (const g of list.groups) {
        const top = g.fresh.items[0];
        if (top && (!pick || byLoad(top, pick) < 0)) pick = top;
      }
    }
    if (pick) {
      sub = 'new_staff';
      explanation = {
        key: NEW_STAFF_KEYS[t],
        params: { given, of: picked + 1, share, staff: pick.id, hired_on: pick.rep.hired_on, load: pick.load, capacity: pick.cap },
      };
    } else if (list.open === 1) {
      // 3.1 rule 2: the nearest tier holds one rep
      for (const g of list.groups) pick ??= g.all.items[0];
      sub = 'nearness';
      pick!.nearExpl ??= [];
      explanation = pick!.nearExpl[t] ??= Object.freeze({
        key: NEARNESS_KEYS[t],
        params: Object.freeze({ staff: pick!.id }),
      });
    } else {
      // 3.1 rule 4: lowest load/capacity, best on-time, best conversion, staff_id
      let home: Group | undefined;
      for (const g of list.groups) {
        const top = g.all.items[0];
        if (top && (!pick || byWorkload(top, pick) < 0)) {
          pick = top;
          home = g;
        }
      }
      // the runner-up says which criterion decided: other groups' tops or the winner's heap children
      let second: Cand | undefined;
      const consider = (c: Cand | undefined) => {
        if (c && (!second || byWorkload(c, second) < 0)) second = c;
      };
      for (const g of list.groups) if (g !== home) consider(g.all.items[0]);
      consider(home!.all.items[1]);
      consider(home!.all.items[2]);
      const w = pick!;
      const by = decider(w, second!);
      sub = 'workload';
      // params: only what the message of the deciding criterion shows (a million of these)
      const n = list.open;
      explanation = {
        key: WORKLOAD_KEYS[t][by],
        params:
          by === 'load'
            ? { n, staff: w.id, load: w.load, capacity: w.cap }
            : by === 'on_time'
              ? { n, staff: w.id, load: w.load, capacity: w.cap, on_time: w.onTimeText }
              : by === 'conversion'
                ? { n, staff: w.id, conversion: w.convText }
                : { n, staff: w.id },
      };
    }

    const chosen = pick!;
    decisions.push({
      customer_id: cu.customer_id,
      staff_id: chosen.id,
      rule: leaver === null ? sub : 'handover',
      explanation,
      tier,
      sub_rule: sub,
    });
    picked++;
    if (chosen.isNew) given++;
    bump(chosen);
  }
  return { decisions, unassigned };
}
