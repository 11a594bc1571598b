import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintModel, loadModel } from '../../src/index.js';

const example = join(import.meta.dirname, '../../../../examples/nodeport');
const cluster = readFileSync(join(example, 'cluster.yaml'), 'utf8');

const lint13 = (policies: string) =>
  lintModel(loadModel([{ name: 'cluster.yaml', text: cluster }, { name: 'p.yaml', text: policies }]).model)
    .filter((f) => f.id === 'NBG017')
    .map((f) => `${f.object} ${f.path}`);

const clientEgress = (to: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress: [{to: [${to}], ports: [{port: 8080}]}]
`;

// test/e2e/nodes/nodePort.ovn.test.ts (podSelector rules) traces the drop this warns about.
describe('NBG017 egress-podselector-to-nodeport', () => {
  it('warns on a podSelector egress rule to pods behind a NodePort Service when nothing allows the nodes', () => {
    expect(lint13(clientEgress('{podSelector: {matchLabels: {app: web}}}'))).toEqual(['NetworkPolicy shop/client-egress spec.egress[0].to[0]']);
  });

  it('is silent when the policy allows the node addresses, or the peers are behind no NodePort', () => {
    expect(lint13(clientEgress('{podSelector: {matchLabels: {app: web}}}, {ipBlock: {cidr: 172.18.0.0/24}}'))).toEqual([]);
    expect(lint13(clientEgress('{podSelector: {matchLabels: {app: client}}}'))).toEqual([]);
    expect(lint13(readFileSync(join(example, 'policies.yaml'), 'utf8'))).toEqual([]);
  });
});
