/**
 * orders.csv → orders (SPEC §2), idempotent by order_no. The credited rep defaults to the
 * customer's owner when the order is first imported and is kept when a later import of the
 * same order leaves `staff` blank (so a blank staff never counts as a change), unless the
 * row names another customer: then the default is that customer's owner. A purchase
 * dated on or after a non-buyer's file opened is "a later purchase" (§2 events.csv): it turns
 * the open non-buyer plan into a buyer plan from that date, exactly as a purchase at an event
 * does. A corrected order (date, customer) re-derives the plans of the customers it concerns
 * (store/planRebuild.ts); every correction is in the change log (old → new).
 */
import type { DB } from './db.js';
import { ownerOnDay } from './history.js';
import type { RowWriter, WriteOutcome } from '../io/kind.js';
import type { OrderRow } from '../io/kinds/orders.js';
import { customerResolver, PerCustomer, type CustomerRef } from './followups.js';
import { planRebuilder, type RebuildSummary } from './planRebuild.js';
import { NO_CHANGE_LOG, type ChangeLog } from './changes.js';

interface StoredOrder {
  customer_id: number;
  order_date: string;
  amount_fen: number;
  staff_id: string | null;
  product: string | null;
}

const FIELDS = ['customer_id', 'order_date', 'amount_fen', 'staff_id', 'product'] as const;

export function ordersWriter(db: DB, asOf: string, log: ChangeLog = NO_CHANGE_LOG): RowWriter<OrderRow> & { summary: RebuildSummary } {
  const resolve = customerResolver(db);
  const planner = planRebuilder(db, asOf);
  const find = db.prepare('SELECT customer_id, order_date, amount_fen, staff_id, product FROM orders WHERE order_no = ?');
  const customer = db.prepare('SELECT customer_id, name, owner_id, district FROM customers WHERE customer_id = ?');
  const insert = db.prepare("INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id, product, source) VALUES (?, ?, ?, ?, ?, ?, 'orders')");
  const update = db.prepare('UPDATE orders SET customer_id = ?, order_date = ?, amount_fen = ?, staff_id = ?, product = ? WHERE order_no = ?');
  const purchases = new PerCustomer<true>();
  const ownerOn = ownerOnDay(db);
  return {
    multiStatement: true,
    summary: planner.summary,
    write(r): WriteOutcome {
      const c = resolve(r.customer);
      if ('error' in c) return c;
      const old = find.get(r.order_no) as StoredOrder | undefined;
      if (!old) {
        // §2 "default the customer's owner": the owner on the order's day (issue 18: an order
        // recorded after a handover, dated before it, is the earlier owner's sale)
        insert.run(r.order_no, c.customer_id, r.order_date, r.amount_fen, r.staff_id ?? ownerOn(c.customer_id, r.order_date), r.product);
        purchases.add(c, true);
        return 'new';
      }
      // a blank staff keeps the credit given at the first import; a corrected customer's order
      // goes to that customer's owner, as a first import of the corrected row would credit it
      const staff = r.staff_id ?? (old.customer_id === c.customer_id ? old.staff_id : ownerOn(c.customer_id, r.order_date));
      const now: StoredOrder = { customer_id: c.customer_id, order_date: r.order_date, amount_fen: r.amount_fen, staff_id: staff, product: r.product };
      if (FIELDS.every((f) => old[f] === now[f])) {
        // derived again all the same (nothing written when the plan agrees): a re-import puts right what `check` reports
        purchases.add(c, true);
        return 'unchanged';
      }
      update.run(now.customer_id, now.order_date, now.amount_fen, now.staff_id, now.product, r.order_no);
      log.record('orders', r.order_no, { ...old }, { ...now }, FIELDS);
      // the plan depends on the purchase's date and customer only; an amount or staff correction leaves it
      if (old.customer_id !== now.customer_id || old.order_date !== now.order_date) {
        purchases.add(c, true);
        if (old.customer_id !== now.customer_id) {
          const before = customer.get(old.customer_id) as CustomerRef | undefined;
          if (before) purchases.add(before, true);
        }
      }
      return 'updated';
    },
    finish() {
      // the planner merges the customer's orders (these included) with the file's history
      for (const { c } of purchases.entries()) planner.rebuild(c);
    },
  };
}
