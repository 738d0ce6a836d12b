/**
 * `npm run demo` is the first thing a new user runs: every step must succeed on the
 * bundled fixtures and show what the README says it shows.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, runBin } from './harness.js';
import { DEMO_STEPS } from '../../src/cli/demo.js';

describe('salesops demo', () => {
  it('runs every step on the fixtures and keeps the database on request', { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-demo-test-'));
    const keep = path.join(dir, 'demo.db');
    try {
      const r = await runBin(['--lang', 'en', 'demo', '--keep', keep], { cwd: ROOT });
      expect(r.stderr).not.toMatch(/demo step failed|at .*\.js:\d+/);
      expect(r.code).toBe(0);
      // every step is announced, in order
      const announced = [...r.stderr.matchAll(/^\$ salesops (.*)$/gm)].map((m) => m[1]);
      expect(announced).toHaveLength(DEMO_STEPS.length);
      expect(announced[0]).toBe('init');
      // the month's KPI table is the last thing on stdout; then the month's workbook is written (issue 16)
      expect(announced.at(-2)).toMatch(/^kpi /);
      expect(announced.at(-1)).toMatch(/^report --period 2024-07 --out .*\.xlsx$/);
      expect(r.stderr).toMatch(/wrote .*report-2024-07\.xlsx: KPI by rep \d+ rows/);
      expect(r.stdout.trimEnd()).toMatch(/Total[^\n]*\n└[─┴]+┘$/);
      // the workbook of the office, after the same surveys as CSV: nothing new
      expect(r.stderr).toMatch(/survey import fixtures\/surveys\.xlsx\nnotice: the header is on row 2[^\n]*\nimported 40 rows — 0 new, 0 updated, 40 unchanged/);
      // the main job's results are in the database (read-only; the value as `sqlite3 <db> <sql>` prints it)
      const q = (sql: string) => {
        const db = new Database(keep, { readonly: true });
        try {
          return String(db.prepare(sql).pluck().get());
        } finally {
          db.close();
        }
      };
      expect(Number(q('SELECT count(*) FROM customers'))).toBeGreaterThanOrEqual(50);
      expect(q('SELECT count(*) FROM customers WHERE owner_id IS NULL')).toBe('0');
      expect(q("SELECT count(*) FROM customers WHERE owner_id = 'R4'")).toBe('0'); // R4 left: handed over
      expect(Number(q("SELECT count(*) FROM tasks WHERE status = 'done'"))).toBeGreaterThan(0);
      expect(q('SELECT count(*) FROM trips')).toBe('10');
      // what an ops clerk sees
      expect(r.stdout).toContain('138****'); // masked phones
      expect(r.stdout).toMatch(/collector R\d is an active rep/); // assign --explain
      expect(r.stdout).toContain('trip T4');
      expect(r.stdout).toMatch(/Total/);
      expect(r.stdout).toContain('问卷编号,姓名'); // the Chinese template
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
