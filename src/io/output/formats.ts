/** The output formats (`--format`), in a module of their own: the program's options read it at every start. */
export const DATA_FORMATS = ['csv', 'tsv', 'json', 'jsonl'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];
/** What the text pipeline (emit.ts) writes: a table for people, the data formats for programs. */
export const TEXT_FORMATS = ['table', ...DATA_FORMATS] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];
/** issue 16: a workbook too, written by io/xlsx/write.ts from the same columns (a file, or stdout that is not a terminal). */
export const OUTPUT_FORMATS = [...TEXT_FORMATS, 'xlsx'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** What a file named by `--out` may be: its extension names it (issue 16: or the name is refused). */
export type FileFormat = Exclude<OutputFormat, 'table'>;
export const FILE_EXTENSIONS: Readonly<Record<string, FileFormat>> = { csv: 'csv', tsv: 'tsv', json: 'json', jsonl: 'jsonl', ndjson: 'jsonl', xlsx: 'xlsx' };
/**
 * How a csv/tsv names its columns (`--headers`): by key (§4: what scripts read) or in the
 * user's language (a file for people; issue 15).
 */
export const HEADER_NAMES = ['keys', 'names'] as const;
export type HeaderNames = (typeof HEADER_NAMES)[number];
