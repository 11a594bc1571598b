// Writing a transaction while it is built (issue 17) against a real ovsdb-server: a request cut
// off before its last byte (the build throws, the client goes away, the socket closes) is never
// executed, so the NB stays as it was; a whole one commits like the one-write request.
import { capabilitiesForOvnVersion, PortGroupRow, type NbRows } from '@ovn-nbgen/core';
import { ownedExternalIds } from '@ovn-nbgen/core/model';
import { connect } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { startStandaloneNb, stopAllOvsdbServers, type StandaloneNb } from '../../../../test/harness/ovsdbServer.js';
import { OvsdbClient } from '../../src/index.js';
import { buildSteps } from '../../src/reconcile/transaction.js';
import { buildTransaction, NbState, planReconcile, type ReconcilePlan } from '../../src/subpaths/reconcile.js';
import { plainAcl } from './aclFixture.js';
import { emptyTables } from './applyPlan.js';

afterAll(stopAllOvsdbServers);

const owner = 'nbgen';
const GROUPS = 300;

/** GROUPS port groups of 3 ACLs each, planned into an empty NB. */
function bigPlan(): ReconcilePlan {
  const rows: NbRows = { portGroups: [], addressSets: [], acls: [], nats: [], loadBalancers: [] };
  for (let g = 0; g < GROUPS; g++) {
    const name = `pg${g}`;
    const ref = { kind: 'NetworkPolicy' as const, namespace: 'ns', name };
    (rows.portGroups as unknown[]).push(PortGroupRow({ name, ports: [], externalIds: ownedExternalIds(owner, ref) }));
    for (const priority of [1001, 1002, 1003]) {
      (rows.acls as unknown[]).push(plainAcl({ portGroup: name, direction: 'to-lport', priority, match: `outport == @${name} && tcp.dst == ${priority}`, action: 'allow-related', externalIds: ownedExternalIds(owner, ref, `rule/${priority}`) }));
    }
  }
  return planReconcile(rows, NbState.fromRows(emptyTables()), { owner, capabilities: capabilitiesForOvnVersion('23.03') });
}

async function counts(nb: StandaloneNb): Promise<string> {
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix! });
  try {
    const [groups, acls] = (await client.transact([
      { op: 'select', table: 'Port_Group', where: [], columns: ['_uuid'] },
      { op: 'select', table: 'ACL', where: [], columns: ['_uuid'] },
    ])) as { rows: unknown[] }[];
    return `Port_Group ${groups!.rows.length}, ACL ${acls!.rows.length}`;
  } finally {
    await client.close();
  }
}

it('a build that throws after part of the request was written leaves the NB unchanged', async () => {
  const nb = await startStandaloneNb();
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix! });
  const plan = bigPlan();
  const txn = client.transaction({ validate: false });
  let steps = 0;
  function* failing(): Generator<void> {
    for (const _ of buildSteps(plan, txn)) {
      yield;
      if (++steps === GROUPS / 2) throw new Error('build broke half-way');
    }
  }
  await expect(client.transactAsBuilt(txn, failing(), { batchOperations: 8 })).rejects.toThrow('build broke half-way');
  expect(await counts(nb)).toBe('Port_Group 0, ACL 0');
  await client.close();
  await nb.stop();
});

it('a client that goes away while its request is being written leaves the NB unchanged', async () => {
  const nb = await startStandaloneNb();
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix! });
  const plan = bigPlan();
  const txn = client.transaction({ validate: false });
  let closing: Promise<void> | undefined;
  function* dropped(): Generator<void> {
    let steps = 0;
    for (const _ of buildSteps(plan, txn)) {
      yield;
      if (++steps === GROUPS / 2) closing = client.close();
    }
  }
  const outcome = await client.transactAsBuilt(txn, dropped(), { batchOperations: 8 }).then(
    () => 'committed',
    (error: { code?: string }) => error.code,
  );
  await closing;
  expect(outcome).toBe('OVSDB_CLOSED');
  expect(await counts(nb)).toBe('Port_Group 0, ACL 0');
  await nb.stop();
});

it('ovsdb-server drops a transact whose connection closes before its last byte (what the above relies on)', async () => {
  const nb = await startStandaloneNb();
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix! });
  const txn = client.transaction({ validate: false });
  buildTransaction(bigPlan(), txn);
  await client.close();
  const text = JSON.stringify({ method: 'transact', params: ['OVN_Northbound', ...txn.operations], id: 1 });
  const socket = connect(nb.remotes.unix!.slice('unix:'.length));
  await new Promise((resolve) => socket.once('connect', resolve));
  // All but the closing "}": the server holds a complete transact except its last byte.
  await new Promise<void>((resolve) => socket.write(text.slice(0, -1), () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 200));
  socket.destroy();
  expect(await counts(nb)).toBe('Port_Group 0, ACL 0');
  await nb.stop();
});

it('a whole request written while built commits the rows of the one-write request', async () => {
  const nb = await startStandaloneNb();
  const client = await OvsdbClient.connect({ remote: nb.remotes.unix! });
  const plan = bigPlan();
  const txn = client.transaction({ validate: false });
  let bytes = 0;
  const result = await client.transactAsBuilt(txn, buildSteps(plan, txn), { batchOperations: 8, onEncoded: (size) => (bytes = size) });
  const whole = client.transaction({ validate: false });
  buildTransaction(plan, whole);
  expect(txn.operations).toEqual(whole.operations);
  expect(result.results).toHaveLength(whole.length);
  expect(bytes).toBeGreaterThan(100_000);
  expect(await counts(nb)).toBe(`Port_Group ${GROUPS}, ACL ${GROUPS * 3}`);
  await client.close();
  await nb.stop();
});
