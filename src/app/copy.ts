/**
 * `salesops db copy --from A --to B` (issue 19): an office's SQLite file onto the server, or a
 * server's database into a file, every row of every table — the audit log and the change log
 * included — ids kept. The target must hold no data: a copy never merges. All of it is
 * written in one transaction, or none; a new file appears only once complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { UserError } from '../errors.js';
import { t } from '../messages/index.js';
import { inTransaction, isServerAddress, openDb, type DB } from '../store/db.js';
import { redactAddress } from '../store/address.js';
import { appendAudit } from '../store/audit.js';
import { checkOutputPath } from '../io/outputFile.js';
import { columnsOf, continueIds, COPIED_TABLES, inReadSnapshot, readRows, refreshStatistics, rowCount, tablesOf, writeRows } from '../store/copy.js';

export interface CopyResult {
  tables: { table: string; rows: number }[];
}

export function copyDatabase(o: { from: string; to: string; onTable?: (table: string, rows: number) => void }): CopyResult {
  const from = redactAddress(o.from);
  const to = redactAddress(o.to);
  if (sameDatabase(o.from, o.to)) throw new UserError(t('copy.same', { from, to }), t('copy.same.hint'));
  // a file target is written beside it and renamed into place once whole (never half a database)
  const fileTarget = !isServerAddress(o.to);
  if (fileTarget && fs.existsSync(o.to) && fs.statSync(o.to).size > 0) {
    throw new UserError(t('copy.target_exists', { to }), t('copy.target_exists.hint'));
  }
  // as every file salesops writes: never through a symbolic link (a dangling one was replaced
  // by the copy), never into a folder that is not there (a typo is not made a folder)
  if (fileTarget) checkOutputPath(o.to, { what: 'database', inputs: isServerAddress(o.from) ? [] : [o.from], suggest: 'salesops.db' });
  const source = openDb(o.from);
  const staged = fileTarget ? `${o.to}.${crypto.randomBytes(4).toString('hex')}.part` : o.to;
  let target: DB | null = null;
  try {
    target = openDb(staged, { create: true });
    const missing = tablesOf(source).filter((x) => !(COPIED_TABLES as readonly string[]).includes(x));
    if (missing.length) throw new Error(`db copy does not know the tables ${missing.join(', ')}`);
    for (const table of COPIED_TABLES) {
      if (rowCount(target, table) > 0) throw new UserError(t('copy.target_not_empty', { to, table }), t('copy.target_not_empty.hint'));
    }
    const tables: CopyResult['tables'] = [];
    const into = target;
    // the source read as of one moment, whatever other clerks write meanwhile
    inReadSnapshot(source, () =>
      inTransaction(into, () => {
        for (const table of COPIED_TABLES) {
          const cols = columnsOf(source, table);
          const theirs = columnsOf(into, table);
          if (cols.join() !== theirs.join()) throw new Error(`${table}: columns differ (${cols.join()} / ${theirs.join()})`);
          const rows = writeRows(into, table, cols, readRows(source, table, cols));
          continueIds(into, table);
          tables.push({ table, rows });
          o.onTable?.(table, rows);
        }
        // the copy says where it came from (§5: personal data moved is audited), never with a password
        appendAudit(into, { action: 'db_copy', approved_by: null, reason: null, subject: from, detail: `${from} → ${to}` });
        refreshStatistics(into, COPIED_TABLES);
      }),
    );
    target.close();
    target = null;
    if (fileTarget) {
      fs.chmodSync(staged, 0o600);
      for (const s of ['-wal', '-shm']) fs.rmSync(staged + s, { force: true });
      fs.renameSync(staged, o.to);
    }
    return { tables };
  } finally {
    target?.close();
    source.close();
    if (fileTarget) for (const s of ['', '-wal', '-shm']) fs.rmSync(staged + s, { force: true });
  }
}

function sameDatabase(a: string, b: string): boolean {
  if (isServerAddress(a) || isServerAddress(b)) return a === b;
  return path.resolve(a) === path.resolve(b);
}
