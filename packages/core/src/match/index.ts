// Match trees: the one representation of an OVN match the compilers build, print and explain parses.
export type { ConstantForm, MatchExpr, MatchValue, RelOp } from './ast.js';
export { formatMatchExpr, formatMatchValue, rangeOf } from './print.js';
export { address, addressSetRef, and, compare, equalsAny, equalsNone, integer, l4Name, not, or, portGroupRef, quoted, range, symbol } from './build.js';
export { withPrintedTree } from './printedTree.js';
