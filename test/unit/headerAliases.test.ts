/**
 * Issue 15: the headers an office's sheets really have. Every kind reads its template's
 * header, its English key, and the names WPS/Excel sheets give the column; no name may mean
 * two columns of one kind, and the template's header (the first alias) stays what it was.
 */
import { describe, expect, it } from 'vitest';
import { mapHeader, normalizeHeader, type ImportKind } from '../../src/io/kind.js';
import { kind as staff } from '../../src/io/kinds/staff.js';
import { kind as surveys } from '../../src/io/kinds/surveys.js';
import { kind as events } from '../../src/io/kinds/events.js';
import { kind as followups } from '../../src/io/kinds/followups.js';
import { kind as orders } from '../../src/io/kinds/orders.js';
import { kind as trips } from '../../src/io/kinds/trips.js';
import { kind as expenses } from '../../src/io/kinds/expenses.js';

const KINDS: ImportKind[] = [staff, surveys, events, followups, orders, trips, expenses] as ImportKind[];

describe('no header names two columns of one kind', () => {
  it.each(KINDS.map((k) => [k.name, k] as const))('%s', (_name, kind) => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const c of kind.columns) {
      for (const name of [c.key, ...c.aliases]) {
        const n = normalizeHeader(name);
        const was = owner.get(n);
        if (was !== undefined && was !== c.key) clashes.push(`${name}: ${was} and ${c.key}`);
        owner.set(n, c.key);
      }
    }
    expect(clashes).toEqual([]);
  });

  it.each(KINDS.map((k) => [k.name, k] as const))('%s: every column has a Chinese template header (its first alias)', (_name, kind) => {
    expect(kind.columns.filter((c) => !/[\u4e00-\u9fff]/.test(c.aliases[0] ?? '')).map((c) => c.key)).toEqual([]);
  });
});

/** [kind, header as an office writes it, the column it is] */
const OFFICE_HEADERS: [ImportKind, string, string][] = [
  [staff, '工号', 'staff_id'],
  [staff, '员工编号', 'staff_id'],
  [staff, '员工工号', 'staff_id'],
  [staff, '姓名', 'name'],
  [staff, '员工姓名', 'name'],
  [staff, '职务', 'role'],
  [staff, '部门/小组', 'team'],
  [staff, '所属部门', 'team'],
  [staff, '入职日期', 'hired_on'],
  [staff, '入职时间', 'hired_on'],
  [staff, '离职日期', 'left_on'],
  [staff, '转正日期', 'regular_on'],
  [staff, '档案数上限', 'capacity'],
  [surveys, '手机号码', 'phone'],
  [surveys, '手机号', 'phone'],
  [surveys, '联系方式', 'phone'],
  [surveys, '联系电话', 'phone'],
  [surveys, '移动电话', 'phone'],
  [surveys, '手机/电话', 'phone'],
  [surveys, '客户姓名', 'name'],
  [surveys, '采集人', 'collector'],
  [surveys, '调查员', 'collector'],
  [surveys, '调查日期', 'collected_on'],
  [surveys, '采集日期', 'collected_on'],
  [surveys, '问卷号', 'survey_no'],
  [surveys, '出生年月', 'birth_year'],
  [surveys, '家庭地址', 'address'],
  [surveys, '身体状况', 'health'],
  [events, '客户姓名', 'name'],
  [events, '手机号码', 'phone'],
  [events, '活动时间', 'event_date'],
  [events, '是否成交', 'purchased'],
  [events, '成交金额（元）', 'amount'],
  [events, '金额(元)', 'amount'],
  [followups, '联系方式', 'phone'],
  [followups, '回访形式', 'method'],
  [followups, '回访情况', 'note'],
  [followups, '回访员', 'staff'],
  [orders, '订单号', 'order_no'],
  [orders, '销售单号', 'order_no'],
  [orders, '金额', 'amount'],
  [orders, '金额（元）', 'amount'],
  [orders, '实收金额（元）', 'amount'],
  [orders, '成交日期', 'order_date'],
  [orders, '客户姓名', 'name'],
  [orders, '销售代表', 'staff'],
  [trips, '出差单号', 'trip_no'],
  [trips, '出发日期', 'start'],
  [trips, '出差日期', 'start'],
  [trips, '返回日期', 'end'],
  [trips, '返程日期', 'end'],
  [trips, '出差事由', 'purpose'],
  [trips, '出差原因', 'purpose'],
  [trips, '是否派车', 'transport_provided'],
  [trips, '预支金额（元）', 'advance'],
  [trips, '是否签单', 'deal_closed'],
  [expenses, '出差单号', 'trip_no'],
  [expenses, '费用项目', 'kind'],
  [expenses, '交通工具', 'kind'],
  [expenses, '票价（元）', 'amount'],
  [expenses, '上车时间', 'time'],
  [expenses, '有无正式发票', 'receipt'],
  [expenses, '乘车原因', 'reason'],
  [expenses, '上车地点', 'from'],
  [expenses, '下车地点', 'to'],
];

describe('the headers an office writes', () => {
  it.each(OFFICE_HEADERS.map(([k, h, key]) => [k.name, h, key, k] as const))('%s: %j is %s', (_name, header, key, kind) => {
    expect(Object.fromEntries(mapHeader([header], kind.columns).index)).toEqual({ [key]: 0 });
  });

  it.each<[ImportKind, string[]]>([
    [staff, ['员工编号', '员工姓名', '职务', '部门/小组', '入职时间', '离职日期']],
    [surveys, ['问卷号', '客户姓名', '性别', '年龄', '手机号码', '家庭地址', '采集人', '调查日期']],
    [events, ['客户姓名', '联系方式', '活动时间', '活动主题', '是否成交', '成交金额（元）', '录入人']],
    [followups, ['客户姓名', '手机号码', '回访岗位', '回访时间', '回访形式', '回访员', '回访情况']],
    [orders, ['订单号', '客户姓名', '手机号码', '成交日期', '金额（元）', '销售代表', '品名']],
    [trips, ['出差单号', '出差人姓名', '出差日期', '返程日期', '出差区域', '出差原因', '拜访单位', '部门审核人', '总经理审批', '是否派车', '预支金额（元）']],
    [expenses, ['出差单号', '消费日期', '上车时间', '费用项目', '票价（元）', '座别', '有无正式发票', '乘车原因', '上车地点', '下车地点']],
  ])('a whole office sheet of %s maps, nothing missing or unknown', (kind, header) => {
    const m = mapHeader(header, kind.columns);
    expect({ missing: m.missing, unknown: m.unknown, duplicates: m.duplicates }).toEqual({ missing: [], unknown: [], duplicates: [] });
    expect(m.index.size).toBe(header.length);
  });
});
