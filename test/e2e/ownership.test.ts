/**
 * issue 18: the ownership timeline, through the built CLI. A customer collected on 2024-05-01
 * is assigned to its collector R1 on 2024-06-01, pinned to R2 the same day (R1's period lasts
 * 0 days, and is shown), then handed back to R1 when R2 leaves on 2024-07-10 (`staff leave`
 * run on 2024-07-15: the handover is dated the last day). `customers show` lists the periods
 * (json: an `ownership` array; the table in en and zh, with the time before the first
 * assignment, when the customer had no owner); `export assignments` gives each row its
 * `until` and `days`. Roster: harness ROSTER (R1 浦江县, R2 婺城区, R3 杭州, new).
 */
import { describe, expect, it } from 'vitest';
import { sandboxesPerTest, type Sandbox } from './harness.js';

const sandboxes = sandboxesPerTest();

/** a phone typed into the pin's reason: masked wherever the reason or the explanation is shown (§5) */
const MOBILE = '13812345678';

async function ok(s: Sandbox, args: string[], asOf = '2024-07-31'): Promise<string> {
  const r = await s.run(args, { asOf });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** #1 甲 (collected 2024-05-01): R1, pinned to R2, handed back to R1; #2 乙: R1 since 2024-06-01; #3 丙: never assigned. */
async function timeline(): Promise<Sandbox> {
  const s = await sandboxes.roster();
  const surveys = 'survey_no,name,phone,district,collector,collected_on\nS1,甲,13500000001,330726,R1,2024-05-01\nS2,乙,13500000002,330726,R1,2024-05-02\n';
  await ok(s, ['survey', 'import', s.file('surveys.csv', surveys)], '2024-06-01');
  await ok(s, ['assign'], '2024-06-01');
  await ok(s, ['assign', 'set', '#1', 'R2', '--reason', `家属${MOBILE}要求`], '2024-06-01');
  await ok(s, ['staff', 'leave', 'R2', '--on', '2024-07-10'], '2024-07-15');
  await ok(s, ['survey', 'import', s.file('later.csv', 'survey_no,name,phone,district,collector,collected_on\nS3,丙,13500000003,330726,R1,2024-07-20\n')]);
  return s;
}

const OWNERSHIP = [
  { from: '2024-06-01', until: '2024-06-01', staff_id: 'R1', staff_name: '刘芳', rule: 'collector', previous_staff_id: null },
  { from: '2024-06-01', until: '2024-07-10', staff_id: 'R2', staff_name: '杨洋', rule: 'pin', previous_staff_id: 'R1' },
  { from: '2024-07-10', until: null, staff_id: 'R1', staff_name: '刘芳', rule: 'handover', previous_staff_id: 'R2' },
];

/** The lines of the ownership section of a `customers show` table: its heading to the end of its table. */
function section(stdout: string, heading: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf(heading);
  expect(start, stdout).toBeGreaterThan(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('└'));
  return lines.slice(start, end + 1);
}

describe('customers show: who owned the customer when', () => {
  it('json: an ownership array, oldest first, the same-day pin after the assignment kept (0 days)', async () => {
    const s = await timeline();
    const card = JSON.parse(await ok(s, ['--format', 'json', 'customers', 'show', '#1'])) as Record<string, unknown>;
    expect(card.ownership).toEqual(OWNERSHIP);
    expect(card).toMatchObject({ owner_id: 'R1', assigned_on: '2024-07-10' });
    // the pin reason is masked on the card (§5) and appears nowhere in full
    expect(JSON.stringify(card)).not.toContain(MOBILE);
    const never = JSON.parse(await ok(s, ['--format', 'json', 'customers', 'show', '#3'])) as Record<string, unknown>;
    expect(never.ownership).toEqual([]);
  });

  it('the table in English: the time before the first assignment without an owner, "now" for the current owner', async () => {
    const s = await timeline();
    expect(section(await ok(s, ['customers', 'show', '#1']), 'Owners, oldest first (each until the day the next took over):')).toEqual([
      'Owners, oldest first (each until the day the next took over):',
      '┌────────────┬────────────┬──────┬────────────────────────────────────┬───────────┬────────────────┐',
      '│ From       │ Until      │ Days │ Owner                              │ Rule      │ Previous owner │',
      '├────────────┼────────────┼──────┼────────────────────────────────────┼───────────┼────────────────┤',
      '│ 2024-05-01 │ 2024-06-01 │   31 │ none (collected, not yet assigned) │           │                │',
      '│ 2024-06-01 │ 2024-06-01 │    0 │ R1 刘芳                            │ collector │                │',
      '│ 2024-06-01 │ 2024-07-10 │   39 │ R2 杨洋                            │ pin       │ R1             │',
      '│ 2024-07-10 │ now        │   21 │ R1 刘芳                            │ handover  │ R2             │',
      '└────────────┴────────────┴──────┴────────────────────────────────────┴───────────┴────────────────┘',
    ]);
  });

  it('the table in Chinese: the rules in words, 至今 for the current owner; a customer never assigned has no owner until now', async () => {
    const s = await timeline();
    const heading = '跟进人变更（由早到晚，每位跟进至下一位接手当日）：';
    expect(section(await ok(s, ['--lang', 'zh', 'customers', 'show', '#1']), heading)).toEqual([
      heading,
      '┌────────────┬────────────┬──────┬────────────────────────┬──────────┬──────────┐',
      '│ 起始日期   │ 结束日期   │ 天数 │ 跟进人                 │ 规则     │ 原跟进人 │',
      '├────────────┼────────────┼──────┼────────────────────────┼──────────┼──────────┤',
      '│ 2024-05-01 │ 2024-06-01 │   31 │ 无（已收集，尚未分配） │          │          │',
      '│ 2024-06-01 │ 2024-06-01 │    0 │ R1 刘芳                │ 收集人   │          │',
      '│ 2024-06-01 │ 2024-07-10 │   39 │ R2 杨洋                │ 经理指定 │ R1       │',
      '│ 2024-07-10 │ 至今       │   21 │ R1 刘芳                │ 离职交接 │ R2       │',
      '└────────────┴────────────┴──────┴────────────────────────┴──────────┴──────────┘',
    ]);
    expect(section(await ok(s, ['--lang', 'zh', 'customers', 'show', '#3']), heading).slice(4)).toEqual([
      '│ 2024-07-20 │ 至今     │   11 │ 无（已收集，尚未分配） │      │          │',
      '└────────────┴──────────┴──────┴────────────────────────┴──────┴──────────┘',
    ]);
  });

  it('an owner with no assignment on record (a database filled by hand) is said in a line, with no period', async () => {
    const s = await timeline();
    s.exec("UPDATE customers SET owner_id = 'R1' WHERE customer_id = 3");
    expect(await ok(s, ['customers', 'show', '#3'])).toContain('\nOwners: no change of owner on record; the owner is R1\n');
    expect(JSON.parse(await ok(s, ['--format', 'json', 'customers', 'show', '#3']))).toMatchObject({ owner_id: 'R1', ownership: [] });
  });
});

describe('export assignments: each row a period of ownership', () => {
  it('until (the customer\'s next change of owner, null for the current one) and days, appended after the columns it had', async () => {
    const s = await timeline();
    const rows = JSON.parse(await ok(s, ['--format', 'json', 'export', 'assignments'])) as Record<string, unknown>[];
    expect(rows.map((r) => Object.keys(r))[0]).toEqual(['assignment_id', 'customer_id', 'staff_id', 'previous_staff_id', 'rule', 'explanation', 'assigned_on', 'until', 'days']);
    expect(rows.map((r) => [r.customer_id, r.staff_id, r.previous_staff_id, r.rule, r.assigned_on, r.until, r.days])).toEqual([
      [1, 'R1', null, 'collector', '2024-06-01', '2024-06-01', 0],
      [2, 'R1', null, 'collector', '2024-06-01', null, 60],
      [1, 'R2', 'R1', 'pin', '2024-06-01', '2024-07-10', 39],
      [1, 'R1', 'R2', 'handover', '2024-07-10', null, 21],
    ]);
    // §5: the explanation is free text, its phone masked
    expect(rows[2].explanation).toBe("manager's pin: 家属138****5678要求");
    expect(JSON.stringify(rows)).not.toContain(MOBILE);
  });

  it('--period: the rows of the period, each until its next change even after the period; --as-of bounds the current one', async () => {
    const s = await timeline();
    const rows = JSON.parse(await ok(s, ['--format', 'json', 'export', 'assignments', '--period', '2024-06'], '2024-06-30')) as Record<string, unknown>[];
    expect(rows.map((r) => [r.customer_id, r.rule, r.until, r.days])).toEqual([
      [1, 'collector', '2024-06-01', 0],
      [2, 'collector', null, 29],
      [1, 'pin', '2024-07-10', 39],
    ]);
  });

  it('csv for people in Chinese: the new columns headed from the catalogue', async () => {
    const s = await timeline();
    await ok(s, ['--lang', 'zh', 'export', 'assignments', '--out', 'a.csv']);
    const csv = (await import('node:fs')).readFileSync(`${s.dir}/a.csv`, 'utf8');
    expect(csv.split('\r\n')[0].replace(/^\ufeff/, '')).toBe('分配记录编号,顾客编号,跟进人,原跟进人,分配规则,说明,分配日期,结束日期,跟进天数');
  });
});
