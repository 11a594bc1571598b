import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// core is the pure compiler: it must not do I/O or depend on the OVSDB driver (STYLE.md).
const coreSrc = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('packages/core import boundary', () => {
  it('imports nothing from node:*, fs/net-like builtins or @ovn-nbgen/ovsdb', () => {
    const offenders: string[] = [];
    const importRe = /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
    const builtin = /^(node:|fs$|net$|tls$|child_process$|path$|os$|crypto$|http$|https$|process$)/;
    for (const file of sourceFiles(coreSrc)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importRe)) {
        const spec = m[1] ?? m[2]!;
        if (builtin.test(spec) || spec.startsWith('@ovn-nbgen/ovsdb') || spec.startsWith('@ovn-nbgen/cli')) {
          offenders.push(`${relative(coreSrc, file)}: ${spec}`);
        }
      }
      if (/\bprocess\.(env|argv|exit|stdout|stderr)\b/.test(text)) offenders.push(`${relative(coreSrc, file)}: process.*`);
    }
    expect(offenders).toEqual([]);
  });
});
