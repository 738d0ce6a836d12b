/**
 * `salesops followups due` (SPEC §3.2): the daily due list. A table groups it per staff
 * member (dueTable.ts); csv/tsv/json/jsonl and a workbook (issue 16: `--out FILE.xlsx`)
 * stream every row through the output pipeline, so a million-row list never sits in memory.
 */
import { t } from '../messages/index.js';
import { EXIT, UsageError } from '../errors.js';
import type { Ctx } from './context.js';
import { authorizeReveal, type RevealFlags } from './reveal.js';
import { limitFlag, print } from './output.js';
import { roleFlag } from './followupFlags.js';
import { openDatabase } from './database.js';

export interface DueFlags extends RevealFlags {
  within?: string;
  staff?: string;
  unassigned?: boolean;
  role?: string;
  overdue?: boolean;
  failIfOverdue?: boolean;
  limit?: string;
  out?: string;
}

export async function dueCommand(given: Ctx, f: DueFlags): Promise<number> {
  const { withOut } = await import('./output.js');
  // --out FILE: its extension decides the format (issue 16), checked before any work
  const ctx = await withOut(given, f.out);
  let within: number | undefined;
  if (f.within !== undefined) {
    if (!/^\d{1,5}$/.test(f.within.trim())) throw new UsageError(t('followups.error.within', { value: f.within }));
    within = Number(f.within);
  }
  const { effectiveLimit } = await import('../io/output/emit.js');
  const limit = effectiveLimit(ctx.format, limitFlag(f.limit));
  const role = f.role ? roleFlag(f.role) : undefined;
  if (f.staff && f.unassigned) throw new UsageError(t('followups.error.staff_and_unassigned'));
  const { dueList } = await import('../app/followups/due.js');
  const db = await openDatabase(ctx);
  try {
    const list = dueList(db, { asOf: ctx.asOf, within, staff: f.staff, unassigned: f.unassigned, role, overdue: f.overdue, limit });
    // §5: phones, and phone/ID numbers typed into notes or names, are masked unless a GM approved a reveal (audited)
    const revealed = await authorizeReveal(db, f, 'reveal', list.subject);
    // a cut list says so (and how to narrow it) instead of a total it does not know
    const cutNotice = { key: 'followups.due.truncated' } as const;
    let cut: boolean;
    if (ctx.format === 'table') {
      const { printDueTable } = await import('./dueTable.js');
      cut = await printDueTable(ctx, list, { limit, revealed, cutNotice });
    } else {
      cut = (await print(ctx, list.rows, list.columns, { limit, revealed, cutNotice, sheet: 'workbooks.sheet.due' })).cut;
    }
    const { overdue, notice } = list.tally();
    if (!cut) ctx.info(notice.key, notice.params);
    if (f.failIfOverdue && overdue > 0) {
      ctx.warn(t('followups.due.fail_overdue', { n: overdue }));
      return EXIT.overdue;
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}
