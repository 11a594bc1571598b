/**
 * `npx tsx --conditions=@ovn-nbgen/source bench/live/run.ts [--policies 9500] [--flows 10000] [--repeat 3]`
 *
 * `nbgen explain --db` and `nbgen test --db` (in-process, as the CLI runs them) against a real
 * standalone ovsdb-server holding about 100,000 rows: 5,000 pod ports with addresses on one switch,
 * N policies of 1 port group + 9 ACLs each (10N rows) written by the Reconciler, 10 pods per group.
 * Each run includes connect, the select-only reads, conversion, and judging.
 *
 * Reported per command: wall milliseconds (median of --repeat) and the CPU seconds of the command
 * and of ovsdb-server over the same runs (on a shared 2-core machine wall time is mostly waiting
 * for a core: CPU time is what a quiet machine's wall time would be made of). `explain (full read)`
 * is explain as it was before the focused read (readLiveNb of every row, then the same judging),
 * measured in the same run for the ratio. Results: bench/results/live.json. No assertion on time
 * here: the numbers are recorded, not tested. Figures measured with it: docs/speed-log.md (Live NB).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainFlow } from '@ovn-nbgen/core';
import { OvsdbClient, readLiveNb, Reconciler } from '@ovn-nbgen/ovsdb';
import { run, type CliIo } from '../../packages/cli/src/index.js';
import { attributedDecidingRows } from '../../packages/cli/src/live/attributionText.js';
import { liveInventory } from '../../packages/cli/src/live/liveInventory.js';
import { DEFAULT_PORT_NAME_TEMPLATES } from '../../packages/cli/src/live/portNames.js';
import { startStandaloneNb, stopAllOvsdbServers } from '../../test/harness/ovsdbServer.js';
import { syntheticRows } from '../../test/e2e/reconcile/syntheticRows.js';
import { median } from '../stats.js';

const ROOT = join(import.meta.dirname, '..', '..');
const OWNER = 'bench';
const PORTS = 5000;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const policies = flag('--policies', 9500);
const flowCount = flag('--flows', 10_000);
const repeat = flag('--repeat', 3);
const portName = (i: number): string => `pod-${i}.bench`;
const ipOf = (i: number): string => `10.${100 + Math.floor(i / 250)}.${i % 250}.10`;

/** CPU seconds (user + system) a process has used, from /proc/PID/stat (clock ticks of 1/100 s). */
function processCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')')[1]!.trim().split(/\s+/);
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const ownCpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** `flows` pod-to-pod flows over the bench pods and the ports the policies name. */
function flowsFile(dir: string): string {
  const flows = Array.from({ length: flowCount }, (_, n) => {
    const from = (n * 7919) % PORTS;
    const to = (n * 104729 + 13) % PORTS === from ? (from + 1) % PORTS : (n * 104729 + 13) % PORTS;
    return { from: `bench/pod-${from}`, to: `bench/pod-${to}`, port: 8000 + (n % 9), expect: n % 3 === 0 ? 'allow' : 'deny' };
  });
  const file = join(dir, 'flows.json');
  writeFileSync(file, JSON.stringify({ flows }));
  return file;
}

const nb = await startStandaloneNb();
try {
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix!, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
  const txn = client.transaction();
  const sw = txn.insert('Logical_Switch', { name: 'bench' });
  txn.insertChildren(
    'Logical_Switch_Port',
    Array.from({ length: PORTS }, (_, i) => ({ name: portName(i), addresses: [`0a:00:00:00:${String((i >> 8) % 100).padStart(2, '0')}:${String(i % 100).padStart(2, '0')} ${ipOf(i)}`] })),
    { parent: { table: 'Logical_Switch', uuidName: sw }, column: 'ports' },
  );
  await client.transact(txn);
  const rows = syntheticRows({ owner: OWNER, policies, aclsPerPolicy: 9, ports: Array.from({ length: PORTS }, (_, i) => portName(i)), portsPerGroup: 10 });
  const reconciler = await Reconciler.start(client, { owner: OWNER, monitorTimeoutMs: 900_000 });
  await reconciler.reconcile(rows);
  await reconciler.close();
  await client.close();
  const totalRows = PORTS + 1 + rows.portGroups.length + rows.acls.length;
  const serverPid = nb.pid!;
  const flows = flowsFile(mkdtempSync(join(tmpdir(), 'nbgen-bench-live-')));

  const io: CliIo = { stdout: () => undefined, stderr: (t) => process.stderr.write(t), readStdin: async () => '', cwd: ROOT };
  const measure = async (runOnce: () => Promise<number>) => {
    const times: number[] = [];
    let exit = 0;
    const cpu0 = ownCpu();
    const server0 = processCpu(serverPid);
    for (let r = 0; r < repeat; r++) {
      const start = performance.now();
      exit = await runOnce();
      times.push(performance.now() - start);
    }
    const cpu = (ownCpu() - cpu0) / repeat;
    const serverCpu = (processCpu(serverPid) - server0) / repeat;
    return { ms: Math.round(median(times)), cpuS: Number(cpu.toFixed(2)), serverCpuS: Number(serverCpu.toFixed(2)), exit };
  };
  const db = ['--db', nb.remotes.unix!];
  const explainArgs = ['--from', 'bench/pod-7', '--to', ipOf(1234), '--port', '8003'];
  const explainByName = await measure(() => run(['explain', ...db, ...explainArgs], io));
  const explainByIp = await measure(() => run(['explain', ...db, '--from', ipOf(7), '--to', ipOf(1234), '--port', '8003'], io));
  // explain as it was before the focused read: every row, then the same judging and attribution.
  const explainFullRead = await measure(async () => {
    const c = await OvsdbClient.connect({ remote: nb.remotes.unix!, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
    const live = await readLiveNb(c).finally(() => c.close());
    const source = liveInventory(live, null, DEFAULT_PORT_NAME_TEMPLATES);
    const e = explainFlow({ inventory: source.inventory, rows: live.rows }, { from: 'bench/pod-7', to: ipOf(1234), port: 8003, protocol: 'TCP' }, {
      portNameFor: source.portNameFor,
      serviceBackends: source.serviceBackends,
    });
    attributedDecidingRows(e, live);
    return e.verdict === 'allow' ? 0 : 1;
  });
  const testDb = await measure(() => run(['test', ...db, '--expect', flows], io));
  const [load1] = loadavg();
  const result = {
    rows: totalRows,
    policies,
    acls: rows.acls.length,
    ports: PORTS,
    flows: flowCount,
    repeat,
    loadAverage1m: Number(load1!.toFixed(1)),
    explainByName,
    explainByIp,
    explainFullRead,
    testDb,
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/live.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await nb.stop();
  await stopAllOvsdbServers();
}
