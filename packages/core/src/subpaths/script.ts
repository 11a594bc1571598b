// @ovn-nbgen/core/script: the ovn-nbctl script renderer's parts (quoting, table descriptors) and
// the deletion guard shared with the live reconciler. The root entry has renderNbctlScript.
export * from '../script/index.js';
export * from '../tables/index.js';
export * from '../guard/index.js';
