/**
 * One renderer for every listing (SPEC §4): table (aligned, CJK-aware, colour only on a
 * terminal), csv/tsv (UTF-8 with BOM, formulas neutralised), json and jsonl (English
 * snake_case keys, money in yuan with 2 decimals, dates YYYY-MM-DD, ratios null when
 * their denominator is 0).
 */
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import type { OutputFormat as Format } from './output/formats.js';
import type { Entry, Lang } from '../messages/index.js';
import { fenToYuan, fenToYuanString } from '../domain/values.js';
import { grouped, thousands } from './numbers.js';
import { tableCell } from './width.js';

export type ColumnKind = 'text' | 'int' | 'money' | 'rate' | 'number' | 'date' | 'bool' | 'list';

export interface Column {
  key: string;
  /** header in the table (CSV and JSON always use `key`) */
  header?: Entry;
  kind?: ColumnKind;
}

export interface RenderOptions {
  format: Format;
  lang: Lang;
  color: boolean;
  /** objects for json/jsonl when they carry more than the columns (nested lines) */
  json?: unknown[];
}

export type Row = Record<string, unknown>;

const BOM = '\ufeff';

export { neutralizeFormula } from './formula.js';
import { neutralizeFormula } from './formula.js';


function jsonValue(v: unknown, kind: ColumnKind): unknown {
  if (v === undefined || v === null) return null;
  switch (kind) {
    case 'money':
      return fenToYuan(v as number);
    case 'rate':
      return Number.isFinite(v as number) ? Math.round((v as number) * 10000) / 10000 : null;
    case 'bool':
      return Boolean(v);
    default:
      return v;
  }
}

function flatValue(v: unknown, kind: ColumnKind): string | number {
  if (v === undefined || v === null) return '';
  switch (kind) {
    case 'money':
      return fenToYuanString(v as number);
    case 'rate':
      return Number.isFinite(v as number) ? Math.round((v as number) * 10000) / 10000 : '';
    case 'bool':
      return v ? 'true' : 'false';
    case 'list':
      return neutralizeFormula(Array.isArray(v) ? v.join(';') : String(v));
    case 'int':
    case 'number':
      return v as number;
    default:
      return neutralizeFormula(String(v));
  }
}

export function tableValue(v: unknown, kind: ColumnKind, lang: Lang): string {
  if (v === undefined || v === null || (kind === 'rate' && !Number.isFinite(v as number))) {
    return kind === 'rate' || kind === 'money' || kind === 'int' || kind === 'number' ? '—' : '';
  }
  switch (kind) {
    case 'money':
      return grouped(fenToYuanString(v as number));
    case 'int':
      return thousands(v as number);
    case 'rate':
      return `${((v as number) * 100).toFixed(1)}%`;
    case 'bool':
      return v ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
    case 'list':
      return Array.isArray(v) ? v.join(', ') : String(v);
    default:
      return String(v);
  }
}

export const RIGHT: ReadonlySet<ColumnKind> = new Set(['int', 'money', 'rate', 'number']);

export function render(rows: Row[], columns: Column[], opts: RenderOptions): string {
  switch (opts.format) {
    case 'json': {
      const data = opts.json ?? rows.map((r) => toJson(r, columns));
      return JSON.stringify(data, null, 2) + '\n';
    }
    case 'jsonl': {
      const data = opts.json ?? rows.map((r) => toJson(r, columns));
      return data.map((d) => JSON.stringify(d)).join('\n') + (data.length ? '\n' : '');
    }
    case 'csv':
    case 'tsv': {
      const body = stringify(
        rows.map((r) => columns.map((c) => flatValue(r[c.key], c.kind ?? 'text'))),
        {
          header: true,
          columns: columns.map((c) => c.key),
          delimiter: opts.format === 'tsv' ? '\t' : ',',
          record_delimiter: opts.format === 'csv' ? 'windows' : 'unix',
          // csv-stringify quotes only the record delimiter itself: with CRLF records a bare LF
          // or CR in a note would split the row in Excel, so any line break is quoted
          quoted_match: /[\r\n]/,
        },
      );
      return (opts.format === 'csv' ? BOM : '') + body;
    }
    default:
      return renderTable(rows, columns, opts);
  }
}

export function toJson(row: Row, columns: Column[]): Row {
  const o: Row = {};
  for (const c of columns) o[c.key] = jsonValue(row[c.key], c.kind ?? 'text');
  return o;
}

export function renderTable(rows: Row[], columns: Column[], opts: Pick<RenderOptions, 'lang' | 'color'>): string {
  if (rows.length === 0) return '';
  const table = new Table({
    head: columns.map((c) => (c.header ? c.header[opts.lang] : c.key)),
    colAligns: columns.map((c) => (RIGHT.has(c.kind ?? 'text') ? 'right' : 'left')),
    style: { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [], compact: true },
  });
  // each cell one line of at most TABLE_CELL_WIDTH columns: cli-table3's cost grows with the
  // square of a cell's length (a 10 MB note took minutes), and a table is for reading
  for (const r of rows) table.push(columns.map((c) => tableCell(tableValue(r[c.key], c.kind ?? 'text', opts.lang))));
  return table.toString() + '\n';
}
