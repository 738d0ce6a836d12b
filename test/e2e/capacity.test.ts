/**
 * `assign` says when a rep ends above capacity (issue 15): the collector keeps a customer
 * even at capacity (SPEC §3.1 rule 1), so a run may take a rep past it. One line per such
 * rep under the run's summary (stderr, even with --quiet), in the dry run too; the data on
 * stdout is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { sandboxesPerTest, type Sandbox } from './harness.js';

const s = sandboxesPerTest();

/** R5 (capacity 2) collected three customers; R2 (capacity 500 by default) one. */
async function office(): Promise<Sandbox> {
  const sb = await s.roster();
  const staff = await sb.run(['staff', 'import', sb.file('r5.csv', 'staff_id,name,role,team,district,areas,hired_on,regular_on,left_on,capacity\nR5,孙丽,rep,T1,330726,,2020-01-01,,,2\n')]);
  expect(staff.code, staff.stderr).toBe(0);
  const surveys = sb.file(
    'surveys.csv',
    `survey_no,name,phone,district,collector,collected_on
A1,甲,13800000001,330726,R5,2024-06-01
A2,乙,13800000002,330726,R5,2024-06-02
A3,丙,13800000003,330726,R5,2024-06-03
A4,丁,13800000004,330702,R2,2024-06-04
`,
  );
  const r = await sb.run(['survey', 'import', surveys]);
  expect(r.code, r.stderr).toBe(0);
  return sb;
}

describe('assign: a rep above capacity after the run', () => {
  it('en: one note per rep above capacity, under the summary; JSON on stdout as before', async () => {
    const sb = await office();
    const r = await sb.run(['--format', 'json', 'assign']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { staff_id: string; rule: string }[];
    expect(rows.map((x) => [x.staff_id, x.rule])).toEqual([
      ['R5', 'collector'],
      ['R5', 'collector'],
      ['R5', 'collector'],
      ['R2', 'collector'],
    ]);
    expect(Object.keys(rows[0])).toEqual(['customer_id', 'staff_id', 'rule', 'explanation']);
    expect(r.stdout).not.toContain('capacity');
    const note = 'note: 孙丽 (R5) has 3 customers after assignment, above capacity 2';
    expect(r.stderr.split(note)).toHaveLength(2); // once
    expect(r.stderr).not.toContain('(R2) has'); // within capacity
    // in the summary: after the table, before what was done
    expect(r.stderr.indexOf('per rep:')).toBeLessThan(r.stderr.indexOf(note));
    expect(r.stderr.indexOf(note)).toBeLessThan(r.stderr.indexOf('assigned 4 customers'));
  });

  it('en: the dry run says it too, nothing written; --quiet keeps the note', async () => {
    const sb = await office();
    const dry = await sb.run(['assign', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('note: 孙丽 (R5) would have 3 customers after assignment, above capacity 2');
    expect(sb.query('SELECT count(*) AS n FROM customers WHERE owner_id IS NOT NULL')).toEqual([{ n: 0 }]);
    const quiet = await sb.run(['--quiet', 'assign']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr.trim()).toBe('note: 孙丽 (R5) has 3 customers after assignment, above capacity 2');
  });

  it('zh: 提示：孙丽（R5）分配后有 3 位顾客，超出容量 2', async () => {
    const sb = await office();
    const dry = await sb.run(['assign', '--dry-run'], { lang: 'zh' });
    expect(dry.stderr).toContain('提示：孙丽（R5）分配后将有 3 位顾客，超出容量 2');
    const r = await sb.run(['assign'], { lang: 'zh' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('提示：孙丽（R5）分配后有 3 位顾客，超出容量 2');
  });

  it('a rep exactly at capacity, or above it before a run that gives them nothing, is not named', async () => {
    const sb = await office();
    sb.exec("UPDATE staff SET capacity = 3 WHERE staff_id = 'R5'");
    const atCapacity = await sb.run(['assign']);
    expect(atCapacity.code, atCapacity.stderr).toBe(0);
    expect(atCapacity.stderr).not.toContain('above capacity');
    // now R5 is lowered below their load; a run that gives R5 nothing says nothing of R5
    sb.exec("UPDATE staff SET capacity = 1 WHERE staff_id = 'R5'");
    const more = await sb.run(['survey', 'import', sb.file('more.csv', 'survey_no,name,phone,district,collector,collected_on\nA5,戊,13800000005,330702,R2,2024-06-05\n')]);
    expect(more.code, more.stderr).toBe(0);
    const r = await sb.run(['assign']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('above capacity');
  });
});
