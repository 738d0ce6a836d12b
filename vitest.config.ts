import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end files spend their time waiting on the binary's processes, not in the
    // worker: two files at once keep both cores busy (vitest's default on 2 cores is one).
    maxWorkers: 2,
    minWorkers: 1,
    // Hang guards only, never a verdict on speed: no test may pass or fail with the load of
    // the machine (a loaded single core runs the suite several times slower).
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
