/**
 * The offset a clock has from UTC at `at`, as ±HH:MM, east positive (ISO 8601): what the
 * session's zone falls back to when the client's zone has no name the server knows.
 */
export function utcOffsetText(at: Date): string {
  const east = -at.getTimezoneOffset();
  const abs = Math.abs(east);
  return `${east < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
