/**
 * §4: spreadsheet formulas neutralised in every file meant for Excel, and restored on the
 * way back in, so a rejects file fixed in Excel re-imports with the text it had.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell starting with = + - @, tab or CR is prefixed with ' so a spreadsheet shows it as text. */
export function neutralizeFormula(s: string): string {
  return FORMULA_START.test(s) ? "'" + s : s;
}

/** The inverse for an imported cell: `'=…` (exactly an apostrophe before a formula start) reads as `=…`. */
export function restoreFormula(s: string): string {
  return s.length > 1 && s.charCodeAt(0) === 39 && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}
