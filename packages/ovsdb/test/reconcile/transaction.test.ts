// buildTransaction turns a plan into the wire operations of one transaction. These tests check
// the shape that makes a 100k-row apply cheap for the server (children named inside their new
// parent's insert, defaults left out), then commit it on the in-memory NB and read it back.
import { capabilitiesForOvnVersion, PortGroupRow, type NbRows, type ObjectRef } from '@ovn-nbgen/core';
import { ownedExternalIds } from '@ovn-nbgen/core/model';
import { afterEach, describe, expect, it } from 'vitest';
import { Reconciler, type OvsdbClient } from '../../src/index.js';
import { buildTransaction, NbState, planReconcile } from '../../src/subpaths/reconcile.js';
import { MemoryOvsdbServer } from '../../src/memory/index.js';
import { plainAcl } from './aclFixture.js';
import { emptyTables, freshUuid } from './applyPlan.js';

const owner = 'nbgen';
const capabilities = capabilitiesForOvnVersion('23.03');
const ref: ObjectRef = { kind: 'NetworkPolicy', namespace: 'ns', name: 'web' };

function policy(pg: string, priorities: readonly number[]): NbRows {
  return {
    portGroups: [PortGroupRow({ name: pg, ports: [], externalIds: ownedExternalIds(owner, ref) })],
    addressSets: [],
    acls: priorities.map((priority) =>
      plainAcl({
        portGroup: pg,
        direction: 'to-lport',
        priority,
        match: `outport == @${pg} && tcp.dst == ${priority + 1}`,
        action: 'allow-related',
        externalIds: ownedExternalIds(owner, ref, `rule/${priority}`),
      }),
    ),
    nats: [],
    loadBalancers: [],
  };
}


const servers: MemoryOvsdbServer[] = [];
const clients: OvsdbClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) await s.close();
});

async function memoryNb(): Promise<OvsdbClient> {
  const server = MemoryOvsdbServer.ovnNorthbound();
  servers.push(server);
  const client = await server.connectClient();
  clients.push(client);
  return client;
}

describe('buildTransaction', () => {
  it('inserts the ACLs of a new port group first and names them in the group insert: no mutate', async () => {
    const client = await memoryNb();
    const txn = client.transaction();
    buildTransaction(planReconcile(policy('np.ns.web', [0, 1001]), NbState.fromRows(emptyTables()), { owner, capabilities }), txn);
    const ops = txn.operations as { op: string; table?: string; row?: Record<string, unknown>; 'uuid-name'?: string }[];
    expect(ops.map((o) => `${o.op} ${o.table ?? ''}`.trim())).toEqual(['comment', 'insert ACL', 'insert ACL', 'insert Port_Group']);
    const [, low, high, group] = ops;
    expect(group!.row!.acls).toEqual(['set', [['named-uuid', low!['uuid-name']], ['named-uuid', high!['uuid-name']]]]);
    // Defaults stay home: priority 0, log false, empty options and ports are what the server assumes.
    expect(Object.keys(low!.row!)).toEqual(['direction', 'match', 'action', 'external_ids']);
    expect(high!.row!.priority).toBe(1001);
    expect(Object.keys(group!.row!).sort()).toEqual(['acls', 'external_ids', 'name']);
  });

  it('adds new ACLs to an existing port group with one mutate after checking the group is there', async () => {
    const tables = emptyTables();
    const pgUuid = freshUuid();
    tables.Port_Group = [{ _uuid: pgUuid, name: 'np.ns.web', ports: [], acls: [], external_ids: ownedExternalIds(owner, ref) }];
    const client = await memoryNb();
    const txn = client.transaction({ validate: false });
    buildTransaction(planReconcile(policy('np.ns.web', [1001, 1002]), NbState.fromRows(tables), { owner, capabilities }), txn);
    const ops = txn.operations as { op: string; table?: string; mutations?: unknown }[];
    // The plan's guard (the group's ACL set is as read), the builder's (the group exists), then the rows.
    expect(ops.map((o) => `${o.op} ${o.table ?? ''}`.trim())).toEqual(['comment', 'wait Port_Group', 'wait Port_Group', 'insert ACL', 'insert ACL', 'mutate Port_Group']);
    expect(ops.at(-1)!.mutations).toEqual([['acls', 'insert', ['set', [['named-uuid', 'new_ACL_0'], ['named-uuid', 'new_ACL_1']]]]]);
  });

  it('commits on the NB to rows that read back with their defaults, each ACL held by its group', async () => {
    const client = await memoryNb();
    const reconciler = await Reconciler.start(client, { owner });
    const rows = policy('np.ns.web', [0, 1001]);
    const result = await reconciler.reconcile(rows);
    expect(result.operations).toBe(4);
    const dump = await client.dump({ Port_Group: ['name', 'acls'], ACL: ['priority', 'log', 'options', 'match'] });
    const acls = dump.ACL ?? [];
    expect(acls.map((a) => [a.priority, a.log, a.options]).sort()).toEqual([
      [0, false, {}],
      [1001, false, {}],
    ]);
    const groups = dump.Port_Group ?? [];
    expect(groups.map((g) => [g.name, [...(g.acls as string[])].sort()])).toEqual([['np.ns.web', acls.map((a) => a._uuid).sort()]]);
    expect((await reconciler.reconcile(rows)).operations).toBe(0);
    await reconciler.close();
  });
});

describe('buildTransaction of a malformed plan', () => {
  it('refuses a child whose parent insert the plan does not hold, with NBGEN_RECONCILE_PLAN', async () => {
    const client = await memoryNb();
    const plan = planReconcile(policy('np.ns.web', [0, 1]), NbState.fromRows(emptyTables()), { owner, capabilities });
    // Two ACLs each hanging from the other: a plan put together by hand, not by planReconcile.
    const [a, b] = plan.inserts.filter((i) => i.table === 'ACL');
    const broken = { ...plan, inserts: [{ ...a!, parent: { ...a!.parent!, ref: { insert: 1 } } }, { ...b!, parent: { ...b!.parent!, ref: { insert: 0 } } }] };
    let error: unknown;
    try {
      buildTransaction(broken, client.transaction());
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'ReconcileError', code: 'NBGEN_RECONCILE_PLAN', message: 'insert 1 is referenced before it is inserted' });
  });
});
