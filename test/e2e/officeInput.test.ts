/**
 * Issue 15, end to end: the input a clerk really has. Sheets with the headers and words of an
 * office (手机号码, 采集人, 金额（元）, √/×, 开发市场, 滴滴, 晚上8点半, 12元5角, 7月3日) import;
 * a missing column is named with every header it may have; a row error names the column as
 * the file writes it (电话, not phone); a phone Excel wrote as 1.3857E+10 is refused with how
 * to fix the sheet; a date without a year is read in a said year (also in a dry run); the next
 * step after trips and expenses names the month they are in. Each in Chinese and in English.
 * Roster (harness): G1 gm, M1 manager, S1 supervisor, D1 doctor, R1 刘芳 / R2 杨洋 / R3 赵敏 reps.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sandboxesPerTest } from './harness.js';

const sandboxes = sandboxesPerTest();
const AS_OF = '2026-12-15';

const SURVEYS_ZH = '问卷号,客户姓名,性别,年龄,手机号码,家庭地址,采集人,调查日期\n' + 'Q1,冯明,男,68岁,１３８５７９０３４５６,浙江省金华市浦江县,刘芳,2026/11/3 0:00\n' + 'Q2,王兰,女,70,13857903457,浙江省金华市浦江县,R2,2026年11月4日\n';

describe('a sheet with office headers and office words imports', () => {
  it.each(['zh', 'en'] as const)('surveys, events, orders and follow-ups (%s)', async (lang) => {
    const s = await sandboxes.roster(AS_OF);
    const surveys = await s.run(['survey', 'import', s.file('调查表.csv', SURVEYS_ZH, { encoding: 'utf8-bom' })], { lang });
    expect(surveys.stderr).toMatch(lang === 'zh' ? /新增 2/ : /2 new/);
    expect(surveys.code).toBe(0);
    const events = s.file('活动签到.csv', '客户姓名,联系方式,活动时间,活动主题,是否成交,成交金额（元）,录入人\n冯明,13857903456,2026-11-10,联谊会,√,12元5角,刘芳\n王兰,13857903457,2026-11-10,联谊会,×,,刘芳\n');
    const ev = await s.run(['events', 'import', events], { lang });
    expect(ev.code).toBe(0);
    expect(s.query('SELECT purchased, amount_fen FROM events ORDER BY event_id')).toEqual([
      { purchased: 1, amount_fen: 1250 },
      { purchased: 0, amount_fen: null },
    ]);
    const orders = s.file('订单.csv', '订单号,客户姓名,手机号码,成交日期,金额（元）,销售代表,品名\nSO-1,冯明,13857903456,2026-11-12,"￥1,280.50",刘芳,钙片\nSO-2,王兰,13857903457,2026-11-13,１２元,杨洋,鱼油\n');
    const or = await s.run(['orders', 'import', orders], { lang });
    expect(or.code).toBe(0);
    expect(s.query("SELECT order_no, amount_fen FROM orders WHERE source != 'event' ORDER BY order_no")).toEqual([
      { order_no: 'SO-1', amount_fen: 128050 },
      { order_no: 'SO-2', amount_fen: 1200 },
    ]);
    const fu = s.file('回访.csv', '客户姓名,手机号码,回访岗位,回访时间,回访形式,回访员,回访情况\n冯明,13857903456,销售员,2026-11-12,电访,刘芳,已提醒按时服用\n');
    const f = await s.run(['followups', 'import', fu], { lang });
    expect(f.code).toBe(0);
    expect(s.query('SELECT method, note FROM followups')).toEqual([{ method: 'phone', note: '已提醒按时服用' }]);
  });

  it.each(['zh', 'en'] as const)('trips and expenses: 开发市场, 公司派车, 滴滴 at 晚上8点半, √ (%s)', async (lang) => {
    const s = await sandboxes.roster(AS_OF);
    const trips = s.file(
      '出差登记.csv',
      '出差单号,出差人姓名,出差日期,返程日期,出差区域,出差原因,拜访单位,部门审核人,总经理审批,是否派车,预支金额（元）\n' + 'T1,刘芳,2026-11-03 07:30,2026-11-04 19:00,省内,开发市场,义乌福寿,王志强,周建国,没有,200元\n',
    );
    const tr = await s.run(['trips', 'import', trips], { lang });
    expect(tr.stderr).not.toMatch(/\brow \d|第 \d+ 行，/);
    expect(tr.code).toBe(0);
    expect(s.query('SELECT purpose, transport_provided, advance_fen FROM trips')).toEqual([{ purpose: 'new_market', transport_provided: null, advance_fen: 20000 }]);
    const lines = s.file('费用明细.csv', '出差单号,消费日期,上车时间,费用项目,票价（元）,有无正式发票,乘车原因,上车地点,下车地点\n' + 'T1,2026-11-03,晚上8点半,滴滴,３５元,√,夜间,义乌站,酒店\n' + 'T1,2026-11-04,,客车,42.5元,√,,,\n');
    const ex = await s.run(['expenses', 'import', lines], { lang });
    expect(ex.code).toBe(0);
    expect(s.query('SELECT kind, time, amount_fen, receipt, reason FROM expenses ORDER BY line_no')).toEqual([
      { kind: 'taxi', time: '20:30', amount_fen: 3500, receipt: 1, reason: 'night' },
      { kind: 'bus', time: null, amount_fen: 4250, receipt: 1, reason: null },
    ]);
    // the night taxi is paid: its time was read as 20:30
    const al = await s.run(['--format', 'json', 'allowance', '--trip', 'T1']);
    const taxi = (JSON.parse(al.stdout) as { lines: { kind: string; reimbursable: number }[] }[])[0].lines.find((l) => l.kind === 'taxi');
    expect(taxi?.reimbursable).toBe(35);
  });
});

describe('a missing column is named with every header it may have', () => {
  it('in Chinese: the template header, then the key and every Chinese alias', async () => {
    const s = await sandboxes.roster(AS_OF);
    const r = await s.run(['orders', 'import', s.file('o.csv', '订单号,客户姓名,手机号码,成交日期\nSO-1,冯明,13857903456,2026-11-12\n')], { lang: 'zh' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('o.csv 缺少必填列：金额；未读取任何行。表头写成以下任一名称即可识别：');
    expect(r.stderr).toMatch(/\n {2}金额：amount、金额、订单金额、销售金额、成交金额/);
    expect(s.query('SELECT count(*) AS n FROM orders')).toEqual([{ n: 0 }]);
  });

  it('in English: the key, then the key and every Chinese alias; one line per missing column', async () => {
    const s = await sandboxes.roster(AS_OF);
    const r = await s.run(['survey', 'import', s.file('s.csv', '客户姓名,地址\n冯明,浦江县\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('s.csv lacks the required columns: phone, collector, collected_on; nothing was read. A column is recognised by any of these headers:');
    expect(r.stderr).toMatch(/\n {2}phone: phone, 电话, 手机, 联系电话, 手机号, 电话号码, mobile, 手机号码, 联系方式/);
    expect(r.stderr).toMatch(/\n {2}collector: collector, 收集人, 满意代表, .*采集人/);
    expect(r.stderr).toMatch(/\n {2}collected_on: collected_on, 收集日期, 填表日期, 日期, 调查日期/);
  });
});

describe('a row error names the column as the file writes it', () => {
  it.each(['zh', 'en'] as const)('电话, on stderr and in the rejects file (%s)', async (lang) => {
    const s = await sandboxes.roster(AS_OF);
    const f = s.file('s.csv', '姓名,电话,收集人,收集日期\n冯明,12345,刘芳,2026-11-03\n王兰,13857903457,刘芳,2026-11-04\n');
    const rejects = `${s.dir}/rejects.csv`;
    const r = await s.run(['survey', 'import', f, '--skip-invalid', '--rejects', rejects], { lang });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(lang === 'zh' ? '第 2 行，电话「12345」：' : 'row 2, 电话 "12345": ');
    expect(r.stderr).not.toMatch(/\bphone\b/);
    const text = fs.readFileSync(rejects, 'utf8');
    // the rejects file in the clerk's language too: its error column and the text in it
    expect(text.split('\r\n')[0]).toBe(lang === 'zh' ? '\ufeff姓名,电话,收集人,收集日期,错误原因' : '\ufeff姓名,电话,收集人,收集日期,error');
    expect(text).toContain(lang === 'zh' ? '电话：不是有效的手机号' : '电话: not a mobile');
  });

  it.each(['zh', 'en'] as const)('a column the file lacks is named by the template header of the language (%s)', async (lang) => {
    const s = await sandboxes.roster(AS_OF);
    // neither customer nor phone: the error names the customer column, which the file does not have
    const r = await s.run(['events', 'import', s.file('e.csv', '客户姓名,活动日期,是否购买\n冯明,2026-11-10,是\n')], { lang });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(lang === 'zh' ? '第 2 行，顾客编号「」' : 'row 2, customer ""');
  });
});

describe('a phone Excel wrote as 1.3857E+10 is refused with how to fix the sheet', () => {
  it('in Chinese', async () => {
    const s = await sandboxes.roster(AS_OF);
    const r = await s.run(['survey', 'import', s.file('s.csv', '客户姓名,手机号码,采集人,调查日期\n冯明,1.38579E+10,刘芳,2026-11-03\n')], { lang: 'zh' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('第 2 行，手机号码「1.38579E+10」：Excel 把这一列存成了数字，并以科学计数法保存，后几位数字已经丢失');
    expect(r.stderr).toContain('选中这一列 → 右键“设置单元格格式” → “文本”，重新输入或从原表粘贴这些号码，然后再另存为 CSV');
  });

  it('in English, for an order number too', async () => {
    const s = await sandboxes.roster(AS_OF);
    const r = await s.run(['orders', 'import', s.file('o.csv', 'order_no,phone,order_date,amount\n2.02611E+13,1.3857E+10,2026-11-12,10\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('row 2, order_no "2.02611E+13": Excel stored this column as a number and wrote it in scientific notation: the last digits are lost');
    expect(r.stderr).toContain('row 2, phone "1.3857E+10": Excel stored this column as a number');
    expect(r.stderr).toContain('select the column → Format Cells → Text, type or paste the numbers again');
  });
});

describe('a date without a year is read in a year the import says', () => {
  it('in Chinese, once for all the rows, also in a dry run', async () => {
    const s = await sandboxes.roster(AS_OF);
    const rows = ['冯明,13857903456,刘芳,11月3日', '王兰,13857903457,刘芳,2026-11-04', '张三,13857903458,刘芳,11月5号', '李四,13857903459,刘芳,12月20日'];
    const f = s.file('s.csv', '客户姓名,手机号码,采集人,调查日期\n' + rows.join('\n') + '\n');
    const dry = await s.run(['survey', 'import', f, '--dry-run'], { lang: 'zh' });
    expect(dry.code).toBe(0);
    // 12月20日 is after --as-of 2026-12-15: the one before, 2025
    expect(dry.stderr).toContain('提示：第 2、4 行的“调查日期”没有年份，按 2026 年读取（共 2 行）');
    expect(dry.stderr).toContain('提示：第 5 行的“调查日期”没有年份，按 2025 年读取（共 1 行）');
    const r = await s.run(['survey', 'import', f], { lang: 'zh' });
    expect(r.stderr).toContain('提示：第 2、4 行的“调查日期”没有年份，按 2026 年读取（共 2 行）');
    expect(s.query('SELECT collected_on FROM customers ORDER BY phone')).toEqual([
      { collected_on: '2026-11-03' },
      { collected_on: '2026-11-04' },
      { collected_on: '2026-11-05' },
      { collected_on: '2025-12-20' },
    ]);
  });

  it('in English; and a time dropped from a date column is said', async () => {
    const s = await sandboxes.roster(AS_OF);
    // events need customers: import them first
    const sv = 'name,phone,collector,collected_on\n' + Array.from({ length: 7 }, (_, i) => `客${i},13857903${450 + i},R1,2026-11-01`).join('\n') + '\n';
    expect((await s.run(['survey', 'import', s.file('s.csv', sv)])).code).toBe(0);
    const ev = 'phone,event_date,purchased\n' + Array.from({ length: 7 }, (_, i) => `13857903${450 + i},11月${10 + i}日,${i % 2 ? '√' : '×'}`).join('\n') + '\n13857903450,2026-11-20 14:30,√\n';
    const r = await s.run(['events', 'import', s.file('ev.csv', ev)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('notice: event_date in rows 2, 3, 4, 5, 6, … has no year; read as 2026 (7 rows)');
    expect(r.stderr).toContain('notice: event_date in row 9 has a time of day, which was dropped: the column takes a date (1 row)');
  });
});

describe("an expense line's date without a year takes its trip's year", () => {
  it.each(['zh', 'en'] as const)('a trip over New Year, its lines imported in February (%s)', async (lang) => {
    const s = await sandboxes.roster('2026-02-01');
    expect((await s.run(['trips', 'import', s.file('t.csv', 'trip_no,staff,start,end,scope\nT1,R1,2025-12-30,2026-01-02,in_province\n')])).code).toBe(0);
    const r = await s.run(['expenses', 'import', s.file('x.csv', '出差单号,日期,费用类别,金额,正式发票\nT1,12月31日,汽车,30,是\nT1,1月2日,汽车,30,是\n')], { lang });
    expect(r.code).toBe(0);
    expect(s.query('SELECT date FROM expenses ORDER BY line_no')).toEqual([{ date: '2025-12-31' }, { date: '2026-01-02' }]);
    expect(r.stderr).toContain(lang === 'zh' ? '提示：第 2 行的“日期”没有年份，按 2025 年读取（共 1 行）' : 'notice: 日期 in row 2 has no year; read as 2025 (1 row)');
    expect(r.stderr).toContain(lang === 'zh' ? '提示：第 3 行的“日期”没有年份，按 2026 年读取（共 1 行）' : 'notice: 日期 in row 3 has no year; read as 2026 (1 row)');
  });
});

describe('the next step names the month the imported trips and lines are in', () => {
  it.each(['zh', 'en'] as const)('trips and expenses of November 2026, imported on 2026-12-15 (%s)', async (lang) => {
    const s = await sandboxes.roster(AS_OF);
    const trips = s.file('t.csv', 'trip_no,staff,start,end,scope\nT1,R1,2026-10-08,2026-10-09,in_province\nT2,R1,2026-11-03,2026-11-04,in_province\n');
    const tr = await s.run(['trips', 'import', trips], { lang });
    expect(tr.code).toBe(0);
    expect(tr.stderr).toContain(lang === 'zh' ? '下一步：salesops allowance --month 2026-11' : 'next: salesops allowance --month 2026-11');
    expect(tr.stderr).not.toContain('2026-12');
    const lines = s.file('x.csv', 'trip_no,date,kind,amount,receipt\nT1,2026-10-08,bus,30,Y\n');
    const ex = await s.run(['expenses', 'import', lines], { lang });
    expect(ex.code).toBe(0);
    expect(ex.stderr).toContain(lang === 'zh' ? '下一步：salesops allowance --month 2026-10' : 'next: salesops allowance --month 2026-10');
    // the month named has the trips
    const al = await s.run(['--format', 'json', 'allowance', '--month', '2026-10']);
    expect((JSON.parse(al.stdout) as { trip_no: string }[]).map((t) => t.trip_no)).toEqual(['T1']);
  });
});
