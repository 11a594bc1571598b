import type { L4Protocol } from '../model/inventory.js';
import { parseCidr, prefixMask } from '../net/ip.js';
import type { MatchExpr, MatchValue, RelOp } from './ast.js';
import { rangeOf } from './print.js';

/**
 * Builders of match trees, for the compilers. They keep a tree in the shape explain's parser gives
 * its printed text: `and`/`or` flatten operands of the same operator (`a && (b && c)` is
 * `a && b && c`), except a range, which stays one operand as OVN reads it.
 *
 *   and([equalsAny('outport', [portGroupRef('np.prod.web')]), symbol('ip4'), equalsAny('tcp.dst', [integer(80)])])
 */

export const symbol = (name: string): MatchExpr => ({ type: 'symbol', name });

/** `field op v`, or `field op {a, b}` for several values. `values` must not be empty. */
export function compare(field: string, op: RelOp, values: readonly MatchValue[]): MatchExpr {
  if (values.length === 0) throw new Error(`internal: empty value set for ${field}`);
  return { type: 'compare', field, op, values };
}

/** `field == v`, or `field == {a, b}` (true when the field equals any of them). */
export const equalsAny = (field: string, values: readonly MatchValue[]): MatchExpr => compare(field, '==', values);

/** `field != v`, or `field != {a, b}` (true when the field equals none of them). */
export const equalsNone = (field: string, values: readonly MatchValue[]): MatchExpr => compare(field, '!=', values);

/** `low <= field <= high`, or `field == low` when the range holds one value. */
export function range(field: string, low: number, high: number): MatchExpr {
  if (low === high) return equalsAny(field, [integer(low)]);
  return { type: 'and', children: [compare(field, '>=', [integer(low)]), compare(field, '<=', [integer(high)])] };
}

/** Conjunction of the terms that are not null; a single term is itself. */
export function and(terms: readonly (MatchExpr | null)[]): MatchExpr {
  return joined('and', terms.includes(null) ? terms.filter((t): t is MatchExpr => t !== null) : (terms as readonly MatchExpr[]));
}

/** Disjunction; a single term is itself. */
export function or(terms: readonly MatchExpr[]): MatchExpr {
  return joined('or', terms);
}

function joined(type: 'and' | 'or', terms: readonly MatchExpr[]): MatchExpr {
  if (terms.length === 0) throw new Error(`internal: ${type} of no terms`);
  if (terms.length === 1) return terms[0]!;
  // A loop, not flatMap: a compile joins every ACL's match (40,000 at 10,000 policies), and
  // flatMap makes an array per term.
  const children: MatchExpr[] = [];
  for (const t of terms) {
    if (t.type === type && rangeOf(t) === null) for (const child of t.children) children.push(child);
    else children.push(t);
  }
  return { type, children };
}

/** `!(expr)`. OVN restricts what may stand under `!` (see tiers/match.ts); the caller minds it. */
export const not = (child: MatchExpr): MatchExpr => ({ type: 'not', child });

export const integer = (n: number): MatchValue => ({ kind: 'int', form: 'integer', value: BigInt(n), mask: null, text: String(n) });

/** An IPv4/IPv6 address or CIDR as written (`10.0.0.0/8`, `fd00::1`), valued as OVN reads it. */
export function address(text: string): MatchValue {
  const cidr = parseCidr(text);
  if (cidr === null) throw new Error(`internal: ${text} is not an address`);
  const form = cidr.family === 4 ? 'ipv4' : 'ipv6';
  const mask = text.includes('/') ? prefixMask(cidr.family, cidr.prefix) : null;
  return { kind: 'int', form, value: cidr.network, mask, text };
}

/** `$name`: an Address_Set. */
export const addressSetRef = (name: string): MatchValue => ({ kind: 'addressSet', name });

/** `@name`: a Port_Group. */
export const portGroupRef = (name: string): MatchValue => ({ kind: 'portGroup', name });

/** `"name"`: a logical port name. */
export const quoted = (value: string): MatchValue => ({ kind: 'string', value });

/** The predicate and field prefix of a protocol: `tcp`, `udp`, `sctp`. */
export function l4Name(protocol: L4Protocol): 'tcp' | 'udp' | 'sctp' {
  return L4_NAMES[protocol];
}

const L4_NAMES: Readonly<Record<L4Protocol, 'tcp' | 'udp' | 'sctp'>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };
