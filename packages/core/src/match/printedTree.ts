import type { MatchExpr } from './ast.js';

// Rows are frozen and a compiled row's match is formatMatchExpr of a tree the compiler built:
// that tree is a fact about the row, kept beside it (weakly: it goes with the row). `nbgen test`
// judges thousands of flows on rows compiled in the same process and reads the tree instead of
// parsing the text back (the ACL program's first-use work); explain keeps parsing the text.
const trees = new WeakMap<object, MatchExpr>();

/**
 * Records that `row.match` is `formatMatchExpr(tree)`; returns the row.
 *
 *   acls.push(rememberPrintedTree(AclRow({ ..., match: formatMatchExpr(tree) }), tree))
 */
export function rememberPrintedTree<R extends { readonly match: string }>(row: R, tree: MatchExpr): R {
  trees.set(row, tree);
  return row;
}

/**
 * The tree a row's match was printed from, when this process compiled the row (undefined for a
 * row read from a live NB, or built by hand). parseMatch(row.match) gives the same tree
 * (test/e2e/flowtest/sharedTrees.test.ts holds the verdicts equal on every e2e scenario).
 */
export function printedTreeOf(row: { readonly match: string }): MatchExpr | undefined {
  return trees.get(row);
}
