// Lint: findings about policies that do not do what their authors expect, before anything is applied.
export { lintModel, LINT_CHECKS } from './lint.js';
export { DEFAULT_JOIN_CIDRS, type LintOptions } from './context.js';
export { findingLocation, formatFindings, sortFindings, type LintFinding, type LintSeverity } from './finding.js';
