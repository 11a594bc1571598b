import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

// Tests import the sources, but the ones that spawn bin/nbgen.js (and the packed-tarball test) run
// the build: dist/, bundled into packages/cli/bundle/. `tsc -b` rebuilds only packages whose
// sources changed (a no-op check costs well under a second) and the bundle takes a fraction of a
// second, so those tests never run a stale build after an edit.
export default function buildPackages(): void {
  const repoRoot = resolve(import.meta.dirname, '../..');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
  execFileSync(process.execPath, ['packages/cli/scripts/bundle.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}
