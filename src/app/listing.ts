/**
 * What a use case returns: rows and the one description of their columns (io/output), plus
 * the notices a person should read beside them (headings, what was masked) as catalogue
 * keys — the use case never prints, the command hands both to the output pipeline.
 */
import type { MessageKey, Params } from '../messages/index.js';
import type { Column, Row } from '../io/output/column.js';

export interface Notice {
  key: MessageKey;
  params?: Params;
}

export interface Listing<R extends Row = Row> {
  /** streamed: an iterable read once (a statement's rows), never gathered by the caller */
  rows: Iterable<R> | AsyncIterable<R>;
  columns: Column[];
  /** said on stderr before the rows (not with --quiet) */
  notices?: Notice[];
}
