/**
 * The pipe bench's stream fed to a CompileSession alone, in process (no ovsdb-server, no
 * parsing): what the session costs per stream event at a given size, and why. Batches of
 * `--batch` events (default 100, about what `nbgen sync` compiles at once while keeping up).
 * Prints the session's CPU time per event (events validated beforehand, forced GCs left out), how
 * many NetworkPolicies it recompiled, and its heap after GC every 5,000 events.
 *
 *   node --expose-gc --import tsx --conditions=@ovn-nbgen/source bench/sync/sessionStream.ts --pods 50000 --policies 10000 --nodes 100
 */
import { capabilitiesForOvnVersion, CompileSession, kubeOvnPortName, manifestId, readManifest, type SessionEvent } from '@ovn-nbgen/core';
import { NODES, RATE, SECONDS, SEED, size } from './options.js';
import { WatchCluster, type Manifest, type WatchEvent } from './watchStream.js';

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const BATCH = flag('--batch', 100);
const events = RATE * SECONDS;
const cluster = new WatchCluster(size, SEED, NODES, Math.ceil(events * 0.25) + 1);
const session = new CompileSession({ owner: 'nbgen', capabilities: capabilitiesForOvnVersion('23.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: ['100.64.0.0/16'] });

const sessionEventOf = (event: WatchEvent): SessionEvent => {
  const object = event.object as Manifest & Record<string, unknown>;
  if (event.type === 'DELETED') return { type: 'remove', id: manifestId(object)! };
  const reading = readManifest(object, { file: '-', doc: 0 });
  if (reading.ok !== true) throw new Error(`bench: ${JSON.stringify(reading)}`);
  return { type: 'upsert', object: reading.object };
};

// Counts the NetworkPolicies each batch recompiles (a private method: measurement only).
let recompiled = 0;
const proto = CompileSession.prototype as unknown as { recompilePolicies: (keys: ReadonlySet<string>) => void };
const recompilePolicies = proto.recompilePolicies;
proto.recompilePolicies = function (keys) {
  recompiled += keys.size;
  return recompilePolicies.call(this, keys);
};

const ms = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
let start = process.cpuUsage();
session.apply(cluster.list().items.map((item) => sessionEventOf({ type: 'ADDED', object: item })));
const loadCpu = process.cpuUsage(start);
recompiled = 0;
const stream: SessionEvent[][] = [];
for (let i = 0; i < events; i += BATCH) stream.push(Array.from({ length: Math.min(BATCH, events - i) }, (_, k) => sessionEventOf(cluster.next(i + k))));
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
start = process.cpuUsage();
const wall = performance.now();
// Heap after a GC every 5,000 events, outside the timed work: does the session keep anything per event?
const heap: string[] = [];
let gcCpu = 0;
let gcWall = 0;
for (const [n, batch] of stream.entries()) {
  session.apply(batch);
  if (((n + 1) * BATCH) % 5000 === 0 && globalThis.gc) {
    const gcStart = process.cpuUsage();
    const gcAt = performance.now();
    globalThis.gc();
    heap.push(`${(n + 1) * BATCH}:${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)}`);
    gcCpu += ms(process.cpuUsage(gcStart));
    gcWall += performance.now() - gcAt;
  }
}
const cpu = ms(process.cpuUsage(start)) - gcCpu;
const wallMs = performance.now() - wall - gcWall;
globalThis.gc?.();
console.log(
  `session, ${size.pods} pods / ${size.policies} policies on ${NODES} nodes: loaded in ${(ms(loadCpu) / 1000).toFixed(1)} s CPU; ` +
    `${events} stream events in batches of ${BATCH}: ${(cpu / events).toFixed(3)} ms CPU per event (${(wallMs / events).toFixed(3)} ms wall), ` +
    `${(recompiled / events).toFixed(2)} NetworkPolicies recompiled per event; heap after GC ${(heapBefore / 2 ** 20).toFixed(1)} MB, then by events ${heap.join(' ')} MB`,
);
