// One spelling of every ACL match: whatever the compilers write, in the rows the real-OVN suites
// install, is exactly what the match printer writes for the tree explain parses out of it
// (parentheses by precedence, `{a, b}` sets, `!(...)`, `low <= field <= high` ranges). A compiler
// that assembled text on its own (`tcp.dst >= 80 && tcp.dst <= 90`, `((a))`) would fail here.
import { compile, loadModel, type ManifestSource } from '@ovn-nbgen/core';
import { formatMatchExpr, parseMatch } from '@ovn-nbgen/core/explain';
import { describe, expect, it } from 'vitest';
import { e2eCompileOptions } from '../netpol/run.js';
import { netpolScenarios, scenarioSources as netpolSources } from '../netpol/scenarios.js';
import { compileOptionsFor, scenarioSources as tierSources } from '../tiers/run.js';
import { tierScenarios } from '../tiers/scenarios.js';

const suites = [
  { name: 'NetworkPolicy', sources: netpolScenarios.map(netpolSources), options: e2eCompileOptions },
  { name: 'tiered policy', sources: tierScenarios.map((s) => tierSources(s)), options: compileOptionsFor },
];

function respelled(sources: readonly ManifestSource[][], options: typeof compileOptionsFor, version: '23.03' | '25.03'): { same: number; differ: string[] } {
  const differ: string[] = [];
  let same = 0;
  for (const scenario of sources) {
    const { model } = loadModel(scenario);
    for (const acl of compile(model, options({ version })).rows.acls) {
      const printed = formatMatchExpr(parseMatch(acl.match));
      if (printed === acl.match) same++;
      else differ.push(`${acl.match}\n  printer: ${printed}`);
    }
  }
  return { same, differ };
}

for (const version of ['23.03', '25.03'] as const) {
  describe(`ACL matches for OVN ${version} are in the match printer's spelling`, () => {
    for (const suite of suites) {
      it(`${suite.name} scenarios`, () => {
        const { same, differ } = respelled(suite.sources, suite.options, version);
        expect(differ).toEqual([]);
        expect(same).toBeGreaterThan(50);
      });
    }
  });
}
