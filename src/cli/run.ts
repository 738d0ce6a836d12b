/**
 * Glue between commander and a command: builds the context, runs the command, keeps its
 * exit code. Commands return a code instead of calling process.exit deep inside.
 */
import type { Command } from 'commander';
import { styleText } from 'node:util';
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
      throw faultError(e, ctx.dbShown) ?? e;
    }
    ctx.io.exitCode = code ?? 0;
  };
}

/** `a, b and c` / `a、b 和 c` in the language of the run. */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return items.slice(0, -1).join(t('cli.list_sep')) + t('cli.list_and') + items[items.length - 1];
}

/** The usage error for flags a script did not give: all of them in one message (exit 2). */
export function missingFlagsError(flags: readonly string[]): UsageError {
  if (flags.length === 1) {
    const flag = flags[0];
    return new UsageError(t('cli.flag_required', { flag }), t('cli.flag_required.hint', { flag }));
  }
  const list = listing(flags);
  return new UsageError(t('cli.flags_required', { flags: list }), t('cli.flags_required.hint', { flags: list }));
}

/**
 * Without a terminal, every value the flags (or positionals) did not give is named at once,
 * before any work: `[value, '--flag']` pairs, a value undefined when not given. On a
 * terminal nothing happens here: `ask` prompts for each in turn.
 */
export function requireAll(ctx: Pick<Ctx, 'interactive'>, items: readonly (readonly [unknown, string])[]): void {
  if (ctx.interactive) return;
  const missing = items.filter(([v]) => v === undefined).map(([, flag]) => flag);
  if (missing.length > 0) throw missingFlagsError(missing);
}

/** inquirer's check of a typed answer: a required one must hold more than spaces, else it asks again. */
export function checkAnswer(value: string, required = true): true | string {
  return !required || value.trim() !== '' ? true : t('cli.value_required');
}

/**
 * The words a list to choose from shows for its codes (issue 15): the answer stays the code
 * (`rep`), the list reads 销售代表 in Chinese, the code in English. The words are the ones
 * the catalogue already uses for those codes.
 */
const CHOICE_WORDS: Partial<Record<MessageKey, Record<string, MessageKey>>> = {
  'staff.ask.role': { rep: 'assign.role.rep', supervisor: 'assign.role.supervisor', manager: 'assign.role.manager', doctor: 'assign.role.doctor', gm: 'assign.role.gm' },
  'followups.prompt.role': { rep: 'followups.role.rep', doctor: 'followups.role.doctor' },
  'followups.prompt.method': { phone: 'followups.method.phone', visit: 'followups.method.visit' },
};

/** The actions of inquirer's key hints (`↑↓ navigate • ⏎ select`) in the language of the run. */
const KEY_ACTIONS: Record<string, MessageKey> = { navigate: 'prompt.key.navigate', select: 'prompt.key.select' };

/**
 * A value a flag did not give: asked on a terminal (inquirer), otherwise a usage error
 * that names the flag (`--note is required when not running interactively`). Ctrl-C at the
 * prompt rejects with inquirer's ExitPromptError, which main.ts reports as "cancelled", 130.
 */
export async function ask(ctx: Ctx, flag: string, question: MessageKey, opts: { required?: boolean; choices?: string[] } = {}): Promise<string> {
  if (!ctx.interactive) throw missingFlagsError([flag]);
  const prompts = await import('@inquirer/prompts');
  if (opts.choices) {
    const words = CHOICE_WORDS[question] ?? {};
    return prompts.select({
      message: t(question),
      choices: opts.choices.map((c) => ({ value: c, name: words[c] ? t(words[c]) : c })),
      theme: {
        style: {
          // inquirer's own styling of its hints, with the actions in the language of the run
          keysHelpTip: (keys: [key: string, action: string][]) =>
            keys.map(([key, action]) => `${styleText('bold', key)} ${styleText('dim', KEY_ACTIONS[action] ? t(KEY_ACTIONS[action]) : action)}`).join(styleText('dim', ' • ')),
        },
      },
    });
  }
  // the check of an empty answer is checkAnswer's, in the language of the run (inquirer's
  // own `required` says "You must provide a value" in English)
  return prompts.input({ message: t(question), validate: (v) => checkAnswer(v, opts.required ?? true) });
}
