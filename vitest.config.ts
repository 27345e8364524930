import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    // Tests are deterministic; the timeout only guards against hangs. Some property and fuzz tests
    // run hundreds of simulations and may take seconds on a busy 2-core machine.
    testTimeout: 120_000,
  },
});
