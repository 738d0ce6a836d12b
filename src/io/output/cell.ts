/**
 * The one cell formatter: how a value of each column kind is written in a table (for
 * people), in csv/tsv (for spreadsheets) and in json (for programs). SPEC §4: money in yuan
 * with 2 decimals, dates YYYY-MM-DD, ratios null (json) or empty (csv) or `—` (table) when
 * their denominator is 0.
 */
import type { Lang } from '../../messages/entry.js';
import { codeText } from '../../messages/columns.js';
import { fenToYuan, fenToYuanString } from '../../domain/values.js';
import { neutralizeFormula } from '../formula.js';
import { grouped, thousands } from '../numbers.js';
import { RIGHT, type Column, type ColumnKind } from './column.js';

const noValue = (v: unknown, kind: ColumnKind) => v === undefined || v === null || (kind === 'rate' && !Number.isFinite(v as number));

/**
 * A ratio as a percentage with one decimal, rounded half away from zero on its decimal
 * value (0.2345 → 23.5%, where toFixed on the binary 23.449999… gave 23.4%).
 */
export function percentText(r: number): string {
  const tenths = Math.round(Number((Math.abs(r) * 1000).toPrecision(12)));
  const sign = r < 0 && tenths !== 0 ? '-' : '';
  return `${sign}${thousands(Math.floor(tenths / 10))}.${tenths % 10}%`;
}

/**
 * A cell as a person reads it: thousands separators, yuan with 2 decimals, rates as %, `—`
 * for no number, a code in words in a Chinese table (Column.codes; a list item by item).
 */
export function tableText(v: unknown, c: Column, lang: Lang): string {
  const kind = c.kind ?? 'text';
  if (noValue(v, kind)) return RIGHT.has(kind) ? '—' : '';
  if (c.codes) {
    if (kind === 'text') return codeText(c.codes, String(v), lang);
    if (kind === 'list' && Array.isArray(v)) {
      const set = c.codes;
      return v.map((code) => codeText(set, String(code), lang)).join(lang === 'zh' ? '、' : ', ');
    }
  }
  switch (kind) {
    case 'money':
      return grouped(fenToYuanString(Math.round(v as number)));
    case 'int':
      return thousands(v as number);
    case 'rate':
      return percentText(v as number);
    case 'number':
      return c.decimals === undefined ? String(v) : (v as number).toFixed(c.decimals);
    case 'bool':
      return v ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
    case 'list':
      return Array.isArray(v) ? v.join(', ') : String(v);
    default:
      return String(v);
  }
}

/** A csv/tsv cell before quoting: plain numbers, yuan, `true/false`, lists joined with `;`, formulas neutralised. */
export function flatText(v: unknown, kind: ColumnKind): string {
  if (noValue(v, kind)) return '';
  switch (kind) {
    case 'money':
      return fenToYuanString(Math.round(v as number));
    case 'rate':
      return String(Math.round((v as number) * 10000) / 10000);
    case 'bool':
      return v ? 'true' : 'false';
    case 'list':
      return neutralizeFormula(Array.isArray(v) ? v.join(';') : String(v));
    case 'int':
    case 'number':
      return String(v);
    default:
      return neutralizeFormula(String(v));
  }
}

/** A json value: money as a number of yuan, rates to 4 decimals, null for no value. */
export function jsonValue(v: unknown, kind: ColumnKind): unknown {
  if (noValue(v, kind)) return null;
  switch (kind) {
    case 'money':
      return fenToYuan(v as number);
    case 'rate':
      return Math.round((v as number) * 10000) / 10000;
    case 'bool':
      return Boolean(v);
    default:
      return v;
  }
}
