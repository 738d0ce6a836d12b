import { describe, it, expect } from 'vitest';
import { commandLine, withoutGlobalOptions } from '../../src/cli/context.js';

describe('the command as the change log shows it', () => {
  it.each([
    [['--db', '/tmp/x.db', '--as-of', '2024-07-31', '--lang', 'zh', 'followups', 'import', 'a b.csv'], "--as-of 2024-07-31 followups import 'a b.csv'"],
    [['--db=/x', '--quiet', '--format', 'json', 'trips', 'import', 't.csv', '--lang', 'en'], 'trips import t.csv --lang en'],
    [['--no-color', '--progress', '--no-input', 'survey', 'import', '调查表.csv'], 'survey import 调查表.csv'],
    [['staff', 'leave', 'R4', '--on', '2024-07-31'], 'staff leave R4 --on 2024-07-31'],
    [['--as-of=2024-07-31', 'check'], '--as-of=2024-07-31 check'],
    [['followups', 'done', '#16', '--note', "it's 13911112222"], "followups done '#16' --note 'it'\\''s 13911112222'"],
    [[], ''],
  ])('%j → %s', (argv, line) => {
    expect(commandLine(withoutGlobalOptions(argv))).toBe(line);
  });
});
