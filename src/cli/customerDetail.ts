/** The body of `customers show`: the customer card, then (follow-up issue) file, plan and contacts. */
import type { Ctx } from './context.js';
import type { DB } from '../store/db.js';

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

export function showCustomerDetail(ctx: Ctx, _db: DB, c: Record<string, unknown>, _revealed: boolean): void {
  if (ctx.format === 'json' || ctx.format === 'jsonl') {
    ctx.out(ctx.format === 'json' ? JSON.stringify(c, null, 2) : JSON.stringify(c));
    return;
  }
  const lines: string[] = [];
  for (const [k, label] of Object.entries(LABELS)) {
    const v = c[k];
    if (v === undefined || v === null || v === '') continue;
    lines.push(`${label[ctx.lang]}: ${String(v)}`);
  }
  ctx.out(lines.join('\n'));
}
