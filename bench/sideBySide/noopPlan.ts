/**
 * The planner of a no-op `nbgen diff` inside the process (issue 17): the sideBySide inventory
 * applied to a fresh NB, then 7 times a new reconciler (as one command starts one) plans the rows
 * compiled anew; CPU of each plan, median and minimum. Nothing is asserted on time.
 *
 *   npx tsx --conditions=@ovn-nbgen/source bench/sideBySide/noopPlan.ts [small]
 *
 * small: 800 rows (20 ns / 2,000 pods / 200 policies); default 35,000 rows (200 / 50,000 / 10,000).
 */
import { compile, DEFAULT_OWNER, kubeOvnPortName, loadModel } from '@ovn-nbgen/core';
import { Reconciler } from '@ovn-nbgen/ovsdb';
import { stopAllOvsdbServers } from '../../test/harness/ovsdbServer.js';
import { freshNbWithPodPorts, sizeFromArgv } from './inProcess.js';
import { networkPolicyInventory } from './inventory.js';
const size = sizeFromArgv();
const inventory = networkPolicyInventory(size);
const client = await freshNbWithPodPorts(size);
const { model } = loadModel([{ name: 'inventory.json', text: inventory }]);
const compileRows = (capabilities: Reconciler['capabilities']) =>
  compile(model, { owner: DEFAULT_OWNER, capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} }).rows;
const first = await Reconciler.start(client, { owner: DEFAULT_OWNER });
await first.reconcile(compileRows(first.capabilities));
await first.close();
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
// PROFILE=prefix writes each plan's CPU profile (node:inspector) to prefix.N.cpuprofile.
const profile = process.env.PROFILE !== undefined;
const session = profile ? new (await import('node:inspector')).Session() : undefined;
session?.connect();
const post = (method: string): Promise<unknown> => new Promise((resolve, reject) => session!.post(method, (err, res) => (err ? reject(err) : resolve(res))));
if (profile) await post('Profiler.enable');
const times: number[] = [];
for (let i = 0; i < 7; i++) {
  const reconciler = await Reconciler.start(client, { owner: DEFAULT_OWNER });
  const rows = compileRows(reconciler.capabilities);
  if (profile) await post('Profiler.start');
  const c = cpu();
  const plan = reconciler.plan(rows);
  times.push(cpu() - c);
  if (profile) (await import('node:fs')).writeFileSync(`${process.env.PROFILE}.${i}.cpuprofile`, JSON.stringify(((await post('Profiler.stop')) as { profile: unknown }).profile));
  if (plan.inserts.length + plan.updates.length + plan.deletes.length > 0) throw new Error('not a no-op');
  await reconciler.close();
}
const med = [...times].sort((a, b) => a - b)[times.length >> 1]!;
console.log(`no-op plan: median ${med.toFixed(0)} ms, min ${Math.min(...times).toFixed(0)} ms (all ${times.map((x) => x.toFixed(0)).join(' ')})`);
await client.close();
await stopAllOvsdbServers();
