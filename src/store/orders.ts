/**
 * orders.csv → orders (SPEC §2), idempotent by order_no. The credited rep defaults to the
 * customer's owner when the order is first imported and is kept when a later import of the
 * same order leaves `staff` blank. A purchase dated on or after a non-buyer's file opened is
 * "a later purchase" (§2 events.csv): it turns the open non-buyer plan into a buyer plan
 * from that date, exactly as a purchase at an event does.
 */
import type { DB } from './db.js';
import type { RowWriter, WriteOutcome } from '../io/importer.js';
import type { OrderRow } from '../io/kinds/orders.js';
import { customerResolver, planApplier, PerCustomer, type PlanSummary } from './followups.js';

interface StoredOrder {
  customer_id: number;
  order_date: string;
  amount_fen: number;
  staff_id: string | null;
  product: string | null;
}

export function ordersWriter(db: DB, asOf: string): RowWriter<OrderRow> & { summary: PlanSummary } {
  const resolve = customerResolver(db);
  const planner = planApplier(db, asOf);
  const find = db.prepare('SELECT customer_id, order_date, amount_fen, staff_id, product FROM orders WHERE order_no = ?');
  const insert = db.prepare("INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id, product, source) VALUES (?, ?, ?, ?, ?, ?, 'orders')");
  const update = db.prepare('UPDATE orders SET customer_id = ?, order_date = ?, amount_fen = ?, staff_id = ?, product = ? WHERE order_no = ?');
  const purchases = new PerCustomer<string>();
  return {
    multiStatement: true,
    summary: planner.summary,
    write(r): WriteOutcome {
      const c = resolve(r.customer);
      if ('error' in c) return c;
      const old = find.get(r.order_no) as StoredOrder | undefined;
      if (!old) {
        insert.run(r.order_no, c.customer_id, r.order_date, r.amount_fen, r.staff_id ?? c.owner_id, r.product);
        purchases.add(c, r.order_date);
        return 'new';
      }
      const staff = r.staff_id ?? old.staff_id;
      if (old.customer_id === c.customer_id && old.order_date === r.order_date && old.amount_fen === r.amount_fen && old.staff_id === staff && old.product === r.product) {
        return 'unchanged';
      }
      update.run(c.customer_id, r.order_date, r.amount_fen, staff, r.product, r.order_no);
      purchases.add(c, r.order_date);
      return 'updated';
    },
    finish() {
      // the planner merges the customer's orders (these included) with the file's history
      for (const { c } of purchases.entries()) planner.apply(c, []);
    },
  };
}
