/**
 * The change log's viewing side (issue 13): the filters of listChanges / iterateChanges, and
 * how an entry is shown (§5 sealed fields masked, numbers in text masked, fen as yuan).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type DB } from '../../src/store/db.js';
import { CHANGE_KINDS, changeKinds, changeLog, iterateChanges, listChanges, type ChangeEntry } from '../../src/store/changes.js';
import { maskFieldValue, sealedField } from '../../src/domain/masking.js';
import { viewChange } from '../../src/app/audit.js';

describe('sealedField / maskFieldValue', () => {
  it.each<[string, string, string | null, string | null]>([
    ['customers', 'phone', '13812345678', '138****5678'],
    ['customers', 'phone', ' 13812345678 ', '138****5678'],
    ['customers', 'address', '浙江省金华市浦江县江滨路1号', '****'],
    ['customers', 'health', '高血压', '(sealed)'],
    ['customers', 'id_card', '330726195001011234', '330726********1234'],
    ['followups', 'note', '询问使用情况，家属13911112222', '(sealed)'],
    // another kind's note is text: only the numbers typed into it are masked
    ['trips', 'note', '客户13911112222来电', '客户139****2222来电'],
    ['customers', 'name', '张三13911112222', '张三139****2222'],
    ['trips', 'advance_fen', '128000', '128000'],
    ['orders', 'product', 'SO-2024-0701 ¥3,980.00', 'SO-2024-0701 ¥3,980.00'],
    // no value stays no value; a blank one says nothing either
    ['customers', 'phone', null, null],
    ['customers', 'health', null, null],
    ['customers', 'health', '', ''],
  ])('%s.%s %j → %j', (kind, field, value, shown) => {
    expect(maskFieldValue(kind, field, value, '(sealed)')).toBe(shown);
  });

  it('names the sealed fields, whatever the kind', () => {
    expect(sealedField('customers', 'phone')).toBe('phone');
    expect(sealedField('events', 'phone')).toBe('phone');
    expect(sealedField('customers', 'address')).toBe('address');
    expect(sealedField('customers', 'health')).toBe('omit');
    expect(sealedField('followups', 'note')).toBe('omit');
    expect(sealedField('tasks', 'note')).toBeNull();
    expect(sealedField('trips', 'purpose')).toBeNull();
  });
});

const entry = (e: Partial<ChangeEntry>): ChangeEntry => ({
  change_id: 1,
  at: '2024-07-01T09:00:00',
  kind: 'trips',
  key: 'T001',
  field: 'purpose',
  old_value: null,
  new_value: null,
  command: 'trips import trips.csv',
  os_user: 'clerk',
  ...e,
});

describe('viewChange', () => {
  it('masks a sealed field, a number in any other value, in the key and in the command', () => {
    const v = viewChange(
      entry({ kind: 'customers', key: '12', field: 'phone', old_value: '13812345678', new_value: '13912345678', command: "customers edit 12 --note '家属13511112222'" }),
      false,
      '(sealed)',
    );
    expect(v).toMatchObject({ old_value: '138****5678', new_value: '139****5678', command: "customers edit 12 --note '家属135****2222'" });
    const t = viewChange(entry({ key: '12|2024-07-01|讲座13911112222', old_value: '拜访 13811112222', new_value: '拜访' }), false, '(sealed)');
    expect(t).toMatchObject({ key: '12|2024-07-01|讲座139****2222', old_value: '拜访 138****2222', new_value: '拜访' });
  });

  it('shows everything as stored when revealed', () => {
    const e = entry({ kind: 'customers', field: 'health', old_value: '高血压', new_value: '无', command: 'x 13511112222' });
    expect(viewChange(e, true, '(sealed)')).toEqual(e);
  });

  it('shows money kept in fen as yuan, under the field name without _fen', () => {
    expect(viewChange(entry({ field: 'advance_fen', old_value: '128000', new_value: '28000' }), false, '')).toMatchObject({ field: 'advance', old_value: '1280.00', new_value: '280.00' });
    expect(viewChange(entry({ field: 'order_amount_fen', old_value: null, new_value: '5' }), true, '')).toMatchObject({ field: 'order_amount', old_value: null, new_value: '0.05' });
    // not a whole number of fen: left as it is
    expect(viewChange(entry({ field: 'amount_fen', old_value: 'n/a', new_value: '1.5' }), false, '')).toMatchObject({ field: 'amount', old_value: 'n/a', new_value: '1.5' });
  });
});

describe('listChanges / iterateChanges filters', () => {
  let dir: string;
  let db: DB;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-changes-'));
    db = openDb(path.join(dir, 'c.db'), { create: true });
    const log = changeLog(db, 'trips import trips.csv');
    expect(log.record('trips', 'T001', { advance_fen: 128000, purpose: '拜访' }, { advance_fen: 28000, purpose: '拜访' })).toBe(1);
    log.field('expenses', 'T001#1', 'amount_fen', 100, 200);
    log.field('expenses', 'T001#2', 'amount_fen', 300, null);
    log.field('expenses', 'T0011#1', 'amount_fen', 1, 2);
    log.field('events', '12|2024-07-01|讲座', 'purchased', true, false);
    log.field('events', '123|2024-07-01|讲座', 'purchased', false, true);
    log.field('orders', 'SO_1%', 'amount_fen', 1, 2);
    // dates as the schema writes them (local time); the triggers refuse UPDATE, so insert them so
    const at = db.prepare("INSERT INTO changes (at, kind, key, field, old_value, new_value, command, os_user) VALUES (?, 'staff', 'R4', 'left_on', '2024-06-30', NULL, 'staff rehire R4', 'hr')");
    at.run('2024-06-30T23:59:59');
    at.run('2024-07-01T00:00:00');
    at.run('2024-07-31T23:59:59');
    at.run('2024-08-01T00:00:00');
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const ids = (f: Parameters<typeof listChanges>[1]) => listChanges(db, f).map((r) => `${r.kind} ${r.key} ${r.field}`);

  it('records only the fields that changed, old → new as text', () => {
    expect(listChanges(db, { kind: 'trips' })).toEqual([
      expect.objectContaining({ kind: 'trips', key: 'T001', field: 'advance_fen', old_value: '128000', new_value: '28000', command: 'trips import trips.csv' }),
    ]);
    expect(listChanges(db, { kind: 'events', key: '12' })[0]).toMatchObject({ old_value: '1', new_value: '0' });
  });

  it('--kind', () => {
    expect(ids({ kind: 'expenses' })).toEqual(['expenses T001#1 amount_fen', 'expenses T001#2 amount_fen', 'expenses T0011#1 amount_fen']);
    expect(ids({ kind: 'customers' })).toEqual([]);
  });

  it('--key: the whole key, or the leading part of a composite key', () => {
    expect(ids({ key: 'T001' })).toEqual(['trips T001 advance_fen', 'expenses T001#1 amount_fen', 'expenses T001#2 amount_fen']);
    expect(ids({ key: 'T001#2' })).toEqual(['expenses T001#2 amount_fen']);
    expect(ids({ kind: 'trips', key: 'T001' })).toEqual(['trips T001 advance_fen']);
    expect(ids({ key: '12' })).toEqual(['events 12|2024-07-01|讲座 purchased']);
    expect(ids({ key: '12|2024-07-01|讲座' })).toEqual(['events 12|2024-07-01|讲座 purchased']);
    // no wildcards: _ and % are themselves
    expect(ids({ key: 'SO_1%' })).toEqual(['orders SO_1% amount_fen']);
    expect(ids({ key: 'SO11%' })).toEqual([]);
    expect(ids({ key: 'T00' })).toEqual([]);
  });

  it('--from/--to: local calendar dates, both inclusive', () => {
    const at = (f: { from?: string; to?: string }) => listChanges(db, { kind: 'staff', ...f }).map((r) => r.at);
    expect(at({ from: '2024-07-01', to: '2024-07-31' })).toEqual(['2024-07-01T00:00:00', '2024-07-31T23:59:59']);
    expect(at({ to: '2024-06-30' })).toEqual(['2024-06-30T23:59:59']);
    expect(at({ from: '2024-08-01' })).toEqual(['2024-08-01T00:00:00']);
    expect(at({ from: '2024-07-01', to: '2024-07-01' })).toEqual(['2024-07-01T00:00:00']);
  });

  it('iterateChanges streams the same rows, oldest first, at most a limit', () => {
    expect([...iterateChanges(db, { kind: 'expenses' })]).toEqual(listChanges(db, { kind: 'expenses' }));
    expect([...iterateChanges(db, {}, 2)].map((r) => r.change_id)).toEqual([1, 2]);
    const all = listChanges(db).map((r) => r.change_id);
    expect(all).toEqual([...all].sort((a, b) => a - b));
  });

  it('changeKinds: the known kinds, then any other in the log', () => {
    expect(changeKinds(db)).toEqual([...CHANGE_KINDS]);
    // 'policy' is a known kind now (policy load --replace): another one stands for a kind only in the log
    expect(CHANGE_KINDS).toContain('policy');
    db.prepare("INSERT INTO changes (kind, key, field, command) VALUES ('handovers', 'R4', 'new_staff_id', 'staff leave R4')").run();
    expect(changeKinds(db)).toEqual([...CHANGE_KINDS, 'handovers']);
  });

  it('the log is append-only', () => {
    expect(() => db.prepare("UPDATE changes SET new_value = 'x' WHERE change_id = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM changes WHERE change_id = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT OR REPLACE INTO changes (change_id, kind, key, field, command) VALUES (1, 'trips', 'T001', 'x', 'y')").run()).toThrow(/append-only/);
    expect(listChanges(db, { kind: 'trips' })[0].new_value).toBe('28000');
  });
});
