/**
 * `salesops --help` lists the commands from COMMAND_GROUPS (src/cli/commands.ts) without
 * importing their modules. This keeps that list honest: the help must read exactly as it
 * does with every module loaded, and each command must belong to the module that defines it.
 */
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { buildProgram, COMMAND_GROUPS, helpAsFlag, requestedCommand } from '../../src/cli/commands.js';
import { setLang, type Lang } from '../../src/messages/index.js';
import { processStdio } from '../../src/stdio.js';

describe('the command list of salesops --help', () => {
  for (const lang of ['en', 'zh'] as Lang[]) {
    it(`reads as with every command module loaded (${lang})`, async () => {
      setLang(lang);
      const full = (await buildProgram(lang, ['no-such-command'], processStdio())).helpInformation();
      const listed = (await buildProgram(lang, ['--help'], processStdio())).helpInformation();
      // on failure: update COMMAND_GROUPS in src/cli/commands.ts to read as `full`
      expect(listed).toBe(full);
    });
  }

  it('names, for each module, the commands it defines', async () => {
    for (const group of COMMAND_GROUPS) {
      const program = new Command('salesops');
      (await group.load())(program);
      expect(program.commands.map((c) => c.name())).toEqual(group.commands.map(([usage]) => usage.split(' ')[0]));
    }
  });

  it('lists the report workbook after kpi (issue 16)', () => {
    const usages = COMMAND_GROUPS.flatMap((g) => g.commands.map(([usage]) => usage));
    const kpi = usages.indexOf('kpi [options]');
    expect(usages.slice(kpi, kpi + 2)).toEqual(['kpi [options]', 'report [options]']);
    expect(requestedCommand(['--lang', 'zh', 'report', '--period', '2024-07'])).toBe('report');
  });

  it('finds the command on the command line', () => {
    expect(requestedCommand(['survey', 'import', 'x.csv'])).toBe('survey');
    expect(requestedCommand(['--db', 'survey.db', '--lang=zh', '--quiet', 'staff', 'list'])).toBe('staff');
    expect(requestedCommand(['help', '--lang', 'zh', 'kpi'])).toBe('kpi');
    expect(requestedCommand(['--help', 'survey'])).toBeNull();
    expect(requestedCommand(['-h'])).toBeNull();
    expect(requestedCommand(['--as-of', '2024-01-01'])).toBeNull();
    expect(requestedCommand(['survey', '--help'])).toBe('survey');
  });

  it.each([
    [['help', 'survey', 'import'], ['survey', 'import', '--help']],
    [['--lang', 'zh', 'help', 'staff', 'leave'], ['--lang', 'zh', 'staff', 'leave', '--help']],
    [['--db=x.db', 'help', '--lang', 'zh', 'kpi'], ['--db=x.db', '--lang', 'zh', 'kpi', '--help']],
    [['help'], ['--help']],
    [['help', 'staff'], ['staff', '--help']],
    [['help', 'staff', 'leav', 'R1'], ['staff', 'leav', 'R1']],
    [['help', 'nosuch'], ['nosuch']],
    [['help', 'template', 'staff'], ['template', '--help']],
    [['survey', 'help', 'import'], ['survey', 'import', '--help']],
    [['survey', 'help', 'imprt'], ['survey', 'imprt']],
    [['staff', '--lang', 'zh', 'help', 'leave'], ['staff', '--lang', 'zh', 'leave', '--help']],
    [['survey', 'import', 'help'], ['survey', 'import', 'help']],
    [['staff', 'list', '--', 'help'], ['staff', 'list', '--', 'help']],
    [['staff', 'leave', 'help'], ['staff', 'leave', 'help']],
    [['--as-of', 'help', 'kpi'], ['--as-of', 'help', 'kpi']],
  ])('reads help %j as %j', async (args, asFlag) => {
    const program = await buildProgram('en', args, processStdio());
    expect(helpAsFlag(program, args)).toEqual(asFlag);
  });
});
