import type { MatchExpr } from './ast.js';

/**
 * Hands a compiled row and the tree its match was printed from to CompileOptions.onMatchTree
 * (when set), and returns the row:
 *
 *   acls.push(withPrintedTree(AclRow({ ..., match: formatMatchExpr(tree) }), tree, options.onMatchTree))
 *
 * `nbgen test` keeps the trees to judge without parsing the text back; a compile that is not
 * asked keeps nothing (holding the trees costs it memory and garbage-collection time).
 */
export function withPrintedTree<R>(row: R, tree: MatchExpr, onMatchTree: ((row: R, tree: MatchExpr) => void) | undefined): R {
  onMatchTree?.(row, tree);
  return row;
}
