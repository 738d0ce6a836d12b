/**
 * Issue 13, the parts the importer and the kinds own: the row key of each kind (what counts
 * as the same row twice in one file), the one duplicate message, and the one rule for a
 * staff reference (staffRef.ts) in every kind.
 */
import { describe, expect, it } from 'vitest';
import type { Cells, ImportKind, KindContext, ParseResult } from '../../src/io/kind.js';
import { keyOf, keyText } from '../../src/io/kind.js';
import { duplicateRow } from '../../src/io/importer.js';
import { staffRef, type Roster } from '../../src/io/kinds/staffRef.js';
import { kind as staff } from '../../src/io/kinds/staff.js';
import { kind as surveys } from '../../src/io/kinds/surveys.js';
import { kind as events } from '../../src/io/kinds/events.js';
import { kind as followups } from '../../src/io/kinds/followups.js';
import { kind as orders } from '../../src/io/kinds/orders.js';
import { kind as trips } from '../../src/io/kinds/trips.js';
import { kind as expenses } from '../../src/io/kinds/expenses.js';
import { setLang, t } from '../../src/messages/index.js';

const cells =
  (row: Record<string, string>): Cells =>
  (key) =>
    (row[key] ?? '').trim();

function valueOf<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error('expected a good row, got ' + JSON.stringify(r.errors));
  return r.value;
}

const ROSTER: Roster = {
  ids: ['G1', 'S1', 'R1', 'R2', 'R7', 'R9'],
  names: [
    ['周建国', 'G1'],
    ['王志强', 'S1'],
    ['刘芳', 'R1'],
    ['杨洋', ''],
  ],
  shared: [['杨洋', [['R2', '一部'], ['R7', '二部'], ['R9', null]]]],
};
const ctx: KindContext = { asOf: '2024-07-31', data: ROSTER };
const tripsCtx: KindContext = { asOf: '2024-07-31', data: { roster: ROSTER } };

function key<T>(kind: ImportKind<T>, row: Record<string, string>, c: KindContext = ctx): string | null {
  return kind.rowKey!(valueOf(kind.parseRow(cells(row), c)));
}

describe('row keys: the same row twice in one file', () => {
  it('staff by staff_id, orders by order_no, trips by trip_no', () => {
    const s = { staff_id: 'R8', name: '新人', role: 'rep', hired_on: '2024-07-01' };
    expect(key(staff, s)).toBe(key(staff, { ...s, name: '别人' }));
    expect(key(staff, s)).not.toBe(key(staff, { ...s, staff_id: 'R9' }));
    const o = { order_no: 'SO1', customer: '13900000001', order_date: '2024-07-03', amount: '100' };
    expect(key(orders, o)).toBe(key(orders, { ...o, amount: '200' }));
    const tr = { trip_no: 'T1', staff: 'R1', start: '2024-07-08', end: '2024-07-09', scope: '省内' };
    expect(key(trips, tr, tripsCtx)).toBe(key(trips, { ...tr, advance: '300' }, tripsCtx));
  });

  it('events by the customer as written, the date and the event; a corrected purchase is the same row', () => {
    const e = { customer: '139 0000 0001', event_date: '2024/7/1', event: '7月联谊会', purchased: '是', amount: '980' };
    expect(key(events, e)).toBe(key(events, { ...e, customer: '13900000001', purchased: '否', amount: '' }));
    expect(key(events, e)).not.toBe(key(events, { ...e, event: '健康讲座' }));
    expect(key(events, e)).not.toBe(key(events, { ...e, event_date: '2024-07-02' }));
    expect(key(events, e)).not.toBe(key(events, { ...e, name: '张三' }));
  });

  it('follow-ups: only an exact repeat; a corrected note or date is another row', () => {
    const f = { customer: '13900000001', role: 'rep', done_on: '2024-07-05', method: '电话', staff: '刘芳', note: '询问使用情况' };
    expect(key(followups, f)).toBe(key(followups, { ...f, method: 'phone', staff: 'R1' }));
    expect(key(followups, f)).not.toBe(key(followups, { ...f, note: '询问使用情况，顾客反馈良好' }));
    expect(key(followups, f)).not.toBe(key(followups, { ...f, done_on: '2024-07-06' }));
  });

  it('expense lines: the whole line, every field', () => {
    const e = { trip_no: 'T1', date: '2024-07-08', kind: 'bus', amount: '40', receipt: 'Y', from: '浦江', to: '杭州' };
    expect(key(expenses, e, tripsCtx)).toBe(key(expenses, { ...e, kind: '汽车', amount: '40.00', receipt: '是' }, tripsCtx));
    for (const change of [{ amount: '41' }, { time: '08:00' }, { to: '金华' }, { receipt: 'N' }, { date: '2024-07-09' }] as Record<string, string>[]) {
      expect(key(expenses, e, tripsCtx)).not.toBe(key(expenses, { ...e, ...change }, tripsCtx));
    }
  });

  it('surveys have none: the 1M-row path keeps no per-row map (docs/decisions.md)', () => {
    expect(surveys.rowKey).toBeUndefined();
  });

  it('keys join their parts unambiguously; the message shows them with " / ", blank ones left out', () => {
    expect(keyOf('a', 'b')).not.toBe(keyOf('a b'));
    expect(keyOf('a', '', 'c')).not.toBe(keyOf('a', 'c', ''));
    expect(keyText(keyOf('T1', '2024-07-08', null, 'bus'))).toBe('T1 / 2024-07-08 / bus');
  });
});

describe('one message for a repeated key, both rows named', () => {
  it('a single column, several columns, the whole row; the kind may say what to do', () => {
    setLang('en');
    const one = duplicateRow('SO1', 2, { columns: ['order_no'] });
    expect(one).toMatchObject({ column: 'order_no', value: 'SO1', reason: 'import.duplicate_row', params: { row: 2 }, fix: 'import.duplicate_row.fix' });
    expect(t(one.reason, one.params)).toBe('is already in row 2 of this file');
    expect(duplicateRow(keyOf('13900000001', '', '2024-07-01', '联谊会'), 5, { columns: ['customer', 'event_date', 'event'] })).toMatchObject({
      column: 'customer+event_date+event',
      value: '13900000001 / 2024-07-01 / 联谊会',
    });
    expect(duplicateRow(keyOf('T1', 'bus'), 2, { columns: ['*'], fix: 'expenses.duplicate_line.fix' })).toMatchObject({ column: 'every column', fix: 'expenses.duplicate_line.fix' });
    setLang('zh');
    const zh = duplicateRow('SO1', 2, { columns: ['*'] });
    expect([zh.column, t(zh.reason, zh.params)]).toEqual(['整行', '与本文件第 2 行重复']);
    setLang('en');
  });
});

describe('one rule for a staff reference (staffRef)', () => {
  it('an id or a name one person has → the id; a shared name lists who with their teams; nobody → unknown', () => {
    setLang('en');
    expect(staffRef(ROSTER, 'R7', 'staff')).toBe('R7');
    expect(staffRef(ROSTER, '刘芳', 'staff')).toBe('R1');
    const shared = staffRef(ROSTER, '杨洋', 'recorded_by');
    expect(shared).toMatchObject({ column: 'recorded_by', value: '杨洋', reason: 'import.ambiguous_staff', fix: 'import.ambiguous_staff.fix' });
    if (typeof shared === 'string') throw new Error('expected an error');
    expect(t(shared.reason, shared.params)).toBe('杨洋 is R2 (一部), R7 (二部) or R9: write the id');
    expect(staffRef(ROSTER, '无名氏', 'staff')).toMatchObject({ reason: 'import.unknown_staff', fix: 'import.unknown_staff.fix' });
    expect(staffRef(ROSTER, 'r1', 'staff')).toMatchObject({ reason: 'import.unknown_staff' });
  });

  it('the same in Chinese', () => {
    setLang('zh');
    const two: Roster = { ids: ['R2', 'R7'], names: [['杨洋', '']], shared: [['杨洋', [['R2', '一部'], ['R7', '二部']]]] };
    const e = staffRef(two, '杨洋', 'staff');
    if (typeof e === 'string') throw new Error('expected an error');
    expect(t(e.reason, e.params)).toBe('杨洋 是 R2（一部）或 R7（二部）：请写工号');
    setLang('en');
  });

  it.each<[string, ImportKind<unknown>, Record<string, string>, string, KindContext]>([
    ['events 填表人', events as ImportKind<unknown>, { customer: '13900000001', event_date: '2024-07-01', purchased: '否', recorded_by: '杨洋' }, 'recorded_by', ctx],
    ['orders staff', orders as ImportKind<unknown>, { order_no: 'SO1', customer: '13900000001', order_date: '2024-07-03', amount: '1', staff: '杨洋' }, 'staff', ctx],
    ['follow-ups staff', followups as ImportKind<unknown>, { customer: '13900000001', role: 'rep', done_on: '2024-07-05', method: 'phone', staff: '杨洋', note: 'x' }, 'staff', ctx],
    ['surveys collector', surveys as ImportKind<unknown>, { name: '张三', phone: '13900000001', collector: '杨洋', collected_on: '2024-07-01' }, 'collector', ctx],
    ['trips reviewer', trips as ImportKind<unknown>, { trip_no: 'T1', staff: 'R1', start: '2024-07-08', end: '2024-07-09', scope: '省内', reviewed_by: '杨洋' }, 'reviewed_by', tripsCtx],
    ['expenses approver', expenses as ImportKind<unknown>, { trip_no: 'T1', date: '2024-07-08', kind: 'plane', amount: '1', approved_by: '杨洋' }, 'approved_by', tripsCtx],
  ])('%s: a shared name is the same error', (_what, kind, row, column, c) => {
    const r = kind.parseRow(cells(row), c);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([expect.objectContaining({ column, reason: 'import.ambiguous_staff', params: expect.objectContaining({ name: '杨洋' }) })]);
    const unknown = kind.parseRow(cells({ ...row, [column]: '无名氏' }), c);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors).toEqual([expect.objectContaining({ column, reason: 'import.unknown_staff' })]);
  });

  it('events store the staff_id of the 填表人, not the name as written', () => {
    const v = valueOf(events.parseRow(cells({ customer: '13900000001', event_date: '2024-07-01', purchased: '否', recorded_by: '刘芳' }), ctx));
    expect(v.recorded_by).toBe('R1');
  });
});
