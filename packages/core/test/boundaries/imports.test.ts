import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// core is the pure compiler: it must not do I/O, depend on the OVSDB driver or the CLI, or read a
// hidden clock or random source (STYLE.md: inject them), so the same input gives the same rows.
const coreSrc = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const importRe = /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const builtin = /^(node:|fs$|net$|tls$|child_process$|path$|os$|crypto$|http$|https$|process$)/;
/** Clocks and random sources: `Date.now()`, `new Date()` without an argument, `performance.now()`, `Math.random()`. */
const hidden = /\bDate\.now\b|\bnew Date\(\s*\)|\bperformance\.now\b|\bMath\.random\b/g;

/** What in one core source breaks the boundary, as `file: what`. */
function offendersIn(file: string, text: string): string[] {
  const where = relative(coreSrc, file);
  const offenders: string[] = [];
  for (const m of text.matchAll(importRe)) {
    const spec = (m[1] ?? m[2] ?? m[3])!;
    const outsideCore = spec.startsWith('.') && relative(coreSrc, resolve(dirname(file), spec)).startsWith('..');
    if (builtin.test(spec) || (spec.startsWith('@ovn-nbgen/') && !spec.startsWith('@ovn-nbgen/core')) || outsideCore) {
      offenders.push(`${where}: ${spec}`);
    }
  }
  if (/\bprocess\.(env|argv|exit|stdout|stderr)\b/.test(text)) offenders.push(`${where}: process.*`);
  for (const m of text.matchAll(hidden)) offenders.push(`${where}: ${m[0]}`);
  return offenders;
}

describe('packages/core import boundary', () => {
  it('imports nothing from node:*, fs/net-like builtins, other packages (by name or by path); reads no clock or random source', () => {
    const offenders = sourceFiles(coreSrc).flatMap((file) => offendersIn(file, readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('would catch each kind of breach', () => {
    const file = join(coreSrc, 'netpol/example.ts');
    const text = [
      "import { readFileSync } from 'node:fs';",
      "import { OvsdbClient } from '@ovn-nbgen/ovsdb';",
      "import { run } from '@ovn-nbgen/cli';",
      "import { Reconciler } from '../../../ovsdb/src/index.js';",
      "import '../../../cli/src/main.js';",
      "const later = () => import('../../../ovsdb/src/live/index.js');",
      "import { ovnName } from '../naming/ovnName.js';", // inside core: fine
      "import { compile } from '@ovn-nbgen/core';", // core itself by name: fine
      'const started = Date.now();',
      'const today = new Date();',
      "const fixed = new Date('2026-01-01');", // a given instant: fine
      'const t = performance.now();',
      'const id = Math.random();',
    ].join('\n');
    expect(offendersIn(file, text)).toEqual([
      'netpol/example.ts: node:fs',
      'netpol/example.ts: @ovn-nbgen/ovsdb',
      'netpol/example.ts: @ovn-nbgen/cli',
      'netpol/example.ts: ../../../ovsdb/src/index.js',
      'netpol/example.ts: ../../../cli/src/main.js',
      'netpol/example.ts: ../../../ovsdb/src/live/index.js',
      'netpol/example.ts: Date.now',
      'netpol/example.ts: new Date()',
      'netpol/example.ts: performance.now',
      'netpol/example.ts: Math.random',
    ]);
  });
});
