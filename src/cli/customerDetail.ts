/**
 * The body of `customers show`: the customer card, then the file (顾客档案表), the follow-up
 * plan with each task's state, the contact history (every recorded follow-up, extra contacts
 * included), the events attended and the orders.
 */
import { tableCell } from '../io/width.js';
import type { Ctx } from './context.js';
import type { DB } from '../store/db.js';
import { t, type MessageKey } from '../messages/index.js';
import { customerHistory } from '../store/followups.js';
import { renderTable, type Column } from '../io/render.js';
import { fenToYuan } from '../domain/values.js';
import { isOverdue } from '../domain/followUpPlan.js';
import { maskFreeText } from '../domain/masking.js';

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

/**
 * §5, the same rule as `export`: unless revealed, a task's note (the manager's instruction) is
 * shown with phone and ID numbers masked, a follow-up's note (what the customer said, often
 * health) is sealed, and the other free text (event names, products) has its numbers masked.
 */
function sealHistory(h: ReturnType<typeof customerHistory>, revealed: boolean): ReturnType<typeof customerHistory> {
  if (revealed) return h;
  return {
    ...h,
    file: h.file ? { ...h.file, event: maskFreeText(h.file.event) } : h.file,
    tasks: h.tasks.map((x) => ({ ...x, note: maskFreeText(x.note) })),
    followups: h.followups.map(({ note: _sealed, ...x }) => x) as typeof h.followups,
    events: h.events.map((e) => ({ ...e, event: maskFreeText(e.event) })),
    orders: h.orders.map((o) => ({ ...o, product: maskFreeText(o.product) })),
  };
}

export function showCustomerDetail(ctx: Ctx, db: DB, c: Record<string, unknown>, revealed: boolean): void {
  const h = sealHistory(customerHistory(db, c.customer_id as number), revealed);
  if (!revealed) ctx.info('sealed.show.masked');
  if (ctx.format === 'json' || ctx.format === 'jsonl') {
    const o = {
      ...c,
      // §4: booleans as JSON booleans, as `export customers` writes them (SQLite stores 0/1)
      ...('pinned' in c ? { pinned: c.pinned === 1 || c.pinned === true } : {}),
      file: h.file,
      tasks: h.tasks.map((x) => ({ ...x, overdue: x.status === 'open' && isOverdue(x.due_by, ctx.asOf) })),
      followups: h.followups,
      events: h.events.map(({ amount_fen, ...e }) => ({ ...e, amount: amount_fen === null ? null : fenToYuan(amount_fen) })),
      orders: h.orders.map(({ amount_fen, ...o }) => ({ ...o, amount: fenToYuan(amount_fen) })),
    };
    ctx.out(ctx.format === 'json' ? JSON.stringify(o, null, 2) : JSON.stringify(o));
    return;
  }
  const lines: string[] = [];
  const CARD_WIDTH = 120;
  for (const [k, label] of Object.entries(LABELS)) {
    const v = c[k];
    if (v === undefined || v === null || v === '') continue;
    // a card for the eye: a long value cut with … (json keeps it whole)
    lines.push(`${label[ctx.lang]}: ${tableCell(String(v), CARD_WIDTH)}`);
  }
  const tbl = (rows: Record<string, unknown>[], cols: Column[]) => renderTable(rows, cols, ctx).replace(/\n$/, '');
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
    lines.push(
      tbl(
        h.tasks.map((x) => ({
          ...x,
          role: role(x.role),
          plan: t(`followups.plan.${x.plan}` as MessageKey),
          status:
            t(`followups.status.${x.status}` as MessageKey) +
            (x.status === 'open' && isOverdue(x.due_by, ctx.asOf) ? ` (${t('detail.overdue')})` : '') +
            (x.late ? ` (${t('detail.late')})` : ''),
        })),
        [
          { key: 'due_by', header: { zh: '截止日期', en: 'Due by' } },
          { key: 'role', header: { zh: '回访人', en: 'Role' } },
          { key: 'seq', header: { zh: '次序', en: 'No.' }, kind: 'int' },
          { key: 'plan', header: { zh: '回访计划', en: 'Plan' } },
          { key: 'staff_id', header: { zh: '负责人', en: 'Staff' } },
          { key: 'status', header: { zh: '状态', en: 'Status' } },
          { key: 'done_on', header: { zh: '回访日期', en: 'Done on' } },
          { key: 'note', header: { zh: '说明', en: 'Note' } },
        ],
      ),
    );
  }
  if (!h.followups.length) lines.push(t('detail.no_followups'));
  else {
    lines.push(t('detail.followups'));
    lines.push(
      tbl(
        h.followups.map((x) => ({
          ...x,
          role: role(x.role),
          method: t(`followups.method.${x.method}` as MessageKey),
          task: x.task_id === null ? t('followups.extra') : `#${x.seq}` + (x.late ? ` (${t('detail.late')})` : ''),
          note: revealed ? x.note : t('sealed.placeholder'),
        })),
        [
          { key: 'done_on', header: { zh: '回访日期', en: 'Done on' } },
          { key: 'role', header: { zh: '回访人', en: 'Role' } },
          { key: 'method', header: { zh: '方式', en: 'Method' } },
          { key: 'staff_id', header: { zh: '回访员工', en: 'Staff' } },
          { key: 'task', header: { zh: '完成任务', en: 'Task' } },
          { key: 'note', header: { zh: '内容', en: 'Note' } },
        ],
      ),
    );
  }
  if (h.events.length) {
    lines.push(t('detail.events'));
    lines.push(
      tbl(h.events as unknown as Record<string, unknown>[], [
        { key: 'event_date', header: { zh: '活动日期', en: 'Date' } },
        { key: 'event', header: { zh: '活动', en: 'Event' } },
        { key: 'purchased', header: { zh: '购买', en: 'Bought' }, kind: 'bool' },
        { key: 'amount_fen', header: { zh: '金额', en: 'Amount' }, kind: 'money' },
      ]),
    );
  }
  if (h.orders.length) {
    lines.push(t('detail.orders'));
    lines.push(
      tbl(h.orders as unknown as Record<string, unknown>[], [
        { key: 'order_no', header: { zh: '订单编号', en: 'Order no.' } },
        { key: 'order_date', header: { zh: '日期', en: 'Date' } },
        { key: 'amount_fen', header: { zh: '金额', en: 'Amount' }, kind: 'money' },
        { key: 'staff_id', header: { zh: '业务员', en: 'Staff' } },
        { key: 'product', header: { zh: '产品', en: 'Product' } },
      ]),
    );
  }
  ctx.out(lines.join('\n'));
}
