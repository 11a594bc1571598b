import type { SourceRef } from '../errors.js';
import type { LoadBalancerProtocol } from '../rows/loadBalancer.js';

/**
 * Kube-OVN's OVN-NAT custom resources (kubeovn.io/v1, all cluster-scoped) and the objects they
 * refer to, after per-object validation. Addresses are canonical text; absent fields are null.
 * Cross-object checks (does the EIP exist, is its address inside its subnet, ...) happen later in
 * `resolveNat`, which sees the whole model.
 */

/** `OvnEip.spec.type`: `nat` reserves an address for NAT; `lrp` is a router port's own address;
 * `lsp` is a bare switch port (a BFD next hop) that NAT must not use. */
export type OvnEipType = 'nat' | 'lrp' | 'lsp';

export interface OvnEip {
  readonly kind: 'OvnEip';
  readonly name: string;
  /**
   * The Kube-OVN Subnet the address comes from: `spec.externalSubnet`, or when that is empty
   * Kube-OVN's default external subnet (the ConfigMap's `external-gw-switch`, else `external`).
   */
  readonly externalSubnet: string;
  /** `spec.externalSubnet` was empty: `externalSubnet` is the default, resolved with the ConfigMap. */
  readonly externalSubnetDefaulted: boolean;
  /** From `spec`, else from `status` (what Kube-OVN's IPAM allocated). */
  readonly v4Ip: string | null;
  readonly v6Ip: string | null;
  readonly type: OvnEipType;
  readonly source: SourceRef;
}

/** Where a FIP's NAT runs: on the chassis hosting the pod's port, or on the gateway chassis. */
export type NatPlacement = 'distributed' | 'centralized';

/** What a FIP or DNAT rule points at: a Kube-OVN `IP` (a pod's port) or a `Vip`. */
export type NatTargetKind = 'ip' | 'vip';

export interface OvnFip {
  readonly kind: 'OvnFip';
  readonly name: string;
  readonly ovnEip: string;
  readonly ipType: NatTargetKind;
  readonly ipName: string | null;
  readonly vpc: string | null;
  readonly v4Ip: string | null;
  readonly v6Ip: string | null;
  /** `spec.type`; empty means distributed (Kube-OVN's default). */
  readonly placement: NatPlacement;
  /** Annotation `ovn-nbgen.io/stateless: "true"` (see STATELESS_ANNOTATION). */
  readonly stateless: boolean;
  readonly source: SourceRef;
}

export interface OvnSnatRule {
  readonly kind: 'OvnSnatRule';
  readonly name: string;
  readonly ovnEip: string;
  readonly vpcSubnet: string | null;
  readonly ipName: string | null;
  readonly vpc: string | null;
  /** Canonical CIDR text (a single address becomes /32 or /128). */
  readonly v4IpCidr: string | null;
  readonly v6IpCidr: string | null;
  readonly source: SourceRef;
}

export interface OvnDnatRule {
  readonly kind: 'OvnDnatRule';
  readonly name: string;
  readonly ovnEip: string;
  readonly ipType: NatTargetKind;
  readonly ipName: string | null;
  readonly internalPort: number;
  readonly externalPort: number;
  readonly protocol: LoadBalancerProtocol;
  readonly vpc: string | null;
  readonly v4Ip: string | null;
  readonly v6Ip: string | null;
  readonly source: SourceRef;
}

/** A Kube-OVN VPC: one logical router named after it. */
export interface KubeOvnVpc {
  readonly kind: 'Vpc';
  readonly name: string;
  /** `spec.enableExternal`: attach the default external subnet through a gateway port. */
  readonly enableExternal: boolean;
  /** `spec.extraExternalSubnets`: further external subnets, one gateway port each. */
  readonly extraExternalSubnets: readonly string[];
  readonly source: SourceRef;
}

export interface KubeOvnSubnet {
  readonly kind: 'Subnet';
  readonly name: string;
  /** `spec.vpc`, default `ovn-cluster` (Kube-OVN's cluster router). */
  readonly vpc: string;
  /** `spec.cidrBlock` split on commas, canonical, at most one per family. */
  readonly v4Cidr: string | null;
  readonly v6Cidr: string | null;
  readonly source: SourceRef;
}

/** A Kube-OVN `IP`: one pod's addresses on one subnet. Its name is the logical switch port's. */
export interface KubeOvnIp {
  readonly kind: 'IP';
  readonly name: string;
  readonly subnet: string;
  readonly v4: string | null;
  readonly v6: string | null;
  /** Lower-case MAC of the port, or null. */
  readonly mac: string | null;
  /** `spec.nodeName`: the node (chassis) hosting the pod, when known. */
  readonly nodeName: string | null;
  readonly source: SourceRef;
}

/** A Kube-OVN `Vip`: a reserved address on a subnet, not bound to any one chassis. */
export interface KubeOvnVip {
  readonly kind: 'Vip';
  readonly name: string;
  readonly subnet: string;
  readonly v4: string | null;
  readonly v6: string | null;
  readonly source: SourceRef;
}

/**
 * Kube-OVN's ConfigMap `kube-system/ovn-external-gw-config`. Its `external-gw-switch` names the
 * default external subnet (what `Vpc.spec.enableExternal` attaches and an OvnEip without
 * `spec.externalSubnet` draws from); `enable-external-gw` attaches it to the default VPC
 * (`ovn-cluster`) through LRP `ovn-cluster-<switch>`, whose gateway chassis are the labelled nodes
 * plus `external-gw-nodes` (Kube-OVN adds those unless `type` is distributed).
 */
export interface ExternalGatewayConfig {
  readonly kind: 'ExternalGatewayConfig';
  /** Always `ovn-external-gw-config`: one per cluster. */
  readonly name: string;
  readonly enabled: boolean;
  readonly externalSubnet: string;
  readonly nodes: readonly string[];
  readonly type: 'centralized' | 'distributed';
  readonly source: SourceRef;
}

export const EXTERNAL_GW_CONFIG_NAMESPACE = 'kube-system';
export const EXTERNAL_GW_CONFIG_NAME = 'ovn-external-gw-config';

export type NatObject =
  | ExternalGatewayConfig
  | OvnEip
  | OvnFip
  | OvnSnatRule
  | OvnDnatRule
  | KubeOvnVpc
  | KubeOvnSubnet
  | KubeOvnIp
  | KubeOvnVip;

export type NatObjectKind = NatObject['kind'];

/** Annotation on an OvnFip asking for `options:stateless=true` (no conntrack for the FIP). */
export const STATELESS_ANNOTATION = 'ovn-nbgen.io/stateless';

/** Kube-OVN's external subnet when `OvnEip.spec.externalSubnet` is empty (`--external-gateway-switch`). */
export const DEFAULT_EXTERNAL_SUBNET = 'external';

/** Kube-OVN's cluster router, the VPC of subnets without `spec.vpc`. */
export const DEFAULT_VPC = 'ovn-cluster';

/** Node label Kube-OVN uses to pick the gateway chassis of a VPC's external gateway port. */
export const EXTERNAL_GW_NODE_LABEL = 'ovn.kubernetes.io/external-gw';
