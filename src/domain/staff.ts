/** The roster's vocabulary (SPEC §1): roles and who is active on a date. */

export type Role = 'rep' | 'supervisor' | 'manager' | 'doctor' | 'gm';
export const ROLES: readonly Role[] = ['rep', 'supervisor', 'manager', 'doctor', 'gm'];

const ROLE_NAMES: Record<string, Role> = {
  rep: 'rep',
  representative: 'rep',
  sales_rep: 'rep',
  sales_representative: 'rep',
  满意代表: 'rep',
  滿意代表: 'rep',
  销售代表: 'rep',
  代表: 'rep',
  业务员: 'rep',
  supervisor: 'supervisor',
  sales_supervisor: 'supervisor',
  销售主管: 'supervisor',
  主管: 'supervisor',
  manager: 'manager',
  sales_manager: 'manager',
  销售经理: 'manager',
  经理: 'manager',
  doctor: 'doctor',
  顾服主管医生: 'doctor',
  顾服医生: 'doctor',
  医生: 'doctor',
  gm: 'gm',
  general_manager: 'gm',
  总经理: 'gm',
};

/** `rep`, `销售代表`, `总经理` … → role, or null. */
export function parseRole(raw: string): Role | null {
  return ROLE_NAMES[raw.trim().toLowerCase().replace(/[\s-]+/g, '_')] ?? null;
}

export interface StaffMember {
  staff_id: string;
  name: string;
  role: Role;
  team: string | null;
  district: string | null;
  areas: string[];
  hired_on: string;
  regular_on: string | null;
  left_on: string | null;
  capacity: number | null;
}

/** On the roster on `date`: hired on or before it and not yet left (left_on is the first day away). */
export function isActive(s: Pick<StaffMember, 'hired_on' | 'left_on'>, date: string): boolean {
  return s.hired_on <= date && (s.left_on === null || date < s.left_on);
}
