/**
 * `salesops kpi` (SPEC §3.5) and `salesops export KIND` (§4, §5): store aggregates → pure
 * KPI measures (domain/kpi.ts) → a table a manager reads at a glance, or csv/tsv/json/jsonl
 * with the §4 field names. Exports stream their rows (a million customers never sit in
 * memory) and mask personal data unless revealed with a GM's approval (audited).
 */
import type { Command } from 'commander';
import { once } from 'node:events';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import { withRevealFlags, type Approval, type RevealFlags } from './reveal.js';
import type { Column, ColumnKind, Row } from '../io/render.js';
import type { Format } from './options.js';
import type { DB } from '../store/db.js';
import type { DateRange, Period } from '../domain/kpi.js';
import type { Lang } from '../messages/index.js';
import { ansi, boxTable } from '../io/boxTable.js';

// ---------------------------------------------------------------------------------------
// Columns (§4 field names; headers for the table)

const h = (zh: string, en: string) => ({ zh, en });

/** §4 `kpi --by staff` fields after the key. */
const MEASURE_COLUMNS: Column[] = [
  { key: 'new_customers', header: h('新顾客', 'New\ncust.'), kind: 'int' },
  { key: 'files_opened', header: h('建档', 'Files'), kind: 'int' },
  { key: 'buyers', header: h('购买', 'Buyers'), kind: 'int' },
  { key: 'conversion_rate', header: h('成交率', 'Conv.'), kind: 'rate' },
  { key: 'orders', header: h('订单', 'Orders'), kind: 'int' },
  { key: 'sales_amount', header: h('销售额', 'Sales'), kind: 'money' },
  { key: 'sales_growth', header: h('环比', 'Growth'), kind: 'rate' },
  { key: 'followups_due', header: h('应回访', 'Due'), kind: 'int' },
  { key: 'followups_on_time', header: h('按时', 'On\ntime'), kind: 'int' },
  { key: 'on_time_rate', header: h('按时率', 'On-time\nrate'), kind: 'rate' },
  { key: 'overdue_open', header: h('逾期\n未访', 'Over-\ndue'), kind: 'int' },
  { key: 'travel_cost', header: h('差旅费', 'Travel'), kind: 'money' },
  { key: 'cost_per_order', header: h('单均\n差旅', 'Travel\n/order'), kind: 'money' },
];

/** What `--by team` adds. */
const TEAM_MEASURE_COLUMNS: Column[] = [
  { key: 'avg_headcount', header: h('平均\n人数', 'Avg\nHC'), kind: 'number' },
  { key: 'active_reps', header: h('出单\n人数', 'Active\nreps'), kind: 'int' },
  { key: 'activity_rate', header: h('活动率', 'Activ.\nrate'), kind: 'rate' },
  { key: 'per_capita_productivity', header: h('人均\n产值', 'Per\ncapita'), kind: 'money' },
  { key: 'regularisation_rate', header: h('转正率', 'Regul.\nrate'), kind: 'rate' },
  { key: 'attrition_rate', header: h('流失率', 'Attr.\nrate'), kind: 'rate' },
];

const STAFF_ID: Column = { key: 'staff_id', header: h('工号', 'Staff') };
const NAME: Column = { key: 'name', header: h('姓名', 'Name') };
const TEAM: Column = { key: 'team', header: h('团队', 'Team') };

export const KPI_STAFF_COLUMNS: Column[] = [STAFF_ID, TEAM, ...MEASURE_COLUMNS];
export const KPI_TEAM_COLUMNS: Column[] = [TEAM, ...MEASURE_COLUMNS, ...TEAM_MEASURE_COLUMNS];
const CLASS_MEASURES: Column[] = [
  { key: 'customers', header: h('顾客数', 'Customers'), kind: 'int' },
  { key: 'class_a', header: h('A 类', 'A'), kind: 'int' },
  { key: 'class_b', header: h('B 类', 'B'), kind: 'int' },
  { key: 'class_c', header: h('C 类', 'C'), kind: 'int' },
  { key: 'class_a_rate', header: h('A 类占比', 'A share'), kind: 'rate' },
];
export const CLASS_STAFF_COLUMNS: Column[] = [STAFF_ID, TEAM, ...CLASS_MEASURES];
export const CLASS_TEAM_COLUMNS: Column[] = [TEAM, ...CLASS_MEASURES];

/** The key a totals row carries in csv/tsv/json/jsonl (`staff_id` or `team`). */
export const TOTAL_KEY = 'TOTAL';

// ---------------------------------------------------------------------------------------
// Periods from flags

interface PeriodFlags {
  period?: string;
  from?: string;
  to?: string;
}

async function periodOf(f: PeriodFlags, asOf: string): Promise<Period> {
  const { parsePeriod } = await import('../domain/kpi.js');
  const r = parsePeriod(f, asOf);
  if (r.ok) return r.period;
  const e = r.error;
  switch (e.code) {
    case 'bad_period':
      throw new UsageError(t('kpi.bad_period', { value: e.value }), t('kpi.bad_period.hint'));
    case 'bad_date':
      throw new UsageError(t('cli.bad_date_flag', { flag: e.flag, value: e.value }));
    case 'to_without_from':
      throw new UsageError(t('kpi.to_without_from'), t('kpi.to_without_from.hint'));
    case 'period_and_range':
      throw new UsageError(t('kpi.period_and_range'));
    case 'from_after_to':
      throw new UsageError(t('kpi.from_after_to', { from: e.from, to: e.to }), t('kpi.from_after_to.hint'));
  }
}

type By = 'staff' | 'team';

function byOf(v: string | undefined): By {
  const s = (v ?? 'staff').trim().toLowerCase();
  if (s === 'staff' || s === 'rep' || s === 'reps' || s === '代表' || s === '员工') return 'staff';
  if (s === 'team' || s === 'teams' || s === '团队' || s === '部门') return 'team';
  throw new UsageError(t('kpi.bad_by', { value: v ?? '' }));
}

// ---------------------------------------------------------------------------------------
// Building a report

export interface Report {
  columns: Column[];
  /** the table adds the staff name after the id */
  tableColumns: Column[];
  rows: Row[];
  total: Row;
  /** the key column of the rows (staff_id or team) */
  key: 'staff_id' | 'team';
}

/** The KPI rows of a period (store aggregates → domain measures). */
export async function kpiReport(ctx: Ctx, db: DB, period: Period, by: By): Promise<Report> {
  const kpi = await import('../domain/kpi.js');
  const store = await import('../store/kpi.js');
  const range = kpi.countedRange(period, ctx.asOf);
  const comparison = kpi.comparisonRange(period, ctx.asOf);
  if (range) {
    const cut = range.to !== period.to ? t('kpi.heading.cut', { asOf: ctx.asOf }) : '';
    ctx.info('kpi.heading', { label: period.label, from: period.from, to: period.to, cut, pfrom: comparison!.from, pto: comparison!.to });
  } else ctx.info('kpi.not_started', { label: period.label, asOf: ctx.asOf });
  const roster = store.readRoster(db);
  const counts = range ? store.kpiCounts(db, range, comparison, ctx.asOf, await travelCost(db, range, ctx.asOf)) : new Map();
  const input = { roster, counts, range };
  if (by === 'team') {
    return {
      columns: KPI_TEAM_COLUMNS,
      tableColumns: KPI_TEAM_COLUMNS,
      rows: kpi.teamRows(input) as unknown as Row[],
      total: { ...kpi.teamTotal(input), team: TOTAL_KEY },
      key: 'team',
    };
  }
  return {
    columns: KPI_STAFF_COLUMNS,
    tableColumns: [STAFF_ID, NAME, TEAM, ...MEASURE_COLUMNS],
    rows: kpi.staffRows(input) as unknown as Row[],
    total: { staff_id: TOTAL_KEY, name: null, team: null, ...kpi.staffTotal(input) },
    key: 'staff_id',
  };
}

/** §3.5 travel cost: the reimbursable amount (§3.3, priced by the trips module) of the trips starting in the range, per traveller. */
async function travelCost(db: DB, range: DateRange, asOf: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const { hasTrips } = await import('../store/kpi.js');
  if (!hasTrips(db, range)) return out;
  for (const p of await pricedTrips(db, range, asOf)) out.set(p.staff_id, (out.get(p.staff_id) ?? 0) + p.reimbursable_fen);
  return out;
}

/** The trips starting in the range (all when null), priced, in order of start. */
async function pricedTrips(db: DB, range: DateRange | null, asOf: string) {
  const { priceTrips } = await import('../store/trips.js');
  return priceTrips(db, range ? { from: range.from, to: range.to } : {}, asOf).map((t) => t.priced);
}

async function policyAt(db: DB, date: string) {
  const { policyOn } = await import('../store/policy.js');
  return policyOn(db, date);
}

/** Customer classes per owner or team: 12 months of purchases up to the end of the counted range. */
export async function classReport(ctx: Ctx, db: DB, period: Period, by: By): Promise<Report> {
  const kpi = await import('../domain/kpi.js');
  const store = await import('../store/kpi.js');
  const { yuanToFen } = await import('../domain/policy.js');
  const on = period.to < ctx.asOf ? period.to : ctx.asOf;
  const pol = (await policyAt(db, on)).kpi;
  const window = kpi.classWindow(on, pol.class_window_months);
  ctx.info('kpi.classes.heading', { on, from: window.from, to: window.to, a: pol.class_a_min.toLocaleString('en-US'), b: pol.class_b_min.toLocaleString('en-US') });
  const counts = store.classCounts(db, window, { a_min_fen: yuanToFen(pol.class_a_min), b_min_fen: yuanToFen(pol.class_b_min) });
  const roster = new Map(store.readRoster(db).map((m) => [m.staff_id, m]));
  const zero = { customers: 0, class_a: 0, class_b: 0 };
  let total = zero;
  for (const c of counts.values()) total = kpi.addClassCounts(total, c);
  if (by === 'team') {
    const teams = new Map<string | null, typeof zero>();
    for (const [k, c] of counts) {
      const team = k === null ? null : roster.get(k)?.team ?? null;
      teams.set(team, kpi.addClassCounts(teams.get(team) ?? zero, c));
    }
    const rows = [...teams].sort(([a], [b]) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1)).map(([team, c]) => kpi.classRow({ team }, c));
    return { columns: CLASS_TEAM_COLUMNS, tableColumns: CLASS_TEAM_COLUMNS, rows: rows as unknown as Row[], total: kpi.classRow({ team: TOTAL_KEY }, total) as unknown as Row, key: 'team' };
  }
  const rows = [...counts]
    .map(([k, c]) => kpi.classRow({ staff_id: k, name: k === null ? null : roster.get(k)?.name ?? null, team: k === null ? null : roster.get(k)?.team ?? null }, c))
    .sort((a, b) => {
      const x = [a.team, a.staff_id ?? null];
      const y = [b.team, b.staff_id ?? null];
      for (let i = 0; i < 2; i++) {
        if (x[i] === y[i]) continue;
        if (x[i] === null) return 1;
        if (y[i] === null) return -1;
        return x[i]! < y[i]! ? -1 : 1;
      }
      return 0;
    });
  return {
    columns: CLASS_STAFF_COLUMNS,
    tableColumns: [STAFF_ID, NAME, TEAM, ...CLASS_MEASURES],
    rows: rows as unknown as Row[],
    total: kpi.classRow({ staff_id: TOTAL_KEY, name: null, team: null }, total) as unknown as Row,
    key: 'staff_id',
  };
}

// ---------------------------------------------------------------------------------------
// The table


const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en-US');
const percent = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A ratio as a percentage with one decimal, rounded half away from zero on the decimal value (0.2345 → 23.5%). */
export function percentText(r: number): string {
  const tenths = Math.round(Number((Math.abs(r) * 1000).toPrecision(12)));
  return `${percent.format((Math.sign(r) * tenths) / 10)}%`;
}
const RIGHT = new Set<ColumnKind>(['int', 'money', 'rate', 'number']);

/** One cell as a manager reads it: thousands separators, yuan with 2 decimals, rates as %, `—` for no value. */
export function cellText(v: unknown, kind: ColumnKind): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return RIGHT.has(kind) ? '—' : '';
  switch (kind) {
    case 'int':
      return whole.format(v as number);
    case 'money':
      return money.format(Math.round(v as number) / 100);
    case 'rate':
      return percentText(v as number);
    case 'number':
      return (v as number).toFixed(1);
    default:
      return String(v);
  }
}

export interface TableOptions {
  lang: Lang;
  /** colour (a terminal): headers cyan, borders grey, what is behind target red, the total bold */
  color: boolean;
  /** red when true (see domain behindTarget) */
  behind?: (key: string, value: unknown) => boolean;
}

/**
 * The boxed table (the same look as render.ts: cli-table3's compact style), drawn directly so
 * a cell can be red when behind target and the totals row sits under a rule of its own.
 */
export function kpiTable(rows: Row[], total: Row | null, columns: Column[], opts: TableOptions): string {
  const red = ansi(opts.color, 31, 39);
  const bold = ansi(opts.color, 1, 22);
  // a header may take two lines (`On\ntime`), so twenty columns still fit a wide terminal
  const headLines = columns.map((c) => (c.header ? c.header[opts.lang] : c.key).split('\n'));
  const depth = Math.max(...headLines.map((l) => l.length));
  const all = [...rows, ...(total ? [total] : [])];
  return boxTable({
    head: Array.from({ length: depth }, (_, i) => headLines.map((l) => l[i] ?? '')),
    rows: all.map((r) => columns.map((c) => cellText(r[c.key], c.kind ?? 'text'))),
    right: columns.map((c) => RIGHT.has(c.kind ?? 'text')),
    color: opts.color,
    ruleBefore: total ? rows.length : undefined,
    style: (s, n, i) => {
      const styled = opts.behind?.(columns[i].key, all[n][columns[i].key]) ? red(s) : s;
      return total && n === rows.length ? bold(styled) : styled;
    },
  });
}

/** The report as the chosen format: a table with labels, or the §4 fields (totals row keyed TOTAL unless --no-totals). */
async function printReport(ctx: Ctx, rep: Report, totals: boolean): Promise<void> {
  if (ctx.format === 'table') {
    const { behindTarget } = await import('../domain/kpi.js');
    const label = (r: Row): Row => ({
      ...r,
      ...(rep.key === 'staff_id' && r.staff_id === null ? { staff_id: t(r.customers !== undefined ? 'kpi.no_owner' : 'kpi.no_one') } : {}),
      ...(rep.key === 'team' && r.team === null ? { team: t('kpi.no_team') } : {}),
    });
    const total = { ...rep.total, [rep.key]: t('kpi.total') };
    if (rep.rows.length === 0 && !totals) {
      ctx.info('common.no_rows');
      return;
    }
    ctx.out(kpiTable(rep.rows.map(label), totals ? total : null, rep.tableColumns, { lang: ctx.lang, color: ctx.color && ctx.stdoutIsTTY, behind: behindTarget }));
    return;
  }
  const { render } = await import('../io/render.js');
  ctx.out(render(totals ? [...rep.rows, rep.total] : rep.rows, rep.columns, ctx));
}

// ---------------------------------------------------------------------------------------
// export

/** Export kinds that carry customers' personal data (names at least): every export is audited. */
const CUSTOMER_DATA: ReadonlySet<string> = new Set(['customers', 'events', 'files', 'tasks', 'followups', 'orders']);

const SEALED: Record<string, { reveal: string[]; health?: boolean; notes?: boolean }> = {
  customers: { reveal: ['phone', 'address', 'health'], health: true },
  tasks: { reveal: ['phone'] },
  followups: { reveal: ['phone', 'note'], notes: true },
};

const c = (key: string, kind?: ColumnKind): Column => (kind ? { key, kind } : { key });

/** The columns of each kind (csv headers and json keys); the sealed ones only when revealed. */
export function exportColumns(kind: string, revealed: boolean): Column[] {
  switch (kind) {
    case 'staff':
      return [c('staff_id'), c('name'), c('role'), c('team'), c('district'), c('areas'), c('hired_on', 'date'), c('regular_on', 'date'), c('left_on', 'date'), c('capacity', 'int')];
    case 'customers':
      return [
        c('customer_id', 'int'), c('survey_no'), c('name'), c('phone'), c('gender'), c('birth_year', 'int'), c('address'), c('district'),
        ...(revealed ? [c('health')] : []),
        c('collector_id'), c('collected_on', 'date'), c('owner_id'), c('assigned_on', 'date'), c('pinned', 'bool'), c('pin_reason'),
        c('archived_on', 'date'), c('archive_reason'), c('purchases_12m', 'money'), c('class'),
      ];
    case 'assignments':
      return [c('assignment_id', 'int'), c('customer_id', 'int'), c('staff_id'), c('previous_staff_id'), c('rule'), c('explanation'), c('assigned_on', 'date')];
    case 'events':
      return [c('event_id', 'int'), c('customer_id', 'int'), c('customer_name'), c('event_date', 'date'), c('event'), c('purchased', 'bool'), c('amount', 'money'), c('recorded_by')];
    case 'files':
      return [c('customer_id', 'int'), c('customer_name'), c('owner_id'), c('opened_on', 'date'), c('buyer', 'bool'), c('bought_on', 'date'), c('event'), c('recorded_by')];
    case 'tasks':
      return [
        c('task_id', 'int'), c('customer_id', 'int'), c('customer_name'), c('phone'), c('role'), c('seq', 'int'), c('plan'), c('due_by', 'date'),
        c('staff_id'), c('status'), c('done_on', 'date'), c('overdue', 'bool'), c('note'),
      ];
    case 'followups':
      return [
        c('followup_id', 'int'), c('customer_id', 'int'), c('customer_name'), c('phone'), c('role'), c('done_on', 'date'), c('method'),
        c('staff_id'), c('task_id', 'int'), c('late', 'bool'), ...(revealed ? [c('note')] : []),
      ];
    case 'orders':
      return [c('order_no'), c('customer_id', 'int'), c('customer_name'), c('order_date', 'date'), c('amount', 'money'), c('staff_id'), c('product'), c('source')];
    case 'trips':
      return [
        c('trip_no'), c('staff_id'), c('start_date', 'date'), c('start_time'), c('end_date', 'date'), c('end_time'), c('scope'), c('purpose'), c('client'),
        c('reviewed_by'), c('approved_by'), c('invited_by'), c('transport_provided'), c('advance', 'money'), c('report_on', 'date'),
        c('order_amount', 'money'), c('deal_closed', 'bool'), c('exempt', 'bool'),
      ];
    case 'expenses':
      return [
        c('trip_no'), c('line_no', 'int'), c('date', 'date'), c('time'), c('kind'), c('amount', 'money'), c('hours', 'number'), c('class'),
        c('standard_fare', 'money'), c('receipt', 'bool'), c('reason'), c('from'), c('to'), c('approved_by'),
      ];
    case 'allowances':
      return [
        c('trip_no'), c('staff_id'), c('days', 'int'), c('per_diem', 'money'), c('claimed', 'money'), c('reimbursable', 'money'),
        c('advance', 'money'), c('net_payable', 'money'), c('flags', 'list'),
      ];
    default:
      return [];
  }
}

/**
 * Where an export goes: stdout, or a file written under a temporary name (owner-only,
 * io/outputFile.ts) that takes its name only when complete — after the audit entry.
 */
interface Sink {
  write(s: string): Promise<void>;
  /** the file complete on disk, not yet under its name */
  flush(): void;
  close(): Promise<void>;
  abort(): Promise<void>;
}

async function openSink(out: string | undefined, dbPath: string): Promise<Sink> {
  if (!out) {
    return {
      async write(s) {
        if (!process.stdout.write(s)) await once(process.stdout, 'drain');
      },
      flush() {},
      async close() {},
      async abort() {},
    };
  }
  const { AtomicFile } = await import('../io/outputFile.js');
  const file = AtomicFile.open(out, { db: dbPath, what: 'export' });
  return {
    async write(s) {
      file.write(s);
    },
    flush: () => file.flush(),
    async close() {
      file.publish();
    },
    async abort() {
      file.abort();
    },
  };
}

type DataFormat = Exclude<Format, 'table'>;

/**
 * One CSV/TSV record with exactly the cells render.ts writes (same values, same quoting as
 * csv-stringify: a cell with the separator, a quote, CR or LF is quoted, quotes doubled),
 * without csv-stringify's per-record cost: a million customers export in a fraction of the
 * time. test/unit/kpi.test.ts checks it against render() on awkward values.
 */
export function csvRecord(row: Row, columns: Column[], sep: ',' | '\t', neutralize: (s: string) => string, yuan: (fen: number) => string): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += sep;
    const v = row[columns[i].key];
    if (v === undefined || v === null) continue;
    let cell: string;
    switch (columns[i].kind ?? 'text') {
      case 'money':
        cell = yuan(v as number);
        break;
      case 'rate':
        cell = Number.isFinite(v as number) ? String(Math.round((v as number) * 10000) / 10000) : '';
        break;
      case 'bool':
        cell = v ? 'true' : 'false';
        break;
      case 'list':
        cell = neutralize(Array.isArray(v) ? v.join(';') : String(v));
        break;
      case 'int':
      case 'number':
        cell = String(v);
        break;
      default:
        cell = neutralize(String(v));
    }
    if (cell.includes('"')) cell = '"' + cell.replaceAll('"', '""') + '"';
    else if (cell.includes(sep) || cell.includes('\n') || cell.includes('\r')) cell = '"' + cell + '"';
    line += cell;
  }
  return line;
}

/** Writes rows in chunks through the one renderer (same cells as every listing); returns the row count. */
async function writeRows(sink: Sink, rows: Iterable<Row>, columns: Column[], format: DataFormat, lang: Lang, json?: (r: Row) => unknown): Promise<number> {
  const { render, toJson } = await import('../io/render.js');
  const opts = { format, lang, color: false };
  const asJson = json ?? ((r: Row) => toJson(r, columns));
  let n = 0;
  if (format === 'json' || format === 'jsonl') {
    let buf = '';
    for (const r of rows) {
      const text = JSON.stringify(asJson(r));
      buf += format === 'jsonl' ? text + '\n' : (n === 0 ? '[\n  ' : ',\n  ') + text;
      n++;
      if (buf.length > 1 << 16) {
        await sink.write(buf);
        buf = '';
      }
    }
    if (format === 'json') buf += n === 0 ? '[]\n' : '\n]\n';
    await sink.write(buf);
    return n;
  }
  // the header (and the BOM of csv) from the renderer itself, then the records
  await sink.write(render([], columns, opts));
  const { neutralizeFormula } = await import('../io/render.js');
  const { fenToYuanString } = await import('../domain/values.js');
  const sep = format === 'tsv' ? '\t' : ',';
  const eol = format === 'csv' ? '\r\n' : '\n';
  let buf = '';
  for (const r of rows) {
    buf += csvRecord(r, columns, sep, neutralizeFormula, fenToYuanString) + eol;
    n++;
    if (buf.length > 1 << 16) {
      await sink.write(buf);
      buf = '';
    }
  }
  await sink.write(buf);
  return n;
}

function exportFormat(ctx: Ctx, out: string | undefined): DataFormat {
  if (ctx.formatGiven) {
    if (ctx.format === 'table') throw new UsageError(t('export.no_table'), t('export.no_table.hint'));
    return ctx.format;
  }
  const ext = out?.toLowerCase().match(/\.(json|jsonl|ndjson|tsv|csv)$/)?.[1];
  if (ext === 'json') return 'json';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'tsv') return 'tsv';
  return 'csv';
}

interface ExportFlags extends RevealFlags, PeriodFlags {
  out?: string;
  by?: string;
  classes?: boolean;
  totals?: boolean;
}

async function runExport(ctx: Ctx, kindArg: string, f: ExportFlags): Promise<void> {
  const store = await import('../store/kpi.js');
  const kind = kindArg.trim().toLowerCase();
  const kinds = store.EXPORT_KINDS as readonly string[];
  if (!kinds.includes(kind)) throw new UsageError(t('export.unknown', { kind: kindArg }), t('export.unknown.hint', { kinds: kinds.join(', ') }));
  const format = exportFormat(ctx, f.out);
  const by = byOf(f.by);
  const dated = f.period !== undefined || f.from !== undefined;
  const period = kind === 'kpi' || dated ? await periodOf(f, ctx.asOf) : null;
  if (dated && kind === 'staff') ctx.info('export.no_period', { kind });
  // a path that can never be written is refused before the database is opened
  if (f.out) (await import('../io/outputFile.js')).checkOutputPath(f.out, { db: ctx.dbPath, what: 'export' });
  const { openDb } = await import('../store/db.js');
  const db = openDb(ctx.dbPath);
  let sink: Sink | null = null;
  try {
    const sealed = SEALED[kind];
    const subject = `export ${kind}${period ? ' ' + period.label : ''} → ${f.out ?? 'stdout'}`;
    let approval: Approval | null = null;
    if (f.reveal && !sealed) ctx.info('export.no_sealed', { kind });
    else if (sealed) {
      const { checkReveal } = await import('./reveal.js');
      approval = await checkReveal(db, f);
      if (!approval) ctx.info('export.masked', { extra: sealed.health ? t('export.masked.health') : sealed.notes ? t('export.masked.notes') : '' });
    }
    const revealed = approval !== null;
    // §5 "every export with personal data", revealed (with its approval) or masked (customer
    // names leave even when phones are masked). Written once the file is complete and before
    // it takes its name, so an export that failed is never on record as done; to stdout the
    // rows leave as they are written, so the entry comes first.
    const audited = revealed || CUSTOMER_DATA.has(kind);
    const audit = async () => {
      if (!audited) return;
      const { appendAudit } = await import('../store/audit.js');
      appendAudit(db, {
        action: 'export',
        approved_by: approval?.approvedBy ?? null,
        reason: approval?.reason ?? null,
        subject: revealed ? subject : `${subject} (masked)`,
        detail: ctx.io.argv.join(' '),
      });
    };
    if (!f.out) await audit();
    sink = await openSink(f.out, ctx.dbPath);
    let n: number;
    if (kind === 'kpi') {
      const quiet = { ...ctx, info: () => {} };
      const rep = f.classes ? await classReport(quiet, db, period!, by) : await kpiReport(quiet, db, period!, by);
      n = await writeRows(sink, f.totals === false ? rep.rows : [...rep.rows, rep.total], rep.columns, format, ctx.lang);
    } else if (kind === 'allowances') {
      const { allowanceJson } = await import('../domain/allowance.js');
      const priced = await pricedTrips(db, period, ctx.asOf);
      const rows: Row[] = priced.map((p) => ({
        json: allowanceJson(p),
        trip_no: p.trip_no,
        staff_id: p.staff_id,
        days: p.days,
        per_diem: p.per_diem_fen,
        claimed: p.claimed_fen,
        reimbursable: p.reimbursable_fen,
        advance: p.advance_fen,
        net_payable: p.net_payable_fen,
        flags: p.flags,
      }));
      // json: §4 `allowance` objects, lines included; csv: one row per trip
      n = await writeRows(sink, rows, exportColumns(kind, false), format, ctx.lang, (r) => r.json);
    } else {
      n = await writeRows(sink, await exportStream(ctx, db, kind as Parameters<typeof store.exportRows>[1]['kind'], period, revealed), exportColumns(kind, revealed), format, ctx.lang);
    }
    if (f.out) {
      sink.flush();
      await audit();
    }
    await sink.close();
    sink = null;
    if (f.out) ctx.info('export.written', { n, kind, file: f.out });
  } finally {
    await sink?.abort();
    db.close();
  }
}

/** The rows of a table kind, masked unless revealed. */
async function exportStream(ctx: Ctx, db: DB, kind: Parameters<typeof import('../store/kpi.js').exportRows>[1]['kind'], period: DateRange | null, revealed: boolean): Promise<Iterable<Row>> {
  const store = await import('../store/kpi.js');
  const { maskCustomer, maskFreeText } = await import('../domain/masking.js');
  // §5: phone and ID numbers typed into free text are masked unless revealed; kinds with no
  // sealed columns (events, files, orders, assignments) cannot be revealed, so theirs always are.
  // Staff, trips and expenses hold no customer's data and are left as they are.
  const freeText: readonly string[] =
    ({
      customers: ['name', 'pin_reason', 'archive_reason'],
      tasks: ['customer_name', 'note'],
      followups: ['customer_name'],
      events: ['customer_name', 'event'],
      files: ['customer_name', 'event'],
      orders: ['customer_name', 'product'],
      assignments: ['explanation'],
    } as Record<string, string[]>)[kind] ?? [];
  const maskText = (r: Row): Row => {
    const o: Row = { ...r };
    for (const k of freeText) if (typeof o[k] === 'string') o[k] = maskFreeText(o[k] as string);
    return o;
  };
  const { maskPhone } = await import('../domain/values.js');
  let classOf: ((fen: number) => string) | undefined;
  let classWindow: DateRange | undefined;
  if (kind === 'customers') {
    const kpi = await import('../domain/kpi.js');
    const { yuanToFen } = await import('../domain/policy.js');
    const pol = (await policyAt(db, ctx.asOf)).kpi;
    classWindow = kpi.classWindow(ctx.asOf, pol.class_window_months);
    const th = { a_min_fen: yuanToFen(pol.class_a_min), b_min_fen: yuanToFen(pol.class_b_min) };
    classOf = (fen) => kpi.classOf(fen, th);
  }
  const rows = store.exportRows(db, { kind, range: period, asOf: ctx.asOf, classWindow });
  function* mapped(): Generator<Row> {
    for (const raw of rows) {
      const r = revealed || freeText.length === 0 ? raw : maskText(raw);
      if (kind === 'customers') {
        const withClass = { ...r, class: classOf!(r.purchases_12m as number) };
        yield revealed ? withClass : (maskCustomer(withClass as unknown as Row & { phone: string; address: string | null; district: string | null; health: string | null }) as Row);
      } else if ((kind === 'tasks' || kind === 'followups') && !revealed) {
        // masked like the listings; a follow-up's note (what was said, often health) is left out by
        // the columns; a task's note is shown with its numbers masked (above)
        yield { ...r, phone: maskPhone(String(r.phone)) };
      } else yield r;
    }
  }
  return mapped();
}

// ---------------------------------------------------------------------------------------
// Registration

export function registerKpi(program: Command): void {
  program
    .command('kpi')
    .description(t('kpi.description'))
    .option('--period <period>', t('kpi.flag.period'))
    .option('--from <date>', t('kpi.flag.from'))
    .option('--to <date>', t('kpi.flag.to'))
    .option('--by <staff|team>', t('kpi.flag.by'), 'staff')
    .option('--classes', t('kpi.flag.classes'))
    .option('--no-totals', t('kpi.flag.no_totals'))
    .action(
      action(async (ctx, f: PeriodFlags & { by?: string; classes?: boolean; totals?: boolean }) => {
        const by = byOf(f.by);
        const period = await periodOf(f, ctx.asOf);
        const { openDb } = await import('../store/db.js');
        const db = openDb(ctx.dbPath);
        // a month's files look up their owners across the customer index: keep its pages once read
        db.pragma('cache_size = -65536');
        try {
          const rep = f.classes ? await classReport(ctx, db, period, by) : await kpiReport(ctx, db, period, by);
          await printReport(ctx, rep, f.totals !== false);
        } finally {
          db.close();
        }
      }),
    );

  withRevealFlags(
    program
      .command('export <kind>')
      .description(t('export.description') + ' (staff|customers|assignments|events|files|tasks|followups|orders|trips|expenses|allowances|kpi)')
      .option('--out <file>', t('export.flag.out'))
      .option('--period <period>', t('export.flag.period'))
      .option('--from <date>', t('kpi.flag.from'))
      .option('--to <date>', t('kpi.flag.to'))
      .option('--by <staff|team>', t('kpi.flag.by'), 'staff')
      .option('--classes', t('kpi.flag.classes'))
      .option('--no-totals', t('kpi.flag.no_totals')),
  ).action(action(async (ctx, kind: string, f: ExportFlags) => runExport(ctx, kind, f)));
}
