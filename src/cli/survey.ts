/** `salesops survey import FILE` — 中老年健康调查表 in, customers out (SPEC §2). */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UserError } from '../errors.js';
import { action } from './run.js';
import { withImportFlags, printReport, progressPrinter, type ImportFlags } from './importCommand.js';

export function registerSurvey(program: Command): void {
  const survey = program.command('survey').description(t('survey.description'));
  withImportFlags(survey.command('import <file>').description(t('survey.import.description'))).action(
    action(async (ctx, file: string, flags: ImportFlags) => {
      const { openDb } = await import('../store/db.js');
      const { runImport } = await import('../io/importer.js');
      const { rosterIndex, staffCount } = await import('../store/staff.js');
      const { surveyWriter } = await import('../store/customers.js');
      const db = openDb(ctx.dbPath);
      try {
        if (staffCount(db) === 0) throw new UserError(t('survey.no_roster'), t('survey.no_roster.hint'));
        const report = await runImport({
          file,
          kind: 'surveys',
          db,
          writer: surveyWriter(db),
          ctx: { asOf: ctx.asOf, data: rosterIndex(db) },
          ...flags,
          onProgress: progressPrinter(ctx),
        });
        const code = printReport(ctx, report);
        if (report.committed && report.new > 0) ctx.info('survey.next_step');
        return code;
      } finally {
        db.close();
      }
    }),
  );
}
