import type { L4Protocol } from '../model/inventory.js';

/**
 * Builders for OVN match text (ovn-sb(5) "Logical_Flow TABLE", match column). Only `==` and `!=`
 * are used against sets, the two operators OVN accepts for an empty value set, and we never
 * reference an empty Address_Set anyway. `&&` and `||` need parentheses when mixed, so every
 * disjunct holding `&&` is wrapped.
 */

/** `field == v`, or `field == {a, b}` for several values. `values` must not be empty. */
export function equalsAny(field: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error(`internal: empty value set for ${field}`);
  return values.length === 1 ? `${field} == ${values[0]}` : `${field} == {${values.join(', ')}}`;
}

/** `field != v`, or `field != {a, b}` (true when the field equals none of them). */
export function equalsNone(field: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error(`internal: empty value set for ${field}`);
  return values.length === 1 ? `${field} != ${values[0]}` : `${field} != {${values.join(', ')}}`;
}

/** `a || b` with parentheses around the whole and around disjuncts holding `&&`; null if none. */
export function anyOf(terms: readonly string[]): string | null {
  if (terms.length === 0) return null;
  if (terms.length === 1) return terms[0]!;
  return `(${terms.map((t) => (t.includes('&&') ? `(${t})` : t)).join(' || ')})`;
}

/** Joins conjuncts; each must already be parenthesized if it contains `||`. */
export function allOf(terms: readonly (string | null)[]): string {
  return terms.filter((t): t is string => t !== null && t !== '').join(' && ');
}

/** Addresses one rule allows on the peer side, in one IP family. */
export interface PeerTerm {
  /** `$address_set` references and plain CIDRs, compared with one `==`. */
  readonly values: readonly string[];
  /** ipBlocks with `except`: `field == cidr && field != {except}`. */
  readonly blocksWithExcept: readonly { readonly cidr: string; readonly except: readonly string[] }[];
}

/** The peer part of a match, e.g. `(ip4.src == {$a, 10.0.0.0/8} || (ip4.src == 172.16.0.0/12 && ip4.src != 172.16.1.0/24))`; null when it allows nothing. */
export function peerMatch(field: string, term: PeerTerm): string | null {
  const disjuncts: string[] = [];
  if (term.values.length > 0) disjuncts.push(equalsAny(field, term.values));
  for (const block of term.blocksWithExcept) {
    disjuncts.push(`${field} == ${block.cidr} && ${equalsNone(field, block.except)}`);
  }
  return anyOf(disjuncts);
}

export const ovnProtocol = (protocol: L4Protocol): 'tcp' | 'udp' | 'sctp' =>
  protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp';

/**
 * Destination-port match: `tcp` (every port), `tcp.dst == 80`, or the range form
 * `80 <= tcp.dst <= 90` that ovn-sb(5) documents.
 */
export function portMatch(protocol: L4Protocol, port: number | null, endPort: number | null): string {
  const p = ovnProtocol(protocol);
  if (port === null) return p;
  if (endPort === null || endPort === port) return `${p}.dst == ${port}`;
  return `${port} <= ${p}.dst <= ${endPort}`;
}

/** Row id text of a port entry: `tcp`, `tcp-80`, `tcp-80-90`, `tcp-http=8080`, or `all`. */
export function portRowId(protocol: L4Protocol | null, port: number | string | null, endPort: number | null, resolved?: number): string {
  if (protocol === null) return 'all';
  const p = ovnProtocol(protocol);
  if (port === null) return p;
  if (typeof port === 'string') return `${p}-${port}=${resolved}`;
  return endPort === null || endPort === port ? `${p}-${port}` : `${p}-${port}-${endPort}`;
}
