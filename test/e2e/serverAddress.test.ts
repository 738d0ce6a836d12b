/**
 * issue 19's first fault: `--db postgres://user@host:5432/so init` made a folder `postgres:`
 * with a SQLite file in it, and every later command "succeeded" on that. A server address is
 * never a path: a postgres:// one is a server to connect to (an unreachable one is said so),
 * any other scheme is refused (exit 1) by every command that opens the database, whether it
 * comes from --db or SALESOPS_DB, nothing created, the password never repeated; commands that
 * need no database (template) are not troubled by it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from './harness.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-url-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a server address given as the database', () => {
  it.each<[string, string[], Record<string, string>, string]>([
    ['--db, init', ['--db', 'mysql://clerk:s3cret@127.0.0.1:3306/so', 'init'], {}, 'mysql://clerk:***@127.0.0.1:3306/so'],
    ['--db, a listing', ['--db', 'mssql://clerk@db.example.com/so', 'staff', 'list'], {}, 'mssql://clerk@db.example.com/so'],
    ['SALESOPS_DB, an import', ['survey', 'import', 'nothing.csv'], { SALESOPS_DB: 'mysql://clerk:s3cret@localhost/so' }, 'mysql://clerk:***@localhost/so'],
    ['--db, restore', ['--db', 'mysql://clerk:s3cret@localhost/so', 'restore', 'backup.db'], {}, 'mysql://clerk:***@localhost/so'],
  ])('%s: exit 1, said plainly, nothing created, no password', async (_how, args, env, shown) => {
    const r = await runBin(['--lang', 'en', ...args], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: --db ${shown} is the address of a`);
    expect(r.stderr).toContain('what to do: give the path of the database file');
    expect(r.stderr).not.toContain('s3cret');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it.each<[string, string]>([
    ['postgres:/127.0.0.1/so', 'postgres:/127.0.0.1/so'],
    ['postgresql:so', 'postgresql:so'],
    ['jdbc:postgresql://clerk:s3cret@db:5432/so', 'jdbc:postgresql://clerk:***@db:5432/so'],
    ['POSTGRES:clerk:s3cret@db/so', 'POSTGRES:clerk:***@db/so'],
  ])('a PostgreSQL address mistyped (%s) is no path either: exit 1, how to write it, nothing created', async (address, shown) => {
    const r = await runBin(['--lang', 'en', '--db', address, 'init'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${shown} is not a server address salesops can read`);
    expect(r.stderr).toContain('what to do: write it as postgres://user@host:5432/dbname');
    expect(r.stderr).not.toContain('s3cret');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('another engine with one slash is refused as well; a Windows drive letter and a colon inside a path are paths', async () => {
    const r = await runBin(['--lang', 'en', '--db', 'mysql:/db.example.com/so', 'init'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: --db mysql:/db.example.com/so is the address of a mysql server');
    expect(fs.readdirSync(dir)).toEqual([]);
    const sub = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-colon-'));
    try {
      for (const file of ['C:/so.db', 'office:2024.db', 'C:\\so.db']) {
        const ok = await runBin(['--lang', 'en', '--db', file, 'init'], { cwd: sub });
        expect(ok.code, ok.stderr).toBe(0);
      }
      expect(fs.readdirSync(sub).filter((f) => !f.endsWith('-wal') && !f.endsWith('-shm')).sort()).toEqual(['C:', 'C:\\so.db', 'office:2024.db']);
    } finally {
      fs.rmSync(sub, { recursive: true, force: true });
    }
  });

  it('in Chinese too; and a command that needs no database works beside such a SALESOPS_DB', async () => {
    const r = await runBin(['--lang', 'zh', 'staff', 'list'], { cwd: dir, env: { SALESOPS_DB: 'mysql://u:pw@h/db' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('错误：--db mysql://u:***@h/db 是 mysql 服务器地址：salesops 的数据只能保存在 SQLite 文件或 PostgreSQL 服务器');
    const t = await runBin(['--lang', 'en', 'template', 'staff'], { cwd: dir, env: { SALESOPS_DB: 'postgres://u:pw@h/db' } });
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('staff_id,name,role');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it.each<[string, string[], Record<string, string>, string]>([
    ['--db, init', ['--db', 'postgres://clerk:s3cret@127.0.0.1:1/so', 'init'], {}, 'postgres://clerk:***@127.0.0.1:1/so'],
    ['SALESOPS_DB with PGPASSWORD, a listing', ['staff', 'list'], { SALESOPS_DB: 'postgresql://clerk@127.0.0.1:1/so', PGPASSWORD: 's3cret' }, 'postgresql://clerk@127.0.0.1:1/so'],
  ])('a PostgreSQL server that does not answer (%s): exit 1, said plainly, nothing created, no password', async (_how, args, env, shown) => {
    const r = await runBin(['--lang', 'en', ...args], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: cannot reach the PostgreSQL server of ${shown}`);
    expect(r.stderr).toContain('what to do: check that the server runs');
    expect(r.stderr).not.toMatch(/s3cret|    at /);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
