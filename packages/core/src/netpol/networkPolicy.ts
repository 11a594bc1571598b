import type { CompileWarning, SourceRef } from '../errors.js';
import type { L4Protocol } from '../model/inventory.js';
import type { LabelSelector } from '../selectors/labelSelector.js';

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
  /**
   * Non-fatal findings of validation (e.g. a CIDR with host bits that was made canonical);
   * compile reports them as CompileWarnings.
   */
  readonly inputWarnings: readonly CompileWarning[];
}

export interface NetworkPolicyRule {
  /** Empty: all peers (an absent or empty `from`/`to`), including addresses outside the cluster. */
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
      /** Canonical CIDRs, each a strict subset of `cidr`. */
      readonly except: readonly string[];
    };

export interface NetworkPolicyPort {
  readonly protocol: L4Protocol;
  /** null: every port of the protocol; string: a named container port. */
  readonly port: number | string | null;
  /** Only with a numeric `port`; null: the single port. */
  readonly endPort: number | null;
}
