/**
 * The import machinery every CSV import shares (SPEC §2): validate every row before
 * anything is written; with errors change nothing and report each bad row (exit 1);
 * `--skip-invalid --rejects FILE` keeps the good rows and writes the bad ones verbatim plus
 * an `error` column (exit 3); `--dry-run` reports without writing; re-importing is a no-op.
 * All writes of one import are one transaction, so a killed import leaves nothing behind.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { stringify } from 'csv-stringify/sync';
import type { DB } from '../store/db.js';
import { UserError, EXIT } from '../errors.js';
import { t } from '../messages/index.js';
import type { FieldError, KindContext } from './kind.js';
import { sniff, type Encoding } from './sniff.js';
import type { WorkerInput, WorkerMessage, WorkerBatch } from './importWorker.js';
import { recordCells } from './csvRecords.js';

export type WriteOutcome = 'new' | 'updated' | 'unchanged' | { error: FieldError };

export interface RowWriter<T> {
  /**
   * Before the first row, inside the transaction, with an estimate of how many rows are
   * coming (from the first chunk of the file): a writer may, for a big import, drop
   * secondary indexes that `finish` builds again (faster than keeping them up to date row by
   * row; the transaction makes it invisible to others and undoes it on failure).
   */
  begin?(expected: { rows: number }): void;
  write(value: T, row: number): WriteOutcome;
  /** after the last row, inside the transaction (e.g. the handover of leavers) */
  finish?(): void;
  /** wrap each row in a savepoint: needed when one row writes several statements */
  multiStatement?: boolean;
}

export interface ImportOptions<T> {
  file: string;
  kind: string;
  db: DB;
  writer: RowWriter<T>;
  ctx: KindContext;
  encoding?: string;
  delimiter?: string;
  skipInvalid?: boolean;
  rejects?: string;
  dryRun?: boolean;
  onProgress?: (p: { bytes: number; size: number; rows: number }) => void;
}

export interface RowError {
  row: number;
  column: string;
  value: string;
  reason: string;
  fix: string;
}

export interface ImportReport {
  file: string;
  encoding: Encoding;
  delimiter: string;
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
  dryRun: boolean;
  committed: boolean;
  exitCode: number;
}

/** How many bad rows an import keeps for printing; the rejects file has all of them. */
export const MAX_PRINTED_ERRORS = 200;

/**
 * SQLite page cache during an import, in KiB (16 MiB otherwise). Rows go into unique
 * indexes at random places (phone + name); with those pages in cache they are not written
 * out to the WAL and read back again and again before the commit. It bounds memory
 * whatever the size of the file.
 */
const IMPORT_CACHE_KIB = 48 * 1024;
const WORKER_YOUNG_MB = 4;

function describe(e: FieldError, row: number): RowError {
  return {
    row,
    column: e.column,
    value: e.value,
    reason: t(e.reason, e.params),
    fix: e.fix ? t(e.fix, e.params) : '',
  };
}

export async function runImport<T>(opts: ImportOptions<T>): Promise<ImportReport> {
  if (opts.skipInvalid && !opts.rejects && !opts.dryRun) {
    throw new UserError(t('import.rejects_required'), t('import.rejects_required.hint'), EXIT.usage);
  }
  const sniffed = sniff(opts.file, { encoding: opts.encoding, delimiter: opts.delimiter });
  const report: ImportReport = {
    file: opts.file,
    encoding: sniffed.encoding,
    delimiter: sniffed.delimiter,
    rows: 0,
    new: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    errors: [],
    moreErrors: 0,
    unknownColumns: [],
    duplicateColumns: [],
    dryRun: Boolean(opts.dryRun),
    committed: false,
    exitCode: EXIT.ok,
  };
  const workerInput: WorkerInput = {
    file: opts.file,
    kind: opts.kind,
    encoding: sniffed.encoding,
    delimiter: sniffed.delimiter,
    ctx: opts.ctx,
  };
  // a small young generation: the worker's garbage is short-lived, and memory stays flat
  const worker = new Worker(new URL('./importWorker.js', import.meta.url), { workerData: workerInput, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
  const db = opts.db;
  const rejectsTmp = opts.rejects ? `${opts.rejects}.partial` : null;
  let rejectsFd: number | null = null;
  let header: string[] = [];
  let began = false;
  let cacheBefore: number | null = null;
  let begun = false;

  /** Row i of batch b is rejected: printed (the first ones) and written verbatim to the rejects file. */
  const reject = (b: WorkerBatch, i: number, errors: FieldError[]) => {
    const row = b.rows[i];
    report.rejected++;
    for (const e of errors) {
      if (report.errors.length < MAX_PRINTED_ERRORS) report.errors.push(describe(e, row));
      else report.moreErrors++;
    }
    if (rejectsFd !== null) {
      const text = errors.map((e) => `${e.column}: ${t(e.reason, e.params)}`).join('; ');
      const cells = recordCells(b.text.slice(b.offsets[2 * i], b.offsets[2 * i + 1]), sniffed.delimiter, b.rd);
      fs.writeSync(rejectsFd, stringify([[...cells, text]], { record_delimiter: 'windows' }));
    }
  };

  const handle = (b: WorkerBatch) => {
    const { rows, values, errors } = b;
    const writer = opts.writer;
    let e = 0;
    for (let i = 0; i < rows.length; i++) {
      report.rows++;
      if (e < errors.length && errors[e][0] === i) {
        reject(b, i, errors[e++][1]);
        continue;
      }
      let outcome: WriteOutcome;
      if (writer.multiStatement) {
        db.exec('SAVEPOINT row');
        try {
          outcome = writer.write(values[i] as T, rows[i]);
        } catch (e) {
          db.exec('ROLLBACK TO row; RELEASE row');
          throw e;
        }
        if (typeof outcome === 'object') db.exec('ROLLBACK TO row');
        db.exec('RELEASE row');
      } else {
        outcome = writer.write(values[i] as T, rows[i]);
      }
      if (typeof outcome === 'object') reject(b, i, [outcome.error]);
      else report[outcome]++;
    }
  };

  try {
    await new Promise<void>((resolve, reject_) => {
      worker.on('error', reject_);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject_(new Error(`import worker exited with ${code}`))));
      worker.on('message', (m: WorkerMessage) => {
        try {
          switch (m.type) {
            case 'header': {
              header = m.header;
              report.unknownColumns = m.unknown;
              report.duplicateColumns = m.duplicates;
              if (m.missing.length) {
                void worker.terminate();
                reject_(new UserError(t('import.missing_columns', { columns: m.missing.join(', '), file: opts.file }), t('import.missing_columns.hint', { kind: opts.kind })));
                return;
              }
              if (rejectsTmp) {
                rejectsFd = fs.openSync(rejectsTmp, 'w', 0o600);
                fs.writeSync(rejectsFd, '\ufeff' + stringify([[...header, 'error']], { record_delimiter: 'windows' }));
              }
              cacheBefore = db.pragma('cache_size', { simple: true }) as number;
              db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
              db.exec('BEGIN IMMEDIATE');
              began = true;
              break;
            }
            case 'rows':
              if (!begun) {
                begun = true;
                opts.writer.begin?.({ rows: Math.round((m.batch.rows.length * sniffed.size) / Math.max(1, m.bytes)) });
              }
              handle(m.batch);
              worker.postMessage({ type: 'ack' });
              opts.onProgress?.({ bytes: m.bytes, size: sniffed.size, rows: report.rows });
              break;
            case 'done':
              opts.onProgress?.({ bytes: m.bytes, size: sniffed.size, rows: report.rows });
              resolve();
              break;
            case 'fatal':
              void worker.terminate();
              if (m.reason === 'encoding') {
                reject_(new UserError(t('import.decode_error', { file: opts.file, encoding: sniffed.encoding, offset: m.detail }), t('import.decode_error.hint')));
              } else {
                reject_(new UserError(t('import.csv_error', { file: opts.file, detail: m.detail }), t('import.csv_error.hint')));
              }
              break;
          }
        } catch (e) {
          void worker.terminate();
          reject_(e);
        }
      });
    });
    const failed = report.rejected > 0 && !opts.skipInvalid;
    if (!failed && !opts.dryRun) {
      opts.writer.finish?.();
      db.exec('COMMIT');
      report.committed = true;
    } else if (began) {
      db.exec('ROLLBACK');
    }
    began = false;
    report.exitCode = report.rejected === 0 ? EXIT.ok : opts.skipInvalid ? EXIT.partial : EXIT.error;
    if (rejectsFd !== null) {
      fs.closeSync(rejectsFd);
      rejectsFd = null;
      if (opts.skipInvalid && report.rejected > 0) fs.renameSync(rejectsTmp!, opts.rejects!);
      else fs.rmSync(rejectsTmp!, { force: true });
    }
    return report;
  } finally {
    if (began && db.inTransaction) db.exec('ROLLBACK');
    if (cacheBefore !== null && db.open) db.pragma(`cache_size = ${cacheBefore}`);
    if (rejectsFd !== null) {
      fs.closeSync(rejectsFd);
      fs.rmSync(rejectsTmp!, { force: true });
    }
    await worker.terminate();
  }
}
