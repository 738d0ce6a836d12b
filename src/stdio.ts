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
  /** a terminal's width (commander wraps help to it) */
  readonly columns?: number;
  /** a terminal's colour support */
  hasColors?(): boolean;
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

/** What a process stream's first writes may add up to before the stream itself is made. */
const DIRECT_BYTES = 16 << 10;

/**
 * One of the process's output streams. Its first few writes (a help page, a message, a short
 * listing: up to DIRECT_BYTES) go straight to the descriptor, as Node writes to a file, a
 * terminal or a pipe on Linux anyway — synchronously; making the stream object costs about
 * 2 ms of every start (issue 17: `--help` within 1.2× `node -e 0`). Past that, or when the
 * descriptor would block (EAGAIN: what is left goes through the stream, which waits), or when
 * asked to wait for 'drain', the process's own stream takes over, in order. A closed pipe
 * (EPIPE) is said to `failed` as the stream's 'error' event would say it: afterwards.
 */
function processOutput(fd: 1 | 2, failed: (e: NodeJS.ErrnoException) => void): Output {
  let stream: NodeJS.WriteStream | null = null;
  let direct = 0;
  const terminal = tty.isatty(fd);
  const make = (): NodeJS.WriteStream => {
    if (stream === null) {
      stream = fd === 1 ? process.stdout : process.stderr;
      stream.on('error', failed);
    }
    return stream;
  };
  return {
    write(text) {
      if (stream === null && direct + text.length <= DIRECT_BYTES) {
        const bytes = Buffer.from(text);
        direct += bytes.length;
        let at = 0;
        try {
          while (at < bytes.length) at += fs.writeSync(fd, bytes, at);
          return true;
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          if (err.code === 'EPIPE') {
            // later, as the stream's 'error' event comes: the run ends with its own exit code
            setImmediate(() => failed(err));
            return true;
          }
          if (err.code !== 'EAGAIN') throw e;
          return make().write(bytes.subarray(at));
        }
      }
      return make().write(text);
    },
    once: (event, listener) => make().once(event, listener),
    // what process.stdout says, without making the stream unless it is a terminal
    isTTY: terminal || undefined,
    get columns() {
      return terminal ? make().columns : undefined;
    },
    hasColors: () => terminal && make().hasColors(),
  };
}

/**
 * The process's streams. `failed` hears a failure of writing to stdout or stderr (a closed
 * pipe), as an 'error' listener on the streams would; by default it is thrown.
 */
export function processStdio(
  failed: (e: NodeJS.ErrnoException) => void = (e) => {
    throw e;
  },
): Stdio {
  return {
    stdout: processOutput(1, failed),
    stderr: processOutput(2, failed),
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
