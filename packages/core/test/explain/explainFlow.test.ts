import { describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion, compile, explainFlow, FlowQueryError, kubeOvnPortName, loadModel, type FlowQuery } from '../../src/index.js';

const base = `
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: shop, labels: {app: web}}
spec: {containers: [{ports: [{name: http, containerPort: 8000}]}]}
status: {podIPs: [{ip: 10.16.0.10}, {ip: "fd00::10"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
spec: {containers: [{ports: [{name: http, containerPort: 8001}]}]}
status: {podIP: 10.16.0.11}
---
apiVersion: v1
kind: Pod
metadata: {name: web-2, namespace: shop, labels: {app: web}}
status: {podIP: 10.16.0.12}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
status: {podIPs: [{ip: 10.16.0.20}, {ip: "fd00::20"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: NodePort, clusterIP: 10.96.0.80, selector: {app: web}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: shop}
spec: {clusterIP: 10.96.0.81, selector: {app: nothing}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: client}}}, {ipBlock: {cidr: 203.0.113.0/24}}]
    ports: [{port: http}]
`;

function explain(query: Partial<FlowQuery> & Pick<FlowQuery, 'from' | 'to'>) {
  const { model } = loadModel([{ name: 'flow.yaml', text: base }]);
  const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('25.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} };
  const { rows } = compile(model, options);
  return explainFlow({ inventory: model, rows }, { port: 8000, protocol: 'TCP', ...query }, { portNameFor: kubeOvnPortName });
}

describe('explainFlow endpoints and paths', () => {
  it('resolves a named targetPort per endpoint pod and leaves out pods that do not define it', () => {
    const e = explain({ from: 'shop/client', to: 'svc:shop/web:80', port: 80 });
    expect(e.paths.map((p) => [p.destination.label, p.destination.port, p.verdict])).toEqual([
      ['shop/web-0', 8000, 'allow'],
      ['shop/web-1', 8001, 'allow'],
    ]);
    expect(e.verdict).toBe('allow');
  });

  it('judges a VIP without endpoints as denied, with the reason', () => {
    const e = explain({ from: 'shop/client', to: 'svc:shop/empty:80', port: 80 });
    expect([e.verdict, e.paths.length, e.note]).toEqual(['deny', 0, 'no endpoints: no pod in shop matches the Service selector']);
  });

  it('lets an address outside the switch enter through the router port and match an ipBlock', () => {
    const e = explain({ from: '203.0.113.9', to: 'shop/web-0' });
    expect(e.verdict).toBe('allow');
    expect(e.paths[0]!.source).toEqual({ label: '203.0.113.9', ip: '203.0.113.9', logicalPort: '(router port)' });
    expect(e.hints.join(' ')).toContain('arrives SNATed to a node address');
    expect(explain({ from: '198.51.100.1', to: 'shop/web-0' }).verdict).toBe('deny');
  });

  it('a pod reaching its own address is allowed without any ACL (loopback)', () => {
    const e = explain({ from: 'shop/web-0', to: '10.16.0.10', port: 9999 });
    expect([e.verdict, e.paths[0]!.stages.length, e.paths[0]!.note]).toEqual([
      'allow',
      0,
      'loopback: a pod reaching its own address never leaves it, so no ACL applies',
    ]);
  });

  it('hairpin through its own VIP: OVN SNATs the source to the VIP, which the policy does not allow', () => {
    const e = explain({ from: 'shop/web-0', to: 'svc:shop/web:80', port: 80 });
    const self = e.paths.find((p) => p.destination.label === 'shop/web-0')!;
    expect([self.verdict, self.stages.map((s) => [s.hop, s.stage]).at(-1)]).toEqual(['deny', [1, 'to-lport']]);
    expect(self.note).toContain('hairpin');
  });

  it('picks IPv6 when asked and both ends have it; ICMP needs no port', () => {
    const v6 = explain({ from: 'shop/client', to: 'shop/web-0', family: 6 });
    expect([v6.family, v6.paths[0]!.destination.ip, v6.verdict]).toEqual([6, 'fd00::10', 'allow']);
    const icmp = explain({ from: 'shop/client', to: 'shop/web-0', protocol: 'ICMP', port: null });
    expect(icmp.verdict).toBe('deny');
  });

  it('rejects what it cannot judge with a FlowQueryError naming the field', () => {
    expect(() => explain({ from: 'shop/client', to: 'shop/web-1', family: 6 })).toThrow('both ends need an IPv6 address');
    expect(() => explain({ from: '1.2.3.4', to: '5.6.7.8' })).toThrow(FlowQueryError);
    expect(() => explain({ from: 'shop', to: 'shop/web-0' })).toThrow('expected NAMESPACE/POD or an IP address, found "shop"');
  });
});

describe('explainFlow: a ClusterIP as --to', () => {
  it('is the Service VIP, the port being the Service port', () => {
    const byIp = explain({ from: 'shop/client', to: '10.96.0.80', port: 80 });
    expect([byIp.service?.name, byIp.paths.map((p) => p.destination.port)]).toEqual(['web', [8000, 8001]]);
    expect(() => explain({ from: 'shop/client', to: '10.96.0.80', port: 8000 })).toThrow('Service shop/web has no port 8000; its ports: 80');
  });
});

describe('explainFlow hints for tiered policies', () => {
  const tiered = (tier: 'Admin' | 'Baseline') => `
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: shop, labels: {app: web}}
status: {podIP: 10.16.0.10}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
status: {podIP: 10.16.0.20}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: no-client}
spec:
  tier: ${tier}
  priority: 1
  subject: {namespaces: {}}
  ingress:
  - action: Deny
    from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}}]
`;
  it.each([
    ['Admin', 'decides in the Admin tier, before any NetworkPolicy'],
    ['Baseline', 'decides in the Baseline tier, which applies only to pods no NetworkPolicy selects'],
  ] as const)('a %s Deny says which tier decided and what overrides it', (tier, hint) => {
    for (const version of ['23.03', '25.03']) {
      const { model } = loadModel([{ name: 't.yaml', text: tiered(tier) }]);
      const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion(version), portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} };
      const e = explainFlow({ inventory: model, rows: compile(model, options).rows }, { from: 'shop/client', to: 'shop/web-0', port: 80, protocol: 'TCP' }, { portNameFor: kubeOvnPortName });
      expect(e.verdict).toBe('deny');
      expect(e.paths[0]!.decidingRows[0]!.origin).toMatchObject({ kind: 'ClusterNetworkPolicy', name: 'no-client' });
      expect(e.hints.join('\n')).toContain(`ClusterNetworkPolicy no-client ${hint}`);
    }
  });
});

describe('explainFlow via: the backend the load balancer picks', () => {
  it('narrows a Service to one endpoint', () => {
    const e = explain({ from: 'shop/client', to: 'svc:shop/web:80', port: 80, via: { pod: 'shop/web-1' } });
    expect(e.paths.map((p) => [p.destination.label, p.destination.port])).toEqual([['shop/web-1', 8001]]);
    expect(() => explain({ from: 'shop/client', to: 'svc:shop/web:80', port: 80, via: { pod: 'shop/web-2' } })).toThrow(
      'via: shop/web-2 is not an endpoint of Service shop/web port 80',
    );
  });

  it('takes an address no Service names as a VIP load-balanced to the given backend and port', () => {
    const allowed = explain({ from: 'shop/client', to: '10.96.9.9', port: 8080, via: { pod: 'shop/web-0', port: 8000 } });
    expect([allowed.verdict, allowed.paths[0]!.destination.port, allowed.paths[0]!.stages.map((s) => s.hop).at(-1)]).toEqual(['allow', 8000, 2]);
    expect(explain({ from: 'shop/client', to: '10.96.9.9', port: 8080, via: { pod: 'shop/web-0', port: 8080 } }).verdict).toBe('deny');
  });
});

describe('defaults of the root entry', () => {
  it('compiles with owner and capabilities alone and explains without options, as with the defaults spelled out', () => {
    const { model } = loadModel([{ name: 'flow.yaml', text: base }]);
    const capabilities = capabilitiesForOvnVersion('25.03');
    const spelled = compile(model, { owner: 'nbgen', capabilities, portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} });
    const defaulted = compile(model, { owner: 'nbgen', capabilities });
    expect(JSON.stringify(defaulted)).toBe(JSON.stringify(spelled));
    const query: FlowQuery = { from: 'shop/client', to: 'svc:shop/web:80', port: 80, protocol: 'TCP' };
    expect(explainFlow({ inventory: model, rows: defaulted.rows }, query)).toEqual(
      explainFlow({ inventory: model, rows: spelled.rows }, query, { portNameFor: kubeOvnPortName }),
    );
  });
});
