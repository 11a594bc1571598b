// ClusterNetworkPolicy (v1alpha2), AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1).
export * from './tieredPolicy.js';
export { bandFor, compareTieredPolicies, rankRules, MAX_ACL_PRIORITY, TIER_NUMBERS } from './priorities.js';
export type { PriorityBand, RankedRule } from './priorities.js';
export { compileClusterPolicies } from './compile.js';
export type { TieredCompileResult } from './compile.js';
export { subjectPortGroupName, ruleRowId } from './rules.js';
export { emulatedPassRows } from './emulatedPasses.js';
