/**
 * ACL priorities of NetworkPolicy rows. Fixed, like Kube-OVN's (pkg/util/const.go: allow 2001,
 * default drop 2000): NetworkPolicy has no rule order, every allow is equal. The
 * ClusterNetworkPolicy compiler places its Admin band above and its Baseline band below these.
 */
export const NETWORK_POLICY_PRIORITIES = Object.freeze({
  /** `alwaysAllowCidrs` (e.g. kubelet probes from the node/join subnet) into and out of isolated pods. */
  alwaysAllow: 2002,
  /** Rule allows. */
  allow: 2001,
  /** The isolation of a selected pod in a direction. */
  defaultDrop: 2000,
});

/** Lowest and highest priority any NetworkPolicy row uses. */
export const NETWORK_POLICY_PRIORITY_BAND = Object.freeze({
  min: NETWORK_POLICY_PRIORITIES.defaultDrop,
  max: NETWORK_POLICY_PRIORITIES.alwaysAllow,
});

/** ACL tier of NetworkPolicy rows when the target OVN has tiers (Kube-OVN NetpolACLTier). */
export const NETWORK_POLICY_TIER = 2;
