// ClusterNetworkPolicy (v1alpha2), AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1).
export * from './model';
export { bandFor, compareTieredPolicies, rankRules, MAX_ACL_PRIORITY, TIER_NUMBERS } from './priorities';
export type { PriorityBand, RankedRule } from './priorities';
export { compileClusterPolicies } from './compile';
export type { TieredCompileResult } from './compile';
export { subjectPortGroupName, ruleRowId } from './rules';
export { emulatedPassRows } from './emulatedPasses.js';
