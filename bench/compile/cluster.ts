/**
 * Seeded synthetic clusters for the compile benchmark: namespaces of a few hundred pods, apps of
 * a handful of replicas, some dual-stack pods, named container ports that differ between apps,
 * and policies mixing the rule shapes seen in real clusters (same-namespace pod selectors,
 * namespace selectors, ipBlocks with except, named ports, DNS egress, default deny).
 * Output is manifest text, so the baseline (load + validate) reads exactly what compile gets.
 */
import { capabilitiesForOvnVersion, withCompileDefaults, type CompileOptions } from '@ovn-nbgen/core';

export interface ClusterSize {
  readonly policies: number;
  readonly pods: number;
  /** Default 500 (bench/impact asks for 20: 2,000 pods in 100 namespaces). */
  readonly podsPerNamespace?: number;
}

/** mulberry32: small, fast, seeded; enough for reproducible test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PODS_PER_NAMESPACE = 500;
const REPLICAS = 5;
const TEAMS = ['payments', 'search', 'identity', 'media', 'platform', 'data', 'growth', 'infra'];
const TIERS = ['frontend', 'backend', 'db', 'cache'];

export interface GeneratedCluster {
  readonly text: string;
  readonly namespaces: number;
  readonly documents: number;
}

export function generateCluster(size: ClusterSize, seed: number): GeneratedCluster {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const perNamespace = size.podsPerNamespace ?? PODS_PER_NAMESPACE;
  const namespaceCount = Math.max(2, Math.ceil(size.pods / perNamespace));
  const namespaces = Array.from({ length: namespaceCount }, (_, i) => `ns-${i}`);
  const docs: object[] = [];

  for (const ns of namespaces) {
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: pick(TEAMS), env: random() < 0.7 ? 'prod' : 'dev' } } });
  }
  docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', labels: {} } });
  for (let i = 0; i < 2; i++) {
    docs.push(pod('kube-system', `coredns-${i}`, { 'k8s-app': 'kube-dns' }, `10.96.0.${10 + i}`, null, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }]));
  }

  // Apps per namespace; each app's pods share labels and port names. Some apps call their
  // `http` port 8080, others 80: named ports then resolve differently per destination pod.
  const appsPerNamespace = Math.ceil(perNamespace / REPLICAS);
  let podIndex = 0;
  outer: for (const [n, ns] of namespaces.entries()) {
    for (let a = 0; a < appsPerNamespace; a++) {
      const app = `app-${a}`;
      const tier = TIERS[a % TIERS.length]!;
      const httpPort = a % 3 === 0 ? 80 : 8080;
      const dualStack = a % 5 === 0;
      for (let r = 0; r < REPLICAS; r++) {
        if (podIndex >= size.pods) break outer;
        const ip4 = `10.${64 + Math.floor(podIndex / 65536)}.${Math.floor(podIndex / 256) % 256}.${podIndex % 256}`;
        const ip6 = dualStack ? `fd00:10:${n.toString(16)}::${(podIndex % 65536).toString(16)}` : null;
        docs.push(
          pod(ns, `${app}-${r}`, { app, tier, version: r % 2 === 0 ? 'v1' : 'v2' }, ip4, ip6, [
            { name: 'http', containerPort: httpPort, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
          ]),
        );
        podIndex++;
      }
    }
  }

  for (let p = 0; p < size.policies; p++) {
    const ns = namespaces[p % namespaces.length]!;
    const app = `app-${Math.floor(random() * appsPerNamespace)}`;
    docs.push(policy(ns, `policy-${p}`, app, random, pick, appsPerNamespace));
  }
  const text = docs.map((d) => JSON.stringify(d)).join('\n---\n');
  return { text, namespaces: namespaceCount + 1, documents: docs.length };
}

function pod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ip4: string,
  ip6: string | null,
  ports: { name: string; containerPort: number; protocol: string }[],
): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName: 'node-1', containers: [{ name: 'main', ports }] },
    status: { podIP: ip4, podIPs: ip6 ? [{ ip: ip4 }, { ip: ip6 }] : [{ ip: ip4 }] },
  };
}

function policy(
  namespace: string,
  name: string,
  app: string,
  random: () => number,
  pick: <T>(items: readonly T[]) => T,
  apps: number,
): object {
  const shape = random();
  const spec: Record<string, unknown> = { podSelector: { matchLabels: { app } } };
  if (shape < 0.1) {
    // Default deny for the namespace.
    return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
  }
  const ingress: object[] = [];
  const otherApp = `app-${Math.floor(random() * apps)}`;
  ingress.push({ from: [{ podSelector: { matchLabels: { app: otherApp } } }], ports: [{ port: 'http' }] });
  if (shape < 0.4) {
    ingress.push({
      from: [{ namespaceSelector: { matchLabels: { team: pick(TEAMS) } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'backend'] }] } }],
      ports: [{ port: 8080 }, { port: 9000, endPort: 9100 }],
    });
  } else if (shape < 0.55) {
    ingress.push({ from: [{ ipBlock: { cidr: '172.16.0.0/12', except: ['172.16.5.0/24'] } }, { ipBlock: { cidr: 'fd00:beef::/32' } }] });
  } else if (shape < 0.7) {
    ingress.push({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }, { namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: 'metrics' }] });
  }
  spec.ingress = ingress;
  if (shape > 0.6) {
    spec.egress = [
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] },
      { to: [{ podSelector: { matchLabels: { app: otherApp } } }], ports: [{ port: 'http' }] },
      ...(shape > 0.9 ? [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }], ports: [{ port: 443 }] }] : []),
    ];
  }
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** What the compile, session and impact benches compile this cluster with: OVN 23.03, Kube-OVN port names, the join subnet always allowed. */
export const BENCH_COMPILE_OPTIONS: CompileOptions = withCompileDefaults({
  owner: 'nbgen',
  capabilities: capabilitiesForOvnVersion('23.03'),
  alwaysAllowCidrs: ['100.64.0.0/16'],
});
