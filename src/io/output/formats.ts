/** The output formats (`--format`), in a module of their own: the program's options read it at every start. */
export const DATA_FORMATS = ['csv', 'tsv', 'json', 'jsonl'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];
export const OUTPUT_FORMATS = ['table', ...DATA_FORMATS] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/**
 * How a csv/tsv names its columns (`--headers`): by key (§4: what scripts read) or in the
 * user's language (a file for people; issue 15).
 */
export const HEADER_NAMES = ['keys', 'names'] as const;
export type HeaderNames = (typeof HEADER_NAMES)[number];
