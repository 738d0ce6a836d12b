/**
 * One run of salesops inside the test worker: `runCli` of the built CLI (dist/, which
 * `npm test` builds first) against captured streams, instead of a child process. A process
 * costs the suite a Node start-up and a fresh load of the CLI per command; a run in process
 * costs the command alone. What only a process shows (signals, SIGSTOP, ulimit, two
 * processes racing for a lock, the exit of the binary itself) stays with `runBin`
 * (harness.ts), and test/e2e/binary.test.ts checks that both give the same bytes.
 *
 * The CLI is loaded from dist/ as Node loads it (vitest.config.ts keeps dist/ external):
 * the import worker it starts (`new URL('./importWorker.js', import.meta.url)`) must be a
 * real file beside it.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Output, Stdio } from '../../src/stdio.js';

type RunCli = (argv: readonly string[], io: Stdio) => Promise<number>;

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it: never full, so never a 'drain' to wait for. */
class Captured implements Output {
  readonly isTTY = false;
  private readonly parts: string[] = [];
  private readonly decoder = new TextDecoder();
  write(text: string | Uint8Array): boolean {
    this.parts.push(typeof text === 'string' ? text : this.decoder.decode(text, { stream: true }));
    return true;
  }
  once(): this {
    return this;
  }
  text(): string {
    return this.parts.join('') + this.decoder.decode();
  }
}

let cli: Promise<RunCli> | null = null;
function loadCli(root: string): Promise<RunCli> {
  cli ??= import(pathToFileURL(path.join(root, 'dist/cli/main.js')).href).then((m: { runCli: RunCli }) => m.runCli);
  return cli;
}

/** Sets process.env to exactly `env` (in place: Node's env object stays the one everybody holds). */
function replaceEnv(env: NodeJS.ProcessEnv): void {
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  for (const [k, v] of Object.entries(env)) if (v !== undefined) process.env[k] = v;
}

// one run at a time in a worker: process.env and the working directory are the process's,
// and a run holds them until it ends (tests awaiting several runs at once get them in turn)
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `salesops ...args` in this process with `env` as its whole environment and `cwd` as
 * its working directory; process.env, the working directory and process.exitCode are as
 * before once it resolves.
 */
export function runInProcess(root: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<InProcessResult> {
  const run = queue.then(() => runOnce(root, args, opts));
  queue = run.catch(() => undefined);
  return run;
}

async function runOnce(root: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<InProcessResult> {
  const runCli = await loadCli(root);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  const stdout = new Captured();
  const stderr = new Captured();
  const io: Stdio = { stdout, stderr, stdinIsTTY: false, env, argv: [...args], now: () => new Date() };
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const savedExitCode = process.exitCode;
  replaceEnv(env);
  process.chdir(opts.cwd);
  let code: number;
  try {
    code = await runCli(args, io);
  } finally {
    process.chdir(savedCwd);
    replaceEnv(savedEnv);
    process.exitCode = savedExitCode;
  }
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
