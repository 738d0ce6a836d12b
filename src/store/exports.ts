/**
 * The readers of `export` (SPEC §4): every row of one table kind, streamed in key order
 * (a million customers never sit in memory), optionally limited to a date range.
 */
import type { DB } from './db.js';
import { engineOf, type Engine } from './engine.js';
import type { DateRange } from '../domain/kpi.js';
import { nextAssignedOn } from './ownership.js';

const EXPORT_SQL = {
  staff: {
    sql: 'SELECT staff_id, name, role, team, district, areas, hired_on, regular_on, left_on, capacity FROM staff',
    order: 'staff_id',
  },
  customers: {
    sql: `SELECT c.customer_id, c.survey_no, c.name, c.phone, c.gender, c.birth_year, c.address, c.district, c.health,
        c.collector_id, c.collected_on, c.owner_id, c.assigned_on, c.pinned, c.pin_reason, c.archived_on, c.archive_reason,
        coalesce((SELECT sum(o.amount_fen) FROM orders o INDEXED BY orders_customer_kpi WHERE o.customer_id = c.customer_id AND o.order_date BETWEEN @wfrom AND @wto), 0) AS purchases_12m
      FROM customers c`,
    // issue 19: the same without the index hint (the server's planner chooses)
    postgres: `SELECT c.customer_id, c.survey_no, c.name, c.phone, c.gender, c.birth_year, c.address, c.district, c.health,
        c.collector_id, c.collected_on, c.owner_id, c.assigned_on, c.pinned, c.pin_reason, c.archived_on, c.archive_reason,
        coalesce((SELECT sum(o.amount_fen) FROM orders o WHERE o.customer_id = c.customer_id AND o.order_date BETWEEN @wfrom AND @wto), 0) AS purchases_12m
      FROM customers c`,
    order: 'c.customer_id',
  },
  assignments: {
    sql: 'SELECT a.assignment_id, a.customer_id, a.staff_id, a.previous_staff_id, a.rule, a.explanation, a.assigned_on FROM assignments a',
    order: 'a.assignment_id',
  },
  events: {
    sql: `SELECT e.event_id, e.customer_id, c.name AS customer_name, e.event_date, e.event, e.purchased, e.amount_fen AS amount, e.recorded_by
      FROM events e JOIN customers c ON c.customer_id = e.customer_id`,
    order: 'e.event_date, e.event_id',
  },
  files: {
    sql: `SELECT f.customer_id, c.name AS customer_name, c.owner_id, f.opened_on, f.buyer, f.bought_on, f.event, f.recorded_by
      FROM files f JOIN customers c ON c.customer_id = f.customer_id`,
    order: 'f.customer_id',
  },
  tasks: {
    sql: `SELECT t.task_id, t.customer_id, c.name AS customer_name, c.phone, t.role, t.seq, t.plan, t.due_by, t.staff_id, t.status, t.done_on,
        (t.status = 'open' AND t.due_by < @asOf) AS overdue, t.note, t.created_on, t.cancelled_on, t.cancel_reason, t.moved_on
      FROM tasks t JOIN customers c ON c.customer_id = t.customer_id`,
    order: 't.task_id',
  },
  followups: {
    sql: `SELECT f.followup_id, f.customer_id, c.name AS customer_name, c.phone, f.role, f.done_on, f.method, f.staff_id, f.task_id, f.late, f.note
      FROM followups f JOIN customers c ON c.customer_id = f.customer_id`,
    order: 'f.followup_id',
  },
  orders: {
    sql: `SELECT o.order_no, o.customer_id, c.name AS customer_name, o.order_date, o.amount_fen AS amount, o.staff_id, o.product, o.source
      FROM orders o JOIN customers c ON c.customer_id = o.customer_id`,
    order: 'o.order_date, o.order_no',
  },
  trips: {
    sql: `SELECT t.trip_no, t.staff_id, t.start_date, t.start_time, t.end_date, t.end_time, t.scope, t.purpose, t.client, t.reviewed_by,
        t.approved_by, t.invited_by, t.transport_provided, t.advance_fen AS advance, t.report_on, t.order_amount_fen AS order_amount, t.deal_closed, t.exempt
      FROM trips t`,
    order: 't.start_date, t.trip_no',
  },
  expenses: {
    sql: `SELECT x.trip_no, x.line_no, x.date, x.time, x.kind, x.amount_fen AS amount, x.hours, x.class, x.standard_fare_fen AS standard_fare, x.receipt, x.reason,
        x.from_place AS "from", x.to_place AS "to", x.approved_by
      FROM expenses x`,
    order: 'x.trip_no, x.line_no',
  },
} as const;

/** The kinds read straight from a table (allowances and kpi are computed by their use cases). */
export type ExportTable = keyof typeof EXPORT_SQL;

/** The date a `--period` of `export` filters on, per kind (staff: none). */
export const EXPORT_DATE: Record<ExportTable, string | null> = {
  staff: null,
  customers: 'c.collected_on',
  assignments: 'a.assigned_on',
  events: 'e.event_date',
  files: 'f.opened_on',
  tasks: 't.due_by',
  followups: 'f.done_on',
  orders: 'o.order_date',
  trips: 't.start_date',
  expenses: 'x.date',
};

export interface ExportQuery {
  kind: ExportTable;
  range: DateRange | null;
  asOf: string;
  /** customers: the purchases window of purchases_12m */
  classWindow?: DateRange;
  /** assignments: the last assignment_id read (store/ownership.ts nextAssignedOn) */
  upTo?: number;
}

/** The statement of one export; `engine`: whose twin, where the kind has one (issue 19). */
export function exportSql(q: ExportQuery, engine: Engine = 'sqlite'): { sql: string; params: Record<string, string | number> } {
  const e: { sql: string; order: string; postgres?: string } = EXPORT_SQL[q.kind];
  const { order } = e;
  const sql = engine === 'postgres' && e.postgres ? e.postgres : e.sql;
  const col = EXPORT_DATE[q.kind];
  const params: Record<string, string | number> = {};
  const where: string[] = [];
  if (q.range && col) {
    where.push(`${col} BETWEEN @from AND @to`);
    params.from = q.range.from;
    params.to = q.range.to;
  }
  if (q.upTo !== undefined) {
    where.push('a.assignment_id <= @upTo');
    params.upTo = q.upTo;
  }
  if (sql.includes('@asOf')) params.asOf = q.asOf;
  if (sql.includes('@wfrom')) {
    params.wfrom = q.classWindow?.from ?? '0000-01-01';
    params.wto = q.classWindow?.to ?? q.asOf;
  }
  return { sql: `${sql}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}`, params };
}

/** The rows of one kind, streamed (a million customers never sit in memory). */
export function exportRows(db: DB, q: ExportQuery): IterableIterator<Record<string, unknown>> {
  if (q.kind === 'assignments') return assignmentRows(db, q);
  const { sql, params } = exportSql(q, engineOf(db));
  return db.prepare(sql).iterate(params) as IterableIterator<Record<string, unknown>>;
}

/** issue 18: each assignment row with its `until`, the customer's next change of owner (null: the current owner). */
function* assignmentRows(db: DB, q: ExportQuery): Generator<Record<string, unknown>> {
  const next = nextAssignedOn(db, q.range);
  const { sql, params } = exportSql({ ...q, upTo: next.upTo }, engineOf(db));
  for (const r of db.prepare(sql).iterate(params) as IterableIterator<Record<string, unknown>>) {
    r.until = next.until(r.assignment_id as number);
    yield r;
  }
}
