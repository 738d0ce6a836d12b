/**
 * events.csv → events, files (顾客档案表), follow-up plans and event orders (SPEC §2, §3.2).
 * Each row is recorded as read (UNIQUE(customer_id, event_date, event) makes a re-import a
 * no-op); after the last row the new and changed events are applied to files and plans per
 * customer in event_date order, so a sheet need not be sorted.
 */
import type { DB } from './db.js';
import type { RowWriter, WriteOutcome } from '../io/importer.js';
import type { EventRow } from '../io/kinds/events.js';
import { customerResolver, planApplier, PerCustomer, type Attendance, type PlanSummary } from './followups.js';

/** The order an event purchase records: derived from the event's key, so a re-import finds it again. */
export function eventOrderNo(customerId: number, eventDate: string, event: string): string {
  return `EV-${customerId}-${eventDate}${event ? '-' + event : ''}`;
}

export function eventsWriter(db: DB, asOf: string): RowWriter<EventRow> & { summary: PlanSummary; orders: { new: number; updated: number; removed: number } } {
  const resolve = customerResolver(db);
  const planner = planApplier(db, asOf);
  const find = db.prepare('SELECT event_id, purchased, amount_fen, recorded_by FROM events WHERE customer_id = ? AND event_date = ? AND event = ?');
  const insert = db.prepare('INSERT INTO events (customer_id, event_date, event, purchased, amount_fen, recorded_by) VALUES (?, ?, ?, ?, ?, ?)');
  const update = db.prepare('UPDATE events SET purchased = ?, amount_fen = ?, recorded_by = ? WHERE event_id = ?');
  const findOrder = db.prepare('SELECT customer_id, order_date, amount_fen, staff_id, product FROM orders WHERE order_no = ?');
  const insertOrder = db.prepare("INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id, product, source) VALUES (?, ?, ?, ?, ?, ?, 'event')");
  const updateOrder = db.prepare('UPDATE orders SET customer_id = ?, order_date = ?, amount_fen = ? WHERE order_no = ?');
  const removeOrder = db.prepare("DELETE FROM orders WHERE order_no = ? AND source = 'event'");
  const pending = new PerCustomer<Attendance>();
  const orders = { new: 0, updated: 0, removed: 0 };
  return {
    multiStatement: true,
    summary: planner.summary,
    orders,
    write(r): WriteOutcome {
      const c = resolve(r.customer);
      if ('error' in c) return c;
      const old = find.get(c.customer_id, r.event_date, r.event) as { event_id: number; purchased: number; amount_fen: number | null; recorded_by: string | null } | undefined;
      let outcome: WriteOutcome;
      if (!old) {
        insert.run(c.customer_id, r.event_date, r.event, r.purchased ? 1 : 0, r.amount_fen, r.recorded_by);
        outcome = 'new';
      } else if (old.purchased === (r.purchased ? 1 : 0) && old.amount_fen === r.amount_fen && old.recorded_by === r.recorded_by) {
        return 'unchanged';
      } else {
        update.run(r.purchased ? 1 : 0, r.amount_fen, r.recorded_by, old.event_id);
        outcome = 'updated';
      }
      // §2: `purchased` yes with an amount also records an order (credited to the owner at import)
      const orderNo = eventOrderNo(c.customer_id, r.event_date, r.event);
      if (r.purchased && r.amount_fen !== null) {
        const o = findOrder.get(orderNo) as { amount_fen: number } | undefined;
        if (!o) {
          insertOrder.run(orderNo, c.customer_id, r.event_date, r.amount_fen, c.owner_id, null);
          orders.new++;
        } else if (o.amount_fen !== r.amount_fen) {
          updateOrder.run(c.customer_id, r.event_date, r.amount_fen, orderNo);
          orders.updated++;
        }
      } else {
        // a corrected sheet (no purchase, or no amount any more): the derived order goes too
        orders.removed += removeOrder.run(orderNo).changes;
      }
      pending.add(c, { event_date: r.event_date, purchased: r.purchased, event: r.event || null, recorded_by: r.recorded_by });
      return outcome;
    },
    finish() {
      for (const { c, items } of pending.entries()) planner.apply(c, items);
    },
  };
}
