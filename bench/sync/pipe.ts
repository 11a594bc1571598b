/**
 * End to end through the real command: `nbgen sync --db REMOTE -f -` (the built CLI,
 * packages/cli/bin/nbgen.js) fed on stdin with watch events in kubectl's format
 * (bench/sync/watchStream.ts), writing a standalone ovsdb-server that holds a port per pod.
 * This process only writes the stream and watches the NB through a monitor of its own:
 *
 *  0. the initial list (`kubectl get -o json`) is written; its commit is timed;
 *  1. latency: one event at a time, from writing it to the update of the NB reaching the
 *     monitor (an in-process CompileSession mirrors the stream to know which events change rows;
 *     events that change none are written but not timed);
 *  2. a sustained stream at --rate events per second for --seconds, written on a fixed schedule;
 *     after every rate/10 events a marker (an edit of one NetworkPolicy whose ACL then carries
 *     the marker's number) shows how far the NB is: the lag of a marker is the time its commit
 *     reached the monitor minus the time it was due. The heap of the sync process after its last
 *     full GC (bench/sync/heapProbe.mjs, on SIGUSR2; `--forced-heap-gc` forces one per sample,
 *     which stalls sync) is sampled every 5 s;
 *  3. stdin is closed: sync commits and exits 0; then `nbgen diff` of the final state (as one
 *     `kubectl get -o json` List) against the NB must exit 0 (the NB equals `nbgen apply` of it).
 *
 *   node --expose-gc --import tsx bench/sync/pipe.ts            # 10k pods / 2k policies, 1,000/s for 60 s
 *   node --expose-gc --import tsx bench/sync/pipe.ts --quick    # 2k pods / 200 policies, 1,000/s for 10 s
 *   node --expose-gc --import tsx bench/sync/pipe.ts --pods 50000 --policies 10000
 *   ... --nbgen /tmp/main/cli/bin/nbgen.js   # another build's CLI (its bin/ and bundle/ copied)
 *   ... --sync-node-option --trace-gc --sync-stdout FILE   # a node option for the sync process; its stdout kept
 * Results: a summary on stdout, JSON in bench/results/sync-pipe.json (sync-pipe-quick.json).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompileSession, kubeOvnPortName, manifestId, readManifest, type Pod, type RowDelta } from '@ovn-nbgen/core';
import { capabilitiesFromSchema, OvsdbClient, type MonitorCache } from '@ovn-nbgen/ovsdb';
import { startStandaloneNb, stopAllOvsdbServers } from '../../test/harness/ovsdbServer.js';
import { median, p95 } from '../stats.js';
import { INTERVAL_MS, LATENCY_EVENTS, NODES, quick, RATE, SECONDS, SEED, size } from './options.js';
import { kubectlJson, MARKER_NAMESPACE, markerNumberOf, WatchCluster, type Manifest, type WatchEvent } from './watchStream.js';

const MARKER_EVERY = Math.max(1, Math.round(RATE / 10));
const ALWAYS_ALLOW = '100.64.0.0/16';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// --nbgen PATH: another build's bin/nbgen.js (a copy of main's bin/ and bundle/), to compare builds in turn.
const NBGEN = process.argv.includes('--nbgen') ? resolve(process.argv[process.argv.indexOf('--nbgen') + 1]!) : join(repoRoot, 'packages/cli/bin/nbgen.js');

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

const streamEvents = RATE * SECONDS;
const maxAdds = Math.ceil((LATENCY_EVENTS + streamEvents) * 0.25) + 1;
const cluster = new WatchCluster(size, SEED, NODES, maxAdds);

// The NB: one switch with a port per pod the run names (initial and added), one transaction.
const nb = await startStandaloneNb();
const remote = nb.remotes.unix!;
const connect = () => OvsdbClient.connect({ remote, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
{
  const client = await connect();
  const txn = client.transaction();
  const sw = txn.insert('Logical_Switch', { name: 'ovn-default' });
  const ports = [...cluster.pods.map((p) => ({ namespace: p.metadata.namespace!, name: p.metadata.name })), ...cluster.addedPodKeys()];
  txn.insertChildren('Logical_Switch_Port', ports.map((p) => ({ name: kubeOvnPortName(p as Pod) })), { parent: { table: 'Logical_Switch', uuidName: sw }, column: 'ports' });
  await client.transact(txn);
  await client.close();
}

/**
 * The NB as this process sees it: when the last update arrived, how many there were, and when
 * each marker's ACL reached it.
 */
class NbObserver {
  changes = 0;
  lastChangeAt = 0;
  readonly markerCommittedAt = new Map<number, number>();
  private waiters: { after: number; done: () => void }[] = [];
  private markerWaiters: { marker: number; done: () => void }[] = [];

  watch(cache: MonitorCache): () => void {
    return cache.onChange((event) => {
      const at = performance.now();
      this.changes++;
      this.lastChangeAt = at;
      const match = event.table === 'ACL' && event.new ? event.new.match : undefined;
      const marker = typeof match === 'string' ? markerNumberOf(match) : undefined;
      if (marker !== undefined && !this.markerCommittedAt.has(marker)) this.markerCommittedAt.set(marker, at);
      this.waiters = this.waiters.filter((w) => (this.changes > w.after ? (w.done(), false) : true));
      this.markerWaiters = this.markerWaiters.filter((w) => (this.markerCommittedAt.has(w.marker) ? (w.done(), false) : true));
    });
  }

  /** Resolves with true at the first update after `after` updates, false after `timeoutMs`. */
  changeAfter(after: number, timeoutMs: number): Promise<boolean> {
    if (this.changes > after) return Promise.resolve(true);
    return new Promise((done) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.push({ after, done: () => (clearTimeout(timer), done(true)) });
    });
  }

  marker(marker: number, timeoutMs: number): Promise<boolean> {
    if (this.markerCommittedAt.has(marker)) return Promise.resolve(true);
    return new Promise((done) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      this.markerWaiters.push({ marker, done: () => (clearTimeout(timer), done(true)) });
    });
  }
}

const observerClient = await connect();
const observer = new NbObserver();
// Every column the stream's transactions change: any of them is an update of the NB.
const wholeNb = await observerClient.monitor({ tables: { ACL: true, Port_Group: ['name', 'ports'], Address_Set: ['name', 'addresses'] }, timeoutMs: 900_000 });
let stopWatching = observer.watch(wholeNb);
const capabilities = capabilitiesFromSchema(await observerClient.getSchema());

// The sync process: the built CLI, its heap sampled on SIGUSR2.
const work = mkdtempSync(join(tmpdir(), 'nbgen-bench-pipe-'));
const heapFile = join(work, 'heap.jsonl');
const sync = spawn(
  process.execPath,
  [
    '--expose-gc',
    '--import',
    join(repoRoot, 'bench/sync/heapProbe.mjs'),
    // --sync-cpu-prof DIR: a CPU profile of the sync process, written when it exits.
    ...(process.argv.includes('--sync-cpu-prof') ? ['--cpu-prof', '--cpu-prof-dir', process.argv[process.argv.indexOf('--sync-cpu-prof') + 1]!] : []),
    // --sync-node-option OPTION (repeatable): a V8/node option for the sync process (--trace-gc, --max-semi-space-size=64).
    ...process.argv.flatMap((arg, at) => (arg === '--sync-node-option' ? [process.argv[at + 1]!] : [])),
    NBGEN, 'sync', '-f', '-', '--db', remote, '--always-allow', ALWAYS_ALLOW],
  {
    cwd: repoRoot,
    // --forced-heap-gc: each heap sample forces a full GC (atomic: it stalls sync, at 50,000 pods for
    // 0.3–2 s a sample); by default the heap after sync's own last full GC is read.
    env: { ...process.env, NBGEN_BENCH_HEAP_FILE: heapFile, NBGEN_BENCH_HEAP_FORCE_GC: process.argv.includes('--forced-heap-gc') ? '1' : '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  },
);
let syncStdout = '';
let syncStderr = '';
sync.stdout.setEncoding('utf8').on('data', (t: string) => void (syncStdout += t));
sync.stderr.setEncoding('utf8').on('data', (t: string) => void (syncStderr += t));
const exited = new Promise<number | null>((done) => sync.on('exit', (code) => done(code)));
const write = (text: string): void => void sync.stdin.write(text);
/** user + system CPU seconds of the sync process so far (/proc/PID/stat, in clock ticks of 10 ms). */
const cpuMsOf = (pid: number | undefined): number => {
  if (pid === undefined) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const syncCpuMs = (): number => cpuMsOf(sync.pid);
/** Where else the stream's time goes: ovsdb-server, and this process (writing the stream, its own NB monitor). */
const otherCpuMs = (): { nb: number; bench: number } => {
  const own = process.cpuUsage();
  return { nb: cpuMsOf(nb.pid), bench: (own.user + own.system) / 1000 };
};
const heapMarks: { events: number }[] = [];
const sampleHeap = (events: number): void => {
  heapMarks.push({ events });
  sync.kill('SIGUSR2');
};

// 0. The initial list, marker 0 in it.
let started = performance.now();
write(kubectlJson(cluster.list()));
if (!(await observer.marker(0, 1_800_000))) throw new Error(`the initial list was not committed; sync said: ${syncStderr}`);
const initialMs = observer.markerCommittedAt.get(0)! - started;
await sleep(2_000);
sampleHeap(0);

// 1. Latency, one event at a time; the mirror says which events change rows.
const mirror = new CompileSession({ owner: 'nbgen', capabilities, alwaysAllowCidrs: [ALWAYS_ALLOW] });
const mirrorApply = (event: WatchEvent): RowDelta => {
  if (event.type === 'DELETED') return mirror.remove(manifestId(event.object as Manifest & Record<string, unknown>)!);
  const reading = readManifest(event.object as Manifest & Record<string, unknown>, { file: '-', doc: 0 });
  if (reading.ok !== true) throw new Error(`the bench wrote an object nbgen does not read: ${JSON.stringify(reading)}`);
  return mirror.upsert(reading.object);
};
mirror.apply(
  cluster.list().items.map((item) => {
    const reading = readManifest(item as Manifest & Record<string, unknown>, { file: '-', doc: 0 });
    if (reading.ok !== true) throw new Error(`the bench wrote an object nbgen does not read: ${JSON.stringify(reading)}`);
    return { type: 'upsert', object: reading.object } as const;
  }),
);
const latencies: number[] = [];
let untimed = 0;
let timeouts = 0;
let sequence = 0;
for (let k = 0; k < LATENCY_EVENTS; k++) {
  const event = cluster.next(sequence++);
  const delta = mirrorApply(event);
  const before = observer.changes;
  const t = performance.now();
  write(kubectlJson(event));
  if (delta.added.length + delta.changed.length + delta.removed.length === 0) {
    untimed++;
    continue;
  }
  if (await observer.changeAfter(before, 10_000)) latencies.push(observer.lastChangeAt - t);
  else timeouts++;
}
// From here on only the marker policy's ACLs are watched: the stream's transactions are not this process's work.
stopWatching();
await wholeNb.close();
const markerOnly = await observerClient.monitor({
  tables: { ACL: { columns: ['match'], where: [['external_ids', 'includes', { 'nbgen/namespace': MARKER_NAMESPACE }]] } },
});
stopWatching = observer.watch(markerOnly);

// 2. The stream: event n is due at start + n / RATE seconds; a marker after every MARKER_EVERY.
const markerDueAt = new Map<number, number>();
let marker = 1;
let written = 0;
let nextReport = INTERVAL_MS;
const cpuAtStart = syncCpuMs();
const otherAtStart = otherCpuMs();
started = performance.now();
const dueAt = (n: number): number => started + (n * 1000) / RATE;
const lagAtReports: number[] = [];
/** The lag of the last marker committed by now (or, when none is, of the first not committed). */
const currentLag = (): number => {
  const now = performance.now();
  let lag = 0;
  for (let m = marker - 1; m >= 1; m--) {
    const committed = observer.markerCommittedAt.get(m);
    if (committed !== undefined) return Math.max(lag, committed - markerDueAt.get(m)!);
    lag = now - markerDueAt.get(m)!;
  }
  return lag;
};
while (written < streamEvents) {
  const now = performance.now();
  if (dueAt(written) > now) {
    await sleep(Math.max(1, dueAt(written) - now));
    continue;
  }
  let text = '';
  while (written < streamEvents && dueAt(written) <= now) {
    text += kubectlJson(cluster.next(sequence++));
    written++;
    if (written % MARKER_EVERY === 0 || written === streamEvents) {
      markerDueAt.set(marker, dueAt(written - 1));
      text += kubectlJson(cluster.markerEvent(marker++));
    }
  }
  write(text);
  if (performance.now() - started >= nextReport) {
    lagAtReports.push(round(currentLag()));
    sampleHeap(written);
    nextReport += INTERVAL_MS;
  }
}
const lastMarker = marker - 1;
const keptUp = await observer.marker(lastMarker, 1_800_000);
const streamMs = performance.now() - started;
const cpuMs = syncCpuMs() - cpuAtStart;
const otherAtEnd = otherCpuMs();
const nbCpuMs = otherAtEnd.nb - otherAtStart.nb;
const benchCpuMs = otherAtEnd.bench - otherAtStart.bench;
await sleep(1_000);
sampleHeap(written);
await sleep(1_000);
const lags = [...markerDueAt].filter(([m]) => observer.markerCommittedAt.has(m)).map(([m, due]) => observer.markerCommittedAt.get(m)! - due);

// 3. End of input: sync commits, prints its summary and exits; then `nbgen diff` of the final state.
sync.stdin.end();
const code = await exited;
stopWatching();
await markerOnly.close();
await observerClient.close();
const finalFile = join(work, 'final.json');
writeFileSync(finalFile, JSON.stringify(cluster.list()));
const diff = spawnSync(process.execPath, [NBGEN, 'diff', '-f', finalFile, '--db', remote, '--always-allow', ALWAYS_ALLOW], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 30 });
await nb.stop();
await stopAllOvsdbServers();
const heapSamples = readFileSync(heapFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { heapUsed: number; fullGcs: number; rss: number });
rmSync(work, { recursive: true, force: true });

const report = {
  size,
  nodesWithJoinAddress: NODES,
  seed: SEED,
  initialSyncMs: Math.round(initialMs),
  latency: { events: LATENCY_EVENTS, timed: latencies.length, untimedNoRowChange: untimed, timeouts, medianMs: round(median(latencies), 2), p95Ms: round(p95(latencies), 2) },
  stream: {
    rate: RATE,
    seconds: SECONDS,
    events: streamEvents,
    markers: lastMarker,
    wallMsToLastCommit: Math.round(streamMs),
    keptUp,
    lagAtEndMs: round(lags.at(-1) ?? Number.NaN),
    lagMedianMs: round(median(lags)),
    lagMaxMs: round(Math.max(...lags)),
    lagAtEachReportMs: lagAtReports,
    syncCpuMs: cpuMs,
    ovsdbServerCpuMs: Math.round(nbCpuMs),
    benchCpuMs: Math.round(benchCpuMs),
    heap: heapMarks.map((mark, i) => ({ events: mark.events, heapMb: round((heapSamples[i]?.heapUsed ?? Number.NaN) / 2 ** 20), fullGcs: heapSamples[i]?.fullGcs, rssMb: round((heapSamples[i]?.rss ?? Number.NaN) / 2 ** 20) })),
  },
  syncExitCode: code,
  syncSummary: syncStdout.split('\n').filter((line) => line.startsWith('synced ')).join(' '),
  syncStderr: syncStderr.trim().split('\n').slice(0, 5),
  nbEqualsFullApply: diff.status === 0,
  diffExitCode: diff.status,
  diffHead: diff.stdout.split('\n').slice(0, 10),
};
console.log(`nbgen sync -f - through a real ovsdb-server, ${size.pods} pods on ${NODES} nodes / ${size.policies} policies: initial list committed after ${report.initialSyncMs} ms`);
console.log(`event written → NB update seen: median ${report.latency.medianMs} ms, p95 ${report.latency.p95Ms} ms (${latencies.length} events timed, ${untimed} changed no row, ${timeouts} timed out)`);
console.log(
  `stream ${RATE}/s for ${SECONDS} s: last event committed after ${report.stream.wallMsToLastCommit} ms; lag at end ${report.stream.lagAtEndMs} ms, median ${report.stream.lagMedianMs} ms, max ${report.stream.lagMaxMs} ms; sync CPU ${(cpuMs / 1000).toFixed(1)} s, ovsdb-server CPU ${(nbCpuMs / 1000).toFixed(1)} s, bench CPU ${(benchCpuMs / 1000).toFixed(1)} s`,
);
console.log(`lag every ${INTERVAL_MS / 1000} s: ${lagAtReports.join(' ')} ms`);
console.log(`sync heap after GC (MB) by events: ${report.stream.heap.map((h) => `${h.events}:${h.heapMb}`).join(' ')} (${heapSamples.at(-1)?.fullGcs ?? 0} full GCs of its own)`);
console.log(`sync: exit ${code}, "${report.syncSummary}"`);
console.log(`NB equals nbgen apply of the final state (nbgen diff exit 0): ${report.nbEqualsFullApply ? 'yes' : `NO (exit ${diff.status}): ${report.diffHead.join(' | ')} ${diff.stderr}`}`);
// --sync-stdout FILE: what the sync process printed (with --sync-node-option --trace-gc, its GC trace).
if (process.argv.includes('--sync-stdout')) writeFileSync(process.argv[process.argv.indexOf('--sync-stdout') + 1]!, syncStdout);
const out = join(repoRoot, 'bench', 'results', quick ? 'sync-pipe-quick.json' : 'sync-pipe.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
if (!report.nbEqualsFullApply || code !== 0 || timeouts > 0) process.exitCode = 1;
