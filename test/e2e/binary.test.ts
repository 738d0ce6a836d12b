/**
 * The binary itself (bin/salesops.js as a child process) against the in-process runs the
 * rest of the suite uses (inProcess.ts): the ops day of `salesops demo`, plus the formats,
 * the help and the usage errors, run step by step on two databases kept in lockstep, one
 * through each. Every step must give the same exit code, stdout and stderr, byte for byte
 * (the sandbox's own directory aside): what the other files check in process holds for
 * the binary.
 */
import { redactAddress } from '../../src/store/address.js';
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { ROOT, sandbox, TEST_ENGINE, type RunResult, type Sandbox } from './harness.js';
import { DEMO_STEPS } from '../../src/cli/demo.js';

const fixtures = (a: string) => (a.startsWith('fixtures/') ? path.join(ROOT, a) : a);

/** The steps: the demo's, then what it does not show (formats, exports, restore, help, errors). */
const STEPS: string[][] = [
  ...DEMO_STEPS.map((step) => step.map(fixtures)),
  ['staff', 'list', '--format', 'tsv'],
  ['customers', 'list', '--format', 'json'],
  ['customers', 'list', '--unassigned', '--format', 'csv'],
  ['followups', 'due', '--format', 'jsonl'],
  ['allowance', '--format', 'csv'],
  ['export', 'customers', '--format', 'csv'],
  ['export', 'kpi', '--period', '2024-07', '--format', 'json'],
  ['export', 'allowances', '--out', '{tmp}/allowances.csv'],
  ['restore', '{tmp}/backup.db'],
  ['check'],
  ['--help'],
  ['survey', '--help'],
  ['--version'],
  ['nosuch'],
  ['staff', 'leave'],
  ['survey', 'import', '{tmp}/missing.csv'],
  ['kpi', '--period', 'last-year'],
  ['customers', 'list', '--format', 'yaml'],
];

describe('the binary gives what the in-process run gives, byte for byte', () => {
  // the two databases, one command at a time through each
  const binary: Sandbox = sandbox();
  const inProcess: Sandbox = sandbox();
  afterAll(() => {
    binary.cleanup();
    inProcess.cleanup();
  });
  /**
   * the run with its sandbox's directory named <dir> (both are as long: tables line up
   * alike), and what the clock decides named too: the time of a change, the stamp of a kept
   * database, the digest of a backup (the file holds those times)
   */
  const seen = (s: Sandbox, r: RunResult) => {
    const own = (text: string) =>
      text
        .split(s.dir)
        .join('<dir>')
        // a server's database (issue 19) is named as the sandbox's own
        .split(redactAddress(s.db))
        .join('<db>')
        // a pg_dump archive holds its database's name (a file's backup is the same size in both)
        .replace(/\(\d+ bytes, sha256/g, TEST_ENGINE === 'postgres' ? '(<bytes> bytes, sha256' : '$&')
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/g, '<time>')
        .replace(/replaced-\d{8}-\d{6}/g, 'replaced-<time>')
        .replace(/\b[0-9a-f]{64}\b/g, '<sha256>');
    return { code: r.code, stdout: own(r.stdout), stderr: own(r.stderr) };
  };

  it.each(STEPS.map((step) => [step.join(' ').replace(ROOT, ''), step] as const))('salesops %s', async (_, step) => {
    const args = (s: Sandbox) => step.map((a) => a.replace('{tmp}', s.dir).replace('{db}', s.db));
    const [b, p] = await Promise.all([binary.run(args(binary), { process: true }), inProcess.run(args(inProcess))]);
    expect(seen(inProcess, p)).toEqual(seen(binary, b));
  });
});
