// explain versus OVN for the tiered policies (ClusterNetworkPolicy, AdminNetworkPolicy,
// BaselineAdminNetworkPolicy with NetworkPolicy): for every scenario of test/e2e/tiers, every
// first-packet probe must get ovn-trace's verdict from explain. On OVN 23.03 the rows emulate
// tiers with priority bands and Pass by exclusion; on 25.03 they use ACL tiers and `pass`, which
// explain evaluates tier by tier. Reply probes (conntrack est+rpl) are not first packets and are
// outside what explain judges. Service probes name the backend the load balancer picks (`via`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, formatExplanation, kubeOvnPortName, loadModel } from '@ovn-nbgen/core';
import { buildAclProgram, explainWithProgram, portAddressesOf } from '@ovn-nbgen/core/explain';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { compileOptionsFor, parseProbe, runTierScenario, scenarioSources, type ParsedProbe } from '../tiers/run.js';
import { tierScenarios } from '../tiers/scenarios.js';

/** The hosts of the tiers topology that are not pods (test/e2e/tiers/scenarios.ts header). */
const HOST_ADDRESSES: Readonly<Record<string, { 4: string; 6?: string }>> = {
  'host/node-1': { 4: '172.18.0.2' },
  'host/node-2': { 4: '172.18.0.3' },
  'host/ext': { 4: '192.0.2.10', 6: '2001:db8::10' },
};

function endpoint(key: string, family: 4 | 6): string {
  const host = HOST_ADDRESSES[key];
  if (!host) return key;
  const ip = host[family];
  if (ip === undefined) throw new Error(`${key} has no IPv${family} address`);
  return ip;
}

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`explain agrees with ovn-trace on tiered policies, OVN ${version}`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    for (const scenario of tierScenarios) {
      it(scenario.name, async () => {
        const outcome = await runTierScenario(ovn, scenario);
        const { model } = loadModel(scenarioSources(scenario));
        const { rows } = compile(model, compileOptionsFor(ovn));
        const program = buildAclProgram(rows, portAddressesOf(model, kubeOvnPortName));
        const explain = (p: ParsedProbe) =>
          explainWithProgram(
            program,
            model,
            {
              from: endpoint(p.from, p.family),
              to: endpoint(p.to, p.family),
              port: p.port,
              protocol: p.protocol.toUpperCase() as 'TCP' | 'UDP' | 'SCTP',
              family: p.family,
              // A Service probe: `to` is a VIP of the harness' load balancer, `via` its backend.
              ...(p.via ? { via: { pod: p.via.pod, port: p.via.port } } : {}),
            },
            { portNameFor: kubeOvnPortName },
          );
        const probes = scenario.probes.map(parseProbe);
        const firstPackets = probes.flatMap((p, i) => (p.reply ? [] : [{ probe: p, observed: outcome.observed[i]! }]));
        const verdictOf = (line: string): string => line.slice(line.lastIndexOf(':') + 2);
        const observed = firstPackets.map(({ probe, observed: line }) => `${probe.line.slice(0, probe.line.lastIndexOf(':'))}: ${verdictOf(line)}`);
        const explained = firstPackets.map(({ probe }) => `${probe.line.slice(0, probe.line.lastIndexOf(':'))}: ${explain(probe).verdict === 'allow' ? 'allow' : 'drop'}`);
        if (explained.join('\n') !== observed.join('\n')) {
          const i = explained.findIndex((line, k) => line !== observed[k]);
          const probe = firstPackets[i]!.probe;
          expect.fail(
            [
              ...explained.map((line, k) => `${line === observed[k] ? '  ' : '✗ '}explain ${line}${line === observed[k] ? '' : `, ovn-trace ${verdictOf(observed[k]!)}`}`),
              '',
              formatExplanation(explain(probe)),
              outcome.traces.get(probe.line)?.raw ?? '',
            ].join('\n'),
          );
        }
        expect(explained).toEqual(observed);
      });
    }
  });
}
