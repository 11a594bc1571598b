import type { L4Protocol } from '../model/inventory.js';
import { address, and, equalsAny, equalsNone, l4Name, or, range, symbol, type MatchExpr, type MatchValue } from '../match/index.js';

/**
 * The NetworkPolicy parts of ACL matches, as match trees (printed once per row, match/print.ts).
 * Only `==` and `!=` are used against sets, the two operators OVN accepts for an empty value set,
 * and we never reference an empty Address_Set anyway.
 */

/** Addresses one rule allows on the peer side, in one IP family. */
export interface PeerTerm {
  /** Address_Set references and plain CIDRs, compared with one `==`. */
  readonly values: readonly MatchValue[];
  /** ipBlocks with `except`: `field == cidr && field != {except}`. */
  readonly blocksWithExcept: readonly { readonly cidr: string; readonly except: readonly string[] }[];
}

/** The peer part of a match, e.g. `(ip4.src == {$a, 10.0.0.0/8} || (ip4.src == 172.16.0.0/12 && ip4.src != 172.16.1.0/24))`; null when it allows nothing. */
export function peerMatch(field: string, term: PeerTerm): MatchExpr | null {
  const disjuncts: MatchExpr[] = [];
  if (term.values.length > 0) disjuncts.push(equalsAny(field, term.values));
  for (const block of term.blocksWithExcept) {
    disjuncts.push(and([equalsAny(field, [address(block.cidr)]), equalsNone(field, block.except.map(address))]));
  }
  return disjuncts.length === 0 ? null : or(disjuncts);
}

/** Destination-port match: `tcp` (every port), `tcp.dst == 80`, or `80 <= tcp.dst <= 90`. */
export function portMatch(protocol: L4Protocol, port: number | null, endPort: number | null): MatchExpr {
  const p = l4Name(protocol);
  return port === null ? symbol(p) : range(`${p}.dst`, port, endPort ?? port);
}

/** Row id text of a port entry: `tcp`, `tcp-80`, `tcp-80-90`, `tcp-http=8080`, or `all`. */
export function portRowId(protocol: L4Protocol | null, port: number | string | null, endPort: number | null, resolved?: number): string {
  if (protocol === null) return 'all';
  const p = l4Name(protocol);
  if (port === null) return p;
  if (typeof port === 'string') return `${p}-${port}=${resolved}`;
  return endPort === null || endPort === port ? `${p}-${port}` : `${p}-${port}-${endPort}`;
}
