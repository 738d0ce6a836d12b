/** staff.csv — the roster (SPEC §2), upsert by staff_id. */
import type { ImportKind, FieldError, ParseResult, RowNotice } from '../kind.js';
import { parseDate, parseCount } from '../../domain/values.js';
import { parseRole, type StaffMember } from '../../domain/staff.js';
import { resolveRegion } from '../../domain/region.js';
import { regionError } from './regionError.js';
import { personName } from '../../domain/normalise.js';
import { noteDate, textIdCell } from './cells.js';

/**
 * Titles an office's roster writes besides the ones parseRole knows (src/domain/staff.ts):
 * issue 15, the roster as a clerk has it.
 */
const OFFICE_ROLES: Record<string, string> = {
  销售员: 'rep',
  销售人员: 'rep',
  业务代表: 'rep',
  客户代表: 'rep',
  组长: 'supervisor',
  小组长: 'supervisor',
  销售组长: 'supervisor',
  部门经理: 'manager',
  销售部经理: 'manager',
  区域经理: 'manager',
  医师: 'doctor',
};

export const kind: ImportKind<StaffMember> = {
  name: 'staff',
  // the first alias is the template's header; the others are what office sheets call the column (issue 15)
  columns: [
    { key: 'staff_id', aliases: ['工号', '员工编号', '编号', 'id', '员工工号', '员工号', '职工编号', '人员编号', '员工ID', 'employee_id', 'emp_no'], required: true },
    { key: 'name', aliases: ['姓名', '名字', '员工姓名', '人员姓名', '职工姓名'], required: true },
    { key: 'role', aliases: ['岗位', '职位', '角色', '职务', '岗位名称'], required: true },
    { key: 'team', aliases: ['部门', '团队', '小组', '部门/小组', '所属部门', '部门名称', '组别', '所属团队', '班组'] },
    { key: 'district', aliases: ['所在地区', '地区', '区县', '所在区县', '地区代码', '行政区划代码'] },
    { key: 'areas', aliases: ['负责区域', '区域', '负责地区', '分管区域', '片区', '负责片区'] },
    { key: 'hired_on', aliases: ['入职日期', '入职时间', '入职', '到岗日期', '入司日期', 'hire_date', 'date_hired'], required: true },
    { key: 'regular_on', aliases: ['转正日期', '转正时间', '转正'] },
    { key: 'left_on', aliases: ['离职日期', '离职时间', '离职', '离岗日期', 'leave_date'] },
    { key: 'capacity', aliases: ['档案上限', '客户上限', '档案数上限', '最多客户数', '客户容量'] },
  ],
  rowKey: (s) => s.staff_id,
  keyColumns: ['staff_id'],
  parseRow(cells, ctx): ParseResult<StaffMember> {
    const errors: FieldError[] = [];
    let notices: RowNotice[] | undefined;
    const staffId = textIdCell(cells, 'staff_id', errors);
    if (!staffId) errors.push({ column: 'staff_id', value: '', reason: 'import.required', fix: 'import.required.fix' });
    const name = personName(cells('name'));
    if (!name) errors.push({ column: 'name', value: '', reason: 'import.required', fix: 'import.required.fix' });
    const roleRaw = cells('role');
    const role = parseRole(OFFICE_ROLES[roleRaw] ?? roleRaw);
    if (!role) errors.push({ column: 'role', value: roleRaw, reason: 'staff.bad_role', fix: 'staff.bad_role.fix' });
    const date = (col: string, required: boolean): string | null => {
      const raw = cells(col);
      if (!raw) {
        if (required) errors.push({ column: col, value: '', reason: 'import.required', fix: 'import.required.fix' });
        return null;
      }
      // a date without a year: --as-of's year (a hire or a leave may be ahead of it)
      const d = parseDate(raw, ctx.asOf);
      if (!d) errors.push({ column: col, value: raw, reason: 'import.bad_date', fix: 'import.bad_date.fix' });
      else notices = noteDate(notices, raw, col, d);
      return d;
    };
    const hired = date('hired_on', true);
    const regular = date('regular_on', false);
    const left = date('left_on', false);
    if (hired && left && left < hired) errors.push({ column: 'left_on', value: cells('left_on'), reason: 'staff.left_before_hired', fix: 'staff.left_before_hired.fix' });
    if (hired && regular && regular < hired) errors.push({ column: 'regular_on', value: cells('regular_on'), reason: 'staff.regular_before_hired', fix: 'staff.left_before_hired.fix' });
    let district: string | null = null;
    const dRaw = cells('district');
    if (dRaw) {
      const r = resolveRegion(dRaw);
      if (r.ok) district = r.region.code;
      else errors.push(regionError('district', dRaw, r));
    }
    const areas: string[] = [];
    for (const a of cells('areas').split(/[;；、]/).map((s) => s.trim()).filter(Boolean)) {
      const r = resolveRegion(a);
      if (r.ok) {
        if (!areas.includes(r.region.code)) areas.push(r.region.code);
      } else errors.push(regionError('areas', a, r));
    }
    let capacity: number | null = null;
    const capRaw = cells('capacity');
    if (capRaw) {
      capacity = parseCount(capRaw);
      if (!capacity) errors.push({ column: 'capacity', value: capRaw, reason: 'staff.bad_capacity', fix: 'staff.bad_capacity.fix' });
    }
    if (errors.length) return { ok: false, errors };
    return {
      ok: true,
      value: { staff_id: staffId, name, role: role!, team: cells('team') || null, district, areas, hired_on: hired!, regular_on: regular, left_on: left, capacity },
      notices,
    };
  },
};
