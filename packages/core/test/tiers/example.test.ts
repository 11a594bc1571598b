import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { loadModel } from '../../src/manifests/load.js';
import { renderNbctlScript } from '../../src/script/index.js';
import { optionsFor } from './fixtures.js';

// examples/cluster-guardrails/README.md shows the ACL lines of `nbgen export` for both targets;
// this keeps them what the compiler writes (the verdicts are checked by ovn-trace in
// test/e2e/tiers/example.ovn.test.ts).
const EXAMPLE = join(import.meta.dirname, '../../../../examples/cluster-guardrails');

/** The script's ACL lines, cut for width as the README says: no external_ids, log=false, empty options. */
function aclLinesOf(version: '23.03' | '25.03'): string[] {
  const sources = readdirSync(EXAMPLE)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: join(EXAMPLE, f), text: readFileSync(join(EXAMPLE, f), 'utf8') }));
  const options = optionsFor(version);
  const script = renderNbctlScript(compile(loadModel(sources).model, options).rows, { owner: options.owner, capabilities: options.capabilities });
  return script
    .split('\n')
    .filter((l) => l.startsWith('acl '))
    .map((l) => l.replace(/ 'external_ids=[^']*'/, '').replace(' log=false', '').replace(" 'options={}'", ''));
}

/** The lines of the README's code block under `heading`. */
function readmeBlock(heading: string): string[] {
  const readme = readFileSync(join(EXAMPLE, 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf(heading));
  const block = /```\n([\s\S]*?)```/.exec(after);
  if (!block) throw new Error(`README: no code block after ${heading}`);
  return block[1]!.trimEnd().split('\n');
}

describe('examples/cluster-guardrails README', () => {
  it('shows the ACL rows nbgen export writes for OVN 25.03 (tiers)', () => {
    expect(readmeBlock('### OVN 25.03')).toEqual(aclLinesOf('25.03'));
  });

  it('shows the ACL rows nbgen export writes for OVN 23.03 (bands)', () => {
    expect(readmeBlock('### OVN 23.03')).toEqual(aclLinesOf('23.03'));
  });
});
