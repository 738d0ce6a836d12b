/**
 * §3.5 KPIs: periods, each measure on a small hand-computed data set, and the aggregate SQL
 * (counts and index use) on a tiny database.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  parsePeriod,
  parsePeriodText,
  previousPeriod,
  countedRange,
  comparisonRange,
  addMonths,
  classWindow,
  classOf,
  ratio,
  growth,
  perUnitFen,
  measures,
  countsByStaff,
  sharesByTeam,
  staffRows,
  teamRows,
  staffTotal,
  teamTotal,
  behindTarget,
  classRow,
  ZERO_COUNTS,
  type Counts,
  type Member,
  type KpiInput,
  type Period,
} from '../../src/domain/kpi.js';
import { openDb, type DB } from '../../src/store/db.js';
import { KPI_SQL, CLASS_SQL, kpiCredits, classCounts } from '../../src/store/kpi.js';

const c = (part: Partial<Counts>): Counts => ({ ...ZERO_COUNTS, ...part });
const range = (p: Period | null) => (p ? `${p.from}..${p.to}` : null);

describe('periods', () => {
  it.each([
    ['2024-02', 'month', '2024-02', '2024-02-01', '2024-02-29'], // leap month
    ['2023-02', 'month', '2023-02', '2023-02-01', '2023-02-28'],
    ['2024/5', 'month', '2024-05', '2024-05-01', '2024-05-31'],
    ['2024年12月', 'month', '2024-12', '2024-12-01', '2024-12-31'],
    ['2024-Q1', 'quarter', '2024-Q1', '2024-01-01', '2024-03-31'],
    ['2024q2', 'quarter', '2024-Q2', '2024-04-01', '2024-06-30'],
    ['2024 Q4', 'quarter', '2024-Q4', '2024-10-01', '2024-12-31'],
    ['2024年第三季度', 'quarter', '2024-Q3', '2024-07-01', '2024-09-30'],
    ['2024', 'year', '2024', '2024-01-01', '2024-12-31'],
    ['2024年', 'year', '2024', '2024-01-01', '2024-12-31'],
  ])('%s is %s %s (%s … %s)', (text, kind, label, from, to) => {
    expect(parsePeriodText(text, '2024-07-31')).toEqual({ kind, label, from, to });
  });

  it.each([
    ['this-month', '2024-01-15', '2024-01-01..2024-01-31'],
    ['last-month', '2024-01-15', '2023-12-01..2023-12-31'], // across the year boundary
    ['last-month', '2024-03-31', '2024-02-01..2024-02-29'],
    ['this-quarter', '2024-11-30', '2024-10-01..2024-12-31'],
    ['last-quarter', '2024-02-01', '2023-10-01..2023-12-31'],
    ['this-year', '2024-02-01', '2024-01-01..2024-12-31'],
    ['last-year', '2024-02-01', '2023-01-01..2023-12-31'],
    ['This Month', '2024-05-09', '2024-05-01..2024-05-31'],
    ['上月', '2025-01-02', '2024-12-01..2024-12-31'],
  ])('%s on %s is %s', (word, asOf, expected) => {
    expect(range(parsePeriodText(word, asOf))).toBe(expected);
  });

  it.each(['2024-13', '2024-00', '2024-Q5', '2024-Q0', 'next-month', '24-05', '2024-05-01', '', '1800'])('%j is not a period', (text) => {
    expect(parsePeriodText(text, '2024-07-31')).toBeNull();
  });

  it('defaults to the month of as-of; --from/--to make a range; --from alone runs to as-of', () => {
    expect(parsePeriod({}, '2024-07-31')).toEqual({ ok: true, period: { kind: 'month', label: '2024-07', from: '2024-07-01', to: '2024-07-31' } });
    expect(parsePeriod({ from: '2024-05-01', to: '2024/5/15' }, '2024-07-31')).toEqual({
      ok: true,
      period: { kind: 'range', label: '2024-05-01..2024-05-15', from: '2024-05-01', to: '2024-05-15' },
    });
    expect(parsePeriod({ from: '2024-07-20' }, '2024-07-31')).toMatchObject({ ok: true, period: { from: '2024-07-20', to: '2024-07-31' } });
  });

  it.each([
    [{ period: '2024-13' }, { code: 'bad_period', value: '2024-13' }],
    [{ period: '2024-05', from: '2024-05-01' }, { code: 'period_and_range' }],
    [{ to: '2024-05-01' }, { code: 'to_without_from' }],
    [{ from: '2024-05-32' }, { code: 'bad_date', flag: '--from', value: '2024-05-32' }],
    [{ from: '2024-05-01', to: 'soon' }, { code: 'bad_date', flag: '--to', value: 'soon' }],
    [{ from: '2024-05-15', to: '2024-05-01' }, { code: 'from_after_to', from: '2024-05-15', to: '2024-05-01' }],
  ])('refuses %j', (flags, error) => {
    expect(parsePeriod(flags, '2024-07-31')).toEqual({ ok: false, error });
  });

  it.each([
    ['2024-03', '2024-02-01..2024-02-29'],
    ['2024-01', '2023-12-01..2023-12-31'],
    ['2024-Q1', '2023-10-01..2023-12-31'],
    ['2024-Q3', '2024-04-01..2024-06-30'],
    ['2024', '2023-01-01..2023-12-31'],
  ])('the period before %s is %s', (text, expected) => {
    expect(range(previousPeriod(parsePeriodText(text, '2024-07-31')!))).toBe(expected);
  });

  it('the period before a from/to range is as many days just before it', () => {
    const p = (parsePeriod({ from: '2024-05-01', to: '2024-05-15' }, '2024-07-31') as { period: Period }).period;
    expect(previousPeriod(p)).toMatchObject({ from: '2024-04-16', to: '2024-04-30' });
    const leap = (parsePeriod({ from: '2024-03-01', to: '2024-03-01' }, '2024-07-31') as { period: Period }).period;
    expect(previousPeriod(leap)).toMatchObject({ from: '2024-02-29', to: '2024-02-29' });
  });

  it('counts up to as-of; a period after as-of counts nothing', () => {
    const july = parsePeriodText('2024-07', '2024-07-31')!;
    expect(countedRange(july, '2024-07-15')).toEqual({ from: '2024-07-01', to: '2024-07-15' });
    expect(countedRange(july, '2024-08-02')).toEqual({ from: '2024-07-01', to: '2024-07-31' });
    expect(countedRange(july, '2024-06-30')).toBeNull();
    expect(countedRange(july, '2024-07-01')).toEqual({ from: '2024-07-01', to: '2024-07-01' });
  });

  it('compares a running period like for like: the same days of the previous period', () => {
    const july = parsePeriodText('2024-07', '2024-07-31')!;
    expect(comparisonRange(july, '2024-07-15')).toEqual({ from: '2024-06-01', to: '2024-06-15' });
    expect(comparisonRange(july, '2024-09-01')).toEqual({ from: '2024-06-01', to: '2024-06-30' });
    const march = parsePeriodText('2024-03', '2024-07-31')!;
    expect(comparisonRange(march, '2024-03-30')).toEqual({ from: '2024-02-01', to: '2024-02-29' }); // capped at the shorter month
    expect(comparisonRange(parsePeriodText('2024-Q3', '2024-07-31')!, '2024-07-31')).toEqual({ from: '2024-04-01', to: '2024-05-01' });
    expect(comparisonRange(july, '2024-06-01')).toBeNull();
  });

  it('moves months with the day clamped; the class window is the 12 months up to as-of', () => {
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', -12)).toBe('2023-02-28');
    expect(addMonths('2024-11-15', 2)).toBe('2025-01-15');
    expect(classWindow('2024-07-31', 12)).toEqual({ from: '2023-08-01', to: '2024-07-31' });
    expect(classWindow('2024-02-29', 12)).toEqual({ from: '2023-03-01', to: '2024-02-29' });
  });
});

describe('measures', () => {
  it('a ratio is null when its denominator is 0', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, null)).toBeNull();
    expect(growth(150, 100)).toBe(0.5);
    expect(growth(50, 100)).toBe(-0.5);
    expect(growth(100, 0)).toBeNull();
    expect(perUnitFen(10000, 3)).toBe(3333);
    expect(perUnitFen(10000, 0)).toBeNull();
  });

  it('per rep: conversion, growth, on-time rate and travel per order', () => {
    const m = measures(c({ new_customers: 3, files_opened: 4, buyers: 1, orders: 2, sales_fen: 300000, prev_sales_fen: 200000, followups_due: 10, followups_on_time: 9, overdue_open: 1, travel_cost_fen: 15000 }));
    expect(m).toEqual({
      new_customers: 3,
      files_opened: 4,
      buyers: 1,
      conversion_rate: 0.25,
      orders: 2,
      sales_amount: 300000,
      sales_growth: 0.5,
      followups_due: 10,
      followups_on_time: 9,
      on_time_rate: 0.9,
      overdue_open: 1,
      travel_cost: 15000,
      cost_per_order: 7500,
    });
  });

  it('a period with no orders, files or tasks: every ratio is null', () => {
    const m = measures(c({ travel_cost_fen: 5000 }));
    expect([m.conversion_rate, m.sales_growth, m.on_time_rate, m.cost_per_order]).toEqual([null, null, null, null]);
    expect(m.sales_amount).toBe(0);
  });

  it('headcount: hired_on is the first day on the roster, left_on the first day away', () => {
    const may = { from: '2024-05-01', to: '2024-05-31' };
    const rep = (hired_on: string, left_on: string | null): Member => ({ staff_id: 'A', name: 'a', role: 'rep', team: 'T', hired_on, regular_on: null, left_on });
    const hc = (m: Member, range: { from: string; to: string } | null = may) => teamTotal({ roster: [m], counts: new Map(), range }).avg_headcount;
    expect(hc(rep('2020-01-01', null))).toBe(1);
    expect(hc(rep('2024-05-16', null))).toBe(Math.round((16 / 31) * 100) / 100);
    expect(hc(rep('2023-01-01', '2024-05-11'))).toBe(Math.round((10 / 31) * 100) / 100);
    expect(hc(rep('2023-01-01', '2024-05-01'))).toBe(0);
    expect(hc(rep('2024-05-31', null))).toBe(Math.round((1 / 31) * 100) / 100);
    expect(hc(rep('2024-06-01', null))).toBe(0);
    expect(hc(rep('2020-01-01', null), null)).toBeNull();
  });

  it('team: headcount, activity, productivity, regularisation and attrition', () => {
    const may = { from: '2024-05-01', to: '2024-05-31' };
    const reps: Member[] = [
      { staff_id: 'A', name: 'a', role: 'rep', team: 'T', hired_on: '2020-01-01', regular_on: '2020-04-01', left_on: null },
      { staff_id: 'B', name: 'b', role: 'rep', team: 'T', hired_on: '2024-02-10', regular_on: '2024-05-10', left_on: null },
      { staff_id: 'C', name: 'c', role: 'rep', team: 'T', hired_on: '2022-01-01', regular_on: null, left_on: '2024-05-21' },
    ];
    const counts = new Map<string | null, Counts>([
      ['A', c({ orders: 1, sales_fen: 300000 })],
      ['B', c({ orders: 2, sales_fen: 200000 })],
    ]);
    // 31 + 31 + 20 person-days over 31 days
    const [m] = teamRows({ roster: reps, counts, range: may });
    const hc = 82 / 31;
    expect(m.avg_headcount).toBe(2.65);
    expect(m.active_reps).toBe(2);
    expect(m.activity_rate).toBeCloseTo(2 / hc, 10);
    expect(m.per_capita_productivity).toBe(250000);
    expect(m.regularisation_rate).toBeCloseTo(1 / hc, 10);
    expect(m.attrition_rate).toBeCloseTo(1 / hc, 10);
    expect(teamTotal({ roster: [], counts: new Map(), range: may })).toMatchObject({ avg_headcount: 0, active_reps: 0, activity_rate: null, per_capita_productivity: null, regularisation_rate: null, attrition_rate: null });
  });

  it('team of the day (issue 18): a person who changed team is split between the teams of their days', () => {
    const may = { from: '2024-05-01', to: '2024-05-31' };
    const roster: Member[] = [{ staff_id: 'A', name: 'a', role: 'rep', team: 'U', hired_on: '2020-01-01', regular_on: '2024-05-20', left_on: null }];
    const periods = [
      { staff_id: 'A', team: 'T', role: 'rep', from_on: null, until_on: '2024-05-11' },
      { staff_id: 'A', team: 'U', role: 'rep', from_on: '2024-05-11', until_on: null },
    ];
    const credits = [
      { k: 'A', d: '2024-05-05', c: { orders: 1, sales_fen: 100 } },
      { k: 'A', d: '2024-05-11', c: { orders: 2, sales_fen: 700 } },
    ];
    const input = { roster, counts: countsByStaff(credits), range: may, periods, shares: sharesByTeam(credits, periods) };
    const rows = teamRows(input);
    expect(rows.map((r) => [r.team, r.orders, r.sales_amount, r.avg_headcount, r.active_reps, r.regularisation_rate])).toEqual([
      ['T', 1, 100, Math.round((10 / 31) * 100) / 100, 1, 0],
      ['U', 2, 700, Math.round((21 / 31) * 100) / 100, 1, 31 / 21],
    ]);
    // one row per person, with the team at the end of the range
    expect(staffRows(input).map((r) => [r.staff_id, r.team, r.orders])).toEqual([['A', 'U', 3]]);
    expect(teamTotal(input)).toMatchObject({ orders: 3, avg_headcount: 1, active_reps: 1 });
  });

  it('behind target: on-time rate under 90%, overdue tasks, falling sales', () => {
    expect(behindTarget('on_time_rate', 0.89)).toBe(true);
    expect(behindTarget('on_time_rate', 0.9)).toBe(false);
    expect(behindTarget('on_time_rate', null)).toBe(false);
    expect(behindTarget('overdue_open', 1)).toBe(true);
    expect(behindTarget('overdue_open', 0)).toBe(false);
    expect(behindTarget('sales_growth', -0.01)).toBe(true);
    expect(behindTarget('sales_amount', -1)).toBe(false);
  });

  it('customer classes: A from class_a_min, B from class_b_min, else C', () => {
    const th = { a_min_fen: 1_000_000, b_min_fen: 100_000 };
    expect([1_000_000, 999_999, 100_000, 99_999, 0].map((f) => classOf(f, th))).toEqual(['A', 'B', 'B', 'C', 'C']);
    expect(classRow({ team: 'T' }, { customers: 10, class_a: 2, class_b: 3 })).toEqual({ team: 'T', customers: 10, class_a: 2, class_b: 3, class_c: 5, class_a_rate: 0.2 });
    expect(classRow({ team: 'T' }, { customers: 0, class_a: 0, class_b: 0 }).class_a_rate).toBeNull();
  });
});

describe('the report of May 2024 (hand-computed)', () => {
  const roster: Member[] = [
    { staff_id: 'R1', name: '刘芳', role: 'rep', team: 'T1', hired_on: '2021-03-01', regular_on: '2021-06-01', left_on: null },
    // joined mid-period: 16 days of May
    { staff_id: 'R2', name: '杨洋', role: 'rep', team: 'T1', hired_on: '2024-05-16', regular_on: '2024-08-16', left_on: null },
    // a leaver: on the roster May 1–10
    { staff_id: 'R3', name: '赵敏', role: 'rep', team: 'T2', hired_on: '2023-01-01', regular_on: '2023-04-01', left_on: '2024-05-11' },
    { staff_id: 'R4', name: '钱多', role: 'rep', team: 'T2', hired_on: '2022-01-01', regular_on: '2024-05-20', left_on: null },
    { staff_id: 'S1', name: '王志强', role: 'supervisor', team: 'T1', hired_on: '2019-02-15', regular_on: null, left_on: null },
    { staff_id: 'R9', name: '旧人', role: 'rep', team: 'T2', hired_on: '2019-01-01', regular_on: null, left_on: '2023-01-01' },
  ];
  const counts = new Map<string | null, Counts>([
    ['R1', c({ new_customers: 3, files_opened: 4, buyers: 1, orders: 2, sales_fen: 300000, prev_sales_fen: 200000, followups_due: 10, followups_on_time: 9, overdue_open: 1, travel_cost_fen: 15000 })],
    ['R2', c({ new_customers: 1 })],
    ['R3', c({ orders: 1, sales_fen: 50000, followups_due: 2, followups_on_time: 2 })],
    [null, c({ orders: 1, sales_fen: 10000, files_opened: 1 })],
  ]);
  const input: KpiInput = { roster, counts, range: { from: '2024-05-01', to: '2024-05-31' } };

  it('by staff: reps on the roster in May (the joiner and the leaver too), then what is credited to no one', () => {
    const rows = staffRows(input);
    expect(rows.map((r) => r.staff_id)).toEqual(['R1', 'R2', 'R3', 'R4', null]);
    expect(rows[0]).toMatchObject({ team: 'T1', conversion_rate: 0.25, sales_growth: 0.5, on_time_rate: 0.9, cost_per_order: 7500 });
    expect(rows[1]).toMatchObject({ new_customers: 1, conversion_rate: null, sales_growth: null, on_time_rate: null, cost_per_order: null });
    expect(rows[2]).toMatchObject({ orders: 1, sales_amount: 50000, sales_growth: null, on_time_rate: 1, cost_per_order: 0 });
    expect(rows[3]).toMatchObject({ orders: 0, sales_amount: 0, conversion_rate: null });
    expect(rows[4]).toMatchObject({ staff_id: null, team: null, orders: 1, sales_amount: 10000, files_opened: 1, buyers: 0, conversion_rate: 0 });
  });

  it('a non-rep with something counted is listed; one with nothing is not', () => {
    const withS1 = { ...input, counts: new Map([...counts, ['S1', c({ orders: 1, sales_fen: 1 })]]) };
    expect(staffRows(withS1).map((r) => r.staff_id)).toContain('S1');
    expect(staffRows(input).map((r) => r.staff_id)).not.toContain('S1');
  });

  it('the total adds everything, what is credited to no one included', () => {
    expect(staffTotal(input)).toMatchObject({
      new_customers: 4,
      files_opened: 5,
      buyers: 1,
      conversion_rate: 0.2,
      orders: 4,
      sales_amount: 360000,
      sales_growth: 0.8,
      followups_due: 12,
      followups_on_time: 11,
      on_time_rate: 11 / 12,
      overdue_open: 1,
      travel_cost: 15000,
      cost_per_order: 3750,
    });
  });

  it('by team: headcount of reps, reps with an order, regularisation and attrition', () => {
    const rows = teamRows(input);
    expect(rows.map((r) => r.team)).toEqual(['T1', 'T2', null]);
    const [t1, t2, none] = rows;
    // T1: R1 31 days + R2 16 days; S1 is not a rep
    expect(t1).toMatchObject({ orders: 2, sales_amount: 300000, avg_headcount: 1.52, active_reps: 1, per_capita_productivity: 300000, regularisation_rate: 0, attrition_rate: 0 });
    expect(t1.activity_rate).toBeCloseTo(31 / 47, 10);
    // T2: R3 10 days + R4 31 days; R3 left in May, R4 was made regular in May; R9 left before
    expect(t2).toMatchObject({ orders: 1, sales_amount: 50000, avg_headcount: 1.32, active_reps: 1, per_capita_productivity: 50000 });
    expect(t2.attrition_rate).toBeCloseTo(31 / 41, 10);
    expect(t2.regularisation_rate).toBeCloseTo(31 / 41, 10);
    // credited to no one: no headcount, so no team ratio
    expect(none).toMatchObject({ orders: 1, sales_amount: 10000, avg_headcount: 0, active_reps: 0, activity_rate: null, per_capita_productivity: null, attrition_rate: null });
    const total = teamTotal(input);
    expect(total).toMatchObject({ orders: 4, sales_amount: 360000, avg_headcount: 2.84, active_reps: 2, per_capita_productivity: 180000 });
    expect(total.activity_rate).toBeCloseTo(2 / (88 / 31), 10);
    expect(total.attrition_rate).toBeCloseTo(31 / 88, 10);
  });

  it('an empty period: no rows, zero totals, every ratio null', () => {
    const empty: KpiInput = { roster, counts: new Map(), range: null };
    expect(staffRows(empty)).toEqual([]);
    expect(teamRows(empty)).toEqual([]);
    expect(staffTotal(empty)).toMatchObject({ orders: 0, conversion_rate: null, sales_growth: null, on_time_rate: null, cost_per_order: null });
    expect(teamTotal(empty)).toMatchObject({ avg_headcount: null, active_reps: 0, activity_rate: null, attrition_rate: null });
  });

  it('a quiet month: reps listed with zeros, ratios null', () => {
    const quiet: KpiInput = { roster, counts: new Map(), range: { from: '2024-06-01', to: '2024-06-30' } };
    const rows = staffRows(quiet);
    expect(rows.map((r) => r.staff_id)).toEqual(['R1', 'R2', 'R4']);
    expect(rows.every((r) => r.orders === 0 && r.conversion_rate === null && r.on_time_rate === null && r.sales_growth === null)).toBe(true);
    expect(teamRows(quiet).map((r) => [r.team, r.active_reps, r.activity_rate])).toEqual([
      ['T1', 0, 0],
      ['T2', 0, 0],
    ]);
  });
});

describe('aggregate SQL', () => {
  let dir: string;
  let db: DB;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-kpi-'));
    db = openDb(path.join(dir, 'k.db'), { create: true });
    db.exec(`
      INSERT INTO staff (staff_id, name, role, team, hired_on) VALUES ('R1','甲','rep','T1','2020-01-01'), ('R2','乙','rep','T2','2020-01-01'), ('D1','医','doctor',NULL,'2020-01-01');
      INSERT INTO customers (customer_id, name, phone, collector_id, collected_on, owner_id) VALUES
        (1,'a','13800000001','R1','2024-05-02','R1'), (2,'b','13800000002','R1','2024-04-30','R1'),
        (3,'c','13800000003','R2','2024-05-31','R2'), (4,'d','13800000004','R2','2024-06-01',NULL);
      INSERT INTO files (customer_id, opened_on, buyer, bought_on) VALUES
        (1,'2024-05-03',1,'2024-05-03'), (2,'2024-05-10',1,'2024-08-01'), (3,'2024-06-01',0,NULL), (4,'2024-05-20',0,NULL);
      INSERT INTO orders (order_no, customer_id, order_date, amount_fen, staff_id) VALUES
        ('o1',1,'2024-05-03',100000,'R1'), ('o2',1,'2024-05-31',50000,'R1'), ('o3',3,'2024-04-15',80000,'R2'),
        ('o4',4,'2024-05-05',1000,NULL), ('o5',2,'2024-04-30',20000,'R1'), ('o6',2,'2023-08-01',900000,'R1');
      INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, status, done_on) VALUES
        (1,'rep',1,'buyer','2024-05-06','R1','done','2024-05-05'),
        (1,'rep',2,'buyer','2024-05-20','R1','done','2024-05-22'),
        (2,'rep',1,'buyer','2024-05-13','R1','open',NULL),
        (2,'rep',2,'buyer','2024-05-25','R1','cancelled',NULL),
        (1,'doctor',1,'buyer','2024-05-18','D1','done','2024-05-18'),
        (2,'rep',3,'buyer','2024-05-15','R1','done','2024-05-16'),
        (3,'rep',1,'non_buyer','2024-05-15','R2','done','2024-05-15'),
        (3,'rep',2,'non_buyer','2024-05-15',NULL,'open',NULL),
        (1,'rep',3,'buyer','2024-04-30','R1','open',NULL);
    `);
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts May up to as-of 2024-05-15: decided tasks, buyers as of as-of, sales of the comparison range', () => {
    const counts = countsByStaff(kpiCredits(db, { from: '2024-05-01', to: '2024-05-15' }, { from: '2024-04-01', to: '2024-04-15' }, '2024-05-15'));
    expect(counts.get('R1')).toEqual(
      c({
        new_customers: 1, // customer 2 was collected in April
        files_opened: 2,
        buyers: 1, // customer 2 bought after as-of
        orders: 1,
        sales_fen: 100000,
        prev_sales_fen: 0, // o5 is on April 30, after the comparison range
        // task 1 on time, task 3 open and overdue; task 6 is due today and done after as-of: not decided yet
        followups_due: 2,
        followups_on_time: 1,
        overdue_open: 1,
      }),
    );
    // due today and done today: due and on time
    expect(counts.get('R2')).toEqual(c({ followups_due: 1, followups_on_time: 1, prev_sales_fen: 80000 }));
    // the uncredited order; the unassigned customer's file opens after as-of, the task with no staff due today is not decided yet
    expect(counts.get(null)).toEqual(c({ orders: 1, sales_fen: 1000 }));
    expect(counts.has('D1')).toBe(false);
  });

  it('counts the whole of May on as-of 2024-07-31', () => {
    const counts = countsByStaff(kpiCredits(db, { from: '2024-05-01', to: '2024-05-31' }, { from: '2024-04-01', to: '2024-04-30' }, '2024-07-31'));
    expect(counts.get('R1')).toEqual(
      c({ new_customers: 1, files_opened: 2, buyers: 1, orders: 2, sales_fen: 150000, prev_sales_fen: 20000, followups_due: 4, followups_on_time: 1, overdue_open: 1 }),
    );
    expect(counts.get('R2')).toEqual(c({ new_customers: 1, followups_due: 1, followups_on_time: 1, prev_sales_fen: 80000 }));
    expect(counts.get('D1')).toEqual(c({ followups_due: 1, followups_on_time: 1 }));
    expect(counts.get(null)).toEqual(c({ files_opened: 1, orders: 1, sales_fen: 1000, followups_due: 1, overdue_open: 1 }));
  });

  it('customer classes by 12-month purchases, per owner', () => {
    const m = classCounts(db, { from: '2023-08-01', to: '2024-07-31' }, { a_min_fen: 1_000_000, b_min_fen: 100_000 });
    // R1: customer 1 bought 1,500 (B), customer 2 bought 9,200 (B); R2: customer 3 800 (C); unassigned: customer 4 (C)
    expect(m.get('R1')).toEqual({ customers: 2, class_a: 0, class_b: 2 });
    expect(m.get('R2')).toEqual({ customers: 1, class_a: 0, class_b: 0 });
    expect(m.get(null)).toEqual({ customers: 1, class_a: 0, class_b: 0 });
    const wider = classCounts(db, { from: '2023-08-01', to: '2024-07-31' }, { a_min_fen: 900_000, b_min_fen: 100_000 });
    expect(wider.get('R1')).toEqual({ customers: 2, class_a: 1, class_b: 1 });
  });

  it('an archived customer leaves the classes', () => {
    db.exec("UPDATE customers SET archived_on = '2024-07-01', archive_reason = '搬迁' WHERE customer_id = 2");
    try {
      const m = classCounts(db, { from: '2023-08-01', to: '2024-07-31' }, { a_min_fen: 900_000, b_min_fen: 100_000 });
      expect(m.get('R1')).toEqual({ customers: 1, class_a: 0, class_b: 1 });
    } finally {
      db.exec('UPDATE customers SET archived_on = NULL, archive_reason = NULL WHERE customer_id = 2');
    }
  });

  it.each(Object.entries(CLASS_SQL))('classes: %s reads tables only through indexes', (_name, sql) => {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(sql.includes('@') ? { from: '2023-08-01', to: '2024-07-31', a: 1, b: 1 } : {}) as { detail: string }[]).map((r) => r.detail);
    expect(plan.filter((d) => /^SCAN (?!p$|t$|s\b)\w+$/.test(d)), plan.join('\n')).toEqual([]);
  });

  it.each(Object.entries(KPI_SQL))('%s reads an index, never a whole table', (_name, sql) => {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ from: '2024-05-01', to: '2024-05-31', asOf: '2024-07-31', state: '2024-05-31', rfrom: '2024-05-01', rto: '2024-05-31' }) as { detail: string }[]).map((r) => r.detail);
    const scans = plan.filter((d) => /^SCAN (?!s\b)/.test(d) && !/USING (COVERING )?INDEX/.test(d));
    expect(scans, plan.join('\n')).toEqual([]);
    expect(plan.some((d) => /USING (COVERING )?INDEX \w+ \((\w+=\? AND )?\w+>\? AND \w+<\?\)/.test(d)), plan.join('\n')).toBe(true);
    // orders and tasks (the millions) are read in staff order: no sort of a month's rows
    if (/orders|tasks/.test(_name)) expect(plan.filter((d) => /TEMP B-TREE/.test(d)), plan.join('\n')).toEqual([]);
  });
});

describe('the KPI table (the output pipeline\'s table sink)', async () => {
  const { renderText } = await import('../../src/io/output/emit.js');
  const { tableText, percentText } = await import('../../src/io/output/cell.js');
  const { KPI_STAFF_COLUMNS, KPI_TEAM_COLUMNS } = await import('../../src/app/kpi.js');
  const { displayWidth } = await import('../../src/io/width.js');
  const cols = [
    { key: 'staff_id', header: { zh: '工号', en: 'Staff' } },
    { key: 'name', header: { zh: '姓名', en: 'Name' } },
    { key: 'sales_amount', header: { zh: '销售额', en: 'Sales' }, kind: 'money' as const },
    { key: 'on_time_rate', header: { zh: '按时率', en: 'On-time\nrate' }, kind: 'rate' as const },
    { key: 'overdue_open', header: { zh: '逾期', en: 'Overdue' }, kind: 'int' as const },
  ];
  const rows = [
    { staff_id: 'R1', name: '刘芳', sales_amount: 123456789, on_time_rate: 0.95, overdue_open: 0 },
    { staff_id: 'R22', name: 'Bob', sales_amount: 5000, on_time_rate: 0.5, overdue_open: 3 },
    { staff_id: 'R3', name: '欧阳娜娜', sales_amount: 0, on_time_rate: null, overdue_open: 0 },
  ];
  const total = { staff_id: '合计', name: '', sales_amount: 123461789, on_time_rate: 0.6, overdue_open: 3 };
  // what cli/kpi.ts hands to print(): the totals row last, red for what is behind target
  const table = (lang: 'zh' | 'en', color: boolean) =>
    renderText([...rows, total], cols, {
      format: 'table',
      lang,
      color,
      limit: 0,
      totals: true,
      style: (text, key, value, paint) => (behindTarget(key, value) ? paint.red(text) : text),
    });

  it('formats cells: thousands separators, yuan with 2 decimals, rates as % rounded half up, — for no value', () => {
    const cell = (v: unknown, kind: 'int' | 'money' | 'rate' | 'text' | 'number', decimals?: number) => tableText(v, { key: 'x', kind, decimals }, 'en');
    expect(cell(1234567, 'int')).toBe('1,234,567');
    expect(cell(123456789, 'money')).toBe('1,234,567.89');
    expect(cell(-5, 'money')).toBe('-0.05');
    expect(cell(0.2345, 'rate')).toBe('23.5%');
    expect(cell(-0.2345, 'rate')).toBe('-23.5%');
    expect(cell(20.2345, 'rate')).toBe('2,023.5%');
    expect(cell(null, 'rate')).toBe('—');
    expect(cell(null, 'text')).toBe('');
    expect(cell(2.6451, 'number', 1)).toBe('2.6');
    expect(percentText(1 / 3)).toBe('33.3%');
  });

  it('the average headcount of a team shows one decimal', () => {
    const hc = KPI_TEAM_COLUMNS.find((c) => c.key === 'avg_headcount')!;
    expect(tableText(3, hc, 'en')).toBe('3.0');
    expect(tableText(2.6451, hc, 'zh')).toBe('2.6');
  });

  it('aligns CJK text by display width, numbers to the right, two-line headers, the total under a rule', () => {
    const out = table('en', false);
    const lines = out.trimEnd().split('\n');
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
    expect(lines[1]).toMatch(/│ Staff │ Name\s+│\s+Sales │ On-time │ Overdue │/);
    expect(lines[2]).toMatch(/│\s+│\s+│\s+│\s+rate │\s+│/);
    expect(lines[4]).toMatch(/│ R1\s+│ 刘芳\s+│ 1,234,567.89 │\s+95.0% │\s+0 │/);
    expect(lines[6]).toMatch(/│ R3\s+│ 欧阳娜娜 │\s+0.00 │\s+— │\s+0 │/);
    expect(lines[7]).toMatch(/^├/);
    expect(lines[8]).toMatch(/│ 合计\s+│/);
    expect(out).not.toContain('\x1b[');
  });

  it('on a terminal: red for what is behind target (on-time under 90%, overdue), the total bold', () => {
    const lines = table('zh', true).split('\n');
    const r22 = lines.find((l) => l.includes('R22'))!;
    expect(r22).toMatch(/\x1b\[31m\s*50\.0%\x1b\[39m/);
    expect(r22).toMatch(/\x1b\[31m\s*3\x1b\[39m/);
    const r1 = lines.find((l) => l.includes('R1 '))!;
    expect(r1).not.toContain('\x1b[31m');
    expect(lines.find((l) => l.includes('合计'))).toContain('\x1b[1m');
    expect(lines[1]).toContain('\x1b[36m');
  });

  it('the staff columns are the §4 fields in order, the staff name beside the id (issue 15)', () => {
    expect(KPI_STAFF_COLUMNS.map((c) => c.key)).toEqual([
      'staff_id', 'staff_name', 'team', 'new_customers', 'files_opened', 'buyers', 'conversion_rate', 'orders', 'sales_amount', 'sales_growth',
      'followups_due', 'followups_on_time', 'on_time_rate', 'overdue_open', 'travel_cost', 'cost_per_order',
    ]);
  });
});
