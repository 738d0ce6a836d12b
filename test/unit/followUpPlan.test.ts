import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy.js';
import { addDays } from '../../src/domain/values.js';
import { nearness } from '../../src/domain/region.js';
import {
  applyEvent,
  chooseDoctor,
  compareEvents,
  dueCutoff,
  isLate,
  isOverdue,
  manualTask,
  matchFollowUp,
  matchableTasks,
  parseFollowUpRole,
  parseMethod,
  planFor,
  planNotStarted,
  planStart,
  type DoctorCandidate,
  type FileState,
  type PlanKind,
  type Role,
  type Task,
  type TaskSpec,
} from '../../src/domain/followUpPlan.js';

const P = DEFAULT_POLICY.followup;

/** `rep 1 2024-05-12` → a compact view of a plan, in the order planFor returns it. */
const show = (specs: TaskSpec[]) => specs.map((s) => `${s.role} ${s.seq} ${s.due_by}`);

let nextId = 1;
function task(role: Role, seq: number, due_by: string, plan: PlanKind = 'buyer', status: Task['status'] = 'open', done_on: string | null = null): Task {
  return { task_id: nextId++, role, seq, plan, due_by, status, done_on };
}
/** the tasks a store would create for a plan, all open */
function stored(specs: TaskSpec[], firstId = 1): Task[] {
  return specs.map((s, i) => ({ ...s, task_id: firstId + i, status: 'open' as const, done_on: null }));
}

describe('§3.2 plans: days after the file opens (DEFAULT_POLICY)', () => {
  it.each<[string, string, boolean, string[]]>([
    ['a buyer: rep on days 3, 30, 60; doctor on days 15, 30, 60', '2024-05-09', true, [
      'rep 1 2024-05-12', 'doctor 1 2024-05-24', 'rep 2 2024-06-08', 'doctor 2 2024-06-08', 'rep 3 2024-07-08', 'doctor 3 2024-07-08',
    ]],
    ['a non-buyer: rep on days 3 and 15, no doctor', '2024-05-09', false, ['rep 1 2024-05-12', 'rep 2 2024-05-24']],
    ['opened on a leap day', '2024-02-29', true, [
      'rep 1 2024-03-03', 'doctor 1 2024-03-15', 'rep 2 2024-03-30', 'doctor 2 2024-03-30', 'rep 3 2024-04-29', 'doctor 3 2024-04-29',
    ]],
    ['opened on new year\'s eve: deadlines run into the next year', '2024-12-31', true, [
      'rep 1 2025-01-03', 'doctor 1 2025-01-15', 'rep 2 2025-01-30', 'doctor 2 2025-01-30', 'rep 3 2025-03-01', 'doctor 3 2025-03-01',
    ]],
    ['opened 2024-12-30, non-buyer: day 3 is 2025-01-02', '2024-12-30', false, ['rep 1 2025-01-02', 'rep 2 2025-01-14']],
  ])('%s', (_rule, openedOn, buyer, expected) => {
    expect(show(planFor(openedOn, buyer, P))).toEqual(expected);
  });

  it.each<[string, string, number, string]>([
    ['opened 01-31 in a leap year, day 30 is 03-01', '2024-01-31', 30, '2024-03-01'],
    ['opened 01-31 in a common year, day 30 is 03-02', '2023-01-31', 30, '2023-03-02'],
    ['opened 2024-01-30, day 30 is the leap day', '2024-01-30', 30, '2024-02-29'],
    ['opened 2023-11-15, day 60 is in the next year', '2023-11-15', 60, '2024-01-14'],
    ['opened 2024-12-31, day 60 is 2025-03-01 (2025 is not leap)', '2024-12-31', 60, '2025-03-01'],
  ])('month ends and leap years: %s', (_rule, openedOn, day, due) => {
    const rep = planFor(openedOn, true, P).filter((t) => t.role === 'rep');
    const idx = P.buyer.rep.indexOf(day);
    expect(idx).toBeGreaterThanOrEqual(0);
    expect(rep[idx].due_by).toBe(due);
  });

  it('every task is plan "buyer" or "non_buyer", seq 1..n per role', () => {
    for (const buyer of [true, false]) {
      const plan = planFor('2024-05-09', buyer, P);
      for (const role of ['rep', 'doctor'] as const) {
        const days = (buyer ? P.buyer : P.non_buyer)[role];
        expect(plan.filter((t) => t.role === role).map((t) => t.seq)).toEqual(days.map((_, i) => i + 1));
      }
      expect(new Set(plan.map((t) => t.plan))).toEqual(new Set(plan.length ? [buyer ? 'buyer' : 'non_buyer'] : []));
    }
  });
});

describe('§6 plan days are the policy\'s, not the code\'s', () => {
  const custom: Policy['followup'] = {
    buyer: { rep: [60, 7], doctor: [] },
    non_buyer: { rep: [], doctor: [1] },
    due_within_days: 3,
  };
  it.each<[string, boolean, string[]]>([
    ['a buyer under a policy of rep days 7 and 60 (listed out of order), no doctor', true, ['rep 1 2024-05-16', 'rep 2 2024-07-08']],
    ['a non-buyer under a policy of doctor day 1 only', false, ['doctor 1 2024-05-10']],
  ])('%s', (_rule, buyer, expected) => {
    expect(show(planFor('2024-05-09', buyer, custom))).toEqual(expected);
  });
  it('a policy with no days gives no tasks', () => {
    const none: Policy['followup'] = { buyer: { rep: [], doctor: [] }, non_buyer: { rep: [], doctor: [] }, due_within_days: 7 };
    expect(planFor('2024-05-09', true, none)).toEqual([]);
  });
  it('planFor does not reorder the policy document it was given', () => {
    planFor('2024-05-09', true, custom);
    expect(custom.buyer.rep).toEqual([60, 7]);
  });
});

describe('§2 events.csv: attending opens the file; a later purchase upgrades a non-buyer plan', () => {
  const nonBuyer: FileState = { opened_on: '2024-05-09', buyer: false, bought_on: null };
  const buyerFile: FileState = { opened_on: '2024-05-09', buyer: true, bought_on: '2024-05-09' };
  const nonBuyerTasks = (): Task[] => stored(planFor('2024-05-09', false, P), 101);

  it.each<[string, boolean, FileState]>([
    ['no file, attends without buying → non-buyer file opened on the event date', false, { opened_on: '2024-05-09', buyer: false, bought_on: null }],
    ['no file, buys at the event → buyer file, buyer plan directly', true, { opened_on: '2024-05-09', buyer: true, bought_on: '2024-05-09' }],
  ])('%s', (_rule, purchased, file) => {
    const e = applyEvent({ file: null, tasks: [] }, { event_date: '2024-05-09', purchased }, P);
    expect(e).toEqual({ kind: 'open', file, add: planFor('2024-05-09', purchased, P) });
  });

  it.each<[string, FileState, { event_date: string; purchased: boolean }]>([
    ['a non-buyer attends again without buying → nothing changes', nonBuyer, { event_date: '2024-05-20', purchased: false }],
    ['a non-buyer\'s older event without a purchase, imported late → nothing (plan has started)', nonBuyer, { event_date: '2024-05-01', purchased: false }],
    ['a buyer buys again → nothing (already on the buyer plan)', buyerFile, { event_date: '2024-06-01', purchased: true }],
    ['a buyer attends without buying → nothing', buyerFile, { event_date: '2024-06-01', purchased: false }],
    ['a buyer\'s older purchase imported late → nothing', buyerFile, { event_date: '2024-05-01', purchased: true }],
  ])('%s', (_rule, file, event) => {
    expect(applyEvent({ file, tasks: nonBuyerTasks() }, event, P)).toEqual({ kind: 'none', file });
  });

  it('a non-buyer buys later → open non-buyer tasks cancelled, buyer plan from the purchase date', () => {
    const tasks = nonBuyerTasks(); // 101 rep 1 due 05-12, 102 rep 2 due 05-24
    const e = applyEvent({ file: nonBuyer, tasks }, { event_date: '2024-06-01', purchased: true }, P);
    expect(e.kind).toBe('upgrade');
    if (e.kind !== 'upgrade') return;
    expect(e.file).toEqual({ opened_on: '2024-05-09', buyer: true, bought_on: '2024-06-01' });
    expect(e.cancel).toEqual([101, 102]);
    expect(show(e.add)).toEqual([
      'rep 1 2024-06-04', 'doctor 1 2024-06-16', 'rep 2 2024-07-01', 'doctor 2 2024-07-01', 'rep 3 2024-07-31', 'doctor 3 2024-07-31',
    ]);
    expect(e.add.every((t) => t.plan === 'buyer')).toBe(true);
  });

  it.each<[string, Task['status'][], number[]]>([
    ['day-3 call done, day-15 open → only the open one is cancelled; the done one stays done', ['done', 'open'], [102]],
    ['non-buyer plan fully done → still upgraded (buyers must be followed up), nothing to cancel', ['done', 'done'], []],
    ['an already cancelled task is not cancelled again', ['cancelled', 'open'], [102]],
  ])('%s', (_rule, statuses, cancel) => {
    const tasks = nonBuyerTasks().map((t, i) => ({ ...t, status: statuses[i], done_on: statuses[i] === 'done' ? t.due_by : null }));
    const e = applyEvent({ file: nonBuyer, tasks }, { event_date: '2024-06-01', purchased: true }, P);
    expect(e.kind).toBe('upgrade');
    if (e.kind === 'upgrade') {
      expect(e.cancel).toEqual(cancel);
      expect(e.add).toEqual(planFor('2024-06-01', true, P));
    }
  });

  it.each<[string, string[], number[]]>([
    ['a non-buyer task done on the purchase day (recorded after the purchase) is superseded: cancelled, its follow-up matched again', ['2024-05-12', '2024-06-01'], [102]],
    ['done after the purchase → cancelled too', ['2024-05-12', '2024-06-03'], [102]],
    ['done the day before the purchase → stays done', ['2024-05-12', '2024-05-31'], []],
  ])('%s', (_rule, doneOn, cancel) => {
    const tasks = nonBuyerTasks().map((t, i) => ({ ...t, status: 'done' as const, done_on: doneOn[i] }));
    const e = applyEvent({ file: nonBuyer, tasks }, { event_date: '2024-06-01', purchased: true }, P);
    expect(e.kind === 'upgrade' && e.cancel).toEqual(cancel);
  });

  it('a manager\'s manual task is not part of the non-buyer plan and stays open on an upgrade', () => {
    const tasks = [...nonBuyerTasks(), { ...task('rep', 1, '2024-05-30', 'manual'), task_id: 200 }];
    const e = applyEvent({ file: nonBuyer, tasks }, { event_date: '2024-06-01', purchased: true }, P);
    expect(e.kind === 'upgrade' && e.cancel).toEqual([101, 102]);
  });

  it('a non-buyer buys on the opening day (a second event that day) → upgrade from that day', () => {
    const e = applyEvent({ file: nonBuyer, tasks: nonBuyerTasks() }, { event_date: '2024-05-09', purchased: true }, P);
    expect(e).toEqual({
      kind: 'upgrade',
      file: { opened_on: '2024-05-09', buyer: true, bought_on: '2024-05-09' },
      cancel: [101, 102],
      add: planFor('2024-05-09', true, P),
    });
  });

  it('an older purchase imported late → upgrade; the file opens on that earlier event date', () => {
    const e = applyEvent({ file: nonBuyer, tasks: nonBuyerTasks() }, { event_date: '2024-05-01', purchased: true }, P);
    expect(e).toEqual({
      kind: 'upgrade',
      file: { opened_on: '2024-05-01', buyer: true, bought_on: '2024-05-01' },
      cancel: [101, 102],
      add: planFor('2024-05-01', true, P),
    });
  });

  it('applying the same purchase twice upgrades once (idempotent re-import)', () => {
    const first = applyEvent({ file: nonBuyer, tasks: nonBuyerTasks() }, { event_date: '2024-06-01', purchased: true }, P);
    const again = applyEvent({ file: first.file, tasks: [] }, { event_date: '2024-06-01', purchased: true }, P);
    expect(again).toEqual({ kind: 'none', file: first.file });
  });
});

describe('§3.2 a recorded follow-up completes the earliest open task of its role', () => {
  // a buyer file opened 2024-05-09: rep 05-12, 06-08, 07-08; doctor 05-24, 06-08, 07-08
  const file: FileState = { opened_on: '2024-05-09', buyer: true, bought_on: '2024-05-09' };
  const plan = () => stored(planFor('2024-05-09', true, P), 1);
  const id = (tasks: Task[], role: Role, seq: number) => tasks.find((t) => t.role === role && t.seq === seq)!.task_id;

  it.each<[string, Role, string, [Role, number] | null, boolean]>([
    ['rep calls on day 3 (deadline inclusive) → rep task 1, on time', 'rep', '2024-05-12', ['rep', 1], false],
    ['rep calls on day 4 → rep task 1, late', 'rep', '2024-05-13', ['rep', 1], true],
    ['rep calls on the opening day → rep task 1, on time (early is on time)', 'rep', '2024-05-09', ['rep', 1], false],
    ['rep calls on day 40 with task 1 still open → task 1 (the earliest), late', 'rep', '2024-06-18', ['rep', 1], true],
    ['doctor visits on day 15 → doctor task 1, not the rep\'s', 'doctor', '2024-05-24', ['doctor', 1], false],
    ['doctor visits on day 16 → doctor task 1, late', 'doctor', '2024-05-25', ['doctor', 1], true],
  ])('%s', (_rule, role, doneOn, expected, late) => {
    const tasks = plan();
    expect(matchFollowUp(tasks, role, doneOn)).toEqual({ task_id: id(tasks, ...expected!), late });
    expect(matchFollowUp(tasks, role, doneOn, file)).toEqual({ task_id: id(tasks, ...expected!), late });
  });

  it.each<[string, Task['status'], [Role, number]]>([
    ['rep task 1 done → the next rep call completes rep task 2', 'done', ['rep', 2]],
    ['rep task 1 cancelled → the next rep call completes rep task 2', 'cancelled', ['rep', 2]],
  ])('%s', (_rule, status, expected) => {
    const tasks = plan().map((t) => (t.role === 'rep' && t.seq === 1 ? { ...t, status } : t));
    expect(matchFollowUp(tasks, 'rep', '2024-06-08')).toEqual({ task_id: id(tasks, ...expected), late: false });
  });

  it.each<[string, Task[], Role]>([
    ['no tasks at all (no file) → an extra contact', [], 'rep'],
    ['every rep task done → an extra contact', stored(planFor('2024-05-09', false, P)).map((t) => ({ ...t, status: 'done' as const })), 'rep'],
    ['a non-buyer file has no doctor plan → a doctor visit is an extra contact', stored(planFor('2024-05-09', false, P)), 'doctor'],
    ['only doctor tasks open → a rep call is an extra contact (roles are separate)', plan().filter((t) => t.role === 'doctor'), 'rep'],
  ])('%s', (_rule, tasks, role) => {
    expect(matchFollowUp(tasks, role, '2024-05-20')).toEqual({ task_id: null, late: false });
  });

  it('ties on due_by go to the lower seq, then the lower task_id', () => {
    const a = { ...task('rep', 2, '2024-06-01', 'manual'), task_id: 7 };
    const b = { ...task('rep', 1, '2024-06-01', 'manual'), task_id: 9 };
    expect(matchFollowUp([a, b], 'rep', '2024-06-01').task_id).toBe(9);
    const c = { ...task('rep', 1, '2024-06-01', 'buyer'), task_id: 3 };
    expect(matchFollowUp([b, c], 'rep', '2024-06-01').task_id).toBe(3);
  });

  it('the earliest due_by wins over a lower seq of another plan', () => {
    const manual = { ...task('rep', 1, '2024-05-10', 'manual'), task_id: 50 };
    const tasks = [...plan(), manual];
    expect(matchFollowUp(tasks, 'rep', '2024-05-10')).toEqual({ task_id: 50, late: false });
  });

  describe('with the file: a contact before the plan started is an extra contact', () => {
    const upgraded: FileState = { opened_on: '2024-05-09', buyer: true, bought_on: '2024-06-01' };
    const buyerPlan = () => [
      ...stored(planFor('2024-05-09', false, P), 1).map((t) => ({ ...t, status: 'cancelled' as const })),
      ...stored(planFor('2024-06-01', true, P), 10),
    ];
    it.each<[string, FileState, () => Task[], Role, string, number | null]>([
      ['a call dated before the file opened → extra contact', file, plan, 'rep', '2024-05-08', null],
      ['a call on the opening day → rep task 1', file, plan, 'rep', '2024-05-09', 1],
      ['after an upgrade, a call dated before the purchase → extra contact (non-buyer tasks cancelled)', upgraded, buyerPlan, 'rep', '2024-05-20', null],
      ['after an upgrade, a call on the purchase day → buyer rep task 1', upgraded, buyerPlan, 'rep', '2024-06-01', 10],
    ])('%s', (_rule, f, tasks, role, doneOn, expected) => {
      expect(matchFollowUp(tasks(), role, doneOn, f).task_id).toBe(expected);
    });
    it('a manager\'s manual task has no start: a call on any day can complete it', () => {
      const manual = { ...task('rep', 1, '2024-05-15', 'manual'), task_id: 77 };
      expect(matchFollowUp([manual], 'rep', '2024-01-01', file)).toEqual({ task_id: 77, late: false });
    });
    it.each<[PlanKind, string | null]>([
      ['non_buyer', '2024-05-09'],
      ['buyer', '2024-06-01'],
      ['manual', null],
    ])('planStart of a %s task of an upgraded file is %s', (plan, start) => {
      expect(planStart({ plan }, upgraded)).toBe(start);
    });
  });
});

describe('§3.2 / §3.5 deadlines: late, overdue, due list', () => {
  it.each<[string, string, string, boolean]>([
    ['done on the deadline is on time', '2024-05-12', '2024-05-12', false],
    ['done the day after is late', '2024-05-12', '2024-05-13', true],
    ['done before is on time', '2024-05-12', '2024-05-10', false],
    ['late across a year end', '2024-12-31', '2025-01-01', true],
  ])('isLate: %s', (_rule, dueBy, doneOn, late) => {
    expect(isLate(dueBy, doneOn)).toBe(late);
  });

  it.each<[string, string, string, boolean]>([
    ['due today is not overdue', '2024-05-12', '2024-05-12', false],
    ['due yesterday is overdue', '2024-05-11', '2024-05-12', true],
    ['due tomorrow is not overdue', '2024-05-13', '2024-05-12', false],
    ['due on the leap day, as of 03-01, is overdue', '2024-02-29', '2024-03-01', true],
    ['due on new year\'s eve, as of new year\'s day, is overdue', '2024-12-31', '2025-01-01', true],
  ])('isOverdue: %s', (_rule, dueBy, asOf, overdue) => {
    expect(isOverdue(dueBy, asOf)).toBe(overdue);
  });

  it.each<[string, string, number, string]>([
    ['default window: 7 days', '2024-05-09', DEFAULT_POLICY.followup.due_within_days, '2024-05-16'],
    ['--within 0: due by today only', '2024-05-09', 0, '2024-05-09'],
    ['across a month end', '2024-05-31', 7, '2024-06-07'],
    ['onto the leap day', '2024-02-28', 1, '2024-02-29'],
    ['no leap day in 2023', '2023-02-28', 1, '2023-03-01'],
    ['across a year end', '2024-12-28', 7, '2025-01-04'],
  ])('dueCutoff: %s', (_rule, asOf, within, cutoff) => {
    expect(dueCutoff(asOf, within)).toBe(cutoff);
  });
});

describe('§3.2 followups add (其他回访计划)', () => {
  it.each<[string, Pick<Task, 'role' | 'seq' | 'plan'>[], Role, number]>([
    ['the first manual task of a role is seq 1', [{ role: 'rep', seq: 2, plan: 'buyer' }], 'rep', 1],
    ['numbered after earlier manual tasks of the role, whatever their status', [{ role: 'rep', seq: 1, plan: 'manual' }, { role: 'rep', seq: 3, plan: 'manual' }], 'rep', 4],
    ['the other role\'s manual tasks do not count', [{ role: 'rep', seq: 5, plan: 'manual' }], 'doctor', 1],
  ])('%s', (_rule, tasks, role, seq) => {
    expect(manualTask(tasks, role, '2024-07-01')).toEqual({ role, seq, plan: 'manual', due_by: '2024-07-01' });
  });
});

describe('properties', () => {
  const isoDate = fc
    .integer({ min: 0, max: 365 * 6 })
    .map((n) => addDays('2022-01-01', n));
  const role = fc.constantFrom<Role>('rep', 'doctor');
  const taskArb = fc.record({
    role,
    seq: fc.integer({ min: 1, max: 4 }),
    plan: fc.constantFrom<PlanKind>('buyer', 'non_buyer', 'manual'),
    due_by: isoDate,
    status: fc.constantFrom<Task['status']>('open', 'open', 'done', 'cancelled'),
  });
  const tasksArb = fc.array(taskArb, { maxLength: 12 }).map((ts) =>
    ts.map((t, i): Task => ({ ...t, task_id: i + 1, done_on: t.status === 'done' ? t.due_by : null })),
  );
  const followUps = fc.array(fc.record({ role, done_on: isoDate }), { maxLength: 20 });
  const fileArb = fc.option(
    fc.record({ opened_on: isoDate, buyer: fc.boolean(), late_purchase: fc.integer({ min: 0, max: 90 }) }).map(
      ({ opened_on, buyer, late_purchase }): FileState => ({ opened_on, buyer, bought_on: buyer ? addDays(opened_on, late_purchase) : null }),
    ),
  );

  it('every follow-up completes at most one open task or is an extra; every task ends open, or done by exactly one follow-up, or as it was', () => {
    fc.assert(
      fc.property(tasksArb, followUps, fileArb, (initial, fus, file) => {
        let tasks = initial.map((t) => ({ ...t }));
        const doneBy = new Map<number, number>();
        let extras = 0;
        for (const f of fus) {
          const m = matchFollowUp(tasks, f.role, f.done_on, file);
          if (m.task_id === null) {
            extras++;
            expect(m.late).toBe(false);
            // an extra only when no open task of the role was eligible
            const eligible = tasks.filter(
              (t) => t.status === 'open' && t.role === f.role && (!file || (planStart(t, file) ?? '') <= f.done_on),
            );
            expect(eligible).toEqual([]);
            continue;
          }
          const t = tasks.find((x) => x.task_id === m.task_id)!;
          expect(t.status).toBe('open');
          expect(t.role).toBe(f.role);
          expect(m.late).toBe(f.done_on > t.due_by);
          doneBy.set(t.task_id, (doneBy.get(t.task_id) ?? 0) + 1);
          tasks = tasks.map((x) => (x.task_id === t.task_id ? { ...x, status: 'done', done_on: f.done_on } : x));
        }
        // nothing lost: every follow-up is either a completion or an extra contact
        expect([...doneBy.values()].reduce((a, b) => a + b, 0) + extras).toBe(fus.length);
        for (const before of initial) {
          const after = tasks.find((x) => x.task_id === before.task_id)!;
          const n = doneBy.get(before.task_id) ?? 0;
          expect(n).toBeLessThanOrEqual(1);
          if (before.status !== 'open') {
            expect(n).toBe(0);
            expect(after).toEqual(before);
          } else {
            // exactly one of: still open, done by exactly one follow-up
            expect(after.status === 'open' ? n === 0 : after.status === 'done' && n === 1).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('planFor: each task is due openedOn + one of the policy days of its role, seq 1..n', () => {
    const days = fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 5 });
    const policyArb = fc.record({
      buyer: fc.record({ rep: days, doctor: days }),
      non_buyer: fc.record({ rep: days, doctor: days }),
      due_within_days: fc.constant(7),
    });
    fc.assert(
      fc.property(isoDate, fc.boolean(), policyArb, (openedOn, buyer, policy) => {
        const plan = planFor(openedOn, buyer, policy);
        const want = buyer ? policy.buyer : policy.non_buyer;
        for (const r of ['rep', 'doctor'] as const) {
          const mine = plan.filter((t) => t.role === r).sort((a, b) => a.seq - b.seq);
          expect(mine.map((t) => t.seq)).toEqual(want[r].map((_, i) => i + 1));
          expect(mine.map((t) => t.due_by)).toEqual([...want[r]].sort((a, b) => a - b).map((n) => addDays(openedOn, n)));
        }
        for (let i = 1; i < plan.length; i++) expect(plan[i - 1].due_by <= plan[i].due_by).toBe(true);
      }),
    );
  });

  it('applyEvent: a file opens once, upgrades at most once, and never leaves a buyer without a buyer plan', () => {
    const events = fc.array(fc.record({ event_date: isoDate, purchased: fc.boolean() }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(events, (evs) => {
        let file: FileState | null = null;
        let tasks: Task[] = [];
        let id = 1;
        const kinds: string[] = [];
        for (const ev of evs) {
          const e = applyEvent({ file, tasks }, ev, P);
          kinds.push(e.kind);
          if (e.kind === 'upgrade') {
            tasks = tasks.map((t) => (e.cancel.includes(t.task_id) ? { ...t, status: 'cancelled' } : t));
          }
          if (e.kind !== 'none') tasks = [...tasks, ...stored(e.add, id)];
          id = tasks.length + 1;
          file = e.file;
        }
        expect(kinds[0]).toBe('open');
        expect(kinds.filter((k) => k === 'open').length).toBe(1);
        expect(kinds.filter((k) => k === 'upgrade').length).toBeLessThanOrEqual(1);
        expect(file!.buyer).toBe(evs.some((e) => e.purchased));
        if (file!.buyer) {
          expect(tasks.filter((t) => t.plan === 'buyer')).toHaveLength(P.buyer.rep.length + P.buyer.doctor.length);
          expect(tasks.some((t) => t.plan === 'non_buyer' && t.status === 'open')).toBe(false);
          expect(file!.opened_on <= file!.bought_on!).toBe(true);
        }
      }),
    );
  });
});

describe('§3.2 doctor tasks go to the doctor covering the customer: nearness, then load', () => {
  // 330726 浦江县, 330702 婺城区 (both 金华市 3307), 330106 西湖区 (杭州市), 110105 朝阳区 (北京)
  const doc = (staff_id: string, district: string | null, areas: string[], open_tasks: number, extra: Partial<DoctorCandidate> = {}): DoctorCandidate => ({
    staff_id, district, areas, open_tasks, hired_on: '2020-01-01', left_on: null, ...extra,
  });
  const D1 = doc('D1', '330702', ['330726'], 40);
  const D2 = doc('D2', '330106', [], 5);
  const D3 = doc('D3', '330702', [], 10);

  it.each<[string, string | null, DoctorCandidate[], string | null]>([
    ['the customer is in a doctor\'s areas (same-county tier) → that doctor, however loaded', '330726', [D1, D2, D3], 'D1'],
    ['same county as two doctors → the less loaded one', '330702', [D1, D2, D3], 'D3'],
    ['same city beats same province: 婺城 doctors for a 金东 customer', '330703', [D2, D3], 'D3'],
    ['same province beats anywhere', '330110', [doc('X', '110105', [], 0), D3], 'D3'],
    ['a customer with no district: every doctor is "anywhere" → the least loaded', null, [D1, D2, D3], 'D2'],
    ['equal tier and load → the lowest staff_id', '330106', [doc('D9', '330106', [], 3), doc('D4', '330106', [], 3)], 'D4'],
    ['no doctor on the roster → nobody (the task is unassigned)', '330702', [], null],
  ])('%s', (_rule, district, doctors, expected) => {
    expect(chooseDoctor(district, doctors, '2024-07-31')).toBe(expected);
  });

  it.each<[string, Partial<DoctorCandidate>, string]>([
    ['a doctor who left before the date is skipped', { left_on: '2024-07-01' }, 'D3'],
    ['left_on is the first day away: leaving on the date itself is skipped', { left_on: '2024-07-31' }, 'D3'],
    ['leaving the day after: still active', { left_on: '2024-08-01' }, 'D1'],
    ['a doctor hired after the date is skipped', { hired_on: '2024-08-01' }, 'D3'],
  ])('active on the date only: %s', (_rule, change, expected) => {
    expect(chooseDoctor('330726', [{ ...D1, ...change }, D3], '2024-07-31')).toBe(expected);
  });

  it('the customer\'s current doctor keeps the customer while active, even when another is nearer or less loaded', () => {
    expect(chooseDoctor('330726', [D1, D2, D3], '2024-07-31', 'D2')).toBe('D2');
  });

  it('a current doctor who has left is replaced by the rules', () => {
    expect(chooseDoctor('330726', [{ ...D2, left_on: '2024-06-01' }, D1, D3], '2024-07-31', 'D2')).toBe('D1');
  });

  it('property: the choice is an active doctor of the nearest tier present, least loaded within it', () => {
    const codes = ['330726', '330702', '330703', '330106', '330110', '110105', null];
    const arb = fc.array(
      fc.record({
        staff_id: fc.constantFrom('D1', 'D2', 'D3', 'D4', 'D5'),
        district: fc.constantFrom(...codes),
        open_tasks: fc.integer({ min: 0, max: 5 }),
        left: fc.boolean(),
      }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(arb, fc.constantFrom(...codes), (raw, customer) => {
        const seen = new Set<string>();
        const doctors = raw
          .filter((d) => !seen.has(d.staff_id) && seen.add(d.staff_id))
          .map((d) => doc(d.staff_id, d.district, [], d.open_tasks, { left_on: d.left ? '2024-01-01' : null }));
        const got = chooseDoctor(customer, doctors, '2024-07-31');
        const active = doctors.filter((d) => d.left_on === null);
        if (active.length === 0) {
          expect(got).toBeNull();
          return;
        }
        const chosen = active.find((d) => d.staff_id === got)!;
        expect(chosen).toBeDefined();
        // nothing active is strictly better
        const tier = (d: DoctorCandidate) => nearness(customer, d.district, d.areas);
        for (const d of active) {
          expect(tier(d) > tier(chosen) || (tier(d) === tier(chosen) && d.open_tasks >= chosen.open_tasks)).toBe(true);
        }
      }),
    );
  });
});

describe('follow-up vocabulary in cells and flags', () => {
  it.each<[string, Role | null]>([
    ['rep', 'rep'], ['REP', 'rep'], ['满意代表', 'rep'], ['销售代表', 'rep'], [' doctor ', 'doctor'], ['医生', 'doctor'], ['顾服医生', 'doctor'], ['manager', null], ['', null],
  ])('role %j → %s', (raw, role) => {
    expect(parseFollowUpRole(raw)).toBe(role);
  });
  it.each<[string, string | null]>([
    ['phone', 'phone'], ['电话', 'phone'], ['Phone', 'phone'], ['visit', 'visit'], ['上门', 'visit'], ['home visit', 'visit'], ['上门回访', 'visit'], ['letter', null], ['', null],
  ])('method %j → %s', (raw, method) => {
    expect(parseMethod(raw)).toBe(method);
  });
});

describe('§2 events of one customer are applied by date; on one day a purchase first', () => {
  it('sorts by date, and puts a purchase before a plain attendance of the same day', () => {
    const evs = [
      { event_date: '2024-06-15', purchased: false },
      { event_date: '2024-05-18', purchased: false },
      { event_date: '2024-05-18', purchased: true },
    ];
    expect([...evs].sort(compareEvents)).toEqual([evs[2], evs[1], evs[0]]);
  });
  it('applied in that order, a same-day purchase opens a buyer file directly: nothing to cancel', () => {
    const evs = [{ event_date: '2024-05-18', purchased: false }, { event_date: '2024-05-18', purchased: true }].sort(compareEvents);
    let file: FileState | null = null;
    const kinds: string[] = [];
    for (const ev of evs) {
      const e = applyEvent({ file, tasks: [] }, ev, P);
      kinds.push(e.kind);
      file = e.file;
    }
    expect(kinds).toEqual(['open', 'none']);
    expect(file).toEqual({ opened_on: '2024-05-18', buyer: true, bought_on: '2024-05-18' });
  });
});

describe('planNotStarted: why a follow-up became an extra contact', () => {
  const upgraded: FileState = { opened_on: '2024-05-09', buyer: true, bought_on: '2024-06-01' };
  const tasks = () => stored(planFor('2024-06-01', true, P), 10);
  it('a call before the purchase, with the buyer plan open → the plan\'s start', () => {
    expect(matchFollowUp(tasks(), 'rep', '2024-05-20', upgraded).task_id).toBeNull();
    expect(planNotStarted(tasks(), 'rep', '2024-05-20', upgraded)).toEqual({ start: '2024-06-01' });
  });
  it('no open task of the role, or no file → null (a plain extra contact)', () => {
    expect(planNotStarted([], 'rep', '2024-05-20', upgraded)).toBeNull();
    expect(planNotStarted(tasks(), 'rep', '2024-05-20', null)).toBeNull();
  });
  it('a call the plan can take → null', () => {
    expect(planNotStarted(tasks(), 'rep', '2024-06-02', upgraded)).toBeNull();
  });
});

describe('matchableTasks: a follow-up recorded after a later purchase still completes the non-buyer task it was made for', () => {
  const upgraded: FileState = { opened_on: '2024-05-09', buyer: true, bought_on: '2024-06-01' };
  const tasks = () => [
    ...stored(planFor('2024-05-09', false, P), 1).map((t) => ({ ...t, status: 'cancelled' as const })),
    ...stored(planFor('2024-06-01', true, P), 10),
  ];
  it('dated before the purchase: the cancelled non-buyer tasks are matchable again, earliest first', () => {
    const m = matchFollowUp(matchableTasks(tasks(), '2024-05-12', upgraded), 'rep', '2024-05-12', upgraded);
    expect(m).toEqual({ task_id: 1, late: false });
  });
  it('dated on or after the purchase: only the open tasks (the buyer plan)', () => {
    expect(matchableTasks(tasks(), '2024-06-01', upgraded)).toEqual(tasks());
    expect(matchFollowUp(matchableTasks(tasks(), '2024-06-02', upgraded), 'rep', '2024-06-02', upgraded).task_id).toBe(10);
  });
  it('a non-buyer file, or no file: unchanged', () => {
    const nb: FileState = { opened_on: '2024-05-09', buyer: false, bought_on: null };
    expect(matchableTasks(tasks(), '2024-05-12', nb)).toEqual(tasks());
    expect(matchableTasks(tasks(), '2024-05-12', null)).toEqual(tasks());
  });
  it('property: the result of an upgrade and follow-ups does not depend on which came first', () => {
    const isoDate = fc.integer({ min: 0, max: 80 }).map((n) => addDays('2024-05-09', n));
    fc.assert(
      fc.property(fc.array(isoDate, { maxLength: 5 }), isoDate, (calls, purchase) => {
        const sorted = [...calls].sort();
        // a: purchase first, then the calls; b: the calls first, then the purchase
        const run = (purchaseFirst: boolean) => {
          let file: FileState | null = applyEvent({ file: null, tasks: [] }, { event_date: '2024-05-09', purchased: false }, P).file;
          let tasks: Task[] = stored(planFor('2024-05-09', false, P), 1);
          const links = new Map<number, number>(); // call index → task_id
          const buy = (rematch: boolean) => {
            const e = applyEvent({ file, tasks }, { event_date: purchase, purchased: true }, P);
            if (e.kind !== 'upgrade') return;
            for (const [k, v] of [...links]) if (e.cancel.includes(v)) links.delete(k);
            tasks = tasks.map((t) => (e.cancel.includes(t.task_id) ? { ...t, status: 'cancelled' as const, done_on: null } : t));
            tasks = [...tasks, ...stored(e.add, 100)];
            file = e.file;
            // calls on or after the purchase that lost or never had a task are matched again
            if (rematch) sorted.forEach((d, i) => {
              if (links.has(i) || d < purchase) return;
              call(i, d);
            });
          };
          const call = (i: number, d: string) => {
            const m = matchFollowUp(matchableTasks(tasks, d, file), 'rep', d, file);
            if (m.task_id === null) return;
            links.set(i, m.task_id);
            tasks = tasks.map((t) => (t.task_id === m.task_id ? { ...t, status: 'done' as const, done_on: d } : t));
          };
          if (purchaseFirst) {
            buy(false);
            sorted.forEach((d, i) => call(i, d));
          } else {
            sorted.forEach((d, i) => call(i, d));
            buy(true);
          }
          return [...links].sort((x, y) => x[0] - y[0]);
        };
        expect(run(true)).toEqual(run(false));
      }),
    );
  });
});
