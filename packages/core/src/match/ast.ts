/** The relational operators of ovn-sb(5) "match"; `<`, `<=`, `>`, `>=` only on ordinal fields. */
export type RelOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * An OVN match (ovn-sb(5) "Logical_Flow TABLE", match column) as a tree: what the compilers build
 * (match/build.ts) and print (match/print.ts) into ACL rows, and what explain parses those rows
 * back into (explain/match/parser.ts). A tree has the shape the parser gives its printed text, so
 * `parseMatch(formatMatchExpr(e))` is `e`.
 *
 * Constants are integers of a known written form (OVN treats IPv4/IPv6/MAC constants as integers of
 * their width); `mask` is null for an exact value; `text` is how the constant is written.
 */
export type MatchValue =
  | { readonly kind: 'int'; readonly form: ConstantForm; readonly value: bigint; readonly mask: bigint | null; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'addressSet'; readonly name: string }
  | { readonly kind: 'portGroup'; readonly name: string };

export type ConstantForm = 'integer' | 'ipv4' | 'ipv6' | 'mac';

export type MatchExpr =
  | { readonly type: 'bool'; readonly value: boolean }
  /** Children of one operator; a nested `and` is a parenthesized operand, or a range (print.ts). */
  | { readonly type: 'and'; readonly children: readonly MatchExpr[] }
  | { readonly type: 'or'; readonly children: readonly MatchExpr[] }
  | { readonly type: 'not'; readonly child: MatchExpr }
  /** A bare predicate (`ip4`, `tcp`) or 1-bit field (`ct.new`). */
  | { readonly type: 'symbol'; readonly name: string }
  /** `field op value` or `field op {v1, v2}`; a set with == is any-of, with != none-of. */
  | { readonly type: 'compare'; readonly field: string; readonly op: RelOp; readonly values: readonly MatchValue[] };
