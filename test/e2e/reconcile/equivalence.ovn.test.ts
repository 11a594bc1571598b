// The live path and the export must not drift: for every NetworkPolicy and tier e2e scenario and
// every example, the NB after a Reconciler apply equals (UUIDs mapped to the rows they name) the NB
// after the exported ovn-nbctl script, and afterwards the reconciler finds nothing to change in
// either database. NAT and Load_Balancer rows ride along with every case.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  capabilitiesForOvnVersion,
  compile,
  loadModel,
  mergeNbRows,
  renderNbctlScript,
  type CompileOptions,
  type ManifestSource,
  type NbRows,
} from '@ovn-nbgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { buildTopology, type TopologyPod } from '../../harness/topology.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { canonicalDump } from '../../export/nbDump.js';
import { sampleRows } from '../../../packages/core/test/script/fixtures.js';
import { clusterPods } from '../netpol/cluster.js';
import { e2eCompileOptions } from '../netpol/run.js';
import { netpolScenarios, scenarioSources as netpolSources } from '../netpol/scenarios.js';
import { compileOptionsFor as tierCompileOptions, HOSTS, scenarioSources as tierSources } from '../tiers/run.js';
import { tierScenarios } from '../tiers/scenarios.js';
import { withReconciler } from './writer.js';

interface EquivalenceCase {
  readonly name: string;
  readonly pods: readonly TopologyPod[];
  readonly sources: readonly ManifestSource[];
  readonly options: (ovn: Ovn) => CompileOptions;
}

const podsOf = (dualStack: boolean): TopologyPod[] =>
  clusterPods({ dualStack }).map((p) => ({ namespace: p.namespace, name: p.name, ips: [p.ipv4, ...(p.ipv6 ? [p.ipv6] : [])] }));

const examplesDir = fileURLToPath(new URL('../../../examples', import.meta.url));

/** The YAML files of an example directory (and of a subdirectory for walkthrough's before/after). */
function exampleSources(dir: string, sub?: string): ManifestSource[] {
  const read = (d: string) =>
    readdirSync(d)
      .filter((f) => /\.ya?ml$/.test(f) && statSync(join(d, f)).isFile())
      .sort()
      .map((f) => ({ name: join(d, f), text: readFileSync(join(d, f), 'utf8') }));
  return [...read(join(examplesDir, dir)), ...(sub ? read(join(examplesDir, dir, sub)) : [])];
}

function exampleCase(name: string, sources: ManifestSource[]): EquivalenceCase {
  const { model } = loadModel(sources);
  return {
    name: `example ${name}`,
    pods: [...model.pods.map((p) => ({ namespace: p.namespace, name: p.name, ips: p.ips }))],
    sources,
    options: (ovn) => ({ ...e2eCompileOptions(ovn), owner: 'nbgen-e2e-examples' }),
  };
}

const cases: EquivalenceCase[] = [
  ...netpolScenarios.map((s) => ({
    name: `netpol: ${s.name}`,
    pods: podsOf(s.cluster?.dualStack ?? false),
    sources: netpolSources(s),
    options: e2eCompileOptions,
  })),
  ...tierScenarios.map((s) => ({
    name: `tiers: ${s.name}`,
    pods: [...podsOf(true), ...HOSTS],
    sources: tierSources(s),
    options: tierCompileOptions,
  })),
  exampleCase('underlay-service', exampleSources('underlay-service')),
  exampleCase('cluster-guardrails', exampleSources('cluster-guardrails')),
  exampleCase('walkthrough (before)', exampleSources('walkthrough', 'before')),
  exampleCase('walkthrough (after)', exampleSources('walkthrough', 'after')),
];

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`apply and export write the same NB (OVN ${version})`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    async function freshCluster(c: EquivalenceCase): Promise<void> {
      await ovn.resetNb();
      await buildTopology(ovn, { pods: c.pods });
    }

    function rowsOf(c: EquivalenceCase): { rows: NbRows; options: CompileOptions } {
      const options = c.options(ovn);
      const { model } = loadModel(c.sources);
      const { rows } = compile(model, options);
      // A NAT and a load balancer on the cluster router, so those tables are compared too.
      const { nats, loadBalancers } = sampleRows(options.owner);
      return { rows: mergeNbRows(rows, { portGroups: [], addressSets: [], acls: [], nats, loadBalancers }), options };
    }

    /** The reconciler's view of a database: what it would change. */
    const pendingChanges = (owner: string, rows: NbRows) =>
      withReconciler(ovn, owner, async (r) => {
        const plan = r.plan(rows);
        return [...plan.inserts, ...plan.updates, ...plan.deletes].map((x) => x.label);
      });

    for (const c of cases) {
      it(c.name, async () => {
        const { rows, options } = rowsOf(c);
        expect(options.capabilities).toEqual(capabilitiesForOvnVersion(version));

        await freshCluster(c);
        await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities }));
        const afterScript = await canonicalDump(ovn);
        expect(await pendingChanges(options.owner, rows)).toEqual([]);

        await freshCluster(c);
        const applied = await withReconciler(ovn, options.owner, (r) => r.reconcile(rows));
        expect(applied.committed).toBe(true);
        const afterApply = await canonicalDump(ovn);
        expect(afterApply).toEqual(afterScript);
        expect(await pendingChanges(options.owner, rows)).toEqual([]);

        // And the script run over what apply wrote changes nothing either (modulo the ACL/NAT
        // UUIDs the script always replaces).
        await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities }));
        expect(await canonicalDump(ovn)).toEqual(afterApply);
      });
    }
  });
}
