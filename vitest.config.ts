import { defineConfig } from 'vitest/config';

// One runner, four projects: pure libraries (fast, in Node), D1 query helpers and routes called in
// the test process on a real D1 (workerd through wrangler's getPlatformProxy, decision 0807), the
// API as a running Worker on real workerd + D1, and the web client in real Chromium. `npm test`
// runs them all.
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
          name: 'd1',
          include: ['tests/d1/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
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
