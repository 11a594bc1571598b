// A plan of many inserts (a one-shot `nbgen apply` at 35,000 rows) looks rows up by name without
// the general path's work: a table without rows is not searched for a name, names are resolved
// from one map of the rows once they are many (`NbState.namedLookup`), and a list of port names
// several Port_Groups share is resolved once. Each is held here to the general path (every name
// through `firstNamed`, every table searched, no list shared) on random NB contents, with renames,
// deletes and names several rows hold, as another writer (or a test's rows) can leave them.
import { capabilitiesForOvnVersion, emptyNbRows, PortGroupRow, type NbRows } from '@ovn-nbgen/core';
import { ownedExternalIds } from '@ovn-nbgen/core/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NbState, planReconcile, type StateRow } from '../../src/subpaths/reconcile.js';
import type { Uuid } from '../../src/index.js';
import { freshUuid } from './applyPlan.js';

const capabilities = capabilitiesForOvnVersion('23.03');
const owner = 'nbgen';
const NAMES = ['p0', 'p1', 'p2', 'p3'];

/** What happens to the rows of one table after they are first read. */
type Change = { readonly kind: 'insert' | 'rename' | 'delete'; readonly pick: number; readonly name: number };
const changeArb: fc.Arbitrary<Change> = fc.record({ kind: fc.constantFrom('insert' as const, 'rename' as const, 'delete' as const), pick: fc.nat(), name: fc.nat(NAMES.length - 1) });

/** `table` with rows of these names (several rows may share one), then the changes applied in order. */
function stateWith(table: string, names: readonly number[], changes: readonly Change[], more: (name: string) => Record<string, unknown> = () => ({})): NbState {
  const row = (name: string): StateRow => ({ _uuid: freshUuid(), name, ...more(name) }) as unknown as StateRow;
  const rows = names.map((n) => row(NAMES[n]!));
  const state = NbState.fromRows({ [table]: rows });
  for (const c of changes) {
    if (c.kind === 'insert' || rows.length === 0) {
      const added = row(NAMES[c.name]!);
      rows.push(added);
      state.apply({ kind: 'insert', table, uuid: added._uuid, old: undefined, new: added });
      continue;
    }
    const at = c.pick % rows.length;
    const old = rows[at]!;
    if (c.kind === 'delete') {
      rows.splice(at, 1);
      state.apply({ kind: 'delete', table, uuid: old._uuid, old, new: undefined });
    } else {
      const renamed = { ...old, name: NAMES[c.name]! } as StateRow;
      rows[at] = renamed;
      state.apply({ kind: 'update', table, uuid: old._uuid, old, new: renamed });
    }
  }
  return state;
}

/** The same state as the general path reads it: names one by one through `firstNamed`, and no table empty. */
function general(state: NbState): NbState {
  return new Proxy(state, {
    get(target, key) {
      if (key === 'namedLookup') return (table: string) => (name: string) => target.firstNamed(table, name);
      if (key === 'tableRows') {
        return (table: string) => {
          const rows = target.tableRows(table);
          return { get size() { return rows.size + 1; }, get: (uuid: Uuid) => rows.get(uuid) };
        };
      }
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const outcome = (f: () => unknown): unknown => {
  try {
    return { plan: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

describe('names looked up on the insert path', () => {
  it('namedLookup answers as firstNamed, from the index or from one map of the rows, through renames, deletes and shared names', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(NAMES.length - 1), { maxLength: 6 }), fc.array(changeArb, { maxLength: 8 }), fc.nat(3), (names, changes, manyAfter) => {
        const state = stateWith('Logical_Switch_Port', names, changes);
        const lookup = state.namedLookup('Logical_Switch_Port', manyAfter);
        for (let round = 0; round < 3; round++) {
          for (const name of [...NAMES, 'gone']) expect(lookup(name)).toBe(state.firstNamed('Logical_Switch_Port', name));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('plans what the general path plans: ports resolved per shared list, no search of an empty table, on random NB contents', () => {
    // Desired Port_Groups: each names a group and a list of ports; a list may be one object several
    // groups share (sorted and frozen, as the compile hands out a selection's port names).
    const groupArb = fc.record({ name: fc.nat(NAMES.length - 1), ports: fc.nat(2) });
    const listsArb = fc
      .array(fc.uniqueArray(fc.constantFrom(...NAMES, 'gone'), { maxLength: 3 }), { minLength: 3, maxLength: 3 })
      .map((lists) => lists.map((l) => Object.freeze([...l].sort())));
    fc.assert(
      fc.property(
        fc.array(fc.nat(NAMES.length - 1), { maxLength: 5 }),
        fc.array(changeArb, { maxLength: 5 }),
        // Port_Group names are unique in an NB (a schema index).
        fc.uniqueArray(fc.record({ name: fc.nat(NAMES.length - 1), owned: fc.boolean() }), { selector: (g) => g.name, maxLength: 3 }),
        listsArb,
        fc.uniqueArray(groupArb, { selector: (g) => g.name, maxLength: 4 }),
        (portNames, changes, groups, lists, desired) => {
          const state = stateWith('Logical_Switch_Port', portNames, changes);
          // Port_Groups already there: ours (of another object: claimed by name) or another owner's (a conflict).
          for (const g of groups) {
            const external_ids = g.owned ? ownedExternalIds(owner, { kind: 'NetworkPolicy', namespace: 'other', name: 'x' }) : { 'nbgen/owner': 'someone' };
            const row = { _uuid: freshUuid(), name: `pg${g.name}`, ports: [], acls: [], external_ids } as unknown as StateRow;
            state.apply({ kind: 'insert', table: 'Port_Group', uuid: row._uuid, old: undefined, new: row });
          }
          const rowsOf = (copyLists: boolean): NbRows => ({
            ...emptyNbRows,
            portGroups: desired.map((g) =>
              PortGroupRow({
                name: `pg${g.name}`,
                ports: copyLists ? [...lists[g.ports]!] : lists[g.ports]!,
                externalIds: ownedExternalIds(owner, { kind: 'NetworkPolicy', namespace: 'ns', name: `pol${g.name}` }),
              }),
            ),
          });
          const shared = rowsOf(false);
          // The lists are the rows' own (not copies), so groups of one list share it.
          desired.forEach((g, i) => expect(shared.portGroups[i]!.ports).toBe(lists[g.ports]));
          const fast = outcome(() => planReconcile(shared, state, { owner, capabilities, lineage: false }));
          const slow = outcome(() => planReconcile(rowsOf(true), general(state), { owner, capabilities, lineage: false }));
          expect(fast).toEqual(slow);
          // And what either must say, read from the state without the planner: a name the NB
          // holds is never inserted again (another owner's refuses the plan), and a new group
          // holds the uuid of each of its ports the NB has, with a warning for each it has not.
          const heldByOthers = desired.some((g) => state.named('Port_Group', `pg${g.name}`).some((r) => (r.external_ids as Record<string, string>)['nbgen/owner'] !== owner));
          expect('error' in (fast as object)).toBe(heldByOthers);
          if (heldByOthers) return;
          const plan = (fast as { plan: ReturnType<typeof planReconcile> }).plan;
          for (const insert of plan.inserts) {
            const group = desired.find((g) => `pg${g.name}` === insert.columns.name)!;
            expect(state.named('Port_Group', `pg${group.name}`)).toEqual([]);
            const names = lists[group.ports]!;
            expect(insert.columns.ports).toEqual(names.flatMap((n) => state.firstNamed('Logical_Switch_Port', n)?._uuid ?? []));
            for (const n of names) if (!state.firstNamed('Logical_Switch_Port', n)) expect(plan.warnings).toContain(`${insert.label}: logical switch port ${n} not found; left out`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
