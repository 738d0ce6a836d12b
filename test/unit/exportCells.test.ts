/**
 * §4 export cells through the output pipeline's csv/tsv sinks (io/output), on awkward values:
 * the bytes are pinned to what exports wrote before the pipeline (csv-stringify's quoting, the
 * same cells), and a record with line breaks reads back whole. §5: the columns of each export
 * kind say what is sealed, and the pipeline masks it unless revealed.
 */
import { describe, it, expect } from 'vitest';
import { parse } from 'csv-parse/sync';
import { renderText } from '../../src/io/output/emit.js';
import type { Column } from '../../src/io/output/column.js';
import { exportColumns } from '../../src/app/export/columns.js';

const columns: Column[] = [
  { key: 't' },
  { key: 'm', kind: 'money' },
  { key: 'r', kind: 'rate' },
  { key: 'b', kind: 'bool' },
  { key: 'l', kind: 'list' },
  { key: 'i', kind: 'int' },
  { key: 'n', kind: 'number' },
  { key: 'd', kind: 'date' },
];
const rows = [
  { t: '张三', m: 123456, r: 1 / 3, b: true, l: ['a', 'b'], i: 12, n: 2.5, d: '2024-05-09' },
  { t: 'a,b "quoted"', m: -5, r: null, b: false, l: [], i: 0, n: null, d: null },
  { t: '=SUM(A1)', m: 0, r: Infinity, b: 0, l: ['-x'], i: -3, n: 0.1, d: '' },
  { t: 'semi;colon', m: null, r: 0.12345, b: 1, l: 'x;y', i: null, n: 1e21, d: '+86' },
  { t: 'tab\there', m: 1, r: 0, b: null, l: null, i: 1, n: -0.5, d: '@home' },
  { t: '-1', m: 99, r: -0.5, b: true, l: ['@'], i: 2, n: 3, d: ' ' },
  { t: '', m: 100, r: 1, b: false, l: [''], i: 3, n: 4, d: 'x' },
  { t: '第一行\n第二行', m: 1, r: 1, b: 1, l: ['a\rb'], i: 1, n: 1, d: 'a\r\nb "c"' },
];

describe('export cells: csv and tsv', () => {
  it('csv: BOM (a file for people), CRLF, yuan, rates to 4 decimals, formulas neutralised, quotes doubled, line breaks quoted', () => {
    expect(renderText(rows, columns, { format: 'csv', lang: 'en', color: false, bom: true })).toBe(
      '\ufefft,m,r,b,l,i,n,d\r\n' +
        '张三,1234.56,0.3333,true,a;b,12,2.5,2024-05-09\r\n' +
        '"a,b ""quoted""",-0.05,,false,,0,,\r\n' +
        "'=SUM(A1),0.00,,false,'-x,-3,0.1,\r\n" +
        "semi;colon,,0.1235,true,x;y,,1e+21,'+86\r\n" +
        "tab\there,0.01,0,,,1,-0.5,'@home\r\n" +
        "'-1,0.99,-0.5,true,'@,2,3, \r\n" +
        ',1.00,1,false,,3,4,x\r\n' +
        '"第一行\n第二行",0.01,1,true,"a\rb",1,1,"a\r\nb ""c"""\r\n',
    );
  });

  it('tsv: no BOM (even when asked), LF, a tab in a cell quoted', () => {
    expect(renderText(rows, columns, { format: 'tsv', lang: 'en', color: false, bom: true })).toBe(
      't\tm\tr\tb\tl\ti\tn\td\n' +
        '张三\t1234.56\t0.3333\ttrue\ta;b\t12\t2.5\t2024-05-09\n' +
        '"a,b ""quoted"""\t-0.05\t\tfalse\t\t0\t\t\n' +
        "'=SUM(A1)\t0.00\t\tfalse\t'-x\t-3\t0.1\t\n" +
        "semi;colon\t\t0.1235\ttrue\tx;y\t\t1e+21\t'+86\n" +
        '"tab\there"\t0.01\t0\t\t\t1\t-0.5\t\'@home\n' +
        "'-1\t0.99\t-0.5\ttrue\t'@\t2\t3\t \n" +
        '\t1.00\t1\tfalse\t\t3\t4\tx\n' +
        '"第一行\n第二行"\t0.01\t1\ttrue\t"a\rb"\t1\t1\t"a\r\nb ""c"""\n',
    );
  });

  it('a cell with a line break or CR is quoted, so the record reads back whole (a multi-line note)', () => {
    const cols: Column[] = [{ key: 'note' }, { key: 'x', kind: 'int' }];
    const text = renderText([{ note: '第一行\n第二行', x: 1 }, { note: '\rcr', x: 2 }, { note: 'a\r\nb "c"', x: 3 }], cols, { format: 'csv', lang: 'en', color: false });
    expect(parse(text, { columns: true, bom: true })).toEqual([
      { note: '第一行\n第二行', x: '1' },
      { note: "'\rcr", x: '2' },
      { note: 'a\r\nb "c"', x: '3' },
    ]);
  });
});

describe('export columns: what is sealed (§5)', () => {
  const keys = (kind: Parameters<typeof exportColumns>[0], revealed: boolean) => exportColumns(kind, revealed).map((c) => c.key);

  it('sealed columns only when revealed', () => {
    expect(keys('customers', false)).not.toContain('health');
    expect(keys('customers', true)).toContain('health');
    expect(keys('followups', false)).not.toContain('note');
    expect(keys('followups', true)).toContain('note');
  });

  it('phones and numbers typed into free text are masked unless revealed', () => {
    const row = { task_id: 1, customer_id: 2, customer_name: '张三 13912345678', phone: '13800001234', note: '打 0571-88881234 找家属' };
    const cols = exportColumns('tasks', false);
    const [masked] = parse(renderText([row], cols, { format: 'csv', lang: 'en', color: false }), { columns: true, bom: true }) as Record<string, string>[];
    expect(masked).toMatchObject({ customer_name: '张三 139****5678', phone: '138****1234' });
    expect(masked.note).not.toContain('8888');
    const [shown] = parse(renderText([row], cols, { format: 'csv', lang: 'en', color: false, revealed: true }), { columns: true, bom: true }) as Record<string, string>[];
    expect(shown).toMatchObject({ customer_name: row.customer_name, phone: row.phone, note: row.note });
  });

  it('staff, trips, expenses and allowances hold no customer data: nothing masked', () => {
    for (const kind of ['staff', 'trips', 'expenses', 'allowances'] as const) expect(exportColumns(kind, false).filter((c) => c.mask)).toEqual([]);
  });
});
