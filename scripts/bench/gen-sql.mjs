// SQL that fills a database made by `salesops init` with the bench data of scripts/bench.mjs
// (sections assign, due, kpi), run by the sqlite3 CLI. Deterministic: every value is a
// formula of the row number (WITH RECURSIVE counters, `pct` below; no random()). The columns
// are those of src/store/migrations.ts; the caller wraps the fill in `fillScript`, which drops
// the secondary indexes and triggers that init created and recreates them afterwards from
// their own stored SQL, so the schema is exactly the binary's. Nothing here runs ANALYZE:
// salesops never does, and its query plans must hold without statistics.
// Replaces the ad-hoc bench-data/kpi/gen-kpi.sql (which needed a 10-minute survey import first).
//
// Shared roster (both datasets), as of AS_OF:
//   R0001–R0500  500 active reps in teams T01–T10, capacity 4,000 each; R0451–R0500 hired
//                36–85 days before AS_OF, i.e. new staff under assign.new_staff_days (90)
//   R0501–R0540  reps who left during 2024 (left_on set): collectors, never candidates
//   S01–S10 supervisors (one per team), M1 manager, G1 general manager, D1–D4 doctors
// Districts: real GB/T 2260 county codes (node_modules/china-area-data), see DISTRICTS.
// History (issue 18: migration 7, as salesops now writes it): every task has created_on, a
// cancelled one cancelled_on and cancel_reason 'purchase'; every owned customer has its
// assignments rows; in `due`/`kpi` some customers were handed over (task_moves, moved_on) and
// nine reps changed team during 2024 (staff_history).

export const AS_OF = '2024-12-31';

export const REPS = 500;

// county codes (checked against china-area-data): REP_DISTRICTS where ~12 reps sit in each
// county, SOLO where one rep each (every 50th) sits, then counties with no rep (same city or
// same province as some rep: the lower nearness tiers) and provinces with no rep at all
const REP_DISTRICTS = [
  '110101', '110102', '110105', '110106', '110108', // 北京 东城 西城 朝阳 丰台 海淀
  '120101', '120103', '120104', // 天津 和平 河西 南开
  '310101', '310104', '310105', '310106', '310107', '310115', // 上海 黄浦 徐汇 长宁 静安 普陀 浦东
  '320102', '320104', '320106', '320505', '320508', // 南京 玄武 秦淮 鼓楼, 苏州 虎丘 姑苏
  '330102', '330105', '330106', '330108', '330203', // 杭州 上城 拱墅 西湖 滨江, 宁波 海曙
  '370102', '370103', '370202', '370203', // 济南 历下 市中, 青岛 市南 市北
  '410102', '410105', // 郑州 中原 金水
  '420102', '420106', '420111', // 武汉 江岸 武昌 洪山
  '430102', '430103', '430104', // 长沙 芙蓉 天心 岳麓
  '440103', '440104', // 广州 荔湾 越秀
];
const SOLO_DISTRICTS = ['330109', '330110', '330212', '330302', '320211', '370211', '420115', '110114', '310112', '430111']; // 萧山 余杭 鄞州 鹿城 滨湖 黄岛 江夏 昌平 闵行 雨花
const OTHER_DISTRICTS = [
  '440106', // 广州 天河: same city as reps
  '440304', '440305', // 深圳 福田 南山: same province
  '330726', '330782', '330702', // 金华 浦江 义乌 婺城: same province as the 杭州/宁波 reps
  '500103', '500106', '510104', '510107', '610102', '650102', '530102', // 重庆 四川 陕西 新疆 云南: no rep in the province
];
const DISTRICTS = [...REP_DISTRICTS, ...SOLO_DISTRICTS, ...OTHER_DISTRICTS];
/** customers' district: DISTRICTS[i % CUSTOMER_SLOTS], NULL past the end (~7%) */
const CUSTOMER_SLOTS = DISTRICTS.length + 5;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞';
/** a two- or three-character Chinese name from the integer expression `i` */
const nameOf = (i) =>
  `substr('${SURNAMES}', ${i} % 20 + 1, 1) || substr('${GIVEN}', (${i} / 20) % 20 + 1, 1) || CASE WHEN ${i} % 3 = 0 THEN '' ELSE substr('${GIVEN}', (${i} / 400) % 20 + 1, 1) END`;
/**
 * A pseudo-random percentile 0–99 of the integer expression `x`, one stream per `k`: bits
 * 12–31 of x × an odd 32-bit constant. Attributes drawn with it do not line up with the ids
 * that pick the rep (plain `i % 10` would give every rep of a team the same kind of rows).
 */
const P = [2654435761, 2246822519, 3266489917, 668265263, 374761393];
const pct = (x, k) => `(((${x}) * ${P[k]} & 4294967295) >> 12) % 100`;
const counter = (n) => `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;
/** an active rep, spread evenly (7919 is prime to 500: each block of 500 ids meets every rep once) */
const repOf = (i, reps = REPS) => `printf('R%04d', (${i}) * 7919 % ${reps} + 1)`;
const leaverOf = (i) => `printf('R%04d', 501 + (${i}) % 40)`;
const supervisorOf = (i) => `printf('S%02d', (${i}) / 10 % 10 + 1)`;
/** a leaver's left_on (R0501 + k: 2024-01-15 + 9k days, as the roster below has it) */
const leftOnOf = (i) => `date('2024-01-15', '+' || ((${i}) % 40 * 9) || ' days')`;

/**
 * The assignments row of a customer's first owner, as \`assign\` writes it (§3.1): rule 1 when
 * the owner is the collector, else rule 2 (nearness); its short explanation in Chinese.
 */
const firstAssignment = (c, owner, on) => `SELECT ${c}.customer_id, ${owner}, NULL, CASE WHEN ${owner} = ${c}.collector_id THEN 'collector' ELSE 'nearness' END,
         CASE WHEN ${owner} = ${c}.collector_id THEN '收集人 ' || ${owner} || ' 在职，谁收集归谁' ELSE '就近分配（同县或负责片区）：只有 ' || ${owner} END,
         ${on}, ${on} || 'T20:00:00'`;
const ASSIGNMENT_COLUMNS = 'customer_id, staff_id, previous_staff_id, rule, explanation, assigned_on, created_at';

function roster() {
  return `
CREATE TEMP TABLE codes (k INTEGER PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO temp.codes VALUES ${DISTRICTS.map((c, k) => `(${k}, '${c}')`).join(', ')};
INSERT INTO staff (staff_id, name, role, team, district, areas, hired_on, regular_on, left_on, capacity)
  ${counter(540)},
  r(i, hired) AS (
    SELECT i, CASE
      WHEN i <= 450 THEN date('2019-01-07', '+' || (i * 37 % 2090) || ' days')
      WHEN i <= 500 THEN date('${AS_OF}', '-' || (85 - (i - 451)) || ' days')
      ELSE date('2020-03-01', '+' || (i * 11 % 900) || ' days') END
    FROM n)
  SELECT printf('R%04d', i), ${nameOf('(i * 37 + 11)')}, 'rep', printf('T%02d', (i - 1) % 10 + 1),
         CASE WHEN i % 50 = 0 AND i <= 500 THEN (SELECT code FROM temp.codes WHERE k = ${REP_DISTRICTS.length} + i / 50 - 1)
              ELSE (SELECT code FROM temp.codes WHERE k = (i - 1) % ${REP_DISTRICTS.length}) END,
         CASE WHEN i % 5 = 0 AND i % 50 <> 0 THEN (SELECT code FROM temp.codes WHERE k = i % ${REP_DISTRICTS.length}) END,
         hired, date(hired, '+3 months'),
         CASE WHEN i > 500 THEN date('2024-01-15', '+' || ((i - 501) * 9) || ' days') END,
         4000
  FROM r;
INSERT INTO staff (staff_id, name, role, team, district, hired_on, regular_on)
  ${counter(10)}
  SELECT printf('S%02d', i), ${nameOf('(i * 53 + 7)')}, 'supervisor', printf('T%02d', i),
         (SELECT code FROM temp.codes WHERE k = (i - 1) * 4), date('2018-01-01', '+' || (i * 30) || ' days'), date('2018-04-01', '+' || (i * 30) || ' days')
  FROM n;
INSERT INTO staff (staff_id, name, role, team, district, areas, hired_on, regular_on) VALUES
  ('G1', '周建国', 'gm', 'HQ', '330106', NULL, '2015-03-01', '2015-06-01'),
  ('M1', '陈丽华', 'manager', 'HQ', '330106', NULL, '2016-07-01', '2016-10-01'),
  ('D1', '孙立新', 'doctor', 'CS', '110105', '120101;120103', '2017-05-01', '2017-08-01'),
  ('D2', '赵淑珍', 'doctor', 'CS', '310104', '320102;330106', '2017-09-01', '2017-12-01'),
  ('D3', '钱振华', 'doctor', 'CS', '370102', '410105;420111', '2018-02-01', '2018-05-01'),
  ('D4', '吴海燕', 'doctor', 'CS', '440106', '430102;510107', '2019-06-01', '2019-09-01');
-- issue 18: nine reps (R0007, R0060 … R0431, of nine teams) moved from the next team to theirs
-- during 2024, one change every 36 days from 2024-02-01 (one in July, one in November): what a
-- roster re-import keeps (staff_history, the team valid until the day before until_on)
INSERT INTO staff_history (staff_id, team, role, until_on, command, created_at)
  ${counter(9)}
  SELECT printf('R%04d', (i - 1) * 53 + 7), printf('T%02d', ((i - 1) * 53 + 7) % 10 + 1), 'rep',
         date('2024-02-01', '+' || ((i - 1) * 36) || ' days'), 'staff import', date('2024-02-01', '+' || ((i - 1) * 36) || ' days') || 'T09:00:00'
  FROM n;
`;
}

/** the customers columns the generators fill, and their values for row `i` */
function customerValues({ collector, collectedOn, owner, assignedOn, archived }) {
  return `i, printf('SV%08d', i), ${nameOf('i')}, printf('13%09d', i), CASE i % 2 WHEN 0 THEN 'F' ELSE 'M' END, 1935 + i % 35,
         substr('人民路解放路中山路建设路和平路新华路', i % 6 * 3 + 1, 3) || (i % 999 + 1) || '号' || (i % 30 + 1) || '栋',
         d.code, CASE i % 5 WHEN 0 THEN '高血压' WHEN 1 THEN '糖尿病;高血脂' WHEN 2 THEN '无' END,
         ${collector}, ${collectedOn}, ${owner}, ${assignedOn}, ${archived}`;
}
const CUSTOMER_COLUMNS =
  'customer_id, survey_no, name, phone, gender, birth_year, address, district, health, collector_id, collected_on, owner_id, assigned_on, archived_on';

/**
 * `assign`: `owned` customers already assigned in 2023 (ids 1…owned: the reps' current load,
 * with done rep tasks of the last 90 days for the on-time rates and files for the conversion
 * rates), then `unassigned` customers collected in 2024 with no owner (ids owned+1…). Their
 * collector: half an active rep (rule 1 keeps it), 30% a rep who left, 20% a supervisor (rules
 * 2–4). Every 20th unassigned customer attended an event: a file and two open rep tasks held by
 * nobody, which assignment hands to the new owner.
 */
export function assignFill({ unassigned, owned }) {
  const total = owned + unassigned;
  return `${roster()}
INSERT INTO customers (${CUSTOMER_COLUMNS})
  ${counter(total)}
  SELECT ${customerValues({
    collector: `CASE WHEN i <= ${owned} OR ${pct('i', 0)} < 50 THEN ${repOf('i')} WHEN ${pct('i', 0)} < 80 THEN ${leaverOf('i')} ELSE ${supervisorOf('i')} END`,
    collectedOn: `CASE WHEN i <= ${owned} THEN date('2023-01-01', '+' || (i * 7 % 365) || ' days') ELSE date('2024-01-01', '+' || (i * 7 % 366) || ' days') END`,
    owner: `CASE WHEN i <= ${owned} THEN ${repOf('i', 450)} END`,
    assignedOn: `CASE WHEN i <= ${owned} THEN date('2023-01-01', '+' || (i * 7 % 365) || ' days') END`,
    archived: 'NULL',
  })}
  FROM n LEFT JOIN temp.codes d ON d.k = i % ${CUSTOMER_SLOTS};
INSERT INTO assignments (${ASSIGNMENT_COLUMNS})
  ${firstAssignment('c', 'c.owner_id', 'c.assigned_on')}
  FROM customers c WHERE c.customer_id <= ${owned};
INSERT INTO files (customer_id, opened_on, buyer, bought_on, event)
  SELECT customer_id, date(collected_on, '+7 days'), ${pct('customer_id', 2)} < 33,
         CASE WHEN ${pct('customer_id', 2)} < 33 THEN date(collected_on, '+7 days') END, '联谊会'
  FROM customers WHERE ${pct('customer_id', 1)} < CASE WHEN customer_id <= ${owned} THEN 50 ELSE 5 END;
-- the current book: two rep tasks per owned customer due in the 90 days before as-of, done;
-- late for a share that depends on the rep, so the on-time rates differ; created 3–60 days
-- before their deadline (never done before that)
INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, status, done_on, created_on)
  WITH b(c, seq, owner, due, created) AS (
    SELECT c.customer_id, s.seq, c.owner_id, date('${AS_OF}', '-' || ((c.customer_id + s.seq * 17) % 89 + 1) || ' days'),
           date('${AS_OF}', '-' || ((c.customer_id + s.seq * 17) % 89 + 1 + 3 + (c.customer_id + s.seq) % 58) || ' days')
    FROM customers c CROSS JOIN (SELECT 1 AS seq UNION ALL SELECT 2) s WHERE c.customer_id <= ${owned})
  SELECT c, 'rep', seq, 'non_buyer', due, owner, 'done',
         max(created, date(due, CASE WHEN ${pct('c * 2 + seq', 3)} < CAST(substr(owner, 2) AS INTEGER) % 5 * 10 THEN '+2 days' ELSE '-1 days' END)), created
  FROM b;
-- the waiting files' non-buyer plans (3 and 15 days after the file opens, which started them),
-- held by nobody yet
INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, status, created_on)
  SELECT f.customer_id, 'rep', s.seq, 'non_buyer', date(f.opened_on, '+' || s.days || ' days'), NULL, 'open', f.opened_on
  FROM files f CROSS JOIN (SELECT 1 AS seq, 3 AS days UNION ALL SELECT 2, 15) s WHERE f.customer_id > ${owned};
`;
}

/**
 * `due` and `kpi`: `customers` customers collected 2023–2024, every one owned by an active rep
 * (70% by their collector), 0.1% archived; a file for every other one (a third buyers);
 * `orders` orders over 2023–2024 credited to the owner of the day (1% to no one); `tasks`
 * follow-up tasks (a quarter doctor tasks) due 2023-01-04 … 2025-02-28: the ones due after
 * AS_OF open, of those due in the last 30 days 40% open, older ones 10% open (overdue), 2%
 * cancelled, the rest done (a seventh late) — about 80% done, 18% open; 2,000 approved trips
 * with 3 expense lines.
 * Task i belongs to customer (i × 16807) mod customers + 1 (16807 = 7^5 is prime to 10^6),
 * order i to customer (i × 48271) mod customers + 1: spread like real rows, not clustered.
 *
 * History (issue 18), kept simple but shaped as salesops writes it:
 * - a task's created_on (its plan's start) is 3–60 days before its deadline (3 + i mod 58),
 *   not before its customer was collected, not after its deadline nor AS_OF; a done task is
 *   done on or after it; a cancelled task is a non-buyer task a purchase cancelled (reason
 *   'purchase') 0–44 days after it started, before or after its deadline, by AS_OF;
 * - every customer has the assignments row of its first owner on the day it was collected;
 * - about 2% (pct < 3 where the dates allow) were first owned by a rep who left in 2024
 *   (R0501–R0540, the collector of most of them) and handed over to their owner of today on
 *   the leaver's left_on: a second assignments row (rule handover, previous_staff_id the
 *   leaver), customers.assigned_on that day, a handovers row, and each rep task that was open
 *   that day moved (task_moves, tasks.moved_on, held by the new owner); their rep tasks closed
 *   before stay with the leaver, their orders before it are credited to the leaver;
 * - nine reps changed team during 2024 (roster(): staff_history).
 */
export function opsFill({ customers, tasks, orders }) {
  const owner = (c) => repOf(c);
  const days = 787; // 2023-01-04 … 2025-02-28
  return `${roster()}
INSERT INTO customers (${CUSTOMER_COLUMNS}, archive_reason)
  ${counter(customers)}
  SELECT ${customerValues({
    collector: `CASE WHEN ${pct('i', 0)} < 70 THEN ${owner('i')} WHEN ${pct('i', 0)} < 90 THEN ${leaverOf('i')} ELSE ${supervisorOf('i')} END`,
    collectedOn: `date('2023-01-01', '+' || (i * 7 % 731) || ' days')`,
    owner: owner('i'),
    assignedOn: `CASE WHEN ${pct('i', 3)} < 3 AND date('2023-01-01', '+' || (i * 7 % 731) || ' days') < ${leftOnOf('i')} THEN ${leftOnOf('i')}
                 ELSE date('2023-01-01', '+' || (i * 7 % 731) || ' days') END`,
    archived: `CASE WHEN i % 1000 = 500 THEN '2024-06-30' END`,
  })}, CASE WHEN i % 1000 = 500 THEN '迁居外地' END
  FROM n LEFT JOIN temp.codes d ON d.k = i % ${CUSTOMER_SLOTS};
-- the customers handed over: assigned to their owner of today after they were collected
CREATE TEMP TABLE handed (customer_id INTEGER PRIMARY KEY, on_day TEXT NOT NULL, leaver TEXT NOT NULL, owner TEXT NOT NULL);
INSERT INTO temp.handed SELECT customer_id, assigned_on, ${leaverOf('customer_id')}, owner_id FROM customers WHERE assigned_on > collected_on;
INSERT INTO assignments (${ASSIGNMENT_COLUMNS})
  ${firstAssignment('c', 'coalesce(h.leaver, c.owner_id)', 'c.collected_on')}
  FROM customers c LEFT JOIN temp.handed h ON h.customer_id = c.customer_id ORDER BY c.customer_id;
INSERT INTO assignments (${ASSIGNMENT_COLUMNS})
  SELECT customer_id, owner, leaver, 'handover', leaver || ' 离职交接：就近分配（同县或负责片区）：只有 ' || owner, on_day, on_day || 'T20:00:00'
  FROM temp.handed ORDER BY customer_id;
INSERT INTO files (customer_id, opened_on, buyer, bought_on, event)
  SELECT customer_id, min(date(collected_on, '+' || (customer_id % 30) || ' days'), '${AS_OF}'), ${pct('customer_id', 2)} < 33,
         CASE WHEN ${pct('customer_id', 2)} < 33 THEN min(date(collected_on, '+' || (customer_id % 30) || ' days'), '${AS_OF}') END, '联谊会'
  FROM customers WHERE ${pct('customer_id', 1)} < 50;
INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id, product, source)
  ${counter(orders)},
  o(i, c, d) AS (SELECT i, i * 48271 % ${customers} + 1, date('2023-01-01', '+' || (i * 7 % 731) || ' days') FROM n)
  SELECT printf('O%08d', i), c, d, 10000 + i * 7919 % 990000,
         CASE WHEN ${pct('i', 1)} = 0 THEN NULL WHEN d < h.on_day THEN h.leaver ELSE ${owner('c')} END, '保健品', 'orders'
  FROM o LEFT JOIN temp.handed h ON h.customer_id = o.c;
INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, status, done_on, created_on, cancelled_on, cancel_reason, moved_on)
  ${counter(tasks)},
  t(i, c, due) AS (SELECT i, i * 16807 % ${customers} + 1, date('2023-01-04', '+' || (i * 13 % ${days}) || ' days') FROM n),
  s(i, c, due, doctor, p, status, created) AS (
    SELECT i, c, due, ${pct('i', 0)} < 25, ${pct('i', 2)}, CASE
      WHEN due > '${AS_OF}' THEN 'open'
      WHEN ${pct('i', 1)} < 2 THEN 'cancelled'
      WHEN due > date('${AS_OF}', '-30 days') THEN CASE WHEN ${pct('i', 1)} < 42 THEN 'open' ELSE 'done' END
      WHEN ${pct('i', 1)} < 12 THEN 'open'
      ELSE 'done' END,
      min(due, '${AS_OF}', max(date(due, '-' || (3 + i % 58) || ' days'), date('2023-01-01', '+' || (c * 7 % 731) || ' days')))
    FROM t),
  u(i, c, due, doctor, p, status, created, closed) AS (
    SELECT i, c, due, doctor, p, status, created, CASE
      WHEN status = 'done' THEN max(created, min(date(due, CASE WHEN ${pct('i', 3)} < 14 THEN '+3 days' ELSE '-' || (i % 5) || ' days' END), '${AS_OF}'))
      WHEN status = 'cancelled' THEN min(date(created, '+' || (i % 45) || ' days'), '${AS_OF}') END
    FROM s),
  v AS (
    SELECT u.*, h.on_day, h.leaver,
           CASE WHEN NOT doctor AND created < h.on_day AND (closed IS NULL OR closed >= h.on_day) THEN h.on_day END AS moved
    FROM u LEFT JOIN temp.handed h ON h.customer_id = u.c)
  SELECT c, CASE WHEN doctor THEN 'doctor' ELSE 'rep' END, i % 3 + 1,
         CASE WHEN status = 'cancelled' THEN 'non_buyer' WHEN p = 0 THEN 'manual' WHEN p < 40 THEN 'buyer' ELSE 'non_buyer' END, due,
         CASE WHEN doctor THEN 'D' || (c % 4 + 1) WHEN closed < on_day THEN leaver ELSE ${owner('c')} END, status,
         CASE WHEN status = 'done' THEN closed END, created,
         CASE WHEN status = 'cancelled' THEN closed END, CASE WHEN status = 'cancelled' THEN 'purchase' END, moved
  FROM v;
-- tasks is the outer loop: its indexes are dropped during the fill, temp.handed has its key
INSERT INTO task_moves (task_id, moved_on, from_staff_id, to_staff_id, reason, created_at)
  SELECT t.task_id, t.moved_on, h.leaver, h.owner, 'handover', t.moved_on || 'T20:00:00'
  FROM tasks t CROSS JOIN temp.handed h ON h.customer_id = t.customer_id
  WHERE t.moved_on IS NOT NULL ORDER BY t.task_id;
INSERT INTO handovers (leaver_id, customer_id, new_staff_id, rule, left_on, tasks_moved, created_at)
  SELECT h.leaver, h.customer_id, h.owner, 'nearness', h.on_day, ifnull(m.n, 0), h.on_day || 'T20:00:00'
  FROM temp.handed h LEFT JOIN (SELECT t.customer_id, count(*) AS n FROM task_moves x CROSS JOIN tasks t ON t.task_id = x.task_id GROUP BY t.customer_id) m
    ON m.customer_id = h.customer_id
  ORDER BY h.customer_id;
INSERT INTO trips (trip_no, staff_id, start_date, end_date, scope, purpose, client, reviewed_by, approved_by, advance_fen, report_on)
  ${counter(2000)}
  SELECT printf('T%05d', i), printf('R%04d', i % 450 + 1), date('2023-01-01', '+' || (i * 11 % 725) || ' days'),
         date('2023-01-01', '+' || (i * 11 % 725 + i % 3) || ' days'), CASE WHEN ${pct('i', 0)} < 25 THEN 'out_of_province' ELSE 'in_province' END,
         'visit', '客户' || (i % 700), printf('S%02d', i % 10 + 1), 'G1', 30000, date('2023-01-01', '+' || (i * 11 % 725 + i % 3 + 2) || ' days')
  FROM n;
INSERT INTO expenses (trip_no, line_no, date, kind, amount_fen, hours, class, receipt)
  SELECT trip_no, k.line, start_date, k.kind, k.amount, k.hours, k.class, 1 FROM trips
  CROSS JOIN (SELECT 1 AS line, 'train' AS kind, 12000 AS amount, 3.5 AS hours, 'second_class' AS class
              UNION ALL SELECT 2, 'bus', 3500, NULL, NULL UNION ALL SELECT 3, 'train', 12000, 3.5, 'second_class') k;
`;
}

/**
 * The whole sqlite3 script: bulk-load settings; the secondary indexes and the triggers that
 * `init` made dropped (`drop`: sqlite_master rows { type, name, sql } of both kinds — the
 * guards of migration 3 look every new customer up, by survey_no too, whose index is gone
 * during the fill); the fill; then indexes and triggers recreated from their stored SQL, in
 * the order given; back to WAL as salesops leaves it.
 */
export function fillScript(fill, drop) {
  return `PRAGMA journal_mode = DELETE;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -524288;
BEGIN;
${drop.map((x) => `DROP ${x.type.toUpperCase()} "${x.name}";`).join('\n')}
${fill}
${drop.map((x) => `${x.sql};`).join('\n')}
COMMIT;
PRAGMA journal_mode = WAL;
`;
}
