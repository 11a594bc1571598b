/**
 * The data layer against a real standalone ovsdb-server with the installed OVN NB schema:
 * transactions of every kind, the server's errors mapped to stable codes, the non-root guard, and
 * a monitor cache compared UUID-exact with a fresh dump after another client's changes and after
 * a server restart. Verdicts come from ovsdb-server; expectations from RFC 7047 / ovn-nb(5).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OvsdbClient, type ChangeEvent, type MonitorCache, type Uuid } from '../../src/index.js';
import { run } from '../../../../test/harness/ovsdbServer.js';
import { standaloneNbPerFile } from '../../../../test/harness/ovsdbServerPerFile.js';

const { nb } = standaloneNbPerFile();
const clients: OvsdbClient[] = [];

async function connect(): Promise<OvsdbClient> {
  const client = await OvsdbClient.connect({
    remote: nb().remotes.unix,
    session: { probeIntervalMs: 0, requestTimeoutMs: 20_000 },
  });
  clients.push(client);
  return client;
}

function nbctl(...args: string[]): Promise<string> {
  return run('ovn-nbctl', [`--db=${nb().remotes.unix}`, '--no-leader-only', ...args]);
}

/** Monitor updates from other clients arrive asynchronously: poll until the cache catches up. */
async function expectCacheMatchesServer(client: OvsdbClient, cache: MonitorCache): Promise<void> {
  let fresh = await client.dump(cache.monitoredColumns);
  for (let i = 0; i < 100 && JSON.stringify(cache.dump()) !== JSON.stringify(fresh); i++) {
    await new Promise((r) => setTimeout(r, 50));
    fresh = await client.dump(cache.monitoredColumns);
  }
  expect(cache.dump()).toEqual(fresh);
}

const aclRow = (priority: number, match: string) =>
  ({ priority, direction: 'to-lport', match, action: 'allow-related', external_ids: { 'nbgen/owner': 'test' } }) as const;

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

describe('transactions against ovsdb-server', () => {
  beforeEach(async () => {
    await nbctl('--if-exists', 'destroy', 'Port_Group', 'pg_ops');
  });

  it('runs insert, insertChild, select, update, mutate, wait, comment and delete with typed results', async () => {
    const client = await connect();
    const cache = await client.monitor({ tables: { Port_Group: ['name', 'acls', 'external_ids'], ACL: ['priority', 'match', 'external_ids'] } });

    const txn = client.transaction();
    const pg = txn.insert('Port_Group', { name: 'pg_ops', external_ids: { stage: '1' } });
    const acl1 = txn.insertChild('ACL', aclRow(1001, 'ip4'), { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' });
    txn.comment('nbgen: data layer test');
    const created = await client.transact(txn);
    const pgUuid = created.uuidOf(pg);
    const acl1Uuid = created.uuidOf(acl1);
    // ovsdb-server sends our own update before the transact reply: no waiting needed.
    expect(cache.get('Port_Group', pgUuid)?.acls).toEqual([acl1Uuid]);

    const txn2 = client.transaction();
    const acl2 = txn2.insertChild('ACL', aclRow(1002, 'ip6'), { parent: { table: 'Port_Group', where: [['name', '==', 'pg_ops']] }, column: 'acls' });
    const upd = txn2.update('Port_Group', [['_uuid', '==', pgUuid]], { external_ids: { stage: '2' } });
    const mut = txn2.mutate('Port_Group', [['name', '==', 'pg_ops']], [['external_ids', 'insert', { extra: 'x' }]]);
    const waitOk = txn2.wait('Port_Group', { where: [['_uuid', '==', pgUuid]], columns: ['name'], until: '==', rows: [{ name: 'pg_ops' }], timeoutMs: 0 });
    const sel = txn2.select('ACL', [['external_ids', 'includes', { 'nbgen/owner': 'test' }]], ['priority', 'match']);
    const r2 = await client.transact(txn2);
    expect(r2.get(upd)).toEqual({ count: 1 });
    expect(r2.get(mut)).toEqual({ count: 1 });
    expect(r2.get(waitOk)).toEqual({});
    expect([...r2.get(sel).rows].sort((a, b) => Number(a.priority) - Number(b.priority))).toEqual([
      { priority: 1001, match: 'ip4' },
      { priority: 1002, match: 'ip6' },
    ]);
    const acl2Uuid = r2.uuidOf(acl2);

    // Removing an ACL from its only referrer lets the server garbage-collect it.
    const txn3 = client.transaction();
    txn3.removeChild(acl1Uuid, { parent: { table: 'Port_Group', uuid: pgUuid }, column: 'acls' });
    await client.transact(txn3);

    expect(cache.dump()).toEqual({
      Port_Group: [{ _uuid: pgUuid, name: 'pg_ops', acls: [acl2Uuid], external_ids: { extra: 'x', stage: '2' } }],
      ACL: [{ _uuid: acl2Uuid, priority: 1002, match: 'ip6', external_ids: { 'nbgen/owner': 'test' } }],
    });
    expect(cache.dump()).toEqual(await client.dump(cache.monitoredColumns));

    const txn4 = client.transaction();
    const del = txn4.delete('Port_Group', [['name', '==', 'pg_ops']]);
    expect((await client.transact(txn4)).get(del)).toEqual({ count: 1 });
    expect(cache.dump()).toEqual({ Port_Group: [], ACL: [] });
  });

  it('fails an optimistic-lock wait with OVSDB_WAIT_FAILED at its index, committing nothing', async () => {
    const client = await connect();
    const txn = client.transaction();
    txn.insert('Port_Group', { name: 'pg_ops' });
    txn.wait('Port_Group', { where: [['name', '==', 'pg_ops']], columns: ['external_ids'], until: '==', rows: [{ external_ids: { v: '1' } }], timeoutMs: 0 });
    await expect(client.transact(txn)).rejects.toMatchObject({
      code: 'OVSDB_WAIT_FAILED',
      details: { serverError: 'timed out', operationIndex: 1 },
    });
    expect((await client.dump({ Port_Group: ['name'] })).Port_Group).toEqual([]);
  });

  it('insertChild into a missing parent fails the transaction instead of losing the child', async () => {
    const client = await connect();
    const txn = client.transaction();
    txn.insertChild('ACL', aclRow(1, 'ip4'), { parent: { table: 'Port_Group', where: [['name', '==', 'pg_ops']] }, column: 'acls' });
    await expect(client.transact(txn)).rejects.toMatchObject({ code: 'OVSDB_WAIT_FAILED', details: { operationIndex: 0 } });
  });

  it('maps index uniqueness to OVSDB_CONSTRAINT_VIOLATION at operationIndex = ops.length (commit failure)', async () => {
    const client = await connect();
    const txn = client.transaction();
    txn.insert('Port_Group', { name: 'pg_ops' });
    txn.insert('Port_Group', { name: 'pg_ops' });
    await expect(client.transact(txn)).rejects.toMatchObject({
      code: 'OVSDB_CONSTRAINT_VIOLATION',
      details: { serverError: 'constraint violation', operationIndex: 2 },
    });
  });

  it('maps an out-of-range where value to OVSDB_CONSTRAINT_VIOLATION at that operation', async () => {
    const client = await connect();
    const txn = client.transaction();
    txn.comment('first');
    txn.select('ACL', [['priority', '==', 99999]]);
    await expect(client.transact(txn)).rejects.toMatchObject({ code: 'OVSDB_CONSTRAINT_VIOLATION', details: { operationIndex: 1 } });
  });

  it('maps dangling and remaining references to OVSDB_REFERENTIAL_INTEGRITY', async () => {
    const client = await connect();
    const dangling = client.transaction();
    dangling.insert('Port_Group', { name: 'pg_ops', acls: ['00000000-0000-0000-0000-00000000abcd' as Uuid] });
    await expect(client.transact(dangling)).rejects.toMatchObject({ code: 'OVSDB_REFERENTIAL_INTEGRITY', details: { operationIndex: 1 } });

    const setup = client.transaction();
    const pg = setup.insert('Port_Group', { name: 'pg_ops' });
    const acl = setup.insertChild('ACL', aclRow(5, 'ip4'), { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' });
    const aclUuid = (await client.transact(setup)).uuidOf(acl);
    const stillReferenced = client.transaction();
    stillReferenced.delete('ACL', [['_uuid', '==', aclUuid]]);
    await expect(client.transact(stillReferenced)).rejects.toMatchObject({
      code: 'OVSDB_REFERENTIAL_INTEGRITY',
      details: { operationIndex: 1, serverDetails: expect.stringMatching(/remaining reference/) },
    });
  });

  it('refuses an orphan ACL in the builder; the server would have dropped it silently', async () => {
    const client = await connect();
    expect(() => client.transaction().insert('ACL', aclRow(7, 'orphan'))).toThrowError(expect.objectContaining({ code: 'OVSDB_SCHEMA' }));
    // What the guard prevents, as ovsdb-server does it: the insert "succeeds", the row is gone.
    const raw = await client.transact([{ op: 'insert', table: 'ACL', row: { priority: 7, direction: 'to-lport', match: 'orphan', action: 'drop' } }]);
    expect(raw).toEqual([{ uuid: ['uuid', expect.any(String)] }]);
    expect((await client.dump({ ACL: ['match'] })).ACL?.filter((r) => r.match === 'orphan')).toEqual([]);
  });

  it('asserts locks: not owner without it, success while held; locked/stolen notifications', async () => {
    const a = await connect();
    const b = await connect();
    const events: string[] = [];
    b.onLockChange((e) => events.push(`b ${e.kind} ${e.lock}`));
    a.onLockChange((e) => events.push(`a ${e.kind} ${e.lock}`));

    const guarded = () => {
      const txn = a.transaction();
      txn.assert('nbgen_test');
      txn.comment('guarded');
      return txn;
    };
    await expect(a.transact(guarded())).rejects.toMatchObject({ code: 'OVSDB_OPERATION_FAILED', details: { serverError: 'not owner', operationIndex: 0 } });
    expect(await a.lock('nbgen_test')).toBe(true);
    await a.transact(guarded());
    expect(await b.lock('nbgen_test')).toBe(false);
    await a.unlock('nbgen_test');
    await b.echo();
    expect(await a.steal('nbgen_test')).toBe(true);
    await b.echo();
    expect(events).toEqual(['b locked nbgen_test', 'b stolen nbgen_test']);
    expect(await a.echo('x', 1)).toEqual(['x', 1]);
    expect(await a.listDbs()).toContain('OVN_Northbound');
  });
});

describe('monitor cache against ovsdb-server', () => {
  beforeEach(async () => {
    await nbctl('--if-exists', 'destroy', 'Port_Group', 'pg_a', '--', '--if-exists', 'destroy', 'Port_Group', 'pg_b', '--', '--if-exists', 'destroy', 'Port_Group', 'pg_c', '--', '--if-exists', 'ls-del', 'ls1');
  });

  for (const method of ['monitor_cond_since', 'monitor_cond', 'monitor'] as const) {
    it(`equals a fresh dump after another client's changes (${method})`, async () => {
      const client = await connect();
      const cache = await client.monitor({
        method,
        tables: { Port_Group: true, ACL: true, Logical_Switch: ['name', 'ports'], Logical_Switch_Port: ['name', 'addresses'] },
      });
      expect(cache.monitorMethod).toBe(method);
      await nbctl('pg-add', 'pg_a', '--', 'ls-add', 'ls1', '--', 'lsp-add', 'ls1', 'p1', '--', 'lsp-add', 'ls1', 'p2');
      await nbctl('pg-set-ports', 'pg_a', 'p1', 'p2');
      await nbctl('acl-add', 'pg_a', 'to-lport', '1001', 'ip4.src == 10.0.0.1', 'allow-related');
      await nbctl('acl-add', 'pg_a', 'from-lport', '1002', 'ip4', 'drop');
      await nbctl('set', 'Port_Group', 'pg_a', 'external_ids:nbgen/owner=x', 'external_ids:k=v');
      await expectCacheMatchesServer(client, cache);
      await nbctl('lsp-set-addresses', 'p1', '00:00:00:00:00:01 10.0.0.1', '--', 'lsp-del', 'p2');
      await nbctl('acl-del', 'pg_a', 'to-lport', '1001', 'ip4.src == 10.0.0.1');
      await nbctl('remove', 'Port_Group', 'pg_a', 'external_ids', 'k', '--', 'pg-add', 'pg_b');
      await expectCacheMatchesServer(client, cache);
      expect(cache.lookupOne('Port_Group', 'name', 'pg_a')?.ports).toHaveLength(1);
    });
  }

  it('resyncs after a server restart: no duplicated or lost rows, events only for the differences', async () => {
    const client = await connect();
    const cache = await client.monitor({
      tables: { Port_Group: ['name', 'acls', 'external_ids'], ACL: ['priority', 'match', 'external_ids'] },
      indexes: { ACL: [{ name: 'owner', externalIdKey: 'nbgen/owner' }] },
    });
    await nbctl('pg-add', 'pg_a', '--', 'pg-add', 'pg_b');
    await nbctl('acl-add', 'pg_a', 'to-lport', '1001', 'ip4', 'allow-related');
    await expectCacheMatchesServer(client, cache);
    const before = cache.dump();
    const events: ChangeEvent[] = [];
    cache.onChange((e) => events.push(e));

    await nb().kill('SIGTERM');
    // Changed while no client could see it: ovsdb-tool edits the stopped standalone database.
    const pgB = before.Port_Group?.find((r) => r.name === 'pg_b')?._uuid as string;
    await run('ovsdb-tool', [
      'transact',
      nb().dbFile,
      JSON.stringify([
        'OVN_Northbound',
        { op: 'delete', table: 'Port_Group', where: [['_uuid', '==', ['uuid', pgB]]] },
        { op: 'insert', table: 'Port_Group', row: { name: 'pg_c' } },
        { op: 'mutate', table: 'Port_Group', where: [['name', '==', 'pg_a']], mutations: [['external_ids', 'insert', ['map', [['v', '2']]]]] },
      ]),
    ]);
    await nb().restart();
    await expectCacheMatchesServer(client, cache);

    expect(events.map((e) => `${e.kind} ${e.table} ${(e.new ?? e.old)?.name}`).sort()).toEqual([
      'delete Port_Group pg_b',
      'insert Port_Group pg_c',
      'update Port_Group pg_a',
    ]);
    expect(cache.lookup('ACL', 'owner', 'none')).toEqual([]);
    expect(cache.size('ACL')).toBe(1);
  });

  // Runs last: it converts the database to a schema with ACL tiers (as an OVN upgrade would).
  it('follows an online schema conversion: monitor_canceled → new schema, re-monitor, same rows', async () => {
    const client = await connect();
    const cache = await client.monitor({ tables: { Port_Group: ['name', 'acls'], ACL: ['priority', 'match'] } });
    await nbctl('pg-add', 'pg_a', '--', 'acl-add', 'pg_a', 'to-lport', '1001', 'ip4', 'allow');
    await expectCacheMatchesServer(client, cache);
    expect(client.capabilities.aclTier).toBe(false);

    const schema = JSON.parse(readFileSync('/usr/share/ovn/ovn-nb.ovsschema', 'utf8'));
    schema.version = '7.0.99';
    schema.tables.ACL.columns.tier = { type: { key: { type: 'integer', minInteger: 0, maxInteger: 3 } } };
    const schemaFile = join(nb().dir, 'nb-with-tier.ovsschema');
    writeFileSync(schemaFile, JSON.stringify(schema));
    await run('ovsdb-client', ['convert', nb().remotes.unix as string, schemaFile]);

    for (let i = 0; i < 100 && !client.schema.hasColumn('ACL', 'tier'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(client.schema.version).toBe('7.0.99');
    expect(client.capabilities.aclTier).toBe(true);
    await expectCacheMatchesServer(client, cache);
    expect(cache.size('ACL')).toBe(1);
  });
});
