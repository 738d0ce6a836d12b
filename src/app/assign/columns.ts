/** The columns of what `assign` and `assign set` print (§4: JSON keys English and stable). */
import type { Column } from '../../io/output/column.js';

export const COL = {
  customer_id: { key: 'customer_id', header: { zh: '顾客编号', en: 'customer_id' }, kind: 'int' },
  // §5: a phone or ID number typed into a name is masked as in `customers list` (assignments have no sealed column to reveal)
  name: { key: 'name', header: { zh: '姓名', en: 'name' }, mask: 'text' },
  staff_id: { key: 'staff_id', header: { zh: '跟进人', en: 'staff_id' } },
  rule: { key: 'rule', header: { zh: '规则', en: 'rule' } },
  explanation: { key: 'explanation', header: { zh: '说明', en: 'explanation' } },
} satisfies Record<string, Column>;

/**
 * §4: the machine formats carry customer_id, staff_id, rule and explanation; the table form
 * adds the name (`names`) and shows the explanation only with --explain.
 */
export function assignColumns(names: boolean, explain: boolean, explanation: Column = COL.explanation): Column[] {
  return [COL.customer_id, ...(names ? [COL.name] : []), COL.staff_id, COL.rule, ...(explain ? [explanation] : [])];
}

/** The per-rep summary of a run (stderr). */
export const SUMMARY_COLUMNS: Column[] = [
  { key: 'staff_id', header: { zh: '工号', en: 'staff_id' } },
  { key: 'name', header: { zh: '姓名', en: 'name' } },
  { key: 'assigned', header: { zh: '本次分配', en: 'assigned' }, kind: 'int' },
  { key: 'collector', header: { zh: '收集人', en: 'collector' }, kind: 'int' },
  { key: 'nearness', header: { zh: '就近', en: 'nearness' }, kind: 'int' },
  { key: 'new_staff', header: { zh: '新员工', en: 'new_staff' }, kind: 'int' },
  { key: 'workload', header: { zh: '负载', en: 'workload' }, kind: 'int' },
  { key: 'load', header: { zh: '跟进总数', en: 'load' }, kind: 'int' },
  { key: 'capacity', header: { zh: '档案上限', en: 'capacity' }, kind: 'int' },
];
