/** §2 staff.csv and surveys.csv: each rule of a row, good rows and each error. */
import { describe, expect, it } from 'vitest';
import { cellValue, type Cells, type FieldError, type KindContext, type ParseResult } from '../../src/io/kind.js';
import { kind as staff } from '../../src/io/kinds/staff.js';
import { kind as surveys, type SurveyRow } from '../../src/io/kinds/surveys.js';
import { isActive, parseRole, type Role, type StaffMember } from '../../src/domain/staff.js';

/** A CSV row as the worker hands it over: trimmed cells by column key, '' when absent. */
const cells =
  (row: Record<string, string>): Cells =>
  (key) =>
    (row[key] ?? '').trim();

/** `column: reason` for each error, in order */
function errorsOf<T>(r: ParseResult<T>): string[] {
  if (r.ok) return [];
  return r.errors.map((e: FieldError) => `${e.column}: ${e.reason}`);
}

function valueOf<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error('expected a good row, got ' + JSON.stringify(r.errors));
  return r.value;
}

describe('§1 roles: English and the Chinese titles', () => {
  it.each<[string, Role | null]>([
    ['rep', 'rep'],
    ['Rep', 'rep'],
    [' REP ', 'rep'],
    ['sales rep', 'rep'],
    ['sales-rep', 'rep'],
    ['Sales Representative', 'rep'],
    ['满意代表', 'rep'],
    ['滿意代表', 'rep'],
    ['销售代表', 'rep'],
    ['supervisor', 'supervisor'],
    ['Sales Supervisor', 'supervisor'],
    ['销售主管', 'supervisor'],
    ['manager', 'manager'],
    ['Sales Manager', 'manager'],
    ['销售经理', 'manager'],
    ['doctor', 'doctor'],
    ['顾服主管医生', 'doctor'],
    ['gm', 'gm'],
    ['GM', 'gm'],
    ['general manager', 'gm'],
    ['总经理', 'gm'],
    ['boss', null],
    ['', null],
    ['销售', null],
  ])('%j → %s', (raw, role) => {
    expect(parseRole(raw)).toBe(role);
  });
});

describe('isActive: hired on or before the date, and left_on is the first day away', () => {
  const s = { hired_on: '2024-05-09', left_on: '2024-06-01' };
  it.each<[string, { hired_on: string; left_on: string | null }, string, boolean]>([
    ['the day before hiring', s, '2024-05-08', false],
    ['the day of hiring', s, '2024-05-09', true],
    ['the last day before leaving', s, '2024-05-31', true],
    ['the leaving day itself', s, '2024-06-01', false],
    ['after leaving', s, '2024-07-01', false],
    ['no leaving date, years later', { hired_on: '2024-05-09', left_on: null }, '2030-01-01', true],
    ['hired and left the same day: never active', { hired_on: '2024-05-09', left_on: '2024-05-09' }, '2024-05-09', false],
  ])('%s', (_rule, member, date, active) => {
    expect(isActive(member, date)).toBe(active);
  });
});

describe('staff.csv parseRow', () => {
  const good = { staff_id: 'R1', name: '刘芳', role: '销售代表', hired_on: '2024/3/1' };
  const ctx: KindContext = { asOf: '2024-07-31' };

  it('a minimal good row', () => {
    expect(valueOf(staff.parseRow(cells(good), ctx))).toEqual<StaffMember>({
      staff_id: 'R1',
      name: '刘芳',
      role: 'rep',
      team: null,
      district: null,
      areas: [],
      hired_on: '2024-03-01',
      regular_on: null,
      left_on: null,
      capacity: null,
    });
  });

  it('a full row: names resolve to codes, areas split on ; ； 、 and deduplicated', () => {
    const v = valueOf(
      staff.parseRow(
        cells({
          ...good,
          role: 'Sales Supervisor',
          team: '金华一组',
          district: '金华市浦江县',
          areas: '330726; 义乌市；杭州市、浦江县',
          regular_on: '2024年6月1日',
          left_on: '45505',
          capacity: '300',
        }),
        ctx,
      ),
    );
    expect(v).toMatchObject({
      role: 'supervisor',
      team: '金华一组',
      district: '330726',
      areas: ['330726', '330782', '330100'],
      regular_on: '2024-06-01',
      left_on: '2024-08-01',
      capacity: 300,
    });
  });

  it('an ambiguous district settled by writing the city', () => {
    expect(valueOf(staff.parseRow(cells({ ...good, district: '北京市朝阳区' }), ctx)).district).toBe('110105');
  });

  it('leaving on the hire date is allowed', () => {
    expect(valueOf(staff.parseRow(cells({ ...good, left_on: '2024-03-01' }), ctx)).left_on).toBe('2024-03-01');
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['no staff_id', { staff_id: '' }, ['staff_id: import.required']],
    ['no name', { name: '  ' }, ['name: import.required']],
    ['an unknown role', { role: 'boss' }, ['role: staff.bad_role']],
    ['no role', { role: '' }, ['role: staff.bad_role']],
    ['no hire date', { hired_on: '' }, ['hired_on: import.required']],
    ['a hire date that is no date', { hired_on: '2024-02-30' }, ['hired_on: import.bad_date']],
    ['a bad regularisation date', { regular_on: 'soon' }, ['regular_on: import.bad_date']],
    ['a bad leaving date', { left_on: '2024-13-01' }, ['left_on: import.bad_date']],
    ['leaving before being hired', { left_on: '2024-02-29' }, ['left_on: staff.left_before_hired']],
    ['probation ending before hiring', { regular_on: '2024-02-01' }, ['regular_on: staff.regular_before_hired']],
    ['an unknown district', { district: '火星县' }, ['district: region.unknown']],
    ['an ambiguous district', { district: '朝阳区' }, ['district: region.ambiguous']],
    ['one bad area among good ones', { areas: '330726;火星县;西湖区' }, ['areas: region.unknown', 'areas: region.ambiguous']],
    ['capacity 0', { capacity: '0' }, ['capacity: staff.bad_capacity']],
    ['capacity not a whole number', { capacity: '12.5' }, ['capacity: staff.bad_capacity']],
    ['capacity negative', { capacity: '-3' }, ['capacity: staff.bad_capacity']],
    ['everything wrong at once: each error reported', { staff_id: '', name: '', role: 'x', hired_on: '' }, [
      'staff_id: import.required',
      'name: import.required',
      'role: staff.bad_role',
      'hired_on: import.required',
    ]],
  ])('%s', (_rule, change, errors) => {
    expect(errorsOf(staff.parseRow(cells({ ...good, ...change }), ctx))).toEqual(errors);
  });

  it('an error carries the value as written and what to do', () => {
    const r = staff.parseRow(cells({ ...good, district: '朝阳区' }), ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]).toMatchObject({ column: 'district', value: '朝阳区', fix: 'region.ambiguous.fix' });
      expect(String(r.errors[0].params?.candidates)).toContain('北京市朝阳区 (110105)');
      expect(String(r.errors[0].params?.candidates)).toContain('吉林省长春市朝阳区 (220104)');
    }
  });
});

describe('surveys.csv parseRow', () => {
  // The roster as the main thread prepares it: ids, and names → id ('' when two staff share it).
  // (The parser caches the roster per roster object, so a later import sees its own roster.)
  const ctx: KindContext = { asOf: '2024-07-31', data: { ids: ['R1'], names: [['刘芳', 'R1'], ['重名', '']] } };
  const good = { name: '张三', phone: '138 1234 5678', collector: 'R1', collected_on: '2024-05-09' };
  const parse = (change: Record<string, string> = {}) => surveys.parseRow(cells({ ...good, ...change }), ctx);

  it('a minimal good row: phone normalised, collector by staff_id', () => {
    expect(valueOf(parse())).toEqual<SurveyRow>([null, '张三', null, null, '13812345678', null, null, null, 'R1', '2024-05-09']);
  });

  it('a second import with another roster sees that roster, not the first one cached', () => {
    expect(valueOf(parse())[8]).toBe('R1');
    const other: KindContext = { asOf: '2024-07-31', data: { ids: ['R9'], names: [['刘芳', 'R9']] } };
    expect(valueOf(surveys.parseRow(cells({ ...good, collector: '刘芳' }), other))[8]).toBe('R9');
    expect(errorsOf(surveys.parseRow(cells(good), other))).toEqual(['collector: import.unknown_staff']);
    expect(valueOf(parse())[8]).toBe('R1');
  });

  it('issue 15: cells as the worker reads them (cellValue) — full-width phone, odd spaces, a date-time', () => {
    const read = (row: Record<string, string>): Cells => (key) => cellValue(row[key] ?? '');
    const v = valueOf(surveys.parseRow(read({ name: '冯\u3000明', phone: '\u3000１３８５７９０３４５６', collector: '刘\u00a0芳', collected_on: '2024/5/9 0:00' }), ctx));
    expect([v[1], v[4], v[8], v[9]]).toEqual(['冯明', '13857903456', 'R1', '2024-05-09']);
    expect(valueOf(surveys.parseRow(read({ ...good, name: 'John\u3000\u3000Smith\u200b' }), ctx))[1]).toBe('John Smith');
    expect(valueOf(surveys.parseRow(read({ ...good, collected_on: '2024-05-09T08:15' }), ctx))[9]).toBe('2024-05-09');
  });

  it('a full row', () => {
    const v = valueOf(
      parse({
        survey_no: 'SV001',
        gender: '女',
        birth_year: '1956',
        phone: '+86 0579-84123456',
        address: '浙江省金华市浦江县浦阳街道江滨路1号',
        district: '330726',
        health: '高血压',
        collector: '刘芳',
        collected_on: '2024年5月9日',
      }),
    );
    expect(v).toEqual<SurveyRow>(['SV001', '张三', 'F', 1956, '057984123456', '浙江省金华市浦江县浦阳街道江滨路1号', '330726', '高血压', 'R1', '2024-05-09']);
  });

  it.each<[string, Record<string, string>, number | null]>([
    ['age converts to birth year at collected_on', { age: '68' }, 1956],
    ['age with 岁', { age: '68岁' }, 1956],
    ['age in another collection year', { age: '68', collected_on: '2023-12-31' }, 1955],
    ['age 0', { age: '0' }, 2024],
    ['birth year wins over age', { birth_year: '1950', age: '68' }, 1950],
    ['birth year in the collection year', { birth_year: '2024' }, 2024],
    ['neither', {}, null],
  ])('%s', (_rule, change, birthYear) => {
    expect(valueOf(parse(change))[3]).toBe(birthYear);
  });

  it.each<[string, Record<string, string>, string | null]>([
    ['a district code', { district: '330726' }, '330726'],
    ['a district name', { district: '金华市浦江县' }, '330726'],
    ['no district: inferred from the address', { address: '浙江省金华市浦江县浦阳街道' }, '330726'],
    ['no district, a truncated address: the province', { address: '上海市光明路100弄' }, '310000'],
    ['no district, an address naming no place: unknown', { address: '建国路1号' }, null],
    ['no district, no address: unknown', {}, null],
    ['an ambiguous district settled by the address', { district: '朝阳区', address: '北京市朝阳区建国路1号' }, '110105'],
    ['the same name settled the other way', { district: '朝阳区', address: '吉林省长春市朝阳区人民大街' }, '220104'],
    ['the district column wins over the address', { district: '330726', address: '北京市朝阳区建国路1号' }, '330726'],
  ])('district: %s', (_rule, change, district) => {
    expect(valueOf(parse(change))[6]).toBe(district);
  });

  it.each<[string, Record<string, string>, string]>([
    ['collector by exact roster name', { collector: '刘芳' }, 'R1'],
    ['collector by staff_id', { collector: 'R1' }, 'R1'],
  ])('%s', (_rule, change, id) => {
    expect(valueOf(parse(change))[8]).toBe(id);
  });

  it('collected on the as-of date itself is not in the future', () => {
    expect(valueOf(parse({ collected_on: '2024-07-31' }))[9]).toBe('2024-07-31');
  });

  it('an Excel serial collection date', () => {
    expect(valueOf(parse({ collected_on: '45421' }))[9]).toBe('2024-05-09');
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['no name', { name: '' }, ['name: import.required']],
    ['no phone', { phone: '' }, ['phone: import.required']],
    ['a phone that is neither mobile nor landline', { phone: '1381234567' }, ['phone: survey.bad_phone']],
    ['a mobile starting 12', { phone: '12812345678' }, ['phone: survey.bad_phone']],
    ['no collection date', { collected_on: '' }, ['collected_on: import.required']],
    ['a collection date that is no date', { collected_on: '2023-02-29' }, ['collected_on: import.bad_date']],
    ['collected after the as-of date', { collected_on: '2024-08-01' }, ['collected_on: survey.future_date']],
    ['no collector', { collector: '' }, ['collector: import.required']],
    ['a collector not on the roster', { collector: '王五' }, ['collector: import.unknown_staff']],
    ['a collector id in the wrong case is not on the roster', { collector: 'r1' }, ['collector: import.unknown_staff']],
    ['a name two staff share', { collector: '重名' }, ['collector: import.ambiguous_staff']],
    ['a gender that is none', { gender: 'X' }, ['gender: survey.bad_gender']],
    ['a birth year before 1900', { birth_year: '1899' }, ['birth_year: survey.bad_birth_year']],
    ['a birth year after the collection year', { birth_year: '2025' }, ['birth_year: survey.bad_birth_year']],
    ['a two-digit birth year', { birth_year: '56' }, ['birth_year: survey.bad_birth_year']],
    ['an age over 130', { age: '131' }, ['age: survey.bad_age']],
    ['an age that is no number', { age: '六十八' }, ['age: survey.bad_age']],
    ['a negative age', { age: '-5' }, ['age: survey.bad_age']],
    ['an unknown district', { district: '火星县' }, ['district: region.unknown']],
    ['an ambiguous district and no address', { district: '朝阳区' }, ['district: region.ambiguous']],
    ['an ambiguous district the address does not settle', { district: '朝阳区', address: '浙江省杭州市西湖区' }, ['district: region.ambiguous']],
    ['several errors in one row, each reported', { name: '', phone: 'abc', collector: '王五', gender: '?' }, [
      'name: import.required',
      'phone: survey.bad_phone',
      'collector: import.unknown_staff',
      'gender: survey.bad_gender',
    ]],
  ])('error: %s', (_rule, change, errors) => {
    expect(errorsOf(parse(change))).toEqual(errors);
  });

  it('errors say what to do', () => {
    const r = parse({ collector: '王五', collected_on: '2024-08-01' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual([
        { column: 'collected_on', value: '2024-08-01', reason: 'survey.future_date', params: { as_of: '2024-07-31' }, fix: 'survey.future_date.fix' },
        { column: 'collector', value: '王五', reason: 'import.unknown_staff', fix: 'import.unknown_staff.fix' },
      ]);
    }
  });
});
