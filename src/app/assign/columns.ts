/** The columns of what `assign` and `assign set` print (§4: JSON keys English and stable). */
import type { Column } from '../../io/output/column.js';
import { entry } from '../../messages/index.js';

export const COL = {
  customer_id: { key: 'customer_id', header: entry('col.assign.customer_id'), kind: 'int' },
  // §5: a phone or ID number typed into a name is masked as in `customers list` (assignments have no sealed column to reveal)
  name: { key: 'name', header: entry('col.assign.name'), mask: 'text' },
  staff_id: { key: 'staff_id', header: entry('col.assign.staff_id') },
  rule: { key: 'rule', header: entry('col.assign.rule') },
  explanation: { key: 'explanation', header: entry('col.assign.explanation') },
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
  { key: 'staff_id', header: entry('col.assign_summary.staff_id') },
  { key: 'name', header: entry('col.assign_summary.name') },
  { key: 'assigned', header: entry('col.assign_summary.assigned'), kind: 'int' },
  { key: 'collector', header: entry('col.assign_summary.collector'), kind: 'int' },
  { key: 'nearness', header: entry('col.assign_summary.nearness'), kind: 'int' },
  { key: 'new_staff', header: entry('col.assign_summary.new_staff'), kind: 'int' },
  { key: 'workload', header: entry('col.assign_summary.workload'), kind: 'int' },
  { key: 'load', header: entry('col.assign_summary.load'), kind: 'int' },
  { key: 'capacity', header: entry('col.assign_summary.capacity'), kind: 'int' },
];
