import { and, equalsAny, integer, l4Name, not, range, symbol, type MatchExpr } from '../match/index.js';
import type { L4Protocol } from '../model/inventory.js';
import type { IpFamily } from '../net/ip.js';
import type { TieredPort } from './tieredPolicy.js';

/**
 * The tiered-policy parts of ACL matches, as match trees (printed once per row, match/print.ts).
 */

/** `ip4.src`, `ip6.dst`, ... */
export function ipField(family: IpFamily, side: 'src' | 'dst'): string {
  return `ip${family}.${side}`;
}

/**
 * One way a rule's ports can match: a protocol and a destination-port condition on it (null:
 * every port of the protocol).
 */
export interface PortAlternative {
  readonly protocol: L4Protocol;
  /** `tcp.dst == 80`, `tcp.dst == {80, 443}`, `8080 <= tcp.dst <= 9090`, or null. */
  readonly dst: MatchExpr | null;
}

/** A rule's numeric ports as alternatives (named ports are resolved per destination pod by the caller). */
export function portAlternatives(ports: readonly TieredPort[]): PortAlternative[] {
  const out: PortAlternative[] = [];
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    const field = `${l4Name(protocol)}.dst`;
    const mine = ports.filter((p) => p.type !== 'named' && p.protocol === protocol);
    if (mine.length === 0) continue;
    if (mine.some((p) => p.type === 'protocol')) {
      out.push({ protocol, dst: null });
      continue;
    }
    const ranges = mine.flatMap((p) => (p.type === 'range' ? [p] : []));
    const singles = [...new Set(ranges.filter((r) => r.start === r.end).map((r) => r.start))].sort((a, b) => a - b);
    if (singles.length > 0) out.push({ protocol, dst: equalsAny(field, singles.map(integer)) });
    const seen = new Set<string>();
    for (const r of ranges) {
      const key = `${r.start}-${r.end}`;
      if (r.start === r.end || seen.has(key)) continue;
      seen.add(key);
      out.push({ protocol, dst: range(field, r.start, r.end) });
    }
  }
  return out;
}

/** A resolved named port: `tcp.dst == 8080`. */
export function resolvedPort(protocol: L4Protocol, port: number): PortAlternative {
  return { protocol, dst: equalsAny(`${l4Name(protocol)}.dst`, [integer(port)]) };
}

/** `tcp.dst == 80` (OVN adds the `tcp` prerequisite), or `tcp` for every port. */
export function portMatch(alternative: PortAlternative): MatchExpr {
  return alternative.dst ?? symbol(l4Name(alternative.protocol));
}

/** IANA protocol numbers (ovn-sb(5): `tcp` is `ip.proto == 6`). */
const PROTOCOL_NUMBER: Readonly<Record<L4Protocol, number>> = { TCP: 6, UDP: 17, SCTP: 132 };

/**
 * What "none of these port alternatives" means, as terms to OR, in a form OVN accepts and
 * evaluates as written. Two OVN rules make the plain `!(tcp.dst == 80)` wrong or invalid:
 *  - it adds a field's prerequisites after pushing `!` down to comparisons, so
 *    `!(tcp.dst == 80)` becomes `tcp && tcp.dst != 80`: false for a UDP or ICMP packet;
 *  - `tcp` and `ip.proto` are nominal: they may only be tested positively for equality
 *    ("Nominal predicate tcp may only be tested positively").
 * So: packets of a protocol the alternatives do not name match a positive set of the other IP
 * protocol numbers, and packets of a named protocol match when their port is outside every
 * alternative of it: `ip.proto == {0, 1, ..., 5, 7, ...} || (ip.proto == 6 && !(tcp.dst == 80))`.
 * A protocol with an every-port alternative contributes nothing (none of its packets qualify).
 * (Each form was checked with ovn-trace on OVN 23.03.)
 */
export function negatedPortTerms(alternatives: readonly PortAlternative[]): MatchExpr[] {
  const named = [...new Set(alternatives.map((a) => a.protocol))];
  const terms = [otherProtocols(named)];
  for (const protocol of named) {
    const mine = alternatives.filter((a) => a.protocol === protocol);
    if (mine.some((a) => a.dst === null)) continue;
    terms.push(and([equalsAny('ip.proto', [integer(PROTOCOL_NUMBER[protocol])]), ...mine.map((a) => not(a.dst!))]));
  }
  return terms;
}

/** `ip.proto == {0, 1, ...}`: every IP protocol number but those of `named` (one tree per choice). */
function otherProtocols(named: readonly L4Protocol[]): MatchExpr {
  const numbers = new Set(named.map((p) => PROTOCOL_NUMBER[p]));
  const key = [...numbers].sort((a, b) => a - b).join(',');
  let hit = OTHER_PROTOCOLS.get(key);
  if (hit === undefined) {
    const others: number[] = [];
    for (let n = 0; n <= 255; n++) if (!numbers.has(n)) others.push(n);
    OTHER_PROTOCOLS.set(key, (hit = equalsAny('ip.proto', others.map(integer))));
  }
  return hit;
}

const OTHER_PROTOCOLS = new Map<string, MatchExpr>();
