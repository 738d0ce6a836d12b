/**
 * Issue 16, end to end: an import knows a file by its content, before any text decoding and
 * whatever --encoding says. An .xls or WPS .et, a password-protected workbook, an .ods, a
 * Numbers file and a web page saved as .xls are each refused with how to save the file as
 * .xlsx or CSV (exit 1, nothing written, no rejects file); UTF-16 without a BOM is read as
 * UTF-16; a CSV renamed .xlsx is read as the CSV it is. Each in Chinese and in English.
 * Roster (harness): R1 刘芳, R2 杨洋.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { sandboxesPerTest } from './harness.js';
import { csvRenamedXlsx, encryptedXlsx, legacyXls, numbersFile, odsFile } from './workbooks.js';

const sandboxes = sandboxesPerTest();
const SURVEYS = '问卷号,客户姓名,性别,年龄,手机号码,家庭地址,采集人,调查日期\nQ1,冯明,男,68,13857903456,浙江省金华市浦江县,刘芳,2024-05-09\nQ2,王兰,女,70,13857903457,浙江省金华市浦江县,杨洋,2024-05-10\n';

type Lang = 'zh' | 'en';

/** what each file is, its name (the name never decides), and what the error says in each language */
const REFUSED: [what: string, name: string, build: () => Buffer | Promise<Buffer>, said: Record<Lang, string>, hint: Record<Lang, string>][] = [
  ['an .xls', '客户.xls', legacyXls, { en: 'is an Excel 97-2003 workbook (.xls) or a WPS spreadsheet (.et); salesops reads .xlsx workbooks and CSV files', zh: '是 Excel 97-2003 工作簿（.xls）或 WPS 表格（.et）文件，salesops 只能读取 .xlsx 工作簿和 CSV 文件' }, { en: '"Save As" an Excel workbook (*.xlsx) or CSV UTF-8', zh: '“另存为” Excel 工作簿（*.xlsx）或 CSV UTF-8' }],
  ['an .xls named .csv', '客户.csv', legacyXls, { en: 'is an Excel 97-2003 workbook (.xls)', zh: '是 Excel 97-2003 工作簿（.xls）' }, { en: 'CSV UTF-8', zh: 'CSV UTF-8' }],
  ['a password-protected workbook', '调查表.xlsx', encryptedXlsx, { en: 'is protected by a password to open; salesops cannot read an encrypted workbook', zh: '设置了打开密码，salesops 无法读取加密的工作簿' }, { en: 'remove the password', zh: '取消打开密码' }],
  ['an .ods', '调查表.ods', odsFile, { en: 'is an OpenDocument spreadsheet (.ods)', zh: '是 OpenDocument 电子表格（.ods）' }, { en: 'save it as an Excel workbook (*.xlsx) or CSV UTF-8', zh: '另存为 Excel 工作簿（*.xlsx）或 CSV UTF-8' }],
  ['a Numbers file', '调查表.numbers', numbersFile, { en: 'is an Apple Numbers file', zh: '是苹果 Numbers 文件' }, { en: 'File → Export To → Excel', zh: '文件 → 导出为 → Excel' }],
  ['a web page saved as .xls', '导出.xls', () => Buffer.from('<html><head><meta charset="utf-8"></head><body><table><tr><td>客户姓名</td><td>手机号码</td></tr></table></body></html>'), { en: 'is a web page or an XML spreadsheet', zh: '是网页或 XML 表格' }, { en: 'Save As', zh: '另存为' }],
];

describe('a file that is neither an .xlsx nor a CSV: a clear error by its content, exit 1, nothing written', () => {
  for (const [what, name, build, said, hint] of REFUSED) {
    it.each(['zh', 'en'] as const)(`${what} (%s), with and without --encoding gbk`, async (lang) => {
      const s = await sandboxes.roster();
      const file = path.join(s.dir, name);
      fs.writeFileSync(file, await build());
      const rejects = path.join(s.dir, 'rejects.csv');
      for (const extra of [[], ['--encoding', 'gbk'], ['--encoding', 'utf-8', '--skip-invalid', '--rejects', rejects]]) {
        const r = await s.run(['survey', 'import', file, ...extra], { lang });
        expect(r.stderr).toContain(`${name} ${said[lang]}`);
        expect(r.stderr).toContain(hint[lang]);
        // not the advice of a text file read in the wrong encoding, and no stack trace
        expect(r.stderr).not.toMatch(/gb18030|--encoding|\bat .+:\d+:\d+/);
        expect(r.code).toBe(1);
      }
      expect(fs.existsSync(rejects)).toBe(false);
      expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);
    });
  }

  it.each(['zh', 'en'] as const)('every import says so: staff, orders, events, followups, trips (%s)', async (lang) => {
    const s = await sandboxes.roster();
    const file = path.join(s.dir, '订单.xls');
    fs.writeFileSync(file, legacyXls());
    for (const kind of ['staff', 'orders', 'events', 'followups', 'trips']) {
      const r = await s.run([kind, 'import', file], { lang });
      expect(r.stderr).toContain(lang === 'zh' ? '订单.xls 是 Excel 97-2003 工作簿（.xls）' : '订单.xls is an Excel 97-2003 workbook (.xls)');
      expect(r.code).toBe(1);
    }
  });
});

describe('text that is not what its name says', () => {
  it.each<[Lang, string, string]>([
    ['zh', 'utf16-le', '\t'],
    ['en', 'utf16-le', ','],
    ['zh', 'utf16-be', ','],
    ['en', 'utf16-be', '\t'],
  ])('UTF-16 without a BOM imports as UTF-16 (%s, %s, delimiter %j)', async (lang, encoding, delimiter) => {
    const s = await sandboxes.roster();
    const file = path.join(s.dir, '调查表.csv');
    fs.writeFileSync(file, iconv.encode(SURVEYS.replaceAll(',', delimiter), encoding));
    const r = await s.run(['survey', 'import', file], { lang });
    expect(r.stderr).toContain(lang === 'zh' ? '新增 2' : '2 new');
    expect(r.code).toBe(0);
    expect(s.query('SELECT name, phone, collector_id FROM customers ORDER BY phone')).toEqual([
      { name: '冯明', phone: '13857903456', collector_id: 'R1' },
      { name: '王兰', phone: '13857903457', collector_id: 'R2' },
    ]);
  });

  it.each(['zh', 'en'] as const)('a CSV renamed .xlsx is read as the CSV it is (%s)', async (lang) => {
    const s = await sandboxes.roster();
    const file = path.join(s.dir, '调查表.xlsx');
    fs.writeFileSync(file, csvRenamedXlsx(SURVEYS));
    const r = await s.run(['survey', 'import', file], { lang });
    expect(r.stderr).toContain(lang === 'zh' ? '新增 2' : '2 new');
    expect(r.code).toBe(0);
    expect(s.query('SELECT count(*) AS n FROM customers')).toEqual([{ n: 2 }]);
  });
});
