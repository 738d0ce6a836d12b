import { describe, it, expect } from 'vitest';
import { auditDetail, commandLine, withoutGlobalOptions } from '../../src/cli/context.js';

describe('the command as the change log shows it', () => {
  it.each([
    [['--db', '/tmp/x.db', '--as-of', '2024-07-31', '--lang', 'zh', 'followups', 'import', 'a b.csv'], "--as-of 2024-07-31 followups import 'a b.csv'"],
    [['--db=/x', '--quiet', '--format', 'json', 'trips', 'import', 't.csv', '--lang', 'en'], 'trips import t.csv --lang en'],
    [['--no-color', '--progress', '--no-input', 'survey', 'import', '调查表.csv'], 'survey import 调查表.csv'],
    [['staff', 'leave', 'R4', '--on', '2024-07-31'], 'staff leave R4 --on 2024-07-31'],
    [['--as-of=2024-07-31', 'check'], '--as-of=2024-07-31 check'],
    [['followups', 'done', '#16', '--note', "it's 13911112222"], "followups done '#16' --note 'it'\\''s 13911112222'"],
    [['staff', 'list', '--db', 'postgres://u:pw@h/db'], 'staff list'],
    [['staff', 'rehire', 'R4', '--db=postgres://u:pw@h/db', '--reason', 'back'], 'staff rehire R4 --reason back'],
    [[], ''],
  ])('%j → %s', (argv, line) => {
    expect(commandLine(withoutGlobalOptions(argv))).toBe(line);
  });
});

describe('the command line as the audit log keeps it', () => {
  it.each([
    [['--db', 'postgres://wang:s3cret@db:5432/so', 'export', 'customers'], '--db postgres://wang:***@db:5432/so export customers'],
    [['customers', 'show', '#1', '--db=postgresql://wang:s3cret@db/so?sslmode=require'], 'customers show #1 --db=postgresql://wang:***@db/so?sslmode=require'],
    [['db', 'copy', '--from', 'a.db', '--to', 'postgres://wang@db/so?password=s3cret'], 'db copy --from a.db --to postgres://wang@db/so?password=***'],
    [['followups', 'done', '#16', '--note', 'mail li@example.com at 10:30'], 'followups done #16 --note mail li@example.com at 10:30'],
  ])('%j → %s', (argv, line) => {
    expect(auditDetail(argv)).toBe(line);
  });
});
