/**
 * The PostgreSQL twin of the schema (issue 19). A PostgreSQL database starts at version 7:
 * PG_BASELINE_SQL makes in one go what migrations 1..7 of ../migrations.ts leave in a fresh
 * SQLite file — the same tables, columns in the same order, constraints, defaults and
 * indexes (same names, columns and partial WHERE); test/unit/pgSchema.test.ts holds the two
 * equal. A later migration gets a PostgreSQL twin beside its SQLite SQL.
 *
 * Conventions the adapter (./pgDb.ts) relies on:
 * - INTEGER → bigint (money in fen too); an INTEGER PRIMARY KEY (a rowid) → an identity BY
 *   DEFAULT, so `db copy` can keep the ids (then setval: unlike a rowid, an identity does not
 *   continue after an id written by hand);
 * - TEXT → text COLLATE "C" on every column: compared and sorted by code point like SQLite's
 *   BINARY, whatever the database's collation; dates stay 'YYYY-MM-DD' and timestamps
 *   'YYYY-MM-DDTHH:MM:SS' text, exactly as SQLite stores them; REAL → double precision;
 * - ifnull → coalesce, in the expression indexes too (a query must say coalesce to use them);
 * - a timestamp default is the statement's time in the session's TimeZone (the adapter sets
 *   the client's zone at connect): statement_timestamp() like SQLite's 'now', fixed per
 *   statement, not per transaction as localtimestamp would be.
 */

export const PG_BASELINE_VERSION = 7;

/** The group role of the office's clerks (issue 19: a plain clerk role cannot bypass the guards). */
export const PG_CLERK_ROLE = 'salesops_clerk';

/** SQLite's strftime('%Y-%m-%dT%H:%M:%S','now','localtime'), see above. */
const NOW = `to_char(statement_timestamp(), 'YYYY-MM-DD"T"HH24:MI:SS')`;

/**
 * A RAISE(ABORT) trigger of the SQLite schema, as a PostgreSQL trigger refusing the same
 * statement with the same message; plus a TRUNCATE guard on each guarded table (SQLite has
 * no TRUNCATE; PostgreSQL's skips row triggers). `check` can compare pg_trigger with this.
 */
export interface PgGuard {
  name: string;
  table: 'audit_log' | 'changes' | 'customers';
  event: 'UPDATE' | 'DELETE' | 'TRUNCATE';
  message: string;
}

const AUDIT = 'audit_log is append-only';
const CHANGES = 'changes is append-only';
const CUSTOMERS = 'customers are never deleted: archive them with a reason';

/*
 * Not twinned, on purpose:
 * - audit_log_no_replace, customers_no_replace, changes_no_replace (migrations 3, 4) guard
 *   against INSERT OR REPLACE, which deletes the row it conflicts with without firing DELETE
 *   triggers. PostgreSQL has no REPLACE: an INSERT that conflicts with a key fails (or, with
 *   ON CONFLICT DO NOTHING, inserts nothing); it never removes a row.
 * - customers_keep_existing (migration 3, RAISE(IGNORE) of a known phone + name or survey
 *   number): the only INSERT INTO customers, store/customers.ts surveyWriter, says ON
 *   CONFLICT DO NOTHING itself, and elsewhere a plain INSERT of a known customer fails on
 *   the UNIQUE constraints instead of replacing it. The survey import writes through COPY,
 *   and a row trigger makes COPY 2.8–4× slower (docs/postgres-plan.md §2: 11.8 s vs 3–4.2 s
 *   for 1,000,000 rows), while lifting one needs table ownership, which a clerk must not have.
 */
export const PG_GUARDS: readonly PgGuard[] = [
  { name: 'audit_log_no_update', table: 'audit_log', event: 'UPDATE', message: AUDIT },
  { name: 'audit_log_no_delete', table: 'audit_log', event: 'DELETE', message: AUDIT },
  { name: 'audit_log_no_truncate', table: 'audit_log', event: 'TRUNCATE', message: AUDIT },
  { name: 'customers_no_delete', table: 'customers', event: 'DELETE', message: CUSTOMERS },
  { name: 'customers_no_truncate', table: 'customers', event: 'TRUNCATE', message: CUSTOMERS },
  { name: 'changes_no_update', table: 'changes', event: 'UPDATE', message: CHANGES },
  { name: 'changes_no_delete', table: 'changes', event: 'DELETE', message: CHANGES },
  { name: 'changes_no_truncate', table: 'changes', event: 'TRUNCATE', message: CHANGES },
];

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/*
 * One function refuses for every guard, with the trigger's message. SQLSTATE 23001
 * (restrict_violation): class 23 like SQLite's SQLITE_CONSTRAINT_TRIGGER, which RAISE(ABORT)
 * gives, and "a row that must stay", as a RESTRICT foreign key says; the default P0001 would
 * say only "some PL/pgSQL raised". Row triggers (not statement ones) so that, as in SQLite,
 * an UPDATE or DELETE that matches no row succeeds.
 */
const GUARDS_SQL = `
CREATE FUNCTION salesops_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END
$$;
${PG_GUARDS.map(
  (g) =>
    `CREATE TRIGGER ${g.name} BEFORE ${g.event} ON ${g.table} FOR EACH ${g.event === 'TRUNCATE' ? 'STATEMENT' : 'ROW'} EXECUTE FUNCTION salesops_refuse(${quote(g.message)});`,
).join('\n')}
`;

/** Migrations 1..7 of ../migrations.ts as they leave a fresh database (comments there say why each exists). */
export const PG_BASELINE_SQL = `
CREATE TABLE staff (
  staff_id    text COLLATE "C" PRIMARY KEY,
  name        text COLLATE "C" NOT NULL,
  role        text COLLATE "C" NOT NULL CHECK (role IN ('rep','supervisor','manager','doctor','gm')),
  team        text COLLATE "C",
  district    text COLLATE "C",
  areas       text COLLATE "C",
  hired_on    text COLLATE "C" NOT NULL,
  regular_on  text COLLATE "C",
  left_on     text COLLATE "C",
  capacity    bigint CHECK (capacity IS NULL OR capacity > 0),
  created_at  text COLLATE "C" NOT NULL DEFAULT ${NOW},
  updated_at  text COLLATE "C"
);
CREATE INDEX staff_name ON staff (name);

CREATE TABLE customers (
  customer_id    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  survey_no      text COLLATE "C",
  name           text COLLATE "C" NOT NULL,
  phone          text COLLATE "C" NOT NULL,
  gender         text COLLATE "C" CHECK (gender IS NULL OR gender IN ('M','F')),
  birth_year     bigint,
  address        text COLLATE "C",
  district       text COLLATE "C",
  health         text COLLATE "C",
  collector_id   text COLLATE "C" NOT NULL REFERENCES staff (staff_id),
  collected_on   text COLLATE "C" NOT NULL,
  owner_id       text COLLATE "C" REFERENCES staff (staff_id),
  assigned_on    text COLLATE "C",
  pinned         bigint NOT NULL DEFAULT 0,
  pin_reason     text COLLATE "C",
  archived_on    text COLLATE "C",
  archive_reason text COLLATE "C",
  UNIQUE (phone, name)
);
CREATE UNIQUE INDEX customers_survey_no ON customers (survey_no) WHERE survey_no IS NOT NULL;
CREATE INDEX customers_owner ON customers (owner_id);
CREATE INDEX customers_collector ON customers (collector_id, collected_on);
CREATE INDEX customers_archived ON customers (owner_id) WHERE archived_on IS NOT NULL;
CREATE INDEX customers_owner_on ON customers (customer_id, owner_id, assigned_on);

CREATE TABLE assignments (
  assignment_id     bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  customer_id       bigint NOT NULL REFERENCES customers (customer_id),
  staff_id          text COLLATE "C" NOT NULL REFERENCES staff (staff_id),
  previous_staff_id text COLLATE "C" REFERENCES staff (staff_id),
  rule              text COLLATE "C" NOT NULL CHECK (rule IN ('collector','nearness','new_staff','workload','pin','handover')),
  explanation       text COLLATE "C" NOT NULL,
  assigned_on       text COLLATE "C" NOT NULL,
  created_at        text COLLATE "C" NOT NULL DEFAULT ${NOW}
);
CREATE INDEX assignments_owner_on ON assignments (customer_id, assigned_on, assignment_id, staff_id);

CREATE TABLE handovers (
  handover_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  leaver_id     text COLLATE "C" NOT NULL REFERENCES staff (staff_id),
  customer_id   bigint NOT NULL REFERENCES customers (customer_id),
  new_staff_id  text COLLATE "C" NOT NULL REFERENCES staff (staff_id),
  rule          text COLLATE "C" NOT NULL,
  left_on       text COLLATE "C" NOT NULL,
  tasks_moved   bigint NOT NULL DEFAULT 0,
  created_at    text COLLATE "C" NOT NULL DEFAULT ${NOW}
);

CREATE TABLE events (
  event_id     bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers (customer_id),
  event_date   text COLLATE "C" NOT NULL,
  event        text COLLATE "C" NOT NULL DEFAULT '',
  purchased    bigint NOT NULL CHECK (purchased IN (0,1)),
  amount_fen   bigint CHECK (amount_fen IS NULL OR amount_fen >= 0),
  recorded_by  text COLLATE "C",
  UNIQUE (customer_id, event_date, event)
);
CREATE INDEX events_date ON events (event_date);

-- customer_id is SQLite's rowid here but always the customer's: no identity of its own
CREATE TABLE files (
  customer_id   bigint PRIMARY KEY REFERENCES customers (customer_id),
  opened_on     text COLLATE "C" NOT NULL,
  buyer         bigint NOT NULL DEFAULT 0 CHECK (buyer IN (0,1)),
  bought_on     text COLLATE "C",
  event         text COLLATE "C",
  recorded_by   text COLLATE "C"
);
CREATE INDEX files_kpi ON files (opened_on, buyer, bought_on);

CREATE TABLE tasks (
  task_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers (customer_id),
  role         text COLLATE "C" NOT NULL CHECK (role IN ('rep','doctor')),
  seq          bigint NOT NULL,
  plan         text COLLATE "C" NOT NULL CHECK (plan IN ('buyer','non_buyer','manual')),
  due_by       text COLLATE "C" NOT NULL,
  staff_id     text COLLATE "C" REFERENCES staff (staff_id),
  status       text COLLATE "C" NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
  done_on      text COLLATE "C",
  followup_id  bigint,
  note         text COLLATE "C",
  created_at   text COLLATE "C" NOT NULL DEFAULT ${NOW},
  created_on   text COLLATE "C",
  cancelled_on text COLLATE "C",
  cancel_reason text COLLATE "C",
  moved_on     text COLLATE "C"
);
CREATE INDEX tasks_customer ON tasks (customer_id, role, status);
CREATE INDEX tasks_open_due ON tasks (due_by) WHERE status = 'open';
CREATE INDEX tasks_open_staff ON tasks (staff_id, due_by) WHERE status = 'open';
CREATE INDEX tasks_due ON tasks (due_by);
CREATE INDEX tasks_kpi ON tasks (staff_id, due_by, status, done_on);
CREATE INDEX tasks_closed ON tasks ((coalesce(done_on, cancelled_on)), due_by, created_on, customer_id) WHERE status <> 'open';
-- the planner keeps no statistics of a partial index's expression: without these it took a
-- day's closings for a third of all tasks and walked tasks_due instead (bench: a due list of
-- 5,000,000 tasks 15 s → 1 s); PostgreSQL 14 or newer
CREATE STATISTICS tasks_closed_on ON (coalesce(done_on, cancelled_on)) FROM tasks;
CREATE INDEX tasks_moved_late ON tasks (due_by) WHERE moved_on > due_by;
CREATE INDEX tasks_cancelled ON tasks (due_by, cancelled_on) WHERE status = 'cancelled';

CREATE TABLE followups (
  followup_id  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers (customer_id),
  role         text COLLATE "C" NOT NULL CHECK (role IN ('rep','doctor')),
  done_on      text COLLATE "C" NOT NULL,
  method       text COLLATE "C" NOT NULL CHECK (method IN ('phone','visit')),
  staff_id     text COLLATE "C" REFERENCES staff (staff_id),
  note         text COLLATE "C" NOT NULL CHECK (length(trim(note)) > 0),
  task_id      bigint REFERENCES tasks (task_id),
  late         bigint NOT NULL DEFAULT 0,
  created_at   text COLLATE "C" NOT NULL DEFAULT ${NOW},
  source       text COLLATE "C",
  source_row   bigint
);
-- the note by its md5, not itself: a B-tree entry holds at most 2,704 bytes, and a note may
-- have 20,000 characters (io/kinds/followups.ts); one of 900 random CJK characters (2,700
-- bytes) failed to insert. Reads find a follow-up by the leading columns and compare the note.
CREATE UNIQUE INDEX followups_natural ON followups (customer_id, role, done_on, method, (coalesce(staff_id, '')), md5(note));
CREATE INDEX followups_done ON followups (done_on);
CREATE INDEX followups_task ON followups (task_id) WHERE task_id IS NOT NULL;

CREATE TABLE orders (
  order_no     text COLLATE "C" PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers (customer_id),
  order_date   text COLLATE "C" NOT NULL,
  amount_fen   bigint NOT NULL CHECK (amount_fen >= 0),
  staff_id     text COLLATE "C" REFERENCES staff (staff_id),
  product      text COLLATE "C",
  source       text COLLATE "C" NOT NULL DEFAULT 'orders' CHECK (source IN ('orders','event'))
);
CREATE INDEX orders_date ON orders (order_date);
CREATE INDEX orders_kpi ON orders (staff_id, order_date, amount_fen);
CREATE INDEX orders_customer_kpi ON orders (customer_id, order_date, amount_fen);

CREATE TABLE trips (
  trip_no            text COLLATE "C" PRIMARY KEY,
  staff_id           text COLLATE "C" NOT NULL REFERENCES staff (staff_id),
  start_date         text COLLATE "C" NOT NULL,
  start_time         text COLLATE "C",
  end_date           text COLLATE "C" NOT NULL,
  end_time           text COLLATE "C",
  scope              text COLLATE "C" NOT NULL CHECK (scope IN ('in_province','out_of_province')),
  purpose            text COLLATE "C",
  client             text COLLATE "C",
  reviewed_by        text COLLATE "C",
  approved_by        text COLLATE "C",
  invited_by         text COLLATE "C",
  transport_provided text COLLATE "C" CHECK (transport_provided IS NULL OR transport_provided IN ('company_car','own_vehicle','host')),
  advance_fen        bigint NOT NULL DEFAULT 0,
  report_on          text COLLATE "C",
  order_amount_fen   bigint,
  deal_closed        bigint NOT NULL DEFAULT 0,
  exempt             bigint NOT NULL DEFAULT 0,
  CHECK (end_date >= start_date)
);
CREATE INDEX trips_staff ON trips (staff_id, start_date);
CREATE INDEX trips_start ON trips (start_date);

CREATE TABLE expenses (
  expense_id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  trip_no            text COLLATE "C" NOT NULL REFERENCES trips (trip_no),
  line_no            bigint NOT NULL,
  date               text COLLATE "C" NOT NULL,
  time               text COLLATE "C",
  kind               text COLLATE "C" NOT NULL,
  amount_fen         bigint NOT NULL CHECK (amount_fen >= 0),
  hours              double precision,
  class              text COLLATE "C",
  standard_fare_fen  bigint,
  receipt            bigint,
  reason             text COLLATE "C",
  from_place         text COLLATE "C",
  to_place           text COLLATE "C",
  approved_by        text COLLATE "C",
  UNIQUE (trip_no, line_no)
);

CREATE TABLE policy_versions (
  version_id      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  effective_from  text COLLATE "C" NOT NULL UNIQUE,
  document        text COLLATE "C" NOT NULL,
  source          text COLLATE "C",
  loaded_at       text COLLATE "C" NOT NULL DEFAULT ${NOW}
);

CREATE TABLE audit_log (
  audit_id     bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at           text COLLATE "C" NOT NULL DEFAULT ${NOW},
  action       text COLLATE "C" NOT NULL,
  approved_by  text COLLATE "C",
  reason       text COLLATE "C",
  subject      text COLLATE "C",
  detail       text COLLATE "C",
  os_user      text COLLATE "C"
);

CREATE TABLE changes (
  change_id  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at         text COLLATE "C" NOT NULL DEFAULT ${NOW},
  kind       text COLLATE "C" NOT NULL,
  key        text COLLATE "C" NOT NULL,
  field      text COLLATE "C" NOT NULL,
  old_value  text COLLATE "C",
  new_value  text COLLATE "C",
  command    text COLLATE "C" NOT NULL,
  os_user    text COLLATE "C"
);
CREATE INDEX changes_kind_key ON changes (kind, key, change_id);
CREATE INDEX changes_at ON changes (at);

CREATE TABLE task_moves (
  move_id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  task_id        bigint NOT NULL REFERENCES tasks (task_id),
  moved_on       text COLLATE "C" NOT NULL,
  from_staff_id  text COLLATE "C" REFERENCES staff (staff_id),
  to_staff_id    text COLLATE "C" REFERENCES staff (staff_id),
  reason         text COLLATE "C" NOT NULL CHECK (reason IN ('assign','pin','handover','replan')),
  created_at     text COLLATE "C" NOT NULL DEFAULT ${NOW}
);
CREATE INDEX task_moves_task ON task_moves (task_id, moved_on);
CREATE INDEX task_moves_from ON task_moves (from_staff_id, moved_on);

CREATE TABLE staff_history (
  history_id  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  staff_id    text COLLATE "C" NOT NULL REFERENCES staff (staff_id),
  team        text COLLATE "C",
  role        text COLLATE "C" NOT NULL,
  until_on    text COLLATE "C" NOT NULL,
  command     text COLLATE "C",
  created_at  text COLLATE "C" NOT NULL DEFAULT ${NOW}
);
CREATE INDEX staff_history_staff ON staff_history (staff_id, until_on);
${GUARDS_SQL}`;

/**
 * Replaces PRAGMA user_version: the version of this database's salesops schema. The
 * application column names the program, so the database of another program (tables but no
 * schema_version, or one of its own) is told apart; its primary key and CHECK allow one row.
 */
export const PG_SCHEMA_VERSION_SQL = `
CREATE TABLE schema_version (
  application text COLLATE "C" NOT NULL PRIMARY KEY CHECK (application = 'salesops'),
  version     integer NOT NULL
);
`;

/** Every table, for the grants (the unit test holds it equal to the baseline's). */
export const PG_TABLES = [
  'staff', 'customers', 'assignments', 'handovers', 'events', 'files', 'tasks', 'followups', 'orders',
  'trips', 'expenses', 'policy_versions', 'audit_log', 'changes', 'task_moves', 'staff_history',
] as const;

/** Never updated: append-only (§5, issue 13). */
const APPEND_ONLY = ['audit_log', 'changes'];
/**
 * The only tables whose rows the store deletes (grep `DELETE FROM` in src/store): an event's
 * order re-recorded (events.ts), a task or file a rebuilt plan no longer has and its moves
 * (planRebuild.ts, history.ts), an expense line gone from its trip's sheet (trips.ts).
 * Never customers, audit_log or changes.
 */
const CLERK_DELETES = ['orders', 'files', 'tasks', 'task_moves', 'expenses'];

/**
 * Issue 19: "the audit log append-only and customers never deleted, enforced by the server
 * (triggers, and privileges that a plain clerk role cannot bypass)". The role that runs
 * `init` (the office's admin) owns the schema; only an owner may DISABLE a trigger, drop or
 * replace one, or alter a table, so the clerks — LOGIN roles in the NOLOGIN group
 * salesops_clerk — cannot lift the guards, and lack the privileges besides: no DELETE on
 * customers, audit_log or changes, no UPDATE on the latter two, TRUNCATE nowhere, and
 * schema_version read-only. Without CREATEROLE the admin creates the group (README); until
 * then a NOTICE says so and no grants are made. Re-runnable: every grant is revoked first,
 * so running it again after a later migration leaves exactly these privileges.
 */
export const PG_PRIVILEGES_SQL = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_CLERK_ROLE}') THEN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND (rolcreaterole OR rolsuper)) THEN
      CREATE ROLE ${PG_CLERK_ROLE} NOLOGIN;
    ELSE
      RAISE NOTICE 'role ${PG_CLERK_ROLE} does not exist and % may not create it: clerks get no privileges until an administrator runs CREATE ROLE ${PG_CLERK_ROLE} NOLOGIN and init again', current_user;
    END IF;
  END IF;
END
$$;
-- nobody but the owner and the clerks: not even to see the schema, nor create in it (the
-- search_path trap: a clerk's object there could shadow one a migration of the owner uses)
DO $$
BEGIN
  EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', current_schema());
  EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM PUBLIC', current_schema());
END
$$;
REVOKE ALL ON TABLE ${[...PG_TABLES, 'schema_version'].join(', ')} FROM PUBLIC;
REVOKE ALL ON FUNCTION salesops_refuse() FROM PUBLIC;
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_CLERK_ROLE}') THEN
    RETURN;
  END IF;
  EXECUTE format('REVOKE ALL ON SCHEMA %I FROM ${PG_CLERK_ROLE}', current_schema());
  EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM ${PG_CLERK_ROLE}', current_schema());
  REVOKE ALL ON TABLE ${[...PG_TABLES, 'schema_version'].join(', ')} FROM ${PG_CLERK_ROLE};
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${PG_CLERK_ROLE}', current_schema());
  -- identity columns draw from them; no UPDATE: setval (rewinding ids) stays the owner's
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO ${PG_CLERK_ROLE}', current_schema());
  GRANT SELECT ON TABLE schema_version TO ${PG_CLERK_ROLE};
  GRANT SELECT, INSERT, UPDATE ON TABLE ${PG_TABLES.filter((t) => !APPEND_ONLY.includes(t)).join(', ')} TO ${PG_CLERK_ROLE};
  GRANT SELECT, INSERT ON TABLE ${APPEND_ONLY.join(', ')} TO ${PG_CLERK_ROLE};
  GRANT DELETE ON TABLE ${CLERK_DELETES.join(', ')} TO ${PG_CLERK_ROLE};
END
$$;
`;
