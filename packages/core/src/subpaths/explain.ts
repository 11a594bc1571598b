// @ovn-nbgen/core/explain: the verdict machinery behind explain, matrix, test, impact and report:
// the ACL program and match evaluator, reachability matrices, flow tests, policy impact and the
// review report, with their text/JSON/Markdown formatters. The root entry keeps what a caller of
// explainFlow needs; the rest is here.
export * from '../explain/index.js';
export * from '../flowtest/index.js';
export * from '../impact/index.js';
export * from '../report/index.js';
