import { describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion, compile, kubeOvnPortName, lintModel, loadModel } from '../../src/index.js';

const cluster = ['x', 'y', 'z']
  .map(
    (ns, i) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}, labels: {ns: ${ns}}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ${ns}, labels: {pod: a}}
spec: {containers: [{ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.16.${i}.10}
---`,
  )
  .join('\n');

const np = (name: string, fromNamespaces: string[], ports = '') => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [${fromNamespaces.map((n) => `{namespaceSelector: {matchLabels: {ns: ${n}}}}`).join(', ')}]${ports}}]
---`;

const adminCnp = (ingress: string) => `
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: guard-x}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {ns: x}}}
  ingress: ${ingress}
`;

function nbg012(text: string, version: string): string[] {
  const { model } = loadModel([{ name: 'f.yaml', text }]);
  const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion(version), portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} };
  const { rows } = compile(model, options);
  return lintModel(model, { rows, portNameFor: kubeOvnPortName })
    .filter((f) => f.id === 'NBG016')
    .map((f) => `${f.object} ${f.path}: ${f.message}`);
}

describe('NBG016 admin-deny-overrides-rule', () => {
  for (const version of ['23.03', '25.03']) {
    it(`reports a NetworkPolicy rule an Admin Deny overrides for every peer it allows, and only that one (OVN ${version})`, () => {
      const text = `${cluster}${np('from-y', ['y'])}${np('from-y-http', ['y'], ', ports: [{port: http}]')}${np('from-y-and-z', ['y', 'z'])}${adminCnp('[{action: Deny, from: [{namespaces: {matchLabels: {ns: y}}}]}]')}`;
      expect(nbg012(text, version)).toEqual([
        'NetworkPolicy x/from-y spec.ingress[0]: every peer pod and port this rule allows is dropped first by ClusterNetworkPolicy guard-x in the Admin tier, which decides before any NetworkPolicy: the rule never takes effect.',
        'NetworkPolicy x/from-y-http spec.ingress[0]: every peer pod and port this rule allows is dropped first by ClusterNetworkPolicy guard-x in the Admin tier, which decides before any NetworkPolicy: the rule never takes effect.',
      ]);
    });

    it(`is silent when a Pass above the Deny hands that traffic to NetworkPolicy, or the Deny covers only some ports (OVN ${version})`, () => {
      const pass = adminCnp('[{action: Pass, from: [{namespaces: {matchLabels: {ns: y}}}]}, {action: Deny, from: [{namespaces: {}}]}]');
      expect(nbg012(`${cluster}${np('from-y', ['y'])}${pass}`, version)).toEqual([]);
      const somePorts = adminCnp('[{action: Deny, from: [{namespaces: {matchLabels: {ns: y}}}], protocols: [{tcp: {destinationPort: {number: 80}}}]}]');
      expect(nbg012(`${cluster}${np('from-y', ['y'])}${somePorts}`, version)).toEqual([]);
    });
  }
});
