import type { AclRow } from './acl.js';
import type { AddressSetRow } from './addressSet.js';
import type { LoadBalancerRow } from './loadBalancer.js';
import type { NatRow } from './nat.js';
import type { PortGroupRow } from './portGroup.js';

export type NbRow = AclRow | PortGroupRow | AddressSetRow | NatRow | LoadBalancerRow;
export type NbTable = NbRow['table'];

/**
 * Each table's list in a bundle of rows (`NbRows`), in the order a bundle lists its tables: the one
 * place that names them (the bundle's type, its helpers and the table descriptors read it).
 */
export const NB_ROW_LISTS = Object.freeze({
  Port_Group: 'portGroups',
  Address_Set: 'addressSets',
  ACL: 'acls',
  NAT: 'nats',
  Load_Balancer: 'loadBalancers',
} as const satisfies Record<NbTable, string>);

/** The bundle's lists, as NB_ROW_LISTS orders them. */
export const NB_ROW_LIST_NAMES = Object.freeze(Object.values(NB_ROW_LISTS));

/** Everything a compile produces: a list per table, each in a canonical order (see `sortNbRows`). */
export type NbRows = { readonly [T in NbTable as (typeof NB_ROW_LISTS)[T]]: readonly Extract<NbRow, { readonly table: T }>[] };

