import { describe, expect, it } from 'vitest';
import {
  capabilitiesForOvnVersion,
  compile,
  explainFlow,
  formatExplanation,
  kubeOvnPortName,
  loadModel,
  type CompileOptions,
} from '../../src/index.js';

// Issue kubeovn/kube-ovn#5043 in miniature: web listens on 8000 behind Service port 80; the client's
// egress policy names port 80. Expected from Kubernetes semantics: NetworkPolicy ports are pod
// ports, so TCP 80 allows nothing towards web (the VIP traffic arrives at web on 8000).
const inventory = `
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: prod, labels: {app: web}}
spec: {containers: [{ports: [{name: http, containerPort: 8000}]}]}
status: {podIP: 10.16.0.5}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: prod, labels: {app: client}}
status: {podIP: 10.16.0.9}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: prod}
spec: {clusterIP: 10.96.0.10, selector: {app: web}, ports: [{port: 80, targetPort: http}]}
`;
const egressTo = (port: number) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-egress, namespace: prod}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{protocol: TCP, port: ${port}}]
`;

const options: CompileOptions = {
  owner: 'nbgen',
  capabilities: capabilitiesForOvnVersion('23.03'),
  portNameFor: kubeOvnPortName,
  alwaysAllowCidrs: [],
  logging: {},
};

function explain(policy: string, to: string, port: number) {
  const { model } = loadModel([
    { name: 'inventory.yaml', text: inventory },
    { name: 'policy.yaml', text: policy },
  ]);
  const { rows } = compile(model, options);
  return explainFlow({ inventory: model, rows }, { from: 'prod/client', to, port, protocol: 'TCP' }, { portNameFor: kubeOvnPortName });
}

describe('explain: the Service port field report', () => {
  it('a policy naming the Service port 80 denies the VIP: judged after DNAT on target port 8000', () => {
    const e = explain(egressTo(80), 'svc:prod/web:80', 80);
    expect(e.verdict).toBe('deny');
    expect(e.service).toEqual({ namespace: 'prod', name: 'web', vip: '10.96.0.10', port: 80 });
    expect(e.paths).toHaveLength(1);
    const path = e.paths[0]!;
    expect(path.destination).toMatchObject({ label: 'prod/web-0', ip: '10.16.0.5', port: 8000 });
    expect(path.stages.map((s) => [s.hop, s.stage, s.verdict])).toEqual([
      [1, 'from-lport', 'allow'],
      [1, 'from-lport-after-lb', 'deny'],
    ]);
    expect(path.decidingRows.map((d) => [d.stage, d.row.action, d.origin?.kind, d.origin?.namespace, d.origin?.name])).toEqual([
      ['from-lport-after-lb', 'drop', 'NetworkPolicy', 'prod', 'client-egress'],
    ]);
    expect(e.hints.join('\n')).toContain('a rule names port 80, the Service port');
    const text = formatExplanation(e);
    expect(text).toContain('DENY  prod/client -> svc:prod/web:80');
    expect(text).toContain('tcp.dst == 80 (packet: 8000)');
  });

  it('the same policy naming the target port 8000 allows the VIP and the pod', () => {
    const viaVip = explain(egressTo(8000), 'svc:prod/web:80', 80);
    expect(viaVip.verdict).toBe('allow');
    expect(viaVip.paths[0]!.decidingRows.map((d) => [d.stage, d.row.action, d.origin?.name])).toEqual([
      ['from-lport-after-lb', 'allow-related', 'client-egress'],
    ]);
    expect(explain(egressTo(8000), 'prod/web-0', 8000).verdict).toBe('allow');
    expect(explain(egressTo(80), 'prod/web-0', 80).verdict).toBe('allow');
    expect(explain(egressTo(8000), '10.16.0.5', 80).verdict).toBe('deny');
  });
});
