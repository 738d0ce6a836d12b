/**
 * Issue 15: input a clerk really has — full-width digits, ideographic and no-break spaces,
 * zero-width characters, a date-time in a date column, mixed line endings — read as meant.
 */
import { describe, expect, it } from 'vitest';
import { sandboxesPerTest } from './harness.js';

const sandboxes = sandboxesPerTest();
const HEADER = 'survey_no,name,gender,birth_year,phone,address,district,health,collector,collected_on';

describe('messy Chinese input, normalised before validation and matching', () => {
  it('a full-width phone, 冯　明 and 冯明 with the same phone are one customer; 2025/11/3 0:00 is a date', async () => {
    const s = await sandboxes.roster('2025-11-30');
    const first = s.file('a.csv', `${HEADER}\nB1,冯\u3000明,男,1950,１３８５７９０３４５６,,330726,,刘\u00a0芳,2025/11/3 0:00\n`);
    const r1 = await s.run(['survey', 'import', first]);
    expect(r1.stderr).toContain('1 new');
    expect(r1.code).toBe(0);
    const second = s.file('b.csv', `${HEADER}\nB1,\u200b冯明 ,男,1950,138 5790 3456,,330726,,R1,2025-11-03 08:15:00\n`);
    const r2 = await s.run(['survey', 'import', second]);
    expect(r2.code).toBe(0);
    expect(r2.stderr).not.toContain('1 new');
    expect(s.query('SELECT name, phone, collector_id, collected_on FROM customers')).toEqual([{ name: '冯明', phone: '13857903456', collector_id: 'R1', collected_on: '2025-11-03' }]);

    // the arguments of a command that names a customer are read the same way
    const show = await s.run(['--format', 'json', 'customers', 'show', '１３８\u30005790\u30003456', '--name', '冯　明']);
    expect(show.stderr).not.toMatch(/not found|not a|error/i);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('冯明');
  });

  it('a file with a CRLF header and LF rows (and a CR row) reads as separate records', async () => {
    const s = await sandboxes.roster();
    const f = s.file('mixed.csv', 'name,phone,collector,collected_on\r\n甲,13500002222,R1,2024-05-01\n乙,13500003333,R1,2024-05-02\r丙,13500004444,R2,2024-05-03\n');
    const r = await s.run(['survey', 'import', f]);
    expect(r.stderr).toContain('3 new');
    expect(r.code).toBe(0);
    expect(s.query('SELECT name, phone FROM customers ORDER BY phone')).toEqual([
      { name: '甲', phone: '13500002222' },
      { name: '乙', phone: '13500003333' },
      { name: '丙', phone: '13500004444' },
    ]);
  });
});
