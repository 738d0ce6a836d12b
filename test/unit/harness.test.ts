/**
 * The end-to-end harness's in-process runs (test/e2e/inProcess.ts) leave the test's process
 * as they found it: its environment, working directory, exit code and signal handlers; and
 * runs started together take turns. (That they print what the binary prints is
 * test/e2e/binary.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, sandbox } from '../e2e/harness.js';
import { runInProcess } from '../e2e/inProcess.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE', 'exit', 'uncaughtException', 'unhandledRejection'] as const;
const listeners = () => SIGNALS.map((s) => process.listenerCount(s));

describe('in-process runs', () => {
  const s = sandbox();
  afterAll(() => s.cleanup());

  it('capture stdout and stderr, and leave env, cwd, exit code and signal handlers as they were', async () => {
    const env = { ...process.env };
    const cwd = process.cwd();
    const exitCode = process.exitCode;
    const handlers = listeners();
    const init = await s.run(['init'], { env: { SALESOPS_HARNESS_PROBE: 'set' } });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toContain(s.db);
    // a run that fails: exit 2 for the run, not for the test process
    const bad = await s.run(['customers', 'list', '--format', 'yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/yaml/);
    // a run that writes a file (an output file registers its signal handlers while open)
    const out = await s.run(['export', 'staff', '--out', 'staff.csv']);
    expect(out.code, out.stderr).toBe(0);
    expect(fs.existsSync(path.join(s.dir, 'staff.csv'))).toBe(true); // relative to the run's directory
    expect(process.env).toEqual(env);
    expect(process.cwd()).toBe(cwd);
    expect(process.exitCode).toBe(exitCode);
    expect(listeners()).toEqual(handlers);
  });

  it('see the environment of their run, not the test process\'s: SALESOPS_DB names the database', async () => {
    const before = process.env.SALESOPS_DB;
    process.env.SALESOPS_DB = path.join(s.dir, 'of-the-test.db');
    try {
      const viaEnv = path.join(s.dir, 'of-the-run.db');
      const r = await runInProcess(ROOT, ['init'], { cwd: s.dir, env: { ...process.env, SALESOPS_DB: viaEnv } });
      expect(r.code, r.stderr).toBe(0);
      expect(fs.existsSync(viaEnv)).toBe(true);
      expect(fs.existsSync(process.env.SALESOPS_DB)).toBe(false);
      expect(process.env.SALESOPS_DB).toBe(path.join(s.dir, 'of-the-test.db'));
    } finally {
      if (before === undefined) delete process.env.SALESOPS_DB;
      else process.env.SALESOPS_DB = before;
    }
  });

  it('started together, take turns and each gets its own output', async () => {
    const runs = await Promise.all([
      s.run(['staff', 'list', '--format', 'json']),
      s.run(['template', 'staff']),
      s.run(['customers', 'list', '--format', 'yaml']),
      s.run(['staff', 'list', '--format', 'csv']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 2, 0]);
    expect(runs[0].stdout).toBe('[]\n');
    expect(runs[1].stdout).toMatch(/^\ufeff?staff_id,|^员工编号|staff_id/);
    expect(runs[2].stdout).toBe('');
    expect(runs[3].stdout).toMatch(/^staff_id,/);
    for (const r of [runs[0], runs[1], runs[3]]) expect(r.stderr).not.toMatch(/yaml/);
  });
});
