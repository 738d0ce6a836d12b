/**
 * `salesops assign [--dry-run] [--explain]`, `assign set CUSTOMER STAFF --reason TEXT` and
 * `assign unpin CUSTOMER` — SPEC §3.1 through the pure engine of src/domain/assignment.ts.
 *
 * A run reads its inputs, calls the engine and writes every decision (owner, history row,
 * open rep tasks) in ONE immediate transaction; `--dry-run` reads and writes nothing.
 * Data (one row per customer assigned: customer_id, staff_id, rule, explanation) goes to
 * stdout after the commit, rendered in chunks so a million rows never sit in one string;
 * the per-rep summary, the totals and the customers left unassigned go to stderr. The table
 * form shows at most TABLE_MAX rows (and says so); csv/tsv/json/jsonl carry every row.
 * Exit 0 when something was assigned or nothing waited; 1 when customers wait and none
 * could be assigned (no active rep, or every active rep at capacity): nothing is written.
 */
import type { Command } from 'commander';
import { entry, t, type Lang, type MessageKey } from '../messages/index.js';
import { UserError, UsageError } from '../errors.js';
import { action, ask } from './run.js';
import type { Ctx } from './context.js';
import type { Column, Row } from '../io/render.js';
import type { DB } from '../store/db.js';
import type { AssignResult, CustomerToAssign, Decision, Explanation, Rep } from '../domain/assignment.js';

const CHUNK = 1000;
/** Most rows the table form shows (the history and the machine formats keep them all). */
const TABLE_MAX = 2000;

const COL = {
  customer_id: { key: 'customer_id', header: { zh: '顾客编号', en: 'customer_id' }, kind: 'int' },
  name: { key: 'name', header: { zh: '姓名', en: 'name' } },
  staff_id: { key: 'staff_id', header: { zh: '跟进人', en: 'staff_id' } },
  rule: { key: 'rule', header: { zh: '规则', en: 'rule' } },
  explanation: { key: 'explanation', header: { zh: '说明', en: 'explanation' } },
} satisfies Record<string, Column>;

/** §4: machine formats carry exactly these fields; the table adds the name and hides the reason unless --explain. */
function columnsFor(ctx: Ctx, explain: boolean): Column[] {
  if (ctx.format !== 'table') return [COL.customer_id, COL.staff_id, COL.rule, COL.explanation];
  return explain ? [COL.customer_id, COL.name, COL.staff_id, COL.rule, COL.explanation] : [COL.customer_id, COL.name, COL.staff_id, COL.rule];
}

const SUMMARY_COLUMNS: Column[] = [
  { key: 'staff_id', header: { zh: '工号', en: 'staff_id' } },
  { key: 'name', header: { zh: '姓名', en: 'name' } },
  { key: 'assigned', header: { zh: '本次分配', en: 'assigned' }, kind: 'int' },
  { key: 'collector', header: { zh: '收集人', en: 'collector' }, kind: 'int' },
  { key: 'nearness', header: { zh: '就近', en: 'nearness' }, kind: 'int' },
  { key: 'new_staff', header: { zh: '新员工', en: 'new_staff' }, kind: 'int' },
  { key: 'workload', header: { zh: '负载', en: 'workload' }, kind: 'int' },
  { key: 'load', header: { zh: '跟进总数', en: 'load' }, kind: 'int' },
  { key: 'capacity', header: { zh: '档案上限', en: 'capacity' }, kind: 'int' },
];

/**
 * Renders rows to stdout through src/io/render.ts, CHUNK rows at a time, producing the same
 * bytes as one render() call for csv/tsv/json/jsonl; the table form is one box of at most TABLE_MAX rows.
 */
async function emitRows(ctx: Ctx, total: number, rows: Iterable<Row>, columns: Column[]): Promise<void> {
  const { render } = await import('../io/render.js');
  const write = (s: string) => process.stdout.write(s);
  if (total === 0) {
    if (ctx.format === 'json') write('[]\n');
    else if (ctx.format === 'csv' || ctx.format === 'tsv') write(render([], columns, ctx));
    return;
  }
  if (ctx.format === 'table') {
    // a terminal table of a big run would be unreadable: the first TABLE_MAX rows, drawn by
    // io/boxTable.ts (cli-table3 took ~0.5 s per 1,000 rows), then how to get them all
    const { tableValue, RIGHT } = await import('../io/render.js');
    const { boxTable } = await import('../io/boxTable.js');
    const cells: string[][] = [];
    for (const r of rows) {
      if (cells.length === TABLE_MAX) break;
      cells.push(columns.map((c) => tableValue(r[c.key], c.kind ?? 'text', ctx.lang)));
    }
    write(
      boxTable({
        head: [columns.map((c) => (c.header ? c.header[ctx.lang] : c.key))],
        rows: cells,
        right: columns.map((c) => RIGHT.has(c.kind ?? 'text')),
        color: ctx.color,
      }),
    );
    return;
  }
  let chunk: Row[] = [];
  let index = 0;
  let sent = 0;
  const flush = () => {
    const text = render(chunk, columns, ctx);
    sent += chunk.length;
    const last = sent === total;
    switch (ctx.format) {
      case 'json': {
        const inner = text.slice(2, -3); // "[\n" … "\n]\n"
        write((index === 0 ? '[\n' : ',\n') + inner + (last ? '\n]\n' : ''));
        break;
      }
      case 'csv':
      case 'tsv':
        write(index === 0 ? text : text.slice(text.indexOf('\n') + 1));
        break;
      default:
        write(text);
    }
    index++;
    chunk = [];
  };
  for (const r of rows) {
    chunk.push(r);
    if (chunk.length === CHUNK) flush();
  }
  if (chunk.length) flush();
}

/**
 * Renders explanations in the chosen language exactly as t() does, with each message split
 * once into literal and placeholder parts (a million explanations: 0.3 s instead of 3 s);
 * shared (frozen) explanations are rendered once.
 */
function explainer(lang: Lang): (e: Explanation) => string {
  const compiled = new Map<string, string[]>();
  const cache = new WeakMap<Explanation, string>();
  return (e) => {
    const hit = cache.get(e);
    if (hit !== undefined) return hit;
    let parts = compiled.get(e.key);
    if (!parts) compiled.set(e.key, (parts = entry(e.key)[lang].split(/\{(\w+)\}/)));
    let text = parts[0];
    for (let i = 1; i < parts.length; i += 2) {
      const v = e.params[parts[i]];
      text += (v === undefined || v === null ? `{${parts[i]}}` : String(v)) + parts[i + 1];
    }
    if (Object.isFrozen(e)) cache.set(e, text);
    return text;
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
  /** decision indexes in customer_id order */
  order(decisions: Decision[]): Int32Array {
    const slot = new Int32Array(this.ids.length).fill(-1);
    for (let i = 0; i < decisions.length; i++) slot[this.rank(decisions[i].customer_id)] = i;
    const out = new Int32Array(decisions.length);
    let k = 0;
    for (let r = 0; r < slot.length; r++) if (slot[r] >= 0) out[k++] = slot[r];
    return out;
  }
}

/** A role in the chosen language. */
function roleWord(role: string): string {
  return ['rep', 'supervisor', 'manager', 'doctor', 'gm'].includes(role) ? t(`assign.role.${role}` as MessageKey) : role;
}

/** Why the collector did not keep the customer (rules 2–4 only run then), per collector, once. */
function collectorWhy(db: DB, asOf: string, getStaff: (db: DB, id: string) => { role: string; hired_on: string; left_on: string | null } | undefined) {
  const cache = new Map<string, string | null>();
  return (collectorId: string): string | null => {
    let why = cache.get(collectorId);
    if (why !== undefined) return why;
    const s = getStaff(db, collectorId);
    if (!s) why = null;
    else if (s.role !== 'rep') why = t('assign.why.collector_not_rep', { staff: collectorId, role: roleWord(s.role) });
    else if (s.left_on !== null) why = t(s.left_on <= asOf ? 'assign.why.collector_left' : 'assign.why.collector_leaving', { staff: collectorId, left_on: s.left_on });
    else if (s.hired_on > asOf) why = t('assign.why.collector_not_hired', { staff: collectorId, hired_on: s.hired_on });
    else why = null;
    cache.set(collectorId, why);
    return why;
  };
}

interface RuleCounts {
  collector: number;
  nearness: number;
  new_staff: number;
  workload: number;
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

/** Groups the customers left unassigned by reason: [reason text, count, first ids]. */
function unassignedGroups(result: AssignResult): { key: MessageKey; text: string; n: number; ids: number[] }[] {
  const groups = new Map<string, { key: MessageKey; text: string; n: number; ids: number[] }>();
  for (const u of result.unassigned) {
    const text = t(u.reason.key, u.reason.params);
    let g = groups.get(text);
    if (!g) groups.set(text, (g = { key: u.reason.key, text, n: 0, ids: [] }));
    g.n++;
    if (g.ids.length < 10) g.ids.push(u.customer_id);
  }
  return [...groups.values()];
}

export function registerAssign(program: Command): void {
  const assign = program
    .command('assign')
    .description(t('assign.description'))
    .option('--dry-run', t('assign.flag.dry_run'))
    .option('--explain', t('assign.flag.explain'));

  assign.action(
    action(async (ctx, f: { dryRun?: boolean; explain?: boolean }) => {
      const { openDb, inTransaction } = await import('../store/db.js');
      const store = await import('../store/assignments.js');
      const { assignCustomers } = await import('../domain/assignment.js');
      const { getStaff } = await import('../store/staff.js');
      const db = openDb(ctx.dbPath);
      try {
        const asOf = ctx.asOf;
        const explain = explainer(ctx.lang);
        const why = collectorWhy(db, asOf, getStaff);
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
        if (!f.dryRun) store.skipForeignKeyChecks(db);
        const run = f.dryRun
          ? db.transaction(compute).deferred()
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
              store.moveTasksToOwners(db, moves);
              return r;
            });

        if (!run) {
          ctx.info('assign.nothing');
          await emitRows(ctx, 0, [], columnsFor(ctx, Boolean(f.explain)));
          return 0;
        }
        const { result, reps, policy, byId } = run;
        const decisions = result.decisions;
        const groups = unassignedGroups(result);

        if (decisions.length === 0) {
          const g = groups[0];
          const hint = g.key === 'assign.unassigned.full' ? t('assign.full.hint') : t('assign.no_rep.hint');
          throw new UserError(t('assign.none_assigned', { n: run.waiting, reason: groups.map((x) => x.text).join('; ') }), hint);
        }

        // data: one row per customer assigned; the table adds the name, whose phone and ID numbers
        // are masked as in `customers list` (§5; assignments have no sealed column to reveal)
        const table = ctx.format === 'table';
        const { maskFreeText } = await import('../domain/masking.js');
        const nameOf = table ? store.customerNames(db) : null;
        const withText = !table || Boolean(f.explain);
        if (table && decisions.length > TABLE_MAX) {
          ctx.warn(t('assign.table_truncated', { shown: TABLE_MAX, n: decisions.length }));
        }
        await emitRows(
          ctx,
          decisions.length,
          (function* () {
            for (const d of decisions) {
              const row: Row = { customer_id: d.customer_id, staff_id: d.staff_id, rule: d.rule };
              if (nameOf) row.name = maskFreeText(nameOf(d.customer_id));
              if (withText) row.explanation = textOf(d, byId);
              yield row;
            }
          })(),
          columnsFor(ctx, Boolean(f.explain)),
        );

        // stderr: per-rep summary, totals, what was left
        const { total, perRep } = countRules(decisions);
        if (!ctx.quiet) {
          const { renderTable } = await import('../io/render.js');
          const { capacityOf } = await import('../domain/assignment.js');
          const repById = new Map<string, Rep>(reps.map((r) => [r.staff_id, r]));
          const names = new Map<string, string>();
          for (const id of perRep.keys()) names.set(id, getStaff(db, id)?.name ?? '');
          const rows: Row[] = [...perRep.entries()]
            .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
            .map(([id, c]) => {
              const rep = repById.get(id)!;
              const assigned = c.collector + c.nearness + c.new_staff + c.workload;
              return { staff_id: id, name: names.get(id), assigned, ...c, load: rep.load + assigned, capacity: capacityOf(rep, policy) };
            });
          process.stderr.write(t('assign.summary') + '\n' + renderTable(rows, SUMMARY_COLUMNS, { lang: ctx.lang, color: ctx.color }));
        }
        ctx.info(f.dryRun ? 'assign.dry_done' : 'assign.done', { n: decisions.length, date: asOf, ...total });
        for (const g of groups) {
          ctx.warn(t('assign.left_unassigned', { n: g.n, reason: g.text, ids: g.ids.map((i) => '#' + i).join(', ') + (g.n > g.ids.length ? ' …' : '') }));
        }
        if (groups.length) ctx.warn(t('cli.hint', { hint: groups.some((g) => g.key === 'assign.unassigned.full') ? t('assign.full.hint') : t('assign.no_rep.hint') }));
        return 0;
      } finally {
        db.close();
      }
    }),
  );

  assign
    .command('set [customer] [staff]')
    .description(t('assign.set.description'))
    .option('--reason <text>', t('assign.flag.reason'))
    .option('--name <name>', t('assign.flag.name'))
    .action(
      action(async (ctx, customerArg: string | undefined, staffArg: string | undefined, f: { reason?: string; name?: string }) => {
        const { openDb, inTransaction } = await import('../store/db.js');
        const store = await import('../store/assignments.js');
        const { validatePin } = await import('../domain/assignment.js');
        const { findStaff, listStaff } = await import('../store/staff.js');
        const { resolveCustomer } = await import('./customers.js');
        if (f.reason !== undefined && f.reason.trim() === '') throw new UsageError(t('assign.pin.empty_reason'), t('assign.pin.empty_reason.hint'));
        // without a terminal every missing value is a usage error naming it, before any work
        if (!ctx.interactive) {
          if (customerArg === undefined) await ask(ctx, 'CUSTOMER', 'assign.ask.customer');
          if (staffArg === undefined) await ask(ctx, 'STAFF', 'assign.ask.staff');
          if (f.reason === undefined) await ask(ctx, '--reason', 'assign.ask.reason');
        }
        const db = openDb(ctx.dbPath);
        try {
          const asOf = ctx.asOf;
          const customer = await resolveCustomer(db, customerArg ?? (await ask(ctx, 'CUSTOMER', 'assign.ask.customer')), f.name);
          let staffKey = staffArg;
          if (staffKey === undefined) {
            const active = listStaff(db, { role: 'rep', activeOn: asOf }).filter((s) => s.left_on === null);
            staffKey = await ask(ctx, 'STAFF', 'assign.ask.staff', active.length ? { choices: active.map((s) => s.staff_id) } : {});
          }
          const reason = (f.reason ?? (await ask(ctx, '--reason', 'assign.ask.reason'))).trim();

          // rule 5: the target must be an active rep on --as-of, and not a recorded leaver
          const staff = findStaff(db, staffKey);
          const bad = validatePin(staff && store.repOf(staff), asOf, staffKey);
          if (bad) {
            const hintKey = ({
              'assign.pin.unknown': 'assign.pin.unknown.hint',
              'assign.pin.not_rep': 'assign.pin.not_rep.hint',
              'assign.pin.not_hired': 'assign.pin.not_hired.hint',
              'assign.pin.left': 'assign.pin.left.hint',
            } as Record<string, MessageKey>)[bad.key as string];
            const params = 'role' in bad.params ? { ...bad.params, role: roleWord(String(bad.params.role)) } : bad.params;
            throw new UserError(t(bad.key, params), hintKey ? t(hintKey, bad.params) : undefined);
          }
          if (staff!.left_on !== null) {
            throw new UserError(t('assign.pin.leaving', { staff: staff!.staff_id, left_on: staff!.left_on }), t('assign.pin.left.hint'));
          }
          // §5: what is printed of the customer (name, reasons) has its phone and ID numbers masked
          const { maskFreeText } = await import('../domain/masking.js');
          if (customer.archived_on !== null) {
            throw new UserError(
              t('assign.pin.archived', { id: customer.customer_id, reason: maskFreeText(customer.archive_reason ?? '') }),
              t('assign.pin.archived.hint', { id: customer.customer_id }),
            );
          }
          const staffId = staff!.staff_id;
          if (customer.pinned === 1 && customer.owner_id === staffId && customer.pin_reason === reason) {
            ctx.info('assign.pin.unchanged', { id: customer.customer_id, staff: staffId });
            await emitRows(ctx, 0, [], columnsFor(ctx, true));
            return 0;
          }
          const explanation = t('assign.explain.pin', { reason });
          const { changeLog } = await import('../store/changes.js');
          inTransaction(db, () => {
            const before = store.pinState(db, customer.customer_id)!;
            store.setPin(db, customer.customer_id, reason);
            const changes = store.ownerChanges(db, asOf);
            changes.add({ customer_id: customer.customer_id, staff_id: staffId, previous_staff_id: customer.owner_id, rule: 'pin', explanation });
            changes.finish();
            store.moveTasksToOwners(db, [[customer.customer_id, staffId]]);
            // the change log (issue 13): owner and pin, old → new, as stored
            changeLog(db, ctx.command).record('customers', String(customer.customer_id), before, store.pinState(db, customer.customer_id)!, store.PIN_FIELDS);
          });
          // the reason is stored as typed; the echo masks it and the name
          const name = maskFreeText(customer.name);
          ctx.info('assign.pinned', { id: customer.customer_id, name, staff: staffId, previous: customer.owner_id ?? '—' });
          await emitRows(ctx, 1, [{ customer_id: customer.customer_id, name, staff_id: staffId, rule: 'pin', explanation: maskFreeText(explanation) }], columnsFor(ctx, true));
          return 0;
        } finally {
          db.close();
        }
      }),
    );

  assign
    .command('unpin <customer>')
    .description(t('assign.unpin.description'))
    .option('--name <name>', t('assign.flag.name'))
    .action(
      action(async (ctx, customerArg: string, f: { name?: string }) => {
        const { openDb, inTransaction } = await import('../store/db.js');
        const { setPin, pinState, PIN_FIELDS } = await import('../store/assignments.js');
        const { changeLog } = await import('../store/changes.js');
        const { resolveCustomer } = await import('./customers.js');
        const db = openDb(ctx.dbPath);
        try {
          const c = await resolveCustomer(db, customerArg, f.name);
          if (c.pinned !== 1) {
            ctx.info('assign.unpin.not_pinned', { id: c.customer_id });
            return 0;
          }
          inTransaction(db, () => {
            const before = pinState(db, c.customer_id)!;
            setPin(db, c.customer_id, null);
            changeLog(db, ctx.command).record('customers', String(c.customer_id), before, pinState(db, c.customer_id)!, PIN_FIELDS);
          });
          ctx.info('assign.unpinned', { id: c.customer_id, staff: c.owner_id ?? '—' });
          return 0;
        } finally {
          db.close();
        }
      }),
    );
}
