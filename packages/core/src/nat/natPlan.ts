import type { IpFamily } from '../net/ip.js';
import type { GatewayPort } from './gatewayPorts.js';
import type { NatPlacement, OvnDnatRule, OvnEip, OvnFip, OvnSnatRule } from './kubeOvnObjects.js';

/**
 * The NAT objects after every cross-object check: each rule knows its EIP, router, gateway port
 * and address pairs, and each FIP its placement. Rows and explanations are both read from here,
 * so what `explain-nat` says is what `compile` writes.
 */
export interface NatPlan {
  readonly eips: readonly OvnEip[];
  readonly fips: readonly PlannedFip[];
  readonly snats: readonly PlannedSnat[];
  readonly dnats: readonly PlannedDnat[];
  /** Nodes labelled `ovn.kubernetes.io/external-gw=true`: the gateway chassis candidates. */
  readonly gatewayNodes: readonly string[];
  /**
   * The default VPC's (`ovn-cluster`) gateway chassis candidates: the labelled nodes, plus the
   * ConfigMap's `external-gw-nodes` unless its `type` is distributed (as Kube-OVN adds them).
   */
  readonly defaultVpcGatewayNodes: readonly string[];
}

/** One external/internal address pair of a family (OVN NAT rows are single-family). */
export interface AddressPair {
  readonly family: IpFamily;
  readonly externalIp: string;
  /** An address, or for SNAT possibly a CIDR. */
  readonly logicalIp: string;
}

/** What a FIP or DNAT rule translates to. */
export type NatTarget =
  | { readonly kind: 'ip'; readonly name: string; readonly mac: string | null; readonly nodeName: string | null }
  | { readonly kind: 'vip'; readonly name: string }
  | { readonly kind: 'address' };

/** What every planned rule knows once its EIP and its inside addresses are checked. */
export interface PlannedRule {
  readonly eip: OvnEip;
  /** The VPC's logical router (named after the VPC). */
  readonly router: string;
  /** The DGP on the EIP's external subnet: where centralized NAT runs. */
  readonly gatewayPort: GatewayPort;
  /** Number of DGPs on the router; with more than one, NAT rows must name theirs. */
  readonly routerGatewayPortCount: number;
  readonly pairs: readonly AddressPair[];
}

export interface PlannedFip extends PlannedRule {
  readonly kind: 'OvnFip';
  readonly fip: OvnFip;
  readonly target: NatTarget;
  readonly placement: NatPlacement;
  /** Set only when distributed: the port whose chassis runs the NAT, and the MAC it answers with. */
  readonly logicalPort: string | null;
  readonly externalMac: string | null;
  readonly stateless: boolean;
}

export interface PlannedSnat extends PlannedRule {
  readonly kind: 'OvnSnatRule';
  readonly snat: OvnSnatRule;
}

export interface PlannedDnat extends PlannedRule {
  readonly kind: 'OvnDnatRule';
  readonly dnat: OvnDnatRule;
  readonly target: NatTarget;
}

export type PlannedNat = PlannedFip | PlannedSnat | PlannedDnat;
