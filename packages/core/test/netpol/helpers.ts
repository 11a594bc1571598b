import {
  capabilitiesForOvnVersion,
  compileNetworkPolicies,
  kubeOvnPortName,
  loadModel,
  type AclRow,
  type CompileOptions,
  type NbRows,
} from '../../src/index';

/** Options as the CLI would pass them for OVN 23.03 (no tiers), overridable per test. */
export function testOptions(overrides: Partial<CompileOptions> = {}): CompileOptions {
  return {
    owner: 'nbgen',
    capabilities: capabilitiesForOvnVersion('23.03'),
    portNameFor: kubeOvnPortName,
    alwaysAllowCidrs: [],
    logging: {},
    ...overrides,
  };
}

/** Loads manifests (one file, `---`-separated) and compiles only NetworkPolicies. */
export function compileYaml(text: string, overrides: Partial<CompileOptions> = {}) {
  const { model } = loadModel([{ name: 'test.yaml', text }]);
  return compileNetworkPolicies(model, testOptions(overrides));
}

/** Every ACL as `direction priority action match`, in canonical row order. */
export function aclLines(rows: NbRows): string[] {
  return rows.acls.map((a: AclRow) => `${a.direction} ${a.priority} ${a.action} ${a.match}`);
}

/** Address sets as `name: a b c`. */
export function setLines(rows: NbRows): string[] {
  return rows.addressSets.map((s) => `${s.name}: ${s.addresses.join(' ')}`);
}

/** YAML for a pod; `ips` go to status.podIPs. */
export function pod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ips: string[],
  extra: { ports?: { name?: string; containerPort: number; protocol?: string }[]; hostNetwork?: boolean } = {},
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { hostNetwork: extra.hostNetwork ?? false, containers: [{ name: 'c', ports: extra.ports ?? [] }] },
    status: { podIPs: ips.map((ip) => ({ ip })) },
  });
}

export function namespace(name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

export function policy(namespace: string, name: string, spec: object): string {
  return JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec });
}

export const docs = (...items: string[]): string => items.join('\n---\n');
