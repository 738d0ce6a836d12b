/**
 * Entry point: declares the global options and the command groups, then maps every failure
 * to an exit code (SPEC §4). Command modules import their heavy dependencies (SQLite, CSV,
 * dayjs) inside their actions, so `salesops --help` stays as fast as Node itself.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { globalOptions } from './options.js';
import { langFromEnv, setLang, t, type Lang } from '../messages/index.js';
import { EXIT, UserError } from '../errors.js';
import { registerInit } from './init.js';
import { registerStaff } from './staff.js';
import { registerSurvey } from './survey.js';
import { registerCustomers } from './customers.js';
import { registerTemplate } from './template.js';
import { registerAudit } from './audit.js';
import { registerDemo } from './demo.js';
import { registerAssign } from './assign.js';
import { registerFollowups } from './followups.js';
import { registerTrips } from './trips.js';
import { registerKpi } from './kpi.js';
import { registerMaintenance } from './maintenance.js';

function preScanLang(argv: string[]): Lang {
  const i = argv.indexOf('--lang');
  const v = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7);
  return v === 'zh' || v === 'en' ? v : langFromEnv(process.env);
}

function buildProgram(lang: Lang): Command {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  const program = new Command('salesops')
    .description(t('cli.description'))
    .version(pkg.version, '-V, --version')
    .showHelpAfterError(t('cli.help_after_error'))
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });
  for (const o of globalOptions) {
    const opt = new Option(o.flags, o.description[lang]);
    if (o.flags === '--db <path>') opt.env('SALESOPS_DB');
    program.addOption(opt);
  }
  registerInit(program);
  registerStaff(program);
  registerSurvey(program);
  registerCustomers(program);
  registerTemplate(program);
  registerAudit(program);
  registerAssign(program);
  registerFollowups(program);
  registerTrips(program);
  registerKpi(program);
  registerMaintenance(program);
  registerDemo(program);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

function errorText(e: unknown): { text: string; code: number } {
  if (e instanceof UserError) {
    return { text: t('cli.error', { message: e.message }) + (e.hint ? '\n' + t('cli.hint', { hint: e.hint }) : ''), code: e.exitCode };
  }
  const err = e as { code?: string; message?: string; stack?: string };
  if (err?.code === 'SQLITE_BUSY' || err?.code === 'SQLITE_LOCKED') {
    return { text: t('cli.error', { message: t('db.busy') }) + '\n' + t('cli.hint', { hint: t('db.busy.hint') }), code: EXIT.error };
  }
  if (err?.code === 'EPIPE') return { text: '', code: EXIT.ok };
  const detail = process.env.SALESOPS_DEBUG ? '\n' + (err?.stack ?? String(e)) : '';
  return { text: t('cli.unexpected', { message: err?.message ?? String(e) }) + detail, code: EXIT.error };
}

async function main(): Promise<void> {
  const lang = preScanLang(process.argv);
  setLang(lang);
  const program = buildProgram(lang);
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; anything commander rejects is a usage error (exit 2)
      process.exitCode = e.exitCode === 0 ? 0 : EXIT.usage;
      return;
    }
    const { text, code } = errorText(e);
    if (text) process.stderr.write(text + '\n');
    process.exitCode = code;
  }
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // `salesops customers list | head` closes the pipe early: not an error
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

await main();
