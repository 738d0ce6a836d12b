/**
 * AtomicFile (src/io/outputFile.ts): every byte written even when write(2) writes fewer,
 * writes gathered, a short temporary name whatever the target's, the temporary files of
 * writers killed earlier removed (only theirs), Ctrl-C removing the one being written; and
 * faultError saying why a database cannot be opened instead of "read-only".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AtomicFile, faultError, removeStaleTempsOf, writeFileAtomic, NAME_MAX } from '../../src/io/outputFile.js';
import { UserError } from '../../src/errors.js';
import { setLang } from '../../src/messages/index.js';

setLang('en');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'salesops-outputfile-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

let n = 0;
/** a fresh empty folder */
function folder(): string {
  const d = path.join(root, `d${n++}`);
  fs.mkdirSync(d);
  return d;
}

const temps = (dir: string) => fs.readdirSync(dir).filter((f) => /\.tmp/.test(f));

/** A pid no process can have: above the kernel's largest. */
const DEAD_PID = (() => {
  try {
    return Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;
  } catch {
    return 2 ** 22 + 1;
  }
})();

/** fs.writeSync that writes at most `most` bytes a call, as write(2) may. */
function shortWrites(most: number) {
  const real = fs.writeSync.bind(fs) as (fd: number, b: Uint8Array, o: number, l: number) => number;
  return vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: string | Uint8Array, a?: unknown, b?: unknown) => {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const offset = typeof data === 'string' ? 0 : typeof a === 'number' ? a : 0;
    const length = typeof data === 'string' ? buf.length : typeof b === 'number' ? b : buf.length - offset;
    return real(fd, buf, offset, Math.min(most, length));
  }) as typeof fs.writeSync);
}

describe('AtomicFile.write: every byte, however few write(2) takes at a time', () => {
  it('strings (multi-byte characters included) and byte arrays arrive whole', () => {
    const dir = folder();
    const target = path.join(dir, 'out.csv');
    shortWrites(7);
    const big = '客户,13900001111,"浙江省金华市"\r\n'.repeat(5_000); // over 64 KiB: written at once
    const f = AtomicFile.open(target, { what: 'csv' });
    f.write('\ufeffname,phone\r\n');
    f.write(big);
    f.write(new Uint8Array(Buffer.from('末行,1\r\n')));
    f.publish();
    expect(fs.readFileSync(target, 'utf8')).toBe('\ufeffname,phone\r\n' + big + '末行,1\r\n');
    expect(temps(dir)).toEqual([]);
  });

  it('small writes are gathered (a rejects file writes row by row): a few write calls for a thousand rows', () => {
    const dir = folder();
    const target = path.join(dir, 'rejects.csv');
    const spy = vi.spyOn(fs, 'writeSync');
    const f = AtomicFile.open(target, { what: 'rejects' });
    const row = 'K1,客户1,1390000,浙江省金华市浦江县和平路1号,330726,无名氏,2024-01-11,collector: not on the roster\r\n';
    for (let i = 0; i < 1000; i++) f.write(row);
    // bytes gathered are a copy: a buffer the caller reuses after write() is written as it was
    const buf = Buffer.from('last\r\n');
    f.write(buf);
    buf.write('XXXX\r\n');
    f.publish();
    expect(fs.readFileSync(target, 'utf8')).toBe(row.repeat(1000) + 'last\r\n');
    expect(spy.mock.calls.length).toBeLessThanOrEqual(3);
  });
});

describe('AtomicFile.write that writes nothing', () => {
  it('fails as an I/O fault, leaving no file and no temporary file', () => {
    const dir = folder();
    const target = path.join(dir, 'out.csv');
    vi.spyOn(fs, 'writeSync').mockReturnValue(0);
    const f = AtomicFile.open(target, { what: 'csv' });
    expect(() => {
      f.write('x'.repeat(70_000));
      f.publish();
    }).toThrow(/disk reported an error/);
    expect(fs.existsSync(target)).toBe(false);
    expect(temps(dir)).toEqual([]);
  });
});

describe('names: the temporary file has a short name carrying the pid', () => {
  it.each([
    ['ASCII, 255 bytes', 'a'.repeat(NAME_MAX - 4) + '.csv'],
    ['Chinese, 85 characters (255 bytes)', '客'.repeat(85)],
  ])('a target named with %s is written', (_label, name) => {
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(NAME_MAX);
    const dir = folder();
    const target = path.join(dir, name);
    const f = AtomicFile.open(target, { what: 'csv' });
    const tmpName = path.basename(f.tmp);
    expect(Buffer.byteLength(tmpName)).toBeLessThan(120);
    expect(tmpName.startsWith(`.${Array.from(name).slice(0, 20).join('')}.${process.pid}.`)).toBe(true);
    expect(tmpName.endsWith('.tmp')).toBe(true);
    f.write('a,b\r\n');
    f.publish();
    expect(fs.readFileSync(target, 'utf8')).toBe('a,b\r\n');
    expect(temps(dir)).toEqual([]);
  });

  it('a target name over 255 bytes: a clear message before anything is written', () => {
    const dir = folder();
    for (const name of ['a'.repeat(300) + '.csv', '测'.repeat(86)]) {
      const target = path.join(dir, name);
      let err: unknown;
      try {
        writeFileAtomic(target, 'x', { what: 'template' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toMatch(/file name .* is too long \(\d+ bytes; file systems take at most 255\)/);
      expect((err as UserError).hint).toContain('shorter name');
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('temporary files left by a writer that was killed (kill -9) are removed by the next writer', () => {
  it('only those of this target (by name) whose writer is gone, with their SQLite companions; not a live writer’s, another file’s, or a folder', () => {
    const dir = folder();
    const target = path.join(dir, 'out.csv');
    const dead = [`.out.csv.${DEAD_PID}.0a1b2c3d.tmp`, `.out.csv.${DEAD_PID}.0a1b2c3d.tmp-journal`, `.out.csv.${DEAD_PID}.k3x9q.tmp`];
    const kept = [`.out.csv.${process.ppid}.0a1b2c3d.tmp`, `.other.csv.${DEAD_PID}.0a1b2c3d.tmp`, `out.csv.${DEAD_PID}.0a1b2c3d.tmp`, `.out.csv.bak`];
    for (const f of [...dead, ...kept]) fs.writeFileSync(path.join(dir, f), 'partial');
    fs.mkdirSync(path.join(dir, `.out.csv.${DEAD_PID}.dddddddd.tmp`));
    const f = AtomicFile.open(target, { what: 'csv' });
    const left = fs.readdirSync(dir);
    for (const d of dead) expect(left).not.toContain(d);
    for (const k of kept) expect(left).toContain(k);
    expect(left).toContain(`.out.csv.${DEAD_PID}.dddddddd.tmp`);
    expect(left).toContain(path.basename(f.tmp));
    f.abort();
  });

  it('a long name: the short temporary names of the same target, and the whole-name ones of earlier versions', () => {
    const dir = folder();
    const name = '2024年7月浦江县调查表-被拒绝的行-第二次导入.csv';
    const short = Array.from(name).slice(0, 20).join('');
    const stale = [`.${short}.${DEAD_PID}.0a1b2c3d.tmp`, `.${name}.${DEAD_PID}.k3x9q.tmp`];
    for (const f of stale) fs.writeFileSync(path.join(dir, f), 'partial');
    expect(removeStaleTempsOf(path.join(dir, name)).sort()).toEqual([...stale].sort());
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('Ctrl-C (SIGINT) and kill (SIGTERM) while a file is written', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s removes the temporary file and exits %i; with no file open the signal keeps its default action', (signal, code) => {
    const dir = folder();
    const target = path.join(dir, 'out.csv');
    const before = process.listenerCount(signal);
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const said = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const f = AtomicFile.open(target, { what: 'csv' }, { interrupted: 'interrupted; nothing was imported' });
    f.write('a,b\r\n');
    expect(process.listenerCount(signal)).toBe(before + 1);
    process.emit(signal, signal);
    expect(exit).toHaveBeenCalledWith(code);
    expect(said).toHaveBeenCalledWith('interrupted; nothing was imported\n');
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(process.listenerCount(signal)).toBe(before);
  });

  it('the handler is there only while a file is being written', () => {
    const dir = folder();
    const before = process.listenerCount('SIGINT');
    const a = AtomicFile.open(path.join(dir, 'a.csv'), { what: 'csv' });
    const b = AtomicFile.open(path.join(dir, 'b.csv'), { what: 'csv' });
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    a.publish();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    b.abort();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

describe('faultError: a database that cannot be opened is not "read-only"', () => {
  const cantOpen = () => Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' });

  it('SQLITE_CANTOPEN in a folder that does not exist: says so, exit 1', () => {
    const dir = path.join(folder(), 'gone');
    const e = faultError(cantOpen(), path.join(dir, 'sales.db'));
    expect(e).toBeInstanceOf(UserError);
    expect(e!.exitCode).toBe(1);
    expect(e!.message).toBe(`cannot open the database ${path.join(dir, 'sales.db')}: the folder ${dir} does not exist; nothing was changed`);
    expect(e!.message).not.toContain('read-only');
    // read-only is SQLITE_READONLY's, and a lock held too long names the timeout in force (db.ts reads it)
    for (const code of ['SQLITE_READONLY', 'SQLITE_READONLY_DIRECTORY']) {
      expect(faultError(Object.assign(new Error('attempt to write a readonly database'), { code }), '/data/sales.db')!.message).toBe('the database /data/sales.db is read-only; nothing was changed');
    }
    vi.stubEnv('SALESOPS_BUSY_TIMEOUT', '7');
    try {
      expect(faultError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }), 'x.db')!.message).toContain('for 7 s');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('SQLITE_CANTOPEN on a folder, and on a file whose folder is a file', () => {
    const dir = folder();
    expect(faultError(cantOpen(), dir)!.message).toBe(`cannot open the database ${dir}: it is a folder, not a database file; nothing was changed`);
    fs.writeFileSync(path.join(dir, 'plain'), '');
    expect(faultError(cantOpen(), path.join(dir, 'plain', 'x.db'))!.message).toContain(`${path.join(dir, 'plain')} is not a folder`);
  });

  it('a path too long for the system', () => {
    const e = faultError(Object.assign(new Error('name too long'), { code: 'ENAMETOOLONG', path: '/a/very/long/path' }), 'x.csv');
    expect(e!.message).toBe('the path /a/very/long/path is too long for this system');
  });
});
