/**
 * The one CSV/TSV writer (for exports, listings, rejects files): a cell with the separator,
 * a quote, CR or LF is quoted and its quotes doubled (RFC 4180, as Excel and WPS read it);
 * csv is UTF-8 with CRLF records, with a BOM when it is a file for people (Excel opens it as
 * UTF-8 only after one; a program reading a pipe would not want it: issue 15), tsv plain LF.
 */
export type Separator = ',' | '\t';

export function csvCell(cell: string, sep: Separator): string {
  if (cell.includes('"')) return '"' + cell.replaceAll('"', '""') + '"';
  if (cell.includes(sep) || cell.includes('\n') || cell.includes('\r')) return '"' + cell + '"';
  return cell;
}

/** One record (without its line end) of cells already written as text. */
export function csvLine(cells: readonly string[], sep: Separator): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i > 0 ? sep : '') + csvCell(cells[i], sep);
  return line;
}

export const CSV_BOM = '\ufeff';
export const lineEnd = (format: 'csv' | 'tsv') => (format === 'csv' ? '\r\n' : '\n');
