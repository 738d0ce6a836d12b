/** §2 headers: English names or Chinese aliases, obvious variants, unknown / duplicate / missing columns. */
import { describe, expect, it } from 'vitest';
import { mapHeader, normalizeHeader } from '../../src/io/kind.js';
import { kind as staff } from '../../src/io/kinds/staff.js';
import { kind as surveys } from '../../src/io/kinds/surveys.js';

describe('normalizeHeader: case, spaces, _ and -, a trailing * and a (…) note are ignored', () => {
  it.each<[string, string, string]>([
    ['as is', 'staff_id', 'staffid'],
    ['upper case', 'STAFF_ID', 'staffid'],
    ['spaces instead of _', 'Staff ID', 'staffid'],
    ['a dash', 'staff-id', 'staffid'],
    ['surrounding spaces', '  name  ', 'name'],
    ['a BOM on the first header', '\ufeff工号', '工号'],
    ['a required-marker star', '姓名*', '姓名'],
    ['a full-width star', '姓名＊', '姓名'],
    ['a full-width bracket note', '电话（必填）', '电话'],
    ['an ASCII bracket note', 'Phone (required)', 'phone'],
    ['a note in the middle', 'collected (填表) on', 'collectedon'],
    ['a space inside a Chinese header', '入职 日期', '入职日期'],
    ['a full-width space', '入职\u3000日期', '入职日期'],
  ])('%s: %j → %j', (_rule, header, key) => {
    expect(normalizeHeader(header)).toBe(key);
  });
});

/** the header map as plain data: { key: index } */
const indexOf = (header: string[], columns = staff.columns) => Object.fromEntries(mapHeader(header, columns).index);

describe('mapHeader on the roster (staff.csv)', () => {
  it('English names map to their column positions', () => {
    const m = mapHeader(['staff_id', 'name', 'role', 'hired_on'], staff.columns);
    expect(Object.fromEntries(m.index)).toEqual({ staff_id: 0, name: 1, role: 2, hired_on: 3 });
    expect(m).toMatchObject({ unknown: [], missing: [], duplicates: [] });
  });

  it.each<[string, string, string]>([
    ['工号', 'staff_id', 'Chinese alias'],
    ['姓名', 'name', 'Chinese alias'],
    ['岗位', 'role', 'Chinese alias'],
    ['部门', 'team', 'Chinese alias'],
    ['团队', 'team', 'second alias'],
    ['所在地区', 'district', 'Chinese alias'],
    ['地区', 'district', 'second alias'],
    ['负责区域', 'areas', 'Chinese alias'],
    ['入职日期', 'hired_on', 'Chinese alias'],
    ['转正日期', 'regular_on', 'Chinese alias'],
    ['离职日期', 'left_on', 'Chinese alias'],
    ['档案上限', 'capacity', 'Chinese alias'],
    ['Hired On', 'hired_on', 'English with a space and capitals'],
    ['\ufeff工号', 'staff_id', 'alias with the BOM Excel writes'],
    ['姓名*', 'name', 'alias with a star'],
    ['入职日期（必填）', 'hired_on', 'alias with a note'],
  ])('%j is %s (%s)', (header, key) => {
    expect(indexOf([header])).toEqual({ [key]: 0 });
  });

  it('a Chinese roster header maps completely', () => {
    const m = mapHeader(['\ufeff工号', '姓名*', '岗位', '部门', '所在地区', '负责区域', '入职日期', '转正日期', '离职日期', '档案上限'], staff.columns);
    expect(m.missing).toEqual([]);
    expect(m.unknown).toEqual([]);
    expect(m.index.size).toBe(10);
    expect(m.index.get('capacity')).toBe(9);
  });

  it('unknown columns are listed (trimmed) and otherwise ignored; blank headers are not', () => {
    const m = mapHeader(['工号', ' 备注 ', '姓名', '', '岗位', '入职日期', 'foo'], staff.columns);
    expect(m.unknown).toEqual(['备注', 'foo']);
    expect(Object.fromEntries(m.index)).toEqual({ staff_id: 0, name: 2, role: 4, hired_on: 5 });
  });

  it('a second column for the same key is a duplicate; the first one wins', () => {
    const m = mapHeader(['工号', '姓名', 'name', '岗位', '入职日期', 'Staff ID'], staff.columns);
    expect(m.duplicates).toEqual(['name', 'Staff ID']);
    expect(m.index.get('name')).toBe(1);
    expect(m.index.get('staff_id')).toBe(0);
  });

  it.each<[string, string[], string[]]>([
    ['no role and no hire date', ['工号', '姓名'], ['role', 'hired_on']],
    ['only optional columns', ['部门', '档案上限'], ['staff_id', 'name', 'role', 'hired_on']],
    ['an empty header', [], ['staff_id', 'name', 'role', 'hired_on']],
    ['all required present', ['staff_id', 'name', 'role', 'hired_on'], []],
  ])('missing required columns: %s', (_rule, header, missing) => {
    expect(mapHeader(header, staff.columns).missing).toEqual(missing);
  });
});

describe('mapHeader on surveys.csv', () => {
  it.each<[string, string]>([
    ['问卷编号', 'survey_no'],
    ['编号', 'survey_no'],
    ['姓名', 'name'],
    ['性别', 'gender'],
    ['出生年份', 'birth_year'],
    ['年龄', 'age'],
    ['电话', 'phone'],
    ['手机', 'phone'],
    ['联系电话', 'phone'],
    ['电话（必填）', 'phone'],
    ['地址', 'address'],
    ['住址', 'address'],
    ['地区', 'district'],
    ['区县', 'district'],
    ['district_code', 'district'],
    ['District Code', 'district'],
    ['健康状况', 'health'],
    ['收集人', 'collector'],
    ['满意代表', 'collector'],
    ['签名', 'collector'],
    ['收集日期', 'collected_on'],
    ['填表日期', 'collected_on'],
  ])('%j is %s', (header, key) => {
    expect(indexOf([header], surveys.columns)).toEqual({ [key]: 0 });
  });

  it('the header the bench generator writes maps, with its event columns unknown', () => {
    const header = 'survey_no,name,gender,birth_year,phone,address,district_code,health,collector,collected_on,event_date,purchased,amount'.split(',');
    const m = mapHeader(header, surveys.columns);
    expect(m.missing).toEqual([]);
    expect(m.unknown).toEqual(['event_date', 'purchased', 'amount']);
    expect(m.index.get('district')).toBe(6);
  });

  it('phone, name, collector and collected_on are required', () => {
    expect(mapHeader(['姓名', '地址'], surveys.columns).missing).toEqual(['phone', 'collector', 'collected_on']);
  });
});
