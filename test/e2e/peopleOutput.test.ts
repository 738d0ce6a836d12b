/**
 * Issue 15, output for people and for scripts, end to end in Chinese and English:
 * - a Chinese table shows the words of the codes it lists (roles, assignment rules, gender,
 *   audit actions); English tables, csv, tsv and json keep the codes;
 * - a file written for people (`export KIND --out FILE`) has its header row in the user's
 *   language — in Chinese the import template's headers, so it re-imports as it is — and a
 *   BOM; stdout keeps the keys (§4), with a BOM only when it is a regular file;
 *   `--headers keys|names` and `--bom`/`--no-bom` say otherwise; tsv never has a BOM;
 * - the KPI by staff and the due list carry the staff name beside the id in every format.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { BIN, ROOT, sandbox, sandboxesPerTest, type Sandbox, withFixtures } from './harness.js';

const sandboxes = sandboxesPerTest();
const AS_OF = '2024-07-31';
const fixture = (name: string) => path.join(ROOT, 'fixtures', name);
const REVEAL = ['--reveal', '--approved-by', 'G1', '--reason', 'issue 15 test'];
const BOM = '\ufeff';

/** The table's lines of cells (the header's first), each cell trimmed. */
const cells = (table: string) =>
  table
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));

/** The values of column `i` in the body of a one-line-header table. */
const columnValues = (table: string, i: number) => new Set(cells(table).slice(1).map((r) => r[i]));

/** The row of a table whose first cell is `first`. */
const rowOf = (table: string, first: string) => cells(table).find((r) => r[0] === first);

/**
 * Runs the binary with stdout redirected to a regular file (`salesops … > out.csv`), as only
 * a process can show (fstat of its stdout); resolves with the file's text once it exits.
 */
function runToFile(s: Sandbox, args: string[], out: string): Promise<{ code: number; text: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(out, 'w');
    const child = spawn(process.execPath, [BIN, '--db', s.db, '--as-of', AS_OF, ...args], {
      cwd: s.dir,
      env: { ...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', SALESOPS_DB: '' },
      stdio: ['ignore', fd, 'pipe'],
    });
    fs.closeSync(fd);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, text: fs.readFileSync(out, 'utf8'), stderr }));
  });
}

describe('codes in tables: words in Chinese, codes in English and in every data format', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withFixtures(AS_OF);
  });
  afterAll(() => s.cleanup());

  it('staff list: 岗位 in words (销售代表, 总经理, 顾服主管医生); role codes in English, csv and json', async () => {
    const zh = await s.run(['staff', 'list'], { lang: 'zh' });
    expect(zh.code).toBe(0);
    expect(rowOf(zh.stdout, 'R1')?.[2]).toBe('销售代表');
    expect(rowOf(zh.stdout, 'G1')?.[2]).toBe('总经理');
    expect(rowOf(zh.stdout, 'D1')?.[2]).toBe('顾服主管医生');
    const en = await s.run(['staff', 'list']);
    expect(rowOf(en.stdout, 'R1')?.[2]).toBe('rep');
    expect(rowOf(en.stdout, 'G1')?.[2]).toBe('gm');
    const csv = parse((await s.run(['--format', 'csv', 'staff', 'list'], { lang: 'zh' })).stdout, { columns: true }) as Record<string, string>[];
    expect(csv.find((r) => r.staff_id === 'R1')?.role).toBe('rep');
    const json = JSON.parse((await s.run(['--format', 'json', 'staff', 'list'], { lang: 'zh' })).stdout) as Record<string, string>[];
    expect(json.find((r) => r.staff_id === 'G1')?.role).toBe('gm');
  });

  it('assign --dry-run: the rule of each assignment in words in Chinese (收集人, 就近…), the code in English and json', async () => {
    const zh = await s.run(['assign', '--dry-run', '--limit', '0'], { lang: 'zh' });
    expect(zh.code).toBe(0);
    const rules = columnValues(zh.stdout, 3);
    expect(rules).toContain('收集人');
    expect(rules).toContain('就近');
    for (const code of ['collector', 'nearness', 'new_staff', 'workload']) expect(rules).not.toContain(code);
    const en = await s.run(['assign', '--dry-run', '--limit', '0']);
    expect(columnValues(en.stdout, 3)).toContain('collector');
    expect(columnValues(en.stdout, 3)).toContain('nearness');
    const json = JSON.parse((await s.run(['--format', 'json', 'assign', '--dry-run'], { lang: 'zh' })).stdout) as { rule: string }[];
    expect(new Set(json.map((r) => r.rule))).toContain('collector');
  });

  it('customers list and show: 性别 男/女 in Chinese, M/F in English, csv and json', async () => {
    const zh = await s.run(['customers', 'list', '--limit', '0'], { lang: 'zh' });
    expect([...columnValues(zh.stdout, 3)].filter(Boolean).sort()).toEqual(['女', '男']);
    const en = await s.run(['customers', 'list', '--limit', '0']);
    expect([...columnValues(en.stdout, 3)].filter(Boolean).sort()).toEqual(['F', 'M']);
    const csv = parse((await s.run(['--format', 'csv', 'customers', 'list'], { lang: 'zh' })).stdout, { columns: true }) as Record<string, string>[];
    expect(new Set(csv.map((r) => r.gender))).toEqual(new Set(['F', 'M']));
    // the card of one customer too (许金凤, 男 on the survey sheet)
    expect((await s.run(['customers', 'show', '1'], { lang: 'zh' })).stdout).toContain('性别：男');
    expect((await s.run(['customers', 'show', '1'])).stdout).toContain('Gender: M');
    expect(JSON.parse((await s.run(['--format', 'json', 'customers', 'show', '1'], { lang: 'zh' })).stdout).gender).toBe('M');
  });

  it('audit: what was done in words in Chinese (导出), the code in English', async () => {
    await s.run(['export', 'customers', '--out', path.join(s.dir, 'c.csv')]);
    const zh = await s.run(['audit'], { lang: 'zh' });
    expect(cells(zh.stdout).some((r) => r.includes('导出'))).toBe(true);
    const en = await s.run(['audit']);
    expect(cells(en.stdout).some((r) => r.includes('export'))).toBe(true);
  });
});

describe('export --out: a file for people that re-imports as it is', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withFixtures(AS_OF);
  });
  afterAll(() => s.cleanup());

  /** The kinds an export of which an import reads back, in the order a fresh database takes them. */
  const KINDS = ['staff', 'events', 'followups', 'orders', 'trips', 'expenses'] as const;

  /** Every export kind as json (keys), for comparing two databases. */
  async function everything(db: Sandbox): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const kind of ['staff', 'customers', 'assignments', 'events', 'files', 'tasks', 'followups', 'orders', 'trips', 'expenses', 'allowances']) {
      const r = await db.run(['--format', 'json', 'export', kind, ...REVEAL]);
      expect(r.code).toBe(0);
      out[kind] = JSON.parse(r.stdout);
    }
    return out;
  }

  // issue 16: the same round trip through a workbook (.xlsx), every kind and both languages
  it.each([
    ['zh', 'csv'],
    ['en', 'csv'],
    ['zh', 'xlsx'],
    ['en', 'xlsx'],
  ])('%s, .%s: each kind exported to a file imports into a fresh database with nothing rejected, and the data come back the same', async (lang, ext) => {
    const files: Record<string, string> = {};
    for (const kind of KINDS) {
      files[kind] = path.join(s.dir, `${lang}-${kind}.${ext}`);
      const r = await s.run(['export', kind, '--out', files[kind], ...(kind === 'followups' ? REVEAL : [])], { lang });
      expect(r.code).toBe(0);
    }
    const fresh = sandboxes.keep(sandbox(AS_OF));
    expect((await fresh.run(['init'])).code).toBe(0);
    const imported = async (args: string[]) => {
      const r = await fresh.run(args, { lang });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(lang === 'zh' ? /拒绝 0/ : /0 rejected/);
    };
    await imported(['staff', 'import', files.staff]);
    // the customers come from the same survey sheet, so their ids are the same
    await imported(['survey', 'import', fixture('surveys.csv')]);
    for (const kind of KINDS.slice(1)) await imported([kind, 'import', files[kind]]);

    const before = await everything(s);
    const after = await everything(fresh);
    // every kind comes back as it was, a trip's clock times included (start_time/end_time)
    expect((before.trips as Record<string, unknown>[]).some((t) => t.start_time)).toBe(true);
    expect(after).toEqual(before);
  });

  it('zh: the header row is the import template\'s, with a BOM and CRLF; a kind with no import has its own Chinese names', async () => {
    const file = path.join(s.dir, 'staff.csv');
    const r = await s.run(['export', 'staff', '--out', file], { lang: 'zh' });
    expect(r.code).toBe(0);
    const template = (await s.run(['template', 'staff'], { lang: 'zh' })).stdout.replace(BOM, '');
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith(BOM + template)).toBe(true);
    expect(template).toBe('工号,姓名,岗位,部门,所在地区,负责区域,入职日期,转正日期,离职日期,档案上限\r\n');

    const kpi = path.join(s.dir, 'kpi.csv');
    await s.run(['export', 'kpi', '--period', '2024-07', '--out', kpi], { lang: 'zh' });
    expect(fs.readFileSync(kpi, 'utf8').split('\r\n')[0]).toBe(BOM + '工号,姓名,团队,新顾客,建档,购买,成交率,订单,销售额,环比,应回访,按时,按时率,逾期未访,差旅费,单均差旅');
    const customers = path.join(s.dir, 'customers.csv');
    await s.run(['export', 'customers', '--out', customers], { lang: 'zh' });
    expect(fs.readFileSync(customers, 'utf8').split('\r\n')[0]).toMatch(/^\ufeff顾客编号,问卷编号,姓名,电话,性别,/);
  });

  it('en: the header row is the keys (the English template\'s headers), with a BOM', async () => {
    const file = path.join(s.dir, 'staff-en.csv');
    expect((await s.run(['export', 'staff', '--out', file])).code).toBe(0);
    const template = (await s.run(['template', 'staff'])).stdout;
    // the template on a pipe has no BOM (the BOM rule); in a file it has one, as the export
    expect(template).toBe('staff_id,name,role,team,district,areas,hired_on,regular_on,left_on,capacity\r\n');
    expect(fs.readFileSync(file, 'utf8').startsWith(BOM + template)).toBe(true);
    const tfile = path.join(s.dir, 'template-en.csv');
    expect((await s.run(['template', 'staff', '--out', tfile])).code).toBe(0);
    expect(fs.readFileSync(tfile, 'utf8')).toBe(BOM + template);
    expect((await s.run(['--bom', 'template', 'staff'])).stdout).toBe(BOM + template);
    expect((await s.run(['--no-bom', 'template', 'staff', '--out', tfile, '--force'])).code).toBe(0);
    expect(fs.readFileSync(tfile, 'utf8')).toBe(template);
  });

  it.each(['zh', 'en'])('%s: --headers keys gives the keys in a file; --headers names gives the names on stdout', async (lang) => {
    const file = path.join(s.dir, `keys-${lang}.csv`);
    expect((await s.run(['--headers', 'keys', 'export', 'staff', '--out', file], { lang })).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8').split('\r\n')[0]).toBe(BOM + 'staff_id,name,role,team,district,areas,hired_on,regular_on,left_on,capacity');
    const named = await s.run(['--headers', 'names', 'export', 'staff'], { lang });
    expect(named.stdout.split('\r\n')[0]).toBe(lang === 'zh' ? '工号,姓名,岗位,部门,所在地区,负责区域,入职日期,转正日期,离职日期,档案上限' : 'staff_id,name,role,team,district,areas,hired_on,regular_on,left_on,capacity');
    // a listing too: the KPI for a person's sheet
    const kpi = await s.run(['--headers', 'names', '--format', 'csv', 'kpi', '--period', '2024-07'], { lang });
    expect(kpi.stdout.split('\r\n')[0]).toMatch(lang === 'zh' ? /^工号,姓名,团队,新顾客,/ : /^staff_id,staff_name,team,new_customers,/);
  });

  it.each(['zh', 'en'])('%s: --headers with another word is a usage error (exit 2)', async (lang) => {
    const r = await s.run(['--headers', 'chinese', 'export', 'staff'], { lang });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--headers chinese');
    expect(r.stdout).toBe('');
  });
});

describe('a BOM for a file people open, none for a program reading a pipe', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withFixtures(AS_OF);
  });
  afterAll(() => s.cleanup());

  it.each(['zh', 'en'])('%s: csv to a pipe has no BOM and keeps the keys (listings and export)', async (lang) => {
    const list = await s.run(['--format', 'csv', 'customers', 'list'], { lang });
    expect(list.stdout.startsWith('customer_id,name,phone,')).toBe(true);
    const exp = await s.run(['export', 'staff'], { lang });
    expect(exp.stdout.startsWith('staff_id,name,role,')).toBe(true);
    const dash = await s.run(['export', 'staff', '--out', '-'], { lang });
    expect(dash.stdout).toBe(exp.stdout);
    expect(fs.existsSync(path.join(s.dir, '-'))).toBe(false);
  });

  it.each(['zh', 'en'])('%s: --out FILE has a BOM; --no-bom leaves it out; --bom puts one on a pipe', async (lang) => {
    const file = path.join(s.dir, `bom-${lang}.csv`);
    await s.run(['export', 'orders', '--out', file], { lang });
    expect(fs.readFileSync(file, 'utf8').startsWith(BOM)).toBe(true);
    await s.run(['--no-bom', 'export', 'orders', '--out', file], { lang });
    expect(fs.readFileSync(file, 'utf8').startsWith(BOM)).toBe(false);
    expect((await s.run(['--bom', 'export', 'orders'], { lang })).stdout.startsWith(BOM + 'order_no,')).toBe(true);
    expect((await s.run(['--bom', '--format', 'csv', 'followups', 'due'], { lang })).stdout.startsWith(BOM + 'customer_id,')).toBe(true);
  });

  it.each(['zh', 'en'])('%s: tsv never has one, not even with --bom', async (lang) => {
    const file = path.join(s.dir, `t-${lang}.tsv`);
    await s.run(['--bom', 'export', 'orders', '--out', file], { lang });
    expect(fs.readFileSync(file, 'utf8').startsWith(lang === 'zh' ? '订单编号\t' : 'order_no\t')).toBe(true);
    expect((await s.run(['--bom', '--format', 'tsv', 'customers', 'list'], { lang })).stdout.startsWith('customer_id\t')).toBe(true);
  });

  it.each(['zh', 'en'])('%s: stdout redirected to a regular file gets a BOM, the keys still; --no-bom leaves it out (the binary)', async (lang) => {
    const out = path.join(s.dir, `redirected-${lang}.csv`);
    const r = await runToFile(s, ['--lang', lang, '--format', 'csv', 'customers', 'list'], out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.text.startsWith(BOM + 'customer_id,name,phone,')).toBe(true);
    const plain = await runToFile(s, ['--lang', lang, '--no-bom', 'export', 'staff'], out);
    expect(plain.text.startsWith('staff_id,name,role,')).toBe(true);
  });
});

describe('the staff name beside the id: kpi --by staff and followups due', () => {
  let s: Sandbox;
  beforeAll(async () => {
    s = await withFixtures(AS_OF);
  });
  afterAll(() => s.cleanup());

  it.each(['zh', 'en'])('%s: kpi json and csv have staff_name right after staff_id; the table one name column', async (lang) => {
    const json = JSON.parse((await s.run(['--format', 'json', 'kpi', '--period', '2024-07'], { lang })).stdout) as Record<string, unknown>[];
    expect(Object.keys(json[0]).slice(0, 3)).toEqual(['staff_id', 'staff_name', 'team']);
    expect(json.find((r) => r.staff_id === 'R1')?.staff_name).toBe('刘芳');
    expect(json.at(-1)).toMatchObject({ staff_id: 'TOTAL', staff_name: null });
    const csv = (await s.run(['--format', 'csv', 'kpi', '--period', '2024-07'], { lang })).stdout;
    expect(csv.split('\r\n')[0]).toMatch(/^staff_id,staff_name,team,new_customers,/);
    const classes = JSON.parse((await s.run(['--format', 'json', 'kpi', '--classes'], { lang })).stdout) as Record<string, unknown>[];
    expect(Object.keys(classes[0]).slice(0, 3)).toEqual(['staff_id', 'staff_name', 'team']);
    const table = (await s.run(['kpi', '--period', '2024-07'], { lang })).stdout;
    const head = cells(table)[0];
    expect(head.slice(0, 3)).toEqual(lang === 'zh' ? ['工号', '姓名', '团队'] : ['Staff', 'Name', 'Team']);
    expect(head.filter((h) => h === (lang === 'zh' ? '姓名' : 'Name'))).toHaveLength(1);
    expect(rowOf(table, 'R1')?.[1]).toBe('刘芳');
  });

  it.each(['zh', 'en'])('%s: followups due json and csv have staff_name after staff_id (null when nobody holds the task); the table names the holder once, in its heading', async (lang) => {
    const json = JSON.parse((await s.run(['--format', 'json', 'followups', 'due'], { lang })).stdout) as Record<string, unknown>[];
    const keys = Object.keys(json[0]);
    expect(keys.indexOf('staff_name')).toBe(keys.indexOf('staff_id') + 1);
    expect(json.find((r) => r.staff_id === 'D1')?.staff_name).toBe('张医生');
    for (const r of json) if (r.staff_id === null) expect(r.staff_name).toBeNull();
    const csv = (await s.run(['--format', 'csv', 'followups', 'due'], { lang })).stdout;
    expect(csv.split('\r\n')[0]).toBe('customer_id,customer_name,role,seq,due_by,overdue,staff_id,staff_name,phone,days_overdue,plan,task_id,note');
    const table = (await s.run(['followups', 'due', '--staff', 'D1'], { lang })).stdout;
    expect(table.split('\n')[0]).toMatch(/^D1 张医生/);
    expect(table.split('张医生')).toHaveLength(2);
  });
});
