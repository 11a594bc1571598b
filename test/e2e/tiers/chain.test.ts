// The decision chain explain shows must not depend on the target: on OVN 25.03 an Admin Pass is a
// real `pass` row; on 23.03 it writes no row (lower rules exclude its match) and explain evaluates
// the emulated Pass rows beside the NB rows. For every first-packet probe of every tier scenario
// the chain — each Pass (tier, policy, rule, stage) and each deciding row — is the same for both
// targets, in text and in JSON. The verdicts themselves are held equal to ovn-trace's by
// test/e2e/explain/tiers.explain.ovn.test.ts.
import {
  compile,
  explainFlow,
  explanationToJson,
  formatExplanation,
  kubeOvnPortName,
  loadModel,
  type FlowExplanation,
} from '@ovn-nbgen/core';
import { formatChain } from '@ovn-nbgen/core/explain';
import { emulatedPassRows } from '@ovn-nbgen/core/model';
import { describe, expect, it } from 'vitest';
import { compileOptionsFor, HOSTS, parseProbe, scenarioSources } from './run.js';
import { tierScenarios } from './scenarios.js';

function endpoint(key: string, family: 4 | 6): string {
  const host = HOSTS.find((h) => `${h.namespace}/${h.name}` === key);
  if (!host) return key;
  const ip = host.ips.find((a) => a.includes(':') === (family === 6));
  if (ip === undefined) throw new Error(`host ${key} has no IPv${family} address`);
  return ip;
}

function explainAll(scenario: (typeof tierScenarios)[number], version: '23.03' | '25.03'): FlowExplanation[] {
  const { model } = loadModel(scenarioSources(scenario));
  const options = compileOptionsFor({ version });
  const { rows } = compile(model, options);
  const emulatedPasses = emulatedPassRows(model, options);
  if (version === '25.03') expect(emulatedPasses).toEqual([]);
  return scenario.probes
    .map(parseProbe)
    .filter((p) => !p.reply && !p.via)
    .map((p) =>
      explainFlow(
        { inventory: model, rows, emulatedPasses },
        { from: endpoint(p.from, p.family), to: endpoint(p.to, p.family), port: p.port, protocol: p.protocol.toUpperCase() as 'TCP', family: p.family },
        { portNameFor: kubeOvnPortName },
      ),
    );
}

const chainsOf = (explanations: readonly FlowExplanation[]) =>
  explanations.map((e) => `${e.from} -> ${e.to} ${e.protocol}/${e.port}: ${e.verdict}: ${e.paths.map((p) => formatChain(p.chain)).join(' | ')}`);

const chainLines = (explanations: readonly FlowExplanation[]) =>
  explanations.map((e) => formatExplanation(e).split('\n').filter((l) => l.includes('decision chain:')));

let passesSeen = 0;

describe('explain shows the same decision chain on OVN 23.03 (no tiers) as on 25.03', () => {
  for (const scenario of tierScenarios) {
    it(scenario.name, () => {
      const old = explainAll(scenario, '23.03');
      const tiered = explainAll(scenario, '25.03');
      expect(chainsOf(old)).toEqual(chainsOf(tiered));
      expect(chainLines(old)).toEqual(chainLines(tiered));
      expect(old.map((e) => explanationToJson(e).paths.map((p) => p.chain))).toEqual(tiered.map((e) => explanationToJson(e).paths.map((p) => p.chain)));
      passesSeen += old.flatMap((e) => e.paths.flatMap((p) => p.chain)).filter((s) => s.action === 'pass').length;
    });
  }

  it('names the Pass and then the NetworkPolicy verdict (the chains compared above are not empty)', () => {
    expect(passesSeen).toBeGreaterThan(10);
    const scenario = tierScenarios.find((s) => s.name === 'Pass hands the connection to NetworkPolicy, skipping the lower Admin Deny')!;
    const chains = chainsOf(explainAll(scenario, '23.03')).filter((c) => c.includes('Pass'));
    expect(chains.length).toBeGreaterThan(0);
    for (const chain of chains) expect(chain).toMatch(/Admin Pass by rule ingress\/\d+\/ip[46] of ClusterNetworkPolicy\/\S+ \(to-lport\) -> (NetworkPolicy (allow|deny) by rule \S+ of \S+|no ACL matched: OVN default allow) \(to-lport\)/);
    expect(chains.some((c) => / -> NetworkPolicy (allow|deny) by rule/.test(c))).toBe(true);
  });
});
