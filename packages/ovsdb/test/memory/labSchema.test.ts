/**
 * The Lab schema (labSchema.ts) on the in-memory server: each transaction's result with UUIDs
 * masked, as ovsdb-server 3.1 answers them (labSchema.ovn.test.ts checks the same transactions
 * against the real server).
 */
import { expect, it } from 'vitest';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { LAB_SCHEMA_JSON, LAB_TRANSACTIONS } from './labSchema.js';
import { canonicalDuplicateIndexMessage } from './normalize.js';
import { RawPeer } from './rawPeer.js';

const EXPECTED: unknown[] = [
  [{"uuid": ["uuid", "U"]}, {"uuid": ["uuid", "U"]}, {"uuid": ["uuid", "U"]}, {"details": "Transaction causes multiple rows in \"Root\" table to have identical values (a and 1) for index on columns \"name\" and \"zone\".  First row, with UUID U, was inserted by this transaction.  Second row, with UUID U, was inserted by this transaction.", "error": "constraint violation"}],
  [{"uuid": ["uuid", "U"]}, {"details": "Weak reference column \"favorite\" in \"Root\" row U (inserted within this transaction) contained all-zeros UUID (probably as the default value for this column) but deleting this value caused a constraint volation because this column is not allowed to be empty.", "error": "constraint violation"}],
  [{"uuid": ["uuid", "U"]}, {"uuid": ["uuid", "U"]}],
  [{"count": 1}, {"details": "Deletion of 1 weak reference(s) to deleted (or never-existing) rows from column \"favorite\" in \"Root\" row U caused this column to become empty, but constraints on this column disallow an empty column.", "error": "constraint violation"}],
  [{"syntax": "{\"op\":\"update\",\"row\":{\"serial\":\"x\"},\"table\":\"Root\",\"where\":[]}", "details": "Cannot update immutable column serial in table Root.", "error": "constraint violation"}],
  [{"syntax": "[\"serial\",\"insert\",\"x\"]", "details": "Cannot mutate immutable column serial in table Root.", "error": "constraint violation"}],
  [{"details": "Result of \"*=\" operation contains duplicates.", "error": "constraint violation"}],
  [{"details": "11 is not in the valid range 0 to 10 (inclusive)", "error": "constraint violation"}],
  [{"details": "Division by zero.", "error": "domain error"}],
  [{"syntax": "[\"weights\",\"%=\",2]", "details": "Type mismatch: \"%=\" operator may not be applied to column weights of type set of reals.", "error": "syntax error"}],
  [{"count": 1}],
  [{"count": 1}],
  [{"uuid": ["uuid", "U"]}, {"uuid": ["uuid", "U"]}, {"details": "transaction causes \"Target\" table to contain 3 rows, greater than the schema-defined limit of 2 row(s)", "error": "constraint violation"}],
  [{"rows": [{"name": "c", "weights": ["set", [3, 4]], "counts": ["set", [0, 1]], "by_port": ["map", []]}]}],
  [{"uuid": ["uuid", "U"]}, {"uuid": ["uuid", "U"]}, {"count": 1}],
  [{"count": 1}, {"rows": [{"n": 1}, {"n": 2}]}],
  [{"rows": []}, {"rows": [{"name": "c"}]}],
  [{"count": 1}, {"syntax": "[\"set\",[]]", "details": "set must have 1 to 2 members but 0 are present", "error": "syntax error"}],
  [{"uuid": ["uuid", "U"]}, {"uuid": ["uuid", "U"]}, {"count": 1}, {"details": "Transaction causes multiple rows in \"Root\" table to have identical values (d and 2) for index on columns \"name\" and \"zone\".  First row, with UUID U, was inserted by this transaction.  Second row, with UUID U, had the following index values before the transaction: c and 1.", "error": "constraint violation"}],
  [{"uuid": ["uuid", "U"]}, {"details": "Weak reference column \"favorite\" in \"Root\" row U (inserted within this transaction) contained all-zeros UUID (probably as the default value for this column) but deleting this value caused a constraint volation because this column is not allowed to be empty.", "error": "constraint violation"}],
];

function masked(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'string' ? canonicalDuplicateIndexMessage(v.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'U')) : v,
  );
}

it('enforces weak min-1 columns, maxRows, two-column indexes, immutable columns and set arithmetic like ovsdb-server', async () => {
  const server = new MemoryOvsdbServer({ schemas: [LAB_SCHEMA_JSON] });
  const peer = new RawPeer(server.connect());
  try {
    const results: unknown[] = [];
    for (const [i, ops] of LAB_TRANSACTIONS.entries()) results.push(masked((await peer.request('transact', ['Lab', ...ops], i)).result));
    expect(results).toEqual(masked(EXPECTED));
  } finally {
    await server.close();
  }
});
