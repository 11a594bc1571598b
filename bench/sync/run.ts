/**
 * End to end through a real ovsdb-server: a controller's loop on the library (a CompileSession
 * from `Reconciler.compileSession`, each batch committed with `reconcileDelta`), fed with mixed
 * watch events (pod adds, label changes, IP changes, deletes, policy edits, namespace relabels):
 *
 *  1. latency: one event at a time, from the event to its committed transaction (median, p95);
 *  2. a sustained stream at --rate events per second for --seconds: events are due on a fixed
 *     schedule, the loop takes every event due and commits them as one batch; reported: the lag
 *     of the last event (its commit time minus the time it was due), the worst lag per interval,
 *     and the heap after a GC at each interval (it must not grow with the number of events);
 *  3. the NB then equals `nbgen apply` of the final state: a fresh Reconciler plans the full
 *     compile of the session's model against the NB and must find nothing to do.
 *
 * The NB holds a logical switch port for every pod the run ever names (as Kube-OVN creates them
 * before the pod runs). Pods sit on Nodes with a join address (own-node rows follow them).
 *
 *   node --expose-gc --import tsx bench/sync/run.ts                  # 10k pods / 2k policies, 1,000/s for 60 s
 *   node --expose-gc --import tsx bench/sync/run.ts --quick          # 2k pods / 200 policies, 1,000/s for 10 s
 *   node --expose-gc --import tsx bench/sync/run.ts --pods 50000 --policies 10000
 *   ... --stream-profile FILE                                       # a CPU profile of the stream (phase 2)
 *   ... --stream-allocations FILE                                   # what the stream allocates (sampled)
 *   ... --fixed-batch N     # phase 2 without the schedule: N events a transaction, one after another
 *                           # (the CPU per event of two trees compared at the same batch size; lag is meaningless)
 *   ... --by-row            # deltas committed row by row (reconcileRows, as `nbgen sync` does), not by object
 *   ... --heap-snapshot-at N  # a heap snapshot after GC once N stream events are taken (repeatable)
 * Results: a summary on stdout, JSON in bench/results/sync.json (sync-quick.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { compile, kubeOvnPortName, loadModel, sortNbRows, type Namespace, type NbRow, type NbRows, type NetworkPolicy, type Pod, type RowDelta, type SessionEvent } from '@ovn-nbgen/core';
import { OvsdbClient, Reconciler } from '@ovn-nbgen/ovsdb';
import { startStandaloneNb, stopAllOvsdbServers } from '../../test/harness/ovsdbServer.js';
import { generateCluster } from '../compile/cluster.js';
import { joinAddressedNodes, nodeName, placedOnNodes } from '../compile/nodes.js';
import { median, p95 } from '../stats.js';
import { INTERVAL_MS, LATENCY_EVENTS, NODES, quick, RATE, SECONDS, SEED, size } from './options.js';

const OWNER = 'bench-sync';
const COMPILE = { alwaysAllowCidrs: ['100.64.0.0/16'] };

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const heapMb = (): number => {
  globalThis.gc?.();
  return round(process.memoryUsage().heapUsed / 2 ** 20);
};

// The cluster, placed on nodes.
const { text } = generateCluster(size, SEED);
const { model } = loadModel([{ name: 'cluster.json', text }]);
const nodes = joinAddressedNodes(NODES);
const pods = placedOnNodes(model.pods, NODES);
const workloadNamespaces = model.namespaces.map((n) => n.name).filter((n) => n.startsWith('ns-'));

/**
 * Mixed events, deterministic in their sequence number: what a watch of a busy cluster brings
 * (pods come, go, get relabelled and readdressed; a policy is edited now and then, a namespace
 * relabelled rarely). As many pods go as come, so the cluster keeps its size and the heap after
 * GC can be read against the number of events. Every event is an upsert or removal the session accepts as is.
 */
class EventSource {
  private readonly live: Pod[];
  private readonly namespaces: Namespace[];
  private readonly policies: NetworkPolicy[];
  private added = 0;
  /**
   * The n-th pod the run adds: named churn-n, in the n-th workload namespace (round robin), so
   * the switch ports created up front are one per added pod (at 50,000 pods a port per added
   * name in every namespace would be 1.5 million).
   */
  static added = (n: number): { namespace: string; name: string } => ({ namespace: workloadNamespaces[n % workloadNamespaces.length]!, name: `churn-${n}` });

  constructor(private readonly maxAdds: number) {
    this.live = pods.filter((p) => p.namespace.startsWith('ns-'));
    this.namespaces = model.namespaces.filter((n) => n.name.startsWith('ns-'));
    this.policies = [...model.networkPolicies];
  }

  next(i: number): SessionEvent {
    const roll = (i * 7919) % 100;
    const pick = <T>(list: readonly T[], salt: number): [T, number] => {
      const at = (i * 104729 + salt) % list.length;
      return [list[at]!, at];
    };
    if (roll < 25 && this.added < this.maxAdds) {
      const [base] = pick(this.live, 1);
      const n = this.added++;
      const pod: Pod = { ...base, ...EventSource.added(n), nodeName: nodeName(n % NODES), ips: [`10.200.${Math.floor(n / 256) % 256}.${n % 256}`] };
      this.live.push(pod);
      return { type: 'upsert', object: { kind: 'Pod', value: pod } };
    }
    if (roll < 50) {
      const [base, at] = pick(this.live, 2);
      this.live.splice(at, 1);
      return { type: 'remove', id: { kind: 'Pod', namespace: base.namespace, name: base.name } };
    }
    if (roll < 75) {
      const [base, at] = pick(this.live, 3);
      const pod: Pod = { ...base, labels: { ...base.labels, app: `app-${(i * 13) % 100}` } };
      this.live[at] = pod;
      return { type: 'upsert', object: { kind: 'Pod', value: pod } };
    }
    if (roll < 88) {
      const [base, at] = pick(this.live, 4);
      const pod: Pod = { ...base, ips: [`10.201.${Math.floor(i / 256) % 256}.${i % 256}`] };
      this.live[at] = pod;
      return { type: 'upsert', object: { kind: 'Pod', value: pod } };
    }
    if (roll < 99) {
      const [base, at] = pick(this.policies, 5);
      const policy: NetworkPolicy = { ...base, podSelector: { matchLabels: { app: `app-${(i * 17) % 100}` } } };
      this.policies[at] = policy;
      return { type: 'upsert', object: { kind: 'NetworkPolicy', value: policy } };
    }
    const [base, at] = pick(this.namespaces, 6);
    const namespace: Namespace = { ...base, labels: { ...base.labels, team: base.labels.team === 'payments' ? 'search' : 'payments' } };
    this.namespaces[at] = namespace;
    return { type: 'upsert', object: { kind: 'Namespace', value: namespace } };
  }
}

const totalEvents = LATENCY_EVENTS + RATE * SECONDS;
const maxAdds = Math.ceil(totalEvents * 0.25) + 1;

// The NB: one switch with a port per pod the run names (initial and added), one transaction.
const nb = await startStandaloneNb();
const connect = () => OvsdbClient.connect({ remote: nb.remotes.unix!, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
{
  const client = await connect();
  const txn = client.transaction();
  const sw = txn.insert('Logical_Switch', { name: 'ovn-default' });
  const ports = pods.map(kubeOvnPortName);
  const addedPorts = Array.from({ length: maxAdds }, (_, n) => kubeOvnPortName(EventSource.added(n) as Pod));
  txn.insertChildren('Logical_Switch_Port', [...new Set([...ports, ...addedPorts])].map((name) => ({ name })), { parent: { table: 'Logical_Switch', uuidName: sw }, column: 'ports' });
  await client.transact(txn);
  await client.close();
}

const client = await connect();
const reconciler = await Reconciler.start(client, { owner: OWNER });
const session = reconciler.compileSession(COMPILE);

// The initial list, committed once.
let started = performance.now();
session.apply([
  ...model.namespaces.map((value) => ({ type: 'upsert', object: { kind: 'Namespace', value } }) as const),
  ...nodes.map((value) => ({ type: 'upsert', object: { kind: 'Node', value } }) as const),
  ...pods.map((value) => ({ type: 'upsert', object: { kind: 'Pod', value } }) as const),
  ...model.networkPolicies.map((value) => ({ type: 'upsert', object: { kind: 'NetworkPolicy', value } }) as const),
]);
await reconciler.reconcile(session.rows());
const initialMs = performance.now() - started;
const heapAfterInitial = heapMb();

// --by-row: each delta committed row by row (`reconcileRows`, what `nbgen sync` does once an object
// was reconciled whole; here the initial full reconcile did that for every object), not object by
// object (`reconcileDelta`: every row of each object the delta touches is planned).
const byRow = process.argv.includes('--by-row');
const commitDelta = (delta: RowDelta, options: Parameters<typeof reconciler.reconcileDelta>[2] = {}) =>
  byRow
    ? reconciler.reconcileRows({ objects: [], rows: sortNbRows(rowsByTable([...delta.added, ...delta.changed])), removed: delta.removed }, options)
    : reconciler.reconcileDelta(session, delta, options);

const source = new EventSource(maxAdds);
let sequence = 0;

// 1. Latency: one event at a time (--profile FILE writes a CPU profile of this phase).
const latencies: number[] = [];
const cpuTimes: number[] = [];
const operations: number[] = [];
const profileFile = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1]! : null;
const profiler = profileFile === null ? null : new InspectorSession();
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
for (let k = 0; k < LATENCY_EVENTS; k++) {
  const event = source.next(sequence++);
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = await commitDelta(session.apply([event]));
  latencies.push(performance.now() - t);
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
  operations.push(result.operations);
}
if (profiler) writeFileSync(profileFile!, JSON.stringify((await profiler.post('Profiler.stop')).profile));

// 2. A sustained stream: event i is due at start + i / RATE seconds.
const heap: { events: number; heapMb: number }[] = [{ events: 0, heapMb: heapMb() }];
const worstLagPerInterval: number[] = [];
const batchSizes: number[] = [];
const streamEvents = RATE * SECONDS;
const fixedBatch = process.argv.includes('--fixed-batch') ? Number(process.argv[process.argv.indexOf('--fixed-batch') + 1]) : 0;
let taken = 0;
let worstLag = 0;
let lastLag = 0;
let nextReport = INTERVAL_MS;
let compileMs = 0;
let commitMs = 0;
let planMs = 0;
let reconcileCpuMs = 0;
let streamOperations = 0;
/** Desired rows the stream's plans compared (the touched objects' rows, or with --by-row the changed rows). */
let rowsPlanned = 0;
const streamProfileFile = process.argv.includes('--stream-profile') ? process.argv[process.argv.indexOf('--stream-profile') + 1]! : null;
const streamProfiler = streamProfileFile === null ? null : new InspectorSession();
if (streamProfiler) {
  streamProfiler.connect();
  await streamProfiler.post('Profiler.enable');
  await streamProfiler.post('Profiler.start');
}
// --stream-allocations FILE: a sampling profile of what the stream allocates, collected objects
// included (where the garbage comes from), written as a .heapprofile.
const allocationsFile = process.argv.includes('--stream-allocations') ? process.argv[process.argv.indexOf('--stream-allocations') + 1]! : null;
const allocations = allocationsFile === null ? null : new InspectorSession();
if (allocations) {
  allocations.connect();
  await allocations.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}
// --heap-snapshot-at N (repeatable): after the batch that reaches N stream events, a GC and a heap
// snapshot (bench/results/sync-heap-N.heapsnapshot), to diff where the heap grew between two of them.
const snapshotMarks = process.argv.flatMap((arg, at) => (arg === '--heap-snapshot-at' ? [Number(process.argv[at + 1])] : [])).sort((a, b) => a - b);
const snapshotIfDue = (): void => {
  if (snapshotMarks.length === 0 || taken < snapshotMarks[0]!) return;
  const mark = snapshotMarks.shift()!;
  globalThis.gc?.();
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', `sync-heap-${mark}.heapsnapshot`);
  mkdirSync(dirname(file), { recursive: true });
  writeHeapSnapshot(file);
  console.log(`heap snapshot at ${taken} events: ${file}`);
};
started = performance.now();
const dueAt = (n: number): number => started + (n * 1000) / RATE;
while (taken < streamEvents) {
  const now = fixedBatch > 0 ? Infinity : performance.now();
  if (dueAt(taken) > now) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt(taken) - now)));
    continue;
  }
  const batch: SessionEvent[] = [];
  const first = taken;
  while (taken < streamEvents && dueAt(taken) <= now && (fixedBatch === 0 || batch.length < fixedBatch)) {
    batch.push(source.next(sequence++));
    taken++;
  }
  const compiledAt = performance.now();
  const delta = session.apply(batch);
  const committingAt = performance.now();
  const cpu = process.cpuUsage();
  // Until 'planned': the plan and the transaction built from it, all in this process.
  const result = await commitDelta(delta, { onProgress: (p) => p.phase === 'planned' && (planMs += performance.now() - committingAt) });
  const used = process.cpuUsage(cpu);
  reconcileCpuMs += (used.user + used.system) / 1000;
  compileMs += committingAt - compiledAt;
  commitMs += performance.now() - committingAt;
  streamOperations += result.operations;
  rowsPlanned += result.plan.wanted;
  batchSizes.push(batch.length);
  // The oldest event of the batch waited longest: its lag is the batch's.
  lastLag = performance.now() - dueAt(taken - 1);
  worstLag = Math.max(worstLag, performance.now() - dueAt(first));
  if (performance.now() - started >= nextReport) {
    worstLagPerInterval.push(round(worstLag));
    worstLag = 0;
    heap.push({ events: taken, heapMb: heapMb() });
    nextReport += INTERVAL_MS;
  }
  snapshotIfDue();
}
const streamMs = performance.now() - started;
if (streamProfiler) writeFileSync(streamProfileFile!, JSON.stringify((await streamProfiler.post('Profiler.stop')).profile));
if (allocations) writeFileSync(allocationsFile!, JSON.stringify((await allocations.post('HeapProfiler.stopSampling')).profile));
heap.push({ events: taken, heapMb: heapMb() });

// 3. The NB equals a full apply of the final state: nothing left to do for a fresh reconciler.
const checkClient = await connect();
const checker = await Reconciler.start(checkClient, { owner: OWNER });
const full = compile(session.model(), { ...COMPILE, owner: OWNER, capabilities: checker.capabilities });
const plan = checker.plan(full.rows);
const pending = plan.inserts.length + plan.updates.length + plan.deletes.length;
await checker.close();
await checkClient.close();
await reconciler.close();
await client.close();
await nb.stop();
await stopAllOvsdbServers();

const report = {
  size,
  nodesWithJoinAddress: NODES,
  seed: SEED,
  initialSyncMs: Math.round(initialMs),
  heapAfterInitialMb: heapAfterInitial,
  latency: {
    events: LATENCY_EVENTS,
    medianMs: round(median(latencies), 2),
    p95Ms: round(p95(latencies), 2),
    medianCpuMs: round(median(cpuTimes), 2),
    medianOperations: median(operations),
  },
  stream: {
    rate: RATE,
    seconds: SECONDS,
    events: streamEvents,
    wallMs: Math.round(streamMs),
    transactions: batchSizes.length,
    medianBatch: median(batchSizes),
    operations: streamOperations,
    compileMs: Math.round(compileMs),
    reconcileMs: Math.round(commitMs),
    reconcilePlanMs: Math.round(planMs),
    reconcileCpuMs: Math.round(reconcileCpuMs),
    lagAtEndMs: round(lastLag),
    worstLagPerIntervalMs: worstLagPerInterval,
    heap,
  },
  nbEqualsFullApply: pending === 0,
  pendingOperationsOfFullApply: pending,
};
console.log(`sync through a real ovsdb-server, ${size.pods} pods on ${NODES} nodes / ${size.policies} policies: initial sync ${report.initialSyncMs} ms`);
console.log(
  `event → committed transaction: median ${report.latency.medianMs} ms, p95 ${report.latency.p95Ms} ms, median CPU of this process ${report.latency.medianCpuMs} ms (${LATENCY_EVENTS} events one at a time)`,
);
console.log(`stream ${RATE}/s for ${SECONDS} s: ${streamEvents} events in ${report.stream.transactions} transactions (median batch ${report.stream.medianBatch}), done after ${report.stream.wallMs} ms, lag at end ${report.stream.lagAtEndMs} ms`);
console.log(`  of which session.apply ${report.stream.compileMs} ms, reconcileDelta ${report.stream.reconcileMs} ms (${streamOperations} operations, ${rowsPlanned} desired rows planned)`);
console.log(`  reconcileDelta: plan + transaction built ${report.stream.reconcilePlanMs} ms, CPU of this process ${report.stream.reconcileCpuMs} ms (${round((reconcileCpuMs * 1000) / streamEvents)} µs per event)`);
console.log(`worst lag per ${INTERVAL_MS / 1000} s: ${worstLagPerInterval.join(' ')} ms`);
console.log(`heap after GC (MB) by events: ${heap.map((h) => `${h.events}:${h.heapMb}`).join(' ')}`);
console.log(`NB equals nbgen apply of the final state: ${report.nbEqualsFullApply ? 'yes' : `NO (${pending} operations pending)`}`);
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', quick ? 'sync-quick.json' : 'sync.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
if (pending !== 0) process.exitCode = 1;

function rowsByTable(rows: readonly NbRow[]): NbRows {
  const of = <T extends NbRow['table']>(table: T) => rows.filter((r): r is Extract<NbRow, { table: T }> => r.table === table);
  return { portGroups: of('Port_Group'), addressSets: of('Address_Set'), acls: of('ACL'), nats: of('NAT'), loadBalancers: of('Load_Balancer') };
}
