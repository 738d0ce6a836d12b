/**
 * Issue 16, Excel out, end to end in Chinese and English:
 * - `--out FILE.xlsx` on `export KIND`, `allowance`, `kpi`, `followups due`, `customers
 *   list`, `assign --dry-run`: a workbook whose cells say what the same command's csv file
 *   says, typed (numbers, money, rates, dates as such), one sheet named after the listing,
 *   its header row the csv file's, masked and audited as the csv;
 * - the extension decides the format: `.xls`, `.txt` or none is refused (exit 2), listing
 *   the accepted ones (`export customers --out c.xlsx` was csv text);
 * - `--format xlsx` writes the workbook to a pipe, and is a usage error on a terminal;
 * - `template KIND --out FILE.xlsx`: the template's headers, a grey example row an import
 *   skips, drop-down lists whose every word the import reads;
 * - a 20,000-row export streams into one sheet.
 * The workbooks are read back with yauzl (test/xlsxParts.ts), not with the importer's reader.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { BIN, sandboxesPerTest, type Sandbox, withFixtures, withRoster } from './harness.js';
import { onLinux, onTerminal } from './terminal.js';
import { cellStyle, sheetCells, styleSheet, wellFormed, zipParts, type Cell } from '../xlsxParts.js';
import { EXPORT_KINDS } from '../../src/app/export/kinds.js';

const sandboxes = sandboxesPerTest();
const AS_OF = '2024-07-31';
const REVEAL = ['--reveal', '--approved-by', 'G1', '--reason', 'issue 16 test'];
const LANGS = ['zh', 'en'] as const;

const columnIndex = (letters: string) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

/** A workbook read back: every part well-formed, its sheets' names, the first sheet as a grid of cells. */
async function workbook(source: string | Buffer) {
  const parts = await zipParts(source);
  for (const [name, xml] of parts) expect(() => wellFormed(xml), name).not.toThrow();
  const sheetXml = parts.get('xl/worksheets/sheet1.xml')!;
  const cells = sheetCells(sheetXml);
  const grid: (Cell | undefined)[][] = [];
  for (const [ref, cell] of cells) {
    const [, letters, row] = /^([A-Z]+)(\d+)$/.exec(ref)!;
    (grid[Number(row) - 1] ??= [])[columnIndex(letters)] = cell;
  }
  const styles = styleSheet(parts.get('xl/styles.xml')!);
  return {
    parts,
    sheetXml,
    cells,
    grid,
    names: [...parts.get('xl/workbook.xml')!.matchAll(/<sheet name="([^"]*)"[^>]*?(state="hidden")?[^>]*\/>/g)].map((m) => m[1]),
    style: (cell: Cell) => cellStyle(styles, cell.style),
  };
}

type Book = Awaited<ReturnType<typeof workbook>>;

/** Excel's serial day → YYYY-MM-DD (the 1900 system). */
const serialDate = (serial: number) => new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
const BOOL_WORDS: Record<string, string> = { 是: 'true', 否: 'false', yes: 'true', no: 'false' };

/** A cell as the csv writes the same value (cell.ts flatText): the way to compare the two files. */
function asCsv(book: Book, cell: Cell | undefined): string {
  if (!cell) return '';
  if (cell.type === 'inlineStr') return BOOL_WORDS[cell.value] ?? (/^[=+\-@]/.test(cell.value) ? "'" + cell.value : cell.value);
  const v = Number(cell.value);
  const { format } = book.style(cell);
  if (format === 'yyyy-mm-dd') return serialDate(v);
  if (format === '#,##0.00') return v.toFixed(2);
  if (format === '0.0%') return String(Math.round(v * 10000) / 10000);
  return String(v);
}

/** The csv file's rows (BOM, header included). */
const csvRows = (file: string): string[][] => parse(fs.readFileSync(file, 'utf8').replace(/^\ufeff/, ''), { relax_column_count: true }) as string[][];

/** The workbook says what the csv says, row by row and cell by cell, its header row the same. */
function sameAsCsv(book: Book, csv: string[][]): void {
  expect(book.grid.length).toBe(csv.length);
  csv.forEach((row, r) => {
    const cells = row.map((_, c) => asCsv(book, book.grid[r]?.[c]));
    expect(cells, `row ${r + 1}`).toEqual(row);
  });
}

/** The header row: bold, frozen under it, an auto-filter over it and the rows. */
function headerShape(book: Book, columns: number, rows: number): void {
  expect(book.style(book.grid[0][0]!).font).toContain('<b/>');
  expect(book.sheetXml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
  expect(book.sheetXml).toMatch(new RegExp(`<autoFilter ref="A1:[A-Z]+${rows + 1}"/>`));
  expect(book.grid[0].length).toBe(columns);
}

/** The binary with stdout a pipe, its bytes as they came (a workbook is not text). */
function runBytes(s: Sandbox, args: string[], lang = 'en'): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--db', s.db, '--lang', lang, '--as-of', AS_OF, ...args], {
      cwd: s.dir,
      env: { ...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', SALESOPS_DB: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr }));
  });
}

const audits = (s: Sandbox) => s.query<{ n: number }>('SELECT count(*) AS n FROM audit_log')[0].n;

describe('export KIND --out FILE.xlsx: typed cells that say what the csv says', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withFixtures(AS_OF);
  });
  afterAll(() => s.cleanup());

  const SHEETS: Record<string, Record<(typeof LANGS)[number], string>> = {
    customers: { zh: '顾客', en: 'customers' },
    expenses: { zh: '费用明细', en: 'expenses' },
    kpi: { zh: '业绩指标', en: 'KPI' },
  };

  it.each(LANGS.flatMap((lang) => EXPORT_KINDS.map((kind) => [lang, kind] as const)))('%s: export %s', async (lang, kind) => {
    const args = ['export', kind, ...(kind === 'kpi' ? ['--period', '2024-07'] : [])];
    const csv = path.join(s.dir, `${lang}-${kind}.csv`);
    const xlsx = path.join(s.dir, `${lang}-${kind}.xlsx`);
    expect((await s.run([...args, '--out', csv], { lang })).code).toBe(0);
    const r = await s.run([...args, '--out', xlsx], { lang });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(lang === 'zh' ? new RegExp(`已把 \\d+ 行 ${kind} 写入 .*\\.xlsx`) : new RegExp(`wrote \\d+ rows of ${kind} to .*\\.xlsx`));
    expect(fs.readFileSync(xlsx).subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    expect(fs.statSync(xlsx).mode & 0o777).toBe(0o600);
    const book = await workbook(xlsx);
    const rows = csvRows(csv);
    if (SHEETS[kind]) expect(book.names).toEqual([SHEETS[kind][lang]]);
    expect(book.names).toHaveLength(1);
    headerShape(book, rows[0].length, rows.length - 1);
    sameAsCsv(book, rows);
  });

  it('cells are typed: money a number with #,##0.00, dates serial days, rates percentages, phones text', async () => {
    const book = await workbook(path.join(s.dir, 'zh-orders.xlsx'));
    const header = book.grid[0].map((c) => c!.value);
    const amount = book.grid[1][header.indexOf('金额')]!;
    expect(amount.type).toBeUndefined();
    expect(book.style(amount).format).toBe('#,##0.00');
    const day = book.grid[1][header.indexOf('订单日期')]!;
    expect(book.style(day).format).toBe('yyyy-mm-dd');
    expect(serialDate(Number(day.value))).toMatch(/^2024-\d\d-\d\d$/);
    const kpi = await workbook(path.join(s.dir, 'en-kpi.xlsx'));
    const rate = kpi.grid[1][kpi.grid[0].findIndex((c) => c!.value === 'conversion_rate')];
    if (rate) expect(kpi.style(rate).format).toBe('0.0%');
    const customers = await workbook(path.join(s.dir, 'en-customers.xlsx'));
    const phone = customers.grid[1][customers.grid[0].findIndex((c) => c!.value === 'phone')]!;
    expect(phone).toMatchObject({ type: 'inlineStr' });
    expect(phone.value).toMatch(/^1\d\d\*\*\*\*\d{4}$/);
  });

  it.each(LANGS)('%s: masked and audited as the csv; --reveal shows the phones, audited too', async (lang) => {
    const file = path.join(s.dir, `audit-${lang}.xlsx`);
    const before = audits(s);
    expect((await s.run(['export', 'customers', '--out', file], { lang })).code).toBe(0);
    expect(audits(s)).toBe(before + 1);
    const masked = await workbook(file);
    const col = masked.grid[0].findIndex((c) => c!.value === (lang === 'zh' ? '电话' : 'phone'));
    expect(masked.grid.slice(1).every((r) => /\*\*\*\*/.test(r[col]!.value))).toBe(true);
    expect((await s.run(['export', 'customers', '--out', file, ...REVEAL], { lang })).code).toBe(0);
    expect(audits(s)).toBe(before + 2);
    const shown = await workbook(file);
    expect(shown.grid.slice(1).every((r) => /^1\d{10}$/.test(r[col]!.value))).toBe(true);
  });
});

describe('the listings: --out FILE.xlsx as their csv file', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withFixtures(AS_OF);
  });
  afterAll(() => s.cleanup());

  const LISTINGS: [name: string, args: string[], sheet: Record<(typeof LANGS)[number], string>][] = [
    ['allowance', ['allowance'], { zh: '差旅补贴明细', en: 'allowance lines' }],
    ['kpi', ['kpi', '--period', '2024-07'], { zh: '业绩指标', en: 'KPI' }],
    ['kpi --classes', ['kpi', '--classes'], { zh: '顾客分级', en: 'customer classes' }],
    ['followups due', ['followups', 'due', '--within', '60'], { zh: '到期回访', en: 'due follow-ups' }],
    ['customers list', ['customers', 'list'], { zh: '顾客', en: 'customers' }],
    ['assign --dry-run', ['assign', '--dry-run'], { zh: '分配结果', en: 'assignments' }],
  ];

  it.each(LANGS.flatMap((lang) => LISTINGS.map(([name, args, sheet]) => [lang, name, args, sheet] as const)))('%s: %s', async (lang, name, args, sheet) => {
    const base = name.replace(/\W+/g, '-');
    const csv = path.join(s.dir, `${lang}-${base}.csv`);
    const xlsx = path.join(s.dir, `${lang}-${base}.xlsx`);
    const c = await s.run([...args, '--out', csv], { lang });
    expect(c.code, c.stderr).toBe(0);
    const r = await s.run([...args, '--out', xlsx], { lang });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(lang === 'zh' ? '行写入' : 'rows to');
    expect(r.stdout).toBe('');
    const book = await workbook(xlsx);
    expect(book.names).toEqual([sheet[lang]]);
    const rows = csvRows(csv);
    expect(rows.length).toBeGreaterThan(1);
    headerShape(book, rows[0].length, rows.length - 1);
    sameAsCsv(book, rows);
  });

  it.each(LANGS)('%s: customers list --out is audited as its csv on stdout; --limit cuts it and says so', async (lang) => {
    const before = audits(s);
    const file = path.join(s.dir, `limit-${lang}.xlsx`);
    const r = await s.run(['customers', 'list', '--limit', '3', '--out', file], { lang });
    expect(r.code).toBe(0);
    expect(audits(s)).toBe(before + 1);
    expect((await workbook(file)).grid.length).toBe(4);
    expect(r.stderr).toMatch(lang === 'zh' ? /3/ : /3 rows/);
  });

  it('assign --dry-run --out writes the file and nothing to the database', async () => {
    const owners = () => s.query('SELECT count(*) AS n FROM customers WHERE owner_id IS NOT NULL');
    const before = owners();
    expect((await s.run(['assign', '--dry-run', '--out', path.join(s.dir, 'plan.xlsx')])).code).toBe(0);
    expect(owners()).toEqual(before);
  });
});

describe('the extension decides the format, or is refused', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withFixtures(AS_OF);
  });
  afterAll(() => s.cleanup());

  it.each(LANGS.flatMap((lang) => ['c.xls', 'c.txt', 'c', 'c.xlsx.bak'].map((name) => [lang, name] as const)))('%s: --out %s is a usage error listing the formats, nothing written', async (lang, name) => {
    const before = audits(s);
    for (const args of [['export', 'customers'], ['customers', 'list'], ['kpi'], ['allowance'], ['assign', '--dry-run']]) {
      const r = await s.run([...args, '--out', path.join(s.dir, name)], { lang });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('.csv .tsv .json .jsonl .xlsx');
      expect(r.stderr).toMatch(lang === 'zh' ? /错误：.*\n怎么办：/ : /error: .*\nwhat to do: /);
    }
    expect(fs.existsSync(path.join(s.dir, name))).toBe(false);
    expect(fs.readdirSync(s.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(audits(s)).toBe(before);
  });

  it('export customers --out c.xlsx is a workbook, not csv text (the bug of issue 16)', async () => {
    const file = path.join(s.dir, 'c.xlsx');
    expect((await s.run(['export', 'customers', '--out', file])).code).toBe(0);
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.includes(Buffer.from('customer_id,'))).toBe(false);
    expect((await workbook(file)).names).toEqual(['customers']);
  });

  it('each extension its format: .csv .tsv .json .jsonl .ndjson; upper case too', async () => {
    const out = (name: string) => path.join(s.dir, name);
    for (const [name, starts] of [
      ['s.csv', '\ufeffstaff_id,'],
      ['s.tsv', 'staff_id\t'],
      ['s.json', '[\n'],
      ['s.jsonl', '{"staff_id"'],
      ['s.ndjson', '{"staff_id"'],
      ['S.XLSX', 'PK'],
    ]) {
      expect((await s.run(['export', 'staff', '--out', out(name)])).code).toBe(0);
      expect(fs.readFileSync(out(name), 'latin1').startsWith(starts === 'PK' ? 'PK' : Buffer.from(starts).toString('latin1')), name).toBe(true);
    }
  });

  it.each(LANGS)('%s: --format that says another format than the extension is a usage error', async (lang) => {
    const file = path.join(s.dir, `x-${lang}.xlsx`);
    const r = await s.run(['--format', 'json', 'export', 'staff', '--out', file], { lang });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format json');
    expect(fs.existsSync(file)).toBe(false);
    expect((await s.run(['--format', 'xlsx', 'export', 'staff', '--out', file], { lang })).code).toBe(0);
  });

  it.each(LANGS)('%s: template --out takes .csv or .xlsx', async (lang) => {
    const r = await s.run(['template', 'staff', '--out', path.join(s.dir, 't.json')], { lang });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.csv .xlsx');
  });
});

describe('--format xlsx: the workbook on a pipe, a usage error on a terminal', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withFixtures(AS_OF);
  });
  afterAll(() => s.cleanup());

  it.each(LANGS)('%s: to a pipe, the same workbook as --out writes (export, customers list, template)', async (lang) => {
    const piped = await runBytes(s, ['--format', 'xlsx', 'export', 'orders'], lang);
    expect(piped.code, piped.stderr).toBe(0);
    const file = path.join(s.dir, `orders-${lang}.xlsx`);
    expect((await s.run(['export', 'orders', '--out', file], { lang })).code).toBe(0);
    expect(piped.stdout.equals(fs.readFileSync(file))).toBe(true);

    const list = await runBytes(s, ['--format', 'xlsx', 'customers', 'list'], lang);
    expect(list.code).toBe(0);
    const book = await workbook(list.stdout);
    expect(book.names).toEqual([lang === 'zh' ? '顾客' : 'customers']);
    expect(book.grid[0][0]!.value).toBe(lang === 'zh' ? '编号' : 'customer_id');

    const template = await runBytes(s, ['--format', 'xlsx', 'template', 'trips'], lang);
    expect(template.code).toBe(0);
    expect((await workbook(template.stdout)).grid[1][0]!.value).toBe(lang === 'zh' ? '示例' : 'example');
  });

  it.runIf(onLinux).each(LANGS)('%s: on a terminal, a usage error that says to use --out or a redirect; nothing audited', async (lang) => {
    const before = audits(s);
    const r = await onTerminal(['--db', s.db, '--lang', lang, '--as-of', AS_OF, '--format', 'xlsx', 'export', 'customers'], []);
    expect(r.code).toBe(2);
    expect(r.screen).toContain(lang === 'zh' ? '无法在终端显示' : 'a terminal cannot show');
    expect(r.screen).toContain('--out');
    expect(r.screen).not.toContain('PK');
    const list = await onTerminal(['--db', s.db, '--lang', lang, '--as-of', AS_OF, '--format', 'xlsx', 'customers', 'list'], []);
    expect(list.code).toBe(2);
    expect(audits(s)).toBe(before);
  });
});

describe('template KIND --out FILE.xlsx', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withFixtures(AS_OF);
  });
  afterAll(() => s.cleanup());

  const KINDS = ['staff', 'surveys', 'events', 'followups', 'orders', 'trips', 'expenses'] as const;

  /** The drop-downs of a sheet: column letter → its words. */
  function dropDowns(book: Book): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const m of book.sheetXml.matchAll(/<dataValidation type="list"[^>]*sqref="([A-Z]+)2:[A-Z]+1048576"><formula1>&quot;([^<]*)&quot;<\/formula1>/g)) out[m[1]] = m[2].split(',');
    return out;
  }

  it.each(LANGS.flatMap((lang) => KINDS.map((kind) => [lang, kind] as const)))('%s: %s: headers as the csv template, a grey example row marked for the import, drop-downs', async (lang, kind) => {
    const file = path.join(s.dir, `${lang}-${kind}.xlsx`);
    const r = await s.run(['template', kind, '--out', file], { lang });
    expect(r.code, r.stderr).toBe(0);
    const book = await workbook(file);
    const csv = (await s.run(['template', kind], { lang })).stdout.trim().split(',');
    expect(book.grid[0].map((c) => c!.value)).toEqual(csv);
    expect(book.grid.length).toBe(2);
    const example = book.grid[1];
    expect(example[0]).toMatchObject({ type: 'inlineStr', value: lang === 'zh' ? '示例' : 'example' });
    for (const cell of example.filter(Boolean)) expect(book.style(cell!).font).toMatch(/<i\/>.*FF808080/);
    // the cells a clerk types in are formatted for what they take: a phone stays text
    const phone = csv.indexOf(lang === 'zh' ? '电话' : 'phone');
    if (phone >= 0) expect(book.sheetXml).toMatch(new RegExp(`<col min="${phone + 1}" max="${phone + 1}" width="[\\d.]+" style="\\d+"`));
    // each closed column's drop-down holds the example's word
    for (const [letters, words] of Object.entries(dropDowns(book))) {
      const cell = example[columnIndex(letters)];
      if (cell) expect(words, letters).toContain(cell.value);
    }
    const expected: Partial<Record<(typeof KINDS)[number], number>> = { staff: 1, surveys: 1, events: 1, followups: 2, trips: 5, expenses: 4 };
    expect(Object.keys(dropDowns(book)).length).toBe(expected[kind] ?? 0);
  });

  it.each(LANGS)('%s: every word of every drop-down is one the import reads', async (lang) => {
    const words = async (kind: string) => {
      const file = path.join(s.dir, `${lang}-${kind}.xlsx`);
      if (!fs.existsSync(file)) expect((await s.run(['template', kind, '--out', file], { lang })).code).toBe(0);
      const book = await workbook(file);
      const header = book.grid[0].map((c) => c!.value);
      return Object.fromEntries(Object.entries(dropDowns(book)).map(([letters, list]) => [header[columnIndex(letters)], list]));
    };
    const h = (zh: string, en: string) => (lang === 'zh' ? zh : en);
    /** A csv of one row per word of `column`, the other cells of `base`; imported with --dry-run: nothing rejected. */
    const readsAll = async (kind: string, base: Record<string, string>, column: string, list: string[], vary?: (row: Record<string, string>, i: number) => void) => {
      const head = Object.keys(base);
      const lines = [head.join(',')];
      list.forEach((word, i) => {
        const row = { ...base, [column]: word };
        vary?.(row, i);
        lines.push(head.map((k) => row[k]).join(','));
      });
      const file = s.file(`${lang}-${kind}-${list.length}-${lines.length}.csv`, lines.join('\n') + '\n');
      const r = await s.run([kind === 'surveys' ? 'survey' : kind, 'import', file, '--dry-run'], { lang });
      expect(r.code, `${kind} ${column}: ${r.stderr}`).toBe(0);
      expect(r.stderr, `${kind} ${column}`).toMatch(lang === 'zh' ? /拒绝 0/ : /0 rejected/);
    };
    const staff = await words('staff');
    const staffBase = { [h('工号', 'staff_id')]: 'X0', [h('姓名', 'name')]: '测试', [h('岗位', 'role')]: '', [h('入职日期', 'hired_on')]: '2024-01-01' };
    for (const [col, list] of Object.entries(staff)) await readsAll('staff', staffBase, col, list, (row, i) => (row[h('工号', 'staff_id')] = `X${i}`));
    const surveys = await words('surveys');
    const surveyBase = { [h('姓名', 'name')]: '测试', [h('性别', 'gender')]: '', [h('电话', 'phone')]: '', [h('收集人', 'collector')]: 'R1', [h('收集日期', 'collected_on')]: '2024-07-02' };
    for (const [col, list] of Object.entries(surveys)) await readsAll('surveys', surveyBase, col, list, (row, i) => (row[h('电话', 'phone')] = `1390000${String(i).padStart(4, '0')}`));
    const events = await words('events');
    const eventBase = { [h('电话', 'phone')]: '13800007919', [h('活动日期', 'event_date')]: '2024-07-20', [h('是否购买', 'purchased')]: '' };
    for (const [col, list] of Object.entries(events)) await readsAll('events', eventBase, col, list, (row, i) => (row[h('活动日期', 'event_date')] = `2024-07-2${i}`));
    const followups = await words('followups');
    const followupBase = { [h('电话', 'phone')]: '13800007919', [h('回访人', 'role')]: followups[h('回访人', 'role')][0], [h('回访日期', 'done_on')]: '2024-07-21', [h('回访方式', 'method')]: followups[h('回访方式', 'method')][0], [h('回访员工', 'staff')]: '', [h('回访内容', 'note')]: 'x' };
    // the rep's words by a rep, the doctor's by a doctor
    const by = (row: Record<string, string>) => (row[h('回访员工', 'staff')] = followups[h('回访人', 'role')].indexOf(row[h('回访人', 'role')]) === 1 ? 'D1' : 'R2');
    for (const [col, list] of Object.entries(followups)) await readsAll('followups', followupBase, col, list, by);
    const trips = await words('trips');
    const tripBase: Record<string, string> = {
      [h('出差单号', 'trip_no')]: '',
      [h('出差人', 'staff')]: 'R1',
      [h('出发日期', 'start')]: '2024-07-10',
      [h('返回日期', 'end')]: '2024-07-11',
    };
    for (const [col, list] of Object.entries(trips)) tripBase[col] = list[0];
    for (const [col, list] of Object.entries(trips)) await readsAll('trips', tripBase, col, list, (row, i) => (row[h('出差单号', 'trip_no')] = `W${col.length}${i}`));
    const expenses = await words('expenses');
    const expenseBase: Record<string, string> = { [h('出差单号', 'trip_no')]: 'T1', [h('日期', 'date')]: '2024-06-18', [h('金额', 'amount')]: '10' };
    for (const [col, list] of Object.entries(expenses)) expenseBase[col] = list[0];
    // 商务座 and 商务舱 are both `business`: the lines differ by their amount
    for (const [col, list] of Object.entries(expenses)) await readsAll('expenses', expenseBase, col, list, (row, i) => (row[h('金额', 'amount')] = String(10 + i)));
  });

  it.each(LANGS)('%s: never over a filled-in workbook without --force; over its own template, yes', async (lang) => {
    const filled = path.join(s.dir, `filled-${lang}.xlsx`);
    expect((await s.run(['export', 'staff', '--out', filled], { lang })).code).toBe(0);
    const before = fs.readFileSync(filled);
    const r = await s.run(['template', 'staff', '--out', filled], { lang });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(lang === 'zh' ? '已有数据' : 'already holds data');
    expect(fs.readFileSync(filled).equals(before)).toBe(true);
    expect((await s.run(['template', 'staff', '--out', filled, '--force'], { lang })).code).toBe(0);
    expect((await s.run(['template', 'staff', '--out', filled], { lang })).code).toBe(0);
  });
});

describe('a large export streams', () => {
  it('20,000 customers: one sheet of 20,000 rows, written whole', async () => {
    const s = sandboxes.keep(await withRoster(AS_OF));
    const lines = ['survey_no,name,phone,address,district,collector,collected_on'];
    for (let n = 0; n < 20_000; n++) lines.push(`K${n},客户${n},139${String(n).padStart(8, '0')},浙江省金华市浦江县和平路${n % 500}号,330726,${n % 2 ? 'R1' : 'R2'},2024-0${1 + (n % 6)}-1${n % 9}`);
    expect((await s.run(['survey', 'import', s.file('big.csv', lines.join('\n') + '\n')])).code).toBe(0);
    const file = path.join(s.dir, 'big.xlsx');
    const r = await s.run(['export', 'customers', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('wrote 20000 rows of customers');
    const parts = await zipParts(file);
    const sheet = parts.get('xl/worksheets/sheet1.xml')!;
    expect(() => wellFormed(sheet)).not.toThrow();
    expect(sheet.match(/<row /g)).toHaveLength(20_001);
    expect(sheet).toContain('<autoFilter ref="A1:R20001"/>');
    const last = sheetCells(sheet.slice(sheet.lastIndexOf('<row ')));
    expect(last.get('B20001')!.value).toBe('K19999');
  });
});
