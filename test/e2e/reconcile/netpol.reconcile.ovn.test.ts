// The NetworkPolicy e2e suite a second time, with the rows written by the live path (OvsdbClient +
// Reconciler) instead of the exported script: same scenarios, same topology, same verdicts from
// ovn-trace, which must equal the Kubernetes semantics the scenarios state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { describeMismatches, runScenario } from '../netpol/run.js';
import { netpolScenarios } from '../netpol/scenarios.js';
import { writeWithReconciler } from './writer.js';

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`NetworkPolicy through the Reconciler on OVN ${version} (ovn-trace verdicts)`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    for (const scenario of netpolScenarios) {
      it(scenario.name, async () => {
        const outcome = await runScenario(ovn, scenario, writeWithReconciler);
        if (outcome.mismatches.length > 0) expect.fail(await describeMismatches(ovn, scenario, outcome));
        expect(outcome.observed).toEqual(outcome.expected);
      });
    }
  });
}
