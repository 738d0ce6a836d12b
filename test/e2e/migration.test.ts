/**
 * Schema migrations (SPEC §7: versioned migrations that keep existing data). A database is
 * built at the FIRST schema version straight from migration 1 of src/store/migrations.ts,
 * filled in every table, and opened by the current binary: it must come out at the latest
 * version with every row unchanged. A database from a newer salesops, a file that is not a
 * database, and a migration that fails or is killed half-way must all leave the file as it was.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { changesOf, sandbox, BIN, ROOT, type RunResult, type Sandbox } from './harness.js';
import { migrations, LATEST_VERSION } from '../../src/store/migrations.js';
import { parsePolicyText } from '../../src/domain/policyDocument.js';

const V1 = migrations.find((m) => m.version === 1)!;

/** Names of the indexes the migrations after version 1 create. */
const LATER_INDEXES = migrations
  .filter((m) => m.version > 1)
  .flatMap((m) => [...m.sql.matchAll(/CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?/gi)].map((x) => [x[1], m.version] as const))
  // an index a later migration replaced is not there at the end (issue 18: customers_kpi)
  .filter(([name, v]) => !migrations.some((m) => m.version > v && new RegExp(`DROP\\s+INDEX\\s+(?:IF\\s+EXISTS\\s+)?"?${name}"?\\b`, 'i').test(m.sql)))
  .map(([name]) => name);
/** Names of the indexes the migrations after version 1 drop (issue 17: the redundant ones). */
const LATER_DROPPED_INDEXES = migrations
  .filter((m) => m.version > 1)
  .flatMap((m) => [...m.sql.matchAll(/DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?"?(\w+)"?/gi)].map((x) => x[1]));
/** Names of the triggers the migrations after version 1 create. */
const LATER_TRIGGERS = migrations
  .filter((m) => m.version > 1)
  .flatMap((m) => [...m.sql.matchAll(/CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?/gi)].map((x) => x[1]));

/** Names of the tables the migrations after version 1 create. */
const LATER_TABLES = migrations
  .filter((m) => m.version > 1)
  .flatMap((m) => [...m.sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?/gi)].map((x) => x[1]));
/** Columns the migrations after version 1 add to earlier tables (ALTER TABLE t ADD COLUMN c): table → columns. */
const LATER_COLUMNS: Map<string, string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const g of migrations.filter((x) => x.version > 1)) {
    for (const [, t, c] of g.sql.matchAll(/ALTER\s+TABLE\s+"?(\w+)"?\s+ADD\s+COLUMN\s+"?(\w+)"?/gi)) m.set(t, [...(m.get(t) ?? []), c]);
  }
  return m;
})();

/** The tables of schema version 1, read from migration 1 itself. */
const V1_TABLES: string[] = (() => {
  const d = new Database(':memory:');
  d.exec(V1.sql);
  const names = (d.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  d.close();
  return names;
})();

// stored as `policy load` stores it: the fixture merged over the default, complete
const POLICY_2025 = (() => {
  const r = parsePolicyText(fs.readFileSync(path.join(ROOT, 'fixtures/policy-2025.json'), 'utf8'));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return JSON.stringify(r.policy);
})();

/**
 * One row or more in every table of version 1, consistent with each other and with the rules
 * `salesops check` verifies: owners are active reps, open rep tasks belong to the owner, an
 * event purchase has its order. Explicit timestamps so every value is known.
 */
const V1_DATA = `
INSERT INTO staff (staff_id, name, role, team, district, areas, hired_on, regular_on, left_on, capacity, created_at, updated_at) VALUES
  ('G1', '周建国', 'gm', 'HQ', '330702', NULL, '2015-03-01', NULL, NULL, NULL, '2024-01-02T08:00:00', NULL),
  ('M1', '陈丽华', 'manager', 'T1', '330702', NULL, '2018-07-01', NULL, NULL, NULL, '2024-01-02T08:00:00', NULL),
  ('S1', '王志强', 'supervisor', 'T1', '330726', NULL, '2019-02-15', NULL, NULL, NULL, '2024-01-02T08:00:00', NULL),
  ('D1', '张医生', 'doctor', 'CS', '330702', '330726', '2019-09-01', NULL, NULL, NULL, '2024-01-02T08:00:00', NULL),
  ('R1', '刘芳', 'rep', 'T1', '330726', NULL, '2021-03-01', '2021-06-01', NULL, 300, '2024-01-02T08:00:00', '2024-03-01T09:30:00'),
  ('R2', '杨洋', 'rep', 'T1', '330702', '330702;330726', '2022-05-10', NULL, NULL, NULL, '2024-01-02T08:00:00', NULL),
  ('R3', '赵敏', 'rep', 'T2', '330106', NULL, '2023-06-03', NULL, '2024-06-30', NULL, '2024-01-02T08:00:00', '2024-06-30T17:00:00');

INSERT INTO customers (customer_id, survey_no, name, phone, gender, birth_year, address, district, health, collector_id, collected_on, owner_id, assigned_on, pinned, pin_reason, archived_on, archive_reason) VALUES
  (1, 'SV1', '许金凤', '13800007919', 'F', 1947, '浙江省金华市浦江县和平路1号3幢', '330726', '高血压', 'R1', '2024-04-02', 'R1', '2024-04-05', 0, NULL, NULL, NULL),
  (2, 'SV2', '陈玉兰', '13800079190', 'F', 1952, '浙江省金华市婺城区八一南街116号', '330702', NULL, 'R2', '2024-04-03', 'R2', '2024-04-05', 0, NULL, NULL, NULL),
  (3, NULL, '马国庆', '0579-84123456', 'M', NULL, NULL, NULL, NULL, 'R1', '2024-07-20', NULL, NULL, 0, NULL, NULL, NULL),
  (4, 'SV4', '杨春梅', '13800015838', NULL, 1950, '浙江省义乌市北苑街道', '330782', '糖尿病', 'R2', '2024-03-05', 'R2', '2024-03-06', 0, NULL, '2024-06-01', '本人要求不再联系'),
  (5, 'SV5', '=赵六', '13800063352', 'M', 1949, NULL, '330726', NULL, 'R1', '2024-04-10', 'R2', '2024-04-12', 1, '经理指定', NULL, NULL),
  (6, 'SV6', '王玉兰', '13800031676', 'F', 1955, '浙江省杭州市西湖区保俶路268号', '330106', '高血脂;冠心病', 'R3', '2024-05-01', 'R1', '2024-06-30', 0, NULL, NULL, NULL);

INSERT INTO assignments (assignment_id, customer_id, staff_id, previous_staff_id, rule, explanation, assigned_on, created_at) VALUES
  (1, 1, 'R1', NULL, 'collector', 'R1 collected the survey', '2024-04-05', '2024-04-05T10:00:00'),
  (2, 2, 'R2', NULL, 'collector', 'R2 collected the survey', '2024-04-05', '2024-04-05T10:00:00'),
  (3, 4, 'R2', NULL, 'collector', 'R2 collected the survey', '2024-03-06', '2024-03-06T10:00:00'),
  (4, 5, 'R1', NULL, 'collector', 'R1 collected the survey', '2024-04-11', '2024-04-11T10:00:00'),
  (5, 5, 'R2', 'R1', 'pin', '经理指定', '2024-04-12', '2024-04-12T11:00:00'),
  (6, 6, 'R3', NULL, 'collector', 'R3 collected the survey', '2024-05-02', '2024-05-02T10:00:00'),
  (7, 6, 'R1', 'R3', 'handover', 'R3 left on 2024-06-30; nearest rep', '2024-06-30', '2024-06-30T17:00:00');

INSERT INTO handovers (handover_id, leaver_id, customer_id, new_staff_id, rule, left_on, tasks_moved, created_at) VALUES
  (1, 'R3', 6, 'R1', 'workload', '2024-06-30', 1, '2024-06-30T17:00:00');

INSERT INTO events (event_id, customer_id, event_date, event, purchased, amount_fen, recorded_by) VALUES
  (1, 1, '2024-07-01', '7月联谊会', 1, 128050, 'R1'),
  (2, 2, '2024-07-01', '7月联谊会', 0, NULL, NULL),
  (3, 6, '2024-06-20', '', 0, NULL, 'R3');

INSERT INTO files (customer_id, opened_on, buyer, bought_on, event, recorded_by) VALUES
  (1, '2024-07-01', 1, '2024-07-01', '7月联谊会', 'R1'),
  (2, '2024-07-01', 0, NULL, '7月联谊会', NULL),
  (6, '2024-06-20', 0, NULL, '', 'R3');

INSERT INTO tasks (task_id, customer_id, role, seq, plan, due_by, staff_id, status, done_on, followup_id, note, created_at) VALUES
  (1, 1, 'rep', 1, 'buyer', '2024-07-04', 'R1', 'done', '2024-07-03', 1, NULL, '2024-07-01T12:00:00'),
  (2, 1, 'doctor', 1, 'buyer', '2024-07-16', 'D1', 'open', NULL, NULL, NULL, '2024-07-01T12:00:00'),
  (3, 1, 'rep', 2, 'buyer', '2024-07-31', 'R1', 'open', NULL, NULL, NULL, '2024-07-01T12:00:00'),
  (4, 1, 'doctor', 2, 'buyer', '2024-07-31', 'D1', 'open', NULL, NULL, NULL, '2024-07-01T12:00:00'),
  (5, 1, 'rep', 3, 'buyer', '2024-08-30', 'R1', 'open', NULL, NULL, NULL, '2024-07-01T12:00:00'),
  (6, 1, 'doctor', 3, 'buyer', '2024-08-30', 'D1', 'open', NULL, NULL, NULL, '2024-07-01T12:00:00'),
  (7, 2, 'rep', 1, 'non_buyer', '2024-07-04', 'R2', 'open', NULL, NULL, NULL, '2024-07-01T12:00:00'),
  (8, 2, 'rep', 2, 'non_buyer', '2024-07-16', 'R2', 'open', NULL, NULL, NULL, '2024-07-01T12:00:00'),
  (9, 6, 'rep', 1, 'non_buyer', '2024-06-23', 'R3', 'done', '2024-06-22', 3, NULL, '2024-06-20T12:00:00'),
  (10, 6, 'rep', 2, 'non_buyer', '2024-07-05', 'R1', 'open', NULL, NULL, NULL, '2024-06-20T12:00:00'),
  (11, 2, 'rep', 3, 'manual', '2024-08-10', 'R2', 'open', NULL, NULL, '带产品资料上门', '2024-07-02T09:00:00');

INSERT INTO followups (followup_id, customer_id, role, done_on, method, staff_id, note, task_id, late, created_at) VALUES
  (1, 1, 'rep', '2024-07-03', 'phone', 'R1', '询问产品使用情况，顾客反馈睡眠改善', 1, 0, '2024-07-03T18:00:00'),
  (2, 2, 'doctor', '2024-07-10', 'visit', 'D1', '测量血压 135/85，指导按时服用', NULL, 0, '2024-07-10T18:00:00'),
  (3, 6, 'rep', '2024-06-22', 'phone', 'R3', '电话回访，顾客在外地', 9, 0, '2024-06-22T18:00:00');

INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id, product, source) VALUES
  ('EV-1-2024-07-01-7月联谊会', 1, '2024-07-01', 128050, 'R1', NULL, 'event'),
  ('SO-2024-0701', 4, '2024-07-10', 46000, 'R2', '营养粉', 'orders'),
  ('SO-2024-0702', 5, '2024-07-12', 1200000, 'R2', '=SUM(A1)', 'orders'),
  ('SO-2024-0601', 4, '2024-05-20', 238000, NULL, '保健枕', 'orders');

INSERT INTO trips (trip_no, staff_id, start_date, start_time, end_date, end_time, scope, purpose, client, reviewed_by, approved_by, invited_by, transport_provided, advance_fen, report_on, order_amount_fen, deal_closed, exempt) VALUES
  ('T1', 'R1', '2024-06-18', NULL, '2024-06-18', NULL, 'in_province', 'visit', '杭州康乐养老院', 'S1', 'G1', NULL, NULL, 0, '2024-06-19', NULL, 0, 0),
  ('T2', 'R2', '2024-07-08', '07:30', '2024-07-12', '20:00', 'out_of_province', 'visit', '上海华康医药', 'S1', 'G1', NULL, 'host', 50000, '2024-07-15', 1500000, 1, 0);

INSERT INTO expenses (expense_id, trip_no, line_no, date, time, kind, amount_fen, hours, class, standard_fare_fen, receipt, reason, from_place, to_place, approved_by) VALUES
  (1, 'T1', 1, '2024-06-18', '07:50', 'bus', 4550, NULL, NULL, NULL, 1, NULL, '浦江', '杭州', NULL),
  (2, 'T1', 2, '2024-06-18', '21:15', 'taxi', 3800, NULL, NULL, NULL, NULL, 'night', '康乐养老院', '汽车西站', NULL),
  (3, 'T2', 1, '2024-07-08', '08:10', 'train', 35450, 4.5, 'second_class', NULL, 1, NULL, '金华', '上海', NULL),
  (4, 'T2', 2, '2024-07-10', '19:00', 'dinner', 28000, NULL, NULL, NULL, 1, NULL, NULL, NULL, NULL);

INSERT INTO policy_versions (version_id, effective_from, document, source, loaded_at) VALUES
  (1, '2025-01-01', '${POLICY_2025.replace(/'/g, "''")}', 'policy-2025.json', '2024-07-01T09:00:00');

INSERT INTO audit_log (audit_id, at, action, approved_by, reason, subject, detail, os_user) VALUES
  (1, '2024-07-02T10:00:00', 'reveal', 'G1', '回访核实', 'customer 1', 'customers show 13800007919 --reveal', 'ops'),
  (2, '2024-07-03T11:00:00', 'export', 'G1', '年度核查', 'export customers → c.csv', 'export customers --out c.csv --reveal', 'ops');
`;

/** Creates `file` at schema version 1 (migration 1 only), filled with V1_DATA unless `empty`. */
function v1Database(file: string, opts: { journal?: 'wal' | 'delete'; sql?: string } = {}): void {
  const d = new Database(file);
  try {
    d.pragma(`journal_mode = ${opts.journal ?? 'wal'}`);
    d.pragma('foreign_keys = ON');
    d.exec('BEGIN');
    d.exec(V1.sql);
    d.exec(opts.sql ?? V1_DATA);
    d.exec('COMMIT');
    d.pragma('user_version = 1');
    expect(d.pragma('foreign_key_check')).toEqual([]);
  } finally {
    d.close();
  }
  fs.chmodSync(file, 0o600);
}

/** Every row of every table of version 1, in rowid order. */
function dump(file: string): Record<string, unknown[]> {
  const d = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      V1_TABLES.map((t) => {
        const rows = d.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all() as Record<string, unknown>[];
        // a column added later is empty on the rows that were there before it
        for (const r of rows) for (const c of LATER_COLUMNS.get(t) ?? []) if (c in r && r[c] === null) delete r[c];
        return [t, rows];
      }),
    );
  } finally {
    d.close();
  }
}

/**
 * Migration 5 (issue 15) stores every phone and name as an import writes it: of V1_DATA only
 * customer 3's landline, stored with its dash (`0579-84123456`, which no look-up found).
 * `after` must be the v1 dump `before` with that one change, and with the one audit entry
 * that says so (checked here and set aside: its time and user are the run's).
 */
function expectMigrated(after: Record<string, unknown[]>, before: Record<string, unknown[]>): void {
  type Row = Record<string, unknown>;
  const normalise = (a: unknown) => (a as Row).action === 'normalise';
  expect(after.audit_log.filter(normalise)).toEqual([
    expect.objectContaining({ action: 'normalise', approved_by: null, subject: 'customers: 1 normalised, 0 left as possible duplicates (salesops customers duplicates)' }),
  ]);
  const customers = before.customers.map((c) => ((c as Row).customer_id === 3 ? { ...(c as Row), phone: '057984123456' } : c));
  // migration 7 (issue 18) fills the tasks' history from the files and assignments: checked by DERIVED
  const tasks = after.tasks.map((t) => Object.fromEntries(Object.entries(t as Row).filter(([k]) => !(k in DERIVED[0]))));
  expect(after.tasks.map((t) => Object.fromEntries(Object.keys(DERIVED[0]).map((k) => [k, (t as Row)[k] ?? null])))).toEqual(DERIVED);
  expect({ ...after, tasks, audit_log: after.audit_log.filter((a) => !normalise(a)) }).toEqual({ ...before, customers });
}

/**
 * What migration 7 derives for V1_DATA's tasks: created_on the plan's start (customer 1's buyer
 * file and customer 2's file opened 07-01, customer 6's 06-20), the manual task the day it was
 * recorded; task 10 (customer 6, open) moved with the handover of 06-30 from R3 to R1.
 */
const DERIVED = [
  ...Array.from({ length: 8 }, () => ({ created_on: '2024-07-01', cancelled_on: null, cancel_reason: null, moved_on: null })),
  { created_on: '2024-06-20', cancelled_on: null, cancel_reason: null, moved_on: null },
  { created_on: '2024-06-20', cancelled_on: null, cancel_reason: null, moved_on: '2024-06-30' },
  { created_on: '2024-07-02', cancelled_on: null, cancel_reason: null, moved_on: null },
];

function schema(file: string): { type: string; name: string; sql: string | null }[] {
  const d = new Database(file, { readonly: true });
  try {
    return d.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; sql: string | null }[];
  } finally {
    d.close();
  }
}

function userVersion(file: string): number {
  const d = new Database(file, { readonly: true });
  try {
    return d.pragma('user_version', { simple: true }) as number;
  } finally {
    d.close();
  }
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const sidecars = (file: string) => ['-wal', '-shm', '-journal'].filter((x) => fs.existsSync(file + x));
const json = (r: { code: number; stdout: string; stderr: string }) => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
/** An error for a person: one `error:` line, a `what to do:` line, no stack frames. */
function expectCleanError(r: { code: number; stdout: string; stderr: string }) {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^error: /);
  expect(r.stderr).toContain('what to do: ');
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+/);
}

let s: Sandbox;
afterEach(() => s?.cleanup());

describe('a database at schema version 1 is upgraded by the current binary', () => {
  it('every v1 table is filled by the test data (the dump comparison covers all of them)', () => {
    expect(LATEST_VERSION).toBe(Math.max(...migrations.map((m) => m.version)));
    expect(LATEST_VERSION).toBeGreaterThan(1);
    expect(LATER_INDEXES.length).toBeGreaterThan(0);
    // the indexes a later migration drops are indexes an earlier one made
    expect(LATER_DROPPED_INDEXES.filter((i) => !migrations.some((m) => new RegExp(`INDEX ${i} ON`).test(m.sql)))).toEqual([]);
    s = sandbox();
    v1Database(s.db);
    const d = dump(s.db);
    expect(Object.keys(d).sort()).toEqual([...V1_TABLES].sort());
    for (const t of V1_TABLES) expect(d[t].length, `rows in ${t}`).toBeGreaterThan(0);
    expect(userVersion(s.db)).toBe(1);
    for (const i of LATER_INDEXES) expect(schema(s.db).map((x) => x.name)).not.toContain(i);
  });

  it('check migrates to the latest version: every row unchanged (but a phone as imports store it), the v1 schema intact, the new indexes added, nothing else', async () => {
    s = sandbox();
    v1Database(s.db);
    const rowsBefore = dump(s.db);
    const schemaBefore = schema(s.db);
    const r = await s.run(['check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
    expect(userVersion(s.db)).toBe(LATEST_VERSION);
    expectMigrated(dump(s.db), rowsBefore);
    const schemaAfter = schema(s.db);
    // the v1 objects as they were, but for the columns later migrations append to a table
    const withoutLaterColumns = (x: { type: string; name: string; sql: string | null }) => {
      let sql = x.sql;
      for (const c of [...(LATER_COLUMNS.get(x.name) ?? [])].reverse()) sql = sql?.replace(new RegExp(`, ${c} [A-Z]+\\)$`), ')') ?? null;
      return { ...x, sql };
    };
    expect(schemaAfter.filter((x) => schemaBefore.some((b) => b.name === x.name)).map(withoutLaterColumns)).toEqual(
      schemaBefore.filter((x) => !LATER_DROPPED_INDEXES.includes(x.name)),
    );
    const added = schemaAfter.filter((x) => !schemaBefore.some((b) => b.name === x.name));
    expect(added.filter((x) => x.type === 'table').map((x) => x.name).sort()).toEqual([...LATER_TABLES].sort());
    expect(added.filter((x) => x.type === 'index').map((x) => x.name).sort()).toEqual([...LATER_INDEXES].sort());
    expect(added.filter((x) => x.type === 'trigger').map((x) => x.name).sort()).toEqual([...LATER_TRIGGERS].sort());
    expect(added).toHaveLength(LATER_INDEXES.length + LATER_TRIGGERS.length + LATER_TABLES.length);
    expect(fs.statSync(s.db).mode & 0o777).toBe(0o600);
    // a second open finds nothing to do
    const before = sha(s.db);
    expect((await s.run(['staff', 'list'])).code).toBe(0);
    expect(userVersion(s.db)).toBe(LATEST_VERSION);
    expectMigrated(dump(s.db), rowsBefore);
    expect(sha(s.db)).toBe(before);
  });

  it('the migrated data works with the commands: listings, due list, audit log, KPIs, allowances, policy', async () => {
    s = sandbox();
    v1Database(s.db);
    const staff = json(await s.run(['--format', 'json', 'staff', 'list']));
    expect(staff.map((x: { staff_id: string }) => x.staff_id).sort()).toEqual(['D1', 'G1', 'M1', 'R1', 'R2', 'R3', 'S1']);
    expect(userVersion(s.db)).toBe(LATEST_VERSION);
    expect(staff.find((x: { staff_id: string }) => x.staff_id === 'R3')).toMatchObject({ name: '赵敏', left_on: '2024-06-30' });

    const customers = json(await s.run(['--format', 'json', 'customers', 'list']));
    const c1 = customers.find((x: { customer_id: number }) => x.customer_id === 1);
    expect(c1).toMatchObject({ name: '许金凤', phone: '138****7919', owner_id: 'R1' });
    expect(JSON.stringify(customers)).not.toContain('13800007919');
    expect(json(await s.run(['--format', 'json', 'customers', 'list', '--unassigned'])).map((x: { customer_id: number }) => x.customer_id)).toEqual([3]);
    // migration 5 (issue 15): customer 3's landline, stored with its dash, is found as typed
    expect(json(await s.run(['--format', 'json', 'customers', 'show', '0579-84123456']))).toMatchObject({ customer_id: 3, name: '马国庆' });

    // open tasks due by 2024-07-16 (as-of 2024-07-09, within 7), overdue first
    const due = json(await s.run(['--format', 'json', 'followups', 'due'], { asOf: '2024-07-09' }));
    expect(due.map((x: { customer_id: number; role: string; seq: number; overdue: boolean; staff_id: string }) => [x.customer_id, x.role, x.seq, x.overdue, x.staff_id])).toEqual([
      [2, 'rep', 1, true, 'R2'],
      [6, 'rep', 2, true, 'R1'],
      [1, 'doctor', 1, false, 'D1'],
      [2, 'rep', 2, false, 'R2'],
    ]);

    const audit = json(await s.run(['--format', 'json', 'audit']));
    expect(audit.map((x: { action: string; approved_by: string; reason: string; subject: string }) => [x.action, x.approved_by, x.reason, x.subject])).toEqual([
      ['reveal', 'G1', '回访核实', 'customer 1'],
      ['export', 'G1', '年度核查', 'export customers → c.csv'],
      // migration 5 (issue 15): customer 3's landline stored without its dash
      ['normalise', null, 'issue 15: names and phones as an import reads them', 'customers: 1 normalised, 0 left as possible duplicates (salesops customers duplicates)'],
      // the two `--format json customers list` above: exports of personal data (§5)
      ['export', null, null, 'customers list {} → stdout (masked)'],
      ['export', null, null, 'customers list {"unassigned":true} → stdout (masked)'],
    ]);

    const kpi = json(await s.run(['--format', 'json', 'kpi', '--period', '2024-07', '--by', 'staff']));
    const r2 = kpi.find((x: { staff_id: string }) => x.staff_id === 'R2');
    expect(r2).toMatchObject({ orders: 2, sales_amount: 12460 });
    const r1 = kpi.find((x: { staff_id: string }) => x.staff_id === 'R1');
    expect(r1).toMatchObject({ orders: 1, sales_amount: 1280.5, files_opened: 1, buyers: 1 });

    const allowance = json(await s.run(['--format', 'json', 'allowance', '--trip', 'T1']));
    expect(allowance).toHaveLength(1);
    expect(allowance[0]).toMatchObject({ trip_no: 'T1', staff_id: 'R1', days: 1 });
    expect(allowance[0].lines.map((l: { kind: string; claimed: number }) => [l.kind, l.claimed])).toEqual(expect.arrayContaining([['bus', 45.5], ['taxi', 38]]));

    const policies = await s.run(['policy', 'list']);
    expect(policies.code, policies.stderr).toBe(0);
    expect(policies.stdout).toContain('2025-01-01');

    // and writes: a new survey, an assignment run, a follow-up completing the next open task
    expect((await s.run(['survey', 'import', s.file('s.csv', 'name,phone,collector,collected_on\n新客,13900001111,R2,2024-07-05\n')])).code).toBe(0);
    const assigned = json(await s.run(['--format', 'json', 'assign']));
    expect(assigned.map((x: { customer_id: number; staff_id: string; rule: string }) => [x.customer_id, x.staff_id, x.rule])).toEqual([
      // in order of collected_on: the new survey (07-05) before #3 (07-20)
      [7, 'R2', 'collector'],
      [3, 'R1', 'collector'],
    ]);
    expect((await s.run(['followups', 'done', '13800079190', '--role', 'rep', '--method', 'phone', '--note', '电话回访', '--on', '2024-07-09'])).code).toBe(0);
    expect(s.query('SELECT task_id, status, done_on FROM tasks WHERE task_id = 7')).toEqual([{ task_id: 7, status: 'done', done_on: '2024-07-09' }]);
    const chk = await s.run(['check']);
    expect(chk.code, chk.stdout + chk.stderr).toBe(0);
  });

  it('several commands opening a version-1 database at once all succeed, and it is migrated once', async () => {
    s = sandbox();
    v1Database(s.db);
    const before = dump(s.db);
    // separate processes: in one process the runs would take turns
    const results = await Promise.all([
      s.run(['staff', 'list'], { process: true }),
      s.run(['customers', 'list'], { process: true }),
      s.run(['check'], { process: true }),
      s.run(['followups', 'due'], { process: true }),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(userVersion(s.db)).toBe(LATEST_VERSION);
    expectMigrated(dump(s.db), before);
  });
});

/**
 * Customers as imports before issue 15 stored them: names with an ideographic, no-break or
 * ASCII space between the characters, a zero-width space, full-width letters; a landline with
 * its dash. #1 冯　明 (with the history: owner, open task, order) and #2 冯明 are one person
 * entered twice, as are #5 陈 芳 and #6 陈　芳; #10 冯 明 is a third record of #2, archived.
 */
const V1_UNNORMALISED = `
INSERT INTO staff (staff_id, name, role, district, hired_on) VALUES
  ('R1', '刘芳', 'rep', '330726', '2021-03-01'), ('R2', '杨洋', 'rep', '330702', '2022-05-10');
INSERT INTO customers (customer_id, name, phone, district, collector_id, collected_on, owner_id, assigned_on, archived_on, archive_reason) VALUES
  (1, '冯\u3000明', '13857903456', '330726', 'R1', '2024-04-01', 'R1', '2024-04-02', NULL, NULL),
  (2, '冯明', '13857903456', '330726', 'R1', '2024-06-01', NULL, NULL, NULL, NULL),
  (3, '李\u00a0四', '13800000003', '330702', 'R2', '2024-04-01', NULL, NULL, NULL, NULL),
  (4, '\u200b王五', '13800000004', '330702', 'R2', '2024-04-01', NULL, NULL, NULL, NULL),
  (5, '陈 芳', '13800000005', '330702', 'R2', '2024-04-01', NULL, NULL, NULL, NULL),
  (6, '陈\u3000芳', '13800000005', NULL, 'R2', '2024-05-01', 'R2', '2024-05-02', NULL, NULL),
  (7, '马国庆', '0579-84123456', '330726', 'R1', '2024-04-01', NULL, NULL, NULL, NULL),
  (8, 'Ｌｉｓａ Ｗａｎｇ', '13800000008', '330726', 'R1', '2024-04-01', NULL, NULL, NULL, NULL),
  (9, '赵六', '13800000009', '330726', 'R1', '2024-04-01', NULL, NULL, NULL, NULL),
  (10, '冯 明', '13857903456', '330726', 'R1', '2024-03-01', NULL, NULL, '2024-03-15', '本人要求不再联系');
INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, note) VALUES (1, 'rep', 1, 'manual', '2024-08-02', 'R1', '带资料上门');
INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id) VALUES ('SO-1', 1, '2024-06-01', 128000, 'R1');
`;

describe('migration 5 (issue 15): customers stored as imports read them', () => {
  it('normalises every name and phone no other customer holds, logs each change and one audit entry, and leaves one person entered twice as it was', async () => {
    s = sandbox();
    v1Database(s.db, { sql: V1_UNNORMALISED });
    const r = await s.run(['staff', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(userVersion(s.db)).toBe(LATEST_VERSION);
    expect(s.query('SELECT customer_id, name, phone FROM customers ORDER BY customer_id')).toEqual([
      { customer_id: 1, name: '冯\u3000明', phone: '13857903456' },
      { customer_id: 2, name: '冯明', phone: '13857903456' },
      { customer_id: 3, name: '李四', phone: '13800000003' },
      { customer_id: 4, name: '王五', phone: '13800000004' },
      { customer_id: 5, name: '陈芳', phone: '13800000005' },
      { customer_id: 6, name: '陈\u3000芳', phone: '13800000005' },
      { customer_id: 7, name: '马国庆', phone: '057984123456' },
      { customer_id: 8, name: 'Lisa Wang', phone: '13800000008' },
      { customer_id: 9, name: '赵六', phone: '13800000009' },
      { customer_id: 10, name: '冯 明', phone: '13857903456' },
    ]);
    const command = 'schema migration 5 (issue 15: names and phones normalised)';
    expect(changesOf(s, 'customers')).toEqual([
      { key: '3', field: 'name', old_value: '李\u00a0四', new_value: '李四', command },
      { key: '4', field: 'name', old_value: '\u200b王五', new_value: '王五', command },
      { key: '5', field: 'name', old_value: '陈 芳', new_value: '陈芳', command },
      { key: '7', field: 'phone', old_value: '0579-84123456', new_value: '057984123456', command },
      { key: '8', field: 'name', old_value: 'Ｌｉｓａ Ｗａｎｇ', new_value: 'Lisa Wang', command },
    ]);
    expect(s.query('SELECT action, approved_by, reason, subject, detail FROM audit_log')).toEqual([
      {
        action: 'normalise',
        approved_by: null,
        reason: 'issue 15: names and phones as an import reads them',
        subject: 'customers: 5 normalised, 2 left as possible duplicates (salesops customers duplicates)',
        detail: command,
      },
    ]);
    // the same survey again adds nobody: the customers are found as the import reads them
    const again = await s.run(['survey', 'import', s.file('s.csv', 'name,phone,collector,collected_on\n冯 明,138 5790 3456,R1,2024-07-01\n陈芳,13800000005,R2,2024-07-01\nＬｉｓａ  Ｗａｎｇ,13800000008,R1,2024-07-01\n马国庆,0579-84123456,R1,2024-07-01\n')]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('0 new');
    const chk = await s.run(['check']);
    expect(chk.code, chk.stdout + chk.stderr).toBe(0);
  });

  it('customers duplicates lists the people entered twice for a person to decide (en)', async () => {
    s = sandbox();
    v1Database(s.db, { sql: V1_UNNORMALISED });
    const r = await s.run(['--format', 'json', 'customers', 'duplicates']);
    expect(r.code, r.stderr).toBe(0);
    // the archived #10 is settled: not listed
    expect(JSON.parse(r.stdout)).toEqual([
      { group: 1, customer_id: 1, name: '冯\u3000明', phone: '138****3456', district: '330726', owner_id: 'R1', collected_on: '2024-04-01', open_tasks: 1, orders: 1 },
      { group: 1, customer_id: 2, name: '冯明', phone: '138****3456', district: '330726', owner_id: null, collected_on: '2024-06-01', open_tasks: 0, orders: 0 },
      { group: 2, customer_id: 5, name: '陈芳', phone: '138****0005', district: '330702', owner_id: null, collected_on: '2024-04-01', open_tasks: 0, orders: 0 },
      { group: 2, customer_id: 6, name: '陈\u3000芳', phone: '138****0005', district: null, owner_id: 'R2', collected_on: '2024-05-01', open_tasks: 0, orders: 0 },
    ]);
    expect(r.stderr).toContain('people entered more than once: 2, in 4 records');
    const table = await s.run(['customers', 'duplicates']);
    expect(table.stdout).toContain('│ group │ customer_id │ name   │ phone       │ district │ owner_id │ collected_on │ open_tasks │ orders │');
    expect(table.stdout).toContain('│     1 │           1 │ 冯　明 │ 138****3456 │ 330726   │ R1       │ 2024-04-01   │          1 │      1 │');
  });

  it('customers duplicates in Chinese; the person resolves a group with an audited archive', async () => {
    s = sandbox();
    v1Database(s.db, { sql: V1_UNNORMALISED });
    const r = await s.run(['--lang', 'zh', 'customers', 'duplicates']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('│ 组 │ 编号 │ 姓名   │ 电话        │ 地区代码 │ 跟进人 │ 收集日期   │ 未完成回访 │ 订单数 │');
    expect(r.stdout).toContain('│  2 │    6 │ 陈　芳 │ 138****0005 │          │ R2     │ 2024-05-01 │          0 │      0 │');
    expect(r.stderr).toContain('有 2 人被重复录入（共 4 条记录）');
    // #1 has the history: keep it; #2 is archived, and #1 takes the spelling imports write
    const a = await s.run(['--lang', 'zh', 'customers', 'archive', '2', '--duplicate-of', '1', '--reason', '同一人两次录入']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toContain('顾客 #2 冯\u3000明 已于 2024-07-31 归档，为 #1 冯明 的重复记录');
    expect(s.query('SELECT customer_id, name, archived_on, archive_reason FROM customers WHERE customer_id IN (1, 2) ORDER BY customer_id')).toEqual([
      { customer_id: 1, name: '冯明', archived_on: null, archive_reason: null },
      { customer_id: 2, name: '冯\u3000明', archived_on: '2024-07-31', archive_reason: '与 #1 重复：同一人两次录入' },
    ]);
    const left = await s.run(['--lang', 'zh', '--format', 'json', 'customers', 'duplicates']);
    expect(JSON.parse(left.stdout).map((x: { customer_id: number }) => x.customer_id)).toEqual([5, 6]);
    expect(s.query('SELECT action, subject FROM audit_log ORDER BY audit_id').map((x) => (x as { action: string }).action)).toEqual(['normalise', 'archive', 'export']);
  });
});

/**
 * Preloaded into the binary by `runKilledInMigration`: with a small page cache the migration's
 * pages go to the WAL while its statements run (with the default cache they all go at COMMIT,
 * a window of a few milliseconds), and once a statement returns inside a transaction with more
 * than `minWal` bytes in the WAL the process says so on stderr and waits there to be killed.
 * It wraps `exec` of better-sqlite3's native addon, which the binary loads from node_modules
 * (its JavaScript is bundled into the binary, issue 17) and which runs the migration's SQL.
 */
const PAUSE_IN_MIGRATION = (root: string, wal: string, minWal: number) => `
const fs = require('node:fs');
const path = require('node:path');
const sqlite = path.dirname(require.resolve('better-sqlite3/package.json', { paths: [${JSON.stringify(root)}] }));
const Database = require(path.join(sqlite, 'build', 'Release', 'better_sqlite3.node')).Database;
const exec = Database.prototype.exec;
const small = new WeakSet();
Database.prototype.exec = function (...args) {
  if (!small.has(this)) {
    small.add(this);
    exec.call(this, 'PRAGMA cache_size = 64');
  }
  const result = exec.apply(this, args);
  const wal = fs.existsSync(${JSON.stringify(wal)}) ? fs.statSync(${JSON.stringify(wal)}).size : 0;
  if (this.inTransaction && wal > ${minWal}) {
    fs.writeSync(2, 'paused inside the migration: ' + wal + ' bytes in the WAL\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until killed
  }
  return result;
};
`;

/**
 * Runs the binary on `s` with PAUSE_IN_MIGRATION preloaded and SIGKILLs it as soon as it says it
 * is paused inside the migration's transaction; resolves when it has exited.
 */
function runKilledInMigration(s: Sandbox, args: string[], minWal: number): Promise<RunResult & { paused: boolean }> {
  const hook = path.join(s.dir, 'pause-in-migration.cjs');
  fs.writeFileSync(hook, PAUSE_IN_MIGRATION(ROOT, s.db + '-wal', minWal));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', hook, BIN, '--db', s.db, '--lang', 'en', '--as-of', '2024-07-31', ...args], {
      env: { ...process.env, NO_COLOR: '1', SALESOPS_DB: '' },
    });
    let stdout = '';
    let stderr = '';
    let paused = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!paused && /^paused inside the migration: \d+ bytes in the WAL$/m.test(stderr)) {
        paused = true;
        child.kill('SIGKILL');
      }
    });
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr, paused }));
  });
}

describe('a database from a newer salesops is refused and left byte for byte as it was', () => {
  const commands: [string, (s: Sandbox) => string[]][] = [
    ['staff list', () => ['staff', 'list']],
    ['check', () => ['check']],
    ['init', () => ['init']],
    ['survey import', (s) => ['survey', 'import', s.file('s.csv', 'name,phone,collector,collected_on\n甲,13500001111,R1,2024-05-01\n')]],
  ];

  it.each(['delete', 'wal'] as const)('journal mode %s: every command exits 1 with "upgrade salesops", no stack trace, the file and its sidecars unchanged', async (journal) => {
    s = sandbox();
    v1Database(s.db, { journal });
    const d = new Database(s.db);
    d.pragma(`user_version = ${LATEST_VERSION + 1}`);
    d.close();
    const hash = sha(s.db);
    const size = fs.statSync(s.db).size;
    expect(sidecars(s.db)).toEqual([]);
    for (const [name, args] of commands) {
      const r = await s.run(args(s));
      expectCleanError(r);
      expect(r.stderr, name).toContain(`schema ${LATEST_VERSION + 1}; this one knows up to ${LATEST_VERSION}`);
      expect(r.stderr, name).toContain('upgrade salesops');
      expect(sha(s.db), `${name} changed the file`).toBe(hash);
      expect(fs.statSync(s.db).size).toBe(size);
      expect(sidecars(s.db), `${name} left files beside the database`).toEqual([]);
    }
    expect(userVersion(s.db)).toBe(LATEST_VERSION + 1);
  });
});

describe('a file that is not a salesops database', () => {
  it.each([
    ['a CSV file', () => fs.readFileSync(path.join(ROOT, 'fixtures/surveys.csv'))],
    ['random bytes', () => crypto.createHash('sha512').update('salesops').digest()],
    ['a SQLite header followed by garbage', () => Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080, 0xab)])],
  ])('%s given as --db: a clear error, exit 1, the file unchanged and nothing created beside it', async (_what, bytes) => {
    s = sandbox();
    const file = path.join(s.dir, 'not-a-db.db');
    fs.writeFileSync(file, bytes());
    const hash = sha(file);
    for (const args of [['staff', 'list'], ['init'], ['check'], ['survey', 'import', s.file('s.csv', 'name,phone,collector,collected_on\n甲,13500001111,R1,2024-05-01\n')]]) {
      const r = await s.run(['--db', file, ...args]);
      expectCleanError(r);
      expect(r.stderr).toContain(`cannot open ${file} as a salesops database`);
      expect(sha(file)).toBe(hash);
      expect(sidecars(file)).toEqual([]);
    }
  });
});

describe('a database of another program, and an empty file', () => {
  it('a SQLite database with tables but no salesops schema is refused by every command, init included, and left as it was', async () => {
    s = sandbox();
    const file = path.join(s.dir, 'other.sqlite');
    const d = new Database(file);
    d.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me');");
    d.close();
    const hash = sha(file);
    for (const args of [['staff', 'list'], ['init'], ['check']]) {
      const r = await s.run(['--db', file, ...args]);
      expectCleanError(r);
      expect(r.stderr).toContain(`${file} is a SQLite database of another program, not a salesops one; nothing was changed`);
      expect(sha(file)).toBe(hash);
    }
  });

  it('an empty file (touch) is not initialised: commands say to run init; init makes it the database, owner-only', async () => {
    s = sandbox();
    const file = path.join(s.dir, 'new.db');
    fs.writeFileSync(file, '', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const r = await s.run(['--db', file, 'staff', 'list']);
    expectCleanError(r);
    expect(r.stderr).toContain('salesops init');
    expect(fs.statSync(file).size).toBe(0);
    const init = await s.run(['--db', file, 'init']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain(`created ${file} (schema ${LATEST_VERSION})`);
    expect(userVersion(file)).toBe(LATEST_VERSION);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('a migration that does not finish leaves the database at the old version', () => {
  it('a statement failing half-way through: exit 1 without a stack trace, version 1, no new index, every row and byte as before', async () => {
    expect(LATER_INDEXES.length).toBeGreaterThanOrEqual(2);
    s = sandbox();
    // an object already holding the name of the LAST index the migrations create makes that
    // statement fail after the others ran inside the same transaction
    const last = LATER_INDEXES.at(-1)!;
    v1Database(s.db, { sql: V1_DATA + `CREATE TABLE "${last}" (x);` });
    const rows = dump(s.db);
    const hash = sha(s.db);
    const r = await s.run(['staff', 'list']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(last);
    expect(r.stderr).toContain(`could not upgrade ${s.db} from schema 1 to ${LATEST_VERSION}`);
    expect(r.stderr).toContain('nothing was changed');
    expect(r.stderr).not.toContain('bug in salesops');
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+/);
    expect(sha(s.db)).toBe(hash);
    expect(userVersion(s.db)).toBe(1);
    const names = schema(s.db).map((x) => x.name);
    for (const i of LATER_INDEXES.slice(0, -1)) expect(names).not.toContain(i);
    expect(dump(s.db)).toEqual(rows);
  });

  it('a process killed (SIGKILL) while migrating a large database: the file is as before; the next command migrates it', async () => {
    s = sandbox();
    // 100,000 customers with an order, a task and a file each: the indexes migration 2 builds over
    // them take some 10 MB of pages, all written to the WAL before the migration commits
    const N = 100_000;
    v1Database(s.db, {
      sql: `INSERT INTO staff (staff_id, name, role, hired_on) VALUES ('R1', '刘芳', 'rep', '2021-03-01');
        WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${N})
        INSERT INTO customers (customer_id, name, phone, collector_id, collected_on, owner_id) SELECT i, '客' || i, '139' || printf('%08d', i), 'R1', '2024-05-01', 'R1' FROM seq;
        INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id) SELECT 'SO' || customer_id, customer_id, '2024-06-01', customer_id * 7, 'R1' FROM customers;
        INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id) SELECT customer_id, 'rep', 1, 'non_buyer', '2024-06-04', 'R1' FROM customers;
        INSERT INTO files (customer_id, opened_on) SELECT customer_id, '2024-06-01' FROM customers;`,
    });
    const original = path.join(s.dir, 'original.db');
    fs.copyFileSync(s.db, original);
    const hash = sha(s.db);
    const wal = s.db + '-wal';
    // killed once the migration has written 1 MB of its ~10 MB to the WAL: well inside its
    // transaction (the binary says when it is there, and waits for the kill)
    const r = await runKilledInMigration(s, ['staff', 'list'], 1 << 20);
    expect(r.paused, 'never inside the migration with 1 MB in the WAL: ' + r.stderr).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(fs.statSync(wal).size).toBeGreaterThan(1 << 20);
    // the main file is never written before a checkpoint: the migration's pages only went to the WAL
    expect(sha(s.db)).toBe(hash);
    const d = new Database(s.db);
    try {
      expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(d.pragma('user_version', { simple: true })).toBe(1);
      const names = (d.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all() as { name: string }[]).map((x) => x.name);
      for (const i of LATER_INDEXES) expect(names).not.toContain(i);
      d.exec(`ATTACH '${original}' AS old`);
      for (const t of V1_TABLES) {
        const diff = d.prepare(`SELECT (SELECT count(*) FROM (SELECT * FROM main."${t}" EXCEPT SELECT * FROM old."${t}")) + (SELECT count(*) FROM (SELECT * FROM old."${t}" EXCEPT SELECT * FROM main."${t}")) AS n`).get() as { n: number };
        expect(diff.n, t).toBe(0);
      }
      expect(d.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: N });
    } finally {
      d.close();
    }
    const again = await s.run(['staff', 'list']);
    expect(again.code, again.stderr).toBe(0);
    expect(userVersion(s.db)).toBe(LATEST_VERSION);
    const names = schema(s.db).map((x) => x.name);
    for (const i of LATER_INDEXES) expect(names).toContain(i);
    expect(s.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: N }]);
  });
});

describe('migration 7 (issue 18): the history an older database lets us derive, and what it does not', () => {
  const HISTORY_GAPS = `
INSERT INTO staff (staff_id, name, role, district, hired_on, left_on) VALUES
  ('R1', '刘芳', 'rep', '330726', '2021-03-01', NULL), ('R2', '杨洋', 'rep', '330702', '2022-05-10', NULL),
  ('D1', '张医生', 'doctor', '330726', '2019-09-01', '2024-06-01'), ('D2', '李医生', 'doctor', '330726', '2019-09-01', NULL);
INSERT INTO customers (customer_id, name, phone, district, collector_id, collected_on, owner_id, assigned_on) VALUES
  (1, '许金凤', '13800007919', '330726', 'R1', '2024-04-01', 'R1', '2024-04-02'),
  (2, '王二', '13800000002', '330702', 'R2', '2024-04-01', 'R2', '2024-04-02');
INSERT INTO assignments (customer_id, staff_id, previous_staff_id, rule, explanation, assigned_on) VALUES (1, 'R1', NULL, 'collector', 'R1 collected it', '2024-04-02');
INSERT INTO files (customer_id, opened_on, buyer, bought_on) VALUES (1, '2024-05-01', 0, NULL);
INSERT INTO tasks (task_id, customer_id, role, seq, plan, due_by, staff_id, status, created_at) VALUES
  (1, 1, 'rep', 1, 'non_buyer', '2024-05-04', 'R1', 'cancelled', '2024-05-01T09:00:00'),
  (2, 1, 'doctor', 1, 'manual', '2024-06-15', 'D2', 'open', '2024-05-10T09:00:00');
`;

  it('derives what it can and says, once, what it could not: cancellations without a purchase, doctors who left, owners without an assignment', async () => {
    s = sandbox();
    v1Database(s.db, { sql: HISTORY_GAPS });
    const r = await s.run(['staff', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('schema 7: 1 cancelled follow-up task(s) have no purchase to date their cancellation');
    expect(r.stderr).toContain('schema 7: 1 doctor task(s) may have moved when a doctor left');
    expect(r.stderr).toContain('schema 7: 1 customer(s) have an owner but no assignment on record');
    expect(s.query('SELECT task_id, created_on, cancelled_on, cancel_reason FROM tasks ORDER BY task_id')).toEqual([
      { task_id: 1, created_on: '2024-05-01', cancelled_on: '2024-05-01', cancel_reason: null },
      { task_id: 2, created_on: '2024-05-10', cancelled_on: null, cancel_reason: null },
    ]);
    // said once: the next command finds nothing to upgrade
    expect((await s.run(['staff', 'list'])).stderr).not.toContain('schema 7');
  });
});

describe('an upgrade of a big database is announced before it starts (issue 18: minutes on millions of tasks)', () => {
  it('64 MiB and more: one line on stderr first, saying it may take minutes and must be let finish; a small one upgrades without a word (above)', async () => {
    s = sandbox();
    v1Database(s.db);
    const d = new Database(s.db);
    // the size a database of a few hundred thousand customers has (the pages are what counts)
    d.exec('CREATE TABLE padding (x BLOB); INSERT INTO padding VALUES (zeroblob(64 * 1024 * 1024))');
    d.close();
    const r = await s.run(['staff', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`upgrading ${s.db} from schema 1 to ${LATEST_VERSION}: on a database this size it can take a few minutes; let it finish (stopped, it is rolled back whole and runs again next time)`);
    expect((await s.run(['staff', 'list'])).stderr).not.toContain('upgrading');
  });
});
