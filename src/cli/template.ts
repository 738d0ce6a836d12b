/** `salesops template KIND [--lang zh|en]` — an empty CSV with the headers, UTF-8 with BOM for Excel. */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError } from '../errors.js';
import { action } from './run.js';
import { KIND_NAMES } from '../io/kinds/index.js';

export function registerTemplate(program: Command): void {
  program
    .command('template <kind>')
    .description(t('template.description') + ` (${KIND_NAMES.join('|')})`)
    .option('--out <file>', t('template.flag.out'))
    .action(
      action(async (ctx, kindName: string, f: { out?: string }) => {
        const name = kindName === 'survey' ? 'surveys' : kindName;
        if (!(KIND_NAMES as readonly string[]).includes(name)) throw new UsageError(t('template.unknown', { kind: kindName, kinds: KIND_NAMES.join(', ') }));
        const { kind } = (await import(`../io/kinds/${name}.js`)) as typeof import('../io/kinds/staff.js');
        const { CSV_BOM, csvLine, lineEnd } = await import('../io/output/csv.js');
        // Chinese headers are the first alias; the import reads either language
        const headers = kind.columns.map((c) => (ctx.lang === 'zh' ? c.aliases[0] ?? c.key : c.key));
        // the one CSV writer: what Excel and WPS open as UTF-8
        const text = CSV_BOM + csvLine(headers, ',') + lineEnd('csv');
        if (f.out) {
          const { writeFileAtomic } = await import('../io/outputFile.js');
          writeFileAtomic(f.out, text, { db: ctx.dbPath, what: 'template' });
          ctx.info('template.written', { file: f.out });
        } else {
          const { writeOut } = await import('../stdio.js');
          await writeOut(ctx.io.stdout, text);
        }
      }),
    );
}
