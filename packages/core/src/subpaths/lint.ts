// @ovn-nbgen/core/lint: every lint check and its helpers (the root entry has lintModel and formatFindings).
export * from '../lint/index.js';
