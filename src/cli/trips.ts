/**
 * `salesops trips import`, `expenses import`, `allowance` (SPEC §2, §3.3, §4) and, through
 * ./policy.ts, `policy show|load|export|list` (§6).
 *
 * `allowance` output:
 * - json / jsonl: one object per trip with the §4 keys (trip_no, staff_id, days, per_diem,
 *   claimed, reimbursable, advance, net_payable, flags, lines[kind, date, claimed,
 *   reimbursable, rule, flags]) plus paid_days, policy_effective_from, start_date, end_date,
 *   scope, client, report_due_on, and per line line_no, days (per-diem lines) and rule_text.
 * - csv / tsv: one row per priced line (per-diem lines included) with the trip's columns
 *   repeated on each row; the trip's totals keep their JSON names, the line's columns are
 *   prefixed `line_`. Summing `line_reimbursable` gives the reimbursable total.
 * - table: per trip a heading, its lines with the rule and flag texts, its totals and trip
 *   flags with their details; then a summary per staff and month (more than one trip).
 */
import type { Command } from 'commander';
import { t, getLang, type MessageKey } from '../messages/index.js';
import { tripMessages } from '../messages/trips.js';

const hasMessage = (key: string): boolean => Object.prototype.hasOwnProperty.call(tripMessages, key);
import { UserError, UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import { withImportFlags, printReport, progressPrinter, type ImportFlags } from './importCommand.js';
import { registerPolicy } from './policy.js';
import type { DB } from '../store/db.js';
import type { KindContext } from '../io/kind.js';
import { grouped } from '../io/numbers.js';
import { fenToYuanString } from '../domain/values.js';
import type { TripAllowance } from '../store/trips.js';
import type { Policy } from '../domain/policy.js';

/** Every class name a policy (the default or a stored one) mentions: the expenses import accepts them. */
function policyClasses(policies: readonly Policy[]): string[] {
  const out = new Set<string>();
  for (const p of policies) for (const c of [...p.travel.train.seat_classes, ...p.travel.train.sleeper_classes, ...p.travel.ship_classes]) out.add(c);
  return [...out];
}

/**
 * With --skip-invalid, the trips of the file that have an invalid line (trip_no → row
 * numbers): the same parse and checks as the import, in one pass before it, so the writer
 * can reject a bad trip's other lines too (a trip's lines go in together). A line that
 * repeats another exactly is invalid too unless `allowDuplicates` (the importer rejects
 * it). Any problem reading the file is left to the import, which reports it.
 */
async function badTrips(db: DB, file: string, flags: ImportFlags, kctx: KindContext, allowDuplicates: boolean): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  try {
    const fs = await import('node:fs');
    const { sniff } = await import('../io/sniff.js');
    const { parse } = await import('csv-parse/sync');
    const { mapHeader } = await import('../io/kind.js');
    const { kind } = await import('../io/kinds/expenses.js');
    const { expenseChecker } = await import('../store/trips.js');
    const sn = sniff(file, { encoding: flags.encoding, delimiter: flags.delimiter });
    const text = new TextDecoder(sn.encoding, { fatal: true }).decode(fs.readFileSync(file));
    const records = parse(text, { delimiter: sn.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    if (records.length === 0) return out;
    const header = records[0].record.map((h, i) => (i === 0 ? h.replace(/^\ufeff/, '') : h));
    const map = mapHeader(header, kind.columns);
    if (map.missing.length) return out;
    const check = expenseChecker(db);
    const seen = new Set<string>();
    for (const { record, info } of records.slice(1)) {
      if (record.every((c) => c.trim() === '')) continue;
      const cells = (key: string): string => {
        const i = map.index.get(key);
        return i === undefined ? '' : (record[i] ?? '').trim();
      };
      const tripNo = cells('trip_no');
      if (!tripNo) continue;
      const r = kind.parseRow(cells, kctx);
      let bad = !r.ok || check(r.value) !== null;
      if (r.ok && !allowDuplicates) {
        const key = kind.rowKey!(r.value)!;
        if (seen.has(key)) bad = true;
        seen.add(key);
      }
      if (bad) out.set(tripNo, [...(out.get(tripNo) ?? []), info.lines]);
    }
  } catch {
    return new Map();
  }
  return out;
}

const MONTH = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/;

/** `2024-07`, `2024/7`, `2024年7月` → first and last day. */
function monthRange(raw: string): { from: string; to: string; month: string } | null {
  const m = MONTH.exec(raw.trim());
  if (!m || +m[2] < 1 || +m[2] > 12) return null;
  const month = `${m[1]}-${m[2].padStart(2, '0')}`;
  const last = new Date(Date.UTC(+m[1], +m[2], 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}`, month };
}

const yuan = (fen: number) => grouped(fenToYuanString(fen));

/** A policy name (`hard_sleeper`, `company_car`) in words, when the catalogue has it; else as written. */
function named(prefix: 'allowance.class' | 'allowance.transport', name: string): string {
  const key = `${prefix}.${name}`;
  return hasMessage(key) ? t(key as MessageKey) : name;
}

function ruleText(rule: string, params: Record<string, string | number>): string {
  const p: Record<string, string | number> = { ...params };
  if (typeof p.class === 'string') p.class = named('allowance.class', p.class);
  if (typeof p.allowed === 'string') p.allowed = p.allowed.split(', ').map((c) => named('allowance.class', c)).join(getLang() === 'zh' ? '、' : ', ');
  if (typeof p.transport === 'string') p.transport = named('allowance.transport', p.transport);
  return t(`allowance.rule.${rule}` as MessageKey, p);
}

function flagText(flag: string): string {
  return t(`allowance.flag.${flag}` as MessageKey);
}

const DETAILED = new Set(['absence', 'advance_over_limit', 'report_late', 'report_missing']);

async function printAllowance(ctx: Ctx, rows: TripAllowance[]): Promise<void> {
  const { allowanceJson } = await import('../domain/allowance.js');
  const { DEFAULT_POLICY } = await import('../domain/policy.js');
  const { render, renderTable } = await import('../io/render.js');
  const { entry } = await import('../messages/index.js');

  if (ctx.format === 'json' || ctx.format === 'jsonl') {
    const json = rows.map(({ trip, priced }) => {
      const j = allowanceJson(priced);
      return {
        ...j,
        lines: j.lines.map((l, i) => ({ ...l, rule_text: ruleText(l.rule, priced.lines[i].params) })),
        start_date: trip.start_date,
        end_date: trip.end_date,
        scope: trip.scope,
        client: trip.client,
        report_due_on: priced.report_due_on,
      };
    });
    ctx.out(render([], [], { format: ctx.format, lang: ctx.lang, color: ctx.color, json }));
    return;
  }

  if (ctx.format === 'csv' || ctx.format === 'tsv') {
    const flat = rows.flatMap(({ trip, priced }) =>
      priced.lines.map((l) => ({
        trip_no: trip.trip_no,
        staff_id: trip.staff_id,
        staff_name: trip.staff_name,
        start_date: trip.start_date,
        end_date: trip.end_date,
        scope: trip.scope,
        client: trip.client,
        days: priced.days,
        paid_days: priced.paid_days,
        per_diem: priced.per_diem_fen,
        claimed: priced.claimed_fen,
        reimbursable: priced.reimbursable_fen,
        advance: priced.advance_fen,
        net_payable: priced.net_payable_fen,
        flags: priced.flags,
        policy_effective_from: priced.policy_effective_from,
        line_no: l.line_no,
        line_kind: l.kind,
        line_date: l.date,
        line_days: l.days ?? null,
        line_claimed: l.claimed_fen,
        line_reimbursable: l.reimbursable_fen,
        line_rule: l.rule,
        line_flags: l.flags,
        line_rule_text: ruleText(l.rule, l.params),
      })),
    );
    const keys: [string, import('../io/render.js').ColumnKind][] = [
      ['trip_no', 'text'], ['staff_id', 'text'], ['staff_name', 'text'], ['start_date', 'date'], ['end_date', 'date'], ['scope', 'text'],
      ['client', 'text'], ['days', 'int'], ['paid_days', 'int'], ['per_diem', 'money'], ['claimed', 'money'], ['reimbursable', 'money'],
      ['advance', 'money'], ['net_payable', 'money'], ['flags', 'list'], ['policy_effective_from', 'date'], ['line_no', 'int'],
      ['line_kind', 'text'], ['line_date', 'date'], ['line_days', 'int'], ['line_claimed', 'money'], ['line_reimbursable', 'money'],
      ['line_rule', 'text'], ['line_flags', 'list'], ['line_rule_text', 'text'],
    ];
    ctx.out(render(flat, keys.map(([key, kind]) => ({ key, kind })), { format: ctx.format, lang: ctx.lang, color: ctx.color }));
    return;
  }

  // table: per trip a heading, its lines, its totals and flags
  const lineColumns = [
    { key: 'line_no', header: entry('allowance.col.line_no'), kind: 'int' as const },
    { key: 'date', header: entry('allowance.col.date') },
    { key: 'kind', header: entry('allowance.col.kind') },
    { key: 'claimed', header: entry('allowance.col.claimed'), kind: 'money' as const },
    { key: 'reimbursable', header: entry('allowance.col.reimbursable'), kind: 'money' as const },
    { key: 'rule', header: entry('allowance.col.rule') },
    { key: 'flags', header: entry('allowance.col.flags') },
  ];
  const parts: string[] = [];
  for (const { trip, priced } of rows) {
    const when = (d: string, time: string | null) => (time ? `${d} ${time}` : d);
    let heading = t('allowance.heading', {
      trip_no: trip.trip_no,
      staff_id: trip.staff_id,
      name: trip.staff_name ?? '',
      start: when(trip.start_date, trip.start_time),
      end: when(trip.end_date, trip.end_time),
      days: priced.days,
      paid_days: priced.paid_days,
      scope: t(`allowance.scope.${trip.scope}` as MessageKey),
    });
    if (trip.client) heading += ' · ' + t('allowance.heading.client', { client: trip.client });
    const policyLine =
      priced.policy_effective_from === DEFAULT_POLICY.effective_from
        ? t('allowance.policy_default')
        : t('allowance.policy_version', { date: priced.policy_effective_from });
    const lines = priced.lines.map((l) => ({
      line_no: l.line_no,
      date: l.days && l.days > 1 ? `${l.date} +${l.days - 1}` : l.date,
      kind: t(`allowance.kind.${l.kind}` as MessageKey),
      claimed: l.claimed_fen,
      reimbursable: l.reimbursable_fen,
      rule: ruleText(l.rule, l.params),
      flags: l.flags.map(flagText).join(ctx.lang === 'zh' ? '；' : '; '),
    }));
    let text = `${heading}\n${policyLine}\n` + renderTable(lines, lineColumns, { lang: ctx.lang, color: ctx.color });
    text += t('allowance.totals', {
      per_diem: yuan(priced.per_diem_fen),
      claimed: yuan(priced.claimed_fen),
      reimbursable: yuan(priced.reimbursable_fen),
      advance: yuan(priced.advance_fen),
      net_payable: yuan(priced.net_payable_fen),
    });
    if (priced.net_payable_fen < 0) text += ' ' + t('allowance.owed_back', { amount: yuan(-priced.net_payable_fen) });
    text += '\n';
    if (priced.flags.length) {
      const params = { ...priced.params, advance: yuan(priced.advance_fen), as_of: ctx.asOf };
      const zh = ctx.lang === 'zh';
      const detail = (f: string) => t(`allowance.flag_detail.${f}` as MessageKey, params);
      const texts = priced.flags.map((f) => (DETAILED.has(f) ? (zh ? `${flagText(f)}（${detail(f)}）` : `${flagText(f)} (${detail(f)})`) : flagText(f)));
      text += t('allowance.trip_flags') + (zh ? '' : ' ') + texts.join(zh ? '；' : '; ') + '\n';
    }
    parts.push(text);
  }
  if (rows.length > 1) {
    // a summary per staff and month (of the trip's start)
    const groups = new Map<string, { staff_id: string; staff_name: string | null; month: string; trips: number; days: number; per_diem: number; claimed: number; reimbursable: number; advance: number; net_payable: number }>();
    const total = { staff_id: t('allowance.total_row'), staff_name: null, month: '', trips: 0, days: 0, per_diem: 0, claimed: 0, reimbursable: 0, advance: 0, net_payable: 0 };
    for (const { trip, priced } of rows) {
      const month = trip.start_date.slice(0, 7);
      const k = `${trip.staff_id}\u0000${month}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { staff_id: trip.staff_id, staff_name: trip.staff_name, month, trips: 0, days: 0, per_diem: 0, claimed: 0, reimbursable: 0, advance: 0, net_payable: 0 }));
      for (const x of [g, total]) {
        x.trips++;
        x.days += priced.days;
        x.per_diem += priced.per_diem_fen;
        x.claimed += priced.claimed_fen;
        x.reimbursable += priced.reimbursable_fen;
        x.advance += priced.advance_fen;
        x.net_payable += priced.net_payable_fen;
      }
    }
    const summary = [...groups.values()].sort((a, b) => (a.staff_id === b.staff_id ? a.month.localeCompare(b.month) : a.staff_id.localeCompare(b.staff_id)));
    parts.push(
      t('allowance.summary') +
        '\n' +
        renderTable([...summary, total], [
          { key: 'staff_id', header: entry('allowance.col.staff_id') },
          { key: 'staff_name', header: entry('allowance.col.staff_name') },
          { key: 'month', header: entry('allowance.col.month') },
          { key: 'trips', header: entry('allowance.col.trips'), kind: 'int' },
          { key: 'days', header: entry('allowance.col.days'), kind: 'int' },
          { key: 'per_diem', header: entry('allowance.col.per_diem'), kind: 'money' },
          { key: 'claimed', header: entry('allowance.col.claimed'), kind: 'money' },
          { key: 'reimbursable', header: entry('allowance.col.reimbursable'), kind: 'money' },
          { key: 'advance', header: entry('allowance.col.advance'), kind: 'money' },
          { key: 'net_payable', header: entry('allowance.col.net_payable'), kind: 'money' },
        ], { lang: ctx.lang, color: ctx.color }),
    );
  }
  ctx.out(parts.join('\n'));
}

export function registerTrips(program: Command): void {
  const trips = program.command('trips').description(t('trips.description'));
  withImportFlags(trips.command('import <file>').description(t('trips.import.description'))).action(
    action(async (ctx, file: string, flags: ImportFlags) => {
      const { openDb } = await import('../store/db.js');
      const { runImport } = await import('../io/importer.js');
      const { rosterIndex, staffCount } = await import('../store/staff.js');
      const { tripsWriter } = await import('../store/trips.js');
      const { changeLog } = await import('../store/changes.js');
      const db = openDb(ctx.dbPath);
      try {
        if (staffCount(db) === 0) throw new UserError(t('trips.no_roster'), t('trips.no_roster.hint'));
        const report = await runImport({
          file,
          kind: 'trips',
          db,
          writer: tripsWriter(db, changeLog(db, ctx.command)),
          ctx: { asOf: ctx.asOf, data: { roster: rosterIndex(db) } },
          ...flags,
          onProgress: progressPrinter(ctx),
        });
        const code = printReport(ctx, report);
        if (report.committed && report.new + report.updated > 0) ctx.info('trips.next_step');
        return code;
      } finally {
        db.close();
      }
    }),
  );

  const expenses = program.command('expenses').description(t('expenses.description'));
  withImportFlags(expenses.command('import <file>').description(t('expenses.import.description')))
    .option('--replace', t('expenses.flag.replace'))
    .option('--allow-duplicates', t('expenses.flag.allow_duplicates'))
    .action(
      action(async (ctx, file: string, opts: ImportFlags & { replace?: boolean; allowDuplicates?: boolean }) => {
        const { replace, allowDuplicates, ...flags } = opts;
        const { openDb } = await import('../store/db.js');
        const { runImport } = await import('../io/importer.js');
        const { rosterIndex } = await import('../store/staff.js');
        const { expensesWriter, tripCount } = await import('../store/trips.js');
        const { storedPolicies } = await import('../store/policy.js');
        const { DEFAULT_POLICY } = await import('../domain/policy.js');
        const { changeLog } = await import('../store/changes.js');
        const db = openDb(ctx.dbPath);
        try {
          if (tripCount(db) === 0) throw new UserError(t('expenses.no_trips'), t('expenses.no_trips.hint'));
          const kctx: KindContext = {
            asOf: ctx.asOf,
            data: { roster: rosterIndex(db), classes: policyClasses([DEFAULT_POLICY, ...storedPolicies(db)]) },
          };
          const bad = flags.skipInvalid ? await badTrips(db, file, flags, kctx, Boolean(allowDuplicates)) : new Map<string, number[]>();
          const writer = expensesWriter(db, { bad, replace: Boolean(replace), log: changeLog(db, ctx.command) });
          const report = await runImport({ file, kind: 'expenses', db, writer, ctx: kctx, ...flags, allowDuplicates: Boolean(allowDuplicates), onProgress: progressPrinter(ctx) });
          const code = printReport(ctx, report);
          if (report.committed && writer.removed.length) {
            ctx.info('expenses.lines_removed', {
              n: writer.removed.reduce((s, r) => s + r.lines, 0),
              trips: writer.removed.map((r) => r.trip_no).join(', '),
            });
          }
          if (report.committed && report.new + report.updated > 0) ctx.info('expenses.next_step', { month: ctx.asOf.slice(0, 7) });
          return code;
        } finally {
          db.close();
        }
      }),
    );

  program
    .command('allowance')
    .description(t('allowance.description'))
    .option('--month <YYYY-MM>', t('allowance.opt.month'))
    .option('--staff <id>', t('allowance.opt.staff'))
    .option('--trip <trip_no>', t('allowance.opt.trip'))
    .action(
      action(async (ctx, f: { month?: string; staff?: string; trip?: string }) => {
        const { openDb } = await import('../store/db.js');
        const { findStaff } = await import('../store/staff.js');
        const { priceTrips, tripExists } = await import('../store/trips.js');
        let range: { from: string; to: string } | null = null;
        if (f.month !== undefined) {
          range = monthRange(f.month);
          if (!range) throw new UsageError(t('allowance.bad_month', { value: f.month }));
        }
        const db = openDb(ctx.dbPath, { readonly: false });
        try {
          let staffId: string | undefined;
          if (f.staff !== undefined) {
            const s = findStaff(db, f.staff.trim());
            if (!s) throw new UserError(t('staff.unknown', { id: f.staff }), t('staff.unknown.hint'));
            staffId = s.staff_id;
          }
          if (f.trip !== undefined && !tripExists(db, f.trip.trim())) {
            throw new UserError(t('allowance.unknown_trip', { trip: f.trip }), t('allowance.unknown_trip.hint'));
          }
          const rows = priceTrips(db, { trip: f.trip?.trim(), staff_id: staffId, from: range?.from, to: range?.to }, ctx.asOf);
          if (rows.length === 0) ctx.info('allowance.no_trips');
          await printAllowance(ctx, rows);
        } finally {
          db.close();
        }
      }),
    );

  registerPolicy(program);
}
