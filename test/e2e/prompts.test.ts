/**
 * Prompts and what a script gets instead (issue 15): every missing flag named at once
 * (exit 2), and `template --out` that never replaces a filled-in sheet without --force; on a
 * terminal, the prompts in the language of the run. Ctrl-C at a prompt is
 * test/unit/prompts.test.ts.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sandboxesPerTest } from './harness.js';
import { onLinux, onTerminal } from './terminal.js';

const s = sandboxesPerTest();


const DOWN = '\x1b[B';
const ENTER = '\r';

describe.runIf(onLinux)('prompts on a terminal', () => {
  it('zh: the roles to choose from read in Chinese, the keys hint too; the code is stored', async () => {
    const sb = await s.roster();
    const r = await onTerminal(
      ['--db', sb.db, '--lang', 'zh', '--as-of', '2024-07-31', 'staff', 'add', '--id', 'R9', '--name', '钱七', '--hired-on', '2024-07-01'],
      [
        [/确定/, DOWN],
        [/❯ 销售主管/, ENTER],
      ],
    );
    expect(r.pending).toBe(0);
    expect(r.code).toBe(0);
    for (const word of ['岗位：', '销售代表', '销售主管', '销售经理', '顾服主管医生', '总经理', '↑↓ 上下移动 • ⏎ 确定']) expect(r.screen).toContain(word);
    for (const word of ['navigate', 'select', 'rep', 'supervisor']) expect(r.screen).not.toContain(word);
    expect(sb.query("SELECT role FROM staff WHERE staff_id = 'R9'")).toEqual([{ role: 'supervisor' }]);
  });

  it('en: the codes, and inquirer\'s own hint, as before', async () => {
    const sb = await s.roster();
    const r = await onTerminal(
      ['--db', sb.db, '--lang', 'en', '--as-of', '2024-07-31', 'staff', 'add', '--id', 'R9', '--name', 'Qian', '--hired-on', '2024-07-01'],
      [
        [/select/, DOWN],
        [/❯ supervisor/, ENTER],
      ],
    );
    expect(r.code).toBe(0);
    for (const word of ['Role:', 'rep', 'supervisor', 'manager', 'doctor', 'gm', '↑↓ navigate • ⏎ select']) expect(r.screen).toContain(word);
    expect(sb.query("SELECT role FROM staff WHERE staff_id = 'R9'")).toEqual([{ role: 'supervisor' }]);
  });

  it('zh: an empty answer is asked again, in Chinese', async () => {
    const sb = await s.roster();
    const r = await onTerminal(
      ['--db', sb.db, '--lang', 'zh', '--as-of', '2024-07-31', 'staff', 'add', '--id', 'R9', '--role', 'rep', '--hired-on', '2024-07-01'],
      [
        [/姓名：/, ENTER],
        [/必须填写/, '钱七' + ENTER],
      ],
    );
    expect(r.pending).toBe(0);
    expect(r.code).toBe(0);
    expect(r.screen).not.toContain('You must provide');
    expect(sb.query("SELECT name FROM staff WHERE staff_id = 'R9'")).toEqual([{ name: '钱七' }]);
  });
});

describe('missing flags without a terminal', () => {
  it('staff add names every missing flag in one usage error', async () => {
    const sb = await s.roster();
    const r = await sb.run(['staff', 'add', '--id', 'R9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name, --role and --hired-on are required when not running interactively');
    expect(r.stderr).not.toContain('bug');
    expect(sb.query("SELECT staff_id FROM staff WHERE staff_id = 'R9'")).toEqual([]);
  });

  it('says it in Chinese with --lang zh', async () => {
    const sb = await s.roster();
    const r = await sb.run(['--lang', 'zh', 'staff', 'add']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('非交互运行时必须提供 --id、--name、--role 和 --hired-on');
  });

  it('followups done names the customer and every missing flag', async () => {
    const sb = await s.roster();
    const r = await sb.run(['followups', 'done', '--role', 'rep']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CUSTOMER, --method and --note are required when not running interactively');
  });

  it('one missing flag reads as before', async () => {
    const sb = await s.roster();
    const r = await sb.run(['staff', 'add', '--id', 'R9', '--name', '钱七', '--role', 'rep']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--hired-on is required when not running interactively');
  });
});

describe('template --out over an existing file', () => {
  it('refuses a file with rows below the header, leaving it as it was', async () => {
    const sb = s.keep((await import('./harness.js')).sandbox());
    const file = sb.file('staff.csv', 'staff_id,name\nR1,刘芳\n');
    const before = fs.readFileSync(file);
    const r = await sb.run(['template', 'staff', '--out', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already holds data');
    expect(r.stderr).toContain('--force');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('overwrites it with --force', async () => {
    const sb = s.keep((await import('./harness.js')).sandbox());
    const file = sb.file('staff.csv', 'staff_id,name\nR1,刘芳\n');
    const r = await sb.run(['template', 'staff', '--out', file, '--force']);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('staff_id');
    expect(text).not.toContain('刘芳');
  });

  it('replaces a header-only or empty file as before', async () => {
    const sb = s.keep((await import('./harness.js')).sandbox());
    const headerOnly = sb.file('h.csv', 'staff_id,name\r\n,,\r\n');
    const empty = sb.file('e.csv', '');
    for (const file of [headerOnly, empty]) {
      const r = await sb.run(['template', 'staff', '--out', file]);
      expect(r.code).toBe(0);
      expect(fs.readFileSync(file, 'utf8')).toContain('staff_id');
    }
  });

  it('says it in Chinese with --lang zh', async () => {
    const sb = s.keep((await import('./harness.js')).sandbox());
    const file = sb.file('staff.csv', '工号,姓名\nR1,刘芳\n');
    const r = await sb.run(['--lang', 'zh', 'template', 'staff', '--out', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('已有数据');
  });
});
