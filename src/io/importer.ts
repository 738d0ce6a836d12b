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
import type { WorkerInput, WorkerMessage, WorkerRow } from './importWorker.js';

export type WriteOutcome = 'new' | 'updated' | 'unchanged' | { error: FieldError };

export interface RowWriter<T> {
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
  const worker = new Worker(new URL('./importWorker.js', import.meta.url), { workerData: workerInput });
  const db = opts.db;
  const rejectsTmp = opts.rejects ? `${opts.rejects}.partial` : null;
  let rejectsFd: number | null = null;
  let header: string[] = [];
  let began = false;

  const reject = (row: WorkerRow, errors: FieldError[]) => {
    report.rejected++;
    for (const e of errors) {
      if (report.errors.length < MAX_PRINTED_ERRORS) report.errors.push(describe(e, row[0]));
      else report.moreErrors++;
    }
    if (rejectsFd !== null) {
      const text = errors.map((e) => `${e.column}: ${t(e.reason, e.params)}`).join('; ');
      fs.writeSync(rejectsFd, stringify([[...row[1], text]], { record_delimiter: 'windows' }));
    }
  };

  const handle = (rows: WorkerRow[]) => {
    for (const row of rows) {
      report.rows++;
      if (row[3]) {
        reject(row, row[3]);
        continue;
      }
      let outcome: WriteOutcome;
      if (opts.writer.multiStatement) {
        db.exec('SAVEPOINT row');
        try {
          outcome = opts.writer.write(row[2] as T, row[0]);
        } catch (e) {
          db.exec('ROLLBACK TO row; RELEASE row');
          throw e;
        }
        if (typeof outcome === 'object') db.exec('ROLLBACK TO row');
        db.exec('RELEASE row');
      } else {
        outcome = opts.writer.write(row[2] as T, row[0]);
      }
      if (typeof outcome === 'object') reject(row, [outcome.error]);
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
              db.exec('BEGIN IMMEDIATE');
              began = true;
              break;
            }
            case 'rows':
              handle(m.rows);
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
    if (rejectsFd !== null) {
      fs.closeSync(rejectsFd);
      fs.rmSync(rejectsTmp!, { force: true });
    }
    await worker.terminate();
  }
}
