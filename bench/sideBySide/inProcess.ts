// What the in-process side-by-side benches (noopPlan.ts, transactionBuild.ts) share: the inventory
// size named on their command line, and a fresh NB holding that inventory's pod ports, as run.ts
// prepares one for each writer.
import { OvsdbClient } from '@ovn-nbgen/ovsdb';
import { startStandaloneNb } from '../../test/harness/ovsdbServer.js';
import { podPortNames, type InventorySize } from './inventory.js';

/** `small`: 800 rows (20 ns / 2,000 pods / 200 policies); otherwise 35,000 rows (200 / 50,000 / 10,000). */
export function sizeFromArgv(): InventorySize {
  return process.argv[2] === 'small' ? { namespaces: 20, pods: 2_000, policies: 200 } : { namespaces: 200, pods: 50_000, policies: 10_000 };
}

/** A client of a new ovsdb-server whose NB holds one logical switch with every pod's port. */
export async function freshNbWithPodPorts(size: InventorySize): Promise<OvsdbClient> {
  return (await freshNbWithPodPortsAt(size)).client;
}

/** `freshNbWithPodPorts`, with the server's unix socket for other processes (coldApply.ts). */
export async function freshNbWithPodPortsAt(size: InventorySize): Promise<{ client: OvsdbClient; remote: string }> {
  const nb = await startStandaloneNb();
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix!, session: { probeIntervalMs: 0, requestTimeoutMs: 900_000 } });
  const txn = client.transaction();
  const sw = txn.insert('Logical_Switch', { name: 'pods' });
  txn.insertChildren('Logical_Switch_Port', podPortNames(size).map((name) => ({ name })), { parent: { table: 'Logical_Switch', uuidName: sw }, column: 'ports' });
  await client.transact(txn);
  return { client, remote: nb.remotes.unix! };
}
