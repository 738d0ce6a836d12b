/**
 * `trips import` and `expenses import` (SPEC §2) as use cases: the file through the importer
 * (its one transaction) into the store's writers (src/store/trips.ts, which says how a
 * re-import stays idempotent), and what to say after the report.
 */
import { UserError } from '../errors.js';
import { t } from '../messages/index.js';
import type { DB } from '../store/db.js';
import type { ImportOptions, ImportReport } from '../io/importer.js';
import type { KindContext } from '../io/kind.js';
import type { Policy } from '../domain/policy.js';
import type { Notice } from './listing.js';

/** An import as asked: the file and the shared import flags, the day and the command line (change log). */
export type ImportRun = Omit<ImportOptions<unknown>, 'kind' | 'db' | 'writer' | 'ctx' | 'allowDuplicates'> & {
  asOf: string;
  command: string;
};

export interface ImportDone {
  report: ImportReport;
  /** said after the report */
  notices: Notice[];
}

/** trips.csv: upsert by trip_no; the travellers and signatures are recognised on the roster. */
export async function importTrips(db: DB, o: ImportRun): Promise<ImportDone> {
  const { runImport } = await import('../io/importer.js');
  const { rosterIndex, staffCount } = await import('../store/staff.js');
  const { tripsWriter } = await import('../store/trips.js');
  const { changeLog } = await import('../store/changes.js');
  if (staffCount(db) === 0) throw new UserError(t('trips.no_roster'), t('trips.no_roster.hint'));
  const { asOf, command, ...flags } = o;
  const report = await runImport({
    ...flags,
    kind: 'trips',
    db,
    writer: tripsWriter(db, changeLog(db, command)),
    ctx: { asOf, data: { roster: rosterIndex(db) } },
  });
  // issue 15: the month of the trips imported (the latest start), not --as-of's
  const month = (report.latestDate ?? asOf).slice(0, 7);
  return { report, notices: report.committed && report.new + report.updated > 0 ? [{ key: 'trips.next_step', params: { month } }] : [] };
}

export interface ExpensesRun extends ImportRun {
  /** a file giving a trip fewer lines than are stored removes the rest */
  replace?: boolean;
  /** lines that repeat another exactly are imported (two identical bus tickets) */
  allowDuplicates?: boolean;
}

/** expenses.csv: the lines a file gives for a trip are its lines, as a set (store/trips.ts). */
export async function importExpenses(db: DB, o: ExpensesRun): Promise<ImportDone> {
  const { runImport } = await import('../io/importer.js');
  const { rosterIndex } = await import('../store/staff.js');
  const { expensesWriter, tripCount, tripStarts } = await import('../store/trips.js');
  const { storedPolicies } = await import('../store/policy.js');
  const { DEFAULT_POLICY } = await import('../domain/policy.js');
  const { changeLog } = await import('../store/changes.js');
  if (tripCount(db) === 0) throw new UserError(t('expenses.no_trips'), t('expenses.no_trips.hint'));
  const { asOf, command, replace, allowDuplicates, ...flags } = o;
  const kctx: KindContext = {
    asOf,
    data: { roster: rosterIndex(db), classes: policyClasses([DEFAULT_POLICY, ...storedPolicies(db)]), tripStarts: tripStarts(db) },
  };
  const bad = flags.skipInvalid ? await badTrips(db, flags, kctx, Boolean(allowDuplicates)) : new Map<string, number[]>();
  const writer = expensesWriter(db, { bad, replace: Boolean(replace), log: changeLog(db, command) });
  const report = await runImport({ ...flags, kind: 'expenses', db, writer, ctx: kctx, allowDuplicates: Boolean(allowDuplicates) });
  const notices: Notice[] = [];
  if (report.committed && writer.removed.length) {
    notices.push({
      key: 'expenses.lines_removed',
      params: { n: writer.removed.reduce((s, r) => s + r.lines, 0), trips: writer.removed.map((r) => r.trip_no).join(', ') },
    });
  }
  // issue 15: the month of the lines imported (the latest date), not --as-of's
  if (report.committed && report.new + report.updated > 0) notices.push({ key: 'expenses.next_step', params: { month: (report.latestDate ?? asOf).slice(0, 7) } });
  return { report, notices };
}

/** Every class name a policy (the default or a stored one) mentions: the expenses import accepts them. */
function policyClasses(policies: readonly Policy[]): string[] {
  const out = new Set<string>();
  for (const p of policies) for (const c of [...p.travel.train.seat_classes, ...p.travel.train.sleeper_classes, ...p.travel.ship_classes]) out.add(c);
  return [...out];
}

/**
 * With --skip-invalid, the trips of the file that have an invalid line (trip_no → row
 * numbers): the same parse and checks as the import, in one pass before it, so the writer
 * can reject a bad trip's other lines too (a trip's lines go in together, §2). A line that
 * repeats another exactly is invalid too unless `allowDuplicates` (the importer rejects
 * it). Any problem reading the file is left to the import, which reports it.
 */
async function badTrips(db: DB, flags: Pick<ImportRun, 'file' | 'encoding' | 'delimiter'>, kctx: KindContext, allowDuplicates: boolean): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  try {
    const fs = await import('node:fs');
    const { sniff } = await import('../io/sniff.js');
    const { parse } = await import('csv-parse/sync');
    const { mapHeader, cellValue } = await import('../io/kind.js');
    const { kind } = await import('../io/kinds/expenses.js');
    const { expenseChecker } = await import('../store/trips.js');
    const sn = sniff(flags.file, { encoding: flags.encoding, delimiter: flags.delimiter });
    const text = new TextDecoder(sn.encoding, { fatal: true }).decode(fs.readFileSync(flags.file));
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
        // read as the import reads it (normalised: `３５元` is 35 yuan here too)
        return i === undefined ? '' : cellValue(record[i] ?? '');
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
