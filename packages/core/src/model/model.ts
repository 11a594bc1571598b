import type { SourceRef } from '../errors.js';
import type { NatObject } from '../nat/kubeOvnObjects.js';
import type { NetworkPolicy } from '../netpol/networkPolicy.js';
import type { TieredPolicy } from '../tiers/tieredPolicy.js';
import type { Inventory } from './inventory.js';

/**
 * The validated model: every object of every kind we understand, defaults applied. The compile
 * step reads only this (never raw manifests).
 */
export interface Model extends Inventory {
  readonly networkPolicies: readonly NetworkPolicy[];
  /** Kube-OVN OVN-NAT objects (OvnEip, OvnFip, OvnSnatRule, OvnDnatRule) and the Vpc, Subnet, IP, Vip they refer to. */
  readonly nat: readonly NatObject[];
  /** ClusterNetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy, normalized (tiers/tieredPolicy.ts). */
  readonly clusterPolicies: readonly TieredPolicy[];
}

/** An object of a kind we do not compile (reported with --verbose). */
export interface IgnoredObject {
  readonly source: SourceRef;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** Mutable collector used while loading; frozen into a Model at the end (all the way down, by loadModel). */
export type ModelBuilder = { -readonly [K in keyof Model]: Model[K][number][] };

export function emptyModelBuilder(): ModelBuilder {
  return { namespaces: [], pods: [], services: [], nodes: [], networkPolicies: [], nat: [], clusterPolicies: [] };
}
