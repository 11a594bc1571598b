/**
 * The live path of `nbgen apply` on a fresh NB after the front, cold, as one command runs it
 * (issue 17): child processes that each start a forgetful reconciler on an NB holding only the
 * inventory's pod ports, then plan the compiled rows once (35,000 inserts), build the
 * transaction once and stringify it once, as `Reconciler.reconcile` and the client do; nothing
 * is committed, so every child sees the same NB. CPU of each phase, medians of the runs.
 * `PROFILE=dir` writes each child's CPU profile of the three phases there (with `HEAP=1`, a
 * sampling heap profile of what they allocate instead); `CHILD_FLAGS='--trace-gc'` passes node
 * flags to the children and shows their output, the phases marked. Nothing is asserted on time.
 *
 *   npx tsx --conditions=@ovn-nbgen/source bench/sideBySide/coldApply.ts [small] [--runs N]
 *
 * small: 800 rows (20 ns / 2,000 pods / 200 policies); default 35,000 rows (200 / 50,000 / 10,000).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compile, DEFAULT_OWNER, kubeOvnPortName, loadModel } from '@ovn-nbgen/core';
import { OvsdbClient, Reconciler } from '@ovn-nbgen/ovsdb';
import { buildTransaction, leaveOutEmpty } from '@ovn-nbgen/ovsdb/reconcile';
import { stopAllOvsdbServers } from '../../test/harness/ovsdbServer.js';
import { freshNbWithPodPortsAt, sizeFromArgv } from './inProcess.js';
import { networkPolicyInventory } from './inventory.js';

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface ChildResult {
  readonly planMs: number;
  readonly buildMs: number;
  readonly stringifyMs: number;
  readonly bytes: number;
}

async function profiler(dir: string | undefined): Promise<{ start(): Promise<void>; stop(): Promise<void> }> {
  if (!dir) return { start: async () => undefined, stop: async () => undefined };
  const { Session } = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const post = (method: string): Promise<unknown> => new Promise((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve(res))));
  return {
    start: async () => {
      if (process.env.HEAP) {
        await post('HeapProfiler.enable');
        await new Promise((resolve, reject) => session.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }, (err, res) => (err ? reject(err) : resolve(res))));
        return;
      }
      await post('Profiler.enable');
      await post('Profiler.start');
    },
    stop: async () => {
      if (process.env.HEAP) {
        const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: unknown };
        writeFileSync(`${dir}/coldApply.${process.pid}.heapprofile`, JSON.stringify(profile));
        return;
      }
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(`${dir}/coldApply.${process.pid}.cpuprofile`, JSON.stringify(profile));
    },
  };
}

async function child(remote: string): Promise<void> {
  const { model } = loadModel([{ name: 'inventory.json', text: networkPolicyInventory(sizeFromArgv()) }]);
  const client = await OvsdbClient.connect({ remote, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
  const rows = compile(model, { owner: DEFAULT_OWNER, capabilities: client.capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} }).rows;
  const reconciler = await Reconciler.start(client, { owner: DEFAULT_OWNER, monitorTimeoutMs: 900_000, remember: false });
  const prof = await profiler(process.env.PROFILE);
  await prof.start();
  const mark = (what: string): void => {
    if (process.env.CHILD_FLAGS) console.log(`--- ${what}`);
  };
  mark('plan');
  let c = cpu();
  const plan = reconciler.plan(rows);
  const planMs = cpu() - c;
  mark('build');
  c = cpu();
  const txn = client.transaction({ validate: false, leaveOutOnInsert: leaveOutEmpty });
  buildTransaction(plan, txn);
  const buildMs = cpu() - c;
  mark('stringify');
  c = cpu();
  const text = JSON.stringify({ id: 1, method: 'transact', params: ['OVN_Northbound', ...txn.operations] });
  const stringifyMs = cpu() - c;
  mark('end');
  await prof.stop();
  if (plan.updates.length + plan.deletes.length > 0 || plan.inserts.length === 0) throw new Error('not a plan of inserts only');
  await reconciler.close();
  await client.close();
  console.log(JSON.stringify({ planMs, buildMs, stringifyMs, bytes: text.length } satisfies ChildResult));
}

async function main(): Promise<void> {
  const size = sizeFromArgv();
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;
  const { client, remote } = await freshNbWithPodPortsAt(size);
  await client.close();
  const results: ChildResult[] = [];
  for (let run = 0; run < runs; run++) {
    const args = [...(process.env.CHILD_FLAGS?.split(' ') ?? []), '--conditions=@ovn-nbgen/source', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2), '--child', remote];
    const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`child exited ${out.status}: ${out.stderr}`);
    if (process.env.CHILD_FLAGS) process.stderr.write(out.stdout);
    // The result is the child's last line of JSON (--trace-gc may print after it).
    results.push(JSON.parse(out.stdout.trim().split('\n').findLast((line) => line.startsWith('{'))!) as ChildResult);
  }
  const median = (xs: number[]): string => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(0);
  console.log(
    `plan ${median(results.map((r) => r.planMs))} ms, build ${median(results.map((r) => r.buildMs))} ms, stringify ${median(results.map((r) => r.stringifyMs))} ms CPU, ` +
      `${results[0]!.bytes} bytes (medians of ${runs}; plan+build+stringify ${results.map((r) => (r.planMs + r.buildMs + r.stringifyMs).toFixed(0)).join(' ')})`,
  );
  await stopAllOvsdbServers();
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) await child(process.argv[childAt + 1]!);
else await main();
