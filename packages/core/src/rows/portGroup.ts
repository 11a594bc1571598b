import type { ExternalIds } from '../ownership.js';
import { collectionFields, keptRow } from './keptRow.js';

/**
 * One row of the NB `Port_Group` table. `ports` are logical switch port names (resolved to
 * UUIDs by the writer); the group's ACLs are the AclRows whose `portGroup` is this name.
 */
export interface PortGroupRow {
  readonly table: 'Port_Group';
  readonly name: string;
  readonly ports: readonly string[];
  readonly externalIds: ExternalIds;
}

const collections = collectionFields<PortGroupRow>({ ports: 'set', externalIds: 'map' });

export function PortGroupRow(fields: Omit<PortGroupRow, 'table'>): PortGroupRow {
  return keptRow({ table: 'Port_Group', ...fields }, collections);
}
