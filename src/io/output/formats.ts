/** The output formats (`--format`), in a module of their own: the program's options read it at every start. */
export const DATA_FORMATS = ['csv', 'tsv', 'json', 'jsonl'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];
export const OUTPUT_FORMATS = ['table', ...DATA_FORMATS] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
