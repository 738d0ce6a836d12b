/**
 * `salesops events import`, `orders import` and `followups due|done|add|import` — customer
 * files, follow-up plans and the daily due list (SPEC §2, §3.2, §4).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { t, type MessageKey } from '../messages/index.js';
import { EXIT, UserError, UsageError } from '../errors.js';
import { action, ask } from './run.js';
import type { Ctx } from './context.js';
import { withImportFlags, printReport, progressPrinter, type ImportFlags } from './importCommand.js';
import type { Column } from '../io/render.js';
import type { DB } from '../store/db.js';
import type { ImportReport, RowWriter } from '../io/importer.js';
import { parseFollowUpRole, type Role } from '../domain/followUpPlan.js';
import { boxTable } from '../io/boxTable.js';
import { withRevealFlags, authorizeReveal, type RevealFlags } from './reveal.js';

/** Default row cap of the table form (a terminal); csv/tsv/json/jsonl list everything, streamed. */
export const TABLE_LIMIT = 1000;

async function importWith<T>(
  ctx: Ctx,
  file: string,
  flags: ImportFlags,
  kind: 'events' | 'followups' | 'orders',
  after: (committed: boolean) => void,
  makeWriter: (db: DB) => RowWriter<T> | Promise<RowWriter<T>>,
  /** corrects the report's counts before they are printed (followups: a row's outcome is known at the end) */
  adjust?: (report: ImportReport) => void,
): Promise<number> {
  const { openDb } = await import('../store/db.js');
  const { runImport } = await import('../io/importer.js');
  const { rosterIndex } = await import('../store/staff.js');
  const db = openDb(ctx.dbPath);
  try {
    const writer = await makeWriter(db);
    const report = await runImport({ file, kind, db, writer, ctx: { asOf: ctx.asOf, data: rosterIndex(db) }, ...flags, onProgress: progressPrinter(ctx) });
    adjust?.(report);
    const code = printReport(ctx, report);
    after(report.committed);
    return code;
  } finally {
    db.close();
  }
}

/** The change log of this command (issue 13): every correction an import makes, old → new. */
async function changeLogFor(db: DB, ctx: Ctx) {
  const { changeLog } = await import('../store/changes.js');
  return changeLog(db, ctx.command);
}

function parseRoleFlag(v: string): Role {
  const r = parseFollowUpRole(v);
  if (!r) throw new UsageError(t('followups.error.role', { value: v }), t('followups.error.role.hint'));
  return r;
}

async function staffArg(db: DB, v: string | undefined) {
  if (!v) return undefined;
  const { findStaff } = await import('../store/staff.js');
  const s = findStaff(db, v);
  if (!s) throw new UserError(t('staff.unknown', { id: v }), t('staff.unknown.hint'));
  return s;
}

async function dateFlag(flag: string, v: string): Promise<string> {
  const { parseDate } = await import('../domain/values.js');
  const d = parseDate(v);
  if (!d) throw new UsageError(t('cli.bad_date_flag', { flag, value: v }));
  return d;
}

/** In a script every missing value is a usage error naming its flag, before anything is read. */
async function requireFlags(ctx: Ctx, items: [unknown, string, MessageKey][]): Promise<void> {
  if (ctx.interactive) return;
  for (const [v, flag, key] of items) if (v === undefined) await ask(ctx, flag, key);
}

// ---------------------------------------------------------------------------------------
// followups due

const DUE_COLUMNS: Column[] = [
  { key: 'customer_id', header: { zh: '顾客编号', en: 'Customer' }, kind: 'int' },
  { key: 'customer_name', header: { zh: '顾客姓名', en: 'Name' } },
  { key: 'role', header: { zh: '回访人', en: 'Role' } },
  { key: 'seq', header: { zh: '次序', en: 'No.' }, kind: 'int' },
  { key: 'due_by', header: { zh: '截止日期', en: 'Due by' }, kind: 'date' },
  { key: 'overdue', header: { zh: '已逾期', en: 'Overdue' }, kind: 'bool' },
  { key: 'staff_id', header: { zh: '负责人', en: 'Staff' } },
  { key: 'phone', header: { zh: '电话', en: 'Phone' } },
  { key: 'days_overdue', header: { zh: '逾期天数', en: 'Days overdue' }, kind: 'int' },
  { key: 'plan', header: { zh: '回访计划', en: 'Plan' } },
  { key: 'task_id', header: { zh: '任务编号', en: 'Task' }, kind: 'int' },
  { key: 'note', header: { zh: '说明', en: 'Note' } },
];

interface DueOut {
  task_id: number;
  customer_id: number;
  customer_name: string;
  role: Role;
  seq: number;
  due_by: string;
  overdue: boolean;
  staff_id: string | null;
  phone: string;
  days_overdue: number;
  plan: string;
  note: string | null;
}

/** csv/tsv/json/jsonl written as the rows come, so a million-row list never sits in memory. */
async function streamOut(ctx: Ctx, rows: Iterable<DueOut>): Promise<void> {
  const { neutralizeFormula } = await import('../io/render.js');
  const { stringify } = await import('csv-stringify/sync');
  const keys = DUE_COLUMNS.map((c) => c.key) as (keyof DueOut)[];
  const fmt = ctx.format;
  const sep = fmt === 'tsv' ? '\t' : ',';
  const eol = fmt === 'csv' ? 'windows' : 'unix';
  const flat = (r: DueOut) =>
    keys.map((k) => {
      const v = r[k];
      if (v === null || v === undefined) return '';
      if (typeof v === 'boolean') return v ? 'true' : 'false';
      if (typeof v === 'number') return v;
      return neutralizeFormula(v);
    });
  const json = (r: DueOut) => {
    const o: Record<string, unknown> = {};
    for (const k of keys) o[k] = r[k] ?? null;
    return JSON.stringify(o);
  };
  let buf: string[] = [];
  let first = true;
  const write = (s: string) => process.stdout.write(s);
  if (fmt === 'csv' || fmt === 'tsv') write((fmt === 'csv' ? '\ufeff' : '') + stringify([keys], { delimiter: sep, record_delimiter: eol }));
  if (fmt === 'json') write('[');
  const flush = () => {
    if (buf.length === 0) return;
    if (fmt === 'json') write((first ? '\n' : ',\n') + buf.join(',\n'));
    else if (fmt === 'jsonl') write(buf.join('\n') + '\n');
    else write(buf.join(''));
    first = false;
    buf = [];
  };
  let batch: DueOut[] = [];
  for (const r of rows) {
    if (fmt === 'csv' || fmt === 'tsv') {
      batch.push(r);
      if (batch.length >= 500) {
        buf.push(stringify(batch.map(flat), { delimiter: sep, record_delimiter: eol }));
        batch = [];
        flush();
      }
    } else {
      buf.push(fmt === 'json' ? '  ' + json(r) : json(r));
      if (buf.length >= 500) flush();
    }
  }
  if (batch.length) buf.push(stringify(batch.map(flat), { delimiter: sep, record_delimiter: eol }));
  flush();
  if (fmt === 'json') write(first ? ']\n' : '\n]\n');
}

interface DueFlags extends RevealFlags {
  within?: string;
  staff?: string;
  unassigned?: boolean;
  role?: string;
  overdue?: boolean;
  failIfOverdue?: boolean;
  limit?: string;
}

async function dueCommand(ctx: Ctx, f: DueFlags): Promise<number> {
  let within: number | undefined;
  if (f.within !== undefined) {
    if (!/^\d{1,5}$/.test(f.within.trim())) throw new UsageError(t('followups.error.within', { value: f.within }));
    within = Number(f.within);
  }
  let limit = ctx.format === 'table' ? TABLE_LIMIT : 0;
  if (f.limit !== undefined) {
    if (!/^\d{1,9}$/.test(f.limit.trim())) throw new UsageError(t('followups.error.limit', { value: f.limit }));
    limit = Number(f.limit);
  }
  const role = f.role ? parseRoleFlag(f.role) : undefined;
  if (f.staff && f.unassigned) throw new UsageError(t('followups.error.staff_and_unassigned'));
  const { openDb } = await import('../store/db.js');
  const { dueTasks, policyVersions, followupPolicyOn } = await import('../store/followups.js');
  const { dueCutoff, isOverdue } = await import('../domain/followUpPlan.js');
  const { daysBetween, maskPhone } = await import('../domain/values.js');
  const { maskFreeText } = await import('../domain/masking.js');
  const db = openDb(ctx.dbPath);
  try {
    const staff = await staffArg(db, f.staff);
    // §5: phones, and phone/ID numbers typed into notes or names, are masked unless a GM approved a reveal (audited)
    const revealed = await authorizeReveal(db, f, 'reveal', `followups due ${JSON.stringify({ staff: staff?.staff_id, unassigned: f.unassigned, role, overdue: f.overdue })}`);
    within ??= followupPolicyOn(policyVersions(db), ctx.asOf).due_within_days;
    const cutoff = dueCutoff(ctx.asOf, within);
    // one row more than the limit tells whether the list was cut
    const it = dueTasks(db, { asOf: ctx.asOf, cutoff, staff: staff?.staff_id, unassigned: f.unassigned, role, overdueOnly: f.overdue, limit: limit ? limit + 1 : undefined });
    let count = 0;
    let overdue = 0;
    let truncated = false;
    const rows = function* (): Generator<DueOut> {
      for (const r of it) {
        if (limit && count === limit) {
          truncated = true;
          break;
        }
        const od = isOverdue(r.due_by, ctx.asOf);
        count++;
        if (od) overdue++;
        yield {
          task_id: r.task_id,
          customer_id: r.customer_id,
          customer_name: revealed ? r.customer_name : maskFreeText(r.customer_name),
          role: r.role,
          seq: r.seq,
          due_by: r.due_by,
          overdue: od,
          staff_id: r.staff_id,
          phone: revealed ? r.phone : maskPhone(r.phone),
          days_overdue: od ? daysBetween(r.due_by, ctx.asOf) : 0,
          plan: r.plan,
          note: revealed ? r.note : maskFreeText(r.note),
        };
      }
    };
    if (ctx.format === 'table') {
      const list = [...rows()];
      if (list.length) ctx.out(await dueTable(ctx, db, list));
    } else {
      await streamOut(ctx, rows());
    }
    if (count === 0) ctx.info('followups.due.none', { cutoff: f.overdue ? ctx.asOf : cutoff });
    else if (truncated) ctx.info('followups.due.truncated', { n: count });
    else ctx.info('followups.due.summary', { cutoff: f.overdue ? ctx.asOf : cutoff, count, overdue });
    if (f.failIfOverdue && overdue > 0) {
      ctx.warn(t('followups.due.fail_overdue', { n: overdue }));
      return EXIT.overdue;
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}


/**
 * The table form: one block per staff member (what each must do), unassigned last. Drawn by
 * io/boxTable.ts, not cli-table3: a thousand rows there take ~0.5 s of CPU, twice the budget
 * of the whole command (§7: due lists answer interactively).
 */
async function dueTable(ctx: Ctx, db: DB, rows: DueOut[]): Promise<string> {
  const { staffNames } = await import('../store/followups.js');
  const groups = new Map<string, DueOut[]>();
  for (const r of rows) {
    const k = r.staff_id ?? '';
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  const names = staffNames(db, keys.filter(Boolean));
  const role = (r: string) => t(`followups.role.${r}` as MessageKey);
  const plan = (p: string) => t(`followups.plan.${p}` as MessageKey);
  const withNote = rows.some((r) => r.note);
  const head = (['due_by', 'overdue', 'customer', 'name', 'phone', 'followup'] as const).map((k) => t(`followups.due.col.${k}`));
  const right = [false, false, true, false, false, false];
  if (withNote) {
    head.push(t('followups.due.col.note'));
    right.push(false);
  }
  const out: string[] = [];
  for (const k of keys) {
    const g = groups.get(k)!;
    const od = g.filter((r) => r.overdue).length;
    const heading = k
      ? t('followups.due.heading', { staff: k, name: names.get(k)?.name ?? '', count: g.length, overdue: od })
      : t('followups.due.heading_unassigned', { count: g.length, overdue: od });
    const cells = g.map((r) => {
      const late = r.overdue ? t('followups.due.days_overdue', { n: r.days_overdue }) : r.due_by === ctx.asOf ? t('followups.due.today') : '';
      const cols = [r.due_by, late, String(r.customer_id), r.customer_name, r.phone, `${role(r.role)} #${r.seq} · ${plan(r.plan)}`];
      if (withNote) cols.push(r.note ?? '');
      return cols;
    });
    const body = boxTable({ head: [head], rows: cells, right, color: ctx.color });
    out.push(heading + '\n' + body);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------
// followups done / add

interface DoneFlags {
  name?: string;
  role?: string;
  method?: string;
  note?: string;
  on?: string;
  staff?: string;
}

async function doneCommand(ctx: Ctx, customerArg: string | undefined, f: DoneFlags): Promise<number> {
  await requireFlags(ctx, [
    [customerArg, 'CUSTOMER', 'followups.prompt.customer'],
    [f.role, '--role', 'followups.prompt.role'],
    [f.method, '--method', 'followups.prompt.method'],
    [f.note, '--note', 'followups.prompt.note'],
  ]);
  const { parseMethod } = await import('../domain/followUpPlan.js');
  const { daysBetween } = await import('../domain/values.js');
  const doneOn = f.on ? await dateFlag('--on', f.on) : ctx.asOf;
  if (doneOn > ctx.asOf) throw new UserError(t('followups.error.future', { done_on: doneOn, as_of: ctx.asOf }), t('followups.error.future.hint'));
  const { openDb, inTransaction } = await import('../store/db.js');
  const { resolveCustomer } = await import('./customers.js');
  const { followUpRecorder } = await import('../store/followups.js');
  const db = openDb(ctx.dbPath);
  try {
    const c = await resolveCustomer(db, customerArg ?? (await ask(ctx, 'CUSTOMER', 'followups.prompt.customer')), f.name);
    const staff = await staffArg(db, f.staff);
    const role = parseRoleFlag(f.role ?? (await ask(ctx, '--role', 'followups.prompt.role', { choices: ['rep', 'doctor'] })));
    const methodRaw = f.method ?? (await ask(ctx, '--method', 'followups.prompt.method', { choices: ['phone', 'visit'] }));
    const method = parseMethod(methodRaw);
    if (!method) throw new UsageError(t('followups.error.method', { value: methodRaw }), t('followups.error.method.hint'));
    const note = (f.note ?? (await ask(ctx, '--note', 'followups.prompt.note'))).trim();
    if (!note) throw new UsageError(t('followups.error.note_required'), t('followups.error.note_required.hint'));
    const input = { customer_id: c.customer_id, role, done_on: doneOn, method, staff_id: staff?.staff_id ?? null, note };
    const r = inTransaction(db, () => followUpRecorder(db).record(input));
    const roleName = t(`followups.role.${role}`);
    if (r.kind === 'duplicate') ctx.info('followups.done.duplicate');
    else if (r.kind === 'extra') {
      if (r.before_plan) ctx.info('followups.done.before_plan', { done_on: doneOn, start: r.before_plan });
      else ctx.info('followups.done.extra', { role: roleName });
    } else if (r.late) ctx.info('followups.done.late', { role: roleName, seq: r.seq, due_by: r.due_by, days: daysBetween(r.due_by, doneOn) });
    else ctx.info('followups.done.on_time', { role: roleName, seq: r.seq, due_by: r.due_by });
    if (ctx.format === 'json' || ctx.format === 'jsonl') {
      const o = {
        customer_id: c.customer_id,
        role,
        done_on: doneOn,
        method,
        staff_id: r.kind === 'duplicate' ? input.staff_id : r.staff_id,
        result: r.kind,
        task_id: r.kind === 'matched' ? r.task_id : null,
        seq: r.kind === 'matched' ? r.seq : null,
        due_by: r.kind === 'matched' ? r.due_by : null,
        late: r.kind === 'matched' ? r.late : false,
      };
      ctx.out(ctx.format === 'json' ? JSON.stringify(o, null, 2) : JSON.stringify(o));
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}

interface AddFlags {
  name?: string;
  role?: string;
  due?: string;
  note?: string;
  staff?: string;
}

async function addCommand(ctx: Ctx, customerArg: string | undefined, f: AddFlags): Promise<number> {
  await requireFlags(ctx, [
    [customerArg, 'CUSTOMER', 'followups.prompt.customer'],
    [f.role, '--role', 'followups.prompt.role'],
    [f.due, '--due', 'followups.prompt.due_by'],
  ]);
  const { openDb, inTransaction } = await import('../store/db.js');
  const { resolveCustomer } = await import('./customers.js');
  const { addManualTask } = await import('../store/followups.js');
  const db = openDb(ctx.dbPath);
  try {
    const c = await resolveCustomer(db, customerArg ?? (await ask(ctx, 'CUSTOMER', 'followups.prompt.customer')), f.name);
    const role = parseRoleFlag(f.role ?? (await ask(ctx, '--role', 'followups.prompt.role', { choices: ['rep', 'doctor'] })));
    const dueBy = await dateFlag('--due', f.due ?? (await ask(ctx, '--due', 'followups.prompt.due_by')));
    const staff = await staffArg(db, f.staff);
    if (staff && role === 'doctor' && staff.role !== 'doctor') ctx.info('followups.staff_not_doctor', { staff: staff.staff_id, role: staff.role });
    // §3.2: rep tasks belong to the customer's owner; another holder would be lost on the next handover
    if (staff && role === 'rep' && staff.staff_id !== c.owner_id) {
      throw new UserError(t('followups.error.rep_not_owner', { staff: staff.staff_id, owner: c.owner_id ?? '—' }), t('followups.error.rep_not_owner.hint'));
    }
    const note = f.note?.trim() || null;
    const task = inTransaction(db, () => addManualTask(db, c, role, dueBy, staff?.staff_id ?? null, note, ctx.asOf));
    ctx.info('followups.add.added', { customer: c.customer_id, role: t(`followups.role.${role}`), seq: task.seq, due_by: dueBy });
    if (dueBy < ctx.asOf) ctx.info('followups.add.past', { due_by: dueBy, as_of: ctx.asOf });
    if (ctx.format === 'json' || ctx.format === 'jsonl') {
      // §5: the echo of the note is an output like any other: numbers masked (the note is stored as typed)
      const { maskFreeText } = await import('../domain/masking.js');
      const o = { task_id: task.task_id, customer_id: c.customer_id, role, seq: task.seq, plan: 'manual', due_by: dueBy, staff_id: task.staff_id, note: maskFreeText(note) };
      ctx.out(ctx.format === 'json' ? JSON.stringify(o, null, 2) : JSON.stringify(o));
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------

export function registerFollowups(program: Command): void {
  const events = program.command('events').description(t('events.description'));
  withImportFlags(events.command('import <file>').description(t('events.import.description'))).action(
    action(async (ctx, file: string, flags: ImportFlags) => {
      const { eventsWriter } = await import('../store/events.js');
      let w: ReturnType<typeof eventsWriter> | undefined;
      return importWith(
        ctx,
        file,
        flags,
        'events',
        (committed) => {
          if (!committed || !w) return;
          ctx.info('followups.plan.summary', { ...w.summary });
          if (w.summary.replanned || w.summary.removed) ctx.info('followups.plan.replanned', { ...w.summary });
          if (w.summary.linked) ctx.info('followups.plan.linked', { ...w.summary });
          if (w.orders.new || w.orders.updated || w.orders.removed) ctx.info('events.orders_summary', { ...w.orders });
        },
        async (db) => (w = eventsWriter(db, ctx.asOf, await changeLogFor(db, ctx))),
      );
    }),
  );

  const orders = program.command('orders').description(t('orders.description'));
  withImportFlags(orders.command('import <file>').description(t('orders.import.description'))).action(
    action(async (ctx, file: string, flags: ImportFlags) => {
      const { ordersWriter } = await import('../store/orders.js');
      let w: ReturnType<typeof ordersWriter> | undefined;
      return importWith(
        ctx,
        file,
        flags,
        'orders',
        (committed) => {
          if (committed && w && w.summary.upgraded) ctx.info('followups.plan.summary', { ...w.summary });
          if (committed && w && (w.summary.replanned || w.summary.removed)) ctx.info('followups.plan.replanned', { ...w.summary });
          if (committed && w && w.summary.linked) ctx.info('followups.plan.linked', { ...w.summary });
        },
        async (db) => (w = ordersWriter(db, ctx.asOf, await changeLogFor(db, ctx))),
      );
    }),
  );

  const followups = program.command('followups').description(t('followups.description'));

  withRevealFlags(
    followups
      .command('due')
      .description(t('followups.due.description'))
      .option('--within <days>', t('followups.flag.within'))
      .option('--staff <staff>', t('followups.flag.staff'))
      .option('--unassigned', t('followups.flag.unassigned'))
      .option('--role <role>', t('followups.flag.role'))
      .option('--overdue', t('followups.flag.overdue'))
      .option('--fail-if-overdue', t('followups.flag.fail_if_overdue'))
      .option('--limit <n>', t('followups.flag.limit')),
  ).action(action((ctx, f: DueFlags) => dueCommand(ctx, f)));

  followups
    .command('done [customer]')
    .description(t('followups.done.description'))
    .option('--name <name>', t('followups.flag.name'))
    .option('--role <role>', t('followups.flag.role_done'))
    .option('--method <method>', t('followups.flag.method'))
    .option('--note <text>', t('followups.flag.note'))
    .option('--on <date>', t('followups.flag.on'))
    .option('--staff <staff>', t('followups.flag.staff_done'))
    .action(action((ctx, customer: string | undefined, f: DoneFlags) => doneCommand(ctx, customer, f)));

  followups
    .command('add [customer]')
    .description(t('followups.add.description'))
    .option('--name <name>', t('followups.flag.name'))
    .option('--role <role>', t('followups.flag.role_done'))
    .option('--due <date>', t('followups.flag.due'))
    .option('--note <text>', t('followups.flag.note_add'))
    .option('--staff <staff>', t('followups.flag.staff_add'))
    .action(action((ctx, customer: string | undefined, f: AddFlags) => addCommand(ctx, customer, f)));

  withImportFlags(followups.command('import <file>').description(t('followups.import.description'))).action(
    action(async (ctx, file: string, flags: ImportFlags) => {
      const { followUpWriter } = await import('../store/followups.js');
      let w: ReturnType<typeof followUpWriter> | undefined;
      return importWith(
        ctx,
        file,
        flags,
        'followups',
        (committed) => {
          if (committed && w) ctx.info('followups.import.summary', { ...w.summary });
          if (committed && w && w.summary.corrected) ctx.info('followups.import.corrected', { ...w.summary });
          if (committed && w && w.summary.rematched) ctx.info('followups.import.rematched', { ...w.summary });
        },
        async (db) => (w = followUpWriter(db, { source: path.basename(file), asOf: ctx.asOf, log: await changeLogFor(db, ctx) })),
        (report) => {
          if (!w) return;
          const d = w.adjustment();
          report.new += d.new;
          report.updated += d.updated;
          report.unchanged += d.unchanged;
        },
      );
    }),
  );
}
