/**
 * issue 19: on the server, "the audit log append-only and customers never deleted, enforced by
 * the server (triggers, and privileges that a plain clerk role cannot bypass)". The office's
 * administrator owns the schema (`init`); a clerk logs in as a member of `salesops_clerk`, does
 * the day's work through salesops, and cannot rewrite the audit log or the change log, delete
 * a customer, empty a table or switch a guard off — not even with psql. The owner cannot
 * either, by the triggers (the same words as SQLite's).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, runBin, sandbox, type Sandbox } from './harness.js';
import { createTestDatabase, describePg, pgAdminUrl, pgRows, type TestDatabase } from './pgEngine.js';

const as = (url: string, text: string) => pgRows(url, text);

/** The SQLSTATE and message a statement fails with (it must fail). */
async function refused(url: string, text: string): Promise<{ code: string; message: string }> {
  try {
    await as(url, text);
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error(`not refused: ${text}`);
}

describePg('who may do what on the server', () => {
  let d: TestDatabase;
  let s: Sandbox;
  let clerkUrl: string;
  const clerk = `clerk_${crypto.randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    // the administrator's part (README): the group role once per server, a login per clerk
    await as(pgAdminUrl(), `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'salesops_clerk') THEN CREATE ROLE salesops_clerk NOLOGIN; END IF; END $$`);
    const pw = crypto.randomBytes(9).toString('hex');
    await as(pgAdminUrl(), `CREATE ROLE ${clerk} LOGIN PASSWORD '${pw}' IN ROLE salesops_clerk`);
    d = await createTestDatabase();
    s = sandbox();
    const owner = await runBin(['--db', d.url, '--lang', 'en', 'init'], { cwd: s.dir });
    expect(owner.code, owner.stderr).toBe(0);
    const u = new URL(d.url);
    u.username = clerk;
    u.password = pw;
    clerkUrl = u.href;
  });
  afterAll(async () => {
    s?.cleanup();
    await d?.drop();
    await as(pgAdminUrl(), `DROP ROLE IF EXISTS ${clerk}`);
  });

  it("a clerk does the day's work through salesops: roster, surveys, assign, a reveal audited, the due list", async () => {
    const run = (...args: string[]) => runBin(['--db', clerkUrl, '--lang', 'en', '--as-of', '2024-07-31', ...args], { cwd: s.dir });
    for (const args of [
      ['staff', 'import', path.join(ROOT, 'fixtures', 'staff.csv')],
      ['survey', 'import', path.join(ROOT, 'fixtures', 'surveys.csv')],
      ['assign'],
      ['followups', 'due'],
      ['export', 'customers', '--out', path.join(s.dir, 'c.csv'), '--reveal', '--approved-by', 'G1', '--reason', '核对'],
    ]) {
      const r = await run(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const audit = await run('audit', '--format', 'csv');
    expect(audit.stdout).toContain('核对');
  });

  it.each([
    ['rewrite the audit log', "UPDATE audit_log SET reason = 'x'"],
    ['delete from the audit log', 'DELETE FROM audit_log'],
    ['empty the audit log', 'TRUNCATE audit_log'],
    ['rewrite the change log', "UPDATE changes SET new_value = 'x'"],
    ['delete a customer', 'DELETE FROM customers'],
    ['empty customers through staff', 'TRUNCATE staff CASCADE'],
    ['switch a guard off', 'ALTER TABLE audit_log DISABLE TRIGGER USER'],
    ['drop a guard', 'DROP TRIGGER audit_log_no_update ON audit_log'],
    ['forge the schema version', 'UPDATE schema_version SET version = 6'],
  ])('a clerk cannot %s, not even with psql (permission denied)', async (_what, text) => {
    const r = await refused(clerkUrl, text);
    expect(r.code, r.message).toBe('42501');
  });

  it.each([
    ['rewrite the audit log', "UPDATE audit_log SET reason = 'x'", 'audit_log is append-only'],
    ['delete from the audit log', 'DELETE FROM audit_log', 'audit_log is append-only'],
    ['empty the audit log', 'TRUNCATE audit_log', 'audit_log is append-only'],
    ['delete a customer', 'DELETE FROM customers', 'customers are never deleted: archive them with a reason'],
  ])('the owner cannot %s either: the trigger refuses, in SQLite’s words', async (_what, text, words) => {
    // rows to refuse (a statement that touches none is no change, on SQLite too): the clerk's day above
    const [{ n }] = await pgRows<{ n: string }>(d.url, 'SELECT (SELECT count(*) FROM audit_log) * (SELECT count(*) FROM customers) AS n');
    expect(Number(n)).toBeGreaterThan(0);
    const r = await refused(d.url, text);
    expect(r.message).toContain(words);
  });

  it('a login outside the group is told it has no rights there (not "no salesops data yet"); exit 1', async () => {
    const pw = crypto.randomBytes(9).toString('hex');
    const stranger = `stranger_${crypto.randomBytes(4).toString('hex')}`;
    await as(pgAdminUrl(), `CREATE ROLE ${stranger} LOGIN PASSWORD '${pw}'`);
    try {
      const u = new URL(d.url);
      u.username = stranger;
      u.password = pw;
      for (const lang of ['en', 'zh']) {
        const r = await runBin(['--db', u.href, '--lang', lang, 'staff', 'list'], { cwd: s.dir });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(lang === 'en' ? `lets ${stranger} use no schema of that database` : `不允许 ${stranger} 使用该数据库的结构`);
        expect(r.stderr).toContain(`GRANT salesops_clerk TO ${stranger}`);
        expect(r.stderr).not.toMatch(/no salesops data|bug|缺陷|\n\s+at /);
        expect(r.stderr).not.toContain(pw);
      }
    } finally {
      await as(pgAdminUrl(), `DROP ROLE IF EXISTS ${stranger}`);
    }
  });

  it("init and db copy onto an empty database are the owner's: a clerk is told so, exit 1, nothing made", async () => {
    const empty = await createTestDatabase();
    try {
      // whatever the server's version (14 lets PUBLIC create in public): the office's setup, README
      await as(pgAdminUrl().replace(/\/[^/?]*(\?|$)/, `/${new URL(empty.url).pathname.slice(1)}$1`), 'REVOKE CREATE ON SCHEMA public FROM PUBLIC');
      const u = new URL(empty.url);
      const c = new URL(clerkUrl);
      u.username = c.username;
      u.password = c.password;
      const init = await runBin(['--db', u.href, '--lang', 'en', 'init'], { cwd: s.dir });
      expect(init.code).toBe(1);
      expect(init.stderr).toContain(`${c.username} may not create or change salesops's tables in`);
      expect(init.stderr).toContain("init and db copy are the database owner's work");
      expect(init.stderr).not.toMatch(/report|upgrade|bug/);
      const file = path.join(s.dir, 'office.db');
      const down = await runBin(['--lang', 'en', 'db', 'copy', '--from', clerkUrl, '--to', file], { cwd: s.dir });
      expect(down.code, down.stderr).toBe(0);
      const copy = await runBin(['--lang', 'zh', 'db', 'copy', '--from', file, '--to', u.href], { cwd: s.dir });
      expect(copy.code).toBe(1);
      expect(copy.stderr).toContain(`${c.username} 无权在`);
      expect(copy.stderr).toContain('init 和 db copy 须由数据库所有者执行');
      expect(await pgRows(empty.url, "SELECT 1 FROM pg_tables WHERE schemaname = 'public'")).toEqual([]);
    } finally {
      await empty.drop();
    }
  });

  it("rights taken from the clerks' group: a clerk's command says the server refused (no 'bug'), exit 1; the owner's init again gives them back", async () => {
    const run = (url: string, ...args: string[]) => runBin(['--db', url, '--lang', 'en', '--as-of', '2024-07-31', ...args], { cwd: s.dir });
    // as when the group was created after init (README): no grants on the tables
    await as(d.url, 'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM salesops_clerk');
    const denied = await run(clerkUrl, 'staff', 'list');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('error: the PostgreSQL server refused: permission denied for table');
    expect(denied.stderr).toContain('Ask the office administrator');
    expect(denied.stderr).not.toMatch(/bug|\n\s+at /);
    const again = await run(d.url, 'init');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("the clerks' group salesops_clerk has its rights");
    const ok = await run(clerkUrl, 'staff', 'list');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('G1');
  });
});
