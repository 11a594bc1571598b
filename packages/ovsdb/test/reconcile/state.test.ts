// NbState reads rows, names and owners from its source's own indexes (a monitor cache's, or
// rows given whole) and keeps only the inverse sets and the object index; the object index is
// built on first use, so it must see every change made before and after that.
import { ownedExternalIds } from '@ovn-nbgen/core/model';
import { describe, expect, it } from 'vitest';
import { NbState, type StateRow } from '../../src/subpaths/reconcile.js';
import { RowIndex } from '../../src/cache/rowIndex.js';
import type { CachedRow } from '../../src/cache/index.js';
import type { Value } from '../../src/notation/value.js';
import { freshUuid } from './applyPlan.js';

const web = { kind: 'NetworkPolicy', namespace: 'shop', name: 'web' } as const;
const set = (name: string, owner: string): StateRow =>
  ({ _uuid: freshUuid(), name, addresses: [], external_ids: ownedExternalIds(owner, web) }) as unknown as StateRow;

describe('NbState', () => {
  it('answers names, owners and objects through every change, before and after the object index is first asked for', () => {
    const a = set('a', 'nbgen');
    const other = set('b', 'other');
    const state = NbState.fromRows({ Address_Set: [a, other] });
    const b = set('c', 'nbgen');
    state.apply({ kind: 'insert', table: 'Address_Set', uuid: b._uuid, old: undefined, new: b });
    expect(state.ownedByObject('Address_Set', 'nbgen', web).map((r) => r.name)).toEqual(['a', 'c']);
    const renamed = { ...a, name: 'a2' } as StateRow;
    state.apply({ kind: 'update', table: 'Address_Set', uuid: a._uuid, old: a, new: renamed });
    state.apply({ kind: 'delete', table: 'Address_Set', uuid: b._uuid, old: b, new: undefined });
    expect(state.ownedByObject('Address_Set', 'nbgen', web)).toEqual([renamed]);
    expect(state.ownedByObject('Address_Set', 'other', web)).toEqual([other]);
    expect(state.named('Address_Set', 'a')).toEqual([]);
    expect(state.firstNamed('Address_Set', 'a2')).toBe(renamed);
    expect(state.ownedBy('Address_Set', 'nbgen')).toEqual([renamed]);
    expect(state.ownedCount('Address_Set', 'other')).toBe(1);
  });

  it('refiles a row whose external_ids or ACL set change in place, and only those changes move it', () => {
    const api = { kind: 'NetworkPolicy', namespace: 'shop', name: 'api' } as const;
    const a = set('a', 'nbgen');
    const acl = freshUuid();
    const group = { _uuid: freshUuid(), name: 'pg', ports: [], acls: [acl], external_ids: {} } as unknown as StateRow;
    const state = NbState.fromRows({ Address_Set: [a], Port_Group: [group] });
    expect(state.ownedByObject('Address_Set', 'nbgen', web)).toEqual([a]);
    // The row is taken over by another object of the owner: found under that one only.
    const moved = { ...a, external_ids: ownedExternalIds('nbgen', api) } as StateRow;
    state.apply({ kind: 'update', table: 'Address_Set', uuid: a._uuid, old: a, new: moved });
    expect(state.ownedByObject('Address_Set', 'nbgen', web)).toEqual([]);
    expect(state.ownedByObject('Address_Set', 'nbgen', api)).toEqual([moved]);
    // Many objects at once: the rows of each, of this owner only.
    const other = set('o', 'other');
    state.apply({ kind: 'insert', table: 'Address_Set', uuid: other._uuid, old: undefined, new: other });
    expect(state.ownedByObjects('Address_Set', 'nbgen', ['NetworkPolicy\u0000shop\u0000web', 'NetworkPolicy\u0000shop\u0000api'])).toEqual([moved]);
    expect(state.ownedByObjects('Address_Set', 'other', ['NetworkPolicy\u0000shop\u0000web'])).toEqual([other]);
    // Ports change (the ACL set is the same value): the group still holds its ACL; then the ACL leaves.
    const churned = { ...group, ports: [freshUuid()] } as StateRow;
    state.apply({ kind: 'update', table: 'Port_Group', uuid: group._uuid, old: group, new: churned });
    expect(state.firstReferrer('Port_Group', 'acls', acl)).toBe(churned);
    state.apply({ kind: 'update', table: 'Port_Group', uuid: group._uuid, old: churned, new: { ...churned, acls: [] } as StateRow });
    expect(state.referrersOf('Port_Group', 'acls', acl)).toEqual([]);
  });
});

describe('RowIndex', () => {
  it('keys a string by itself and keeps numbers, booleans and sets apart from any string', () => {
    const index = new RowIndex({ name: 'x', columns: ['x'] });
    const rows = ['1', 1, true, 'true', ['1'], '["1"]'].map((x) => ({ _uuid: freshUuid(), x }) as unknown as CachedRow);
    for (const row of rows) index.add(row._uuid, row);
    for (const row of rows) expect([...(index.get(index.keyFor(row.x as Value)) ?? [])]).toEqual([row._uuid]);
  });
});
