// `nbgen test` against `nbgen explain`: for every probe of the NetworkPolicy and tier e2e
// scenarios, the verdict `nbgen test` reports (CLI, -o json, all probes in one flows file) must be
// the one explainFlow gives. test/e2e/explain holds explainFlow equal to ovn-trace on the same
// probes, so `nbgen test` inherits that agreement.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compile, explainFlow, kubeOvnPortName, loadModel, type CompileOptions, type ManifestSource } from '@ovn-nbgen/core';
import { describe, expect, it } from 'vitest';
import { run } from '../../../packages/cli/src/main.js';
import { clusterPods } from '../netpol/cluster.js';
import { probesFor } from '../netpol/reachability.js';
import { netpolScenarios, scenarioSources as netpolSources } from '../netpol/scenarios.js';
import { compileOptionsFor, HOSTS, parseProbe, scenarioSources as tierSources } from '../tiers/run.js';
import { tierScenarios } from '../tiers/scenarios.js';

interface Flow {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly family: 4 | 6;
}

const scratch = join(import.meta.dirname, '../../.scratch/flowtest');
const VERSION = '25.03';

/** Runs `nbgen test -o json` on the scenario's manifests with every flow expected "allow". */
async function verdictsOfNbgenTest(name: string, sources: readonly ManifestSource[], flows: readonly Flow[]): Promise<string[]> {
  const dir = join(scratch, name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80));
  mkdirSync(dir, { recursive: true });
  for (const s of sources) writeFileSync(join(dir, s.name), s.text);
  writeFileSync(join(dir, 'flows.yaml'), stringify(flows.map((f) => ({ ...f, expect: 'allow' }))));
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), readStdin: async () => '', cwd: dir };
  const code = await run(['test', ...sources.flatMap((s) => ['-f', s.name]), '--expect', 'flows.yaml', '--ovn-version', VERSION, '-o', 'json'], io);
  expect(stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning '))).toEqual([]);
  const records = JSON.parse(stdout) as { verdict: string; passed: boolean }[];
  expect(code).toBe(records.every((r) => r.passed) ? 0 : 1);
  return records.map((r) => r.verdict);
}

function verdictsOfExplain(sources: readonly ManifestSource[], flows: readonly Flow[], options: CompileOptions): string[] {
  const { model } = loadModel(sources);
  const { rows } = compile(model, options);
  return flows.map((f) => explainFlow({ inventory: model, rows }, f, { portNameFor: kubeOvnPortName }).verdict);
}

describe('nbgen test gives explain’s verdict on every NetworkPolicy e2e probe', () => {
  for (const scenario of netpolScenarios) {
    it(scenario.name, async () => {
      const flows = probesFor(clusterPods(scenario.cluster), scenario.connections).map(
        (p): Flow => ({ from: p.from.key, to: p.to.key, port: p.conn.port, protocol: p.conn.protocol.toUpperCase() as Flow['protocol'], family: p.conn.family }),
      );
      const sources = netpolSources(scenario);
      const tested = await verdictsOfNbgenTest(scenario.name, sources, flows);
      expect(tested).toEqual(verdictsOfExplain(sources, flows, compileOptionsFor({ version: VERSION })));
    });
  }
});

describe('nbgen test gives explain’s verdict on every tier e2e probe', () => {
  // Replies and load-balancer picks (via) are not flows a flows file states.
  const firstPackets = (scenario: (typeof tierScenarios)[number]) => scenario.probes.map(parseProbe).filter((p) => !p.reply && !p.via);
  for (const scenario of tierScenarios.filter((s) => firstPackets(s).length > 0)) {
    it(scenario.name, async () => {
      const flows = firstPackets(scenario).map((p): Flow => ({ from: endpoint(p.from, p.family), to: endpoint(p.to, p.family), port: p.port, protocol: p.protocol.toUpperCase() as Flow['protocol'], family: p.family }));
      const sources = tierSources(scenario);
      const tested = await verdictsOfNbgenTest(scenario.name, sources, flows);
      expect(tested).toEqual(verdictsOfExplain(sources, flows, compileOptionsFor({ version: VERSION })));
      // And both are the API's promise (the probe lines' verdicts).
      expect(tested).toEqual(firstPackets(scenario).map((p) => (p.expected === 'drop' ? 'deny' : 'allow')));
    });
  }
});

/** A host that is not a pod is given by its address, as the tier e2e probes it. */
function endpoint(key: string, family: 4 | 6): string {
  const host = HOSTS.find((h) => `${h.namespace}/${h.name}` === key);
  if (!host) return key;
  return host.ips.find((a) => a.includes(':') === (family === 6))!;
}
