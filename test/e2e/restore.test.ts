/**
 * Backups on record and restores that check before they replace (SPEC §7 nothing lost,
 * §5 on record): `backup` refuses every path it must not write and records what it wrote,
 * before the copy takes its name; `restore` refuses anything but a sound salesops backup
 * without touching the database, keeps the replaced database beside it, copies the backup
 * into the database under its write lock (other commands wait; readers keep reading, then
 * see the restored database), and a restore killed at any phase leaves the old database
 * (or, once copied, the restored one) whole. Two restores at once take turns.
 */
import { describe, it, expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { LATEST_VERSION } from '../../src/store/migrations.js';
import { sandbox, sandboxesPerTest, stopped, BIN, type Sandbox } from './harness.js';

const SURVEYS = `survey_no,name,phone,address,district,collector,collected_on
A1,钱桂兰,13900001111,浙江省金华市浦江县和平路8号,330726,R1,2024-06-02
A2,孙德明,13900002222,浙江省金华市婺城区宾虹路2号,330702,R2,2024-06-03
`;
const MORE = `survey_no,name,phone,address,district,collector,collected_on
A3,周小梅,13900003333,浙江省金华市浦江县和平路9号,330726,R1,2024-07-02
`;
const LATE = `survey_no,name,phone,address,district,collector,collected_on
A4,吴海燕,13900004444,浙江省金华市婺城区宾虹路5号,330702,R2,2024-07-20
`;

const require = createRequire(import.meta.url);
const sandboxes = sandboxesPerTest();
const roster = (): Promise<Sandbox> => sandboxes.roster();

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Everything a user could see: customers, staff and the audit log. */
function contents(db: string): string {
  const d = new Database(db, { readonly: true });
  try {
    return JSON.stringify({
      staff: d.prepare('SELECT * FROM staff ORDER BY staff_id').all(),
      customers: d.prepare('SELECT * FROM customers ORDER BY customer_id').all(),
      audit: d.prepare('SELECT * FROM audit_log ORDER BY audit_id').all(),
    });
  } finally {
    d.close();
  }
}

function integrity(db: string): string {
  const d = new Database(db, { readonly: true });
  try {
    return d.pragma('integrity_check', { simple: true }) as string;
  } finally {
    d.close();
  }
}

/** Hidden temporary files and kept databases in the folder. */
const temps = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith('.'));
const keptFiles = (s: Sandbox) => fs.readdirSync(s.dir).filter((f) => f.startsWith(`${path.basename(s.db)}.replaced-`));

/** The database's bytes and whether it has companions: what "untouched" means. */
function fingerprint(s: Sandbox): string {
  return ['', '-wal', '-shm', '-journal'].map((x) => (fs.existsSync(s.db + x) ? `${x}:${sha256(s.db + x)}` : `${x}:-`)).join(' ');
}

/** A database with two customers, backed up to backup.db, then a third customer added. */
async function withBackup(): Promise<{ s: Sandbox; backup: string }> {
  const s = await roster();
  expect((await s.run(['survey', 'import', s.file('s.csv', SURVEYS)])).code).toBe(0);
  const backup = path.join(s.dir, 'backup.db');
  const r = await s.run(['backup', backup]);
  expect(r.code, r.stderr).toBe(0);
  expect((await s.run(['survey', 'import', s.file('more.csv', MORE)])).code).toBe(0);
  return { s, backup };
}

/** A command started in the background, its stderr watched: nothing is decided by a timer. */
interface Started {
  child: ChildProcess;
  /** resolves true once stderr holds `text`, false if the process ended without it */
  saw(text: string): Promise<boolean>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function start(s: Sandbox, args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [BIN, '--db', s.db, '--lang', 'en', ...args], {
    cwd: s.dir,
    env: { ...process.env, NO_COLOR: '1', SALESOPS_DB: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let ended = false;
  const waiting: { text: string; resolve: (seen: boolean) => void }[] = [];
  child.stdout!.resume();
  child.stdin!.on('error', () => {});
  child.stdin!.end();
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (let i = waiting.length - 1; i >= 0; i--) if (stderr.includes(waiting[i].text)) waiting.splice(i, 1)[0].resolve(true);
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      ended = true;
      for (const w of waiting.splice(0)) w.resolve(stderr.includes(w.text));
      resolve({ code, signal, stderr });
    });
  });
  return {
    child,
    done,
    saw: (text) => (stderr.includes(text) ? Promise.resolve(true) : ended ? Promise.resolve(false) : new Promise((resolve) => waiting.push({ text, resolve }))),
  };
}

/**
 * `salesops restore FILE` stopped at `phase` (SALESOPS_TEST_PAUSE), then killed with SIGKILL
 * there: the kill lands at a known point, never after a guessed delay.
 */
async function restoreKilledAt(s: Sandbox, file: string, phase: string, atPause?: () => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; paused: boolean }> {
  const r = start(s, ['restore', file], { SALESOPS_TEST_PAUSE: `restore.${phase}` });
  const paused = await r.saw(`salesops: paused at restore.${phase}\n`);
  if (paused) {
    try {
      atPause?.();
    } finally {
      r.child.kill('SIGKILL');
    }
  }
  return { ...(await r.done), paused };
}

/** The survey numbers of the customers in a database file. */
function surveys(db: string): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT survey_no FROM customers ORDER BY survey_no').pluck(true).all() as string[];
  } finally {
    d.close();
  }
}

describe('backup (audited)', () => {
  it('writes an owner-only copy and an audit entry with its path, size and SHA-256', async () => {
    const s = await roster();
    const target = path.join(s.dir, 'nightly.db');
    const r = await s.run(['backup', target]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('recorded in the audit log');
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(integrity(target)).toBe('ok');
    const rows = s.query<{ action: string; subject: string; detail: string }>("SELECT action, subject, detail FROM audit_log WHERE action = 'backup'");
    expect(rows).toEqual([{ action: 'backup', subject: target, detail: `bytes=${fs.statSync(target).size} sha256=${sha256(target)}` }]);
    expect(temps(s.dir)).toEqual([]);
    // a second backup to the same name replaces it, and is recorded too
    expect((await s.run(['backup', target])).code).toBe(0);
    expect(s.query("SELECT count(*) AS n FROM audit_log WHERE action = 'backup'")).toEqual([{ n: 2 }]);
  });

  it('refuses the database, its -wal, a folder, a missing folder and a symlink: exit 1, target untouched, no temporary file', async () => {
    const s = await roster();
    const other = s.file('other.db', 'not to be touched');
    fs.symlinkSync(other, path.join(s.dir, 'link.db'));
    const before = fingerprint(s);
    const cases: [string, RegExp][] = [
      [s.db, /cannot overwrite the database/],
      [`${s.db}-wal`, /cannot overwrite the database/],
      [path.join(s.dir, 'test.db-journal'), /cannot overwrite the database/],
      [s.dir, /is a folder, not a file\nwhat to do: give a file name inside it, e\.g\. \S*salesops-backup\.db\n/],
      [path.join(s.dir, 'no-such-folder', 'b.db'), /does not exist/],
      [path.join(s.dir, 'link.db'), /symbolic link/],
    ];
    for (const [target, message] of cases) {
      const r = await s.run(['backup', target]);
      expect(r.code, target).toBe(1);
      expect(r.stderr, target).toMatch(message);
      expect(temps(s.dir), target).toEqual([]);
    }
    expect(fs.existsSync(`${s.db}-wal`)).toBe(false);
    expect(fs.existsSync(path.join(s.dir, 'test.db-journal'))).toBe(false);
    expect(fs.existsSync(path.join(s.dir, 'no-such-folder'))).toBe(false);
    expect(fs.lstatSync(path.join(s.dir, 'link.db')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(other, 'utf8')).toBe('not to be touched');
    expect(fingerprint(s)).toBe(before);
    expect(s.query("SELECT count(*) AS n FROM audit_log WHERE action = 'backup'")).toEqual([{ n: 0 }]);
  });

  it.skipIf(process.platform !== 'linux')('recorded but unable to take its name: exit 1, said as such, no file, no temporary file, and the log says it was not written', async () => {
    const s = await roster();
    const target = path.join(s.dir, 'nightly.db');
    const b = start(s, ['backup', target], { SALESOPS_TEST_PAUSE: 'backup.recorded' });
    // stopped with its entry committed and the copy complete, not yet named
    expect(await b.saw('salesops: paused at backup.recorded\n')).toBe(true);
    await stopped(b.child.pid!);
    const entry = s.query<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'backup'");
    expect(entry).toHaveLength(1);
    // a folder takes the name meanwhile: the copy cannot be renamed there
    fs.mkdirSync(target);
    b.child.kill('SIGCONT');
    const r = await b.done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('could not be given its name');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.statSync(target).isDirectory()).toBe(true);
    expect(fs.readdirSync(target)).toEqual([]);
    expect(temps(s.dir)).toEqual([]);
    // on record: written, then not written — no entry stands for a file that is not there
    const rows = s.query<{ action: string; subject: string; detail: string }>("SELECT action, subject, detail FROM audit_log WHERE action LIKE 'backup%' ORDER BY audit_id");
    expect(rows.map((x) => x.action)).toEqual(['backup', 'backup_failed']);
    expect(rows[1].subject).toBe(target);
    expect(rows[1].detail).toContain(entry[0].detail.replace(/^bytes=\d+ /, ''));
    // and the next backup to that name, once it is free, is whole and on record
    fs.rmdirSync(target);
    expect((await s.run(['backup', target])).code).toBe(0);
    expect(integrity(target)).toBe('ok');
  });
});

describe('restore', () => {
  it('brings back the backup, keeps the replaced database beside it (undo restores it), and records both', async () => {
    const { s, backup } = await withBackup();
    const current = contents(s.db);
    const r = await s.run(['restore', backup]);
    expect(r.code, r.stderr).toBe(0);
    expect(s.query('SELECT survey_no FROM customers ORDER BY survey_no')).toEqual([{ survey_no: 'A1' }, { survey_no: 'A2' }]);
    expect(fs.statSync(s.db).mode & 0o777).toBe(0o600);
    // the replaced database, whole, beside it, owner-only
    const kept = keptFiles(s);
    expect(kept).toHaveLength(1);
    const keptPath = path.join(s.dir, kept[0]);
    expect(fs.statSync(keptPath).mode & 0o777).toBe(0o600);
    expect(integrity(keptPath)).toBe('ok');
    expect(new Database(keptPath, { readonly: true }).prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 3 });
    expect(r.stderr).toContain(`salesops restore ${keptPath}`);
    // on record in the restored database, after the entries written since the backup
    const audit = s.query<{ action: string; subject: string; detail: string }>('SELECT action, subject, detail FROM audit_log ORDER BY audit_id');
    expect(audit.map((a) => a.action)).toEqual(['backup', 'restore']);
    expect(audit[1].subject).toBe(backup);
    expect(audit[1].detail).toContain(`sha256=${sha256(backup)}`);
    expect(audit[1].detail).toContain(`kept=${kept[0]}`);
    // and in the replaced one: what replaced it
    const note = new Database(keptPath, { readonly: true }).prepare("SELECT detail FROM audit_log WHERE action = 'restore'").all() as { detail: string }[];
    expect(note).toHaveLength(1);
    expect(note[0].detail).toContain(`replaced_by=${backup}`);
    expect(temps(s.dir)).toEqual([]);
    expect((await s.run(['check'])).code).toBe(0);

    // undo: the kept database back (its customers and staff as they were)
    const undo = await s.run(['restore', keptPath]);
    expect(undo.code, undo.stderr).toBe(0);
    const back = JSON.parse(contents(s.db));
    const was = JSON.parse(current);
    expect(back.customers).toEqual(was.customers);
    expect(back.staff).toEqual(was.staff);
    expect(keptFiles(s)).toHaveLength(2);
  });

  it('keeps the changes that were still in the WAL of the replaced database', async () => {
    const { s, backup } = await withBackup();
    // a writer killed after its commit: the change is only in test.db-wal
    const writer = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const code = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
        const d = new D(${JSON.stringify(s.db)});
        d.pragma('wal_autocheckpoint = 0');
        d.prepare("UPDATE staff SET name = 'WAL里的名字' WHERE staff_id = 'R3'").run();
        process.kill(process.pid, 'SIGKILL');`;
      const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', (_code, signal) => resolve(signal));
    });
    expect(writer).toBe('SIGKILL');
    expect(fs.statSync(`${s.db}-wal`).size).toBeGreaterThan(0);
    const r = await s.run(['restore', backup]);
    expect(r.code, r.stderr).toBe(0);
    const keptPath = path.join(s.dir, keptFiles(s)[0]);
    expect(new Database(keptPath, { readonly: true }).prepare("SELECT name FROM staff WHERE staff_id = 'R3'").get()).toEqual({ name: 'WAL里的名字' });
    // and nothing of that WAL came into the restored database
    expect(s.query("SELECT name FROM staff WHERE staff_id = 'R3'")).toEqual([{ name: '赵敏' }]);
    expect(fs.existsSync(`${keptPath}-wal`)).toBe(false);
    expect(integrity(s.db)).toBe('ok');
  });

  it('refuses a non-database, a foreign SQLite file, a newer schema, a damaged file, the database itself, a missing file and a folder: exit 1, database byte-identical', async () => {
    const { s, backup } = await withBackup();
    const notDb = s.file('customers.csv', SURVEYS);
    const foreign = path.join(s.dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (1)');
    f.close();
    const newer = path.join(s.dir, 'newer.db');
    fs.copyFileSync(backup, newer);
    const n = new Database(newer);
    n.pragma('user_version = 99');
    n.close();
    const damaged = path.join(s.dir, 'damaged.db');
    const bytes = fs.readFileSync(backup);
    bytes.fill(0, 4096, 4096 * 3); // the first table's pages
    fs.writeFileSync(damaged, bytes);
    // (a read-only look leaves -wal and -shm files beside it: looked at first, then fingerprinted)
    const contentBefore = contents(s.db);
    const before = fingerprint(s);
    const cases: [string, RegExp][] = [
      [notDb, /is not a SQLite database/],
      [foreign, /not a salesops one/],
      [newer, /newer salesops \(schema 99/],
      [damaged, /is damaged/],
      [s.db, /is the database itself/],
      [`${s.db}-wal`, /is the database itself/],
      [path.join(s.dir, 'missing.db'), /does not exist/],
      [s.dir, /not an ordinary file/],
    ];
    for (const [file, message] of cases) {
      const r = await s.run(['restore', file]);
      expect(r.code, file).toBe(1);
      expect(r.stderr, file).toMatch(message);
      expect(r.stderr, file).toMatch(/nothing was changed|there is nothing to restore/);
      expect(fingerprint(s), file).toBe(before);
      expect(temps(s.dir), file).toEqual([]);
      expect(keptFiles(s), file).toEqual([]);
    }
    expect(contents(s.db)).toBe(contentBefore);
    // the backup files were only read
    expect(fs.existsSync(`${newer}-wal`) || fs.existsSync(`${damaged}-shm`)).toBe(false);
  });

  it('goes on while another program has the database open: its reader keeps its snapshot, then sees the restored database, and its WAL is not lost', async () => {
    const { s, backup } = await withBackup();
    // another program's connection, open throughout: a change of its own still in the -wal
    // (not yet folded into the file), and a read transaction open across the restore
    const other = new Database(s.db);
    try {
      other.pragma('wal_autocheckpoint = 0');
      other.prepare("UPDATE staff SET name = 'WAL里的名字' WHERE staff_id = 'R3'").run();
      other.exec('BEGIN');
      expect(other.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 3 });
      // a restore that waited for it to close would fail here at once
      const r = await s.run(['restore', backup], { env: { SALESOPS_BUSY_TIMEOUT: '0' } });
      expect(r.code, r.stderr).toBe(0);
      // its transaction reads the database as it was…
      expect(other.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 3 });
      other.exec('COMMIT');
      // …then the restored one, as every connection does
      expect(other.prepare('SELECT survey_no FROM customers ORDER BY survey_no').pluck(true).all()).toEqual(['A1', 'A2']);
      expect(s.query('SELECT survey_no FROM customers ORDER BY survey_no')).toEqual([{ survey_no: 'A1' }, { survey_no: 'A2' }]);
      // its change, made before the restore, is in the kept database
      const kept = path.join(s.dir, keptFiles(s)[0]);
      expect(new Database(kept, { readonly: true }).prepare("SELECT name FROM staff WHERE staff_id = 'R3'").get()).toEqual({ name: 'WAL里的名字' });
      // it still writes into the database everyone reads (not into a file taken away from under it)
      other.prepare("UPDATE staff SET name = '之后' WHERE staff_id = 'R2'").run();
      expect(s.query("SELECT name FROM staff WHERE staff_id = 'R2'")).toEqual([{ name: '之后' }]);
      expect(fs.statSync(`${s.db}-wal`).size).toBeGreaterThan(0);
    } finally {
      other.close();
    }
    expect(s.query("SELECT name FROM staff WHERE staff_id = 'R2'")).toEqual([{ name: '之后' }]);
    expect(integrity(s.db)).toBe('ok');
    expect(temps(s.dir)).toEqual([]);
    expect((await s.run(['check'])).code).toBe(0);
  });

  it('waits for a command that holds the write lock, and refuses when the busy timeout is over: exit 5 (busy), nothing changed', async () => {
    const { s, backup } = await withBackup();
    const holder = new Database(s.db);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const before = contents(s.db);
      const r = await s.run(['restore', backup], { env: { SALESOPS_BUSY_TIMEOUT: '0' } });
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('another command is writing to');
      expect(r.stderr).toContain('nothing was changed');
      expect(contents(s.db)).toBe(before);
      expect(temps(s.dir)).toEqual([]);
      expect(keptFiles(s)).toEqual([]);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it.skipIf(process.platform !== 'linux')('two restores at once take turns: the second waits for the first one\'s lock, keeps what the first restored, and both are on record', async () => {
    const { s, backup } = await withBackup();
    // a second backup (A1–A3), then a change neither backup has (A4)
    const second = path.join(s.dir, 'second.db');
    expect((await s.run(['backup', second])).code).toBe(0);
    expect((await s.run(['survey', 'import', s.file('late.csv', LATE)])).code).toBe(0);
    expect(surveys(s.db)).toEqual(['A1', 'A2', 'A3', 'A4']);
    // the first holds the lock (stopped there)…
    const first = start(s, ['restore', backup], { SALESOPS_TEST_PAUSE: 'restore.locked' });
    expect(await first.saw('salesops: paused at restore.locked\n')).toBe(true);
    await stopped(first.child.pid!);
    // …one that will not wait says so and changes nothing…
    const impatient = await s.run(['restore', second], { env: { SALESOPS_BUSY_TIMEOUT: '0' } });
    expect(impatient.code, impatient.stderr).toBe(5);
    expect(impatient.stderr).toContain('another command is writing to');
    expect(surveys(s.db)).toEqual(['A1', 'A2', 'A3', 'A4']);
    // …one that waits says so, and goes on once the first has finished
    const then = start(s, ['restore', second]);
    const waited = await then.saw('waiting for it');
    first.child.kill('SIGCONT');
    const [r1, r2] = await Promise.all([first.done, then.done]);
    expect(waited, r2.stderr).toBe(true);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r2.code, r2.stderr).toBe(0);
    // the database: the second backup, whole
    expect(integrity(s.db)).toBe('ok');
    expect(surveys(s.db)).toEqual(['A1', 'A2', 'A3']);
    // each replaced database kept: the one before both, and what the first restored
    const kept = keptFiles(s).map((f) => surveys(path.join(s.dir, f)));
    expect(kept).toHaveLength(2);
    expect(kept).toContainEqual(['A1', 'A2', 'A3', 'A4']);
    expect(kept).toContainEqual(['A1', 'A2']);
    // both restores on record, in order
    const restores = s.query<{ subject: string }>("SELECT subject FROM audit_log WHERE action = 'restore' ORDER BY audit_id");
    expect(restores.map((x) => x.subject)).toEqual([backup, second]);
    expect(temps(s.dir)).toEqual([]);
    expect((await s.run(['check'])).code).toBe(0);
  });

  it('refuses a database too damaged to read unless told (--replace-damaged); told, keeps its bytes and its -wal as they were', async () => {
    const { s, backup } = await withBackup();
    fs.writeFileSync(s.db, Buffer.alloc(8192, 0x5a));
    fs.writeFileSync(`${s.db}-wal`, Buffer.alloc(4096, 0x11));
    const before = fingerprint(s);
    const refused = await s.run(['restore', backup]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cannot be read as a database');
    expect(refused.stderr).toContain('--replace-damaged');
    expect(refused.stderr).toContain('nothing was changed');
    // not even the -wal beside it dropped
    expect(fingerprint(s)).toBe(before);
    expect(temps(s.dir)).toEqual([]);
    expect(keptFiles(s)).toEqual([]);

    const r = await s.run(['restore', backup, '--replace-damaged']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('could not be opened');
    expect(integrity(s.db)).toBe('ok');
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 2 }]);
    const kept = keptFiles(s).filter((f) => !f.endsWith('-wal'));
    expect(kept).toHaveLength(1);
    expect(fs.readFileSync(path.join(s.dir, kept[0]))).toEqual(Buffer.alloc(8192, 0x5a));
    expect(fs.readFileSync(path.join(s.dir, `${kept[0]}-wal`))).toEqual(Buffer.alloc(4096, 0x11));
    expect(s.query<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'restore'")[0].detail).toContain(`kept=${kept[0]}`);
    expect(temps(s.dir)).toEqual([]);
    expect((await s.run(['check'])).code).toBe(0);
  });

  it('restores where there is no database yet (owner-only), and upgrades an older backup', async () => {
    const { s, backup } = await withBackup();
    // the backup as an older salesops wrote it: schema 1 (no KPI indexes, no REPLACE guards)
    const old = path.join(s.dir, 'old.db');
    fs.copyFileSync(backup, old);
    const o = new Database(old);
    // schema 7 (issue 18): the history
    o.exec('DROP TABLE task_moves; DROP TABLE staff_history; DROP INDEX assignments_owner_on; DROP INDEX tasks_closed; DROP INDEX tasks_moved_late; DROP INDEX tasks_cancelled');
    for (const c of ['created_on', 'cancelled_on', 'cancel_reason', 'moved_on']) o.exec(`ALTER TABLE tasks DROP COLUMN ${c}`);
    for (const i of ['orders_kpi', 'tasks_kpi', 'files_kpi', 'customers_owner_on', 'orders_customer_kpi', 'customers_archived']) o.exec(`DROP INDEX ${i}`);
    for (const tr of ['audit_log_no_replace', 'customers_no_replace', 'customers_keep_existing']) o.exec(`DROP TRIGGER ${tr}`);
    // schema 4: the change log and the follow-ups' source; schema 6: the follow-ups' task index (issue 17)
    o.exec('DROP INDEX followups_task; DROP TABLE changes; ALTER TABLE followups DROP COLUMN source_row; ALTER TABLE followups DROP COLUMN source');
    o.pragma('user_version = 1');
    o.pragma('journal_mode = DELETE');
    o.close();
    const fresh = sandboxes.keep(sandbox());
    const r = await fresh.run(['restore', old]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`upgraded from schema 1 to ${LATEST_VERSION}`);
    expect(fs.statSync(fresh.db).mode & 0o777).toBe(0o600);
    expect(fresh.query('PRAGMA user_version')).toEqual([{ user_version: LATEST_VERSION }]);
    expect(fresh.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 2 }]);
    expect(keptFiles(fresh)).toEqual([]);
    const chk = await fresh.run(['check']);
    expect(chk.code, chk.stdout).toBe(0);
  });

  describe('killed midway (SIGKILL at a known phase)', () => {
    for (const phase of ['copied', 'checked', 'locked', 'kept']) {
      it(`at "${phase}": the old database is intact and usable, and the next restore completes`, async () => {
        const { s, backup } = await withBackup();
        const before = contents(s.db);
        let lockedOut: string | null = null;
        let readMeanwhile: unknown = null;
        const r = await restoreKilledAt(s, backup, phase, () => {
          if (phase === 'locked' || phase === 'kept') {
            // while restore holds it, other commands wait to write; readers read it as it was
            const probe = new Database(s.db, { timeout: 0 });
            try {
              readMeanwhile = probe.prepare('SELECT count(*) AS n FROM customers').get();
              probe.exec('BEGIN IMMEDIATE');
              probe.exec('ROLLBACK');
            } catch (e) {
              lockedOut = (e as { code?: string }).code ?? 'error';
            } finally {
              probe.close();
            }
          }
        });
        // the kill really landed there: not an exit
        expect(r.paused, r.stderr).toBe(true);
        expect(r.signal).toBe('SIGKILL');
        expect(r.code).toBeNull();
        if (phase === 'locked' || phase === 'kept') {
          expect(lockedOut).toBe('SQLITE_BUSY');
          expect(readMeanwhile).toEqual({ n: 3 });
        }
        expect(integrity(s.db)).toBe('ok');
        expect(contents(s.db)).toBe(before);
        const chk = await s.run(['check']);
        expect(chk.code, chk.stdout + chk.stderr).toBe(0);
        expect((await s.run(['customers', 'list'])).code).toBe(0);
        // the next restore works and clears what the killed one left
        const again = await s.run(['restore', backup]);
        expect(again.code, again.stderr).toBe(0);
        expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 2 }]);
        expect(temps(s.dir)).toEqual([]);
      });
    }

    it('at "replaced": the restored database is whole, with its audit entry', async () => {
      const { s, backup } = await withBackup();
      const r = await restoreKilledAt(s, backup, 'replaced');
      expect(r.paused, r.stderr).toBe(true);
      expect(r.signal).toBe('SIGKILL');
      expect(integrity(s.db)).toBe('ok');
      expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 2 }]);
      expect(s.query("SELECT action FROM audit_log WHERE action = 'restore'")).toEqual([{ action: 'restore' }]);
      expect(keptFiles(s)).toHaveLength(1);
      expect((await s.run(['check'])).code).toBe(0);
    });
  });
});
