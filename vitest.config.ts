import { defineConfig } from 'vitest/config';

// One runner, three projects: pure libraries (fast, in Node), the API on real workerd + D1,
// and the web client in real Chromium. `npm test` runs all three.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'crypto/**/*.test.ts',
            'contingency-plans/**/*.test.ts',
            'model/**/*.test.ts',
            'fixtures/**/*.test.ts',
            'web/**/*.test.ts',
            'api/**/*.test.ts',
            'tests/support/**/*.test.ts',
            'tests/codebase/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-worker.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-worker.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
