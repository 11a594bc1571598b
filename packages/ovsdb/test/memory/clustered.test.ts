/**
 * The in-memory NB in `clustered` mode, for client tests that need what only a Raft member
 * offers: a `_Server` row that can lose leadership, and `monitor_cond_since` that resumes from
 * the transaction history (ovsdb-server keeps history only for clustered and relay databases).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { OvsdbClient } from '../../src/index.js';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { RawPeer } from './rawPeer.js';

const ZERO = '00000000-0000-0000-0000-000000000000';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function clusteredServer(): MemoryOvsdbServer {
  const server = MemoryOvsdbServer.ovnNorthbound({ model: 'clustered' });
  cleanups.push(() => server.close());
  return server;
}

it('resumes monitor_cond_since from a known transaction id with only the changes since, and starts over from an unknown one', async () => {
  const server = clusteredServer();
  const peer = new RawPeer(server.connect());
  const insert = (name: string) => peer.request('transact', ['OVN_Northbound', { op: 'insert', table: 'Address_Set', row: { name } }]);
  // History holds no more atoms than the database (clustered.ovn.test.ts): give it some rows.
  const bulk = Array.from({ length: 20 }, (_, i) => ({ op: 'insert', table: 'Port_Group', row: { name: `pg${i}`, external_ids: ['map', [['k', 'v']]] } }));
  await peer.request('transact', ['OVN_Northbound', ...bulk]);
  const a = ((await insert('as_a')).result as { uuid: [string, string] }[])[0]?.uuid[1] as string;
  const request = { Address_Set: [{ columns: ['name', 'addresses'] }] };
  const first = (await peer.request('monitor_cond_since', ['OVN_Northbound', 'm1', request, ZERO])).result as [boolean, string, unknown];
  expect(first[0]).toBe(false);
  expect(first[1]).not.toBe(ZERO);
  expect(first[2]).toEqual({ Address_Set: { [a]: { initial: { name: 'as_a' } } } });
  await peer.request('monitor_cancel', ['m1']);

  const b = ((await insert('as_b')).result as { uuid: [string, string] }[])[0]?.uuid[1] as string;
  await peer.request('transact', ['OVN_Northbound', { op: 'mutate', table: 'Address_Set', where: [['name', '==', 'as_a']], mutations: [['addresses', 'insert', '10.0.0.1']] }]);
  const resumed = (await peer.request('monitor_cond_since', ['OVN_Northbound', 'm2', request, first[1]])).result as [boolean, string, unknown];
  expect(resumed).toEqual([true, expect.any(String), { Address_Set: { [b]: { insert: { name: 'as_b' } }, [a]: { modify: { addresses: '10.0.0.1' } } } }]);

  await insert('as_c');
  const update3 = peer.received.find((m) => m.method === 'update3');
  expect(update3?.params?.[1]).not.toBe(resumed[1]);
  const unknown = (await peer.request('monitor_cond_since', ['OVN_Northbound', 'm3', request, 'aaaaaaaa-0000-0000-0000-000000000000'])).result as [boolean, string, unknown];
  expect(unknown[0]).toBe(false);
  expect(unknown[1]).toBe(update3?.params?.[1]);
  expect(Object.keys((unknown[2] as { Address_Set: object }).Address_Set)).toHaveLength(3);
});

it("reports a clustered leader in _Server whose index follows commits, and a leader-only session leaves a member that lost leadership", async () => {
  const server = clusteredServer();
  const dir = await mkdtemp(join(tmpdir(), 'nbgen-memcl-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const remote = await server.listen({ unix: join(dir, 'nb.sock') });
  const client = await OvsdbClient.connect({ remote, session: { probeIntervalMs: 0, backoff: () => 10 } });
  cleanups.push(() => client.close());
  const status = async () =>
    (
      (await client.channel.request('transact', [
        '_Server',
        { op: 'select', table: 'Database', where: [['name', '==', 'OVN_Northbound']], columns: ['model', 'leader', 'connected', 'index'] },
      ])) as { rows: unknown[] }[]
    )[0]?.rows[0];
  expect(await status()).toEqual({ model: 'clustered', leader: true, connected: true, index: 0 });
  await client.transact([{ op: 'insert', table: 'Address_Set', row: { name: 'as1' } }]);
  expect(await status()).toEqual({ model: 'clustered', leader: true, connected: true, index: 1 });

  const lost = new Promise<Error>((resolve) => client.channel.onDisconnected(resolve));
  server.setDatabaseStatus('OVN_Northbound', { leader: false });
  expect((await lost).message).toMatch(/leader/);
  server.setDatabaseStatus('OVN_Northbound', { leader: true });
  expect(await client.echo('back')).toEqual(['back']);
});
