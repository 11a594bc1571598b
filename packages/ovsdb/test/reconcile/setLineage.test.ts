// A changed Port_Group or Address_Set is planned from what the last plan of its column wanted
// (setLineage.ts). Property: whatever happens between plans (the commit lands, is lost, another
// writer changes the column in any order, a port is renamed and its name reused), the plan a
// long-lived state makes equals the plan a fresh state of the same rows makes, and after a commit
// the column holds exactly what was wanted.
import { AddressSetRow, capabilitiesForOvnVersion, emptyNbRows, PortGroupRow, type NbRows, type ObjectRef } from '@ovn-nbgen/core';
import { ownedExternalIds } from '@ovn-nbgen/core/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NbState, planReconcile, type ReconcilePlan, type StateRow } from '../../src/subpaths/reconcile.js';
import type { Atom } from '../../src/notation/value.js';
import type { Uuid } from '../../src/notation/uuid.js';
import { planSetChange } from '../../src/reconcile/setLineage.js';
import { toggledSet } from '../../src/cache/setSteps.js';
import { applyPlan, emptyTables, freshUuid, type Tables } from './applyPlan.js';

const capabilities = capabilitiesForOvnVersion('23.03');
const owner = 'nbgen';
const policy: ObjectRef = { kind: 'NetworkPolicy', namespace: 'shop', name: 'web' };
const PORTS = Array.from({ length: 12 }, (_, i) => `p${String(i).padStart(2, '0')}.shop`);
const ADDRESSES = Array.from({ length: 12 }, (_, i) => `10.0.0.${i}`);

const pick = <T>(items: readonly T[], bits: number): T[] => items.filter((_, i) => (bits >> i) & 1);

function desired(portBits: number, addressBits: number): NbRows {
  return {
    ...emptyNbRows,
    portGroups: [PortGroupRow({ name: 'np.shop.web', ports: pick(PORTS, portBits), externalIds: ownedExternalIds(owner, policy) })],
    addressSets: [AddressSetRow({ name: 'np.shop.web.In0.Ip4', addresses: pick(ADDRESSES, addressBits), externalIds: ownedExternalIds(owner, policy, 'ingress/0/ip4') })],
  };
}

const planOn = (rows: NbRows, state: NbState): ReconcilePlan => planReconcile(rows, state, { owner, capabilities, objects: [policy] });

/** What a plan does, order aside: the comparison between the long-lived and the fresh state. */
function summary(plan: ReconcilePlan): unknown {
  return {
    inserts: plan.inserts.map((i) => i.label),
    deletes: plan.deletes.map((d) => d.label),
    updates: plan.updates.map((u) => ({ label: u.label, changes: u.changes.map((c) => ({ column: c.column, set: c.set, new: [...(c.new as Atom[])].sort() })) })),
    warnings: plan.warnings,
  };
}

/** The world: rows as data (for fresh states) and a state kept in step, as a monitor cache keeps it. */
class World {
  readonly state: NbState;
  constructor(readonly tables: Tables) {
    this.state = NbState.fromRows(tables);
  }

  row(table: string, name: string): StateRow {
    return this.tables[table]!.find((r) => r.name === name)!;
  }

  /** Replaces a row as the cache does: a set keeps its surviving atoms in order and appends the new ones. */
  update(table: string, row: StateRow): void {
    const old = this.tables[table]!.find((r) => r._uuid === row._uuid)!;
    this.tables[table] = this.tables[table]!.map((r) => (r._uuid === row._uuid ? row : r));
    this.state.apply({ kind: 'update', table, uuid: row._uuid, old, new: row });
  }

  insert(table: string, row: StateRow): void {
    this.tables[table]!.push(row);
    this.state.apply({ kind: 'insert', table, uuid: row._uuid, old: undefined, new: row });
  }

  commit(plan: ReconcilePlan): void {
    for (const u of plan.updates) {
      const old = this.tables[u.table]!.find((r) => r._uuid === u.uuid)!;
      const row: Record<string, unknown> = { ...old };
      for (const c of u.changes) {
        if (!c.set) {
          row[c.column] = c.new;
          continue;
        }
        // As the monitor cache applies ovsdb-server's update2 diff: the toggled atoms, in one step
        // the planner may follow back (cache/setSteps.ts setStepTo).
        const current = (old[c.column] ?? []) as Atom[];
        row[c.column] = toggledSet(current, [...c.set.removed.filter((a) => current.includes(a)), ...c.set.added.filter((a) => !current.includes(a))]);
      }
      this.update(u.table, row as StateRow);
    }
  }
}

const step = fc.oneof(
  fc.record({ kind: fc.constant('want' as const), ports: fc.nat(4095), addresses: fc.nat(4095), outcome: fc.constantFrom('commit', 'commit', 'commit', 'lost', 'commit+foreign', 'toggle+commit') }),
  fc.record({ kind: fc.constant('foreign' as const), ports: fc.shuffledSubarray(PORTS), addresses: fc.shuffledSubarray(ADDRESSES) }),
  fc.record({ kind: fc.constant('rename' as const), port: fc.nat(PORTS.length - 1) }),
  // Another writer's change as the monitor cache applies it (toggles, one step each).
  fc.record({ kind: fc.constant('toggle' as const), ports: fc.shuffledSubarray(PORTS, { maxLength: 3 }), addresses: fc.shuffledSubarray(ADDRESSES, { maxLength: 3 }) }),
);

describe('planning a changed set column from its last plan', () => {
  it('plans as a fresh state would, and the column holds what was wanted after each commit', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        const tables: Tables = { ...emptyTables(), Logical_Switch_Port: PORTS.map((name) => ({ _uuid: freshUuid(), name }) as StateRow) };
        const first = desired(0b101, 0b11);
        const world = new World(applyPlan(tables, planReconcile(first, NbState.fromRows(tables), { owner, capabilities })));
        let renamed = 0;
        const foreign = (ports: readonly string[], addresses: readonly string[]): void => {
          const uuids = ports.map((name) => world.tables.Logical_Switch_Port!.find((r) => r.name === name)?._uuid).filter((u): u is Uuid => u !== undefined);
          world.update('Port_Group', { ...world.row('Port_Group', 'np.shop.web'), ports: uuids });
          world.update('Address_Set', { ...world.row('Address_Set', 'np.shop.web.In0.Ip4'), addresses: [...addresses] });
        };
        const toggle = (ports: readonly string[], addresses: readonly string[]): void => {
          const group = world.row('Port_Group', 'np.shop.web');
          const uuids = ports.map((name) => world.tables.Logical_Switch_Port!.find((r) => r.name === name)?._uuid).filter((u): u is Uuid => u !== undefined);
          world.update('Port_Group', { ...group, ports: toggledSet(group.ports as Atom[], uuids) });
          const set = world.row('Address_Set', 'np.shop.web.In0.Ip4');
          world.update('Address_Set', { ...set, addresses: toggledSet(set.addresses as Atom[], addresses) });
        };
        for (const s of steps) {
          if (s.kind === 'foreign') foreign(s.ports, s.addresses);
          else if (s.kind === 'toggle') toggle(s.ports, s.addresses);
          else if (s.kind === 'rename') {
            const port = world.row('Logical_Switch_Port', PORTS[s.port]!);
            if (!port) continue;
            world.update('Logical_Switch_Port', { ...port, name: `renamed-${renamed++}` });
            world.insert('Logical_Switch_Port', { _uuid: freshUuid(), name: PORTS[s.port]! } as StateRow);
          } else {
            const rows = desired(s.ports, s.addresses);
            const plan = planOn(rows, world.state);
            expect(summary(plan)).toEqual(summary(planOn(rows, NbState.fromRows(structuredClone(world.tables)))));
            if (s.outcome === 'lost') continue;
            if (s.outcome === 'toggle+commit') {
              // Another writer's toggle lands between the plan and its commit: two steps to follow back.
              toggle([PORTS[s.ports % PORTS.length]!], [ADDRESSES[s.addresses % ADDRESSES.length]!]);
              world.commit(plan);
              continue;
            }
            world.commit(plan);
            if (s.outcome === 'commit+foreign') {
              foreign(PORTS.filter((_, i) => (s.ports >> i) & 1 && i % 2 === 0), ADDRESSES.slice(0, 3).reverse());
              continue;
            }
            const held = (world.row('Port_Group', 'np.shop.web').ports as Uuid[]).map((u) => world.tables.Logical_Switch_Port!.find((r) => r._uuid === u)!.name);
            expect(held.sort()).toEqual(pick(PORTS, s.ports));
            expect([...(world.row('Address_Set', 'np.shop.web.In0.Ip4').addresses as string[])].sort()).toEqual(pick(ADDRESSES, s.addresses).sort());
            expect(planOn(rows, world.state).updates).toEqual([]);
          }
        }
      }),
      { seed: 20261205, numRuns: 300 },
    );
  });
});

/** An empty state, 1,000 port names with uuids, and name/uuid lookups that count themselves. */
function countedPorts() {
  const names = Array.from({ length: 1000 }, (_, i) => `port-${String(i).padStart(4, '0')}`);
  const uuidOf = new Map(names.map((n) => [n, freshUuid()]));
  const nameOf = new Map([...uuidOf].map(([n, u]) => [u, n]));
  const counter = { lookups: 0 };
  const keys = {
    generation: 0,
    keyOf: (atom: Atom) => (counter.lookups++, nameOf.get(atom as Uuid)),
    atomOf: (key: string) => (counter.lookups++, uuidOf.get(key)),
  };
  return { state: NbState.fromRows({}), names, uuidOf, nameOf, keys, counter, row: freshUuid() };
}

describe('planSetChange', () => {
  it('after a committed change, plans the next one with lookups for the changed keys only, not for what the column holds', () => {
    const { state, names, uuidOf, keys, counter, row } = countedPorts();
    const have0 = names.slice(0, 500).map((n) => uuidOf.get(n)!);
    // First plan: read whole.
    const first = planSetChange(state, row, 'ports', have0, names.slice(0, 501), keys)!;
    expect(first.addedKeys).toEqual(['port-0500']);
    expect(counter.lookups).toBeGreaterThanOrEqual(500);
    // The commit lands as the cache applies it (survivors in order, the new atom appended).
    const have1 = [...have0, uuidOf.get('port-0500')!];
    counter.lookups = 0;
    const wanted2 = names.slice(1, 501).concat('port-0700');
    const second = planSetChange(state, row, 'ports', have1, wanted2, keys)!;
    expect({ added: second.addedKeys, removed: second.removedKeys }).toEqual({ added: ['port-0700'], removed: ['port-0000'] });
    // The appended atom's name, and the added key's atom: two lookups.
    expect(counter.lookups).toBe(2);
    // The commit is lost (the column is as before): read whole again, same answer.
    counter.lookups = 0;
    const third = planSetChange(state, row, 'ports', have1, wanted2, keys)!;
    expect({ added: third.addedKeys, removed: third.removedKeys }).toEqual({ added: ['port-0700'], removed: ['port-0000'] });
    expect(counter.lookups).toBeGreaterThanOrEqual(500);
  });

  it('a column that already holds what is wanted is found equal without building maps, and the next change is still planned from it', () => {
    const { state, names, uuidOf, nameOf, keys, counter, row } = countedPorts();
    // The NB holds the wanted ports in another order (ovsdb-server orders a set by uuid).
    const have0 = names.slice(0, 500).map((n) => uuidOf.get(n)!).reverse();
    expect(planSetChange(state, row, 'ports', have0, names.slice(0, 500), keys)).toBeUndefined();
    expect(counter.lookups).toBe(500);
    // Nothing changed: no lookups at all.
    counter.lookups = 0;
    expect(planSetChange(state, row, 'ports', have0, names.slice(0, 500), keys)).toBeUndefined();
    expect(counter.lookups).toBe(0);
    // port-0000 leaves and port-0700 joins: planned from the sorted keys, one lookup (port-0700's
    // atom); the maps are built from the keys read before, so a port gone by now does not matter.
    nameOf.delete(uuidOf.get('port-0000')!);
    counter.lookups = 0;
    const wanted = names.slice(1, 500).concat('port-0700');
    const change = planSetChange(state, row, 'ports', have0, wanted, keys)!;
    expect({ added: change.addedKeys, removed: change.removedKeys }).toEqual({ added: ['port-0700'], removed: ['port-0000'] });
    expect({ added: change.added, removed: change.removed }).toEqual({ added: [uuidOf.get('port-0700')], removed: [uuidOf.get('port-0000')] });
    expect(counter.lookups).toBe(1);
  });
});
