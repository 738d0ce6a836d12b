/** Numbers as people read them in tables and messages. */

/**
 * Thousands separators on a plain decimal string (`-1234567.50` → `-1,234,567.50`), as
 * Intl.NumberFormat('en-US') writes them: by hand, as building a NumberFormat loads ICU data
 * (20–30 ms, more than the rest of a short listing).
 */
export function grouped(s: string): string {
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  return int.replace(/\d(?=(\d{3})+$)/g, '$&,') + (dot < 0 ? '' : s.slice(dot));
}

/** An integer with thousands separators (`12,345`). */
export function thousands(n: number): string {
  return Number.isInteger(n) ? grouped(String(n)) : String(n);
}
