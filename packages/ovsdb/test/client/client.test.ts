import { describe, expect, it } from 'vitest';
import { OvsdbClient } from '../../src/index.js';
import { FakeChannel, NB_SCHEMA_JSON, U1 } from './fakeChannel.js';

describe('OvsdbClient over a channel', () => {
  it('connects with get_schema and set_db_change_aware, repeated on every reconnect', async () => {
    const channel = new FakeChannel();
    const client = await OvsdbClient.connect({ channel });
    expect(channel.requests).toEqual([
      { method: 'get_schema', params: ['OVN_Northbound'] },
      { method: 'set_db_change_aware', params: [true] },
    ]);
    await channel.reconnect();
    expect(channel.methods()).toEqual(['get_schema', 'set_db_change_aware', 'set_db_change_aware']);
    expect(client.schema.version).toBe((NB_SCHEMA_JSON as { version: string }).version);
    expect(client.capabilities).toEqual({ aclTier: false, passAction: false, natGatewayPort: true });
  });

  it('sends a built transaction as [db, ...ops] and parses its results', async () => {
    const channel = new FakeChannel();
    const client = await OvsdbClient.connect({ channel });
    channel.respond = () => [{ uuid: ['uuid', U1] }];
    const txn = client.transaction();
    const pg = txn.insert('Port_Group', { name: 'pg' });
    const result = await client.transact(txn);
    expect(channel.requests.at(-1)).toEqual({
      method: 'transact',
      params: ['OVN_Northbound', { op: 'insert', table: 'Port_Group', row: { name: 'pg' }, 'uuid-name': pg.ref.namedUuid }],
    });
    expect(result.uuidOf(pg)).toBe(U1);
  });

  it('rejects at once when the caller aborts, and hands the signal to the channel for `cancel`', async () => {
    const channel = new FakeChannel();
    const client = await OvsdbClient.connect({ channel });
    let seenOptions: unknown;
    channel.request = ((_m: string, _p: readonly unknown[], options?: unknown) => {
      seenOptions = options;
      return new Promise(() => undefined);
    }) as FakeChannel['request'];
    const controller = new AbortController();
    const txn = client.transaction();
    txn.comment('slow');
    const pending = client.transact(txn, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'OVSDB_RPC_ERROR', details: { serverError: 'canceled' } });
    expect(seenOptions).toEqual({ signal: controller.signal });
  });

  it('reports locked and stolen notifications', async () => {
    const channel = new FakeChannel();
    const client = await OvsdbClient.connect({ channel });
    const events: unknown[] = [];
    client.onLockChange((e) => events.push(e));
    channel.emit('locked', ['nbgen']);
    channel.emit('stolen', ['nbgen']);
    expect(events).toEqual([
      { kind: 'locked', lock: 'nbgen' },
      { kind: 'stolen', lock: 'nbgen' },
    ]);
  });

  it('refuses use after close', async () => {
    const client = await OvsdbClient.connect({ channel: new FakeChannel() });
    await client.close();
    await expect(client.transact([])).rejects.toMatchObject({ code: 'OVSDB_CLOSED' });
  });
});
