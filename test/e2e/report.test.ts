/**
 * `salesops report` (issue 16): the report workbook of a month, on the bundled fixtures (the
 * database `npm run demo` builds). Each sheet's figures are read back from the workbook and
 * compared with what the command behind it prints for the same period and as-of in
 * `--format json`; every sheet names the period and as-of above its table; names and headers
 * in Chinese with --lang zh; personal data only masked; the writing audited; bad flags are
 * usage errors that write nothing.
 *
 * The workbook is read back here with yauzl and saxes directly, a reader of its own that
 * knows only what these sheets hold (shared and inline strings, numbers, booleans).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { SaxesParser } from 'saxes';
import { ROOT, sandbox, type Sandbox } from './harness.js';
import { wellFormed, zipParts } from '../xlsxParts.js';
import { CLASS_STAFF_COLUMNS, KPI_STAFF_COLUMNS, KPI_TEAM_COLUMNS } from '../../src/app/kpi.js';
import { ALLOWANCE_STAFF_COLUMNS } from '../../src/app/allowance.js';
import { ALLOWANCE_LINES_SHEET, ASSIGNMENT_WORDS, DUE_SHEET, DUE_WORDS, LINE_WORDS, inWords } from '../../src/app/report.js';
import { setLang } from '../../src/messages/index.js';
import { exportColumns } from '../../src/app/export/columns.js';
import type { Column } from '../../src/io/output/column.js';

// ---------------------------------------------------------------------------------------
// A workbook read back: each sheet's name and its cells, by row and column

type Cell = string | number | boolean | null;
interface Sheet {
  name: string;
  /** rows[row - 1][column - 1], as the sheet numbers them */
  rows: Cell[][];
  /** the sheet's XML, to look for what must not be there */
  xml: string;
}

async function unzip(file: string): Promise<Map<string, string>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const out = new Map<string, string>();
  try {
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
    }
  } finally {
    zip.close();
  }
  return out;
}

/** Calls `open(name, attributes)` for each element and `text(name, text)` for the text inside it. */
function parseXml(xml: string, open: (name: string, attrs: Record<string, string>) => void, text?: (name: string, text: string) => void, close?: (name: string) => void): void {
  const p = new SaxesParser();
  const stack: string[] = [];
  p.on('opentag', (tag) => {
    stack.push(tag.name);
    open(tag.name, tag.attributes as Record<string, string>);
  });
  p.on('closetag', (tag) => {
    stack.pop();
    close?.(tag.name);
  });
  p.on('text', (s) => text?.(stack[stack.length - 1] ?? '', s));
  p.write(xml).close();
}

const columnIndex = (ref: string) => [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

async function readWorkbook(file: string): Promise<Sheet[]> {
  const parts = await unzip(file);
  const strings: string[] = [];
  if (parts.has('xl/sharedStrings.xml')) {
    let si = '';
    parseXml(
      parts.get('xl/sharedStrings.xml')!,
      (name) => {
        if (name === 'si') si = '';
      },
      (name, s) => {
        if (name === 't') si += s;
      },
      (name) => {
        if (name === 'si') strings.push(si);
      },
    );
  }
  const targets = new Map<string, string>();
  parseXml(parts.get('xl/_rels/workbook.xml.rels')!, (name, a) => {
    if (name === 'Relationship') targets.set(a.Id, a.Target.startsWith('/') ? a.Target.slice(1) : `xl/${a.Target}`);
  });
  const sheets: { name: string; part: string }[] = [];
  parseXml(parts.get('xl/workbook.xml')!, (name, a) => {
    if (name === 'sheet') sheets.push({ name: a.name, part: targets.get(a['r:id'])! });
  });
  return sheets.map(({ name, part }) => {
    const xml = parts.get(part)!;
    const rows: Cell[][] = [];
    let cell: { row: number; col: number; type: string } | null = null;
    let value = '';
    parseXml(
      xml,
      (tag, a) => {
        if (tag === 'c') {
          cell = { row: Number(/\d+$/.exec(a.r)![0]), col: columnIndex(a.r), type: a.t ?? 'n' };
          value = '';
        }
      },
      (tag, s) => {
        if (cell && (tag === 'v' || tag === 't')) value += s;
      },
      (tag) => {
        if (tag !== 'c' || !cell) return;
        const { row, col, type } = cell;
        const v: Cell = type === 's' ? strings[Number(value)] : type === 'inlineStr' || type === 'str' ? value : type === 'b' ? value === '1' : value === '' ? null : Number(value);
        (rows[row - 1] ??= [])[col - 1] = v;
        cell = null;
      },
    );
    return { name, rows: Array.from(rows, (r) => Array.from(r ?? [], (c) => c ?? null)), xml };
  });
}

// ---------------------------------------------------------------------------------------
// A sheet as rows of the command's keys, to set beside its --format json

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
/** A date cell (a serial number of days) as the command writes it, YYYY-MM-DD. */
const dateOf = (serial: number) => new Date(EXCEL_EPOCH + serial * 86_400_000).toISOString().slice(0, 10);

/** A cell as --format json writes the column's value (money in yuan, rates to 4 decimals, a list an array). */
function jsonOf(v: Cell, c: Column): unknown {
  if (v === null || v === '') return c.kind === 'list' ? [] : null;
  switch (c.kind) {
    case 'date':
      return typeof v === 'number' ? dateOf(v) : v;
    case 'rate':
      return Math.round((v as number) * 10000) / 10000;
    case 'money':
      return Math.round((v as number) * 100) / 100;
    case 'list':
      return String(v).split(';');
    case 'bool':
      // a yes/no cell is the word of the run's language, as every import reads it back
      return typeof v === 'boolean' ? v : v === '是' || v === 'yes';
    default:
      return v;
  }
}

interface Table {
  /** the lines above the header row */
  titles: string[];
  header: Cell[];
  rows: Record<string, unknown>[];
}

/** The sheet's table: the header row is the first whose cells are the columns' headers in `lang`. */
function tableOf(sheet: Sheet, columns: readonly Column[], lang: 'zh' | 'en'): Table {
  const heading = (c: Column) => (lang === 'zh' && c.header ? c.header.zh.replaceAll('\n', '') : c.key);
  const at = sheet.rows.findIndex((r) => r[0] === heading(columns[0]) && r[1] === heading(columns[1]));
  expect(at, `${sheet.name}: no header row`).toBeGreaterThan(0);
  const header = sheet.rows[at];
  expect(header.map((h) => String(h).replaceAll('\n', ''))).toEqual(columns.map(heading));
  const rows = sheet.rows.slice(at + 1).map((r) => Object.fromEntries(columns.map((c, i) => [c.key, jsonOf(r[i] ?? null, c)])));
  return { titles: sheet.rows.slice(0, at).map((r) => String(r[0])), header, rows };
}

/** The keys of json rows that the sheet has: what a row of the sheet is compared with. */
const only = (rows: Record<string, unknown>[], columns: readonly Column[]) =>
  rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, r[c.key] === '' ? null : r[c.key] ?? (c.kind === 'list' ? [] : null)])));

// ---------------------------------------------------------------------------------------

let sb: Sandbox;

/** The data `npm run demo` loads (src/cli/demo.ts), all of it in July 2024 or before. */
const LOAD: string[][] = [
  ['init'],
  ['staff', 'import', 'fixtures/staff.csv'],
  ['survey', 'import', 'fixtures/surveys.csv'],
  ['survey', 'import', 'fixtures/surveys-gbk.csv'],
  ['assign', '--quiet'],
  ['events', 'import', 'fixtures/events.csv'],
  ['orders', 'import', 'fixtures/orders.csv'],
  ['followups', 'import', 'fixtures/followups.csv'],
  ['followups', 'import', 'fixtures/followups-corrected.csv'],
  ['staff', 'leave', 'R4', '--on', '2024-07-31'],
  ['trips', 'import', 'fixtures/trips.csv'],
  ['expenses', 'import', 'fixtures/expenses.csv'],
];

beforeAll(async () => {
  sb = sandbox('2024-07-31');
  for (const step of LOAD) {
    const r = await sb.run(step.map((a) => (a.startsWith('fixtures/') ? path.join(ROOT, a) : a)));
    expect(r.code, `${step.join(' ')}: ${r.stderr}`).toBe(0);
  }
});

afterAll(() => sb.cleanup());

/** What the command prints in --format json (in `lang`: an allowance line's rule_text is in words). */
async function json(args: string[], lang = 'en'): Promise<Record<string, unknown>[]> {
  const r = await sb.run([...args, '--format', 'json'], { lang });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

const ZH_SHEETS = ['业绩（按代表）', '业绩（按团队）', '销售走势', '顾客分级', '差旅补贴汇总', '差旅费用明细', '回访（未完成与逾期）', '本期分配'];
const EN_SHEETS = ['KPI by rep', 'KPI by team', 'Sales trend', 'Customer classes', 'Allowances by staff', 'Allowance lines', 'Open and overdue follow-ups', 'Assignments'];

describe.each([
  { lang: 'zh' as const, file: '7月经营报表.xlsx', names: ZH_SHEETS, title: '期间 2024-07（2024-07-01 至 2024-07-31）· 截至 2024-07-31', total: '合计', noOne: '（未归属）', noTeam: '（无团队）', noOwner: '（未分配）', allowanceTotal: '合计' },
  { lang: 'en' as const, file: 'report-2024-07.xlsx', names: EN_SHEETS, title: 'Period 2024-07 (2024-07-01 to 2024-07-31) · as of 2024-07-31', total: 'Total', noOne: '(no one)', noTeam: '(no team)', noOwner: '(unassigned)', allowanceTotal: 'total' },
])('salesops --lang $lang report --period 2024-07 --out $file', (o) => {
  let sheets: Sheet[];
  let stderr: string;
  const sheet = (i: number) => sheets[i];

  beforeAll(async () => {
    // the codes of --format json in the words of the run's language (app/report.ts inWords)
    setLang(o.lang);
    const out = path.join(sb.dir, o.file);
    const r = await sb.run(['report', '--period', '2024-07', '--out', out], { lang: o.lang });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    stderr = r.stderr;
    sheets = await readWorkbook(out);
  });

  it('writes one sheet per listing, named in the language of the run, and says so', () => {
    expect(sheets.map((s) => s.name)).toEqual(o.names);
    // §5 readable by its owner only, as every file salesops writes
    expect(fs.statSync(path.join(sb.dir, o.file)).mode & 0o777).toBe(0o600);
    expect(stderr).toContain(o.file);
    for (const name of o.names) expect(stderr).toContain(name);
  });

  it('puts the period and as-of above the table of every sheet', () => {
    for (const s of sheets) expect(s.rows[0][0], s.name).toBe(o.title);
  });

  it('KPI by rep, by team and the customer classes are the figures of kpi --period 2024-07', async () => {
    const label = (key: string, none: string) => (r: Record<string, unknown>) => ({ ...r, [key]: r[key] === 'TOTAL' ? o.total : r[key] ?? none });
    const staff = tableOf(sheet(0), KPI_STAFF_COLUMNS, o.lang);
    expect(staff.titles.length).toBeGreaterThanOrEqual(2); // the period, then kpi's heading
    expect(staff.rows).toEqual(only(await json(['kpi', '--period', '2024-07']), KPI_STAFF_COLUMNS).map(label('staff_id', o.noOne)));
    expect(staff.rows.length).toBeGreaterThan(3);
    const team = tableOf(sheet(1), KPI_TEAM_COLUMNS, o.lang);
    expect(team.rows).toEqual(only(await json(['kpi', '--period', '2024-07', '--by', 'team']), KPI_TEAM_COLUMNS).map(label('team', o.noTeam)));
    const classes = tableOf(sheet(3), CLASS_STAFF_COLUMNS, o.lang);
    expect(classes.rows).toEqual(only(await json(['kpi', '--period', '2024-07', '--classes']), CLASS_STAFF_COLUMNS).map(label('staff_id', o.noOwner)));
  });

  it('the sales trend is kpi --trend 12 --period 2024-07, drawn as a line chart under it: a line per rep, the months along the bottom', async () => {
    const label = (r: Record<string, unknown>) => ({ ...r, staff_id: r.staff_id === 'TOTAL' ? o.total : r.staff_id ?? o.noOne });
    const trend = await json(['kpi', '--trend', '12', '--period', '2024-07']);
    const months = Object.keys(trend[0]).slice(3);
    expect(months).toEqual(['2023-08', '2023-09', '2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07']);
    const columns: Column[] = [...KPI_STAFF_COLUMNS.slice(0, 3), ...months.map((m): Column => ({ key: m, kind: 'money' }))];
    const table = tableOf(sheet(2), columns, o.lang);
    expect(table.rows).toEqual(only(trend, columns).map(label));
    expect(table.rows.length).toBeGreaterThan(3);
    // the chart: its parts well-formed and tied together, one series per row but the total
    const parts = await zipParts(path.join(sb.dir, o.file));
    for (const [name, xml] of parts) if (/\.(xml|rels)$/.test(name)) wellFormed(xml);
    expect(sheet(2).xml).toContain('<drawing r:id="rId1"/>');
    expect(parts.get('xl/worksheets/_rels/sheet3.xml.rels')).toContain('Target="../drawings/drawing1.xml"');
    expect(parts.get('xl/drawings/_rels/drawing1.xml.rels')).toContain('Target="../charts/chart1.xml"');
    expect(parts.get('[Content_Types].xml')).toContain('<Override PartName="/xl/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>');
    const chart = parts.get('xl/charts/chart1.xml')!;
    const header = table.titles.length + 1;
    const quoted = `'${o.names[2]}'`;
    expect(chart).toContain(`<c:cat><c:strRef><c:f>${quoted}!$D$${header}:$O$${header}</c:f>`);
    const series = [...chart.matchAll(/<c:val><c:numRef><c:f>([^<]*)<\/c:f>/g)].map((m) => m[1]);
    expect(series).toEqual(table.rows.slice(0, -1).map((_, i) => `${quoted}!$D$${header + 1 + i}:$O$${header + 1 + i}`));
    expect(chart).toContain(o.lang === 'zh' ? '各代表销售额走势（2023-08 至 2024-07）' : 'Sales by rep, 2023-08 to 2024-07');
  });

  it('the allowances are those of allowance --month 2024-07: summed per staff and month, and every priced line', async () => {
    const trips = await json(['allowance', '--month', '2024-07'], o.lang);
    expect(trips.length).toBeGreaterThan(3);
    const summary = tableOf(sheet(4), ALLOWANCE_STAFF_COLUMNS, o.lang).rows;
    const yuan = (n: number) => Math.round(n * 100) / 100;
    const staffIds = [...new Set(trips.map((x) => x.staff_id as string))].sort();
    const sums = (of: Record<string, unknown>[]) => ({
      trips: of.length,
      days: of.reduce((a, x) => a + (x.days as number), 0),
      ...Object.fromEntries(['per_diem', 'claimed', 'reimbursable', 'advance', 'net_payable'].map((k) => [k, yuan(of.reduce((a, x) => a + (x[k] as number), 0))])),
    });
    expect(summary).toEqual([
      ...staffIds.map((id) => expect.objectContaining({ staff_id: id, month: '2024-07', ...sums(trips.filter((x) => x.staff_id === id)) })),
      expect.objectContaining({ staff_id: o.allowanceTotal, staff_name: null, ...sums(trips) }),
    ]);
    const lines = tableOf(sheet(5), ALLOWANCE_LINES_SHEET, o.lang).rows;
    const expected = [...inWords(trips, LINE_WORDS)].flatMap((x) =>
      [...inWords(x.lines as Record<string, unknown>[], { kind: LINE_WORDS.line_kind, flags: LINE_WORDS.line_flags })].map((l) => ({
        line_kind: l.kind,
        line_flags: l.flags,
        trip_no: x.trip_no,
        staff_id: x.staff_id,
        start_date: x.start_date,
        end_date: x.end_date,
        scope: x.scope,
        line_no: l.line_no,
        line_date: l.date,
        line_days: l.days ?? null,
        line_claimed: l.claimed,
        line_reimbursable: l.reimbursable,
        line_rule_text: l.rule_text,
        flags: x.flags,
        policy_effective_from: x.policy_effective_from,
      })),
    );
    expect(lines).toEqual(expected.map((e) => expect.objectContaining(e)));
  });

  it('the follow-ups are those of followups due, per rep, phones masked', async () => {
    const due = await json(['followups', 'due']);
    expect(due.length).toBeGreaterThan(3);
    const rows = tableOf(sheet(6), DUE_SHEET, o.lang).rows;
    const byTask = (a: Record<string, unknown>, b: Record<string, unknown>) => (a.task_id as number) - (b.task_id as number);
    expect([...rows].sort(byTask)).toEqual(only([...inWords(due, DUE_WORDS)], DUE_SHEET).sort(byTask));
    // one rep after the other
    const holders = rows.map((r) => r.staff_id ?? '');
    expect(holders.filter((h, i) => h !== holders[i - 1])).toEqual([...new Set(holders)]);
    expect(rows.every((r) => /^1\d\d\*{4}\d{4}$/.test(r.phone as string))).toBe(true);
    // no phone number in any text of any sheet
    for (const s of sheets) {
      const texts = [...s.xml.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((m) => m[1]);
      expect(texts.length).toBeGreaterThan(0);
      expect(texts.filter((x) => /(?<!\d)1[3-9]\d{9}(?!\d)/.test(x)), s.name).toEqual([]);
    }
  });

  it('the assignments are those of export assignments --period 2024-07', async () => {
    const columns = exportColumns('assignments', false);
    const rows = tableOf(sheet(7), columns, o.lang).rows;
    const exported = await json(['export', 'assignments', '--period', '2024-07']);
    expect(exported.length).toBeGreaterThan(3);
    expect(rows).toEqual(only([...inWords(exported, ASSIGNMENT_WORDS)], columns));
  });

  it('is on record in the audit log as an export, masked', async () => {
    const audit = await json(['audit']);
    expect(audit.at(-1)).toMatchObject({ action: 'export', approved_by: null, subject: `report 2024-07 → ${path.join(sb.dir, o.file)} (masked)` });
  });
});

describe('salesops report refuses what it cannot write', () => {
  it.each([
    { lang: 'en', args: ['--period', '2024-07'], says: 'report needs --out' },
    { lang: 'zh', args: ['--out', 'r.xlsx'], says: 'report 需要 --period' },
    { lang: 'en', args: [], says: 'report needs --period and --out' },
    { lang: 'zh', args: ['--period', '2024-07', '--out', 'r.csv'], says: '经营报表是 Excel 工作簿，r.csv 的扩展名不是 .xlsx' },
    { lang: 'en', args: ['--period', '2024-07', '--out', 'r.csv'], says: 'end the name in .xlsx, for example --out r.xlsx' },
    { lang: 'en', args: ['--period', '2024-13', '--out', 'r.xlsx'], says: '2024-13' },
    { lang: 'en', args: ['--period', '2024-07', '--out', 'r.xlsx', '--reveal'], says: '--reveal' },
  ])('$lang $args: exit 2, nothing written', async ({ lang, args, says }) => {
    const before = fs.readdirSync(sb.dir).sort();
    const r = await sb.run(['report', ...args], { lang });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(says);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(fs.readdirSync(sb.dir).sort()).toEqual(before);
  });

  it('never through a link: exit 1, the link and the database as they were', async () => {
    const link = path.join(sb.dir, 'link.xlsx');
    fs.symlinkSync(sb.db, link);
    const r = await sb.run(['report', '--period', '2024-07', '--out', link]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect((await sb.run(['check'])).code).toBe(0);
  });
});
