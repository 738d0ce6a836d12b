/**
 * The import machinery every import shares (SPEC §2), of a CSV or of a workbook's sheet
 * (issue 16: the worker reads either through one RecordSource): validate every row before
 * anything is written; with errors change nothing and report each bad row (exit 1);
 * `--skip-invalid --rejects FILE` keeps the good rows and writes the bad ones as they were
 * read plus an `error` column (exit 3) — an .xlsx for a workbook's rows, so it re-imports as
 * it is; `--dry-run` reports without writing; re-importing is a no-op.
 * All writes of one import are one transaction, so a killed import leaves nothing behind.
 * A row whose kind's `rowKey` an earlier row of the same file has is a row error naming both
 * rows, for every kind alike (issue 13), checked here before the writer sees the row.
 */
import { Worker } from 'node:worker_threads';
import type { DB } from '../store/db.js';
import { beginImport, inRowSavepoint, type ImportTransaction } from '../store/importTransaction.js';
import { UserError, EXIT } from '../errors.js';
import { getLang, t, type MessageKey, type Params } from '../messages/index.js';
import { keyText, type FieldError, type KindContext, type RowNotice, type RowWriter, type WriteOutcome } from './kind.js';
import { tableCell } from './width.js';
import { sniff, type Encoding } from './sniff.js';
import type { WorkerInput, WorkerMessage, WorkerBatch, RowKeyInfo } from './importWorker.js';
import { rowCells } from './csvRecords.js';
import { AtomicFile, checkOutputPath, faultError, type OutputGuard } from './outputFile.js';
import { columnLetters } from './xlsx/cells.js';
import { neutralizeFormula } from './formula.js';
import { CSV_BOM, csvLine, lineEnd } from './output/csv.js';
import { pauseAt } from '../testHook.js';
import type { RejectsWorkbook } from './xlsx/write.js';

export interface ImportOptions<T> {
  file: string;
  kind: string;
  db: DB;
  writer: RowWriter<T>;
  ctx: KindContext;
  encoding?: string;
  delimiter?: string;
  /** `--sheet NAME|N`: the sheet of a workbook (issue 16) */
  sheet?: string;
  skipInvalid?: boolean;
  rejects?: string;
  dryRun?: boolean;
  /** rows that repeat another row's key are imported, not rejected (`expenses import --allow-duplicates`) */
  allowDuplicates?: boolean;
  onProgress?: (p: ImportProgress) => void;
}

/**
 * Where an import is: `locked` (its transaction open, nothing read yet), `reading` (after
 * each chunk of rows written inside the transaction), `commit` (about to commit),
 * `committed`. Progress lines (`--progress`) and the crash test follow these.
 */
export interface ImportProgress {
  phase: 'locked' | 'reading' | 'commit' | 'committed';
  bytes: number;
  size: number;
  rows: number;
}

export interface RowError {
  row: number;
  /** the column as the file's header writes it (`电话`), or the template's header when the file has none (issue 15) */
  column: string;
  /** the column's key (`phone`): the same whatever the header, for scripts */
  column_key: string;
  value: string;
  reason: string;
  fix: string;
}

/**
 * One kind of notice of the rows kept (RowNotice: same key, column and params), with how
 * many rows had it and the first few of them: said once, not once per row (issue 15).
 */
export interface ImportNotice {
  key: MessageKey;
  /** as the file's header writes it */
  column: string;
  params?: Params;
  /** the first MAX_NOTICE_ROWS rows */
  rows: number[];
  count: number;
}

/** How many rows a notice names; the count says how many there are. */
const MAX_NOTICE_ROWS = 5;

export interface ImportReport {
  file: string;
  /** a CSV's encoding and delimiter; null and '' for a workbook */
  encoding: Encoding | null;
  delimiter: string;
  /** the sheet read, for a workbook (issue 16) */
  sheet: string | null;
  /** how many sheets a workbook read without --sheet shows, when several (the report says which was read); else 0 */
  sheetsShown: number;
  /** the header's row, and how many rows above it had anything in them (title rows, issue 16: said once) */
  headerRow: number;
  titleRows: number;
  rows: number;
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
  /** errors beyond the ones kept for printing */
  moreErrors: number;
  unknownColumns: string[];
  duplicateColumns: string[];
  /** what the rows kept had read into them or left out (a year, a time), one entry per kind */
  notices: ImportNotice[];
  /**
   * The latest date of the rows kept, of a kind with a `dateField` (a trip's start, an
   * expense line's date): the next step names its month (issue 15); null when none.
   */
  latestDate: string | null;
  dryRun: boolean;
  committed: boolean;
  /**
   * The rows are committed but the rejects file could not take its name (the rename after
   * COMMIT failed): where and why. The exit code is then 1 (docs/decisions.md, Trust).
   */
  rejectsNotWritten?: { path: string; reason: string };
  exitCode: number;
}

/** Reports a phase; the crash test may pause the import right there (testHook.ts). */
function announce(opts: { onProgress?: (p: ImportProgress) => void }, p: ImportProgress): void {
  opts.onProgress?.(p);
  pauseAt(`import.${p.phase}`, p.rows);
}

/** How many bad rows an import keeps for printing; the rejects file has all of them. */
export const MAX_PRINTED_ERRORS = 200;

const WORKER_YOUNG_MB = 4;
/**
 * The worker's old generation, bounded: what it keeps is small (a CSV's worker next to
 * nothing; a workbook's, its shared strings: at most MAX_PART of XML, xlsx/unzip.ts, about
 * 80 MB for a 1,000,000-row sheet), and without a bound V8 lets garbage pile up to several
 * times that before collecting it (issue 16: a 1,000,000-row sheet took 504 MB; 300 MB so).
 */
const WORKER_OLD_MB = 320;

/** Column keys → the names the user knows them by (the file's header, else the template's). */
type ColumnNames = Record<string, string>;

/**
 * A row error's column as the user knows it (issue 15): `电话` for `phone` when the file's
 * header says 电话; each part of a key of several columns (`customer+event_date+event`).
 */
function columnName(column: string, names: ColumnNames): string {
  if (Object.hasOwn(names, column)) return names[column];
  return column.includes('+') ? column.split('+').map((c) => (Object.hasOwn(names, c) ? names[c] : c)).join('+') : column;
}

function describe(e: FieldError, row: number, names: ColumnNames): RowError {
  return {
    row,
    column: columnName(e.column, names),
    column_key: e.column,
    value: e.value,
    reason: t(e.reason, e.params),
    fix: e.fix ? t(e.fix, e.params) : '',
  };
}

export async function runImport<T>(opts: ImportOptions<T>): Promise<ImportReport> {
  if (opts.skipInvalid && !opts.rejects && !opts.dryRun) {
    throw new UserError(t('import.rejects_required'), t('import.rejects_required.hint'), EXIT.usage);
  }
  const db = opts.db;
  const guard: OutputGuard = { db: db.name, inputs: [opts.file], what: 'rejects' };
  // a rejects path that can never be written is refused before anything is read or locked
  if (opts.rejects && !opts.dryRun) checkOutputPath(opts.rejects, guard);
  const sniffed = sniff(opts.file, { encoding: opts.encoding, delimiter: opts.delimiter });
  const xlsx = sniffed.kind === 'xlsx';
  if (!xlsx && opts.sheet !== undefined) throw new UserError(t('import.sheet_not_workbook', { file: opts.file }), t('import.sheet_not_workbook.hint'), EXIT.usage);
  const report: ImportReport = {
    file: opts.file,
    encoding: xlsx ? null : sniffed.encoding,
    delimiter: xlsx ? '' : sniffed.delimiter,
    sheet: null,
    sheetsShown: 0,
    headerRow: 1,
    titleRows: 0,
    rows: 0,
    new: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    errors: [],
    moreErrors: 0,
    unknownColumns: [],
    duplicateColumns: [],
    notices: [],
    latestDate: null,
    dryRun: Boolean(opts.dryRun),
    committed: false,
    exitCode: EXIT.ok,
  };
  let rejects: Rejects | null = null;
  let worker: Worker | null = null;
  let tx: ImportTransaction | null = null;
  try {
    // the write lock first, before a single row is parsed: a lock time-out fails here, with
    // nothing read and nothing written
    tx = beginImport(db);
    announce(opts, { phase: 'locked', bytes: 0, size: sniffed.size, rows: 0 });
    if (opts.rejects && !opts.dryRun) rejects = openRejects(opts.rejects, guard, opts.file, xlsx);
    const workerInput: WorkerInput = {
      file: opts.file,
      kind: opts.kind,
      xlsx,
      sheet: opts.sheet,
      encoding: xlsx ? 'utf-8' : sniffed.encoding,
      delimiter: xlsx ? ',' : sniffed.delimiter,
      ctx: opts.ctx,
      lang: getLang(),
      allowDuplicates: Boolean(opts.allowDuplicates),
      keepText: rejects !== null,
    };
    // a small young generation: the worker's garbage is short-lived, and memory stays flat
    worker = new Worker(new URL('./importWorker.js', import.meta.url), { workerData: workerInput, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB, maxOldGenerationSizeMb: WORKER_OLD_MB } });
    await readAndWrite(opts, tx, worker, report, { ...sniffed, delimiter: workerInput.delimiter }, rejects);
    const failed = report.rejected > 0 && !opts.skipInvalid;
    report.exitCode = report.rejected === 0 ? EXIT.ok : opts.skipInvalid ? EXIT.partial : EXIT.error;
    if (!failed) opts.writer.verify?.();
    if (failed || opts.dryRun) {
      tx.rollback();
      rejects?.abort();
      return report;
    }
    opts.writer.finish?.();
    // the rejects file complete on disk before the rows are committed: a full disk or a
    // write error fails the import whole; only the rename is left after COMMIT
    const keepRejects = rejects !== null && report.rejected > 0;
    if (keepRejects) await rejects!.finish();
    else rejects?.abort();
    announce(opts, { phase: 'commit', bytes: sniffed.size, size: sniffed.size, rows: report.rows });
    // a Ctrl-C that came while the rows were written is handled now, before the COMMIT, not
    // after it (outputFile.ts)
    await letSignalsIn();
    tx.commit();
    report.committed = true;
    announce(opts, { phase: 'committed', bytes: sniffed.size, size: sniffed.size, rows: report.rows });
    if (keepRejects) {
      try {
        await rejects!.publish();
      } catch (e) {
        // the rows are in: the report says so, and that the rejects file is missing (exit 1)
        const code = (e as NodeJS.ErrnoException)?.code;
        const fault = e instanceof UserError ? e : code === 'EISDIR' ? new UserError(t('out.is_directory', { path: opts.rejects! })) : faultError(e, opts.rejects!);
        report.rejectsNotWritten = { path: opts.rejects!, reason: (fault ?? (e as Error)).message ?? String(e) };
        report.exitCode = EXIT.error;
      }
    }
    return report;
  } catch (e) {
    rejects?.abort();
    throw faultError(e, db.name) ?? e;
  } finally {
    tx?.end();
    await worker?.terminate();
  }
}

/**
 * Where the rejected rows go (SPEC §2): the header row and then each row as it was read, plus
 * its error. A CSV, or an .xlsx (issue 16) — so that a workbook's rejects open in Excel as a
 * workbook and re-import as they are: a name ending in .xlsx is a workbook, one ending in .csv
 * (.txt, .tsv) a CSV; any other name takes the input's form.
 */
interface Rejects {
  /** the header row as read (a workbook's sheet named after the input's) */
  header(cells: readonly string[], sheet: string | null): Promise<void>;
  row(cells: readonly string[], error: string): void;
  /** complete on disk, before the rows are committed */
  finish(): Promise<void>;
  /** under its name, after the commit */
  publish(): Promise<void>;
  abort(): void;
}

function openRejects(target: string, guard: OutputGuard, input: string, xlsx: boolean): Rejects {
  // Ctrl-C while it is open: its temporary file removed, exit 130, the transaction never committed
  const interrupted = t('import.interrupted', { file: input });
  const workbook = /\.xlsx$/i.test(target) || (xlsx && !/\.(csv|txt|tsv)$/i.test(target));
  if (!workbook) {
    const file = AtomicFile.open(target, guard, { interrupted });
    return {
      header: async (cells) => file.write(CSV_BOM + rejectsLine([...cells, t('import.rejects.error_column')])),
      row: (cells, error) => file.write(rejectsLine([...cells, error])),
      finish: async () => file.flush(),
      publish: async () => file.publish(),
      abort: () => file.abort(),
    };
  }
  // opened once the header is known; its writer (and yazl) loaded only then
  let book: RejectsWorkbook | null = null;
  let aborted = false;
  return {
    async header(cells, sheet) {
      const { openRejectsWorkbook } = await import('./xlsx/write.js');
      const opened = await openRejectsWorkbook(target, guard, cells, sheet ?? t('import.rejects.sheet'), { interrupted });
      if (aborted) opened.abort();
      else book = opened;
    },
    row: (cells, error) => book!.row(cells, error),
    finish: async () => book!.finish(),
    publish: async () => book!.publish(),
    abort: () => {
      aborted = true;
      book?.abort();
    },
  };
}

/**
 * Lets a signal that came in be handled. Node runs signal handlers in the poll phase of the
 * event loop; the last batches, `done` and everything up to here may all have run within one
 * poll phase (the worker's messages are drained at once), and one setImmediate runs before
 * the next poll. Two of them have a poll phase between them.
 */
async function letSignalsIn(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** One row of a writer of several statements, in a savepoint: a row it rejects leaves nothing. */
export function writeInSavepoint<T>(db: DB, writer: RowWriter<T>, value: T, row: number): WriteOutcome {
  return inRowSavepoint(db, () => writer.write(value, row), (outcome) => typeof outcome === 'object');
}

/**
 * The parsing worker died (an `error` event, or an exit with a code other than 0): out of
 * memory → split the file; anything else (the file unreadable meanwhile, an exception) →
 * said plainly with its reason. Always "nothing was changed" (the transaction is rolled back) and exit 1.
 */
export function workerFault(e: unknown, file: string): UserError {
  if (e instanceof UserError) return e;
  const err = e as { code?: string; message?: string } | null;
  if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') return new UserError(t('import.worker_oom', { file }), t('import.worker_oom.hint'));
  return new UserError(t('import.worker_failed', { file, reason: err?.message ?? String(e) }), t('import.worker_failed.hint'));
}

/**
 * A row whose key an earlier row of the same file has (issue 13): one message for every
 * kind, naming the key and the first row ("order_no "SO1": is already in row 2 of this file").
 */
export function duplicateRow(key: string, firstRow: number, info: RowKeyInfo | undefined): FieldError {
  return {
    // '*': the whole row is the key (an exact repeat)
    column: info && info.columns[0] !== '*' ? info.columns.join('+') : t('import.whole_row'),
    value: tableCell(keyText(key), 80),
    reason: 'import.duplicate_row',
    params: { row: firstRow },
    fix: (info?.fix as MessageKey | undefined) ?? 'import.duplicate_row.fix',
  };
}

/**
 * The required columns a file lacks (SPEC §2: before any row is read), each with the names it
 * may have (issue 15): its key and every Chinese alias, so the clerk can rename the header.
 */
function missingColumns(file: string, kind: string, missing: string[], names: ColumnNames, accepted: Record<string, string[]>): UserError {
  const sep = t('import.list_sep');
  const lines = missing.map((k) => '\n  ' + t('import.missing_column_names', { column: columnName(k, names), names: (accepted[k] ?? [k]).join(sep) }));
  return new UserError(t('import.missing_columns', { columns: missing.map((k) => columnName(k, names)).join(sep), file, accepted: lines.join('') }), t('import.missing_columns.hint', { kind }));
}

/**
 * One record of the rejects file, a csv like every export (UTF-8 with a BOM, CRLF: opened in
 * Excel). Formulas neutralised as in every export (SPEC §4); the import reads `'=…` back as
 * `=…`, so the fixed file re-imports as it was.
 */
function rejectsLine(cells: string[]): string {
  return csvLine(cells.map(neutralizeFormula), ',') + lineEnd('csv');
}

/**
 * Reads the worker's batches and writes their rows inside the caller's transaction. After the
 * first failure every later message is ignored: a batch already queued must never be
 * written (the transaction is being rolled back).
 */
function readAndWrite<T>(opts: ImportOptions<T>, tx: ImportTransaction, worker: Worker, report: ImportReport, sniffed: { delimiter: string; size: number }, rejects: Rejects | null): Promise<void> {
  const db = opts.db;
  const { delimiter, size } = sniffed;
  const writer = opts.writer;
  let begun = false;
  let settled = false;
  /** row key → the first row that has it (kinds with a `rowKey` only) */
  const seen = new Map<string, number>();
  let keyInfo: RowKeyInfo | undefined;
  let names: ColumnNames = {};
  let dateField: string | undefined;
  /** column key → its index in a row */
  let columns: Record<string, number> = {};
  /** the printed errors of required cells found empty: [index in report.errors, row, column key] (merged cells, issue 16) */
  const emptyRequired: [number, number, string][] = [];
  /** the notices of the rows kept, by key, column and params */
  const notices = new Map<string, ImportNotice>();
  const note = (n: RowNotice, row: number) => {
    const id = `${n.key}\u0000${n.column}\u0000${n.params ? JSON.stringify(n.params) : ''}`;
    let agg = notices.get(id);
    if (agg === undefined) {
      agg = { key: n.key, column: columnName(n.column, names), params: n.params, rows: [], count: 0 };
      notices.set(id, agg);
      report.notices.push(agg);
    }
    if (agg.rows.length < MAX_NOTICE_ROWS) agg.rows.push(row);
    agg.count++;
  };

  /** Row i of batch b is rejected: printed (the first ones) and written as it was read to the rejects file. */
  const reject = (b: WorkerBatch, i: number, errors: FieldError[]) => {
    const row = b.rows[i];
    report.rejected++;
    for (const e of errors) {
      if (report.errors.length < MAX_PRINTED_ERRORS) {
        if (e.reason === 'import.required') emptyRequired.push([report.errors.length, row, e.column]);
        report.errors.push(describe(e, row, names));
      } else report.moreErrors++;
    }
    if (rejects !== null) {
      // in the run's language: `电话：不是有效的手机号；…` for a Chinese clerk
      const text = errors.map((e) => t('import.rejects.error_text', { column: columnName(e.column, names), reason: t(e.reason, e.params) })).join(t('import.rejects.error_sep'));
      rejects.row(rowCells(b.text.slice(b.offsets[2 * i], b.offsets[2 * i + 1]), delimiter, b.rd), text);
    }
  };

  /**
   * A workbook's merged ranges, known once its rows are read (issue 16): a required cell
   * found empty inside one, below or right of its first cell, is empty because the value is
   * in that first cell only. Its printed error says so (the rejects file, written as the rows
   * came, keeps "is required": the row needs the value either way).
   */
  const explainMerged = (ranges: [number, number, number, number][]) => {
    for (const [at, row, key] of emptyRequired) {
      const col = columns[key];
      if (col === undefined) continue;
      const m = ranges.find(([r1, c1, r2, c2]) => row >= r1 && row <= r2 && col >= c1 && col <= c2 && (row !== r1 || col !== c1));
      if (m === undefined) continue;
      const first = columnLetters(m[1]) + m[0];
      report.errors[at].reason = t('import.merged_empty', { range: `${first}:${columnLetters(m[3])}${m[2]}`, first });
      report.errors[at].fix = t('import.merged_empty.fix');
    }
  };

  const handle = (b: WorkerBatch) => {
    // never a row outside the import's transaction (autocommit would keep it on failure)
    if (!tx.active) throw new Error('import: a row outside the transaction');
    const { rows, values, errors, keys, notes } = b;
    // the rows to write: not refused by the worker, not a repeat of an earlier row's key
    const refused = new Map<number, FieldError[]>();
    const kept: number[] = [];
    let e = 0;
    for (let i = 0; i < rows.length; i++) {
      if (e < errors.length && errors[e][0] === i) {
        refused.set(i, errors[e++][1]);
        continue;
      }
      const key = keys?.[i];
      if (key !== undefined && key !== null) {
        const first = seen.get(key);
        if (first !== undefined) {
          refused.set(i, [duplicateRow(key, first, keyInfo)]);
          continue;
        }
        seen.set(key, rows[i]);
      }
      kept.push(i);
    }
    // a batch writer answers for all its rows at once (issue 19: one round trip to a server, not one a row)
    const outcomes = new Map<number, WriteOutcome>();
    if (writer.writeBatch && kept.length) {
      const got = writer.writeBatch(kept.map((i) => values[i] as T), kept.map((i) => rows[i]));
      kept.forEach((i, k) => outcomes.set(i, got[k]));
    }
    let n = 0;
    for (let i = 0; i < rows.length; i++) {
      report.rows++;
      const no = refused.get(i);
      if (no) {
        reject(b, i, no);
        continue;
      }
      const outcome = outcomes.get(i) ?? (writer.multiStatement ? writeInSavepoint(db, writer, values[i] as T, rows[i]) : writer.write(values[i] as T, rows[i]));
      if (typeof outcome === 'object') reject(b, i, [outcome.error]);
      else {
        report[outcome]++;
        // said only for the rows kept: a rejected row's error is what matters about it
        while (notes !== undefined && n < notes.length && notes[n][0] < i) n++;
        if (notes !== undefined && n < notes.length && notes[n][0] === i) for (const x of notes[n][1]) note(x, rows[i]);
        if (dateField !== undefined) {
          const d = (values[i] as Record<string, unknown>)[dateField];
          if (typeof d === 'string' && (report.latestDate === null || d > report.latestDate)) report.latestDate = d;
        }
      }
    }
  };

  return new Promise<void>((resolve, reject_) => {
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject_(e);
    };
    const succeed = () => {
      if (settled) return;
      settled = true;
      resolve();
    };
    const onMessage = async (m: WorkerMessage) => {
      switch (m.type) {
        case 'header': {
          report.unknownColumns = m.unknown;
          report.duplicateColumns = m.duplicates;
          report.headerRow = m.row;
          report.titleRows = m.titles;
          report.sheet = m.sheet ?? null;
          // issue 16: which of several sheets was read, when none was asked for
          if (opts.sheet === undefined && m.sheets !== undefined && m.sheets > 1) report.sheetsShown = m.sheets;
          keyInfo = m.key;
          names = m.names;
          dateField = m.dateField;
          columns = m.columns;
          if (m.missing.length) {
            fail(missingColumns(opts.file, opts.kind, m.missing, names, m.accepted));
            return;
          }
          await rejects?.header(m.header, report.sheet);
          break;
        }
        case 'rows':
          if (!begun) {
            begun = true;
            writer.begin?.({ rows: Math.round((m.batch.rows.length * size) / Math.max(1, m.bytes)) });
          }
          handle(m.batch);
          worker.postMessage({ type: 'ack' });
          announce(opts, { phase: 'reading', bytes: m.bytes, size, rows: report.rows });
          break;
        case 'merged':
          explainMerged(m.ranges);
          break;
        case 'done':
          succeed();
          // its memory (a V8 heap of its own) given back before the indexes are built and
          // the rows committed, the import's peak (issue 17: 200 MB for 1,000,000 rows)
          void worker.terminate();
          break;
        case 'fatal':
          if (m.reason === 'user') fail(new UserError(m.detail, m.hint));
          else if (m.reason === 'encoding') {
            const where = { file: opts.file, encoding: report.encoding, offset: m.detail, line: m.line };
            fail(new UserError(t(m.line ? 'import.decode_error_line' : 'import.decode_error', where), t('import.decode_error.hint')));
          } else {
            fail(new UserError(t('import.csv_error', { file: opts.file, detail: m.detail }), t('import.csv_error.hint')));
          }
          break;
      }
    };
    // one message after the other, each done before the next (opening a rejects workbook
    // waits); the worker's exit is taken in the same order, after its last message
    let queue = Promise.resolve();
    const then = (step: () => void | Promise<void>) => {
      queue = queue.then(async () => {
        if (settled) return;
        try {
          await step();
        } catch (e) {
          fail(e);
        }
      });
    };
    worker.on('error', (e) => fail(workerFault(e, opts.file)));
    worker.on('exit', (code) => then(() => (code === 0 ? succeed() : fail(workerFault(new Error(t('import.worker_exit', { code })), opts.file)))));
    // after the first failure every later message is ignored: a batch already queued must
    // never be written (the transaction is being rolled back)
    worker.on('message', (m: WorkerMessage) => then(() => onMessage(m)));
  });
}
