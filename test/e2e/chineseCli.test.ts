/**
 * The command line itself in Chinese (issue 15): commander's help and usage errors with
 * `--lang zh` (or LANG / LC_ALL), `help` followed down to nested commands, the global options
 * in the help of every command; and in English as they always read. The prompts are
 * test/e2e/prompts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ROOT, sandboxesPerTest, sandbox } from './harness.js';
import { runInProcess } from './inProcess.js';

const s = sandboxesPerTest();
const run = (args: string[], lang: 'zh' | 'en') => s.keep(sandbox()).run(args, { lang });

/** commander's English words, none of which a Chinese help or error may show */
const ENGLISH = ['Usage:', 'Options:', 'Commands:', 'Arguments:', 'Global Options:', 'display help', 'output the version', '[options]', '[command]', '(env:', 'error:', 'Did you mean', 'run with --help'];

describe('usage errors', () => {
  it('an unknown command, with the guess, in Chinese: exit 2', async () => {
    const r = await run(['survy', 'import', 'x.csv'], 'zh');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('错误：没有 survy 这个命令\n（是不是要输入 survey？）\n怎么办：运行 salesops --help 查看用法\n');
  });

  it('an unknown command in English, as commander says it', async () => {
    const r = await run(['survy', 'import', 'x.csv'], 'en');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown command 'survy'\n(Did you mean survey?)\n(run with --help for usage)\n");
  });

  it('an unknown subcommand names the command whose help to read', async () => {
    const zh = await run(['staff', 'leav', 'R1'], 'zh');
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe('错误：没有 leav 这个命令\n（是不是要输入 leave？）\n怎么办：运行 salesops staff --help 查看用法\n');
    const en = await run(['staff', 'leav', 'R1'], 'en');
    expect(en.stderr).toBe("error: unknown command 'leav'\n(Did you mean leave?)\n(run with --help for usage)\n");
  });

  it('a missing argument', async () => {
    const zh = await run(['staff', 'leave'], 'zh');
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe('错误：缺少参数 staff_id\n怎么办：运行 salesops staff leave --help 查看用法\n');
    const en = await run(['staff', 'leave'], 'en');
    expect(en.code).toBe(2);
    expect(en.stderr).toBe("error: missing required argument 'staff_id'\n(run with --help for usage)\n");
  });

  it('an unknown option, with the guess (global options included)', async () => {
    const zh = await run(['staff', 'list', '--rol', 'rep'], 'zh');
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe('错误：没有 --rol 这个选项\n（是不是要输入 --role？）\n怎么办：运行 salesops staff list --help 查看用法\n');
    const en = await run(['staff', 'list', '--rol', 'rep'], 'en');
    expect(en.stderr).toBe("error: unknown option '--rol'\n(Did you mean --role?)\n(run with --help for usage)\n");
    const global = await run(['staff', 'list', '--quite'], 'zh');
    expect(global.stderr).toContain('（是不是要输入 --quiet？）');
  });

  it('too many arguments', async () => {
    const zh = await run(['survey', 'import', 'a.csv', 'b.csv'], 'zh');
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe('错误：参数太多：salesops survey import 只接受 1 个参数，实际给了 2 个\n怎么办：运行 salesops survey import --help 查看用法\n');
    const en = await run(['survey', 'import', 'a.csv', 'b.csv'], 'en');
    expect(en.stderr).toBe("error: too many arguments for 'import'. Expected 1 argument but got 2.\n(run with --help for usage)\n");
    const none = await run(['staff', 'list', 'R1'], 'zh');
    expect(none.stderr).toContain('错误：参数太多：salesops staff list 不接受参数，实际给了 1 个');
  });

  it('an option without its value', async () => {
    const zh = await run(['staff', 'list', '--role'], 'zh');
    expect(zh.code).toBe(2);
    expect(zh.stderr).toBe('错误：选项 --role <role> 后面缺少取值\n怎么办：运行 salesops staff list --help 查看用法\n');
    const en = await run(['staff', 'list', '--role'], 'en');
    expect(en.stderr).toBe("error: option '--role <role>' argument missing\n(run with --help for usage)\n");
  });

  it('an unknown --lang is said in the language of LANG', async () => {
    const sb = s.keep(sandbox());
    const r = await runInProcess(ROOT, ['--db', sb.db, '--lang', 'fr', 'staff', 'list'], { cwd: sb.dir, env: { ...process.env, LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('错误：--lang fr：请用 zh 或 en');
  });
});

describe('help', () => {
  it('salesops --lang zh --help is Chinese all through, and as fast to build as ever', async () => {
    const r = await run(['--help'], 'zh');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^用法：salesops \[选项\] \[命令\]\n/);
    for (const heading of ['\n选项：\n', '\n命令：\n', '显示版本号', '显示本命令的帮助', 'help [命令]', '显示某个命令的帮助', '（环境变量 SALESOPS_DB）']) expect(r.stdout).toContain(heading);
    for (const word of ENGLISH) expect(r.stdout).not.toContain(word);
  });

  it('LANG=zh_CN.UTF-8 or LC_ALL=zh_CN.UTF-8 without --lang: Chinese', async () => {
    for (const env of [{ LANG: 'zh_CN.UTF-8', LC_ALL: '' }, { LANG: 'C', LC_ALL: 'zh_CN.UTF-8' }]) {
      const sb = s.keep(sandbox());
      const r = await runInProcess(ROOT, ['staff', 'leave', '--help'], { cwd: sb.dir, env: { ...process.env, LC_MESSAGES: '', NO_COLOR: '1', ...env } });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^用法：salesops staff leave \[选项\] <staff_id>\n/);
      for (const word of ENGLISH) expect(r.stdout).not.toContain(word);
    }
  });

  it('help survey import shows the help of survey import (zh)', async () => {
    const r = await run(['help', 'survey', 'import'], 'zh');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^用法：salesops survey import \[选项\] <file>\n/);
    expect(r.stdout).toContain('--skip-invalid');
    for (const word of ENGLISH) expect(r.stdout).not.toContain(word);
  });

  it('help survey import shows the help of survey import (en), as survey help import and --help do', async () => {
    const r = await run(['help', 'survey', 'import'], 'en');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: salesops survey import \[options\] <file>\n/);
    expect((await run(['survey', 'help', 'import'], 'en')).stdout).toBe(r.stdout);
    expect((await run(['survey', 'import', '--help'], 'en')).stdout).toBe(r.stdout);
  });

  it('help follows every nested command, and help of a group is the group', async () => {
    for (const [words, usage] of [
      [['help', 'staff', 'leave'], 'salesops staff leave [options] <staff_id>'],
      [['help', 'followups', 'done'], 'salesops followups done [options] [customer]'],
      [['help', 'policy', 'show'], 'salesops policy show [options]'],
      [['help', 'staff'], 'salesops staff [options] [command]'],
      [['help', 'kpi'], 'salesops kpi [options]'],
      [['help', 'template', 'staff'], 'salesops template [options] <kind>'],
    ] as [string[], string][]) {
      const r = await run(words, 'en');
      expect(r.code, words.join(' ')).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe(`Usage: ${usage}`);
    }
  });

  it('help of a command that does not exist is the unknown command, with the guess', async () => {
    const zh = await run(['help', 'staff', 'leav'], 'zh');
    expect(zh.code).toBe(2);
    expect(zh.stdout).toBe('');
    expect(zh.stderr).toBe('错误：没有 leav 这个命令\n（是不是要输入 leave？）\n怎么办：运行 salesops staff --help 查看用法\n');
    const nested = await run(['survey', 'help', 'imprt'], 'zh');
    expect(nested.code).toBe(2);
    expect(nested.stderr).toBe('错误：没有 imprt 这个命令\n（是不是要输入 import？）\n怎么办：运行 salesops survey --help 查看用法\n');
    const en = await run(['help', 'nosuch'], 'en');
    expect(en.code).toBe(2);
    expect(en.stderr).toBe("error: unknown command 'nosuch'\n(run with --help for usage)\n");
  });

  it('the help of a command lists the global options it takes, headed 全局选项 in Chinese', async () => {
    const zh = await run(['staff', 'list', '--help'], 'zh');
    const global = zh.stdout.slice(zh.stdout.indexOf('\n全局选项：\n'));
    expect(zh.stdout).toContain('\n全局选项：\n');
    for (const flag of ['--db <path>', '--format <format>', '--lang <lang>', '--as-of <date>', '--no-color', '--quiet', '--progress', '--no-input']) expect(global).toContain(flag);
    expect(global).toContain('以该日期为“今天”');
    const en = await run(['staff', 'list', '--help'], 'en');
    expect(en.stdout).toContain('\nGlobal Options:\n');
    expect(en.stdout).toContain('treat this date as today');
    // the program's own help lists them once, as its options
    expect((await run(['--help'], 'en')).stdout).not.toContain('Global Options:');
  });

  it('a global option given after the command is honoured, as its help says', async () => {
    const sb = s.keep(sandbox());
    const r = await sb.run(['template', 'staff', '--lang', 'zh', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('工号');
  });

  it('Chinese descriptions wrap within 80 columns, never before a closing mark', async () => {
    const { displayWidth } = await import('../../src/io/width.js');
    const r = await run(['--help'], 'zh');
    const lines = r.stdout.split('\n').filter((l) => !l.includes('(staff|customers|'));
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    for (const line of lines) expect(line.trimStart()).not.toMatch(/^[，。、；：）」』】]/);
    // the columns line up: every description in the list of commands starts at one column
    const list = r.stdout.slice(r.stdout.indexOf('\n命令：\n')).split('\n');
    const starts = new Set<number>();
    for (const line of list) {
      const gap = /^ {2}\S+(?: \S+)* {2,}(?=\S)/.exec(line);
      if (gap) starts.add(displayWidth(gap[0]));
    }
    expect(starts.size).toBe(1);
  });
});
