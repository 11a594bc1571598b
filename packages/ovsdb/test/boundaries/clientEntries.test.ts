import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The client a controller imports (the package root and every subpath but `/memory`) stays small: the
// in-memory server (src/memory/, a test tool of some 3,000 lines) is only reachable through its
// own subpath. Proven on the sources' module graph, walked from the entry points the exports map
// names: every import and re-export counts, `import type` and dynamic `import()` included.
const packageRoot = join(import.meta.dirname, '../..');
const exportsMap = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
  exports: Record<string, { '@ovn-nbgen/source': string }>;
}).exports;

const specifierPattern = /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

/** Package-relative paths of the source files `file` imports; other packages' names as they are written. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(packageRoot, file), 'utf8');
  return [...text.matchAll(specifierPattern)].map((m) => {
    const specifier = (m[1] ?? m[2] ?? m[3]) as string;
    if (!specifier.startsWith('.')) return specifier;
    const target = resolve(packageRoot, dirname(file), specifier.replace(/\.js$/, '.ts'));
    if (!existsSync(target)) throw new Error(`${file}: cannot resolve ${specifier}`);
    return relative(packageRoot, target);
  });
}

/** Every module reachable from `entry` (a package-relative source path). */
function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const target of importsOf(file)) {
      if (target.startsWith('src/')) pending.push(target);
      else seen.add(target);
    }
  }
  return seen;
}

const isInMemoryServer = (module: string) => module.startsWith('src/memory/') || module.startsWith('@ovn-nbgen/ovsdb/memory');

const clientEntries = Object.keys(exportsMap).filter((subpath) => subpath !== './memory');

describe('the client entry points do not load the in-memory server', () => {
  it('the root entry is the client', () => {
    expect([...reachableFrom((exportsMap['.']?.['@ovn-nbgen/source'] as string).replace(/^\.\//, ''))]).toContain('src/client/client.ts');
  });

  it.each(clientEntries.map((subpath) => [subpath]))('%s reaches no module of src/memory/', (subpath) => {
    const entry = exportsMap[subpath]?.['@ovn-nbgen/source'] as string;
    expect([...reachableFrom(entry.replace(/^\.\//, ''))].filter(isInMemoryServer)).toEqual([]);
  });

  it('the walk finds the in-memory server from its own subpath, down to a server-side connection', () => {
    const entry = (exportsMap['./memory']?.['@ovn-nbgen/source'] as string).replace(/^\.\//, '');
    expect([...reachableFrom(entry)].filter(isInMemoryServer)).toEqual(expect.arrayContaining(['src/memory/server.ts', 'src/memory/serverConnection.ts', 'src/memory/datum.ts']));
  });
});
