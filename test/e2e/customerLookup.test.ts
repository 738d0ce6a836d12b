/**
 * Issue 15: a CUSTOMER argument (customers show, followups done/add, assign set…) that names
 * several customers lists each with its real id, name and district (masked as a listing,
 * SPEC §5) and exits 2; `--name` reads `冯 明`, `冯　明` and `冯明` as one name.
 */
import { describe, expect, it } from 'vitest';
import { sandboxesPerTest, type Sandbox } from './harness.js';

const sandboxes = sandboxesPerTest();

/**
 * Eleven customers; #5 冯明 and #11 冯丽 share the landline 0579-84123456 (one household), #7
 * 陈13912345678 (a phone typed into the name) and #8 陈芳 share 13500000007.
 */
async function household(): Promise<Sandbox> {
  const s = await sandboxes.roster();
  const rows = [
    'S01,赵一,13500000001,330726',
    'S02,钱二,13500000002,330726',
    'S03,孙三,13500000003,330726',
    'S04,李四,13500000004,330726',
    'S05,冯明,0579-84123456,330726',
    'S06,周六,13500000006,330726',
    'S07,陈13912345678,13500000007,330702',
    'S08,陈芳,135 0000 0007,',
    'S09,郑九,13500000009,330726',
    'S10,王十,13500000010,330726',
    'S11,冯丽,0579 8412 3456,330702',
  ];
  const r = await s.run(['survey', 'import', s.file('surveys.csv', `survey_no,name,phone,district,collector,collected_on\n${rows.map((x) => `${x},R1,2024-05-01`).join('\n')}\n`)]);
  expect(r.code, r.stderr).toBe(0);
  expect(s.query("SELECT customer_id, name FROM customers WHERE phone = '057984123456' ORDER BY customer_id")).toEqual([
    { customer_id: 5, name: '冯明' },
    { customer_id: 11, name: '冯丽' },
  ]);
  return s;
}

describe('a phone several customers share', () => {
  it('customers show lists each customer with its id, name and district, and exits 2 (en)', async () => {
    const s = await household();
    const r = await s.run(['customers', 'show', '0579-84123456']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: 0579-84123456 is the phone of 2 customers:\n' +
        '  #5  冯明  330726 浦江县\n' +
        '  #11  冯丽  330702 婺城区\n' +
        'what to do: give the customer id instead of the phone (e.g. 5), or add --name NAME\n',
    );
    // the hint names a customer that is there, never a made-up one
    expect(r.stderr).not.toContain('#12');
  });

  it('says it in Chinese with --lang zh', async () => {
    const s = await household();
    const r = await s.run(['--lang', 'zh', 'customers', 'show', '0579 8412 3456']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('电话 0579 8412 3456 对应 2 位顾客：\n  #5  冯明  330726 浦江县\n  #11  冯丽  330702 婺城区\n');
    expect(r.stderr).toContain('请改用顾客编号（如 5），或加上 --name 姓名');
  });

  it('masks a phone number typed into a name, and says "district unknown" when there is none (§5)', async () => {
    const s = await household();
    for (const [lang, unknown] of [['en', 'district unknown'], ['zh', '地区不详']]) {
      const r = await s.run(['--lang', lang, 'customers', 'show', '13500000007']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('  #7  陈139****5678  330702 婺城区\n');
      expect(r.stderr).toContain(`  #8  陈芳  ${unknown}\n`);
      expect(r.stderr).not.toContain('13912345678');
    }
  });

  it('the id or --name picks one; --name ignores every kind of space and full-width forms', async () => {
    const s = await household();
    for (const args of [['5'], ['#5'], ['0579-84123456', '--name', '冯明'], ['0579-84123456', '--name', '冯 明'], ['０５７９－８４１２３４５６', '--name', '冯\u3000明'], ['057984123456', '--name', '\u200b冯\u00a0明 ']]) {
      const r = await s.run(['--format', 'json', 'customers', 'show', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ customer_id: 5, name: '冯明' });
    }
    const r = await s.run(['--lang', 'zh', '--format', 'json', 'customers', 'show', '0579-84123456', '--name', '冯　丽']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ customer_id: 11, name: '冯丽' });
    // the card: a Chinese label with the full-width colon, an English one with ': '
    expect((await s.run(['--lang', 'zh', 'customers', 'show', '11'])).stdout).toMatch(/^编号：11\n姓名：冯丽\n/);
    expect((await s.run(['customers', 'show', '11'])).stdout).toMatch(/: 11\n.*: 冯丽\n/);
  });

  it('followups done: the same list and exit 2, nothing recorded (en)', async () => {
    const s = await household();
    const r = await s.run(['followups', 'done', '0579-84123456', '--role', 'rep', '--method', 'phone', '--note', '电话回访', '--on', '2024-07-30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('0579-84123456 is the phone of 2 customers:\n  #5  冯明  330726 浦江县\n  #11  冯丽  330702 婺城区\n');
    expect(r.stderr).toContain('(e.g. 5), or add --name NAME');
    expect(s.query('SELECT count(*) AS n FROM followups')).toEqual([{ n: 0 }]);
    const ok = await s.run(['followups', 'done', '0579-84123456', '--name', '冯 丽', '--role', 'rep', '--method', 'phone', '--note', '电话回访', '--on', '2024-07-30']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(s.query('SELECT customer_id FROM followups')).toEqual([{ customer_id: 11 }]);
  });

  it('assign set and followups add: the same in Chinese, nothing changed', async () => {
    const s = await household();
    const set = await s.run(['--lang', 'zh', 'assign', 'set', '0579-84123456', 'R2', '--reason', '经理指定']);
    expect(set.code).toBe(2);
    expect(set.stderr).toContain('电话 0579-84123456 对应 2 位顾客：\n  #5  冯明  330726 浦江县\n  #11  冯丽  330702 婺城区\n');
    expect(s.query('SELECT count(*) AS n FROM assignments')).toEqual([{ n: 0 }]);
    expect(s.query('SELECT owner_id, pinned FROM customers WHERE customer_id IN (5, 11)')).toEqual([
      { owner_id: null, pinned: 0 },
      { owner_id: null, pinned: 0 },
    ]);
    const add = await s.run(['--lang', 'zh', 'followups', 'add', '0579-84123456', '--role', 'rep', '--due', '2024-08-05', '--note', '带资料上门']);
    expect(add.code).toBe(2);
    expect(add.stderr).toContain('  #11  冯丽  330702 婺城区\n');
    expect(s.query('SELECT count(*) AS n FROM tasks')).toEqual([{ n: 0 }]);
  });

  it('with --name and still several (one person entered twice): the ids, and where to resolve it', async () => {
    const s = await household();
    // as an import before issue 15 stored it: the name with an ideographic space
    s.exec("INSERT INTO customers (name, phone, district, collector_id, collected_on) VALUES ('冯\u3000明', '057984123456', '330726', 'R1', '2024-04-01')");
    const en = await s.run(['customers', 'show', '0579-84123456', '--name', '冯明']);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('0579-84123456 with the name 冯明 is 2 customers:\n  #5  冯明  330726 浦江县\n  #12  冯\u3000明  330726 浦江县\n');
    expect(en.stderr).toContain('give the customer id instead of the phone (e.g. 5); the same name more than once');
    expect(en.stderr).toContain('salesops customers duplicates');
    const zh = await s.run(['--lang', 'zh', 'customers', 'show', '0579-84123456', '--name', '冯明']);
    expect(zh.code).toBe(2);
    expect(zh.stderr).toContain('电话 0579-84123456、姓名 冯明 对应 2 位顾客：');
    expect(zh.stderr).toContain('请改用顾客编号（如 5）；姓名相同：如果是同一人重复录入，可用 `salesops customers duplicates` 查看');
  });

  it('an archived record is passed over when the phone has one customer that is not archived', async () => {
    const s = await household();
    const a = await s.run(['customers', 'archive', '11', '--reason', '已搬走']);
    expect(a.code, a.stderr).toBe(0);
    const r = await s.run(['--format', 'json', 'customers', 'show', '0579-84123456']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ customer_id: 5 });
    // by its id it is still there, with the reason
    const old = await s.run(['--lang', 'zh', 'customers', 'show', '11']);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stdout).toContain('归档日期：2024-07-31');
    expect(old.stdout).toContain('归档原因：已搬走');
    // an import that names the customer by the phone alone means the live one too
    const fu = await s.run(['followups', 'import', s.file('fu.csv', 'phone,role,done_on,method,note\n0579-84123456,rep,2024-07-30,phone,电话回访\n')]);
    expect(fu.code, fu.stderr).toBe(0);
    expect(s.query('SELECT customer_id FROM followups')).toEqual([{ customer_id: 5 }]);
  });
});
