/**
 * Entry point: declares the global options and the command groups (commands.ts), then maps
 * every failure to an exit code (SPEC §4). Only the module of the command being run is
 * imported, and command modules import their heavy dependencies (SQLite, CSV, dayjs)
 * inside their actions, so `salesops --help` stays about as fast as Node itself. The
 * binary runs this file and all it imports as one bundle with a V8 code cache
 * (scripts/build.mjs, bin/salesops.js: issue 17); the test suite runs it as tsc writes it.
 */
import { CommanderError } from 'commander';
import { langFromEnv, setLang, t, type Lang } from '../messages/index.js';
import { buildProgram, helpAsFlag } from './commands.js';
import { processStdio, useStdio, type Stdio } from '../stdio.js';

function preScanLang(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  const i = argv.indexOf('--lang');
  const v = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7);
  return v === 'zh' || v === 'en' ? v : langFromEnv(env);
}

/** What the user reads of a failure, and the exit code (SPEC §4). */
export async function errorText(e: unknown, env: NodeJS.ProcessEnv): Promise<{ text: string; code: number }> {
  const { EXIT, UserError } = await import('../errors.js');
  // Ctrl-C (or a closed terminal) at an inquirer prompt: a choice of the user, not a bug
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError') return { text: t('cli.cancelled'), code: EXIT.interrupted };
  if (e instanceof UserError) {
    return { text: t('cli.error', { message: e.message }) + (e.hint ? '\n' + t('cli.hint', { hint: e.hint }) : ''), code: e.exitCode };
  }
  const err = e as { code?: string; message?: string; stack?: string; name?: string };
  if (err?.code === 'EPIPE') return { text: '', code: EXIT.ok };
  // a server refusing a role what it may not do (42501): the office's rights, not a bug; the
  // statement failed, so its transaction was rolled back
  if (err?.name === 'PgServerError' && err.code === '42501') return { text: t('cli.error', { message: t('pg.permission_denied', { reason: err.message ?? '' }) }) + '\n' + t('cli.hint', { hint: t('pg.permission_denied.hint') }), code: EXIT.error };
  const detail = env.SALESOPS_DEBUG ? '\n' + (err?.stack ?? String(e)) : '';
  return { text: t('cli.unexpected', { message: err?.message ?? String(e) }) + detail, code: EXIT.error };
}

/**
 * One run of salesops with `argv` (the words after `salesops`) against `io`: the binary
 * passes the process's streams, the test suite its own. Resolves to the exit code.
 */
export async function runCli(argv: readonly string[], io: Stdio): Promise<number> {
  const before = useStdio(io);
  io.exitCode = undefined;
  const lang = preScanLang(argv, io.env);
  setLang(lang);
  try {
    const program = await buildProgram(lang, [...argv], io);
    await program.parseAsync(helpAsFlag(program, argv), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; anything commander rejects is a usage error (exit 2), said
      // in the language of the run by usage.ts
      io.exitCode = e.exitCode === 0 ? 0 : (await import('../errors.js')).EXIT.usage;
    } else {
      const { text, code } = await errorText(e, io.env);
      if (text) io.stderr.write(text + '\n');
      io.exitCode = code;
    }
  } finally {
    useStdio(before);
  }
  return io.exitCode ?? 0;
}

/** The binary: this process's streams and arguments, its exit code. */
export async function main(): Promise<void> {
  // `salesops customers list | head` (or `… 2>&1 | head`) closes the pipe early: not an
  // error — the reader has what it wanted, and a closed stderr has no one left to tell
  const closed = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // any other failure of a stream is the write's own: writeOut rejects with it
  };
  process.stdout.on('error', closed);
  process.stderr.on('error', closed);
  process.exitCode = await runCli(process.argv.slice(2), processStdio());
}
