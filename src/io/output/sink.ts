/**
 * A format is one sink: it is handed the columns once, then each row, and writes text
 * through `write` (gathered and flushed by emit.ts, so a sink never waits on a stream).
 */
import type { Lang } from '../../messages/entry.js';
import type { Column, Row } from './column.js';
import type { HeaderNames } from './formats.js';

export interface SinkOptions {
  lang: Lang;
  color: boolean;
  /**
   * csv: a BOM first, for a file people open in Excel (it reads UTF-8 only after one); not
   * for a pipe, whose reader would take it as part of the first header (issue 15). Never tsv.
   */
  bom?: boolean;
  /** csv/tsv: the header row by key (the default: §4, what scripts read) or in the user's language */
  headers?: HeaderNames;
  /** json/jsonl: the object written for a row, when it carries more than its columns (nested lines) */
  json?: (row: Row) => unknown;
  /** table: the last row is a totals row (under a rule of its own, bold on a terminal) */
  totals?: boolean;
  /** table: styles a body cell's padded text by its column and value (red when behind target) */
  style?: (text: string, key: string, value: unknown, paint: { red(s: string): string }) => string;
}

export interface Sink {
  row(row: Row): void;
  /** after the last row (`count` of them) */
  end(count: number): void;
}

export type SinkFactory = (columns: readonly Column[], write: (text: string) => void, opts: SinkOptions) => Sink;
