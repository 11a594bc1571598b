/**
 * Client-level behaviours of an OVN Northbound OVSDB server, written once and run against two
 * backends: the in-memory NB (fast, memory.test.ts) and a real ovsdb-server 3.1
 * (ovsdbServer.ovn.test.ts). Expectations come from RFC 7047, ovsdb-server(7) and ovn-nb(5); the
 * real server is what makes them true, the in-memory one must agree.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OvsdbError, type LockEvent, type OvsdbClient, type Uuid } from '@ovn-nbgen/ovsdb';
import { emptyDatabase, type ConformanceBackend } from './backend.js';

const acl = (priority: number, match = 'ip4') =>
  ({ priority, direction: 'to-lport', match, action: 'allow-related', external_ids: { 'nbgen/owner': 'conformance' } }) as const;

/** The OvsdbError a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<OvsdbError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OvsdbError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

function until<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const value = probe();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

export function conformanceSuite(start: () => Promise<ConformanceBackend>): void {
  let backend: ConformanceBackend;
  const clients: OvsdbClient[] = [];
  const connect = async () => {
    const client = await backend.connect();
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    backend = await start();
  });
  beforeEach(async () => {
    const admin = await connect();
    await emptyDatabase(admin);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });
  afterAll(async () => {
    await backend?.close();
  });

  describe('transactions', () => {
    it('runs every operation kind and returns typed results', async () => {
      const client = await connect();
      const txn = client.transaction();
      const pg = txn.insert('Port_Group', { name: 'pg_web', external_ids: { stage: '1' } });
      const child = txn.insertChild('ACL', acl(1001), { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' });
      const note = txn.comment('nbgen conformance');
      const created = await client.transact(txn);
      const pgUuid = created.uuidOf(pg);
      const aclUuid = created.uuidOf(child);
      expect(created.get(note)).toEqual({});

      const txn2 = client.transaction();
      const update = txn2.update('Port_Group', [['_uuid', '==', pgUuid]], { external_ids: { stage: '2' } });
      const mutate = txn2.mutate('Port_Group', [['name', '==', 'pg_web']], [['external_ids', 'insert', { extra: 'x', stage: 'ignored' }]]);
      const wait = txn2.wait('Port_Group', { where: [['_uuid', '==', pgUuid]], columns: ['name'], until: '==', rows: [{ name: 'pg_web' }], timeoutMs: 0 });
      const select = txn2.select('Port_Group', [['name', '==', 'pg_web']], ['name', 'acls', 'external_ids']);
      const commit = txn2.commit(false);
      const r2 = await client.transact(txn2);
      expect([r2.get(update), r2.get(mutate), r2.get(wait), r2.get(commit)]).toEqual([{ count: 1 }, { count: 1 }, {}, {}]);
      // `insert` on a map never overwrites an existing key (ovsdb-server(7) §5.1).
      expect(r2.get(select).rows).toEqual([{ name: 'pg_web', acls: [aclUuid], external_ids: { stage: '2', extra: 'x' } }]);

      const txn3 = client.transaction();
      const removed = txn3.delete('Port_Group', [['_uuid', '==', pgUuid]]);
      const left = txn3.select('ACL', [['_uuid', '==', aclUuid]], ['priority']);
      expect((await client.transact(txn3)).get(removed)).toEqual({ count: 1 });
      // The ACL was still there inside the transaction; its only referrer is gone: collected.
      const after = await client.transact([{ op: 'select', table: 'ACL', where: [['_uuid', '==', ['uuid', aclUuid]]] }]);
      expect(after).toEqual([{ rows: [] }]);
      expect(left.index).toBe(1);
    });

    it('reports constraint violations, referential integrity, failed waits and aborts with stable codes and the operation index', async () => {
      const client = await connect();
      const unchecked = () => client.transaction({ validate: false });

      const tooHigh = unchecked();
      const parent = tooHigh.insert('Port_Group', { name: 'pg_ok' });
      tooHigh.insertChild('ACL', acl(99999), { parent: { table: 'Port_Group', uuidName: parent }, column: 'acls' });
      const e1 = await rejection(client.transact(tooHigh));
      expect([e1.code, e1.details.operationIndex, e1.details.serverError, e1.details.serverDetails]).toEqual([
        'OVSDB_CONSTRAINT_VIOLATION',
        1,
        'constraint violation',
        '99999 is not in the valid range 0 to 32767 (inclusive)',
      ]);

      const txn = client.transaction();
      const pg = txn.insert('Port_Group', { name: 'pg_ri' });
      const child = txn.insertChild('ACL', acl(10), { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' });
      const aclUuid = (await client.transact(txn)).uuidOf(child);
      const del = client.transaction();
      del.delete('ACL', [['_uuid', '==', aclUuid]]);
      const e2 = await rejection(client.transact(del));
      expect([e2.code, e2.details.operationIndex, e2.details.serverDetails]).toEqual([
        'OVSDB_REFERENTIAL_INTEGRITY',
        1,
        `cannot delete ACL row ${aclUuid} because of 1 remaining reference(s)`,
      ]);

      const dup = client.transaction();
      dup.insert('Port_Group', { name: 'pg_ri' });
      const e3 = await rejection(client.transact(dup));
      expect([e3.code, e3.details.operationIndex, e3.details.serverError]).toEqual(['OVSDB_CONSTRAINT_VIOLATION', 1, 'constraint violation']);
      expect(e3.details.serverDetails).toMatch(/^Transaction causes multiple rows in "Port_Group" table to have identical values \(pg_ri\) for index on column "name"\./);

      const stale = client.transaction();
      stale.wait('Port_Group', { where: [['name', '==', 'pg_ri']], columns: ['external_ids'], until: '==', rows: [{ external_ids: { v: '1' } }], timeoutMs: 0 });
      stale.update('Port_Group', [['name', '==', 'pg_ri']], { external_ids: { v: '2' } });
      const e4 = await rejection(client.transact(stale));
      expect([e4.code, e4.details.operationIndex, e4.details.serverDetails]).toEqual(['OVSDB_WAIT_FAILED', 0, '"where" clause test failed']);

      expect(await client.transact([{ op: 'insert', table: 'Address_Set', row: { name: 'as_x' } }, { op: 'abort' }])).toEqual([
        expect.objectContaining({ uuid: expect.any(Array) }),
        { error: 'aborted', details: 'aborted by request' },
      ]);
      // Nothing of a failed transaction is applied.
      expect(await client.transact([{ op: 'select', table: 'Address_Set', where: [], columns: ['name'] }])).toEqual([{ rows: [] }]);
    });

    it('gives a row a new _version on every change and keeps it when an update changes nothing', async () => {
      const client = await connect();
      await client.transact([{ op: 'insert', table: 'Address_Set', row: { name: 'as_v', addresses: '10.0.0.1' } }]);
      const version = async () =>
        ((await client.transact([{ op: 'select', table: 'Address_Set', where: [['name', '==', 'as_v']], columns: ['_version'] }])) as { rows: { _version: unknown }[] }[])[0]
          ?.rows[0]?._version;
      const v1 = await version();
      expect(await client.transact([{ op: 'update', table: 'Address_Set', where: [['name', '==', 'as_v']], row: { addresses: '10.0.0.1' } }])).toEqual([{ count: 1 }]);
      expect(await version()).toEqual(v1);
      await client.transact([{ op: 'mutate', table: 'Address_Set', where: [['name', '==', 'as_v']], mutations: [['addresses', 'insert', '10.0.0.2']] }]);
      const v2 = await version();
      expect(v2).not.toEqual(v1);
      // Mutations that cancel out inside one transaction change nothing either.
      await client.transact([
        { op: 'mutate', table: 'Address_Set', where: [['name', '==', 'as_v']], mutations: [['addresses', 'insert', '10.0.0.3']] },
        { op: 'mutate', table: 'Address_Set', where: [['name', '==', 'as_v']], mutations: [['addresses', 'delete', '10.0.0.3']] },
      ]);
      expect(await version()).toEqual(v2);
    });

    it('accepts an orphan non-root row and garbage-collects it at commit', async () => {
      const client = await connect();
      const cache = await client.monitor({ tables: { ACL: ['priority'] } });
      const orphan = { priority: 7, direction: 'to-lport', match: 'ip4', action: 'drop' };
      const [inserted] = (await client.transact([{ op: 'insert', table: 'ACL', row: orphan }])) as [{ uuid: [string, Uuid] }];
      expect(inserted.uuid[0]).toBe('uuid');
      expect(await client.transact([{ op: 'select', table: 'ACL', where: [] }])).toEqual([{ rows: [] }]);
      expect(cache.dump()).toEqual({ ACL: [] });
    });

    it('drops weak references to deleted rows (a port only in a Port_Group goes with its switch)', async () => {
      const client = await connect();
      const txn = client.transaction();
      const ls = txn.insert('Logical_Switch', { name: 'ls1' });
      const port = txn.insertChild('Logical_Switch_Port', { name: 'lsp1' }, { parent: { table: 'Logical_Switch', uuidName: ls }, column: 'ports' });
      txn.insert('Port_Group', { name: 'pg_ports', ports: [port.ref] });
      const portUuid = (await client.transact(txn)).uuidOf(port);
      const before = await client.transact([{ op: 'select', table: 'Port_Group', where: [], columns: ['ports'] }]);
      expect(before).toEqual([{ rows: [{ ports: ['uuid', portUuid] }] }]);
      await client.transact([{ op: 'delete', table: 'Logical_Switch', where: [['name', '==', 'ls1']] }]);
      const after = await client.transact([
        { op: 'select', table: 'Port_Group', where: [], columns: ['ports'] },
        { op: 'select', table: 'Logical_Switch_Port', where: [], columns: ['name'] },
      ]);
      expect(after).toEqual([{ rows: [{ ports: ['set', []] }] }, { rows: [] }]);
    });

    it('parks a wait without timeout until another client makes it true', async () => {
      const waiter = await connect();
      const writer = await connect();
      const parked = waiter.transact([
        { op: 'wait', table: 'Port_Group', where: [['name', '==', 'pg_later']], columns: ['name'], until: '==', rows: [{ name: 'pg_later' }] },
        { op: 'insert', table: 'Address_Set', row: { name: 'as_after_wait' } },
      ]);
      let settled = false;
      void parked.then(() => (settled = true));
      await writer.echo();
      expect(settled).toBe(false);
      await writer.transact([{ op: 'insert', table: 'Port_Group', row: { name: 'pg_later' } }]);
      expect(await parked).toEqual([{}, { uuid: expect.any(Array) }]);
    });
  });

  describe('monitors', () => {
    it('delivers the updates of a transaction before its reply', async () => {
      const client = await connect();
      const cache = await client.monitor({ tables: { Port_Group: ['name', 'acls'], ACL: ['priority', 'match'] } });
      const txn = client.transaction();
      const pg = txn.insert('Port_Group', { name: 'pg_own' });
      const child = txn.insertChild('ACL', acl(1), { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' });
      const result = await client.transact(txn);
      expect(cache.get('Port_Group', result.uuidOf(pg))).toMatchObject({ name: 'pg_own', acls: [result.uuidOf(child)] });
      expect(cache.get('ACL', result.uuidOf(child))).toMatchObject({ priority: 1, match: 'ip4' });
    });

    it('keeps a cache equal to a fresh dump through inserts, mutations, weak-reference removal and deletes by another client', async () => {
      const reader = await connect();
      const writer = await connect();
      const cache = await reader.monitor({
        tables: { Port_Group: true, ACL: true, Address_Set: true, Logical_Switch: true, Logical_Switch_Port: true, Load_Balancer: true },
      });
      const txn = writer.transaction();
      const pg = txn.insert('Port_Group', { name: 'pg_sync' });
      for (let i = 0; i < 5; i++) txn.insertChild('ACL', acl(100 + i, `ip4.src == 10.0.0.${i}`), { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' });
      const lb = txn.insert('Load_Balancer', { name: 'lb1', vips: { '10.96.0.1:80': '10.0.0.1:8080' } });
      txn.insert('Logical_Switch', { name: 'ls_sync', load_balancer: [lb.ref] });
      txn.insert('Address_Set', { name: 'as_sync', addresses: ['10.0.0.1', '10.0.0.2'] });
      await writer.transact(txn);
      await writer.transact([
        { op: 'mutate', table: 'Address_Set', where: [['name', '==', 'as_sync']], mutations: [['addresses', 'delete', '10.0.0.1'], ['addresses', 'insert', ['set', ['10.0.0.3', '10.0.0.4']]]] },
        { op: 'mutate', table: 'Port_Group', where: [], mutations: [['external_ids', 'insert', ['map', [['k', 'v']]]]] },
        { op: 'delete', table: 'Load_Balancer', where: [['name', '==', 'lb1']] },
        { op: 'update', table: 'ACL', where: [['priority', '>=', 103]], row: { severity: 'info', log: true } },
      ]);
      await writer.transact([{ op: 'mutate', table: 'Port_Group', where: [], mutations: [['acls', 'delete', ['set', []]]] }]);
      const fresh = async () => JSON.stringify(await reader.dump(cache.monitoredColumns));
      let expected = await fresh();
      for (let i = 0; i < 100 && JSON.stringify(cache.dump()) !== expected; i++) {
        await new Promise((r) => setTimeout(r, 20));
        expected = await fresh();
      }
      expect(cache.dump()).toEqual(JSON.parse(expected));
      expect(cache.dump().Logical_Switch).toEqual([expect.objectContaining({ name: 'ls_sync', load_balancer: [] })]);
    });

    it('answers monitor_cond_since like a standalone server: not found, zero transaction id', async () => {
      const client = await connect();
      await client.transact([{ op: 'insert', table: 'Address_Set', row: { name: 'as_since' } }]);
      const reply = await client.channel.request<unknown[]>('monitor_cond_since', [
        'OVN_Northbound',
        'since',
        { Address_Set: [{ columns: ['name'] }] },
        '00000000-0000-0000-0000-000000000000',
      ]);
      expect(reply[0]).toBe(false);
      expect(reply[1]).toBe('00000000-0000-0000-0000-000000000000');
      expect(Object.values((reply[2] as { Address_Set: Record<string, unknown> }).Address_Set)).toEqual([{ initial: { name: 'as_since' } }]);
    });
  });

  describe('locks and the server', () => {
    it('grants, queues, steals and releases locks with locked/stolen notifications, and assert checks ownership', async () => {
      const a = await connect();
      const b = await connect();
      const eventsA: LockEvent[] = [];
      const eventsB: LockEvent[] = [];
      a.onLockChange((e) => eventsA.push(e));
      b.onLockChange((e) => eventsB.push(e));
      expect(await a.lock('nbgen_owner')).toBe(true);
      expect(await b.lock('nbgen_owner')).toBe(false);
      const assertFrom = (c: OvsdbClient) => c.transact([{ op: 'assert', lock: 'nbgen_owner' }]);
      expect(await assertFrom(a)).toEqual([{}]);
      expect(await assertFrom(b)).toEqual([{ error: 'not owner', details: 'Asserted lock nbgen_owner not held.' }]);
      await a.unlock('nbgen_owner');
      await until('b to be told it holds the lock', () => (eventsB.length > 0 ? true : undefined));
      expect(eventsB).toEqual([{ kind: 'locked', lock: 'nbgen_owner' }]);
      expect(await a.steal('nbgen_owner')).toBe(true);
      await until('b to be told the lock was stolen', () => (eventsB.length > 1 ? true : undefined));
      expect(eventsB[1]).toEqual({ kind: 'stolen', lock: 'nbgen_owner' });
      expect(await assertFrom(b)).toEqual([{ error: 'not owner', details: 'Asserted lock nbgen_owner not held.' }]);
      expect(eventsA).toEqual([]);
    });

    it('lists its databases, echoes, and reports a standalone connected leader in _Server', async () => {
      const client = await connect();
      expect(await client.listDbs()).toEqual(['OVN_Northbound', '_Server']);
      expect(await client.echo('ping', 1)).toEqual(['ping', 1]);
      const rows = await client.channel.request<{ rows: Record<string, unknown>[] }[]>('transact', [
        '_Server',
        { op: 'select', table: 'Database', where: [['name', '==', 'OVN_Northbound']], columns: ['name', 'model', 'connected', 'leader'] },
      ]);
      expect(rows).toEqual([{ rows: [{ name: 'OVN_Northbound', model: 'standalone', connected: true, leader: true }] }]);
      const refused = await client.channel.request('transact', ['_Server', { op: 'delete', table: 'Database', where: [] }]);
      expect(refused).toEqual([{ error: 'not allowed', details: 'delete operation not allowed on table in reserved database _Server' }]);
      const unknown = await rejection(client.channel.request('transact', ['Nope']));
      expect([unknown.code, unknown.details.serverError, unknown.details.serverDetails]).toEqual([
        'OVSDB_RPC_ERROR',
        'unknown database',
        'transact request specifies unknown database Nope',
      ]);
      const method = await rejection(client.channel.request('frobnicate', []));
      expect(method.details.serverError).toBe('unknown method');
    });
  });
}
