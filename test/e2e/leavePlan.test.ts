/**
 * `staff leave` shows what will move before it moves (issue 15): the plan per receiver
 * (customers and open tasks), `--dry-run` (nothing changed), a question on a terminal
 * ("no" = cancelled, 130), `--yes`, and scripts without a terminal as before (SPEC §4).
 * Roster (harness ROSTER): R1 浦江县 330726, R2 婺城区 330702, R3 杭州 330106 (new), D1 the
 * only doctor.
 */
import { describe, expect, it } from 'vitest';
import { sandboxesPerTest, withSurveys, type Sandbox } from './harness.js';
import { onLinux, onTerminal } from './terminal.js';

const s = sandboxesPerTest();

const SURVEYS = `survey_no,name,phone,district,collector,collected_on
A1,甲,13800000001,330702,R2,2024-06-01
A2,乙,13800000002,330726,R2,2024-06-02
A3,丙,13800000003,330726,R1,2024-06-03
`;

/** R2 owns 甲 and 乙 (an open rep task on 乙), R1 owns 丙; D1 holds an open doctor task on 丙. */
async function office(): Promise<Sandbox> {
  const sb = s.keep(await withSurveys(SURVEYS, { A1: 'R2', A2: 'R2', A3: 'R1' }));
  const id = (no: string) => sb.query<{ customer_id: number }>('SELECT customer_id FROM customers WHERE survey_no = ?', no)[0].customer_id;
  sb.exec(`INSERT INTO tasks (customer_id, role, seq, plan, due_by, staff_id) VALUES
    (${id('A2')}, 'rep', 1, 'manual', '2024-08-10', 'R2'),
    (${id('A3')}, 'doctor', 1, 'manual', '2024-08-12', 'D1')`);
  return sb;
}

/** Everything a leave may write, to compare before and after. */
function snapshot(sb: Sandbox): unknown {
  return {
    customers: sb.query('SELECT customer_id, owner_id, pinned FROM customers ORDER BY customer_id'),
    assignments: sb.query('SELECT * FROM assignments ORDER BY assignment_id'),
    handovers: sb.query('SELECT * FROM handovers ORDER BY handover_id'),
    tasks: sb.query('SELECT task_id, staff_id, status FROM tasks ORDER BY task_id'),
    staff: sb.query('SELECT staff_id, left_on FROM staff ORDER BY staff_id'),
    changes: sb.query('SELECT count(*) AS n FROM changes'),
  };
}

type PlanRow = { staff_id: string | null; name: string | null; role: string; customers: number; open_tasks: number };

describe('staff leave --dry-run: the plan, nothing changed', () => {
  it('en: one row per receiver as JSON; then the leave does exactly that', async () => {
    const sb = await office();
    const before = snapshot(sb);
    const r = await sb.run(['--format', 'json', 'staff', 'leave', 'R2', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanRow[];
    // 婺城区 and 浦江县 are both nearest to R1 (金华市); R3 is only in the province
    expect(plan).toEqual([{ staff_id: 'R1', name: '刘芳', role: 'rep', customers: 2, open_tasks: 1 }]);
    expect(r.stderr).toContain('杨洋 (R2) leaves on 2024-07-31; what moves, per receiver:');
    expect(r.stderr).toContain('dry run: nothing was changed');
    expect(snapshot(sb)).toEqual(before);

    // without a terminal the leave goes ahead as before (§4), and does what the plan said
    const done = await sb.run(['--format', 'json', 'staff', 'leave', 'R2']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).not.toContain('what moves');
    const list = JSON.parse(done.stdout) as { new_staff_id: string; tasks_moved: number }[];
    expect(list.map((x) => x.new_staff_id)).toEqual(['R1', 'R1']);
    expect(sb.query("SELECT count(*) AS n FROM customers WHERE owner_id = 'R1'")).toEqual([{ n: 3 }]);
    expect(sb.query("SELECT count(*) AS n FROM tasks WHERE role = 'rep' AND status = 'open' AND staff_id = 'R1'")).toEqual([{ n: 1 }]);
  });

  it('zh: the plan as a table, said in Chinese', async () => {
    const sb = await office();
    const before = snapshot(sb);
    const r = await sb.run(['staff', 'leave', 'R2', '--dry-run'], { lang: 'zh' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('杨洋（R2）于 2024-07-31 离职，交接计划（按接手人）：');
    expect(r.stderr).toContain('预览：未做任何修改；去掉 --dry-run 再运行即记录离职并交接');
    expect(r.stdout).toMatch(/R1\s*│\s*刘芳\s*│\s*rep\s*│\s*2\s*│\s*1\s*│/);
    expect(snapshot(sb)).toEqual(before);
  });

  it('a leaver with nothing to hand over: said so, only the leave would be recorded', async () => {
    const sb = await office();
    const r = await sb.run(['--format', 'json', 'staff', 'leave', 'S1', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toContain('S1 holds no customers and no open tasks: only the leave is recorded');
  });

  it('a leave that cannot be done is refused by the dry run too (exit 1), nothing changed', async () => {
    const sb = await office();
    sb.exec("UPDATE staff SET left_on = '2024-07-01' WHERE staff_id IN ('R1', 'R3')");
    const before = snapshot(sb);
    const r = await sb.run(['staff', 'leave', 'R2', '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('would have no owner');
    expect(snapshot(sb)).toEqual(before);
  });
});

describe('a leaving doctor: where the open doctor tasks go', () => {
  it('en: no other doctor — the plan says plainly the tasks will be held by nobody', async () => {
    const sb = await office();
    const r = await sb.run(['--format', 'json', 'staff', 'leave', 'D1', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ staff_id: null, name: null, role: 'doctor', customers: 0, open_tasks: 1 }]);
    expect(r.stderr).toContain('warning: no other doctor is active: the 1 open doctor tasks of D1 will be held by nobody (`salesops followups due --unassigned` lists them');
    // said even with --quiet: it is a warning
    const quiet = await sb.run(['--quiet', 'staff', 'leave', 'D1', '--dry-run']);
    expect(quiet.stderr).toContain('held by nobody');
  });

  it('after the leave the warning holds: the due list shows the task unassigned, and followups done --staff records it', async () => {
    const sb = await office();
    const left = await sb.run(['staff', 'leave', 'D1', '--yes']);
    expect(left.code, left.stderr).toBe(0);
    const due = await sb.run(['followups', 'due', '--unassigned', '--within', '30']);
    expect(due.code, due.stderr).toBe(0);
    expect(due.stdout).toContain('a doctor task after the last doctor left: record it with `followups done … --staff ID`');
    const a3 = sb.query<{ customer_id: number }>("SELECT customer_id FROM customers WHERE survey_no = 'A3'")[0].customer_id;
    const done = await sb.run(['followups', 'done', String(a3), '--role', 'doctor', '--method', 'phone', '--note', '电话回访', '--staff', 'G1', '--on', '2024-07-31']);
    expect(done.code, done.stderr).toBe(0);
    expect(sb.query("SELECT status FROM tasks WHERE role = 'doctor'")).toEqual([{ status: 'done' }]);
  });

  it('zh: 无人负责, in Chinese', async () => {
    const sb = await office();
    const r = await sb.run(['staff', 'leave', 'D1', '--dry-run'], { lang: 'zh' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('警告：没有其他在职医生，D1 的 1 个未完成医生回访将无人负责（可用 `salesops followups due --unassigned` 查看');
  });

  it('another doctor: the plan names them, and the leave moves the task there', async () => {
    const sb = await office();
    const add = await sb.run(['staff', 'add', '--id', 'D2', '--name', '李医生', '--role', 'doctor', '--district', '330726', '--hired-on', '2020-01-01']);
    expect(add.code, add.stderr).toBe(0);
    const r = await sb.run(['--format', 'json', 'staff', 'leave', 'D1', '--dry-run']);
    expect(JSON.parse(r.stdout)).toEqual([{ staff_id: 'D2', name: '李医生', role: 'doctor', customers: 0, open_tasks: 1 }]);
    expect(r.stderr).not.toContain('nobody');
    expect((await sb.run(['staff', 'leave', 'D1'])).code).toBe(0);
    expect(sb.query("SELECT staff_id FROM tasks WHERE role = 'doctor'")).toEqual([{ staff_id: 'D2' }]);
  });
});


describe.runIf(onLinux)('on a terminal: the plan, then a question', () => {
  const args = (sb: Sandbox, lang: string, ...rest: string[]) => ['--db', sb.db, '--lang', lang, '--as-of', '2024-07-31', 'staff', 'leave', ...rest];

  it('en: "n" is cancelled, exit 130, nothing changed', async () => {
    const sb = await office();
    const before = snapshot(sb);
    const r = await onTerminal(args(sb, 'en', 'R2'), [[/\(y\/N\)/, 'n\r']]);
    expect(r.pending).toBe(0);
    expect(r.code).toBe(130);
    // the plan came before the question
    expect(r.screen.indexOf('what moves, per receiver')).toBeLessThan(r.screen.indexOf('Record the leave of R2 and hand over as shown?'));
    expect(r.screen).toMatch(/R1\s*│\s*刘芳\s*│\s*rep\s*│\s*2\s*│\s*1/);
    expect(r.screen).toContain('cancelled: nothing was changed');
    expect(snapshot(sb)).toEqual(before);
  });

  it('zh: "y" hands over as shown, the answer reads 是', async () => {
    const sb = await office();
    const r = await onTerminal(args(sb, 'zh', 'R2'), [[/\(y\/N\)/, 'y\r']]);
    expect(r.code).toBe(0);
    expect(r.screen).toContain('确认记录 R2 离职并按上述计划交接？');
    expect(r.screen).toMatch(/交接？ 是/);
    expect(r.screen).toContain('R2 于 2024-07-31 离职；已交接 2 位顾客');
    expect(sb.query("SELECT left_on FROM staff WHERE staff_id = 'R2'")).toEqual([{ left_on: '2024-07-31' }]);
  });

  it('zh: Enter alone is "no" (the default): 已取消', async () => {
    const sb = await office();
    const before = snapshot(sb);
    const r = await onTerminal(args(sb, 'zh', 'R2'), [[/\(y\/N\)/, '\r']]);
    expect(r.code).toBe(130);
    expect(r.screen).toContain('已取消，未做任何修改');
    expect(snapshot(sb)).toEqual(before);
  });

  it('--yes: no question, the leave goes ahead', async () => {
    const sb = await office();
    const r = await onTerminal(args(sb, 'en', 'R2', '--yes'), []);
    expect(r.code).toBe(0);
    expect(r.screen).not.toContain('Record the leave');
    expect(sb.query("SELECT left_on FROM staff WHERE staff_id = 'R2'")).toEqual([{ left_on: '2024-07-31' }]);
  });

  it('--dry-run on a terminal asks nothing', async () => {
    const sb = await office();
    const before = snapshot(sb);
    const r = await onTerminal(args(sb, 'en', 'R2', '--dry-run'), []);
    expect(r.code).toBe(0);
    expect(r.screen).not.toContain('Record the leave');
    expect(snapshot(sb)).toEqual(before);
  });

  it('what moves changed while the question was open: refused (exit 1), nothing changed (en, zh)', async () => {
    for (const [lang, said] of [
      ['en', 'the customers or tasks of R2 changed while you were asked'],
      ['zh', '确认期间 R2 的顾客或任务有变动'],
    ]) {
      const sb = await office();
      // another command gives R2 one more customer while the clerk reads the plan
      const r = await onTerminal(args(sb, lang, 'R2'), [
        [/\(y\/N\)/, () => (sb.exec("UPDATE customers SET owner_id = 'R2' WHERE survey_no = 'A3'"), 'y\r')],
      ]);
      expect(r.code).toBe(1);
      expect(r.screen).toContain(said);
      expect(sb.query("SELECT left_on FROM staff WHERE staff_id = 'R2'")).toEqual([{ left_on: null }]);
      expect(sb.query('SELECT count(*) AS n FROM handovers')).toEqual([{ n: 0 }]);
    }
  });
});
