/**
 * How `customers show` prints a customer (app/customers.ts customerCard): the card, its owners
 * over time (issue 18), then the file (顾客档案表), the follow-up plan with each task's state,
 * the contact history (every recorded follow-up, extra contacts included), the events attended
 * and the orders; in json one object with all of it.
 */
import { columnHeader } from '../messages/columns.js';
import type { Ctx } from './context.js';
import type { CustomerCard } from '../app/customers.js';
import { t, type MessageKey } from '../messages/index.js';
import { daysBetween, fenToYuan } from '../domain/values.js';
import { tableCell } from '../io/width.js';
import { tableText } from '../io/output/cell.js';
import { headerText, RIGHT, type Column, type Row } from '../io/output/column.js';
import { boxTable } from '../io/output/table.js';

/** The card: each field that has a value, labelled, in this order. */
const CARD_FIELDS: Column[] = [
  { key: 'customer_id', header: columnHeader('col.customer_card.customer_id') },
  { key: 'name', header: columnHeader('col.customer_card.name') },
  { key: 'phone', header: columnHeader('col.customer_card.phone') },
  { key: 'gender', header: columnHeader('col.customer_card.gender'), codes: 'gender' },
  { key: 'birth_year', header: columnHeader('col.customer_card.birth_year') },
  { key: 'district', header: columnHeader('col.customer_card.district') },
  { key: 'district_name', header: columnHeader('col.customer_card.district_name') },
  { key: 'address', header: columnHeader('col.customer_card.address') },
  { key: 'health', header: columnHeader('col.customer_card.health') },
  { key: 'survey_no', header: columnHeader('col.customer_card.survey_no') },
  { key: 'collector_id', header: columnHeader('col.customer_card.collector_id') },
  { key: 'collected_on', header: columnHeader('col.customer_card.collected_on') },
  { key: 'owner_id', header: columnHeader('col.customer_card.owner_id') },
  { key: 'assigned_on', header: columnHeader('col.customer_card.assigned_on') },
  { key: 'pin_reason', header: columnHeader('col.customer_card.pin_reason') },
  { key: 'archived_on', header: columnHeader('col.customer_card.archived_on') },
  // §5: archived with a reason, which says "duplicate of #N" for one person entered twice (issue 15)
  { key: 'archive_reason', header: columnHeader('col.customer_card.archive_reason') },
];

/** A card for the eye: a long value cut with … (json keeps it whole). */
const CARD_WIDTH = 120;

/**
 * issue 18: one row per period of ownership, oldest first; until is exclusive (the day the
 * next owner took over), "now" for the current owner (null in json), whose days run up to
 * --as-of. A period of 0 days (a pin the day of an assignment) is shown, not hidden.
 */
const OWNERSHIP_COLUMNS: Column[] = [
  { key: 'from', header: columnHeader('col.customer_ownership.from') },
  { key: 'until', header: columnHeader('col.customer_ownership.until') },
  { key: 'days', header: columnHeader('col.customer_ownership.days'), kind: 'int' },
  { key: 'staff', header: columnHeader('col.customer_ownership.staff') },
  { key: 'rule', header: columnHeader('col.customer_ownership.rule'), codes: 'rule' },
  { key: 'previous', header: columnHeader('col.customer_ownership.previous') },
];

const TASK_COLUMNS: Column[] = [
  { key: 'due_by', header: columnHeader('col.customer_tasks.due_by') },
  { key: 'role', header: columnHeader('col.customer_tasks.role') },
  { key: 'seq', header: columnHeader('col.customer_tasks.seq'), kind: 'int' },
  { key: 'plan', header: columnHeader('col.customer_tasks.plan') },
  { key: 'staff_id', header: columnHeader('col.customer_tasks.staff_id') },
  { key: 'status', header: columnHeader('col.customer_tasks.status') },
  { key: 'done_on', header: columnHeader('col.customer_tasks.done_on') },
  { key: 'note', header: columnHeader('col.customer_tasks.note') },
];

const FOLLOWUP_COLUMNS: Column[] = [
  { key: 'done_on', header: columnHeader('col.customer_followups.done_on') },
  { key: 'role', header: columnHeader('col.customer_followups.role') },
  { key: 'method', header: columnHeader('col.customer_followups.method') },
  { key: 'staff_id', header: columnHeader('col.customer_followups.staff_id') },
  { key: 'task', header: columnHeader('col.customer_followups.task') },
  { key: 'note', header: columnHeader('col.customer_followups.note') },
];

const EVENT_COLUMNS: Column[] = [
  { key: 'event_date', header: columnHeader('col.customer_events.event_date') },
  { key: 'event', header: columnHeader('col.customer_events.event') },
  { key: 'purchased', header: columnHeader('col.customer_events.purchased'), kind: 'bool' },
  { key: 'amount_fen', header: columnHeader('col.customer_events.amount_fen'), kind: 'money' },
];

const ORDER_COLUMNS: Column[] = [
  { key: 'order_no', header: columnHeader('col.customer_orders.order_no') },
  { key: 'order_date', header: columnHeader('col.customer_orders.order_date') },
  { key: 'amount_fen', header: columnHeader('col.customer_orders.amount_fen'), kind: 'money' },
  { key: 'staff_id', header: columnHeader('col.customer_orders.staff_id') },
  { key: 'product', header: columnHeader('col.customer_orders.product') },
];

export function showCustomerCard(ctx: Ctx, card: CustomerCard): void {
  const { customer: c, history: h, ownership, revealed } = card;
  if (!revealed) ctx.info('sealed.show.masked');
  if (ctx.format === 'json' || ctx.format === 'jsonl') {
    const o = {
      ...c,
      // §4: booleans as JSON booleans, as `export customers` writes them (SQLite stores 0/1)
      ...('pinned' in c ? { pinned: c.pinned === 1 || c.pinned === true } : {}),
      ownership,
      file: h.file,
      tasks: h.tasks,
      followups: h.followups,
      // §4: money in yuan
      events: h.events.map(({ amount_fen, ...e }) => ({ ...e, amount: amount_fen === null ? null : fenToYuan(amount_fen) })),
      orders: h.orders.map(({ amount_fen, ...o }) => ({ ...o, amount: fenToYuan(amount_fen) })),
    };
    // one customer, not a listing: an object (indented for json, one line for jsonl)
    ctx.out(ctx.format === 'json' ? JSON.stringify(o, null, 2) : JSON.stringify(o));
    return;
  }
  const lines: string[] = [];
  for (const field of CARD_FIELDS) {
    const v = c[field.key];
    if (v === undefined || v === null || v === '') continue;
    // a Chinese label takes the full-width colon, as Chinese is written (姓名：许金凤)
    lines.push(`${headerText(field, ctx.lang)}${ctx.lang === 'zh' ? '：' : ': '}${tableCell(tableText(v, field, ctx.lang), CARD_WIDTH)}`);
  }
  // colour only on a terminal, as every listing (cli/output.ts)
  const color = ctx.color && ctx.stdoutIsTTY;
  const table = (rows: Row[], columns: Column[]) =>
    boxTable({
      head: [columns.map((col) => headerText(col, ctx.lang))],
      rows: rows.map((r) => columns.map((col) => tableText(r[col.key], col, ctx.lang))),
      right: columns.map((col) => RIGHT.has(col.kind ?? 'text')),
      color,
    }).replace(/\n$/, '');
  const role = (r: string) => t(`followups.role.${r}` as MessageKey);
  lines.push('');
  lines.push(...ownershipLines(ctx, card, table));
  if (!h.file) lines.push(t('detail.no_file'));
  else {
    lines.push(
      t('detail.file.line', {
        opened_on: h.file.opened_on,
        event: h.file.event ?? '—',
        buyer: h.file.buyer ? t('detail.file.buyer', { bought_on: h.file.bought_on ?? h.file.opened_on }) : t('detail.file.non_buyer'),
      }),
    );
  }
  if (h.tasks.length) {
    lines.push(t('detail.plan'));
    const tasks = h.tasks.map((x) => ({
      ...x,
      role: role(x.role),
      plan: t(`followups.plan.${x.plan}` as MessageKey),
      status: t(`followups.status.${x.status}` as MessageKey) + (x.overdue ? ` (${t('detail.overdue')})` : '') + (x.late ? ` (${t('detail.late')})` : ''),
    }));
    lines.push(table(tasks, TASK_COLUMNS));
  }
  if (!h.followups.length) lines.push(t('detail.no_followups'));
  else {
    lines.push(t('detail.followups'));
    const followups = h.followups.map((x) => ({
      ...x,
      role: role(x.role),
      method: t(`followups.method.${x.method}` as MessageKey),
      task: x.task_id === null ? t('followups.extra') : `#${x.seq}` + (x.late ? ` (${t('detail.late')})` : ''),
      note: revealed ? x.note : t('sealed.placeholder'),
    }));
    lines.push(table(followups, FOLLOWUP_COLUMNS));
  }
  if (h.events.length) {
    lines.push(t('detail.events'));
    lines.push(table(h.events, EVENT_COLUMNS));
  }
  if (h.orders.length) {
    lines.push(t('detail.orders'));
    lines.push(table(h.orders, ORDER_COLUMNS));
  }
  ctx.out(lines.join('\n'));
}

/**
 * The owners over time: the heading and the table, whose first row is the time from the
 * survey to the first assignment, when the customer had no owner (all of it for a customer
 * never assigned; none when assigned the day of the survey). An owner with no assignment on
 * record (a database filled by hand) is said in a line: there is no date to start a period from.
 */
function ownershipLines(ctx: Ctx, card: CustomerCard, table: (rows: Row[], columns: Column[]) => string): string[] {
  const { customer: c, ownership } = card;
  if (ownership.length === 0 && c.owner_id) return [t('customers.ownership.not_recorded', { owner: String(c.owner_id) })];
  const days = (from: string, until: string | null) => Math.max(0, daysBetween(from, until ?? ctx.asOf));
  const collected = String(c.collected_on);
  const first = ownership[0]?.from ?? null;
  const rows: Row[] = [];
  // assigned the day of the survey (or dated before it): no time without an owner to show
  if (first === null || first > collected) {
    rows.push({ from: collected, until: first ?? t('customers.ownership.now'), days: days(collected, first), staff: t('customers.ownership.unassigned'), rule: '', previous: '' });
  }
  for (const p of ownership) {
    rows.push({
      from: p.from,
      until: p.until ?? t('customers.ownership.now'),
      days: days(p.from, p.until),
      staff: p.staff_name ? `${p.staff_id} ${p.staff_name}` : p.staff_id,
      rule: p.rule,
      previous: p.previous_staff_id ?? '',
    });
  }
  return [t('customers.ownership'), table(rows, OWNERSHIP_COLUMNS)];
}
