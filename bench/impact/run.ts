/**
 * Benchmarks of issue 12, each case in its own child process (peak RSS per case):
 *  - test:   10,000 flows over 10,000 pods and 1,000 policies; the baseline is compiling alone
 *            (target: under 5 s, and compile + judge no more than 1.5x compile).
 *  - matrix: 2,000 pods in 100 namespaces, 200 policies, a full matrix on 3 ports, per pod
 *            class and expanded to pods (target: under 10 s, under 1 GiB).
 *  - impact: two such versions differing in 5 policies (target: under 15 s).
 * Times are reported, never asserted (tests carry no timings). Results: bench/results/impact.json.
 *
 *   node --expose-gc --import tsx bench/impact/run.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compile,
  kubeOvnPortName,
  loadModel,
  type AclRow,
  type MatchExpr,
  type Model,
} from '@ovn-nbgen/core';
import {
  classMatrix,
  expandClassMatrix,
  impactOf,
  runFlowTests,
  type ExpectedFlow,
} from '@ovn-nbgen/core/explain';
import { BENCH_COMPILE_OPTIONS, generateCluster } from '../compile/cluster.js';

const SEED = 20261204;
const CASES = ['test', 'matrix', 'impact'] as const;
type Case = (typeof CASES)[number];

const options = BENCH_COMPILE_OPTIONS;
const MiB = 1024 * 1024;
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const peakRssMiB = (): number => round((process.resourceUsage().maxRSS * 1024) / MiB, 0);

/** Wall time of f in ms; its CPU time (user + system) is added to `cpu` under `name`. */
function timed<T>(f: () => T, name?: string): [T, number] {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const value = f();
  const { user, system } = process.cpuUsage(cpuStart);
  if (name) cpu[name] = round((user + system) / 1000);
  return [value, performance.now() - start];
}
// CPU milliseconds per timed section: on a machine shared with other jobs, wall time is mostly
// waiting for a core, CPU time is the work done (the ratios below are also given in CPU time).
const cpu: Record<string, number> = {};

function load(text: string): Model {
  return loadModel([{ name: 'cluster.yaml', text }]).model;
}

/** mulberry32, as the compile bench. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function benchTest() {
  const model = load(generateCluster({ pods: 10_000, policies: 1_000 }, SEED).text);
  const [, compileMs] = timed(() => compile(model, options), 'compile');
  const random = rng(SEED);
  const pods = model.pods.filter((p) => p.ips.length > 0);
  const ports = [80, 8080, 9090, 443, 53, 9050];
  const flows: ExpectedFlow[] = Array.from({ length: 10_000 }, (_, i) => {
    const from = pods[Math.floor(random() * pods.length)]!;
    const to = pods[Math.floor(random() * pods.length)]!;
    return {
      query: { from: `${from.namespace}/${from.name}`, to: `${to.namespace}/${to.name}`, port: ports[i % ports.length]!, protocol: 'TCP' },
      expect: 'allow',
      source: { file: 'flows.yaml', doc: 0 },
      path: `[${i}]`,
    };
  });
  const [results, totalMs] = timed(() => {
    // As `nbgen test`: the compile hands over its match trees, the judge reads them.
    const matchTrees = new Map<AclRow, MatchExpr>();
    const { rows } = compile(model, { ...options, onMatchTree: (row, tree) => matchTrees.set(row, tree) });
    return timed(() => runFlowTests({ inventory: model, rows, matchTrees }, flows, { portNameFor: kubeOvnPortName }), 'judge')[0];
  }, 'compileAndJudge');
  return {
    pods: 10_000,
    policies: 1_000,
    flows: flows.length,
    compileMs: round(compileMs),
    compileAndJudgeMs: round(totalMs),
    ratioToCompile: round(totalMs / compileMs, 2),
    compileCpuMs: cpu.compile,
    compileAndJudgeCpuMs: cpu.compileAndJudge,
    cpuRatioToCompile: round(cpu.compileAndJudge! / cpu.compile!, 2),
    // runFlowTests alone (program and flows), right after the second compile.
    judgeCpuMs: cpu.judge,
    allowed: results.filter((r) => r.passed).length,
    peakRssMiB: peakRssMiB(),
  };
}

const MEDIUM = { pods: 2_000, policies: 200, podsPerNamespace: 20 };

function benchMatrix() {
  const model = load(generateCluster(MEDIUM, SEED).text);
  const [{ rows }, compileMs] = timed(() => compile(model, options), 'compile');
  const probes = [80, 8080, 9090].map((port) => ({ protocol: 'TCP' as const, port }));
  const [classes, classMs] = timed(() => classMatrix({ inventory: model, rows }, probes, { portNameFor: kubeOvnPortName }), 'classMatrix');
  const [expanded, expandMs] = timed(() => expandClassMatrix(classes), 'expand');
  return {
    ...MEDIUM,
    namespaces: new Set(model.pods.map((p) => p.namespace)).size,
    classes: classes.classes.length,
    cells: expanded.pods.length ** 2 * probes.length,
    compileMs: round(compileMs),
    classMatrixMs: round(classMs),
    expandMs: round(expandMs),
    totalMs: round(compileMs + classMs + expandMs),
    totalCpuMs: round(cpu.compile! + cpu.classMatrix! + cpu.expand!),
    peakRssMiB: peakRssMiB(),
  };
}

function benchImpact() {
  const text = generateCluster(MEDIUM, SEED).text;
  // The after version drops 5 policies (a NetworkPolicy document per policy-N).
  const dropped = new Set(['policy-3', 'policy-17', 'policy-42', 'policy-99', 'policy-150']);
  const after = text
    .split('\n---\n')
    .filter((doc) => !(doc.includes('"kind":"NetworkPolicy"') && dropped.has((JSON.parse(doc) as { metadata: { name: string } }).metadata.name)))
    .join('\n---\n');
  const [impact, ms] = timed(() => {
    const b = load(text);
    const a = load(after);
    return impactOf({ model: b, rows: compile(b, options).rows }, { model: a, rows: compile(a, options).rows }, { portNameFor: kubeOvnPortName });
  }, 'total');
  return { ...MEDIUM, policiesChanged: dropped.size, flowsCompared: impact.flowsCompared, changes: impact.changes.length, totalMs: round(ms), totalCpuMs: cpu.total, peakRssMiB: peakRssMiB() };
}

const only = process.argv.find((a) => a.startsWith('--case='))?.slice('--case='.length) as Case | undefined;
if (only) {
  const result = only === 'test' ? benchTest() : only === 'matrix' ? benchMatrix() : benchImpact();
  process.stdout.write(JSON.stringify(result));
} else {
  const self = fileURLToPath(import.meta.url);
  const results: Record<string, unknown> = {};
  for (const c of CASES) {
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, `--case=${c}`], { encoding: 'utf8', maxBuffer: 64 * MiB });
    if (child.status !== 0) throw new Error(`bench case ${c} failed:\n${child.stderr}`);
    results[c] = JSON.parse(child.stdout);
    console.log(c, results[c]);
  }
  const out = join(dirname(self), '../results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'impact.json'), `${JSON.stringify(results, null, 2)}\n`);
}
