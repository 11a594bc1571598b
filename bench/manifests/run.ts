/**
 * Loading manifests: 50,000 pods as `kubectl get -o json` prints them (the baseline), as
 * `kubectl get -o yaml` prints them (a List) and as `---`-separated YAML documents. Each text goes
 * through `loadModel` (parse + validate + build the model), the runs of the three interleaved so
 * that load from other processes falls on all of them; the result is the YAML ÷ JSON ratio of the
 * medians (wall and CPU time). The `yaml` package's `parseAllDocuments` on the multi-document text
 * (what every YAML file went through before the block reader) is timed alongside.
 *
 *   npx tsx bench/manifests/run.ts            # 50,000 pods, 5 runs
 *   npx tsx bench/manifests/run.ts --quick    # 10,000 pods, 3 runs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { loadModel } from '@ovn-nbgen/core';
import { kubectlList, kubectlPods, kubectlYaml } from './pods.js';
import { median } from '../stats.js';

const quick = process.argv.includes('--quick');
const PODS = quick ? 10_000 : 50_000;
const RUNS = quick ? 3 : 5;

const gc = (globalThis as { gc?: () => void }).gc;
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

interface Timing {
  readonly wallMs: number[];
  readonly cpuMs: number[];
}

function timed(timing: Timing, run: () => unknown): unknown {
  gc?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = run();
  timing.wallMs.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  timing.cpuMs.push((used.user + used.system) / 1000);
  return result;
}

/** The pods a load produced, in a form that differs if any reader read a value differently. */
function podDigest(text: string, name: string): string {
  const { model } = loadModel([{ name, text }]);
  return JSON.stringify(model.pods.map((p) => [p.namespace, p.name, p.labels, p.ips, p.nodeName, p.containerPorts]));
}

function main(): void {
  const pods = kubectlPods(PODS);
  const texts = {
    json: JSON.stringify(kubectlList(pods), null, 4),
    yamlList: kubectlYaml(kubectlList(pods)),
    yamlDocuments: pods.map((p) => kubectlYaml(p)).join('---\n'),
  };
  const digest = podDigest(texts.json, 'pods.json');
  for (const [format, text] of Object.entries(texts)) {
    if (podDigest(text, `pods-${format}.yaml`) !== digest) throw new Error(`${format}: the pods read differ from the JSON ones`);
  }
  const timings = { json: { wallMs: [], cpuMs: [] }, yamlList: { wallMs: [], cpuMs: [] }, yamlDocuments: { wallMs: [], cpuMs: [] }, yamlPackage: { wallMs: [], cpuMs: [] } } satisfies Record<string, Timing>;
  for (let run = 0; run < RUNS; run++) {
    timed(timings.json, () => loadModel([{ name: 'pods.json', text: texts.json }]));
    timed(timings.yamlList, () => loadModel([{ name: 'pods.yaml', text: texts.yamlList }]));
    timed(timings.yamlDocuments, () => loadModel([{ name: 'pods.yaml', text: texts.yamlDocuments }]));
    if (run < 2) timed(timings.yamlPackage, () => parseAllDocuments(texts.yamlDocuments, { uniqueKeys: true }).map((d) => d.toJS()));
  }
  const json = { wall: median(timings.json.wallMs), cpu: median(timings.json.cpuMs) };
  const rows = Object.entries(timings).map(([format, t]) => {
    const wall = median(t.wallMs);
    const cpu = median(t.cpuMs);
    return { format, wallMs: round(wall), cpuMs: round(cpu), toJson: round(wall / json.wall, 2), toJsonCpu: round(cpu / json.cpu, 2) };
  });
  const mb = Object.fromEntries(Object.entries(texts).map(([k, t]) => [k, round(t.length / 1e6)]));
  console.log(`${PODS} pods, ${RUNS} runs (median); text MB: ${JSON.stringify(mb)}`);
  console.log('format          load ms  cpu ms  ÷json  ÷json(cpu)');
  for (const r of rows) {
    const label = r.format === 'yamlPackage' ? 'yaml pkg parse' : r.format;
    console.log(`${label.padEnd(14)} ${String(r.wallMs).padStart(8)} ${String(r.cpuMs).padStart(7)} ${String(r.toJson).padStart(6)} ${String(r.toJsonCpu).padStart(10)}`);
  }
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'manifests.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ pods: PODS, runs: RUNS, node: process.version, textMB: mb, results: rows }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

main();
