/**
 * A reader that stops early (`salesops … 2>&1 | head -1`) closes the pipe under both stdout
 * and stderr: the binary then exits quietly with its own exit code, never "write EPIPE" and
 * exit 1 (found checking the README's cron lines). Both read ends are closed before the
 * binary writes anything, so every write of the run meets a closed pipe.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, sandboxesPerTest } from './harness.js';

const sandboxes = sandboxesPerTest();

function runClosed(args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'en_US.UTF-8' } });
    child.stdout.destroy();
    child.stderr.destroy();
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}

describe('closed pipes', () => {
  it.each([
    ['audit --changes (data on stdout, a notice on stderr)', ['audit', '--changes']],
    ['staff list', ['staff', 'list']],
    ['a usage error (stderr only)', ['nosuch']],
  ])('%s: exits with its own code', async (_name, args) => {
    const s = await sandboxes.roster();
    const code = await runClosed(['--db', s.db, '--as-of', '2024-07-31', ...args]);
    expect(code).toBe(args[0] === 'nosuch' ? 2 : 0);
  });
});
