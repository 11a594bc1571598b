// explain versus OVN: for every NetworkPolicy e2e scenario, `explain` (which reads only the
// compiled rows) must give ovn-trace's verdict on every probe of the whole matrix. The scenarios,
// topology and traces are the netpol e2e suite's own (test/e2e/netpol), so a scenario added there
// is cross-checked here too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, formatExplanation, kubeOvnPortName, loadModel } from '@ovn-nbgen/core';
import { buildAclProgram, explainWithProgram, portAddressesOf } from '@ovn-nbgen/core/explain';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { e2eCompileOptions, runScenario } from '../netpol/run.js';
import { probeKey, type Probe } from '../netpol/reachability.js';
import { netpolScenarios, scenarioSources } from '../netpol/scenarios.js';

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`explain agrees with ovn-trace on OVN ${version}`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    for (const scenario of netpolScenarios) {
      it(scenario.name, async () => {
        const outcome = await runScenario(ovn, scenario);
        const { model } = loadModel(scenarioSources(scenario));
        const { rows } = compile(model, e2eCompileOptions(ovn));
        const program = buildAclProgram(rows, portAddressesOf(model, kubeOvnPortName));
        const explain = (probe: Probe) =>
          explainWithProgram(
            program,
            model,
            {
              from: probe.from.key,
              to: probe.to.key,
              port: probe.conn.port,
              protocol: probe.conn.protocol.toUpperCase() as 'TCP' | 'UDP' | 'SCTP',
              family: probe.conn.family,
            },
            { portNameFor: kubeOvnPortName },
          );
        const explained = new Map(
          outcome.probes.map((probe) => [probeKey(probe), explain(probe).verdict === 'allow' ? 'allow' : 'drop']),
        );
        const differing = outcome.probes.filter((p) => explained.get(probeKey(p)) !== outcome.observed.get(probeKey(p)));
        if (differing.length > 0) {
          const first = differing[0]!;
          const detailed = await outcome.traceDetailed(first);
          expect.fail(
            [
              `${differing.length} of ${outcome.probes.length} probes: explain differs from ovn-trace`,
              ...differing.slice(0, 10).map((p) => `  ${probeKey(p)}: explain ${explained.get(probeKey(p))}, ovn-trace ${outcome.observed.get(probeKey(p))}`),
              '',
              formatExplanation(explain(first)),
              `$ ${detailed.command}`,
              detailed.raw,
            ].join('\n'),
          );
        }
        expect(explained).toEqual(outcome.observed);
      });
    }
  });
}
