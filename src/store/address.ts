/**
 * What `--db` names (issue 19): a SQLite file's path, or a PostgreSQL server's address
 * (`postgres://user@host:5432/dbname`). Light on purpose: the CLI's front reads it.
 */

export function isServerAddress(address: string): boolean {
  return /^postgres(ql)?:\/\//i.test(address);
}

/**
 * Every server address's password in a text as *** (a command line kept in the audit log: its
 * `--db`, a `db copy --to`, wherever they stand in it; issue 19), also behind a compound scheme
 * (jdbc:postgresql://) or a slash too few (postgres:clerk:pw@db).
 */
export function redactSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*(?::[a-z][a-z0-9+.-]*)*:\/{0,2}[^:/@\s]*):[^@/\s]*@/gi, '$1:***@').replace(/([?&]password=)[^&\s]*/gi, '$1***');
}

/** The address with its password as *** (never in output, errors or the audit log: issue 19). */
export function redactAddress(address: string): string {
  // an address is a text with one address in it: the same masking as a command line's
  return redactSecrets(address);
}
