import { sortedSet } from './sortedSet.js';
import type { ExternalIds } from '../ownership.js';
import { frozenMap } from './frozenMap.js';

export type LoadBalancerProtocol = 'tcp' | 'udp' | 'sctp';

/**
 * One row of the NB `Load_Balancer` table (root). `routers` are the logical routers whose
 * `load_balancer` column (a weak reference) should hold it.
 */
export interface LoadBalancerRow {
  readonly table: 'Load_Balancer';
  readonly name: string;
  readonly protocol: LoadBalancerProtocol;
  /** `"VIP:port" -> "backend:port[,backend:port]"`. */
  readonly vips: Readonly<Record<string, string>>;
  readonly routers: readonly string[];
  readonly options: Readonly<Record<string, string>>;
  readonly externalIds: ExternalIds;
}

export function LoadBalancerRow(fields: Omit<LoadBalancerRow, 'table'>): LoadBalancerRow {
  return Object.freeze({
    table: 'Load_Balancer',
    ...fields,
    vips: frozenMap(fields.vips),
    routers: sortedSet(fields.routers),
    options: frozenMap(fields.options),
    externalIds: frozenMap(fields.externalIds),
  });
}
