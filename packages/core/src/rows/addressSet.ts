import { sortedSet } from './sortedSet.js';
import type { ExternalIds } from '../ownership.js';
import { frozenMap } from './frozenMap.js';

/** One row of the NB `Address_Set` table: IPs or CIDRs of one family, canonical and sorted. */
export interface AddressSetRow {
  readonly table: 'Address_Set';
  readonly name: string;
  readonly addresses: readonly string[];
  readonly externalIds: ExternalIds;
}

export function AddressSetRow(fields: Omit<AddressSetRow, 'table'>): AddressSetRow {
  return Object.freeze({
    table: 'Address_Set',
    name: fields.name,
    addresses: sortedSet(fields.addresses),
    externalIds: frozenMap(fields.externalIds),
  });
}
