#!/usr/bin/env node
// `npm run bench` (builds first): salesops against plain sqlite3 on the same data (SPEC §7).
//
//   node scripts/bench.mjs [section…] [--rows 100000[,1000000]] [--repeat N] [--runs N] [--customers N]
//
// Sections are named benchmark functions (SECTIONS below); with none given, all run. Each
// returns { rows: [...table rows], data: {...} }; the table is printed and the data written
// to bench-data/results.json (merged by section, so a partial run keeps the others).
// Data files are generated into bench-data/ (gitignored) by scripts/gen-surveys.mjs
// and reused when present with the recorded size. The databases of assign, due and kpi are
// made by `salesops init` and filled by sqlite3 with the SQL of scripts/bench/gen-sql.mjs,
// cached in bench-data/ (rebuilt when the generator, the schema or the size changes) and
// copied before use, so no run changes them. Node built-ins and the sqlite3 CLI, and
// for the xlsx section the project's own yazl and csv-parse (scripts/gen-xlsx.mjs). Peak memory is the maximum RSS of the process (GNU time when present, else
// /proc/PID/status VmHWM polled). Times are wall clock; with --repeat N (import, assign:
// long runs) or --runs N (startup, due, kpi: short ones), the median of N interleaved runs
// (and the highest peak RSS). The machine's load is printed and recorded: other work on a
// 2-core machine skews every figure. The postgres section (issue 19) runs on a throw-away
// server of scripts/pg-test-server.sh (scripts/bench/pg.mjs), stopped when it ends.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DUE_PAST, KPI_PERIODS, PERF_PATHS, perfLine, perfTable } from './bench/perf.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/salesops.js');
const DATA = path.join(ROOT, 'bench-data');
const GEN = path.resolve(ROOT, 'scripts/gen-surveys.mjs');
const SEED = '20240101';
const GNU_TIME = '/usr/bin/time';

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const o = { sections: [], rows: [100_000, 1_000_000], repeat: 1, runs: 15, customers: 1_000_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--rows' || a.startsWith('--rows=')) o.rows = value().split(',').map((s) => Number(s.replace(/_/g, '')));
    else if (a === '--repeat' || a.startsWith('--repeat=')) o.repeat = Number(value());
    else if (a === '--runs' || a.startsWith('--runs=')) o.runs = Number(value());
    else if (a === '--customers' || a.startsWith('--customers=')) o.customers = Number(value().replace(/_/g, ''));
    else if (a === '-h' || a === '--help') {
      process.stdout.write(
        [
          'usage: node scripts/bench.mjs [section…] [--rows N[,N…]] [--repeat N] [--runs N] [--customers N]',
          'sections (all when none is named):',
          ...SECTIONS.map((s) => `  ${s.name.padEnd(8)} ${s.title}`),
          'options:',
          '  --rows N[,N…]   import: survey rows per file (default 100000,1000000); corrections: the first N follow-ups and customers',
          '  --repeat N      import, assign, corrections, postgres (its import): interleaved runs of each command (default 1)',
          '  --runs N        startup, due, kpi, postgres (its reads): interleaved timed runs after a warm-up (default 15)',
          `  --customers N   assign: unassigned customers; due, kpi, postgres: customers, with 5×N tasks and N orders (default 1000000)`,
          'Data and databases are cached in bench-data/; figures go to bench-data/results.json.',
          '',
        ].join('\n'),
      );
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.sections.push(a);
  }
  if (o.rows.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--rows takes positive integers');
  if (!(o.repeat >= 1) || !(o.runs >= 1)) throw new Error('--repeat and --runs take positive integers');
  if (!Number.isInteger(o.customers) || o.customers < 1000) throw new Error('--customers takes an integer of at least 1000');
  return o;
}

// ---------------------------------------------------------------- measuring

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const load = () => os.loadavg().map((x) => Number(x.toFixed(2)));

let gnuTime = null;
function hasGnuTime() {
  if (gnuTime === null) {
    const tmp = path.join(os.tmpdir(), `bench-time-${process.pid}`);
    const r = spawnSync(GNU_TIME, ['-f', '%M', '-o', tmp, process.execPath, '-e', '0']);
    gnuTime = r.status === 0 && /^\d+\s*$/.test(fs.existsSync(tmp) ? fs.readFileSync(tmp, 'utf8') : '');
    fs.rmSync(tmp, { force: true });
  }
  return gnuTime;
}

/**
 * Runs a command to its end; resolves { ms, rssKB, code, stdout, stderr }. Peak RSS from
 * GNU time (-f %M, the child's ru_maxrss) when present, else VmHWM polled from /proc.
 * opts: noRss (no GNU time: a few ms less), discard (stdout and stderr to /dev/null),
 * dropStdout (stdout only: the data of a command, its messages still read), stdin (a file
 * read as standard input).
 */
function measure(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const useTime = !opts.noRss && hasGnuTime();
    const timeOut = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Date.now()}`);
    const [file, argv] = useTime ? [GNU_TIME, ['-f', '%M', '-o', timeOut, cmd, ...args]] : [cmd, args];
    const t0 = process.hrtime.bigint();
    // discard: output to /dev/null, as fast as a terminal or file (a pipe makes Node set up a socket)
    const out = opts.discard ? 'ignore' : 'pipe';
    const input = opts.stdin ? fs.openSync(opts.stdin, 'r') : 'ignore';
    const child = spawn(file, argv, { cwd: opts.cwd ?? DATA, env: opts.env ?? process.env, stdio: [input, opts.dropStdout ? 'ignore' : out, out] });
    if (typeof input === 'number') fs.closeSync(input);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    let hwm = 0;
    let poll = null;
    if (!useTime && !opts.noRss) {
      poll = setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) hwm = Math.max(hwm, Number(m[1]));
        } catch {
          /* gone */
        }
      }, 20);
    }
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (poll) clearInterval(poll);
      let rssKB = hwm || null;
      if (useTime) {
        const text = fs.existsSync(timeOut) ? fs.readFileSync(timeOut, 'utf8') : '';
        fs.rmSync(timeOut, { force: true });
        const m = /(\d+)\s*$/.exec(text);
        rssKB = m ? Number(m[1]) : null;
      }
      resolve({ ms, rssKB, code, stdout, stderr });
    });
  });
}

function check(r, what) {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n${r.stderr.slice(-2000)}`);
  return r;
}

function sqlite(db, ...commands) {
  const r = spawnSync('sqlite3', [db, ...commands], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 ${commands.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function rmDb(file) {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

// ---------------------------------------------------------------- data

/** bench-data/surveys-N.csv and staff-N.csv, regenerated unless present with the recorded size. */
function dataset(rows) {
  fs.mkdirSync(DATA, { recursive: true });
  const csv = path.join(DATA, `surveys-${rows}.csv`);
  const staff = path.join(DATA, `staff-${rows}.csv`);
  const metaFile = path.join(DATA, `surveys-${rows}.meta.json`);
  let meta = null;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  } catch {
    /* none yet */
  }
  const sizeOf = (f) => (fs.existsSync(f) ? fs.statSync(f).size : -1);
  const fresh = meta && meta.rows === rows && meta.seed === SEED && meta.bytes === sizeOf(csv) && meta.staffBytes === sizeOf(staff);
  if (!fresh) {
    process.stderr.write(`generating ${rows.toLocaleString('en-US')} rows…\n`);
    const r = spawnSync(process.execPath, [GEN, String(rows), csv, SEED, staff], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`gen-surveys.mjs failed (${r.status})`);
    meta = { rows, seed: SEED, bytes: sizeOf(csv), staffBytes: sizeOf(staff) };
    fs.writeFileSync(metaFile, JSON.stringify(meta) + '\n');
  }
  return { csv, staff, bytes: meta.bytes };
}

// ---------------------------------------------------------------- sections

const SURVEY_COLUMNS = [
  ['survey_no', 'TEXT'], ['name', 'TEXT NOT NULL'], ['gender', 'TEXT'], ['birth_year', 'INTEGER'], ['phone', 'TEXT NOT NULL'],
  ['address', 'TEXT'], ['district_code', 'TEXT'], ['health', 'TEXT'], ['collector', 'TEXT'], ['collected_on', 'TEXT'],
  ['event_date', 'TEXT'], ['purchased', 'TEXT'], ['amount', 'INTEGER'],
];

/** `salesops init` + `staff import` (not timed), then `survey import FILE` (timed). */
async function salesopsImport(ds, db) {
  rmDb(db);
  const base = [BIN, '--db', db, '--lang', 'en'];
  check(await measure(process.execPath, [...base, 'init'], { noRss: true }), 'salesops init');
  check(await measure(process.execPath, [...base, 'staff', 'import', ds.staff], { noRss: true }), 'salesops staff import');
  const r = check(await measure(process.execPath, [...base, 'survey', 'import', ds.csv]), 'salesops survey import');
  const summary = /imported (\d+) rows — (\d+) new/.exec(r.stderr);
  rmDb(db);
  return { ms: r.ms, rssKB: r.rssKB, rows: summary ? Number(summary[1]) : null, new: summary ? Number(summary[2]) : null, load: load() };
}

/** `sqlite3 DB .mode csv ".import --skip 1 FILE surveys"` into a table created first (not timed). */
async function sqliteImport(ds, db, typed) {
  const cols = SURVEY_COLUMNS.map(([c, type]) => (typed ? `${c} ${type}` : c)).join(', ');
  rmDb(db);
  sqlite(db, `CREATE TABLE surveys (${cols}${typed ? ', UNIQUE (phone, name)' : ''});`);
  const r = check(await measure('sqlite3', [db, '.mode csv', `.import --skip 1 ${ds.csv} surveys`]), 'sqlite3 .import');
  const rows = Number(sqlite(db, 'SELECT count(*) FROM surveys'));
  rmDb(db);
  return { ms: r.ms, rssKB: r.rssKB, rows, load: load() };
}

/** Median time, highest peak RSS. */
const summarize = (runs) => ({
  ms: Math.round(median(runs.map((r) => r.ms))),
  rssMB: runs[0].rssKB === null ? null : Math.round(Math.max(...runs.map((r) => r.rssKB)) / 1024),
  runs,
});

/** survey import vs `sqlite3 .import` into a typed table with UNIQUE(phone, name) and a bare one. */
async function importSection(o) {
  const rows = [];
  const perf = [];
  const data = {};
  const tmp = path.join(DATA, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  for (const n of o.rows) {
    const ds = dataset(n);
    process.stderr.write(`import ${n.toLocaleString('en-US')} rows (${(ds.bytes / 1048576).toFixed(1)} MiB), ${o.repeat}×`);
    // interleaved, so that a change in the machine's load touches all three alike
    const runs = { salesops: [], typed: [], bare: [] };
    for (let i = 0; i < o.repeat; i++) {
      process.stderr.write(' .');
      runs.salesops.push(await salesopsImport(ds, path.join(tmp, 'salesops.db')));
      runs.typed.push(await sqliteImport(ds, path.join(tmp, 'typed.db'), true));
      runs.bare.push(await sqliteImport(ds, path.join(tmp, 'bare.db'), false));
    }
    process.stderr.write('\n');
    const so = summarize(runs.salesops);
    const typed = summarize(runs.typed);
    const bare = summarize(runs.bare);
    const ratio = Number((so.ms / typed.ms).toFixed(2));
    if (runs.salesops.some((r) => r.rows !== n)) process.stderr.write(`warning: salesops imported ${runs.salesops.map((r) => r.rows).join('/')} of ${n} rows\n`);
    data[n] = { bytes: ds.bytes, salesops: so, sqlite3Typed: typed, sqlite3Bare: bare, ratioToTyped: ratio };
    const s = (x) => (x.ms / 1000).toFixed(2) + ' s';
    const m = (x) => (x.rssMB === null ? '?' : `${x.rssMB} MB`);
    rows.push([n.toLocaleString('en-US'), s(so), m(so), s(typed), m(typed), s(bare), m(bare), `${ratio}×`]);
    // issue 17: ≤ 2.0× at 100,000 rows, ≤ 1.4× and < 200 MB at 1,000,000, < 200 MB beyond
    const met = n <= 100_000 ? ratio <= 2.0 : n <= 1_000_000 ? ratio <= 1.4 && so.rssMB < 200 : so.rssMB < 200;
    perf.push(perfLine(PERF_PATHS.import(n), s(so), `${s(typed)} \`sqlite3 .import\`, UNIQUE(phone, name)`, `${ratio}×`, so.rssMB, met));
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return {
    head: ['rows', 'salesops', 'peak RSS', 'sqlite3 typed', 'peak RSS', 'sqlite3 bare', 'peak RSS', 'salesops/typed'],
    rows,
    notes: ['salesops: survey import alone (after init + staff import); sqlite3: .import --skip 1 into a table created first'],
    perf,
    data,
  };
}

/** `salesops --help` vs `node -e 0`, interleaved, median of --runs each after a warm-up. */
async function startupSection(o) {
  const cmds = {
    help: [process.execPath, [BIN, '--help']],
    node: [process.execPath, ['-e', '0']],
  };
  const times = { help: [], node: [] };
  for (const [c, a] of Object.values(cmds)) check(await measure(c, a, { noRss: true, discard: true }), c);
  for (let i = 0; i < o.runs; i++) {
    for (const k of Object.keys(cmds)) {
      const [c, a] = cmds[k];
      times[k].push(check(await measure(c, a, { noRss: true, discard: true }), k).ms);
    }
  }
  const help = median(times.help);
  const node = median(times.node);
  const ratio = Number((help / node).toFixed(2));
  return {
    head: ['command', `median of ${o.runs}`, 'min', 'max'],
    rows: [
      ['salesops --help', `${help.toFixed(0)} ms`, `${Math.min(...times.help).toFixed(0)} ms`, `${Math.max(...times.help).toFixed(0)} ms`],
      ['node -e 0', `${node.toFixed(0)} ms`, `${Math.min(...times.node).toFixed(0)} ms`, `${Math.max(...times.node).toFixed(0)} ms`],
      ['ratio', `${ratio}×`, '', ''],
    ],
    perf: [perfLine(PERF_PATHS.help(), `${help.toFixed(0)} ms`, `${node.toFixed(0)} ms \`node -e 0\``, `${ratio}×`, null, ratio <= 1.2)],
    data: { helpMs: Math.round(help), nodeMs: Math.round(node), ratio, runs: times },
  };
}

// ---------------------------------------------------------------- databases (assign, due, kpi)

const GEN_SQL = path.join(ROOT, 'scripts/bench/gen-sql.mjs');
const BARE_SQL = path.join(ROOT, 'scripts/bench/bare-sql.mjs');
const gen = () => import(pathToFileURL(GEN_SQL).href);
const bare = () => import(pathToFileURL(BARE_SQL).href);
const sha1 = (file) => crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex').slice(0, 12);
/** argv of a salesops command on `db` (English messages: the summaries are parsed) */
const salesops = (db, ...args) => [BIN, '--db', db, '--lang', 'en', ...args];

function sqliteJson(db, sql) {
  const r = spawnSync('sqlite3', ['-json', db, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 ${sql}: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

/** The schema as sqlite_master holds it: the fill must leave it as `salesops init` made it. */
const schemaOf = (db) => sqlite(db, "SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY type, name");

/** A hash of the schema and user_version of a database `salesops init` makes now. */
async function schemaKey() {
  const db = path.join(os.tmpdir(), `bench-schema-${process.pid}.db`);
  rmDb(db);
  check(await measure(process.execPath, salesops(db, 'init'), { noRss: true }), 'salesops init');
  const text = `${sqlite(db, 'PRAGMA user_version')}\n${schemaOf(db)}`;
  rmDb(db);
  return crypto.createHash('sha1').update(text).digest('hex').slice(0, 12);
}

/**
 * bench-data/NAME.db: `salesops init` (the current binary's schema, migrations included), then
 * the fill of scripts/bench/gen-sql.mjs by sqlite3 with the secondary indexes and the triggers
 * dropped and recreated from their own stored SQL (maintaining five task indexes row by row
 * over 5,000,000 inserts takes many times longer), then `salesops init` again, which must find
 * it current; the schema afterwards must be the one init made.
 * No ANALYZE (salesops never runs it): checked. Reused while NAME.meta.json records the same
 * sizes, generator and schema (hashes of gen-sql.mjs and of the schema and user_version that
 * `salesops init` makes now: an edit of the migrations that leaves the schema alone, a comment,
 * does not cost a rebuild) and size.
 */
async function benchDb(name, sizes, fillOf) {
  fs.mkdirSync(DATA, { recursive: true });
  const db = path.join(DATA, `${name}.db`);
  const metaFile = path.join(DATA, `${name}.meta.json`);
  const key = { sizes, gen: sha1(GEN_SQL), schema: await schemaKey() };
  let meta = null;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  } catch {
    /* none yet */
  }
  const bytes = fs.existsSync(db) ? fs.statSync(db).size : -1;
  if (meta && JSON.stringify(meta.key) === JSON.stringify(key) && meta.bytes === bytes && !fs.existsSync(`${db}-wal`)) return { db, ...meta };
  const what = Object.entries(sizes).map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`).join(', ');
  process.stderr.write(`building bench-data/${name}.db (${what})…`);
  const t0 = Date.now();
  fs.rmSync(metaFile, { force: true });
  rmDb(db);
  check(await measure(process.execPath, salesops(db, 'init'), { noRss: true }), 'salesops init');
  const schema = schemaOf(db);
  const userVersion = Number(sqlite(db, 'PRAGMA user_version'));
  // what init made that the fill would maintain row by row: indexes, then triggers (recreated in this order)
  const drop = sqliteJson(db, "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type = 'trigger', rowid");
  const g = await gen();
  const script = path.join(DATA, `${name}.fill.sql`);
  fs.writeFileSync(script, g.fillScript(fillOf(g), drop));
  check(await measure('sqlite3', ['-bail', db], { stdin: script, noRss: true, dropStdout: true }), `sqlite3 ${db} < ${script}`);
  fs.rmSync(script);
  check(await measure(process.execPath, salesops(db, 'init'), { noRss: true }), 'salesops init (on the filled database)');
  if (schemaOf(db) !== schema) throw new Error(`${name}: the fill left a schema other than init's`);
  if (Number(sqlite(db, 'PRAGMA user_version')) !== userVersion) throw new Error(`${name}: user_version changed`);
  if (sqlite(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_stat%'") !== '0') throw new Error(`${name}: holds statistics (ANALYZE ran)`);
  const [counts] = sqliteJson(
    db,
    `SELECT (SELECT count(*) FROM staff WHERE role = 'rep' AND left_on IS NULL) AS active_reps, (SELECT count(*) FROM customers) AS customers,
       (SELECT count(*) FROM customers WHERE owner_id IS NULL) AS unassigned, (SELECT count(*) FROM files) AS files,
       (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM tasks) AS tasks,
       (SELECT count(*) FROM tasks WHERE status = 'open') AS open_tasks, (SELECT count(*) FROM tasks WHERE status = 'done') AS done_tasks`,
  );
  meta = { key, bytes: fs.statSync(db).size, userVersion, counts, buildMs: Date.now() - t0 };
  fs.writeFileSync(metaFile, JSON.stringify(meta) + '\n');
  process.stderr.write(` ${((Date.now() - t0) / 1000).toFixed(0)} s, ${(meta.bytes / 1048576).toFixed(0)} MiB\n`);
  return { db, ...meta };
}

/** bench-data/assign-N.db: N unassigned customers and N/10 already owned, 500 active reps. */
function assignDb(o) {
  const sizes = { unassigned: o.customers, owned: Math.round(o.customers / 10) };
  return benchDb(`assign-${o.customers}`, sizes, (g) => g.assignFill(sizes));
}

/** bench-data/ops-N.db, shared by due and kpi: N customers, 5N tasks, N orders. */
function opsDb(o) {
  const sizes = { customers: o.customers, tasks: o.customers * 5, orders: o.customers };
  return benchDb(`ops-${o.customers}`, sizes, (g) => g.opsFill(sizes));
}

/**
 * A copy of a bench database for commands to run on (the cached one is never opened by
 * them), opened once by `salesops init` so that the current binary has migrated it.
 */
async function dbCopy(src, dst) {
  rmDb(dst);
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.copyFileSync(src, dst);
  fs.chmodSync(dst, 0o600);
  check(await measure(process.execPath, salesops(dst, 'init'), { noRss: true }), 'salesops init');
  return dst;
}

const TMP = path.join(DATA, 'tmp');
const fmtS = (ms) => `${(ms / 1000).toFixed(1)} s`;
const fmtMs = (ms) => `${Math.round(ms)} ms`;
const fmtRange = (a, b) => `${Math.round(a)}–${Math.round(b)} ms`;
const fmtMB = (kb) => (kb === null || kb === undefined ? '?' : `${Math.round(kb / 1024)} MB`);
const verdict = (ok) => (ok ? 'ok' : 'MISSED');
/** sum of sqlite3's `.timer on` lines (Run Time: real S), in ms */
const timerMs = (stdout) => [...stdout.matchAll(/Run Time: real ([\d.]+)/g)].reduce((a, m) => a + Number(m[1]) * 1000, 0);

/** EXPLAIN QUERY PLAN of each statement; the full scans of a big table among them. */
function plans(db, statements) {
  const out = statements.map((sql) => ({ sql: sql.replace(/\s+/g, ' ').slice(0, 120), plan: sqlite(db, `EXPLAIN QUERY PLAN ${sql}`).split('\n') }));
  const big = /\bSCAN (t|o|c|f|tasks|orders|customers|files)\b/;
  return { out, scans: out.flatMap((p) => p.plan.filter((l) => big.test(l)).map((l) => `${l.trim()} — in ${p.sql.slice(0, 60)}…`)) };
}

/**
 * Short commands, interleaved: one warm-up round (page cache; its peak RSS and stderr are
 * kept), then `runs` timed rounds without GNU time. cmds: key → { file, args, stdin? }.
 * Resolves key → { ms: [...], timer: [...] (sqlite3 .timer sums), rssKB, stderr }, plus the
 * 1-minute load average of each round.
 */
async function rounds(cmds, runs) {
  const res = {};
  for (const [k, c] of Object.entries(cmds)) {
    const r = check(await measure(c.file, c.args, { stdin: c.stdin, dropStdout: !c.stdin }), k);
    res[k] = { ms: [], timer: [], rssKB: r.rssKB, stderr: r.stderr };
  }
  const loads = [];
  for (let i = 0; i < runs; i++) {
    process.stderr.write(' .');
    loads.push(os.loadavg()[0]);
    for (const [k, c] of Object.entries(cmds)) {
      // sqlite3 runs write their rows to /dev/null themselves (.output) and only .timer lines to the pipe
      const r = check(await measure(c.file, c.args, { noRss: true, stdin: c.stdin, dropStdout: !c.stdin }), k);
      res[k].ms.push(r.ms);
      if (c.stdin) res[k].timer.push(timerMs(r.stdout));
    }
  }
  process.stderr.write('\n');
  return { res, loads: { min: Math.min(...loads), max: Math.max(...loads), each: loads.map((x) => Number(x.toFixed(2))) } };
}

/** An sqlite3 run of `statements` on db from a file: rows to /dev/null, `.timer on` lines to stdout. */
function bareCmd(db, file, statements) {
  fs.writeFileSync(file, `.timer on\n.output /dev/null\n${statements.map((s) => s + ';').join('\n')}\n`);
  return { file: 'sqlite3', args: [db], stdin: file };
}

const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const round1 = (x) => Math.round(x * 10) / 10;

const ASSIGN_TARGET = { ms: 20_000, rssMB: 500 };
const ASSIGN_SUMMARY = /assigned (\d+) customers on (\S+) \(collector (\d+), nearness (\d+), new staff (\d+), workload (\d+)\)/;

/**
 * `salesops assign` (not a dry run) over N unassigned customers and 500 active reps, each run on a
 * fresh copy, against two floors in sqlite3 on fresh copies too: one UPDATE giving every
 * waiting customer to one rep, and the same with the history rows (assignments) inserted first,
 * the least that any assignment must write.
 */
async function assignSection(o) {
  const { AS_OF } = await gen();
  const ds = await assignDb(o);
  const work = path.join(TMP, 'assign.db');
  const waiting = 'owner_id IS NULL AND pinned = 0 AND archived_on IS NULL';
  const update = `UPDATE customers SET owner_id = 'R0001', assigned_on = '${AS_OF}' WHERE ${waiting};`;
  const floors = {
    update,
    history: `BEGIN; INSERT INTO assignments (customer_id, staff_id, rule, explanation, assigned_on, created_at)
      SELECT customer_id, 'R0001', 'workload', 'bench floor', '${AS_OF}', '${AS_OF}T00:00:00' FROM customers WHERE ${waiting} ORDER BY customer_id;
      ${update} COMMIT;`,
  };
  const runs = { salesops: [], update: [], history: [] };
  process.stderr.write(`assign ${ds.counts.unassigned.toLocaleString('en-US')} customers, ${ds.counts.active_reps} reps, ${o.repeat}×`);
  for (let i = 0; i < o.repeat; i++) {
    process.stderr.write(' .');
    await dbCopy(ds.db, work);
    const r = check(await measure(process.execPath, salesops(work, '--as-of', AS_OF, 'assign'), { dropStdout: true }), 'salesops assign');
    const m = ASSIGN_SUMMARY.exec(r.stderr);
    const [left] = sqliteJson(work, `SELECT count(*) AS unassigned, (SELECT count(*) FROM assignments) AS history FROM customers WHERE ${waiting}`);
    runs.salesops.push({
      ms: r.ms,
      rssKB: r.rssKB,
      load: load(),
      assigned: m ? Number(m[1]) : null,
      rules: m ? { collector: Number(m[3]), nearness: Number(m[4]), new_staff: Number(m[5]), workload: Number(m[6]) } : null,
      leftUnassigned: left.unassigned,
      warnings: r.stderr.split('\n').filter((l) => /left unassigned|^warning|^hint/i.test(l)),
    });
    for (const k of ['update', 'history']) {
      await dbCopy(ds.db, work);
      const f = check(await measure('sqlite3', [work, floors[k]]), `sqlite3 floor ${k}`);
      runs[k].push({ ms: f.ms, rssKB: f.rssKB, load: load(), leftUnassigned: Number(sqlite(work, `SELECT count(*) FROM customers WHERE ${waiting}`)) });
    }
  }
  process.stderr.write('\n');
  fs.rmSync(TMP, { recursive: true, force: true });
  const so = summarize(runs.salesops);
  const up = summarize(runs.update);
  const hi = summarize(runs.history);
  const last = runs.salesops[runs.salesops.length - 1];
  const okMs = so.ms < ASSIGN_TARGET.ms;
  const okRss = so.rssMB !== null && so.rssMB < ASSIGN_TARGET.rssMB;
  const ratio = (a, b) => `${(a.ms / b.ms).toFixed(1)}×`;
  const rules = last.rules ? Object.entries(last.rules).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ') : 'summary line not found';
  return {
    head: ['command', o.repeat > 1 ? `median of ${o.repeat}` : 'time', 'peak RSS', 'salesops ÷', 'target'],
    rows: [
      ['salesops assign', fmtS(so.ms), `${so.rssMB} MB`, '', `< 20 s: ${verdict(okMs)}; < 500 MB: ${verdict(okRss)}`],
      ['sqlite3 UPDATE, all to one rep', fmtS(up.ms), `${up.rssMB} MB`, ratio(so, up), ''],
      ['sqlite3 history INSERT + UPDATE', fmtS(hi.ms), `${hi.rssMB} MB`, ratio(so, hi), ''],
    ],
    perf: [perfLine(PERF_PATHS.assign(ds.counts.unassigned), fmtS(so.ms), `${fmtS(hi.ms)} sqlite3: the history and owners alone`, ratio(so, hi), so.rssMB, okMs && okRss)],
    notes: [
      `${ds.counts.unassigned.toLocaleString('en-US')} unassigned customers (and ${(ds.counts.customers - ds.counts.unassigned).toLocaleString('en-US')} owned), ${ds.counts.active_reps} active reps, --as-of ${AS_OF}; each run on a fresh copy`,
      `rules: ${rules}; assigned ${last.assigned?.toLocaleString('en-US')}, left unassigned ${last.leftUnassigned.toLocaleString('en-US')}`,
      ...last.warnings.map((w) => `salesops: ${w}`),
      'sqlite3 floors: what any assignment must write at least, without choosing anyone (one rep for all)',
    ],
    data: {
      dataset: { file: path.relative(ROOT, ds.db), bytes: ds.bytes, counts: ds.counts, asOf: AS_OF },
      target: ASSIGN_TARGET,
      met: { ms: okMs, rss: okRss },
      salesops: so,
      sqlite3Update: up,
      sqlite3HistoryAndUpdate: hi,
      ratioToUpdate: Number((so.ms / up.ms).toFixed(2)),
      ratioToHistoryAndUpdate: Number((so.ms / hi.ms).toFixed(2)),
    },
  };
}

/**
 * Median rows of a short-command section: each salesops command next to its bare SQL (whole
 * sqlite3 process, and the statements' own time by `.timer`), `node -e 0` for scale.
 * pairs: [key, label, what the bare SQL is, rows listed, target in ms].
 */
function shortRows(r, pairs) {
  const rows = [];
  const data = {};
  const node = stats(r.res.node.ms);
  for (const [k, label, bareLabel, rowsOut, targetMs] of pairs) {
    const so = stats(r.res[k].ms);
    const b = stats(r.res[`${k}Bare`].ms);
    const t = stats(r.res[`${k}Bare`].timer);
    const ok = so.median < targetMs;
    rows.push([label, fmtMs(so.median), fmtRange(so.min, so.max), fmtMB(r.res[k].rssKB), rowsOut ?? '', `${(so.median / b.median).toFixed(1)}× (+${fmtMs(so.median - b.median)})`, `< ${targetMs} ms: ${verdict(ok)}`]);
    rows.push([`  sqlite3, ${bareLabel}: process`, fmtMs(b.median), fmtRange(b.min, b.max), fmtMB(r.res[`${k}Bare`].rssKB), '', '', '']);
    rows.push([`  sqlite3, ${bareLabel}: .timer`, `${round1(t.median)} ms`, `${round1(t.min)}–${round1(t.max)} ms`, '', '', '', '']);
    data[k] = {
      command: label,
      ms: Math.round(so.median),
      min: Math.round(so.min),
      max: Math.round(so.max),
      rssMB: r.res[k].rssKB === null ? null : Math.round(r.res[k].rssKB / 1024),
      rows: rowsOut,
      met: ok,
      sqlite3ProcessMs: Math.round(b.median),
      sqlite3TimerMs: round1(t.median),
      ratioToSqlite3: Number((so.median / b.median).toFixed(2)),
      runs: r.res[k].ms.map(Math.round),
      sqlite3Runs: r.res[`${k}Bare`].ms.map(Math.round),
      sqlite3TimerRuns: r.res[`${k}Bare`].timer.map(round1),
    };
  }
  rows.push(['node -e 0', fmtMs(node.median), fmtRange(node.min, node.max), fmtMB(r.res.node.rssKB), '', '', '']);
  data.nodeMs = Math.round(node.median);
  data.load = r.loads;
  return { rows, data };
}

/** A command of shortRows as a line of the Performance table, beside its sqlite3 process. */
const shortLine = (d, label, beside) => perfLine(label, `${d.ms} ms`, `${d.sqlite3ProcessMs} ms sqlite3, ${beside}`, `${d.ratioToSqlite3}×`, d.rssMB, d.met);

const SHORT_HEAD = (runs) => ['command', `median of ${runs}`, 'min–max', 'peak RSS', 'rows', 'vs sqlite3 process', 'target'];
/** issue 17: a read command under 150 ms whole (issue 4 had set 250 ms) */
const DUE_TARGET_MS = 150;
/** the customer `customers show` is timed on */
const SHOW_ID = 12345;
const KPI_TARGET_MS = 1000;
/** the rep whose due list is timed */
const DUE_REP = 'R0123';

/** issue 18: a due list of a past day (what was open then, held by whom then) */
const DUE_PAST_TARGET_MS = 400;

/**
 * `followups due` for one rep and for everyone (the first 1,000 rows), on the bench's as-of
 * and on the past days of DUE_PAST (issue 18), each next to its one SELECT in sqlite3.
 */
async function dueSection(o) {
  const { AS_OF } = await gen();
  const { dueSql } = await bare();
  const ds = await opsDb(o);
  const work = await dbCopy(ds.db, path.join(TMP, 'due.db'));
  const count = (q) => Number(sqlite(work, `SELECT count(*) FROM (${q.statements[0]})`));
  const cmds = {};
  const pairs = [];
  const queries = [];
  const lines = [];
  for (const [i, day] of [null, ...DUE_PAST].entries()) {
    const asOf = day ?? AS_OF;
    const one = await dueSql(ROOT, { asOf, staff: DUE_REP });
    const all = await dueSql(ROOT, { asOf });
    queries.push(one, all);
    const base = salesops(work, '--as-of', asOf, 'followups', 'due');
    const k = (x) => `${x}${i}`;
    cmds[k('one')] = { file: process.execPath, args: [...base, '--staff', DUE_REP] };
    cmds[k('one') + 'Bare'] = bareCmd(work, path.join(TMP, `due-one-${i}.sql`), one.statements);
    cmds[k('all')] = { file: process.execPath, args: [...base, '--limit', '1000'] };
    cmds[k('all') + 'Bare'] = bareCmd(work, path.join(TMP, `due-all-${i}.sql`), all.statements);
    const when = day ? ` --as-of ${day}` : '';
    const target = day ? DUE_PAST_TARGET_MS : DUE_TARGET_MS;
    pairs.push([k('one'), `salesops followups due --staff ${DUE_REP}${when}`, 'same SELECT', count(one), target]);
    pairs.push([k('all'), `salesops followups due --limit 1000${when}`, 'same SELECT', Math.min(count(all), 1000), target]);
    lines.push([k('one'), PERF_PATHS.dueOne(DUE_REP, day)], [k('all'), PERF_PATHS.dueAll(day)]);
  }
  cmds.show = { file: process.execPath, args: salesops(work, '--as-of', AS_OF, 'customers', 'show', String(SHOW_ID)) };
  cmds.showBare = bareCmd(work, path.join(TMP, 'show.sql'), [`SELECT * FROM customers WHERE customer_id = ${SHOW_ID}`]);
  cmds.node = { file: process.execPath, args: ['-e', '0'] };
  pairs.push(['show', `salesops customers show ${SHOW_ID}`, "the customer's row", 1, DUE_TARGET_MS]);
  const [moves] = sqliteJson(work, "SELECT (SELECT count(*) FROM task_moves) AS moves, (SELECT count(*) FROM assignments WHERE rule = 'handover') AS handovers");
  process.stderr.write(`due over ${ds.counts.tasks.toLocaleString('en-US')} tasks (${ds.counts.open_tasks.toLocaleString('en-US')} open), on ${[AS_OF, ...DUE_PAST].join(', ')}, ${o.runs}×`);
  const r = await rounds(cmds, o.runs);
  const p = plans(work, queries.flatMap((q) => q.statements));
  fs.rmSync(TMP, { recursive: true, force: true });
  const { rows, data } = shortRows(r, pairs);
  return {
    head: SHORT_HEAD(o.runs),
    rows,
    perf: [...lines.map(([k, label]) => shortLine(data[k], label, 'the same SELECT')), shortLine(data.show, PERF_PATHS.show(), "the customer's row")],
    notes: [
      `${ds.counts.customers.toLocaleString('en-US')} customers, ${ds.counts.tasks.toLocaleString('en-US')} tasks (${Math.round((100 * ds.counts.done_tasks) / ds.counts.tasks)}% done, ${ds.counts.open_tasks.toLocaleString('en-US')} open), ${moves.handovers.toLocaleString('en-US')} customers handed over (${moves.moves.toLocaleString('en-US')} task moves); --as-of ${AS_OF} (open tasks due by ${queries[0].cutoff}) and the past days ${DUE_PAST.join(', ')} (what was open then); table form, stdout to /dev/null`,
      'sqlite3 process: `sqlite3 DB < file` (start, open, the SELECT of store/followups.ts dueQuery with its parameters inlined, rows to /dev/null, exit); .timer: the statement alone',
      `targets: < ${DUE_TARGET_MS} ms on as-of (issue 17), < ${DUE_PAST_TARGET_MS} ms on a past day (issue 18)`,
      `load (1 min) during the runs ${r.loads.min.toFixed(2)}–${r.loads.max.toFixed(2)}`,
      ...(p.scans.length ? [`full scans: ${p.scans.join('; ')}`] : []),
    ],
    data: {
      dataset: { file: path.relative(ROOT, ds.db), bytes: ds.bytes, counts: ds.counts, asOf: AS_OF, cutoff: queries[0].cutoff, past: DUE_PAST, ...moves },
      target: { current: DUE_TARGET_MS, past: DUE_PAST_TARGET_MS },
      ...data,
      plans: p.out,
    },
  };
}

/**
 * `kpi --period P --by staff|team` for the months of KPI_PERIODS (one well closed, the one
 * just closed, the one running on as-of), each next to the same reads in sqlite3 (recorded
 * from kpiReport itself: bare-sql.mjs), and a GROUP BY over every task for scale.
 */
async function kpiSection(o) {
  const { AS_OF } = await gen();
  const { kpiSql } = await bare();
  const ds = await opsDb(o);
  const work = await dbCopy(ds.db, path.join(TMP, 'kpi.db'));
  const cmds = {};
  const pairs = [];
  const lines = [];
  const queries = {};
  for (const [i, period] of KPI_PERIODS.entries()) {
    const base = salesops(work, '--as-of', AS_OF, 'kpi', '--period', period);
    for (const by of ['staff', 'team']) {
      const q = await kpiSql(ROOT, work, { asOf: AS_OF, period, by });
      queries[`${by}${i}`] = q;
      cmds[`${by}${i}`] = { file: process.execPath, args: [...base, '--by', by] };
      cmds[`${by}${i}Bare`] = bareCmd(work, path.join(TMP, `kpi-${by}-${i}.sql`), q.statements);
      pairs.push([`${by}${i}`, `salesops kpi --period ${period} --by ${by}`, `${q.statements.length} reads`, null, KPI_TARGET_MS]);
      lines.push([`${by}${i}`, by === 'staff' ? PERF_PATHS.kpiStaff(period) : PERF_PATHS.kpiTeam(period)]);
    }
  }
  cmds.node = { file: process.execPath, args: ['-e', '0'] };
  process.stderr.write(`kpi ${KPI_PERIODS.join(', ')} over ${ds.counts.customers.toLocaleString('en-US')} customers, ${ds.counts.tasks.toLocaleString('en-US')} tasks, ${ds.counts.orders.toLocaleString('en-US')} orders, ${o.runs}×`);
  const r = await rounds(cmds, o.runs);
  // for scale: one GROUP BY over every task, as cheap as sqlite3 makes it (a covering index in staff_id order): what the month must not do
  const scan = check(
    await measure('sqlite3', [work, "SELECT staff_id, count(*), sum(status = 'done' AND done_on <= due_by) FROM tasks GROUP BY staff_id;"], { noRss: true, dropStdout: true }),
    'sqlite3 GROUP BY over all tasks',
  );
  const p = plans(work, [...new Set(Object.values(queries).flatMap((q) => q.statements.filter((s) => !s.startsWith('PRAGMA'))))]);
  fs.rmSync(TMP, { recursive: true, force: true });
  const { rows, data } = shortRows(r, pairs);
  rows.push(['sqlite3 GROUP BY over all tasks (1 run)', fmtMs(scan.ms), '', '', '', '', '']);
  const ranges = KPI_PERIODS.map((period, i) => `${period}: ${queries[`staff${i}`].range.from} … ${queries[`staff${i}`].range.to}`);
  return {
    head: SHORT_HEAD(o.runs),
    rows,
    perf: lines.map(([k, label]) => shortLine(data[k], label, 'the same reads')),
    notes: [
      `${ds.counts.customers.toLocaleString('en-US')} customers, ${ds.counts.tasks.toLocaleString('en-US')} tasks, ${ds.counts.orders.toLocaleString('en-US')} orders, ${ds.counts.files.toLocaleString('en-US')} files, --as-of ${AS_OF}: ${ranges.join('; ')}; table form, stdout to /dev/null`,
      'sqlite3: every read of app/kpi.ts kpiReport (the roster, the history, KPI_SQL of store/kpi.ts per stretch of days, the trip pricing), recorded with its parameters',
      `load (1 min) during the runs ${r.loads.min.toFixed(2)}–${r.loads.max.toFixed(2)}`,
      ...(p.scans.length ? [`full scans: ${p.scans.join('; ')}`] : []),
    ],
    data: { dataset: { file: path.relative(ROOT, ds.db), bytes: ds.bytes, counts: ds.counts, asOf: AS_OF, periods: KPI_PERIODS }, target: KPI_TARGET_MS, ...data, fullTaskScanMs: Math.round(scan.ms), plans: p.out },
  };
}

// ---------------------------------------------------------------- corrections (issue 13)

/**
 * bench-data/followups-F.csv: F follow-ups of the customers of surveys-N.csv (phone + name,
 * role, a date, method, note), and its corrected copy: every 100th row's note edited, every
 * 100th (offset 50) row's date a day later — what a clerk's re-import of a sheet does.
 */
function followupSheets(ds, f) {
  const out = path.join(DATA, `followups-${f}.csv`);
  const fixed = path.join(DATA, `followups-${f}-corrected.csv`);
  if (fs.existsSync(out) && fs.existsSync(fixed)) return { csv: out, corrected: fixed };
  const people = [];
  for (const line of fs.readFileSync(ds.csv, 'utf8').split('\n').slice(1)) {
    if (!line) continue;
    const c = line.split(',');
    people.push([c[4], c[1]]);
    if (people.length >= f) break;
  }
  const notes = ['询问使用情况', '介绍产品服务', '电话回访，顾客满意', '上门讲解产品使用', '节日问候'];
  const head = '电话,姓名,回访人,回访日期,回访方式,回访内容';
  const day = (i) => new Date(Date.UTC(2024, 0, 1) + (i % 300) * 86400000).toISOString().slice(0, 10);
  const rows = [];
  const rowsFixed = [];
  for (let i = 0; i < f; i++) {
    const [phone, name] = people[i % people.length];
    const row = [phone, name, '满意代表', day(i * 7 + Math.floor(i / people.length)), i % 3 ? '电话' : '上门', notes[i % notes.length]];
    rows.push(row.join(','));
    const g = [...row];
    if (i % 100 === 0) g[5] += '，顾客反馈良好';
    if (i % 100 === 50) g[3] = day(i * 7 + Math.floor(i / people.length) + 1);
    rowsFixed.push(g.join(','));
  }
  fs.writeFileSync(out, [head, ...rows].join('\n') + '\n');
  fs.writeFileSync(fixed, [head, ...rowsFixed].join('\n') + '\n');
  return { csv: out, corrected: fixed };
}

/**
 * followups import of F rows into a database of the survey customers: the first import, the
 * same sheet again (every row unchanged), and its corrected copy (1% notes, 1% dates), against
 * sqlite3 .import of the same file into a table with the follow-ups' natural UNIQUE key.
 */
async function correctionsSection(o) {
  const n = o.rows[0];
  const f = o.rows[0];
  const ds = dataset(n);
  const sheets = followupSheets(ds, f);
  const tmp = path.join(DATA, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const base = path.join(tmp, 'fu-base.db');
  const db = path.join(tmp, 'fu.db');
  const lite = path.join(tmp, 'fu-sqlite.db');
  process.stderr.write(`corrections: ${f.toLocaleString('en-US')} follow-ups of ${n.toLocaleString('en-US')} customers, ${o.repeat}×`);
  rmDb(base);
  const so = (target, ...args) => measure(process.execPath, [BIN, '--db', target, '--lang', 'en', '--as-of', '2025-12-31', ...args]);
  check(await so(base, 'init'), 'salesops init');
  check(await so(base, 'staff', 'import', ds.staff), 'salesops staff import');
  check(await so(base, 'survey', 'import', ds.csv), 'salesops survey import');
  const runs = { first: [], again: [], corrected: [], sqlite: [] };
  const counts = {};
  for (let i = 0; i < o.repeat; i++) {
    process.stderr.write(' .');
    rmDb(db);
    await dbCopy(base, db);
    for (const [k, file] of [['first', sheets.csv], ['again', sheets.csv], ['corrected', sheets.corrected]]) {
      const r = check(await so(db, 'followups', 'import', file), `salesops followups import (${k})`);
      runs[k].push(r);
      const m = /(\d+) new, (\d+) updated, (\d+) unchanged/.exec(r.stderr);
      counts[k] = m ? { new: Number(m[1]), updated: Number(m[2]), unchanged: Number(m[3]) } : null;
    }
    rmDb(lite);
    sqlite(lite, 'CREATE TABLE followups (phone TEXT, name TEXT, role TEXT, done_on TEXT, method TEXT, note TEXT, UNIQUE (phone, name, role, done_on, method, note));');
    runs.sqlite.push(check(await measure('sqlite3', [lite, '.mode csv', `.import --skip 1 ${sheets.csv} followups`]), 'sqlite3 .import'));
  }
  process.stderr.write('\n');
  rmDb(base);
  rmDb(db);
  rmDb(lite);
  const sq = summarize(runs.sqlite);
  const rows = [];
  const perf = [];
  const data = { followups: f, customers: n, sqlite3: sq, counts };
  const label = { first: PERF_PATHS.followupsFirst(f), again: PERF_PATHS.followupsAgain(), corrected: PERF_PATHS.followupsCorrected() };
  for (const k of ['first', 'again', 'corrected']) {
    const x = summarize(runs[k]);
    const ratio = Number((x.ms / sq.ms).toFixed(2));
    data[k] = { ...x, ratio };
    const c = counts[k];
    rows.push([`followups import (${k})`, (x.ms / 1000).toFixed(2) + ' s', x.rssMB === null ? '?' : `${x.rssMB} MB`, c ? `${c.new}/${c.updated}/${c.unchanged}` : '?', `${ratio}×`]);
    perf.push(perfLine(label[k], (x.ms / 1000).toFixed(2) + ' s', `${(sq.ms / 1000).toFixed(2)} s \`sqlite3 .import\`, natural UNIQUE`, `${ratio}×`, x.rssMB));
  }
  rows.push(['sqlite3 .import, natural UNIQUE', (sq.ms / 1000).toFixed(2) + ' s', sq.rssMB === null ? '?' : `${sq.rssMB} MB`, '', '1×']);
  return {
    head: ['command', 'median', 'peak RSS', 'new/updated/unchanged', 'vs sqlite3'],
    rows,
    notes: [
      `${f.toLocaleString('en-US')} follow-ups (--rows, first value) of as many survey customers; "again": the same sheet re-imported; "corrected": 1% notes and 1% dates edited`,
    ],
    perf,
    data,
  };
}

/**
 * `customers list` of N customers (--rows, first size) as a table (--limit 0: all of them),
 * as csv, and the same rows from sqlite3 -csv: the table must stay within 2× the csv
 * (issue 14: a table is linear in rows and in cell length; cli-table3 crashed at 200,000).
 */
async function listingSection(o) {
  const n = o.rows[0];
  const ds = dataset(n);
  const db = path.join(DATA, `listing-${n}.db`);
  if (!fs.existsSync(db)) {
    process.stderr.write(`listing: importing ${n.toLocaleString('en-US')} customers…\n`);
    const base = [BIN, '--db', db, '--lang', 'en'];
    check(await measure(process.execPath, [...base, 'init'], { noRss: true }), 'salesops init');
    check(await measure(process.execPath, [...base, 'staff', 'import', ds.staff], { noRss: true }), 'salesops staff import');
    check(await measure(process.execPath, [...base, 'survey', 'import', ds.csv], { noRss: true }), 'salesops survey import');
  }
  const runs = Math.max(3, Math.min(o.runs, 7));
  const cmds = {
    table: [process.execPath, [...salesops(db, 'customers', 'list', '--limit', '0')]],
    csv: [process.execPath, [...salesops(db, '--format', 'csv', 'customers', 'list')]],
    sqlite3: ['sqlite3', ['-csv', '-header', db, 'SELECT customer_id, name, phone, district, collector_id, owner_id FROM customers ORDER BY customer_id']],
  };
  const times = { table: [], csv: [], sqlite3: [] };
  const rss = {};
  for (const [k, [c, a]] of Object.entries(cmds)) rss[k] = check(await measure(c, a, { dropStdout: true }), k).rssKB;
  process.stderr.write(`listing ${n.toLocaleString('en-US')} customers, ${runs}×`);
  for (let i = 0; i < runs; i++) {
    process.stderr.write(' .');
    for (const [k, [c, a]] of Object.entries(cmds)) times[k].push(check(await measure(c, a, { noRss: true, dropStdout: true }), k).ms);
  }
  process.stderr.write('\n');
  const ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const ratio = Number((ms.table / ms.csv).toFixed(2));
  const mb = (kb) => (kb ? `${Math.round(kb / 1024)} MB` : '?');
  return {
    head: ['output', `median of ${runs}`, 'peak RSS', 'vs csv', 'vs sqlite3'],
    rows: [
      ['customers list --limit 0 (table)', `${(ms.table / 1000).toFixed(2)} s`, mb(rss.table), `${ratio}×`, `${(ms.table / ms.sqlite3).toFixed(2)}×`],
      ['customers list --format csv', `${(ms.csv / 1000).toFixed(2)} s`, mb(rss.csv), '1×', `${(ms.csv / ms.sqlite3).toFixed(2)}×`],
      ['sqlite3 -csv SELECT …', `${(ms.sqlite3 / 1000).toFixed(2)} s`, mb(rss.sqlite3), '', '1×'],
    ],
    notes: [`${n.toLocaleString('en-US')} customers; stdout to /dev/null; the table must stay within 2× the csv`],
    perf: [perfLine(PERF_PATHS.listing(n), `${(ms.table / 1000).toFixed(2)} s`, `${(ms.csv / 1000).toFixed(2)} s its csv`, `${ratio}×`, rss.table ? Math.round(rss.table / 1024) : null, ratio <= 2)],
    data: { customers: n, ms, rssKB: rss, tableToCsv: ratio, runs: times },
  };
}

/**
 * bench-data/surveys-N.xlsx: the rows of surveys-N.csv as Excel saves a workbook
 * (scripts/gen-xlsx.mjs), regenerated when the CSV is newer.
 */
function workbookOf(ds) {
  const xlsx = ds.csv.replace(/\.csv$/, '.xlsx');
  if (!fs.existsSync(xlsx) || fs.statSync(xlsx).mtimeMs < fs.statSync(ds.csv).mtimeMs) {
    process.stderr.write(`generating ${path.basename(xlsx)}…\n`);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/gen-xlsx.mjs'), ds.csv, xlsx], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`gen-xlsx.mjs failed (${r.status})`);
  }
  return xlsx;
}

/**
 * Issue 16: `survey import` of a workbook against the CSV of the same rows (≤ 2.5×, < 350 MB
 * at 100,000 rows; < 500 MB at 1,000,000), and `export customers --out x.xlsx` against the
 * same export to .csv (≤ 3×, < 400 MB at 1,000,000 customers), interleaved.
 */
async function xlsxSection(o) {
  const rows = [];
  const perf = [];
  const data = { import: {}, export: {} };
  fs.mkdirSync(TMP, { recursive: true });
  for (const n of o.rows) {
    const ds = dataset(n);
    const xlsx = workbookOf(ds);
    process.stderr.write(`xlsx import ${n.toLocaleString('en-US')} rows, ${o.repeat}×`);
    const runs = { xlsx: [], csv: [] };
    for (let i = 0; i < o.repeat; i++) {
      process.stderr.write(' .');
      runs.xlsx.push(await salesopsImport({ ...ds, csv: xlsx }, path.join(TMP, 'xlsx.db')));
      runs.csv.push(await salesopsImport(ds, path.join(TMP, 'csv.db')));
    }
    process.stderr.write('\n');
    const x = summarize(runs.xlsx);
    const c = summarize(runs.csv);
    const ratio = Number((x.ms / c.ms).toFixed(2));
    if (runs.xlsx.some((r) => r.rows !== n)) process.stderr.write(`warning: the workbook import read ${runs.xlsx.map((r) => r.rows).join('/')} of ${n} rows\n`);
    data.import[n] = { xlsx: x, csv: c, ratio };
    const target = n <= 100_000 ? ratio <= 2.5 && x.rssMB < 350 : x.rssMB < 500;
    rows.push([`survey import, ${n.toLocaleString('en-US')} rows`, `${(x.ms / 1000).toFixed(2)} s`, `${x.rssMB} MB`, `${(c.ms / 1000).toFixed(2)} s`, `${c.rssMB} MB`, `${ratio}×`, verdict(target)]);
    perf.push(perfLine(PERF_PATHS.xlsxImport(n), `${(x.ms / 1000).toFixed(2)} s`, `${(c.ms / 1000).toFixed(2)} s its csv`, `${ratio}×`, x.rssMB, target));
  }
  // the export: the customers of the due/kpi database (--customers N)
  const ops = await opsDb(o);
  const db = await dbCopy(ops.db, path.join(TMP, 'export.db'));
  const out = { xlsx: path.join(TMP, 'customers.xlsx'), csv: path.join(TMP, 'customers.csv') };
  const runs = { xlsx: [], csv: [] };
  process.stderr.write(`xlsx export ${o.customers.toLocaleString('en-US')} customers, ${o.repeat}×`);
  for (let i = 0; i < o.repeat; i++) {
    process.stderr.write(' .');
    for (const k of ['xlsx', 'csv']) {
      fs.rmSync(out[k], { force: true });
      runs[k].push(check(await measure(process.execPath, salesops(db, 'export', 'customers', '--out', out[k])), `export customers --out ${k}`));
    }
  }
  process.stderr.write('\n');
  const x = summarize(runs.xlsx);
  const c = summarize(runs.csv);
  const ratio = Number((x.ms / c.ms).toFixed(2));
  data.export = { customers: o.customers, xlsx: x, csv: c, ratio, bytes: { xlsx: fs.statSync(out.xlsx).size, csv: fs.statSync(out.csv).size } };
  rows.push([`export customers, ${o.customers.toLocaleString('en-US')}`, `${(x.ms / 1000).toFixed(2)} s`, `${x.rssMB} MB`, `${(c.ms / 1000).toFixed(2)} s`, `${c.rssMB} MB`, `${ratio}×`, verdict(ratio <= 3 && x.rssMB < 400)]);
  perf.push(perfLine(PERF_PATHS.xlsxExport(o.customers), `${(x.ms / 1000).toFixed(2)} s`, `${(c.ms / 1000).toFixed(2)} s its csv`, `${ratio}×`, x.rssMB, ratio <= 3 && x.rssMB < 400));
  rmDb(db);
  for (const f of Object.values(out)) fs.rmSync(f, { force: true });
  return {
    head: ['path', '.xlsx', 'peak RSS', '.csv', 'peak RSS', 'xlsx/csv', 'target'],
    rows,
    notes: [
      'import: the same rows as a workbook Excel would save (shared strings, numbers, date cells: scripts/gen-xlsx.mjs) and as the CSV; after init + staff import',
      'targets (issue 16): import ≤ 2.5× and < 350 MB at 100,000 rows, < 500 MB at 1,000,000; export ≤ 3× and < 400 MB',
    ],
    perf,
    data,
  };
}

// ---------------------------------------------------------------- postgres (issue 19)

const pgMod = () => import(pathToFileURL(path.join(ROOT, 'scripts/bench/pg.mjs')).href);
/** issue 19: on a local server, a due list < 300 ms whole, a month's KPI < 1.5 s; the import ≤ 2× psql \copy */
const PG_TARGET = { dueMs: 300, kpiMs: 1500, importRatio: 2 };

/**
 * PostgreSQL (issue 19), on a throw-away server of scripts/pg-test-server.sh, stopped at the
 * end, on an error and on an interruption. Skipped when the machine has no PostgreSQL.
 */
async function pgSection(o) {
  const pg = await pgMod();
  let server;
  try {
    server = pg.startServer(ROOT);
  } catch (e) {
    if (!/exited 3\b/.test(e.message)) throw e;
    return { head: ['postgres'], rows: [['skipped: no PostgreSQL on this machine']], data: { skipped: true } };
  }
  const unhook = pg.onInterrupt(server);
  try {
    fs.mkdirSync(TMP, { recursive: true });
    const imp = await pgImport(o, pg, server);
    const reads = await pgReads(o, pg, server);
    return {
      head: ['command', 'median', 'min–max', 'peak RSS', 'rows', 'beside it', 'target'],
      rows: [...imp.rows, ...reads.rows],
      notes: [...imp.notes, ...reads.notes],
      perf: [...imp.perf, ...reads.perf],
      data: { server: pg.psql(server.url, 'SHOW server_version'), import: imp.data, reads: reads.data },
    };
  } finally {
    unhook();
    pg.stopServer(server);
    fs.rmSync(TMP, { recursive: true, force: true });
  }
}

/**
 * `survey import` of the largest --rows file into a fresh database (after init + staff import,
 * not timed), interleaved with psql \copy of the same CSV into a table typed as the import
 * section's, with UNIQUE (phone, name) (issue 19's baseline: ≤ 2×), and psql \copy of the same
 * rows as customers' columns into salesops's own customers table (its foreign keys, indexes
 * and checks: for context).
 */
async function pgImport(o, pg, server) {
  const n = Math.max(...o.rows);
  const ds = dataset(n);
  const so = (url, ...args) => measure(process.execPath, salesops(url, ...args), { noRss: true });
  const ready = async (name) => {
    const url = pg.freshDb(server, name);
    check(await so(url, 'init'), 'salesops init (postgres)');
    check(await so(url, 'staff', 'import', ds.staff), 'salesops staff import (postgres)');
    return url;
  };
  process.stderr.write(`postgres import ${n.toLocaleString('en-US')} rows: staging the customers TSV…`);
  const stage = await ready('bench_stage');
  const tsv = pg.customersTsv(stage, ds.csv, SURVEY_COLUMNS, path.join(TMP, 'customers.tsv'));
  pg.dropDb(server, 'bench_stage');
  const typedTable = `surveys (${SURVEY_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')}, UNIQUE (phone, name))`;
  const runs = { salesops: [], typed: [], customers: [] };
  process.stderr.write(` ${o.repeat}×`);
  for (let i = 0; i < o.repeat; i++) {
    process.stderr.write(' .');
    let url = await ready('bench_import');
    const r = check(await measure(process.execPath, salesops(url, 'survey', 'import', ds.csv)), 'salesops survey import (postgres)');
    const summary = /imported (\d+) rows — (\d+) new/.exec(r.stderr);
    runs.salesops.push({ ms: r.ms, rssKB: r.rssKB, rows: Number(pg.psql(url, 'SELECT count(*) FROM customers')), reported: summary ? Number(summary[1]) : null, load: load() });
    pg.dropDb(server, 'bench_import');
    url = pg.freshDb(server, 'bench_typed');
    pg.psql(url, `CREATE TABLE ${typedTable}`);
    const t = check(await measure('psql', pg.psqlArgs(url, pg.copyFrom('surveys', ds.csv, 'CSV HEADER'))), 'psql \\copy surveys');
    runs.typed.push({ ms: t.ms, rssKB: t.rssKB, rows: Number(pg.psql(url, 'SELECT count(*) FROM surveys')), load: load() });
    pg.dropDb(server, 'bench_typed');
    url = await ready('bench_customers');
    const c = check(await measure('psql', pg.psqlArgs(url, pg.copyFrom(pg.CUSTOMER_COLUMNS, tsv, ''))), 'psql \\copy customers');
    runs.customers.push({ ms: c.ms, rssKB: c.rssKB, rows: Number(pg.psql(url, 'SELECT count(*) FROM customers')), load: load() });
    pg.dropDb(server, 'bench_customers');
  }
  process.stderr.write('\n');
  fs.rmSync(tsv, { force: true });
  const s = summarize(runs.salesops);
  const t = summarize(runs.typed);
  const c = summarize(runs.customers);
  const toTyped = Number((s.ms / t.ms).toFixed(2));
  const toCustomers = Number((s.ms / c.ms).toFixed(2));
  const met = toTyped <= PG_TARGET.importRatio;
  const sec = (x) => `${(x.ms / 1000).toFixed(2)} s`;
  const span = (x) => `${(Math.min(...x.runs.map((r) => r.ms)) / 1000).toFixed(1)}–${(Math.max(...x.runs.map((r) => r.ms)) / 1000).toFixed(1)} s`;
  const rows = [
    [`salesops survey import, ${n.toLocaleString('en-US')} rows`, sec(s), span(s), `${s.rssMB} MB`, runs.salesops.at(-1).rows.toLocaleString('en-US'), `${toTyped}× typed, ${toCustomers}× customers`, `≤ ${PG_TARGET.importRatio}× typed: ${verdict(met)}`],
    ['  psql \\copy, typed table, UNIQUE(phone, name)', sec(t), span(t), `${t.rssMB} MB`, runs.typed.at(-1).rows.toLocaleString('en-US'), '', ''],
    ['  psql \\copy into salesops customers', sec(c), span(c), `${c.rssMB} MB`, runs.customers.at(-1).rows.toLocaleString('en-US'), '', ''],
  ];
  return {
    rows,
    notes: [
      `import: ${o.repeat} interleaved run(s) on fresh databases; salesops after init + staff import (not timed); peak RSS is the client's (salesops / psql), the server's work is not in it`,
      'psql \\copy customers: the same rows mapped to customers\' columns (collector → staff id, gender → M/F) as a TSV made once by psql from a staging table, not timed',
    ],
    perf: [perfLine(`PostgreSQL: \`survey import\`, ${n.toLocaleString('en-US')} rows (≤ 2× psql \\copy)`, sec(s), `${sec(t)} \`psql \\copy\`, UNIQUE(phone, name)`, `${toTyped}×`, s.rssMB, met)],
    data: { rows: n, bytes: ds.bytes, salesops: s, psqlTyped: t, psqlCustomers: c, ratioToTyped: toTyped, ratioToCustomers: toCustomers, target: PG_TARGET.importRatio, met },
  };
}

/**
 * The ops database of due and kpi (copy of the cached one) copied to the server by `salesops
 * db copy` (timed once; it takes the planner's statistics itself), then the due and kpi commands of those
 * sections against it, interleaved with `psql -c 'SELECT 1'` (start and connect) and, where
 * the SQLite SQL of the same reads runs on PostgreSQL as it is, psql running it. The commands
 * over their target run once more with auto_explain (EXPLAIN ANALYZE of each statement over
 * 5 ms into the server's log), and those plans are kept.
 */
async function pgReads(o, pg, server) {
  const { AS_OF } = await gen();
  const { kpiSql } = await bare();
  const ds = await opsDb(o);
  const file = await dbCopy(ds.db, path.join(TMP, 'pg-ops.db'));
  const url = pg.freshDb(server, 'bench_ops');
  process.stderr.write(`postgres: salesops db copy of ${path.basename(ds.db)} (${(ds.bytes / 1048576).toFixed(0)} MiB)…`);
  const copy = check(await measure(process.execPath, [BIN, '--lang', 'en', 'db', 'copy', '--from', file, '--to', url]), 'salesops db copy');
  // db copy takes the planner's statistics itself (store/copy.ts refreshStatistics): no ANALYZE here
  process.stderr.write(` ${fmtS(copy.ms)}\n`);
  // the same SQL through psql, where PostgreSQL takes it as it is (else SELECT 1 stands beside)
  const bareOf = (key, statements) => {
    try {
      for (const sql of statements) pg.psql(url, `EXPLAIN ${sql}`);
    } catch {
      return null;
    }
    const script = path.join(TMP, `pg-${key}.sql`);
    fs.writeFileSync(script, statements.map((x) => x + ';').join('\n') + '\n');
    return { file: 'psql', args: [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-o', '/dev/null', '-f', script] };
  };
  const cmds = {};
  const items = [];
  for (const [i, day] of [null, ...DUE_PAST].entries()) {
    const asOf = day ?? AS_OF;
    const base = salesops(url, '--as-of', asOf, 'followups', 'due');
    const when = day ? ` --as-of ${day}` : '';
    for (const [k, args, q] of [
      [`one${i}`, ['--staff', DUE_REP], await pg.pgDueSql(ROOT, { asOf, staff: DUE_REP })],
      [`all${i}`, ['--limit', '1000'], await pg.pgDueSql(ROOT, { asOf })],
    ]) {
      cmds[k] = { file: process.execPath, args: [...base, ...args] };
      const b = bareOf(k, q.statements);
      if (b) cmds[`${k}Bare`] = b;
      items.push({ k, label: `salesops followups due ${args.join(' ')}${when}`, target: PG_TARGET.dueMs, kind: 'due' });
    }
  }
  for (const [i, period] of KPI_PERIODS.entries()) {
    for (const by of ['staff', 'team']) {
      const k = `${by}${i}`;
      cmds[k] = { file: process.execPath, args: salesops(url, '--as-of', AS_OF, 'kpi', '--period', period, '--by', by) };
      const q = await kpiSql(ROOT, file, { asOf: AS_OF, period, by });
      const b = bareOf(k, q.statements.filter((x) => !x.startsWith('PRAGMA')));
      if (b) cmds[`${k}Bare`] = b;
      items.push({ k, label: `salesops kpi --period ${period} --by ${by}`, target: PG_TARGET.kpiMs, kind: 'kpi' });
    }
  }
  rmDb(file);
  cmds.select1 = { file: 'psql', args: pg.psqlArgs(url, 'SELECT 1') };
  cmds.node = { file: process.execPath, args: ['-e', '0'] };
  process.stderr.write(`postgres due and kpi over ${ds.counts.tasks.toLocaleString('en-US')} tasks, ${o.runs}×`);
  const r = await rounds(cmds, o.runs);
  const s1 = stats(r.res.select1.ms);
  const rows = [];
  const perf = [];
  const data = { copy: { ms: Math.round(copy.ms), rssMB: copy.rssKB === null ? null : Math.round(copy.rssKB / 1024) }, counts: ds.counts, asOf: AS_OF, load: r.loads };
  const slow = [];
  rows.push([`salesops db copy (${ds.counts.tasks.toLocaleString('en-US')} tasks, its ANALYZE included)`, fmtS(copy.ms), '', fmtMB(copy.rssKB), '', '', '']);
  for (const it of items) {
    const x = stats(r.res[it.k].ms);
    const b = r.res[`${it.k}Bare`] ? stats(r.res[`${it.k}Bare`].ms) : null;
    const ok = x.median < it.target;
    if (!ok) slow.push(it);
    const beside = b ? `psql same SQL ${fmtMs(b.median)}` : `psql SELECT 1 ${fmtMs(s1.median)}`;
    rows.push([it.label, fmtMs(x.median), fmtRange(x.min, x.max), fmtMB(r.res[it.k].rssKB), '', beside, `< ${it.target} ms: ${verdict(ok)}`]);
    data[it.k] = { command: it.label, ms: Math.round(x.median), min: Math.round(x.min), max: Math.round(x.max), rssMB: r.res[it.k].rssKB === null ? null : Math.round(r.res[it.k].rssKB / 1024), met: ok, psqlSameSqlMs: b ? Math.round(b.median) : null, runs: r.res[it.k].ms.map(Math.round) };
    const label = `PostgreSQL: \`${it.label.replace(/^salesops /, '')}\` (< ${it.target >= 1000 ? `${it.target / 1000} s` : `${it.target} ms`})`;
    perf.push(perfLine(label, fmtMs(x.median), b ? `${fmtMs(b.median)} psql, the same SQL` : `${fmtMs(s1.median)} \`psql -c 'SELECT 1'\``, `${(x.median / (b ?? s1).median).toFixed(1)}×`, data[it.k].rssMB, ok));
  }
  const node = stats(r.res.node.ms);
  rows.push(["psql -c 'SELECT 1'", fmtMs(s1.median), fmtRange(s1.min, s1.max), fmtMB(r.res.select1.rssKB), '', '', '']);
  rows.push(['node -e 0', fmtMs(node.median), fmtRange(node.min, node.max), fmtMB(r.res.node.rssKB), '', '', '']);
  data.select1Ms = Math.round(s1.median);
  data.nodeMs = Math.round(node.median);
  // EXPLAIN ANALYZE of what the slow commands run: one more run each with auto_explain on
  data.plans = {};
  if (slow.length) {
    pg.autoExplain(server, 'bench_ops', 5);
    for (const it of slow) {
      const from = pg.serverLog(server).size;
      check(await measure(cmds[it.k].file, cmds[it.k].args, { noRss: true, dropStdout: true }), it.label);
      data.plans[it.k] = { command: it.label, log: pg.serverLog(server, from).text };
    }
    pg.autoExplain(server, 'bench_ops', null);
    const out = path.join(DATA, 'pg-plans.txt');
    fs.writeFileSync(out, Object.values(data.plans).map((p) => `==== ${p.command}\n${p.log}`).join('\n'));
    process.stderr.write(`plans of the commands over target: ${path.relative(ROOT, out)}\n`);
  }
  const same = items.filter((it) => r.res[`${it.k}Bare`]).length;
  return {
    rows,
    notes: [
      `reads: bench-data/${path.basename(ds.db)} (${ds.counts.customers.toLocaleString('en-US')} customers, ${ds.counts.tasks.toLocaleString('en-US')} tasks) copied by \`salesops db copy\` (which ANALYZEs what it copied); --as-of ${AS_OF}; table form, stdout to /dev/null`,
      `beside: psql running the same SQL (due: dueQuery's SELECT for PostgreSQL; kpi: the reads recorded on SQLite, where PostgreSQL takes them as they are), parameters inlined: ${same} of ${items.length} commands; else psql -c 'SELECT 1' (start and connect)`,
      `targets (issue 19): followups due < ${PG_TARGET.dueMs} ms whole, kpi of a month < ${PG_TARGET.kpiMs / 1000} s; load (1 min) during the runs ${r.loads.min.toFixed(2)}–${r.loads.max.toFixed(2)}`,
      ...(slow.length ? [`over target: ${slow.map((x) => x.label).join('; ')} — EXPLAIN ANALYZE in bench-data/pg-plans.txt`] : []),
    ],
    perf,
    data,
  };
}

/** Named sections, in run order. */
const SECTIONS = [
  { name: 'import', title: 'survey import vs sqlite3 .import', run: importSection },
  { name: 'startup', title: 'startup: salesops --help vs node -e 0', run: startupSection },
  { name: 'assign', title: 'assign: unassigned customers across 500 reps vs sqlite3 floors (issue #3)', run: assignSection },
  { name: 'due', title: 'followups due, on as-of and on past days, vs the same SELECT in sqlite3 (issues #4, 18)', run: dueSection },
  { name: 'kpi', title: 'kpi of three months by staff and by team vs the same reads in sqlite3 (issues #6, 18)', run: kpiSection },
  { name: 'listing', title: 'customers list: table vs csv vs sqlite3 -csv (issue 14)', run: listingSection },
  { name: 'xlsx', title: 'workbooks: .xlsx import and export vs the same .csv (issue 16)', run: xlsxSection },
  { name: 'corrections', title: 'follow-ups imported, imported again and corrected vs sqlite3 .import (issue 13)', run: correctionsSection },
  { name: 'postgres', title: 'PostgreSQL: survey import vs psql \\copy, due and kpi on a local server (issue 19)', run: pgSection },
];

// ---------------------------------------------------------------- output

function table(head, rows) {
  const width = (s) => [...String(s)].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
  const line = (r) => r.map((c, i) => String(c ?? '') + ' '.repeat(w[i] - width(c ?? ''))).join('  ').trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const unknown = o.sections.filter((s) => !SECTIONS.some((x) => x.name === s));
  if (unknown.length) throw new Error(`unknown section(s): ${unknown.join(', ')} (have: ${SECTIONS.map((s) => s.name).join(', ')})`);
  if (!fs.existsSync(path.join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` (or `npm run bench`)');
  const chosen = o.sections.length ? SECTIONS.filter((s) => o.sections.includes(s.name)) : SECTIONS;
  const sqliteVersion = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' }).stdout?.split(' ')[0] ?? null;
  const env = {
    node: process.version,
    sqlite3: sqliteVersion,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memMB: Math.round(os.totalmem() / 1048576),
    rss: hasGnuTime() ? 'GNU time %M' : '/proc VmHWM',
  };
  process.stdout.write(`salesops bench — node ${env.node}, sqlite3 ${env.sqlite3}, ${env.cpus} cpus, load ${load().join(' ')}\n`);
  const resultsFile = path.join(DATA, 'results.json');
  let results = {};
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    /* first run */
  }
  results.env = env;
  results.sections ??= {};
  const perf = [];
  for (const s of chosen) {
    const loadBefore = load();
    const r = await s.run(o);
    perf.push(...(r.perf ?? []));
    process.stdout.write(`\n${s.title}\n${table(r.head, r.rows)}\n${(r.notes ?? []).map((n) => `  ${n}\n`).join('')}`);
    results.sections[s.name] = { at: new Date().toISOString(), loadBefore, loadAfter: load(), options: { rows: o.rows, repeat: o.repeat, runs: o.runs, customers: o.customers }, ...r.data };
    fs.mkdirSync(DATA, { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  }
  // issue 17: the lines of the README's Performance table, as it shows them
  process.stdout.write(`\nPerformance (the README's table; ${new Date().toISOString().slice(0, 10)}, node -e 0 and sqlite3 in the same run)\n${perfTable(perf)}\n`);
  process.stdout.write(`\nload ${load().join(' ')}; figures in ${path.relative(process.cwd(), resultsFile)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${process.env.BENCH_STACK ? e.stack : e.message}\n`);
  process.exit(1);
});
