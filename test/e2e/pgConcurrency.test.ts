/**
 * issue 19: twenty clerks at once on one server, each a process of its own — survey imports,
 * `followups done`, `assign` runs, a rep's leave with its handover, and readers — all
 * succeed (writers wait for each other: one writer at a time, as on SQLite; readers never
 * wait). Then: no customer lost or doubled, no customer with two owners (its owner is the
 * last line of its assignment history), none left with the leaver, and `check` clean.
 */
import { expect, it } from 'vitest';
import { withRoster, type RunResult, type Sandbox } from './harness.js';
import { describePg } from './pgEngine.js';

function surveys(from: number, rows: number, collector: (n: number) => string): string {
  const lines = ['survey_no,name,phone,address,district,collector,collected_on'];
  for (let n = from; n < from + rows; n++) lines.push(`K${n},客户${n},139${String(n).padStart(8, '0')},和平路${n % 500}号,330726,${collector(n)},2024-07-${String(1 + (n % 28)).padStart(2, '0')}`);
  return lines.join('\n') + '\n';
}

describePg('twenty clerks at once on the server', () => {
  it('imports, follow-ups, assign runs, a handover and readers: all succeed; no customer lost, none with two owners', async () => {
    const s: Sandbox = await withRoster('2024-07-31', 'postgres');
    try {
      // capacity to spare (SPEC §3.1 caps a rep's customers): whichever order the clerks come in, no one runs out of reps
      const more = await s.run(['staff', 'import', s.file('cap.csv', 'staff_id,name,role,team,district,hired_on,capacity\nR2,杨洋,rep,T1,330702,2022-05-10,5000\nR3,赵敏,rep,T2,330106,2024-06-03,5000\n')]);
      expect(more.code, more.stderr).toBe(0);
      const base = await s.run(['survey', 'import', s.file('base.csv', surveys(0, 300, (n) => (n % 2 ? 'R1' : 'R2')))]);
      expect(base.code, base.stderr).toBe(0);
      const first = await s.run(['assign']);
      expect(first.code, first.stderr).toBe(0);
      const r1Before = s.query<{ n: number }>("SELECT count(*) AS n FROM customers WHERE owner_id = 'R1'")[0].n;
      expect(r1Before).toBeGreaterThan(0);

      const jobs: { what: string; args: string[] }[] = [];
      // eight imports of new customers, half of them collected by the rep who leaves meanwhile
      for (let k = 0; k < 8; k++) jobs.push({ what: `import ${k}`, args: ['survey', 'import', s.file(`s${k}.csv`, surveys(1000 + k * 100, 100, (n) => (n % 2 ? 'R1' : 'R3')))] });
      for (let k = 0; k < 3; k++) jobs.push({ what: `assign ${k}`, args: ['assign'] });
      jobs.push({ what: 'leave R1', args: ['staff', 'leave', 'R1', '--on', '2024-07-31', '--yes'] });
      for (let k = 0; k < 4; k++) {
        jobs.push({ what: `done ${k}`, args: ['followups', 'done', `139${String(k * 2).padStart(8, '0')}`, '--role', 'rep', '--method', 'phone', '--note', `回访 ${k}`] });
      }
      jobs.push({ what: 'due', args: ['followups', 'due', '--format', 'csv'] });
      jobs.push({ what: 'kpi', args: ['kpi', '--period', '2024-07', '--format', 'csv'] });
      jobs.push({ what: 'customers', args: ['customers', 'list', '--format', 'csv'] });
      jobs.push({ what: 'staff', args: ['staff', 'list', '--format', 'csv'] });
      expect(jobs.length).toBe(20);

      // a writer waits for the one before it however long a loaded machine takes (never a verdict on speed)
      const results: [string, RunResult][] = await Promise.all(jobs.map(async (j) => [j.what, await s.run(j.args, { process: true, env: { SALESOPS_BUSY_TIMEOUT: '600' } })] as [string, RunResult]));
      for (const [what, r] of results) expect(r.code, `${what}: ${r.stdout.slice(0, 2000)}\n${r.stderr}`).toBe(0);

      // what an import wrote is there once: 300 + 8 × 100
      expect(s.query<{ n: number }>('SELECT count(*) AS n FROM customers')[0].n).toBe(1100);
      expect(s.query<{ n: number }>('SELECT count(DISTINCT survey_no) AS n FROM customers')[0].n).toBe(1100);

      const last = await s.run(['assign']);
      expect(last.code, last.stderr).toBe(0);
      // one owner each: the owner is the last line of the customer's assignment history
      const disagree = s.query<{ n: number }>(
        `SELECT count(*) AS n FROM customers c
          WHERE c.owner_id IS DISTINCT FROM (SELECT a.staff_id FROM assignments a WHERE a.customer_id = c.customer_id ORDER BY a.assignment_id DESC LIMIT 1)`,
      )[0].n;
      expect(disagree).toBe(0);
      // the leaver holds no customer, and none was dropped by the handover: every one has an owner
      expect(s.query<{ n: number }>("SELECT count(*) AS n FROM customers WHERE owner_id = 'R1'")[0].n).toBe(0);
      expect(s.query<{ n: number }>('SELECT count(*) AS n FROM customers WHERE owner_id IS NULL')[0].n).toBe(0);
      const check = await s.run(['check']);
      expect(check.code, check.stdout + check.stderr).toBe(0);
    } finally {
      s.cleanup();
    }
  });
});
