/** staff.csv — the roster (SPEC §2), upsert by staff_id. */
import type { ImportKind, FieldError, ParseResult } from '../kind.js';
import { parseDate, parseCount } from '../../domain/values.js';
import { parseRole, type StaffMember } from '../../domain/staff.js';
import { resolveRegion } from '../../domain/region.js';
import { regionError } from './regionError.js';
import { personName } from '../../domain/normalise.js';

export const kind: ImportKind<StaffMember> = {
  name: 'staff',
  columns: [
    { key: 'staff_id', aliases: ['工号', '员工编号', '编号', 'id'], required: true },
    { key: 'name', aliases: ['姓名', '名字'], required: true },
    { key: 'role', aliases: ['岗位', '职位', '角色'], required: true },
    { key: 'team', aliases: ['部门', '团队', '小组'] },
    { key: 'district', aliases: ['所在地区', '地区', '区县'] },
    { key: 'areas', aliases: ['负责区域', '区域'] },
    { key: 'hired_on', aliases: ['入职日期', '入职时间'], required: true },
    { key: 'regular_on', aliases: ['转正日期', '转正时间'] },
    { key: 'left_on', aliases: ['离职日期', '离职时间'] },
    { key: 'capacity', aliases: ['档案上限', '客户上限'] },
  ],
  rowKey: (s) => s.staff_id,
  keyColumns: ['staff_id'],
  parseRow(cells): ParseResult<StaffMember> {
    const errors: FieldError[] = [];
    const staffId = cells('staff_id');
    if (!staffId) errors.push({ column: 'staff_id', value: '', reason: 'import.required', fix: 'import.required.fix' });
    const name = personName(cells('name'));
    if (!name) errors.push({ column: 'name', value: '', reason: 'import.required', fix: 'import.required.fix' });
    const roleRaw = cells('role');
    const role = parseRole(roleRaw);
    if (!role) errors.push({ column: 'role', value: roleRaw, reason: 'staff.bad_role', fix: 'staff.bad_role.fix' });
    const date = (col: string, required: boolean): string | null => {
      const raw = cells(col);
      if (!raw) {
        if (required) errors.push({ column: col, value: '', reason: 'import.required', fix: 'import.required.fix' });
        return null;
      }
      const d = parseDate(raw);
      if (!d) errors.push({ column: col, value: raw, reason: 'import.bad_date', fix: 'import.bad_date.fix' });
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
    };
  },
};
