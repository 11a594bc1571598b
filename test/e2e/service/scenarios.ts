// The field report behind `examples/underlay-service` (kube-ovn issue #5043): pod `frontend`
// listens on 8000 behind ClusterIP Service 10.96.0.80:80 → targetPort 8000; pod `client` calls
// the Service. Kubernetes matches NetworkPolicy ports against the pod (target) port, after the
// Service has been translated (NetworkPolicy API reference: "port ... on the given protocol" of
// the selected pods; Services are resolved to endpoints before policy applies). So a policy that
// allows 8000 lets `client → VIP:80` through and one that allows only 80 does not, in both the
// egress (policy on client) and the ingress (policy on frontend) direction.
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { ManifestSource } from '@ovn-nbgen/core';
import type { Verdict } from '../../harness/trace.js';

const EXAMPLE_DIR = new URL('../../../examples/underlay-service/', import.meta.url);

export const SERVICE_VIP = '10.96.0.80';
export const SERVICE_PORT = 80;
export const TARGET_PORT = 8000;

/** What client opens, and where it should arrive. */
export interface ServiceProbe {
  readonly name: string;
  readonly to: { readonly vip: string } | { readonly pod: string };
  readonly port: number;
}

export const SERVICE_PROBES: readonly ServiceProbe[] = [
  { name: 'client → Service VIP:80', to: { vip: SERVICE_VIP }, port: SERVICE_PORT },
  { name: 'client → frontend pod:8000', to: { pod: 'shop/frontend' }, port: TARGET_PORT },
  { name: 'client → frontend pod:80', to: { pod: 'shop/frontend' }, port: SERVICE_PORT },
];

export interface ServiceScenario {
  readonly name: string;
  /** Policy manifests (files next to the example cluster, or objects written here). */
  readonly policies: readonly ManifestSource[];
  /** Kubernetes' verdict per probe name. */
  readonly expected: Readonly<Record<string, Verdict>>;
}

const exampleFile = (path: string): ManifestSource => ({
  name: `examples/underlay-service/${path}`,
  text: readFileSync(new URL(path, EXAMPLE_DIR), 'utf8'),
});

const manifest = (name: string, object: Record<string, unknown>): ManifestSource => ({ name, text: stringify(object) });

function frontendIngress(port: number): ManifestSource {
  return manifest(`frontend-ingress-${port}.yaml`, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace: 'shop', name: `frontend-ingress-${port}` },
    spec: {
      podSelector: { matchLabels: { app: 'frontend' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ protocol: 'TCP', port }] }],
    },
  });
}

/** The example cluster: namespace shop, pods frontend (10.16.0.10) and client (10.16.0.11), the Service. */
export const serviceCluster = (): ManifestSource => exampleFile('cluster.yaml');

// Service traffic is judged at the backend's port: VIP:80 counts as frontend:8000.
export const serviceScenarios: readonly ServiceScenario[] = [
  {
    name: 'without policies the client reaches the Service and the pod',
    policies: [],
    expected: { 'client → Service VIP:80': 'allow', 'client → frontend pod:8000': 'allow', 'client → frontend pod:80': 'allow' },
  },
  {
    name: 'egress policy on client allowing the target port 8000 lets client → VIP:80 through',
    policies: [exampleFile('client-egress.yaml')],
    expected: { 'client → Service VIP:80': 'allow', 'client → frontend pod:8000': 'allow', 'client → frontend pod:80': 'drop' },
  },
  {
    name: 'egress policy on client allowing only the Service port 80 does not let client → VIP:80 through',
    policies: [exampleFile('wrong/client-egress-port-80.yaml.example')],
    expected: { 'client → Service VIP:80': 'drop', 'client → frontend pod:8000': 'drop', 'client → frontend pod:80': 'allow' },
  },
  {
    name: 'ingress policy on frontend allowing 8000 from client lets client → VIP:80 through',
    policies: [frontendIngress(TARGET_PORT)],
    expected: { 'client → Service VIP:80': 'allow', 'client → frontend pod:8000': 'allow', 'client → frontend pod:80': 'drop' },
  },
  {
    name: 'ingress policy on frontend allowing only 80 from client does not let client → VIP:80 through',
    policies: [frontendIngress(SERVICE_PORT)],
    expected: { 'client → Service VIP:80': 'drop', 'client → frontend pod:8000': 'drop', 'client → frontend pod:80': 'allow' },
  },
];
