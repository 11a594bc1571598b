/**
 * A monitor condition's clauses are alternatives (a row is replicated when any holds), unlike a
 * transaction's where. Pinned against the real ovsdb-server and the in-memory NB alike.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startStandaloneNb, stopAllOvsdbServers } from '../../../../test/harness/ovsdbServer.js';
import { MemoryOvsdbServer, OvsdbClient } from '../../src/index.js';

afterAll(async () => {
  await stopAllOvsdbServers();
});

async function realClient(): Promise<{ client: OvsdbClient; close: () => Promise<void> }> {
  const nb = await startStandaloneNb({ unix: true });
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix! });
  return { client, close: async () => (await client.close(), await nb.stop()) };
}

async function memoryClient(): Promise<{ client: OvsdbClient; close: () => Promise<void> }> {
  const server = MemoryOvsdbServer.ovnNorthbound();
  const client = await server.connectClient();
  return { client, close: async () => (await client.close(), await server.close()) };
}

describe.each([
  ['ovsdb-server', realClient],
  ['in-memory NB', memoryClient],
] as const)('monitor_cond on %s', (_name, open) => {
  it('replicates rows matching any clause of the condition, and follows rows into and out of it', async () => {
    const { client, close } = await open();
    try {
      const txn = client.transaction();
      for (const name of ['a', 'b', 'c']) txn.insert('Address_Set', { name });
      await client.transact(txn);
      const cache = await client.monitor({
        tables: { Address_Set: { columns: ['name'], where: [['name', '==', 'a'], ['name', '==', 'b']] } },
      });
      const names = () => [...cache.rows('Address_Set')].map((r) => r.name as string).sort();
      expect(names()).toEqual(['a', 'b']);

      const move = client.transaction();
      move.update('Address_Set', [['name', '==', 'a']], { name: 'z' });
      move.update('Address_Set', [['name', '==', 'c']], { name: 'a' });
      await client.transact(move);
      expect(names()).toEqual(['a', 'b']);
      expect(cache.lookupOne('Address_Set', 'name', 'z')).toBeUndefined();
    } finally {
      await close();
    }
  });
});
