import type { SourceRef } from '../errors.js';
import type { L4Protocol } from '../model/inventory.js';
import type { LabelSelector } from '../selectors/labelSelector.js';

/**
 * One internal model for the three tiered kinds:
 *  - ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2), tier Admin or Baseline;
 *  - AdminNetworkPolicy (v1alpha1) = Admin tier, `Allow` read as `Accept`;
 *  - BaselineAdminNetworkPolicy (v1alpha1, the singleton `default`) = Baseline tier.
 * Per connection and direction the tiers are evaluated Admin → NetworkPolicy → Baseline → allow;
 * inside a tier, policies by ascending priority and rules in written order, first match decides.
 */
export type TieredKind = 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
export type TierName = 'Admin' | 'Baseline';
/** `Accept` is final allow, `Deny` final drop, `Pass` leaves the current tier. */
export type TierAction = 'Accept' | 'Deny' | 'Pass';
export type RuleDirection = 'ingress' | 'egress';

/**
 * v1alpha1 BaselineAdminNetworkPolicy has no priority. We rank it after every Baseline-tier CNP
 * (as if its priority were 1001), which is also where Kube-OVN puts it (BANP 1800-i below
 * Baseline CNPs at 20001+ in tier 3).
 */
export const BANP_EFFECTIVE_PRIORITY = 1001;

export interface TieredPolicy {
  readonly kind: TieredKind;
  /** Cluster-scoped: no namespace. */
  readonly name: string;
  readonly tier: TierName;
  /** 0..1000, lower first; BANP: BANP_EFFECTIVE_PRIORITY. */
  readonly priority: number;
  /** The pods this policy applies to (host-network pods are never selected). */
  readonly subject: PodSelection;
  readonly ingress: readonly TieredRule[];
  readonly egress: readonly TieredRule[];
  readonly source: SourceRef;
}

/** `subject.namespaces: S` is read as `{namespaceSelector: S, podSelector: {}}`. */
export interface PodSelection {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
}

export interface TieredRule {
  /** `name` as written, or null. */
  readonly name: string | null;
  readonly action: TierAction;
  /** At least one (the CRDs require `from`/`to` with minItems 1). Peers are ORed. */
  readonly peers: readonly TieredPeer[];
  /** Empty: every protocol of the family, ICMP included. Entries are ORed. */
  readonly ports: readonly TieredPort[];
  /** Field path of the rule, e.g. `spec.egress[2]`, for warnings. */
  readonly path: string;
}

export type TieredPeer =
  /** `namespaces: S` is `{namespaceSelector: S, podSelector: {}}`. */
  | { readonly type: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector }
  /** Egress only: the IPs in status.addresses of the selected Nodes. */
  | { readonly type: 'nodes'; readonly selector: LabelSelector }
  /** Egress only: canonical CIDRs. They match pod IPs too (0.0.0.0/0 is every IPv4 destination). */
  | { readonly type: 'networks'; readonly cidrs: readonly string[] }
  /** Egress only: DNS names. ACLs cannot match names, so this peer matches nothing (with a warning). */
  | { readonly type: 'domainNames'; readonly names: readonly string[] };

export type TieredPort =
  /** Destination ports `start..end` inclusive (a single port has start === end). */
  | { readonly type: 'range'; readonly protocol: L4Protocol; readonly start: number; readonly end: number }
  /** Every port of the protocol (a CNP `tcp: {}` without destinationPort, per the API docs). */
  | { readonly type: 'protocol'; readonly protocol: L4Protocol }
  /** A container port name, resolved per destination pod (its protocol comes from the pod). */
  | { readonly type: 'named'; readonly name: string };

/** Short lowercase prefix used in OVN names: `cnp`, `anp`, `banp`. */
export function namePrefixOf(kind: TieredKind): 'cnp' | 'anp' | 'banp' {
  switch (kind) {
    case 'ClusterNetworkPolicy':
      return 'cnp';
    case 'AdminNetworkPolicy':
      return 'anp';
    case 'BaselineAdminNetworkPolicy':
      return 'banp';
  }
}

/** `ClusterNetworkPolicy/deny-db`: how warnings and logging options name a policy. */
export function tieredPolicyKey(policy: Pick<TieredPolicy, 'kind' | 'name'>): string {
  return `${policy.kind}/${policy.name}`;
}
