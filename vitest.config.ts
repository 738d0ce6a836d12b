import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
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
    server: {
      deps: {
        // the built CLI, run in process by the end-to-end harness, loaded by Node as the
        // binary loads it: untransformed, and its import worker a real file beside it
        external: [/\/dist\//],
      },
    },
  },
});
