/**
 * What a run of salesops talks to: stdout, stderr, whether each is a terminal, the
 * environment, the command line and the clock. The binary uses the process's own
 * (`processStdio`); the test suite runs most commands in process with its own (captured
 * streams, its env, a fixed clock), so one run never reaches into another. Commands get it
 * from their context (`ctx.io`); the few deep places that must speak without a context (a
 * warning from the store) read `stdio()`.
 */
import fs from 'node:fs';
import tty from 'node:tty';

export interface Output {
  write(text: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
}

export interface Stdio {
  stdout: Output;
  stderr: Output;
  /**
   * stdout is a regular file (`salesops … > 顾客.csv`): csv written there is a file for people,
   * so it gets the BOM Excel needs; a pipe or a terminal is read by a program (issue 15)
   */
  stdoutIsFile?: boolean;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** the arguments after `salesops` */
  argv: readonly string[];
  /** the clock: what "now" is (the local calendar date of "today" comes from it) */
  now(): Date;
  /** the exit code the run ends with (set by the command) */
  exitCode?: number;
}

export function processStdio(): Stdio {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsFile: isRegularFile(1),
    // not process.stdin: creating that stream costs about 1 ms of every start (issue 17)
    stdinIsTTY: tty.isatty(0),
    env: process.env,
    argv: process.argv.slice(2),
    now: () => new Date(),
  };
}

/** Whether the descriptor is a regular file (not a pipe, terminal, /dev/null or socket). */
function isRegularFile(fd: number): boolean {
  try {
    return fs.fstatSync(fd).isFile();
  } catch {
    // a closed descriptor: nothing will be read from it
    return false;
  }
}

let current: Stdio | null = null;

/** The streams of the run in progress (the process's own outside a run). */
export function stdio(): Stdio {
  return (current ??= processStdio());
}

/** Makes `io` the streams of the run in progress; returns what it replaced. */
export function useStdio(io: Stdio | null): Stdio | null {
  const before = current;
  current = io;
  return before;
}

/** Writes text, waiting for the stream to drain when its buffer is full (a pipe to `head`, a slow disk). */
export async function writeOut(out: Output, text: string): Promise<void> {
  if (text !== '' && !out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}
