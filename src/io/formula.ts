/**
 * §4: spreadsheet formulas neutralised in every file meant for Excel, and restored on the
 * way back in, so a rejects file fixed in Excel re-imports with the text it had.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell starting with = + - @, tab or CR is prefixed with ' so a spreadsheet shows it as text. */
export function neutralizeFormula(s: string): string {
  return FORMULA_START.test(s) ? "'" + s : s;
}

/** An apostrophe before one of those characters: what neutralizeFormula made of it. */
const NEUTRALIZED = new RegExp("^'" + FORMULA_START.source.slice(1));

/**
 * The inverse for an imported cell: `'=…` (exactly an apostrophe before a formula start)
 * reads as `=…`, so restoreFormula(neutralizeFormula(x)) === x for any x that does not
 * itself start that way. The one rule: a header cell goes through it as it is, a data cell
 * through cellValue (kind.ts), which trims around it.
 */
export function restoreFormula(s: string): string {
  return s.charCodeAt(0) === 39 && NEUTRALIZED.test(s) ? s.slice(1) : s;
}
