/**
 * The table form of `followups due` (§3.2): one block per staff member — what each must do,
 * under a heading with their name and counts — the unassigned last. Grouped, so it is not
 * the pipeline's one-box table sink; the boxes are its renderer (io/output/table.ts), linear
 * in rows (§7: a due list answers interactively), and the cells its text (io/output/cell.ts).
 */
import { columnHeader } from '../messages/columns.js';
import { t, type MessageKey } from '../messages/index.js';
import type { Column } from '../io/output/column.js';
import { headerText } from '../io/output/column.js';
import { tableText } from '../io/output/cell.js';
import { boxTable } from '../io/output/table.js';
import { maskRow } from '../io/output/emit.js';
import { writeOut } from '../stdio.js';
import type { DueItem, DueList } from '../app/followups/due.js';
import type { Ctx } from './context.js';

const TABLE: Column[] = [
  { key: 'due_by', header: columnHeader('followups.due.col.due_by'), kind: 'date' },
  { key: 'late', header: columnHeader('followups.due.col.overdue') },
  // an id as it is typed (`#1234`), without a thousands separator
  { key: 'customer_id', header: columnHeader('followups.due.col.customer') },
  { key: 'customer_name', header: columnHeader('followups.due.col.name') },
  { key: 'phone', header: columnHeader('followups.due.col.phone') },
  { key: 'followup', header: columnHeader('followups.due.col.followup') },
  { key: 'note', header: columnHeader('followups.due.col.note') },
];
const RIGHT_ALIGNED = new Set(['customer_id']);

export interface DueTableOptions {
  /** rows shown (0 = all) */
  limit: number;
  revealed: boolean;
  cutNotice: { key: MessageKey };
}

/** Prints the table (nothing when no task is due); true when the list was cut at the limit. */
export async function printDueTable(ctx: Ctx, list: DueList, o: DueTableOptions): Promise<boolean> {
  const sealed = o.revealed ? [] : list.columns.filter((c) => c.mask);
  const rows: DueItem[] = [];
  let cut = false;
  for (const r of list.rows) {
    if (o.limit && rows.length === o.limit) {
      cut = true;
      break;
    }
    rows.push(sealed.length ? maskRow(r as unknown as Record<string, unknown>, sealed) as unknown as DueItem : r);
  }
  if (rows.length) await writeOut(ctx.io.stdout, dueTable(ctx, rows));
  if (cut) ctx.info(o.cutNotice.key, { n: rows.length });
  return cut;
}

function dueTable(ctx: Ctx, rows: DueItem[]): string {
  const groups = new Map<string, DueItem[]>();
  for (const r of rows) {
    const k = r.staff_id ?? '';
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  // the note column only when some task has a note
  const columns = rows.some((r) => r.note) ? TABLE : TABLE.filter((c) => c.key !== 'note');
  const head = [columns.map((c) => headerText(c, ctx.lang))];
  const right = columns.map((c) => RIGHT_ALIGNED.has(c.key));
  const color = ctx.color && ctx.stdoutIsTTY;
  const out: string[] = [];
  for (const k of keys) {
    const g = groups.get(k)!;
    const od = g.filter((r) => r.overdue).length;
    // the holder's name in the heading of the block: the box has no staff column, so one name, not two
    const heading = k
      ? t('followups.due.heading', { staff: k, name: g[0].staff_name ?? '', count: g.length, overdue: od })
      : t('followups.due.heading_unassigned', { count: g.length, overdue: od });
    const cells = g.map((r) => {
      const shown: Record<string, unknown> = {
        ...r,
        late: r.overdue ? t('followups.due.days_overdue', { n: r.days_overdue }) : r.due_by === ctx.asOf ? t('followups.due.today') : '',
        followup: `${t(`followups.role.${r.role}`)} #${r.seq} · ${t(`followups.plan.${r.plan}`)}`,
      };
      return columns.map((c) => tableText(shown[c.key], c, ctx.lang));
    });
    out.push(heading + '\n' + boxTable({ head, rows: cells, right, color }));
  }
  return out.join('\n');
}
