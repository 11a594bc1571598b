// NetworkPolicy end to end, judged by OVN: every scenario of scenarios.ts is compiled with the
// library, written with the exported ovn-nbctl script into a real NB, compiled by a real
// ovn-northd, and every probe of its reachability matrix is traced with ovn-trace. The whole
// matrix must equal the one Kubernetes semantics give. Runs on OVN 23.03 (host) and 25.03
// (trixie root) when installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { describeMismatches, exportScriptWriter, runScenario } from './run.js';
import { netpolScenarios } from './scenarios.js';

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`NetworkPolicy on OVN ${version} (ovn-trace verdicts)`, () => {
    let ovn: Ovn;
    let probes = 0;
    let traceMillis = 0;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
      if (probes > 0) {
        console.info(`OVN ${version}: ${probes} probes traced in ${traceMillis.toFixed(0)} ms (${(traceMillis / probes).toFixed(2)} ms/probe)`);
      }
    });

    for (const scenario of netpolScenarios) {
      it(scenario.name, async () => {
        const outcome = await runScenario(ovn, scenario);
        probes += outcome.probes.length;
        traceMillis += outcome.traceMillis;
        if (outcome.mismatches.length > 0) {
          expect.fail(await describeMismatches(ovn, scenario, outcome));
        }
        expect(outcome.observed).toEqual(outcome.expected);
      });
    }

    it('notices wrong rows: without its allow ACLs, "x/a accepts namespace y" drops y → x/a', async () => {
      const scenario = netpolScenarios.find((s) => s.name.startsWith('namespaceSelector peer alone'))!;
      const withoutAllows = exportScriptWriter((rows) => ({ ...rows, acls: rows.acls.filter((a) => a.action === 'drop') }));
      const outcome = await runScenario(ovn, scenario, withoutAllows);
      const wrong = outcome.mismatches.map((m) => `${m.probe.from.key}->${m.probe.to.key} ${m.expected}/${m.observed}`);
      // 3 pods of y × 4 connections, each expected allow and dropped by the default drop.
      expect([...new Set(wrong)].sort()).toEqual(['y/a->x/a allow/drop', 'y/b->x/a allow/drop', 'y/c->x/a allow/drop']);
      expect(wrong).toHaveLength(12);
    });
  });
}
