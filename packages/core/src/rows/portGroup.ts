import { sortedSet } from './sortedSet.js';
import type { ExternalIds } from '../ownership.js';
import { frozenMap } from './frozenMap.js';

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

export function PortGroupRow(fields: Omit<PortGroupRow, 'table'>): PortGroupRow {
  return Object.freeze({
    table: 'Port_Group',
    name: fields.name,
    ports: sortedSet(fields.ports),
    externalIds: frozenMap(fields.externalIds),
  });
}
