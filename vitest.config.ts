import { defineConfig } from 'vitest/config';

/**
 * The end-to-end files run on PostgreSQL too (issue 19), by `npm test`: every command at least
 * once, the day's work, the rules, the guards, output and input in both languages. The rest of
 * the end-to-end files run there with SALESOPS_TEST_PG_REST=1 (.ci/run does it after `npm test`),
 * to keep `npm test` within its three minutes on two cores.
 */
const ON_POSTGRES = [
  'foundation', 'followups', 'kpi', 'assign', 'report', 'trips', 'sealed', 'changes',
  'customerLookup', 'checkTriggers', 'pgMaintenance', 'chineseCli',
];
/**
 * Never on PostgreSQL: what only a SQLite file has — restoring a file (a server's is pg_restore:
 * pgMaintenance), upgrading files of older schemas (a server's database starts at schema 7), a
 * file's WAL under SIGKILL (the server's faults: pgFaults, pgConcurrency), a file's backup and
 * the demo's file — and the tests of the server itself, which run once whatever the engine.
 */
const SQLITE_ONLY = ['restore', 'migration', 'reliability', 'noClobber', 'demo', 'dbCopy', 'serverAddress', 'pgFaults', 'pgConcurrency', 'pgPrivileges', 'pgSecrets'];
/** SALESOPS_TEST_PG_REST=1 (.ci/run, after npm test): the other end-to-end files, on PostgreSQL. */
const REST = process.env.SALESOPS_TEST_PG_REST === '1';
const e2e = (names: string[]) => names.map((n) => `test/e2e/${n}.test.ts`);

export default defineConfig({
  test: {
    // a PostgreSQL server for the tests on that engine (issue 19), or why there is none
    globalSetup: ['test/pgServer.ts'],
    // Most end-to-end runs are in the worker (test/e2e/inProcess.ts) and keep a core busy;
    // the rest wait on the binary's processes: two files at once use both cores (vitest's
    // default on 2 cores is one).
    maxWorkers: 2,
    minWorkers: 1,
    // a worker is a process of its own: an in-process run changes the working directory
    // (process.chdir, which worker threads do not have) and the environment while it runs
    pool: 'forks',
    // Hang guards only, never a verdict on speed: no test may pass or fail with the load of
    // the machine (a loaded single core runs the suite several times slower).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    projects: [
      // (include is each project's own: extended from the root, vitest would add the lists up)
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: REST ? ['test/e2e/**/*.test.ts'] : e2e(ON_POSTGRES),
          exclude: e2e(REST ? [...SQLITE_ONLY, ...ON_POSTGRES] : SQLITE_ONLY),
          env: { SALESOPS_TEST_ENGINE: 'postgres' },
        },
      },
    ],
    server: {
      deps: {
        // the built CLI, run in process by the end-to-end harness, loaded by Node as the
        // binary loads it: untransformed, and its import worker a real file beside it
        external: [/\/dist\//],
      },
    },
  },
});
