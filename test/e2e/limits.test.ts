/**
 * Limits that keep one bad cell from stopping the tool (SPEC §2 inputs, §4 output): a cell
 * over its column's limit and a row over the record limit are row errors, a file with no
 * line break fails at once, a quote never closed refuses the file naming the line it opened
 * on, a table cuts a long cell with … while csv/json keep it whole, a listing of 200,000
 * customers is drawn whole with --limit 0 and cut to 1000 rows by default (§4);
 * encoding faults are placed at their byte; UTF-16 without a BOM is read; a `'` that an
 * export put before a formula is taken off on import.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { withRoster, TEST_ENGINE, type Sandbox } from './harness.js';

const HEADER = 'survey_no,name,gender,birth_year,phone,address,district,health,collector,collected_on\n';
const row = (no: string, name: string, phone: string, address = '', health = '') => `${no},${name},女,1950,${phone},${address},330726,${health},R1,2024-05-09\n`;

let s: Sandbox;
afterEach(() => s?.cleanup());

describe('a cell over its column limit is a row error with its length, the limit and what to do', () => {
  it('an address of 5,000 characters (limit 4,000); the rejects file keeps the row verbatim', async () => {
    s = await withRoster();
    const long = '浦'.repeat(5000);
    const f = s.file('s.csv', HEADER + row('A1', '张三', '13812345678', long) + row('A2', '李四', '13912345678', '浦江县'));
    const r = await s.run(['survey', 'import', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('row 2, address');
    expect(r.stderr).toContain('has 5,000 characters; this column takes at most 4,000');
    expect(r.stderr).toContain('shorten it to 4,000 characters or fewer');
    // the message quotes the start of the value, not all of it
    expect(r.stderr.length).toBeLessThan(2000);
    const rejects = `${s.dir}/rejects.csv`;
    const p = await s.run(['survey', 'import', f, '--skip-invalid', '--rejects', rejects]);
    expect(p.code).toBe(3);
    expect(s.query('SELECT name FROM customers')).toEqual([{ name: '李四' }]);
    expect(fs.readFileSync(rejects, 'utf8')).toContain(`A1,张三,女,1950,13812345678,${long},330726`);
  });

  it('health, a free-text note, takes 20,000 characters: 20,000 imports, 20,001 does not', async () => {
    s = await withRoster();
    const ok = 'h'.repeat(20_000);
    const f = s.file('s.csv', HEADER + row('A1', '张三', '13812345678', '', ok) + row('A2', '李四', '13912345678', '', ok + 'h'));
    const r = await s.run(['survey', 'import', f, '--skip-invalid', '--rejects', `${s.dir}/rejects.csv`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('row 3, health');
    expect(r.stderr).toContain('has 20,001 characters; this column takes at most 20,000');
    expect(s.query<{ n: number }>('SELECT length(health) AS n FROM customers')).toEqual([{ n: 20_000 }]);
  });
});

describe('a row over 1,048,576 characters is skipped without being kept', () => {
  it('a 3 MB line: a row error naming the row, the rows after it import, the rejects row says why it is empty', async () => {
    s = await withRoster();
    const f = s.file('s.csv', HEADER + row('A1', '张三', '13812345678') + row('A2', '李四', '13912345678', 'x'.repeat(3 << 20)) + row('A3', '王五', '13712345678'));
    const r = await s.run(['survey', 'import', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('row 3 is longer than 1,048,576 characters, so it was not read and is not copied into the rejects file');
    expect(r.stderr).toContain('fix row 3 in the original file');
    expect(r.stderr.length).toBeLessThan(2000);
    const rejects = `${s.dir}/rejects.csv`;
    const p = await s.run(['survey', 'import', f, '--skip-invalid', '--rejects', rejects]);
    expect(p.code).toBe(3);
    expect(p.stderr).toContain('2 new, 0 updated, 0 unchanged, 1 rejected');
    expect(s.query('SELECT name FROM customers ORDER BY customer_id')).toEqual([{ name: '张三' }, { name: '王五' }]);
    const lines = fs.readFileSync(rejects, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    // as many (empty) cells as the header, then the error: the columns line up
    expect(lines[1]).toMatch(/^,,,,,,,,,,"?address: row 3 is longer than 1,048,576 characters/);
  });

  it('a quoted cell over the limit whose quote does close is a row error as any other: the rows around it import with --skip-invalid', async () => {
    s = await withRoster();
    const f = s.file('s.csv', HEADER + row('A1', '张三', '13812345678') + row('A2', '李四', '13912345678', `"${'长\n'.repeat(3 << 19)}"`) + row('A3', '王五', '13712345678'));
    const r = await s.run(['survey', 'import', f, '--skip-invalid', '--rejects', `${s.dir}/rejects.csv`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('row 3 is longer than 1,048,576 characters');
    expect(r.stderr).not.toContain('never closed');
    expect(s.query('SELECT name FROM customers ORDER BY customer_id')).toEqual([{ name: '张三' }, { name: '王五' }]);
  });

  it('a 200 MB file with no line break fails after a few MB: its header is too long', async () => {
    s = await withRoster();
    const f = `${s.dir}/one-line.csv`;
    const fd = fs.openSync(f, 'w');
    try {
      fs.writeSync(fd, Buffer.alloc(4 << 20, 'x'));
      // a byte that is not UTF-8 at 100 MB: an import that read that far would report it
      // instead, so the message below shows the file was given up early (no timer needed)
      fs.writeSync(fd, Buffer.from([0xff]), 0, 1, 100 << 20);
      // the rest is a hole: 200 MB by its size, little on the disk
      fs.ftruncateSync(fd, 200 << 20);
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.statSync(f).size).toBe(200 << 20);
    const r = await s.run(['survey', 'import', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a readable CSV: its first line (the header) is longer than 1,048,576 characters');
    expect(r.stderr).not.toContain('not valid utf-8');
    expect(r.stderr).toContain('save as CSV again');
  });

  it('a header made too long by a quoted line break is refused the same way', async () => {
    s = await withRoster();
    const f = s.file('s.csv', `name,"phone\n${'y'.repeat(3 << 20)}",collector,collected_on\n` + row('A1', '张三', '13812345678'));
    const r = await s.run(['survey', 'import', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('its first line (the header) is longer than 1,048,576 characters');
  });
});

/**
 * A quote never closed makes the rest of the file one cell: the file is not read as rows at
 * all. It is refused whole, with or without --skip-invalid (the rows after the quote were
 * never read, so importing "the valid rows" would silently drop them), naming the line the
 * quote opened on — as a spreadsheet numbers rows — and the start of that cell.
 */
describe('a quote never closed refuses the file, naming the line it opened on', () => {
  // line 1 the header; the quote opens on line 3 of 5
  const UNCLOSED = HEADER + row('A1', '张三', '13812345678') + 'A2,"李四,女,1950,13912345678,,330726,,R1,2024-05-09\n' + row('A3', '王五', '13712345678') + row('A4', '赵六', '13612345678');

  it.each<[string, boolean]>([
    ['LF', false],
    ['CRLF', true],
  ])('%s: line 3 named, nothing imported, with or without --skip-invalid, no rejects file', async (_eol, crlf) => {
    s = await withRoster();
    const f = s.file('s.csv', UNCLOSED, { crlf });
    const r = await s.run(['survey', 'import', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a readable CSV: the quote opened on line 3 is never closed (name ""李四,女,1950,1391234');
    expect(r.stderr).toContain('so everything after it would be one cell; nothing was imported');
    expect(r.stderr).toContain('check for an unclosed quote');
    // not the last line, where the reading stopped
    expect(r.stderr).not.toMatch(/line [456]\b/);
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
    const rejects = `${s.dir}/rejects.csv`;
    const p = await s.run(['survey', 'import', f, '--skip-invalid', '--rejects', rejects]);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('the quote opened on line 3 is never closed');
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
    expect(fs.existsSync(rejects)).toBe(false);
  });

  it('in Chinese', async () => {
    s = await withRoster();
    const r = await s.run(['survey', 'import', s.file('s.csv', UNCLOSED)], { lang: 'zh' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('第 3 行开始的引号没有闭合（name「"李四,女,1950,1391234');
    expect(r.stderr).toContain('未导入任何数据');
  });

  it('with megabytes after it (over the 1 MiB record limit): the same answer, not a row too long', async () => {
    s = await withRoster();
    const f = s.file('s.csv', HEADER + row('A1', '张三', '13812345678') + `A2,"李四,女\n` + row('A3', '王五', '13712345678').repeat(60_000));
    const r = await s.run(['survey', 'import', f, '--skip-invalid', '--rejects', `${s.dir}/rejects.csv`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a readable CSV: the quote opened on line 3 is never closed (name ""李四,女 A3,王五');
    expect(r.stderr).not.toContain('longer than');
    expect(r.stderr.length).toBeLessThan(2000);
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
  });
});

describe('a 10 MB cell already in the database', () => {
  it('customers list draws a table of bounded width with the cell cut by …; csv and json keep it whole', async () => {
    s = await withRoster();
    await s.run(['survey', 'import', s.file('s.csv', HEADER + row('A1', '张三', '13812345678') + row('A2', '李四', '13912345678'))]);
    // on a server the name is in the key of UNIQUE (phone, name), whose entries PostgreSQL
    // holds to about 2,700 bytes (a 10 MB name is refused there): the longest it keeps
    const big = '名'.repeat(TEST_ENGINE === 'postgres' ? 800 : 10 * 1024 * 1024);
    s.exec('UPDATE customers SET name = ? WHERE survey_no = ?', big, 'A1');
    const table = await s.run(['customers', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout.length).toBeLessThan(3000);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[3]).toContain('名'.repeat(29) + '…');
    expect(lines[4]).toContain('李四');
    const csv = await s.run(['--format', 'csv', 'customers', 'list']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain(`,${big},`);
    const json = await s.run(['--format', 'json', 'customers', 'list']);
    expect((JSON.parse(json.stdout) as { name: string }[])[0].name).toBe(big);
  });
});

describe('a listing of 200,000 customers', () => {
  it('customers list --limit 0 prints every row, the default table the first 1000 and says how to see the rest, csv every row', async () => {
    s = await withRoster();
    // 200,000 customers in one statement (an import of as many rows takes far longer)
    s.exec(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
       INSERT INTO customers (survey_no, name, phone, gender, birth_year, address, district, collector_id, collected_on)
       SELECT 'S' || i, '顾客' || i, '138' || ${TEST_ENGINE === 'postgres' ? "lpad(i::text, 8, '0')" : "printf('%08d', i)"}, 'F', 1950, '浙江省金华市浦江县和平路' || i || '号', '330726', 'R1', '2024-05-09' FROM n`,
    );
    // the table's data lines: every line between the bars but the header
    const dataLines = (out: string) => out.split('\n').filter((l) => l.startsWith('│')).length - 1;
    const all = await s.run(['customers', 'list', '--limit', '0']);
    expect(all.code, all.stderr).toBe(0);
    expect(dataLines(all.stdout)).toBe(200_000);
    expect(all.stdout).toMatch(/│ +200,000 │ 顾客200000 +│ 138\*\*\*\*0000 │/);
    expect(all.stderr).not.toContain('rows shown');
    const table = await s.run(['customers', 'list']);
    expect(table.code, table.stderr).toBe(0);
    expect(dataLines(table.stdout)).toBe(1000);
    expect(table.stdout).toMatch(/│ +1,000 │ 顾客1000 /);
    expect(table.stderr).toContain('first 1000 rows shown; add --limit 0 for all, or --format csv to open them in Excel');
    const csv = await s.run(['--format', 'csv', 'customers', 'list']);
    expect(csv.code, csv.stderr).toBe(0);
    const records = csv.stdout.split('\r\n');
    expect(records).toHaveLength(200_002); // the header, the rows, the empty text after the last line end
    expect(records[200_000]).toBe('200000,顾客200000,138****0000,F,1950,330726,浙江省金华市浦江县****,R1,2024-05-09,');
  });
});

describe('encodings', () => {
  it('a UTF-8 file with a GBK row names the offset of the first bad byte, not the start of the file', async () => {
    s = await withRoster();
    const before = Buffer.from(HEADER + row('A1', '张三', '13812345678', '浙江省金华市浦江县') + row('A2', '李四', '13912345678', '浙江省金华市浦江县'), 'utf8');
    const f = `${s.dir}/mixed.csv`;
    fs.writeFileSync(f, Buffer.concat([before, iconv.encode(row('A3', '王五', '13712345678'), 'gbk'), Buffer.from(row('A4', '赵六', '13612345678'), 'utf8')]));
    const r = await s.run(['survey', 'import', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not valid utf-8');
    // the GBK bytes start inside row A3, after "A3,"
    expect(r.stderr).toContain(`offset ${before.length + 3}`);
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
  });

  it.each<[string, string]>([
    ['little-endian', 'utf16-le'],
    ['big-endian', 'utf16-be'],
  ])('UTF-16 %s without a BOM is read as UTF-16, not refused as a workbook', async (_order, name) => {
    s = await withRoster();
    const f = `${s.dir}/u16.csv`;
    fs.writeFileSync(f, iconv.encode(HEADER + row('A1', '张三', '13812345678') + row('A2', '一二', '13912345678'), name));
    const r = await s.run(['survey', 'import', f]);
    expect(r.stderr).not.toContain('xlsx');
    expect(r.code).toBe(0);
    expect(s.query('SELECT name FROM customers ORDER BY customer_id')).toEqual([{ name: '张三' }, { name: '一二' }]);
  });
});

describe("a ' put before a formula by an export is taken off on import", () => {
  it("'=…, '-…, '+… read as =…, -…, +…; 'abc stays as it is", async () => {
    s = await withRoster();
    const f = s.file('s.csv', HEADER + row('A1', '张三', "'+86 138 1234 5678", "'=浦江县和平路", "'-ok") + row('A2', '李四', '13912345678', "'abc"));
    const r = await s.run(['survey', 'import', f]);
    expect(r.code).toBe(0);
    expect(s.query('SELECT phone, address, health FROM customers ORDER BY customer_id')).toEqual([
      { phone: '13812345678', address: '=浦江县和平路', health: '-ok' },
      { phone: '13912345678', address: "'abc", health: null },
    ]);
  });

  it('a rejected row with formula-like cells, fixed in the rejects file, re-imports as the original text', async () => {
    s = await withRoster();
    const f = s.file('s.csv', HEADER + row('A1', '张三', '1381234567', '=HYPERLINK("x")', '@home') + row('A2', '李四', '13912345678'));
    const rejects = `${s.dir}/rejects.csv`;
    const r = await s.run(['survey', 'import', f, '--skip-invalid', '--rejects', rejects]);
    expect(r.code).toBe(3);
    const fixed = fs.readFileSync(rejects, 'utf8').replace('1381234567,', '13812345678,');
    const again = await s.run(['survey', 'import', s.file('fixed.csv', fixed)]);
    expect(again.code).toBe(0);
    expect(s.query('SELECT address, health FROM customers WHERE survey_no = ?', 'A1')).toEqual([{ address: '=HYPERLINK("x")', health: '@home' }]);
  });

  it('a header cell the rejects file neutralised (a tab before it) still names its column on re-import', async () => {
    s = await withRoster();
    const header = HEADER.replace(',collected_on', ',\tcollected_on');
    const f = s.file('s.csv', header + row('A1', '张三', '1381234567') + row('A2', '李四', '13912345678'));
    const rejects = `${s.dir}/rejects.csv`;
    expect((await s.run(['survey', 'import', f, '--skip-invalid', '--rejects', rejects])).code).toBe(3);
    const fixed = fs.readFileSync(rejects, 'utf8').replace('1381234567,', '13812345678,');
    const again = await s.run(['survey', 'import', s.file('fixed.csv', fixed)]);
    expect(again.stderr).not.toContain('lacks the required columns');
    expect(again.code).toBe(0);
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 2 }]);
  });
});
