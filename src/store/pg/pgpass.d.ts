// pgpass (pg's own dependency, libpq's ~/.pgpass lookup) ships no types
declare module 'pgpass' {
  function pgpass(conn: { host?: string; port?: number; database?: string; user?: string }, cb: (password?: string) => void): void;
  export default pgpass;
}
