// @ovn-nbgen/core/model: the compiler's parts below `compile`: the model of each policy kind,
// per-kind compilers, priorities and names, the selection index, label selectors, IP helpers,
// OVN naming, ownership keys in external_ids, and the session's row bookkeeping. For tools and
// tests that build or inspect rows piece by piece; a controller needs only the root entry.
export * from '../capabilities.js';
export * from '../errors.js';
export * from '../ownership.js';
export * from '../rows/index.js';
export * from '../net/ip.js';
export * from '../naming/ovnName.js';
export * from '../selectors/labelSelector.js';
export * from '../model/inventory.js';
export * from '../model/model.js';
export * from '../netpol/networkPolicy.js';
export { compileNetworkPolicies } from '../netpol/compile.js';
export { NETWORK_POLICY_PRIORITIES, NETWORK_POLICY_PRIORITY_BAND, NETWORK_POLICY_TIER } from '../netpol/priorities.js';
export { portGroupName as networkPolicyPortGroupName, aclName as networkPolicyAclName } from '../netpol/names.js';
export * from '../tiers/index.js';
export * from '../nat/index.js';
export * from '../manifests/documents.js';
export * from '../manifests/load.js';
export { dns1123LabelProblem, labelKeyProblem, labelValueProblem } from '../manifests/names.js';
export * from '../compile/options.js';
export * from '../session/index.js';
export { SelectionIndex } from '../selection/index.js';
