/**
 * Bad input never hurts (SPEC §2, §7): random bytes, random CSV shapes, huge fields, NUL
 * bytes, wrong encodings and formula cells fed to every import. The command never crashes
 * with a stack trace, never leaves a partial write, and every row is imported or reported.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import iconv from 'iconv-lite';
import { withRoster, type Sandbox } from './harness.js';

const IMPORTS: { cmd: string[]; header: string[]; table: string }[] = [
  { cmd: ['staff', 'import'], header: ['staff_id', 'name', 'role', 'district', 'hired_on', 'left_on', 'capacity'], table: 'staff' },
  { cmd: ['survey', 'import'], header: ['survey_no', 'name', 'phone', 'district', 'collector', 'collected_on', 'age'], table: 'customers' },
  { cmd: ['events', 'import'], header: ['customer', 'name', 'event_date', 'event', 'purchased', 'amount'], table: 'events' },
  { cmd: ['followups', 'import'], header: ['customer', 'role', 'done_on', 'method', 'staff', 'note'], table: 'followups' },
  { cmd: ['orders', 'import'], header: ['order_no', 'customer', 'order_date', 'amount', 'staff', 'product'], table: 'orders' },
  { cmd: ['trips', 'import'], header: ['trip_no', 'staff', 'start', 'end', 'scope', 'client', 'reviewed_by', 'approved_by', 'advance'], table: 'trips' },
  { cmd: ['expenses', 'import'], header: ['trip_no', 'date', 'time', 'kind', 'amount', 'hours', 'class', 'receipt'], table: 'expenses' },
];

// cells that look like what spreadsheets and people produce, and worse
const cell = fc.oneof(
  fc.constantFrom('', 'R1', 'R2', 'G1', '13800138000', '2024-05-09', '2024/5/9', '45421', '2024年5月9日', 'Y', '否', '330726', '浦江县', 'rep', 'train', '20:00', '¥1,280.50', '-5', '=1+1', '+SUM(A1)', '@cmd', '"quoted"', 'a,b', '多\n行', '\u0000', 'in_province'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constant('x'.repeat(20_000)),
);

let s: Sandbox;
afterAll(() => s?.cleanup());

function csvOf(header: string[], rows: string[][]): string {
  const q = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
}

function counts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of IMPORTS) out[i.table] = s.query<{ n: number }>(`SELECT count(*) AS n FROM ${i.table}`)[0].n;
  return out;
}

function assertNoCrash(r: { code: number; stderr: string }): void {
  expect([0, 1, 2, 3]).toContain(r.code);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).not.toContain('unexpected error');
}

describe.each(IMPORTS)('$cmd.0 import with hostile input', ({ cmd, header }) => {
  it('random CSV shapes: exit 0/1/3 with no stack trace; on error nothing is written; every row accounted for', async () => {
    s ??= await withRoster();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 0, maxLength: header.length + 2 }), { minLength: 0, maxLength: 6 }),
        fc.boolean(),
        fc.constantFrom('utf8', 'gbk', 'utf8-bom'),
        async (rows, skip, encoding) => {
          const text = csvOf(header, rows);
          const file = `${s.dir}/fuzz-${n++}.csv`;
          const buf = encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from((encoding === 'utf8-bom' ? '\ufeff' : '') + text);
          fs.writeFileSync(file, buf);
          const before = counts();
          const rejects = `${file}.rejects.csv`;
          const r = await s.run(['--format', 'json', ...cmd, file, ...(skip ? ['--skip-invalid', '--rejects', rejects] : [])]);
          assertNoCrash(r);
          if (r.code === 1 || r.code === 2) expect(counts()).toEqual(before);
          if (r.code === 0 || r.code === 3) {
            const summary = JSON.parse(r.stdout);
            expect(summary.new + summary.updated + summary.unchanged + summary.rejected).toBe(summary.rows);
            if (r.code === 3) expect(fs.existsSync(rejects)).toBe(true);
          }
        },
      ),
      { numRuns: 6, seed: 20241123 },
    );
  });

  it('random bytes, NUL bytes and a wrong forced encoding: a clear error, nothing written', async () => {
    s ??= await withRoster();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        const file = `${s.dir}/bytes-${n++}.csv`;
        fs.writeFileSync(file, Buffer.concat([Buffer.from(header.join(',') + '\n'), Buffer.from(bytes)]));
        const before = counts();
        const r = await s.run([...cmd, file, '--encoding', 'utf-8']);
        assertNoCrash(r);
        if (r.code !== 0 && r.code !== 3) expect(counts()).toEqual(before);
      }),
      { numRuns: 4, seed: 7 },
    );
  });
});
