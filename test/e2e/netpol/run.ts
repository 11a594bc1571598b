// Runs one NetworkPolicy scenario against a real OVN and returns the whole reachability matrix
// OVN gives, next to the one Kubernetes promises. The way rows reach the NB is a parameter:
// the export script by default; the reconcile tests pass an `nbgen apply` writer instead.
import {
  capabilitiesForOvnVersion,
  compile,
  kubeOvnPortName,
  loadModel,
  renderNbctlScript,
  type CompileOptions,
  type NbRows,
} from '@ovn-nbgen/core';
import type { Ovn } from '../../harness/ovn.js';
import { buildTopology } from '../../harness/topology.js';
import type { TraceResult } from '../../harness/trace.js';
import { clusterPods, type ClusterPod } from './cluster.js';
import {
  expectedMatrix,
  formatMatrixDiff,
  mismatches,
  probeKey,
  probesFor,
  type Matrix,
  type Mismatch,
  type Probe,
} from './reachability.js';
import { scenarioSources, type NetpolScenario } from './scenarios.js';

/** Owner written to every row the e2e suites create. */
export const E2E_OWNER = 'nbgen-e2e';

export function e2eCompileOptions(ovn: Pick<Ovn, 'version'>): CompileOptions {
  return {
    owner: E2E_OWNER,
    capabilities: capabilitiesForOvnVersion(ovn.version),
    portNameFor: kubeOvnPortName,
    alwaysAllowCidrs: [],
    logging: {},
  };
}

/** Writes a scenario's policies into the NB (after the topology exists). */
export type PolicyWriter = (ovn: Ovn, scenario: NetpolScenario) => Promise<void>;

/**
 * manifests → loadModel → compile → renderNbctlScript → bash, the offline export path. `alter`
 * changes the compiled rows first (for tests proving that the suite notices wrong rows).
 */
export function exportScriptWriter(alter: (rows: NbRows) => NbRows = (rows) => rows): PolicyWriter {
  return async (ovn, scenario) => {
    const { model } = loadModel(scenarioSources(scenario));
    const options = e2eCompileOptions(ovn);
    const { rows } = compile(model, options);
    const script = renderNbctlScript(alter(rows), {
      owner: options.owner,
      capabilities: options.capabilities,
      target: `OVN ${ovn.version}`,
    });
    await ovn.runScript(script);
  };
}

export const writeWithExportScript: PolicyWriter = exportScriptWriter();

export interface ScenarioOutcome {
  readonly pods: readonly ClusterPod[];
  readonly probes: readonly Probe[];
  readonly expected: Matrix;
  readonly observed: Matrix;
  readonly mismatches: readonly Mismatch[];
  /** ovn-trace's answer for each probe, by `probeKey`. */
  readonly traces: ReadonlyMap<string, TraceResult>;
  /** Wall time of tracing all probes. */
  readonly traceMillis: number;
  /** Traces a probe again with ovn-trace's detailed output (every logical flow it hit). */
  readonly traceDetailed: (probe: Probe) => Promise<TraceResult>;
}

/**
 * Fresh NB → topology (switch, router, one port per pod) → policies via `write` → SB sync →
 * every probe through ovn-trace.
 */
export async function runScenario(
  ovn: Ovn,
  scenario: NetpolScenario,
  write: PolicyWriter = writeWithExportScript,
): Promise<ScenarioOutcome> {
  await ovn.resetNb();
  const pods = clusterPods(scenario.cluster);
  const topology = await buildTopology(ovn, {
    pods: pods.map((p) => ({ namespace: p.namespace, name: p.name, ips: [p.ipv4, ...(p.ipv6 ? [p.ipv6] : [])] })),
  });
  await write(ovn, scenario);
  await ovn.syncSb();

  const probes = probesFor(pods, scenario.connections);
  const expected = expectedMatrix(probes, scenario.expect);
  const observed = new Map<string, TraceResult['verdict']>();
  const traces = new Map<string, TraceResult>();
  const started = performance.now();
  for (const probe of probes) {
    const result = await ovn.trace(topology.podToPod(probe.from.key, probe.to.key, probe.conn));
    observed.set(probeKey(probe), result.verdict);
    traces.set(probeKey(probe), result);
  }
  const traceMillis = performance.now() - started;
  return {
    pods,
    probes,
    expected,
    observed,
    mismatches: mismatches(probes, expected, observed),
    traces,
    traceMillis,
    traceDetailed: (probe) =>
      ovn.trace({ ...topology.podToPod(probe.from.key, probe.to.key, probe.conn), format: 'detailed' }),
  };
}

/** A readable failure: the differing grids, then the first few probes with their trace. */
export async function describeMismatches(ovn: Ovn, scenario: NetpolScenario, outcome: ScenarioOutcome): Promise<string> {
  const lines = [
    `scenario "${scenario.name}": ${outcome.mismatches.length} of ${outcome.probes.length} probes differ from Kubernetes semantics`,
    formatMatrixDiff(outcome.pods, outcome.probes, outcome.expected, outcome.observed),
  ];
  for (const [i, m] of outcome.mismatches.slice(0, 3).entries()) {
    // The first mismatch with every logical flow it hit; the next ones in short form.
    const trace = i === 0 ? await outcome.traceDetailed(m.probe) : outcome.traces.get(probeKey(m.probe));
    lines.push('', `${probeKey(m.probe)}: expected ${m.expected}, ovn-trace says ${m.observed}`);
    if (trace) lines.push(`  $ ${trace.command}`, indent(trace.raw));
  }
  lines.push('', 'NB ACLs:', indent(await ovn.nbctl(['--columns=direction,priority,match,action,options', 'list', 'ACL'])));
  return lines.join('\n');
}

const indent = (text: string): string =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
