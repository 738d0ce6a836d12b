/** The customer aggregate: survey rows in, masked listings out. */
import type { DB } from './db.js';
import type { WriteOutcome, RowWriter } from '../io/importer.js';
import type { SurveyRow } from '../io/kinds/surveys.js';

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
 * Survey rows → customers. The UNIQUE(phone, name) index does the deduplication: a
 * survey of a known customer inserts nothing and counts as unchanged.
 */
export function surveyWriter(db: DB): RowWriter<SurveyRow> {
  const insert = db.prepare(
    `INSERT INTO customers (survey_no, name, gender, birth_year, phone, address, district, health, collector_id, collected_on)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const bySurveyNo = db.prepare('SELECT phone, name FROM customers WHERE survey_no = ?');
  return {
    write(r): WriteOutcome {
      // tuple order: survey_no, name, gender, birth_year, phone, address, district, health, collector, collected_on
      const res = insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
      if (res.changes === 1) return 'new';
      if (r[0] !== null) {
        const other = bySurveyNo.get(r[0]) as { phone: string; name: string } | undefined;
        if (other && (other.phone !== r[4] || other.name !== r[1])) {
          return { error: { column: 'survey_no', value: r[0], reason: 'survey.survey_no_taken', fix: 'survey.survey_no_taken.fix' } };
        }
      }
      return 'unchanged';
    },
  };
}

export interface CustomerFilter {
  unassigned?: boolean;
  /** a region code: a province or city code matches every county in it */
  district?: string;
  collector?: string;
  owner?: string;
  limit?: number;
  includeArchived?: boolean;
}

function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export function listCustomers(db: DB, f: CustomerFilter = {}): IterableIterator<CustomerRecord> {
  const where: string[] = [];
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
  if (!f.includeArchived) where.push('archived_on IS NULL');
  const sql = `SELECT * FROM customers ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY customer_id${f.limit ? ' LIMIT @limit' : ''}`;
  if (f.limit) params.limit = f.limit;
  return db.prepare(sql).iterate(params) as IterableIterator<CustomerRecord>;
}

/** By customer id, by phone (normalised), or by phone+name when a phone is shared. */
export function findCustomers(db: DB, key: { id?: number; phone?: string; name?: string }): CustomerRecord[] {
  if (key.id !== undefined) return db.prepare('SELECT * FROM customers WHERE customer_id = ?').all(key.id) as CustomerRecord[];
  if (key.name) return db.prepare('SELECT * FROM customers WHERE phone = ? AND name = ?').all(key.phone, key.name) as CustomerRecord[];
  return db.prepare('SELECT * FROM customers WHERE phone = ? ORDER BY customer_id').all(key.phone) as CustomerRecord[];
}

export function customerCount(db: DB): number {
  return (db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
}
