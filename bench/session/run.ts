/**
 * CompileSession benchmark: the per-event cost of keeping 10,000 NetworkPolicies over 50,000 pods
 * compiled. The cluster is the compile benchmark's (bench/compile/cluster.ts, same seed); events
 * are applied one at a time and each timed alone, medians reported next to one full `compile` of
 * the same model (the baseline a controller without a session pays per event). The pods are
 * spread over 100 Nodes that carry a join address, so every pod event also moves the own-node
 * rows (ownNode/compile.ts) of its node. Results: a table on stdout, JSON in
 * bench/results/session.json.
 *
 *   node --expose-gc --import tsx bench/session/run.ts            # 50k pods / 10k policies
 *   node --expose-gc --import tsx bench/session/run.ts --quick    # 10k pods / 1k policies
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compile,
  CompileSession,
  loadModel,
  type ModelObject,
  type Namespace,
  type NetworkPolicy,
  type Pod,
} from '@ovn-nbgen/core';
import { BENCH_COMPILE_OPTIONS, generateCluster } from '../compile/cluster.js';
import { joinAddressedNodes, nodeName, placedOnNodes } from '../compile/nodes.js';
import { median, p95 } from '../stats.js';

const SEED = 20261123;
const EVENTS_PER_KIND = 201;
const quick = process.argv.includes('--quick');
const size = quick ? { policies: 1_000, pods: 10_000 } : { policies: 10_000, pods: 50_000 };

const options = BENCH_COMPILE_OPTIONS;

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

const { text } = generateCluster(size, SEED);
const { model } = loadModel([{ name: 'cluster.json', text }]);

// Pod placement over Nodes with a join address: own-node port groups of ~500 pods each.
const NODES = quick ? 20 : 100;
const nodes = joinAddressedNodes(NODES);
const nodeOf = (i: number): string => nodeName(i % NODES);
const placedPods = placedOnNodes(model.pods, NODES);

const session = new CompileSession(options);
let started = performance.now();
const initial: ModelObject[] = [
  ...model.namespaces.map((value) => ({ kind: 'Namespace', value }) as const),
  ...nodes.map((value) => ({ kind: 'Node', value }) as const),
  ...placedPods.map((value) => ({ kind: 'Pod', value }) as const),
  ...model.networkPolicies.map((value) => ({ kind: 'NetworkPolicy', value }) as const),
];
session.apply(initial.map((object) => ({ type: 'upsert' as const, object })));
const initialLoadMs = performance.now() - started;

started = performance.now();
compile(session.model(), options);
const fullCompileMs = performance.now() - started;

const pods = placedPods.filter((p) => p.namespace.startsWith('ns-'));
const policies = model.networkPolicies;
const namespaces = model.namespaces.filter((n) => n.name.startsWith('ns-'));

/** Each kind of event, as a function of its sequence number: the object to upsert, or a removal. */
const eventKinds: Record<string, (i: number) => () => unknown> = {
  'pod add': (i) => {
    const base = pods[(i * 7919) % pods.length]!;
    const pod: Pod = { ...base, name: `added-${i}`, nodeName: nodeOf(i * 31), ips: [`10.200.${Math.floor(i / 256)}.${i % 256}`] };
    return () => session.upsert({ kind: 'Pod', value: pod });
  },
  'pod label change': (i) => {
    const base = pods[(i * 104729) % pods.length]!;
    const pod: Pod = { ...base, labels: { ...base.labels, app: `app-${(i * 13) % 100}` } };
    return () => session.upsert({ kind: 'Pod', value: pod });
  },
  'pod IP change': (i) => {
    const base = pods[(i * 15485863) % pods.length]!;
    const pod: Pod = { ...base, ips: [`10.201.${Math.floor(i / 256)}.${i % 256}`] };
    return () => session.upsert({ kind: 'Pod', value: pod });
  },
  'pod delete': (i) => {
    const base = pods[(i * 32452843) % pods.length]!;
    return () => session.remove({ kind: 'Pod', namespace: base.namespace, name: base.name });
  },
  'policy edit': (i) => {
    const base = policies[(i * 49979687) % policies.length]!;
    const edited: NetworkPolicy = { ...base, podSelector: { matchLabels: { app: `app-${(i * 17) % 100}` } } };
    return () => session.upsert({ kind: 'NetworkPolicy', value: edited });
  },
  'namespace relabel': (i) => {
    const base = namespaces[i % namespaces.length]!;
    const relabelled: Namespace = { ...base, labels: { ...base.labels, team: base.labels.team === 'payments' ? 'search' : 'payments' } };
    return () => session.upsert({ kind: 'Namespace', value: relabelled });
  },
};


// Wall time and CPU time (user + system of this process) per event: CPU time stays meaningful
// when other jobs share the cores.
const results: Record<string, { medianMs: number; p95Ms: number; medianCpuMs: number; medianRowsTouched: number }> = {};
for (const [name, make] of Object.entries(eventKinds)) {
  const times: number[] = [];
  const cpu: number[] = [];
  const touched: number[] = [];
  for (let i = 0; i < EVENTS_PER_KIND; i++) {
    const apply = make(i);
    const c = process.cpuUsage();
    const t = performance.now();
    const delta = apply() as { added: unknown[]; changed: unknown[]; removed: unknown[] };
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    touched.push(delta.added.length + delta.changed.length + delta.removed.length);
  }
  results[name] = { medianMs: round(median(times), 3), p95Ms: round(p95(times), 3), medianCpuMs: round(median(cpu), 3), medianRowsTouched: median(touched) };
}

const report = {
  size,
  nodesWithJoinAddress: NODES,
  seed: SEED,
  eventsPerKind: EVENTS_PER_KIND,
  initialLoadMs: Math.round(initialLoadMs),
  fullCompileMs: Math.round(fullCompileMs),
  events: results,
};
console.log(`CompileSession, ${size.pods} pods on ${NODES} nodes / ${size.policies} policies: initial load ${report.initialLoadMs} ms, one full compile ${report.fullCompileMs} ms`);
console.log('event               median ms   p95 ms   median CPU ms   rows touched (median)');
for (const [name, r] of Object.entries(results)) {
  console.log(`${name.padEnd(20)}${String(r.medianMs).padStart(9)}${String(r.p95Ms).padStart(9)}${String(r.medianCpuMs).padStart(14)}${String(r.medianRowsTouched).padStart(10)}`);
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', quick ? 'session-quick.json' : 'session.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
