/**
 * The write side of `nbgen apply` inside the process (issue 17): the sideBySide inventory planned
 * against a fresh NB (its pods' ports only), then the plan built into a transaction
 * (`buildTransaction`) and stringified 15 times; CPU medians and minimums. `DUMP=file` writes the
 * first transaction's JSON, to compare the wire of two builds (uuids differ per NB: compare them
 * numbered by first appearance). Nothing is asserted on time.
 *
 *   npx tsx --conditions=@ovn-nbgen/source bench/sideBySide/transactionBuild.ts [small]
 *
 * small: 800 rows (20 ns / 2,000 pods / 200 policies); default 35,000 rows (200 / 50,000 / 10,000).
 */
import { compile, DEFAULT_OWNER, kubeOvnPortName, loadModel } from '@ovn-nbgen/core';
import { Reconciler } from '@ovn-nbgen/ovsdb';
import { buildTransaction, leaveOutEmpty } from '@ovn-nbgen/ovsdb/reconcile';
import { stopAllOvsdbServers } from '../../test/harness/ovsdbServer.js';
import { freshNbWithPodPorts, sizeFromArgv } from './inProcess.js';
import { networkPolicyInventory } from './inventory.js';
const size = sizeFromArgv();
const inventory = networkPolicyInventory(size);
const client = await freshNbWithPodPorts(size);
const reconciler = await Reconciler.start(client, { owner: DEFAULT_OWNER });
const { model } = loadModel([{ name: 'inventory.json', text: inventory }]);
const rows = compile(model, { owner: DEFAULT_OWNER, capabilities: reconciler.capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} }).rows;
const plan = reconciler.plan(rows);
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const b: number[] = [], s: number[] = [];
let bytes = 0;
for (let i = 0; i < 15; i++) {
  let c = cpu();
  const txn = client.transaction({ validate: false, leaveOutOnInsert: leaveOutEmpty });
  buildTransaction(plan, txn);
  b.push(cpu() - c); c = cpu();
  const text = JSON.stringify(['OVN_Northbound', ...txn.operations]);
  s.push(cpu() - c); bytes = text.length;
  if (process.env.DUMP && i === 0) (await import('node:fs')).writeFileSync(process.env.DUMP, text);
}
const med = (x: number[]): string => [...x].sort((a, b) => a - b)[x.length >> 1]!.toFixed(0);
console.log(`min build ${Math.min(...b).toFixed(0)}, min stringify ${Math.min(...s).toFixed(0)}; build ${med(b)} ms, stringify ${med(s)} ms, ${bytes} bytes (medians of 15; all build ${b.map((x) => x.toFixed(0)).join(' ')})`);
await reconciler.close();
await client.close();
await stopAllOvsdbServers();
