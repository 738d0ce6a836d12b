/**
 * What every command gets from the global options: where the database is, how to print,
 * which language, which day is "today", whether it may prompt.
 */
import type { Command } from 'commander';
import dayjs from 'dayjs';
import { UsageError } from '../errors.js';
import { langFromEnv, setLang, t, type Lang, type MessageKey, type Params } from '../messages/index.js';
import { globalOptions, type Format } from './options.js';
import { HEADER_NAMES, OUTPUT_FORMATS as FORMATS, type HeaderNames } from '../io/output/formats.js';
import { parseDate } from '../domain/values.js';
import { stdio, type Stdio } from '../stdio.js';
import { redactAddress, redactSecrets } from '../store/address.js';

export interface Ctx {
  dbPath: string;
  /** the database as messages name it: a server's address with its password as *** (issue 19) */
  dbShown: string;
  format: Format;
  /** true when --format was given (table output may otherwise adapt to a pipe) */
  formatGiven: boolean;
  /**
   * the file of the command's `--out` (issue 16: cli/output.ts withOut), whose extension set
   * `format`; unset: stdout
   */
  outFile?: string;
  lang: Lang;
  /** --headers: how a csv/tsv names its columns; unset: as fits where it goes (issue 15: cli/output.ts stdoutFile, export) */
  headers?: HeaderNames;
  /** --bom / --no-bom: whether a csv starts with a BOM; unset: as fits where it goes (a file yes, a pipe no) */
  bom?: boolean;
  asOf: string;
  color: boolean;
  quiet: boolean;
  /** --progress: progress lines on stderr even when it is not a terminal */
  progress: boolean;
  interactive: boolean;
  stdoutIsTTY: boolean;
  /** the streams, environment and arguments of this run (the process's, or a test's) */
  io: Stdio;
  /** the command line as typed (after `salesops`), for the change log: `trips import trips.csv` */
  command: string;
  /** the whole command line for the audit log (`--db` included, its password as ***) */
  detail: string;
  /** data → stdout */
  out(text: string): void;
  /** a notice → stderr (not with --quiet) */
  info(key: MessageKey, params?: Params): void;
  /** a warning → stderr (always) */
  warn(text: string): void;
}

/** The machine's local calendar date (also for what happens now, whatever --as-of says). */
export function today(d: Date = new Date()): string {
  // local calendar date, never UTC (a cron job at 07:00 in Beijing is still "today")
  return dayjs(d).format('YYYY-MM-DD');
}

export function makeCtx(cmd: Command): Ctx {
  const o = cmd.optsWithGlobals() as Record<string, unknown>;
  const io = stdio();
  const env = io.env;
  const langOpt = o.lang as string | undefined;
  if (langOpt !== undefined && langOpt !== 'zh' && langOpt !== 'en') {
    throw new UsageError(t('cli.bad_lang', { value: langOpt }));
  }
  const lang: Lang = (langOpt as Lang | undefined) ?? langFromEnv(env);
  setLang(lang);
  const fmt = (o.format as string | undefined) ?? 'table';
  if (!(FORMATS as readonly string[]).includes(fmt)) {
    throw new UsageError(t('cli.bad_format', { value: fmt, formats: FORMATS.join('|') }));
  }
  const headers = o.headers as string | undefined;
  if (headers !== undefined && !(HEADER_NAMES as readonly string[]).includes(headers)) {
    throw new UsageError(t('cli.bad_headers', { value: headers }));
  }
  let asOf = today(io.now());
  if (o.asOf !== undefined) {
    const d = parseDate(String(o.asOf));
    if (!d) throw new UsageError(t('cli.bad_as_of', { value: String(o.asOf) }));
    asOf = d;
  }
  const stdoutIsTTY = Boolean(io.stdout.isTTY);
  const color =
    o.color !== false && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb' && Boolean(io.stderr.isTTY);
  const quiet = Boolean(o.quiet);
  const interactive = o.input !== false && io.stdinIsTTY && stdoutIsTTY && env.CI !== 'true';
  const dbPath = (o.db as string | undefined) ?? env.SALESOPS_DB ?? './salesops.db';
  return {
    dbPath,
    dbShown: redactAddress(dbPath),
    format: fmt as Format,
    formatGiven: o.format !== undefined,
    lang,
    headers: headers as HeaderNames | undefined,
    bom: o.bom as boolean | undefined,
    asOf,
    color,
    quiet,
    progress: Boolean(o.progress) && !quiet,
    interactive,
    stdoutIsTTY,
    io,
    command: commandLine(withoutGlobalOptions(io.argv).map(redactSecrets)),
    detail: auditDetail(io.argv),
    out: (text) => {
      io.stdout.write(text.endsWith('\n') || text === '' ? text : text + '\n');
    },
    info: (key, params) => {
      if (!quiet) io.stderr.write(t(key, params) + '\n');
    },
    warn: (text) => {
      io.stderr.write(text + '\n');
    },
  };
}

/** The words of the command for the audit log, a server's password never among them (issue 19). */
export function auditDetail(argv: readonly string[]): string {
  return argv.map(redactSecrets).join(' ');
}

/** argv as one line a person can read and paste again (quoted where a word needs it). */
export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\p{L}\p{N}_@%+=:,./-][\p{L}\p{N}_@%+=:,./#-]*$/u.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * argv without the global options before the command (`--db PATH`, `--lang zh`, …): what the
 * change log shows as "the command" is what was done, not where or how it was printed.
 * `--as-of` stays: it decides what an import accepts.
 */
export function withoutGlobalOptions(argv: readonly string[]): string[] {
  const valued = new Set(globalOptions.filter((o) => o.flags.includes('<')).map((o) => o.flags.split(' ')[0]));
  const flags = new Set(globalOptions.map((o) => o.flags.split(' ')[0]));
  const out: string[] = [];
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i++) {
    const [name, inline] = argv[i].split('=', 2);
    if (!flags.has(name)) break;
    const keep = name === '--as-of';
    if (keep) out.push(argv[i]);
    if (valued.has(name) && inline === undefined) {
      i++;
      if (keep && i < argv.length) out.push(argv[i]);
    }
  }
  // `--db` after the command (commander takes it there too) says where as well
  const rest: string[] = [];
  for (let j = i; j < argv.length; j++) {
    if (argv[j] === '--db') j++;
    else if (!argv[j].startsWith('--db=')) rest.push(argv[j]);
  }
  return [...out, ...rest];
}
