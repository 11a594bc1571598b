import { capabilitiesForOvnVersion } from '../../src/capabilities.js';
import { kubeOvnPortName, type CompileOptions } from '../../src/compile/options.js';
import { loadModel } from '../../src/manifests/load.js';
import type { Model } from '../../src/model/model.js';
import { compileClusterPolicies } from '../../src/tiers/compile.js';

/** Compile options for a target OVN version; everything else at its default. */
export function optionsFor(version: '23.03' | '25.03', extra: Partial<CompileOptions> = {}): CompileOptions {
  return {
    owner: 'nbgen',
    capabilities: capabilitiesForOvnVersion(version),
    portNameFor: kubeOvnPortName,
    alwaysAllowCidrs: [],
    logging: {},
    ...extra,
  };
}

export function modelOf(...yamlDocs: string[]): Model {
  return loadModel([{ name: 'test.yaml', text: yamlDocs.join('\n---\n') }]).model;
}

export function compileYaml(version: '23.03' | '25.03', ...yamlDocs: string[]) {
  return compileClusterPolicies(modelOf(...yamlDocs), optionsFor(version));
}

export function namespace(name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

export function pod(
  ns: string,
  name: string,
  ip: string,
  labels: Record<string, string> = {},
  ports: { name: string; containerPort: number; protocol?: string }[] = [],
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: ns, name, labels },
    spec: { containers: [{ ports }] },
    status: { podIPs: ip.split(',').map((i) => ({ ip: i })) },
  });
}

export function cnp(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec });
}

export function anp(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec });
}

export function banp(spec: Record<string, unknown>, name = 'default'): string {
  return JSON.stringify({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name }, spec });
}
