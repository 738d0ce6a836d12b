/**
 * issue 19: "The password never appears in output, errors or the audit log." A command line
 * is kept twice: whole in the audit log (an export, a reveal) and as the command of each
 * change. The address with its password may stand anywhere in it: `--db URL` before the
 * command, `--db=URL` after it, `db copy --to URL`. Found by a hostile pass: every export and
 * reveal entry held the clerk's password, for good (the log is append-only).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ROOT, runBin, sandbox, type Sandbox } from './harness.js';
import { createTestDatabase, describePg, pgRows, type TestDatabase } from './pgEngine.js';

const made: (Sandbox | TestDatabase)[] = [];
afterEach(async () => {
  for (const m of made.splice(0)) 'cleanup' in m ? m.cleanup() : await m.drop();
});

describePg("a server's password in the logs", () => {
  it('never kept in the audit log or the change log, wherever --db stands; the address kept with ***', async () => {
    const s = made[made.push(sandbox('2024-07-31', { engine: 'postgres' })) - 1] as Sandbox;
    const password = new URL(s.db).password;
    expect(password.length).toBeGreaterThan(4);
    for (const args of [['init'], ['staff', 'import', 'staff.csv'], ['survey', 'import', 'surveys.csv']]) {
      const r = await s.run(args.map((a) => (a.endsWith('.csv') ? path.join(ROOT, 'fixtures', a) : a)));
      expect(r.code, r.stderr).toBe(0);
    }
    const bin = (args: string[]) => runBin(['--lang', 'en', '--as-of', '2024-07-31', ...args], { cwd: s.dir });
    // an export: --db before the command
    const ex = await bin(['--db', s.db, 'export', 'customers', '--out', path.join(s.dir, 'c.csv')]);
    expect(ex.code, ex.stderr).toBe(0);
    // a reveal: --db= after it
    const show = await bin(['customers', 'show', '#1', '--reveal', '--approved-by', 'G1', '--reason', 'a call back', `--db=${s.db}`]);
    expect(show.code, show.stderr).toBe(0);
    // a change: a roster corrected, --db after the command
    const roster = fs.readFileSync(path.join(ROOT, 'fixtures', 'staff.csv'), 'utf8').replace('M1,陈丽华,销售经理,一部', 'M1,陈丽华,销售经理,二部');
    const fixed = s.file('staff-fixed.csv', roster.replace(/^\uFEFF/, ''));
    const upd = await bin(['staff', 'import', fixed, '--db', s.db]);
    expect(upd.code, upd.stderr).toBe(0);
    // a copy onto another server database: its --to
    const other = await createTestDatabase();
    made.push(other);
    const file = path.join(s.dir, 'copy.db');
    expect((await bin(['db', 'copy', '--from', s.db, '--to', file])).code).toBe(0);
    const up = await bin(['db', 'copy', '--from', file, '--to', other.url]);
    expect(up.code, up.stderr).toBe(0);

    const audit = await pgRows<{ action: string; subject: string; detail: string | null }>(s.db, 'SELECT action, subject, detail FROM audit_log ORDER BY audit_id');
    const changes = await pgRows<{ command: string }>(s.db, 'SELECT DISTINCT command FROM changes');
    const copied = await pgRows<{ subject: string; detail: string | null }>(other.url, "SELECT subject, detail FROM audit_log WHERE action = 'db_copy'");
    const kept = JSON.stringify({ audit, changes, copied });
    expect(kept).not.toContain(password);
    // the entries are there, the address in them with its password as ***
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['export', 'reveal']));
    expect(audit.find((a) => a.action === 'export')?.detail).toMatch(/--db postgres:\/\/[^:]+:\*\*\*@.* export customers --out /);
    expect(audit.find((a) => a.action === 'reveal')?.detail).toMatch(/ --db=postgres:\/\/[^:]+:\*\*\*@/);
    // the change log says what was done, not where: no --db at all
    expect(changes.map((c) => c.command)).toContain(`--as-of 2024-07-31 staff import ${fixed}`);
    expect(copied.at(-1)?.detail).toMatch(/→ postgres:\/\/[^:]+:\*\*\*@/);
    // and what the change log prints
    const log = await bin(['--db', s.db, 'audit', '--changes', '--format', 'jsonl']);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toContain('staff-fixed.csv');
    expect(log.stdout).not.toContain(password);
  });
});
