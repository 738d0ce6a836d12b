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
 * it). The file is read as the import reads it (issue 16: a CSV or a workbook's sheet, its
 * header under any title rows, a template's example row skipped), so the rows are the
 * import's. Any problem reading the file is left to the import, which reports it.
 */
async function badTrips(db: DB, flags: Pick<ImportRun, 'file' | 'encoding' | 'delimiter' | 'sheet'>, kctx: KindContext, allowDuplicates: boolean): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  const { sniff } = await import('../io/sniff.js');
  const { openRecords, Found } = await import('../io/csvRecords.js');
  const { mapHeader, cellValue, HeaderSearch, isExampleRow } = await import('../io/kind.js');
  const { kind } = await import('../io/kinds/expenses.js');
  const { expenseChecker } = await import('../store/trips.js');
  let src: Awaited<ReturnType<typeof openRecords>> | null = null;
  try {
    const sn = sniff(flags.file, { encoding: flags.encoding, delimiter: flags.delimiter });
    src = await openRecords(sn.kind === 'xlsx' ? { file: flags.file, xlsx: true, encoding: 'utf-8', delimiter: ',', sheet: flags.sheet } : { file: flags.file, xlsx: false, encoding: sn.encoding, delimiter: sn.delimiter });
    const check = expenseChecker(db);
    const seen = new Set<string>();
    let index: Map<string, number> | null = null;
    let first = true;
    const line = (row: number, record: string[]) => {
      if (record.every((c) => (c ?? '').trim() === '')) return;
      if (first) {
        first = false;
        if (isExampleRow(record)) return;
      }
      const cells = (key: string): string => {
        const i = index!.get(key);
        // read as the import reads it (normalised: `３５元` is 35 yuan here too)
        return i === undefined ? '' : cellValue(record[i] ?? '');
      };
      const tripNo = cells('trip_no');
      if (!tripNo) return;
      const r = kind.parseRow(cells, kctx);
      let bad = !r.ok || check(r.value) !== null;
      if (r.ok && !allowDuplicates) {
        const key = kind.rowKey!(r.value)!;
        if (seen.has(key)) bad = true;
        seen.add(key);
      }
      if (bad) out.set(tripNo, [...(out.get(tripNo) ?? []), row]);
    };
    const search = new HeaderSearch<{ row: number; cells: string[] }>(kind.columns);
    /** the at-th row offered is the header: the rows after it are lines; false when it lacks a column */
    const useHeader = (at: number): boolean => {
      const map = mapHeader(search.rows[at].cells, kind.columns);
      if (map.missing.length) return false;
      index = map.index;
      for (const r of search.rows.slice(at + 1)) line(r.row, r.cells);
      return true;
    };
    await src.read();
    for (;;) {
      const found = src.next();
      if (found === Found.More) await src.read();
      else if (found === Found.End) break;
      else if (found === Found.Record) {
        if (index !== null) line(src.row, src.cells);
        else if (src.cells.some((c) => c.trim() !== '')) {
          const at = search.offer({ row: src.row, cells: src.cells.slice() });
          if (at >= 0 && !useHeader(at)) return out;
        }
      } else if (found === Found.Unclosed) return new Map();
    }
    if (index === null && search.rows.length > 0) useHeader(search.settle());
  } catch {
    return new Map();
  } finally {
    src?.close();
  }
  return out;
}
