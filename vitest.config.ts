import { defineConfig } from 'vitest/config';

// Three projects: `fast` is the inner loop (pure code, in-memory NB); `package` installs the packed
// tarballs in a fresh project; `ovn` starts the real ovsdb-server / ovn-northd / ovn-trace. CI runs
// all three. Real-OVN test files are named `*.ovn.test.ts` so the split is visible from the file tree.
//
// Tests run against the TypeScript sources, not dist/ (STYLE.md: tests import sources), so an edit
// is tested without a build: @ovn-nbgen/* resolve through their "@ovn-nbgen/source" export
// condition, the same one the root tsconfig's customConditions uses. A custom condition rather than
// an alias keeps the packages' exports maps the single place that says where each entry point is,
// subpaths (@ovn-nbgen/ovsdb/live) included; a name of our own (not "source" or "development")
// keeps dependencies that publish such conditions (zod has "@zod/source") on their builds.
// Tests that spawn bin/nbgen.js run the build, which globalSetup brings up to date first.
const sourceConditions = ['@ovn-nbgen/source'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          globalSetup: ['test/setup/buildPackages.ts'],
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.ovn.test.ts', 'test/package/**', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        // npm pack + npm install into a fresh project: a minute of npm and tsc, kept out of the inner loop.
        extends: true,
        test: {
          name: 'package',
          globalSetup: ['test/setup/buildPackages.ts'],
          include: ['test/package/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'ovn',
          globalSetup: ['test/setup/buildPackages.ts'],
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
