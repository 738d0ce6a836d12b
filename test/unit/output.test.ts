/**
 * §4 output, the one pipeline (io/output): json/jsonl (yuan, null ratios), csv (CRLF, a BOM
 * for a file people open, formulas neutralised, headers by key or in the user's language),
 * tsv, table (codes in words in Chinese) — from one column description, streamed.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { neutralizeFormula } from '../../src/io/formula.js';
import type { Column, Row } from '../../src/io/output/column.js';
import { renderText, type EmitOptions } from '../../src/io/output/emit.js';
import { boxTable } from '../../src/io/output/table.js';
import { displayWidth, tableCell, TABLE_CELL_WIDTH } from '../../src/io/width.js';

describe('neutralizeFormula: a cell starting with = + - @, tab or CR is prefixed with \'', () => {
  it.each<[string, string]>([
    ['=1+1', "'=1+1"],
    ['=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'],
    ['+8613812345678', "'+8613812345678"],
    ['-3', "'-3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
  ])('%j → %j', (cell, out) => {
    expect(neutralizeFormula(cell)).toBe(out);
  });

  it.each(['刘芳', 'a=b', '1+1', '', "'quoted", ' =1', '＝1', '2024-05-09', '13812345678'])('%j is left alone', (cell) => {
    expect(neutralizeFormula(cell)).toBe(cell);
  });
});

const columns: Column[] = [
  { key: 'staff_id', header: { en: 'Staff', zh: '工号' } },
  { key: 'name' },
  { key: 'sales_amount', kind: 'money' },
  { key: 'orders', kind: 'int' },
  { key: 'conversion_rate', kind: 'rate' },
  { key: 'overdue', kind: 'bool' },
  { key: 'flags', kind: 'list' },
  { key: 'due_by', kind: 'date' },
  { key: 'hours', kind: 'number' },
];
const rows: Row[] = [
  { staff_id: 'R1', name: '=HYPERLINK("x")', sales_amount: 128050, orders: 1234, conversion_rate: 0.125, overdue: true, flags: ['over_class', 'no_receipt'], due_by: '2024-05-09', hours: 10.5 },
  { staff_id: 'R2', name: '刘芳', sales_amount: -5, orders: -3, conversion_rate: null, overdue: false, flags: [], due_by: null, hours: null },
  { staff_id: '-R3', name: '@王', sales_amount: 0, orders: 0, conversion_rate: Number.NaN, overdue: 0, flags: ['=cmd'], due_by: '2024-12-31', hours: -1 },
];
const opts = (format: 'json' | 'jsonl' | 'csv' | 'tsv' | 'table', lang: 'en' | 'zh' = 'en'): EmitOptions => ({ format, lang, color: false, limit: 0 });

describe('json: English keys, money in yuan with 2 decimals, ratios null when undefined', () => {
  const json = JSON.parse(renderText(rows, columns, opts('json'))) as Row[];

  it('the first row, value by value', () => {
    expect(json[0]).toEqual({
      staff_id: 'R1',
      name: '=HYPERLINK("x")', // JSON is data: no neutralising
      sales_amount: 1280.5,
      orders: 1234,
      conversion_rate: 0.125,
      overdue: true,
      flags: ['over_class', 'no_receipt'],
      due_by: '2024-05-09',
      hours: 10.5,
    });
  });

  it.each<[string, number, string, unknown]>([
    ['negative money in yuan', 1, 'sales_amount', -0.05],
    ['zero money', 2, 'sales_amount', 0],
    ['a null ratio', 1, 'conversion_rate', null],
    ['a NaN ratio (denominator 0) is null', 2, 'conversion_rate', null],
    ['a missing date is null', 1, 'due_by', null],
    ['a missing number is null', 1, 'hours', null],
    ['a falsy bool is false', 2, 'overdue', false],
  ])('%s', (_rule, i, key, value) => {
    expect(json[i][key]).toEqual(value);
  });

  it('money has at most 2 decimals and ratios at most 4', () => {
    const [o] = JSON.parse(renderText([{ sales_amount: 7, conversion_rate: 1 / 3 }], columns, opts('json'))) as Row[];
    expect(o.sales_amount).toBe(0.07);
    expect(o.conversion_rate).toBe(0.3333);
    const [inf] = JSON.parse(renderText([{ conversion_rate: Infinity }], columns, opts('json'))) as Row[];
    expect(inf.conversion_rate).toBeNull();
  });

  it('keys absent from the row are null, keys not in the columns are dropped', () => {
    expect(JSON.parse(renderText([{ name: 'x', secret: 1 }], [{ key: 'name' }, { key: 'team' }], opts('json')))).toEqual([{ name: 'x', team: null }]);
  });

  it('an empty listing is []', () => {
    expect(renderText([], columns, opts('json'))).toBe('[]\n');
  });

  it('opts.json makes the object of a row (nested lines)', () => {
    expect(JSON.parse(renderText(rows.slice(0, 1), columns, { ...opts('json'), json: (r) => ({ trip_no: r.staff_id, lines: [] }) }))).toEqual([{ trip_no: 'R1', lines: [] }]);
  });

  it('one object per line inside the array, so a diff shows one row per line', () => {
    const out = renderText(rows, columns, opts('json'));
    const lines = out.split('\n');
    expect(lines[0]).toBe('[');
    expect(lines).toHaveLength(rows.length + 3);
    expect(lines[1].startsWith('  {"staff_id":"R1"')).toBe(true);
    expect(lines.at(-2)).toBe(']');
  });
});

describe('jsonl: one object per line', () => {
  it('three rows, three lines, each a full object', () => {
    const out = renderText(rows, columns, opts('jsonl'));
    const lines = out.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(JSON.parse(lines[1])).toMatchObject({ staff_id: 'R2', sales_amount: -0.05, conversion_rate: null });
  });

  it('no rows, no output', () => {
    expect(renderText([], columns, opts('jsonl'))).toBe('');
  });
});

describe('csv: CRLF, keys as headers, formulas neutralised in text cells only; a BOM when asked', () => {
  const out = renderText(rows, columns, opts('csv'));
  const cells = parse(out, { record_delimiter: '\r\n' }) as string[][];

  it('no BOM unless asked (a pipe: issue 15); every record ends with CRLF', () => {
    expect(out.startsWith('staff_id,name,sales_amount,')).toBe(true);
    expect(out.endsWith('\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('a BOM first when it is a file for people (Excel)', () => {
    expect(renderText(rows, columns, { ...opts('csv'), bom: true })).toBe('\ufeff' + out);
  });

  it('the header is the keys, not the table headers, in either language', () => {
    expect(cells[0]).toEqual(['staff_id', 'name', 'sales_amount', 'orders', 'conversion_rate', 'overdue', 'flags', 'due_by', 'hours']);
    expect(renderText(rows, columns, opts('csv', 'zh'))).toBe(out);
  });

  it('headers names: in Chinese the columns\' headers (the key when a column has none); in English the keys', () => {
    const zh = renderText(rows, columns, { ...opts('csv', 'zh'), headers: 'names' });
    expect(zh.split('\r\n')[0]).toBe('工号,name,sales_amount,orders,conversion_rate,overdue,flags,due_by,hours');
    expect(zh.slice(zh.indexOf('\r\n'))).toBe(out.slice(out.indexOf('\r\n')));
    expect(renderText(rows, columns, { ...opts('csv'), headers: 'names' })).toBe(out);
    const tsv = renderText([], [{ key: 'overdue_open', header: { zh: '逾期\n未访', en: 'Over-\ndue' } }], { ...opts('tsv', 'zh'), headers: 'names' });
    expect(tsv).toBe('逾期未访\n');
  });

  it('row 1: money as yuan text with 2 decimals, a neutralised formula, a list joined by ;', () => {
    expect(cells[1]).toEqual(['R1', '\'=HYPERLINK("x")', '1280.50', '1234', '0.125', 'true', 'over_class;no_receipt', '2024-05-09', '10.5']);
  });

  it('row 2: negative money and a negative int are numbers, not prefixed; nulls are empty', () => {
    expect(cells[2]).toEqual(['R2', '刘芳', '-0.05', '-3', '', 'false', '', '', '']);
  });

  it('row 3: text cells starting with - and @ are prefixed, a list too; the number -1 is not', () => {
    expect(cells[3]).toEqual(["'-R3", "'@王", '0.00', '0', '', 'false', "'=cmd", '2024-12-31', '-1']);
  });

  it('a line break inside a cell (LF, CR or CRLF) is quoted, so the record stays one row in Excel', () => {
    for (const note of ['第一行\n第二行', 'a\rb', 'a\r\nb']) {
      for (const format of ['csv', 'tsv'] as const) {
        const text = renderText([{ ...rows[1], name: note }], columns, opts(format));
        const parsed = parse(text, { delimiter: format === 'tsv' ? '\t' : ',' }) as string[][];
        expect(parsed).toHaveLength(2);
        expect(parsed[1][1]).toBe(note);
        // Excel splits a record at any unquoted line break: the cell itself must be quoted
        const sep = format === 'tsv' ? '\t' : ',';
        expect(text).toContain(`${sep}"${note}"${sep}`);
      }
    }
  });

  it('no rows: the header alone', () => {
    expect(renderText([], columns, opts('csv'))).toBe('staff_id,name,sales_amount,orders,conversion_rate,overdue,flags,due_by,hours\r\n');
  });
});

describe('tsv: no BOM (not even when asked), LF, tabs', () => {
  it('header and rows', () => {
    const out = renderText(rows.slice(0, 2), columns, { ...opts('tsv'), bom: true });
    expect(out.charCodeAt(0)).not.toBe(0xfeff);
    expect(out).not.toContain('\r');
    const lines = out.split('\n');
    expect(lines[0]).toBe('staff_id\tname\tsales_amount\torders\tconversion_rate\toverdue\tflags\tdue_by\thours');
    expect(lines[2]).toBe('R2\t刘芳\t-0.05\t-3\t\tfalse\t\t\t');
  });
});

describe('table: for people — rates as %, — for an undefined ratio, thousands separators', () => {
  const cellsOf = (out: string) =>
    out
      .split('\n')
      .filter((l) => l.startsWith('│'))
      .map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));

  it('headers in the chosen language, values formatted', () => {
    const [head, r1, r2, r3] = cellsOf(renderText(rows, columns, opts('table')));
    expect(head).toEqual(['Staff', 'name', 'sales_amount', 'orders', 'conversion_rate', 'overdue', 'flags', 'due_by', 'hours']);
    expect(r1).toEqual(['R1', '=HYPERLINK("x")', '1,280.50', '1,234', '12.5%', 'yes', 'over_class, no_receipt', '2024-05-09', '10.5']);
    expect(r2).toEqual(['R2', '刘芳', '-0.05', '-3', '—', 'no', '', '', '—']);
    expect(r3[4]).toBe('—'); // NaN ratio
  });

  it('in Chinese', () => {
    const [head, r1, r2] = cellsOf(renderText(rows.slice(0, 2), columns, opts('table', 'zh')));
    expect(head[0]).toBe('工号');
    expect(r1[5]).toBe('是');
    expect(r2[5]).toBe('否');
  });

  it('codes (Column.codes): words in a Chinese table, a list item by item; codes in an English one and in every data format (issue 15)', () => {
    const coded: Column[] = [
      { key: 'role', codes: 'role' },
      { key: 'rule', codes: 'rule' },
      { key: 'gender', codes: 'gender' },
      { key: 'actions', codes: 'audit_action', kind: 'list' },
    ];
    const data: Row[] = [
      { role: 'rep', rule: 'new_staff', gender: 'F', actions: ['export', 'reveal'] },
      { role: 'gm', rule: 'pin', gender: null, actions: [] },
      { role: 'intern', rule: 'handover', gender: 'M', actions: ['someday'] },
    ];
    const [, zh1, zh2, zh3] = cellsOf(renderText(data, coded, opts('table', 'zh')));
    expect(zh1).toEqual(['销售代表', '新员工', '女', '导出、查看完整信息']);
    expect(zh2).toEqual(['总经理', '经理指定', '', '']);
    // a code the set does not know is shown as it is
    expect(zh3).toEqual(['intern', '离职交接', '男', 'someday']);
    const [, en1] = cellsOf(renderText(data, coded, opts('table')));
    expect(en1).toEqual(['rep', 'new_staff', 'F', 'export, reveal']);
    for (const format of ['csv', 'tsv'] as const) expect(renderText(data, coded, opts(format, 'zh'))).toBe(renderText(data, coded, opts(format)));
    expect(renderText(data, coded, opts('csv', 'zh'))).toContain('rep,new_staff,F,export;reveal');
    expect(JSON.parse(renderText(data, coded, opts('json', 'zh')))[0]).toEqual(data[0]);
  });

  it('a rate of 0 is 0.0%, not —; a rate of 1 is 100.0%', () => {
    const [, a, b] = cellsOf(renderText([{ conversion_rate: 0 }, { conversion_rate: 1 }], [{ key: 'conversion_rate', kind: 'rate' }], opts('table')));
    expect(a).toEqual(['0.0%']);
    expect(b).toEqual(['100.0%']);
  });

  it('no rows, no table', () => {
    expect(renderText([], columns, opts('table'))).toBe('');
  });

  it('no colour codes when colour is off', () => {
    expect(renderText(rows, columns, opts('table'))).not.toMatch(/\u001b\[/);
  });
});

describe('boxTable: the one table renderer draws what cli-table3 draws (compact style)', () => {
  it('the same bytes as cli-table3 for the same cells, CJK aligned', async () => {
    const { default: Table } = await import('cli-table3');
    const { tableText } = await import('../../src/io/output/cell.js');
    const { RIGHT } = await import('../../src/io/output/column.js');
    const cols: Column[] = [
      { key: 'staff_id', header: { zh: '工号', en: 'staff_id' } },
      { key: 'name', header: { zh: '姓名', en: 'name' } },
      { key: 'sales_amount', header: { zh: '销售额', en: 'sales' }, kind: 'money' },
      { key: 'orders', header: { zh: '订单', en: 'orders' }, kind: 'int' },
    ];
    const data: Row[] = [
      { staff_id: 'R1', name: '刘芳', sales_amount: 128050, orders: 3 },
      { staff_id: 'R10', name: 'Lee', sales_amount: -5, orders: 1234 },
    ];
    for (const lang of ['en', 'zh'] as const) {
      const table = new Table({
        head: cols.map((c) => c.header![lang]),
        colAligns: cols.map((c) => (RIGHT.has(c.kind ?? 'text') ? 'right' : 'left')),
        style: { head: [], border: [], compact: true },
      });
      for (const r of data) table.push(cols.map((c) => tableText(r[c.key], c, lang)));
      expect(renderText(data, cols, { ...opts('table', lang) })).toBe(table.toString() + '\n');
    }
  });

  it('for any cells (letters, CJK, empty, numbers right-aligned)', async () => {
    const fc = await import('fast-check');
    const { default: Table } = await import('cli-table3');
    const cell = fc.stringMatching(/^[a-z0-9 刘芳王中文·-]{0,12}$/);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 6 }), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), (n, body, rightAll) => {
        const head = body[0].slice(0, n).map((h, i) => h.trim() || `h${i}`);
        const rows = body.slice(1).map((r) => r.slice(0, n));
        if (rows.length === 0) return;
        const right = rightAll.slice(0, n);
        const table = new Table({ head, colAligns: right.map((r) => (r ? 'right' : 'left')), style: { head: [], border: [], compact: true } });
        for (const r of rows) table.push(r);
        expect(boxTable({ head: [head], rows, right, color: false })).toBe(table.toString() + '\n');
      }),
      { numRuns: 200 },
    );
  });

  it('a rule before the totals row, styles per cell, two-line headers', async () => {
    const out = boxTable({
      head: [['Staff', 'On'], ['', 'time']],
      rows: [['R1', '2'], ['Total', '12']],
      right: [false, true],
      color: false,
      ruleBefore: 1,
      style: (s, row) => (row === 1 ? s.toUpperCase() : s),
    });
    expect(out).toBe(
      ['┌───────┬──────┐', '│ Staff │   On │', '│       │ time │', '├───────┼──────┤', '│ R1    │    2 │', '├───────┼──────┤', '│ TOTAL │   12 │', '└───────┴──────┘', ''].join('\n'),
    );
  });
});

describe('tables cut a long cell with … (csv, tsv and json keep every character)', () => {
  it.each<[string, string, string]>([
    ['short text is left alone', '刘芳', '刘芳'],
    ['exactly 60 columns is left alone', 'a'.repeat(60), 'a'.repeat(60)],
    ['61 columns: 59 and …', 'a'.repeat(61), 'a'.repeat(59) + '…'],
    ['30 CJK characters are 60 columns: left alone', '中'.repeat(30), '中'.repeat(30)],
    ['CJK over 60 columns: 29 characters (58 columns) and …', '中'.repeat(31), '中'.repeat(29) + '…'],
    ['mixed: a wide character that would end at column 60 goes', 'a' + '中'.repeat(40), 'a' + '中'.repeat(29) + '…'],
    ['an emoji (a surrogate pair) is never cut in half', 'a'.repeat(58) + '😀😀', 'a'.repeat(58) + '…'],
    ['line breaks and tabs become spaces', '第一行\r\n第二行\n三\r四\t五', '第一行 第二行 三 四 五'],
    ['an escape sequence cannot drive the terminal', 'x\u001b[2Jy\u0007', 'x\ufffd[2Jy\ufffd'],
  ])('%s', (_rule, value, cell) => {
    expect(tableCell(value)).toBe(cell);
    expect(displayWidth(tableCell(value))).toBeLessThanOrEqual(TABLE_CELL_WIDTH);
  });

  it('a cut cell is 60 columns wide, or 59 when a wide character does not fit, and ends with …', () => {
    for (const unit of ['a', '中', 'a中', '中a', 'é', 'e\u0301']) {
      const cut = tableCell(unit.repeat(1000));
      expect(cut.endsWith('…')).toBe(true);
      expect(displayWidth(cut)).toBeGreaterThanOrEqual(TABLE_CELL_WIDTH - 1);
      expect(displayWidth(cut)).toBeLessThanOrEqual(TABLE_CELL_WIDTH);
    }
  });

  const cols: Column[] = [{ key: 'id', kind: 'int' }, { key: 'name' }, { key: 'note' }];

  it('a cell of 5,000 characters: the table stays as wide as 60 columns allow', () => {
    const out = renderText([{ id: 1, name: 'n'.repeat(5000), note: '' }], cols, opts('table'));
    for (const line of out.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThan(100);
    expect(out).toContain('n'.repeat(59) + '…');
  });

  const big = '名'.repeat(10 * 1024 * 1024);
  const data: Row[] = [{ id: 1, name: big, note: 'ok' }, { id: 2, name: '刘芳', note: '-1' }];

  it('a 10 MB cell in a table: one line per row, every line as wide as the header, the cell cut with …', () => {
    const out = renderText(data, cols, opts('table'));
    expect(out.length).toBeLessThan(2000);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    const widths = new Set(lines.map((l) => displayWidth(l)));
    expect(widths.size).toBe(1);
    const cell = lines[3].split('│')[2].trim();
    expect(cell).toBe('名'.repeat(29) + '…');
  });

  it('the same in the hand-drawn box table', () => {
    const out = boxTable({ head: [['id', 'name', 'note']], rows: data.map((r) => [String(r.id), String(r.name), String(r.note)]), right: [true, false, false], color: false });
    expect(out.length).toBeLessThan(2000);
    expect(out).toBe(renderText(data, cols, opts('table')));
  });

  it('csv, tsv, json and jsonl keep the whole 10 MB value', () => {
    const csv = parse(renderText(data, cols, opts('csv')).slice(1)) as string[][];
    expect(csv[1][1]).toBe(big);
    const tsv = renderText(data, cols, opts('tsv')).split('\n');
    expect(tsv[1].split('\t')[1]).toBe(big);
    expect((JSON.parse(renderText(data, cols, opts('json'))) as Row[])[0].name).toBe(big);
    expect((JSON.parse(renderText(data, cols, opts('jsonl')).split('\n')[0]) as Row).name).toBe(big);
  });
});

describe('one cell formatter: rates rounded half away from zero on the decimal value', () => {
  it.each<[number, string]>([
    [0.2345, '23.5%'],
    [0.2344, '23.4%'],
    [0.0005, '0.1%'],
    [0.0004, '0.0%'],
    [-0.2345, '-23.5%'],
    [-0.00001, '0.0%'],
    [1, '100.0%'],
    [12.345, '1,234.5%'],
    [0.285, '28.5%'], // 0.285 * 100 is 28.499999… in binary: toFixed said 28.4%
  ])('%d → %s', async (r, text) => {
    const { percentText } = await import('../../src/io/output/cell.js');
    expect(percentText(r)).toBe(text);
  });

  it('a number column with decimals (average headcount)', async () => {
    const { tableText } = await import('../../src/io/output/cell.js');
    expect(tableText(2.25, { key: 'x', kind: 'number', decimals: 1 }, 'en')).toBe('2.3');
    expect(tableText(2.25, { key: 'x', kind: 'number' }, 'en')).toBe('2.25');
  });

  it('money of a fraction of a fen is rounded to the fen in every format', () => {
    const cols: Column[] = [{ key: 'm', kind: 'money' }];
    expect(renderText([{ m: 1234.6 }], cols, opts('csv'))).toContain('12.35');
    expect(renderText([{ m: 1234.6 }], cols, opts('table'))).toContain('12.35');
    expect(JSON.parse(renderText([{ m: 1234.6 }], cols, opts('json')))).toEqual([{ m: 12.35 }]);
  });
});

describe('the one CSV writer quotes as csv-stringify does (the reference it replaced)', () => {
  it('for any text: separator, quotes, CR, LF, tabs, CJK', async () => {
    const fc = await import('fast-check');
    const { stringify } = await import('csv-stringify/sync');
    const { csvLine } = await import('../../src/io/output/csv.js');
    const text = fc.stringMatching(/^[a-z ,"\t\r\n'=刘芳;]{0,10}$/);
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), fc.constantFrom(',' as const, '\t' as const), (cells, sep) => {
        const ref = stringify([cells], { delimiter: sep, record_delimiter: 'unix', quoted_match: /[\r\n]/ });
        expect(csvLine(cells, sep) + '\n').toBe(ref);
      }),
      { numRuns: 500 },
    );
  });
});

describe('emit: streams, one limit rule, masking, the target waited on', () => {
  const cols: Column[] = [{ key: 'id', kind: 'int' }, { key: 'phone', mask: 'phone' }, { key: 'note', mask: 'text' }];
  const many = (n: number) =>
    (function* () {
      for (let i = 1; i <= n; i++) yield { id: i, phone: '13812345678', note: `call 13912345678 #${i}` };
    })();
  const collect = async (rows: Iterable<Row> | AsyncIterable<Row>, o: Partial<EmitOptions> & Pick<EmitOptions, 'format'>) => {
    const { emit } = await import('../../src/io/output/emit.js');
    const writes: string[] = [];
    const done = await emit(rows, cols, { write: async (s) => void writes.push(s) }, { lang: 'en', color: false, ...o });
    return { ...done, text: writes.join(''), writes };
  };
  const lines = (text: string) => text.split('\n').filter((l) => l.startsWith('│')).length - 1;

  it('a table shows 1000 rows unless told, and says it was cut', async () => {
    const r = await collect(many(1500), { format: 'table' });
    expect(r).toMatchObject({ count: 1000, cut: true });
    expect(lines(r.text)).toBe(1000);
  });

  it('exactly 1000 rows: not cut', async () => {
    expect(await collect(many(1000), { format: 'table' })).toMatchObject({ count: 1000, cut: false });
  });

  it('csv, tsv, json and jsonl list every row unless told', async () => {
    for (const format of ['csv', 'tsv', 'json', 'jsonl'] as const) expect(await collect(many(2500), { format })).toMatchObject({ count: 2500, cut: false });
  });

  it('--limit N cuts every format; 0 is all', async () => {
    for (const format of ['table', 'csv', 'json'] as const) {
      expect(await collect(many(30), { format, limit: 10 })).toMatchObject({ count: 10, cut: true });
      expect(await collect(many(3000), { format, limit: 0 })).toMatchObject({ count: 3000, cut: false });
    }
  });

  it('a cut listing stops reading: the rows are a statement to close, not to drain', async () => {
    let read = 0;
    let closed = false;
    const rows = (function* () {
      try {
        for (;;) {
          read++;
          yield { id: read, phone: '1', note: '' };
        }
      } finally {
        closed = true;
      }
    })();
    await collect(rows, { format: 'csv', limit: 5 });
    expect(read).toBe(6); // one more than the limit tells whether it was cut
    expect(closed).toBe(true);
  });

  it('async rows too', async () => {
    async function* rows() {
      yield* many(3);
    }
    const r = await collect(rows(), { format: 'jsonl' });
    expect(r.count).toBe(3);
    expect(r.text.split('\n')).toHaveLength(4);
  });

  it('sealed columns masked unless revealed (phones, numbers typed into notes)', async () => {
    const masked = (await collect(many(1), { format: 'csv' })).text;
    expect(masked).toContain('138****5678');
    expect(masked).not.toContain('13912345678');
    const shown = (await collect(many(1), { format: 'csv', revealed: true })).text;
    expect(shown).toContain('13812345678');
    expect(shown).toContain('13912345678');
  });

  it('written in pieces of about 64 KiB, each awaited: a million rows never sit in memory', async () => {
    const r = await collect(many(20000), { format: 'csv' });
    expect(r.writes.length).toBeGreaterThan(5);
    for (const w of r.writes.slice(0, -1)) expect(w.length).toBeGreaterThanOrEqual(1 << 16);
    expect(r.writes.slice(0, -1).every((w) => w.length < (1 << 16) + 200)).toBe(true);
  });

  it('a table of 200,000 rows: linear, no recursion (cli-table3 overflowed the stack)', async () => {
    const r = await collect(many(200000), { format: 'table', limit: 0 });
    expect(r.count).toBe(200000);
    expect(lines(r.text)).toBe(200000);
  });
});
