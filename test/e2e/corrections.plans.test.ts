/**
 * Issue 13, corrections that reach files and plans, through the built binary, in English and
 * Chinese: a re-imported follow-up with a corrected note or date is the same contact,
 * updated in place (never a new one, never a task used up); a corrected purchase (是 → 否) or
 * order gives the file, plan and links a clean import of the corrected data gives; every
 * correction is in the change log; `check` finds a plan that disagrees with its events.
 */
import { describe, it, expect } from 'vitest';
import { withSurveys, changesOf, type Sandbox } from './harness.js';

const SURVEYS = `survey_no,name,phone,district,collector,collected_on
T1,甲一,13900000001,330726,R1,2024-04-01
T2,乙二,13900000002,330702,R2,2024-04-01
T3,丙三,13900000003,330726,R1,2024-04-01
`;

/** T1 owned by R1, T2 by R2, T3 by R1 (as assignment would set them). */
const setup = (asOf = '2024-08-10'): Promise<Sandbox> => withSurveys(SURVEYS, { T1: 'R1', T2: 'R2', T3: 'R1' }, asOf);

async function ok(s: Sandbox, args: string[], lang = 'en') {
  const r = await s.run(args, { lang });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

const id = (s: Sandbox, surveyNo: string) => s.query<{ customer_id: number }>('SELECT customer_id FROM customers WHERE survey_no = ?', surveyNo)[0].customer_id;

/** Files, tasks, follow-ups with the task each completes, and orders — without any row id. */
const state = (s: Sandbox) => ({
  files: s.query('SELECT customer_id, opened_on, buyer, bought_on, event, recorded_by FROM files ORDER BY customer_id'),
  tasks: s.query('SELECT customer_id, role, seq, plan, due_by, staff_id, status, done_on, note FROM tasks ORDER BY customer_id, role, plan, seq'),
  followups: s.query(
    `SELECT f.customer_id, f.role, f.done_on, f.method, f.staff_id, f.note, f.late, t.plan, t.seq
       FROM followups f LEFT JOIN tasks t ON t.task_id = f.task_id ORDER BY f.customer_id, f.role, f.done_on, f.note`,
  ),
  orders: s.query('SELECT order_no, customer_id, order_date, amount_fen, staff_id, product, source FROM orders ORDER BY order_no'),
});

const tasksOf = (s: Sandbox, surveyNo: string) =>
  s
    .query<{ role: string; seq: number; plan: string; due_by: string; status: string; done_on: string | null }>(
      'SELECT role, seq, plan, due_by, status, done_on FROM tasks WHERE customer_id = ? ORDER BY role DESC, plan, seq',
      id(s, surveyNo),
    )
    .map((t) => `${t.role} ${t.plan} #${t.seq} ${t.due_by} ${t.status}${t.done_on ? ' ' + t.done_on : ''}`);

/** A clean database with the given sheets imported once, in this order: its state. */
async function clean(sheets: [string, string, string][]): Promise<ReturnType<typeof state>> {
  const s = await setup();
  try {
    for (const [cmd, name, text] of sheets) await ok(s, [cmd, 'import', s.file(name, text)]);
    return state(s);
  } finally {
    s.cleanup();
  }
}

const L = {
  en: {
    summary: (n: number, u: number, c: number) => `${n} new, ${u} updated, ${c} unchanged`,
    corrected: (n: number) => `${n} recorded follow-ups corrected in place, not counted as new contacts`,
    rematched: (n: number) => `the tasks of ${n} customer(s) were matched again to the corrected follow-ups`,
    noTask: 'Follow-ups: 0 tasks completed (0 late), 0 extra contacts kept',
    replanned: '1 files and plans derived again from their events and orders',
    withdrawn: '1 withdrawn',
  },
  zh: {
    summary: (n: number, u: number, c: number) => `新增 ${n}，更新 ${u}，未变 ${c}`,
    corrected: (n: number) => `更正已登记的回访 ${n} 次：原记录就地更新，不算新的回访`,
    rematched: (n: number) => `${n} 位顾客的回访任务已按更正后的日期重新匹配`,
    noTask: '回访记录：完成任务 0 项（逾期 0 项），额外回访 0 次',
    replanned: '1 份档案和回访计划已按其活动和订单记录重新生成',
    withdrawn: '撤销 1',
  },
} as const;

// T2 bought at the event of 07-01: rep tasks due 07-04, 07-31, 08-30; doctor 07-16, 07-31, 08-30.
// T1 attended without buying: rep tasks due 07-04, 07-16.
const EVENTS = 'customer,event_date,event,purchased,amount,recorded_by\n13900000002,2024-07-01,7月联谊会,是,3980,R2\n13900000001,2024-07-01,7月联谊会,否,,R1\n';
const FOLLOWUPS = [
  '电话,回访人,回访日期,回访方式,回访员工,回访内容',
  '13900000002,满意代表,2024-07-03,电话,R2,介绍产品',
  '13900000002,满意代表,2024-07-20,电话,R2,询问使用情况',
  '13900000002,医生,2024-07-15,上门,D1,测量血压',
  '13900000001,满意代表,2024-07-04,电话,R1,询问使用情况',
];
const sheet = (lines: string[]) => lines.join('\n') + '\n';
/** the follow-up sheet with line i (1 = the first data row, sheet row 2) replaced */
const edited = (edits: Record<number, string>) => sheet(FOLLOWUPS.map((l, i) => edits[i] ?? l));

describe.each(['en', 'zh'] as const)('corrections of follow-ups (%s)', (lang) => {
  const m = L[lang];

  it('a corrected note is the same follow-up: 1 updated, no task used up, the due list unchanged, the old note in the change log', async () => {
    const s = await setup();
    try {
      await ok(s, ['events', 'import', s.file('e.csv', EVENTS)], lang);
      await ok(s, ['followups', 'import', s.file('回访记录.csv', sheet(FOLLOWUPS))], lang);
      const due = (await ok(s, ['--format', 'json', 'followups', 'due', '--within', '30'], lang)).stdout;
      const before = state(s);
      const fixedNote = '询问使用情况，顾客反馈良好';
      const r = await ok(s, ['followups', 'import', s.file('回访记录.csv', edited({ 2: `13900000002,满意代表,2024-07-20,电话,R2,${fixedNote}` }))], lang);
      expect(r.stderr).toContain(m.summary(0, 1, 3));
      expect(r.stderr).toContain(m.noTask);
      expect(r.stderr).toContain(m.corrected(1));
      expect(r.stderr).not.toContain(m.rematched(1));
      // the same rows, one note changed; the 30-day call (rep #2, due 07-31) still done by it
      const after = state(s);
      expect(after.tasks).toEqual(before.tasks);
      expect(after.followups).toEqual(before.followups.map((f) => (f.note === '询问使用情况' && f.customer_id === id(s, 'T2') ? { ...f, note: fixedNote } : f)));
      expect((await ok(s, ['--format', 'json', 'followups', 'due', '--within', '30'], lang)).stdout).toBe(due);
      const fid = s.query<{ followup_id: number }>('SELECT followup_id FROM followups WHERE note = ?', fixedNote)[0].followup_id;
      expect(changesOf(s, 'followups')).toEqual([
        { key: String(fid), field: 'note', old_value: '询问使用情况', new_value: fixedNote, command: expect.stringMatching(/followups import '?[^ ]*回访记录\.csv'?$/) },
      ]);
      // the corrected sheet again: unchanged
      const again = await ok(s, ['followups', 'import', `${s.dir}/回访记录.csv`], lang);
      expect(again.stderr).toContain(m.summary(0, 0, 4));
      // the note is not an identity: the same words on another day are another contact
      const other = await ok(s, ['followups', 'import', s.file('八月.csv', '电话,回访人,回访日期,回访方式,回访员工,回访内容\n13900000002,满意代表,2024-08-02,电话,R2,询问使用情况\n')], lang);
      expect(other.stderr).toContain(m.summary(1, 0, 0));
    } finally {
      s.cleanup();
    }
  });

  it('another sheet is never taken for a correction: a row it repeats does not make the next row overwrite the contact stored after it, nor a second call on the same day the first', async () => {
    const s = await setup();
    try {
      await ok(s, ['events', 'import', s.file('e.csv', EVENTS)], lang);
      await ok(s, ['followups', 'import', s.file('回访记录.csv', sheet(FOLLOWUPS))], lang);
      const stored = state(s).followups;
      // week2.csv repeats the first row of 回访记录.csv, then a new contact of the same customer
      const week2 = sheet([FOLLOWUPS[0], FOLLOWUPS[1], '13900000002,满意代表,2024-07-26,上门,R2,八月联谊会邀请']);
      const r = await ok(s, ['followups', 'import', s.file('week2.csv', week2)], lang);
      expect(r.stderr).toContain(m.summary(1, 0, 1));
      // a second call on 07-20 (the first is stored from 回访记录.csv): another contact
      const r2 = await ok(s, ['followups', 'import', s.file('下午.csv', sheet([FOLLOWUPS[0], '13900000002,满意代表,2024-07-20,上门,R2,下午上门送资料']))], lang);
      expect(r2.stderr).toContain(m.summary(1, 0, 0));
      const after = state(s).followups;
      for (const f of stored) expect(after).toContainEqual(f);
      expect(after).toHaveLength(stored.length + 2);
      expect(changesOf(s, 'followups')).toEqual([]);
    } finally {
      s.cleanup();
    }
  });

  it('the same contact twice in one sheet (staff blank once, the customer by phone once and by phone + name once) is one follow-up, not a crash', async () => {
    const s = await setup();
    try {
      await ok(s, ['events', 'import', s.file('e.csv', EVENTS)], lang);
      const twice = sheet([
        '电话,姓名,回访人,回访日期,回访方式,回访员工,回访内容',
        '13900000002,,满意代表,2024-07-03,电话,,介绍产品',
        '13900000002,,满意代表,2024-07-03,电话,R2,介绍产品',
        '13900000001,,满意代表,2024-07-04,电话,R1,询问使用情况',
        `13900000001,${s.query<{ name: string }>('SELECT name FROM customers WHERE phone = ?', '13900000001')[0].name},满意代表,2024-07-04,电话,R1,询问使用情况`,
      ]);
      const r = await ok(s, ['followups', 'import', s.file('重复.csv', twice)], lang);
      expect(r.stderr).toContain(m.summary(2, 0, 2));
      expect(s.query('SELECT count(*) AS n FROM followups')).toEqual([{ n: 2 }]);
      // and again: all unchanged
      expect((await ok(s, ['followups', 'import', `${s.dir}/重复.csv`], lang)).stderr).toContain(m.summary(0, 0, 4));
    } finally {
      s.cleanup();
    }
  });

  it('a corrected date (same sheet, edited row) updates the follow-up in place and matches the tasks again, as a clean import of the corrected sheet', async () => {
    const s = await setup();
    try {
      await ok(s, ['events', 'import', s.file('e.csv', EVENTS)], lang);
      await ok(s, ['followups', 'import', s.file('回访记录.csv', sheet(FOLLOWUPS))], lang);
      expect(tasksOf(s, 'T2').filter((t) => t.startsWith('rep'))).toEqual([
        'rep buyer #1 2024-07-04 done 2024-07-03',
        'rep buyer #2 2024-07-31 done 2024-07-20',
        'rep buyer #3 2024-08-30 open',
      ]);
      // the first row's call was really made before the event: found by the row after it
      const v2 = edited({ 1: '13900000002,满意代表,2024-06-28,电话,R2,介绍产品' });
      const r = await ok(s, ['followups', 'import', s.file('回访记录.csv', v2)], lang);
      expect(r.stderr).toContain(m.summary(0, 1, 3));
      expect(r.stderr).toContain(m.corrected(1));
      expect(r.stderr).toContain(m.rematched(1));
      expect(s.query('SELECT count(*) AS n FROM followups')).toEqual([{ n: 4 }]);
      // the 07-20 call now completes rep #1 (late); rep #2 is open again, back in the due list
      expect(tasksOf(s, 'T2').filter((t) => t.startsWith('rep'))).toEqual([
        'rep buyer #1 2024-07-04 done 2024-07-20',
        'rep buyer #2 2024-07-31 open',
        'rep buyer #3 2024-08-30 open',
      ]);
      const due = JSON.parse((await ok(s, ['--format', 'json', 'followups', 'due', '--staff', 'R2'], lang)).stdout) as { seq: number; due_by: string }[];
      expect(due.map((d) => `${d.seq} ${d.due_by}`)).toEqual(['2 2024-07-31']);
      expect(changesOf(s, 'followups').map((c) => [c.field, c.old_value, c.new_value])).toEqual([['done_on', '2024-07-03', '2024-06-28']]);
      expect(state(s)).toEqual(await clean([['events', 'e.csv', EVENTS], ['followups', '回访记录.csv', v2]]));

      // the doctor's visit was a day later: found by the row before it; done late now
      const v3 = edited({ 1: '13900000002,满意代表,2024-06-28,电话,R2,介绍产品', 3: '13900000002,医生,2024-07-17,上门,D1,测量血压' });
      const r3 = await ok(s, ['followups', 'import', s.file('回访记录.csv', v3)], lang);
      expect(r3.stderr).toContain(m.summary(0, 1, 3));
      expect(s.query("SELECT done_on, late FROM followups WHERE role = 'doctor'")).toEqual([{ done_on: '2024-07-17', late: 1 }]);
      expect(state(s)).toEqual(await clean([['events', 'e.csv', EVENTS], ['followups', '回访记录.csv', v3]]));
      // a dry run of the original sheet says what it would do, and does nothing
      const dry = await ok(s, ['followups', 'import', s.file('回访记录.csv', sheet(FOLLOWUPS)), '--dry-run'], lang);
      expect(dry.stderr).toContain(m.summary(0, 2, 2));
      expect(s.query("SELECT done_on FROM followups WHERE role = 'doctor'")).toEqual([{ done_on: '2024-07-17' }]);
      // the same sheet saved under another name: its rows line up with what is stored, so the
      // doctor's date corrected back (07-17 → 07-15) is still found by its neighbour, not taken as a new contact
      const v4 = edited({ 1: '13900000002,满意代表,2024-06-28,电话,R2,介绍产品' });
      const r4 = await ok(s, ['followups', 'import', s.file('回访记录(修改).csv', v4)], lang);
      expect(r4.stderr).toContain(m.summary(0, 1, 3));
      expect(s.query('SELECT count(*) AS n FROM followups')).toEqual([{ n: 4 }]);
      expect(s.query("SELECT done_on, late FROM followups WHERE role = 'doctor'")).toEqual([{ done_on: '2024-07-15', late: 0 }]);
      expect(state(s)).toEqual(await clean([['events', 'e.csv', EVENTS], ['followups', '回访记录.csv', v4]]));
    } finally {
      s.cleanup();
    }
  });
});

describe.each(['en', 'zh'] as const)('corrections of events and orders (%s)', (lang) => {
  const m = L[lang];

  it('是 → 否: the non-buyer plan with 2 tasks, the order withdrawn, the follow-ups matched again — as a fresh import of the corrected sheet', async () => {
    const s = await setup();
    try {
      await ok(s, ['events', 'import', s.file('e.csv', EVENTS)], lang);
      await ok(s, ['followups', 'import', s.file('回访记录.csv', sheet(FOLLOWUPS))], lang);
      expect(tasksOf(s, 'T2')).toHaveLength(6);
      const fixed = EVENTS.replace('13900000002,2024-07-01,7月联谊会,是,3980,R2', '13900000002,2024-07-01,7月联谊会,否,,R2');
      const r = await ok(s, ['events', 'import', s.file('e.csv', fixed)], lang);
      expect(r.stderr).toContain(m.summary(0, 1, 1));
      expect(r.stderr).toContain(m.withdrawn);
      expect(r.stderr).toContain(m.replanned);
      expect(s.query('SELECT buyer, bought_on FROM files WHERE customer_id = ?', id(s, 'T2'))).toEqual([{ buyer: 0, bought_on: null }]);
      expect(tasksOf(s, 'T2')).toEqual(['rep non_buyer #1 2024-07-04 done 2024-07-03', 'rep non_buyer #2 2024-07-16 done 2024-07-20']);
      // the doctor's visit has no doctor task any more: an extra contact, kept
      expect(s.query("SELECT task_id, late FROM followups WHERE role = 'doctor'")).toEqual([{ task_id: null, late: 0 }]);
      expect(s.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 0 }]);
      expect(state(s)).toEqual(await clean([['events', 'e.csv', fixed], ['followups', '回访记录.csv', sheet(FOLLOWUPS)]]));
      const key = `${id(s, 'T2')}|2024-07-01|7月联谊会`;
      expect(changesOf(s, 'events').map((c) => [c.key, c.field, c.old_value, c.new_value])).toEqual([
        [key, 'purchased', '1', '0'],
        [key, 'amount_fen', '398000', null],
      ]);
      expect(changesOf(s, 'orders').map((c) => [c.key, c.field, c.old_value, c.new_value])).toEqual([
        [`EV-${id(s, 'T2')}-2024-07-01-7月联谊会`, 'amount_fen', '398000', null],
        [`EV-${id(s, 'T2')}-2024-07-01-7月联谊会`, 'order_date', '2024-07-01', null],
      ]);
      // and back (否 → 是): the buyer plan again, as first imported
      await ok(s, ['events', 'import', s.file('e.csv', EVENTS)], lang);
      expect(state(s)).toEqual(await clean([['events', 'e.csv', EVENTS], ['followups', '回访记录.csv', sheet(FOLLOWUPS)]]));
      expect((await s.run(['check'])).code).toBe(0);
    } finally {
      s.cleanup();
    }
  });

  it('an order corrected: the KPI follows its amount, the plan its date; an unchanged sheet is 0 updated (a blank staff included)', async () => {
    const s = await setup();
    try {
      await ok(s, ['events', 'import', s.file('e.csv', EVENTS)], lang);
      const v1 = 'order_no,customer,order_date,amount,staff,product\nSO-1,13900000001,2024-07-10,1280,,护膝\nSO-2,13900000002,2024-07-12,460,R2,营养粉\n';
      await ok(s, ['orders', 'import', s.file('订单.csv', v1)], lang);
      // T1's non-buyer plan became a buyer plan from 07-10
      expect(tasksOf(s, 'T1').filter((t) => t.includes('buyer #1') && !t.includes('non_buyer'))).toEqual(['rep buyer #1 2024-07-13 open', 'doctor buyer #1 2024-07-25 open']);
      const same = await ok(s, ['orders', 'import', `${s.dir}/订单.csv`], lang);
      expect(same.stderr).toContain(m.summary(0, 0, 2));
      const sales = async () =>
        (JSON.parse((await ok(s, ['--format', 'json', 'kpi', '--period', '2024-07', '--by', 'staff'], lang)).stdout) as { staff_id: string; sales_amount: number }[]).find((x) => x.staff_id === 'R1')!.sales_amount;
      expect(await sales()).toBe(1280);
      const v2 = v1.replace('SO-1,13900000001,2024-07-10,1280', 'SO-1,13900000001,2024-07-15,2380');
      const r = await ok(s, ['orders', 'import', s.file('订单.csv', v2)], lang);
      expect(r.stderr).toContain(m.summary(0, 1, 1));
      expect(await sales()).toBe(2380);
      expect(tasksOf(s, 'T1').filter((t) => t.includes('buyer #1') && !t.includes('non_buyer'))).toEqual(['rep buyer #1 2024-07-18 open', 'doctor buyer #1 2024-07-30 open']);
      expect(s.query('SELECT bought_on FROM files WHERE customer_id = ?', id(s, 'T1'))).toEqual([{ bought_on: '2024-07-15' }]);
      expect(changesOf(s, 'orders').map((c) => [c.key, c.field, c.old_value, c.new_value])).toEqual([
        ['SO-1', 'order_date', '2024-07-10', '2024-07-15'],
        ['SO-1', 'amount_fen', '128000', '238000'],
      ]);
      expect(state(s)).toEqual(await clean([['events', 'e.csv', EVENTS], ['orders', '订单.csv', v2]]));
      expect((await ok(s, ['orders', 'import', `${s.dir}/订单.csv`], lang)).stderr).toContain(m.summary(0, 0, 2));
      expect((await s.run(['check'])).code).toBe(0);
    } finally {
      s.cleanup();
    }
  });
});

describe('check: a plan that disagrees with its events', () => {
  it.each<[string, string, RegExp, RegExp, boolean]>([
    [
      'a buyer file turned into a non-buyer one',
      "UPDATE files SET buyer = 0, bought_on = NULL WHERE customer_id = (SELECT customer_id FROM customers WHERE survey_no = 'T2')",
      /stored non-buyer file opened 2024-07-01, 6 plan tasks; its events give buyer file opened 2024-07-01, bought 2024-07-01, 6 plan tasks/,
      /现存未购买顾客档案（2024-07-01 建档），计划任务 6 个；按其活动和订单应为购买顾客档案（2024-07-01 建档，2024-07-01 购买），计划任务 6 个/,
      true,
    ],
    [
      'a doctor task deleted',
      "DELETE FROM tasks WHERE role = 'doctor' AND seq = 3",
      /stored buyer file opened 2024-07-01, bought 2024-07-01, 5 plan tasks; its events give .*6 plan tasks/,
      /现存购买顾客档案（2024-07-01 建档，2024-07-01 购买），计划任务 5 个；按其活动和订单应为.*计划任务 6 个/,
      true,
    ],
    ['a deadline moved', "UPDATE tasks SET due_by = '2024-09-30' WHERE role = 'rep' AND plan = 'non_buyer' AND seq = 2", /\(task deadlines differ\)/, /（任务期限不同）/, true],
    [
      'a file without any event',
      "INSERT INTO files (customer_id, opened_on, buyer) SELECT customer_id, '2024-07-02', 0 FROM customers WHERE survey_no = 'T3'",
      /stored non-buyer file opened 2024-07-02, 0 plan tasks; its events give no file, 0 plan tasks/,
      /现存未购买顾客档案（2024-07-02 建档），计划任务 0 个；按其活动和订单应为无档案，计划任务 0 个/,
      false,
    ],
  ])('%s: exit 1, one line naming the check, the count and the customer, in en and zh', async (_what, sql, detail, detailZh, heals) => {
    const s = await setup();
    try {
      await ok(s, ['events', 'import', s.file('e.csv', EVENTS)]);
      expect((await s.run(['check'])).code).toBe(0);
      s.exec(sql);
      for (const [lang, start] of [['en', /│\s+1 │ customer \d+: stored /], ['zh', /│\s+1 │ 顾客 \d+：现存/]] as const) {
        const r = await s.run(['check'], { lang });
        expect(r.code).toBe(1);
        const line = r.stdout.split('\n').find((l) => l.includes('plan_disagrees_with_events'));
        expect(line, r.stdout).toBeDefined();
        expect(line).toMatch(start);
      }
      const json = JSON.parse((await s.run(['--format', 'json', 'check'])).stdout) as { check: string; count: number; sample: string }[];
      expect(json.find((p) => p.check === 'plan_disagrees_with_events')).toEqual({ check: 'plan_disagrees_with_events', count: 1, sample: expect.stringMatching(detail) });
      // under --lang zh the sample is Chinese, not the English text
      const zh = JSON.parse((await s.run(['--format', 'json', 'check'], { lang: 'zh' })).stdout) as { check: string; count: number; sample: string }[];
      const sample = zh.find((p) => p.check === 'plan_disagrees_with_events')!.sample;
      expect(sample).toMatch(detailZh);
      expect(sample).not.toMatch(/stored|plan tasks|its events give|file opened/);
      if (heals) {
        // the customer's events sheet imported again puts it right: every row unchanged, the plan derived again
        const again = await ok(s, ['events', 'import', `${s.dir}/e.csv`]);
        expect(again.stderr).toContain(L.en.summary(0, 0, 2));
        expect(again.stderr).toMatch(/1 files and plans derived again from their events and orders|1 upgraded to the buyer plan/);
        expect((await s.run(['check'])).code).toBe(0);
      }
    } finally {
      s.cleanup();
    }
  });
});
