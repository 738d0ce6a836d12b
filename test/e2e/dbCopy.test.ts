/**
 * issue 19: `salesops db copy --from salesops.db --to postgres://…` moves an office's file to
 * the server and back, every row of every table (audit and change logs included, ids kept),
 * and refuses a target that holds data. Compared table by table, cell by cell (a digest of
 * each table read in key order from both sides).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runBin, sandbox, withFixtures, type Sandbox } from './harness.js';
import { createTestDatabase, describePg, pgRows, type TestDatabase } from './pgEngine.js';

const store = (await import(new URL('../../dist/store/copy.js', import.meta.url).href)) as typeof import('../../src/store/copy.js');
const { openDb } = (await import(new URL('../../dist/store/db.js', import.meta.url).href)) as typeof import('../../src/store/db.js');

const made: (Sandbox | TestDatabase)[] = [];
afterEach(async () => {
  for (const m of made.splice(0)) 'cleanup' in m ? m.cleanup() : await m.drop();
});

/** Every table's rows and digest, as the copy sees them. */
function contents(address: string): Record<string, { rows: number; digest: string }> {
  const db = openDb(address);
  try {
    const out: Record<string, { rows: number; digest: string }> = {};
    for (const table of store.COPIED_TABLES) out[table] = store.tableDigest(db, table, store.columnsOf(db, table));
    return out;
  } finally {
    db.close();
  }
}

const withoutAudit = (c: Record<string, { rows: number; digest: string }>) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'audit_log'));

describePg('db copy between a file and the server', () => {
  it('file → server → file: every table the same, the audit log says each copy, nothing lost', async () => {
    // the fixtures, assigned, a reveal audited and a change logged: every table has rows
    const s = made[made.push(await withFixtures()) - 1] as Sandbox;
    for (const args of [['assign'], ['staff', 'import', s.file('more.csv', 'staff_id,name,role,team,district,hired_on\nR9,新人,rep,T2,330702,2024-07-01\n')]]) {
      const r = await s.run(args);
      expect(r.code, r.stderr).toBe(0);
    }
    const server = await createTestDatabase();
    made.push(server);
    const before = contents(s.db);
    expect(Object.values(before).filter((t) => t.rows > 0).length).toBeGreaterThan(10);

    const up = await runBin(['--lang', 'en', 'db', 'copy', '--from', s.db, '--to', server.url], { cwd: s.dir });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('customers: 40 row(s)');
    expect(up.stderr + up.stdout).not.toContain(new URL(server.url).password);
    const onServer = contents(server.url);
    expect(withoutAudit(onServer)).toEqual(withoutAudit(before));
    expect(onServer.audit_log.rows).toBe(before.audit_log.rows + 1);
    // the planner's statistics taken by the copy: autovacuum would analyze 40 customers never
    // (its threshold is 50 rows changed), and a 5,000,000-task office not for a minute
    const analyzed = await pgRows<{ tablename: string }>(server.url, "SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema() AND tablename IN ('customers', 'tasks', 'audit_log')");
    expect(analyzed.map((x) => x.tablename).sort()).toEqual(['audit_log', 'customers', 'tasks']);

    // and back into a new file
    const back = path.join(s.dir, 'back.db');
    const down = await runBin(['--lang', 'en', 'db', 'copy', '--from', server.url, '--to', back], { cwd: s.dir });
    expect(down.code, down.stderr).toBe(0);
    expect((fs.statSync(back).mode & 0o777).toString(8)).toBe('600');
    const inFile = contents(back);
    expect(withoutAudit(inFile)).toEqual(withoutAudit(before));
    expect(inFile.audit_log.rows).toBe(before.audit_log.rows + 2);

    // the copy works on: new ids go on after the copied ones
    const r = await runBin(['--db', server.url, '--lang', 'en', '--as-of', '2024-08-01', 'survey', 'import', path.join(ROOT, 'fixtures', 'surveys.csv')], { cwd: s.dir });
    expect(r.code, r.stderr).toBe(0);
  });

  it('refuses a target with data, the same database, and an existing file: exit 1, nothing written', async () => {
    const s = made[made.push(await withFixtures()) - 1] as Sandbox;
    const server = await createTestDatabase();
    made.push(server);
    expect((await runBin(['db', 'copy', '--from', s.db, '--to', server.url], { cwd: s.dir })).code).toBe(0);
    const onServer = contents(server.url);

    const again = await runBin(['--lang', 'en', 'db', 'copy', '--from', s.db, '--to', server.url], { cwd: s.dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds data (table staff); nothing was copied');
    expect(contents(server.url)).toEqual(onServer);

    const same = await runBin(['--lang', 'en', 'db', 'copy', '--from', s.db, '--to', s.db], { cwd: s.dir });
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('are the same database');

    const other = sandbox();
    made.push(other);
    fs.writeFileSync(path.join(other.dir, 'taken.db'), 'x');
    const taken = await runBin(['--lang', 'zh', 'db', 'copy', '--from', server.url, '--to', path.join(other.dir, 'taken.db')], { cwd: other.dir });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('已存在；未复制任何内容');
    expect(fs.readFileSync(path.join(other.dir, 'taken.db'), 'utf8')).toBe('x');
    expect(fs.readdirSync(other.dir)).toEqual(['taken.db']);

    const missing = await runBin(['--lang', 'en', 'db', 'copy', '--from', s.db], { cwd: s.dir });
    expect(missing.code).toBe(2);
  });
});

describe('db copy into a file: written as every file salesops writes', () => {
  it('never through a symbolic link (dangling or not), never into a folder that is not there: exit 1, the link and the folders as they were', async () => {
    const s = made[made.push(await withFixtures()) - 1] as Sandbox;
    const dir = fs.mkdtempSync(path.join(s.dir, 'out-'));
    const empty = path.join(dir, 'empty.db');
    fs.writeFileSync(empty, '');
    const links = { dangling: path.join(dir, 'dangling.db'), live: path.join(dir, 'live.db') };
    fs.symlinkSync(path.join(dir, 'nowhere', 'x.db'), links.dangling);
    fs.symlinkSync(empty, links.live);
    for (const [lang, to, words] of [
      ['en', links.dangling, 'is a symbolic link; salesops does not write through links'],
      ['zh', links.live, '符号链接'],
      ['en', path.join(dir, 'nodir', 'x.db'), `the folder ${path.join(dir, 'nodir')} does not exist`],
    ]) {
      const r = await runBin(['--lang', lang, 'db', 'copy', '--from', s.db, '--to', to], { cwd: s.dir });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(words);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(fs.readlinkSync(links.dangling)).toBe(path.join(dir, 'nowhere', 'x.db'));
    expect(fs.readlinkSync(links.live)).toBe(empty);
    expect(fs.readFileSync(empty, 'utf8')).toBe('');
    expect(fs.readdirSync(dir).sort()).toEqual(['dangling.db', 'empty.db', 'live.db']);
    // and the empty file itself is a target (init's `touch`)
    const ok = await runBin(['--lang', 'en', 'db', 'copy', '--from', s.db, '--to', empty], { cwd: s.dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(fs.statSync(empty).mode & 0o777).toBe(0o600);
  });
});
