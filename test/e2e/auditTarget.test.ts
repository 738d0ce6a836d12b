/**
 * §5: a masked list leaving as data is on record as an export, naming where it went — and only
 * once it has gone: a file once complete, never a write that failed (found in review, issue 16).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxesPerTest } from './harness.js';

const sandboxes = sandboxesPerTest();

describe('the audit entry of a customers list written to a file', () => {
  it('names the file; a write that fails is not on record and says why (zh and en)', async () => {
    const s = await sandboxes.roster();
    await s.run(['survey', 'import', s.file('s.csv', 'name,phone,collector,collected_on\n甲,13500002222,R1,2024-05-01\n')]);
    const file = path.join(s.dir, '顾客.xlsx');
    expect((await s.run(['customers', 'list', '--out', file])).code).toBe(0);
    expect((await s.run(['customers', 'duplicates', '--format', 'csv'])).code).toBe(0);
    const subjects = () => s.query<{ subject: string }>("SELECT subject FROM audit_log WHERE action = 'export' ORDER BY audit_id").map((r) => r.subject);
    expect(subjects()).toEqual([`customers list {} → ${file} (masked)`]);

    for (const [lang, said] of [['en', 'the folder'], ['zh', '文件夹']]) {
      const r = await s.run(['customers', 'list', '--out', path.join(s.dir, 'missing', 'c.xlsx')], { lang });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(said);
      expect(r.stderr).not.toMatch(/bug|unexpected|at .*\.js:\d+/);
    }
    expect(subjects()).toHaveLength(1);
  });
});
