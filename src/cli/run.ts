/**
 * Glue between commander and a command: builds the context, runs the command, keeps its
 * exit code. Commands return a code instead of calling process.exit deep inside.
 */
import type { Command } from 'commander';
import { makeCtx, type Ctx } from './context.js';
import { UsageError } from '../errors.js';
import { t, type MessageKey } from '../messages/index.js';

// commander calls an action with (...positionals, options, command)
export function action<A extends unknown[]>(fn: (ctx: Ctx, ...args: A) => Promise<number | void> | number | void) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const ctx = makeCtx(cmd);
    let code: number | void;
    try {
      code = await fn(ctx, ...(args.slice(0, -1) as A));
    } catch (e) {
      // a full disk, a read-only database, a lock held too long: said as such, exit 1
      const { faultError } = await import('../io/outputFile.js');
      throw faultError(e, ctx.dbPath) ?? e;
    }
    ctx.io.exitCode = code ?? 0;
  };
}

/**
 * A value a flag did not give: asked on a terminal (inquirer), otherwise a usage error
 * that names the flag (`--note is required when not running interactively`).
 */
export async function ask(ctx: Ctx, flag: string, question: MessageKey, opts: { required?: boolean; choices?: string[] } = {}): Promise<string> {
  if (!ctx.interactive) {
    throw new UsageError(t('cli.flag_required', { flag }), t('cli.flag_required.hint', { flag }));
  }
  const prompts = await import('@inquirer/prompts');
  if (opts.choices) {
    return prompts.select({ message: t(question), choices: opts.choices.map((c) => ({ value: c, name: c })) });
  }
  return prompts.input({
    message: t(question),
    required: opts.required ?? true,
    validate: (v) => (opts.required === false || v.trim() !== '' ? true : t('cli.value_required')),
  });
}
