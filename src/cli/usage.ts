/**
 * commander in the language of the run (issue 15): the headings and built-in words of its
 * help (`用法：`, `选项：`, `全局选项：`, `[选项]`, the help and version options, what an option
 * adds: its environment variable, its default) and its usage errors, said as salesops says
 * any error: `错误：…`, then what to do (exit 2, main.ts). The English texts in the catalogue
 * (messages/help.ts) are commander's own, so English reads as it always did.
 *
 * commander words its errors as English prose; the errors are worded here from what commander
 * hands to the methods that raise them (the flag, the argument, the command), never parsed
 * out of that prose. Those methods (unknownCommand, unknownOption, missingArgument,
 * optionMissingArgument, _excessArguments) are commander's own and absent from its typings:
 * test/unit/usage.test.ts fails if an upgrade of commander stops calling them, and checks
 * that no command declares what would raise an error not worded here (choices, a custom
 * parser, a mandatory option).
 */
import { Command, Help, type Command as CommandType, type ErrorOptions, type Help as HelpType, type Option } from 'commander';
import { t, type Lang, type MessageKey } from '../messages/index.js';

/** commander's settings that the raisers below honour, which its typings leave out */
interface Settings {
  _allowUnknownOption: boolean;
  _allowExcessArguments: boolean;
}

const HEADINGS: Record<string, MessageKey> = {
  'Usage:': 'cli.help.usage',
  'Arguments:': 'cli.help.arguments',
  'Options:': 'cli.help.options',
  'Global Options:': 'cli.help.global_options',
  'Commands:': 'cli.help.commands',
};

const PLACEHOLDERS: Record<string, MessageKey> = {
  '[options]': 'cli.help.options_word',
  '[command]': 'cli.help.command_word',
};

/** `survey import [options] <file>` with commander's placeholders in the language of the run */
const placeholders = (usage: string) =>
  usage
    .split(' ')
    .map((word) => (PLACEHOLDERS[word] ? t(PLACEHOLDERS[word]) : word))
    .join(' ');

/** Display width of help text in Chinese (a CJK character takes two columns); null: commander's count of characters. */
let measure: ((s: string) => number) | null = null;

/**
 * The help of this run measures Chinese text by its display width, so that its columns line
 * up and its descriptions wrap within the terminal. Only in Chinese: the English help stays
 * commander's, byte for byte, and does not load the width tables.
 */
export async function measureHelpFor(lang: Lang): Promise<void> {
  measure = lang === 'zh' ? (await import('../io/width.js')).displayWidth : null;
}

// a line of Chinese may break between two characters, but never before a closing mark nor
// after an opening one
const CLOSING = '，。、；：！？）》」』】”’…,.;:!?)]}';
const OPENING = '（《「『【“‘([{';

/** The pieces of a line that a wrap keeps together, each with the spaces before it. */
function pieces(line: string, width: (s: string) => number): string[] {
  const out: string[] = [];
  let space = '';
  for (const ch of line) {
    if (/\s/.test(ch)) {
      space += ch;
      continue;
    }
    const prev = out.length > 0 ? out[out.length - 1].slice(-1) : '';
    const joins = space === '' && prev !== '' && (CLOSING.includes(ch) || OPENING.includes(prev) || (width(ch) < 2 && width(prev) < 2));
    if (joins) out[out.length - 1] += ch;
    else out.push(space + ch);
    space = '';
  }
  return out;
}

export class LocalHelp extends Help {
  /** `用法：salesops …`: commander puts a space after `Usage:`, a full-width colon needs none */
  override formatHelp(cmd: CommandType, helper: HelpType): string {
    const text = super.formatHelp(cmd, helper);
    const title = t('cli.help.usage');
    return title.endsWith('：') && text.startsWith(title + ' ') ? title + text.slice(title.length + 1) : text;
  }

  override styleTitle(title: string): string {
    const key = HEADINGS[title];
    return key ? t(key) : title;
  }

  override styleUsage(usage: string): string {
    return super.styleUsage(placeholders(usage));
  }

  override styleSubcommandTerm(term: string): string {
    return super.styleSubcommandTerm(placeholders(term));
  }

  /** commander's description of an option, its additions (choices, default, env) in the language of the run */
  override optionDescription(option: Option): string {
    const sep = t('cli.list_sep');
    const extras: string[] = [];
    if (option.argChoices) extras.push(t('cli.help.choices', { choices: option.argChoices.map((c) => JSON.stringify(c)).join(sep) }));
    const showDefault = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
    if (option.defaultValue !== undefined && showDefault) {
      extras.push(t('cli.help.default', { value: option.defaultValueDescription || JSON.stringify(option.defaultValue) }));
    }
    if (option.presetArg !== undefined && option.optional) extras.push(t('cli.help.preset', { value: JSON.stringify(option.presetArg) }));
    if (option.envVar !== undefined) extras.push(t('cli.help.env', { name: option.envVar }));
    if (extras.length === 0) return option.description;
    return t('cli.help.extra', { description: option.description, extras: extras.join(sep) }).trim();
  }

  override displayWidth(s: string): number {
    return measure ? measure(s) : super.displayWidth(s);
  }

  /** commander wraps at spaces only; Chinese has none between its words */
  override boxWrap(text: string, width: number): string {
    const w = measure;
    if (!w || width < this.minWidthToWrap) return super.boxWrap(text, width);
    const wrap = (line: string) => {
      const lines: string[] = [];
      let current = '';
      let used = 0;
      for (const piece of pieces(line, w)) {
        const pw = w(piece);
        if (current !== '' && used + pw > width) {
          lines.push(current);
          current = piece.trimStart();
          used = w(current);
        } else {
          current += piece;
          used += pw;
        }
      }
      return [...lines, current].join('\n');
    };
    return text.split(/\r\n|\n/).map(wrap).join('\n');
  }
}

// commander's guess at what was meant (its suggestSimilar): the candidates at the fewest
// edits (optimal string alignment distance), at most 3 and sharing at least 40% of the word
const MAX_DISTANCE = 3;

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > MAX_DISTANCE) return Math.max(a.length, b.length);
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d[i] = [i];
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let j = 1; j <= b.length; j++) {
    for (let i = 1; i <= a.length; i++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The words of `candidates` closest to `word` (`--rol` → `--role`), sorted. */
export function similarWords(word: string, candidates: readonly string[]): string[] {
  const options = word.startsWith('--');
  const bare = (s: string) => (options ? s.slice(2) : s);
  let similar: string[] = [];
  let best = MAX_DISTANCE;
  for (const candidate of new Set(candidates)) {
    const c = bare(candidate);
    if (c.length <= 1) continue;
    const distance = editDistance(bare(word), c);
    const length = Math.max(bare(word).length, c.length);
    if ((length - distance) / length <= 0.4) continue;
    if (distance < best) {
      best = distance;
      similar = [candidate];
    } else if (distance === best) similar.push(candidate);
  }
  return similar.sort((a, b) => bare(a).localeCompare(bare(b)));
}

/** `\n(Did you mean survey?)`, or nothing when no word is close. */
function suggestion(word: string, candidates: readonly string[]): string {
  const similar = similarWords(word, candidates);
  if (similar.length === 0) return '';
  const key = similar.length > 1 ? 'cli.usage.did_you_mean_one_of' : 'cli.usage.did_you_mean';
  return '\n' + t(key, { names: similar.join(t('cli.list_sep')) });
}

/** A command of salesops: commander's, with its help and its usage errors in the language of the run. */
export class SalesopsCommand extends Command {
  override createCommand(name?: string): SalesopsCommand {
    return new SalesopsCommand(name);
  }

  override createHelp(): HelpType {
    return Object.assign(new LocalHelp(), this.configureHelp());
  }

  /** `salesops staff list`: the command as typed, for the hint */
  private commandPath(): string {
    const names: string[] = [];
    for (let c: CommandType | null = this; c; c = c.parent) names.unshift(c.name());
    return names.join(' ');
  }

  /** every error commander raises ends with where to read the usage of the command at hand */
  override error(message: string, errorOptions?: ErrorOptions): never {
    return super.error(`${message}\n${t('cli.help_after_error', { command: this.commandPath() })}`, errorOptions);
  }

  private usageError(code: string, message: string, guess = ''): never {
    return this.error(t('cli.error', { message }) + guess, { code });
  }

  unknownCommand(): never {
    const name = this.args[0];
    const names = this.createHelp()
      .visibleCommands(this)
      .flatMap((c) => [c.name(), ...c.aliases().slice(0, 1)]);
    return this.usageError('commander.unknownCommand', t('cli.usage.unknown_command', { name }), suggestion(name, names));
  }

  unknownOption(flag: string): void {
    if ((this as unknown as Settings)._allowUnknownOption) return;
    // the flags of this command and of the commands above it (global options are taken anywhere)
    const flags: string[] = [];
    for (let c: CommandType | null = this; c; c = c.parent) {
      for (const o of c.createHelp().visibleOptions(c)) if (o.long) flags.push(o.long);
    }
    const guess = flag.startsWith('--') ? suggestion(flag, flags) : '';
    this.usageError('commander.unknownOption', t('cli.usage.unknown_option', { flag }), guess);
  }

  missingArgument(name: string): never {
    return this.usageError('commander.missingArgument', t('cli.usage.missing_argument', { name }));
  }

  optionMissingArgument(option: Option): never {
    return this.usageError('commander.optionMissingArgument', t('cli.usage.option_missing_argument', { flags: option.flags }));
  }

  _excessArguments(received: readonly string[]): void {
    if ((this as unknown as Settings)._allowExcessArguments) return;
    const expected = this.registeredArguments.length;
    const key = expected === 0 ? 'cli.usage.excess_arguments.none' : expected === 1 ? 'cli.usage.excess_arguments.one' : 'cli.usage.excess_arguments.other';
    const params = { name: this.name(), command: this.commandPath(), expected, got: received.length };
    this.usageError('commander.excessArguments', t(key, params));
  }
}
