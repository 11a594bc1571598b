import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, type Model } from '../../src/index.js';

// loadModel's Model is immutable as its type says: every list and every object in it is frozen,
// so a caller holding part of it (a CompileSession, an explain over many flows) sees it unchanged.
const examples = join(import.meta.dirname, '../../../../examples');

/** The paths of every object or array in `value` that is not frozen. */
function unfrozen(value: unknown, path: string, out: string[]): string[] {
  if (typeof value !== 'object' || value === null) return out;
  if (!Object.isFrozen(value)) out.push(path);
  for (const [key, child] of Object.entries(value)) unfrozen(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, out);
  return out;
}

describe('loadModel', () => {
  it('returns a model frozen all the way down (every kind: policies, tiers, NAT, inventory)', () => {
    const present = new Set<string>();
    for (const example of ['walkthrough', 'cluster-guardrails', 'eip-fip', 'nodeport']) {
      const sources = readdirSync(join(examples, example))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => ({ name: `${example}/${f}`, text: readFileSync(join(examples, example, f), 'utf8') }));
      const { model } = loadModel(sources);
      for (const [kind, list] of Object.entries(model)) if ((list as unknown[]).length > 0) present.add(kind);
      expect(unfrozen(model, example, [])).toEqual([]);
    }
    expect([...present].sort()).toEqual((['clusterPolicies', 'namespaces', 'nat', 'networkPolicies', 'nodes', 'pods', 'services'] satisfies (keyof Model)[]).sort());
  });
});
