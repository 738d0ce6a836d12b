/**
 * A staff reference in any import (issue 13): the collector of a survey, the 填表人 of an
 * event, the staff of an order or a follow-up, the traveller, reviewer, approver and inviter
 * of a trip, the approver of an expense line. One rule and one message everywhere:
 * - a staff_id (exact) or a name only one staff member has → that staff_id;
 * - a name two or more staff share → a row error listing who ("杨洋 is R2 (一部) or R7 (二部):
 *   write the id");
 * - anything else → a row error: not on the roster.
 * Runs in the import worker: the roster comes from the main thread (`rosterIndex` in
 * src/store/staff.ts) as plain arrays.
 */
import type { FieldError } from '../kind.js';
import { getLang } from '../../messages/index.js';
import { personName } from '../../domain/normalise.js';
import { isExcelScientific } from '../../domain/values.js';
import { scientificError } from './cells.js';

/** The roster as the worker sees it. */
export interface Roster {
  ids: string[];
  /** name → staff_id, or '' when two staff share the name */
  names: [string, string][];
  /** the names two or more staff share → [staff_id, team] of each, by staff_id */
  shared?: [string, [string, string | null][]][];
}

interface Index {
  ids: Set<string>;
  names: Map<string, string>;
  shared: Map<string, [string, string | null][]> | null;
  source: Roster | undefined;
}

// per roster object: one import per process, but tests and the importer may run several
let cache: Index | null = null;
const EMPTY: Roster = { ids: [], names: [] };

function index(roster: Roster | undefined): Index {
  if (!cache || cache.source !== roster) {
    const r = roster ?? EMPTY;
    cache = { ids: new Set(r.ids), names: new Map(r.names), shared: null, source: roster };
  }
  return cache;
}

/** "R2 (一部) or R7 (二部)" / "R2（一部）或 R7（二部）" */
function who(candidates: [string, string | null][]): string {
  const zh = getLang() === 'zh';
  const one = ([id, team]: [string, string | null]) => (team ? (zh ? `${id}（${team}）` : `${id} (${team})`) : id);
  if (candidates.length === 0) return zh ? '多名员工' : 'several staff members';
  const parts = candidates.map(one);
  const last = parts.pop()!;
  if (parts.length === 0) return last;
  if (!zh) return `${parts.join(', ')} or ${last}`;
  const head = parts.join('、');
  return head + (head.endsWith('）') ? '或 ' : ' 或 ') + last;
}

/**
 * The staff_id a cell names, or the row error saying why it names none. `raw` is the cell
 * as read (trimmed, not blank). Allocates only for an error.
 */
export function staffRef(roster: Roster | undefined, raw: string, column: string): string | FieldError {
  const ix = index(roster);
  if (ix.ids.has(raw)) return raw;
  // issue 15: `冯 明` names 冯明 (a roster name is stored as personName reads it)
  let id = ix.names.get(raw);
  if (id === undefined && raw.indexOf(' ') >= 0) id = ix.names.get(personName(raw));
  if (id) return id;
  if (id === '') {
    ix.shared ??= new Map(roster?.shared ?? []);
    return { column, value: raw, reason: 'import.ambiguous_staff', params: { name: raw, who: who(ix.shared.get(raw) ?? []) }, fix: 'import.ambiguous_staff.fix' };
  }
  // a numeric 工号 Excel wrote as 1.0023E+11: the digits are lost, not a typo (issue 15)
  if (isExcelScientific(raw)) return scientificError(column, raw);
  return { column, value: raw, reason: 'import.unknown_staff', fix: 'import.unknown_staff.fix' };
}

/** A staff cell: blank → null (or an error when required); else `staffRef`, its error pushed. */
export function staffCellOf(roster: Roster | undefined, raw: string, column: string, errors: FieldError[], required = false): string | null {
  if (!raw) {
    if (required) errors.push({ column, value: '', reason: 'import.required', fix: 'import.unknown_staff.fix' });
    return null;
  }
  const r = staffRef(roster, raw, column);
  if (typeof r === 'string') return r;
  errors.push(r);
  return null;
}
