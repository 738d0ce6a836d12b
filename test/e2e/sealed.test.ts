/**
 * §5 sealed data in free text, through the built binary: a phone or ID-card number typed into a
 * note never leaves in full without `--reveal` (GM approval, audited) — in `followups due`
 * (table, csv, json), `export tasks` and `customers show`; `customers show` keeps health and
 * follow-up notes sealed; `customers list` in a data format is an audited export.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { withRoster, type Sandbox } from './harness.js';

const NOTE = '新号码13911112222 身份证330726195001011234';
const SECRETS = ['13911112222', '330726195001011234'];
const MASKED = ['139****2222', '330726********1234'];
const HEALTH = '高血压，糖尿病';
const FOLLOWUP_NOTE = '血压偏高，家属电话0571-88881234';
const REVEAL = ['--reveal', '--approved-by', 'G1', '--reason', 'x'];

type Audit = { action: string; approved_by: string | null; reason: string | null; subject: string };

describe('phone and ID numbers typed into notes are masked in every view unless revealed (§5)', () => {
  let s: Sandbox;
  let customerId: number;
  const audits = () => s.query<Audit>('SELECT action, approved_by, reason, subject FROM audit_log ORDER BY audit_id');

  /** no full number or sealed text, the masked forms present */
  function expectMasked(out: string, sealed: string[] = []): void {
    for (const secret of [...SECRETS, '13812345678', ...sealed]) expect(out).not.toContain(secret);
    for (const m of MASKED) expect(out).toContain(m);
  }

  beforeAll(async () => {
    s = await withRoster();
    const steps = [
      await s.run([
        'survey',
        'import',
        s.file(
          'surveys.csv',
          `survey_no,name,gender,birth_year,phone,address,district,health,collector,collected_on\nA1,张三,男,1950,13812345678,浙江省金华市浦江县和平路1号,330726,${HEALTH},R1,2024-05-09\n`,
        ),
      ]),
      await s.run(['assign']),
      await s.run(['events', 'import', s.file('events.csv', 'phone,event_date,event,purchased\n13812345678,2024-07-20,7月联谊会,N\n')]),
      await s.run(['followups', 'done', '13812345678', '--role', 'rep', '--method', 'phone', '--note', FOLLOWUP_NOTE, '--on', '2024-07-22']),
    ];
    for (const r of steps) expect(r.code, r.stderr).toBe(0);
    customerId = s.query<{ customer_id: number }>('SELECT customer_id FROM customers')[0].customer_id;
    expect(audits()).toEqual([]);
  });
  afterAll(() => s.cleanup());

  it('followups add stores the note as typed and echoes it masked', async () => {
    const r = await s.run(['--format', 'json', 'followups', 'add', '13812345678', '--role', 'rep', '--due', '2024-08-02', '--note', NOTE]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).note).toBe('新号码139****2222 身份证330726********1234');
    expect(s.query('SELECT note FROM tasks WHERE plan = ?', 'manual')).toEqual([{ note: NOTE }]);
  });

  it('followups due as table, csv and json: masked, nothing audited', async () => {
    for (const format of ['table', 'csv', 'json']) {
      const r = await s.run(['--format', format, 'followups', 'due']);
      expect(r.code, r.stderr).toBe(0);
      expectMasked(r.stdout);
    }
    const rows = JSON.parse((await s.run(['--format', 'json', 'followups', 'due'])).stdout) as { note: string | null; phone: string }[];
    expect(rows.find((x) => x.note)).toMatchObject({ note: '新号码139****2222 身份证330726********1234', phone: '138****5678' });
    expect(audits()).toEqual([]);
  });

  it('followups due --reveal: the full note and phone, one reveal entry', async () => {
    const r = await s.run(['--format', 'json', 'followups', 'due', ...REVEAL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(NOTE);
    expect(r.stdout).toContain('13812345678');
    expect(audits().at(-1)).toMatchObject({ action: 'reveal', approved_by: 'G1', reason: 'x' });
    expect(audits().at(-1)!.subject).toMatch(/^followups due /);
    // without a gm's approval: a usage error, nothing shown, nothing audited
    const before = audits().length;
    const bad = await s.run(['--format', 'json', 'followups', 'due', '--reveal']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).not.toContain('13911112222');
    expect(audits()).toHaveLength(before);
  });

  it('export tasks (csv and json): masked and logged "(masked)"; --reveal shows the note with an approved entry', async () => {
    for (const format of ['csv', 'json']) {
      const before = audits().length;
      const r = await s.run(['--format', format, 'export', 'tasks']);
      expect(r.code, r.stderr).toBe(0);
      expectMasked(r.stdout);
      expect(audits().slice(before)).toEqual([{ action: 'export', approved_by: null, reason: null, subject: 'export tasks → stdout (masked)' }]);
    }
    const r = await s.run(['--format', 'csv', 'export', 'tasks', ...REVEAL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(NOTE);
    expect(audits().at(-1)).toEqual({ action: 'export', approved_by: 'G1', reason: 'x', subject: 'export tasks → stdout' });
  });

  it('export followups keeps the follow-up note sealed, as customers show does', async () => {
    const r = await s.run(['--format', 'json', 'export', 'followups']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('0571-88881234');
    expect(r.stdout).not.toContain('血压偏高');
  });

  it('customers show (text and json): numbers masked, health and follow-up notes sealed, not audited', async () => {
    const before = audits().length;
    const text = await s.run(['customers', 'show', '13812345678']);
    expect(text.code, text.stderr).toBe(0);
    expectMasked(text.stdout, [HEALTH, FOLLOWUP_NOTE, '88881234', '血压偏高']);
    expect(text.stdout).toContain('(sealed)');
    expect(text.stderr).toContain('--reveal --approved-by GM');
    const json = await s.run(['--format', 'json', 'customers', 'show', String(customerId)]);
    expect(json.code, json.stderr).toBe(0);
    expectMasked(json.stdout, [HEALTH, FOLLOWUP_NOTE, '88881234', '血压偏高']);
    const o = JSON.parse(json.stdout);
    expect(o).not.toHaveProperty('health');
    expect(o.followups).toHaveLength(1);
    expect(o.followups[0]).not.toHaveProperty('note');
    expect(o.tasks.find((x: { note: string | null }) => x.note).note).toBe('新号码139****2222 身份证330726********1234');
    expect(audits()).toHaveLength(before);
  });

  it('customers show --reveal: health, the follow-up note and the full numbers, with a reveal entry', async () => {
    const before = audits().length;
    const r = await s.run(['--format', 'json', 'customers', 'show', '13812345678', ...REVEAL]);
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o).toMatchObject({ phone: '13812345678', health: HEALTH });
    expect(o.followups[0].note).toBe(FOLLOWUP_NOTE);
    expect(r.stdout).toContain(NOTE);
    expect(audits().slice(before)).toEqual([{ action: 'reveal', approved_by: 'G1', reason: 'x', subject: `customer ${customerId}` }]);
    const text = await s.run(['customers', 'show', '13812345678', ...REVEAL]);
    expect(text.stdout).toContain(HEALTH);
    expect(text.stdout).toContain(FOLLOWUP_NOTE);
  });

  it('customers list in csv, tsv, json or jsonl is an export: one "(masked)" entry each; the table is a listing, not logged', async () => {
    let before = audits().length;
    const table = await s.run(['customers', 'list']);
    expect(table.code, table.stderr).toBe(0);
    expect(audits()).toHaveLength(before);
    for (const format of ['csv', 'tsv', 'json', 'jsonl']) {
      before = audits().length;
      const r = await s.run(['--format', format, 'customers', 'list']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('138****5678');
      expect(r.stdout).not.toContain('13812345678');
      expect(r.stdout).not.toContain(HEALTH);
      expect(r.stderr).toContain('audit log');
      const added = audits().slice(before);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ action: 'export', approved_by: null, reason: null });
      expect(added[0].subject).toMatch(/^customers list .* \(masked\)$/);
    }
    // a revealed list is logged once, as the reveal
    before = audits().length;
    const r = await s.run(['--format', 'csv', 'customers', 'list', ...REVEAL]);
    expect(r.stdout).toContain('13812345678');
    expect(audits().slice(before)).toEqual([expect.objectContaining({ action: 'reveal', approved_by: 'G1' })]);
  });

  it('the audit listing masks a number typed into a reason', async () => {
    const r = await s.run(['customers', 'show', '13812345678', '--reveal', '--approved-by', 'G1', '--reason', '家属13911112222来电核实']);
    expect(r.code, r.stderr).toBe(0);
    const listed = await s.run(['--format', 'json', 'audit']);
    expect(listed.stdout).toContain('家属139****2222来电核实');
    expect(listed.stdout).not.toContain('13911112222');
  });

  it('numbers written with dots, slashes, other groupings, prefixes or full-width digits are masked too; amounts and dates are not', async () => {
    const note = '手机139.1111.2222或139/1111/2222、13911 112222，(+86)13911112222，86-13911112222，１３９１１１１２２２２；家里0571 8888 139 1111 2222；2024-08-05收1,280元，¥3,980.00';
    const added = await s.run(['--format', 'json', 'followups', 'add', '13812345678', '--role', 'rep', '--due', '2024-08-03', '--note', note]);
    expect(added.code, added.stderr).toBe(0);
    const masked =
      '手机139****2222或139****2222、139****2222，(+86)139****2222，86-139****2222，139****2222；家里057************2222；2024-08-05收1,280元，¥3,980.00';
    expect(JSON.parse(added.stdout).note).toBe(masked);
    for (const format of ['json', 'csv', 'table']) {
      const r = await s.run(['--format', format, 'followups', 'due']);
      expect(r.code, r.stderr).toBe(0);
      // no 7 digits of the number in a row, whatever separates them
      const digits = r.stdout.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\-.()/+│|]/g, '');
      for (const w of ['1391111', '3911112', '9111122', '1111222', '1112222', '0571888', '5718888']) expect(digits, w).not.toContain(w);
    }
    const rows = JSON.parse((await s.run(['--format', 'json', 'followups', 'due'])).stdout) as { note: string | null }[];
    expect(rows.map((x) => x.note)).toContain(masked);
    expect(s.query('SELECT note FROM tasks WHERE due_by = ?', '2024-08-03')).toEqual([{ note }]);
  });
});
