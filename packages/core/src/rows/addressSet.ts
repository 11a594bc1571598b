import type { ExternalIds } from '../ownership.js';
import { collectionFields, keptRow } from './keptRow.js';

/** One row of the NB `Address_Set` table: IPs or CIDRs of one family, canonical and sorted. */
export interface AddressSetRow {
  readonly table: 'Address_Set';
  readonly name: string;
  readonly addresses: readonly string[];
  readonly externalIds: ExternalIds;
}

const collections = collectionFields<AddressSetRow>({ addresses: 'set', externalIds: 'map' });

export function AddressSetRow(fields: Omit<AddressSetRow, 'table'>): AddressSetRow {
  return keptRow({ table: 'Address_Set', ...fields }, collections);
}
