/**
 * Fast property: on the in-memory NB, a monitor cache fed only by update2 notifications equals
 * a fresh select after every transaction of a generated NB sequence (failing transactions
 * included). Together with the differential test (the same notifications as ovsdb-server), this
 * pins the update2 diffs and their application by the client.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { resolveRefs, transactionSequence, type RawOp } from './nbTransactions.js';

const MONITORED = {
  Port_Group: true,
  Address_Set: true,
  ACL: true,
  Logical_Switch: ['name', 'ports', 'acls', 'load_balancer'],
  Logical_Switch_Port: true,
  Logical_Router: ['name', 'nat', 'load_balancer'],
  NAT: true,
  Load_Balancer: true,
} as const;

it('keeps a monitor cache equal to a fresh dump through generated NB transactions', async () => {
  await fc.assert(
    fc.asyncProperty(transactionSequence, async (sequence) => {
      const server = MemoryOvsdbServer.ovnNorthbound();
      const writer = await server.connectClient();
      const reader = await server.connectClient();
      try {
        const cache = await reader.monitor({ tables: MONITORED });
        const known = new Map<string, string[]>();
        for (const txn of sequence) {
          const ops = resolveRefs(txn.ops, known) as RawOp[];
          const results = await writer.transact(ops);
          if (results.length === ops.length && !results.some((r) => r !== null && typeof r === 'object' && 'error' in r)) {
            ops.forEach((op, i) => {
              if (op.op === 'insert') known.set(op.table as string, [...(known.get(op.table as string) ?? []), (results[i] as { uuid: [string, string] }).uuid[1]]);
            });
          }
          // The writer's reply came after the reader's update was sent; one round trip on the
          // reader's own connection is enough to have it applied.
          await reader.echo();
          expect(cache.dump()).toEqual(await reader.dump(cache.monitoredColumns));
        }
      } finally {
        await writer.close();
        await reader.close();
        await server.close();
      }
    }),
    { seed: 424242, numRuns: 60 },
  );
});
