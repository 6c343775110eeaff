// `npm run test:faults`: the fault suite, apart from `npm test` (its files end in .fault.ts, which the
// root config does not pick up). One scenario at a time: each starts its own PostgreSQL, platform
// process and emulator, and they measure recovery, which contention on two cores only slows down.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/platform/test/faults/**/*.fault.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
    minWorkers: 1,
  },
});
