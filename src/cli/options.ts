/**
 * The global options of SPEC §4, declared once as data: commander's options, the help in
 * both languages, and which words of a command line are global (cli/context.ts, commands.ts).
 */
export interface OptionSpec {
  flags: string;
  description: { zh: string; en: string };
  env?: string;
}

export const globalOptions: OptionSpec[] = [
  { flags: '--db <path>', env: 'SALESOPS_DB', description: { en: 'database file or server address postgres://… (else $SALESOPS_DB, else ./salesops.db)', zh: '数据库文件或 postgres://… 服务器（默认 ./salesops.db）' } },
  { flags: '--format <format>', description: { en: 'output: table|csv|tsv|json|jsonl|xlsx (xlsx: to a file or a pipe, not a terminal)', zh: '输出格式：table|csv|tsv|json|jsonl|xlsx（xlsx 须写入文件或管道，不能输出到终端）' } },
  { flags: '--lang <lang>', env: 'LANG', description: { en: 'language of messages: zh|en (default from LANG)', zh: '提示语言：zh|en（默认取 LANG）' } },
  { flags: '--as-of <date>', description: { en: 'treat this date as today (reproducible scripts)', zh: '以该日期为“今天”（便于脚本复现）' } },
  { flags: '--headers <keys|names>', description: { en: 'header row of csv/tsv/xlsx: keys (for scripts) or names in the language of messages (default: names in a file written with --out and in a workbook, keys on stdout)', zh: 'csv/tsv/xlsx 表头：keys（英文字段名，供脚本读取）或 names（按提示语言的列名；默认 --out 写入的文件和 Excel 工作簿用 names，标准输出用 keys）' } },
  { flags: '--bom', description: { en: 'start a csv with a BOM (for Excel) even on a pipe or a terminal', zh: 'csv 开头加 BOM（供 Excel 识别 UTF-8），即使输出到管道或终端' } },
  { flags: '--no-bom', description: { en: 'no BOM, even in a file (default: a BOM in a file, none on a pipe or a terminal)', zh: '不加 BOM，即使写入文件（默认写入文件时加，输出到管道或终端时不加）' } },
  { flags: '--no-color', env: 'NO_COLOR', description: { en: 'no colour (also NO_COLOR, or when not a terminal)', zh: '不用颜色（或设 NO_COLOR，非终端时自动关闭）' } },
  { flags: '--quiet', description: { en: 'only data and errors, no notices or progress', zh: '只输出数据和错误，不显示提示和进度' } },
  { flags: '--progress', description: { en: 'progress lines on stderr even when it is not a terminal (logs of long imports)', zh: '即使标准错误不是终端也输出进度行（便于记录长时间导入）' } },
  { flags: '--no-input', description: { en: 'never prompt (implied when stdin is not a terminal)', zh: '从不交互提问（标准输入不是终端时自动生效）' } },
];

export type { OutputFormat as Format } from '../io/output/formats.js';
