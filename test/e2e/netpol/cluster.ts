// The cluster every NetworkPolicy scenario runs on, modelled on the upstream Kubernetes netpol
// e2e (test/e2e/network/netpol): namespaces x, y, z, each with pods a, b, c, every pod serving
// 80 and 81 over TCP, UDP and SCTP under the upstream port names (`serve-80-tcp`, ...).
//
// Additions for selector and named-port coverage (same in every namespace):
//   namespace labels  x: {ns: x, env: prod}   y: {ns: y, env: dev}   z: {ns: z}
//   pod labels        a: {pod: a, tier: front} b: {pod: b, tier: back} c: {pod: c}
//   named port `web`  TCP 80 on x/a, x/b, y/a, y/b; TCP 81 on the c pods and on every pod of z
//                     (one name, different numbers per pod and per namespace)
//
// Addresses: 10.16.<ns>.<pod> (x=1, y=2, z=3; a=10, b=11, c=12), and with `dualStack`
// fd00:10:16::<ns>:<pod> as well, inside the harness' default dual-stack subnet.

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const POD_NAMES = ['a', 'b', 'c'] as const;
export type NamespaceName = (typeof NAMESPACES)[number];
export type PodName = (typeof POD_NAMES)[number];

export interface ContainerPortSpec {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** A pod of the test cluster, as the expected verdicts talk about it. */
export interface ClusterPod {
  /** `namespace/name`, e.g. `x/a`. */
  readonly key: string;
  readonly namespace: NamespaceName;
  readonly name: PodName;
  readonly labels: Readonly<Record<string, string>>;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly ipv4: string;
  readonly ipv6: string | null;
  readonly ports: readonly ContainerPortSpec[];
}

export interface ClusterOptions {
  /** Give every pod an IPv6 address too (default: IPv4 only). */
  readonly dualStack?: boolean;
}

const NAMESPACE_LABELS: Record<NamespaceName, Record<string, string>> = {
  x: { ns: 'x', env: 'prod' },
  y: { ns: 'y', env: 'dev' },
  z: { ns: 'z' },
};

const POD_LABELS: Record<PodName, Record<string, string>> = {
  a: { pod: 'a', tier: 'front' },
  b: { pod: 'b', tier: 'back' },
  c: { pod: 'c' },
};

const nsIndex = (ns: NamespaceName): number => NAMESPACES.indexOf(ns) + 1;
const podIndex = (pod: PodName): number => POD_NAMES.indexOf(pod) + 10;

function containerPorts(namespace: NamespaceName, pod: PodName): ContainerPortSpec[] {
  const ports: ContainerPortSpec[] = [];
  for (const port of [80, 81]) {
    for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
      ports.push({ name: `serve-${port}-${protocol.toLowerCase()}`, containerPort: port, protocol });
    }
  }
  // The same name on a different number: named ports resolve per destination pod.
  ports.push({ name: 'web', containerPort: pod === 'c' || namespace === 'z' ? 81 : 80, protocol: 'TCP' });
  return ports;
}

/** The nine pods, in a fixed order (x/a, x/b, x/c, y/a, ...). */
export function clusterPods(options: ClusterOptions = {}): ClusterPod[] {
  return NAMESPACES.flatMap((namespace) =>
    POD_NAMES.map((name) => ({
      key: `${namespace}/${name}`,
      namespace,
      name,
      labels: POD_LABELS[name],
      namespaceLabels: { ...NAMESPACE_LABELS[namespace], 'kubernetes.io/metadata.name': namespace },
      ipv4: `10.16.${nsIndex(namespace)}.${podIndex(name)}`,
      ipv6: options.dualStack ? `fd00:10:16::${nsIndex(namespace)}:${podIndex(name)}` : null,
      ports: containerPorts(namespace, name),
    })),
  );
}

/** The Namespace and Pod manifests (pods carry status.podIPs as `kubectl get -o yaml` shows them). */
export function clusterObjects(options: ClusterOptions = {}): Record<string, unknown>[] {
  const namespaces = NAMESPACES.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: NAMESPACE_LABELS[name] },
  }));
  const pods = clusterPods(options).map((pod) => {
    const ips = [pod.ipv4, ...(pod.ipv6 ? [pod.ipv6] : [])];
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: pod.namespace, name: pod.name, labels: pod.labels },
      spec: {
        nodeName: 'node-1',
        containers: [{ name: 'server', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', ports: pod.ports }],
      },
      status: { podIP: pod.ipv4, podIPs: ips.map((ip) => ({ ip })) },
    };
  });
  return [...namespaces, ...pods];
}

/** The container port number a pod serves under `name` for `protocol`, or null. */
export function namedPortOf(pod: ClusterPod, name: string, protocol: 'TCP' | 'UDP' | 'SCTP'): number | null {
  return pod.ports.find((p) => p.name === name && p.protocol === protocol)?.containerPort ?? null;
}
