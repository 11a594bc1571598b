import type { AclDirection } from '../rows/index.js';

/**
 * The two directions of a NetworkPolicy as OVN sees them from the selected pods' logical ports.
 * Ingress: traffic delivered to a selected pod, judged `to-lport` on `outport`. Egress: traffic
 * a selected pod sends, judged `from-lport` on `inport`, after load balancing
 * (`options:apply-after-lb=true`) so that a Service VIP is judged as the backend pod it was
 * DNATed to: NetworkPolicy ports are pod (target) ports.
 */
export interface PolicyDirection {
  readonly name: 'ingress' | 'egress';
  readonly policyType: 'Ingress' | 'Egress';
  readonly acl: AclDirection;
  /** Logical port field of the selected pod. */
  readonly portField: 'outport' | 'inport';
  /** Address field of the peer: the source of ingress, the destination of egress. */
  readonly peerField: 'src' | 'dst';
  /** Short label in ACL names: `np:prod/web:in0`. */
  readonly label: 'in' | 'eg';
  readonly options: Readonly<Record<string, string>>;
}

export const INGRESS: PolicyDirection = Object.freeze({
  name: 'ingress',
  policyType: 'Ingress',
  acl: 'to-lport',
  portField: 'outport',
  peerField: 'src',
  label: 'in',
  options: Object.freeze({}),
});

export const EGRESS: PolicyDirection = Object.freeze({
  name: 'egress',
  policyType: 'Egress',
  acl: 'from-lport',
  portField: 'inport',
  peerField: 'dst',
  label: 'eg',
  options: Object.freeze({ 'apply-after-lb': 'true' }),
});
