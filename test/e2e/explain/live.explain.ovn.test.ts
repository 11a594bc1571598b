// explain --db versus explain -f: on an NB written by nbgen's own apply path (the Reconciler) for
// every NetworkPolicy e2e scenario, and by the export script for every tier scenario, the rows read
// back from the live NB must give the same verdict and the same deciding rows as the compiled
// rows, on every probe, and that verdict must be ovn-trace's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, explainFlow, kubeOvnPortName, loadModel, type FlowExplanation, type FlowQuery, type Model, type NbRows } from '@ovn-nbgen/core';
import { OvsdbClient, readLiveNb, type LiveNb } from '@ovn-nbgen/ovsdb';
import { readLiveLayout, readLiveNbForPorts } from '@ovn-nbgen/ovsdb/live';
import { liveInventory } from '../../../packages/cli/src/live/liveInventory.js';
import { DEFAULT_PORT_NAME_TEMPLATES } from '../../../packages/cli/src/live/portNames.js';
import { portsCrossed } from '../../../packages/cli/src/live/portsCrossed.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { e2eCompileOptions, runScenario } from '../netpol/run.js';
import { probeKey } from '../netpol/reachability.js';
import { netpolScenarios, scenarioSources } from '../netpol/scenarios.js';
import { writeWithReconciler } from '../reconcile/writer.js';
import { compileOptionsFor, parseProbe, runTierScenario, scenarioSources as tierSources } from '../tiers/run.js';
import { tierScenarios } from '../tiers/scenarios.js';

async function readLive(ovn: Ovn): Promise<LiveNb> {
  const client = await OvsdbClient.connect({ remote: `unix:${ovn.nbSocketPath}`, session: { probeIntervalMs: 0 } });
  try {
    return await readLiveNb(client);
  } finally {
    await client.close();
  }
}

/** What decided, comparable across the two row sources (port group names aside, the row itself). */
function decision(e: FlowExplanation): string {
  const rows = e.paths.flatMap((p) => p.decidingRows.map((d) => `${d.stage}#${d.hop} ${d.row.direction} ${d.row.tier ?? 0}/${d.row.priority} ${d.row.action} ${d.row.match}`));
  return `${e.verdict} [${rows.join(' | ')}]`;
}

/** Both judges of one query: compiled rows (explain -f) and the live NB's rows (explain --db). */
function judges(model: Model, rows: NbRows, live: LiveNb) {
  const source = liveInventory(live, model, DEFAULT_PORT_NAME_TEMPLATES);
  return (query: FlowQuery) => ({
    offline: explainFlow({ inventory: model, rows }, query, { portNameFor: kubeOvnPortName }),
    live: explainFlow({ inventory: source.inventory, rows: live.rows }, query, { portNameFor: source.portNameFor, serviceBackends: source.serviceBackends }),
  });
}

/**
 * explain --db's own read for each query (the layout, then only the ACLs that can apply to the
 * ports the flow crosses), on one connection.
 */
async function withFocusedJudge<T>(ovn: Ovn, model: Model, use: (judge: (query: FlowQuery) => Promise<FlowExplanation>) => Promise<T>): Promise<T> {
  const client = await OvsdbClient.connect({ remote: `unix:${ovn.nbSocketPath}`, session: { probeIntervalMs: 0 } });
  try {
    const layout = await readLiveLayout(client);
    const explain = (live: LiveNb, query: FlowQuery): FlowExplanation => {
      const source = liveInventory(live, model, DEFAULT_PORT_NAME_TEMPLATES);
      return explainFlow({ inventory: source.inventory, rows: live.rows }, query, { portNameFor: source.portNameFor, serviceBackends: source.serviceBackends });
    };
    return await use(async (query) => explain(await readLiveNbForPorts(client, layout, portsCrossed(explain(layout.live, query))), query));
  } finally {
    await client.close();
  }
}

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`explain --db equals explain -f on OVN ${version}`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    it('on every NetworkPolicy scenario written by the Reconciler (nbgen apply)', async () => {
      let probes = 0;
      for (const scenario of netpolScenarios) {
        const outcome = await runScenario(ovn, scenario, writeWithReconciler);
        const { model } = loadModel(scenarioSources(scenario));
        const { rows } = compile(model, e2eCompileOptions(ovn));
        const judge = judges(model, rows, await readLive(ovn));
        const differing: string[] = [];
        await withFocusedJudge(ovn, model, async (focused) => {
          for (const probe of outcome.probes) {
            const query: FlowQuery = {
              from: probe.from.key,
              to: probe.to.key,
              port: probe.conn.port,
              protocol: probe.conn.protocol.toUpperCase() as 'TCP' | 'UDP' | 'SCTP',
              family: probe.conn.family,
            };
            const { offline, live } = judge(query);
            const traced = outcome.observed.get(probeKey(probe)) === 'allow' ? 'allow' : 'deny';
            if (decision(live) !== decision(offline) || live.verdict !== traced) {
              differing.push(`${scenario.name} ${probeKey(probe)}: --db ${decision(live)}, -f ${decision(offline)}, ovn-trace ${traced}`);
            }
            const narrow = await focused(query);
            if (decision(narrow) !== decision(live)) differing.push(`${scenario.name} ${probeKey(probe)}: focused read ${decision(narrow)}, full read ${decision(live)}`);
            probes++;
          }
        });
        expect(differing.slice(0, 5)).toEqual([]);
      }
      expect(probes).toBeGreaterThan(1000);
    });

    it('on every tier scenario (ANP, BANP, CNP with NetworkPolicy, Services through their VIP)', async () => {
      for (const scenario of tierScenarios) {
        const outcome = await runTierScenario(ovn, scenario);
        const { model } = loadModel(tierSources(scenario));
        const { rows } = compile(model, compileOptionsFor(ovn));
        const judge = judges(model, rows, await readLive(ovn));
        const differing: string[] = [];
        await withFocusedJudge(ovn, model, async (focused) => {
          for (const [i, p] of scenario.probes.map(parseProbe).entries()) {
            if (p.reply || p.from.startsWith('host/') || p.to.startsWith('host/')) continue;
            const query: FlowQuery = {
              from: p.from,
              to: p.to,
              port: p.port,
              protocol: p.protocol.toUpperCase() as 'TCP' | 'UDP' | 'SCTP',
              family: p.family,
              ...(p.via ? { via: { pod: p.via.pod, port: p.via.port } } : {}),
            };
            const { offline, live } = judge(query);
            const line = outcome.observed[i]!;
            const traced = line.endsWith(': allow') ? 'allow' : 'deny';
            if (decision(live) !== decision(offline) || live.verdict !== traced) {
              differing.push(`${scenario.name} ${p.line}: --db ${decision(live)}, -f ${decision(offline)}, ovn-trace ${traced}`);
            }
            const narrow = await focused(query);
            if (decision(narrow) !== decision(live)) differing.push(`${scenario.name} ${p.line}: focused read ${decision(narrow)}, full read ${decision(live)}`);
          }
        });
        expect(differing.slice(0, 5)).toEqual([]);
      }
    });
  });
}
