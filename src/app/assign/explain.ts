/**
 * The explanation texts of §3.1 decisions, in the run's language: they are stored with each
 * history row and printed beside each customer assigned, so a run of a million customers
 * renders a million of them.
 */
import { entry, getLang, t, type MessageKey } from '../../messages/index.js';
import type { Explanation } from '../../domain/assignment.js';
import type { StaffMember } from '../../domain/staff.js';

/**
 * Renders explanations exactly as t() does, with each message split once into literal and
 * placeholder parts (a million explanations: 0.3 s instead of 3 s); shared (frozen)
 * explanations are rendered once.
 */
export function explainer(): (e: Explanation) => string {
  const lang = getLang();
  const compiled = new Map<string, string[]>();
  const cache = new WeakMap<Explanation, string>();
  return (e) => {
    const hit = cache.get(e);
    if (hit !== undefined) return hit;
    let parts = compiled.get(e.key);
    if (!parts) compiled.set(e.key, (parts = entry(e.key)[lang].split(/\{(\w+)\}/)));
    let text = parts[0];
    for (let i = 1; i < parts.length; i += 2) {
      const v = e.params[parts[i]];
      text += (v === undefined || v === null ? `{${parts[i]}}` : String(v)) + parts[i + 1];
    }
    if (Object.isFrozen(e)) cache.set(e, text);
    return text;
  };
}

const ROLES = new Set(['rep', 'supervisor', 'manager', 'doctor', 'gm']);

/** A role in the run's language. */
export function roleWord(role: string): string {
  return ROLES.has(role) ? t(`assign.role.${role}` as MessageKey) : role;
}

type StaffDates = Pick<StaffMember, 'role' | 'hired_on' | 'left_on'>;

/**
 * §3.1: why the collector did not keep the customer (rules 2–4 only run then), per
 * collector, looked up once; null when the collector is unknown or keeps nothing to say.
 */
export function collectorWhy(asOf: string, staffOf: (id: string) => StaffDates | undefined): (collectorId: string) => string | null {
  const cache = new Map<string, string | null>();
  return (collectorId) => {
    let why = cache.get(collectorId);
    if (why !== undefined) return why;
    const s = staffOf(collectorId);
    if (!s) why = null;
    else if (s.role !== 'rep') why = t('assign.why.collector_not_rep', { staff: collectorId, role: roleWord(s.role) });
    else if (s.left_on !== null) why = t(s.left_on <= asOf ? 'assign.why.collector_left' : 'assign.why.collector_leaving', { staff: collectorId, left_on: s.left_on });
    else if (s.hired_on > asOf) why = t('assign.why.collector_not_hired', { staff: collectorId, hired_on: s.hired_on });
    else why = null;
    cache.set(collectorId, why);
    return why;
  };
}
