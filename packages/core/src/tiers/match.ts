import type { L4Protocol } from '../model/inventory.js';
import type { IpFamily } from '../net/ip.js';
import type { TieredPort } from './tieredPolicy.js';

/**
 * Pieces of OVN match expressions (ovn-sb(5) "Logical_Flow TABLE" match syntax). OVN refuses
 * `&&` and `||` side by side without parentheses, so every compound operand is parenthesized.
 */

const PROTOCOL_FIELD: Readonly<Record<L4Protocol, string>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

export function l4Field(protocol: L4Protocol): string {
  return PROTOCOL_FIELD[protocol];
}

/** `ip4.src`, `ip6.dst`, ... */
export function ipField(family: IpFamily, side: 'src' | 'dst'): string {
  return `ip${family}.${side}`;
}

/** Operators outside any parentheses: what an operand needs wrapping for. */
function topLevelOperators(expr: string): Set<'&&' | '||'> {
  const ops = new Set<'&&' | '||'>();
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (depth === 0 && (c === '&' || c === '|') && expr[i + 1] === c) {
      ops.add(c === '&' ? '&&' : '||');
      i++;
    }
  }
  return ops;
}

/** Conjunction; an operand that is itself a disjunction is parenthesized. */
export function and(parts: readonly string[]): string {
  return parts.map((p) => (topLevelOperators(p).has('||') ? `(${p})` : p)).join(' && ');
}

/** Disjunction; an operand that is itself a conjunction is parenthesized. */
export function or(parts: readonly string[]): string {
  if (parts.length === 1) return parts[0]!;
  return parts.map((p) => (topLevelOperators(p).has('&&') ? `(${p})` : p)).join(' || ');
}

/** Negation: `!(a && b)`; a bare field test is wrapped too, which is always valid. */
export function not(expr: string): string {
  return topLevelOperators(expr).size === 0 && expr.startsWith('(') ? `!${expr}` : `!(${expr})`;
}

/**
 * One way a rule's ports can match: a protocol and a destination-port condition on it (null:
 * every port of the protocol).
 */
export interface PortAlternative {
  readonly protocol: L4Protocol;
  /** `tcp.dst == 80`, `tcp.dst == {80, 443}`, `tcp.dst >= 8080 && tcp.dst <= 9090`, or null. */
  readonly dst: string | null;
}

/** A rule's numeric ports as alternatives (named ports are resolved per destination pod by the caller). */
export function portAlternatives(ports: readonly TieredPort[]): PortAlternative[] {
  const out: PortAlternative[] = [];
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    const field = l4Field(protocol);
    const mine = ports.filter((p) => p.type !== 'named' && p.protocol === protocol);
    if (mine.length === 0) continue;
    if (mine.some((p) => p.type === 'protocol')) {
      out.push({ protocol, dst: null });
      continue;
    }
    const ranges = mine.flatMap((p) => (p.type === 'range' ? [p] : []));
    const singles = [...new Set(ranges.filter((r) => r.start === r.end).map((r) => r.start))].sort((a, b) => a - b);
    if (singles.length === 1) out.push({ protocol, dst: `${field}.dst == ${singles[0]}` });
    if (singles.length > 1) out.push({ protocol, dst: `${field}.dst == {${singles.join(', ')}}` });
    const seen = new Set<string>();
    for (const r of ranges) {
      const key = `${r.start}-${r.end}`;
      if (r.start === r.end || seen.has(key)) continue;
      seen.add(key);
      out.push({ protocol, dst: `${field}.dst >= ${r.start} && ${field}.dst <= ${r.end}` });
    }
  }
  return out;
}

/** A resolved named port: `tcp.dst == 8080`. */
export function resolvedPort(protocol: L4Protocol, port: number): PortAlternative {
  return { protocol, dst: `${l4Field(protocol)}.dst == ${port}` };
}

/** `tcp.dst == 80` (OVN adds the `tcp` prerequisite), or `tcp` for every port. */
export function portMatch(alternative: PortAlternative): string {
  return alternative.dst ?? l4Field(alternative.protocol);
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
export function negatedPortTerms(alternatives: readonly PortAlternative[]): string[] {
  const named = [...new Set(alternatives.map((a) => a.protocol))];
  const numbers = new Set(named.map((p) => PROTOCOL_NUMBER[p]));
  const others: number[] = [];
  for (let n = 0; n <= 255; n++) if (!numbers.has(n)) others.push(n);
  const terms = [`ip.proto == {${others.join(', ')}}`];
  for (const protocol of named) {
    const mine = alternatives.filter((a) => a.protocol === protocol);
    if (mine.some((a) => a.dst === null)) continue;
    terms.push(and([`ip.proto == ${PROTOCOL_NUMBER[protocol]}`, ...mine.map((a) => not(a.dst!))]));
  }
  return terms;
}
