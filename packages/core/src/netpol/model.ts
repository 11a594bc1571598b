import type { SourceRef } from '../errors';
import type { L4Protocol } from '../model/inventory';
import type { LabelSelector } from '../selectors/labelSelector';

/** A NetworkPolicy after validation and API-server defaulting (policyTypes, port protocol). */
export interface NetworkPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  readonly policyTypes: readonly ('Ingress' | 'Egress')[];
  /** Rules of each direction; a direction listed in policyTypes with no rules denies all. */
  readonly ingress: readonly NetworkPolicyRule[];
  readonly egress: readonly NetworkPolicyRule[];
  readonly source: SourceRef;
}

export interface NetworkPolicyRule {
  /** Empty: all peers (an absent or empty `from`/`to`). */
  readonly peers: readonly NetworkPolicyPeer[];
  /** Empty: all ports and protocols. */
  readonly ports: readonly NetworkPolicyPort[];
}

export type NetworkPolicyPeer =
  | {
      readonly type: 'selector';
      /** null: the policy's own namespace. */
      readonly namespaceSelector: LabelSelector | null;
      /** null: every pod of the selected namespaces. */
      readonly podSelector: LabelSelector | null;
    }
  | {
      readonly type: 'ipBlock';
      /** Canonical CIDR text. */
      readonly cidr: string;
      readonly except: readonly string[];
    };

export interface NetworkPolicyPort {
  readonly protocol: L4Protocol;
  /** null: every port of the protocol; string: a named container port. */
  readonly port: number | string | null;
  readonly endPort: number | null;
}
