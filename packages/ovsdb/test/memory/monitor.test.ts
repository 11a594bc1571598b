/**
 * Monitor notifications of the in-memory NB at the wire level: v1 modify carries only the changed
 * columns' old values, v2 initial omits defaults, monitor_cond_change sends rows entering and
 * leaving the condition before its reply, select flags suppress kinds of updates, and conditions
 * are disjunctions of their clauses (all checked against ovsdb-server by the differential test).
 */
import { afterEach, expect, it } from 'vitest';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { RawPeer } from './rawPeer.js';

const servers: MemoryOvsdbServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function setup(): Promise<{ peer: RawPeer; insert: (row: Record<string, unknown>) => Promise<string> }> {
  const server = MemoryOvsdbServer.ovnNorthbound();
  servers.push(server);
  const peer = new RawPeer(server.connect());
  const insert = async (row: Record<string, unknown>) => {
    const reply = await peer.request('transact', ['OVN_Northbound', { op: 'insert', table: 'Address_Set', row }]);
    return ((reply.result as { uuid: [string, string] }[])[0] as { uuid: [string, string] }).uuid[1];
  };
  return { peer, insert };
}

const updatesOf = (peer: RawPeer, id: string) => peer.received.filter((m) => m.method !== undefined && (m.params as unknown[])[0] === id).map((m) => m.params?.at(-1));

it('sends v1 updates with all monitored columns new and only the changed ones old', async () => {
  const { peer, insert } = await setup();
  const uuid = await insert({ name: 'as1', addresses: ['set', ['10.0.0.1', '10.0.0.2']] });
  const initial = await peer.request('monitor', ['OVN_Northbound', 'v1', { Address_Set: { columns: ['name', 'addresses', 'external_ids'] } }]);
  expect(initial.result).toEqual({ Address_Set: { [uuid]: { new: { name: 'as1', addresses: ['set', ['10.0.0.1', '10.0.0.2']], external_ids: ['map', []] } } } });
  await peer.request('transact', ['OVN_Northbound', { op: 'mutate', table: 'Address_Set', where: [], mutations: [['addresses', 'insert', '10.0.0.3']] }]);
  expect(updatesOf(peer, 'v1')).toEqual([
    {
      Address_Set: {
        [uuid]: {
          new: { name: 'as1', addresses: ['set', ['10.0.0.1', '10.0.0.2', '10.0.0.3']], external_ids: ['map', []] },
          old: { addresses: ['set', ['10.0.0.1', '10.0.0.2']] },
        },
      },
    },
  ]);
});

it('omits default values from v2 initial rows and includes _version when no columns are given', async () => {
  const { peer, insert } = await setup();
  const uuid = await insert({ name: 'as1' });
  const reply = await peer.request('monitor_cond', ['OVN_Northbound', 'v2', { Address_Set: [{}] }]);
  const row = (reply.result as { Address_Set: Record<string, { initial: Record<string, unknown> }> }).Address_Set[uuid]?.initial;
  expect(Object.keys(row ?? {}).sort()).toEqual(['_version', 'name']);
});

it('sends rows entering and leaving a changed condition before the monitor_cond_change reply', async () => {
  const { peer, insert } = await setup();
  const a = await insert({ name: 'as_a' });
  const b = await insert({ name: 'as_b' });
  const initial = await peer.request('monitor_cond', ['OVN_Northbound', 'c1', { Address_Set: [{ columns: ['name'], where: [['name', '==', 'as_a']] }] }]);
  expect(initial.result).toEqual({ Address_Set: { [a]: { initial: { name: 'as_a' } } } });
  const reply = await peer.request('monitor_cond_change', ['c1', 'c2', { Address_Set: [{ where: [['name', '==', 'as_b']] }] }], 'change');
  const last = peer.received.slice(-2);
  expect(last).toEqual([
    { id: null, method: 'update2', params: ['c2', { Address_Set: { [a]: { delete: null }, [b]: { insert: { name: 'as_b' } } } }] },
    reply,
  ]);
  expect(reply).toEqual({ id: 'change', result: {}, error: null });
});

it('treats a monitor where as a disjunction and honours select flags', async () => {
  const { peer, insert } = await setup();
  await peer.request('monitor_cond', [
    'OVN_Northbound',
    'or',
    { Address_Set: [{ columns: ['name'], where: [['name', '==', 'as_a'], ['name', '==', 'as_b']], select: { insert: true, modify: false, delete: false } }] },
  ]);
  const a = await insert({ name: 'as_a' });
  const b = await insert({ name: 'as_b' });
  await insert({ name: 'as_c' });
  await peer.request('transact', ['OVN_Northbound', { op: 'update', table: 'Address_Set', where: [], row: { external_ids: ['map', [['k', 'v']]] } }]);
  await peer.request('transact', ['OVN_Northbound', { op: 'delete', table: 'Address_Set', where: [] }]);
  expect(updatesOf(peer, 'or')).toEqual([{ Address_Set: { [a]: { insert: { name: 'as_a' } } } }, { Address_Set: { [b]: { insert: { name: 'as_b' } } } }]);
});

it('answers monitor_cond_since with found=false and sends update3 with a zero transaction id', async () => {
  const { peer, insert } = await setup();
  const zero = '00000000-0000-0000-0000-000000000000';
  const reply = await peer.request('monitor_cond_since', ['OVN_Northbound', 'v3', { Address_Set: [{ columns: ['name'] }] }, zero]);
  expect(reply.result).toEqual([false, zero, {}]);
  const uuid = await insert({ name: 'as1' });
  expect(peer.received.find((m) => m.method === 'update3')).toEqual({ id: null, method: 'update3', params: ['v3', zero, { Address_Set: { [uuid]: { insert: { name: 'as1' } } } }] });
  expect(await peer.request('monitor_cond', ['OVN_Northbound', 'v3', { Address_Set: [{}] }], 'dup')).toEqual({
    id: 'dup',
    error: { syntax: '"v3"', details: 'duplicate monitor ID', error: 'syntax error' },
  });
});
