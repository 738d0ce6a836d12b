/**
 * Policy versions (SPEC §6) in the table `policy_versions`: complete, validated documents
 * keyed by `effective_from`. Every command that needs a number of §3 asks `policyOn(db, date)`
 * (or `storedPolicies(db)` once and the domain's `policyOn(versions, date)` per item).
 *
 * Cheap by design: the versions are read and validated once per connection and kept until
 * this connection loads a new one or another process commits a change (`PRAGMA
 * data_version`), so calling `policyOn(db, date)` per customer or per trip costs a pragma.
 * A server (issue 19) has no such counter: there each call reads the table again (one
 * statement; every caller asks once per command, and loops take `storedPolicies(db)` once).
 *
 * Reading a stored document: it is merged over DEFAULT_POLICY before validation, so a
 * field a later salesops adds gets its default in versions loaded before it existed. A
 * document that no longer validates is an error naming the version (never silently the
 * default: money would change without anyone noticing).
 */
import { isPostgres, sqlFor } from './engine.js';
import type { DB } from './db.js';
import { UserError } from '../errors.js';
import { t } from '../messages/index.js';
import { hasPolicyShape, policyOn as policyIn, type Policy } from '../domain/policy.js';
import { NO_CHANGE_LOG, type ChangeLog } from './changes.js';

export interface PolicyVersion {
  version_id: number;
  effective_from: string;
  /** where it came from: the file name given to `policy load` */
  source: string | null;
  loaded_at: string;
  policy: Policy;
}

interface Row {
  version_id: number;
  effective_from: string;
  document: string;
  source: string | null;
  loaded_at: string;
}

const cache = new WeakMap<DB, { dataVersion: number; versions: PolicyVersion[]; policies: Policy[] }>();

function read(db: DB): { versions: PolicyVersion[]; policies: Policy[] } {
  // SQLite says whether another connection wrote since; a server does not: read each time (NaN equals nothing)
  const dataVersion = isPostgres(db) ? NaN : (db.pragma('data_version', { simple: true }) as number);
  const hit = cache.get(db);
  if (hit && hit.dataVersion === dataVersion) return hit;
  const rows = db.prepare('SELECT version_id, effective_from, document, source, loaded_at FROM policy_versions ORDER BY effective_from').all() as Row[];
  const versions: PolicyVersion[] = rows.map((r) => {
    let json: unknown;
    try {
      json = JSON.parse(r.document);
    } catch (e) {
      throw new UserError(t('policy.stored_invalid', { from: r.effective_from, errors: (e as Error).message }), t('policy.stored_invalid.hint', { from: r.effective_from }));
    }
    // validated by `policy load` before it was stored; `check` validates it again in full
    if (!hasPolicyShape(json) || (json as Policy).effective_from !== r.effective_from) {
      throw new UserError(
        t('policy.stored_invalid', { from: r.effective_from, errors: t('policy.stored_incomplete') }),
        t('policy.stored_invalid.hint', { from: r.effective_from }),
      );
    }
    return { version_id: r.version_id, effective_from: r.effective_from, source: r.source, loaded_at: r.loaded_at, policy: json as Policy };
  });
  const entry = { dataVersion, versions, policies: versions.map((v) => v.policy) };
  cache.set(db, entry);
  return entry;
}

/** The loaded versions, oldest first (without the built-in default). */
export function listPolicyVersions(db: DB): PolicyVersion[] {
  return read(db).versions;
}

/** The loaded policies, oldest first: pass them to the domain's `policyOn(versions, date)` in loops. */
export function storedPolicies(db: DB): Policy[] {
  return read(db).policies;
}

/** §6: the version in force on `date` — the latest effective_from <= date; DEFAULT_POLICY before the first. */
export function policyOn(db: DB, date: string): Policy {
  return policyIn(read(db).policies, date);
}

/** The stored version in force on `date`, or null while the built-in default applies. */
export function versionOn(db: DB, date: string): PolicyVersion | null {
  let best: PolicyVersion | null = null;
  for (const v of read(db).versions) if (v.effective_from <= date) best = v;
  return best;
}

/**
 * Stores a complete, validated policy (from the domain's `parsePolicyVersion`) as the version
 * of its `effective_from`, inside the caller's transaction (the one the validation read the
 * stored versions in). A version already stored for that date is replaced only with
 * `replace` (the caller validated against that); otherwise the UNIQUE constraint refuses it.
 * The replaced document goes to `log` (kind 'policy', key effective_from, field 'document',
 * old → new JSON).
 */
export function addPolicyVersion(db: DB, policy: Policy, source: string | null, opts: { replace?: boolean; log?: ChangeLog } = {}): 'new' | 'replaced' {
  const doc = JSON.stringify(policy);
  const log = opts.log ?? NO_CHANGE_LOG;
  // this connection's own writes do not move `data_version`: the next read must not hit the cache
  cache.delete(db);
  if (opts.replace) {
    const old = db.prepare('SELECT document FROM policy_versions WHERE effective_from = ?').pluck().get(policy.effective_from) as string | undefined;
    const r = db
      .prepare(
        sqlFor(db, {
          sqlite: `UPDATE policy_versions SET document = ?, source = ?, loaded_at = strftime('%Y-%m-%dT%H:%M:%S','now','localtime') WHERE effective_from = ?`,
          // the column's default, as pg/schema.ts writes it: the statement's local time
          postgres: `UPDATE policy_versions SET document = ?, source = ?, loaded_at = to_char(statement_timestamp(), 'YYYY-MM-DD"T"HH24:MI:SS') WHERE effective_from = ?`,
        }),
      )
      .run(doc, source, policy.effective_from);
    if (r.changes > 0) {
      log.record('policy', policy.effective_from, { document: old }, { document: doc }, ['document']);
      return 'replaced';
    }
  }
  db.prepare('INSERT INTO policy_versions (effective_from, document, source) VALUES (?, ?, ?)').run(policy.effective_from, doc, source);
  return 'new';
}

/** Trips starting on or after `from` and before `to` (null: no end): the ones a version prices. */
export function countTripsStarting(db: DB, from: string, to: string | null): number {
  const row = db
    .prepare(
      sqlFor(db, {
        sqlite: 'SELECT count(*) AS n FROM trips WHERE start_date >= ? AND (? IS NULL OR start_date < ?)',
        // a server must know a parameter's type before `IS NULL`
        postgres: 'SELECT count(*) AS n FROM trips WHERE start_date >= ? AND (CAST(? AS text) IS NULL OR start_date < ?)',
      }),
    )
    .get(from, to, to) as { n: number };
  return row.n;
}
