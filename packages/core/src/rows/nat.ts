import type { ExternalIds } from '../ownership.js';
import { frozenMap } from './frozenMap.js';

export type NatType = 'snat' | 'dnat' | 'dnat_and_snat';

/**
 * One row of the NB `NAT` table, attached to the logical router named `router` (non-root: the
 * writer adds it to `Logical_Router.nat` in the same transaction).
 * A dnat_and_snat with `logicalPort` and `externalMac` is distributed (NAT on the chassis that
 * hosts the port); without them it is centralized on the gateway chassis.
 */
export interface NatRow {
  readonly table: 'NAT';
  readonly router: string;
  readonly type: NatType;
  readonly externalIp: string;
  readonly logicalIp: string;
  readonly logicalPort: string | null;
  readonly externalMac: string | null;
  /** NAT `gateway_port` (schema >= 6.2.0): the distributed gateway port name, or null. */
  readonly gatewayPort: string | null;
  readonly externalPortRange: string | null;
  readonly options: Readonly<Record<string, string>>;
  readonly externalIds: ExternalIds;
}

export function NatRow(fields: Omit<NatRow, 'table'>): NatRow {
  return Object.freeze({
    table: 'NAT',
    ...fields,
    options: frozenMap(fields.options),
    externalIds: frozenMap(fields.externalIds),
  });
}
