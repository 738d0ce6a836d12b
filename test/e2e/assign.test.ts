/**
 * SPEC §3.1 assignment and §3.4 handover through the built binary: `assign`, `assign set`,
 * `assign unpin`, `staff leave`, roster re-import with left_on, and `check` afterwards.
 * Roster (harness ROSTER): R1 浦江县 330726 (capacity 300), R2 婺城区 330702, R3 杭州西湖区
 * 330106 hired 2024-06-03 (new staff on 2024-07-31); S1 supervisor, D1 doctor, M1, G1.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { sandbox, TEST_ENGINE, withRoster, type Sandbox } from './harness.js';

const HEADER = 'survey_no,name,gender,birth_year,phone,address,district,health,collector,collected_on\n';

let s: Sandbox;
afterEach(() => s?.cleanup());

interface Out {
  customer_id: number;
  staff_id: string;
  rule: string;
  explanation: string;
}

let phoneSeq = 0;
/** survey rows: [name, district, collector, collected_on] */
function surveys(rows: [string, string, string, string][]): string {
  return (
    HEADER +
    rows
      .map(([name, district, collector, on]) => `,${name},女,1950,138${String(++phoneSeq).padStart(8, '0')},,${district},,${collector},${on}`)
      .join('\n') +
    '\n'
  );
}

async function importSurveys(rows: [string, string, string, string][], name = 'surveys.csv'): Promise<void> {
  const r = await s.run(['survey', 'import', s.file(name, surveys(rows))]);
  expect(r.code, r.stderr).toBe(0);
}

async function addStaff(csv: string): Promise<void> {
  const r = await s.run(['staff', 'import', s.file(`extra-${++phoneSeq}.csv`, 'staff_id,name,role,team,district,areas,hired_on,regular_on,left_on,capacity\n' + csv)]);
  expect(r.code, r.stderr).toBe(0);
}

async function assignJson(args: string[] = [], opts: { asOf?: string; lang?: string } = {}): Promise<{ code: number; rows: Out[]; stderr: string }> {
  const r = await s.run(['--format', 'json', 'assign', ...args], opts);
  return { code: r.code, rows: r.code === 0 ? (JSON.parse(r.stdout) as Out[]) : [], stderr: r.stderr };
}

function idOf(name: string): number {
  return s.query<{ customer_id: number }>('SELECT customer_id FROM customers WHERE name = ?', name)[0].customer_id;
}

function owners(): Record<string, string | null> {
  const o: Record<string, string | null> = {};
  for (const r of s.query<{ name: string; owner_id: string | null }>('SELECT name, owner_id FROM customers ORDER BY customer_id')) o[r.name] = r.owner_id;
  return o;
}

/** Everything assignment may write, to compare before and after. */
function snapshot(): unknown {
  return {
    customers: s.query('SELECT customer_id, owner_id, assigned_on, pinned, pin_reason FROM customers ORDER BY customer_id'),
    assignments: s.query('SELECT * FROM assignments ORDER BY assignment_id'),
    handovers: s.query('SELECT * FROM handovers ORDER BY handover_id'),
    tasks: s.query('SELECT task_id, staff_id, status FROM tasks ORDER BY task_id'),
    staff: s.query('SELECT staff_id, left_on FROM staff ORDER BY staff_id'),
  };
}

/**
 * `check` finds nothing: exit 0, no output — on a server but the one line it always says of
 * the storage checks the server makes itself (test/e2e/checkTriggers.test.ts).
 */
async function expectCheckSilent(): Promise<void> {
  const c = await s.run(['check']);
  expect(c.stdout).toBe('');
  if (TEST_ENGINE === 'postgres') expect(c.stderr).toMatch(/^storage integrity: the server's [^\n]*\n$/);
  else expect(c.stderr).toBe('');
  expect(c.code).toBe(0);
}

describe('assign: the rules of §3.1', () => {
  it('the collector keeps it; JSON rows carry exactly customer_id, staff_id, rule, explanation', async () => {
    s = await withRoster();
    await importSurveys([
      ['甲', '330726', 'R1', '2024-06-01'],
      ['乙', '110101', 'R2', '2024-06-02'], // far from R2: the collector still keeps it
      ['丙', '330106', 'R3', '2024-06-03'],
    ]);
    const { code, rows } = await assignJson();
    expect(code).toBe(0);
    expect(rows.map((r) => Object.keys(r))).toEqual(Array(3).fill(['customer_id', 'staff_id', 'rule', 'explanation']));
    expect(rows.map((r) => [r.customer_id, r.staff_id, r.rule])).toEqual([
      [idOf('甲'), 'R1', 'collector'],
      [idOf('乙'), 'R2', 'collector'],
      [idOf('丙'), 'R3', 'collector'],
    ]);
    expect(rows[0].explanation).toBe('collector R1 is an active rep: who collects it keeps it');
    expect(owners()).toEqual({ 甲: 'R1', 乙: 'R2', 丙: 'R3' });
    const hist = s.query('SELECT customer_id, staff_id, previous_staff_id, rule, assigned_on FROM assignments ORDER BY assignment_id');
    expect(hist).toEqual([
      { customer_id: idOf('甲'), staff_id: 'R1', previous_staff_id: null, rule: 'collector', assigned_on: '2024-07-31' },
      { customer_id: idOf('乙'), staff_id: 'R2', previous_staff_id: null, rule: 'collector', assigned_on: '2024-07-31' },
      { customer_id: idOf('丙'), staff_id: 'R3', previous_staff_id: null, rule: 'collector', assigned_on: '2024-07-31' },
    ]);
    await expectCheckSilent();
  });

  it('a customer of a non-rep collector or of a leaver goes by nearness, and the reason says why', async () => {
    s = await withRoster();
    await addStaff('R9,离职者,rep,T1,330702,,2020-01-01,,2024-05-31,\n');
    await importSurveys([
      ['浦江客', '330726', 'S1', '2024-05-01'], // supervisor collected: R1 is the only rep in 浦江县
      ['婺城客', '330702', 'R9', '2024-05-02'], // leaver collected: R2 is the only rep in 婺城区
      ['义乌客', '330782', 'M1', '2024-05-03'], // 义乌市: no rep in the county; R1 and R2 in 金华市
    ]);
    const { code, rows } = await assignJson(['--explain']);
    expect(code).toBe(0);
    const by = Object.fromEntries(rows.map((r) => [r.customer_id, r]));
    expect(by[idOf('浦江客')]).toMatchObject({ staff_id: 'R1', rule: 'nearness' });
    expect(by[idOf('浦江客')].explanation).toBe('collector S1 is a supervisor, not a rep; nearest reps by county (or their areas): only R1');
    expect(by[idOf('婺城客')]).toMatchObject({ staff_id: 'R2', rule: 'nearness' });
    expect(by[idOf('婺城客')].explanation).toContain('collector R9 left on 2024-05-31');
    // the city tier holds R1 (1/300 now) and R2 (1/500): the lower load relative to capacity wins;
    // R3 (new) is only in the province tier, so the new-staff share cannot pick it
    expect(by[idOf('义乌客')]).toMatchObject({ staff_id: 'R2', rule: 'workload' });
    expect(by[idOf('义乌客')].explanation).toBe('collector M1 is a manager, not a rep; least loaded of 2 in same city: R2 (1/500)');
    expect(rows.every((r) => r.staff_id !== 'R9' && r.staff_id !== 'S1')).toBe(true);
    await expectCheckSilent();
  });

  it('gives new staff their share: the first pick and then one in five, visible in rule and reason', async () => {
    s = await withRoster();
    // capacity 10: after one customer R8 (1/10) is more loaded than R1 (n/300), so rule 4 never
    // picks R8 and only the share does
    await addStaff('R8,新人,rep,T1,330726,,2024-07-01,,,10\n');
    await importSurveys(Array.from({ length: 10 }, (_, i) => [`客${i}`, '330726', 'S1', `2024-06-${String(10 + i)}`] as [string, string, string, string]));
    const { code, rows, stderr } = await assignJson();
    expect(code).toBe(0);
    expect(rows).toHaveLength(10);
    const newStaff = rows.map((r, i) => [i, r]).filter(([, r]) => (r as Out).rule === 'new_staff').map(([i]) => i);
    // pick 1: 0 < 20% × 1; pick 6: 1 < 20% × 6 (pick 5: 1 < 20% × 5 is false)
    expect(newStaff).toEqual([0, 5]);
    expect(rows[0].staff_id).toBe('R8');
    expect(rows[0].explanation).toBe(
      'collector S1 is a supervisor, not a rep; new-staff share: 0 of 1 so far below 20%; R8 hired 2024-07-01, least loaded new rep in same county or areas (0/10)',
    );
    expect(rows.filter((r) => r.rule !== 'new_staff').every((r) => r.rule === 'workload' && r.staff_id === 'R1')).toBe(true);
    // the per-rep summary on stderr counts by rule
    expect(stderr).toContain('per rep:');
    expect(stderr).toMatch(/R8\s+│\s+新人\s+│\s+\d+\s+│\s+0\s+│\s+0\s+│\s+2\s+│/);
    expect(stderr).toContain('assigned 10 customers on 2024-07-31 (collector 0, nearness 0, new staff 2, workload 8)');
  });

  it('takes the new-staff share from the policy version in force on the assignment date (§6)', async () => {
    s = await withRoster();
    await addStaff('R8,新人,rep,T1,330726,,2024-07-01,,,10\n');
    const load = await s.run(['policy', 'load', s.file('p.json', '{"assign": {"new_staff_share": 0}}'), '--from', '2024-07-15']);
    expect(load.code, load.stderr).toBe(0);
    await importSurveys([['甲', '330726', 'S1', '2024-06-10']]);
    // before the version: the default 20% gives the first pick to R8
    expect((await assignJson(['--dry-run'], { asOf: '2024-07-10' })).rows[0]).toMatchObject({ staff_id: 'R8', rule: 'new_staff' });
    // from it: no share, rule 4 picks R1 (0/300 against R8 0/10: tied on load, then staff_id)
    expect((await assignJson([], { asOf: '2024-07-31' })).rows[0]).toMatchObject({ staff_id: 'R1', rule: 'workload' });
  });

  it('breaks workload ties by load/capacity, then on-time rate, then conversion rate, then staff_id', async () => {
    s = await withRoster();
    await addStaff('R7,七,rep,T3,330782,,2020-01-01,,,\nR8,八,rep,T3,330782,,2020-01-01,,,\n');
    await importSurveys([
      ['一', '330782', 'S1', '2024-06-01'],
      ['二', '330782', 'S1', '2024-06-02'],
      ['三', '330782', 'S1', '2024-06-03'],
    ]);
    let r = await assignJson(['--explain']);
    expect(r.rows.map((x) => [x.staff_id, x.rule])).toEqual([
      ['R7', 'workload'],
      ['R8', 'workload'],
      ['R7', 'workload'],
    ]);
    expect(r.rows[0].explanation).toContain('first by staff id: R7');
    expect(r.rows[1].explanation).toContain('least loaded of 2');

    // loads now R7 2, R8 1: give R8 a pin so loads tie at 2/500, and an on-time record
    await importSurveys([['四', '110101', 'R1', '2024-06-04']], 's2.csv');
    expect((await s.run(['assign', 'set', '#' + idOf('四'), 'R8', '--reason', '指定'])).code).toBe(0);
    s.exec("INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, status, done_on) VALUES (?, 'rep', 1, 'manual', '2024-07-10', 'R8', 'done', '2024-07-09')", idOf('四'));
    await importSurveys([['五', '330782', 'S1', '2024-06-05']], 's3.csv');
    r = await assignJson(['--explain']);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ staff_id: 'R8', rule: 'workload' });
    expect(r.rows[0].explanation).toContain('best on-time rate: R8');
    expect(r.rows[0].explanation).toContain('on time 100%');
  });

  it('ranks by conversion rate when load and on-time rate tie', async () => {
    s = await withRoster();
    await addStaff('R7,七,rep,T3,330782,,2020-01-01,,,\nR8,八,rep,T3,330782,,2020-01-01,,,\n');
    await importSurveys([
      ['七的', '110101', 'R1', '2024-06-01'],
      ['八的', '110101', 'R1', '2024-06-02'],
    ]);
    expect((await s.run(['assign', 'set', '#' + idOf('七的'), 'R7', '--reason', 'x'])).code).toBe(0);
    expect((await s.run(['assign', 'set', '#' + idOf('八的'), 'R8', '--reason', 'x'])).code).toBe(0);
    s.exec("INSERT INTO files (customer_id, opened_on, buyer, bought_on) VALUES (?, '2024-07-01', 0, NULL)", idOf('七的'));
    s.exec("INSERT INTO files (customer_id, opened_on, buyer, bought_on) VALUES (?, '2024-07-01', 1, '2024-07-01')", idOf('八的'));
    await importSurveys([['新客', '330782', 'S1', '2024-06-05']], 's2.csv');
    const r = await assignJson(['--explain']);
    expect(r.rows[0]).toMatchObject({ staff_id: 'R8', rule: 'workload' });
    expect(r.rows[0].explanation).toContain('best conversion: R8 (100%)');
  });

  it('--dry-run writes nothing and explains in English and Chinese', async () => {
    s = await withRoster();
    await importSurveys([
      ['甲', '330726', 'R1', '2024-06-01'],
      ['乙', '330726', 'S1', '2024-06-02'],
    ]);
    const before = snapshot();
    const en = await s.run(['assign', '--dry-run', '--explain']);
    expect(en.code).toBe(0);
    expect(en.stdout).toContain('who collects it keeps it');
    expect(en.stdout).toContain('explanation');
    expect(en.stderr).toContain('dry run: 2 customers would be assigned on 2024-07-31');
    expect(en.stderr).toContain('nothing was written');
    const zh = await s.run(['assign', '--dry-run', '--explain'], { lang: 'zh' });
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('收集人 R1 在职，谁收集归谁');
    expect(zh.stdout).toContain('收集人 S1 是 销售主管，不是销售代表');
    expect(zh.stdout).toContain('说明');
    expect(zh.stderr).toContain('未写入任何数据');
    expect(snapshot()).toEqual(before);
    // without --explain the table has no explanation column
    const plain = await s.run(['assign', '--dry-run']);
    expect(plain.stdout).not.toContain('explanation');
    expect(plain.stdout).toContain('甲');
    expect(snapshot()).toEqual(before);
  });

  it('re-running assigns nothing new and changes no owner; only new customers are assigned later', async () => {
    s = await withRoster();
    await importSurveys([
      ['甲', '330726', 'R1', '2024-06-01'],
      ['乙', '330702', 'S1', '2024-06-02'],
    ]);
    expect((await assignJson()).rows).toHaveLength(2);
    const first = owners();
    const again = await s.run(['--format', 'json', 'assign']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual([]);
    expect(again.stderr).toContain('no unassigned customers');
    expect(owners()).toEqual(first);
    await importSurveys([['丙', '330702', 'R2', '2024-06-03']], 's2.csv');
    const third = await assignJson();
    expect(third.rows.map((r) => r.customer_id)).toEqual([idOf('丙')]);
    expect(owners()).toEqual({ ...first, 丙: 'R2' });
    expect(s.query('SELECT count(*) AS n FROM assignments')[0]).toEqual({ n: 3 });
  });

  it('streams every format as one document (2,500 rows); the table stops at 1,000 unless --limit says', async () => {
    s = await withRoster();
    await importSurveys(Array.from({ length: 2500 }, (_, i) => [`客${i}`, '330726', ['R1', 'R2', 'R3'][i % 3], '2024-06-01'] as [string, string, string, string]));
    const before = snapshot();
    const json = await s.run(['--format', 'json', 'assign', '--dry-run']);
    const rows = JSON.parse(json.stdout) as Out[];
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(2500);
    const csv = (await s.run(['--format', 'csv', 'assign', '--dry-run'])).stdout;
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2501);
    expect(lines[0]).toBe('customer_id,staff_id,rule,explanation');
    expect(lines.filter((l) => l.includes('customer_id'))).toHaveLength(1);
    const jsonl = (await s.run(['--format', 'jsonl', 'assign', '--dry-run'])).stdout.trim().split('\n');
    expect(jsonl.map((l) => JSON.parse(l))).toEqual(rows);
    // the table form shows the first 1,000 (the one --limit rule) and says how to get all
    const table = await s.run(['assign', '--dry-run']);
    expect(table.stderr).toContain('the table shows the first 1000 of 2500 rows; for all of them use --format csv');
    expect(table.stdout).toContain(` ${rows[999].customer_id.toLocaleString('en-US')} │`);
    expect(table.stdout).not.toContain(` ${rows[1000].customer_id.toLocaleString('en-US')} │`);
    // --limit 0: every row, nothing said about a cut
    const all = await s.run(['assign', '--dry-run', '--limit', '0']);
    expect(all.stdout).toContain(` ${rows[2499].customer_id.toLocaleString('en-US')} │`);
    expect(all.stderr).not.toContain('the table shows the first');
    expect(snapshot()).toEqual(before);
  });
});

describe('assign: nobody to assign to', () => {
  it('exits 1 and writes nothing when no rep is active on the date, saying why', async () => {
    s = await withRoster();
    await importSurveys([['甲', '330726', 'R1', '2020-06-01']]);
    const before = snapshot();
    const r = await s.run(['assign'], { asOf: '2021-01-01' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('none of the 1 unassigned customers can be assigned: no active rep on 2021-01-01');
    expect(r.stderr).toContain('what to do:');
    expect(snapshot()).toEqual(before);
  });

  it('assigns what fits, lists the rest with the reason (exit 0), then exits 1 when all are full', async () => {
    s = sandbox();
    expect((await s.run(['init'])).code).toBe(0);
    await addStaff('G1,总,gm,HQ,330702,,2015-01-01,,,\nS1,主管,supervisor,T1,330726,,2019-01-01,,,\nR7,七,rep,T1,330726,,2020-01-01,,,2\n');
    await importSurveys([
      ['一', '330726', 'S1', '2024-06-01'],
      ['二', '330726', 'S1', '2024-06-02'],
      ['三', '330726', 'S1', '2024-06-03'],
      ['四', '330726', 'S1', '2024-06-04'],
    ]);
    const r = await assignJson();
    expect(r.code).toBe(0);
    expect(r.rows.map((x) => x.customer_id)).toEqual([idOf('一'), idOf('二')]);
    expect(r.stderr).toContain(`warning: 2 customers left unassigned: all 1 active reps are at capacity (e.g. #${idOf('三')}, #${idOf('四')})`);
    const before = snapshot();
    const full = await s.run(['assign']);
    expect(full.code).toBe(1);
    expect(full.stderr).toContain('none of the 2 unassigned customers can be assigned: all 1 active reps are at capacity');
    expect(full.stderr).toContain('capacity (档案上限)');
    expect(snapshot()).toEqual(before);
  });
});

describe('assign set / unpin: the manager’s pin', () => {
  it('a pin wins over the collector, survives later runs, and moves open rep tasks', async () => {
    s = await withRoster();
    await importSurveys([
      ['甲', '330726', 'R1', '2024-06-01'],
      ['乙', '330726', 'R1', '2024-06-02'],
    ]);
    s.exec("INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id) VALUES (?, 'rep', 1, 'manual', '2024-08-10', NULL)", idOf('甲'));
    const pin = await s.run(['--format', 'json', 'assign', 'set', '#' + idOf('甲'), 'R2', '--reason', '老客户指定']);
    expect(pin.code, pin.stderr).toBe(0);
    expect(JSON.parse(pin.stdout)).toEqual([{ customer_id: idOf('甲'), staff_id: 'R2', rule: 'pin', explanation: "manager's pin: 老客户指定" }]);
    expect(s.query('SELECT owner_id, pinned, pin_reason FROM customers WHERE customer_id = ?', idOf('甲'))[0]).toEqual({ owner_id: 'R2', pinned: 1, pin_reason: '老客户指定' });
    expect(s.query('SELECT staff_id FROM tasks')[0]).toEqual({ staff_id: 'R2' });
    expect(s.query("SELECT staff_id, previous_staff_id, rule FROM assignments WHERE rule = 'pin'")).toEqual([{ staff_id: 'R2', previous_staff_id: null, rule: 'pin' }]);

    const r = await assignJson();
    expect(r.rows.map((x) => x.customer_id)).toEqual([idOf('乙')]);
    expect(owners()).toEqual({ 甲: 'R2', 乙: 'R1' });
    await importSurveys([['丙', '330726', 'R1', '2024-06-03']], 's2.csv');
    await assignJson();
    expect(owners()).toEqual({ 甲: 'R2', 乙: 'R1', 丙: 'R1' });
    expect(s.query('SELECT pinned FROM customers WHERE customer_id = ?', idOf('甲'))[0]).toEqual({ pinned: 1 });

    // a pin can also move an owned customer, by phone; the history keeps the previous owner
    const phone = s.query<{ phone: string }>('SELECT phone FROM customers WHERE name = ?', '乙')[0].phone;
    expect((await s.run(['assign', 'set', phone, 'R3', '--reason', '家属要求'])).code).toBe(0);
    expect(s.query("SELECT staff_id, previous_staff_id FROM assignments WHERE rule = 'pin' ORDER BY assignment_id DESC LIMIT 1")[0]).toEqual({ staff_id: 'R3', previous_staff_id: 'R1' });

    // unpin keeps the owner
    const un = await s.run(['assign', 'unpin', '#' + idOf('甲')]);
    expect(un.code).toBe(0);
    expect(un.stderr).toContain('R2 stays the owner');
    expect(s.query('SELECT owner_id, pinned, pin_reason FROM customers WHERE customer_id = ?', idOf('甲'))[0]).toEqual({ owner_id: 'R2', pinned: 0, pin_reason: null });
    expect((await s.run(['assign', 'unpin', '#' + idOf('甲')])).stderr).toContain('is not pinned');
    await expectCheckSilent();
  });

  it('refuses unknown customers and staff, non-reps, leavers and reps not yet hired: exit 1, nothing written', async () => {
    s = await withRoster();
    await addStaff('R9,离职者,rep,T1,330702,,2020-01-01,,2024-05-31,\n');
    await importSurveys([['甲', '330726', 'R1', '2024-04-01']]);
    const c = '#' + idOf('甲');
    const before = snapshot();
    const cases: [string[], string, string, string?][] = [
      [['13900000000', 'R1'], 'no customer 13900000000', 'customers list'],
      [['#999', 'R1'], 'no customer #999', 'customers list'],
      [[c, 'R99'], 'no staff member R99', 'staff list --role rep --active'],
      [[c, 'S1'], 'S1 is a supervisor, not a rep, and cannot own customers', 'pin to a rep'],
      [[c, 'D1'], 'D1 is a doctor, not a rep', 'pin to a rep'],
      [[c, 'R9'], 'R9 left on 2024-05-31', 'pin to an active rep'],
      [[c, 'R3'], 'R3 is hired only from 2024-06-03, not yet on 2024-05-01', 'use --as-of 2024-06-03 or later', '2024-05-01'],
    ];
    for (const [args, message, hint, asOf] of cases) {
      const r = await s.run(['assign', 'set', ...args, '--reason', '指定'], asOf ? { asOf } : {});
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain(hint);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
    expect(snapshot()).toEqual(before);
  });

  it('without a terminal, a missing --reason or argument is a usage error naming it (exit 2)', async () => {
    s = await withRoster();
    await importSurveys([['甲', '330726', 'R1', '2024-04-01']]);
    const before = snapshot();
    const r = await s.run(['assign', 'set', '#' + idOf('甲'), 'R2']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--reason is required when not running interactively');
    const r2 = await s.run(['assign', 'set', '#' + idOf('甲'), '--reason', 'x']);
    expect(r2.code, r2.stderr).toBe(2);
    expect(r2.stderr).toContain('STAFF is required');
    const r3 = await s.run(['assign', 'set', '#' + idOf('甲'), 'R2', '--reason', '  ']);
    expect(r3.code, r3.stderr).toBe(2);
    expect(snapshot()).toEqual(before);
  });
});

describe('§5: what assign prints of a customer has its phone and ID numbers masked, as customers list does', () => {
  const MOBILE = '13911112222';
  const ID = '330726195001011234';
  const LANDLINE = '0571-88881234';

  /** no sealed number in full, nor 7 of its digits in a row (separators removed) */
  function expectNoSealed(out: string, ...sealed: string[]): void {
    const digits = out.replace(/[\s\-.()/]/g, '');
    for (const n of sealed) {
      const plain = n.replace(/\D/g, '');
      for (let k = 0; k + 7 <= plain.length; k++) expect(digits, `${plain.slice(k, k + 7)} of ${n}`).not.toContain(plain.slice(k, k + 7));
    }
  }

  it('the assign table (and its dry run) shows the name masked; machine formats carry no name', async () => {
    s = await withRoster();
    await importSurveys([
      [`王阿姨${MOBILE}`, '330726', 'R1', '2024-06-01'],
      // typed with a space: a name is stored without spaces between Chinese characters (issue 15)
      [`李伯 身份证${ID}`, '330726', 'R1', '2024-06-02'],
    ]);
    const listed = await s.run(['customers', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    const json = await s.run(['--format', 'json', 'assign', '--dry-run']);
    expect(json.code, json.stderr).toBe(0);
    for (const row of JSON.parse(json.stdout)) expect(Object.keys(row)).toEqual(['customer_id', 'staff_id', 'rule', 'explanation']);
    expectNoSealed(json.stdout + json.stderr, MOBILE, ID);
    for (const args of [['assign', '--dry-run'], ['assign', '--dry-run', '--explain'], ['assign']]) {
      const r = await s.run(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('王阿姨139****2222');
      expect(r.stdout).toContain('李伯身份证330726********1234');
      expectNoSealed(r.stdout + r.stderr, MOBILE, ID);
    }
    // the same rule as the customer listing
    expect(listed.stdout).toContain('王阿姨139****2222');
    expect(listed.stdout).toContain('李伯身份证330726********1234');
    // stored as typed
    expect(s.query('SELECT name FROM customers ORDER BY customer_id')).toEqual([{ name: `王阿姨${MOBILE}` }, { name: `李伯身份证${ID}` }]);
  });

  it('assign set: the echo on stderr and the table mask the name and the reason; json has neither name nor a full number', async () => {
    s = await withRoster();
    await importSurveys([
      [`张三${MOBILE}`, '330726', 'R1', '2024-06-01'],
      [`李四 ${ID}`, '330726', 'R1', '2024-06-02'],
    ]);
    const table = await s.run(['assign', 'set', '#' + idOf(`张三${MOBILE}`), 'R2', '--reason', `家属${LANDLINE}要求`]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stderr).toContain(`pinned #${idOf(`张三${MOBILE}`)} 张三139****2222 to R2`);
    expect(table.stdout).toContain('张三139****2222');
    expect(table.stdout).toContain('家属057*****1234要求');
    expectNoSealed(table.stdout + table.stderr, MOBILE, LANDLINE);

    const json = await s.run(['--format', 'json', 'assign', 'set', '#' + idOf(`李四 ${ID}`), 'R2', '--reason', `本人${MOBILE}来电`]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([{ customer_id: idOf(`李四 ${ID}`), staff_id: 'R2', rule: 'pin', explanation: "manager's pin: 本人139****2222来电" }]);
    expect(json.stderr).toContain('李四 330726********1234');
    expectNoSealed(json.stdout + json.stderr, MOBILE, ID);
    // stored as typed
    expect(s.query('SELECT pin_reason FROM customers ORDER BY customer_id')).toEqual([{ pin_reason: `家属${LANDLINE}要求` }, { pin_reason: `本人${MOBILE}来电` }]);
  });

  it('assign set on an archived customer: the refusal masks the archive reason', async () => {
    s = await withRoster();
    await importSurveys([['王五', '330726', 'R1', '2024-06-01']]);
    s.exec('UPDATE customers SET archived_on = ?, archive_reason = ? WHERE customer_id = ?', '2024-07-01', `搬走，新号${MOBILE}`, idOf('王五'));
    const before = snapshot();
    const r = await s.run(['assign', 'set', '#' + idOf('王五'), 'R2', '--reason', '指定']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`customer #${idOf('王五')} is archived (搬走，新号139****2222)`);
    expectNoSealed(r.stdout + r.stderr, MOBILE);
    expect(snapshot()).toEqual(before);
  });
});

describe('handover (§3.4)', () => {
  async function setup(): Promise<void> {
    s = await withRoster();
    await importSurveys([
      ['甲', '330702', 'R2', '2024-06-01'],
      ['乙', '330726', 'R2', '2024-06-02'],
      ['丙', '330106', 'R2', '2024-06-03'],
      ['丁', '330726', 'R1', '2024-06-04'],
    ]);
    expect((await assignJson()).code).toBe(0);
  }

  it('staff leave hands every customer over to an active rep, prints and keeps the list, moves open rep tasks', async () => {
    await setup();
    expect((await s.run(['assign', 'set', '#' + idOf('甲'), 'R2', '--reason', '老客户'])).code).toBe(0);
    s.exec("INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id) VALUES (?, 'rep', 1, 'manual', '2024-08-10', 'R2')", idOf('乙'));
    s.exec("INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id, status, done_on) VALUES (?, 'rep', 2, 'manual', '2024-07-10', 'R2', 'done', '2024-07-09')", idOf('乙'));

    const r = await s.run(['--format', 'json', 'staff', 'leave', 'R2', '--on', '2024-06-30']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('R2 leaves on 2024-06-30; 3 customers handed over');
    const list = JSON.parse(r.stdout) as { customer_id: number; new_staff_id: string; rule: string; explanation: string }[];
    expect(list.map((x) => [x.customer_id, x.new_staff_id, x.rule])).toEqual([
      [idOf('甲'), 'R1', 'nearness'], // 婺城区: R1 is the only rep in 金华市 (R3, new, is only in the province)
      [idOf('乙'), 'R1', 'nearness'],
      [idOf('丙'), 'R3', 'new_staff'], // 西湖区: R3 is new and in the county; 0 of 3 so far below 20%
    ]);
    expect(list[1].explanation).toBe('handover from R2: nearest reps by county (or their areas): only R1');
    expect(list.find((x) => x.customer_id === idOf('甲'))!.explanation).toContain('pin cleared (it was: 老客户)');
    // nobody keeps a customer of R2; every new owner is an active rep
    expect(s.query("SELECT count(*) AS n FROM customers WHERE owner_id = 'R2'")[0]).toEqual({ n: 0 });
    expect(s.query('SELECT pinned FROM customers WHERE customer_id = ?', idOf('甲'))[0]).toEqual({ pinned: 0 });
    for (const x of list) expect(['R1', 'R3']).toContain(x.new_staff_id);
    // kept: handovers and the assignment history
    expect(s.query('SELECT leaver_id, customer_id, new_staff_id, left_on, tasks_moved FROM handovers ORDER BY customer_id')).toEqual(
      list
        .map((x) => ({ leaver_id: 'R2', customer_id: x.customer_id, new_staff_id: x.new_staff_id, left_on: '2024-06-30', tasks_moved: x.customer_id === idOf('乙') ? 1 : 0 }))
        .sort((a, b) => a.customer_id - b.customer_id),
    );
    const hist = s.query<{ rule: string; previous_staff_id: string; staff_id: string }>("SELECT rule, previous_staff_id, staff_id FROM assignments WHERE rule = 'handover'");
    expect(hist).toHaveLength(3);
    expect(hist.every((h) => h.previous_staff_id === 'R2')).toBe(true);
    // the open task moved, the done one did not
    expect(s.query('SELECT staff_id, status FROM tasks ORDER BY task_id')).toEqual([
      { staff_id: 'R1', status: 'open' },
      { staff_id: 'R2', status: 'done' },
    ]);
    // later runs never give R2 anything
    await importSurveys([['戊', '330702', 'R2', '2024-06-05']], 's2.csv');
    const after = await assignJson(['--explain']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.rows[0].staff_id).not.toBe('R2');
    expect(after.rows[0].explanation).toContain('collector R2 left on 2024-06-30');
    await expectCheckSilent();
  });

  it('a roster re-import with left_on hands over too, and prints the list', async () => {
    await setup();
    const roster = 'staff_id,name,role,team,district,areas,hired_on,regular_on,left_on,capacity\nR1,刘芳,rep,T1,330726,,2021-03-01,2021-06-01,2024-07-15,300\n';
    const r = await s.run(['staff', 'import', s.file('leave.csv', roster)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('handover list of R1 (1 customers)');
    expect(r.stdout).toContain(String(idOf('丁')));
    expect(s.query('SELECT owner_id FROM customers WHERE customer_id = ?', idOf('丁'))[0]).not.toEqual({ owner_id: 'R1' });
    expect(s.query("SELECT leaver_id, customer_id FROM handovers")).toEqual([{ leaver_id: 'R1', customer_id: idOf('丁') }]);
    await expectCheckSilent();
  });

  it('with no other active rep, nothing changes and the command says why (exit 1)', async () => {
    await setup();
    // R1 and R3 hand over to R2 first; then R2 is the last rep
    expect((await s.run(['staff', 'leave', 'R1', '--on', '2024-07-01'])).code).toBe(0);
    expect((await s.run(['staff', 'leave', 'R3', '--on', '2024-07-01'])).code).toBe(0);
    const before = snapshot();
    const r = await s.run(['staff', 'leave', 'R2', '--on', '2024-07-20']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('4 customers of R2 would have no owner: no active rep on 2024-07-31 other than the leaver R2 to hand over to; nothing was changed');
    expect(r.stderr).toContain('what to do:');
    expect(snapshot()).toEqual(before);
    // the same through a roster import: rolled back as a whole
    const roster = 'staff_id,name,role,team,district,areas,hired_on,regular_on,left_on,capacity\nR2,杨洋,rep,T1,330702,,2022-05-10,,2024-07-20,\n';
    const imp = await s.run(['staff', 'import', s.file('leave.csv', roster)]);
    expect(imp.code).toBe(1);
    expect(imp.stderr).toContain('would have no owner');
    expect(snapshot()).toEqual(before);
    await expectCheckSilent();
  });

  it('a leaving doctor’s open doctor tasks go to another active doctor', async () => {
    await setup();
    await addStaff('D2,李医生,doctor,CS,330726,,2020-01-01,,,\n');
    s.exec("INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id) VALUES (?, 'doctor', 1, 'manual', '2024-08-10', 'D1')", idOf('丁'));
    const r = await s.run(['staff', 'leave', 'D1', '--on', '2024-07-31']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('open doctor tasks of D1 for 1 customers moved to: D2 (1)');
    expect(s.query("SELECT staff_id FROM tasks WHERE role = 'doctor'")).toEqual([{ staff_id: 'D2' }]);
    await expectCheckSilent();
  });
});
