// Bundles the compiled CLI (dist/, from tsc) into ESM chunks in bundle/, which bin/nbgen.js runs.
// Why: loaded module by module, `nbgen export` spends most of its start-up resolving and parsing
// ~200 files (95 of them zod's, whose entry imports every locale); one chunk per command, shared
// code split out, starts in about half the CPU time (bench/startup). The chunks keep the lazy
// loading of dist/: each command's code is its own chunk, imported on demand.
// Usage: node packages/cli/scripts/bundle.mjs (run by `npm run build` and the package's prepack).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const cliRoot = join(import.meta.dirname, '..');
const outdir = join(cliRoot, 'bundle');
rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: cliRoot,
  entryPoints: ['dist/main.js'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  // Names stay readable for stack traces of internal errors (exit 3).
  minifyIdentifiers: false,
  chunkNames: 'chunks/[name]-[hash]',
  // Which dist/ modules and dependencies went into each chunk: packages/cli/test/lazyLoading.test.ts
  // checks through it that a command loads only what it needs.
  metafile: true,
  logLevel: 'warning',
  // yaml ships CommonJS that requires node builtins; in an ES module they need a require of its own.
  banner: { js: "import { createRequire as __nbgenCreateRequire } from 'node:module'; const require = __nbgenCreateRequire(import.meta.url);" },
});
writeFileSync(join(outdir, 'meta.json'), `${JSON.stringify(metafile, null, 1)}\n`);
