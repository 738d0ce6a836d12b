/**
 * The columns of each export kind (SPEC §4: csv headers and json keys) and what is sealed
 * in them (§5): `phone` columns and the free text where a phone or ID number may have been
 * typed (`text`) are masked by the output pipeline unless the export is revealed.
 */
import type { Column, ColumnKind } from '../../io/output/column.js';
import type { ExportKind } from './kinds.js';

const c = (key: string, kind?: ColumnKind): Column => (kind ? { key, kind } : { key });
/** §5: phone and ID numbers typed into free text (names, notes, products…) */
const text = (key: string): Column => ({ key, mask: 'text' });
const phone: Column = { key: 'phone', mask: 'phone' };

/**
 * The columns of a table kind; the sealed ones (health, a follow-up's note) only when
 * revealed. Kinds with no sealed columns (events, files, orders, assignments) cannot be
 * revealed, so their free text is always masked; staff, trips and expenses hold no
 * customer's data and are written as they are.
 */
export function exportColumns(kind: Exclude<ExportKind, 'kpi'>, revealed: boolean): Column[] {
  switch (kind) {
    case 'staff':
      return [c('staff_id'), c('name'), c('role'), c('team'), c('district'), c('areas'), c('hired_on', 'date'), c('regular_on', 'date'), c('left_on', 'date'), c('capacity', 'int')];
    case 'customers':
      // the address is masked beyond its district by the use case (it needs the district)
      return [
        c('customer_id', 'int'), c('survey_no'), text('name'), phone, c('gender'), c('birth_year', 'int'), c('address'), c('district'),
        ...(revealed ? [c('health')] : []),
        c('collector_id'), c('collected_on', 'date'), c('owner_id'), c('assigned_on', 'date'), c('pinned', 'bool'), text('pin_reason'),
        c('archived_on', 'date'), text('archive_reason'), c('purchases_12m', 'money'), c('class'),
      ];
    case 'assignments':
      return [c('assignment_id', 'int'), c('customer_id', 'int'), c('staff_id'), c('previous_staff_id'), c('rule'), text('explanation'), c('assigned_on', 'date')];
    case 'events':
      return [c('event_id', 'int'), c('customer_id', 'int'), text('customer_name'), c('event_date', 'date'), text('event'), c('purchased', 'bool'), c('amount', 'money'), c('recorded_by')];
    case 'files':
      return [c('customer_id', 'int'), text('customer_name'), c('owner_id'), c('opened_on', 'date'), c('buyer', 'bool'), c('bought_on', 'date'), text('event'), c('recorded_by')];
    case 'tasks':
      return [
        c('task_id', 'int'), c('customer_id', 'int'), text('customer_name'), phone, c('role'), c('seq', 'int'), c('plan'), c('due_by', 'date'),
        c('staff_id'), c('status'), c('done_on', 'date'), c('overdue', 'bool'), text('note'),
      ];
    case 'followups':
      // a follow-up's note (what was said, often health) is sealed whole: left out unless revealed
      return [
        c('followup_id', 'int'), c('customer_id', 'int'), text('customer_name'), phone, c('role'), c('done_on', 'date'), c('method'),
        c('staff_id'), c('task_id', 'int'), c('late', 'bool'), ...(revealed ? [c('note')] : []),
      ];
    case 'orders':
      return [c('order_no'), c('customer_id', 'int'), text('customer_name'), c('order_date', 'date'), c('amount', 'money'), c('staff_id'), text('product'), c('source')];
    case 'trips':
      return [
        c('trip_no'), c('staff_id'), c('start_date', 'date'), c('start_time'), c('end_date', 'date'), c('end_time'), c('scope'), c('purpose'), c('client'),
        c('reviewed_by'), c('approved_by'), c('invited_by'), c('transport_provided'), c('advance', 'money'), c('report_on', 'date'),
        c('order_amount', 'money'), c('deal_closed', 'bool'), c('exempt', 'bool'),
      ];
    case 'expenses':
      return [
        c('trip_no'), c('line_no', 'int'), c('date', 'date'), c('time'), c('kind'), c('amount', 'money'), c('hours', 'number'), c('class'),
        c('standard_fare', 'money'), c('receipt', 'bool'), c('reason'), c('from'), c('to'), c('approved_by'),
      ];
    case 'allowances':
      return [
        c('trip_no'), c('staff_id'), c('days', 'int'), c('per_diem', 'money'), c('claimed', 'money'), c('reimbursable', 'money'),
        c('advance', 'money'), c('net_payable', 'money'), c('flags', 'list'),
      ];
  }
}
