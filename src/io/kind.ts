/**
 * An import kind (staff, surveys, events, …): its columns with their Chinese aliases and a
 * pure row parser. The parser runs inside the import worker thread, so it must not touch
 * the database: whatever it needs (the roster, the date) comes in `KindContext`.
 */
import type { MessageKey, Params } from '../messages/index.js';

export interface ColumnSpec {
  key: string;
  aliases: string[];
  required?: boolean;
}

export interface FieldError {
  column: string;
  value: string;
  reason: MessageKey;
  params?: Params;
  /** what to do about it */
  fix?: MessageKey;
}

export interface KindContext {
  asOf: string;
  /** kind-specific data prepared on the main thread (e.g. the roster for surveys) */
  data?: unknown;
}

/** One row's cells by column key ('' when the column is absent or the cell empty, trimmed). */
export type Cells = (key: string) => string;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface ImportKind<T = unknown> {
  name: string;
  columns: ColumnSpec[];
  parseRow(cells: Cells, ctx: KindContext): ParseResult<T>;
}

/** Header text → comparable key: case, spaces, `_`/`-`, a trailing `*` and a `(…)` note ignored. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/^\ufeff/, '')
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s_\-*＊]/g, '')
    .toLowerCase();
}

export interface HeaderMap {
  /** column key → index in the record */
  index: Map<string, number>;
  unknown: string[];
  missing: string[];
  duplicates: string[];
}

export function mapHeader(header: string[], columns: ColumnSpec[]): HeaderMap {
  const lookup = new Map<string, string>();
  for (const c of columns) {
    lookup.set(normalizeHeader(c.key), c.key);
    for (const a of c.aliases) lookup.set(normalizeHeader(a), c.key);
  }
  const index = new Map<string, number>();
  const unknown: string[] = [];
  const duplicates: string[] = [];
  header.forEach((h, i) => {
    const key = lookup.get(normalizeHeader(h));
    if (!key) {
      if (h.trim() !== '') unknown.push(h.trim());
    } else if (index.has(key)) duplicates.push(h.trim());
    else index.set(key, i);
  });
  const missing = columns.filter((c) => c.required && !index.has(c.key)).map((c) => c.key);
  return { index, unknown, missing, duplicates };
}
