// The PostgreSQL side of scripts/bench.mjs (issue 19: "Speed (in npm run bench, beside psql
// doing the same work)"): a throw-away server from scripts/pg-test-server.sh, fresh databases
// on it, and psql runs. Node built-ins and the psql client only.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * `scripts/pg-test-server.sh start`: its exports as { dir, port, sock, url, adminUrl }. The
 * caller stops it with stopServer in a finally, and on SIGINT/SIGTERM (onInterrupt).
 */
export function startServer(root) {
  const r = spawnSync('bash', [path.join(root, 'scripts/pg-test-server.sh'), 'start'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg-test-server.sh start exited ${r.status}: ${r.stderr.slice(-1000)}`);
  const env = Object.fromEntries([...r.stdout.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm)].map((m) => [m[1], m[2]]));
  if (!env.PGTEST_DIR || !env.PGTEST_URL || !env.PGTEST_ADMIN_URL) throw new Error(`pg-test-server.sh start printed no exports: ${r.stdout}`);
  return { root, dir: env.PGTEST_DIR, port: Number(env.PGTEST_PORT), sock: env.PGTEST_SOCK, url: env.PGTEST_URL, adminUrl: env.PGTEST_ADMIN_URL };
}

export function stopServer(server) {
  spawnSync('bash', [path.join(server.root, 'scripts/pg-test-server.sh'), 'stop', server.dir], { stdio: 'ignore' });
}

/**
 * Stops the server if the bench is interrupted (the finally of an async function does not
 * run on a signal); gives back the function that removes the handlers.
 */
export function onInterrupt(server) {
  const handler = (sig) => {
    stopServer(server);
    process.stderr.write(`bench: ${sig}: the PostgreSQL server was stopped\n`);
    process.exit(130);
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, handler);
  return () => {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(s, handler);
  };
}

/** the server's URL of role `salesops` on database `name` */
export const dbUrl = (server, name) => server.url.replace(/\/[^/]*$/, `/${name}`);

/** psql on url, stopping at the first error: its stdout (unaligned, tuples only) */
export function psql(url, ...commands) {
  const r = spawnSync('psql', [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...commands.flatMap((c) => ['-c', c])], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`psql ${commands.join(' ; ').slice(0, 200)}: ${r.stderr}`);
  return r.stdout.trim();
}

/** argv of a psql run of commands (for measure) */
export const psqlArgs = (url, ...commands) => [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...commands.flatMap((c) => ['-c', c])];

/** A new, empty database `name` owned by salesops (dropped first if there): its URL. */
export function freshDb(server, name) {
  psql(server.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, `CREATE DATABASE ${name} OWNER salesops`);
  return dbUrl(server, name);
}

export function dropDb(server, name) {
  psql(server.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** a psql string literal */
const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** `\copy TABLE FROM 'FILE' …` as one psql meta-command */
export const copyFrom = (table, file, how) => `\\copy ${table} FROM ${lit(file)} ${how}`;

/**
 * The survey rows of `csv` as rows of salesops's customers table (tab-separated, COPY's text
 * form): staged into a temporary table of `url` (whose staff table `staff import` filled), the
 * collector's name turned into its staff id and the gender into M/F as survey import does,
 * then written by `\copy (SELECT …) TO`. Not timed: the input of the psql run into customers.
 */
export function customersTsv(url, csv, columns, out) {
  const stage = `CREATE TEMP TABLE stage (${columns.map(([c]) => `${c} text`).join(', ')})`;
  const select = `SELECT s.survey_no, s.name, s.phone, CASE s.gender WHEN '男' THEN 'M' WHEN '女' THEN 'F' END, s.birth_year::bigint,
      s.address, s.district_code, s.health, st.staff_id, s.collected_on
    FROM stage s JOIN staff st ON st.name = s.collector`;
  // a temporary table lives for one session: the stage, its fill and the output in one psql
  const script = path.join(path.dirname(out), 'customers-tsv.sql');
  fs.writeFileSync(script, `\\set ON_ERROR_STOP 1\n${stage};\n${copyFrom('stage', csv, 'CSV HEADER')}\n\\copy (${select.replace(/\s+/g, ' ')}) TO ${lit(out)}\n`);
  const r = spawnSync('psql', [url, '-X', '-q', '-f', script], { encoding: 'utf8' });
  fs.rmSync(script, { force: true });
  if (r.status !== 0) throw new Error(`psql (customers TSV): ${r.stderr}`);
  return out;
}

/** the columns of customers that customersTsv writes, in its order */
export const CUSTOMER_COLUMNS = 'customers (survey_no, name, phone, gender, birth_year, address, district, health, collector_id, collected_on)';

/**
 * auto_explain on database `name` for the sessions opened after it (superuser: the server's
 * log gets EXPLAIN ANALYZE of each statement over minMs), or off again (minMs null).
 */
export function autoExplain(server, name, minMs) {
  if (minMs === null) {
    psql(server.adminUrl, `ALTER DATABASE ${name} RESET ALL`);
    return;
  }
  psql(
    server.adminUrl,
    `ALTER DATABASE ${name} SET session_preload_libraries = 'auto_explain'`,
    `ALTER DATABASE ${name} SET auto_explain.log_min_duration = ${minMs}`,
    `ALTER DATABASE ${name} SET auto_explain.log_analyze = on`,
    `ALTER DATABASE ${name} SET auto_explain.log_buffers = on`,
  );
}

/** the server's log (where auto_explain writes), from byte `from` */
export function serverLog(server, from = 0) {
  const file = path.join(server.dir, 'log/server.log');
  if (!fs.existsSync(file)) return { text: '', size: 0 };
  const buf = fs.readFileSync(file);
  return { text: buf.subarray(from).toString('utf8'), size: buf.length };
}

/**
 * `followups due [--staff S] [--limit N]` as PostgreSQL gets it: the SELECT of
 * store/followups.ts dueQuery for the postgres engine, with bare-sql.mjs's cutoff, LIMIT N + 1
 * and its parameters inlined, for psql to run beside the command.
 */
export async function pgDueSql(root, { asOf, staff, limit = 1000 }) {
  const load = (mod) => import(pathToFileURL(path.join(root, 'dist', mod)).href);
  const { dueQuery } = await load('store/followups.js');
  const { dueCutoff } = await load('domain/followUpPlan.js');
  const { DEFAULT_POLICY } = await load('domain/policy.js');
  const { inline } = await import(pathToFileURL(path.join(root, 'scripts/bench/bare-sql.mjs')).href);
  const cutoff = dueCutoff(asOf, DEFAULT_POLICY.followup.due_within_days);
  const q = dueQuery({ engine: 'postgres' }, { asOf, cutoff, staff, limit: limit ? limit + 1 : undefined });
  return { statements: [inline(q.sql, q.params)], cutoff };
}
