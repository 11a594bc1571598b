import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// No import cycles in packages/*/src: a cycle makes module order matter (a value read before its
// module ran is undefined) and two files that need each other are one concept split in two. The
// walk reads every relative import and re-export of the sources (static, dynamic and `import type`:
// a type-only cycle is still two files that cannot be understood apart) and reports each strongly
// connected group of files.

const repoRoot = resolve(import.meta.dirname, '../..');


function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"](\.[^'"]+)['"]|^\s*import\s*['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/gm;

/** Each source file and the source files it imports (relative specifiers, `.js` → `.ts`). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      targets.add(existsSync(target) ? target : join(target.replace(/\.ts$/, ''), 'index.ts'));
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

/** The groups of files that import each other (Tarjan's strongly connected components of size > 1, or a self-import). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || graph.get(file)!.includes(file)) cycles.push(group.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

describe('import cycles', () => {
  it('packages/*/src has none', () => {
    const packagesDir = join(repoRoot, 'packages');
    const files = readdirSync(packagesDir)
      .map((pkg) => join(packagesDir, pkg, 'src'))
      .filter((src) => existsSync(src))
      .flatMap(sourceFiles);
    const cycles = cyclesOf(importGraph(files))
      .map((group) => group.map((file) => relative(packagesDir, file)).join(' '))
      .sort();
    expect(cycles).toEqual([]);
  });

  it('are found through type-only imports, re-exports, dynamic imports and multi-line imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nbgen-cycles-'));
    try {
      const files = {
        'a.ts': "import type {\n  B,\n} from './b.js';\nexport const a = 1;\n",
        'b.ts': "export { c as B } from './c.js';\n",
        'c.ts': "export const c = async () => (await import('./a.js')).a;\n",
        'd.ts': "import { a } from './a.js';\nimport './e.js';\n",
        'e.ts': "import './d.js';\n",
        'f.ts': "import { a } from './a.js';\n",
      };
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const cycles = cyclesOf(importGraph(Object.keys(files).map((name) => join(dir, name))));
      expect(cycles.map((group) => group.map((file) => relative(dir, file))).sort()).toEqual([
        ['a.ts', 'b.ts', 'c.ts'],
        ['d.ts', 'e.ts'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
