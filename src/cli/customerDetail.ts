/**
 * How `customers show` prints a customer (app/customers.ts customerCard): the card, then the
 * file (顾客档案表), the follow-up plan with each task's state, the contact history (every
 * recorded follow-up, extra contacts included), the events attended and the orders; in json
 * one object with all of it.
 */
import type { Ctx } from './context.js';
import type { CustomerCard } from '../app/customers.js';
import { t, type MessageKey } from '../messages/index.js';
import { fenToYuan } from '../domain/values.js';
import { tableCell } from '../io/width.js';
import { tableText } from '../io/output/cell.js';
import { headerText, RIGHT, type Column, type Row } from '../io/output/column.js';
import { boxTable } from '../io/output/table.js';

const LABELS: Record<string, { zh: string; en: string }> = {
  customer_id: { zh: '编号', en: 'Customer' },
  name: { zh: '姓名', en: 'Name' },
  phone: { zh: '电话', en: 'Phone' },
  gender: { zh: '性别', en: 'Gender' },
  birth_year: { zh: '出生年', en: 'Born' },
  district: { zh: '地区代码', en: 'District' },
  district_name: { zh: '地区', en: 'District name' },
  address: { zh: '地址', en: 'Address' },
  health: { zh: '健康状况', en: 'Health' },
  survey_no: { zh: '问卷编号', en: 'Survey no.' },
  collector_id: { zh: '收集人', en: 'Collector' },
  collected_on: { zh: '收集日期', en: 'Collected on' },
  owner_id: { zh: '跟进人', en: 'Owner' },
  assigned_on: { zh: '分配日期', en: 'Assigned on' },
  pin_reason: { zh: '指定原因', en: 'Pin reason' },
  archived_on: { zh: '归档日期', en: 'Archived on' },
};

/** A card for the eye: a long value cut with … (json keeps it whole). */
const CARD_WIDTH = 120;

const TASK_COLUMNS: Column[] = [
  { key: 'due_by', header: { zh: '截止日期', en: 'Due by' } },
  { key: 'role', header: { zh: '回访人', en: 'Role' } },
  { key: 'seq', header: { zh: '次序', en: 'No.' }, kind: 'int' },
  { key: 'plan', header: { zh: '回访计划', en: 'Plan' } },
  { key: 'staff_id', header: { zh: '负责人', en: 'Staff' } },
  { key: 'status', header: { zh: '状态', en: 'Status' } },
  { key: 'done_on', header: { zh: '回访日期', en: 'Done on' } },
  { key: 'note', header: { zh: '说明', en: 'Note' } },
];

const FOLLOWUP_COLUMNS: Column[] = [
  { key: 'done_on', header: { zh: '回访日期', en: 'Done on' } },
  { key: 'role', header: { zh: '回访人', en: 'Role' } },
  { key: 'method', header: { zh: '方式', en: 'Method' } },
  { key: 'staff_id', header: { zh: '回访员工', en: 'Staff' } },
  { key: 'task', header: { zh: '完成任务', en: 'Task' } },
  { key: 'note', header: { zh: '内容', en: 'Note' } },
];

const EVENT_COLUMNS: Column[] = [
  { key: 'event_date', header: { zh: '活动日期', en: 'Date' } },
  { key: 'event', header: { zh: '活动', en: 'Event' } },
  { key: 'purchased', header: { zh: '购买', en: 'Bought' }, kind: 'bool' },
  { key: 'amount_fen', header: { zh: '金额', en: 'Amount' }, kind: 'money' },
];

const ORDER_COLUMNS: Column[] = [
  { key: 'order_no', header: { zh: '订单编号', en: 'Order no.' } },
  { key: 'order_date', header: { zh: '日期', en: 'Date' } },
  { key: 'amount_fen', header: { zh: '金额', en: 'Amount' }, kind: 'money' },
  { key: 'staff_id', header: { zh: '业务员', en: 'Staff' } },
  { key: 'product', header: { zh: '产品', en: 'Product' } },
];

export function showCustomerCard(ctx: Ctx, card: CustomerCard): void {
  const { customer: c, history: h, revealed } = card;
  if (!revealed) ctx.info('sealed.show.masked');
  if (ctx.format === 'json' || ctx.format === 'jsonl') {
    const o = {
      ...c,
      // §4: booleans as JSON booleans, as `export customers` writes them (SQLite stores 0/1)
      ...('pinned' in c ? { pinned: c.pinned === 1 || c.pinned === true } : {}),
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
  for (const [k, label] of Object.entries(LABELS)) {
    const v = c[k];
    if (v === undefined || v === null || v === '') continue;
    lines.push(`${label[ctx.lang]}: ${tableCell(String(v), CARD_WIDTH)}`);
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
