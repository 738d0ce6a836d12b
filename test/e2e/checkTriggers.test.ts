/**
 * `check` notices a protective trigger dropped or altered (§5: the audit log append-only,
 * customers never deleted or replaced — held by the schema, so a missing guard is a fault).
 */
import { describe, it, expect } from 'vitest';
import { sandboxesPerTest, type Sandbox } from './harness.js';

const GUARDS = [
  'audit_log_no_update', 'audit_log_no_delete', 'customers_no_delete', 'audit_log_no_replace', 'customers_no_replace', 'customers_keep_existing',
  'changes_no_update', 'changes_no_delete', 'changes_no_replace',
];

const sandboxes = sandboxesPerTest();

async function roster(): Promise<Sandbox> {
  const s = await sandboxes.roster();
  // a survey import lifts and recreates customers_keep_existing: it must come back exactly
  const r = await s.run(['survey', 'import', s.file('s.csv', 'name,phone,collector,collected_on\n甲,13500001111,R1,2024-05-01\n')]);
  expect(r.code, r.stderr).toBe(0);
  return s;
}

describe('check: the protective triggers', () => {
  it('is silent when every guard is there, as the migrations wrote it', async () => {
    const s = await roster();
    expect(s.query<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name").map((r) => r.name)).toEqual([...GUARDS].sort());
    const r = await s.run(['check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
  });

  for (const name of GUARDS) {
    it(`exits 1 naming ${name} when it is dropped`, async () => {
      const s = await roster();
      s.exec(`DROP TRIGGER ${name}`);
      const r = await s.run(['check', '--format', 'csv']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('protective_trigger');
      expect(r.stdout).toContain(`${name} missing`);
    });
  }

  it('exits 1 naming a guard replaced by one that lets everything through', async () => {
    const s = await roster();
    s.exec(
      `DROP TRIGGER audit_log_no_delete;
       CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN 0
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
    );
    const r = await s.run(['check', '--format', 'csv']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('audit_log_no_delete altered');
  });
});
