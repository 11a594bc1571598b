/**
 * The monitor cache across a Raft failover: a 3-member NB cluster on 127.0.0.1, one client
 * monitoring while another streams writes (port groups with ACLs, address sets), the leader killed
 * by pid mid-stream. Both clients follow the new leader; afterwards the cache equals a fresh dump,
 * UUID for UUID, and the writes that were acknowledged are each there exactly once.
 */
import { afterAll, expect, it } from 'vitest';
import { nbClusterPerFile } from '../../../../test/harness/ovsdbServerPerFile.js';
import { OvsdbClient, OvsdbError, type MonitorCache } from '../../src/index.js';
import type { CacheDump } from '../../src/subpaths/cache.js';

const cluster = nbClusterPerFile(3);
const clients: OvsdbClient[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

async function connect(): Promise<OvsdbClient> {
  const client = await OvsdbClient.connect({ remote: cluster().remote, transactTimeoutMs: 15_000 });
  clients.push(client);
  return client;
}

/** One write: a port group with two ACLs (non-root children), and an address set. */
async function writeGroup(client: OvsdbClient, n: number): Promise<'ok' | string> {
  const txn = client.transaction();
  const pg = txn.insert('Port_Group', { name: `pg${n}` });
  for (const priority of [1001, 1002]) {
    txn.insertChild(
      'ACL',
      { priority, direction: 'to-lport', match: `outport == @pg${n} && ip4`, action: 'allow-related', external_ids: { n: String(n) } },
      { parent: { table: 'Port_Group', uuidName: pg }, column: 'acls' },
    );
  }
  txn.insert('Address_Set', { name: `as${n}`, addresses: [`10.0.${n >> 8}.${n & 255}`] });
  try {
    await client.transact(txn);
    return 'ok';
  } catch (error) {
    return error instanceof OvsdbError ? error.code : String(error);
  }
}

/** Waits (bounded) for the cache to catch up, then returns both views for one strict comparison. */
async function settledViews(reader: OvsdbClient, cache: MonitorCache): Promise<[CacheDump, CacheDump]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const fresh = await reader.dump(cache.monitoredColumns);
    const cached = cache.dump();
    if (JSON.stringify(fresh) === JSON.stringify(cached) || Date.now() > deadline) return [cached, fresh];
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('keeps the monitor cache equal to the database through a leader kill', async () => {
  const reader = await connect();
  const writer = await connect();
  const cache = await reader.monitor({
    tables: {
      Port_Group: ['name', 'acls', 'ports'],
      ACL: ['priority', 'direction', 'match', 'action', 'external_ids'],
      Address_Set: ['name', 'addresses'],
    },
  });
  expect(cache.monitorMethod).toBe('monitor_cond_since');

  const oldLeader = await cluster().leader();
  const outcomes: string[] = [];
  let killed: Promise<void> | undefined;
  for (let n = 0; n < 120; n++) {
    if (n === 40) killed = cluster().kill(oldLeader, 'SIGKILL');
    outcomes.push(await writeGroup(writer, n));
  }
  await killed;

  // Every write either committed or failed with a code that says "maybe": nothing else.
  const failures = outcomes.filter((o) => o !== 'ok');
  expect(failures.filter((f) => f !== 'OVSDB_CONNECTION_LOST' && f !== 'OVSDB_TIMEOUT')).toEqual([]);
  expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(110);

  const [cached, fresh] = await settledViews(reader, cache);
  expect(cached).toEqual(fresh);

  // Acknowledged writes are each present exactly once (a write is never re-sent by the client).
  const groupNames = (fresh.Port_Group ?? []).map((r) => r.name as string);
  expect(new Set(groupNames).size).toBe(groupNames.length);
  outcomes.forEach((o, n) => {
    if (o === 'ok') expect(groupNames).toContain(`pg${n}`);
  });
  expect((fresh.ACL ?? []).length).toBe(2 * groupNames.length);
});
