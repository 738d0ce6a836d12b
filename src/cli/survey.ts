/** `salesops survey import FILE` — 中老年健康调查表 in, customers out (SPEC §2); the use case is app/customers.ts. */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { action } from './run.js';
import { withImportFlags, printReport, progressPrinter, type ImportFlags } from './importCommand.js';
import { openDatabase } from './database.js';

export function registerSurvey(program: Command): void {
  const survey = program.command('survey').description(t('survey.description'));
  withImportFlags(survey.command('import <file>').description(t('survey.import.description'))).action(
    action(async (ctx, file: string, flags: ImportFlags) => {
      const { importSurveys } = await import('../app/customers.js');
      const db = await openDatabase(ctx);
      try {
        const report = await importSurveys(db, { file, ...flags, onProgress: progressPrinter(ctx) }, ctx.asOf);
        const code = printReport(ctx, report);
        if (report.committed && report.new > 0) ctx.info('survey.next_step');
        return code;
      } finally {
        db.close();
      }
    }),
  );
}
