/**
 * issue 19, "Bad input and faults" on a server: a wrong password, a database that belongs to
 * another program, a newer salesops's schema, and the connection dropped in the middle of an
 * import (the backend ended with pg_terminate_backend while the import stands stopped at a
 * point it reported): a clear error, exit 1, nothing half-written, the password never shown,
 * and a re-run completes. (An unreachable server: serverAddress.test.ts.)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { BIN, runBin, sandbox, stopped, withRoster, type Sandbox } from './harness.js';
import { createTestDatabase, describePg, pgAdminUrl, pgRows, type TestDatabase } from './pgEngine.js';

const made: (Sandbox | TestDatabase)[] = [];
afterEach(async () => {
  for (const m of made.splice(0)) 'cleanup' in m ? m.cleanup() : await m.drop();
});

const sql = pgRows;

async function initialised(): Promise<TestDatabase> {
  const d = await createTestDatabase();
  made.push(d);
  const s = sandbox();
  made.push(s);
  const r = await runBin(['--db', d.url, '--lang', 'en', 'init'], { cwd: s.dir });
  expect(r.code, r.stderr).toBe(0);
  return d;
}

async function initialisedEmpty(): Promise<TestDatabase> {
  const d = await createTestDatabase();
  made.push(d);
  return d;
}

/**
 * Runs the binary with SALESOPS_TEST_PAUSE=`pause`; once it has stopped itself there, its
 * backends on `url`'s database are ended by the administrator and it is let go on.
 */
function killedAt(args: string[], pause: string, url: string, cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--lang', 'en', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', SALESOPS_DB: '', SALESOPS_TEST_PAUSE: pause } });
    let stderr = '';
    let done = false;
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!done && stderr.includes(`salesops: paused at ${pause.split(':')[0]}\n`)) {
        done = true;
        void stopped(child.pid!).then(async () => {
          const ended = await sql<{ ok: boolean }>(pgAdminUrl(), "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND application_name = 'salesops'", [new URL(url).pathname.slice(1)]);
          expect(ended.length).toBe(1);
          child.kill('SIGCONT');
        });
      }
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function surveys(rows: number): string {
  const lines = ['survey_no,name,phone,address,district,collector,collected_on'];
  for (let n = 0; n < rows; n++) lines.push(`K${n},客户${n},139${String(n).padStart(8, '0')},和平路${n % 500}号,330726,${n % 2 ? 'R1' : 'R2'},2024-0${1 + (n % 6)}-1${n % 9}`);
  return lines.join('\n') + '\n';
}

describePg('faults on a PostgreSQL server', () => {
  it('a wrong password: exit 1, said, the password never shown', async () => {
    const d = await initialised();
    const u = new URL(d.url);
    u.password = 'not-the-password-x9';
    const r = await runBin(['--db', u.href, '--lang', 'en', 'staff', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refused the user name or password; nothing was changed');
    expect(r.stderr).not.toContain('not-the-password-x9');
    expect(r.stderr).not.toContain(new URL(d.url).password);
    const zh = await runBin(['--db', u.href, '--lang', 'zh', 'staff', 'list']);
    expect(zh.stderr).toContain('拒绝了该用户名或密码');
  });

  it('no password at all, or only in a ~/.pgpass others may read (ignored, as psql ignores it): said so in the clerk\'s language, not "cannot reach"; at 0600 it is used', async () => {
    const d = await initialised();
    const u = new URL(d.url);
    const password = decodeURIComponent(u.password);
    u.password = '';
    const home = made[made.push(sandbox()) - 1] as Sandbox;
    const env = { HOME: home.dir };
    const none = await runBin(['--db', u.href, '--lang', 'en', 'staff', 'list'], { env });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('asks for a password and none was given; nothing was changed');
    expect(none.stderr).toContain('give it in PGPASSWORD, or in ~/.pgpass (mode 0600)');
    expect(none.stderr).not.toMatch(/cannot reach|SASL|\n\s+at /);
    const pgpass = path.join(home.dir, '.pgpass');
    fs.writeFileSync(pgpass, `${u.hostname}:${u.port}:*:${decodeURIComponent(u.username)}:${password}\n`, { mode: 0o644 });
    fs.chmodSync(pgpass, 0o644);
    const open = await runBin(['--db', u.href, '--lang', 'zh', 'staff', 'list'], { env });
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('要求密码，但没有提供');
    expect(open.stderr).toContain(`其他用户也能读取，因此未使用（psql 同样不用）：请运行 chmod 600 ${pgpass}`);
    expect(open.stderr).not.toMatch(/WARNING|has group or world access/);
    fs.chmodSync(pgpass, 0o600);
    const ok = await runBin(['--db', u.href, '--lang', 'en', 'staff', 'list'], { env });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it.each([
    ['a POSIX rule (TZ=XST-14, no zone name)', 'XST-14', 14 * 60],
    ['empty (Node: Etc/Unknown)', '', 0],
    ['a name ICU does not know (TZ=Factory)', 'Factory', 0],
  ])("the clerk's clock, whatever TZ says: %s; the audit log's time is the local one, as on a file", async (_what, tz, eastMinutes) => {
    const d = await initialised();
    // local wall-clock of that zone, to the second, as the audit log writes it
    const wall = (t: number) => new Date(Math.floor(t / 1000) * 1000 + eastMinutes * 60_000).toISOString().slice(0, 19);
    const before = wall(Date.now());
    // a listing of customers as data: audited (personal data leaving), with the time
    const r = await runBin(['--db', d.url, '--lang', 'en', '--format', 'csv', 'customers', 'list'], { env: { TZ: tz } });
    expect(r.code, r.stderr).toBe(0);
    const after = wall(Date.now() + 1000);
    const [{ at }] = await sql<{ at: string }>(d.url, "SELECT at FROM audit_log WHERE action = 'export' ORDER BY audit_id DESC LIMIT 1");
    expect(at >= before && at <= after, `${before} <= ${at} <= ${after}`).toBe(true);
  });

  it('sslmode=require against a server without TLS: said as such (not "cannot reach"), in both languages', async () => {
    const d = await initialised();
    for (const [lang, address, env, words] of [
      ['en', `${d.url}?sslmode=require`, {}, 'offers no encrypted connection (TLS), and the address asks for one (sslmode)'],
      ['zh', d.url, { PGSSLMODE: 'verify-full' }, '不提供加密连接（TLS），而地址要求加密'],
    ] as const) {
      const r = await runBin(['--db', address, '--lang', lang, 'staff', 'list'], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(words);
      expect(r.stderr).not.toMatch(/cannot reach|无法连接|does not support SSL/);
      expect(r.stderr).not.toContain(new URL(d.url).password);
    }
  });

  it("another program's database is never touched; a newer salesops's schema is refused untouched", async () => {
    const other = await createTestDatabase();
    made.push(other);
    await sql(other.url, 'CREATE TABLE invoices (id int PRIMARY KEY, total numeric)');
    const r = await runBin(['--db', other.url, '--lang', 'en', 'init']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is a PostgreSQL database of another program');
    expect((await sql<{ n: string }>(other.url, "SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'"))[0].n).toBe('1');

    const d = await initialised();
    await sql(d.url, 'UPDATE schema_version SET version = 99');
    const newer = await runBin(['--db', d.url, '--lang', 'en', 'staff', 'list']);
    expect(newer.code).toBe(1);
    expect(newer.stderr).toContain('schema 99');
    expect((await sql<{ version: number }>(d.url, 'SELECT version FROM schema_version'))[0].version).toBe(99);

    const empty = await createTestDatabase();
    made.push(empty);
    const notYet = await runBin(['--db', empty.url, '--lang', 'en', 'staff', 'list']);
    expect(notYet.code).toBe(1);
    expect(notYet.stderr).toContain('has no salesops data yet');
    expect(notYet.stderr).toContain('init');
  });

  it('the connection killed in the middle of an import: exit 1, not a row written, and a re-run completes', async () => {
    const s = await withRoster('2024-07-31', 'postgres');
    made.push(s);
    const file = s.file('surveys.csv', surveys(3000));
    // the import's backend, ended by the administrator while the import stands still
    const r = await killedAt(['--db', s.db, '--as-of', '2024-07-31', '--progress', 'survey', 'import', file], 'import.reading:1000', s.db, s.dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('the connection to the PostgreSQL server of');
    expect(r.stderr).toContain('was rolled back whole');
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+/);
    expect(r.stderr).not.toContain(new URL(s.db).password);
    expect(s.query<{ n: number }>('SELECT count(*) AS n FROM customers')[0].n).toBe(0);

    const again = await s.run(['survey', 'import', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(s.query<{ n: number }>('SELECT count(*) AS n FROM customers')[0].n).toBe(3000);
  });

  it('the connection killed while db copy streams a table: exit 1 (it used to wait for ever), nothing on the server, and a re-run completes', async () => {
    const file = await withRoster('2024-07-31', 'sqlite');
    made.push(file);
    const imp = await file.run(['survey', 'import', file.file('surveys.csv', surveys(20000))]);
    expect(imp.code, imp.stderr).toBe(0);
    const target = await initialisedEmpty();
    // stopped with the customers' rows in flight: 10 chunks of 64 KB sent, more to come
    const r = await killedAt(['db', 'copy', '--from', file.db, '--to', target.url], 'copy.customers:10', target.url, file.dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('the connection to the PostgreSQL server of');
    expect(r.stderr).toContain('was rolled back whole');
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+/);
    expect(r.stderr).not.toContain(new URL(target.url).password);
    // the schema made first may stay (a re-run copies into it); not a row
    for (const table of ['staff', 'customers', 'audit_log']) expect((await sql<{ n: number }>(target.url, `SELECT count(*)::int AS n FROM ${table}`))[0].n).toBe(0);

    const again = await runBin(['--lang', 'en', 'db', 'copy', '--from', file.db, '--to', target.url], { cwd: file.dir });
    expect(again.code, again.stderr).toBe(0);
    expect((await sql<{ n: number }>(target.url, 'SELECT count(*)::int AS n FROM customers'))[0].n).toBe(20000);
  });
});
