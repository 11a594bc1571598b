import type { RelOp } from '../explain/match/lexer.js';

/**
 * A parsed OVN match. Constants are integers of a known written form (OVN treats IPv4/IPv6/MAC
 * constants as integers of their width); `mask` is null for an exact value.
 */
export type MatchValue =
  | { readonly kind: 'int'; readonly form: ConstantForm; readonly value: bigint; readonly mask: bigint | null; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'addressSet'; readonly name: string }
  | { readonly kind: 'portGroup'; readonly name: string };

export type ConstantForm = 'integer' | 'ipv4' | 'ipv6' | 'mac';

export type MatchExpr =
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'and'; readonly children: readonly MatchExpr[] }
  | { readonly type: 'or'; readonly children: readonly MatchExpr[] }
  | { readonly type: 'not'; readonly child: MatchExpr }
  /** A bare predicate (`ip4`, `tcp`) or 1-bit field (`ct.new`). */
  | { readonly type: 'symbol'; readonly name: string }
  /** `field op value` or `field op {v1, v2}`; a set with == is any-of, with != none-of. */
  | { readonly type: 'compare'; readonly field: string; readonly op: RelOp; readonly values: readonly MatchValue[] };

/** Renders an expression back to OVN syntax (used in explanations of why a row did not match). */
export function formatMatchExpr(expr: MatchExpr): string {
  switch (expr.type) {
    case 'bool':
      return expr.value ? '1' : '0';
    case 'symbol':
      return expr.name;
    case 'not':
      return `!(${formatMatchExpr(expr.child)})`;
    case 'and':
    case 'or': {
      const sep = expr.type === 'and' ? ' && ' : ' || ';
      return expr.children
        .map((c) => (c.type === 'and' || c.type === 'or' ? `(${formatMatchExpr(c)})` : formatMatchExpr(c)))
        .join(sep);
    }
    case 'compare': {
      const values = expr.values.map(formatMatchValue);
      const rhs = values.length === 1 ? values[0]! : `{${values.join(', ')}}`;
      return `${expr.field} ${expr.op} ${rhs}`;
    }
  }
}

export function formatMatchValue(v: MatchValue): string {
  switch (v.kind) {
    case 'int':
      return v.text;
    case 'string':
      return JSON.stringify(v.value);
    case 'addressSet':
      return `$${v.name}`;
    case 'portGroup':
      return `@${v.name}`;
  }
}
