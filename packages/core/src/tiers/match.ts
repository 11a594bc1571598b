import type { L4Protocol } from '../model/inventory';
import type { IpFamily } from '../net/ip';
import type { TieredPort } from './model';

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
 * Alternatives matching numeric destination ports, one per protocol and shape:
 * `tcp` (every port), `tcp.dst == {80, 443}`, `(tcp.dst >= 8080 && tcp.dst <= 9090)`.
 * Named ports are resolved by the caller (they depend on the destination pod).
 */
export function numericPortAlternatives(ports: readonly TieredPort[]): string[] {
  const out: string[] = [];
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    const field = l4Field(protocol);
    const mine = ports.filter((p) => p.type !== 'named' && p.protocol === protocol);
    if (mine.length === 0) continue;
    if (mine.some((p) => p.type === 'protocol')) {
      out.push(field);
      continue;
    }
    const ranges = mine.flatMap((p) => (p.type === 'range' ? [p] : []));
    const singles = [...new Set(ranges.filter((r) => r.start === r.end).map((r) => r.start))].sort((a, b) => a - b);
    if (singles.length === 1) out.push(`${field}.dst == ${singles[0]}`);
    if (singles.length > 1) out.push(`${field}.dst == {${singles.join(', ')}}`);
    const seen = new Set<string>();
    for (const r of ranges) {
      const key = `${r.start}-${r.end}`;
      if (r.start === r.end || seen.has(key)) continue;
      seen.add(key);
      out.push(`(${field}.dst >= ${r.start} && ${field}.dst <= ${r.end})`);
    }
  }
  return out;
}

/** `tcp.dst == 8080` for a resolved named port. */
export function resolvedPortMatch(protocol: L4Protocol, port: number): string {
  return `${l4Field(protocol)}.dst == ${port}`;
}
