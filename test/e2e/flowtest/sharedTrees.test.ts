// `nbgen test` judges on the match trees the compiler printed its rows from (onMatchTree),
// explain on the trees it parses back from the rows' text. On every probe of the NetworkPolicy
// and tier e2e scenarios (test/e2e/explain holds explain to ovn-trace on them), for OVN with and
// without ACL tiers, both must give the same verdict decided by the same rows, and every compiled
// row's tree must be the one its text parses to.
import { compile, kubeOvnPortName, loadModel, type AclRow, type CompileOptions, type FlowQuery, type ManifestSource, type MatchExpr } from '@ovn-nbgen/core';
import { describe, expect, it } from 'vitest';
import { buildAclProgram } from '../../../packages/core/src/explain/aclProgram.js';
import { judgeFlow, portAddressesOf } from '../../../packages/core/src/explain/explainFlow.js';
import { parseMatch } from '../../../packages/core/src/explain/match/parser.js';
import { clusterPods } from '../netpol/cluster.js';
import { probesFor } from '../netpol/reachability.js';
import { netpolScenarios, scenarioSources as netpolSources } from '../netpol/scenarios.js';
import { compileOptionsFor, HOSTS, parseProbe, scenarioSources as tierSources } from '../tiers/run.js';
import { tierScenarios } from '../tiers/scenarios.js';

const VERSIONS = ['25.03', '23.03'] as const;

function verdictsBothWays(sources: readonly ManifestSource[], flows: readonly FlowQuery[], options: CompileOptions) {
  const { model } = loadModel(sources);
  const trees = new Map<AclRow, MatchExpr>();
  const { rows } = compile(model, { ...options, onMatchTree: (row, tree) => trees.set(row, tree) });
  for (const row of rows.acls) expect({ match: row.match, tree: trees.get(row) }).toEqual({ match: row.match, tree: parseMatch(row.match) });
  const addresses = portAddressesOf(model, kubeOvnPortName);
  const judged = (program: ReturnType<typeof buildAclProgram>) =>
    flows.map((f) => {
      const e = judgeFlow(program, model, f, { portNameFor: kubeOvnPortName });
      return { flow: `${f.from} > ${f.to} ${f.protocol}/${f.port} v${f.family}`, verdict: e.verdict, deciding: e.paths.map((p) => p.decidingRows.map((d) => d.row)) };
    });
  return { shared: judged(buildAclProgram(rows, addresses, [], (row) => trees.get(row))), parsed: judged(buildAclProgram(rows, addresses)) };
}

describe('verdicts from the compiler’s trees equal verdicts from the parsed text', () => {
  for (const version of VERSIONS) {
    describe(`NetworkPolicy e2e scenarios, OVN ${version}`, () => {
      for (const scenario of netpolScenarios) {
        it(scenario.name, () => {
          const flows = probesFor(clusterPods(scenario.cluster), scenario.connections).map(
            (p): FlowQuery => ({ from: p.from.key, to: p.to.key, port: p.conn.port, protocol: p.conn.protocol.toUpperCase() as FlowQuery['protocol'], family: p.conn.family }),
          );
          const { shared, parsed } = verdictsBothWays(netpolSources(scenario), flows, compileOptionsFor({ version }));
          expect(shared).toEqual(parsed);
        });
      }
    });
    describe(`tier e2e scenarios, OVN ${version}`, () => {
      for (const scenario of tierScenarios) {
        const probes = scenario.probes.map(parseProbe).filter((p) => !p.reply);
        if (probes.length === 0) continue;
        it(scenario.name, () => {
          const flows = probes.map(
            (p): FlowQuery => ({
              from: endpoint(p.from, p.family),
              to: endpoint(p.to, p.family),
              port: p.port,
              protocol: p.protocol.toUpperCase() as FlowQuery['protocol'],
              family: p.family,
              ...(p.via ? { via: p.via } : {}),
            }),
          );
          const { shared, parsed } = verdictsBothWays(tierSources(scenario), flows, compileOptionsFor({ version }));
          expect(shared).toEqual(parsed);
        });
      }
    });
  }
});

/** A host that is not a pod is given by its address, as the tier e2e probes it. */
function endpoint(key: string, family: 4 | 6): string {
  const host = HOSTS.find((h) => `${h.namespace}/${h.name}` === key);
  if (!host) return key;
  return host.ips.find((a) => a.includes(':') === (family === 6))!;
}
