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
import { createRequire } from 'node:module';
import type { Command as CommandType } from 'commander';
import { globalOptions } from './options.js';
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
  {
    load: async () => (await import('./export.js')).registerExport,
    commands: [['export [options] <kind>', () => t('export.description') + ` (${EXPORT_KINDS.join('|')})`]],
  },
  {
    load: async () => (await import('./maintenance.js')).registerMaintenance,
    commands: [
      ['backup <file>', () => t('backup.description')],
      ['restore [options] <file>', () => t('restore.description')],
      ['check', () => t('check.description')],
    ],
  },
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
 * The program, with the commands the command line needs: the module of the command it
 * names; for the program's own help, stand-ins that only describe each command; for a
 * name that is no command, every module (so that commander's "did you mean" knows them).
 */
export async function buildProgram(lang: Lang, args: string[], io: Pick<Stdio, 'stdout' | 'stderr'>): Promise<CommandType> {
  const require = createRequire(import.meta.url);
  const { Command, Option } = require('commander') as typeof import('commander');
  const pkg = require('../../package.json') as { version: string };
  const program = new Command('salesops')
    .description(t('cli.description'))
    .version(pkg.version, '-V, --version')
    .showHelpAfterError(t('cli.help_after_error'))
    .exitOverride()
    .configureOutput({
      writeOut: (str) => void io.stdout.write(str),
      writeErr: (str) => void io.stderr.write(str),
      outputError: (str, write) => write(str),
    });
  for (const o of globalOptions) {
    const opt = new Option(o.flags, o.description[lang]);
    if (o.flags === '--db <path>') opt.env('SALESOPS_DB');
    program.addOption(opt);
  }
  const name = requestedCommand(args);
  if (name === null) {
    const usage = new Map<CommandType, string>();
    for (const g of COMMAND_GROUPS) {
      for (const [u, description] of g.commands) usage.set(program.command(commandName(u)).description(description()), u);
    }
    program.configureHelp({
      subcommandTerm(cmd) {
        return usage.get(cmd) ?? (Object.getPrototypeOf(this) as { subcommandTerm(c: CommandType): string }).subcommandTerm.call(this, cmd);
      },
    });
  } else {
    const group = COMMAND_GROUPS.find((g) => g.commands.some(([u]) => commandName(u) === name));
    const registers = await Promise.all((group ? [group] : COMMAND_GROUPS).map((g) => g.load()));
    for (const register of registers) register(program);
  }
  program.commands.forEach((c) => c.exitOverride());
  return program;
}
