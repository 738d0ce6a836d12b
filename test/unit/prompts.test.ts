/** Prompts (issue 15): Ctrl-C is "cancelled", 130, never a bug; an empty required answer is asked again. */
import { afterEach, describe, expect, it } from 'vitest';
import { errorText } from '../../src/cli/main.js';
import { checkAnswer, listing, missingFlagsError } from '../../src/cli/run.js';
import { EXIT } from '../../src/errors.js';
import { setLang } from '../../src/messages/index.js';

afterEach(() => setLang('en'));

/** What @inquirer/core throws on Ctrl-C (ExitPromptError) or an aborted prompt (AbortPromptError). */
function promptError(name: string): Error {
  const e = new Error('User force closed the prompt with SIGINT');
  e.name = name;
  return e;
}

describe('Ctrl-C at a prompt', () => {
  for (const name of ['ExitPromptError', 'AbortPromptError']) {
    it(`${name} is a quiet "cancelled", exit 130`, async () => {
      setLang('en');
      const r = await errorText(promptError(name), {});
      expect(r).toEqual({ text: 'cancelled', code: 130 });
      expect(EXIT.interrupted).toBe(130);
    });
  }

  it('says 已取消 in Chinese, even with SALESOPS_DEBUG', async () => {
    setLang('zh');
    const r = await errorText(promptError('ExitPromptError'), { SALESOPS_DEBUG: '1' });
    expect(r).toEqual({ text: '已取消', code: 130 });
  });

  it('anything else unexpected is still reported as a bug', async () => {
    setLang('en');
    const r = await errorText(new Error('boom'), {});
    expect(r.code).toBe(EXIT.error);
    expect(r.text).toContain('bug');
  });
});

describe('answers and missing flags', () => {
  it('an empty or blank answer to a required prompt is refused, so inquirer asks again', () => {
    setLang('en');
    expect(checkAnswer('')).toBe('a value is required');
    expect(checkAnswer('  \u3000 ')).toBe('a value is required');
    expect(checkAnswer('钱七')).toBe(true);
    expect(checkAnswer('', false)).toBe(true);
  });

  it('names the missing flags as a list, exit 2', () => {
    setLang('en');
    expect(listing(['--a'])).toBe('--a');
    expect(listing(['--a', '--b', '--c'])).toBe('--a, --b and --c');
    const e = missingFlagsError(['--name', '--role']);
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toBe('--name and --role are required when not running interactively');
    setLang('zh');
    expect(listing(['--a', '--b', '--c'])).toBe('--a、--b 和 --c');
  });
});
