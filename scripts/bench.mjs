#!/usr/bin/env node
// `npm run bench` (builds first): salesops against plain sqlite3 on the same data (SPEC §7).
//
//   node scripts/bench.mjs [section…] [--rows 100000[,1000000]] [--repeat N] [--runs N]
//
// Sections are named benchmark functions (SECTIONS below); with none given, all run. Each
// returns { rows: [...table rows], data: {...} }; the table is printed and the data written
// to bench-data/results.json (merged by section, so a partial run keeps the others).
// Data files are generated into bench-data/ (gitignored) by ../shared/bench/gen-surveys.mjs
// and reused when present with the recorded size. Dependency-free: node built-ins and the
// sqlite3 CLI. Peak memory is the maximum RSS of the process (GNU time when present, else
// /proc/PID/status VmHWM polled). Times are wall clock; with --repeat N, the median of N
// interleaved runs (and the highest peak RSS). The machine's load is printed and recorded:
// other work on a 2-core machine skews every figure.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/salesops.js');
const DATA = path.join(ROOT, 'bench-data');
const GEN = path.resolve(ROOT, '../shared/bench/gen-surveys.mjs');
const SEED = '20240101';
const GNU_TIME = '/usr/bin/time';

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const o = { sections: [], rows: [100_000, 1_000_000], repeat: 1, runs: 15 };
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
    else if (a === '-h' || a === '--help') {
      process.stdout.write(`usage: node scripts/bench.mjs [section…] [--rows N[,N…]] [--repeat N] [--runs N]\nsections: ${SECTIONS.map((s) => s.name).join(', ')}\n`);
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.sections.push(a);
  }
  if (o.rows.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--rows takes positive integers');
  if (!(o.repeat >= 1) || !(o.runs >= 1)) throw new Error('--repeat and --runs take positive integers');
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
 */
function measure(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const useTime = !opts.noRss && hasGnuTime();
    const timeOut = path.join(os.tmpdir(), `bench-rss-${process.pid}-${Date.now()}`);
    const [file, argv] = useTime ? [GNU_TIME, ['-f', '%M', '-o', timeOut, cmd, ...args]] : [cmd, args];
    const t0 = process.hrtime.bigint();
    // discard: output to /dev/null, as fast as a terminal or file (a pipe makes Node set up a socket)
    const out = opts.discard ? 'ignore' : 'pipe';
    const child = spawn(file, argv, { cwd: opts.cwd ?? DATA, env: opts.env ?? process.env, stdio: ['ignore', out, out] });
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
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return {
    head: ['rows', 'salesops', 'peak RSS', 'sqlite3 typed', 'peak RSS', 'sqlite3 bare', 'peak RSS', 'salesops/typed'],
    rows,
    notes: ['salesops: survey import alone (after init + staff import); sqlite3: .import --skip 1 into a table created first'],
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
    data: { helpMs: Math.round(help), nodeMs: Math.round(node), ratio, runs: times },
  };
}

/** Named sections, in run order. Later issues append theirs (due lists, KPIs…). */
const SECTIONS = [
  { name: 'import', title: 'survey import vs sqlite3 .import', run: importSection },
  { name: 'startup', title: 'startup: salesops --help vs node -e 0', run: startupSection },
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
  for (const s of chosen) {
    const loadBefore = load();
    const r = await s.run(o);
    process.stdout.write(`\n${s.title}\n${table(r.head, r.rows)}\n${(r.notes ?? []).map((n) => `  ${n}\n`).join('')}`);
    results.sections[s.name] = { at: new Date().toISOString(), loadBefore, loadAfter: load(), options: { rows: o.rows, repeat: o.repeat, runs: o.runs }, ...r.data };
    fs.mkdirSync(DATA, { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  }
  process.stdout.write(`\nload ${load().join(' ')}; figures in ${path.relative(process.cwd(), resultsFile)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(1);
});
