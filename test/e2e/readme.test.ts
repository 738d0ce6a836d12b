/**
 * The README a new user needs (issue 15), held to the binary: every command and every
 * option that `--help` shows is named in the README, every command line the README shows
 * uses a command and options the binary has, every exit code of src/errors.ts is in its
 * table, and it tells how to install from the repository (no package is published).
 * Placeholders (<!-- … -->) do not count as documentation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sandbox, type Sandbox } from './harness.js';
import { EXIT } from '../../src/errors.js';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');

interface HelpPage {
  options: Set<string>;
  subcommands: Set<string>;
}

/** Long options and subcommands of one `--help` page (commander's English layout). */
function parseHelp(text: string): HelpPage {
  const page: HelpPage = { options: new Set(), subcommands: new Set() };
  let section = '';
  for (const line of text.split('\n')) {
    if (/^\S.*:$/.test(line)) section = line;
    else if (section === 'Options:') {
      for (const m of line.matchAll(/^ {2}(?:-\w, )?(--[a-z][\w-]*)/g)) page.options.add(m[1]);
    } else if (section === 'Commands:') {
      const m = /^ {2}([a-z][\w-]*)/.exec(line);
      if (m && m[1] !== 'help') page.subcommands.add(m[1]);
    }
  }
  page.options.delete('--help');
  return page;
}

/** The help page of every command, by its path (`''` the program, `'followups due'`…). */
const pages = new Map<string, HelpPage>();
let sb: Sandbox;

beforeAll(async () => {
  sb = sandbox();
  const walk = async (cmd: string[]): Promise<void> => {
    const r = await sb.run([...cmd, '--help']);
    expect(r.code, r.stderr).toBe(0);
    const page = parseHelp(r.stdout);
    pages.set(cmd.join(' '), page);
    for (const sub of page.subcommands) await walk([...cmd, sub]);
  };
  await walk([]);
});

afterAll(() => sb.cleanup());

/** `--x` named in the README as an option (not as the start of a longer one). */
const named = (option: string) => new RegExp(`${option.replace(/-/g, '\\-')}(?![\\w-])`).test(README);

describe('the README names what --help shows', () => {
  it('every command', () => {
    expect(pages.size).toBeGreaterThan(30);
    const missing = [...pages.keys()].filter((cmd) => cmd !== '' && !README.includes(`salesops ${cmd}`) && !README.includes(`\`${cmd}`));
    expect(missing).toEqual([]);
  });

  it('every option of every command', () => {
    const missing = [...pages].flatMap(([cmd, page]) => [...page.options].filter((o) => !named(o)).map((o) => `${cmd || 'salesops'} ${o}`));
    expect(missing).toEqual([]);
  });

  it('says that --help is the full reference', () => {
    expect(README).toContain('`salesops help COMMAND` or `salesops COMMAND --help`');
  });
});

/** Global options that take a value, as the program's help lists them. */
const VALUED = ['--db', '--format', '--lang', '--as-of'];

/** Every `salesops …` command line of the README: in sh/cron blocks, after `&&`, and in `code`. */
function commandLines(): string[] {
  const lines: string[] = [];
  for (const block of README.matchAll(/```(?:sh|cron)\n([\s\S]*?)```/g)) {
    for (const line of block[1].split('\n')) lines.push(...line.split(/&&|\|\||;|\|/));
  }
  for (const span of README.matchAll(/`(salesops [^`]+)`/g)) lines.push(span[1]);
  return lines.map((l) => l.replace(/#.*$/, '').trim()).filter((l) => /(^|\s)salesops\s/.test(l));
}

describe('every command line the README shows runs as written', () => {
  it('uses a command and options the binary has', () => {
    const global = pages.get('')!.options;
    const wrong: string[] = [];
    let checked = 0;
    for (const line of commandLines()) {
      const tokens = line.slice(line.search(/(^|\s)salesops\s/)).trim().split(/\s+/).slice(1).map((t) => t.replace(/^\[|\]$/g, ''));
      // global options before the command
      while (tokens[0]?.startsWith('-')) tokens.splice(0, VALUED.includes(tokens[0]) ? 2 : 1);
      if (!/^[a-z]/.test(tokens[0] ?? '')) continue; // `salesops COMMAND --help`, `salesops "$@"`
      let cmd = '';
      while (tokens.length && pages.get(cmd)?.subcommands.has(tokens[0])) cmd = [cmd, tokens.shift()].filter(Boolean).join(' ');
      if (cmd === '' && tokens[0] !== 'help') {
        wrong.push(`${line}: no command ${tokens[0]}`);
        continue;
      }
      checked++;
      const known = new Set([...global, ...(pages.get(cmd)?.options ?? []), '--help']);
      for (const t of tokens) if (/^--[a-z]/.test(t) && !known.has(t.replace(/=.*$/, ''))) wrong.push(`${line}: ${cmd} has no ${t}`);
    }
    expect(checked).toBeGreaterThan(60);
    expect(wrong).toEqual([]);
  });
});

describe('the rest a new user needs', () => {
  it('every exit code is in the table', () => {
    for (const code of Object.values(EXIT)) expect(README, `exit ${code}`).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });

  it('installs, upgrades and uninstalls from the repository, not from a registry package', () => {
    expect(README).not.toMatch(/salesops@latest/);
    for (const step of ['npm ci', 'npm install -g .', 'git pull', 'npm uninstall -g salesops']) expect(README).toContain(step);
  });

  it('says how to re-run the performance figures', () => {
    const perf = README.slice(README.indexOf('## Performance'));
    expect(perf).toContain('npm run bench');
  });
});
