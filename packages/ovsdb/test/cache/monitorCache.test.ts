import { describe, expect, it } from 'vitest';
import { OvsdbClient, type ChangeEvent, type MonitorRequest } from '../../src/index.js';
import { ZERO_UUID } from '../../src/subpaths/notation.js';
import { FakeChannel, NB_SCHEMA_JSON, rpcError, TXN1, TXN2, U1, U2, U3, U4 } from '../client/fakeChannel.js';

type Handler = (params: readonly unknown[], channel: FakeChannel) => unknown;

async function setup(handlers: Record<string, Handler>, request: MonitorRequest) {
  const errors: unknown[] = [];
  const channel = new FakeChannel();
  channel.respond = (method, params) => {
    const handler = handlers[method];
    if (handler) return handler(params, channel);
    if (method === 'get_schema') return NB_SCHEMA_JSON;
    if (method === 'set_db_change_aware' || method === 'monitor_cancel') return {};
    throw rpcError('unknown method');
  };
  const client = await OvsdbClient.connect({ channel, onError: (e) => errors.push(e) });
  const events: ChangeEvent[] = [];
  const cache = await client.monitor(request);
  cache.onChange((e) => events.push(e));
  return { channel, client, cache, events, errors };
}

const pgRequest: MonitorRequest = {
  tables: { Port_Group: ['name', 'acls', 'external_ids'] },
  indexes: { Port_Group: [{ name: 'owner', externalIdKey: 'nbgen/owner' }] },
};

const pg = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });
const short = (events: ChangeEvent[]) => events.map((e) => `${e.kind} ${e.table} ${e.uuid}`);
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('MonitorCache: establishing the monitor', () => {
  it('falls back from monitor_cond_since to monitor_cond on "unknown method" and loads the initial rows with defaults', async () => {
    const { channel, cache } = await setup(
      { monitor_cond: () => ({ Port_Group: { [U1]: { initial: pg('pg1') } } }) },
      pgRequest,
    );
    expect(channel.methods().filter((m) => m.startsWith('monitor'))).toEqual(['monitor_cond_since', 'monitor_cond']);
    expect(cache.monitorMethod).toBe('monitor_cond');
    expect(channel.requests.find((r) => r.method === 'monitor_cond')?.params.slice(2)).toEqual([
      { Port_Group: [{ columns: ['name', 'acls', 'external_ids'] }] },
    ]);
    expect(cache.dump()).toEqual({ Port_Group: [{ _uuid: U1, name: 'pg1', acls: [], external_ids: {} }] });
  });

  it('falls back to v1 monitor and applies v1 updates (modify: new holds every column)', async () => {
    const { cache, channel, events } = await setup(
      { monitor: () => ({ Port_Group: { [U1]: { new: { name: 'pg1', acls: ['set', []], external_ids: ['map', []] } } } }) },
      pgRequest,
    );
    expect(cache.monitorMethod).toBe('monitor');
    const monid = channel.requests.find((r) => r.method === 'monitor')?.params[1];
    channel.emit('update', [
      monid,
      {
        Port_Group: {
          [U1]: { old: { acls: ['set', []] }, new: { name: 'pg1', acls: ['uuid', U2], external_ids: ['map', []] } },
          [U3]: { new: { name: 'pg3', acls: ['set', []], external_ids: ['map', []] } },
        },
      },
    ]);
    channel.emit('update', [monid, { Port_Group: { [U3]: { old: { name: 'pg3', acls: ['set', []], external_ids: ['map', []] } } } }]);
    expect(short(events)).toEqual([`update Port_Group ${U1}`, `insert Port_Group ${U3}`, `delete Port_Group ${U3}`]);
    expect(cache.get('Port_Group', U1 as never)?.acls).toEqual([U2]);
  });

  it('applies notifications that race the monitor reply after it, in order', async () => {
    const { cache, events } = await setup(
      {
        monitor_cond_since: (params, channel) => {
          channel.emit('update3', [params[1], TXN2, { Port_Group: { [U1]: { modify: { acls: ['uuid', U2] } } } }]);
          return [false, TXN1, { Port_Group: { [U1]: { initial: pg('pg1') } } }];
        },
      },
      pgRequest,
    );
    expect(cache.get('Port_Group', U1 as never)?.acls).toEqual([U2]);
    expect(cache.lastTransactionId).toBe(TXN2);
    expect(events).toEqual([]); // both happened before our listener subscribed
  });
});

describe('MonitorCache: applying updates', () => {
  const initial = () => [false, TXN1, { Port_Group: { [U1]: { initial: pg('pg1', { external_ids: ['map', [['nbgen/owner', 'a']]] }) } } }];

  it('emits insert/update/delete with old and new rows, in order, and keeps indexes current', async () => {
    const { cache, channel, events } = await setup({ monitor_cond_since: initial }, pgRequest);
    const monid = channel.requests.find((r) => r.method === 'monitor_cond_since')?.params[1];
    expect(cache.lastTransactionId).toBe(TXN1);
    expect(cache.lookupOne('Port_Group', 'name', 'pg1')?._uuid).toBe(U1);
    expect(cache.lookup('Port_Group', 'owner', 'a').map((r) => r._uuid)).toEqual([U1]);

    channel.emit('update3', [
      monid,
      TXN2,
      {
        Port_Group: {
          [U2]: { insert: pg('pg2', { external_ids: ['map', [['nbgen/owner', 'a']]] }) },
          [U1]: { modify: { name: 'pg1b', external_ids: ['map', [['nbgen/owner', 'b']]] } },
        },
      },
    ]);
    expect(cache.lastTransactionId).toBe(TXN2);
    expect(cache.lookupOne('Port_Group', 'name', 'pg1')).toBeUndefined();
    expect(cache.lookupOne('Port_Group', 'name', 'pg1b')?._uuid).toBe(U1);
    expect(cache.lookup('Port_Group', 'owner', 'a').map((r) => r._uuid)).toEqual([U2]);
    expect(cache.lookup('Port_Group', 'owner', 'b').map((r) => r._uuid)).toEqual([U1]);

    channel.emit('update3', [monid, TXN2, { Port_Group: { [U2]: { delete: null } } }]);
    expect(cache.lookup('Port_Group', 'owner', 'a')).toEqual([]);
    expect(events.map((e) => [e.kind, e.uuid, e.old?.name, e.new?.name])).toEqual([
      ['insert', U2, undefined, 'pg2'],
      ['update', U1, 'pg1', 'pg1b'],
      ['delete', U2, 'pg2', undefined],
    ]);
    expect(events[1]?.old?.external_ids).toEqual({ 'nbgen/owner': 'a' });
  });

  it('lets listeners read the whole notification already applied, and reports a throwing listener', async () => {
    const { cache, channel, errors } = await setup({ monitor_cond_since: initial }, pgRequest);
    const monid = channel.requests.find((r) => r.method === 'monitor_cond_since')?.params[1];
    const seen: number[] = [];
    cache.onChange(() => {
      throw new Error('listener bug');
    });
    cache.onChange(() => seen.push(cache.size('Port_Group')));
    channel.emit('update2', [monid, { Port_Group: { [U2]: { insert: pg('pg2') }, [U3]: { insert: pg('pg3') } } }]);
    expect(seen).toEqual([3, 3]);
    expect(errors.map(String)).toEqual(['Error: listener bug', 'Error: listener bug']);
  });

  it('detects an inconsistent update, then drops the txn id and reloads, emitting only the differences', async () => {
    let calls = 0;
    const { cache, channel, events, errors } = await setup(
      {
        monitor_cond_since: (params) => {
          calls++;
          if (calls === 1) return initial();
          expect(params[3]).toBe(ZERO_UUID);
          return [false, TXN2, { Port_Group: { [U1]: { initial: pg('pg1', { external_ids: ['map', [['nbgen/owner', 'a']]] }) }, [U4]: { initial: pg('pg4') } } }];
        },
      },
      pgRequest,
    );
    const monid = channel.requests.find((r) => r.method === 'monitor_cond_since')?.params[1];
    channel.emit('update3', [monid, TXN2, { Port_Group: { [U3]: { modify: { name: 'ghost' } } } }]);
    await settle();
    await settle();
    expect(errors.map(String)).toEqual([expect.stringContaining('cache inconsistent')]);
    expect(channel.methods()).toContain('monitor_cancel');
    expect(short(events)).toEqual([`insert Port_Group ${U4}`]);
    expect(cache.dump().Port_Group?.map((r) => r._uuid)).toEqual([U1, U4]);
  });
});

describe('MonitorCache: resync after reconnect', () => {
  const rows = { [U1]: { initial: pg('pg1') }, [U2]: { initial: pg('pg2') }, [U3]: { initial: pg('pg3') } };

  it('found=true keeps the cache and applies only the delta, sending the last txn id', async () => {
    let calls = 0;
    const { cache, channel, events } = await setup(
      {
        monitor_cond_since: (params) => {
          calls++;
          if (calls === 1) return [false, TXN1, { Port_Group: rows }];
          expect(params[3]).toBe(TXN1);
          return [true, TXN2, { Port_Group: { [U2]: { delete: null }, [U4]: { insert: pg('pg4') }, [U3]: { modify: { name: 'pg3b' } } } }];
        },
      },
      pgRequest,
    );
    channel.disconnect();
    await channel.reconnect();
    expect(short(events)).toEqual([`delete Port_Group ${U2}`, `insert Port_Group ${U4}`, `update Port_Group ${U3}`]);
    expect(cache.dump().Port_Group?.map((r) => r.name)).toEqual(['pg1', 'pg3b', 'pg4']);
    expect(cache.lastTransactionId).toBe(TXN2);
  });

  it('found=false (standalone server) reloads and reports only what differs, nothing duplicated or lost', async () => {
    let calls = 0;
    const { cache, channel, events } = await setup(
      {
        monitor_cond_since: () => {
          calls++;
          if (calls === 1) return [false, ZERO_UUID, { Port_Group: rows }];
          return [false, ZERO_UUID, { Port_Group: { [U1]: { initial: pg('pg1') }, [U3]: { initial: pg('pg3', { acls: ['uuid', U4] }) }, [U4]: { initial: pg('pg4') } } }];
        },
      },
      pgRequest,
    );
    channel.disconnect();
    await channel.reconnect();
    expect(short(events)).toEqual([`delete Port_Group ${U2}`, `update Port_Group ${U3}`, `insert Port_Group ${U4}`]);
    expect(cache.dump()).toEqual({
      Port_Group: [
        { _uuid: U1, name: 'pg1', acls: [], external_ids: {} },
        { _uuid: U3, name: 'pg3', acls: [U4], external_ids: {} },
        { _uuid: U4, name: 'pg4', acls: [], external_ids: {} },
      ],
    });
    expect(cache.lookupOne('Port_Group', 'name', 'pg2')).toBeUndefined();
  });

  it('re-fetches the schema and re-monitors after monitor_canceled', async () => {
    let calls = 0;
    const { cache, channel } = await setup(
      {
        monitor_cond_since: () => {
          calls++;
          return [false, ZERO_UUID, { Port_Group: calls === 1 ? rows : { [U4]: { initial: pg('pg4') } } }];
        },
      },
      pgRequest,
    );
    const monid = channel.requests.find((r) => r.method === 'monitor_cond_since')?.params[1];
    channel.emit('monitor_canceled', [monid]);
    await settle();
    await settle();
    expect(channel.methods().slice(-2)).toEqual(['get_schema', 'monitor_cond_since']);
    expect(cache.dump().Port_Group?.map((r) => r._uuid)).toEqual([U4]);
  });

  it('ignores updates of a monitor it no longer owns', async () => {
    const { cache, channel, events } = await setup({ monitor_cond_since: () => [false, ZERO_UUID, { Port_Group: rows }] }, pgRequest);
    channel.emit('update2', ['someone-else', { Port_Group: { [U4]: { insert: pg('pg4') } } }]);
    expect(events).toEqual([]);
    expect(cache.size('Port_Group')).toBe(3);
  });
});

describe('MonitorCache: requests', () => {
  it('rejects unknown tables, columns and indexes before sending', async () => {
    const channel = new FakeChannel();
    const client = await OvsdbClient.connect({ channel });
    await expect(client.monitor({ tables: { Nope: true } })).rejects.toThrow(/unknown table Nope/);
    await expect(client.monitor({ tables: { ACL: ['colour'] } })).rejects.toThrow(/unknown column ACL\.colour/);
    await expect(
      client.monitor({ tables: { ACL: ['match'] }, indexes: { ACL: [{ name: 'owner', externalIdKey: 'nbgen/owner' }] } }),
    ).rejects.toThrow(/external_ids is not monitored/);
    expect(channel.methods().some((m) => m.startsWith('monitor'))).toBe(false);
  });

  it('sends where conditions to monitor_cond_since', async () => {
    const { channel } = await setup(
      { monitor_cond_since: () => [false, ZERO_UUID, {}] },
      { tables: { ACL: { columns: ['match'], where: [['priority', '>=', 1000]] } } },
    );
    expect(channel.requests.find((r) => r.method === 'monitor_cond_since')?.params.slice(2)).toEqual([
      { ACL: [{ columns: ['match'], where: [['priority', '>=', 1000]] }] },
      ZERO_UUID,
    ]);
  });
});

