// examples/cluster-guardrails, judged by OVN: the example's manifests (as `nbgen export -f` reads
// them) are compiled, written with the export script and probed with ovn-trace on OVN 23.03
// (priority bands) and 25.03 (ACL tiers). The expected verdicts are the ones its README promises.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, loadModel, renderNbctlScript } from '@ovn-nbgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { buildTopology } from '../../harness/topology.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { compileOptionsFor, parseProbe } from './run.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/cluster-guardrails', import.meta.url));

const PROBES = [
  // Admin Deny: only payments reaches its database, whatever NetworkPolicy says.
  'shop/web-0 > payments/postgres-0 tcp/5432: drop',
  // The team's NetworkPolicy opens the database to api-0 (the Admin Deny does not match payments).
  'payments/api-0 > payments/postgres-0 tcp/5432: allow',
  'payments/api-0 > payments/postgres-0 tcp/22: drop',
  // Pod-to-pod egress is passed to the teams; web-0's NetworkPolicy overrides the baseline deny.
  'payments/api-0 > shop/web-0 tcp/8080: allow',
  // api-0 has no NetworkPolicy: the Baseline default deny closes it.
  'shop/web-0 > payments/api-0 tcp/8443: drop',
  // Not a pod: the Admin no-internet Deny.
  'payments/api-0 > outside/server tcp/443: drop',
  'shop/web-0 > outside/server udp/53: drop',
];

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`examples/cluster-guardrails on OVN ${version}`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    it('gives the verdicts its README promises', async () => {
      const sources = readdirSync(EXAMPLE)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => ({ name: f, text: readFileSync(join(EXAMPLE, f), 'utf8') }));
      const { model } = loadModel(sources);
      const topology = await buildTopology(ovn, {
        pods: [...model.pods, { namespace: 'outside', name: 'server', ips: ['192.0.2.10'] }],
      });
      const options = compileOptionsFor(ovn);
      await ovn.runScript(renderNbctlScript(compile(model, options).rows, { owner: options.owner, capabilities: options.capabilities }));
      const observed: string[] = [];
      for (const probe of PROBES.map(parseProbe)) {
        const result = await ovn.trace(topology.podToPod(probe.from, probe.to, { protocol: probe.protocol, port: probe.port, family: 4 }));
        observed.push(`${probe.line.slice(0, probe.line.lastIndexOf(':'))}: ${result.verdict}`);
      }
      expect(observed).toEqual(PROBES);
    });
  });
}
