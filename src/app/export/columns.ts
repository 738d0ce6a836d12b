/**
 * The columns of each export kind (SPEC §4: csv headers and json keys) and what is sealed
 * in them (§5): `phone` columns and the free text where a phone or ID number may have been
 * typed (`text`) are masked by the output pipeline unless the export is revealed.
 *
 * issue 15: a file for people names its columns in Chinese (`--headers names`). A kind that
 * re-imports (staff, events, followups, orders, trips, expenses) takes, for each column its
 * import reads, that column's header in the import template (the first alias), so the file
 * goes back in as it is; its other columns, and every column of the kinds that do not
 * re-import, have their header in the catalogue (messages/columns.ts `col.export.*`).
 */
import { columnHeader } from '../../messages/columns.js';
import type { Column, ColumnKind } from '../../io/output/column.js';
import { mapHeader, type ColumnSpec } from '../../io/kind.js';
import { kind as staffKind } from '../../io/kinds/staff.js';
import { kind as eventsKind } from '../../io/kinds/events.js';
import { kind as followupsKind } from '../../io/kinds/followups.js';
import { kind as ordersKind } from '../../io/kinds/orders.js';
import { kind as tripsKind } from '../../io/kinds/trips.js';
import { kind as expensesKind } from '../../io/kinds/expenses.js';
import type { ExportKind } from './kinds.js';
import { TRIP_AMOUNT_COLUMNS } from '../allowance.js';

/** A column the kind's import reads: named as its import template names it. */
const c = (key: string, kind?: ColumnKind): Column => (kind ? { key, kind } : { key });
/** §5: phone and ID numbers typed into free text (names, notes, products…) */
const text = (key: string): Column => ({ key, mask: 'text' });
const phone: Column = { key: 'phone', mask: 'phone' };

/** The columns of the import that reads back what an export of the kind writes. */
export const REIMPORT: Partial<Record<ExportKind, { columns: ColumnSpec[] }>> = {
  staff: staffKind,
  events: eventsKind,
  followups: followupsKind,
  orders: ordersKind,
  trips: tripsKind,
  expenses: expensesKind,
};

/**
 * The columns of a table kind; the sealed ones (health, a follow-up's note) only when
 * revealed. Kinds with no sealed columns (events, files, orders, assignments) cannot be
 * revealed, so their free text is always masked; staff, trips and expenses hold no
 * customer's data and are written as they are.
 */
export function exportColumns(kind: Exclude<ExportKind, 'kpi'>, revealed: boolean): Column[] {
  const columns = kindColumns(kind, revealed);
  const reimport = REIMPORT[kind];
  return reimport ? withImportHeaders(columns, reimport) : columns;
}

/**
 * Each column the import reads (by its key, as `mapHeader` matches a header: `customer_id`
 * is the events import's `customer`) named as the import template names it in Chinese: the
 * Chinese file maps to the same import columns as the English one.
 */
function withImportHeaders(columns: Column[], reimport: { columns: ColumnSpec[] }): Column[] {
  const read = mapHeader(columns.map((col) => col.key), reimport.columns).index;
  const byIndex = new Map<number, string>();
  for (const [key, i] of read) {
    const zh = reimport.columns.find((spec) => spec.key === key)?.aliases[0];
    if (zh) byIndex.set(i, zh);
  }
  return columns.map((col, i) => {
    const zh = byIndex.get(i);
    return zh ? { ...col, header: { zh, en: col.key } } : col;
  });
}

function kindColumns(kind: Exclude<ExportKind, 'kpi'>, revealed: boolean): Column[] {
  switch (kind) {
    case 'staff':
      return [c('staff_id'), c('name'), c('role'), c('team'), c('district'), c('areas'), c('hired_on', 'date'), c('regular_on', 'date'), c('left_on', 'date'), c('capacity', 'int')];
    case 'customers':
      // the address is masked beyond its district by the use case (it needs the district)
      return [
        { key: 'customer_id', header: columnHeader('col.export.customers.customer_id'), kind: 'int' },
        { key: 'survey_no', header: columnHeader('col.export.customers.survey_no') },
        { key: 'name', header: columnHeader('col.export.customers.name'), mask: 'text' },
        { key: 'phone', header: columnHeader('col.export.customers.phone'), mask: 'phone' },
        { key: 'gender', header: columnHeader('col.export.customers.gender') },
        { key: 'birth_year', header: columnHeader('col.export.customers.birth_year'), kind: 'int' },
        { key: 'address', header: columnHeader('col.export.customers.address') },
        { key: 'district', header: columnHeader('col.export.customers.district') },
        ...(revealed ? [{ key: 'health', header: columnHeader('col.export.customers.health') }] : []),
        { key: 'collector_id', header: columnHeader('col.export.customers.collector_id') },
        { key: 'collected_on', header: columnHeader('col.export.customers.collected_on'), kind: 'date' },
        { key: 'owner_id', header: columnHeader('col.export.customers.owner_id') },
        { key: 'assigned_on', header: columnHeader('col.export.customers.assigned_on'), kind: 'date' },
        { key: 'pinned', header: columnHeader('col.export.customers.pinned'), kind: 'bool' },
        { key: 'pin_reason', header: columnHeader('col.export.customers.pin_reason'), mask: 'text' },
        { key: 'archived_on', header: columnHeader('col.export.customers.archived_on'), kind: 'date' },
        { key: 'archive_reason', header: columnHeader('col.export.customers.archive_reason'), mask: 'text' },
        { key: 'purchases_12m', header: columnHeader('col.export.customers.purchases_12m'), kind: 'money' },
        { key: 'class', header: columnHeader('col.export.customers.class') },
      ];
    case 'assignments':
      return [
        { key: 'assignment_id', header: columnHeader('col.export.assignments.assignment_id'), kind: 'int' },
        { key: 'customer_id', header: columnHeader('col.export.assignments.customer_id'), kind: 'int' },
        { key: 'staff_id', header: columnHeader('col.export.assignments.staff_id') },
        { key: 'previous_staff_id', header: columnHeader('col.export.assignments.previous_staff_id') },
        { key: 'rule', header: columnHeader('col.export.assignments.rule') },
        { key: 'explanation', header: columnHeader('col.export.assignments.explanation'), mask: 'text' },
        { key: 'assigned_on', header: columnHeader('col.export.assignments.assigned_on'), kind: 'date' },
        // issue 18: the row as a period of ownership, appended so that the columns before keep their places
        { key: 'until', header: columnHeader('col.export.assignments.until'), kind: 'date' },
        { key: 'days', header: columnHeader('col.export.assignments.days'), kind: 'int' },
      ];
    case 'events':
      return [
        { key: 'event_id', header: columnHeader('col.export.events.event_id'), kind: 'int' },
        c('customer_id', 'int'),
        { key: 'customer_name', header: columnHeader('col.export.events.customer_name'), mask: 'text' },
        c('event_date', 'date'), text('event'), c('purchased', 'bool'), c('amount', 'money'), c('recorded_by'),
      ];
    case 'files':
      return [
        { key: 'customer_id', header: columnHeader('col.export.files.customer_id'), kind: 'int' },
        { key: 'customer_name', header: columnHeader('col.export.files.customer_name'), mask: 'text' },
        { key: 'owner_id', header: columnHeader('col.export.files.owner_id') },
        { key: 'opened_on', header: columnHeader('col.export.files.opened_on'), kind: 'date' },
        { key: 'buyer', header: columnHeader('col.export.files.buyer'), kind: 'bool' },
        { key: 'bought_on', header: columnHeader('col.export.files.bought_on'), kind: 'date' },
        { key: 'event', header: columnHeader('col.export.files.event'), mask: 'text' },
        { key: 'recorded_by', header: columnHeader('col.export.files.recorded_by') },
      ];
    case 'tasks':
      return [
        { key: 'task_id', header: columnHeader('col.export.tasks.task_id'), kind: 'int' },
        { key: 'customer_id', header: columnHeader('col.export.tasks.customer_id'), kind: 'int' },
        { key: 'customer_name', header: columnHeader('col.export.tasks.customer_name'), mask: 'text' },
        { key: 'phone', header: columnHeader('col.export.tasks.phone'), mask: 'phone' },
        { key: 'role', header: columnHeader('col.export.tasks.role') },
        { key: 'seq', header: columnHeader('col.export.tasks.seq'), kind: 'int' },
        { key: 'plan', header: columnHeader('col.export.tasks.plan') },
        { key: 'due_by', header: columnHeader('col.export.tasks.due_by'), kind: 'date' },
        { key: 'staff_id', header: columnHeader('col.export.tasks.staff_id') },
        { key: 'status', header: columnHeader('col.export.tasks.status') },
        { key: 'done_on', header: columnHeader('col.export.tasks.done_on'), kind: 'date' },
        { key: 'overdue', header: columnHeader('col.export.tasks.overdue'), kind: 'bool' },
        { key: 'note', header: columnHeader('col.export.tasks.note'), mask: 'text' },
        // issue 18: when it started, when and why it was cancelled, when it last changed hands
        { key: 'created_on', header: columnHeader('col.export.tasks.created_on'), kind: 'date' },
        { key: 'cancelled_on', header: columnHeader('col.export.tasks.cancelled_on'), kind: 'date' },
        { key: 'cancel_reason', header: columnHeader('col.export.tasks.cancel_reason') },
        { key: 'moved_on', header: columnHeader('col.export.tasks.moved_on'), kind: 'date' },
      ];
    case 'followups':
      // a follow-up's note (what was said, often health) is sealed whole: left out unless revealed
      return [
        { key: 'followup_id', header: columnHeader('col.export.followups.followup_id'), kind: 'int' },
        c('customer_id', 'int'),
        { key: 'customer_name', header: columnHeader('col.export.followups.customer_name'), mask: 'text' },
        phone, c('role'), c('done_on', 'date'), c('method'), c('staff_id'),
        { key: 'task_id', header: columnHeader('col.export.followups.task_id'), kind: 'int' },
        { key: 'late', header: columnHeader('col.export.followups.late'), kind: 'bool' },
        ...(revealed ? [c('note')] : []),
      ];
    case 'orders':
      return [
        c('order_no'), c('customer_id', 'int'),
        { key: 'customer_name', header: columnHeader('col.export.orders.customer_name'), mask: 'text' },
        c('order_date', 'date'), c('amount', 'money'), c('staff_id'), text('product'),
        { key: 'source', header: columnHeader('col.export.orders.source') },
      ];
    case 'trips':
      return [
        c('trip_no'), c('staff_id'), c('start_date', 'date'),
        { key: 'start_time', header: columnHeader('col.export.trips.start_time') },
        c('end_date', 'date'),
        { key: 'end_time', header: columnHeader('col.export.trips.end_time') },
        c('scope'), c('purpose'), c('client'), c('reviewed_by'), c('approved_by'), c('invited_by'), c('transport_provided'), c('advance', 'money'),
        c('report_on', 'date'), c('order_amount', 'money'), c('deal_closed', 'bool'), c('exempt', 'bool'),
      ];
    case 'expenses':
      return [
        c('trip_no'),
        { key: 'line_no', header: columnHeader('col.export.expenses.line_no'), kind: 'int' },
        c('date', 'date'), c('time'), c('kind'), c('amount', 'money'), c('hours', 'number'), c('class'),
        c('standard_fare', 'money'), c('receipt', 'bool'), c('reason'), c('from'), c('to'), c('approved_by'),
      ];
    case 'allowances':
      return [
        { key: 'trip_no', header: columnHeader('col.export.allowances.trip_no') },
        { key: 'staff_id', header: columnHeader('allowance.col.staff_id') },
        { key: 'days', header: columnHeader('allowance.col.days'), kind: 'int' },
        ...TRIP_AMOUNT_COLUMNS,
        { key: 'flags', header: columnHeader('allowance.col.flags'), kind: 'list' },
      ];
  }
}
