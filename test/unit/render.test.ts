/** §4 output: json/jsonl (yuan, null ratios), csv (BOM, CRLF, formulas neutralised), tsv, table. */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { neutralizeFormula, render, toJson, type Column, type Row } from '../../src/io/render.js';
import { boxTable } from '../../src/io/boxTable.js';
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
const opts = (format: 'json' | 'jsonl' | 'csv' | 'tsv' | 'table', lang: 'en' | 'zh' = 'en') => ({ format, lang, color: false });

describe('json: English keys, money in yuan with 2 decimals, ratios null when undefined', () => {
  const json = JSON.parse(render(rows, columns, opts('json'))) as Row[];

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
    const [o] = JSON.parse(render([{ sales_amount: 7, conversion_rate: 1 / 3 }], columns, opts('json'))) as Row[];
    expect(o.sales_amount).toBe(0.07);
    expect(o.conversion_rate).toBe(0.3333);
    const [inf] = JSON.parse(render([{ conversion_rate: Infinity }], columns, opts('json'))) as Row[];
    expect(inf.conversion_rate).toBeNull();
  });

  it('keys absent from the row are null, keys not in the columns are dropped', () => {
    expect(toJson({ name: 'x', secret: 1 }, [{ key: 'name' }, { key: 'team' }])).toEqual({ name: 'x', team: null });
  });

  it('an empty listing is []', () => {
    expect(render([], columns, opts('json'))).toBe('[]\n');
  });

  it('opts.json replaces the rows (nested lines)', () => {
    expect(JSON.parse(render(rows, columns, { ...opts('json'), json: [{ trip_no: 'T1', lines: [] }] }))).toEqual([{ trip_no: 'T1', lines: [] }]);
  });
});

describe('jsonl: one object per line', () => {
  it('three rows, three lines, each a full object', () => {
    const out = render(rows, columns, opts('jsonl'));
    const lines = out.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(JSON.parse(lines[1])).toMatchObject({ staff_id: 'R2', sales_amount: -0.05, conversion_rate: null });
  });

  it('no rows, no output', () => {
    expect(render([], columns, opts('jsonl'))).toBe('');
  });
});

describe('csv: UTF-8 with BOM, CRLF, keys as headers, formulas neutralised in text cells only', () => {
  const out = render(rows, columns, opts('csv'));
  const cells = parse(out.slice(1), { record_delimiter: '\r\n' }) as string[][];

  it('starts with a BOM and ends every record with CRLF', () => {
    expect(out.startsWith('\ufeffstaff_id,name,sales_amount,')).toBe(true);
    expect(out.endsWith('\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('the header is the keys, not the table headers', () => {
    expect(cells[0]).toEqual(['staff_id', 'name', 'sales_amount', 'orders', 'conversion_rate', 'overdue', 'flags', 'due_by', 'hours']);
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
        const text = render([{ ...rows[1], name: note }], columns, opts(format));
        const body = format === 'csv' ? text.slice(1) : text;
        const parsed = parse(body, { delimiter: format === 'tsv' ? '\t' : ',' }) as string[][];
        expect(parsed).toHaveLength(2);
        expect(parsed[1][1]).toBe(note);
        // Excel splits a record at any unquoted line break: the cell itself must be quoted
        const sep = format === 'tsv' ? '\t' : ',';
        expect(body).toContain(`${sep}"${note}"${sep}`);
      }
    }
  });

  it('no rows: the header alone', () => {
    expect(render([], columns, opts('csv'))).toBe('\ufeffstaff_id,name,sales_amount,orders,conversion_rate,overdue,flags,due_by,hours\r\n');
  });
});

describe('tsv: no BOM, LF, tabs', () => {
  it('header and rows', () => {
    const out = render(rows.slice(0, 2), columns, opts('tsv'));
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
    const [head, r1, r2, r3] = cellsOf(render(rows, columns, opts('table')));
    expect(head).toEqual(['Staff', 'name', 'sales_amount', 'orders', 'conversion_rate', 'overdue', 'flags', 'due_by', 'hours']);
    expect(r1).toEqual(['R1', '=HYPERLINK("x")', '1,280.50', '1,234', '12.5%', 'yes', 'over_class, no_receipt', '2024-05-09', '10.5']);
    expect(r2).toEqual(['R2', '刘芳', '-0.05', '-3', '—', 'no', '', '', '—']);
    expect(r3[4]).toBe('—'); // NaN ratio
  });

  it('in Chinese', () => {
    const [head, r1, r2] = cellsOf(render(rows.slice(0, 2), columns, opts('table', 'zh')));
    expect(head[0]).toBe('工号');
    expect(r1[5]).toBe('是');
    expect(r2[5]).toBe('否');
  });

  it('a rate of 0 is 0.0%, not —; a rate of 1 is 100.0%', () => {
    const [, a, b] = cellsOf(render([{ conversion_rate: 0 }, { conversion_rate: 1 }], [{ key: 'conversion_rate', kind: 'rate' }], opts('table')));
    expect(a).toEqual(['0.0%']);
    expect(b).toEqual(['100.0%']);
  });

  it('no rows, no table', () => {
    expect(render([], columns, opts('table'))).toBe('');
  });

  it('no colour codes when colour is off', () => {
    expect(render(rows, columns, opts('table'))).not.toMatch(/\u001b\[/);
  });
});

describe('boxTable: the hand-drawn table of the hot paths looks like the cli-table3 one', () => {
  it('draws exactly what renderTable (cli-table3) draws for the same cells, CJK aligned', async () => {
    const { boxTable } = await import('../../src/io/boxTable.js');
    const { renderTable, tableValue, RIGHT } = await import('../../src/io/render.js');
    const cols: Column[] = [
      { key: 'staff_id', header: { zh: '工号', en: 'staff_id' } },
      { key: 'name', header: { zh: '姓名', en: 'name' } },
      { key: 'sales_amount', header: { zh: '销售额', en: 'sales' }, kind: 'money' },
      { key: 'orders', header: { zh: '订单', en: 'orders' }, kind: 'int' },
    ];
    const data = [
      { staff_id: 'R1', name: '刘芳', sales_amount: 128050, orders: 3 },
      { staff_id: 'R10', name: 'Lee', sales_amount: -5, orders: 1234 },
    ];
    for (const lang of ['en', 'zh'] as const) {
      const drawn = boxTable({
        head: [cols.map((c) => c.header![lang])],
        rows: data.map((r) => cols.map((c) => tableValue(r[c.key as keyof typeof r], c.kind ?? 'text', lang))),
        right: cols.map((c) => RIGHT.has(c.kind ?? 'text')),
        color: false,
      });
      expect(drawn).toBe(renderTable(data, cols, { lang, color: false }));
    }
  });

  it('a rule before the totals row, styles per cell, two-line headers', async () => {
    const { boxTable } = await import('../../src/io/boxTable.js');
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
    const out = render([{ id: 1, name: 'n'.repeat(5000), note: '' }], cols, opts('table'));
    for (const line of out.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThan(100);
    expect(out).toContain('n'.repeat(59) + '…');
  });

  const big = '名'.repeat(10 * 1024 * 1024);
  const data: Row[] = [{ id: 1, name: big, note: 'ok' }, { id: 2, name: '刘芳', note: '-1' }];

  it('a 10 MB cell in a table: one line per row, every line as wide as the header, the cell cut with …', () => {
    const out = render(data, cols, opts('table'));
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
    expect(out).toBe(render(data, cols, opts('table')));
  });

  it('csv, tsv, json and jsonl keep the whole 10 MB value', () => {
    const csv = parse(render(data, cols, opts('csv')).slice(1)) as string[][];
    expect(csv[1][1]).toBe(big);
    const tsv = render(data, cols, opts('tsv')).split('\n');
    expect(tsv[1].split('\t')[1]).toBe(big);
    expect((JSON.parse(render(data, cols, opts('json'))) as Row[])[0].name).toBe(big);
    expect((JSON.parse(render(data, cols, opts('jsonl')).split('\n')[0]) as Row).name).toBe(big);
  });
});
