import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every `ferry` the tests spawn runs the sources in src/, never a dist/ build (bin/entry.js).
    env: { FERRY_FROM_SOURCE: '1' },
  },
});
