import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Crash and concurrency tests spawn real processes; keep workers few on 2-core CI.
    maxWorkers: 2,
  },
});
