import type { MatchExpr, MatchValue } from './ast.js';

/**
 * Writes a match tree in OVN syntax (ovn-sb(5) "match"), the one spelling every ACL row uses:
 *  - OVN refuses `&&` and `||` side by side, so an `and` or `or` operand of another operator is
 *    parenthesized; builders flatten same-operator nesting (build.ts), so this is precedence only;
 *  - `!` always takes parentheses (`!(tcp.dst == 80)`; OVN refuses `!tcp.dst == 80`);
 *  - a set is `{a, b}`; a range is `80 <= tcp.dst <= 90`, the form ovn-sb(5) documents, which OVN
 *    reads as one comparison, so it needs no parentheses as an operand.
 *
 *   formatMatchExpr(and([equalsAny('outport', [portGroupRef('pg')]), range('tcp.dst', 80, 90)]))
 *     // 'outport == @pg && 80 <= tcp.dst <= 90'
 */
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
      const range = rangeOf(expr);
      if (range !== null) return `${range.low} <= ${range.field} <= ${range.high}`;
      return formatOperands(expr.type, expr.children);
    }
    case 'compare': {
      const values = expr.values.map(formatMatchValue);
      const rhs = values.length === 1 ? values[0]! : `{${values.join(', ')}}`;
      return `${expr.field} ${expr.op} ${rhs}`;
    }
  }
}

function formatOperands(type: 'and' | 'or', children: readonly MatchExpr[]): string {
  // join, not +=: the row keeps one flat string instead of a rope of every piece.
  return children.map((child) => formatOperand(child)).join(type === 'and' ? ' && ' : ' || ');
}

function formatOperand(child: MatchExpr): string {
  const nested = (child.type === 'and' || child.type === 'or') && rangeOf(child) === null;
  return nested ? `(${formatOperands(child.type, child.children)})` : formatMatchExpr(child);
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

/**
 * The bounds of `low <= field <= high`: an `and` of exactly `field >= low` and `field <= high`,
 * the tree OVN's (and explain's) parser makes of the range form. Null for anything else.
 */
export function rangeOf(expr: MatchExpr): { readonly field: string; readonly low: string; readonly high: string } | null {
  if (expr.type !== 'and' || expr.children.length !== 2) return null;
  const [lower, upper] = expr.children as [MatchExpr, MatchExpr];
  if (lower.type !== 'compare' || upper.type !== 'compare' || lower.field !== upper.field) return null;
  if (lower.op !== '>=' || upper.op !== '<=' || lower.values.length !== 1 || upper.values.length !== 1) return null;
  const [low, high] = [lower.values[0]!, upper.values[0]!];
  if (low.kind !== 'int' || high.kind !== 'int') return null;
  return { field: lower.field, low: low.text, high: high.text };
}
