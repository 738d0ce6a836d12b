/**
 * `assign [--dry-run]`: SPEC §3.1 rules 1–4 for every customer without an owner, through the
 * pure engine of src/domain/assignment.ts.
 *
 * A run reads its inputs, calls the engine and writes every decision (owner, history row,
 * open rep tasks) in ONE immediate transaction; a dry run reads in one snapshot and writes
 * nothing. It returns one row per customer assigned (customer_id, staff_id, rule, the
 * explanation; the name when asked), rendered lazily so a million rows never sit in memory
 * as text, and the per-rep summary. When customers wait and none could be assigned (no
 * active rep, or every active rep at capacity) it throws: nothing was written.
 */
import { UserError } from '../../errors.js';
import { t, type MessageKey } from '../../messages/index.js';
import type { DB } from '../../store/db.js';
import type { Listing, Notice } from '../listing.js';
import type { Row } from '../../io/output/column.js';
import { assignCustomers, capacityOf, type AssignResult, type CustomerToAssign, type Decision, type Rep } from '../../domain/assignment.js';
import * as store from '../../store/assignments.js';
import { getStaff } from '../../store/staff.js';
import { inTransaction } from '../../store/db.js';
import { assignColumns, SUMMARY_COLUMNS } from './columns.js';
import { collectorWhy, explainer } from './explain.js';

export interface AssignOptions {
  /** the run's date (--as-of): who is active, whose load, the assigned_on of each change */
  asOf: string;
  dryRun: boolean;
  /** the customer's name on each row (the table form) */
  names: boolean;
  /** the explanation on each row (the machine formats always; a table with --explain) */
  explain: boolean;
}

export interface AssignRun extends Listing {
  /** customers assigned (the rows) */
  total: number;
  /** per rep assigned to, in staff_id order: said on stderr after the rows */
  summary: Listing;
  /** reps the run leaves above capacity (§3.1 rule 1 may): said after the summary, even with --quiet */
  overCapacity: Notice[];
  /** after the summary: what was done (null when nothing waited) */
  done: Notice | null;
  /** what was left unassigned and what to do: said even with --quiet */
  warnings: Notice[];
}

type RuleCounts = Record<'collector' | 'nearness' | 'new_staff' | 'workload', number>;

/** A row of the per-rep summary (SUMMARY_COLUMNS): load is after the run. A type, not an interface: a listing's rows are plain records. */
type SummaryRow = RuleCounts & { staff_id: string; name: string; assigned: number; load: number; capacity: number };

export function runAssign(db: DB, o: AssignOptions): AssignRun {
  const { asOf } = o;
  const explain = explainer();
  const why = collectorWhy(asOf, (id) => getStaff(db, id));
  // §3.1: a decision by rules 2–4 says why the collector did not keep the customer
  const textOf = (d: Decision, byId: ById): string => {
    const base = explain(d.explanation);
    if (d.rule === 'collector') return base;
    const w = why(byId.collector(d.customer_id));
    return w ? explain({ key: 'assign.explain.because', params: { why: w, then: base } }) : base;
  };

  // read → engine → (write), all in one transaction; a dry run only reads
  const compute = () => {
    let customers: CustomerToAssign[] | null = store.readUnassigned(db);
    const waiting = customers.length;
    if (waiting === 0) return null;
    const policy = store.assignPolicyOn(db, asOf);
    const reps = store.readReps(db, asOf, policy);
    const result = assignCustomers(customers, reps, asOf, policy);
    const byId = new ById(customers);
    customers = null; // the compact copy is all that is needed from here on
    return { policy, reps, result, byId, waiting };
  };
  if (!o.dryRun) store.skipForeignKeyChecks(db);
  const run = o.dryRun
    ? store.inSnapshot(db, compute)
    : inTransaction(db, () => {
        const r = compute();
        if (!r || r.result.decisions.length === 0) return r;
        const decisions = r.result.decisions;
        const withTasks = store.unassignedWithOpenRepTasks(db);
        const changes = store.ownerChanges(db, asOf, decisions.length);
        const moves: [number, string][] = [];
        for (const i of r.byId.order(decisions)) {
          const d = decisions[i];
          changes.add({ customer_id: d.customer_id, staff_id: d.staff_id, previous_staff_id: null, rule: d.rule, explanation: textOf(d, r.byId) });
          if (withTasks.has(d.customer_id)) moves.push([d.customer_id, d.staff_id]);
        }
        changes.finish();
        store.moveTasksToOwners(db, moves, asOf, 'assign');
        return r;
      });

  const columns = assignColumns(o.names, o.explain);
  if (!run) {
    return { rows: [], columns, notices: [{ key: 'assign.nothing' }], total: 0, summary: { rows: [], columns: SUMMARY_COLUMNS }, overCapacity: [], done: null, warnings: [] };
  }
  const { result, reps, policy, byId } = run;
  const decisions = result.decisions;
  const groups = unassignedGroups(result);
  if (decisions.length === 0) {
    const full = groups[0].key === 'assign.unassigned.full';
    throw new UserError(t('assign.none_assigned', { n: run.waiting, reason: groups.map((x) => x.text).join('; ') }), t(full ? 'assign.full.hint' : 'assign.no_rep.hint'));
  }

  const nameOf = o.names ? store.customerNames(db) : null;
  const rows = (function* (): Generator<Row> {
    for (const d of decisions) {
      const row: Row = { customer_id: d.customer_id, staff_id: d.staff_id, rule: d.rule };
      if (nameOf) row.name = nameOf(d.customer_id);
      if (o.explain) row.explanation = textOf(d, byId);
      yield row;
    }
  })();

  const { total, perRep } = countRules(decisions);
  const repById = new Map<string, Rep>(reps.map((r) => [r.staff_id, r]));
  const summary: SummaryRow[] = [...perRep.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([id, c]) => {
      const rep = repById.get(id)!;
      const assigned = c.collector + c.nearness + c.new_staff + c.workload;
      return { staff_id: id, name: getStaff(db, id)?.name ?? '', assigned, ...c, load: rep.load + assigned, capacity: capacityOf(rep, policy) };
    });
  // issue 15: the collector keeps a customer even at capacity (§3.1 rule 1), so a run may
  // leave a rep it gave customers to above capacity; one who was already and got none is not this run's doing
  const overCapacity: Notice[] = summary
    .filter((r) => r.load > r.capacity)
    .map((r) => ({ key: o.dryRun ? 'plans.assign.over_capacity_dry' : 'plans.assign.over_capacity', params: { name: r.name, id: r.staff_id, load: r.load, capacity: r.capacity } }));
  const warnings: Notice[] = groups.map((g) => ({
    key: 'assign.left_unassigned',
    params: { n: g.n, reason: g.text, ids: g.ids.map((i) => '#' + i).join(', ') + (g.n > g.ids.length ? ' …' : '') },
  }));
  if (groups.length) {
    const full = groups.some((g) => g.key === 'assign.unassigned.full');
    warnings.push({ key: 'cli.hint', params: { hint: t(full ? 'assign.full.hint' : 'assign.no_rep.hint') } });
  }
  return {
    rows,
    columns,
    total: decisions.length,
    summary: { rows: summary, columns: SUMMARY_COLUMNS },
    overCapacity,
    done: { key: o.dryRun ? 'assign.dry_done' : 'assign.done', params: { n: decisions.length, date: asOf, ...total } },
    warnings,
  };
}

/** Customers of a run by id (sorted), compact: for the collector of a decision and the write order. */
class ById {
  readonly ids: Float64Array;
  readonly collectors: string[];
  constructor(customers: CustomerToAssign[]) {
    const sorted = customers.every((c, i) => i === 0 || customers[i - 1].customer_id < c.customer_id)
      ? customers
      : [...customers].sort((a, b) => a.customer_id - b.customer_id);
    this.ids = Float64Array.from(sorted, (c) => c.customer_id);
    this.collectors = sorted.map((c) => c.collector_id);
  }
  rank(id: number): number {
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.ids[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  collector(id: number): string {
    return this.collectors[this.rank(id)];
  }
  /** decision indexes in customer_id order (the write order: page locality, see store/assignments.ts ownerChanges) */
  order(decisions: Decision[]): Int32Array {
    const slot = new Int32Array(this.ids.length).fill(-1);
    for (let i = 0; i < decisions.length; i++) slot[this.rank(decisions[i].customer_id)] = i;
    const out = new Int32Array(decisions.length);
    let k = 0;
    for (let r = 0; r < slot.length; r++) if (slot[r] >= 0) out[k++] = slot[r];
    return out;
  }
}

function countRules(decisions: Decision[]): { total: RuleCounts; perRep: Map<string, RuleCounts> } {
  const total: RuleCounts = { collector: 0, nearness: 0, new_staff: 0, workload: 0 };
  const perRep = new Map<string, RuleCounts>();
  for (const d of decisions) {
    const r = d.rule as keyof RuleCounts;
    let c = perRep.get(d.staff_id);
    if (!c) perRep.set(d.staff_id, (c = { collector: 0, nearness: 0, new_staff: 0, workload: 0 }));
    c[r]++;
    total[r]++;
  }
  return { total, perRep };
}

interface Group {
  key: MessageKey;
  text: string;
  n: number;
  /** the first ten customers of the group */
  ids: number[];
}

/** The customers left unassigned, grouped by reason. */
function unassignedGroups(result: AssignResult): Group[] {
  const groups = new Map<string, Group>();
  for (const u of result.unassigned) {
    const text = t(u.reason.key, u.reason.params);
    let g = groups.get(text);
    if (!g) groups.set(text, (g = { key: u.reason.key, text, n: 0, ids: [] }));
    g.n++;
    if (g.ids.length < 10) g.ids.push(u.customer_id);
  }
  return [...groups.values()];
}
