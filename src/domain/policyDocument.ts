/**
 * Validating a policy document (§6: "validates, clear errors, nothing stored on error"):
 * the zod schema of the Policy interface, and the merge of a partial document over the
 * version in force on its date. Kept apart from policy.ts because zod is slow to load and
 * only `policy load`, `check` and the tests need it.
 */
import { z } from 'zod';
import { ROLES, type Role } from './staff.js';
import { isoDate } from './values.js';
import { tripMessages } from '../messages/trips.js';
import { DEFAULT_POLICY, isPlainObject, mergePolicy, policyOn, type Policy } from './policy.js';

/** What is wrong with one field; `code` names the message `policy.error.<code>`. */
export type PolicyErrorCode =
  | 'document'
  | 'json'
  | 'object'
  | 'unknown_field'
  | 'required'
  | 'money'
  | 'count'
  | 'count1'
  | 'hours'
  | 'km'
  | 'rate'
  | 'date'
  | 'time'
  | 'names'
  | 'names1'
  | 'roles'
  | 'days_list'
  | 'not_above'
  | 'same_time'
  | 'effective_from_conflict'
  | 'effective_from_taken';

export interface PolicyIssue {
  /** field path, e.g. `travel.per_diem.out_of_province`, `travel.train.seat_classes[1]`; `(document)` for the whole */
  path: string;
  code: PolicyErrorCode;
  params: Record<string, string | number>;
}

export type PolicyResult =
  | { ok: true; policy: Policy }
  | {
      ok: false;
      /** one line per problem, naming the field path: `travel.per_diem.out_of_province: must be …` */
      errors: string[];
      issues: PolicyIssue[];
    };

const money = z
  .number({ error: 'money' })
  .min(0, { error: 'money' })
  .max(1e12, { error: 'money' })
  .refine((y) => Math.abs(y * 100 - Math.round(y * 100)) < 1e-6, { error: 'money' });
const count = z.number({ error: 'count' }).int({ error: 'count' }).min(0, { error: 'count' }).max(1e6, { error: 'count' });
const count1 = z.number({ error: 'count1' }).int({ error: 'count1' }).min(1, { error: 'count1' }).max(1e6, { error: 'count1' });
const hours = z.number({ error: 'hours' }).gt(0, { error: 'hours' }).max(1000, { error: 'hours' });
const km = z.number({ error: 'km' }).gt(0, { error: 'km' }).max(1e4, { error: 'km' });
const rate = z
  .number({ error: 'rate' })
  .min(0, { error: 'rate' })
  .max(1, { error: 'rate' })
  .refine((r) => Math.abs(r * 1e6 - Math.round(r * 1e6)) < 1e-6, { error: 'rate' });
const date = z.string({ error: 'date' }).refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isoDate(+s.slice(0, 4), +s.slice(5, 7), +s.slice(8, 10)) === s, { error: 'date' });
const time = z.string({ error: 'time' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'time' });
const NAME = /^[a-z][a-z0-9_]*$/;
const name = (code: 'names' | 'names1') => z.string({ error: code }).regex(NAME, { error: code });
const names = z.array(name('names'), { error: 'names' });
const names1 = z.array(name('names1'), { error: 'names1' }).min(1, { error: 'names1' });
const roles = z.array(z.enum(ROLES as [Role, ...Role[]], { error: 'roles' }), { error: 'roles' }).min(1, { error: 'roles' });
const daysList = z
  .array(count1, { error: 'days_list' })
  .refine((xs) => xs.every((x, i) => i === 0 || x > xs[i - 1]), { error: 'days_list' });
const obj = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape, { error: 'object' });

/** The complete policy document. Error messages are codes (see PolicyErrorCode). */
export const policySchema = obj({
  effective_from: date,
  assign: obj({
    new_staff_days: count,
    new_staff_share: rate,
    default_capacity: count1,
    on_time_window_days: count1,
  }),
  followup: obj({
    buyer: obj({ rep: daysList, doctor: daysList }),
    non_buyer: obj({ rep: daysList, doctor: daysList }),
    due_within_days: count,
  }),
  travel: obj({
    approval: obj({ reviewer_roles: roles, approver_roles: roles }),
    per_diem: obj({ in_province_same_day: money, in_province_overnight: money, out_of_province: money }),
    day_limit: obj({ in_province: count1, out_of_province: count1 }),
    absence_over_days: obj({ in_province: count1, out_of_province: count1 }),
    train: obj({ sleeper_min_hours: hours, seat_classes: names1, sleeper_classes: names }),
    ship_classes: names1,
    plane_approver_roles: roles,
    taxi: obj({
      night_from: time,
      night_to: time,
      reasons: names1,
      far_km: km,
      special_approver_roles: roles,
    }),
    client_trip_limit: count1,
    dinner: obj({ min_order: money, max_rate: rate }),
    advance_max: money,
    report_due_days: count,
  }),
  kpi: obj({
    class_a_min: money,
    class_b_min: money,
    class_window_months: count1,
  }),
}).superRefine((p, ctx) => {
  // §3.5: class B starts below class A
  if (p.kpi.class_b_min > p.kpi.class_a_min) {
    ctx.addIssue({ code: 'custom', message: 'not_above', path: ['kpi', 'class_b_min'], params: { other: 'kpi.class_a_min' } });
  }
  // 3.3: an empty night window would allow no night taxi and is surely a typo
  if (p.travel.taxi.night_from === p.travel.taxi.night_to) {
    ctx.addIssue({ code: 'custom', message: 'same_time', path: ['travel', 'taxi', 'night_to'], params: { other: 'travel.taxi.night_from' } });
  }
});

// The schema describes exactly the Policy interface (a compile error if they drift).
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _schemaMatchesPolicy: Exact<z.infer<typeof policySchema>, Policy> = true;
void _schemaMatchesPolicy;

function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s === '' ? '(document)' : s;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

const CODES = new Set<string>([
  'money', 'count', 'count1', 'hours', 'km', 'rate', 'date', 'time', 'names', 'names1', 'roles', 'days_list',
  'object', 'not_above', 'same_time',
]);

/** The text of an issue in one language: `path: message`. */
export function formatPolicyIssue(issue: PolicyIssue, lang: 'zh' | 'en' = 'en'): string {
  const entry = tripMessages[`policy.error.${issue.code}`];
  const text = entry[lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in issue.params ? String(issue.params[k]) : m));
  return `${issue.path}: ${text}`;
}

function failure(issues: PolicyIssue[], lang: 'zh' | 'en'): PolicyResult {
  return { ok: false, issues, errors: issues.map((i) => formatPolicyIssue(i, lang)) };
}

export interface ParseOptions {
  /** the version the document is merged over (the one in force on its date); default DEFAULT_POLICY */
  base?: Policy;
  /** `policy load --from DATE`; the document's own `effective_from` must agree when both are given */
  effective_from?: string;
  /** language of `errors` (issues carry codes for any language) */
  lang?: 'zh' | 'en';
}

/**
 * Validates a policy document (parsed JSON), possibly partial, merged over `base`.
 * On success the policy is complete; on failure every problem is listed with its field path.
 */
export function parsePolicy(json: unknown, opts: ParseOptions = {}): PolicyResult {
  const lang = opts.lang ?? 'en';
  if (!isPlainObject(json)) return failure([{ path: '(document)', code: 'document', params: {} }], lang);
  const docDate = json.effective_from;
  if (docDate !== undefined && opts.effective_from !== undefined && docDate !== opts.effective_from) {
    return failure(
      [{ path: 'effective_from', code: 'effective_from_conflict', params: { doc: String(docDate), from: opts.effective_from } }],
      lang,
    );
  }
  // effective_from never comes from the base: a version without a date of its own is an error
  const { effective_from: _baseDate, ...baseRest } = opts.base ?? DEFAULT_POLICY;
  void _baseDate;
  const merged = mergePolicy(baseRest, { ...json, effective_from: docDate ?? opts.effective_from });
  const parsed = policySchema.safeParse(merged);
  if (parsed.success) return { ok: true, policy: parsed.data };
  const issues: PolicyIssue[] = [];
  for (const iss of parsed.error.issues) {
    if (iss.code === 'unrecognized_keys') {
      for (const k of iss.keys) issues.push({ path: formatPath([...iss.path, k]), code: 'unknown_field', params: {} });
      continue;
    }
    const missing = valueAt(merged, iss.path) === undefined;
    const code = (missing ? 'required' : CODES.has(iss.message) ? iss.message : 'object') as PolicyErrorCode;
    const params = (iss.code === 'custom' ? (iss.params as Record<string, string> | undefined) : undefined) ?? {};
    issues.push({ path: formatPath(iss.path), code, params });
  }
  // one line per field, in document order of discovery
  const seen = new Set<string>();
  return failure(
    issues.filter((i) => {
      const key = `${i.path}\u0000${i.code}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
    lang,
  );
}

/** `policy load FILE`: the file's text → a validated policy (JSON syntax errors included). */
export function parsePolicyText(text: string, opts: ParseOptions = {}): PolicyResult {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return failure([{ path: '(document)', code: 'json', params: { detail: (e as Error).message } }], opts.lang ?? 'en');
  }
  return parsePolicy(json, opts);
}

/**
 * `policy load FILE --from DATE` against the stored versions: the document is merged over
 * the version in force on its date and must then be complete and valid; a second version
 * on the same date is refused unless `replace` (then it is merged over the one before it).
 * The returned policy is what to store.
 */
export function parsePolicyVersion(
  versions: readonly Policy[],
  json: unknown,
  opts: { effective_from?: string; replace?: boolean; lang?: 'zh' | 'en' } = {},
): PolicyResult {
  const lang = opts.lang ?? 'en';
  const date = isPlainObject(json) && typeof json.effective_from === 'string' ? json.effective_from : opts.effective_from;
  if (date !== undefined && versions.some((v) => v.effective_from === date)) {
    if (!opts.replace) return failure([{ path: 'effective_from', code: 'effective_from_taken', params: { date } }], lang);
  }
  const others = versions.filter((v) => v.effective_from !== date);
  const base = date === undefined ? DEFAULT_POLICY : policyOn(others, date);
  return parsePolicy(json, { base, effective_from: opts.effective_from, lang });
}
