import type { SourceRef } from '../errors.js';
import type { Labels } from '../selectors/labelSelector.js';

/** Label every Namespace carries (set by the API server); we add it to given ones too. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export type L4Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
  readonly source: SourceRef | null;
}

export interface ContainerPort {
  readonly name: string | null;
  readonly port: number;
  readonly protocol: L4Protocol;
}

export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly nodeName: string | null;
  readonly hostNetwork: boolean;
  /** Canonical IPs from status.podIPs (or status.podIP); empty when not yet assigned. */
  readonly ips: readonly string[];
  readonly containerPorts: readonly ContainerPort[];
  readonly source: SourceRef;
}

export interface ServicePort {
  readonly name: string | null;
  readonly protocol: L4Protocol;
  readonly port: number;
  /** A number, or the name of a container port (resolved per endpoint pod). */
  readonly targetPort: number | string;
  readonly nodePort: number | null;
}

export interface Service {
  readonly namespace: string;
  readonly name: string;
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  readonly clusterIPs: readonly string[];
  /** null: a Service without selector (endpoints managed by hand). */
  readonly selector: Labels | null;
  readonly ports: readonly ServicePort[];
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  readonly source: SourceRef;
}

export interface NodeAddress {
  readonly type: string;
  readonly address: string;
}

export interface Node {
  readonly name: string;
  readonly labels: Labels;
  readonly addresses: readonly NodeAddress[];
  readonly source: SourceRef;
}

/** The cluster objects policies select: what `kubectl get ns,pods,svc,nodes -o yaml` gives. */
export interface Inventory {
  readonly namespaces: readonly Namespace[];
  readonly pods: readonly Pod[];
  readonly services: readonly Service[];
  readonly nodes: readonly Node[];
}

/** Labels of a namespace; a namespace not given carries only its name label. */
export function namespaceLabels(inventory: Inventory, name: string): Labels {
  const ns = inventory.namespaces.find((n) => n.name === name);
  return ns ? ns.labels : { [NAMESPACE_NAME_LABEL]: name };
}

/** Pods that can take part in OVN ACLs: they have a logical switch port and an address. */
export function isOvnPod(pod: Pod): boolean {
  return !pod.hostNetwork && pod.ips.length > 0;
}
