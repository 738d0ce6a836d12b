/**
 * The policy versions (SPEC §6) as use cases: which version is in force on a date, its
 * numbers one per row, the loaded versions, and loading a new one — validated whole against
 * the stored versions and written in the same transaction, or nothing stored.
 */
import { columnHeader } from '../messages/columns.js';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { t, type MessageKey } from '../messages/index.js';
import { inTransaction, type DB } from '../store/db.js';
import { changeLog } from '../store/changes.js';
import { addPolicyVersion, countTripsStarting, listPolicyVersions, policyOn, storedPolicies, versionOn } from '../store/policy.js';
import { DEFAULT_POLICY, type Policy } from '../domain/policy.js';
import type { Column } from '../io/output/column.js';
import type { Listing, Notice } from './listing.js';

/** The version in force on a date, and where it came from. */
export interface PolicyInForce {
  on: string;
  effective_from: string;
  builtin: boolean;
  loaded_at: string | null;
  policy: Policy;
  /** `policy in force on …: the version from … (source)` */
  heading: Notice;
}

/** `policy show` / `policy export`: §6 the version in force on `on` — the latest effective_from <= on. */
export function policyInForce(db: DB, on: string): PolicyInForce {
  const policy = policyOn(db, on);
  const v = versionOn(db, on);
  const source = v ? t('policy.loaded_source', { source: v.source ?? '—', loaded_at: v.loaded_at }) : t('policy.default_source');
  return {
    on,
    effective_from: policy.effective_from,
    builtin: v === null,
    loaded_at: v?.loaded_at ?? null,
    policy,
    heading: { key: 'policy.in_force', params: { on, from: policy.effective_from, source } },
  };
}

export const POLICY_VALUE_COLUMNS: Column[] = [
  { key: 'path', header: columnHeader('policy.col.path') },
  { key: 'value', header: columnHeader('policy.col.value') },
];

/** `{a: {b: 1, c: [x, y]}}` → {path: 'a.b', value: '1'}, {path: 'a.c', value: 'x;y'} */
function* flatten(o: unknown, prefix = ''): Generator<{ path: string; value: string }> {
  if (o !== null && typeof o === 'object' && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) yield* flatten(v, prefix ? `${prefix}.${k}` : k);
    return;
  }
  yield { path: prefix, value: Array.isArray(o) ? o.join(';') : String(o) };
}

/** `policy show` as rows: one `path, value` per number of the version in force. */
export function policyValues(v: PolicyInForce): Listing {
  return { rows: flatten(v.policy), columns: POLICY_VALUE_COLUMNS, notices: [v.heading] };
}

export const POLICY_VERSION_COLUMNS: Column[] = [
  { key: 'effective_from', header: columnHeader('policy.col.effective_from'), kind: 'date' },
  { key: 'source', header: columnHeader('policy.col.source') },
  { key: 'loaded_at', header: columnHeader('policy.col.loaded_at') },
  { key: 'in_force', header: columnHeader('policy.col.in_force'), kind: 'bool' },
];

/** `policy list`: the built-in default, then the loaded versions, and which one is in force on `asOf`. */
export function policyVersions(db: DB, asOf: string): Listing {
  const versions = listPolicyVersions(db);
  const current = versionOn(db, asOf);
  const rows = [
    { effective_from: DEFAULT_POLICY.effective_from, source: t('policy.default_source'), loaded_at: null, in_force: current === null },
    ...versions.map((v) => ({ effective_from: v.effective_from, source: v.source, loaded_at: v.loaded_at, in_force: current?.version_id === v.version_id })),
  ];
  return { rows, columns: POLICY_VERSION_COLUMNS, notices: versions.length === 0 ? [{ key: 'policy.no_versions' }] : [] };
}

/** `policy load FILE`: the document's text, or a UserError saying the file cannot be read. */
export function readPolicyFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError(t('policy.no_file', { file }), t('policy.no_file.hint'));
  }
}

export interface LoadPolicyOptions {
  /** the file's name (said in messages; its base name is stored as the version's source) */
  file: string;
  text: string;
  /** `--from DATE`: the effective date, when the document does not give it */
  from?: string;
  replace?: boolean;
  dryRun?: boolean;
  lang: 'zh' | 'en';
  /** the command line, for the change log */
  command: string;
}

/**
 * §6 `policy load`: the document (possibly partial) is merged over the version in force on
 * its date, validated whole — every problem named by its field path, a UserError and
 * nothing stored — and stored in one transaction with the read it was validated against.
 * A second version on a date is refused unless `replace`. The notices say what was done and
 * how many stored trips this version now prices (finance should know when they change).
 */
export async function loadPolicy(db: DB, o: LoadPolicyOptions): Promise<Notice[]> {
  const { parsePolicy, parsePolicyText, parsePolicyVersion } = await import('../domain/policyDocument.js');
  const validate = () => {
    let json: unknown;
    try {
      json = JSON.parse(o.text.replace(/^\uFEFF/, ''));
    } catch {
      // a JSON syntax error is reported by parsePolicyText, with the parser's detail
      return parsePolicyText(o.text, { effective_from: o.from, lang: o.lang });
    }
    const docDate = json !== null && typeof json === 'object' ? (json as { effective_from?: unknown }).effective_from : undefined;
    // the document and --from disagree: say so first
    if (o.from !== undefined && docDate !== undefined && docDate !== o.from) return parsePolicy(json, { effective_from: o.from, lang: o.lang });
    return parsePolicyVersion(storedPolicies(db), json, { effective_from: o.from, replace: o.replace, lang: o.lang });
  };
  const refuse = (issues: readonly { code: string }[], errors: readonly string[]) => {
    const codes = new Set(issues.map((i) => i.code));
    const hint: MessageKey = codes.has('effective_from_taken')
      ? 'policy.invalid.hint_taken'
      : codes.has('effective_from_conflict')
        ? 'policy.invalid.hint_conflict'
        : 'policy.invalid.hint';
    return new UserError(t('policy.invalid', { file: o.file }) + '\n' + errors.map((e) => '  ' + e).join('\n'), t(hint));
  };
  if (o.dryRun) {
    const result = validate();
    if (!result.ok) throw refuse(result.issues, result.errors);
    return [{ key: 'policy.dry_run_ok', params: { file: o.file, from: result.policy.effective_from } }];
  }
  return inTransaction(db, () => {
    const result = validate();
    if (!result.ok) throw refuse(result.issues, result.errors);
    const p = result.policy;
    // the version after this one, read before it is stored: this one prices the trips up to it
    const next = storedPolicies(db).find((v) => v.effective_from > p.effective_from)?.effective_from ?? null;
    // a replaced document stays on record: the change log keeps it, old → new
    const outcome = addPolicyVersion(db, p, path.basename(o.file), { replace: o.replace, log: changeLog(db, o.command) });
    const notices: Notice[] = [{ key: outcome === 'replaced' ? 'policy.replaced' : 'policy.loaded', params: { file: o.file, from: p.effective_from } }];
    const n = countTripsStarting(db, p.effective_from, next);
    if (n > 0) notices.push({ key: 'policy.affects_trips', params: { n, from: p.effective_from, to: next ?? '—' } });
    return notices;
  });
}
