import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Crash and concurrency tests spawn real processes; keep workers few on 2-core CI.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['src/**/*.test.ts'], environment: 'node' },
      },
      {
        // The webview apps (React) run against a fake host in a simulated DOM.
        extends: true,
        plugins: [react()],
        test: {
          name: 'webview',
          include: ['webview-ui/src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['webview-ui/src/test/setup.ts'],
        },
      },
    ],
  },
});
