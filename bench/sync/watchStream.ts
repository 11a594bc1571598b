/**
 * The pipe bench's input: the compile benchmark's cluster as Kubernetes manifests (pods spread
 * over join-addressed Nodes), and a deterministic mix of watch events on it in kubectl's format
 * (`kubectl get ... --watch --output-watch-events -o json`: one pretty-printed
 * `{"type": ..., "object": {...}}` after another). The same mix as bench/sync/run.ts feeds the
 * library: 25 % pod adds, 25 % deletes, 25 % label changes, 13 % IP changes, 11 % NetworkPolicy
 * edits, 1 % namespace relabels; as many pods go as come.
 *
 * A marker NetworkPolicy in its own namespace lets an NB observer see how far the stream has
 * been committed: marker `n` allows ingress from `10.255.x.y/32` (x.y encode n), so the ACL of
 * `markerNumberOf` holds the number of the last marker committed.
 */
import { generateCluster, type ClusterSize } from '../compile/cluster.js';
import { nodeName } from '../compile/nodes.js';

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string }; [field: string]: unknown };
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: Manifest;
}

/** Kube-OVN's annotation on a Node with its join address (core/model/inventory.ts reads it). */
const NODE_JOIN_IP_ANNOTATION = 'ovn.kubernetes.io/ip_address';

export const MARKER_NAMESPACE = 'nbgen-bench-marker';
const MARKER_CIDR = /ip4\.src == 10\.255\.(\d+)\.(\d+)\/32/;

/** kubectl's -o json layout: four-space indent, one object after another. */
export const kubectlJson = (value: unknown): string => `${JSON.stringify(value, null, 4)}\n`;

/** Name of the n-th pod the stream adds (its switch port must exist before it runs). */
export const addedPodName = (n: number): string => `churn-${n}`;

/** The marker number an ACL match of the marker policy carries, or undefined. */
export function markerNumberOf(match: string): number | undefined {
  const found = MARKER_CIDR.exec(match);
  return found ? Number(found[1]) * 256 + Number(found[2]) : undefined;
}

export class WatchCluster {
  readonly namespaces: Manifest[] = [];
  readonly nodes: Manifest[] = [];
  readonly policies: Manifest[] = [];
  /** The pods that exist now (order: the cluster's, added pods appended). */
  readonly pods: Manifest[] = [];
  private added = 0;
  private resourceVersion = 1000;

  /** `maxAdds`: how many pods the stream may add (their ports are created up front). */
  constructor(
    size: ClusterSize,
    seed: number,
    readonly nodeCount: number,
    readonly maxAdds: number,
  ) {
    const docs = generateCluster(size, seed).text.split('\n---\n').map((d) => JSON.parse(d) as Manifest);
    for (const doc of docs) {
      if (doc.kind === 'Namespace') this.namespaces.push(doc);
      else if (doc.kind === 'NetworkPolicy') this.policies.push(doc);
      else if (doc.kind === 'Pod') {
        (doc.spec as { nodeName: string }).nodeName = nodeName(this.pods.length % nodeCount);
        this.pods.push(doc);
      }
    }
    for (let i = 0; i < nodeCount; i++) {
      this.nodes.push({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: nodeName(i), labels: {}, annotations: { [NODE_JOIN_IP_ANNOTATION]: `100.64.${Math.floor(i / 250)}.${(i % 250) + 2}` } },
        status: { addresses: [{ type: 'InternalIP', address: `192.168.${Math.floor(i / 250)}.${(i % 250) + 1}` }] },
      });
    }
    this.namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: MARKER_NAMESPACE, labels: {} } });
    this.policies.push(this.marker(0));
  }

  /** The namespaces churned pods are added to (the generated ones, not kube-system or the marker's). */
  private get workloadNamespaces(): string[] {
    return this.namespaces.map((n) => n.metadata.name).filter((n) => n.startsWith('ns-'));
  }

  /** `namespace/name` of every pod the stream may add: they get switch ports before the stream starts. */
  addedPodKeys(): { namespace: string; name: string }[] {
    return Array.from({ length: this.maxAdds }, (_, n) => this.addedPodKey(n));
  }

  /** The n-th added pod goes to the n-th workload namespace, round robin. */
  private addedPodKey(n: number): { namespace: string; name: string } {
    const namespaces = (this.addNamespaces ??= this.workloadNamespaces);
    return { namespace: namespaces[n % namespaces.length]!, name: addedPodName(n) };
  }

  private addNamespaces: string[] | undefined;

  /** What `kubectl get ns,nodes,pods,networkpolicies -A -o json` prints now: one List. */
  list(): { apiVersion: 'v1'; kind: 'List'; items: Manifest[] } {
    return { apiVersion: 'v1', kind: 'List', items: [...this.namespaces, ...this.nodes, ...this.pods, ...this.policies] };
  }

  /** Marker `n`: the marker policy allowing ingress from 10.255.x.y/32. */
  marker(n: number): Manifest {
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'marker', namespace: MARKER_NAMESPACE, resourceVersion: String(this.resourceVersion++) },
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: `10.255.${Math.floor(n / 256) % 256}.${n % 256}/32` } }] }] },
    };
  }

  markerEvent(n: number): WatchEvent {
    const marker = this.marker(n);
    this.policies[this.policies.length - 1] = marker;
    return { type: 'MODIFIED', object: marker };
  }

  /** Event `i` of the mix (deterministic in `i` and the events before it). */
  next(i: number): WatchEvent {
    const roll = (i * 7919) % 100;
    const at = (length: number, salt: number): number => (i * 104729 + salt) % length;
    if (roll < 25 && this.added < this.maxAdds) {
      const n = this.added++;
      const base = this.pods[at(this.pods.length, 1)]!;
      const { namespace, name } = this.addedPodKey(n);
      const pod = this.versioned({
        ...base,
        metadata: { ...base.metadata, namespace, name },
        spec: { ...(base.spec as object), nodeName: nodeName(n % this.nodeCount) },
        status: { podIP: `10.200.${Math.floor(n / 256) % 256}.${n % 256}`, podIPs: [{ ip: `10.200.${Math.floor(n / 256) % 256}.${n % 256}` }] },
      });
      this.pods.push(pod);
      return { type: 'ADDED', object: pod };
    }
    if (roll < 50) {
      const index = at(this.pods.length, 2);
      const [pod] = this.pods.splice(index, 1);
      return { type: 'DELETED', object: this.versioned(pod!) };
    }
    if (roll < 75) {
      const index = at(this.pods.length, 3);
      const base = this.pods[index]!;
      const pod = this.versioned({ ...base, metadata: { ...base.metadata, labels: { ...base.metadata.labels, app: `app-${(i * 13) % 100}` } } });
      this.pods[index] = pod;
      return { type: 'MODIFIED', object: pod };
    }
    if (roll < 88) {
      const index = at(this.pods.length, 4);
      const base = this.pods[index]!;
      const ip = `10.201.${Math.floor(i / 256) % 256}.${i % 256}`;
      const pod = this.versioned({ ...base, status: { podIP: ip, podIPs: [{ ip }] } });
      this.pods[index] = pod;
      return { type: 'MODIFIED', object: pod };
    }
    if (roll < 99) {
      // The marker policy (last) is not edited by the mix.
      const index = at(this.policies.length - 1, 5);
      const base = this.policies[index]!;
      const policy = this.versioned({ ...base, spec: { ...(base.spec as object), podSelector: { matchLabels: { app: `app-${(i * 17) % 100}` } } } });
      this.policies[index] = policy;
      return { type: 'MODIFIED', object: policy };
    }
    const candidates = this.namespaces.filter((n) => n.metadata.name.startsWith('ns-'));
    const base = candidates[at(candidates.length, 6)]!;
    const labels = base.metadata.labels ?? {};
    const namespace = this.versioned({ ...base, metadata: { ...base.metadata, labels: { ...labels, team: labels.team === 'payments' ? 'search' : 'payments' } } });
    this.namespaces[this.namespaces.indexOf(base)] = namespace;
    return { type: 'MODIFIED', object: namespace };
  }

  /** A copy with the next resourceVersion, as the API server stamps every change. */
  private versioned(object: Manifest): Manifest {
    return { ...object, metadata: { ...object.metadata, resourceVersion: String(this.resourceVersion++) } };
  }
}
