import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  capabilitiesForOvnVersion,
  compile,
  formatFindings,
  kubeOvnPortName,
  lintModel,
  loadModel,
  type LintFinding,
  type LintOptions,
} from '../../src/index.js';

// A cluster shaped like the field reports: web pods (http = 8000) behind Service web (80 → http),
// a client, DNS in kube-system, two nodes.
const cluster = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: shop, labels: {app: web}}
spec: {containers: [{ports: [{name: http, containerPort: 8000}]}]}
status: {podIP: 10.16.0.10}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
status: {podIP: 10.16.0.20}
---
apiVersion: v1
kind: Pod
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec: {containers: [{ports: [{name: dns, containerPort: 53, protocol: UDP}]}]}
status: {podIP: 10.16.0.2}
---
apiVersion: v1
kind: Node
metadata: {name: worker-1}
status: {addresses: [{type: InternalIP, address: 172.18.0.2}]}
`;

const service = (type: string, policy: string) => `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: ${type}, clusterIP: 10.96.0.80, externalTrafficPolicy: ${policy}, selector: {app: web}, ports: [{port: 80, targetPort: http, nodePort: 30080}]}
`;

const policy = (spec: string, name = 'p') => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:
${spec
  .trim()
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
`;

function lint(docs: string[], options: LintOptions = {}): LintFinding[] {
  const { model } = loadModel([{ name: 'test.yaml', text: [cluster, ...docs].join('\n---\n') }]);
  return lintModel(model, options);
}
const ids = (findings: readonly LintFinding[]): string[] => findings.map((f) => f.id);
const webIngress = (ports: string, from = '[{podSelector: {matchLabels: {app: client}}}]') =>
  policy(`podSelector: {matchLabels: {app: web}}\ningress:\n- from: ${from}\n  ports: ${ports}`);

describe('lint NBG001 service-port-in-policy', () => {
  it('flags an ingress port equal to the Service port when the target port differs, with the fix', () => {
    const findings = lint([service('ClusterIP', 'Cluster'), webIngress('[{port: 80}]')]);
    expect(findings).toEqual([
      {
        id: 'NBG001',
        check: 'service-port-in-policy',
        severity: 'error',
        object: 'NetworkPolicy shop/p',
        source: { file: 'test.yaml', doc: 7 },
        path: 'spec.ingress[0].ports[0].port',
        message:
          'port 80/TCP is the port of Service shop/web, which sends it to port 8000 of shop/web-0; those pods do not declare port 80. ' +
          'OVN judges Service traffic after DNAT, on the target port, so this rule does not match traffic to the Service.',
        fix: 'NetworkPolicy ports are pod ports: write port "http" (or 8000).',
      },
    ]);
  });

  it('flags an egress port to the Service port of the peer pods', () => {
    const egress = policy(
      'podSelector: {matchLabels: {app: client}}\npolicyTypes: [Egress]\negress:\n- to: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{port: 80}]\n- to: [{namespaceSelector: {}}]\n  ports: [{port: 53, protocol: UDP}]',
    );
    expect(ids(lint([service('ClusterIP', 'Cluster'), egress]))).toEqual(['NBG001']);
  });

  it('is silent for the target port, the named port, and a range covering the target', () => {
    expect(lint([service('ClusterIP', 'Cluster'), webIngress('[{port: 8000}]')])).toEqual([]);
    expect(lint([service('ClusterIP', 'Cluster'), webIngress('[{port: http}]')])).toEqual([]);
    expect(lint([service('ClusterIP', 'Cluster'), webIngress('[{port: 80, endPort: 8080}]')])).toEqual([]);
  });
});

describe('lint NBG001 on cluster-scoped policies', () => {
  const cnp = (port: number) => `
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: web-in}
spec:
  tier: Admin
  priority: 5
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}
  ingress:
  - action: Accept
    from: [{namespaces: {}}]
    protocols: [{tcp: {destinationPort: {number: ${port}}}}]
`;
  it('flags a ClusterNetworkPolicy port equal to the Service port of its subject pods', () => {
    const findings = lint([service('ClusterIP', 'Cluster'), cnp(80)]);
    expect(findings.map((f) => [f.id, f.object, f.path])).toEqual([['NBG001', 'ClusterNetworkPolicy web-in', 'spec.ingress[0].protocols']]);
    expect(findings[0]!.fix).toBe('write the pods\' port 8000 (or the named port "http").');
  });

  it('is silent for the target port', () => {
    expect(lint([service('ClusterIP', 'Cluster'), cnp(8000)])).toEqual([]);
  });
});

describe('lint NBG002 ipblock-behind-snat', () => {
  const external = '[{ipBlock: {cidr: 203.0.113.0/24}}]';
  it('flags an external ipBlock on pods behind a NodePort with externalTrafficPolicy Cluster', () => {
    const findings = lint([service('NodePort', 'Cluster'), webIngress('[{port: 8000}]', external)]);
    expect(ids(findings)).toEqual(['NBG002']);
    expect(findings[0]).toMatchObject({ path: 'spec.ingress[0].from[0].ipBlock.cidr', severity: 'warning' });
    expect(findings[0]!.fix).toContain('externalTrafficPolicy: Local on shop/web');
  });

  it('is silent with externalTrafficPolicy Local and for a ClusterIP Service', () => {
    expect(lint([service('NodePort', 'Local'), webIngress('[{port: 8000}]', external)])).toEqual([]);
    expect(lint([service('ClusterIP', 'Cluster'), webIngress('[{port: 8000}]', external)])).toEqual([]);
    expect(lint([service('ClusterIP', 'Cluster'), webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 10.16.0.20/32}}]')])).toEqual([]);
  });

  it('flags a block of pod addresses on pods behind a LoadBalancer with Cluster: pods coming through it arrive from a join address', () => {
    const findings = lint([service('LoadBalancer', 'Cluster'), webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 10.16.0.16/28}}]')]);
    expect(findings).toEqual([
      {
        id: 'NBG002',
        check: 'ipblock-behind-snat',
        severity: 'warning',
        object: 'NetworkPolicy shop/p',
        source: { file: 'test.yaml', doc: 7 },
        path: 'spec.ingress[0].from[0].ipBlock.cidr',
        message:
          'ipBlock 10.16.0.16/28 is inside the pod CIDRs (inferred from pod IPs) (it covers shop/client), and the selected pods are reached ' +
          'through LoadBalancer Service shop/web with externalTrafficPolicy: Cluster: a pod that connects through the node port or the ' +
          "LoadBalancer address arrives from its node's join address, not from its pod IP, so this rule matches those pods only when they " +
          'connect to the pod IP or the ClusterIP.',
        fix:
          'to admit pods, select them with a podSelector (and a namespaceSelector) instead of their addresses, which change when pods are ' +
          'recreated; and have them connect to the ClusterIP, where OVN keeps their address.',
      },
    ]);
  });

  it('takes pod CIDRs from the option instead of inferring them', () => {
    const inside = webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 192.168.0.0/24}}]');
    const inferred = lint([service('NodePort', 'Cluster'), inside]);
    expect(inferred.map((f) => f.id)).toEqual(['NBG002']);
    expect(inferred[0]!.message).toContain('is outside the pod CIDRs (inferred from pod IPs)');
    const given = lint([service('NodePort', 'Cluster'), inside], { podCidrs: ['192.168.0.0/16', '10.16.0.0/16'] });
    expect(given.map((f) => f.id)).toEqual(['NBG002']);
    expect(given[0]!.message).toContain('is inside the pod CIDRs (it covers no pod today)');
  });
});

describe('lint NBG003 ipblock-covers-nodes', () => {
  it('flags an ingress ipBlock covering a node address or the join subnet', () => {
    const nodes = lint([webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 172.18.0.0/16}}]')]);
    expect(ids(nodes)).toEqual(['NBG003']);
    expect(nodes[0]!.message).toContain('172.18.0.2 (node worker-1)');
    const join = lint([webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 100.64.0.0/10}}]')]);
    expect(join[0]!.message).toContain('the join subnet 100.64.0.0/16');
  });

  it('flags a block inside the join subnet (some nodes\' join addresses), naming the join addresses of Node objects', () => {
    const part = lint([service('NodePort', 'Cluster'), webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 100.64.0.0/24}}]')]);
    expect(part.map((f) => [f.id, f.path])).toEqual([['NBG003', 'spec.ingress[0].from[0].ipBlock.cidr']]);
    expect(part[0]!.message).toContain('covers part of the join subnet 100.64.0.0/16 (node join addresses).');
    const node = `
apiVersion: v1
kind: Node
metadata: {name: worker-2, annotations: {ovn.kubernetes.io/ip_address: 100.64.0.3}}
status: {addresses: [{type: InternalIP, address: 172.18.0.3}]}
`;
    const one = lint([node, webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 100.64.0.3/32}}]')]);
    expect(one.map((f) => f.id)).toEqual(['NBG003']);
    expect(one[0]!.message).toContain('covers 100.64.0.3 (join address of node worker-2).');
    expect(lint([node, webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 100.64.0.0/10, except: [100.64.0.0/16]}}]')])).toEqual([]);
  });

  it('is silent when except removes the node, for 0.0.0.0/0, and for other blocks', () => {
    expect(lint([webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 172.18.0.0/16, except: [172.18.0.0/24]}}]')])).toEqual([]);
    expect(lint([webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 0.0.0.0/0}}]')])).toEqual([]);
    expect(lint([webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 203.0.113.0/24}}]')])).toEqual([]);
  });
});

describe('lint NBG004/NBG005/NBG006: selections that select nothing', () => {
  it('NBG004: a policy selecting no pod', () => {
    expect(ids(lint([policy('podSelector: {matchLabels: {app: wbe}}\ningress: []')]))).toEqual(['NBG004']);
    expect(lint([policy('podSelector: {matchLabels: {app: web}}\ningress: []')])).toEqual([]);
  });

  it('NBG005: a peer selecting no pod', () => {
    const findings = lint([webIngress('[{port: 8000}]', '[{podSelector: {matchLabels: {app: clinet}}}]')]);
    expect(findings.map((f) => [f.id, f.path])).toEqual([['NBG005', 'spec.ingress[0].from[0]']]);
  });

  it('NBG006: a named port no selected pod defines (and says when only the protocol is wrong)', () => {
    expect(ids(lint([webIngress('[{port: htp}]')]))).toEqual(['NBG006']);
    const udp = lint([webIngress('[{port: http, protocol: UDP}]')]);
    expect(udp[0]!.fix).toContain('set protocol: TCP');
    expect(lint([webIngress('[{port: http}]')])).toEqual([]);
  });
});

describe('lint NBG007 cidr-host-bits and NBG010 rules-ignored', () => {
  it('flags a CIDR with host bits at its field', () => {
    const findings = lint([webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 203.0.113.7/24}}]')]);
    expect(findings.map((f) => [f.id, f.path])).toEqual([['NBG007', 'spec.ingress[0].from[0].ipBlock.cidr']]);
    expect(lint([webIngress('[{port: 8000}]', '[{ipBlock: {cidr: 203.0.113.0/24}}]')])).toEqual([]);
  });

  it('flags egress rules of a policy whose policyTypes is [Ingress]', () => {
    const ignored = policy('podSelector: {matchLabels: {app: web}}\npolicyTypes: [Ingress]\ningress: []\negress: [{ports: [{port: 53, protocol: UDP}]}]');
    expect(ids(lint([ignored]))).toEqual(['NBG010']);
  });
});

describe('lint NBG008 egress-without-dns', () => {
  const egress = (rules: string) => policy(`podSelector: {matchLabels: {app: client}}\npolicyTypes: [Egress]\negress:\n${rules}`);
  it('flags egress isolation without a DNS allowance', () => {
    const findings = lint([egress('- to: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{port: 8000}]')]);
    expect(findings.map((f) => [f.id, f.path, f.message])).toEqual([
      ['NBG008', 'spec.egress', 'isolates shop/client for egress, and no egress rule of any policy selecting them allows DNS (UDP/TCP 53); name lookups will time out.'],
    ]);
  });

  it('is silent when this or another policy on the pod allows DNS to kube-system or anywhere', () => {
    const dnsToKubeSystem = '- to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]\n  ports: [{port: 53, protocol: UDP}]';
    expect(lint([egress(dnsToKubeSystem)])).toEqual([]);
    expect(lint([egress('- ports: [{port: 53, protocol: UDP}]')])).toEqual([]);
    const other = policy('podSelector: {}\npolicyTypes: [Egress]\negress:\n- ports: [{port: 53, protocol: TCP}]', 'dns');
    expect(lint([egress('- to: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{port: 8000}]'), other])).toEqual([]);
  });

  it('is not fooled by a DNS port towards pods outside kube-system', () => {
    expect(ids(lint([egress('- to: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{port: 53, protocol: UDP}]')]))).toEqual(['NBG008']);
  });
});

describe('lint NBG009 fip-placement', () => {
  const root = join(import.meta.dirname, '../../../..');
  const read = (f: string): string => readFileSync(join(root, 'examples/eip-fip', f), 'utf8');
  const options = { owner: 'nbgen', capabilities: capabilitiesForOvnVersion('23.03'), portNameFor: kubeOvnPortName, alwaysAllowCidrs: [], logging: {} };
  const natModel = (nat: string) =>
    loadModel([
      { name: 'topology.yaml', text: read('topology.yaml') },
      { name: 'nat.yaml', text: nat },
    ]).model;

  it('warns on a centralized pod FIP: Kube-OVN would run it distributed', () => {
    const model = natModel(read('nat.yaml'));
    const findings = lintModel(model, { rows: compile(model, options).rows });
    expect(findings.map((f) => [f.id, f.severity, f.object, f.path])).toEqual([['NBG009', 'warning', 'OvnFip fip-db', 'spec.type']]);
  });

  it('is silent for the same FIP as distributed (type omitted)', () => {
    const model = natModel(read('nat.yaml').replace('  type: centralized\n', ''));
    expect(lintModel(model, { rows: compile(model, options).rows })).toEqual([]);
  });

  it('warns when the given rows do not run a FIP where its type says (rows edited by hand)', () => {
    const model = natModel(read('nat.yaml').replace('  type: centralized\n', ''));
    const rows = compile(model, options).rows;
    const edited = { ...rows, nats: rows.nats.map((n) => (n.externalIds['nbgen/name'] === 'fip-web' ? { ...n, logicalPort: null, externalMac: null } : n)) };
    const findings = lintModel(model, { rows: edited });
    expect(findings.map((f) => [f.id, f.object])).toEqual([['NBG009', 'OvnFip fip-web']]);
    expect(findings[0]!.message).toBe(
      'spec.type asks for distributed, but its NAT rows make OVN run it centralized: they lack logical_port/external_mac, so it runs on the active gateway chassis.',
    );
  });
});

describe('lint NBG011 ipblock-service-vip', () => {
  const egressTo = (cidr: string) =>
    policy(
      `podSelector: {matchLabels: {app: client}}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: ${cidr}}}]\n- to: [{namespaceSelector: {}}]\n  ports: [{port: 53, protocol: UDP}]`,
    );
  it('flags an egress ipBlock that covers a ClusterIP but no endpoint of it', () => {
    const findings = lint([service('ClusterIP', 'Cluster'), egressTo('10.96.0.0/16')]);
    expect(findings.map((f) => [f.id, f.path])).toEqual([['NBG011', 'spec.egress[0].to[0].ipBlock.cidr']]);
    expect(findings[0]!.message).toContain('covers the ClusterIP 10.96.0.80 of Service shop/web');
  });

  it('is silent when the block also covers the endpoints, or misses the ClusterIP', () => {
    expect(lint([service('ClusterIP', 'Cluster'), egressTo('10.0.0.0/8')])).toEqual([]);
    expect(lint([service('ClusterIP', 'Cluster'), egressTo('10.97.0.0/16')])).toEqual([]);
  });
});

describe('formatFindings', () => {
  it('prints id, object, location, message and fix, errors first, and a count', () => {
    const text = formatFindings(lint([service('ClusterIP', 'Cluster'), webIngress('[{port: 80}]', '[{ipBlock: {cidr: 203.0.113.7/24}}]')]));
    expect(text.split('\n').slice(0, 3)).toEqual([
      'error NBG001 service-port-in-policy: NetworkPolicy shop/p',
      '  at test.yaml#7 spec.ingress[0].ports[0].port',
      expect.stringContaining('port 80/TCP is the port of Service shop/web'),
    ]);
    expect(text).toContain('warning NBG007 cidr-host-bits: NetworkPolicy shop/p\n  at test.yaml#7 spec.ingress[0].from[0].ipBlock.cidr');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 error(s), 1 warning(s), 0 info');
  });
});
