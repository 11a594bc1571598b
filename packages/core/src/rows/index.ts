import type { AclRow } from './acl';
import type { AddressSetRow } from './addressSet';
import type { LoadBalancerRow } from './loadBalancer';
import type { NatRow } from './nat';
import type { PortGroupRow } from './portGroup';

export * from './acl';
export * from './addressSet';
export * from './loadBalancer';
export * from './nat';
export * from './portGroup';

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

function aclSortKey(a: AclRow): string {
  // Priority descending inside a port group and direction reads like OVN evaluates.
  const prio = String(32767 - a.priority).padStart(5, '0');
  return `${a.portGroup}\u0000${a.direction}\u0000${a.tier ?? 0}\u0000${prio}\u0000${a.match}\u0000${a.action}`;
}

function natSortKey(n: NatRow): string {
  return `${n.router}\u0000${n.type}\u0000${n.externalIp}\u0000${n.logicalIp}`;
}

/** Canonical order so that the same input always yields byte-identical output. */
export function sortNbRows(rows: NbRows): NbRows {
  return Object.freeze({
    portGroups: Object.freeze([...rows.portGroups].sort((a, b) => byString(a.name, b.name))),
    addressSets: Object.freeze([...rows.addressSets].sort((a, b) => byString(a.name, b.name))),
    acls: Object.freeze([...rows.acls].sort((a, b) => byString(aclSortKey(a), aclSortKey(b)))),
    nats: Object.freeze([...rows.nats].sort((a, b) => byString(natSortKey(a), natSortKey(b)))),
    loadBalancers: Object.freeze([...rows.loadBalancers].sort((a, b) => byString(a.name, b.name))),
  });
}

/** Concatenates row bundles (e.g. NetworkPolicy rows + tiered rows + NAT rows) and sorts them. */
export function mergeNbRows(...parts: readonly NbRows[]): NbRows {
  return sortNbRows({
    portGroups: parts.flatMap((p) => p.portGroups),
    addressSets: parts.flatMap((p) => p.addressSets),
    acls: parts.flatMap((p) => p.acls),
    nats: parts.flatMap((p) => p.nats),
    loadBalancers: parts.flatMap((p) => p.loadBalancers),
  });
}
