/**
 * `salesops trips import`, `expenses import`, `allowance` (SPEC §2, §3.3, §4) and, through
 * ./policy.ts, `policy show|load|export|list` (§6). The work is the use cases' (src/app/trips.ts,
 * src/app/allowance.ts); what each format of `allowance` writes is said there, its table in
 * ./allowanceTable.ts.
 */
import dayjs from 'dayjs';
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action } from './run.js';
import type { Ctx } from './context.js';
import { withImportFlags, printReport, progressPrinter, type ImportFlags } from './importCommand.js';
import { registerPolicy } from './policy.js';
import type { Notice } from '../app/listing.js';
import type { TripAllowance } from '../app/allowance.js';
import { openDatabase } from './database.js';

const MONTH = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/;

/** `--month`: `2024-07`, `2024/7`, `2024年7月` → its first and last day. */
function monthFlag(raw: string): { from: string; to: string } {
  const m = MONTH.exec(raw.trim());
  if (!m || +m[2] < 1 || +m[2] > 12) throw new UsageError(t('allowance.bad_month', { value: raw }));
  const first = dayjs(`${m[1]}-${m[2].padStart(2, '0')}-01`);
  return { from: first.format('YYYY-MM-DD'), to: first.endOf('month').format('YYYY-MM-DD') };
}

const say = (ctx: Ctx, notices: readonly Notice[] = []) => {
  for (const n of notices) ctx.info(n.key, n.params);
};

export function registerTrips(program: Command): void {
  const trips = program.command('trips').description(t('trips.description'));
  withImportFlags(trips.command('import <file>').description(t('trips.import.description'))).action(
    action(async (ctx, file: string, flags: ImportFlags) => {
      const { importTrips } = await import('../app/trips.js');
      const db = await openDatabase(ctx);
      try {
        const done = await importTrips(db, { file, ...flags, asOf: ctx.asOf, command: ctx.command, onProgress: progressPrinter(ctx) });
        const code = printReport(ctx, done.report);
        say(ctx, done.notices);
        return code;
      } finally {
        db.close();
      }
    }),
  );

  const expenses = program.command('expenses').description(t('expenses.description'));
  withImportFlags(expenses.command('import <file>').description(t('expenses.import.description')))
    .option('--replace', t('expenses.flag.replace'))
    .option('--allow-duplicates', t('expenses.flag.allow_duplicates'))
    .action(
      action(async (ctx, file: string, opts: ImportFlags & { replace?: boolean; allowDuplicates?: boolean }) => {
        const { importExpenses } = await import('../app/trips.js');
        const db = await openDatabase(ctx);
        try {
          const done = await importExpenses(db, { file, ...opts, asOf: ctx.asOf, command: ctx.command, onProgress: progressPrinter(ctx) });
          const code = printReport(ctx, done.report);
          say(ctx, done.notices);
          return code;
        } finally {
          db.close();
        }
      }),
    );

  program
    .command('allowance')
    .description(t('allowance.description'))
    .option('--month <YYYY-MM>', t('allowance.opt.month'))
    .option('--staff <id>', t('allowance.opt.staff'))
    .option('--trip <trip_no>', t('allowance.opt.trip'))
    .option('--out <file>', t('workbooks.flag.out'))
    .action(
      action(async (given, f: { month?: string; staff?: string; trip?: string; out?: string }) => {
        const { print, withOut } = await import('./output.js');
        // --out FILE: its extension decides the format (issue 16), checked before any work
        const ctx = await withOut(given, f.out);
        const range = f.month === undefined ? undefined : monthFlag(f.month);
        const { allowance, allowanceTripJson } = await import('../app/allowance.js');
        const db = await openDatabase(ctx);
        try {
          const r = allowance(db, { ...range, staff: f.staff, trip: f.trip, asOf: ctx.asOf });
          say(ctx, r.notices);
          if (ctx.format === 'json' || ctx.format === 'jsonl') {
            // one object per trip, its priced lines nested (§4)
            await print(ctx, r.trips, [], { json: (row) => allowanceTripJson(row as TripAllowance) });
          } else if (ctx.format !== 'table') {
            // csv, tsv, a workbook: one row per priced line
            await print(ctx, r.lines.rows, r.lines.columns, { sheet: 'workbooks.sheet.allowance' });
          } else {
            const { printAllowanceTable } = await import('./allowanceTable.js');
            await printAllowanceTable(ctx, r.trips);
          }
        } finally {
          db.close();
        }
      }),
    );

  registerPolicy(program);
}
