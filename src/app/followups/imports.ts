/**
 * `events import`, `orders import`, `followups import` (SPEC §2): the file into its table in
 * one transaction (io/importer.ts), the files and follow-up plans derived from it (§3.2),
 * every correction in the change log (old → new). Besides the import's report, what the
 * rows did to files and plans is returned as notices, said only once it is committed.
 */
import path from 'node:path';
import type { DB } from '../../store/db.js';
import type { ImportOptions, ImportReport } from '../../io/importer.js';
import type { RowWriter } from '../../io/kind.js';
import type { Notice } from '../listing.js';
import { runImport } from '../../io/importer.js';
import { rosterIndex } from '../../store/staff.js';
import { changeLog } from '../../store/changes.js';
import { eventsWriter } from '../../store/events.js';
import { ordersWriter } from '../../store/orders.js';
import { followUpWriter } from '../../store/followups.js';
import type { RebuildSummary } from '../../store/planRebuild.js';

export interface FileImportOptions extends Pick<ImportOptions<unknown>, 'encoding' | 'delimiter' | 'skipInvalid' | 'rejects' | 'dryRun' | 'onProgress' | 'sheet'> {
  file: string;
  asOf: string;
  /** the command line, as the change log keeps it (issue 13) */
  command: string;
}

export interface FileImport {
  report: ImportReport;
  /** what the rows did to files and plans (empty unless committed) */
  notices: Notice[];
}

async function importWith<T>(db: DB, kind: 'events' | 'orders' | 'followups', o: FileImportOptions, writer: RowWriter<T>): Promise<ImportReport> {
  const { file, asOf, command, ...flags } = o;
  return runImport({ ...flags, file, kind, db, writer, ctx: { asOf, data: rosterIndex(db) } });
}

/** A re-derived plan (issue 13) and follow-ups matched to new plans, after the plan's own summary. */
function replanned(s: RebuildSummary): Notice[] {
  const out: Notice[] = [];
  if (s.replanned || s.removed) out.push({ key: 'followups.plan.replanned', params: { ...s } });
  if (s.linked) out.push({ key: 'followups.plan.linked', params: { ...s } });
  return out;
}

export async function importEvents(db: DB, o: FileImportOptions): Promise<FileImport> {
  const w = eventsWriter(db, o.asOf, changeLog(db, o.command));
  const report = await importWith(db, 'events', o, w);
  if (!report.committed) return { report, notices: [] };
  const notices: Notice[] = [{ key: 'followups.plan.summary', params: { ...w.summary } }, ...replanned(w.summary)];
  // §2: a purchase at an event is an order
  if (w.orders.new || w.orders.updated || w.orders.removed) notices.push({ key: 'events.orders_summary', params: { ...w.orders } });
  return { report, notices };
}

export async function importOrders(db: DB, o: FileImportOptions): Promise<FileImport> {
  const w = ordersWriter(db, o.asOf, changeLog(db, o.command));
  const report = await importWith(db, 'orders', o, w);
  if (!report.committed) return { report, notices: [] };
  // an order opens no file: the plan's summary only when a non-buyer became a buyer
  const notices: Notice[] = w.summary.upgraded ? [{ key: 'followups.plan.summary', params: { ...w.summary } }] : [];
  return { report, notices: [...notices, ...replanned(w.summary)] };
}

export async function importFollowUps(db: DB, o: FileImportOptions): Promise<FileImport> {
  const w = followUpWriter(db, { source: path.basename(o.file), asOf: o.asOf, log: changeLog(db, o.command) });
  const report = await importWith(db, 'followups', o, w);
  // a row's outcome (new, a correction, unchanged) is known only after the last row
  const d = w.adjustment();
  report.new += d.new;
  report.updated += d.updated;
  report.unchanged += d.unchanged;
  if (!report.committed) return { report, notices: [] };
  const s = w.summary;
  const notices: Notice[] = [{ key: 'followups.import.summary', params: { ...s } }];
  if (s.corrected) notices.push({ key: 'followups.import.corrected', params: { ...s } });
  if (s.rematched) notices.push({ key: 'followups.import.rematched', params: { ...s } });
  return { report, notices };
}
