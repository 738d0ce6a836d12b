import type { FieldError } from '../kind.js';
import type { Resolution } from '../../domain/region.js';

/** A district that names no place, or several: say which, and how to write it. */
export function regionError(column: string, value: string, r: Exclude<Resolution, { ok: true }>): FieldError {
  if (r.reason === 'ambiguous') {
    return {
      column,
      value,
      reason: 'region.ambiguous',
      params: { candidates: r.candidates.map((c) => `${c.fullName} (${c.code})`).join(', ') },
      fix: 'region.ambiguous.fix',
    };
  }
  return { column, value, reason: 'region.unknown', fix: 'region.unknown.fix' };
}
