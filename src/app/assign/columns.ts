/** The columns of what `assign` and `assign set` print (§4: JSON keys English and stable). */
import { columnHeader } from '../../messages/columns.js';
import type { Column } from '../../io/output/column.js';

export const COL = {
  customer_id: { key: 'customer_id', header: columnHeader('col.assign.customer_id'), kind: 'int' },
  // §5: a phone or ID number typed into a name is masked as in `customers list` (assignments have no sealed column to reveal)
  name: { key: 'name', header: columnHeader('col.assign.name'), mask: 'text' },
  staff_id: { key: 'staff_id', header: columnHeader('col.assign.staff_id') },
  rule: { key: 'rule', header: columnHeader('col.assign.rule'), codes: 'rule' },
  explanation: { key: 'explanation', header: columnHeader('col.assign.explanation') },
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
  { key: 'staff_id', header: columnHeader('col.assign_summary.staff_id') },
  { key: 'name', header: columnHeader('col.assign_summary.name') },
  { key: 'assigned', header: columnHeader('col.assign_summary.assigned'), kind: 'int' },
  { key: 'collector', header: columnHeader('col.assign_summary.collector'), kind: 'int' },
  { key: 'nearness', header: columnHeader('col.assign_summary.nearness'), kind: 'int' },
  { key: 'new_staff', header: columnHeader('col.assign_summary.new_staff'), kind: 'int' },
  { key: 'workload', header: columnHeader('col.assign_summary.workload'), kind: 'int' },
  { key: 'load', header: columnHeader('col.assign_summary.load'), kind: 'int' },
  { key: 'capacity', header: columnHeader('col.assign_summary.capacity'), kind: 'int' },
];
