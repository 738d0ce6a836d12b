/**
 * The policy document (制度参数, SPEC §6): every number of the rules in §3, versioned by
 * `effective_from`. Money is written in yuan in the document (people edit it); the domain
 * converts to integer fen where it prices (`yuanToFen`). The built-in default is the
 * regulation's text.
 *
 * Versioning (§6), decided here:
 * - A computation uses the version in force on its date: the one with the latest
 *   `effective_from` <= the date (`policyOn`); before the first loaded version, DEFAULT_POLICY.
 *   A trip is priced by the version in force on its start date, for all of its days.
 * - A loaded document may be partial (only the fields that change): it is merged over the
 *   version in force on its own `effective_from` (objects key by key; a list replaces the
 *   whole list), and the result must be complete and valid (`parsePolicy`,
 *   `parsePolicyVersion`). What is stored is the complete merged document, so a version
 *   never changes meaning when another version is loaded later.
 * - Unknown fields are errors (a misspelt field would otherwise be silently ignored and the
 *   old number kept). `effective_from` never comes from the base version: the document or
 *   `--from` must give it, and if both do they must agree.
 *
 * Validation (zod) lives in policyDocument.ts: only `policy load` and `check` need it, and
 * zod costs more to load than a whole `followups due`.
 */
import type { Role } from './staff.js';

export type StaffRole = Role;

export interface Policy {
  effective_from: string;
  assign: {
    /** §3.1 rule 3: reps hired fewer than this many days before the assignment date are new */
    new_staff_days: number;
    /** §3.1 rule 3: share of rule 2–4 picks that go to new staff */
    new_staff_share: number;
    /** §3.1: capacity of a rep whose roster row leaves it blank */
    default_capacity: number;
    /** §3.1 rule 4: on-time follow-up rate is measured over this many days */
    on_time_window_days: number;
  };
  followup: {
    /** §3.2: days after the file opens, deadline inclusive */
    buyer: { rep: number[]; doctor: number[] };
    non_buyer: { rep: number[]; doctor: number[] };
    /** §3.2: `followups due --within` default */
    due_within_days: number;
  };
  travel: {
    /**
     * §3.3 approval before departure: a dept head (`reviewed_by`, one of reviewer_roles)
     * reviews and a GM (`approved_by`, one of approver_roles) approves. A traveller whose
     * own role is a reviewer role needs the approver only; a traveller whose role is an
     * approver role (the GM) needs an approver signature, which may be their own.
     */
    approval: { reviewer_roles: StaffRole[]; approver_roles: StaffRole[] };
    /** §3.3 per diem in yuan per day */
    per_diem: { in_province_same_day: number; in_province_overnight: number; out_of_province: number };
    /** §3.3 per diem and expenses are paid for at most this many days */
    day_limit: { in_province: number; out_of_province: number };
    /** §3.3 more days than this is absence (旷工) unless exempt */
    absence_over_days: { in_province: number; out_of_province: number };
    train: {
      /** a continuous ride of this many hours or more may use a sleeper */
      sleeper_min_hours: number;
      /** classes allowed under sleeper_min_hours */
      seat_classes: string[];
      /** classes allowed from sleeper_min_hours on (in addition to seat classes) */
      sleeper_classes: string[];
    };
    /** §3.3 ship: the class allowed */
    ship_classes: string[];
    /** §3.3 plane: only with pre-approval on the line by one of these roles (the GM) */
    plane_approver_roles: StaffRole[];
    taxi: {
      /** night window for taxis, local time, wraps midnight; both ends are inside */
      night_from: string;
      night_to: string;
      /** reasons that allow a taxi (night is checked against the line's time when given) */
      reasons: string[];
      /** the distance behind the reason `far` (km); the line has no distance, the reason is the traveller's statement */
      far_km: number;
      /** reason `special` needs approval in advance on the line by one of these roles */
      special_approver_roles: StaffRole[];
    };
    /** §3.3 a client may be visited on at most this many reimbursed trips */
    client_trip_limit: number;
    dinner: {
      /** the order must exceed this amount (yuan), strictly */
      min_order: number;
      /** reimbursed up to this share of the order amount */
      max_rate: number;
    };
    /** §3.3 advance at most (yuan) */
    advance_max: number;
    /** §3.3 trip report due within this many days of return */
    report_due_days: number;
  };
  kpi: {
    /** §3.5 customer classes by purchases over the last `class_window_months` months (yuan) */
    class_a_min: number;
    class_b_min: number;
    class_window_months: number;
  };
}

export type TravelPolicy = Policy['travel'];

/** The regulation as written: the version in force before any `policy load`. */
export const DEFAULT_POLICY: Policy = {
  effective_from: '1900-01-01',
  assign: {
    new_staff_days: 90,
    new_staff_share: 0.2,
    default_capacity: 500,
    on_time_window_days: 90,
  },
  followup: {
    buyer: { rep: [3, 30, 60], doctor: [15, 30, 60] },
    non_buyer: { rep: [3, 15], doctor: [] },
    due_within_days: 7,
  },
  travel: {
    approval: { reviewer_roles: ['supervisor', 'manager'], approver_roles: ['gm'] },
    per_diem: { in_province_same_day: 15, in_province_overnight: 100, out_of_province: 130 },
    day_limit: { in_province: 2, out_of_province: 3 },
    absence_over_days: { in_province: 4, out_of_province: 5 },
    train: {
      sleeper_min_hours: 10,
      seat_classes: ['hard_seat', 'soft_seat', 'second_class'],
      sleeper_classes: ['hard_sleeper'],
    },
    ship_classes: ['economy'],
    plane_approver_roles: ['gm'],
    taxi: {
      night_from: '20:00',
      night_to: '08:00',
      reasons: ['night', 'equipment', 'no_bus', 'far', 'special'],
      far_km: 3,
      special_approver_roles: ['supervisor', 'manager', 'gm'],
    },
    client_trip_limit: 2,
    dinner: { min_order: 10000, max_rate: 0.02 },
    advance_max: 500,
    report_due_days: 3,
  },
  kpi: {
    class_a_min: 10000,
    class_b_min: 1000,
    class_window_months: 12,
  },
};

/** Yuan of the policy document → integer fen (the document holds at most 2 decimals). */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `doc` over `base`: objects merge key by key, anything else (lists included) replaces. */
export function mergePolicy(base: unknown, doc: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(doc)) return doc === undefined ? base : doc;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(doc)) out[k] = k in base ? mergePolicy(base[k], v) : v;
  return out;
}


/**
 * A stored version, trusted as complete when it has every field of the default with a value
 * of the same kind: it was validated by `policy load` before it was stored (policyDocument.ts),
 * and `salesops check` validates it fully. This guards against a hand-edited row without
 * loading the validator at every start.
 */
export function hasPolicyShape(doc: unknown, like: unknown = DEFAULT_POLICY): boolean {
  if (Array.isArray(like)) return Array.isArray(doc);
  if (!isPlainObject(like)) return typeof doc === typeof like || (like === null && doc === null);
  if (!isPlainObject(doc)) return false;
  for (const k of Object.keys(like)) {
    if (!(k in doc) || !hasPolicyShape(doc[k], like[k])) return false;
  }
  return true;
}

/**
 * The version in force on `date`: the latest `effective_from` <= date (of equal dates, the
 * later in the list); DEFAULT_POLICY before the first version.
 */
export function policyOn(versions: readonly Policy[], date: string): Policy {
  let best: Policy | null = null;
  for (const v of versions) {
    if (v.effective_from <= date && (best === null || v.effective_from >= best.effective_from)) best = v;
  }
  return best ?? DEFAULT_POLICY;
}
