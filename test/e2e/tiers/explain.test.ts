// Explain against the API's promise: for every first-packet probe of the tier scenarios, `explain`
// (which evaluates the compiled rows the way OVN does: tiers, pass, bands, `<pg>_ip4` sets) must
// give the verdict the scenario expects, for both targets. The real-OVN suite checks the same
// probes with ovn-trace, so explain and OVN agree on every one of them.
import { capabilitiesForOvnVersion, compile, explainFlow, kubeOvnPortName, loadModel } from '@ovn-nbgen/core';
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

for (const version of ['23.03', '25.03'] as const) {
  describe(`explain on tiered rows for OVN ${version} (capabilities ${JSON.stringify(capabilitiesForOvnVersion(version))})`, () => {
    for (const scenario of tierScenarios) {
      it(scenario.name, () => {
        const { model } = loadModel(scenarioSources(scenario));
        const { rows } = compile(model, compileOptionsFor({ version }));
        // Replies and Service probes need conntrack and load-balancer state explain does not model here.
        const probes = scenario.probes.map(parseProbe).filter((p) => !p.reply && !p.via);
        const observed = probes.map((p) => {
          const explanation = explainFlow(
            { inventory: model, rows },
            { from: endpoint(p.from, p.family), to: endpoint(p.to, p.family), port: p.port, protocol: p.protocol.toUpperCase() as 'TCP', family: p.family },
            { portNameFor: kubeOvnPortName },
          );
          return `${p.line.slice(0, p.line.lastIndexOf(':'))}: ${explanation.verdict === 'deny' ? 'drop' : 'allow'}`;
        });
        expect(observed).toEqual(probes.map((p) => p.line));
      });
    }
  });
}
