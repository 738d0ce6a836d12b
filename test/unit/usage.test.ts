/**
 * commander in the language of the run (src/cli/usage.ts, issue 15): in English its errors
 * and help read exactly as commander's own; in Chinese every one of them is worded by
 * salesops, which holds only while commander calls the methods usage.ts overrides (an
 * upgrade that renames them fails here), and while no command declares what would raise an
 * error usage.ts does not word.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Command, Option } from 'commander';
import { buildProgram } from '../../src/cli/commands.js';
import { SalesopsCommand, similarWords } from '../../src/cli/usage.js';
import { setLang } from '../../src/messages/index.js';
import { processStdio } from '../../src/stdio.js';

afterEach(() => setLang('en'));

/**
 * One small program, as plain commander or as salesops makes it, its errors written to
 * `err` (set on the program before its commands are made: they take its settings).
 */
function program(make: (name: string) => Command, err: string[] = []): Command {
  const p = make('salesops')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: (s) => void err.push(s) });
  if (!(p instanceof SalesopsCommand)) p.showHelpAfterError('(run with --help for usage)');
  p.option('--quiet').option('--as-of <date>');
  const survey = p.command('survey');
  survey.command('import <file>').option('--encoding <name>').action(() => {});
  const staff = p.command('staff');
  staff.command('list').option('--role <role>').option('--team <team>').action(() => {});
  staff.command('leave <staff_id>').action(() => {});
  p.command('pair <a> <b>').action(() => {});
  return p;
}

/** What a command line writes to stderr. */
function stderrOf(make: (name: string) => Command, argv: string[]): string {
  const err: string[] = [];
  const p = program(make, err);
  // commander throws once it has said the error (exitOverride)
  expect(() => p.parse(argv, { from: 'user' })).toThrow();
  return err.join('');
}

const BAD: string[][] = [
  ['survy'],
  ['staff', 'leav'],
  ['staff', 'list', '--rol', 'rep'],
  ['staff', 'list', '--quite'],
  ['staff', 'list', '--bogus'],
  ['staff', 'list', '-x'],
  ['staff', 'list', '--role'],
  ['staff', 'list', 'R1'],
  ['staff', 'leave'],
  ['survey', 'import', 'a.csv', 'b.csv'],
  ['pair', 'a', 'b', 'c'],
  ['pair', 'a'],
];

describe('usage errors', () => {
  it.each(BAD)('in English read as commander says them: %s', (...argv) => {
    setLang('en');
    const ours = stderrOf((n) => new SalesopsCommand(n), argv);
    expect(ours).toMatch(/^error: /);
    expect(ours).toBe(stderrOf((n) => new Command(n), argv));
  });

  it.each(BAD)('in Chinese are worded by salesops: %s', (...argv) => {
    setLang('zh');
    const ours = stderrOf((n) => new SalesopsCommand(n), argv);
    expect(ours).toMatch(/^错误：/);
    expect(ours).toMatch(/\n怎么办：运行 salesops.* --help 查看用法\n$/);
    expect(ours).not.toMatch(/error|unknown|missing|argument|Did you mean/);
  });

  it('no command declares choices, a parser, a mandatory option or a conflict (their errors would be in English)', async () => {
    const all = await buildProgram('en', ['no-such-command'], processStdio());
    const found: string[] = [];
    const walk = (c: Command, path: string) => {
      for (const o of c.options as readonly Option[]) {
        if (o.argChoices || o.parseArg || o.mandatory || (o as Option & { conflictsWith: string[] }).conflictsWith.length > 0) found.push(`${path} ${o.flags}`);
      }
      for (const a of c.registeredArguments) if (a.argChoices || a.parseArg) found.push(`${path} <${a.name()}>`);
      for (const sub of c.commands) walk(sub, `${path} ${sub.name()}`);
    };
    walk(all, 'salesops');
    // on failure: word its error in src/cli/usage.ts (zh and en) and add its case above
    expect(found).toEqual([]);
  });
});

describe('the guess at what was meant', () => {
  it.each([
    ['surve', ['survey', 'staff', 'help'], ['survey']],
    ['--rol', ['--role', '--team', '--help'], ['--role']],
    ['--quite', ['--quiet', '--role'], ['--quiet']],
    ['stuff', ['staff', 'stuffed'], ['staff']],
    ['xyz', ['survey', 'staff'], []],
    ['--x', ['--y', '--xy'], ['--xy']],
    ['--zzz', ['--role', '--team'], []],
    ['kpj', ['kpi', 'kpx'], ['kpi', 'kpx']],
  ])('%s among %j: %j', (word, candidates, similar) => {
    expect(similarWords(word, candidates)).toEqual(similar);
  });
});

describe('help', () => {
  it('English is commander\'s own, word for word', async () => {
    setLang('en');
    for (const argv of [[], ['staff'], ['staff', 'list']]) {
      const [ours, theirs] = [program((n) => new SalesopsCommand(n)), program((n) => new Command(n))];
      const find = (p: Command) => argv.reduce((c, name) => c.commands.find((x) => x.name() === name)!, p);
      expect(find(ours).helpInformation()).toBe(find(theirs).helpInformation());
    }
  });

  it('Chinese headings, placeholders and additions', async () => {
    setLang('zh');
    const p = program((n) => new SalesopsCommand(n));
    p.addOption(new Option('--db <path>', '数据库文件').env('SALESOPS_DB'));
    const text = p.helpInformation();
    expect(text).toMatch(/^用法：salesops \[选项\] \[命令\]\n/);
    expect(text).toContain('\n选项：\n');
    expect(text).toContain('\n命令：\n');
    expect(text).toContain('数据库文件（环境变量 SALESOPS_DB）');
    const list = p.commands.find((c) => c.name() === 'staff')!.commands.find((c) => c.name() === 'list')!;
    expect(list.helpInformation()).toMatch(/^用法：salesops staff list \[选项\]\n/);
  });
});
