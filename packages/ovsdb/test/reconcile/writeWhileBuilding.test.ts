// A large transaction is written while it is built (OvsdbClient.transactAsBuilt, commitPlan), so
// ovsdb-server parses the first operations while nbgen builds the rest (issue 17). The bytes must
// be exactly those of the one-write request, whatever the plan and the batch size.
import { capabilitiesForOvnVersion, PortGroupRow, type NbRows } from '@ovn-nbgen/core';
import { ownedExternalIds } from '@ovn-nbgen/core/model';
import fc from 'fast-check';
import type { Duplex } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { OvsdbClient, Reconciler } from '../../src/index.js';
import { MemoryChannel } from '../../src/memory/channel.js';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { buildSteps, WRITE_WHILE_BUILDING_FROM_ROWS } from '../../src/reconcile/transaction.js';
import { buildTransaction, NbState, planReconcile } from '../../src/subpaths/reconcile.js';
import { plainAcl } from './aclFixture.js';
import { applyPlan, emptyTables } from './applyPlan.js';

const owner = 'nbgen';
const capabilities = capabilitiesForOvnVersion('23.03');

/** Port groups `pg<i>`, each with ACLs of the given priorities. */
function rowsOf(groups: readonly { readonly pg: number; readonly priorities: readonly number[] }[]): NbRows {
  const rows: NbRows = { portGroups: [], addressSets: [], acls: [], nats: [], loadBalancers: [] };
  for (const { pg, priorities } of groups) {
    const name = `pg${pg}`;
    const ref = { kind: 'NetworkPolicy' as const, namespace: 'ns', name };
    (rows.portGroups as unknown[]).push(PortGroupRow({ name, ports: [], externalIds: ownedExternalIds(owner, ref) }));
    for (const priority of priorities) {
      (rows.acls as unknown[]).push(
        plainAcl({ portGroup: name, direction: 'to-lport', priority, match: `outport == @${name} && tcp.dst == ${priority + 1} && "é"`, action: 'allow-related', externalIds: ownedExternalIds(owner, ref, `rule/${priority}`) }),
      );
    }
  }
  return rows;
}

const groupsArb = fc.uniqueArray(fc.record({ pg: fc.integer({ min: 0, max: 12 }), priorities: fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 6 }) }), { selector: (g) => g.pg, maxLength: 10 });

const servers: MemoryOvsdbServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** A client on the in-memory NB whose written bytes are recorded, each write on its own. */
async function recordingClient(): Promise<{ client: OvsdbClient; writes: string[] }> {
  const server = MemoryOvsdbServer.ovnNorthbound();
  servers.push(server);
  const end: Duplex = server.connect();
  const writes: string[] = [];
  const write = end.write.bind(end) as (chunk: unknown, ...rest: unknown[]) => boolean;
  end.write = ((chunk: unknown, ...rest: unknown[]) => {
    writes.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof end.write;
  const client = await OvsdbClient.connect({ channel: new MemoryChannel(end) });
  return { client, writes };
}

it('writes the bytes of the one-write request, in several writes, on random plans and batch sizes', async () => {
  await fc.assert(
    fc.asyncProperty(groupsArb, groupsArb, fc.integer({ min: 1, max: 40 }), async (before, after, batchOperations) => {
      const tables = applyPlan(emptyTables(), planReconcile(rowsOf(before), NbState.fromRows(emptyTables()), { owner, capabilities }));
      const plan = planReconcile(rowsOf(after), NbState.fromRows(tables), { owner, capabilities });
      const { client, writes } = await recordingClient();
      try {
        const whole = client.transaction({ validate: false });
        buildTransaction(plan, whole);
        const streamed = client.transaction({ validate: false });
        let encoded = 0;
        writes.length = 0;
        // The uuids of `before` are not in this NB: the server may refuse; the bytes are what count.
        await client.transactAsBuilt(streamed, buildSteps(plan, streamed), { batchOperations, onEncoded: (bytes) => (encoded = bytes) }).catch(() => undefined);
        const sent = writes.join('');
        const { id } = JSON.parse(sent) as { id: number };
        expect(sent).toBe(JSON.stringify({ method: 'transact', params: ['OVN_Northbound', ...whole.operations], id }));
        expect(encoded).toBe(Buffer.byteLength(sent));
        // A head, a batch per batchOperations operations (at least one), a tail.
        expect(writes.length).toBeGreaterThanOrEqual(Math.min(3, 2 + Math.ceil(whole.length / batchOperations)));
      } finally {
        await client.close();
      }
    }),
    { numRuns: 60 },
  );
});

it('buildSteps adds the operations of buildTransaction, some at each step', async () => {
  const { client } = await recordingClient();
  const plan = planReconcile(rowsOf([{ pg: 1, priorities: [1, 2] }, { pg: 2, priorities: [] }, { pg: 3, priorities: [3] }]), NbState.fromRows(emptyTables()), { owner, capabilities });
  const whole = client.transaction({ validate: false });
  buildTransaction(plan, whole);
  const stepped = client.transaction({ validate: false });
  const lengths: number[] = [];
  for (const _ of buildSteps(plan, stepped)) lengths.push(stepped.length);
  expect(stepped.operations).toEqual(whole.operations);
  expect(lengths.length).toBeGreaterThan(1);
  expect(lengths.at(-1)).toBeLessThan(whole.length + 1);
  await client.close();
});

it('a build that throws half-way rejects with its error and leaves the in-memory NB as it was', async () => {
  const { client, writes } = await recordingClient();
  const plan = planReconcile(rowsOf([{ pg: 1, priorities: [1, 2] }, { pg: 2, priorities: [3] }, { pg: 3, priorities: [4] }]), NbState.fromRows(emptyTables()), { owner, capabilities });
  const txn = client.transaction({ validate: false });
  function* failing(): Generator<void> {
    let step = 0;
    for (const _ of buildSteps(plan, txn)) {
      yield;
      if (++step === 2) throw new Error('build broke');
    }
  }
  writes.length = 0;
  await expect(client.transactAsBuilt(txn, failing(), { batchOperations: 1 })).rejects.toThrow('build broke');
  expect(writes.length).toBeGreaterThan(1); // part of the request did go out
  const server = servers[0]!;
  const reader = await server.connectClient();
  const count = await reader.transact([{ op: 'select', table: 'Port_Group', where: [], columns: ['name'] }]);
  expect(count).toEqual([{ rows: [] }]);
  await reader.close();
  await client.close().catch(() => undefined);
});

it('the reconciler writes a plan of WRITE_WHILE_BUILDING_FROM_ROWS rows while building it, a smaller one in one write', async () => {
  const { client, writes } = await recordingClient();
  const reconciler = await Reconciler.start(client, { owner });
  const groups = (count: number, from: number) => Array.from({ length: count }, (_, i) => ({ pg: from + i, priorities: [1, 2] }));
  const large = rowsOf(groups(Math.ceil(WRITE_WHILE_BUILDING_FROM_ROWS / 3), 0));
  writes.length = 0;
  const first = await reconciler.reconcile(large);
  const transactWrites = writes.filter((w) => !w.startsWith('{"method":"monitor')).length;
  expect(first.committed).toBe(true);
  expect(transactWrites).toBeGreaterThan(3);
  expect(first.bytes).toBe(writes.reduce((sum, w) => sum + (w.startsWith('{"method":"monitor') ? 0 : Buffer.byteLength(w)), 0));
  expect((await reconciler.reconcile(large)).committed).toBe(false); // all of it landed

  writes.length = 0;
  const small = rowsOf([...groups(Math.ceil(WRITE_WHILE_BUILDING_FROM_ROWS / 3), 0), ...groups(5, 100_000)]);
  expect((await reconciler.reconcile(small)).committed).toBe(true);
  expect(writes.filter((w) => w.startsWith('{"method":"transact"'))).toHaveLength(1);
  await reconciler.close();
  await client.close();
});
