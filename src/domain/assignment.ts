/**
 * SPEC §3.1 assigning customers to reps (档案分配原则) and §3.4 handover when staff leave
 * (离职交接): a pure, deterministic rule engine over plain data. The store reads reps and
 * customers, calls `assignCustomers` / `handOver`, and writes the decisions.
 *
 * Scale: the store may pass 1,000,000 customers and 500 reps at once; see the engine notes
 * below. Micro-benchmark (node 20, 2-core box, idle; one call, 1,000,000 customers / 500
 * reps / 50 districts, customers unsorted): all kept by their collector 1.1 s, result
 * +64 MB; all distributed by rules 2–4: 2.0 s (reps in the customers' districts) to 3.1 s
 * (every rep in a different far-away county: one 500-group tier), result +177 MB. Scanning
 * every group's best rep for each customer instead took 12.6 s on the last case.
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

/** A message key and its parameters. Shared between decisions where equal: read-only. */
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
// The engine. Reps with the same place (district + areas) are interchangeable for nearness:
// they form a Group holding two exact indexed heaps (all its open reps in rule 4's order,
// its new reps in rule 3's order). For each distinct customer district the groups fall
// into four tiers; a TierList (shared by every district whose tier holds the same groups)
// keeps lazy heaps over its groups' best reps. Loads only grow within a run, so a group's
// best only gets worse, and a stale snapshot is fixed when it reaches the top.

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
  id: number;
  district: string | null;
  areas: string[];
  all: RepHeap; // 3.1 rule 4 order
  fresh: RepHeap; // new reps, 3.1 rule 3 order
  lists: TierList[]; // the tier lists it is in, to keep their `open` counts
}

type Order = (a: Cand, aLoad: number, b: Cand, bLoad: number) => number;

// 3.1 rule 4: lowest load/capacity (exact: cross-multiplied), best on-time rate, best
// conversion rate, then staff_id (code-unit order, independent of locale).
const workloadOrder: Order = (a, al, b, bl) => {
  const d = al * b.cap - bl * a.cap;
  if (d !== 0) return d;
  if (a.onTime !== b.onTime) return a.onTime > b.onTime ? -1 : 1;
  if (a.conv !== b.conv) return a.conv > b.conv ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

// 3.1 rule 3: the least loaded new rep (load/capacity, then staff_id).
const newStaffOrder: Order = (a, al, b, bl) => {
  const d = al * b.cap - bl * a.cap;
  if (d !== 0) return d;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/** The first criterion of rule 4 on which the winner beats the runner-up. */
function decider(w: Cand, r: Cand): Decider {
  if (w.load * r.cap !== r.load * w.cap) return 'load';
  if (w.onTime !== r.onTime) return 'on_time';
  if (w.conv !== r.conv) return 'conversion';
  return 'staff_id';
}

/** The better of two reps by rule 4 (either may be missing). */
function better(a: Cand | null | undefined, b: Cand | null | undefined): Cand | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return workloadOrder(a, a.load, b, b.load) <= 0 ? a : b;
}

/** Binary min-heap of reps that knows each rep's position, so a rep's key can grow. */
class RepHeap {
  readonly items: Cand[] = [];
  constructor(
    private readonly order: Order,
    private readonly slot: 0 | 1,
  ) {}

  push(c: Cand): void {
    this.items.push(c);
    this.up(this.items.length - 1, c);
  }

  remove(c: Cand): void {
    const i = c.pos[this.slot];
    if (i < 0) return;
    c.pos[this.slot] = -1;
    const last = this.items.pop()!;
    if (i < this.items.length) {
      this.up(i, last);
      this.down(last.pos[this.slot]);
    }
  }

  /** c's load went up. */
  grew(c: Cand): void {
    const i = c.pos[this.slot];
    if (i >= 0) this.down(i);
  }

  private less(a: Cand, b: Cand): boolean {
    return this.order(a, a.load, b, b.load) < 0;
  }

  private up(i: number, c: Cand): void {
    const a = this.items;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(c, a[p])) break;
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
      if (k + 1 < n && this.less(a[k + 1], a[k])) k++;
      if (!this.less(a[k], c)) break;
      a[i] = a[k];
      a[i].pos[this.slot] = i;
      i = k;
    }
    a[i] = c;
    c.pos[this.slot] = i;
  }
}

/**
 * Lazy min-heap of groups by their best rep. Each slot keeps a snapshot (the group's best
 * rep and its load then); a group's best only gets worse, so a snapshot is a lower bound
 * and a stale one is refreshed and sifted down when it is looked at.
 */
class GroupHeap {
  private readonly groups: Group[] = [];
  private readonly reps: (Cand | null)[] = [];
  private readonly loads: number[] = [];
  constructor(
    private readonly order: Order,
    private readonly which: 'all' | 'fresh',
  ) {}

  add(g: Group): void {
    const top = g[this.which].items[0] ?? null;
    let i = this.groups.length;
    this.groups.push(g);
    this.reps.push(top);
    this.loads.push(top ? top.load : 0);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** The best rep of all groups, or null. */
  first(): Cand | null {
    return this.groups.length > 0 ? this.settle(0) : null;
  }

  /** The best rep of the groups other than the first one's (call after first()). */
  second(): Cand | null {
    const a = this.groups.length > 1 ? this.settle(1) : null;
    const b = this.groups.length > 2 ? this.settle(2) : null;
    if (!a) return b;
    if (!b) return a;
    return this.order(a, a.load, b, b.load) <= 0 ? a : b;
  }

  /** Refreshes slot i until its snapshot is current: then it is the best of its subtree. */
  private settle(i: number): Cand | null {
    for (;;) {
      const top = this.groups[i][this.which].items[0] ?? null;
      if (top === this.reps[i] && (top === null || top.load === this.loads[i])) return top;
      this.reps[i] = top;
      this.loads[i] = top ? top.load : 0;
      this.down(i);
    }
  }

  private less(i: number, j: number): boolean {
    const a = this.reps[i];
    const b = this.reps[j];
    if (!a) return false; // an empty group ranks last
    if (!b) return true;
    return this.order(a, this.loads[i], b, this.loads[j]) < 0;
  }

  private swap(i: number, j: number): void {
    const g = this.groups[i];
    this.groups[i] = this.groups[j];
    this.groups[j] = g;
    const r = this.reps[i];
    this.reps[i] = this.reps[j];
    this.reps[j] = r;
    const l = this.loads[i];
    this.loads[i] = this.loads[j];
    this.loads[j] = l;
  }

  private down(i: number): void {
    const n = this.groups.length;
    for (;;) {
      let k = 2 * i + 1;
      if (k >= n) return;
      if (k + 1 < n && this.less(k + 1, k)) k++;
      if (!this.less(k, i)) return;
      this.swap(i, k);
      i = k;
    }
  }
}

/** The groups of one nearness tier, how many open reps they hold, and their best reps. */
interface TierList {
  open: number;
  best: GroupHeap; // rule 4
  bestNew: GroupHeap; // rule 3
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
  const groups = new Map<string, Group>();
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
    // garbage in would be silent garbage out (NaN never compares): fail loudly instead
    if (!Number.isFinite(c.load) || !Number.isFinite(c.cap)) {
      throw new RangeError(`assignment: rep ${c.id} needs a numeric load and capacity (got ${rep.load}, ${rep.capacity})`);
    }
    byId.set(c.id, c);
    active++;
    // 3.1 rule 2: a rep whose load has reached capacity is no candidate
    if (c.load >= c.cap) continue;
    const areas = [...new Set(rep.areas)].sort();
    const place = `${rep.district ?? ''}|${areas.join(',')}`;
    let g = groups.get(place);
    if (!g) {
      g = {
        id: groups.size,
        district: rep.district,
        areas,
        all: new RepHeap(workloadOrder, 0),
        fresh: new RepHeap(newStaffOrder, 1),
        lists: [],
      };
      groups.set(place, g);
    }
    c.group = g;
    g.all.push(c);
    if (c.isNew) g.fresh.push(c);
    open++;
  }

  // per distinct customer district: its four tiers (0 county … 3 anywhere), as tier lists
  // shared by every district whose tier holds the same groups
  const tierCache = new Map<string, TierList[]>();
  const shared = new Map<string, TierList>();
  const tiersFor = (district: string | null): TierList[] => {
    const key = district ?? '';
    let tiers = tierCache.get(key);
    if (tiers) return tiers;
    const members: Group[][] = [[], [], [], []];
    for (const g of groups.values()) members[nearness(district, g.district, g.areas)].push(g);
    tiers = members.map((gs) => {
      const sig = gs.map((g) => g.id).join(',');
      let list = shared.get(sig);
      if (!list) {
        list = { open: 0, best: new GroupHeap(workloadOrder, 'all'), bestNew: new GroupHeap(newStaffOrder, 'fresh') };
        for (const g of gs) {
          list.open += g.all.items.length;
          list.best.add(g);
          if (g.fresh.items.length > 0) list.bestNew.add(g);
          g.lists.push(list);
        }
        shared.set(sig, list);
      }
      return list;
    });
    tierCache.set(key, tiers);
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
      for (const list of g.lists) list.open--;
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
    const list = tiers[t];
    const n = list.open;

    let pick: Cand | null = null;
    let sub: SubRule;
    let explanation: Explanation;
    // 3.1 rule 3: new staff get their share — given < share × (picked + 1), exactly
    if (given * den < num * (picked + 1)) pick = list.bestNew.first();
    if (pick) {
      sub = 'new_staff';
      explanation = {
        key: NEW_STAFF_KEYS[t],
        params: { given, of: picked + 1, share, staff: pick.id, hired_on: pick.rep.hired_on, load: pick.load, capacity: pick.cap },
      };
    } else if (n === 1) {
      // 3.1 rule 2: the nearest tier holds one rep
      pick = list.best.first()!;
      sub = 'nearness';
      pick.nearExpl ??= [];
      explanation = pick.nearExpl[t] ??= Object.freeze({
        key: NEARNESS_KEYS[t],
        params: Object.freeze({ staff: pick.id }),
      });
    } else {
      // 3.1 rule 4: lowest load/capacity, best on-time, best conversion, staff_id
      const w = list.best.first()!;
      pick = w;
      // the runner-up (next in the winner's group, or the best of the other groups) names
      // the criterion that decided
      const r = better(better(list.best.second(), w.group!.all.items[1]), w.group!.all.items[2]);
      const by = decider(w, r!);
      sub = 'workload';
      // params: only what the message of that criterion shows (there may be a million)
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

    decisions.push({
      customer_id: cu.customer_id,
      staff_id: pick.id,
      rule: leaver === null ? sub : 'handover',
      explanation,
      tier: t as Nearness,
      sub_rule: sub,
    });
    picked++;
    if (pick.isNew) given++;
    bump(pick);
  }
  return { decisions, unassigned };
}
