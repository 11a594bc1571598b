/**
 * Benchmarks of issue 12, each case in its own child process (peak RSS per case):
 *  - test:   10,000 flows over 10,000 pods and 1,000 policies; the baseline is compiling alone
 *            (target: under 5 s, and compile + judge no more than 1.5x compile). Each side cold
 *            in its own process, alternating: testCase.ts (--pairs=N, default 7; --cli=PATH).
 *            One side alone: --case=test-side --side=compile|judge|hook (hook: compile with the
 *            onMatchTree hook nbgen test passes, nothing judged).
 *  - matrix: 2,000 pods in 100 namespaces, 200 policies, a full matrix on 3 ports, per pod
 *            class and expanded to pods (target: under 10 s, under 1 GiB).
 *  - impact: two such versions differing in 5 policies (target: under 15 s).
 * Times are reported, never asserted (tests carry no timings). Results: bench/results/impact.json.
 *
 *   node --expose-gc --import tsx bench/impact/run.ts [--case=test|matrix|impact] [--pairs=N]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, kubeOvnPortName, loadModel, type Model } from '@ovn-nbgen/core';
import { classMatrix, expandClassMatrix, impactOf } from '@ovn-nbgen/core/explain';
import { BENCH_COMPILE_OPTIONS, generateCluster } from '../compile/cluster.js';
import { benchTestFairly, runTestSide, writeTestInputs, type TestSide } from './testCase.js';

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

const argValue = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const self = fileURLToPath(import.meta.url);
const pairs = Number(argValue('pairs') ?? 7);
const cli = argValue('cli') ?? join(dirname(self), '../../packages/cli/bin/nbgen.js');
const only = argValue('case') as Case | 'test-side' | 'test-files' | undefined;
if (only === 'test-side') {
  process.stdout.write(JSON.stringify(runTestSide(argValue('side') as TestSide)));
} else if (only === 'test-files') {
  console.log(writeTestInputs(argValue('dir') ?? '.'));
} else if (only === 'test') {
  // Spawns its own children (each side cold), so it runs here rather than in one child.
  console.log(JSON.stringify(benchTestFairly({ self, pairs, cli }), null, 2));
} else if (only) {
  const result = only === 'matrix' ? benchMatrix() : benchImpact();
  process.stdout.write(JSON.stringify(result));
} else {
  const results: Record<string, unknown> = {};
  for (const c of CASES) {
    if (c === 'test') {
      results[c] = benchTestFairly({ self, pairs, cli });
    } else {
      const child = spawnSync(process.execPath, [...process.execArgv, self, `--case=${c}`], { encoding: 'utf8', maxBuffer: 64 * MiB });
      if (child.status !== 0) throw new Error(`bench case ${c} failed:\n${child.stderr}`);
      results[c] = JSON.parse(child.stdout);
    }
    console.log(c, JSON.stringify(results[c], null, 2));
  }
  const out = join(dirname(self), '../results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'impact.json'), `${JSON.stringify(results, null, 2)}\n`);
}
