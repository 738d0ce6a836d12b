/**
 * `salesops template KIND [--lang zh|en] [--out FILE [--force]]` — an empty CSV with the
 * headers, UTF-8 (with a BOM for Excel in a file; none on a pipe). `--out` never replaces a file that holds rows below its
 * header (a filled-in sheet) unless `--force`.
 */
import type { Command } from 'commander';
import { t } from '../messages/index.js';
import { UsageError, UserError } from '../errors.js';
import { action } from './run.js';
import { KIND_NAMES } from '../io/kinds/index.js';

export function registerTemplate(program: Command): void {
  program
    .command('template <kind>')
    .description(t('template.description') + ` (${KIND_NAMES.join('|')})`)
    .option('--out <file>', t('template.flag.out'))
    .option('--force', t('template.flag.force'))
    .action(
      action(async (ctx, kindName: string, f: { out?: string; force?: boolean }) => {
        const name = kindName === 'survey' ? 'surveys' : kindName;
        if (!(KIND_NAMES as readonly string[]).includes(name)) throw new UsageError(t('template.unknown', { kind: kindName, kinds: KIND_NAMES.join(', ') }));
        const { kind } = (await import(`../io/kinds/${name}.js`)) as typeof import('../io/kinds/staff.js');
        const { CSV_BOM, csvLine, lineEnd } = await import('../io/output/csv.js');
        // Chinese headers are the first alias; the import reads either language
        const headers = kind.columns.map((c) => (ctx.lang === 'zh' ? c.aliases[0] ?? c.key : c.key));
        // the one CSV writer: what Excel and WPS open as UTF-8 — with a BOM in a file for people,
        // none on a pipe (issue 15: the BOM rule of every csv; --bom/--no-bom say otherwise)
        const line = csvLine(headers, ',') + lineEnd('csv');
        const { stdoutFile } = await import('./output.js');
        const bom = f.out ? (ctx.bom ?? true) : stdoutFile(ctx).bom;
        const text = (bom ? CSV_BOM : '') + line;
        if (f.out) {
          const { checkOutputPath, writeFileAtomic } = await import('../io/outputFile.js');
          const guard = { db: ctx.dbPath, what: 'template' } as const;
          // the database, a link, a folder… are refused as such before a filled-in sheet is looked for
          checkOutputPath(f.out, guard);
          if (!f.force && (await holdsRows(f.out))) throw new UserError(t('template.has_data', { file: f.out }), t('template.has_data.hint'));
          writeFileAtomic(f.out, text, guard);
          ctx.info('template.written', { file: f.out });
        } else {
          const { writeOut } = await import('../stdio.js');
          await writeOut(ctx.io.stdout, text);
        }
      }),
    );
}

/**
 * Whether FILE has a non-blank line below its first (the header): a sheet someone filled in.
 * A missing, empty or header-only file does not; one that cannot be read is left to the
 * writer to report. The first 64 KiB tell.
 */
export async function holdsRows(file: string): Promise<boolean> {
  const fs = await import('node:fs');
  let head: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      head = buf.toString('utf8', 0, fs.readSync(fd, buf, 0, buf.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  return head.split(/\r\n|\n|\r/).slice(1).some((line) => line.replace(/[,;\t\s"]/g, '') !== '');
}
