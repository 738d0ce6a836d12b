/**
 * Issue 16, Excel in, through the binary, in English and Chinese: every import reads an
 * .xlsx (known by its content) exactly as it reads the CSV of the same rows — dates as date
 * cells, phones and amounts as numbers, strings shared or inline — with the same dry run,
 * idempotence, rejects and row numbers (the sheet's); title rows above the header (in a CSV
 * too) said once; `--sheet`; a rejects file of a workbook is a workbook that re-imports as it
 * is; a required cell empty inside merged cells says why; and a file that is no workbook or
 * breaks a limit is refused plainly (exit 1, nothing written, no stack trace). Workbooks are
 * built the way Excel and WPS write them (workbooks.ts). Roster: harness.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, sandboxesPerTest, stopped, type Sandbox } from './harness.js';
import { officeSurveySheet, writeWorkbook, zipBomb, wideSheet, bigCellSheet, emptySheet, type Cell, type SheetSpec, type WorkbookSpec } from './workbooks.js';
import { openSheet } from '../../src/io/xlsx/read.js';
import { Found } from '../../src/io/csvRecords.js';

const sandboxes = sandboxesPerTest();
type Lang = 'en' | 'zh';
const LANGS: Lang[] = ['en', 'zh'];

const SURVEYS = 'name,phone,collector,collected_on\n张三,13900000001,R1,2024-06-01\n李四,13900000002,R2,2024-06-02\n';
const TRIPS = 'trip_no,staff,start,end,scope,purpose,client,reviewed_by,approved_by\nT1,R1,2024-07-08,2024-07-10,out_of_province,visit,上海华康,S1,G1\n';

async function ok(s: Sandbox, args: string[], lang: Lang = 'en'): Promise<string> {
  const r = await s.run(args, { lang });
  expect(r.code, r.stderr).toBe(0);
  return r.stderr;
}

/** A cell as the CSV of the same sheet writes it (what Excel shows). */
function shown(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'string') return /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
  if (typeof c === 'number') return String(c);
  if (typeof c === 'boolean') return c ? 'TRUE' : 'FALSE';
  if ('date' in c) return c.date.replace('T', ' ');
  if ('time' in c) return c.time;
  // Excel's 15 significant digits: the CSV it saves has 3980, not 3980.0000000000005
  if ('number' in c) return String(Number(Number(c.number).toPrecision(15)));
  if ('text' in c) return c.text;
  throw new Error('no CSV form for ' + JSON.stringify(c));
}

/** The rows a kind stores, without the name of the file they came from (a follow-up's `source`) nor the time they were written. */
const stored = (s: Sandbox, sql: string) => s.query(sql).map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !['source', 'created_at', 'updated_at'].includes(k))));

const csvOf = (header: string[], rows: Cell[][]) => [header.join(','), ...rows.map((r) => r.map(shown).join(','))].join('\n') + '\n';
const book = (header: string[], rows: Cell[][], more: Partial<WorkbookSpec> = {}, name = 'Sheet1'): WorkbookSpec => ({ ...more, sheets: [{ name, rows: [header, ...rows] }] });
const put = (s: Sandbox, name: string, spec: WorkbookSpec) => writeWorkbook(path.join(s.dir, name), spec);

interface KindCase {
  command: string[];
  setup?: (s: Sandbox) => Promise<void>;
  header: string[];
  rows: Cell[][];
  /** WPS, inline strings: the shapes differ, the rows read the same */
  spec?: Partial<WorkbookSpec>;
  /** what the import stores */
  table: string;
}

const CASES: Record<string, KindCase> = {
  staff: {
    command: ['staff', 'import'],
    header: ['staff_id', 'name', 'role', 'team', 'district', 'hired_on', 'capacity'],
    rows: [
      ['R8', '新人甲', 'rep', 'T1', 330702, { date: '2024-07-01' }, 300],
      ['R9', '新人乙', 'rep', 'T2', 330106, { date: '2024-07-02', style: 'zh' }, null],
    ],
    table: 'SELECT * FROM staff ORDER BY staff_id',
  },
  survey: {
    command: ['survey', 'import'],
    header: ['survey_no', 'name', 'gender', 'birth_year', 'phone', 'address', 'collector', 'collected_on'],
    rows: [
      [20240001, '冯明', '男', 1956, 13857903456, '浙江省金华市浦江县和平路 1 号', '刘芳', { date: '2024-05-09' }],
      ['S2', '王兰', '女', 1954, { text: '13857903457', style: 'text' }, '浙江省金华市浦江县和平路 2 号', 'R2', { date: '2024-05-10', style: 'slash' }],
    ],
    spec: { app: 'wps' },
    table: 'SELECT * FROM customers ORDER BY 1',
  },
  events: {
    command: ['events', 'import'],
    setup: async (s) => void (await ok(s, ['survey', 'import', s.file('s.csv', SURVEYS)])),
    header: ['customer', 'event_date', 'event', 'purchased', 'amount'],
    rows: [
      [13900000001, { date: '2024-07-01' }, '7月联谊会', '是', { number: 980, style: 'money' }],
      [13900000002, { date: '2024-07-01', style: 'zh-builtin' }, '7月联谊会', '否', null],
    ],
    spec: { sharedStrings: false },
    table: 'SELECT * FROM events ORDER BY 1',
  },
  orders: {
    command: ['orders', 'import'],
    setup: async (s) => void (await ok(s, ['survey', 'import', s.file('s.csv', SURVEYS)])),
    header: ['order_no', 'customer', 'order_date', 'amount', 'product'],
    rows: [
      ['SO1', 13900000001, { date: '2024-07-03' }, { number: '1280.5', style: 'money' }, '保健品'],
      [20240704, 13900000002, { date: '2024-07-04' }, { number: '3980.0000000000005' }, null],
    ],
    table: 'SELECT * FROM orders ORDER BY 1',
  },
  followups: {
    command: ['followups', 'import'],
    setup: async (s) => {
      await ok(s, ['survey', 'import', s.file('s.csv', SURVEYS)]);
      await ok(s, ['assign']);
    },
    header: ['customer', 'role', 'done_on', 'method', 'staff', 'note'],
    rows: [[13900000001, 'rep', { date: '2024-07-05' }, 'phone', 'R1', '询问使用情况']],
    table: 'SELECT * FROM followups ORDER BY 1',
  },
  trips: {
    command: ['trips', 'import'],
    header: ['trip_no', 'staff', 'start', 'end', 'scope', 'purpose', 'client', 'reviewed_by', 'approved_by', 'advance', 'report_on'],
    rows: [['T1', 'R1', { date: '2024-07-08T07:30', style: 'datetime' }, { date: '2024-07-10T18:05', style: 'datetime-builtin' }, 'out_of_province', 'visit', '上海华康', 'S1', 'G1', { number: 1280, style: 'money' }, { date: '2024-07-11' }]],
    table: 'SELECT * FROM trips ORDER BY 1',
  },
  expenses: {
    command: ['expenses', 'import'],
    setup: async (s) => void (await ok(s, ['trips', 'import', s.file('t.csv', TRIPS)])),
    header: ['trip_no', 'date', 'time', 'kind', 'amount', 'hours', 'class', 'receipt', 'from', 'to'],
    rows: [
      ['T1', { date: '2024-07-08' }, { time: '07:45' }, 'train', { number: 180, style: 'money' }, 5, 'second_class', 'Y', '义乌', '上海虹桥'],
      ['T1', { date: '2024-07-08' }, { time: '20:00' }, 'taxi', 35, null, null, null, '上海虹桥', '酒店'],
      ['T1', { date: '2024-07-09' }, null, 'lodging', { number: '260.00000000000006' }, null, null, 'Y', null, null],
    ],
    table: 'SELECT * FROM expenses ORDER BY 1',
  },
};

describe('every import reads an .xlsx as it reads the CSV of the same rows', () => {
  for (const [name, c] of Object.entries(CASES)) {
    for (const lang of LANGS) {
      it(`${name} (${lang}): same rows stored; dry run writes nothing; re-import changes nothing`, async () => {
        const viaCsv = await sandboxes.roster();
        await c.setup?.(viaCsv);
        const csv = viaCsv.file('rows.csv', csvOf(c.header, c.rows));
        // the same commands as below: on a server, ids a dry run gave (then rolled back) are
        // not given again, as an identity never goes back (issue 19); SQLite's next rowid does
        await ok(viaCsv, [...c.command, csv, '--dry-run']);
        await ok(viaCsv, [...c.command, csv]);
        const expected = stored(viaCsv, c.table);
        expect(expected.length).toBeGreaterThanOrEqual(c.rows.length);

        const s = await sandboxes.roster();
        await c.setup?.(s);
        // named .csv on purpose: the content decides
        const file = await put(s, name === 'survey' ? 'rows.csv' : '表格.xlsx', book(c.header, c.rows, c.spec));
        const before = s.query(c.table);
        const dry = await ok(s, [...c.command, file, '--dry-run'], lang);
        expect(dry).toContain(lang === 'en' ? `dry run, nothing written: ${c.rows.length} rows — ${c.rows.length} new` : `试运行，未写入：共 ${c.rows.length} 行 — 新增 ${c.rows.length}`);
        expect(s.query(c.table)).toEqual(before);

        const first = await ok(s, [...c.command, file], lang);
        expect(first).toContain(lang === 'en' ? `imported ${c.rows.length} rows — ${c.rows.length} new` : `已导入 ${c.rows.length} 行 — 新增 ${c.rows.length}`);
        expect(stored(s, c.table)).toEqual(expected);

        const again = await ok(s, [...c.command, file], lang);
        expect(again).toContain(lang === 'en' ? `0 new, 0 updated, ${c.rows.length} unchanged` : `新增 0，更新 0，未变 ${c.rows.length}`);
        expect(stored(s, c.table)).toEqual(expected);
      });
    }
  }
});

describe('title rows above the header (a workbook and a CSV)', () => {
  for (const lang of LANGS) {
    it(`an office sheet: banner, note, blank row, header on row 4, numeric phones, a hidden row (${lang})`, async () => {
      const s = await sandboxes.roster();
      const file = await put(s, '5月调查.xlsx', { sheets: [officeSurveySheet()] });
      const err = await ok(s, ['survey', 'import', file], lang);
      expect(err).toContain(lang === 'en' ? 'notice: the header is on row 4; the 3 rows above it (a title) were skipped' : '提示：表头在第 4 行，已跳过上面的 3 行标题');
      expect(err).toContain(lang === 'en' ? '4 new' : '新增 4');
      expect(s.query('SELECT survey_no, name, phone, collected_on FROM customers ORDER BY survey_no')).toEqual([
        { survey_no: 'Q1', name: '冯明', phone: '13857903456', collected_on: '2024-05-09' },
        { survey_no: 'Q2', name: '王兰', phone: '13857903457', collected_on: '2024-05-09' },
        { survey_no: 'Q3', name: '李强', phone: '13857903458', collected_on: '2024-05-10' },
        { survey_no: 'Q4', name: '赵丽', phone: '13857903459', collected_on: '2024-05-10' },
      ]);
    });

    it(`a CSV with a title and a blank line above its header; errors name the file's own rows (${lang})`, async () => {
      const s = await sandboxes.roster();
      const f = s.file('调查.csv', '中老年健康调查表（5月）,,,\n\n姓名,电话,收集人,收集日期\n冯明,13857903456,刘芳,2024-05-09\n王兰,1385790345,刘芳,2024-05-09\n');
      const r = await s.run(['survey', 'import', f], { lang });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(lang === 'en' ? 'notice: the header is on row 3; the 2 rows above it (a title) were skipped' : '提示：表头在第 3 行，已跳过上面的 2 行标题');
      expect(r.stderr).toContain(lang === 'en' ? 'row 5, 电话 "1385790345"' : '第 5 行，电话「1385790345」');
      const fixed = s.file('调查2.csv', '中老年健康调查表（5月）\n姓名,电话,收集人,收集日期\n冯明,13857903456,刘芳,2024-05-09\n');
      expect(await ok(s, ['survey', 'import', fixed], lang)).toContain(lang === 'en' ? 'the header is on row 2; the row above it (a title) was skipped' : '表头在第 2 行，已跳过上面的 1 行标题');
    });
  }

  it('a template’s example row (first cell 示例/example) under the header is not imported, and says nothing', async () => {
    const s = await sandboxes.roster();
    const file = await put(s, 't.xlsx', book(['name', 'phone', 'collector', 'collected_on'], [['示例', 13800138000, 'R1', { date: '2024-05-01' }], ['冯明', 13857903456, 'R1', { date: '2024-05-09' }]]));
    const err = await ok(s, ['survey', 'import', file]);
    expect(err).toContain('imported 1 rows — 1 new');
    expect(s.query('SELECT name FROM customers')).toEqual([{ name: '冯明' }]);
    // the template as salesops writes it, in either language, imported as it is: a header and no rows
    for (const lang of LANGS) {
      const template = path.join(s.dir, `template-${lang}.xlsx`);
      await ok(s, ['template', 'survey', '--out', template], lang);
      expect(await ok(s, ['survey', 'import', template], lang)).toContain(lang === 'en' ? 'has a header but no data rows' : '只有表头，没有数据行');
    }
  });

  it('expenses with --skip-invalid: a trip with a bad line goes out whole, by the sheet’s row numbers (a title above)', async () => {
    const s = await sandboxes.roster();
    await ok(s, ['trips', 'import', s.file('t.csv', TRIPS + 'T2,R2,2024-07-08,2024-07-09,in_province,visit,金华客户,S1,G1\n')]);
    const file = await put(s, '报销.xlsx', {
      sheets: [
        {
          name: '7月',
          rows: [
            ['7月差旅报销明细'],
            ['trip_no', 'date', 'kind', 'amount'],
            ['T1', { date: '2024-07-08' }, 'bus', 40],
            ['T1', { date: '2024-07-09' }, 'bus', '四十元'],
            ['T2', { date: '2024-07-08' }, 'bus', 30],
          ],
        },
      ],
    });
    const r = await s.run(['expenses', 'import', file, '--skip-invalid', '--rejects', path.join(s.dir, 'bad.xlsx')]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('row 3, trip_no "T1": another line of this trip is invalid (row 4)');
    expect(r.stderr).toContain('row 4, amount "四十元"');
    expect(s.query('SELECT trip_no, amount_fen FROM expenses ORDER BY trip_no')).toEqual([{ trip_no: 'T2', amount_fen: 3000 }]);
  });
});

describe('--sheet', () => {
  const spec = (): WorkbookSpec => ({
    sheets: [
      { name: '说明', rows: [['本表用于 5 月调查']] },
      { name: '5月', rows: [['姓名', '电话', '收集人', '收集日期'], ['冯明', 13857903456, '刘芳', { date: '2024-05-09' }]] },
      { name: '6月', rows: [['姓名', '电话', '收集人', '收集日期'], ['王兰', 13857903457, '刘芳', { date: '2024-06-09' }], ['李强', 13857903458, 'R2', { date: '2024-06-10' }]] },
    ],
  });
  for (const lang of LANGS) {
    it(`picks a sheet by name or number; a sheet that is not there is listed; the first by default, said (${lang})`, async () => {
      const s = await sandboxes.roster();
      const file = await put(s, 'book.xlsx', spec());
      expect(await ok(s, ['survey', 'import', file, '--sheet', '6月', '--dry-run'], lang)).toContain(lang === 'en' ? '2 rows — 2 new' : '共 2 行 — 新增 2');
      expect(await ok(s, ['survey', 'import', file, '--sheet', '2', '--dry-run'], lang)).toContain(lang === 'en' ? '1 rows — 1 new' : '共 1 行 — 新增 1');
      const missing = await s.run(['survey', 'import', file, '--sheet', '7月'], { lang });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(lang === 'en' ? 'has no sheet "7月"; its sheets: 1 "说明", 2 "5月", 3 "6月"' : '中没有工作表「7月」；其中的工作表：1「说明」、2「5月」、3「6月」');
      // the first sheet is a note: its missing columns are said, with which sheet was read
      const first = await s.run(['survey', 'import', file], { lang });
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(lang === 'en' ? /lacks the required columns/ : /缺少必填列/);
      const csv = await s.run(['survey', 'import', s.file('a.csv', SURVEYS), '--sheet', '1'], { lang });
      expect(csv.code).toBe(2);
      expect(csv.stderr).toContain(lang === 'en' ? '--sheet is for a workbook (.xlsx)' : '--sheet 只用于工作簿（.xlsx）');
      expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
    });
  }

  it('several sheets and no --sheet: which one was read is said', async () => {
    const s = await sandboxes.roster();
    const two = spec();
    two.sheets.shift();
    const file = await put(s, 'book.xlsx', two);
    expect(await ok(s, ['survey', 'import', file, '--dry-run'])).toContain('notice: read the sheet "5月", the first of 2; --sheet NAME or number reads another');
    expect(await ok(s, ['survey', 'import', file, '--dry-run'], 'zh')).toContain('提示：已读取第一个工作表「5月」（共 2 个）');
  });
});

/** Every row of the first sheet of a workbook, as text. */
async function sheetRows(file: string): Promise<{ sheet: string; rows: string[][] }> {
  const src = await openSheet(file);
  const rows: string[][] = [];
  try {
    await src.read();
    for (let f = src.next(); f !== Found.End; f = src.next()) {
      if (f === Found.More) await src.read();
      else if (f === Found.Record) rows.push(src.cells.slice());
    }
  } finally {
    src.close();
  }
  return { sheet: src.sheet, rows };
}

describe('rejects of a workbook', () => {
  for (const lang of LANGS) {
    it(`are a workbook: the header, each bad row as read and why; it re-imports as it is (${lang})`, async () => {
      const s = await sandboxes.roster();
      const sheet: SheetSpec = {
        name: '5月',
        rows: [
          ['中老年健康调查表'],
          ['姓名', '电话', '收集人', '收集日期'],
          ['冯明', 13857903456, '刘芳', { date: '2024-05-09' }],
          ['王兰', 1385790345, '刘芳', { date: '2024-05-09' }],
          ['李强', 13857903458, '无名氏', { date: '2024-05-10' }],
        ],
      };
      const file = await put(s, '5月.xlsx', { sheets: [sheet] });
      const rejects = path.join(s.dir, 'bad.xlsx');
      const r = await s.run(['survey', 'import', file, '--skip-invalid', '--rejects', rejects], { lang });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain(lang === 'en' ? 'row 4, 电话 "1385790345"' : '第 4 行，电话「1385790345」');
      expect(r.stderr).toContain(lang === 'en' ? 'row 5, 收集人 "无名氏"' : '第 5 行，收集人「无名氏」');
      expect(fs.readFileSync(rejects).subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
      const back = await sheetRows(rejects);
      expect(back.sheet).toBe('5月');
      expect(back.rows[0]).toEqual(['姓名', '电话', '收集人', '收集日期', lang === 'en' ? 'error' : '错误原因']);
      expect(back.rows.slice(1).map((x) => x.slice(0, 4))).toEqual([
        ['王兰', '1385790345', '刘芳', '2024-05-09'],
        ['李强', '13857903458', '无名氏', '2024-05-10'],
      ]);
      expect(back.rows[1][4]).toMatch(lang === 'en' ? /^电话: not a mobile/ : /^电话：不是有效的手机号/);
      // as it is: the same two rows, refused again for the same reasons (the error column ignored)
      const again = await s.run(['survey', 'import', rejects], { lang });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(lang === 'en' ? 'row 2, 电话 "1385790345"' : '第 2 行，电话「1385790345」');
      expect(again.stderr).toContain(lang === 'en' ? 'row 3, 收集人 "无名氏"' : '第 3 行，收集人「无名氏」');
      expect(s.query('SELECT name FROM customers')).toEqual([{ name: '冯明' }]);
    });
  }

  it('--rejects FILE.csv for a workbook writes a CSV; FILE.xlsx for a CSV writes a workbook', async () => {
    const s = await sandboxes.roster();
    const file = await put(s, 'a.xlsx', book(['name', 'phone', 'collector', 'collected_on'], [['王兰', 1385790345, 'R1', { date: '2024-05-09' }]]));
    const csv = path.join(s.dir, 'bad.csv');
    expect((await s.run(['survey', 'import', file, '--skip-invalid', '--rejects', csv])).code).toBe(3);
    expect(fs.readFileSync(csv, 'utf8').replace(/^\ufeff/, '').split('\r\n')[1]).toMatch(/^王兰,1385790345,R1,2024-05-09,phone: /);
    const xlsx = path.join(s.dir, 'bad.xlsx');
    expect((await s.run(['survey', 'import', s.file('a.csv', 'name,phone,collector,collected_on\n王兰,1385790345,R1,2024-05-09\n'), '--skip-invalid', '--rejects', xlsx])).code).toBe(3);
    expect((await sheetRows(xlsx)).rows[1].slice(0, 4)).toEqual(['王兰', '1385790345', 'R1', '2024-05-09']);
  });
});

describe('Ctrl-C while a workbook is read and its rejects written', () => {
  it('exit 130, said in one line: no row, no rejects workbook, no temporary file', async () => {
    const s = await sandboxes.roster();
    const rows: Cell[][] = [['姓名', '电话', '收集人', '收集日期']];
    for (let i = 0; i < 30_000; i++) rows.push([`客户${i}`, 13800000000 + i, i % 10 === 0 ? '无名氏' : 'R1', { date: '2024-05-09' }]);
    const file = await put(s, 'big.xlsx', { sheets: [{ name: 'S', rows }] });
    const rejects = path.join(s.dir, 'bad.xlsx');
    // stopped once 10,000 rows are written (SALESOPS_TEST_PAUSE), then SIGINT: where it stood, on any machine
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const env = { ...(process.env as Record<string, string>), NO_COLOR: '1', SALESOPS_DB: '', SALESOPS_TEST_PAUSE: 'import.reading:10000' };
      const child = spawn(process.execPath, [BIN, '--db', s.db, '--lang', 'en', ...['survey', 'import', file, '--skip-invalid', '--rejects', rejects]], { env });
      let stderr = '';
      child.stdout.resume();
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (d.includes('salesops: paused at import.reading\n')) {
          void stopped(child.pid!).then(() => {
            child.kill('SIGINT');
            child.kill('SIGCONT');
          });
        }
      });
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupted; nothing was imported from');
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+/);
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
    expect(fs.readdirSync(s.dir).filter((f) => f.startsWith('bad') || /\.tmp/.test(f))).toEqual([]);
  });
});

describe('cells as Excel stores them', () => {
  for (const lang of LANGS) {
    it(`a required cell empty inside merged cells says why; a formula error is a row error (${lang})`, async () => {
      const s = await sandboxes.roster();
      const file = await put(s, 'merged.xlsx', {
        sheets: [
          {
            name: 'S',
            rows: [
              ['姓名', '电话', '收集人', '收集日期'],
              ['冯明', 13857903456, '刘芳', { date: '2024-05-09' }],
              ['王兰', 13857903457, null, { date: '2024-05-09' }],
              ['李强', { formula: 'VLOOKUP(A4,X:Y,2,0)', value: { error: '#N/A' } }, '刘芳', { date: '2024-05-10' }],
            ],
            merges: ['C2:C3'],
          },
        ],
      });
      const r = await s.run(['survey', 'import', file], { lang });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        lang === 'en'
          ? 'row 3, 收集人 "": is empty: it lies in the merged cells C2:C3, and only the first of them (C2) holds the value → unmerge those cells'
          : '第 3 行，收集人「」：为空：此格位于合并单元格 C2:C3 中，只有第一格（C2）有值 → 请取消合并',
      );
      expect(r.stderr).toContain(lang === 'en' ? 'row 4, 电话 "#N/A": the formula in this cell gives an error' : '第 4 行，电话「#N/A」：此格的公式出错');
      expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
    });
  }
});

describe('files that are no workbook, and limits: exit 1, nothing written, no stack trace', () => {
  const refused = async (s: Sandbox, file: string, lang: Lang, pattern: RegExp) => {
    const r = await s.run(['survey', 'import', file], { lang });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
  };
  it('a damaged zip, a zip that is not a workbook, an empty sheet, a cell past XFD (en and zh)', async () => {
    const s = await sandboxes.roster();
    const good = fs.readFileSync(await put(s, 'g.xlsx', book(['name', 'phone', 'collector', 'collected_on'], [['冯明', 13857903456, 'R1', { date: '2024-05-09' }]])));
    const cut = path.join(s.dir, 'cut.xlsx');
    fs.writeFileSync(cut, good.subarray(0, good.length - 40));
    await refused(s, cut, 'en', /cut\.xlsx is a damaged workbook and cannot be read/);
    await refused(s, cut, 'zh', /cut\.xlsx 是损坏的工作簿，无法读取/);
    const empty = await put(s, 'empty.xlsx', emptySheet());
    await refused(s, empty, 'en', /the sheet "Sheet1" of .*empty\.xlsx is empty/);
    await refused(s, empty, 'zh', /工作表「Sheet1」是空的/);
    const wide = await put(s, 'wide.xlsx', wideSheet(16_385));
    await refused(s, wide, 'en', /has a cell at XFE1, past XFD/);
    await refused(s, wide, 'zh', /超出了工作表最后一列 XFD/);
  });

  it('a header of 16,384 columns is no list to import', async () => {
    const s = await sandboxes.roster();
    const wide = await put(s, 'wide.xlsx', wideSheet(16_384));
    await refused(s, wide, 'en', /the header of .*wide\.xlsx \(row 1\) goes on to column XFD, 16,384 columns/);
    await refused(s, wide, 'zh', /的表头（第 1 行）一直延伸到 XFD 列，共 16,384 列/);
  });

  it('a zip bomb is refused before it fills the memory', async () => {
    const s = await sandboxes.roster();
    const bomb = await zipBomb(path.join(s.dir, 'bomb.xlsx'), { bytes: 64 * 1024 ** 2 });
    await refused(s, bomb, 'en', /expands [\d,]+ times .* not a real workbook/);
    await refused(s, bomb, 'zh', /解压后膨胀 [\d,]+ 倍/);
  });

  it('a cell of 1 MB is a row error; with --skip-invalid the other rows go in', async () => {
    const s = await sandboxes.roster();
    const big = await put(s, 'big.xlsx', bigCellSheet(1 << 20));
    const r = await s.run(['survey', 'import', big], { lang: 'zh' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('第 2 行超过 1,048,576 个字符');
    const skip = await s.run(['survey', 'import', big, '--skip-invalid', '--rejects', path.join(s.dir, 'r.xlsx')]);
    expect(skip.code).toBe(3);
  });
});
