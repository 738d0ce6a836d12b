/**
 * History-true reports (issue 18), through the binary, each step with the --as-of of its day
 * as a clerk would run it. Hand-computed:
 *
 * Roster: R1 刘芳, R2 杨洋 (team 一部, 浦江县 330726), R3 赵敏 (二部, 杭州 330106), D1 (医务), G1.
 * 04-20  R1 collects C1 王一, C2 王二, C3 王三 (浦江).           04-30  assign: all three to R1 (collector).
 * 05-02  C1 attends (no purchase): non-buyer plan, rep due 05-05, 05-17.
 *        C2 attends and buys ¥1,000 (an event order, R1's): buyer plan, rep 05-05, 06-01, 07-01;
 *        doctor (D1) 05-17, 06-01, 07-01.
 * 05-04  R1 calls C1: rep task 1 done on time.
 * 05-15  R1 leaves: C1–C3 go to R2 (the only rep in 浦江), with their open rep tasks; C2's rep
 *        task due 05-05, already overdue, moves too — it lapsed with R1.
 * 05-20  C3 attends: non-buyer plan from 05-20 (rep 05-23, 06-04), R2's from the start.
 * 05-25  the roster re-import moves R2 to 二部 (一部 until 05-24).
 * 05-28  C2 orders ¥500 (SO-2, no staff given: R2, the owner that day — in 二部).
 * 06-02  R2 calls C3, late (due 05-23); 06-03 again, on time (due 06-04).
 * 06-10  C1 buys ¥2,000 (SO-3): a late purchase — its open non-buyer task (due 05-17) is
 *        cancelled that day, a buyer plan starts from 06-10.
 *
 * KPIs of May (as-of 06-30, a closed month: the state at the end of 05-31):
 *   R1: files C1, C2 (opened under R1) = 2; buyer C2 (bought 05-02) = 1 (C1 bought after May);
 *       conversion 0.5; event order ¥1,000; tasks due: C1 rep1 (on time), C2 rep1 (held by
 *       R1 on its deadline, overdue) → due 2, on time 1, overdue 1, rate 0.5.
 *   R2: file C3 = 1, no buyer, conversion 0; SO-2 ¥500; tasks: C1 rep2 (moved to R2 before its
 *       deadline; still open on 05-31, cancelled only 06-10), C3 rep1 (done 06-02, after May)
 *       → due 2, on time 0, overdue 2.
 *   D1: C2 doctor1 due 05-17, open → due 1, overdue 1.
 *   By team: 一部 has R1's all, and R2's before 05-25 (C3's file, C1 rep2, C3 rep1); 二部 has
 *   R2's SO-2. Headcount 一部: R1 05-01…05-14 (14 days) + R2 05-01…05-24 (24) = 38/31 = 1.23;
 *   二部: R3 31 days + R2 05-25…05-31 (7) = 38/31 = 1.23. Active reps: 一部 R1, 二部 R2.
 *   Attrition 一部: R1 → 1 / (38/31).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { sandbox, TEST_ENGINE, type Sandbox } from './harness.js';
import { assignPolicyOn, readReps } from '../../src/store/assignments.js';
import type { DB } from '../../src/store/db.js';

const STAFF = `staff_id,name,role,team,district,hired_on
G1,周建国,gm,总部,330702,2015-03-01
R1,刘芳,rep,一部,330726,2023-01-01
R2,杨洋,rep,一部,330726,2023-01-01
R3,赵敏,rep,二部,330106,2023-01-01
D1,张医生,doctor,医务,330726,2020-01-01
`;

let s: Sandbox;
const ids: Record<string, number> = {};

async function step(asOf: string, args: string[], sb: Sandbox = s): Promise<string> {
  const r = await sb.run(args, { asOf });
  if (r.code !== 0) throw new Error(`${args.join(' ')} (as-of ${asOf}) exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

async function json(asOf: string, args: string[], sb: Sandbox = s): Promise<Record<string, unknown>[]> {
  return JSON.parse(await step(asOf, ['--format', 'json', ...args], sb)) as Record<string, unknown>[];
}

/**
 * The store's own connection to a sandbox's database, for a store function read directly: on
 * a server the built one (dist/: the bridge's worker is a file there, as in pgSandbox.ts).
 */
async function storeDb(sb: Sandbox): Promise<DB> {
  if (TEST_ENGINE === 'sqlite') return new Database(sb.db, { readonly: true });
  const { openDb } = (await import(new URL('../../dist/store/db.js', import.meta.url).href)) as typeof import('../../src/store/db.js');
  return openDb(sb.db);
}

/** The story above, day by day, into `sb`. */
async function record(sb: Sandbox): Promise<void> {
  await step('2024-04-01', ['init'], sb);
  await step('2024-04-01', ['staff', 'import', sb.file('staff.csv', STAFF)], sb);
  await step('2024-04-20', ['survey', 'import', sb.file('s.csv', 'name,phone,district,collector,collected_on\n王一,13900000001,330726,R1,2024-04-20\n王二,13900000002,330726,R1,2024-04-20\n王三,13900000003,330726,R1,2024-04-20\n')], sb);
  for (const c of await json('2024-04-20', ['customers', 'list'], sb)) ids[c.name as string] = c.customer_id as number;
  await step('2024-04-30', ['assign'], sb);
  await step('2024-05-02', ['events', 'import', sb.file('e1.csv', 'phone,event_date,event,purchased,amount\n13900000001,2024-05-02,5月联谊会,否,\n13900000002,2024-05-02,5月联谊会,是,1000\n')], sb);
  await step('2024-05-04', ['followups', 'done', '13900000001', '--role', 'rep', '--method', 'phone', '--note', '询问近况', '--on', '2024-05-04'], sb);
  await step('2024-05-15', ['staff', 'leave', 'R1', '--on', '2024-05-15'], sb);
  await step('2024-05-20', ['events', 'import', sb.file('e2.csv', 'phone,event_date,event,purchased\n13900000003,2024-05-20,健康讲座,否\n')], sb);
  await step('2024-05-25', ['staff', 'import', sb.file('moved.csv', 'staff_id,name,role,team,district,hired_on\nR2,杨洋,rep,二部,330726,2023-01-01\n')], sb);
  await step('2024-05-28', ['orders', 'import', sb.file('o1.csv', 'order_no,customer,order_date,amount,staff,product\nSO-2,13900000002,2024-05-28,500,,营养粉\n')], sb);
  await step('2024-06-02', ['followups', 'done', '13900000003', '--role', 'rep', '--method', 'visit', '--note', '上门回访', '--on', '2024-06-02'], sb);
  await step('2024-06-03', ['followups', 'done', '13900000003', '--role', 'rep', '--method', 'phone', '--note', '电话回访', '--on', '2024-06-03'], sb);
  await step('2024-06-10', ['orders', 'import', sb.file('o2.csv', 'order_no,customer,order_date,amount,staff,product\nSO-3,13900000001,2024-06-10,2000,,护膝\n')], sb);
}

beforeAll(async () => {
  s = sandbox();
  await record(s);
});
afterAll(() => s?.cleanup());

const pick = (rows: Record<string, unknown>[], key: string, fields: string[]) =>
  Object.fromEntries(rows.map((r) => [String(r[key]), Object.fromEntries(fields.map((f) => [f, r[f]]))]));

describe('a handover in the middle of May, a team change and a late purchase (issue 18, hand-computed)', () => {
  it('KPIs of May by rep: each file, buyer, order and task to whoever had it that day', async () => {
    const rows = await json('2024-06-30', ['kpi', '--period', '2024-05']);
    const fields = ['team', 'files_opened', 'buyers', 'conversion_rate', 'orders', 'sales_amount', 'followups_due', 'followups_on_time', 'on_time_rate', 'overdue_open'];
    expect(pick(rows, 'staff_id', fields)).toEqual({
      R1: { team: '一部', files_opened: 2, buyers: 1, conversion_rate: 0.5, orders: 1, sales_amount: 1000, followups_due: 2, followups_on_time: 1, on_time_rate: 0.5, overdue_open: 1 },
      // the team R2 was in at the end of May
      R2: { team: '二部', files_opened: 1, buyers: 0, conversion_rate: 0, orders: 1, sales_amount: 500, followups_due: 2, followups_on_time: 0, on_time_rate: 0, overdue_open: 2 },
      R3: { team: '二部', files_opened: 0, buyers: 0, conversion_rate: null, orders: 0, sales_amount: 0, followups_due: 0, followups_on_time: 0, on_time_rate: null, overdue_open: 0 },
      D1: { team: '医务', files_opened: 0, buyers: 0, conversion_rate: null, orders: 0, sales_amount: 0, followups_due: 1, followups_on_time: 0, on_time_rate: 0, overdue_open: 1 },
      TOTAL: { team: null, files_opened: 3, buyers: 1, conversion_rate: 0.3333, orders: 2, sales_amount: 1500, followups_due: 5, followups_on_time: 1, on_time_rate: 0.2, overdue_open: 4 },
    });
  });

  it('KPIs of May by team: each credit to the team its rep was in that day; headcount day by day', async () => {
    const rows = await json('2024-06-30', ['kpi', '--period', '2024-05', '--by', 'team']);
    const fields = ['files_opened', 'buyers', 'orders', 'sales_amount', 'followups_due', 'overdue_open', 'avg_headcount', 'active_reps', 'activity_rate', 'attrition_rate'];
    const hc = 38 / 31;
    const r4 = (x: number) => Math.round(x * 10000) / 10000;
    expect(pick(rows, 'team', fields)).toEqual({
      一部: { files_opened: 3, buyers: 1, orders: 1, sales_amount: 1000, followups_due: 4, overdue_open: 3, avg_headcount: 1.23, active_reps: 1, activity_rate: r4(1 / hc), attrition_rate: r4(1 / hc) },
      二部: { files_opened: 0, buyers: 0, orders: 1, sales_amount: 500, followups_due: 0, overdue_open: 0, avg_headcount: 1.23, active_reps: 1, activity_rate: r4(1 / hc), attrition_rate: 0 },
      医务: { files_opened: 0, buyers: 0, orders: 0, sales_amount: 0, followups_due: 1, overdue_open: 1, avg_headcount: 0, active_reps: 0, activity_rate: null, attrition_rate: null },
      TOTAL: { files_opened: 3, buyers: 1, orders: 2, sales_amount: 1500, followups_due: 5, overdue_open: 4, avg_headcount: 2.45, active_reps: 2, activity_rate: r4(2 / (76 / 31)), attrition_rate: r4(1 / (76 / 31)) },
    });
  });

  const brief = (rows: Record<string, unknown>[]) =>
    rows.map((r) => `${r.due_by} ${(Object.entries(ids).find(([, id]) => id === r.customer_id) ?? ['?'])[0]} ${r.role}${r.seq} ${r.staff_id ?? '-'}${r.overdue ? ' overdue' : ''}`);

  it.each<[string, string[], string[]]>([
    // 05-10: C2's first rep task is already overdue, with R1; C1's second still R1's
    ['2024-05-10', [], ['2024-05-05 王二 rep1 R1 overdue', '2024-05-17 王一 rep2 R1', '2024-05-17 王二 doctor1 D1']],
    // 05-20: after the handover, R2 holds them; C3's plan started that day
    ['2024-05-20', [], ['2024-05-05 王二 rep1 R2 overdue', '2024-05-17 王一 rep2 R2 overdue', '2024-05-17 王二 doctor1 D1 overdue', '2024-05-23 王三 rep1 R2']],
    // 06-05: C3's tasks were done 06-02 and 06-03; C1's second is still open (cancelled only on 06-10);
    // C1's buyer plan (06-10) is not there yet
    [
      '2024-06-05',
      [],
      [
        '2024-05-05 王二 rep1 R2 overdue',
        '2024-05-17 王一 rep2 R2 overdue',
        '2024-05-17 王二 doctor1 D1 overdue',
        '2024-06-01 王二 rep2 R2 overdue',
        '2024-06-01 王二 doctor2 D1 overdue',
      ],
    ],
    // one rep on a past day: what R1 held on 05-10, though R2 holds it now
    ['2024-05-10', ['--staff', 'R1'], ['2024-05-05 王二 rep1 R1 overdue', '2024-05-17 王一 rep2 R1']],
    ['2024-05-10', ['--staff', 'R2'], []],
    ['2024-05-20', ['--staff', 'R2', '--within', '0'], ['2024-05-05 王二 rep1 R2 overdue', '2024-05-17 王一 rep2 R2 overdue']],
  ])('the due list as of %s %j is what was open that day, with its holder of that day', async (asOf, args, expected) => {
    expect(brief(await json(asOf, ['followups', 'due', ...args]))).toEqual(expected);
  });

  it('the tasks a rep did not hold on their deadline are not theirs: in a range of KPIs, and in the on-time rate assign ranks by (§3.1 rule 4)', async () => {
    // C2's rep task due 05-05 lapsed with R1: R2, who got it overdue, is not charged with it
    const rows = await json('2024-06-30', ['kpi', '--from', '2024-05-01', '--to', '2024-05-10']);
    expect(pick(rows, 'staff_id', ['followups_due', 'overdue_open'])).toMatchObject({ R1: { followups_due: 2, overdue_open: 1 }, R2: { followups_due: 0, overdue_open: 0 } });
    // R2's rep tasks due in the 90 days to 06-30 that R2 held then: C3's two (late, on time),
    // C2's second (due 06-01) and C1's first buyer task (06-13), both open = 1/4 — not 1/5 with
    // C2's first, which R1 let lapse
    const db = await storeDb(s);
    try {
      const reps = readReps(db, '2024-06-30', assignPolicyOn(db, '2024-06-30'));
      expect(reps.find((r) => r.staff_id === 'R2')?.on_time_rate).toBeCloseTo(1 / 4, 10);
    } finally {
      db.close();
    }
  });

  it('the tasks keep their dates: created, done, cancelled (why), moved (from whom, why)', async () => {
    const tasks = s.query(
      `SELECT c.name, t.role, t.seq, t.plan, t.created_on, t.status, t.done_on, t.cancelled_on, t.cancel_reason, t.moved_on, t.staff_id
         FROM tasks t JOIN customers c USING (customer_id) WHERE c.name = '王一' AND t.plan = 'non_buyer' ORDER BY t.role, t.seq`,
    );
    expect(tasks).toEqual([
      { name: '王一', role: 'rep', seq: 1, plan: 'non_buyer', created_on: '2024-05-02', status: 'done', done_on: '2024-05-04', cancelled_on: null, cancel_reason: null, moved_on: null, staff_id: 'R1' },
      { name: '王一', role: 'rep', seq: 2, plan: 'non_buyer', created_on: '2024-05-02', status: 'cancelled', done_on: null, cancelled_on: '2024-06-10', cancel_reason: 'purchase', moved_on: '2024-05-15', staff_id: 'R2' },
    ]);
    expect(s.query("SELECT m.moved_on, m.from_staff_id, m.to_staff_id, m.reason FROM task_moves m JOIN tasks t USING (task_id) WHERE t.customer_id = ? ORDER BY m.move_id", ids['王二'])).toEqual([
      // the rep tasks open on 05-15 (the doctor's stay with D1)
      { moved_on: '2024-05-15', from_staff_id: 'R1', to_staff_id: 'R2', reason: 'handover' },
      { moved_on: '2024-05-15', from_staff_id: 'R1', to_staff_id: 'R2', reason: 'handover' },
      { moved_on: '2024-05-15', from_staff_id: 'R1', to_staff_id: 'R2', reason: 'handover' },
    ]);
    expect(s.query("SELECT team, role, until_on FROM staff_history WHERE staff_id = 'R2'")).toEqual([{ team: '一部', role: 'rep', until_on: '2024-05-25' }]);
    expect(s.query("SELECT order_no, staff_id FROM orders ORDER BY order_date")).toEqual([
      { order_no: expect.stringMatching(/^EV-/), staff_id: 'R1' },
      { order_no: 'SO-2', staff_id: 'R2' },
      { order_no: 'SO-3', staff_id: 'R2' },
    ]);
  });
});

/**
 * §3.5 as issue 18 asks: the KPIs of a closed period are those of the time. Whatever is added
 * later — follow-ups done, purchases, leaves and handovers, team changes, new attendances, all
 * dated after May — May's figures (by rep and by team, with the same --as-of) stay as they were.
 */
describe('a closed month does not change with what is dated after it (property)', () => {
  const AS_OF = '2024-09-30';
  const phones = ['13900000001', '13900000002', '13900000003'];
  const day = fc.integer({ min: 1, max: 120 }).map((n) => {
    const d = new Date(Date.UTC(2024, 5, 1) + (n - 1) * 86_400_000); // 06-01 … 09-28
    return d.toISOString().slice(0, 10);
  });
  type Later = { on: string; args: (s: Sandbox, i: number) => string[] };
  const later: fc.Arbitrary<Later> = fc.oneof(
    fc.record({ on: day, who: fc.constantFrom(...phones), role: fc.constantFrom('rep', 'doctor'), method: fc.constantFrom('phone', 'visit') }).map((x) => ({
      on: x.on,
      args: () => ['followups', 'done', x.who, '--role', x.role, '--method', x.method, '--note', '回访', '--on', x.on],
    })),
    fc.record({ on: day, who: fc.constantFrom(...phones), amount: fc.integer({ min: 1, max: 9999 }), staff: fc.constantFrom('', 'R2', 'R3') }).map((x) => ({
      on: x.on,
      args: (sb: Sandbox, i: number) => ['orders', 'import', sb.file(`later-${i}.csv`, `order_no,customer,order_date,amount,staff\nL-${i},${x.who},${x.on},${x.amount},${x.staff}\n`)],
    })),
    fc.record({ on: day, who: fc.constantFrom(...phones), bought: fc.boolean() }).map((x) => ({
      on: x.on,
      args: (sb: Sandbox, i: number) => ['events', 'import', sb.file(`ev-${i}.csv`, `phone,event_date,event,purchased,amount\n${x.who},${x.on},活动${i},${x.bought ? '是' : '否'},${x.bought ? 300 : ''}\n`)],
    })),
    fc.record({ on: day, who: fc.constantFrom('R2', 'R3') }).map((x) => ({ on: x.on, args: () => ['staff', 'leave', x.who, '--on', x.on] })),
    fc.record({ on: day, team: fc.constantFrom('一部', '三部') }).map((x) => ({
      on: x.on,
      args: (sb: Sandbox, i: number) => ['staff', 'import', sb.file(`team-${i}.csv`, `staff_id,name,role,team,district,hired_on\nR3,赵敏,rep,${x.team},330106,2023-01-01\n`)],
    })),
  );

  it('May by rep and by team, as-of 09-30, before and after any later data', async () => {
    // each run starts from the story: a copy of the file, or on a server a database made from
    // one recorded for the purpose (a template must have no connection: s has the tests')
    let base: string;
    let baseSandbox: Sandbox | null = null;
    if (TEST_ENGINE === 'postgres') {
      baseSandbox = sandbox();
      await record(baseSandbox);
      base = baseSandbox.db;
    } else {
      base = `${s.db}.base`;
      const d = new Database(s.db);
      d.pragma('wal_checkpoint(TRUNCATE)');
      d.close();
      fs.copyFileSync(s.db, base);
    }
    const may = async (sb: Sandbox) => {
      const out: string[] = [];
      for (const by of ['staff', 'team']) {
        const r = await sb.run(['--format', 'json', 'kpi', '--period', '2024-05', '--by', by], { asOf: AS_OF });
        expect(r.code, r.stderr).toBe(0);
        out.push(r.stdout);
      }
      return out;
    };
    const before = await may(s);
    await fc.assert(
      fc.asyncProperty(fc.array(later, { minLength: 1, maxLength: 6 }), async (steps) => {
        const sb = TEST_ENGINE === 'postgres' ? sandbox(undefined, { template: base }) : sandbox();
        try {
          if (TEST_ENGINE === 'sqlite') fs.copyFileSync(base, sb.db);
          // in date order, each on its own day, as a clerk would record them
          const sorted = steps.map((x, i) => ({ ...x, i })).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.i - b.i));
          for (const x of sorted) {
            const r = await sb.run(x.args(sb, x.i), { asOf: x.on });
            // a refusal (a follow-up with nothing to complete is kept; a second leave is refused) changes nothing
            expect([0, 1], r.stderr).toContain(r.code);
          }
          expect(await may(sb)).toEqual(before);
        } finally {
          sb.cleanup();
        }
      }),
      { numRuns: 15 },
    );
    baseSandbox?.cleanup();
  });
});
