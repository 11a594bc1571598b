// ClusterNetworkPolicy / AdminNetworkPolicy / BaselineAdminNetworkPolicy end to end, judged by
// OVN: every scenario of scenarios.ts is compiled together with its NetworkPolicies, written into
// a real NB with the exported ovn-nbctl script, compiled by ovn-northd and probed with ovn-trace.
// OVN 23.03 has no ACL tiers (priority bands, Pass by exclusion); OVN 25.03 (trixie root) has
// tiers and the pass action. Both must give the verdicts the API promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { describeTierMismatch, runTierScenario } from './run.js';
import { tierScenarios } from './scenarios.js';

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`tiered policies on OVN ${version} (ovn-trace verdicts)`, () => {
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
        if (outcome.observed.join('\n') !== outcome.expected.join('\n')) {
          expect.fail(await describeTierMismatch(ovn, scenario, outcome));
        }
        expect(outcome.observed).toEqual(outcome.expected);
      });
    }
  });
}
