/**
 * `salesops demo` (npm run demo): the main job on the bundled fixtures, in a temporary
 * database, printing each command as an ops clerk would type it and what it shows. Each
 * step runs in this process (cli/main.ts runCli), on this run's streams.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { action } from './run.js';
import { UserError } from '../errors.js';

/** The demo script: each step is the argument list of one salesops command, in the order of an ops day. */
export const DEMO_AS_OF = '2024-07-31';
export const DEMO_STEPS: string[][] = [
  // the roster and the surveys (issue: foundation)
  ['init'],
  ['staff', 'import', 'fixtures/staff.csv'],
  ['staff', 'list'],
  ['survey', 'import', 'fixtures/surveys.csv'],
  ['survey', 'import', 'fixtures/surveys-gbk.csv'],
  ['survey', 'import', 'fixtures/surveys.csv'],
  // the same surveys as the office's workbook (a title row, Chinese headers): nothing new (issue 16)
  ['survey', 'import', 'fixtures/surveys.xlsx'],
  ['survey', 'import', 'fixtures/surveys-bad.csv', '--skip-invalid', '--rejects', '{tmp}/rejects.csv'],
  ['customers', 'list', '--limit', '8'],
  ['template', 'surveys', '--lang', 'zh'],
  // §3.1 assignment: preview with reasons, then do it
  ['assign', '--dry-run', '--explain'],
  ['assign', '--quiet', '--format', 'csv'],
  // §3.2 files, follow-up plans and the due list
  ['events', 'import', 'fixtures/events.csv'],
  ['orders', 'import', 'fixtures/orders.csv'],
  ['followups', 'import', 'fixtures/followups.csv'],
  // a corrected sheet imported again: the edited note and date are updated in place
  ['followups', 'import', 'fixtures/followups-corrected.csv'],
  ['followups', 'due', '--staff', 'R2'],
  ['followups', 'done', '#16', '--role', 'rep', '--method', 'visit', '--note', '介绍产品服务'],
  ['customers', 'show', '#16'],
  // §3.4 a rep leaves: customers and open tasks handed over
  ['staff', 'leave', 'R4', '--on', '2024-07-31'],
  // issue 18: the due list of a past day, as it stood then: the customers were given out only on
  // 07-31, so on 07-20 their tasks were still held by no one (tasks done since are on it)
  ['followups', 'due', '--as-of', '2024-07-20', '--limit', '6'],
  // §3.3 trips priced by the policy in force (§6)
  ['trips', 'import', 'fixtures/trips.csv'],
  ['expenses', 'import', 'fixtures/expenses.csv'],
  ['allowance', '--trip', 'T4'],
  ['allowance', '--staff', 'R2'],
  ['policy', 'load', 'fixtures/policy-2025.json', '--from', '2025-01-01'],
  ['policy', 'list'],
  // §7 nothing lost: an audited, owner-only backup and the checks
  ['backup', '{tmp}/backup.db'],
  ['check'],
  // issue 19: the whole database copied, as an office moves its file onto a PostgreSQL server
  // (`--to postgres://user@host/dbname`) or back: every table, the audit log included
  ['db', 'copy', '--from', '{db}', '--to', '{tmp}/office-copy.db'],
  ['audit', '--changes'],
  // §3.5 KPIs: for a script one object per line, for people the month's table
  ['kpi', '--period', '2024-Q2', '--by', 'team', '--format', 'json'],
  // issue 18: the last six months of sales per rep, a sparkline at the end of each row
  ['kpi', '--trend', '6', '--lang', 'zh'],
  ['kpi', '--period', '2024-07'],
  // the month's workbook for the GM (issue 16)
  ['report', '--period', '2024-07', '--out', '{tmp}/report-2024-07.xlsx'],
];

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(t('demo.description'))
    .option('--keep <path>', t('demo.flag.keep'))
    .action(
      action(async (ctx, f: { keep?: string }) => {
        const fs = await import('node:fs');
        const os = await import('node:os');
        const path = await import('node:path');
        const { fileURLToPath } = await import('node:url');
        const { runCli } = await import('./main.js');
        const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
        // never a file of the user's (their database, a sheet) removed to make room for the demo
        if (f.keep !== undefined && fs.lstatSync(f.keep, { throwIfNoEntry: false })) throw new UserError(t('demo.keep_exists', { path: f.keep }), t('demo.keep_exists.hint'));
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-demo-'));
        const db = f.keep ?? path.join(tmp, 'demo.db');
        for (const step of DEMO_STEPS) {
          const typed = step.map((a) => a.replace('{tmp}', tmp).replace('{db}', db));
          ctx.warn(t('demo.step', { command: 'salesops ' + typed.join(' ') }));
          const argv = ['--db', db, '--as-of', DEMO_AS_OF, '--lang', ctx.lang, ...typed];
          // each step a run of its own on this run's streams, its command line as typed (the
          // change log shows `staff import fixtures/staff.csv`); the bundled fixtures are read
          // from the package, named from where the demo runs (as typed, from the package itself)
          const fixture = (a: string) => (a.startsWith('fixtures/') ? path.relative(process.cwd(), path.join(root, a)) : a);
          const code = await runCli(argv.map(fixture), { ...ctx.io, argv, exitCode: undefined });
          // exit 3 is the expected answer of a partial import with rejects
          if (code !== 0 && code !== 3) {
            ctx.warn(t('demo.failed', { code: String(code), command: typed.join(' ') }));
            return 1;
          }
        }
        ctx.warn(t('demo.done', { path: db }));
        return 0;
      }),
    );
}
