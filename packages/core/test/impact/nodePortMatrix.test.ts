import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion, compile, explainFlow, kubeOvnPortName, loadModel } from '../../src/index.js';
import { classMatrix, decidingRuleText, expandClassMatrix, formatMatrix } from '../../src/subpaths/explain.js';

const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('25.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} };
const example = join(import.meta.dirname, '../../../../examples/nodeport');
const read = (name: string) => readFileSync(join(example, name), 'utf8');

const compiled = (...texts: string[]) => {
  const { model } = loadModel(texts.map((text, i) => ({ name: `${i}.yaml`, text })));
  return { inventory: model, rows: compile(model, options).rows };
};

/** Every cell of the node-port table against `explainFlow` for the same pod and target (explain's own path, not judgeFlow). */
function expectCellsAsExplain(input: ReturnType<typeof compiled>): string[] {
  const m = classMatrix(input, [{ protocol: 'TCP', port: 8080 }], { portNameFor: kubeOvnPortName }, { nodePorts: true });
  const expanded = expandClassMatrix(m);
  const columns = m.nodePorts!.columns;
  const seen: string[] = [];
  expanded.pods.forEach((pod, i) => {
    columns.forEach((column, j) => {
      const e = explainFlow(input, { from: pod, to: column.to, port: column.port, protocol: column.protocol }, { portNameFor: kubeOvnPortName });
      expect(`${pod} -> ${column.target}: ${expanded.nodePorts!.cells[i]![j]}`).toBe(`${pod} -> ${column.target}: ${e.verdict}`);
      seen.push(`${pod} -> ${column.target}: ${e.verdict}`);
    });
  });
  // The rule a class row shows is explain's deciding rule for its first pod on that node.
  for (const row of m.nodePorts!.rows) {
    const pod = m.classes[row.classIndex]!.pods.find((p) => p.nodeName === row.node)!;
    row.cells.forEach((cell, j) => {
      const e = explainFlow(input, { from: `${pod.namespace}/${pod.name}`, to: columns[j]!.to, port: columns[j]!.port, protocol: columns[j]!.protocol }, { portNameFor: kubeOvnPortName });
      expect(cell.rule).toBe(decidingRuleText(e));
    });
  }
  return seen;
}

describe('nbgen matrix: NodePort and LoadBalancer columns (issue 15)', () => {
  it('judges every pod to node:NODE:nodePort and the load balancer as explain does, with both verdicts', () => {
    const input = compiled(read('cluster.yaml'), read('policies.yaml'));
    const m = expandClassMatrix(classMatrix(input, [{ protocol: 'TCP', port: 8080 }], { portNameFor: kubeOvnPortName }, { nodePorts: true }));
    expect(m.nodePorts!.targets).toEqual(['node:w1:30080', 'node:w1:30081', 'node:w1:30443', 'node:w2:30080', 'node:w2:30081', 'node:w2:30443', '203.0.113.10:443']);
    const seen = expectCellsAsExplain(input);
    // README: Local keeps the client's address, which web-from-clients allows; Cluster rewrites it.
    expect(seen).toContain('shop/client -> node:w1:30081: allow');
    expect(seen).toContain('shop/client -> node:w1:30080: deny');
    expect(formatMatrix(m)).toContain('node ports (NodePort and LoadBalancer Services): 2 of 21 allowed');
  });

  it('judges the pods of one class on each node apart: a Local load balancer is taken by kube-proxy on the client’s node', () => {
    // web-1 gone: only w1 has an endpoint of web-lb (Local). client and client-2 are one class
    // (same labels, both in 10.16.0.20/31) on w1 and w2: from w2 there is no local endpoint.
    const cluster = read('cluster.yaml')
      .split('\n---\n')
      .filter((doc) => !doc.includes('name: web-1,'))
      .concat(['apiVersion: v1\nkind: Pod\nmetadata: {name: client-2, namespace: shop, labels: {app: client}}\nspec: {nodeName: w2}\nstatus: {podIP: 10.16.0.21}'])
      .join('\n---\n');
    const policies = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-clients, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{ipBlock: {cidr: 10.16.0.20/31}}], ports: [{port: 8080}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-to-lb, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 203.0.113.10/32}}], ports: [{port: 443}]}]
`;
    const input = compiled(cluster, policies);
    const m = classMatrix(input, [{ protocol: 'TCP', port: 8080 }], { portNameFor: kubeOvnPortName }, { nodePorts: true });
    const client = m.classes.findIndex((c) => c.pods.some((p) => p.name === 'client'));
    expect(m.classes[client]!.pods.map((p) => p.name).sort()).toEqual(['client', 'client-2']);
    const seen = expectCellsAsExplain(input);
    expect(seen).toContain('shop/client -> 203.0.113.10:443: allow');
    expect(seen).toContain('shop/client-2 -> 203.0.113.10:443: deny');
  });

  it('adds nothing unless asked, or without NodePort or LoadBalancer Services', () => {
    const probes = [{ protocol: 'TCP' as const, port: 8080 }];
    const cluster = read('cluster.yaml').split('\n---\n').filter((doc) => !doc.includes('kind: Service')).join('\n---\n');
    const none = classMatrix(compiled(cluster, read('policies.yaml')), probes, { portNameFor: kubeOvnPortName }, { nodePorts: true });
    const notAsked = classMatrix(compiled(read('cluster.yaml'), read('policies.yaml')), probes, { portNameFor: kubeOvnPortName });
    for (const m of [none, notAsked]) {
      expect('nodePorts' in m).toBe(false);
      expect('nodePorts' in expandClassMatrix(m)).toBe(false);
    }
  });
});
