/** The customer aggregate: survey rows in, masked listings out. */
import { liftForBulkWrite, type DB } from './db.js';
import { isPostgres } from './engine.js';
import { copyRows } from './copy.js';
import type { RowWriter, WriteOutcome } from '../io/kind.js';
import type { SurveyRow } from '../io/kinds/surveys.js';
import { normalIdentity } from './duplicates.js';

export interface CustomerRecord {
  customer_id: number;
  survey_no: string | null;
  name: string;
  phone: string;
  gender: 'M' | 'F' | null;
  birth_year: number | null;
  address: string | null;
  district: string | null;
  health: string | null;
  collector_id: string;
  collected_on: string;
  owner_id: string | null;
  assigned_on: string | null;
  pinned: number;
  pin_reason: string | null;
  archived_on: string | null;
  archive_reason: string | null;
}

/**
 * An import that at least doubles the customers lifts, while it runs, what costs it most
 * per row and does not need to run per row (issue 17, measured in SQLite itself on
 * 1,000,000 new survey rows, docs/decisions.md "Import speed"):
 * - the index a new customer enters at a random place (by collector and collection date):
 *   rebuilt once at the end, one sort, instead of updated row by row (random inserts cost
 *   about twice the sort). The other non-unique indexes take a new customer at their end —
 *   customer_id grows, a new customer has no owner and no archive date — so keeping them
 *   costs less than building them again (rebuilding them all took 3.05 s; keeping them adds
 *   0.3 s to the inserts);
 * - the guards of migration 3 against INSERT OR REPLACE (customers_no_replace,
 *   customers_keep_existing), each a trigger program run per row (1.5 s of the 1,000,000
 *   inserts): this import only inserts, with ON CONFLICT DO NOTHING and no customer_id.
 * It is decided after the first rows, from how many were new: re-importing a file, or the
 * day's rows in a file that keeps all the earlier ones too, keeps everything. The unique
 * indexes always stay: they are the deduplication. All of it happens inside the import's
 * transaction: a failed or killed import rolls the schema back with the rows.
 */
const REBUILD_INDEXES_FROM_ROWS = 50_000;
/** Lifted by a bulk import and put back before its commit (see above). */
const LIFTED_BY_BULK_IMPORT = ['customers_collector', 'customers_no_replace', 'customers_keep_existing'];
/** Rows written before deciding. */
const REBUILD_SAMPLE = 2_000;
/** Page cache while the indexes are built (as PRAGMA cache_size takes it: -KiB). */
const SORT_CACHE = -16 * 1024;

/**
 * Survey rows → customers. The UNIQUE(phone, name) index does the deduplication: a
 * survey of a known customer inserts nothing and counts as unchanged.
 */
export function surveyWriter(db: DB): RowWriter<SurveyRow> {
  if (isPostgres(db)) return pgSurveyWriter(db);
  const insert = db.prepare(
    `INSERT INTO customers (survey_no, name, gender, birth_year, phone, address, district, health, collector_id, collected_on)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const bySurveyNo = db.prepare('SELECT phone, name FROM customers WHERE survey_no = ?');
  let expected = 0;
  let existing = 0;
  let written = 0;
  let added = 0;
  let restore: (() => void) | null = null;

  return {
    begin(e) {
      expected = e.rows;
      if (expected < REBUILD_INDEXES_FROM_ROWS) return;
      // customers are never deleted, so the largest id is their number
      existing = (db.prepare('SELECT max(customer_id) AS n FROM customers').get() as { n: number | null }).n ?? 0;
    },
    write(r): WriteOutcome {
      // tuple order: survey_no, name, gender, birth_year, phone, address, district, health, collector, collected_on
      const res = insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
      if (++written === REBUILD_SAMPLE && expected >= REBUILD_INDEXES_FROM_ROWS) {
        const expectedNew = ((added + res.changes) / written) * expected;
        if (expectedNew >= REBUILD_INDEXES_FROM_ROWS && expectedNew >= existing) restore = liftForBulkWrite(db, LIFTED_BY_BULK_IMPORT);
      }
      if (res.changes === 1) {
        added++;
        return 'new';
      }
      if (r[0] !== null) {
        const stored = bySurveyNo.get(r[0]) as { phone: string; name: string } | undefined;
        // issue 15: compared as an import writes them, so the survey's customer stored in another
        // spelling (one person entered twice before normalisation, migration 5) is that person
        // and the file re-imports unchanged
        const owner = stored && normalIdentity(stored);
        if (owner && (owner.phone !== r[4] || owner.name !== r[1])) {
          return { error: { column: 'survey_no', value: r[0], reason: 'survey.survey_no_taken', fix: 'survey.survey_no_taken.fix' } };
        }
      }
      return 'unchanged';
    },
    finish() {
      if (!restore) return;
      // CREATE INDEX sorts in as much memory as the page cache may take: keep it small
      const cache = db.pragma('cache_size', { simple: true }) as number;
      db.pragma(`cache_size = ${SORT_CACHE}`);
      try {
        restore();
      } finally {
        db.pragma(`cache_size = ${cache}`);
      }
      restore = null;
    },
  };
}

/** The survey's columns in a customer row, in the order of a SurveyRow tuple. */
const SURVEY_COLUMNS = ['survey_no', 'name', 'gender', 'birth_year', 'phone', 'address', 'district', 'health', 'collector_id', 'collected_on'] as const;

/**
 * Survey rows → customers on PostgreSQL (issue 19), a batch at a time: ~200 µs a statement
 * made one INSERT per row 50× slower than SQLite, so each batch is COPYed into a temporary
 * stage and merged by one statement that inserts the rows no customer has yet (by phone +
 * name, or survey number; the first of a batch for each) and answers, per row, whether it
 * was new or which customer holds its survey number. The same outcomes as the row writer
 * above; a known customer draws no id from the identity (ON CONFLICT would, and a re-imported
 * sheet would leave a gap before the next new customers). The import's writer lock
 * (beginImport) keeps other writers out between the check and the insert.
 */
function pgSurveyWriter(db: DB): RowWriter<SurveyRow> {
  const cols = SURVEY_COLUMNS.join(', ');
  let staged = false;
  // in the batch, as the row writer would meet them one by one: the first row of each new
  // identity is a candidate; among those, the first of each survey number no customer holds
  const merge = db.prepare(`
    WITH cand AS MATERIALIZED (
      SELECT i, survey_no FROM (SELECT s.*, row_number() OVER (PARTITION BY s.phone, s.name ORDER BY s.i) AS nth FROM survey_stage s) s
       WHERE nth = 1 AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.phone = s.phone AND c.name = s.name)
    ), pick AS MATERIALIZED (
      SELECT i FROM (SELECT cand.*, row_number() OVER (PARTITION BY survey_no ORDER BY i) AS nth FROM cand) k
       WHERE survey_no IS NULL OR (nth = 1 AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.survey_no = k.survey_no))
    ), ins AS (
      INSERT INTO customers (${cols})
      SELECT ${SURVEY_COLUMNS.map((c) => `s.${c}`).join(', ')} FROM survey_stage s JOIN pick USING (i) ORDER BY s.i
    )
    SELECT i, NULL AS phone, NULL AS name FROM pick
    UNION ALL
    -- a row not inserted whose survey number someone holds: a customer stored before, or a row earlier in the batch
    SELECT s.i, c.phone, c.name FROM survey_stage s JOIN customers c ON c.survey_no = s.survey_no
     WHERE s.i NOT IN (SELECT i FROM pick)
    UNION ALL
    SELECT s.i, p.phone, p.name FROM survey_stage s JOIN survey_stage p ON p.survey_no = s.survey_no AND p.i < s.i
     WHERE s.i NOT IN (SELECT i FROM pick) AND p.i IN (SELECT i FROM pick)`);
  const outcomeOf = (r: SurveyRow, holder: { phone: string; name: string } | undefined): WriteOutcome => {
    // issue 15: compared as an import writes them (see the row writer)
    const owner = holder && normalIdentity(holder);
    if (owner && r[0] !== null && (owner.phone !== r[4] || owner.name !== r[1])) {
      return { error: { column: 'survey_no', value: r[0], reason: 'survey.survey_no_taken', fix: 'survey.survey_no_taken.fix' } };
    }
    return 'unchanged';
  };
  const writeBatch = (values: SurveyRow[]): WriteOutcome[] => {
    if (!staged) {
      // the stage lives as long as the import's transaction
      db.exec(`CREATE TEMP TABLE survey_stage (i integer, ${SURVEY_COLUMNS.map((c) => `${c} ${c === 'birth_year' ? 'bigint' : 'text COLLATE "C"'}`).join(', ')}) ON COMMIT DROP`);
      staged = true;
    } else db.exec('TRUNCATE survey_stage');
    copyRows(db, 'survey_stage', ['i', ...SURVEY_COLUMNS], values.map((v, i) => [i, ...v]));
    const news = new Set<number>();
    const holders = new Map<number, { phone: string; name: string }>();
    for (const row of merge.raw().all() as [number, string | null, string | null][]) {
      if (row[1] === null) news.add(row[0]);
      else if (!holders.has(row[0])) holders.set(row[0], { phone: row[1], name: row[2] ?? '' });
    }
    return values.map((v, i) => (news.has(i) ? 'new' : v[0] === null ? 'unchanged' : outcomeOf(v, holders.get(i))));
  };
  return { write: (v) => writeBatch([v])[0], writeBatch };
}

export interface CustomerFilter {
  unassigned?: boolean;
  /** a region code: a province or city code matches every county in it */
  district?: string;
  collector?: string;
  owner?: string;
}

function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** The customers that match, archived ones left out, by id. */
export function listCustomers(db: DB, f: CustomerFilter = {}): IterableIterator<CustomerRecord> {
  const where = ['archived_on IS NULL'];
  const params: Record<string, string | number> = {};
  if (f.unassigned) where.push('owner_id IS NULL');
  if (f.district) {
    where.push('district LIKE @district');
    params.district = regionPrefix(f.district) + '%';
  }
  if (f.collector) {
    where.push('collector_id = @collector');
    params.collector = f.collector;
  }
  if (f.owner) {
    where.push('owner_id = @owner');
    params.owner = f.owner;
  }
  const sql = `SELECT * FROM customers WHERE ${where.join(' AND ')} ORDER BY customer_id`;
  // streamed: a listing of 200,000 customers never holds them all (the connection is busy until it is done)
  return db.prepare(sql).iterate(params) as IterableIterator<CustomerRecord>;
}

/** By customer id, or every customer with a phone (normalised), by id: a name is matched by the caller (issue 15). */
export function findCustomers(db: DB, key: { id: number } | { phone: string }): CustomerRecord[] {
  if ('id' in key) return db.prepare('SELECT * FROM customers WHERE customer_id = ?').all(key.id) as CustomerRecord[];
  return db.prepare('SELECT * FROM customers WHERE phone = ? ORDER BY customer_id').all(key.phone) as CustomerRecord[];
}

/** The columns `customers archive` writes, as the change log names them. */
export const ARCHIVE_FIELDS = ['archived_on', 'archive_reason'] as const;
/** The columns that are a customer's identity (SPEC §1), as the change log names them. */
export const IDENTITY_FIELDS = ['phone', 'name'] as const;

/** §5: archived, never deleted. */
export function archiveCustomer(db: DB, customerId: number, on: string, reason: string): void {
  db.prepare('UPDATE customers SET archived_on = ?, archive_reason = ? WHERE customer_id = ?').run(on, reason, customerId);
}

/**
 * Issue 15: the phones and names of two customers exchanged (one person entered twice in two
 * spellings: the kept record takes the normal one). Through a spelling no customer can hold
 * (a NUL), as UNIQUE(phone, name) is checked row by row — on PostgreSQL too, where text
 * cannot hold a NUL at all (22021, issue 19): there a U+0001, which no import writes and
 * nobody types.
 */
export function exchangeIdentities(db: DB, a: CustomerRecord, b: CustomerRecord): void {
  const set = db.prepare('UPDATE customers SET phone = ?, name = ? WHERE customer_id = ?');
  set.run(a.phone, `${a.name}${isPostgres(db) ? '\u0001' : '\0'}`, a.customer_id);
  set.run(a.phone, a.name, b.customer_id);
  set.run(b.phone, b.name, a.customer_id);
}
