/**
 * Issue 13, "derived state follows its source", as a property: any sequence of imports and
 * corrections of events, orders and follow-ups that ends with the final version of each
 * sheet gives the same files, tasks, task ↔ follow-up links and orders (ids aside) as one
 * clean import of the final sheets — and `check` finds no plan that disagrees with its
 * events. In-process, through the writers the import commands use (store/events.ts,
 * orders.ts, followups.ts), each import one transaction as runImport makes it.
 *
 * The corrections are the ones a clerk makes and the identity rules can tell (README,
 * "Corrections"): an event's purchase, amount or 填表人; an order's customer, date, amount,
 * credited rep or product; a follow-up's method, staff, note or date — the rows staying in
 * their place in the sheet, and one of them (the first) keeping its date, so that a
 * corrected date is found by its neighbours.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { migrations } from '../../src/store/migrations.js';
import type { DB } from '../../src/store/db.js';
import { writeInSavepoint } from '../../src/io/importer.js';
import type { RowWriter } from '../../src/io/kind.js';
import type { EventRow } from '../../src/io/kinds/events.js';
import type { OrderRow } from '../../src/io/kinds/orders.js';
import type { CustomerKey, FollowUpRow } from '../../src/io/kinds/followups.js';
import { eventsWriter } from '../../src/store/events.js';
import { ordersWriter } from '../../src/store/orders.js';
import { followUpWriter } from '../../src/store/followups.js';
import { changeLog } from '../../src/store/changes.js';
import { planDisagreements } from '../../src/store/planRebuild.js';
import { addDays } from '../../src/domain/values.js';
import type { Method, Role } from '../../src/domain/followUpPlan.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
const AS_OF = '2024-09-30';
const DAY0 = '2024-05-01';

let template: Buffer;
beforeAll(() => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (const m of migrations) db.exec(m.sql);
  db.exec(`
    INSERT INTO staff (staff_id, name, role, district, hired_on) VALUES
      ('R1', '刘芳', 'rep', '330726', '2020-01-01'), ('R2', '杨洋', 'rep', '330702', '2020-01-01'), ('D1', '张医生', 'doctor', '330702', '2020-01-01');
    INSERT INTO customers (customer_id, name, phone, district, collector_id, collected_on, owner_id) VALUES
      (1, '甲', '13900000001', '330726', 'R1', '2024-04-01', 'R1'),
      (2, '乙', '13900000002', '330702', 'R2', '2024-04-01', 'R2'),
      (3, '丙', '13900000003', '330106', 'R1', '2024-04-01', NULL);
  `);
  template = db.serialize();
  db.close();
});

function fresh(): DB {
  const db = new Database(template);
  db.pragma('foreign_keys = ON');
  return db;
}

const customer = (id: number): CustomerKey => ({ column: 'customer', value: `#${id}`, phone: null, id, name: null });

type Counts = { new: number; updated: number; unchanged: number };

/** One import: every row in a savepoint when the writer asks for it, then finish, one transaction (as runImport). */
function importRows<T>(db: DB, writer: RowWriter<T>, rows: T[]): Counts {
  const counts: Counts = { new: 0, updated: 0, unchanged: 0 };
  db.exec('BEGIN IMMEDIATE');
  try {
    rows.forEach((r, i) => {
      const out = writer.multiStatement ? writeInSavepoint(db, writer, r, i + 2) : writer.write(r, i + 2);
      if (typeof out === 'object') throw new Error(`row ${i + 2}: ${out.error.reason}`);
      counts[out]++;
    });
    writer.finish?.();
    db.exec('COMMIT');
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------
// The sheets and their versions

interface EventVersion {
  purchased: boolean;
  amount: number | null;
  recorded_by: string | null;
}
interface EventLine {
  c: number;
  day: number;
  event: string;
  versions: EventVersion[];
}
interface OrderVersion {
  c: number;
  day: number;
  amount: number;
  staff: string | null;
  product: string | null;
}
interface OrderLine {
  /** a blank staff keeps the credit of the first import: blank in every version, or never */
  blankStaff: boolean;
  versions: OrderVersion[];
}
interface FollowUpVersion {
  /** which of the row's own dates (row i: DAY0 + i + 20k; the first row keeps k = 0) */
  k: number;
  method: Method;
  staff: string | null;
  note: string;
}
interface FollowUpLine {
  c: number;
  role: Role;
  versions: FollowUpVersion[];
}

const V = 3; // versions of each sheet
const NOTES = ['询问使用情况', '询问使用情况，顾客反馈良好', '测量血压', '介绍产品'];

const eventVersion = fc
  .record({ purchased: fc.boolean(), amount: fc.option(fc.integer({ min: 1, max: 9000 }), { nil: null }), recorded_by: fc.constantFrom(null, 'R1', 'R2') })
  .map((v): EventVersion => ({ ...v, amount: v.purchased && v.amount !== null ? v.amount * 100 : null }));
const eventsArb = fc.uniqueArray(
  fc.record({ c: fc.integer({ min: 1, max: 3 }), day: fc.integer({ min: 0, max: 100 }), event: fc.constantFrom('', '联谊会'), versions: fc.array(eventVersion, { minLength: V, maxLength: V }) }),
  { selector: (e) => `${e.c}|${e.day}|${e.event}`, maxLength: 5 },
);
const ordersArb = fc.array(
  fc.boolean().chain((blankStaff) =>
    fc.record({
      blankStaff: fc.constant(blankStaff),
      versions: fc.array(
        fc.record({
          c: fc.integer({ min: 1, max: 3 }),
          day: fc.integer({ min: 0, max: 120 }),
          amount: fc.integer({ min: 1, max: 900000 }),
          staff: blankStaff ? fc.constant(null) : fc.constantFrom('R1', 'R2'),
          product: fc.constantFrom(null, '护膝'),
        }),
        { minLength: V, maxLength: V },
      ),
    }),
  ),
  { maxLength: 3 },
);
const followupsArb = fc.array(
  fc.constantFrom<Role>('rep', 'doctor').chain((role) =>
    fc.record({
      c: fc.integer({ min: 1, max: 3 }),
      role: fc.constant(role),
      versions: fc.array(
        fc.record({
          k: fc.integer({ min: 0, max: 5 }),
          method: fc.constantFrom<Method>('phone', 'visit'),
          staff: fc.constantFrom(null, role === 'rep' ? 'R1' : 'D1'),
          note: fc.constantFrom(...NOTES),
        }),
        { minLength: V, maxLength: V },
      ),
    }),
  ),
  { maxLength: 8 },
);

type Kind = 'events' | 'orders' | 'followups';
const KINDS: Kind[] = ['events', 'orders', 'followups'];

interface Sheets {
  events: EventLine[];
  orders: OrderLine[];
  followups: FollowUpLine[];
}

function eventRows(s: Sheets, v: number): EventRow[] {
  return s.events.map((e) => ({ customer: customer(e.c), event_date: addDays(DAY0, e.day), event: e.event, purchased: e.versions[v].purchased, amount_fen: e.versions[v].amount, recorded_by: e.versions[v].recorded_by }));
}
function orderRows(s: Sheets, v: number): OrderRow[] {
  return s.orders.map((o, i) => {
    const x = o.versions[v];
    return { order_no: `SO-${i + 1}`, customer: customer(x.c), order_date: addDays(DAY0, x.day), amount_fen: x.amount, staff_id: x.staff, product: x.product };
  });
}
function followupRows(s: Sheets, v: number): FollowUpRow[] {
  return s.followups.map((f, i) => {
    const x = f.versions[v];
    return { customer: customer(f.c), role: f.role, done_on: addDays(DAY0, i + 20 * (i === 0 ? 0 : x.k)), method: x.method, staff_id: x.staff, note: x.note };
  });
}

/** Imports version v of a sheet; the report's counts (a follow-up row's outcome corrected at the end, as the command does). */
function importSheet(db: DB, s: Sheets, kind: Kind, v: number): Counts {
  const log = changeLog(db, `${kind} import v${v}.csv`);
  if (kind === 'events') return importRows(db, eventsWriter(db, AS_OF, log), eventRows(s, v));
  if (kind === 'orders') return importRows(db, ordersWriter(db, AS_OF, log), orderRows(s, v));
  const w = followUpWriter(db, { source: 'followups.csv', asOf: AS_OF, log });
  const c = importRows(db, w, followupRows(s, v));
  const d = w.adjustment();
  return { new: c.new + d.new, updated: c.updated + d.updated, unchanged: c.unchanged + d.unchanged };
}

/** Everything derived, without row ids (a follow-up's own staff left out: a blank one is filled in by its first match, and kept). */
function state(db: DB) {
  return {
    files: db.prepare('SELECT customer_id, opened_on, buyer, bought_on, event, recorded_by FROM files ORDER BY customer_id').all(),
    tasks: db.prepare('SELECT customer_id, role, seq, plan, due_by, staff_id, status, done_on, note FROM tasks ORDER BY customer_id, role, plan, seq').all(),
    followups: db
      .prepare(
        `SELECT f.customer_id, f.role, f.done_on, f.method, f.note, f.late, t.role AS task_role, t.plan, t.seq
           FROM followups f LEFT JOIN tasks t ON t.task_id = f.task_id ORDER BY f.customer_id, f.role, f.done_on`,
      )
      .all(),
    orders: db.prepare('SELECT order_no, customer_id, order_date, amount_fen, staff_id, product, source FROM orders ORDER BY order_no').all(),
    events: db.prepare('SELECT customer_id, event_date, event, purchased, amount_fen, recorded_by FROM events ORDER BY customer_id, event_date, event').all(),
  };
}

describe('issue 13: imports and corrections in any order give one clean import of the final data', () => {
  it('files, tasks, links and orders are those of a clean import; check finds nothing', () => {
    const steps = fc.array(fc.record({ kind: fc.constantFrom<Kind>(...KINDS), v: fc.integer({ min: 0, max: V - 2 }) }), { maxLength: 6 });
    fc.assert(
      fc.property(fc.record({ events: eventsArb, orders: ordersArb, followups: followupsArb }), steps, fc.shuffledSubarray(KINDS, { minLength: 3, maxLength: 3 }), (sheets, before, lastOrder) => {
        const want = fresh();
        const got = fresh();
        try {
          for (const k of KINDS) importSheet(want, sheets, k, V - 1);
          for (const st of before) importSheet(got, sheets, st.kind, st.v);
          for (const k of lastOrder) importSheet(got, sheets, k, V - 1);
          expect(state(got)).toEqual(state(want));
          expect(planDisagreements(want).count).toBe(0);
          expect(planDisagreements(got).count).toBe(0);
          // every row of the final follow-up sheet is one stored follow-up: nothing left over from earlier versions
          expect(got.prepare('SELECT count(*) AS n FROM followups').get()).toEqual({ n: sheets.followups.length });
        } finally {
          want.close();
          got.close();
        }
      }),
      { numRuns: 600 },
    );
  });

  it('events and orders sheets split into parts, imported in any order (an earlier event handed in late included), give the clean import too', () => {
    fc.assert(
      fc.property(
        fc.record({ events: eventsArb, orders: ordersArb, followups: followupsArb }),
        fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (sheets, eventPart, orderPart, followupsAt) => {
          const want = fresh();
          const got = fresh();
          try {
            for (const k of KINDS) importSheet(want, sheets, k, V - 1);
            // part p of a sheet: its rows whose part number is p, in the sheet's order
            const parts = <T>(rows: T[], of: number[]) => [0, 1, 2].map((p) => rows.filter((_, i) => (of[i] ?? 0) === p));
            const files: (() => void)[] = [
              ...parts(eventRows(sheets, V - 1), eventPart)
                .reverse()
                .map((rows) => () => void importRows(got, eventsWriter(got, AS_OF), rows)),
              ...parts(orderRows(sheets, V - 1), orderPart).map((rows) => () => void importRows(got, ordersWriter(got, AS_OF), rows)),
            ];
            files.splice(Math.min(followupsAt, files.length), 0, () => void importSheet(got, sheets, 'followups', V - 1));
            for (const f of files) f();
            expect(state(got)).toEqual(state(want));
            expect(planDisagreements(got).count).toBe(0);
          } finally {
            want.close();
            got.close();
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('importing the final sheets again changes nothing and reports every row unchanged', () => {
    fc.assert(
      fc.property(fc.record({ events: eventsArb, orders: ordersArb, followups: followupsArb }), (sheets) => {
        const db = fresh();
        try {
          for (const k of KINDS) importSheet(db, sheets, k, V - 1);
          const before = state(db);
          const logged = db.prepare('SELECT count(*) AS n FROM changes').get();
          const rows = { events: sheets.events.length, orders: sheets.orders.length, followups: sheets.followups.length };
          for (const k of KINDS) expect(importSheet(db, sheets, k, V - 1)).toEqual({ new: 0, updated: 0, unchanged: rows[k] });
          expect(state(db)).toEqual(before);
          expect(db.prepare('SELECT count(*) AS n FROM changes').get()).toEqual(logged);
        } finally {
          db.close();
        }
      }),
      { numRuns: 100 },
    );
  });
});
