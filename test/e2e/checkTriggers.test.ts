/**
 * `check` notices a protective trigger dropped or altered (§5: the audit log append-only,
 * customers never deleted or replaced — held by the schema, so a missing guard is a fault).
 * On a server (issue 19) the guards are PostgreSQL triggers (pg_trigger), and a trigger can
 * also be disabled, or the function they all call replaced: both are faults too.
 */
import { describe, it, expect } from 'vitest';
import { sandboxesPerTest, TEST_ENGINE, type Sandbox } from './harness.js';

const PG = TEST_ENGINE === 'postgres';

/** The guards each engine's schema holds (SQLite: migrations.ts; PostgreSQL: pg/schema.ts PG_GUARDS). */
const GUARDS = PG
  ? [
      'audit_log_no_update', 'audit_log_no_delete', 'audit_log_no_truncate', 'customers_no_delete', 'customers_no_truncate',
      'changes_no_update', 'changes_no_delete', 'changes_no_truncate',
    ]
  : [
      'audit_log_no_update', 'audit_log_no_delete', 'customers_no_delete', 'audit_log_no_replace', 'customers_no_replace', 'customers_keep_existing',
      'changes_no_update', 'changes_no_delete', 'changes_no_replace',
    ];

/** What `check` says on a server, whatever it finds: SQLite's storage checks have no meaning there. */
const PG_NOTE =
  "storage integrity: the server's (PostgreSQL checks its own pages and always enforces foreign keys; the administrator can run amcheck); the rules' invariants and the protective triggers were checked\n";

/** The guard's table, from its name. */
const tableOf = (name: string) => /^(audit_log|customers|changes)_/.exec(name)![1];

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
    const names = PG
      ? s.query<{ name: string }>('SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal ORDER BY name')
      : s.query<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name");
    expect(names.map((r) => r.name)).toEqual([...GUARDS].sort());
    const r = await s.run(['check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    // on a server, the one line that says what a server checks itself (--quiet: not even that)
    expect(r.stderr).toBe(PG ? PG_NOTE : '');
    const quiet = await s.run(['check', '--quiet']);
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
  });

  for (const name of GUARDS) {
    it(`exits 1 naming ${name} when it is dropped`, async () => {
      const s = await roster();
      s.exec(PG ? `DROP TRIGGER ${name} ON ${tableOf(name)}` : `DROP TRIGGER ${name}`);
      const r = await s.run(['check', '--format', 'csv']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('protective_trigger');
      expect(r.stdout).toContain(`${name} missing`);
    });
  }

  it('exits 1 naming a guard replaced by one that lets everything through', async () => {
    const s = await roster();
    s.exec(
      PG
        ? `CREATE OR REPLACE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW WHEN (false)
           EXECUTE FUNCTION salesops_refuse('audit_log is append-only')`
        : `DROP TRIGGER audit_log_no_delete;
       CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN 0
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
    );
    const r = await s.run(['check', '--format', 'csv']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('audit_log_no_delete altered');
  });

  // a server's own ways to silence a guard without dropping it (the owner's, never a clerk's)
  it.skipIf(!PG)('on a server: exits 1 naming a guard disabled, and the refusing function replaced', async () => {
    const s = await roster();
    s.exec('ALTER TABLE customers DISABLE TRIGGER customers_no_delete');
    const disabled = await s.run(['check', '--format', 'csv']);
    expect(disabled.code).toBe(1);
    expect(disabled.stdout).toContain('customers_no_delete disabled');
    s.exec('ALTER TABLE customers ENABLE TRIGGER customers_no_delete');
    s.exec('CREATE OR REPLACE FUNCTION salesops_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$');
    const replaced = await s.run(['check', '--format', 'csv']);
    expect(replaced.code).toBe(1);
    expect(replaced.stdout).toContain('protective_trigger,1,salesops_refuse altered');
  });
});
