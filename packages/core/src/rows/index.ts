import type { AclRow } from './acl.js';
import { aclSortKey, comparableByFields, compareAcls } from './aclOrder.js';
import type { AddressSetRow } from './addressSet.js';
import type { LoadBalancerRow } from './loadBalancer.js';
import type { NatRow } from './nat.js';
import type { PortGroupRow } from './portGroup.js';

export * from './acl.js';
export * from './addressSet.js';
export * from './loadBalancer.js';
export * from './nat.js';
export * from './portGroup.js';

export type NbRow = AclRow | PortGroupRow | AddressSetRow | NatRow | LoadBalancerRow;
export type NbTable = NbRow['table'];

/** Everything a compile produces, each list in a canonical order (see `sortNbRows`). */
export interface NbRows {
  readonly portGroups: readonly PortGroupRow[];
  readonly addressSets: readonly AddressSetRow[];
  readonly acls: readonly AclRow[];
  readonly nats: readonly NatRow[];
  readonly loadBalancers: readonly LoadBalancerRow[];
}

export const emptyNbRows: NbRows = Object.freeze({
  portGroups: [],
  addressSets: [],
  acls: [],
  nats: [],
  loadBalancers: [],
});

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function natSortKey(n: NatRow): string {
  return `${n.router}\u0000${n.type}\u0000${n.externalIp}\u0000${n.logicalIp}`;
}

/**
 * Lists sortedBy made (frozen, so still in that order): merging one of them with nothing but empty
 * lists needs no second sort, which at 20,000 ACLs costs as much as the first (the keys).
 */
const sortedLists = new WeakSet<readonly unknown[]>();

/** Sorted with `compare`, made and remembered as sortedBy does. */
function sortedWith<T>(rows: readonly T[], compare: (a: T, b: T) => number): readonly T[] {
  if (sortedLists.has(rows)) return rows;
  const sorted = Object.freeze(rows.slice().sort(compare));
  sortedLists.add(sorted);
  return sorted;
}

/** Sorts by a string key computed once per row (a 77k-ACL sort would otherwise rebuild keys ~2M times). */
function sortedBy<T>(rows: readonly T[], key: (row: T) => string): readonly T[] {
  if (sortedLists.has(rows)) return rows;
  const keyed = rows.map((row) => ({ key: key(row), row }));
  keyed.sort((a, b) => byString(a.key, b.key));
  const sorted = Object.freeze(keyed.map((k) => k.row));
  sortedLists.add(sorted);
  return sorted;
}

/** The lists of one table concatenated; a sole non-empty list as it is (sortedBy may know it). */
function concatenated<T>(lists: readonly (readonly T[])[]): readonly T[] {
  const nonEmpty = lists.filter((list) => list.length > 0);
  return nonEmpty.length === 1 ? nonEmpty[0]! : nonEmpty.flat();
}

/** Canonical order so that the same input always yields byte-identical output. */
export function sortNbRows(rows: NbRows): NbRows {
  return Object.freeze({
    portGroups: sortedBy(rows.portGroups, (r) => r.name),
    addressSets: sortedBy(rows.addressSets, (r) => r.name),
    acls: comparableByFields(rows.acls) ? sortedWith(rows.acls, compareAcls) : sortedBy(rows.acls, aclSortKey),
    nats: sortedBy(rows.nats, natSortKey),
    loadBalancers: sortedBy(rows.loadBalancers, (r) => r.name),
  });
}

/** Concatenates row bundles (e.g. NetworkPolicy rows + tiered rows + NAT rows) and sorts them. */
export function mergeNbRows(...parts: readonly NbRows[]): NbRows {
  return sortNbRows({
    portGroups: concatenated(parts.map((p) => p.portGroups)),
    addressSets: concatenated(parts.map((p) => p.addressSets)),
    acls: concatenated(parts.map((p) => p.acls)),
    nats: concatenated(parts.map((p) => p.nats)),
    loadBalancers: concatenated(parts.map((p) => p.loadBalancers)),
  });
}

/** Every row of a bundle in one list, table by table. */
export const listNbRows = (rows: NbRows): NbRow[] => [...rows.portGroups, ...rows.addressSets, ...rows.acls, ...rows.nats, ...rows.loadBalancers];

/** Rows of any tables as a bundle: grouped by table, in canonical order. */
export function groupNbRows(rows: readonly NbRow[]): NbRows {
  const of = <T extends NbTable>(table: T) => rows.filter((r): r is Extract<NbRow, { table: T }> => r.table === table);
  return sortNbRows({
    portGroups: of('Port_Group'),
    addressSets: of('Address_Set'),
    acls: of('ACL'),
    nats: of('NAT'),
    loadBalancers: of('Load_Balancer'),
  });
}
