/**
 * Waiting for another writer (issue 15): a write that has to wait for the database's lock
 * says so on stderr once (after a second, a UX delay, not what the tests decide on), keeps
 * waiting up to the busy timeout, then goes on (exit 0) or gives up (exit 5, nothing
 * changed). Process 1 is an import stopped while it holds the write lock
 * (SALESOPS_TEST_PAUSE=import.locked, src/testHook.ts); process 2 is started beside it, and
 * process 1 is let go once process 2 has said it waits: every step waits for an event.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BIN, sandboxesPerTest, stopped, type Sandbox } from './harness.js';

const WAITING = {
  en: 'waiting for the database (another salesops is writing)…',
  zh: '正在等待数据库（另一个 salesops 正在写入）…',
};

const s = sandboxesPerTest();

interface Running {
  pid: number;
  /** resolves once stderr holds `text` */
  said(text: string): Promise<void>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** salesops as a process of its own, its stderr watched as it comes. */
function start(sb: Sandbox, lang: 'en' | 'zh', args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [BIN, '--db', sb.db, '--lang', lang, '--as-of', '2024-07-31', ...args], {
    env: { ...process.env, NO_COLOR: '1', SALESOPS_DB: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  const waiters: [string, () => void][] = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const w of waiters.splice(0)) {
      if (stderr.includes(w[0])) w[1]();
      else waiters.push(w);
    }
  });
  child.stdin.end();
  const done = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return {
    pid: child.pid!,
    said: (text) => (stderr.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push([text, resolve]))),
    done,
  };
}

/** Process 1: a survey import stopped right after taking the write lock. */
async function holder(sb: Sandbox): Promise<Running> {
  const file = sb.file('more.csv', 'survey_no,name,phone,district,collector,collected_on\nW1,甲,13800000001,330726,R1,2024-06-01\n');
  const p1 = start(sb, 'en', ['survey', 'import', file], { SALESOPS_TEST_PAUSE: 'import.locked' });
  await p1.said('salesops: paused at import.locked\n');
  await stopped(p1.pid);
  return p1;
}

const resume = (p: Running) => process.kill(p.pid, 'SIGCONT');

describe('a write waits for another salesops, and says so', () => {
  it('en: assign says it waits, once; goes on when the lock is released (exit 0)', async () => {
    const sb = await s.roster();
    const p1 = await holder(sb);
    const p2 = start(sb, 'en', ['--format', 'json', 'assign']);
    await p2.said(WAITING.en);
    resume(p1);
    expect((await p1.done).code).toBe(0);
    const r = await p2.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split(WAITING.en)).toHaveLength(2);
    // it waited for the import, then assigned what it had written
    expect(JSON.parse(r.stdout)).toMatchObject([{ staff_id: 'R1', rule: 'collector' }]);
  });

  it('zh: a roster import says it in Chinese and goes on (exit 0)', async () => {
    const sb = await s.roster();
    const p1 = await holder(sb);
    const roster = sb.file('r9.csv', 'staff_id,name,role,team,district,areas,hired_on,regular_on,left_on,capacity\nR9,钱七,rep,T1,330726,,2024-01-01,,,\n');
    const p2 = start(sb, 'zh', ['staff', 'import', roster]);
    await p2.said(WAITING.zh);
    resume(p1);
    expect((await p1.done).code).toBe(0);
    const r = await p2.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split(WAITING.zh)).toHaveLength(2);
    expect(sb.query("SELECT name FROM staff WHERE staff_id = 'R9'")).toEqual([{ name: '钱七' }]);
  });

  it('giving up after the busy timeout: exit 5, nothing changed (en, zh)', async () => {
    const sb = await s.roster();
    const p1 = await holder(sb);
    try {
      for (const [lang, busy] of [
        ['en', 'the database stayed locked by another command for 2 s; nothing was changed'],
        ['zh', '数据库被另一个命令锁定超过 2 秒，本次未做任何修改'],
      ] as const) {
        const r = await start(sb, lang, ['staff', 'leave', 'R3', '--yes'], { SALESOPS_BUSY_TIMEOUT: '2' }).done;
        expect(r.code, r.stderr).toBe(5);
        expect(r.stderr).toContain(WAITING[lang]);
        expect(r.stderr.indexOf(WAITING[lang])).toBeLessThan(r.stderr.indexOf(busy));
      }
    } finally {
      resume(p1);
      await p1.done;
    }
    expect(sb.query("SELECT left_on FROM staff WHERE staff_id = 'R3'")).toEqual([{ left_on: null }]);
  });

  it('a busy timeout of a second or less is waited without a word: exit 5', async () => {
    const sb = await s.roster();
    const p1 = await holder(sb);
    try {
      const r = await start(sb, 'en', ['assign'], { SALESOPS_BUSY_TIMEOUT: '1' }).done;
      expect(r.code, r.stderr).toBe(5);
      expect(r.stderr).not.toContain('waiting for the database');
    } finally {
      resume(p1);
      await p1.done;
    }
  });
});
