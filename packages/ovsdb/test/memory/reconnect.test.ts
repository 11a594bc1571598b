/**
 * What the in-memory NB lets fast tests do that a real server makes slow: drop every connection
 * (a server restart) while another client writes, and check that a reconnecting session's monitor
 * cache catches up — from a full dump on a standalone server, from the transaction history on a
 * clustered one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OvsdbClient } from '../../src/index.js';
import { MemoryOvsdbServer } from '../../src/memory/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(what: string, done: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(['standalone', 'clustered'] as const)('a %s in-memory NB dropping its connections', (model) => {
  it(`leaves a reconnecting client with a cache equal to a fresh dump (${model === 'clustered' ? 'resumed from history' : 'full dump'})`, async () => {
    const server = MemoryOvsdbServer.ovnNorthbound({ model });
    const dir = await mkdtemp(join(tmpdir(), 'nbgen-memre-'));
    cleanups.push(async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    });
    const remote = await server.listen({ unix: join(dir, 'nb.sock') });
    const reader = await OvsdbClient.connect({ remote, session: { probeIntervalMs: 0, backoff: () => 10 } });
    cleanups.push(() => reader.close());
    const setup = await server.connectClient();
    // History holds no more atoms than the database (clustered.ovn.test.ts): the bulk insert is
    // forgotten at the next change, so the cache's resume point is a small transaction after it.
    await setup.transact(Array.from({ length: 30 }, (_, i) => ({ op: 'insert', table: 'Address_Set', row: { name: `as${i}`, addresses: ['set', ['10.0.0.1', '10.0.0.2']] } })));
    await setup.transact([{ op: 'insert', table: 'Port_Group', row: { name: 'pg_before' } }]);
    const cache = await reader.monitor({ tables: { Address_Set: ['name', 'addresses'], Port_Group: ['name'] } });

    // Whether the resume found its transaction id in the history (only a clustered NB keeps one).
    const resume = vi.spyOn(server.database('OVN_Northbound')!, 'changesSince');
    let reconnects = 0;
    reader.channel.onConnected(() => {
      reconnects++;
    });
    server.dropConnections();
    // A writer that connects while the reader is away.
    const writer = await server.connectClient();
    cleanups.push(() => writer.close());
    await writer.transact([
      { op: 'insert', table: 'Port_Group', row: { name: 'pg_while_down' } },
      { op: 'delete', table: 'Address_Set', where: [['name', '==', 'as3']] },
      { op: 'mutate', table: 'Address_Set', where: [['name', '==', 'as4']], mutations: [['addresses', 'insert', '10.0.0.9']] },
    ]);
    await until('the reader to reconnect and catch up', async () => {
      if (reconnects === 0) return false;
      return JSON.stringify(cache.dump()) === JSON.stringify(await reader.dump(cache.monitoredColumns));
    });
    expect(cache.dump()).toEqual(await reader.dump(cache.monitoredColumns));
    expect((cache.dump().Port_Group ?? []).map((r) => r.name).sort()).toEqual(['pg_before', 'pg_while_down']);
    const found = resume.mock.results.map((r) => r.value !== undefined);
    expect(found.at(-1)).toBe(model === 'clustered');
  });
});
