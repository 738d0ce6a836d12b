/**
 * events.csv → events, files (顾客档案表), follow-up plans and event orders (SPEC §2, §3.2).
 * Each row is recorded as read (UNIQUE(customer_id, event_date, event) makes a re-import a
 * no-op; a corrected purchase or amount updates the row, the change log keeps old → new);
 * after the last row every customer a row names has its file, plan and links derived again
 * from all its events, orders and follow-ups (store/planRebuild.ts; nothing is written when
 * they agree), so a sheet need not be sorted, a correction (是 → 否) gives what a clean import
 * would, and importing a sheet again puts right a plan `check` reports.
 * Two rows of one file for the same attendance are a row error even when they name the
 * customer differently (a phone in one, phone + name or `#id` in the other): the importer's
 * check compares the key as written, this one the resolved customer, with the same message.
 */
import type { DB } from './db.js';
import { duplicateRow } from '../io/importer.js';
import { keyOf, type RowWriter, type WriteOutcome } from '../io/kind.js';
import { kind as eventsKind, type EventRow } from '../io/kinds/events.js';
import { customerKeyText } from '../io/kinds/followups.js';
import { customerResolver, PerCustomer } from './followups.js';
import { planRebuilder, type RebuildSummary } from './planRebuild.js';
import { NO_CHANGE_LOG, type ChangeLog } from './changes.js';
import { ownerOnDay } from './history.js';

/** The order an event purchase records: derived from the event's key, so a re-import finds it again. */
export function eventOrderNo(customerId: number, eventDate: string, event: string): string {
  return `EV-${customerId}-${eventDate}${event ? '-' + event : ''}`;
}

/** The change log's key of an attendance: `customer_id|event_date|event`. */
export function eventKey(customerId: number, eventDate: string, event: string): string {
  return `${customerId}|${eventDate}|${event}`;
}

export function eventsWriter(
  db: DB,
  asOf: string,
  log: ChangeLog = NO_CHANGE_LOG,
): RowWriter<EventRow> & { summary: RebuildSummary; orders: { new: number; updated: number; removed: number } } {
  const resolve = customerResolver(db);
  const planner = planRebuilder(db, asOf);
  const find = db.prepare('SELECT event_id, purchased, amount_fen, recorded_by FROM events WHERE customer_id = ? AND event_date = ? AND event = ?');
  const insert = db.prepare('INSERT INTO events (customer_id, event_date, event, purchased, amount_fen, recorded_by) VALUES (?, ?, ?, ?, ?, ?)');
  const update = db.prepare('UPDATE events SET purchased = ?, amount_fen = ?, recorded_by = ? WHERE event_id = ?');
  const findOrder = db.prepare('SELECT customer_id, order_date, amount_fen, staff_id, product, source FROM orders WHERE order_no = ?');
  const ownerOn = ownerOnDay(db);
  const insertOrder = db.prepare("INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id, product, source) VALUES (?, ?, ?, ?, ?, ?, 'event')");
  const updateOrder = db.prepare('UPDATE orders SET customer_id = ?, order_date = ?, amount_fen = ? WHERE order_no = ?');
  const removeOrder = db.prepare("DELETE FROM orders WHERE order_no = ? AND source = 'event'");
  const pending = new PerCustomer<true>();
  const orders = { new: 0, updated: 0, removed: 0 };
  /** resolved attendance key (eventKey) → the first row of this file that has it */
  const seen = new Map<string, number>();
  const keyInfo = { columns: eventsKind.keyColumns ?? ['customer'] };
  return {
    multiStatement: true,
    summary: planner.summary,
    orders,
    write(r, row): WriteOutcome {
      const c = resolve(r.customer);
      if ('error' in c) return c;
      // the same attendance twice, its customer written two ways: the importer's in-file check
      // (the key as written) cannot see it; said as that check says it, naming both rows
      const resolved = eventKey(c.customer_id, r.event_date, r.event);
      const first = seen.get(resolved);
      if (first !== undefined) return { error: duplicateRow(keyOf(customerKeyText(r.customer), r.event_date, r.event), first, keyInfo) };
      seen.set(resolved, row);
      const old = find.get(c.customer_id, r.event_date, r.event) as { event_id: number; purchased: number; amount_fen: number | null; recorded_by: string | null } | undefined;
      const now = { purchased: r.purchased, amount_fen: r.amount_fen, recorded_by: r.recorded_by };
      let outcome: WriteOutcome;
      if (!old) {
        insert.run(c.customer_id, r.event_date, r.event, r.purchased ? 1 : 0, r.amount_fen, r.recorded_by);
        outcome = 'new';
      } else if (old.purchased === (r.purchased ? 1 : 0) && old.amount_fen === r.amount_fen && old.recorded_by === r.recorded_by) {
        // derived again all the same: a plan that disagrees with its events (`check`) is put right
        // by importing the sheet again; one that agrees is left as it is
        pending.add(c, true);
        return 'unchanged';
      } else {
        update.run(r.purchased ? 1 : 0, r.amount_fen, r.recorded_by, old.event_id);
        log.record('events', eventKey(c.customer_id, r.event_date, r.event), { ...old, purchased: old.purchased === 1 }, now);
        outcome = 'updated';
      }
      // §2: `purchased` yes with an amount also records an order, credited to the owner on the
      // event's day (issue 18: an attendance recorded after a handover is the earlier owner's sale)
      const orderNo = eventOrderNo(c.customer_id, r.event_date, r.event);
      const o = findOrder.get(orderNo) as { customer_id: number; order_date: string; amount_fen: number; source: string } | undefined;
      if (r.purchased && r.amount_fen !== null) {
        if (!o) {
          insertOrder.run(orderNo, c.customer_id, r.event_date, r.amount_fen, ownerOn(c.customer_id, r.event_date), null);
          orders.new++;
        } else if (o.amount_fen !== r.amount_fen) {
          updateOrder.run(c.customer_id, r.event_date, r.amount_fen, orderNo);
          log.record('orders', orderNo, o, { amount_fen: r.amount_fen });
          orders.updated++;
        }
      } else if (o?.source === 'event') {
        // a corrected sheet (no purchase, or no amount any more): the derived order goes too
        orders.removed += removeOrder.run(orderNo).changes;
        log.record('orders', orderNo, o, { amount_fen: null, order_date: null });
      }
      pending.add(c, true);
      return outcome;
    },
    finish() {
      for (const { c } of pending.entries()) planner.rebuild(c);
    },
  };
}
