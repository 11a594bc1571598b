/**
 * NetworkPolicy inventories of the side-by-side bench (issue 17): N namespaces, P pods spread
 * evenly over them in apps of 10 replicas, Q policies round-robin over the namespaces. Each policy
 * isolates one app and lets another app of its namespace in on TCP 8080, so it compiles to a port
 * group, its ACLs and the peer's address set: the shape of most policies in a real cluster.
 * Deterministic (no randomness): the same size gives the same manifests, so every run and every
 * writer sees the same rows.
 */
export interface InventorySize {
  readonly namespaces: number;
  readonly pods: number;
  readonly policies: number;
}

const REPLICAS = 10;

/** The inventory as one `kind: List` JSON document (what `kubectl get -o json` prints). */
export function networkPolicyInventory(size: InventorySize): string {
  const items: object[] = [];
  const podsPerNamespace = Math.ceil(size.pods / size.namespaces);
  const appsPerNamespace = Math.max(1, Math.ceil(podsPerNamespace / REPLICAS));
  for (let n = 0; n < size.namespaces; n++) {
    items.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}`, labels: { team: `team-${n % 8}` } } });
  }
  for (let p = 0; p < size.pods; p++) {
    const n = p % size.namespaces;
    const inNamespace = Math.floor(p / size.namespaces);
    const app = `app-${Math.floor(inNamespace / REPLICAS) % appsPerNamespace}`;
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${app}-${inNamespace % REPLICAS}-${p}`, namespace: `ns-${n}`, labels: { app } },
      spec: { nodeName: 'node-1', containers: [{ name: 'main', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
      status: { podIP: `10.${64 + (p >> 16)}.${(p >> 8) & 255}.${p & 255}`, podIPs: [{ ip: `10.${64 + (p >> 16)}.${(p >> 8) & 255}.${p & 255}` }] },
    });
  }
  for (let q = 0; q < size.policies; q++) {
    const n = q % size.namespaces;
    const target = Math.floor(q / size.namespaces) % appsPerNamespace;
    const peer = (target + 1) % appsPerNamespace;
    items.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `policy-${q}`, namespace: `ns-${n}` },
      spec: {
        podSelector: { matchLabels: { app: `app-${target}` } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: `app-${peer}` } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      },
    });
  }
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items })}\n`;
}

/** The logical switch port of every pod, as Kube-OVN names them ({pod}.{namespace}). */
export function podPortNames(size: InventorySize): string[] {
  const podsPerNamespace = Math.ceil(size.pods / size.namespaces);
  const appsPerNamespace = Math.max(1, Math.ceil(podsPerNamespace / REPLICAS));
  return Array.from({ length: size.pods }, (_, p) => {
    const inNamespace = Math.floor(p / size.namespaces);
    const app = `app-${Math.floor(inNamespace / REPLICAS) % appsPerNamespace}`;
    return `${app}-${inNamespace % REPLICAS}-${p}.ns-${p % size.namespaces}`;
  });
}
