/**
 * Nothing lost (SPEC §7): an import killed at any moment leaves the database as before or
 * fully imported; commands writing at once all succeed; backups are consistent copies.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { sandbox, withRoster, BIN, type Sandbox } from './harness.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const ROWS = 30_000;

function bigSurveyFile(s: Sandbox, name: string, rows: number, offset = 0): string {
  const lines = ['survey_no,name,phone,address,district,collector,collected_on'];
  for (let i = 0; i < rows; i++) {
    const n = i + offset;
    lines.push(`K${n},客户${n},139${String(n).padStart(8, '0')},"浙江省金华市浦江县和平路${n % 500}号, 3幢",330726,${n % 2 ? 'R1' : 'R2'},2024-0${1 + (n % 6)}-1${n % 9}`);
  }
  return s.file(name, lines.join('\n') + '\n');
}

function runAsync(s: Sandbox, args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--db', s.db, '--lang', 'en', '--as-of', '2024-07-31', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

function count(s: Sandbox): number {
  return s.query<{ n: number }>('SELECT count(*) AS n FROM customers')[0].n;
}

function integrity(s: Sandbox): string {
  return s.query<{ integrity_check: string }>('PRAGMA integrity_check')[0].integrity_check;
}

describe('an import killed at any moment (SIGKILL)', () => {
  let files: Sandbox;
  let file: string;
  let reference: string;
  const signals: (string | null)[] = [];
  beforeAll(async () => {
    files = sandbox();
    file = bigSurveyFile(files, 'big.csv', ROWS);
    // the uninterrupted result, from a database of its own
    const ref = withRoster();
    const r = await runAsync(ref, ['survey', 'import', file]);
    expect(r.code).toBe(0);
    reference = JSON.stringify(ref.query('SELECT survey_no, name, phone, district, collector_id, collected_on FROM customers ORDER BY survey_no'));
    ref.cleanup();
  }, 120_000);
  afterAll(() => {
    files.cleanup();
    // the test must really have interrupted imports, or it proves nothing
    expect(signals.filter((x) => x === 'SIGKILL').length).toBeGreaterThanOrEqual(2);
  });

  it.each([250, 600, 1200])('killed after %i ms: as before or fully imported, intact, and a re-run completes it', async (ms) => {
    const s = withRoster();
    const r = await runAsync(s, ['survey', 'import', file], ms);
    signals.push(r.signal);
    const after = count(s);
    expect(integrity(s)).toBe('ok');
    if (r.signal === 'SIGKILL') expect([0, ROWS]).toContain(after);
    else expect(after).toBe(ROWS);
    const again = await runAsync(s, ['survey', 'import', file]);
    expect(again.code).toBe(0);
    expect(JSON.stringify(s.query('SELECT survey_no, name, phone, district, collector_id, collected_on FROM customers ORDER BY survey_no'))).toBe(reference);
    s.cleanup();
  }, 120_000);
});

describe('commands writing at once', () => {
  it('several imports and listings as separate processes all succeed, and all data is there', async () => {
    const s = withRoster();
    const files = [0, 1, 2, 3].map((k) => bigSurveyFile(s, `part${k}.csv`, 3_000, k * 3_000));
    const results = await Promise.all([
      ...files.map((f) => runAsync(s, ['survey', 'import', f])),
      runAsync(s, ['staff', 'add', '--id', 'R9', '--name', '并发', '--role', 'rep', '--hired-on', '2024-01-01']),
      runAsync(s, ['customers', 'list', '--limit', '5']),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(count(s)).toBe(12_000);
    expect(s.query('SELECT staff_id FROM staff WHERE staff_id = ?', 'R9')).toHaveLength(1);
    s.cleanup();
  }, 120_000);
});

describe('backup and check', () => {
  it('backs up a consistent copy while an import writes, and check is silent on a healthy database', async () => {
    const s = withRoster();
    const file = bigSurveyFile(s, 'big.csv', 20_000);
    const copy = `${s.dir}/copy.db`;
    const [imp, bak] = await Promise.all([runAsync(s, ['survey', 'import', file]), runAsync(s, ['backup', copy])]);
    expect(imp.code).toBe(0);
    expect(bak.code).toBe(0);
    const d = new Database(copy, { readonly: true });
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    expect([0, 20_000]).toContain(d.prepare('SELECT count(*) AS n FROM customers').get().n);
    d.close();
    expect(fs.statSync(copy).mode & 0o777).toBe(0o600);
    const chk = s.run(['check']);
    expect(chk.code).toBe(0);
    expect(chk.stdout + chk.stderr).toBe('');
    s.cleanup();
  }, 120_000);

  it('check reports a broken invariant and exits 1', () => {
    const s = withRoster();
    s.run(['survey', 'import', s.file('s.csv', 'name,phone,collector,collected_on\n甲,13500001111,R1,2024-05-01\n')]);
    const d = new Database(s.db);
    d.prepare("UPDATE customers SET owner_id = 'M1'").run(); // a manager may not own customers
    d.close();
    const r = s.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('non_rep_owns_customer');
    s.cleanup();
  });

  it('refuses to back up onto the database itself', () => {
    const s = sandbox();
    s.run(['init']);
    const r = s.run(['backup', s.db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot overwrite the database');
    s.cleanup();
  });
});
