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
import { OvsdbClient, Reconciler } from '@ovn-nbgen/ovsdb';
import { buildTransaction } from '@ovn-nbgen/ovsdb/reconcile';
import { startStandaloneNb, stopAllOvsdbServers } from '../../test/harness/ovsdbServer.js';
import { networkPolicyInventory, podPortNames } from './inventory.js';
const size = process.argv[2] === 'small' ? { namespaces: 20, pods: 2_000, policies: 200 } : { namespaces: 200, pods: 50_000, policies: 10_000 };
const inventory = networkPolicyInventory(size);
const nb = await startStandaloneNb();
const client = await OvsdbClient.connect({ remote: nb.remotes.unix!, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
const t0 = client.transaction();
const sw = t0.insert('Logical_Switch', { name: 'pods' });
t0.insertChildren('Logical_Switch_Port', podPortNames(size).map((name) => ({ name })), { parent: { table: 'Logical_Switch', uuidName: sw }, column: 'ports' });
await client.transact(t0);
const reconciler = await Reconciler.start(client, { owner: DEFAULT_OWNER });
const { model } = loadModel([{ name: 'inventory.json', text: inventory }]);
const rows = compile(model, { owner: DEFAULT_OWNER, capabilities: reconciler.capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} }).rows;
const plan = reconciler.plan(rows);
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const b: number[] = [], s: number[] = [];
let bytes = 0;
for (let i = 0; i < 15; i++) {
  let c = cpu();
  const txn = client.transaction({ validate: false });
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
