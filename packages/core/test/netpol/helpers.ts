import {
  capabilitiesForOvnVersion,
  kubeOvnPortName,
  loadModel,
  type AclRow,
  type CompileOptions,
  type NbRows,
} from '../../src/index.js';
import { compileNetworkPolicies } from '../../src/subpaths/model.js';

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

/**
 * ACL lines with every shared address set written as its identity, `$[ns=prod pods={app=web} ip4]`,
 * so a test reads what a rule allows; set names themselves are pinned by the naming tests.
 */
export function readableAclLines(rows: NbRows): string[] {
  const identities = new Map(rows.addressSets.map((s) => [s.name, s.externalIds['nbgen/rule']!]));
  return aclLines(rows).map((line) =>
    line.replace(/\$([A-Za-z0-9_.]+)/g, (_, name: string) => `$[${identities.get(name) ?? `unknown ${name}`}]`),
  );
}

/** Address sets as `[identity]: addresses`. */
export function readableSetLines(rows: NbRows): string[] {
  return rows.addressSets.map((s) => `[${s.externalIds['nbgen/rule']}]: ${s.addresses.join(' ')}`).sort();
}
