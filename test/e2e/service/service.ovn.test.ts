// Service traffic under NetworkPolicy, judged by OVN: the Service is an OVN Load_Balancer on the
// pod switch (made here, as Kube-OVN's controller would), the policies are compiled by the
// library and written with the export script, and ovn-trace follows client → VIP:80 through
// the LB's DNAT to frontend:8000. Passing proves the egress ACLs run after the load balancer
// (options:apply-after-lb) and that ports are matched as target ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, loadModel, renderNbctlScript } from '@ovn-nbgen/core';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { loadBalancersForServices } from '../../harness/services.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { buildTopology } from '../../harness/topology.js';
import type { TraceResult } from '../../harness/trace.js';
import { e2eCompileOptions } from '../netpol/run.js';
import { SERVICE_PROBES, serviceCluster, serviceScenarios, type ServiceScenario } from './scenarios.js';

async function runServiceScenario(ovn: Ovn, scenario: ServiceScenario) {
  await ovn.resetNb();
  const { model } = loadModel([serviceCluster(), ...scenario.policies]);
  const topology = await buildTopology(ovn, {
    pods: model.pods,
    loadBalancers: loadBalancersForServices(model.services, model.pods),
  });
  const options = e2eCompileOptions(ovn);
  const { rows } = compile(model, options);
  await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities }));
  await ovn.syncSb();

  const observed: Record<string, string> = {};
  const traces: Record<string, TraceResult> = {};
  for (const probe of SERVICE_PROBES) {
    const query =
      'vip' in probe.to
        ? topology.podToAddress('shop/client', probe.to.vip, { protocol: 'tcp', port: probe.port }, 'shop/frontend')
        : topology.podToPod('shop/client', probe.to.pod, { protocol: 'tcp', port: probe.port, family: 4 });
    const result = await ovn.trace(query);
    observed[probe.name] = result.verdict;
    traces[probe.name] = result;
  }
  return { observed, traces };
}

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`Service behind an OVN load balancer on OVN ${version}`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    for (const scenario of serviceScenarios) {
      it(scenario.name, async () => {
        const { observed, traces } = await runServiceScenario(ovn, scenario);
        const wrong = Object.keys(scenario.expected).filter((name) => observed[name] !== scenario.expected[name]);
        if (wrong.length > 0) {
          const detail = wrong.map((name) => `${name}: expected ${scenario.expected[name]}, ovn-trace says ${observed[name]}\n  $ ${traces[name]!.command}\n${traces[name]!.raw}`);
          const acls = await ovn.nbctl(['--columns=direction,priority,match,action,options', 'list', 'ACL']);
          expect.fail(`${scenario.name}\n${detail.join('\n')}\nNB ACLs:\n${acls}`);
        }
        expect(observed).toEqual(scenario.expected);
      });
    }
  });
}
