/**
 * A command's listing through the one pipeline, with the run's format, language and colour,
 * and the one `--limit` rule: a table shows TABLE_LIMIT rows unless told, files everything,
 * 0 is all; a cut listing says so on stderr and how to get the rest. To stdout (a csv/tsv
 * there is for scripts unless said otherwise: `stdoutFile`), or to the file of `--out`
 * (`withOut`), the same for every command that lists something (issue 16): the file's
 * extension decides its format — .csv .tsv .json .jsonl .xlsx, any other name is refused —
 * and a file is for people (headers in the user's language, a BOM), written whole or not at
 * all (io/outputFile.ts). A workbook (`xlsx`) is written by io/xlsx/write.ts from the same
 * columns, to a file or to stdout when it is not a terminal.
 */
import type { LineChart } from '../io/xlsx/writeChart.js';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { t, type MessageKey, type Params } from '../messages/index.js';
import type { Column, Row } from '../io/output/column.js';
import type { EmitOptions, Emitted } from '../io/output/emit.js';
import type { SinkOptions } from '../io/output/sink.js';
import { FILE_EXTENSIONS, type FileFormat, type TextFormat } from '../io/output/formats.js';
import type { OutputGuard } from '../io/outputFile.js';
import { writeOut } from '../stdio.js';
import type { Ctx } from './context.js';

/**
 * The header row and BOM of a csv/tsv on stdout (issue 15): the keys, which scripts and cron
 * jobs read (§4: csv uses the JSON names as headers), and a BOM only when stdout is a regular
 * file (`salesops … > 顾客.csv`: a file someone opens in Excel), never on a pipe or a
 * terminal. `--headers` and `--bom`/`--no-bom` say otherwise.
 */
export function stdoutFile(ctx: Ctx): Pick<SinkOptions, 'headers' | 'bom'> {
  return { headers: ctx.headers ?? 'keys', bom: ctx.bom ?? ctx.io.stdoutIsFile === true };
}

/** A file for people (issue 15): the header row in the user's language and, for a csv, a BOM (Excel). */
function forPeople(ctx: Ctx): Pick<SinkOptions, 'headers' | 'bom'> {
  return { headers: ctx.headers ?? 'names', bom: ctx.bom ?? true };
}

export interface PrintOptions extends Partial<Omit<EmitOptions, 'format' | 'lang' | 'color'>> {
  /** what to say when the listing was cut (default: the generic hint) */
  cutNotice?: { key: MessageKey; params?: Params };
  /** the name of a workbook's sheet: the listing's, in the run's language (default 数据/data) */
  sheet?: MessageKey;
  /**
   * §5 the audit entry of the output, written before the rows leave for stdout, and for a
   * file once it is complete on disk, before it takes its name: an output that failed is
   * never on record as done
   */
  record?: () => void;
  /** what a file written says (default workbooks.written), given `n` and `file` besides `params` */
  written?: { key: MessageKey; params?: Params };
  /** a workbook: a line chart under the rows (issue 18: kpi --trend); other formats ignore it */
  chart?: LineChart;
}

/** `--limit N`: a whole number, 0 for all; undefined when not given. */
export function limitFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value.trim())) throw new UsageError(t('cli.bad_limit', { value }), t('cli.bad_limit.hint'));
  return Number(value.trim());
}

/** Every format a file may be written in, as its extension names it. */
export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'tsv', 'json', 'jsonl', 'xlsx'];

/**
 * The format `file`'s extension names (`.xlsx` → xlsx, `.ndjson` → jsonl), one of
 * `accepted`; any other name — `.xls`, `.txt`, none — is a usage error that lists them
 * (issue 16: an extension always decides the format, or is refused).
 */
export function fileFormat(file: string, accepted: readonly FileFormat[] = FILE_FORMATS): FileFormat {
  const name = path.basename(file);
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  const format = ext === undefined ? undefined : FILE_EXTENSIONS[ext];
  if (format && accepted.includes(format)) return format;
  const stem = name.replace(/\.[^.]*$/, '') || 'out';
  const suggest = path.join(path.dirname(file), `${stem}.${ext?.startsWith('xl') && accepted.includes('xlsx') ? 'xlsx' : 'csv'}`);
  const hint = t('workbooks.out.bad_extension.hint', { formats: accepted.map((f) => '.' + f).join(' '), suggest });
  if (ext === undefined) throw new UsageError(t('workbooks.out.no_extension', { file }), hint);
  throw new UsageError(t('workbooks.out.bad_extension', { file, ext: '.' + ext }), hint);
}

/** `--format xlsx` on a terminal: a workbook is bytes no terminal shows (issue 16). */
export function checkStdout(ctx: Ctx): void {
  if (ctx.format === 'xlsx' && !ctx.outFile && ctx.stdoutIsTTY) throw new UsageError(t('workbooks.stdout_terminal'), t('workbooks.stdout_terminal.hint'));
}

/**
 * The run's context for a command with `--out FILE` (issue 16), before any work: the file's
 * path checked with the guard (the database, a folder, a link… refused as such), then its
 * extension deciding the format (`--format` may say the same, not another). `--out -` and
 * no `--out` are stdout, where `--format xlsx` needs something other than a terminal.
 */
export async function withOut(ctx: Ctx, out: string | undefined, what: OutputGuard['what'] = 'export'): Promise<Ctx> {
  if (out === undefined || out === '-') {
    checkStdout(ctx);
    return ctx;
  }
  const { checkOutputPath } = await import('../io/outputFile.js');
  checkOutputPath(out, { db: ctx.dbPath, what });
  const format = fileFormat(out);
  if (ctx.formatGiven && ctx.format !== format) {
    const ext = path.extname(out);
    throw new UsageError(t('workbooks.out.format_conflict', { format: ctx.format, file: out, ext }), t('workbooks.out.format_conflict.hint', { format: ctx.format }));
  }
  return { ...ctx, format, outFile: out };
}

/** The rows up to the limit (0: all), counted, and whether there were more. */
function limited(rows: Iterable<Row> | AsyncIterable<Row>, limit: number, done: Emitted): Iterable<Row> | AsyncIterable<Row> {
  if (Symbol.iterator in rows) {
    return (function* () {
      for (const row of rows) {
        if (limit > 0 && done.count === limit) return void (done.cut = true);
        done.count++;
        yield row;
      }
    })();
  }
  return (async function* () {
    for await (const row of rows) {
      if (limit > 0 && done.count === limit) return void (done.cut = true);
      done.count++;
      yield row;
    }
  })();
}

export async function print(ctx: Ctx, rows: Iterable<Row> | AsyncIterable<Row>, columns: readonly Column[], opts: PrintOptions = {}): Promise<Emitted> {
  const { cutNotice, sheet, record, written, chart, ...emitOpts } = opts;
  const { emit, effectiveLimit } = await import('../io/output/emit.js');
  const workbook = async (write: (chunk: Buffer) => void | Promise<void>, headers: SinkOptions['headers']): Promise<Emitted> => {
    const { writeWorkbookTo } = await import('../io/xlsx/write.js');
    const done: Emitted = { count: 0, cut: false };
    const spec = { name: t(sheet ?? 'workbooks.sheet.listing'), columns, lang: ctx.lang, headers, rows: limited(rows, effectiveLimit('xlsx', opts.limit), done), revealed: opts.revealed, chart };
    await writeWorkbookTo({ write }, [spec]);
    return done;
  };
  let done: Emitted;
  const file = ctx.outFile;
  if (file) {
    const { AtomicFile } = await import('../io/outputFile.js');
    const target = AtomicFile.open(file, { db: ctx.dbPath, what: 'export' });
    try {
      if (ctx.format === 'xlsx') done = await workbook((chunk) => target.write(chunk), forPeople(ctx).headers);
      else done = await emit(rows, columns, { write: (text) => target.write(text) }, { ...emitOpts, format: ctx.format as TextFormat, lang: ctx.lang, color: false, ...forPeople(ctx) });
      target.flush();
      record?.();
      target.publish();
    } catch (e) {
      target.abort();
      throw e;
    }
    ctx.info(written?.key ?? 'workbooks.written', { ...written?.params, n: done.count, file });
  } else {
    checkStdout(ctx);
    // the rows leave as they are written: the entry comes first
    record?.();
    const out = ctx.io.stdout;
    if (ctx.format === 'xlsx') {
      // bytes, not text: the stream takes a Buffer as it takes a string
      done = await workbook((chunk) => writeOut(out, chunk as unknown as string), ctx.headers ?? 'names');
    } else {
      done = await emit(rows, columns, { write: (text) => writeOut(out, text) }, {
        format: ctx.format,
        lang: ctx.lang,
        // colour only on a terminal: a table piped to a file stays plain text
        color: ctx.color && ctx.stdoutIsTTY,
        ...stdoutFile(ctx),
        ...emitOpts,
      });
    }
  }
  if (done.cut) ctx.info(cutNotice?.key ?? 'cli.listing_cut', cutNotice?.params ?? { n: done.count });
  return done;
}
