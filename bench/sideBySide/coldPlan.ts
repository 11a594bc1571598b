/**
 * The live path of a no-op `nbgen diff` after the front, cold, as one command runs it (issue 17):
 * the sideBySide inventory applied to a fresh NB, then child processes that each start a
 * reconciler (the monitor reply read into the cache and the state) and make one plan of the rows
 * compiled anew, alternating `remember: true` (a controller's reconciler) and `remember: false`
 * (what `diff`/`apply` start). CPU of each phase, medians of the runs. `PROFILE=dir` writes the
 * forgetful plans' CPU profiles there. Nothing asserted on time.
 *
 *   npx tsx --conditions=@ovn-nbgen/source bench/sideBySide/coldPlan.ts [small] [--runs N]
 *
 * small: 800 rows (20 ns / 2,000 pods / 200 policies); default 35,000 rows (200 / 50,000 / 10,000).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compile, DEFAULT_OWNER, kubeOvnPortName, loadModel } from '@ovn-nbgen/core';
import { OvsdbClient, Reconciler } from '@ovn-nbgen/ovsdb';
import { startStandaloneNb, stopAllOvsdbServers } from '../../test/harness/ovsdbServer.js';
import { networkPolicyInventory, podPortNames } from './inventory.js';
import { sizeFromArgv } from './inProcess.js';

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface ChildResult {
  readonly readMs: number;
  readonly planMs: number;
}

/** One cold command's live path: start a reconciler on `remote` (reads the reply), plan once. */
async function child(remote: string, remember: boolean): Promise<void> {
  const { model } = loadModel([{ name: 'inventory.json', text: networkPolicyInventory(sizeFromArgv()) }]);
  const client = await OvsdbClient.connect({ remote, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
  const rows = compile(model, { owner: DEFAULT_OWNER, capabilities: client.capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} }).rows;
  let c = cpu();
  const reconciler = await Reconciler.start(client, { owner: DEFAULT_OWNER, monitorTimeoutMs: 900_000, remember });
  const readMs = cpu() - c;
  // PROFILE=dir writes the plan's CPU profile of each forgetful child there.
  const session = process.env.PROFILE && !remember ? new (await import('node:inspector')).Session() : undefined;
  const post = (method: string): Promise<unknown> => new Promise((resolve, reject) => session!.post(method, (err, res) => (err ? reject(err) : resolve(res))));
  session?.connect();
  if (session) await post('Profiler.enable').then(() => post('Profiler.start'));
  c = cpu();
  const plan = reconciler.plan(rows);
  const planMs = cpu() - c;
  if (session) (await import('node:fs')).writeFileSync(`${process.env.PROFILE}/coldPlan.${process.pid}.cpuprofile`, JSON.stringify(((await post('Profiler.stop')) as { profile: unknown }).profile));
  if (plan.inserts.length + plan.updates.length + plan.deletes.length > 0) throw new Error('not a no-op');
  await reconciler.close();
  await client.close();
  console.log(JSON.stringify({ readMs, planMs } satisfies ChildResult));
}

async function main(): Promise<void> {
  const size = sizeFromArgv();
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;
  const nb = await startStandaloneNb();
  const remote = nb.remotes.unix!;
  const client = await OvsdbClient.connect({ remote, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
  const txn = client.transaction();
  const sw = txn.insert('Logical_Switch', { name: 'pods' });
  txn.insertChildren('Logical_Switch_Port', podPortNames(size).map((name) => ({ name })), { parent: { table: 'Logical_Switch', uuidName: sw }, column: 'ports' });
  await client.transact(txn);
  const { model } = loadModel([{ name: 'inventory.json', text: networkPolicyInventory(size) }]);
  const first = await Reconciler.start(client, { owner: DEFAULT_OWNER });
  await first.reconcile(compile(model, { owner: DEFAULT_OWNER, capabilities: first.capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} }).rows);
  await first.close();
  await client.close();
  const results: Record<'true' | 'false', ChildResult[]> = { true: [], false: [] };
  for (let run = 0; run < runs; run++) {
    for (const remember of ['true', 'false'] as const) {
      const args = ['--conditions=@ovn-nbgen/source', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2), '--child', remote, remember];
      const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`child exited ${out.status}: ${out.stderr}`);
      results[remember].push(JSON.parse(out.stdout.trim().split('\n').at(-1)!) as ChildResult);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  for (const remember of ['true', 'false'] as const) {
    const r = results[remember];
    console.log(
      `remember: ${remember}: read the reply ${median(r.map((x) => x.readMs)).toFixed(0)} ms, plan ${median(r.map((x) => x.planMs)).toFixed(0)} ms CPU (medians of ${runs}; plans ${r.map((x) => x.planMs.toFixed(0)).join(' ')})`,
    );
  }
  await stopAllOvsdbServers();
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) await child(process.argv[childAt + 1]!, process.argv[childAt + 2] === 'true');
else await main();
