// explain --db on rows nbgen did not write: for every policy of cniLayouts.ts, laid out as Kube-OVN
// and as ovn-kubernetes write it, every pod-to-pod probe (TCP 80 and 81) must get ovn-trace's
// verdict from the live rows, with the pods found by the layout's port names and external_ids,
// and the deciding rows named after the policy the CNI wrote them for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion, explainFlow, type FlowExplanation, type FlowQuery } from '@ovn-nbgen/core';
import { OvsdbClient, readLiveNb, type LiveNb } from '@ovn-nbgen/ovsdb';
import { attributeAcl, readLiveLayout, readLiveNbForPorts } from '@ovn-nbgen/ovsdb/live';
import { liveInventory } from '../../../packages/cli/src/live/liveInventory.js';
import { DEFAULT_PORT_NAME_TEMPLATES } from '../../../packages/cli/src/live/portNames.js';
import { portsCrossed } from '../../../packages/cli/src/live/portsCrossed.js';
import { buildTopology } from '../../harness/topology.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { clusterPods } from '../netpol/cluster.js';
import { kubeOvnScript, ovnKubernetesScript, portNameOf, POLICY_CASES, type Layout } from './cniLayouts.js';

async function readLive(ovn: Ovn): Promise<LiveNb> {
  const client = await OvsdbClient.connect({ remote: `unix:${ovn.nbSocketPath}`, session: { probeIntervalMs: 0 } });
  try {
    return await readLiveNb(client);
  } finally {
    await client.close();
  }
}

/**
 * explain --db's own read (the layout, then the ACLs that can apply to the flow's ports) for each
 * query: `judge(query)` is its explanation, to compare with the one on every row.
 */
async function withFocusedReads<T>(ovn: Ovn, use: (judge: (query: FlowQuery) => Promise<{ e: FlowExplanation; live: LiveNb }>) => Promise<T>): Promise<T> {
  const client = await OvsdbClient.connect({ remote: `unix:${ovn.nbSocketPath}`, session: { probeIntervalMs: 0 } });
  try {
    const layout = await readLiveLayout(client);
    const layoutSource = liveInventory(layout.live, null, DEFAULT_PORT_NAME_TEMPLATES);
    const explain = (live: LiveNb, source: typeof layoutSource, query: FlowQuery): FlowExplanation =>
      explainFlow({ inventory: source.inventory, rows: live.rows }, query, { portNameFor: source.portNameFor, serviceBackends: source.serviceBackends });
    return await use(async (query) => {
      const live = await readLiveNbForPorts(client, layout, portsCrossed(explain(layout.live, layoutSource, query)));
      return { e: explain(live, liveInventory(live, null, DEFAULT_PORT_NAME_TEMPLATES), query), live };
    });
  } finally {
    await client.close();
  }
}

/** Verdict, deciding rows and who wrote them: what the focused read must give as the full one does. */
function decision(e: FlowExplanation, live: LiveNb): string {
  const rows = e.paths.flatMap((p) =>
    p.decidingRows.map((d) => {
      const a = attributeAcl(d.row, live.portGroupExternalIds.get(d.row.portGroup));
      return `${d.stage} ${d.row.portGroup} ${d.row.priority} ${d.row.action} ${d.row.match} ${a ? `${a.convention} ${a.kind} ${a.object} ${a.rule ?? ''}` : '-'}`;
    }),
  );
  return `${e.verdict} [${rows.join(' | ')}]`;
}

const pods = clusterPods();

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`explain --db on Kube-OVN and ovn-kubernetes layouts, OVN ${version}`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    for (const layout of ['kube-ovn', 'ovn-kubernetes'] as const satisfies readonly Layout[]) {
      it(`${layout}: ${POLICY_CASES.length} policies, every pod pair, equal to ovn-trace`, async () => {
        const tiers = capabilitiesForOvnVersion(version).aclTier;
        const differing: string[] = [];
        const attributed = new Set<string>();
        let probes = 0;
        for (const policy of POLICY_CASES) {
          await ovn.resetNb();
          const topology = await buildTopology(ovn, {
            pods: pods.map((p) => ({ namespace: p.namespace, name: p.name, ips: [p.ipv4] })),
            portNameFor: portNameOf[layout],
          });
          const portIds = pods.map((p) =>
            layout === 'kube-ovn'
              ? `ovn-nbctl set Logical_Switch_Port ${portNameOf[layout](p)} external_ids:pod=${p.namespace}/${p.name} external_ids:vendor=kube-ovn`
              : `ovn-nbctl set Logical_Switch_Port ${portNameOf[layout](p)} external_ids:namespace=${p.namespace} external_ids:pod=true`,
          );
          const rows = layout === 'kube-ovn' ? kubeOvnScript(policy, pods, tiers) : ovnKubernetesScript(policy, pods, tiers);
          // runScript throws (with both outputs) when a command fails.
          await ovn.runScript(['set -e', ...portIds, ...rows].join('\n'));
          const live = await readLive(ovn);
          const source = liveInventory(live, null, DEFAULT_PORT_NAME_TEMPLATES);
          await withFocusedReads(ovn, async (judgeFocused) => {
            for (const from of pods) {
              for (const to of pods) {
                if (from === to) continue;
                for (const port of [80, 81]) {
                  const query: FlowQuery = { from: from.key, to: to.key, port, protocol: 'TCP', family: 4 };
                  const e = explainFlow({ inventory: source.inventory, rows: live.rows }, query, { portNameFor: source.portNameFor });
                  // explain --db reads only the ACLs that can apply to the flow's ports: same verdict, same rows, same writer.
                  const focused = await judgeFocused(query);
                  if (decision(focused.e, focused.live) !== decision(e, live)) {
                    differing.push(`${policy.name} ${from.key} -> ${to.key}:${port}: focused read ${decision(focused.e, focused.live)}, full read ${decision(e, live)}`);
                  }
                  const traced = await ovn.trace(topology.podToPod(from.key, to.key, { protocol: 'tcp', port, family: 4 }));
                  const verdict = traced.verdict === 'allow' ? 'allow' : 'deny';
                  if (e.verdict !== verdict) differing.push(`${policy.name} ${from.key} -> ${to.key}:${port}: --db ${e.verdict}, ovn-trace ${verdict}`);
                  for (const d of e.paths.flatMap((p) => p.decidingRows)) {
                    const a = attributeAcl(d.row, live.portGroupExternalIds.get(d.row.portGroup));
                    if (a) attributed.add(`${a.convention} ${a.kind} ${a.object}`);
                  }
                  probes++;
                }
              }
            }
          });
        }
        expect(differing.slice(0, 10)).toEqual([]);
        expect(probes).toBe(POLICY_CASES.length * 72 * 2);
        // Every policy that decided something is named after the policy, in the layout's convention.
        const expected = POLICY_CASES.map((p) => `${layout} NetworkPolicy ${p.namespace}/${p.name}`);
        const policies = [...attributed].filter((a) => / NetworkPolicy [a-z]+\//.test(a)).sort();
        expect(policies).toEqual(expected.filter((e) => attributed.has(e)).sort());
        expect(policies.length).toBeGreaterThanOrEqual(15);
        if (layout === 'kube-ovn') expect(attributed).toContain('kube-ovn Subnet ovn-default');
        else expect([...attributed].some((a) => a.startsWith('ovn-kubernetes NetworkPolicy default deny of namespace'))).toBe(true);
      });
    }
  });
}
