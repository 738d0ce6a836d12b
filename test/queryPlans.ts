/**
 * Index hygiene (issue 17): the SQL statements the store really prepares, collected from a
 * run of the built CLI (dist/, in process, as test/e2e/harness.ts runs it) through a scenario
 * of commands, each statement with where it was prepared (its src/store file and top-level
 * function, from the call stack) and its query plan (EXPLAIN QUERY PLAN against the
 * scenario's database: every migration, no statistics — salesops never runs ANALYZE, so these
 * are the plans of a database of any size, the bench's 1,000,000 customers included).
 *
 * Collected rather than read from the source: the statements built at run time (the due
 * list's filters, exports by period…) are there as SQLite gets them, and a statement moved or
 * rewritten (the survey import) is still found by what it does.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, sandbox, type Sandbox } from './e2e/harness.js';

/** A statement prepared by the store, with where and when. */
export interface Statement {
  sql: string;
  /** `src/store/<name>.ts` */
  file: string;
  /** the top-level function (or constant) of that file whose code prepared it */
  fn: string;
  /** the scenario steps (command lines as labelled) that prepared it, in order */
  steps: string[];
}

/** One line of a query plan, with what it reads. */
export interface PlanLine {
  /** EXPLAIN QUERY PLAN's detail, indented two spaces per level */
  text: string;
  /** the index it reads (a UNIQUE or PRIMARY KEY constraint's own: sqlite_autoindex_…) */
  index: string | null;
  /** the table it reads, when the plan names it (SCAN/SEARCH) */
  table: string | null;
  /** reads every row of the table, through no index or through a whole index */
  scan: boolean;
  /**
   * a foreign-key probe of a child table generated for an INSERT of a parent row: SQLite
   * codes it but skips it at run time unless a deferred constraint is pending (never here),
   * so it is no use of the index it names
   */
  fkProbe: boolean;
}

export interface Explained extends Statement {
  plan: PlanLine[];
}

/** Where the code of a prepare() call was: the first frame of dist/ (the store's file and line). */
interface Site {
  module: string;
  line: number;
}

function callSite(): Site | null {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  for (const frame of stack.split('\n').slice(2)) {
    const m = /\/dist\/([\w/]+)\.js:(\d+):\d+\)?$/.exec(frame);
    if (m) return { module: m[1], line: Number(m[2]) };
  }
  return null;
}

const distLines = new Map<string, string[]>();
/** The top-level declaration (function, const) of dist/<module>.js that holds line `line`. */
function enclosing(site: Site): string {
  let lines = distLines.get(site.module);
  if (!lines) distLines.set(site.module, (lines = fs.readFileSync(path.join(ROOT, 'dist', `${site.module}.js`), 'utf8').split('\n')));
  for (let i = site.line - 1; i >= 0; i--) {
    const m = /^(?:export\s+)?(?:async\s+)?(?:function\*?|const|let|class)\s+(\w+)/.exec(lines[i]);
    if (m) return m[1];
  }
  return '(module)';
}

/**
 * Records every statement prepared from dist/ while `run` runs: better-sqlite3's
 * Database.prototype.prepare is the one the built CLI uses (the same module instance), so
 * the wrapper sees the store's statements and nothing else changes. `label` is the step
 * being run. Statements prepared outside src/store (a rule of the code: all SQL in the
 * store) come back in `outside`.
 */
export async function recordStatements(run: (step: (label: string) => void) => Promise<void>): Promise<{ statements: Statement[]; outside: string[] }> {
  const proto = Database.prototype as unknown as { prepare: (this: Database.Database, sql: string, ...rest: unknown[]) => unknown };
  const prepare = proto.prepare;
  const seen = new Map<string, Statement>();
  const outside: string[] = [];
  let current = '';
  proto.prepare = function (sql: string, ...rest: unknown[]) {
    const site = callSite();
    if (site && !site.module.startsWith('store/')) outside.push(`dist/${site.module}.js:${site.line}: ${sql}`);
    else if (site) {
      const file = `src/${site.module}.ts`;
      const fn = enclosing(site);
      const key = `${file}\n${fn}\n${sql}`;
      let s = seen.get(key);
      if (!s) seen.set(key, (s = { sql, file, fn, steps: [] }));
      if (!s.steps.includes(current)) s.steps.push(current);
    }
    return prepare.call(this, sql, ...rest);
  };
  try {
    await run((label) => (current = label));
  } finally {
    proto.prepare = prepare;
  }
  return { statements: [...seen.values()], outside };
}

/**
 * A step of the scenario: the arguments after `salesops --db … --lang en --as-of …`
 * (`{fixtures}/x` a bundled fixture, `{dir}/x` a file in the sandbox, `{db}` its database) and the exit codes it
 * may end with (default 0); or SQL run on the database as someone with sqlite3 could (data no
 * command of this salesops writes: a spelling stored before issue 15).
 */
export type Step = { args: string[]; ok?: number[] } | { sql: string } | { file: string; text: string };

/** A step's label: its command line with files by their base name (`survey import surveys.csv`). */
export const stepLabel = (s: Step): string => ('sql' in s ? `sql: ${s.sql}` : 'file' in s ? `file: ${s.file}` : s.args.map((a) => a.replace(/^\{(fixtures|dir)\}\//, '')).join(' '));

/** The command a step runs (`followups due`, `export tasks`): its leading lower-case words. */
export function commandOf(label: string): string {
  const words: string[] = [];
  for (const w of label.split(' ')) {
    if (!/^[a-z]+$/.test(w) || words.length === 2) break;
    words.push(w);
  }
  return words.join(' ');
}

/** Runs the steps in one sandbox, recording; the sandbox is kept (its database is explained). */
export async function runScenario(steps: readonly Step[], asOf: string): Promise<{ s: Sandbox; statements: Statement[]; outside: string[] }> {
  const s = sandbox(asOf);
  try {
    const { statements, outside } = await recordStatements(async (step) => {
      for (const st of steps) {
        const label = stepLabel(st);
        step(label);
        if ('sql' in st) {
          s.exec(st.sql);
          continue;
        }
        if ('file' in st) {
          s.file(st.file, st.text);
          continue;
        }
        const args = st.args.map((a) => a.replace('{fixtures}', path.join(ROOT, 'fixtures')).replace('{dir}', s.dir).replace('{db}', s.db));
        const r = await s.run(args);
        if (!(st.ok ?? [0]).includes(r.code)) throw new Error(`scenario step \`${label}\` exited ${r.code}: ${r.stderr}`);
      }
    });
    // none: the CLI run in process no longer prepares through this better-sqlite3 (a bundle
    // with its own copy, say), and every check below would pass on nothing
    if (statements.length === 0) throw new Error('the scenario recorded no statement: is dist/ (test/e2e/inProcess.ts) still the CLI that runs?');
    return { s, statements, outside };
  } catch (e) {
    s.cleanup();
    throw e;
  }
}

/** The parameters of a statement, all NULL (a plan never depends on them without statistics). */
function nullParams(sql: string): unknown[] {
  const bare = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""');
  const named = [...new Set([...bare.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]))];
  const args: unknown[] = Array((bare.match(/\?/g) ?? []).length).fill(null);
  if (named.length) args.push(Object.fromEntries(named.map((n) => [n, null])));
  return args;
}

/** The tables a statement names, by alias (`tasks t` → t: tasks) and by name. */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  const stop = /^(WHERE|JOIN|ON|INDEXED|CROSS|LEFT|INNER|ORDER|GROUP|LIMIT|USING|NATURAL|UNION|SET|VALUES|WHEN|AND|OR)$/i;
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    out.set(m[1], m[1]);
    if (m[2] && !stop.test(m[2])) out.set(m[2], m[1]);
  }
  return out;
}

export interface IndexInfo {
  name: string;
  table: string;
  /** the key as written (`phone, name`; an expression as its SQL) */
  columns: string[];
  unique: boolean;
  /** the WHERE of a partial index */
  where: string | null;
  /** c: CREATE INDEX; u: a UNIQUE constraint of the table; pk: a PRIMARY KEY that is not the rowid */
  origin: 'c' | 'u' | 'pk';
}

/** The indexes of a database, by table then name. */
export function indexesOf(db: Database.Database): IndexInfo[] {
  const rows = db.prepare("SELECT name, tbl_name AS table_name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY tbl_name, name").all() as { name: string; table_name: string; sql: string | null }[];
  return rows.map((r) => {
    const listed = (db.prepare('SELECT name, "unique" AS u, origin, partial FROM pragma_index_list(?)').all(r.table_name) as { name: string; u: number; origin: 'c' | 'u' | 'pk'; partial: number }[]).find((l) => l.name === r.name)!;
    let columns: string[];
    let where: string | null = null;
    if (r.sql) {
      const m = /\bON\s+\w+\s*\(([\s\S]*)\)\s*(?:WHERE\s+([\s\S]*))?$/i.exec(r.sql.trim());
      if (!m) throw new Error(`cannot read index ${r.name}: ${r.sql}`);
      columns = splitTop(m[1]);
      where = m[2]?.trim() ?? null;
    } else {
      columns = (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(r.name) as string[]);
    }
    return { name: r.name, table: r.table_name, columns, unique: listed.u === 1, where, origin: listed.origin };
  });
}

/** `a, ifnull(b,''), c` → its three terms (commas inside parentheses kept). */
function splitTop(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/**
 * The query planner of `db`: a statement → its plan. Refuses a database with statistics
 * (ANALYZE): its plans would not be those of a salesops database.
 */
export function planner(db: Database.Database): (sql: string) => PlanLine[] {
  const stats = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'sqlite_stat%'").pluck().get() as number;
  if (stats) throw new Error(`${db.name} holds statistics (ANALYZE): its plans are not those of a salesops database`);
  const tableOfIndex = new Map(indexesOf(db).map((i) => [i.name, i.table]));
  const parentsOf = new Map<string, Set<string>>();
  for (const t of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]) {
    parentsOf.set(t, new Set(db.prepare('SELECT "table" FROM pragma_foreign_key_list(?)').pluck().all(t) as string[]));
  }
  return (sql) => explain(db, sql, tableOfIndex, parentsOf);
}

/** The plan of each statement, against `dbFile` (read-only). */
export function explainAll(dbFile: string, statements: readonly Statement[]): Explained[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    const plan = planner(db);
    return statements.map((s) => ({ ...s, plan: plan(s.sql) }));
  } finally {
    db.close();
  }
}

function explain(db: Database.Database, sql: string, tableOfIndex: Map<string, string>, parentsOf: Map<string, Set<string>>): PlanLine[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nullParams(sql)) as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, -1]]);
  const names = aliases(sql);
  // an INSERT … VALUES has no plan of its own: what EXPLAIN shows are the probes of its children
  const inserted = /^\s*(?:INSERT|REPLACE)\b(?:\s+OR\s+\w+)?\s+INTO\s+(\w+)/i.exec(sql)?.[1] ?? null;
  const valuesOnly = inserted !== null && !/\bSELECT\b/i.test(sql);
  return rows.map((r) => {
    const d = (depth.get(r.parent) ?? -1) + 1;
    depth.set(r.id, d);
    const index = /\bUSING (?:COVERING )?INDEX (\S+)/.exec(r.detail)?.[1] ?? null;
    const named = /^(?:SCAN|SEARCH) (\S+)/.exec(r.detail)?.[1] ?? null;
    const table = index ? (tableOfIndex.get(index) ?? null) : named ? (names.get(named) ?? named) : null;
    const scan = /^SCAN /.test(r.detail) && !/USING (?:INTEGER )?PRIMARY KEY/.test(r.detail);
    const fkProbe = valuesOnly && table !== null && (parentsOf.get(table)?.has(inserted!) ?? false);
    return { text: '  '.repeat(d) + r.detail, index, table, scan, fkProbe };
  });
}

/**
 * The indexes an INSERT checks for a conflict (its uniqueness probes: NoConflict on a cursor
 * of that index), from its bytecode: what an upsert's ON CONFLICT reads.
 */
export function conflictIndexes(db: Database.Database, sql: string): string[] {
  const root = new Map(db.prepare('SELECT rootpage, name FROM sqlite_schema WHERE rootpage > 0').raw().all() as [number, string][]);
  const cursor = new Map<number, string>();
  const out: string[] = [];
  for (const op of db.prepare(`EXPLAIN ${sql}`).all(...nullParams(sql)) as { opcode: string; p1: number; p2: number }[]) {
    if (op.opcode === 'OpenWrite' || op.opcode === 'OpenRead') cursor.set(op.p1, root.get(op.p2) ?? `root ${op.p2}`);
    if (op.opcode === 'NoConflict' && !out.includes(cursor.get(op.p1)!)) out.push(cursor.get(op.p1)!);
  }
  return out;
}

/** The top-level functions (and constants) of src/store/*.ts that prepare SQL: file → names. */
export function preparingFunctions(): Map<string, string[]> {
  const dir = path.join(ROOT, 'src/store');
  const out = new Map<string, string[]>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts')).sort()) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    const names: string[] = [];
    let top = '(module)';
    for (const line of lines) {
      const m = /^(?:export\s+)?(?:async\s+)?(?:function\*?|const|let|class)\s+(\w+)/.exec(line);
      if (m) top = m[1];
      if (/\.prepare\(/.test(line) && !names.includes(top)) names.push(top);
    }
    if (names.length) out.set(`src/store/${f}`, names);
  }
  return out;
}
