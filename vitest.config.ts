import { defineConfig } from 'vitest/config';

// Node-side tests sit next to the code; the worker's tests run inside workerd through their own
// project config (apps/worker/vitest.config.ts), picked up by the glob below.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['packages/*/src/**/*.test.ts', 'sdk/src/**/*.test.ts', 'apps/cli/src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      'apps/*/vitest.config.ts',
    ],
  },
});
