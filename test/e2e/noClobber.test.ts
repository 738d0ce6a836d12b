/**
 * Issue 15 (found checking the README): `backup FILE` and `demo --keep PATH` never destroy a
 * file of the user's. A backup replaces an earlier backup (a SQLite file) as a nightly job
 * expects, anything else only with --force; the demo keeps its database only at a new path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxesPerTest } from './harness.js';

const sandboxes = sandboxesPerTest();

describe('files of the user are not overwritten', () => {
  it('backup refuses a file that is not an earlier backup (zh and en), replaces one that is, and --force replaces anything', async () => {
    const s = await sandboxes.roster();
    const sheet = s.file('客户.csv', 'name,phone\n甲,13500002222\n');
    const en = await s.run(['backup', sheet]);
    expect(en.code).toBe(1);
    expect(en.stderr).toContain('is not a SQLite database');
    expect(en.stderr).toContain('--force');
    const zh = await s.run(['backup', sheet], { lang: 'zh' });
    expect(zh.code).toBe(1);
    expect(zh.stderr).toContain('不是 SQLite 数据库');
    expect(fs.readFileSync(sheet, 'utf8')).toBe('name,phone\n甲,13500002222\n');

    const copy = path.join(s.dir, 'latest.db');
    expect((await s.run(['backup', copy])).code).toBe(0);
    const again = await s.run(['backup', copy]);
    expect(again.code).toBe(0);
    expect(fs.readFileSync(copy).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');

    const forced = await s.run(['backup', sheet, '--force']);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(sheet).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
  });

  it('demo --keep refuses a path that exists, the file untouched (zh and en)', async () => {
    const s = await sandboxes.roster();
    const kept = s.file('notes.csv', 'a,b\n1,2\n');
    const en = await s.run(['demo', '--keep', kept]);
    expect(en.code).toBe(1);
    expect(en.stderr).toContain('already exists');
    const zh = await s.run(['demo', '--keep', kept], { lang: 'zh' });
    expect(zh.code).toBe(1);
    expect(zh.stderr).toContain('已存在');
    expect(fs.readFileSync(kept, 'utf8')).toBe('a,b\n1,2\n');
    // the database given with --db is not the demo's either
    expect((await s.run(['demo', '--keep', s.db])).code).toBe(1);
    expect(s.query('SELECT count(*) AS n FROM staff')[0]).not.toEqual({ n: 0 });
  });
});
