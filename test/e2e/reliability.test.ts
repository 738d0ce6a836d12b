/**
 * Nothing lost (SPEC §7): an import killed at any moment leaves the database as before or
 * fully imported; commands writing at once all succeed; backups are consistent copies.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { sandbox, withRoster, stopped, BIN, ROOT, type Sandbox } from './harness.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const ROWS = 12_000;
/**
 * Rows of the import killed at any moment: more than the 50,000 from which a survey import
 * of new customers lifts an index and the insert triggers while it runs and puts them
 * back before its commit (store/customers.ts, issue 17), so the kills land on that path.
 */
const BULK_ROWS = 60_000;

function bigSurveyFile(s: Sandbox, name: string, rows: number, offset = 0): string {
  const lines = ['survey_no,name,phone,address,district,collector,collected_on'];
  for (let i = 0; i < rows; i++) {
    const n = i + offset;
    lines.push(`K${n},客户${n},139${String(n).padStart(8, '0')},"浙江省金华市浦江县和平路${n % 500}号, 3幢",330726,${n % 2 ? 'R1' : 'R2'},2024-0${1 + (n % 6)}-1${n % 9}`);
  }
  return s.file(name, lines.join('\n') + '\n');
}

interface Killed {
  code: number | null;
  signal: string | null;
  stderr: string;
  /** the last progress phase the import reported before it died or ended */
  phase: string | null;
}

/**
 * Runs an import with --progress. With `stopAt`, the import stops itself (SIGSTOP, through
 * SALESOPS_TEST_PAUSE, src/testHook.ts) right after reporting that phase, and is then killed (SIGKILL):
 * the kill lands exactly there on any machine, however fast or loaded. With `onWal`, it is
 * killed at the first growth of the WAL seen after it reported `commit`.
 */
function runAsync(s: Sandbox, args: string[], kill: { stopAt?: string; onWalDuringCommit?: boolean } = {}): Promise<Killed> {
  return new Promise((resolve) => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', SALESOPS_DB: '' };
    if (kill.stopAt) env.SALESOPS_TEST_PAUSE = `import.${kill.stopAt}`;
    const child = spawn(process.execPath, [BIN, '--db', s.db, '--lang', 'en', '--as-of', '2024-07-31', '--progress', ...args], { env });
    let stderr = '';
    let phase: string | null = null;
    let watcher: fs.FSWatcher | null = null;
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // whole lines of all that was said so far: a chunk may end, or begin, inside a line
      for (const m of stderr.matchAll(/^progress: (write lock taken|[\d,]+ rows read|committing|committed)\b.*\n/gm)) {
        phase = m[1] === 'write lock taken' ? 'locked' : m[1] === 'committing' ? 'commit' : m[1] === 'committed' ? 'committed' : 'reading';
      }
      // the child stops itself right after saying so: kill it where it stands
      if (kill.stopAt && stderr.includes(`salesops: paused at import.${kill.stopAt.split(':')[0]}\n`)) child.kill('SIGKILL');
      if (kill.onWalDuringCommit && phase === 'commit' && !watcher) {
        const wal = s.db + '-wal';
        const size0 = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
        watcher = fs.watch(s.dir, () => {
          if ((fs.existsSync(wal) ? fs.statSync(wal).size : 0) > size0) {
            child.kill('SIGKILL');
            watcher?.close();
          }
        });
      }
    });
    child.on('close', (code, signal) => {
      watcher?.close();
      resolve({ code, signal, stderr, phase });
    });
  });
}

function count(s: Sandbox): number {
  return s.query<{ n: number }>('SELECT count(*) AS n FROM customers')[0].n;
}

function integrity(s: Sandbox): string {
  return s.query<{ integrity_check: string }>('PRAGMA integrity_check')[0].integrity_check;
}

const CUSTOMERS = 'SELECT survey_no, name, phone, district, collector_id, collected_on FROM customers ORDER BY survey_no';
/** Every index and trigger as created: what a bulk import lifts must be back whatever happened. */
const SCHEMA = "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY name";

describe('an import killed at any moment (SIGKILL), at points the test observes', () => {
  let files: Sandbox;
  let file: string;
  let reference: string;
  let schema: string;
  beforeAll(async () => {
    files = sandbox();
    file = bigSurveyFile(files, 'big.csv', BULK_ROWS);
    // the uninterrupted result, from a database of its own
    const ref = await withRoster();
    schema = JSON.stringify(ref.query(SCHEMA));
    const r = await runAsync(ref, ['survey', 'import', file]);
    expect(r.code, r.stderr).toBe(0);
    // the phases, in order, as the import reports them
    expect(r.stderr).toMatch(/write lock taken[\s\S]*rows read[\s\S]*committing 60,000 rows[\s\S]*committed/);
    reference = JSON.stringify(ref.query(CUSTOMERS));
    // the lifted indexes and triggers are back, as they were
    expect(JSON.stringify(ref.query(SCHEMA))).toBe(schema);
    ref.cleanup();
  });
  afterAll(() => files.cleanup());

  /** After the kill: intact, as before or complete as the phase says, and a re-run completes it. */
  async function afterKill(s: Sandbox, r: Killed, expected: 'before' | 'before-or-complete') {
    expect(r.signal, r.stderr).toBe('SIGKILL');
    expect(integrity(s)).toBe('ok');
    expect(JSON.stringify(s.query(SCHEMA))).toBe(schema);
    const after = count(s);
    if (expected === 'before') expect(after).toBe(0);
    else expect([0, BULK_ROWS]).toContain(after);
    const again = await runAsync(s, ['survey', 'import', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.stringify(s.query(CUSTOMERS))).toBe(reference);
    expect(JSON.stringify(s.query(SCHEMA))).toBe(schema);
  }

  it.each([
    // phase the import stops at, what the database must hold after the kill
    ['locked', 'the write transaction open, no row read yet'],
    [`reading:${BULK_ROWS / 2}`, 'half the rows parsed and written inside the transaction, an index and the insert triggers lifted'],
    ['commit', 'every row written, COMMIT about to run'],
  ])('killed at %s (%s): exactly as before, intact, and a re-run completes it', async (stopAt) => {
    const s = await withRoster();
    const r = await runAsync(s, ['survey', 'import', file], { stopAt });
    expect(r.phase).toBe(stopAt.split(':')[0]);
    if (stopAt.startsWith('reading')) expect(r.stderr).toMatch(/progress: [\d,]+ rows read/);
    expect(r.stderr).not.toContain('committed');
    await afterKill(s, r, 'before');
    s.cleanup();
  });

  it('killed while COMMIT writes the WAL: as before or complete (never part), intact, and a re-run completes it', async () => {
    const s = await withRoster();
    const r = await runAsync(s, ['survey', 'import', file], { onWalDuringCommit: true });
    // the kill was sent on the WAL growing after `committing`: the import was in or after COMMIT
    expect(['commit', 'committed']).toContain(r.phase);
    if (r.signal === 'SIGKILL') await afterKill(s, r, 'before-or-complete');
    else {
      // the whole import ended before the kill could land: then completely
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.stringify(s.query(CUSTOMERS))).toBe(reference);
      expect(JSON.stringify(s.query(SCHEMA))).toBe(schema);
    }
    s.cleanup();
  });
});

interface Interrupted {
  code: number | null;
  signal: string | null;
  stderr: string;
}

/**
 * Runs an import that stops itself at `stopAt` (SALESOPS_TEST_PAUSE, src/testHook.ts); once
 * it is stopped, sends it `signal` (Ctrl-C is SIGINT) and SIGCONT: the signal reaches it
 * right where it stood, on any machine.
 */
function interruptAt(s: Sandbox, args: string[], stopAt: string, signal: 'SIGINT' | 'SIGTERM'): Promise<Interrupted> {
  return new Promise((resolve) => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', SALESOPS_DB: '', SALESOPS_TEST_PAUSE: `import.${stopAt}` };
    const child = spawn(process.execPath, [BIN, '--db', s.db, '--lang', 'en', '--as-of', '2024-07-31', ...args], { env });
    let stderr = '';
    let sent = false;
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!sent && stderr.includes(`salesops: paused at import.${stopAt.split(':')[0]}\n`)) {
        sent = true;
        void stopped(child.pid!).then(() => {
          child.kill(signal);
          child.kill('SIGCONT');
        });
      }
    });
    child.on('close', (code, sig) => resolve({ code, signal: sig, stderr }));
  });
}

describe('an import interrupted (Ctrl-C, kill) while it writes a rejects file, at points the test observes', () => {
  let files: Sandbox;
  let file: string;
  /** rows of the file that are valid (every 10th has a collector nobody has) */
  let valid: number;
  beforeAll(() => {
    files = sandbox();
    const text = fs.readFileSync(bigSurveyFile(files, 'all.csv', ROWS), 'utf8');
    let i = -1;
    const lines = text.split('\n').map((line) => (++i > 0 && i % 10 === 0 ? line.replace(/,R[12],/, ',无名氏,') : line));
    valid = ROWS - Math.floor(ROWS / 10);
    file = files.file('mixed.csv', lines.join('\n'));
  });
  afterAll(() => files.cleanup());

  const leftovers = (s: Sandbox) => fs.readdirSync(s.dir).filter((f) => /\.tmp/.test(f));

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s half-way through the rows: exit %i, said in one line, no row, no rejects file, no temporary file', async (signal, code) => {
    const s = await withRoster();
    const rejects = path.join(s.dir, 'rejects.csv');
    const r = await interruptAt(s, ['survey', 'import', file, '--skip-invalid', '--rejects', rejects], `reading:${ROWS / 2}`, signal);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toContain('interrupted; nothing was imported from');
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+/);
    expect(count(s)).toBe(0);
    expect(integrity(s)).toBe('ok');
    expect(fs.existsSync(rejects)).toBe(false);
    expect(leftovers(s)).toEqual([]);
    s.cleanup();
  });

  it('SIGINT with every row written and COMMIT about to run: as before (exit 130) or complete (exit 3), never a temporary file', async () => {
    const s = await withRoster();
    const rejects = path.join(s.dir, 'rejects.csv');
    const r = await interruptAt(s, ['survey', 'import', file, '--skip-invalid', '--rejects', rejects], 'commit', 'SIGINT');
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+/);
    expect(integrity(s)).toBe('ok');
    expect(leftovers(s)).toEqual([]);
    if (r.code === 130) {
      // the signal handled before the COMMIT (the import yields to it there): nothing
      expect(count(s)).toBe(0);
      expect(fs.existsSync(rejects)).toBe(false);
    } else {
      expect(r.code, r.stderr).toBe(3);
      expect(count(s)).toBe(valid);
      expect(fs.readFileSync(rejects, 'utf8').trimEnd().split('\r\n')).toHaveLength(ROWS - valid + 1);
    }
    s.cleanup();
  });
});

describe('commands writing at once', () => {
  it('several imports and listings as separate processes all succeed, and all data is there', async () => {
    const s = await withRoster();
    const files = [0, 1, 2, 3].map((k) => bigSurveyFile(s, `part${k}.csv`, 3_000, k * 3_000));
    const results = await Promise.all([
      ...files.map((f) => runAsync(s, ['survey', 'import', f])),
      runAsync(s, ['staff', 'add', '--id', 'R9', '--name', '并发', '--role', 'rep', '--hired-on', '2024-01-01']),
      runAsync(s, ['customers', 'list', '--limit', '5']),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(count(s)).toBe(12_000);
    expect(s.query('SELECT staff_id FROM staff WHERE staff_id = ?', 'R9')).toHaveLength(1);
    s.cleanup();
  });
});

/** Customers imported before the writers start, owned by their collectors, B1–B6 with files and plans. */
const BASE = ['survey_no,name,phone,district,collector,collected_on']
  .concat(Array.from({ length: 12 }, (_, i) => `B${i + 1},老客${i + 1},137000000${String(i + 1).padStart(2, '0')},${i % 2 ? '330702' : '330726'},${i % 2 ? 'R2' : 'R1'},2024-06-0${1 + (i % 9)}`))
  .join('\n');
const PART = 1_500;
const phone = (i: number) => `137000000${String(i).padStart(2, '0')}`;

describe('write commands at once (§7: two commands writing at once both succeed)', () => {
  it('imports of every kind, assign, followups done/import, staff add and policy load as separate processes: all exit 0, every row is there, check is clean', async () => {
    const s = await withRoster();
    const setup = [
      await s.run(['survey', 'import', s.file('base.csv', BASE + '\n')]),
      await s.run(['assign']),
      // B1–B3 attend without buying (rep 3, 15), B4–B6 buy (rep 3, 30, 60; doctor 15, 30, 60)
      await s.run(['events', 'import', s.file('ev1.csv', ['customer,event_date,event,purchased,amount', ...[1, 2, 3, 4, 5, 6].map((i) => `${phone(i)},2024-07-01,7月联谊会,${i > 3 ? 'Y' : 'N'},${i > 3 ? 1000 + i : ''}`)].join('\n') + '\n')]),
      await s.run(['trips', 'import', s.file('trip1.csv', 'trip_no,staff,start,end,scope,purpose,client,reviewed_by,approved_by,report_on\nT1,R1,2024-07-10,2024-07-10,in_province,visit,杭州康乐养老院,S1,G1,2024-07-11\n')]),
    ];
    for (const r of setup) expect(r.code, r.stderr).toBe(0);
    expect(s.query("SELECT count(*) AS n FROM tasks WHERE status = 'open'")).toEqual([{ n: 3 * 2 + 3 * 6 }]);
    const parts = [0, 1, 2].map((k) => bigSurveyFile(s, `part${k}.csv`, PART, k * PART));
    const files = {
      staff: s.file('more-staff.csv', 'staff_id,name,role,team,district,hired_on\nR4,钱多多,rep,T2,330106,2024-01-15\nR5,孙小美,rep,T2,330782,2024-02-01\n'),
      followups: s.file('fu.csv', `customer,role,done_on,method,staff,note\n${phone(2)},rep,2024-07-05,phone,R2,电话回访：已收到资料\n${phone(3)},rep,2024-07-03,visit,R1,上门回访：血压正常\n`),
      events: s.file('ev2.csv', ['customer,event_date,event,purchased,amount', ...[7, 8, 9].map((i) => `${phone(i)},2024-07-20,7月健康讲座,${i === 9 ? 'Y' : 'N'},${i === 9 ? '"2,680"' : ''}`)].join('\n') + '\n'),
      orders: s.file('orders.csv', `order_no,customer,order_date,amount,staff,product\nSO-1,${phone(1)},2024-07-15,1280.00,R1,护膝\nSO-2,${phone(10)},2024-07-16,460,,营养粉\nSO-3,${phone(11)},2024-07-17,"2,380.00",R1,保健枕\n`),
      trips: s.file('trips.csv', 'trip_no,staff,start,end,scope,purpose,client,reviewed_by,approved_by,report_on\nT2,R2,2024-07-15,2024-07-16,in_province,visit,金华康宁医院,S1,G1,2024-07-17\nT3,R3,2024-07-18,2024-07-20,out_of_province,new_market,上海华康医药,S1,G1,2024-07-22\n'),
      expenses: s.file('expenses.csv', 'trip_no,date,time,kind,amount,receipt,from,to\nT1,2024-07-10,07:50,bus,45.50,Y,浦江,杭州\nT1,2024-07-10,18:20,bus,45.50,Y,杭州,浦江\n'),
    };
    const results = await Promise.all([
      ...parts.map((f) => runAsync(s, ['survey', 'import', f])),
      runAsync(s, ['staff', 'import', files.staff]),
      runAsync(s, ['staff', 'add', '--id', 'R9', '--name', '并发', '--role', 'rep', '--hired-on', '2024-01-01']),
      runAsync(s, ['assign']),
      runAsync(s, ['followups', 'done', phone(1), '--role', 'rep', '--method', 'phone', '--note', '电话回访：使用正常', '--on', '2024-07-03']),
      runAsync(s, ['followups', 'done', phone(4), '--role', 'doctor', '--method', 'visit', '--staff', 'D1', '--note', '上门测血压 130/80', '--on', '2024-07-20']),
      runAsync(s, ['followups', 'done', phone(5), '--role', 'rep', '--method', 'phone', '--note', '电话回访：满意', '--on', '2024-07-02']),
      runAsync(s, ['followups', 'import', files.followups]),
      runAsync(s, ['events', 'import', files.events]),
      runAsync(s, ['orders', 'import', files.orders]),
      runAsync(s, ['trips', 'import', files.trips]),
      runAsync(s, ['expenses', 'import', files.expenses]),
      runAsync(s, ['policy', 'load', `${ROOT}/fixtures/policy-2025.json`, '--from', '2025-01-01']),
      runAsync(s, ['customers', 'list', '--limit', '5']),
      runAsync(s, ['followups', 'due']),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    // … every write is there
    expect(count(s)).toBe(12 + 3 * PART);
    expect(s.query("SELECT staff_id, name, role, team, district, hired_on FROM staff WHERE staff_id IN ('R4','R5','R9') ORDER BY staff_id")).toEqual([
      { staff_id: 'R4', name: '钱多多', role: 'rep', team: 'T2', district: '330106', hired_on: '2024-01-15' },
      { staff_id: 'R5', name: '孙小美', role: 'rep', team: 'T2', district: '330782', hired_on: '2024-02-01' },
      { staff_id: 'R9', name: '并发', role: 'rep', team: null, district: null, hired_on: '2024-01-01' },
    ]);
    const followups = s.query(
      `SELECT c.survey_no, f.role, f.done_on, f.method, f.staff_id, f.note, t.seq, t.status, t.done_on AS task_done_on, f.late
         FROM followups f JOIN customers c USING (customer_id) LEFT JOIN tasks t ON t.task_id = f.task_id ORDER BY c.survey_no, f.role`,
    );
    expect(followups).toEqual([
      { survey_no: 'B1', role: 'rep', done_on: '2024-07-03', method: 'phone', staff_id: 'R1', note: '电话回访：使用正常', seq: 1, status: 'done', task_done_on: '2024-07-03', late: 0 },
      { survey_no: 'B2', role: 'rep', done_on: '2024-07-05', method: 'phone', staff_id: 'R2', note: '电话回访：已收到资料', seq: 1, status: 'done', task_done_on: '2024-07-05', late: 1 },
      { survey_no: 'B3', role: 'rep', done_on: '2024-07-03', method: 'visit', staff_id: 'R1', note: '上门回访：血压正常', seq: 1, status: 'done', task_done_on: '2024-07-03', late: 0 },
      { survey_no: 'B4', role: 'doctor', done_on: '2024-07-20', method: 'visit', staff_id: 'D1', note: '上门测血压 130/80', seq: 1, status: 'done', task_done_on: '2024-07-20', late: 1 },
      { survey_no: 'B5', role: 'rep', done_on: '2024-07-02', method: 'phone', staff_id: 'R1', note: '电话回访：满意', seq: 1, status: 'done', task_done_on: '2024-07-02', late: 0 },
    ]);
    // B7–B9 attended on 7-20: files opened, plans started (B9 bought: an event order too)
    expect(s.query("SELECT c.survey_no, f.opened_on, f.buyer FROM files f JOIN customers c USING (customer_id) WHERE f.opened_on = '2024-07-20' ORDER BY c.survey_no")).toEqual([
      { survey_no: 'B7', opened_on: '2024-07-20', buyer: 0 },
      { survey_no: 'B8', opened_on: '2024-07-20', buyer: 0 },
      { survey_no: 'B9', opened_on: '2024-07-20', buyer: 1 },
    ]);
    expect(s.query("SELECT count(*) AS n FROM tasks t JOIN files f USING (customer_id) WHERE f.opened_on = '2024-07-20'")).toEqual([{ n: 2 + 2 + 6 }]);
    expect(s.query('SELECT o.order_no, c.survey_no, o.amount_fen, o.staff_id, o.source FROM orders o JOIN customers c USING (customer_id) ORDER BY c.survey_no, o.order_no')).toEqual([
      { order_no: 'SO-1', survey_no: 'B1', amount_fen: 128000, staff_id: 'R1', source: 'orders' },
      { order_no: 'SO-2', survey_no: 'B10', amount_fen: 46000, staff_id: 'R2', source: 'orders' },
      { order_no: 'SO-3', survey_no: 'B11', amount_fen: 238000, staff_id: 'R1', source: 'orders' },
      ...[4, 5, 6].map((i) => ({ order_no: expect.stringMatching(/^EV-/), survey_no: `B${i}`, amount_fen: (1000 + i) * 100, staff_id: i % 2 ? 'R1' : 'R2', source: 'event' })),
      { order_no: expect.stringMatching(/^EV-/), survey_no: 'B9', amount_fen: 268000, staff_id: 'R1', source: 'event' },
    ]);
    expect(s.query('SELECT trip_no, staff_id, start_date, end_date, scope FROM trips ORDER BY trip_no')).toEqual([
      { trip_no: 'T1', staff_id: 'R1', start_date: '2024-07-10', end_date: '2024-07-10', scope: 'in_province' },
      { trip_no: 'T2', staff_id: 'R2', start_date: '2024-07-15', end_date: '2024-07-16', scope: 'in_province' },
      { trip_no: 'T3', staff_id: 'R3', start_date: '2024-07-18', end_date: '2024-07-20', scope: 'out_of_province' },
    ]);
    expect(s.query('SELECT trip_no, line_no, amount_fen FROM expenses ORDER BY trip_no, line_no')).toEqual([
      { trip_no: 'T1', line_no: 1, amount_fen: 4550 },
      { trip_no: 'T1', line_no: 2, amount_fen: 4550 },
    ]);
    expect(s.query('SELECT effective_from FROM policy_versions')).toEqual([{ effective_from: '2025-01-01' }]);
    // assign saw the customers committed before it ran; each one it gave out has its history row
    expect(s.query("SELECT count(*) AS n FROM customers WHERE survey_no LIKE 'B%' AND owner_id = collector_id")).toEqual([{ n: 12 }]);
    expect(s.query('SELECT count(*) AS n FROM customers c WHERE owner_id IS NOT NULL AND (SELECT count(*) FROM assignments a WHERE a.customer_id = c.customer_id) <> 1')).toEqual([{ n: 0 }]);
    // a second run gives out the rest: every customer to its collector, once
    expect((await s.run(['assign'])).code).toBe(0);
    expect(s.query('SELECT count(*) AS n FROM customers WHERE owner_id = collector_id')).toEqual([{ n: 12 + 3 * PART }]);
    expect(s.query("SELECT count(*) AS n, count(DISTINCT customer_id) AS c FROM assignments WHERE rule = 'collector'")).toEqual([{ n: 12 + 3 * PART, c: 12 + 3 * PART }]);
    // … and the file is sound
    expect(integrity(s)).toBe('ok');
    expect(s.query('PRAGMA foreign_key_check')).toEqual([]);
    const chk = await s.run(['check']);
    expect(chk.code, chk.stdout + chk.stderr).toBe(0);
    expect(chk.stdout + chk.stderr).toBe('');
    s.cleanup();
  });
});

describe('backup and check', () => {
  it('backs up a consistent copy while an import writes, and check is silent on a healthy database', async () => {
    const s = await withRoster();
    const file = bigSurveyFile(s, 'big.csv', 20_000);
    const copy = `${s.dir}/copy.db`;
    const [imp, bak] = await Promise.all([runAsync(s, ['survey', 'import', file]), runAsync(s, ['backup', copy])]);
    expect(imp.code).toBe(0);
    expect(bak.code).toBe(0);
    const d = new Database(copy, { readonly: true });
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    expect([0, 20_000]).toContain(d.prepare('SELECT count(*) AS n FROM customers').get().n);
    d.close();
    expect(fs.statSync(copy).mode & 0o777).toBe(0o600);
    const chk = await s.run(['check']);
    expect(chk.code).toBe(0);
    expect(chk.stdout + chk.stderr).toBe('');
    s.cleanup();
  });

  it('check reports a broken invariant and exits 1', async () => {
    const s = await withRoster();
    await s.run(['survey', 'import', s.file('s.csv', 'name,phone,collector,collected_on\n甲,13500001111,R1,2024-05-01\n')]);
    const d = new Database(s.db);
    d.prepare("UPDATE customers SET owner_id = 'M1'").run(); // a manager may not own customers
    d.close();
    const r = await s.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('non_rep_owns_customer');
    s.cleanup();
  });

  it('check reports a history that contradicts itself (issue 18): a cancellation without its day, a move the task does not know of', async () => {
    const s = await withRoster();
    await s.run(['survey', 'import', s.file('s.csv', 'name,phone,collector,collected_on\n甲,13500001111,R1,2024-05-01\n')]);
    await s.run(['assign']);
    await s.run(['events', 'import', s.file('e.csv', 'phone,event_date,purchased\n13500001111,2024-07-01,否\n')]);
    expect((await s.run(['check'])).code).toBe(0);
    const d = new Database(s.db);
    d.prepare("UPDATE tasks SET status = 'cancelled' WHERE seq = 1").run();
    d.prepare("INSERT INTO task_moves (task_id, moved_on, from_staff_id, to_staff_id, reason) SELECT task_id, '2024-08-05', 'R1', 'R2', 'handover' FROM tasks WHERE seq = 2").run();
    d.close();
    const r = await s.run(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('task_history_dates');
    expect(r.stdout).toContain('task_moves_disagree');
    s.cleanup();
  });

  it('refuses to back up onto the database itself', async () => {
    const s = sandbox();
    await s.run(['init']);
    const r = await s.run(['backup', s.db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is the database');
    s.cleanup();
  });
});

describe('audit (§5): every reveal and every export of personal data is in the audit log', () => {
  // (UPDATE and DELETE on audit_log are refused: test/e2e/foundation.test.ts)
  const SURVEYS = `survey_no,name,gender,birth_year,phone,address,district,health,collector,collected_on
A1,钱桂兰,F,1950,13900001111,浙江省金华市浦江县和平路8号,330726,高血压,R1,2024-06-02
A2,孙德明,M,1948,13900002222,浙江省金华市婺城区宾虹路2号,330702,糖尿病,R2,2024-06-03
`;
  const NOTE = '血压偏高，已提醒按时服药';
  let s: Sandbox;
  type Audit = { audit_id: number; action: string; approved_by: string; reason: string; subject: string; detail: string; os_user: string | null };
  const audits = () => s.query<Audit>('SELECT audit_id, action, approved_by, reason, subject, detail, os_user FROM audit_log ORDER BY audit_id');
  beforeAll(async () => {
    s = await withRoster();
    const steps = [
      await s.run(['survey', 'import', s.file('surveys.csv', SURVEYS)]),
      await s.run(['assign']),
      await s.run(['events', 'import', s.file('ev.csv', 'customer,event_date,event,purchased\n13900001111,2024-07-01,7月联谊会,N\n13900002222,2024-07-01,7月联谊会,N\n')]),
      await s.run(['followups', 'import', s.file('fu.csv', `customer,role,done_on,method,staff,note\n13900001111,rep,2024-07-03,phone,R1,${NOTE}\n`)]),
    ];
    for (const r of steps) expect(r.code, r.stderr).toBe(0);
    expect(audits()).toEqual([]);
  });
  afterAll(() => s.cleanup());

  /** Runs a command that must not reveal anything: exit 0, no full phone, no health, no audit row. */
  async function masked(args: string[]): Promise<string> {
    const before = audits().length;
    const r = await s.run(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('13900001111');
    expect(r.stdout).not.toContain('高血压');
    expect(r.stdout).not.toContain(NOTE);
    expect(audits()).toHaveLength(before);
    return r.stdout;
  }

  /** Runs a revealing command: exit 0, exactly one new audit row, returned with the output. */
  async function revealed(args: string[]): Promise<{ out: string; row: Audit }> {
    const before = audits();
    const r = await s.run([...args, '--reveal', '--approved-by', 'G1', '--reason', '季度质检']);
    expect(r.code, r.stderr).toBe(0);
    const after = audits();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    return { out: r.stdout, row: after.at(-1)! };
  }

  it('customers list --reveal, in every format, writes one reveal entry each: who approved, why, what, the command line and the OS user', async () => {
    expect(await masked(['customers', 'list'])).toContain('139****1111');
    for (const format of ['table', 'json', 'csv']) {
      const { out, row } = await revealed(['--format', format, 'customers', 'list']);
      expect(out).toContain('13900001111');
      expect(out).toContain('高血压');
      expect(row).toMatchObject({ action: 'reveal', approved_by: 'G1', reason: '季度质检', os_user: os.userInfo().username });
      expect(row.subject).toMatch(/^customers list /);
      expect(row.detail).toContain('customers list');
      expect(row.detail).toContain('--reveal');
    }
    // a filtered list says which customers were shown
    const { row } = await revealed(['customers', 'list', '--collector', 'R2']);
    expect(row.subject).toContain('"collector":"R2"');
  });

  /** A masked export of customer data: exit 0, nothing sealed shown, one entry without approval. */
  async function maskedExport(args: string[]): Promise<Audit> {
    const before = audits();
    const r = await s.run(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('13900001111');
    expect(r.stdout).not.toContain('高血压');
    expect(r.stdout).not.toContain(NOTE);
    const after = audits();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    const row = after.at(-1)!;
    expect(row).toMatchObject({ action: 'export', approved_by: null, reason: null });
    expect(row.subject).toMatch(/ \(masked\)$/);
    return row;
  }

  it.each([
    // kind, a period holding the rows (customers: collected; tasks: due; follow-ups: done), sealed values
    ['customers', '2024-06', '13900001111', '高血压'],
    ['tasks', '2024-07', '13900001111', '13900002222'],
    ['followups', '2024-07', '13900001111', NOTE],
  ])('export %s --reveal writes one export entry naming the kind and where it went, to stdout and to a file', async (kind, period, phone, sealedText) => {
    expect((await maskedExport(['export', kind])).subject).toBe(`export ${kind} → stdout (masked)`);
    const toStdout = await revealed(['export', kind]);
    expect(toStdout.out).toContain(phone);
    expect(toStdout.out).toContain(sealedText);
    expect(toStdout.row).toMatchObject({ action: 'export', approved_by: 'G1', reason: '季度质检', subject: `export ${kind} → stdout` });
    const file = path.join(s.dir, `${kind}-revealed.json`);
    const toFile = await revealed(['export', kind, '--period', period, '--out', file]);
    expect(fs.readFileSync(file, 'utf8')).toContain(phone);
    expect(toFile.row).toMatchObject({ action: 'export', subject: `export ${kind} ${period} → ${file}` });
    expect(toFile.row.detail).toContain(file);
  });

  it('exports without sealed data need no reveal; those with customer names are still logged, the others not', async () => {
    for (const kind of ['staff', 'assignments', 'trips', 'expenses']) await masked(['export', kind]);
    for (const kind of ['events', 'files', 'orders']) expect((await maskedExport(['export', kind])).subject).toBe(`export ${kind} → stdout (masked)`);
    const r = await s.run(['export', 'orders', '--reveal', '--approved-by', 'G1', '--reason', 'x']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('--reveal is not needed');
    expect(audits().at(-1)).toMatchObject({ action: 'export', approved_by: null, subject: 'export orders → stdout (masked)' });
  });

  it('salesops audit lists every entry written above, oldest first', async () => {
    const listed = JSON.parse((await s.run(['--format', 'json', 'audit'])).stdout) as { action: string; subject: string }[];
    const rows = audits();
    // 4 revealed listings; per sealed kind a masked and two revealed exports; 3 + 1 masked exports of names
    expect(rows.length).toBe(4 + 3 * 3 + 4);
    expect(listed.map((x) => [x.action, x.subject])).toEqual(rows.map((x) => [x.action, x.subject]));
  });

  // INSERT OR REPLACE deletes the old row without firing DELETE triggers (SQLite fires them on
  // REPLACE only with recursive_triggers on): migration 3 guards the inserts too
  it('a gm who has left cannot approve a reveal or an export: exit 1, nothing shown, nothing audited', async () => {
    const roster = s.file('gm-left.csv', 'staff_id,name,role,team,district,areas,hired_on,regular_on,left_on,capacity\nG9,老总,gm,HQ,330702,,2010-01-01,,2024-03-01,\n');
    expect((await s.run(['staff', 'import', roster])).code).toBe(0);
    const before = audits();
    for (const args of [['customers', 'list'], ['export', 'customers', '--format', 'csv']]) {
      const r = await s.run([...args, '--reveal', '--approved-by', 'G9', '--reason', '季度质检']);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('G9 left on 2024-03-01');
      expect(r.stdout).not.toContain('13900001111');
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
    expect(audits()).toEqual(before);
  });

  it('INSERT OR REPLACE cannot overwrite an audit entry, nor replace or drop a customer', async () => {
    const d = new Database(s.db);
    try {
      expect(() => d.prepare("INSERT OR REPLACE INTO audit_log (audit_id, action, reason) VALUES (1, 'nothing', 'forged')").run()).toThrow(/append-only/);
      expect(() => d.prepare("REPLACE INTO audit_log (audit_id, action) VALUES (1, 'x')").run()).toThrow(/append-only/);
      const before = d.prepare('SELECT * FROM customers ORDER BY customer_id').all();
      const first = before[0] as { customer_id: number; phone: string; name: string; survey_no: string };
      // by id: refused; by phone + name or survey number: not inserted, the customer stays as it was
      expect(() => d.prepare("INSERT OR REPLACE INTO customers (customer_id, name, phone) VALUES (?, '冒名', '13000000000')").run(first.customer_id)).toThrow(
        /never deleted/,
      );
      expect(d.prepare("INSERT OR REPLACE INTO customers (name, phone, health) VALUES (?, ?, 'forged')").run(first.name, first.phone).changes).toBe(0);
      expect(d.prepare("INSERT OR REPLACE INTO customers (name, phone, survey_no) VALUES ('别人', '13000000001', ?)").run(first.survey_no).changes).toBe(0);
      expect(d.prepare('SELECT * FROM customers ORDER BY customer_id').all()).toEqual(before);
      // an ordinary new customer is still welcome
      expect(d.prepare("INSERT INTO customers (name, phone, collector_id, collected_on) VALUES ('新人', '13000000002', 'R1', '2024-07-01')").run().changes).toBe(1);
      // the log is still appendable
      expect(d.prepare("INSERT INTO audit_log (action, reason) VALUES ('test', 'appended')").run().changes).toBe(1);
    } finally {
      d.close();
    }
  });
});
