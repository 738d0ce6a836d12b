/**
 * issue 19: `backup`, `restore` and `check` of a database on a PostgreSQL server, and the
 * guards of "Your data is safe" there. A backup is a pg_dump archive (custom format), made
 * by the server's own pg_dump as a child of salesops (the password in its environment, never
 * on its command line), owner-only, recorded in the audit log; it goes back with pg_restore
 * into an empty database. `restore` replaces SQLite files only and says which tool to use
 * instead. `check` runs the rules' invariants and the guards' checks as on SQLite, and says
 * that the storage itself is the server's to check.
 *
 * Run with SALESOPS_TEST_ENGINE=postgres (the sandboxes are then databases on the test
 * server); in a SQLite run they are reported skipped, with that reason in their names.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sandboxesPerTest, TEST_ENGINE, withFixtures, withRoster, type Sandbox } from './harness.js';
import { createTestDatabase, type TestDatabase } from './pgEngine.js';

const PG = TEST_ENGINE === 'postgres';
function describeOnPg(name: string, body: () => void): void {
  if (PG) describe(name, body);
  else describe.skip(`${name} [run with SALESOPS_TEST_ENGINE=postgres: this run's databases are SQLite files]`, body);
}

const sandboxes = sandboxesPerTest();
const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const d of databases.splice(0)) await d.drop();
});

/** What `check` says on a server, whatever it finds. */
const PG_NOTE = {
  en: "storage integrity: the server's (PostgreSQL checks its own pages and always enforces foreign keys; the administrator can run amcheck); the rules' invariants and the protective triggers were checked\n",
  zh: '存储完整性：由服务器负责（PostgreSQL 自行校验数据页并始终检查外键；管理员可运行 amcheck）；已检查业务规则与保护触发器\n',
};

/** A program run to its end (never a blocking spawnSync in the test's worker). */
function runTool(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The address without its password, and the password: a tool gets it through PGPASSWORD. */
function split(url: string): { address: string; password: string } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { address: u.href, password };
}

/** Every table of the salesops schema of `url`, every row, in key order (the first column is each table's key). */
async function tables(url: string): Promise<Map<string, unknown[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out = new Map<string, unknown[]>();
    const names = (await c.query('SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename')).rows.map((r: { tablename: string }) => r.tablename);
    for (const name of names) out.set(name, (await c.query(`SELECT * FROM ${pg.escapeIdentifier(name)} ORDER BY 1`)).rows);
    return out;
  } finally {
    await c.end();
  }
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A pg_dump of our own making in `dir` (first on PATH): its version, and what it does when asked to dump. */
function fakePgDump(dir: string, version: string, dump = 'exit 0'): string {
  const bin = path.join(dir, 'fakebin');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'pg_dump'), `#!/bin/sh\nif [ "$1" = --version ]; then echo 'pg_dump (PostgreSQL) ${version}'; exit 0; fi\n${dump}\n`, { mode: 0o755 });
  return `${bin}:${process.env.PATH ?? ''}`;
}

describeOnPg('backup of a database on a server: a pg_dump archive', () => {
  it('owner-only, recorded with its SHA-256, says how to restore; pg_restore into an empty database gives every table back, and check passes there', async () => {
    const s = sandboxes.keep(await withFixtures());
    const file = path.join(s.dir, 'nightly.dump');
    const r = await s.run(['backup', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const digest = sha256(file);
    expect(r.stderr).toContain(`backed up to ${file} (${fs.statSync(file).size} bytes, sha256 ${digest}); recorded in the audit log`);
    expect(r.stderr).toContain(`the backup is a pg_dump archive (custom format) of the server's database, not a SQLite file; restore it into a new, empty database with: pg_restore --exit-on-error --single-transaction --no-owner -d postgres://USER@HOST:PORT/NEWDB ${file}`);
    // the password of the address is never said
    expect(r.stderr).not.toContain(split(s.db).password);
    const entry = s.query<{ action: string; subject: string; detail: string }>('SELECT action, subject, detail FROM audit_log ORDER BY audit_id DESC LIMIT 1');
    expect(entry).toEqual([{ action: 'backup', subject: file, detail: `bytes=${fs.statSync(file).size} sha256=${digest} format=pg_dump` }]);
    expect(fs.readdirSync(s.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // the README's restore: an empty database (the administrator makes it), then pg_restore
    const d = await createTestDatabase();
    databases.push(d);
    const target = split(d.url);
    const restored = await runTool('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', '-d', target.address, file], { ...process.env, PGPASSWORD: target.password });
    expect(restored.code, restored.stderr).toBe(0);

    const before = await tables(s.db);
    const after = await tables(d.url);
    expect([...after.keys()]).toEqual([...before.keys()]);
    expect(after.get('customers')!.length).toBeGreaterThan(0);
    expect(after.get('tasks')!.length).toBeGreaterThan(0);
    for (const [name, rows] of before) {
      // the backup's own entry is written once the archive is complete: it is not in it
      const expected = name === 'audit_log' ? rows.slice(0, -1) : rows;
      expect(after.get(name), name).toEqual(expected);
    }

    // the restored database is a salesops database: its guards and invariants hold, and its
    // ids go on where they stopped (the identity sequences came with it)
    const again = await s.run(['--db', d.url, 'check']);
    expect([again.code, again.stdout, again.stderr]).toEqual([0, '', PG_NOTE.en]);
    const second = await s.run(['--db', d.url, 'backup', path.join(s.dir, 'restored.dump')]);
    expect(second.code, second.stderr).toBe(0);
    const ids = (await tables(d.url)).get('audit_log') as { audit_id: number }[];
    expect(ids.at(-1)!.audit_id).toBe((before.get('audit_log') as { audit_id: number }[]).at(-1)!.audit_id);
  });

  it('a folder given: the name suggested inside it is an archive (.dump), not a SQLite file', async () => {
    const s = sandboxes.keep(await withRoster());
    const r = await s.run(['backup', s.dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is a folder, not a file\nwhat to do: give a file name inside it, e.g. ${path.join(s.dir, 'salesops-backup.dump')}`);
  });

  it('replaces an earlier archive; another file only with --force', async () => {
    const s = await sandboxes.roster();
    const file = path.join(s.dir, 'latest.dump');
    expect((await s.run(['backup', file])).code).toBe(0);
    const first = sha256(file);
    const r = await s.run(['backup', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(sha256(file)).not.toBe(first);
    const sheet = s.file('report.csv', 'keep me\n');
    const refused = await s.run(['backup', sheet]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${sheet} exists and is not a pg_dump archive (an earlier backup of a server's database would be): backup does not overwrite it`);
    expect(fs.readFileSync(sheet, 'utf8')).toBe('keep me\n');
    const zh = await s.run(['backup', sheet], { lang: 'zh' });
    expect(zh.stderr).toContain('已存在且不是 pg_dump 归档');
    const forced = await s.run(['backup', sheet, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(sheet).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    expect(s.query<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'backup'")).toEqual([{ n: 3 }]);
  });

  it('pg_dump missing, or older than the server: exit 1 saying what to install; nothing written, nothing recorded', async () => {
    const s = await sandboxes.roster();
    const major = Math.floor(Number(s.query<{ v: string }>('SHOW server_version_num').map((r) => Object.values(r)[0])[0]) / 10000);
    const file = path.join(s.dir, 'b.dump');
    const missing = await s.run(['backup', file], { env: { PATH: path.join(s.dir, 'no-such-dir') } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("pg_dump, PostgreSQL's own backup program, was not found on PATH");
    expect(missing.stderr).toContain(`install the PostgreSQL ${major} client programs (Debian/Ubuntu: sudo apt-get install postgresql-client-${major}`);
    const zh = await s.run(['backup', file], { env: { PATH: path.join(s.dir, 'no-such-dir') }, lang: 'zh' });
    expect(zh.stderr).toContain(`请安装 PostgreSQL ${major} 客户端程序`);
    const old = await s.run(['backup', file], { env: { PATH: fakePgDump(s.dir, '9.6.24') } });
    expect(old.code).toBe(1);
    expect(old.stderr).toContain(`pg_dump on PATH is version 9.6.24, older than the server (PostgreSQL ${major}): it cannot back up a newer server; nothing was written`);
    expect(old.stderr).toContain(`postgresql-client-${major}`);
    expect(old.stderr).not.toMatch(/\n\s+at .*:\d+/);
    expect(fs.readdirSync(s.dir).filter((f) => f.includes('b.dump'))).toEqual([]);
    expect(s.query("SELECT * FROM audit_log WHERE action LIKE 'backup%'")).toEqual([]);
  });

  it('the password reaches pg_dump through its environment, never its command line; a failure of pg_dump is said in its words', async () => {
    const s = await sandboxes.roster();
    const args = path.join(s.dir, 'args.txt');
    const env = path.join(s.dir, 'env.txt');
    const PATH = fakePgDump(s.dir, '99.1', `printf '%s\\n' "$@" > '${args}'; printf '%s' "$PGPASSWORD" > '${env}'; echo 'pg_dump: error: query failed: simulated' >&2; exit 1`);
    const r = await s.run(['backup', path.join(s.dir, 'b.dump')], { env: { PATH } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pg_dump could not back up postgres://');
    expect(r.stderr).toContain(': query failed: simulated; nothing was written');
    const { password } = split(s.db);
    expect(password.length).toBeGreaterThan(0);
    expect(r.stderr).not.toContain(password);
    expect(fs.readFileSync(args, 'utf8')).not.toContain(password);
    expect(fs.readFileSync(args, 'utf8')).toMatch(/^--format=custom$/m);
    expect(fs.readFileSync(env, 'utf8')).toBe(password);
    expect(fs.readdirSync(s.dir).filter((f) => f.includes('b.dump'))).toEqual([]);
    expect(s.query("SELECT * FROM audit_log WHERE action LIKE 'backup%'")).toEqual([]);
  });
});

describeOnPg('restore and a server', () => {
  it('restore onto a server is refused, naming pg_restore and db copy; a pg_dump archive onto a SQLite file likewise', async () => {
    const s = await sandboxes.roster();
    const dump = path.join(s.dir, 'b.dump');
    expect((await s.run(['backup', dump])).code).toBe(0);
    const audits = s.query('SELECT * FROM audit_log');
    for (const lang of ['en', 'zh'] as const) {
      const r = await s.run(['restore', dump], { lang });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('pg_restore --exit-on-error --single-transaction --no-owner -d postgres://');
      expect(r.stderr).toContain('salesops db copy --from FILE --to postgres://');
      expect(r.stderr).toContain(lang === 'en' ? 'restore replaces a SQLite database file;' : 'restore 只替换 SQLite 数据库文件');
      expect(r.stderr).not.toContain(split(s.db).password);
    }
    expect(s.query('SELECT * FROM audit_log')).toEqual(audits);
    const file = path.join(s.dir, 'office.db');
    const onFile = await s.run(['--db', file, 'restore', dump]);
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toContain(`${dump} is a pg_dump archive (a backup of a database on a PostgreSQL server), not a SQLite database; nothing was changed`);
    expect(onFile.stderr).toContain(`pg_restore --exit-on-error --single-transaction --no-owner -d postgres://USER@HOST:PORT/NEWDB ${dump}`);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describeOnPg('check on a server', () => {
  it('says the storage is the server’s to check (zh and en; not with --quiet), and finds a broken rule as on SQLite', async () => {
    const s: Sandbox = await sandboxes.roster();
    const r = await s.run(['survey', 'import', s.file('s.csv', 'survey_no,name,phone,collector,collected_on\nA1,甲,13500001111,R1,2024-05-01\n')]);
    expect(r.code, r.stderr).toBe(0);
    for (const lang of ['en', 'zh'] as const) {
      const ok = await s.run(['check'], { lang });
      expect([ok.code, ok.stdout, ok.stderr]).toEqual([0, '', PG_NOTE[lang]]);
    }
    // §3.4: a leaver still owning a customer (written by hand, as only a fault would)
    s.exec("UPDATE customers SET owner_id = 'R1' WHERE survey_no = 'A1'");
    s.exec("UPDATE staff SET left_on = '2024-07-01' WHERE staff_id = 'R1'");
    const bad = await s.run(['check', '--format', 'csv']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^\ufeff?check,count,sample\r\nleaver_owns_customer,1,customer \d+ owned by R1 \(left 2024-07-01\)\r\n$/);
    expect(bad.stderr).toBe(`${PG_NOTE.en}1 kinds of problem found:\n`);
    const quiet = await s.run(['check', '--quiet', '--format', 'csv']);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).not.toContain('storage integrity');
  });
});

describeOnPg('the guards of "Your data is safe" on a server hold for the database’s owner too', () => {
  it('UPDATE, DELETE and TRUNCATE of the audit log, DELETE and TRUNCATE of customers: refused by the triggers; nothing changed', async () => {
    const s = await sandboxes.roster();
    expect((await s.run(['survey', 'import', s.file('s.csv', 'name,phone,collector,collected_on\n甲,13500001111,R1,2024-05-01\n')])).code).toBe(0);
    expect((await s.run(['backup', path.join(s.dir, 'b.dump')])).code).toBe(0);
    const audit = s.query('SELECT * FROM audit_log ORDER BY audit_id');
    const customers = s.query('SELECT * FROM customers ORDER BY customer_id');
    expect(audit.length).toBeGreaterThan(0);
    expect(customers.length).toBeGreaterThan(0);
    // the sandbox's connection is the role that ran init: the schema's owner
    expect(s.query<{ owner: number }>("SELECT pg_get_userbyid(relowner) = current_user AS owner FROM pg_class WHERE relname = 'audit_log'")).toEqual([{ owner: 1 }]);
    for (const sql of ["UPDATE audit_log SET reason = 'x'", 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
      expect(() => s.exec(sql), sql).toThrow('audit_log is append-only');
    }
    for (const sql of ['DELETE FROM customers', 'TRUNCATE customers CASCADE']) {
      expect(() => s.exec(sql), sql).toThrow('customers are never deleted: archive them with a reason');
    }
    expect(s.query('SELECT * FROM audit_log ORDER BY audit_id')).toEqual(audit);
    expect(s.query('SELECT * FROM customers ORDER BY customer_id')).toEqual(customers);
  });
});
