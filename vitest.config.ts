import { defineConfig } from 'vitest/config';

// Two projects: `fast` is the inner loop (pure code, in-memory NB); `ovn` starts the real
// ovsdb-server / ovn-northd / ovn-trace and is what CI runs in addition. Real-OVN test files are
// named `*.ovn.test.ts` so the split is visible from the file tree.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'fast',
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.ovn.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'ovn',
          include: ['packages/*/test/**/*.ovn.test.ts', 'test/**/*.ovn.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Real daemons are CPU-bound on a 2-core machine: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
