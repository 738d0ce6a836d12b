/**
 * Runs the binary on a pseudo-terminal (util-linux `script`), as a clerk at a terminal runs
 * it: stdin and stdout are a terminal, so it prompts. Each step waits until its text has
 * appeared on the screen since the step before (never a timer), then types its keys (or
 * runs its action first and types what it returns). Resolves when the binary exits, with
 * what the screen showed (escape sequences removed) and how many steps never came.
 */
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { BIN } from './harness.js';

export type TerminalStep = [seen: RegExp, keys: string | (() => string)];

export function onTerminal(args: string[], steps: TerminalStep[]): Promise<{ code: number | null; screen: string; pending: number }> {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const line = [process.execPath, BIN, ...args].map(quote).join(' ');
  // CI=true would turn the prompts off (ctx.interactive), as it should for a script
  const env = { ...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '', SALESOPS_DB: '', CI: '' };
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', line, '/dev/null'], { env });
    let screen = '';
    let from = 0;
    const next = [...steps];
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      screen += stripVTControlCharacters(d);
      while (next.length > 0) {
        const m = next[0][0].exec(screen.slice(from));
        if (!m) break;
        from += m.index + m[0].length;
        const keys = next.shift()![1];
        child.stdin.write(typeof keys === 'string' ? keys : keys());
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen, pending: next.length }));
  });
}

/** The pseudo-terminal is util-linux's: these tests run on Linux (CI) only. */
export const onLinux = process.platform === 'linux';
