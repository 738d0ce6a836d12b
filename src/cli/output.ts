/**
 * A command's listing to stdout through the one pipeline (io/output/emit.ts), with the
 * run's format, language and colour, and the one `--limit` rule: a table shows
 * TABLE_LIMIT rows unless told, files everything, 0 is all; a cut listing says so on
 * stderr and how to get the rest. A csv/tsv on stdout is for scripts unless said otherwise
 * (`stdoutFile`).
 */
import { UsageError } from '../errors.js';
import { t, type MessageKey, type Params } from '../messages/index.js';
import type { Column, Row } from '../io/output/column.js';
import type { EmitOptions, Emitted } from '../io/output/emit.js';
import type { SinkOptions } from '../io/output/sink.js';
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

export interface PrintOptions extends Partial<Omit<EmitOptions, 'format' | 'lang' | 'color'>> {
  /** what to say when the listing was cut (default: the generic hint) */
  cutNotice?: { key: MessageKey; params?: Params };
}

/** `--limit N`: a whole number, 0 for all; undefined when not given. */
export function limitFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value.trim())) throw new UsageError(t('cli.bad_limit', { value }), t('cli.bad_limit.hint'));
  return Number(value.trim());
}

export async function print(ctx: Ctx, rows: Iterable<Row> | AsyncIterable<Row>, columns: readonly Column[], opts: PrintOptions = {}): Promise<Emitted> {
  const { emit } = await import('../io/output/emit.js');
  const out = ctx.io.stdout;
  const done = await emit(rows, columns, { write: (text) => writeOut(out, text) }, {
    format: ctx.format,
    lang: ctx.lang,
    // colour only on a terminal: a table piped to a file stays plain text
    color: ctx.color && ctx.stdoutIsTTY,
    ...stdoutFile(ctx),
    ...opts,
  });
  if (done.cut) {
    const n = opts.cutNotice;
    ctx.info(n?.key ?? 'cli.listing_cut', n?.params ?? { n: done.count });
  }
  return done;
}
