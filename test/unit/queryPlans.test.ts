/**
 * Index hygiene (issue 17). Every statement the store prepares while the commands run (the
 * SCENARIO below, through the built CLI: `npm test` builds first), with its query plan
 * against the current schema without statistics (salesops never runs ANALYZE: these are the
 * plans of a database of any size, the bench's included). From them:
 * - the hot queries read the index they are named for, in the plan pinned here (a plan that
 *   changes — an index dropped or renamed, a statement rewritten — fails here the day it happens);
 * - the survey import's upsert finds its conflicts through the unique indexes, and nothing it
 *   prepares scans the customers;
 * - every index is read by some statement, or is a UNIQUE rule; none is a prefix of another;
 *   no UPDATE or DELETE scans a table (its foreign-key checks included);
 * - docs/indexes.md is what these say (its generated parts; `vitest run -u` rewrites them).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { CLASS_SQL, KPI_SQL } from '../../src/store/kpi.js';
import { migrations } from '../../src/store/migrations.js';
import type { Sandbox } from '../e2e/harness.js';
import {
  commandOf,
  conflictIndexes,
  explainAll,
  indexesOf,
  planner,
  preparingFunctions,
  runScenario,
  type Explained,
  type IndexInfo,
  type PlanLine,
  type Step,
} from '../queryPlans.js';

const AS_OF = '2024-07-31';
const DOC = fileURLToPath(new URL('../../docs/indexes.md', import.meta.url));

/**
 * Every command that prepares SQL, on the bundled fixtures, in the order of an ops month: what
 * the store prepares while these run is what is explained. A new store function with SQL needs
 * a step here that runs it (the first test says which).
 */
const SCENARIO: Step[] = [
  { args: ['init'] },
  { args: ['staff', 'import', '{fixtures}/staff.csv'] },
  { args: ['staff', 'list', '--role', 'rep', '--team', '一部', '--active'] },
  { args: ['staff', 'add', '--id', 'D2', '--name', '李医生', '--role', 'doctor', '--team', '顾服', '--district', '330782', '--hired-on', '2020-01-01'] },
  { args: ['survey', 'import', '{fixtures}/surveys.csv'] },
  { args: ['survey', 'import', '{fixtures}/surveys-gbk.csv'] },
  { args: ['survey', 'import', '{fixtures}/surveys.xlsx'] },
  { args: ['survey', 'import', '{fixtures}/surveys-bad.csv', '--skip-invalid', '--rejects', '{dir}/rejects.csv'], ok: [3] },
  // one person entered twice before names were normalised (issue 15): what `customers duplicates` finds
  { sql: "INSERT INTO customers (customer_id, name, phone, collector_id, collected_on) VALUES (101, '韩 梅', '13800999001', 'R2', '2024-04-03'), (102, '韩梅', '13800999001', 'R2', '2024-04-05')" },
  { args: ['customers', 'list'] },
  { args: ['customers', 'list', '--unassigned', '--district', '330700', '--collector', 'R2'] },
  { args: ['customers', 'duplicates'] },
  { args: ['customers', 'archive', '102', '--duplicate-of', '101', '--reason', '重复录入'] },
  { args: ['assign', '--dry-run', '--explain'] },
  { args: ['assign'] },
  { args: ['customers', 'list', '--owner', 'R2'] },
  { args: ['assign', 'set', '#5', 'R1', '--reason', '老客户指定'] },
  { args: ['assign', 'unpin', '#5'] },
  { args: ['events', 'import', '{fixtures}/events.csv'] },
  { args: ['orders', 'import', '{fixtures}/orders.csv'] },
  { args: ['followups', 'import', '{fixtures}/followups.csv'] },
  { args: ['followups', 'import', '{fixtures}/followups-corrected.csv'] },
  { args: ['followups', 'due'] },
  { args: ['followups', 'due', '--staff', 'R2'] },
  { args: ['followups', 'due', '--unassigned'] },
  { args: ['followups', 'due', '--role', 'doctor', '--overdue'] },
  { args: ['followups', 'done', '#16', '--role', 'rep', '--method', 'visit', '--note', '介绍产品服务'] },
  { args: ['followups', 'add', '#16', '--role', 'doctor', '--due', '2024-08-15', '--note', '复查血压'] },
  { args: ['customers', 'show', '#16'] },
  { args: ['customers', 'show', '13800007919', '--reveal', '--approved-by', 'G1', '--reason', '核对地址'] },
  { args: ['customers', 'archive', '#40', '--reason', '搬迁'] },
  { args: ['staff', 'leave', 'R4', '--on', '2024-07-31'] },
  { args: ['staff', 'leave', 'D1', '--on', '2024-07-31'] },
  // issue 18: a roster change of team (the earlier one kept), and the reports of past days
  { file: 'staff-moved.csv', text: '工号,姓名,岗位,部门,入职日期\nR2,杨洋,销售代表,二部,2022-05-10\n' },
  { args: ['staff', 'import', '{dir}/staff-moved.csv', '--as-of', '2024-07-20'] },
  { args: ['followups', 'due', '--as-of', '2024-07-10'] },
  { args: ['followups', 'due', '--staff', 'R4', '--as-of', '2024-07-10'] },
  { args: ['kpi', '--period', '2024-06', '--by', 'team'] },
  { args: ['trips', 'import', '{fixtures}/trips.csv'] },
  { args: ['expenses', 'import', '{fixtures}/expenses.csv'] },
  { args: ['allowance', '--trip', 'T4'] },
  { args: ['allowance', '--staff', '杨洋'] },
  { args: ['allowance', '--month', '2024-07'] },
  { args: ['policy', 'load', '{fixtures}/policy-2025.json', '--from', '2025-01-01'] },
  { args: ['policy', 'list'] },
  { args: ['policy', 'show'] },
  { args: ['kpi', '--period', '2024-07'] },
  { args: ['kpi', '--period', '2024-Q2', '--by', 'team'] },
  { args: ['kpi', '--classes'] },
  { args: ['report', '--period', '2024-07', '--out', '{dir}/report.xlsx'] },
  ...['staff', 'customers', 'assignments', 'events', 'files', 'tasks', 'followups', 'orders', 'trips', 'expenses', 'allowances', 'kpi'].flatMap((k) => [
    { args: ['export', k, '--out', `{dir}/${k}.csv`] },
    { args: ['export', k, '--period', '2024-07', '--out', `{dir}/${k}-2024-07.csv`] },
  ]),
  { args: ['audit'] },
  { args: ['audit', '--from', '2024-01-01', '--to', '2030-12-31'] },
  { args: ['audit', '--changes'] },
  { args: ['audit', '--changes', '--kind', 'followups', '--key', '3'] },
  { args: ['audit', '--changes', '--kind', 'nosuch'], ok: [2] },
  { args: ['audit', '--changes', '--from', '2024-01-01', '--to', '2030-12-31'] },
  { args: ['db', 'copy', '--from', '{db}', '--to', '{dir}/copy.db'] },
  { args: ['backup', '{dir}/backup.db'] },
  { args: ['check'] },
  { args: ['restore', '{dir}/backup.db'] },
];

/** Store functions with SQL that the scenario does not run, and why their plans need no check. */
const NOT_RUN: Record<string, string> = {
  'src/store/db.ts liftForBulkWrite': 'reads sqlite_schema only; runs in bulk writes (50,000 rows and more)',
  'src/store/changes.ts listChanges': 'the SQL of iterateChanges (changeQuery), which `audit --changes` runs',
  'src/store/customers.ts pgSurveyWriter': 'PostgreSQL only (the survey import a batch at a time, through COPY and one merge): test/e2e/foundation.test.ts on PostgreSQL',
  'src/store/copy.ts continueIds': 'PostgreSQL only (an identity goes on after the copied ids; a file does so by itself): test/e2e/dbCopy.test.ts',
  'src/store/maintenance.ts pgGuardFaults': "PostgreSQL only (the server's triggers, from pg_trigger): test/e2e/pgMaintenance.test.ts",
};

/** A hot query: the statement a step prepares in a store function (`sql` picks it among several), and its plan. */
interface Hot {
  name: string;
  step: string;
  at: string;
  sql?: string | RegExp;
  /** the index it is there for */
  index: string;
  plan: string[];
}

const HOT: Hot[] = [
  {
    name: 'due list, everyone',
    step: 'followups due',
    at: 'followups.ts dueTasks',
    index: 'tasks_open_due',
    // issue 18: open now (in order, LIMIT stops early), merged with what was open then and closed since (sorted, few)
    plan: [
      'MERGE (UNION ALL)',
      '  LEFT',
      '    SEARCH t USING INDEX tasks_open_due (due_by<?)',
      '    SEARCH c USING INTEGER PRIMARY KEY (rowid=?)',
      '    SEARCH s USING INDEX sqlite_autoindex_staff_1 (staff_id=?) LEFT-JOIN',
      '    CORRELATED SCALAR SUBQUERY 2',
      '      SEARCH m USING INDEX task_moves_task (task_id=? AND moved_on>?)',
      '    CORRELATED SCALAR SUBQUERY 1',
      '      SEARCH m USING INDEX task_moves_task (task_id=? AND moved_on>?)',
      '  RIGHT',
      '    CO-ROUTINE b',
      '      CO-ROUTINE closing',
      '        SETUP',
      '          SCAN CONSTANT ROW',
      '        RECURSIVE STEP',
      '          SCAN closing',
      '          SCALAR SUBQUERY 6',
      '            SEARCH tasks USING INDEX tasks_closed',
      '      SCAN closing',
      '      SEARCH t USING INDEX tasks_closed (<expr>=? AND due_by<?)',
      '      SEARCH c USING INTEGER PRIMARY KEY (rowid=?)',
      '      USE TEMP B-TREE FOR ORDER BY',
      '    SCAN b',
      '    SEARCH t USING INTEGER PRIMARY KEY (rowid=?)',
      '    SEARCH c USING INTEGER PRIMARY KEY (rowid=?)',
      '    SEARCH s USING INDEX sqlite_autoindex_staff_1 (staff_id=?) LEFT-JOIN',
      '    CORRELATED SCALAR SUBQUERY 9',
      '      SEARCH m USING INDEX task_moves_task (task_id=? AND moved_on>?)',
      '    CORRELATED SCALAR SUBQUERY 4',
      '      SEARCH m USING INDEX task_moves_task (task_id=? AND moved_on>?)',
      '    USE TEMP B-TREE FOR ORDER BY',
    ],
  },
  {
    name: 'due list, one rep',
    step: 'followups due --staff R2',
    at: 'followups.ts dueTasks',
    index: 'tasks_open_staff',
    // issue 18: held now and then, closed since, moved away since
    plan: [
      'MERGE (UNION ALL)',
      '  LEFT',
      '    MERGE (UNION ALL)',
      '      LEFT',
      '        SEARCH t USING INDEX tasks_open_staff (staff_id=? AND due_by<?)',
      '        SEARCH c USING INTEGER PRIMARY KEY (rowid=?)',
      '        SEARCH s USING INDEX sqlite_autoindex_staff_1 (staff_id=?) LEFT-JOIN',
      '      RIGHT',
      '        SEARCH t USING INDEX tasks_kpi (staff_id=? AND due_by<?)',
      '        SEARCH c USING INTEGER PRIMARY KEY (rowid=?)',
      '        SEARCH s USING INDEX sqlite_autoindex_staff_1 (staff_id=?) LEFT-JOIN',
      '        USE TEMP B-TREE FOR LAST TERM OF ORDER BY',
      '  RIGHT',
      '    SEARCH m0 USING INDEX task_moves_from (from_staff_id=? AND moved_on>?)',
      '    CORRELATED SCALAR SUBQUERY 3',
      '      SEARCH m1 USING COVERING INDEX task_moves_task (task_id=? AND moved_on>?)',
      '    SEARCH t USING INTEGER PRIMARY KEY (rowid=?)',
      '    SEARCH c USING INTEGER PRIMARY KEY (rowid=?)',
      '    SEARCH s USING INDEX sqlite_autoindex_staff_1 (staff_id=?) LEFT-JOIN',
      '    USE TEMP B-TREE FOR ORDER BY',
    ],
  },
  {
    name: 'KPI month: new customers',
    step: 'kpi --period 2024-07',
    at: 'kpi.ts kpiCredits',
    sql: KPI_SQL.newCustomers,
    index: 'customers_collector',
    plan: [
      'SCAN s USING COVERING INDEX sqlite_autoindex_staff_1',
      'CORRELATED SCALAR SUBQUERY 1',
      '  SEARCH c USING COVERING INDEX customers_collector (collector_id=? AND collected_on>? AND collected_on<?)',
    ],
  },
  {
    name: 'KPI month: files opened',
    step: 'kpi --period 2024-07',
    at: 'kpi.ts kpiCredits',
    sql: KPI_SQL.files,
    index: 'files_kpi',
    // issue 18: the owner on the day it opened (or the first one), from the history only when the owner changed since
    plan: [
      'SEARCH f USING COVERING INDEX files_kpi (opened_on>? AND opened_on<?)',
      'SEARCH c USING COVERING INDEX customers_owner_on (customer_id=?)',
      'USE TEMP B-TREE FOR GROUP BY',
      'CORRELATED SCALAR SUBQUERY 1',
      '  SEARCH a USING COVERING INDEX assignments_owner_on (customer_id=? AND assigned_on<?)',
      'CORRELATED SCALAR SUBQUERY 2',
      '  SEARCH a USING COVERING INDEX assignments_owner_on (customer_id=?)',
      'CORRELATED SCALAR SUBQUERY 1',
      '  SEARCH a USING COVERING INDEX assignments_owner_on (customer_id=? AND assigned_on<?)',
      'CORRELATED SCALAR SUBQUERY 2',
      '  SEARCH a USING COVERING INDEX assignments_owner_on (customer_id=?)',
    ],
  },
  {
    name: 'KPI month: orders by staff',
    step: 'kpi --period 2024-07',
    at: 'kpi.ts kpiCredits',
    sql: KPI_SQL.orders,
    index: 'orders_kpi',
    plan: ['SCAN s USING COVERING INDEX sqlite_autoindex_staff_1', 'SEARCH o USING COVERING INDEX orders_kpi (staff_id=? AND order_date>? AND order_date<?)'],
  },
  {
    name: 'KPI month: orders credited to no one',
    step: 'kpi --period 2024-07',
    at: 'kpi.ts kpiCredits',
    sql: KPI_SQL.ordersNoStaff,
    index: 'orders_kpi',
    plan: ['SEARCH orders USING COVERING INDEX orders_kpi (staff_id=? AND order_date>? AND order_date<?)'],
  },
  {
    name: 'KPI month: follow-ups by staff',
    step: 'kpi --period 2024-07',
    at: 'kpi.ts kpiCredits',
    sql: KPI_SQL.tasks,
    index: 'tasks_kpi',
    plan: ['SCAN s USING COVERING INDEX sqlite_autoindex_staff_1', 'SEARCH t USING COVERING INDEX tasks_kpi (staff_id=? AND due_by>? AND due_by<?)'],
  },
  {
    name: 'KPI month: follow-ups held by no one',
    step: 'kpi --period 2024-07',
    at: 'kpi.ts kpiCredits',
    sql: KPI_SQL.tasksNoStaff,
    index: 'tasks_kpi',
    plan: ['SEARCH tasks USING COVERING INDEX tasks_kpi (staff_id=? AND due_by>? AND due_by<?)'],
  },
  {
    name: 'KPI classes: customers by owner',
    step: 'kpi --classes',
    at: 'kpi.ts classCounts',
    sql: CLASS_SQL.customers,
    index: 'customers_owner',
    plan: ['SCAN customers USING COVERING INDEX customers_owner'],
  },
  {
    name: 'KPI classes: archived customers by owner',
    step: 'kpi --classes',
    at: 'kpi.ts classCounts',
    sql: CLASS_SQL.archived,
    index: 'customers_archived',
    plan: ['SCAN customers USING INDEX customers_archived'],
  },
  {
    name: 'KPI classes: 12-month purchases',
    step: 'kpi --classes',
    at: 'kpi.ts classCounts',
    sql: CLASS_SQL.classes,
    index: 'orders_customer_kpi',
    plan: ['CO-ROUTINE p', '  SCAN orders USING COVERING INDEX orders_customer_kpi', 'SCAN p', 'SEARCH c USING COVERING INDEX customers_owner_on (customer_id=?)', 'USE TEMP B-TREE FOR GROUP BY'],
  },
  {
    name: 'KPI classes: archived customers\' purchases',
    step: 'kpi --classes',
    at: 'kpi.ts classCounts',
    sql: CLASS_SQL.archivedClasses,
    index: 'orders_customer_kpi',
    plan: [
      'SCAN c USING INDEX customers_archived',
      'CORRELATED SCALAR SUBQUERY 1',
      '  SEARCH o USING COVERING INDEX orders_customer_kpi (customer_id=? AND order_date>? AND order_date<?)',
      'CORRELATED SCALAR SUBQUERY 1',
      '  SEARCH o USING COVERING INDEX orders_customer_kpi (customer_id=? AND order_date>? AND order_date<?)',
      'CORRELATED SCALAR SUBQUERY 1',
      '  SEARCH o USING COVERING INDEX orders_customer_kpi (customer_id=? AND order_date>? AND order_date<?)',
    ],
  },
  {
    name: 'assign: the customers to assign',
    step: 'assign',
    at: 'assignments.ts readUnassigned',
    index: 'customers_owner',
    plan: ['SEARCH customers USING INDEX customers_owner (owner_id=?)'],
  },
  {
    name: 'assign: candidates\' load',
    step: 'assign',
    at: 'assignments.ts readReps',
    sql: /INDEXED BY customers_owner\b/,
    index: 'customers_owner',
    plan: ['SEARCH customers USING COVERING INDEX customers_owner (owner_id>?)'],
  },
  {
    name: 'assign: candidates\' archived customers',
    step: 'assign',
    at: 'assignments.ts readReps',
    sql: /INDEXED BY customers_archived/,
    index: 'customers_archived',
    plan: ['SEARCH customers USING INDEX customers_archived (owner_id>?)'],
  },
  {
    name: 'assign: candidates\' on-time rate',
    step: 'assign',
    at: 'assignments.ts readReps',
    sql: /INDEXED BY tasks_kpi/,
    index: 'tasks_kpi',
    plan: ['SCAN s USING INDEX sqlite_autoindex_staff_1', 'SEARCH t USING COVERING INDEX tasks_kpi (staff_id=? AND due_by>? AND due_by<?)'],
  },
  {
    name: 'assign: candidates\' conversion rate',
    step: 'assign',
    at: 'assignments.ts readReps',
    sql: /INDEXED BY files_kpi/,
    index: 'files_kpi',
    plan: ['SEARCH f USING COVERING INDEX files_kpi (opened_on<?)', 'SEARCH c USING COVERING INDEX customers_owner_on (customer_id=? AND owner_id>?)', 'USE TEMP B-TREE FOR GROUP BY'],
  },
];

/** The survey import: the step that imports new customers, the table its upsert writes, and the unique indexes that are its deduplication. */
const IMPORT = { step: 'survey import surveys.csv', table: 'customers', conflicts: ['customers_survey_no', 'sqlite_autoindex_customers_1'] };

/** Why each index a migration dropped went (docs/indexes.md "Dropped"); the indexes dropped, with their keys, are read from the migrations. */
const DROPPED: Record<string, string> = {
  orders_staff: 'a prefix of orders_kpi (staff_id, order_date, amount_fen)',
  orders_customer: 'a prefix of orders_customer_kpi (customer_id, order_date, amount_fen)',
  files_opened: 'a prefix of files_kpi (opened_on, buyer, bought_on)',
  customers_unassigned: 'read by no statement: assignment reads the unassigned through customers_owner in customer_id order; every new customer entered it',
  assignments_customer: 'read by no statement; customers are never deleted, so no foreign-key check needs it',
  handovers_leaver: 'read by no statement: the handover lists are written, never read back',
  trips_client: 'read by no statement: the two-trips rule reads trips in start order (trips_start)',
  customers_kpi: 'a prefix of customers_owner_on (customer_id, owner_id, assigned_on), which also says since when the owner has the customer (issue 18)',
};

// ---------------------------------------------------------------------------------------

const short = (file: string) => file.replace(/^src\/store\//, '');
const atOf = (s: { file: string; fn: string }) => `${short(s.file)} ${s.fn}`;
const sqlMatches = (sql: string, m: string | RegExp | undefined) => m === undefined || (typeof m === 'string' ? sql === m : m.test(sql));

/** The statements of a hot query (one expected). */
const hotStatements = (all: readonly Explained[], h: Hot) => all.filter((s) => s.steps.includes(h.step) && atOf(s) === h.at && sqlMatches(s.sql, h.sql));

/** What is wrong with these hot queries' plans in `db` ([] when each has its plan and reads its index). */
function hotProblems(statements: readonly Explained[], db: Database.Database, hot: readonly Hot[] = HOT): string[] {
  const problems: string[] = [];
  const plan = planner(db);
  for (const h of hot) {
    const found = hotStatements(statements, h);
    if (found.length !== 1) {
      problems.push(`${h.name}: ${found.length} statements of \`${h.step}\` in ${h.at}${h.sql ? ' match' : ''} (one expected)`);
      continue;
    }
    let lines: string[];
    try {
      lines = plan(found[0].sql).map((l) => l.text);
    } catch (e) {
      problems.push(`${h.name}: ${(e as Error).message}`);
      continue;
    }
    if (!lines.some((l) => new RegExp(`USING (COVERING )?INDEX ${h.index}\\b`).test(l))) problems.push(`${h.name}: does not read ${h.index}:\n  ${lines.join('\n  ')}`);
    else if (lines.join('\n') !== h.plan.join('\n')) problems.push(`${h.name}: its plan changed to\n  ${lines.join('\n  ')}\nfrom\n  ${h.plan.join('\n  ')}`);
  }
  return problems;
}

/** The migration that created an index (its table's, for a constraint's own index). */
function createdIn(name: string, table: string): number {
  const m = migrations.find((x) => new RegExp(`INDEX\\s+${name}\\s+ON\\b`).test(x.sql)) ?? migrations.find((x) => new RegExp(`CREATE\\s+TABLE\\s+${table}\\b`).test(x.sql));
  return m!.version;
}
const dropped = migrations.flatMap((m) =>
  [...m.sql.matchAll(/DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?(\w+)/gi)].map((x) => {
    const made = migrations.map((c) => ({ v: c.version, m: new RegExp(`INDEX\\s+${x[1]}\\s+ON\\s+(\\w+)\\s*\\(([^)]*)\\)(?:\\s+WHERE\\s+([^;]+))?`).exec(c.sql) })).find((c) => c.m)!;
    return { name: x[1], table: made.m![1], key: `(${made.m![2].trim()})${made.m![3] ? ` WHERE ${made.m![3].trim()}` : ''}`, created: made.v, dropped: m.version };
  }),
);

/** An index's key as the doc writes it. */
function keyText(i: IndexInfo): string {
  const cols = i.columns.join(', ');
  if (i.origin === 'pk') return `PRIMARY KEY (${cols})`;
  if (i.origin === 'u') return `UNIQUE (${cols})`;
  return (i.unique ? 'UNIQUE ' : '') + cols + (i.where ? ` WHERE ${i.where}` : '');
}

/** The commands of a statement's steps, in scenario order, once each. */
const commands = (steps: readonly string[]) => [...new Set(steps.filter((x) => !x.startsWith('sql:')).map(commandOf))];

/** A plan line that reads an index (a foreign-key probe of an INSERT never runs: not a read). */
const reads = (l: PlanLine, index: string) => l.index === index && !l.fkProbe;

/** The tables that grow with the business (the bench's millions): a whole read of one is listed. */
const BIG = ['customers', 'tasks', 'orders', 'files', 'followups', 'events', 'assignments', 'changes', 'audit_log'];

const cell = (t: string) => t.replace(/\|/g, '\\|');

/** The generated parts of docs/indexes.md, by name. */
function generated(): Map<string, string> {
  const out = new Map<string, string>();
  const hotAt = new Map(HOT.map((h) => [hotStatements(all, h)[0], h.name]));
  out.set(
    'hot',
    [
      '| hot query | command | statement | index |',
      '|---|---|---|---|',
      ...HOT.map((h) => `| ${h.name} | \`${h.step}\` | ${h.at} | \`${h.index}\` |`),
      '',
      '```',
      ...HOT.flatMap((h) => [`${h.name}:`, ...h.plan.map((l) => `  ${l}`)]),
      '```',
    ].join('\n'),
  );
  const lines: string[] = [];
  for (const table of [...new Set(indexes.map((i) => i.table))]) {
    lines.push(`### ${table}`, '', '| index | key | created | read by |', '|---|---|---|---|');
    for (const i of indexes.filter((x) => x.table === table)) {
      const users = new Map<string, Set<string>>();
      for (const st of all.filter((x) => x.plan.some((l) => reads(l, i.name)))) {
        const at = atOf(st);
        const set = users.get(at) ?? new Set<string>();
        const name = hotAt.get(st);
        for (const c of commands(st.steps)) set.add(c);
        if (name) set.add(`**${name}**`);
        users.set(at, set);
      }
      const readBy = [...users.keys()]
        .sort()
        .map((at) => `${at} (${[...users.get(at)!].join(', ')})`)
        .join('; ');
      lines.push(`| \`${i.name}\` | ${cell(keyText(i))} | migration ${createdIn(i.name, i.table)} | ${readBy || 'none: kept for its rule'} |`);
    }
    lines.push('');
  }
  out.set('indexes', lines.join('\n').trimEnd());
  const kept = unread();
  out.set('kept', kept.length ? kept.map((i) => `- \`${i.name}\`: ${keyText(i)} of ${i.table}`).join('\n') : 'None: every UNIQUE index is read by some statement as well.');
  out.set(
    'dropped',
    ['| index | key | created | dropped | why |', '|---|---|---|---|---|', ...dropped.map((d) => `| \`${d.name}\` | ${d.table} ${cell(d.key)} | migration ${d.created} | migration ${d.dropped} | ${DROPPED[d.name] ?? ''} |`)].join('\n'),
  );
  const scans: string[] = [];
  for (const st of all) {
    for (const l of st.plan) {
      if (!l.scan || l.fkProbe || !l.table || !BIG.includes(l.table)) continue;
      scans.push(`| ${l.table} | ${atOf(st)} | ${commands(st.steps).join(', ')} | ${cell(l.text.trim())} |`);
    }
  }
  out.set('scans', ['| table | statement | commands | plan |', '|---|---|---|---|', ...[...new Set(scans)].sort()].join('\n'));
  return out;
}

/** The indexes no statement reads (those left must be UNIQUE: the rule is the reason they stay). */
const unread = () => indexes.filter((i) => !all.some((st) => st.plan.some((l) => reads(l, i.name))));

/** `doc` with its generated parts (between `<!-- generated: NAME -->` and `<!-- end: NAME -->`) as `parts` says. */
function withGenerated(doc: string, parts: Map<string, string>): string {
  let out = doc;
  for (const [name, text] of parts) {
    const re = new RegExp(`(<!-- generated: ${name} -->\\n)[\\s\\S]*?(<!-- end: ${name} -->)`);
    if (!re.test(out)) throw new Error(`docs/indexes.md has no generated part "${name}"`);
    out = out.replace(re, (_m, a: string, b: string) => `${a}${text}\n${b}`);
  }
  return out;
}

let s: Sandbox;
let all: Explained[];
let outside: string[];
let indexes: IndexInfo[];
let db: Database.Database;

beforeAll(async () => {
  const run = await runScenario(SCENARIO, AS_OF);
  s = run.s;
  outside = run.outside;
  all = explainAll(s.db, run.statements);
  db = new Database(s.db, { readonly: true });
  indexes = indexesOf(db);
});
afterAll(() => {
  db?.close();
  s?.cleanup();
});

describe('the statements the store prepares', () => {
  it('the scenario runs every store function that prepares SQL (or NOT_RUN says why it need not)', () => {
    const reached = new Set(all.map((x) => `${x.file} ${x.fn}`));
    const preparing = [...preparingFunctions()].flatMap(([file, fns]) => fns.map((fn) => `${file} ${fn}`));
    expect({
      'not run by the scenario': preparing.filter((f) => !reached.has(f) && !(f in NOT_RUN)),
      'in NOT_RUN, but run or gone': Object.keys(NOT_RUN).filter((f) => reached.has(f) || !preparing.includes(f)),
    }).toEqual({ 'not run by the scenario': [], 'in NOT_RUN, but run or gone': [] });
  });

  it('all of it in src/store (the rule of the code)', () => {
    expect(outside).toEqual([]);
  });
});

describe('the hot queries read their index, in the plan pinned here', () => {
  it.each(HOT.map((h) => [h.name, h] as const))('%s', (_name, h) => {
    expect(hotProblems(all, db, [h])).toEqual([]);
  });

  it('the survey import: its upsert finds conflicts through the unique indexes; nothing it prepares scans the customers', () => {
    const mine = all.filter((x) => x.steps.includes(IMPORT.step));
    const upserts = mine.filter((x) => new RegExp(`^\\s*INSERT\\b[^(]*\\bINTO\\s+${IMPORT.table}\\b`, 'i').test(x.sql));
    expect(upserts.length, `statements of \`${IMPORT.step}\` writing ${IMPORT.table}`).toBeGreaterThan(0);
    for (const u of upserts) expect(conflictIndexes(db, u.sql).sort(), u.sql).toEqual([...IMPORT.conflicts].sort());
    const bad = mine.flatMap((x) => x.plan.filter((l) => !l.fkProbe && (l.scan || /TEMP B-TREE/.test(l.text)) && l.table === IMPORT.table).map((l) => `${atOf(x)}: ${l.text.trim()} — ${x.sql}`));
    expect(bad).toEqual([]);
  });

  // the check itself: each index a hot query reads, dropped (in a transaction rolled back), fails every hot query that reads it
  it('notices a hot query whose index is dropped', () => {
    const rw = new Database(s.db);
    try {
      for (const index of new Set(HOT.map((h) => h.index).filter((i) => !i.startsWith('sqlite_autoindex_')))) {
        rw.exec(`BEGIN; DROP INDEX ${index}`);
        try {
          const mine = HOT.filter((h) => h.index === index);
          const problems = hotProblems(all, rw, mine);
          expect(problems, index).toHaveLength(mine.length);
          for (const p of problems) expect(p).toMatch(new RegExp(`no such index: ${index}$|does not read ${index}:`));
        } finally {
          rw.exec('ROLLBACK');
        }
      }
    } finally {
      rw.close();
    }
    expect(hotProblems(all, db)).toEqual([]);
  });
});

describe('every index earns its place', () => {
  it('is read by some statement, or is UNIQUE (its rule: the reason it stays)', () => {
    expect(unread().filter((i) => !i.unique).map((i) => `${i.name} (${i.table}): read by no statement`)).toEqual([]);
  });

  it('is no prefix of another index of its table (what could read it reads the longer one)', () => {
    const prefixes = indexes.flatMap((a) =>
      indexes
        .filter((b) => b !== a && b.table === a.table && !a.unique && a.where === b.where && a.columns.length <= b.columns.length && a.columns.every((c, k) => b.columns[k] === c))
        .map((b) => `${a.name} (${a.columns.join(', ')}) is a prefix of ${b.name} (${b.columns.join(', ')})`),
    );
    expect(prefixes).toEqual([]);
  });

  it('no UPDATE or DELETE scans a table, its foreign-key checks included (a write of a row finds it by an index)', () => {
    const scans = all.filter((x) => /^\s*(UPDATE|DELETE)\b/i.test(x.sql)).flatMap((x) => x.plan.filter((l) => l.scan).map((l) => `${atOf(x)}: ${l.text.trim()} — ${x.sql}`));
    expect(scans).toEqual([]);
  });

  it('every index a migration dropped says why, and none is back', () => {
    expect(dropped.map((d) => d.name).sort()).toEqual(Object.keys(DROPPED).sort());
    expect(indexes.filter((i) => i.name in DROPPED).map((i) => i.name)).toEqual([]);
  });

  it('docs/indexes.md lists them as they are (`npx vitest run test/unit/queryPlans.test.ts -u` rewrites its generated parts)', async () => {
    await expect(withGenerated(fs.readFileSync(DOC, 'utf8'), generated())).toMatchFileSnapshot(DOC);
  });
});
