/**
 * The program and its top-level commands. A command module is imported only when one of
 * its commands runs: `salesops survey import …` loads survey.ts and nothing of kpi.ts or
 * trips.ts, and `salesops --help` lists every command from COMMAND_GROUPS below without
 * importing any of them, so it starts about as fast as Node itself (SPEC §7).
 *
 * Adding a command: put it in COMMAND_GROUPS as `salesops --help` should list it (usage and
 * description); test/unit/commands.test.ts fails, showing the line, until the list and the
 * modules agree.
 */
import { readFileSync } from 'node:fs';
import { Option, type Command as CommandType } from 'commander';
import { globalOptions } from './options.js';
import { measureHelpFor, SalesopsCommand } from './usage.js';
import { t, type Lang } from '../messages/index.js';
import { KIND_NAMES } from '../io/kinds/index.js';
import { EXPORT_KINDS } from '../app/export/kinds.js';
import type { Stdio } from '../stdio.js';

type Register = (program: CommandType) => void;

export interface CommandGroup {
  /** imports the module that defines the commands and returns its register function */
  load: () => Promise<Register>;
  /** its top-level commands as the help lists them: usage (`name [options] <arg>`) and description */
  commands: [usage: string, description: () => string][];
}

/** In the order of `salesops --help`. */
export const COMMAND_GROUPS: CommandGroup[] = [
  { load: async () => (await import('./init.js')).registerInit, commands: [['init', () => t('init.description')]] },
  { load: async () => (await import('./staff.js')).registerStaff, commands: [['staff', () => t('staff.description')]] },
  { load: async () => (await import('./survey.js')).registerSurvey, commands: [['survey', () => t('survey.description')]] },
  { load: async () => (await import('./customers.js')).registerCustomers, commands: [['customers', () => t('customers.description')]] },
  {
    load: async () => (await import('./template.js')).registerTemplate,
    commands: [['template [options] <kind>', () => t('template.description') + ` (${KIND_NAMES.join('|')})`]],
  },
  { load: async () => (await import('./audit.js')).registerAudit, commands: [['audit [options]', () => t('audit.description')]] },
  { load: async () => (await import('./assign.js')).registerAssign, commands: [['assign [options]', () => t('assign.description')]] },
  {
    load: async () => (await import('./followups.js')).registerFollowups,
    commands: [
      ['events', () => t('events.description')],
      ['orders', () => t('orders.description')],
      ['followups', () => t('followups.description')],
    ],
  },
  {
    load: async () => (await import('./trips.js')).registerTrips,
    commands: [
      ['trips', () => t('trips.description')],
      ['expenses', () => t('expenses.description')],
      ['allowance [options]', () => t('allowance.description')],
      ['policy', () => t('policy.description')],
    ],
  },
  { load: async () => (await import('./kpi.js')).registerKpi, commands: [['kpi [options]', () => t('kpi.description')]] },
  { load: async () => (await import('./report.js')).registerReport, commands: [['report [options]', () => t('report.description')]] },
  {
    load: async () => (await import('./export.js')).registerExport,
    commands: [['export [options] <kind>', () => t('export.description') + ` (${EXPORT_KINDS.join('|')})`]],
  },
  {
    load: async () => (await import('./maintenance.js')).registerMaintenance,
    commands: [
      ['backup [options] <file>', () => t('backup.description')],
      ['restore [options] <file>', () => t('restore.description')],
      ['check', () => t('check.description')],
    ],
  },
  { load: async () => (await import('./dbCommand.js')).registerDb, commands: [['db', () => t('db.description')]] },
  { load: async () => (await import('./demo.js')).registerDemo, commands: [['demo [options]', () => t('demo.description')]] },
];

const commandName = (usage: string) => usage.split(' ', 1)[0];

/**
 * What the command line asks for: the command it names (the first operand after the
 * global options), or null for the program itself (no command, or -h/--help before it).
 * `help survey` names survey.
 */
export function requestedCommand(args: string[]): string | null {
  const withValue = new Set(globalOptions.filter((o) => o.flags.includes('<')).map((o) => o.flags.split(' ', 1)[0]));
  let afterHelp = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return args[i + 1] ?? null;
    if (!afterHelp && (a === '--help' || /^-[^-]*h/.test(a))) return null;
    if (a.startsWith('-')) {
      if (!a.includes('=') && withValue.has(a)) i++;
    } else if (a === 'help' && !afterHelp) afterHelp = true;
    else return a;
  }
  return null;
}

/**
 * The words of the command line with `help` turned into `--help`: `help survey import` and
 * `survey help import` are `survey import --help` (issue 15), as commander's help command
 * looks at one word only (`help survey import` showed the help of survey). The words after
 * `help` are followed down the commands; a word that names no command is left for commander
 * to report, with its guess (`survey help imprt` → unknown command 'imprt'); past a command
 * without subcommands the words are its operands and ignored, as `--help` ignores them.
 */
export function helpAsFlag(program: CommandType, args: readonly string[]): string[] {
  const withValue = new Set(globalOptions.filter((o) => o.flags.includes('<')).map((o) => o.flags.split(' ', 1)[0]));
  const out: string[] = [];
  let asked = false;
  let cmd = program;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return [...args];
    if (a.startsWith('-')) {
      out.push(a);
      if (withValue.has(a) && i + 1 < args.length) out.push(args[++i]);
    } else if (cmd.commands.length === 0) {
      if (!asked) return [...args];
    } else if (a === 'help' && !asked) {
      asked = true;
    } else {
      const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
      if (!sub) return asked ? [...out, ...args.slice(i)] : [...args];
      out.push(a);
      cmd = sub;
    }
  }
  return asked ? [...out, '--help'] : [...args];
}

/**
 * The program, with the commands the command line needs: the module of the command it
 * names; for the program's own help, stand-ins that only describe each command; for a
 * name that is no command, every module (so that commander's "did you mean" knows them).
 * Its help and usage errors are in the language of the run (usage.ts), and the help of
 * every command lists the global options it takes (issue 15).
 */
export async function buildProgram(lang: Lang, args: string[], io: Pick<Stdio, 'stdout' | 'stderr'>): Promise<CommandType> {
  // read as text, not required: the module loader's resolution and JSON loader cost a
  // millisecond of every start (issue 17); dist/cli/ and dist/bundle/ are both two folders down
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const name = requestedCommand(args);
  const group = name === null ? null : COMMAND_GROUPS.find((g) => g.commands.some(([u]) => commandName(u) === name));
  const loading = name === null ? [] : (group ? [group] : COMMAND_GROUPS).map((g) => g.load());
  const [registers] = await Promise.all([Promise.all(loading), measureHelpFor(lang)]);
  const program = new SalesopsCommand('salesops')
    .description(t('cli.description'))
    .version(pkg.version, '-V, --version', t('cli.help.version_option'))
    .helpOption('-h, --help', t('cli.help.help_option'))
    .helpCommand('help [command]', t('cli.help.help_command'))
    .exitOverride()
    .configureOutput({
      writeOut: (str) => void io.stdout.write(str),
      writeErr: (str) => void io.stderr.write(str),
      outputError: (str, write) => write(str),
    });
  // the usage of the stand-ins as COMMAND_GROUPS gives it (`template [options] <kind>`)
  const usage = new Map<CommandType, string>();
  // set before any command is made: commands take the help settings of the program
  program.configureHelp({
    showGlobalOptions: true,
    subcommandTerm(cmd) {
      return usage.get(cmd) ?? (Object.getPrototypeOf(this) as { subcommandTerm(c: CommandType): string }).subcommandTerm.call(this, cmd);
    },
  });
  for (const o of globalOptions) {
    const opt = new Option(o.flags, o.description[lang]);
    if (o.flags === '--db <path>') opt.env('SALESOPS_DB');
    program.addOption(opt);
  }
  if (name === null) {
    for (const g of COMMAND_GROUPS) {
      for (const [u, description] of g.commands) usage.set(program.command(commandName(u)).description(description()), u);
    }
  } else {
    for (const register of registers) register(program);
  }
  program.commands.forEach((c) => c.exitOverride());
  return program;
}
