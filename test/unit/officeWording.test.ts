/**
 * Issue 15, the kinds' part: a row as a clerk writes it parses (√/×, 开发市场, 滴滴, 晚上8点半,
 * 12元5角, 7月3日), says what it read in or left out (row notices: a year, a time), and a
 * number Excel wrote as `1.3857E+10` is a row error wherever an id or a phone is expected.
 */
import { describe, expect, it } from 'vitest';
import { cellValue, type Cells, type ImportKind, type KindContext, type ParseResult } from '../../src/io/kind.js';
import type { Roster } from '../../src/io/kinds/staffRef.js';
import { kind as staff } from '../../src/io/kinds/staff.js';
import { kind as surveys } from '../../src/io/kinds/surveys.js';
import { kind as events } from '../../src/io/kinds/events.js';
import { kind as followups } from '../../src/io/kinds/followups.js';
import { kind as orders } from '../../src/io/kinds/orders.js';
import { kind as trips } from '../../src/io/kinds/trips.js';
import { kind as expenses } from '../../src/io/kinds/expenses.js';

/** A row as the worker reads it: each cell through cellValue (full-width digits → ASCII …). */
const cells =
  (row: Record<string, string>): Cells =>
  (key) =>
    cellValue(row[key] ?? '');

function valueOf<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error('expected a good row, got ' + JSON.stringify(r.errors));
  return r.value;
}
const errorsOf = <T>(r: ParseResult<T>): string[] => (r.ok ? [] : r.errors.map((e) => `${e.column}: ${e.reason}`));
const noticesOf = <T>(r: ParseResult<T>) => (r.ok ? (r.notices ?? []).map((n) => `${n.column}: ${n.key}${n.params ? ' ' + JSON.stringify(n.params) : ''}`) : ['(rejected)']);

const ROSTER: Roster = { ids: ['G1', 'S1', 'R1'], names: [['周建国', 'G1'], ['王志强', 'S1'], ['刘芳', 'R1']] };
const ASOF = '2026-11-30';
const ctx: KindContext = { asOf: ASOF, data: ROSTER };
const tripsCtx: KindContext = { asOf: ASOF, data: { roster: ROSTER } };

describe('yes/no columns take the ticks and crosses of a paper form', () => {
  const event = { phone: '13857903456', event_date: '2026-11-03' };
  it.each<[string, boolean]>([
    ['√', true],
    ['✓', true],
    ['✔', true],
    ['是', true],
    ['有', true],
    ['Y', true],
    ['×', false],
    ['✗', false],
    ['✘', false],
    ['否', false],
    ['无', false],
    ['N', false],
  ])('events purchased %j → %s', (mark, yes) => {
    expect(valueOf(events.parseRow(cells({ ...event, purchased: mark }), ctx)).purchased).toBe(yes);
  });

  it('trips deal_closed and exempt, expenses receipt', () => {
    const trip = valueOf(trips.parseRow(cells({ trip_no: 'T1', staff: 'R1', start: '2026-11-03', end: '2026-11-04', scope: '省内', deal_closed: '√', exempt: '×' }), tripsCtx));
    expect([trip.deal_closed, trip.exempt]).toEqual([true, false]);
    const line = valueOf(expenses.parseRow(cells({ trip_no: 'T1', date: '2026-11-03', kind: '汽车', amount: '30', receipt: '✔' }), tripsCtx));
    expect(line.receipt).toBe(true);
  });
});

describe('the closed vocabularies in office words', () => {
  const trip = { trip_no: 'T1', staff: 'R1', start: '2026-11-03', end: '2026-11-04', scope: '省内' };
  it.each<[string, string]>([
    ['开发市场', 'new_market'],
    ['开发新市场', 'new_market'],
    ['拓展市场', 'new_market'],
    ['拜访客户', 'visit'],
    ['客户回访', 'visit'],
    ['培训', 'other'],
  ])('purpose %j → %s', (raw, purpose) => {
    expect(valueOf(trips.parseRow(cells({ ...trip, purpose: raw }), tripsCtx)).purpose).toBe(purpose);
  });

  it.each<[string, string | null]>([
    ['公司派车', 'company_car'],
    ['单位派车', 'company_car'],
    ['自驾车', 'own_vehicle'],
    ['私车公用', 'own_vehicle'],
    ['对方派车', 'host'],
    ['没有', null],
  ])('transport %j → %s', (raw, transport) => {
    expect(valueOf(trips.parseRow(cells({ ...trip, transport_provided: raw }), tripsCtx)).transport_provided).toBe(transport);
  });

  it.each<[string, string]>([
    ['省内', 'in_province'],
    ['市内', 'in_province'],
    ['出省', 'out_of_province'],
    ['跨省', 'out_of_province'],
  ])('scope %j → %s', (raw, scope) => {
    expect(valueOf(trips.parseRow(cells({ ...trip, scope: raw }), tripsCtx)).scope).toBe(scope);
  });

  const line = { trip_no: 'T1', date: '2026-11-03', amount: '10' };
  it.each<[string, string]>([
    ['滴滴', 'taxi'],
    ['网约车', 'taxi'],
    ['出租车', 'taxi'],
    ['打车', 'taxi'],
    ['打的', 'taxi'],
    ['高铁', 'train'],
    ['客车', 'bus'],
    ['地铁', 'local_bus'],
    ['旅馆', 'lodging'],
  ])('expense kind %j → %s', (raw, kind) => {
    expect(valueOf(expenses.parseRow(cells({ ...line, kind: raw }), tripsCtx)).kind).toBe(kind);
  });

  it('餐费 is refused, never read as a client dinner: on a travel claim it may be the traveller\'s own meals (in the per diem)', () => {
    const r = expenses.parseRow(cells({ ...line, kind: '餐费' }), tripsCtx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.column)).toEqual(['kind']);
  });

  it.each<[string, string]>([
    ['二等', 'second_class'],
    ['二等座', 'second_class'],
    ['硬卧下铺', 'hard_sleeper'],
    ['软卧上铺', 'soft_sleeper'],
    ['经济', 'economy'],
  ])('class %j → %s', (raw, cls) => {
    expect(valueOf(expenses.parseRow(cells({ ...line, kind: '火车', class: raw }), tripsCtx)).class).toBe(cls);
  });

  it.each<[string, string]>([
    ['夜间', 'night'],
    ['晚上打车', 'night'],
    ['带设备', 'equipment'],
    ['没有公交车', 'no_bus'],
    ['路途远', 'far'],
    ['经批准', 'special'],
  ])('taxi reason %j → %s', (raw, reason) => {
    expect(valueOf(expenses.parseRow(cells({ ...line, kind: '滴滴', reason: raw }), tripsCtx)).reason).toBe(reason);
  });

  it.each<[string, string]>([
    ['销售员', 'rep'],
    ['业务代表', 'rep'],
    ['组长', 'supervisor'],
    ['部门经理', 'manager'],
    ['医师', 'doctor'],
    ['总经理', 'gm'],
  ])('staff role %j → %s', (raw, role) => {
    expect(valueOf(staff.parseRow(cells({ staff_id: 'X1', name: '甲', role: raw, hired_on: '2026-01-05' }), ctx)).role).toBe(role);
  });

  it.each<[string, string]>([
    ['电访', 'phone'],
    ['电话', 'phone'],
    ['家访', 'visit'],
    ['入户', 'visit'],
  ])('follow-up method %j → %s', (raw, method) => {
    expect(valueOf(followups.parseRow(cells({ phone: '13857903456', role: '销售员', done_on: '2026-11-03', method: raw, note: '已联系' }), ctx)).method).toBe(method);
  });
});

describe('money, times and hours as written on a ticket or a sheet', () => {
  it.each<[string, number]>([
    ['１２元', 1200],
    ['12.5元', 1250],
    ['12元5角', 1250],
    ['￥1,280.50', 128050],
  ])('amount %j → %i fen', (raw, fen) => {
    expect(valueOf(orders.parseRow(cells({ order_no: 'SO1', phone: '13857903456', order_date: '2026-11-03', amount: raw }), ctx)).amount_fen).toBe(fen);
  });

  it.each<[string, string]>([
    ['20点', '20:00'],
    ['晚上8点半', '20:30'],
    ['8点30分', '08:30'],
    ['下午3点', '15:00'],
    ['20:30', '20:30'],
    ['20时30分', '20:30'],
  ])('a taxi ride at %j is at %s', (raw, time) => {
    expect(valueOf(expenses.parseRow(cells({ trip_no: 'T1', date: '2026-11-03', time: raw, kind: '滴滴', amount: '35' }), tripsCtx)).time).toBe(time);
  });

  it('a time the column cannot read: the error lists the wordings accepted', () => {
    const r = expenses.parseRow(cells({ trip_no: 'T1', date: '2026-11-03', time: '傍晚', kind: '滴滴', amount: '35' }), tripsCtx);
    expect(errorsOf(r)).toEqual(['time: import.bad_time']);
  });

  it('a trip leaves 晚上8点 and comes back 7月5日下午3点', () => {
    const v = valueOf(trips.parseRow(cells({ trip_no: 'T1', staff: 'R1', start: '2026-07-03 晚上8点', end: '7月5日下午3点', scope: '省外' }), tripsCtx));
    expect([v.start_date, v.start_time, v.end_date, v.end_time]).toEqual(['2026-07-03', '20:00', '2026-07-05', '15:00']);
  });

  it('hours with their unit', () => {
    expect(valueOf(expenses.parseRow(cells({ trip_no: 'T1', date: '2026-11-03', kind: '火车', amount: '300', hours: '10小时30分' }), tripsCtx)).hours).toBe(10.5);
  });
});

describe('row notices: a date without a year, a time dropped from a date', () => {
  it('a survey 11月3日 is read in the --as-of year, and says so; 12月1日 as of 11-30 is last year', () => {
    const s = { name: '冯明', phone: '13857903456', collector: 'R1' };
    expect(noticesOf(surveys.parseRow(cells({ ...s, collected_on: '11月3日' }), ctx))).toEqual(['collected_on: import.notice.no_year {"year":"2026"}']);
    expect(valueOf(surveys.parseRow(cells({ ...s, collected_on: '12月1日' }), ctx))[9]).toBe('2025-12-01');
    expect(noticesOf(surveys.parseRow(cells({ ...s, collected_on: '2026/11/3 8:15' }), ctx))).toEqual(['collected_on: import.notice.time_dropped']);
  });

  it('the common row says nothing: no notices array at all (the 1M-row path allocates none)', () => {
    const r = surveys.parseRow(cells({ name: '冯明', phone: '13857903456', collector: 'R1', collected_on: '2026-11-03' }), ctx);
    expect(r).toEqual({ ok: true, value: expect.any(Array), notices: undefined });
    expect(events.parseRow(cells({ phone: '13857903456', event_date: '2026/11/3 0:00', purchased: '是' }), ctx)).toMatchObject({ ok: true, notices: undefined });
  });

  it.each<[string, ImportKind<unknown>, Record<string, string>, string]>([
    ['staff hired_on', staff as ImportKind<unknown>, { staff_id: 'X1', name: '甲', role: 'rep', hired_on: '3月5日' }, 'hired_on'],
    ['events event_date', events as ImportKind<unknown>, { phone: '13857903456', event_date: '11月3号', purchased: '是' }, 'event_date'],
    ['orders order_date', orders as ImportKind<unknown>, { order_no: 'SO1', phone: '13857903456', order_date: '11月3日', amount: '1' }, 'order_date'],
    ['follow-ups done_on', followups as ImportKind<unknown>, { phone: '13857903456', role: 'rep', done_on: '11月3日', method: '电话', note: 'x' }, 'done_on'],
    ['trips start', trips as ImportKind<unknown>, { trip_no: 'T1', staff: 'R1', start: '11月3日', end: '2026-11-04', scope: '省内' }, 'start'],
  ])('%s without a year: a notice', (_what, kind, row, column) => {
    expect(noticesOf(kind.parseRow(cells(row), kind === trips || kind === expenses ? tripsCtx : ctx))).toEqual([`${column}: import.notice.no_year {"year":"2026"}`]);
  });

  it('a trip over New Year: 12月30日 → 1月2日, the end in the next year', () => {
    const v = valueOf(trips.parseRow(cells({ trip_no: 'T1', staff: 'R1', start: '2025-12-30', end: '1月2日', scope: '省内', report_on: '1月4日' }), { asOf: '2026-01-10', data: { roster: ROSTER } }));
    expect([v.end_date, v.report_on]).toEqual(['2026-01-02', '2026-01-04']);
  });

  it("an expense line's date without a year takes its trip's start year (the stored trips), else --as-of's", () => {
    const withStarts: KindContext = { asOf: '2027-02-01', data: { roster: ROSTER, tripStarts: [['T9', '2026-12-30']] } };
    const late = expenses.parseRow(cells({ trip_no: 'T9', date: '12月31日', kind: '汽车', amount: '30' }), withStarts);
    expect(valueOf(late).date).toBe('2026-12-31');
    expect(noticesOf(late)).toEqual(['date: import.notice.no_year {"year":"2026"}']);
    expect(valueOf(expenses.parseRow(cells({ trip_no: 'T9', date: '1月2日', kind: '汽车', amount: '30' }), withStarts)).date).toBe('2027-01-02');
    expect(valueOf(expenses.parseRow(cells({ trip_no: 'T1', date: '1月2日', kind: '汽车', amount: '30' }), withStarts)).date).toBe('2027-01-02');
  });

  it('a date-time in the date column of an expense line is its time when the time column is blank; beside a time, dropped and said', () => {
    const own = expenses.parseRow(cells({ trip_no: 'T1', date: '2026-11-03 21:15', kind: '滴滴', amount: '35' }), tripsCtx);
    expect([valueOf(own).date, valueOf(own).time, noticesOf(own)]).toEqual(['2026-11-03', '21:15', []]);
    const midnight = expenses.parseRow(cells({ trip_no: 'T1', date: '2026/11/3 0:00', kind: '滴滴', amount: '35' }), tripsCtx);
    expect(valueOf(midnight).time).toBeNull();
    const both = expenses.parseRow(cells({ trip_no: 'T1', date: '2026-11-03 21:15', time: '22:00', kind: '滴滴', amount: '35' }), tripsCtx);
    expect([valueOf(both).time, noticesOf(both)]).toEqual(['22:00', ['date: import.notice.time_dropped']]);
  });
});

describe('Excel scientific notation where an id or a phone is expected', () => {
  it.each<[string, ImportKind<unknown>, Record<string, string>, string, KindContext]>([
    ['a survey phone', surveys as ImportKind<unknown>, { name: '冯明', phone: '1.3857E+10', collector: 'R1', collected_on: '2026-11-03' }, 'phone', ctx],
    ['a survey number', surveys as ImportKind<unknown>, { survey_no: '2.02611E+11', name: '冯明', phone: '13857903456', collector: 'R1', collected_on: '2026-11-03' }, 'survey_no', ctx],
    ['a staff id', staff as ImportKind<unknown>, { staff_id: '1.00235E+11', name: '甲', role: 'rep', hired_on: '2026-01-05' }, 'staff_id', ctx],
    ['a collector id', surveys as ImportKind<unknown>, { name: '冯明', phone: '13857903456', collector: '1.00235E+11', collected_on: '2026-11-03' }, 'collector', ctx],
    ['an event customer', events as ImportKind<unknown>, { customer: '1.38579E+10', event_date: '2026-11-03', purchased: '是' }, 'customer', ctx],
    ['an order phone', orders as ImportKind<unknown>, { order_no: 'SO1', phone: '1.38579E+10', order_date: '2026-11-03', amount: '1' }, 'phone', ctx],
    ['an order number', orders as ImportKind<unknown>, { order_no: '2.02611E+13', phone: '13857903456', order_date: '2026-11-03', amount: '1' }, 'order_no', ctx],
    ['a trip number', trips as ImportKind<unknown>, { trip_no: '2.02611E+11', staff: 'R1', start: '2026-11-03', end: '2026-11-04', scope: '省内' }, 'trip_no', tripsCtx],
    ['an expense trip number', expenses as ImportKind<unknown>, { trip_no: '2.02611E+11', date: '2026-11-03', kind: '汽车', amount: '30' }, 'trip_no', tripsCtx],
  ])('%s: import.excel_scientific', (_what, kind, row, column, c) => {
    expect(errorsOf(kind.parseRow(cells(row), c))).toEqual([`${column}: import.excel_scientific`]);
  });
});
