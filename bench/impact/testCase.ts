/**
 * The `test` case of bench/impact, measured so both sides are alike (issue 12: `nbgen test` no more
 * than 1.5x the time of compiling alone).
 *
 * An earlier version timed the process's first compile (cold: V8 still compiling and optimizing the
 * compiler) as "compiling alone" and a second, warm compile plus the judge as "compile + judge",
 * which flattered the ratio. Here every sample is a fresh process:
 *  - in process: a child loads the model and builds the flows untimed, then times either `compile`
 *    alone or `compile` with onMatchTree + runFlowTests (what `nbgen test` runs), both cold;
 *  - whole command: the built CLI, `nbgen test -f CLUSTER --expect FLOWS` against `nbgen render -f
 *    CLUSTER` (reads, validates and compiles the same input, then prints the rows as JSON: more
 *    output work than test's, so the ratio against it is, if anything, the flattering one); and
 *    `nbgen test` judging one flow (the same command and compile, and the judge's set-up cost: the
 *    ACL program and the pod index, but not the per-flow work).
 * The sides alternate, N pairs; medians of CPU time (user + system) and the median of the per-pair
 * ratios. CPU, not wall time: on a shared machine wall time is mostly waiting for a core.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, kubeOvnPortName, loadModel, type AclRow, type MatchExpr, type Model } from '@ovn-nbgen/core';
import { parseFlowFile, runFlowTests, type ExpectedFlow } from '@ovn-nbgen/core/explain';
import { BENCH_COMPILE_OPTIONS, generateCluster, rng } from '../compile/cluster.js';
import { median } from '../stats.js';

const SEED = 20261204;
const SIZE = { pods: 10_000, policies: 1_000 };
const FLOWS = 10_000;
const PORTS = [80, 8080, 9090, 443, 53, 9050];
const MiB = 1024 * 1024;
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/** `hook`: compile with the onMatchTree hook `nbgen test` passes, nothing judged (what the hook costs). */
export type TestSide = 'compile' | 'judge' | 'hook';

interface FlowSpec {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: 'TCP';
  readonly expect: 'allow';
}

/** 10,000 seeded pod-to-pod flows, all expected to be allowed (most are not: the output is long). */
function flowSpecs(model: Model): FlowSpec[] {
  const random = rng(SEED);
  const pods = model.pods.filter((p) => p.ips.length > 0);
  return Array.from({ length: FLOWS }, (_, i) => {
    const from = pods[Math.floor(random() * pods.length)]!;
    const to = pods[Math.floor(random() * pods.length)]!;
    return { from: `${from.namespace}/${from.name}`, to: `${to.namespace}/${to.name}`, port: PORTS[i % PORTS.length]!, protocol: 'TCP', expect: 'allow' };
  });
}

const clusterText = (): string => generateCluster(SIZE, SEED).text;
const loadCluster = (text: string): Model => loadModel([{ name: 'cluster.yaml', text }]).model;

/** One cold side, in this (fresh) process: everything before the timed call is untimed. */
export function runTestSide(side: TestSide) {
  const model = loadCluster(clusterText());
  // Read from a flows file's text, as the command reads flows.json (untimed, as there: it is read
  // before the compile): its texts are flat, as JSON.parse makes them. Flows built from template
  // strings are cons strings, flattened on first lookup, which the command never pays (about 15 ms
  // of the judge, 2026-12-05).
  const flows: ExpectedFlow[] = parseFlowFile({ name: 'flows.json', text: JSON.stringify(flowSpecs(model)) });
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let judgeCpuMs: number | undefined;
  let allowed: number | undefined;
  if (side === 'compile') {
    compile(model, BENCH_COMPILE_OPTIONS);
  } else if (side === 'hook') {
    const matchTrees = new Map<AclRow, MatchExpr>();
    compile(model, { ...BENCH_COMPILE_OPTIONS, onMatchTree: (row, tree) => matchTrees.set(row, tree) });
  } else {
    // As `nbgen test`: the compile hands over its match trees, the judge reads them.
    const matchTrees = new Map<AclRow, MatchExpr>();
    const { rows } = compile(model, { ...BENCH_COMPILE_OPTIONS, onMatchTree: (row, tree) => matchTrees.set(row, tree) });
    const judgeStart = process.cpuUsage();
    const results = runFlowTests({ inventory: model, rows, matchTrees }, flows, { portNameFor: kubeOvnPortName });
    judgeCpuMs = cpuMsSince(judgeStart);
    allowed = results.filter((r) => r.passed).length;
  }
  const wallMs = performance.now() - start;
  return { side, cpuMs: cpuMsSince(cpuStart), wallMs: round(wallMs), judgeCpuMs, allowed, peakRssMiB: round((process.resourceUsage().maxRSS * 1024) / MiB, 0) };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return round((user + system) / 1000);
}

type SideResult = ReturnType<typeof runTestSide>;

/**
 * CPU time (user + system) of the children this process has waited for, from /proc/self/stat
 * (cutime, cstime; clock ticks of 10 ms), as bench/startup.
 */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

export interface TestCaseOptions {
  /** The bench script, run again as `--case=test-side --side=...`. */
  readonly self: string;
  readonly pairs: number;
  /** The built CLI (packages/cli/bin/nbgen.js). */
  readonly cli: string;
}

/** Both measures, each side cold in its own process, the sides alternating. */
export function benchTestFairly({ self, pairs, cli }: TestCaseOptions) {
  return { pods: SIZE.pods, policies: SIZE.policies, flows: FLOWS, pairs, inProcess: inProcessPairs(self, pairs), wholeCommand: wholeCommandRuns(cli, pairs) };
}

function inProcessPairs(self: string, pairs: number) {
  const sideOnce = (side: TestSide): SideResult => {
    const child = spawnSync(process.execPath, [...process.execArgv, self, '--case=test-side', `--side=${side}`], { encoding: 'utf8', maxBuffer: 64 * MiB });
    if (child.status !== 0) throw new Error(`bench side ${side} failed:\n${child.stderr}`);
    return JSON.parse(child.stdout) as SideResult;
  };
  const samples: { compile: SideResult; judge: SideResult }[] = [];
  for (let i = 0; i < pairs; i++) {
    // Alternate which side runs first, so a load change within a pair favours neither.
    const [first, second] = i % 2 === 0 ? (['compile', 'judge'] as const) : (['judge', 'compile'] as const);
    const a = sideOnce(first);
    const b = sideOnce(second);
    samples.push(first === 'compile' ? { compile: a, judge: b } : { compile: b, judge: a });
  }
  const compileCpu = samples.map((s) => s.compile.cpuMs);
  const judgeCpu = samples.map((s) => s.judge.cpuMs);
  return {
    compileCpuMs: median(compileCpu),
    compileAndJudgeCpuMs: median(judgeCpu),
    cpuRatioOfMedians: round(median(judgeCpu) / median(compileCpu), 2),
    cpuRatioMedianOfPairs: round(median(samples.map((s) => s.judge.cpuMs / s.compile.cpuMs)), 2),
    pairRatios: samples.map((s) => round(s.judge.cpuMs / s.compile.cpuMs, 2)),
    judgeCpuMs: median(samples.map((s) => s.judge.judgeCpuMs!)),
    compileWallMs: median(samples.map((s) => s.compile.wallMs)),
    compileAndJudgeWallMs: median(samples.map((s) => s.judge.wallMs)),
    allowed: samples[0]!.judge.allowed,
    peakRssMiB: { compile: median(samples.map((s) => s.compile.peakRssMiB)), compileAndJudge: median(samples.map((s) => s.judge.peakRssMiB)) },
  };
}

/**
 * The case's input as files in `dir`: cluster.yaml, flows.json (10,000 flows) and one-flow.json.
 * For a profile of the command: `--case=test-files --dir=DIR`, then
 * `node --cpu-prof packages/cli/bin/nbgen.js test -f DIR/cluster.yaml --expect DIR/flows.json`.
 */
export function writeTestInputs(dir: string) {
  const text = clusterText();
  const files = { cluster: join(dir, 'cluster.yaml'), flows: join(dir, 'flows.json'), oneFlow: join(dir, 'one-flow.json') };
  const specs = flowSpecs(loadCluster(text));
  writeFileSync(files.cluster, text);
  writeFileSync(files.flows, JSON.stringify(specs));
  writeFileSync(files.oneFlow, JSON.stringify(specs.slice(0, 1)));
  return files;
}

function wholeCommandRuns(cli: string, runs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'nbgen-bench-test-'));
  try {
    const { cluster, flows, oneFlow } = writeTestInputs(dir);
    const commands = {
      test: ['test', '-f', cluster, '--expect', flows],
      render: ['render', '-f', cluster],
      testOneFlow: ['test', '-f', cluster, '--expect', oneFlow],
    } as const;
    type Name = keyof typeof commands;
    const names = Object.keys(commands) as Name[];
    const expectedExit: Record<Name, number | null> = { test: 1, render: 0, testOneFlow: null };
    const once = (name: Name) => {
      const cpuBefore = childrenCpuMs();
      const start = performance.now();
      const child = spawnSync(process.execPath, [cli, ...commands[name]], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      const wallMs = performance.now() - start;
      if (child.status === null || child.status > 1 || (expectedExit[name] !== null && child.status !== expectedExit[name])) throw new Error(`nbgen ${commands[name].join(' ')} exited ${child.status}:\n${child.stderr}`);
      return { cpuMs: childrenCpuMs() - cpuBefore, wallMs };
    };
    once('render'); // the file cache
    const samples = new Map<Name, { cpuMs: number; wallMs: number }[]>(names.map((n) => [n, []]));
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? names : [...names].reverse();
      for (const name of order) samples.get(name)!.push(once(name));
    }
    const cpu = (name: Name) => samples.get(name)!.map((s) => s.cpuMs);
    const ratio = (against: Name) => ({
      ofMedians: round(median(cpu('test')) / median(cpu(against)), 2),
      medianOfRuns: round(median(cpu('test').map((c, i) => c / cpu(against)[i]!)), 2),
    });
    return {
      commands: Object.fromEntries(names.map((n) => [n, `nbgen ${commands[n].join(' ').replaceAll(dir, '$DIR')}`])),
      cpuMs: Object.fromEntries(names.map((n) => [n, median(cpu(n))])),
      wallMs: Object.fromEntries(names.map((n) => [n, round(median(samples.get(n)!.map((s) => s.wallMs)))])),
      testToRender: ratio('render'),
      testToTestOneFlow: ratio('testOneFlow'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
