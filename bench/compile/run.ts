/**
 * NetworkPolicy compile benchmark. Each cluster size runs in its own child process so peak RSS is
 * per size. Per size: the baseline is loading + validating the same manifests (`loadModel`);
 * compile time is reported as a ratio to it, and the scaling ratio between sizes is compared with
 * the growth of the input. Results: a table on stdout, JSON in bench/results/compile.json.
 *
 *   npx tsx bench/compile/run.ts            # all sizes
 *   npx tsx bench/compile/run.ts --quick    # the two smaller sizes only
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, loadModel } from '@ovn-nbgen/core';
import { BENCH_COMPILE_OPTIONS, generateCluster, type ClusterSize } from './cluster.js';
import { median } from '../stats.js';

const SEED = 20261123;
const RUNS = 3;
const SIZES: readonly ClusterSize[] = [
  { policies: 1_000, pods: 10_000 },
  { policies: 1_000, pods: 50_000 },
  { policies: 10_000, pods: 10_000 },
  { policies: 10_000, pods: 50_000 },
];

interface SizeResult {
  readonly policies: number;
  readonly pods: number;
  readonly documents: number;
  readonly loadMs: number;
  readonly loadCpuMs: number;
  readonly compileMs: number;
  readonly compileMsRuns: readonly number[];
  /** CPU time (user + system) of the median run: robust when other processes share the cores. */
  readonly compileCpuMs: number;
  readonly compileToLoad: number;
  readonly compileToLoadCpu: number;
  readonly rows: { readonly portGroups: number; readonly addressSets: number; readonly addresses: number; readonly acls: number };
  readonly warnings: number;
  /** Heap still held by the compile result (rows), after GC. */
  readonly rowsHeapMiB: number | null;
  /** Peak RSS of the child after loading only, and after compiling too. */
  readonly peakRssAfterLoadMiB: number;
  readonly peakRssMiB: number;
}

const options = BENCH_COMPILE_OPTIONS;

const MiB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

function measure(size: ClusterSize): SizeResult {
  const cluster = generateCluster(size, SEED);
  let start = performance.now();
  let cpu = process.cpuUsage();
  const { model } = loadModel([{ name: 'cluster.yaml', text: cluster.text }]);
  const loadMs = performance.now() - start;
  const loadCpuMs = cpuMs(process.cpuUsage(cpu));
  const peakRssAfterLoadMiB = (process.resourceUsage().maxRSS * 1024) / MiB;

  const runs: number[] = [];
  const cpuRuns: number[] = [];
  let heapBefore = 0;
  let result = compile(model, options);
  for (let i = 0; i < RUNS; i++) {
    result = undefined as never;
    gc?.();
    heapBefore = process.memoryUsage().heapUsed;
    start = performance.now();
    cpu = process.cpuUsage();
    result = compile(model, options);
    runs.push(performance.now() - start);
    cpuRuns.push(cpuMs(process.cpuUsage(cpu)));
  }
  gc?.();
  const rowsHeapMiB = gc ? (process.memoryUsage().heapUsed - heapBefore) / MiB : null;
  const { rows, warnings } = result;
  const counts = {
    portGroups: rows.portGroups.length,
    addressSets: rows.addressSets.length,
    addresses: rows.addressSets.reduce((n, s) => n + s.addresses.length, 0),
    acls: rows.acls.length,
  };
  const compileMs = median(runs);
  const compileCpuMs = median(cpuRuns);
  return {
    policies: size.policies,
    pods: size.pods,
    documents: cluster.documents,
    loadMs: round(loadMs),
    loadCpuMs: round(loadCpuMs),
    compileMs: round(compileMs),
    compileMsRuns: runs.map((r) => round(r)),
    compileCpuMs: round(compileCpuMs),
    compileToLoad: round(compileMs / loadMs, 3),
    compileToLoadCpu: round(compileCpuMs / loadCpuMs, 3),
    rows: counts,
    warnings: warnings.length,
    rowsHeapMiB: rowsHeapMiB === null ? null : round(rowsHeapMiB),
    peakRssAfterLoadMiB: round(peakRssAfterLoadMiB),
    peakRssMiB: round((process.resourceUsage().maxRSS * 1024) / MiB),
  };
}

function runChild(size: ClusterSize): SizeResult {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', self, '--child', JSON.stringify(size)], {
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
  });
  if (child.status !== 0) throw new Error(`size ${JSON.stringify(size)} failed:\n${child.stderr}`);
  const line = child.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(line) as SizeResult;
}

function printTable(results: readonly SizeResult[]): void {
  const header = ['policies', 'pods', 'load ms', 'compile ms', 'compile/load', 'load cpu', 'compile cpu', 'cpu ratio', 'PGs', 'sets', 'addresses', 'ACLs', 'rows MiB', 'peak RSS MiB'];
  const lines = results.map((r) => [
    r.policies,
    r.pods,
    r.loadMs,
    r.compileMs,
    r.compileToLoad,
    r.loadCpuMs,
    r.compileCpuMs,
    r.compileToLoadCpu,
    r.rows.portGroups,
    r.rows.addressSets,
    r.rows.addresses,
    r.rows.acls,
    r.rowsHeapMiB ?? '-',
    r.peakRssMiB,
  ]);
  const table = [header, ...lines.map((l) => l.map(String))];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
}

/** How compile time grows from the smallest to the largest size, next to how the input grows. */
function scaling(results: readonly SizeResult[]): object {
  const small = results[0]!;
  const large = results.at(-1)!;
  return {
    from: `${small.policies}/${small.pods}`,
    to: `${large.policies}/${large.pods}`,
    inputGrowth: round((large.policies + large.pods) / (small.policies + small.pods), 2),
    compileGrowth: round(large.compileMs / small.compileMs, 2),
    compileCpuGrowth: round(large.compileCpuMs / small.compileCpuMs, 2),
    loadGrowth: round(large.loadMs / small.loadMs, 2),
    loadCpuGrowth: round(large.loadCpuMs / small.loadCpuMs, 2),
  };
}

function main(): void {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex >= 0) {
    console.log(JSON.stringify(measure(JSON.parse(process.argv[childIndex + 1]!) as ClusterSize)));
    return;
  }
  const sizes = process.argv.includes('--quick') ? SIZES.slice(0, 2) : SIZES;
  const results = sizes.map(runChild);
  printTable(results);
  const summary = { seed: SEED, runs: RUNS, node: process.version, results, scaling: scaling(results) };
  console.log('scaling:', JSON.stringify(summary.scaling));
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'compile.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

main();
