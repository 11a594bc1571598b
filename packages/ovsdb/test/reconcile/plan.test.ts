// planReconcile is pure: these tests give it rows and a database state as data and check the
// whole plan it returns (what is inserted, which columns of which rows change, what is deleted).
import {
  AclRow,
  AddressSetRow,
  capabilitiesForOvnVersion,
  emptyNbRows,
  mergeNbRows,
  PortGroupRow,
  sortNbRows,
  type NbRow,
  type NbRows,
  type ObjectRef,
} from '@ovn-nbgen/core';
import { ownedExternalIds } from '@ovn-nbgen/core/model';
import { describe, expect, it } from 'vitest';
import { formatPlan, ReconcileError, type ReconcilePlan, type Uuid } from '../../src/index.js';
import { NbState, PlanMemo, planReconcile, type StateRow } from '../../src/subpaths/reconcile.js';
import { sampleRows } from '../../../core/test/script/fixtures.js';
import { plainAcl } from './aclFixture.js';
import { applyPlan, emptyTables, freshUuid, type Tables } from './applyPlan.js';

const capabilities = capabilitiesForOvnVersion('23.03');
const owner = 'nbgen';

/** The cluster before any policy: two pods' ports and the cluster router. */
function cluster(): Tables {
  return {
    ...emptyTables(),
    Logical_Switch_Port: ['client.shop', 'frontend.shop', 'db.shop'].map((name) => ({ _uuid: freshUuid(), name }) as StateRow),
    Logical_Router: [{ _uuid: freshUuid(), name: 'ovn-cluster', nat: [], load_balancer: [] } as StateRow],
  };
}

const plan = (rows: NbRows, tables: Tables, objects?: Parameters<typeof planReconcile>[2]['objects']) =>
  planReconcile(rows, NbState.fromRows(tables), { owner, capabilities, ...(objects ? { objects } : {}) });

const uuidOf = (tables: Tables, table: string, name: string): Uuid => tables[table]!.find((r) => r.name === name)!._uuid;

describe('planReconcile', () => {
  it('inserts every row into an empty database, children with their parent and ports by UUID', () => {
    const tables = cluster();
    const p = plan(sampleRows(owner), tables);
    expect(p.inserts.map((i) => i.label)).toEqual([
      'Address_Set np.shop.client_egress.Out0.Ip4',
      'Port_Group np.shop.client_egress',
      'ACL np.shop.client_egress egress/0/ip4/tcp-8000',
      'ACL np.shop.client_egress egress/default-drop',
      'NAT ovn-cluster dnat_and_snat 172.19.0.10 10.16.0.10',
      'Load_Balancer dnat.dnat_web.tcp',
    ]);
    expect(p.updates).toEqual([]);
    expect(p.deletes).toEqual([]);
    const [, pg, acl, , nat, lb] = p.inserts;
    expect(pg!.columns.ports).toEqual([uuidOf(tables, 'Logical_Switch_Port', 'client.shop')]);
    // The ACL hangs from the Port_Group inserted by the same plan (insert #1).
    expect(acl!.parent).toEqual({ table: 'Port_Group', column: 'acls', ref: { insert: 1 }, name: 'np.shop.client_egress' });
    // 23.03 has no ACL tier column: not written, not compared.
    expect(Object.keys(acl!.columns)).toEqual(['direction', 'priority', 'match', 'action', 'log', 'name', 'severity', 'meter', 'options', 'external_ids']);
    const router = uuidOf(tables, 'Logical_Router', 'ovn-cluster');
    expect(nat!.parent).toEqual({ table: 'Logical_Router', column: 'nat', ref: { uuid: router }, name: 'ovn-cluster' });
    expect(lb!.memberOf).toEqual([{ table: 'Logical_Router', column: 'load_balancer', uuid: router, name: 'ovn-cluster', op: 'insert' }]);
    // New NATs join an existing router: the commit must find its NAT set as read; the LB name must still be free.
    expect(p.guards).toEqual([
      { kind: 'children', table: 'Logical_Router', uuid: router, column: 'nat', uuids: [] },
      { kind: 'absent', table: 'Load_Balancer', name: 'dnat.dnat_web.tcp', owner },
    ]);
    expect(p.warnings).toEqual([]);
  });

  it('plans nothing on the second run of the same rows', () => {
    const rows = sampleRows(owner);
    const tables = cluster();
    const after = applyPlan(tables, plan(rows, tables));
    const again = plan(rows, after);
    expect(again.inserts).toEqual([]);
    expect(again.updates).toEqual([]);
    expect(again.deletes).toEqual([]);
    expect(formatPlan(again)).toBe('');
  });

  it('updates only the columns that changed, in place, guarded by their old values', () => {
    const rows = sampleRows(owner);
    const tables = cluster();
    const db = applyPlan(tables, plan(rows, tables));
    const [first, second] = rows.acls;
    const changed = { ...rows, acls: [AclRow({ ...first!, match: `${first!.match} && tcp.dst == 8001`, priority: 2002 }), second!] };
    const p = plan(changed, db);
    expect(p.inserts).toEqual([]);
    expect(p.deletes).toEqual([]);
    expect(p.updates).toHaveLength(1);
    const update = p.updates[0]!;
    const aclUuid = db.ACL!.find((r) => r.match === first!.match)!._uuid;
    expect(update.uuid).toBe(aclUuid);
    expect(update.changes).toEqual([
      { column: 'priority', old: 2001, new: 2002 },
      { column: 'match', old: first!.match, new: `${first!.match} && tcp.dst == 8001` },
    ]);
    expect(p.guards).toEqual([{ kind: 'columns', table: 'ACL', uuid: aclUuid, values: { priority: 2001, match: first!.match } }]);
    expect(formatPlan(p)).toBe(
      `~ ACL np.shop.client_egress egress/0/ip4/tcp-8000\n    priority: 2001 → 2002\n    match: ${JSON.stringify(first!.match)} → ${JSON.stringify(`${first!.match} && tcp.dst == 8001`)}\n`,
    );
  });

  it('changes port group membership by set deltas of port UUIDs, named in the diff', () => {
    const rows = sampleRows(owner);
    const tables = cluster();
    const db = applyPlan(tables, plan(rows, tables));
    const pg = rows.portGroups[0]!;
    const churned = { ...rows, portGroups: [PortGroupRow({ ...pg, ports: ['frontend.shop', 'db.shop'] })] };
    const p = plan(churned, db);
    expect(p.updates).toEqual([
      expect.objectContaining({
        label: 'Port_Group np.shop.client_egress',
        changes: [
          expect.objectContaining({
            column: 'ports',
            set: {
              added: [uuidOf(tables, 'Logical_Switch_Port', 'db.shop'), uuidOf(tables, 'Logical_Switch_Port', 'frontend.shop')].sort(),
              removed: [uuidOf(tables, 'Logical_Switch_Port', 'client.shop')],
            },
            names: { added: ['db.shop', 'frontend.shop'], removed: ['client.shop'] },
          }),
        ],
      }),
    ]);
    // Set deltas commute with other writers: no guard, so pod churn stays a small transaction.
    expect(p.guards).toEqual([]);
    expect(formatPlan(p)).toBe('~ Port_Group np.shop.client_egress\n    ports: +"db.shop" +"frontend.shop" -"client.shop"\n');
  });

  it('reads the ports a group holds again once a port is renamed, with the column value unchanged', () => {
    const rows = sampleRows(owner);
    const tables = cluster();
    const state = NbState.fromRows(applyPlan(tables, plan(rows, tables)));
    const planOn = () => planReconcile(rows, state, { owner, capabilities });
    expect(planOn().updates).toEqual([]);
    // The group's column is the very array the first plan read; only the port's name changed.
    const port = state.firstNamed('Logical_Switch_Port', 'client.shop')!;
    state.apply({ kind: 'update', table: 'Logical_Switch_Port', uuid: port._uuid, old: port, new: { ...port, name: 'client.renamed' } as StateRow });
    const renamed = state.firstNamed('Logical_Switch_Port', 'client.renamed')!;
    const fresh = freshUuid();
    state.apply({ kind: 'insert', table: 'Logical_Switch_Port', uuid: fresh, old: undefined, new: { _uuid: fresh, name: 'client.shop' } as StateRow });
    const again = planOn().updates.flatMap((u) => u.changes.filter((c) => c.column === 'ports').map((c) => c.names));
    expect(again).toEqual([{ added: ['client.shop'], removed: ['client.renamed'] }]);
    expect(renamed._uuid).toBe(port._uuid);
  });

  it('takes out of a group a UUID no port answers to and a port no longer wanted', () => {
    const rows = sampleRows(owner);
    const tables = cluster();
    const db = applyPlan(tables, plan(rows, tables));
    const group = db.Port_Group!.find((g) => g.name === rows.portGroups[0]!.name)!;
    const ghost = freshUuid();
    const frontend = uuidOf(tables, 'Logical_Switch_Port', 'frontend.shop');
    db.Port_Group = db.Port_Group!.map((g) => (g === group ? ({ ...g, ports: [...(g.ports as Uuid[]), frontend, ghost] } as StateRow) : g));
    const wanted = { ...rows, portGroups: [PortGroupRow({ ...rows.portGroups[0]!, ports: ['client.shop'] })] };
    const p = plan(wanted, db);
    expect(p.updates.map((u) => u.changes.map((c) => [c.column, c.set]))).toEqual([[['ports', { added: [], removed: [frontend, ghost].sort() }]]]);
  });

  it('leaves out ports missing from the database, with a warning naming them', () => {
    const rows = sampleRows(owner);
    const withGhost = { ...rows, portGroups: [PortGroupRow({ ...rows.portGroups[0]!, ports: ['client.shop', 'ghost.shop'] })] };
    const p = plan(withGhost, cluster());
    expect(p.warnings).toEqual(['Port_Group np.shop.client_egress: logical switch port ghost.shop not found; left out']);
    expect(p.inserts[1]!.columns.ports).toHaveLength(1);
  });

  it("deletes the owner's stale rows only: ACLs and NATs from their parent set, roots by UUID", () => {
    const tables = cluster();
    const db = applyPlan(tables, plan(sampleRows(owner), tables));
    // A second owner's rows and a hand-made ACL in a hand-made group, plus one in OUR group.
    const other = applyPlan(db, planReconcile(sampleRowsRenamed('other'), NbState.fromRows(db), { owner: 'other', capabilities }));
    const handAcl = { _uuid: freshUuid(), direction: 'to-lport', priority: 1000, match: 'tcp.dst == 22', action: 'drop', external_ids: {} } as StateRow;
    other.ACL!.push(handAcl);
    other.Port_Group = other.Port_Group!.map((pg) => (pg.name === 'np.shop.client_egress' ? { ...pg, acls: [...(pg.acls as string[]), handAcl._uuid] } : pg)) as StateRow[];

    const p = plan({ portGroups: [], addressSets: [], acls: [], nats: [], loadBalancers: [] }, other);
    const ours = (table: string) => other[table]!.filter((r) => (r.external_ids as Record<string, string>)['nbgen/owner'] === owner);
    expect(p.deletes.map((d) => d.uuid).sort()).toEqual(
      ['Address_Set', 'Port_Group', 'ACL', 'NAT', 'Load_Balancer'].flatMap((t) => ours(t).map((r) => r._uuid)).sort(),
    );
    const pgUuid = uuidOf(other, 'Port_Group', 'np.shop.client_egress');
    for (const d of p.deletes.filter((x) => x.table === 'ACL')) expect(d.parent).toEqual({ table: 'Port_Group', column: 'acls', uuid: pgUuid });
    const after = applyPlan(other, p);
    // Everything of `other` survives, and so does the hand-made ACL (the group it was in is gone with it,
    // as `ovn-nbctl pg-del` would do: a row we delete takes its own references along).
    for (const t of ['Address_Set', 'Port_Group', 'ACL', 'NAT', 'Load_Balancer']) {
      expect(after[t]!.filter((r) => (r.external_ids as Record<string, string>)['nbgen/owner'] === 'other')).toHaveLength(
        other[t]!.filter((r) => (r.external_ids as Record<string, string>)['nbgen/owner'] === 'other').length,
      );
      expect(after[t]!.filter((r) => (r.external_ids as Record<string, string>)['nbgen/owner'] === owner)).toEqual([]);
    }
  });

  it('of several database rows with one identity, keeps the one equal to the desired row and deletes the others', () => {
    const tables = cluster();
    const db = applyPlan(tables, plan(sampleRows(owner), tables));
    const acls = db.ACL!;
    const drop = acls.find((r) => (r.external_ids as Record<string, string>)['nbgen/rule'] === 'egress/default-drop')!;
    const equal = { ...drop, _uuid: freshUuid() } as StateRow;
    const edited = { ...drop, _uuid: freshUuid(), match: 'ip4' } as StateRow;
    // Another writer left three rows of this identity: the first and last differ from what is wanted.
    Object.assign(drop, { match: 'ip6' });
    acls.push(equal, edited);
    const group = db.Port_Group!.find((r) => r.name === 'np.shop.client_egress')!;
    Object.assign(group, { acls: [...(group.acls as Uuid[]), equal._uuid, edited._uuid] });
    const p = plan(sampleRows(owner), db);
    expect(p.updates).toEqual([]);
    expect(p.inserts).toEqual([]);
    expect(p.deletes.map((d) => d.uuid).sort()).toEqual([drop._uuid, edited._uuid].sort());
  });

  it('refuses a unique name that belongs to another owner, naming it', () => {
    const tables = cluster();
    tables.Port_Group!.push({ _uuid: freshUuid(), name: 'np.shop.client_egress', ports: [], acls: [], external_ids: {} } as StateRow);
    expect(() => plan(sampleRows(owner), tables)).toThrow(
      new ReconcileError('NBGEN_RECONCILE_CONFLICT', 'Port_Group np.shop.client_egress exists and is not owned by nbgen; not touching it'),
    );
  });

  it('refuses rows compiled for another owner', () => {
    expect(() => plan(sampleRows('someone-else'), cluster())).toThrow(/carries owner "someone-else", not "nbgen"/);
  });

  it('in object scope, compares only the rows of the objects given and of the rows passed', () => {
    const tables = cluster();
    const both = mergeNbRows(sampleRows(owner), policyRows('second'));
    const db = applyPlan(tables, plan(both, tables));
    // Delete one policy by reconciling it to nothing: the other policy and the NAT/LB stay.
    const ref = { kind: 'NetworkPolicy', namespace: 'shop', name: 'second' } as const;
    const p = plan({ portGroups: [], addressSets: [], acls: [], nats: [], loadBalancers: [] }, db, [ref]);
    expect(p.deletes.map((d) => d.label)).toEqual(['ACL np.shop.second ingress/default-drop', 'Port_Group np.shop.second']);
    expect(p.inserts).toEqual([]);
    // Reconciling one policy with its rows is a no-op, whatever the others are.
    expect(plan(policyRows('second'), db, [ref]).updates).toEqual([]);
    expect(plan(policyRows('second'), db, [ref]).inserts).toEqual([]);
    expect(plan(policyRows('second'), db, [ref]).deletes).toEqual([]);
  });

  it('row by row (byRow), compares each row given with the database row of its identity only and leaves the other rows of its object', () => {
    const tables = cluster();
    const rows = sampleRows(owner);
    const db = applyPlan(tables, plan(rows, tables));
    const [allow, drop] = rows.acls as [AclRow, AclRow];
    const [set] = rows.addressSets as [AddressSetRow];
    const byRow = (desired: Partial<NbRows>, removed: readonly NbRow[], objects: readonly ObjectRef[] = []) =>
      planReconcile(sortNbRows({ ...emptyNbRows, ...desired }), NbState.fromRows(db), { owner, capabilities, objects, byRow: { removed } });
    const summary = (p: ReconcilePlan) => ({
      inserts: p.inserts.map((i) => i.label),
      updates: p.updates.map((u) => [u.label, u.changes.map((c) => c.column)]),
      deletes: p.deletes.map((d) => d.label),
    });

    // One ACL of the policy changed: that ACL is updated; the policy's other rows are not deleted.
    const relaxed = plainAcl({ ...drop, action: 'allow' });
    expect(summary(byRow({ acls: [relaxed] }, []))).toEqual({ inserts: [], updates: [['ACL np.shop.client_egress egress/default-drop', ['action']]], deletes: [] });
    // The same rows as a whole object: everything of the policy not given goes.
    const policy = { kind: 'NetworkPolicy', namespace: 'shop', name: 'client-egress' } as const;
    expect(summary(planReconcile(sortNbRows({ ...emptyNbRows, acls: [relaxed] }), NbState.fromRows(db), { owner, capabilities, objects: [policy] })).deletes).toEqual([
      'ACL np.shop.client_egress egress/0/ip4/tcp-8000',
      'Address_Set np.shop.client_egress.Out0.Ip4',
      'Port_Group np.shop.client_egress',
    ]);

    // An address set found by its name, updated; a removed row's identity is deleted, nothing else.
    const grown = AddressSetRow({ ...set, addresses: ['10.16.0.10', '10.16.0.11'] });
    expect(summary(byRow({ addressSets: [grown] }, [allow]))).toEqual({
      inserts: [],
      updates: [['Address_Set np.shop.client_egress.Out0.Ip4', ['addresses']]],
      deletes: ['ACL np.shop.client_egress egress/0/ip4/tcp-8000'],
    });

    // A row of a new identity is inserted; the object's rows that are not its identity stay.
    const extra = plainAcl({ ...drop, priority: 1999, externalIds: ownedExternalIds(owner, policy, 'egress/extra') });
    expect(summary(byRow({ acls: [extra] }, []))).toEqual({ inserts: ['ACL np.shop.client_egress egress/extra'], updates: [], deletes: [] });

    // Rows given for an object listed in `objects` count as that object's whole rows.
    expect(summary(byRow({ acls: [drop, allow], portGroups: rows.portGroups }, [], [policy])).deletes).toEqual(['Address_Set np.shop.client_egress.Out0.Ip4']);

    // Nothing changed: nothing to do, whichever rows are given.
    expect(summary(byRow({ acls: [drop], addressSets: [set] }, []))).toEqual({ inserts: [], updates: [], deletes: [] });

    // A row looked up by name is another owner's: refused, not taken over.
    const foreign = AddressSetRow({ name: 'shared.foreign', addresses: ['10.0.0.1'], externalIds: { 'nbgen/owner': 'someone-else' } });
    const withForeign = applyPlan(db, planReconcile(sortNbRows({ ...emptyNbRows, addressSets: [foreign] }), NbState.fromRows(db), { owner: 'someone-else', capabilities, objects: [] }));
    const ours = AddressSetRow({ name: 'shared.foreign', addresses: ['10.0.0.2'], externalIds: ownedExternalIds(owner, { kind: 'Shared', namespace: '', name: 'peers' }, 'x ip4') });
    expect(() => planReconcile(sortNbRows({ ...emptyNbRows, addressSets: [ours] }), NbState.fromRows(withForeign), { owner, capabilities, objects: [], byRow: { removed: [] } })).toThrow(
      /Address_Set shared.foreign exists and is not owned by nbgen/,
    );
  });

  it('compares the ACL tier column only where the target has it', () => {
    const rows = sampleRows(owner);
    const tables = cluster();
    const db = applyPlan(tables, plan(rows, tables));
    const tiered = capabilitiesForOvnVersion('25.03');
    // On 25.03 the rows' tier (null → OVN's default 0) is compared; the DB rows lack the column here.
    const p = planReconcile(rows, NbState.fromRows(db), { owner, capabilities: tiered });
    expect(p.updates.map((u) => u.changes)).toEqual([[{ column: 'tier', old: null, new: 0 }], [{ column: 'tier', old: null, new: 0 }]]);
  });
});

describe('PlanMemo', () => {
  it('skips rows whose desired and database objects are both unchanged, and sees any change to either', () => {
    const rows = sampleRows(owner);
    const tables = cluster();
    const state = NbState.fromRows(applyPlan(tables, plan(rows, tables)));
    const memo = new PlanMemo(owner, capabilities);
    const withMemo = (r: NbRows) => planReconcile(r, state, { owner, capabilities, memo });
    expect(withMemo(rows)).toMatchObject({ inserts: [], updates: [], deletes: [] });
    expect(withMemo(rows)).toMatchObject({ inserts: [], updates: [], deletes: [] });
    // Someone edits our ACL in the database: a new row object, so the memo does not hide it.
    const acl = [...state.rows('ACL')][0]!;
    state.apply({ kind: 'update', table: 'ACL', uuid: acl._uuid, old: acl, new: { ...acl, priority: 1 } as StateRow });
    expect(withMemo(rows).updates).toEqual([expect.objectContaining({ uuid: acl._uuid, changes: [expect.objectContaining({ column: 'priority', new: acl.priority })] })]);
    // Someone deletes our address set: it is planned again.
    const set = [...state.rows('Address_Set')][0]!;
    state.apply({ kind: 'delete', table: 'Address_Set', uuid: set._uuid, old: set, new: undefined });
    expect(withMemo(rows).inserts.map((i) => i.label)).toEqual(['Address_Set np.shop.client_egress.Out0.Ip4']);
    // A row of ours nobody wants any more is still found although every wanted row is remembered.
    const extra = { _uuid: freshUuid(), name: 'stale', addresses: [], external_ids: ownedExternalIds(owner, { kind: 'Shared', namespace: '', name: 'x' }) } as unknown as StateRow;
    state.apply({ kind: 'insert', table: 'Address_Set', uuid: extra._uuid, old: undefined, new: extra });
    expect(withMemo(rows).deletes.map((d) => d.label)).toEqual(['Address_Set stale']);
  });

  it("keeps a child row's memo while its parent changes other columns, and drops it when the row changes parent or the parent its name", () => {
    // Reads of `match` tell which ACLs were compared: a remembered row is not looked into.
    const compared = new Set<string>();
    const sample = sampleRows(owner);
    const rows: NbRows = {
      ...sample,
      acls: sample.acls.map((acl) => new Proxy(acl, { get: (target, key, receiver) => (key === 'match' && compared.add(target.match), Reflect.get(target, key, receiver)) })),
    };
    const tables = cluster();
    const state = NbState.fromRows(applyPlan(tables, plan(rows, tables)));
    const memo = new PlanMemo(owner, capabilities);
    const withMemo = () => planReconcile(rows, state, { owner, capabilities, memo });
    const withoutMemo = () => planReconcile(rows, state, { owner, capabilities });
    expect(withMemo()).toMatchObject({ inserts: [], updates: [], deletes: [] });
    const update = (table: string, row: StateRow, columns: Record<string, unknown>) => {
      const next = { ...row, ...columns } as StateRow;
      state.apply({ kind: 'update', table, uuid: row._uuid, old: row, new: next });
      return next;
    };

    // A pod leaves the group (a new Port_Group row object): its ACLs are not compared again.
    const ports = [...state.rows('Port_Group')][0]!.ports;
    const group = update('Port_Group', [...state.rows('Port_Group')][0]!, { ports: [] });
    compared.clear();
    expect(withMemo().updates.map((u) => u.label)).toEqual(['Port_Group np.shop.client_egress']);
    expect([...compared]).toEqual([]);
    update('Port_Group', group, { ports });
    expect(withMemo()).toMatchObject({ inserts: [], updates: [], deletes: [] });

    // Behind our back an ACL moves to another group: the memo must not hide it.
    const acl = [...state.rows('ACL')][0]!;
    const holder = [...state.rows('Port_Group')][0]!;
    const other = { _uuid: freshUuid(), name: 'np.shop.other', ports: [], acls: [acl._uuid], external_ids: {} } as unknown as StateRow;
    update('Port_Group', holder, { acls: (holder.acls as Uuid[]).filter((u) => u !== acl._uuid) });
    state.apply({ kind: 'insert', table: 'Port_Group', uuid: other._uuid, old: undefined, new: other });
    const moved = withMemo();
    expect(moved.inserts.map((i) => i.label)).toEqual(['ACL np.shop.client_egress egress/0/ip4/tcp-8000']);
    expect(moved).toEqual(withoutMemo());

    // Our group is renamed in place: its ACLs hang from a group of another name now.
    const renamed = update('Port_Group', [...state.rows('Port_Group')].find((r) => r.name === 'np.shop.client_egress')!, { name: 'np.shop.renamed' });
    const afterRename = withMemo();
    expect(afterRename.inserts.map((i) => i.label)).toContain('Port_Group np.shop.client_egress');
    expect(afterRename).toEqual(withoutMemo());
    expect(renamed.name).toBe('np.shop.renamed');
  });

  it('skips a whole table whose frozen rows and read tables are unchanged, and looks again after any change', () => {
    const sorted = sortNbRows(sampleRows(owner));
    // Counts reads of rows through the frozen arrays, per table (a Proxy of a frozen array is frozen too).
    const reads: Record<string, number> = {};
    const total = () => Object.values(reads).reduce((a, b) => a + b, 0);
    const counted = <T extends object>(table: string, array: readonly T[]): readonly T[] =>
      new Proxy(array, {
        get: (target, key, receiver) => {
          if (typeof key === 'string' && /^\d+$/.test(key)) reads[table] = (reads[table] ?? 0) + 1;
          return Reflect.get(target, key, receiver);
        },
      });
    const rows: NbRows = Object.freeze({
      portGroups: counted('Port_Group', sorted.portGroups),
      addressSets: counted('Address_Set', sorted.addressSets),
      acls: counted('ACL', sorted.acls),
      nats: counted('NAT', sorted.nats),
      loadBalancers: counted('Load_Balancer', sorted.loadBalancers),
    });
    const resetReads = () => Object.keys(reads).forEach((k) => delete reads[k]);
    const tables = cluster();
    const state = NbState.fromRows(applyPlan(tables, plan(rows, tables)));
    const memo = new PlanMemo(owner, capabilities);
    const withMemo = (r: NbRows) => planReconcile(r, state, { owner, capabilities, memo });
    expect(withMemo(rows)).toMatchObject({ inserts: [], updates: [], deletes: [] });
    resetReads();
    expect(withMemo(rows)).toMatchObject({ inserts: [], updates: [], deletes: [] });
    expect(total()).toBe(0);

    // A port leaves our group behind our back: the Port_Group table is read again and repaired;
    // the ACLs read only the group's name and ACL set, so their table stays settled.
    const group = [...state.rows('Port_Group')][0]!;
    state.apply({ kind: 'update', table: 'Port_Group', uuid: group._uuid, old: group, new: { ...group, ports: [] } as StateRow });
    resetReads();
    expect(withMemo(rows).updates.map((u) => `${u.label} ${u.changes.map((c) => c.column).join()}`)).toEqual(['Port_Group np.shop.client_egress ports']);
    expect(Object.keys(reads)).toEqual(['Port_Group']);
    // The group loses an ACL: now the ACL table is planned again.
    const withAcls = [...state.rows('Port_Group')][0]!;
    state.apply({ kind: 'update', table: 'Port_Group', uuid: withAcls._uuid, old: withAcls, new: { ...withAcls, acls: (withAcls.acls as Uuid[]).slice(1) } as StateRow });
    expect(withMemo(rows).inserts.map((i) => i.label)).toHaveLength(1);
    // The router loses our NAT: the NAT table (whose parent is the router) is planned again.
    const router = [...state.rows('Logical_Router')][0]!;
    state.apply({ kind: 'update', table: 'Logical_Router', uuid: router._uuid, old: router, new: { ...router, nat: [] } as StateRow });
    expect(withMemo(rows).inserts.map((i) => i.label)).toContain('NAT ovn-cluster dnat_and_snat 172.19.0.10 10.16.0.10');
    // Rows that are equal but another array: every row is looked at (and found equal, row by row).
    const state2 = NbState.fromRows(applyPlan(tables, plan(rows, tables)));
    const memo2 = new PlanMemo(owner, capabilities);
    expect(planReconcile(rows, state2, { owner, capabilities, memo: memo2 }).inserts).toEqual([]);
    resetReads();
    expect(planReconcile({ ...rows, acls: [...rows.acls] }, state2, { owner, capabilities, memo: memo2 }).inserts).toEqual([]);
    expect(Object.keys(reads)).toEqual(['ACL']);
    // An unfrozen array is never taken as settled: it could have changed in place.
    const mutable = { ...rows, acls: [...rows.acls] };
    planReconcile(mutable, state2, { owner, capabilities, memo: memo2 });
    mutable.acls.pop();
    expect(planReconcile(mutable, state2, { owner, capabilities, memo: memo2 }).deletes.map((d) => d.label)).toEqual(['ACL np.shop.client_egress egress/default-drop']);
  });
});

function policyRows(name: string): NbRows {
  const ref = { kind: 'NetworkPolicy', namespace: 'shop', name } as const;
  const pg = `np.shop.${name}`;
  return {
    portGroups: [PortGroupRow({ name: pg, ports: ['db.shop'], externalIds: ownedExternalIds(owner, ref) })],
    addressSets: [],
    acls: [
      plainAcl({
        portGroup: pg,
        direction: 'to-lport',
        priority: 2000,
        match: `outport == @${pg} && ip`,
        action: 'drop',
        externalIds: ownedExternalIds(owner, ref, 'ingress/default-drop'),
      }),
    ],
    nats: [],
    loadBalancers: [],
  };
}

/** sampleRows of another owner, with names of its own (Port_Group/Address_Set names are unique). */
function sampleRowsRenamed(other: string): NbRows {
  const rows = sampleRows(other);
  return {
    portGroups: rows.portGroups.map((pg) => PortGroupRow({ ...pg, name: `${pg.name}.${other}` })),
    addressSets: rows.addressSets.map((as) => ({ ...as, name: `${as.name}.${other}` })),
    acls: rows.acls.map((a) => AclRow({ ...a, portGroup: `${a.portGroup}.${other}` })),
    nats: rows.nats.map((n) => ({ ...n, externalIp: '172.19.0.20' })),
    loadBalancers: rows.loadBalancers,
  };
}
