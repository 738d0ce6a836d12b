/**
 * Versioned schema (PRAGMA user_version). Each migration runs once, in a transaction, and
 * keeps existing data; append new ones at the end, never edit a released one.
 */
import type { DB } from './db.js';
import { normaliseStoredCustomers } from './duplicates.js';
import { deriveHistory } from './history.js';
import type { MessageKey } from '../messages/index.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * run after `sql` in the same transaction: a change of the data SQL cannot say (Unicode);
   * returns what the command should tell the user (what it could not derive, issue 18)
   */
  data?: (db: DB) => MigrationNote[] | void;
}

/** A line a migration leaves for the user (a catalogue key of src/messages/maintenance.ts). */
export interface MigrationNote {
  key: MessageKey;
  params: Record<string, string | number>;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
-- §1 staff: the roster (upsert by staff_id)
CREATE TABLE staff (
  staff_id    TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('rep','supervisor','manager','doctor','gm')),
  team        TEXT,
  district    TEXT,              -- GB/T 2260 code
  areas       TEXT,              -- ';'-joined codes
  hired_on    TEXT NOT NULL,
  regular_on  TEXT,
  left_on     TEXT,
  capacity    INTEGER CHECK (capacity IS NULL OR capacity > 0),
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime')),
  updated_at  TEXT
);
CREATE INDEX staff_name ON staff(name);

-- §2 surveys → customers, identified by normalised phone + name
CREATE TABLE customers (
  customer_id    INTEGER PRIMARY KEY,
  survey_no      TEXT,
  name           TEXT NOT NULL,
  phone          TEXT NOT NULL,
  gender         TEXT CHECK (gender IS NULL OR gender IN ('M','F')),
  birth_year     INTEGER,
  address        TEXT,
  district       TEXT,
  health         TEXT,
  collector_id   TEXT NOT NULL REFERENCES staff(staff_id),
  collected_on   TEXT NOT NULL,
  owner_id       TEXT REFERENCES staff(staff_id),
  assigned_on    TEXT,
  pinned         INTEGER NOT NULL DEFAULT 0,
  pin_reason     TEXT,
  archived_on    TEXT,
  archive_reason TEXT,
  UNIQUE (phone, name)
);
CREATE UNIQUE INDEX customers_survey_no ON customers(survey_no) WHERE survey_no IS NOT NULL;
CREATE INDEX customers_owner ON customers(owner_id);
CREATE INDEX customers_collector ON customers(collector_id, collected_on);
CREATE INDEX customers_unassigned ON customers(collected_on, customer_id) WHERE owner_id IS NULL;

-- §3.1 every assignment decision, kept (who, when, rule, why, previous owner)
CREATE TABLE assignments (
  assignment_id     INTEGER PRIMARY KEY,
  customer_id       INTEGER NOT NULL REFERENCES customers(customer_id),
  staff_id          TEXT NOT NULL REFERENCES staff(staff_id),
  previous_staff_id TEXT REFERENCES staff(staff_id),
  rule              TEXT NOT NULL CHECK (rule IN ('collector','nearness','new_staff','workload','pin','handover')),
  explanation       TEXT NOT NULL,
  assigned_on       TEXT NOT NULL,
  created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime'))
);
CREATE INDEX assignments_customer ON assignments(customer_id);

-- §3.4 handover lists, kept
CREATE TABLE handovers (
  handover_id   INTEGER PRIMARY KEY,
  leaver_id     TEXT NOT NULL REFERENCES staff(staff_id),
  customer_id   INTEGER NOT NULL REFERENCES customers(customer_id),
  new_staff_id  TEXT NOT NULL REFERENCES staff(staff_id),
  rule          TEXT NOT NULL,
  left_on       TEXT NOT NULL,
  tasks_moved   INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime'))
);
CREATE INDEX handovers_leaver ON handovers(leaver_id);

-- §2 events.csv: attendance; the first one opens the file (顾客档案表)
CREATE TABLE events (
  event_id     INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers(customer_id),
  event_date   TEXT NOT NULL,
  event        TEXT NOT NULL DEFAULT '',
  purchased    INTEGER NOT NULL CHECK (purchased IN (0,1)),
  amount_fen   INTEGER CHECK (amount_fen IS NULL OR amount_fen >= 0),
  recorded_by  TEXT,
  UNIQUE (customer_id, event_date, event)
);
CREATE INDEX events_date ON events(event_date);

CREATE TABLE files (
  customer_id   INTEGER PRIMARY KEY REFERENCES customers(customer_id),
  opened_on     TEXT NOT NULL,
  buyer         INTEGER NOT NULL DEFAULT 0 CHECK (buyer IN (0,1)),
  bought_on     TEXT,
  event         TEXT,
  recorded_by   TEXT
);
CREATE INDEX files_opened ON files(opened_on);

-- §3.2 follow-up tasks; status open/done/cancelled (superseded plans are kept, cancelled)
CREATE TABLE tasks (
  task_id      INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers(customer_id),
  role         TEXT NOT NULL CHECK (role IN ('rep','doctor')),
  seq          INTEGER NOT NULL,
  plan         TEXT NOT NULL CHECK (plan IN ('buyer','non_buyer','manual')),
  due_by       TEXT NOT NULL,
  staff_id     TEXT REFERENCES staff(staff_id),
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
  done_on      TEXT,
  followup_id  INTEGER,
  note         TEXT,
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime'))
);
CREATE INDEX tasks_customer ON tasks(customer_id, role, status);
CREATE INDEX tasks_open_due ON tasks(due_by) WHERE status = 'open';
CREATE INDEX tasks_open_staff ON tasks(staff_id, due_by) WHERE status = 'open';
CREATE INDEX tasks_due ON tasks(due_by);

-- §2 followups.csv: completed contacts; a contact with no open task is kept (task_id NULL)
CREATE TABLE followups (
  followup_id  INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers(customer_id),
  role         TEXT NOT NULL CHECK (role IN ('rep','doctor')),
  done_on      TEXT NOT NULL,
  method       TEXT NOT NULL CHECK (method IN ('phone','visit')),
  staff_id     TEXT REFERENCES staff(staff_id),
  note         TEXT NOT NULL CHECK (length(trim(note)) > 0),
  task_id      INTEGER REFERENCES tasks(task_id),
  late         INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime'))
);
CREATE UNIQUE INDEX followups_natural ON followups(customer_id, role, done_on, method, ifnull(staff_id,''), note);
CREATE INDEX followups_done ON followups(done_on);

-- §2 orders.csv (idempotent by order_no); event purchases record orders too
CREATE TABLE orders (
  order_no     TEXT PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customers(customer_id),
  order_date   TEXT NOT NULL,
  amount_fen   INTEGER NOT NULL CHECK (amount_fen >= 0),
  staff_id     TEXT REFERENCES staff(staff_id),
  product      TEXT,
  source       TEXT NOT NULL DEFAULT 'orders' CHECK (source IN ('orders','event'))
);
CREATE INDEX orders_date ON orders(order_date);
CREATE INDEX orders_customer ON orders(customer_id, order_date);
CREATE INDEX orders_staff ON orders(staff_id, order_date);

-- §2 trips.csv and expenses.csv
CREATE TABLE trips (
  trip_no            TEXT PRIMARY KEY,
  staff_id           TEXT NOT NULL REFERENCES staff(staff_id),
  start_date         TEXT NOT NULL,
  start_time         TEXT,
  end_date           TEXT NOT NULL,
  end_time           TEXT,
  scope              TEXT NOT NULL CHECK (scope IN ('in_province','out_of_province')),
  purpose            TEXT,
  client             TEXT,
  reviewed_by        TEXT,
  approved_by        TEXT,
  invited_by         TEXT,
  transport_provided TEXT CHECK (transport_provided IS NULL OR transport_provided IN ('company_car','own_vehicle','host')),
  advance_fen        INTEGER NOT NULL DEFAULT 0,
  report_on          TEXT,
  order_amount_fen   INTEGER,
  deal_closed        INTEGER NOT NULL DEFAULT 0,
  exempt             INTEGER NOT NULL DEFAULT 0,
  CHECK (end_date >= start_date)
);
CREATE INDEX trips_staff ON trips(staff_id, start_date);
CREATE INDEX trips_start ON trips(start_date);
CREATE INDEX trips_client ON trips(client, start_date);

CREATE TABLE expenses (
  expense_id         INTEGER PRIMARY KEY,
  trip_no            TEXT NOT NULL REFERENCES trips(trip_no),
  line_no            INTEGER NOT NULL,
  date               TEXT NOT NULL,
  time               TEXT,
  kind               TEXT NOT NULL,
  amount_fen         INTEGER NOT NULL CHECK (amount_fen >= 0),
  hours              REAL,
  class              TEXT,
  standard_fare_fen  INTEGER,
  receipt            INTEGER,
  reason             TEXT,
  from_place         TEXT,
  to_place           TEXT,
  approved_by        TEXT,
  UNIQUE (trip_no, line_no)
);

-- §6 policy versions (JSON documents), the built-in default applies before the first one
CREATE TABLE policy_versions (
  version_id      INTEGER PRIMARY KEY,
  effective_from  TEXT NOT NULL UNIQUE,
  document        TEXT NOT NULL,
  source          TEXT,
  loaded_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime'))
);

-- §5 append-only audit log of reveals and personal-data exports
CREATE TABLE audit_log (
  audit_id     INTEGER PRIMARY KEY,
  at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime')),
  action       TEXT NOT NULL,
  approved_by  TEXT,
  reason       TEXT,
  subject      TEXT,
  detail       TEXT,
  os_user      TEXT
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- §5 customers are never deleted, only archived with a reason
CREATE TRIGGER customers_no_delete BEFORE DELETE ON customers
BEGIN SELECT RAISE(ABORT, 'customers are never deleted: archive them with a reason'); END;
`,
  },
  {
    version: 2,
    name: 'KPI indexes',
    sql: `
-- §3.5 KPIs read a month of orders and tasks per staff member through indexes that cover
-- the query, in staff_id order: a month over millions of rows never visits the tables and
-- the GROUP BY needs no sort (store/kpi.ts, KPI_SQL)
CREATE INDEX orders_kpi ON orders(staff_id, order_date, amount_fen);
CREATE INDEX tasks_kpi ON tasks(staff_id, due_by, status, done_on);
-- files opened in a month, with their owners: the month's files from a covering index, each
-- owner from a narrow index of customer_id → owner_id instead of the wide customer rows
CREATE INDEX files_kpi ON files(opened_on, buyer, bought_on);
CREATE INDEX customers_kpi ON customers(customer_id, owner_id);
-- customer classes (12-month purchases per customer) in customer order without visiting the
-- orders table; archived customers (few) are left out through their own small index
CREATE INDEX orders_customer_kpi ON orders(customer_id, order_date, amount_fen);
CREATE INDEX customers_archived ON customers(owner_id) WHERE archived_on IS NOT NULL;
`,
  },
  {
    version: 3,
    name: 'no overwriting through INSERT OR REPLACE',
    sql: `
-- §5/§7: INSERT OR REPLACE deletes the row it conflicts with without firing DELETE triggers
-- (unless recursive_triggers is on, which a sqlite3 shell does not set), so the append-only
-- audit log and the never-deleted customers need guards on INSERT too. An omitted rowid is
-- -1 in a BEFORE INSERT trigger and matches nothing.
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE audit_id = NEW.audit_id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER customers_no_replace BEFORE INSERT ON customers
WHEN EXISTS (SELECT 1 FROM customers WHERE customer_id = NEW.customer_id)
BEGIN SELECT RAISE(ABORT, 'customers are never deleted: archive them with a reason'); END;
-- a row with the phone + name or the survey number of a customer is not inserted (and never
-- replaces it): what ON CONFLICT DO NOTHING does for the imports, for every other INSERT too.
-- store/customers.ts surveyWriter drops and recreates it around a bulk import (it is in
-- LIFTED_BY_BULK_IMPORT there), inside the import's transaction.
CREATE TRIGGER customers_keep_existing BEFORE INSERT ON customers
WHEN EXISTS (SELECT 1 FROM customers WHERE phone = NEW.phone AND name = NEW.name)
  OR (NEW.survey_no IS NOT NULL AND EXISTS (SELECT 1 FROM customers WHERE survey_no = NEW.survey_no))
BEGIN SELECT RAISE(IGNORE); END;
`,
  },
  {
    version: 4,
    name: 'change log, follow-up sources',
    sql: `
-- issue 13: every update of a stored row by an import or a command, one row per field
-- (old -> new), append-only like the audit log. \`key\` is the row's natural key as the user
-- knows it (trip_no, order_no, staff_id, "trip_no#line_no", a customer id…); \`command\` the
-- command that did it (e.g. "trips import trips.csv").
CREATE TABLE changes (
  change_id  INTEGER PRIMARY KEY,
  at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime')),
  kind       TEXT NOT NULL,
  key        TEXT NOT NULL,
  field      TEXT NOT NULL,
  old_value  TEXT,
  new_value  TEXT,
  command    TEXT NOT NULL,
  os_user    TEXT
);
CREATE INDEX changes_kind_key ON changes(kind, key, change_id);
CREATE INDEX changes_at ON changes(at);
CREATE TRIGGER changes_no_update BEFORE UPDATE ON changes
BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
CREATE TRIGGER changes_no_replace BEFORE INSERT ON changes
WHEN EXISTS (SELECT 1 FROM changes WHERE change_id = NEW.change_id)
BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
-- where an imported follow-up came from (the file's name and its row as the sheet numbers
-- it): a re-import of the same sheet with a corrected date finds the row it corrects
ALTER TABLE followups ADD COLUMN source TEXT;
ALTER TABLE followups ADD COLUMN source_row INTEGER;
`,
  },
  {
    version: 5,
    name: 'customers stored as imports read them',
    // issue 15: names imported before normalisation (`冯　明`) and phones stored in another form
    // (`0579-84123456`) as an import writes them now, where no other customer holds that
    // spelling; where one does, nothing is guessed: `customers duplicates` lists them for a
    // person to archive the extra record (§5)
    sql: '',
    data: (db) => {
      normaliseStoredCustomers(db, 'schema migration 5 (issue 15: names and phones normalised)');
    },
  },
  {
    version: 6,
    name: 'index hygiene',
    // issue 17: the plan of every statement the store prepares (docs/indexes.md, kept true by
    // test/unit/queryPlans.test.ts). IF EXISTS: a database someone trimmed by hand still upgrades.
    sql: `
-- a prefix of another index of the same table: whatever could read it reads the longer one
-- (bench database, 1,000,000 orders: 25 MB and 23 MB; 100,000 more orders written in 1.2 s, not 2.9 s)
DROP INDEX IF EXISTS orders_staff;        -- orders_kpi (staff_id, order_date, amount_fen)
DROP INDEX IF EXISTS orders_customer;     -- orders_customer_kpi (customer_id, order_date, amount_fen)
DROP INDEX IF EXISTS files_opened;        -- files_kpi (opened_on, buyer, bought_on)
-- read by no statement
-- assignment reads the unassigned through customers_owner (owner_id IS NULL, in customer_id
-- order); every new customer entered this one, and a bulk survey import rebuilt it
DROP INDEX IF EXISTS customers_unassigned;
-- nothing looks assignments up by customer, and customers are never deleted (migration 1's
-- trigger), so no foreign-key check needs it either
DROP INDEX IF EXISTS assignments_customer;
-- the handover lists are written, never read back
DROP INDEX IF EXISTS handovers_leaver;
-- the two-trips rule reads the trips with a client in start order, through trips_start
DROP INDEX IF EXISTS trips_client;
-- missing: a task a rebuilt plan no longer has is deleted (issue 13), and its foreign key
-- makes SQLite look for follow-ups still pointing at it: without this, a scan of every
-- follow-up per deleted task (57 ms each among 1,000,000 follow-ups, 0.01 ms with it). Only
-- the follow-ups that complete a task: an extra contact (task_id NULL) is never looked up.
CREATE INDEX followups_task ON followups(task_id) WHERE task_id IS NOT NULL;
`,
  },
  {
    version: 7,
    name: 'history',
    // issue 18: reports of a past day (a due list with a past --as-of, a closed month's KPIs)
    // need what each task, owner and team was on that day, not what it is now
    sql: `
-- §3.2 a task's own dates: created_on the day it came into being (its plan's start: the file
-- opened, the purchase that started a buyer plan; the day a manager added it), cancelled_on
-- and cancel_reason when a purchase superseded it, moved_on the day of its last change of
-- holder (task_moves); done_on was already kept
ALTER TABLE tasks ADD COLUMN created_on TEXT;
ALTER TABLE tasks ADD COLUMN cancelled_on TEXT;
ALTER TABLE tasks ADD COLUMN cancel_reason TEXT;
ALTER TABLE tasks ADD COLUMN moved_on TEXT;
-- every change of a task's holder: rep tasks follow their customer's owner (assign, pin,
-- handover), doctor tasks move when their doctor leaves; the holder on day D is the from_staff
-- of the first move after D, else tasks.staff_id
CREATE TABLE task_moves (
  move_id        INTEGER PRIMARY KEY,
  task_id        INTEGER NOT NULL REFERENCES tasks(task_id),
  moved_on       TEXT NOT NULL,
  from_staff_id  TEXT REFERENCES staff(staff_id),
  to_staff_id    TEXT REFERENCES staff(staff_id),
  reason         TEXT NOT NULL CHECK (reason IN ('assign','pin','handover','replan')),
  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime'))
);
-- the holder of a task on a day (and the foreign key of a deleted task)
CREATE INDEX task_moves_task ON task_moves(task_id, moved_on);
-- the tasks a rep held on a past day and no longer holds (a past due list of one rep)
CREATE INDEX task_moves_from ON task_moves(from_staff_id, moved_on);
-- §3.5 the team and role a staff member had before a roster change: valid until the day
-- before until_on; the staff row holds the value from the last change on
CREATE TABLE staff_history (
  history_id  INTEGER PRIMARY KEY,
  staff_id    TEXT NOT NULL REFERENCES staff(staff_id),
  team        TEXT,
  role        TEXT NOT NULL,
  until_on    TEXT NOT NULL,
  command     TEXT,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S','now','localtime'))
);
CREATE INDEX staff_history_staff ON staff_history(staff_id, until_on);
-- the owner of a customer on a day: the last assignment on or before it (customers.assigned_on
-- says when the current owner took over, so only older days read this)
CREATE INDEX assignments_owner_on ON assignments(customer_id, assigned_on, assignment_id, staff_id);
-- the tasks open on a past day D that are closed now (done or cancelled after D): a past due
-- list picks them (by deadline, start and customer) from the index, and reads only those it shows
CREATE INDEX tasks_closed ON tasks(ifnull(done_on, cancelled_on), due_by, created_on, customer_id) WHERE status <> 'open';
-- §3.5 a closed month's KPIs: the few tasks that moved after their deadline (credited to the
-- holder of that day, not of now) and those cancelled after the month (still open at its end)
CREATE INDEX tasks_moved_late ON tasks(due_by) WHERE moved_on > due_by;
CREATE INDEX tasks_cancelled ON tasks(due_by, cancelled_on) WHERE status = 'cancelled';
-- the owner of a file's customer on the day it opened: since assigned_on the owner now, read
-- with it from a narrow index (before that: assignments_owner_on); it replaces migration 2's
-- customers_kpi (customer_id, owner_id), a prefix of it
CREATE INDEX customers_owner_on ON customers(customer_id, owner_id, assigned_on);
DROP INDEX IF EXISTS customers_kpi;
`,
    data: (db) => deriveHistory(db),
  },
];

export const LATEST_VERSION = migrations[migrations.length - 1].version;
