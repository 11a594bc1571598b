// NodePort traffic judged in legs, proven by ovn-trace on a Kube-OVN-like network (pod switch, join
// switch with node-<name> ports, cluster router between, the nodes' addresses routed to their join
// ports). For each probe explain names the endpoints kube-proxy may pick and the source they see;
// every path is traced: leg 1 from the client pod's port to the node address and nodePort (no OVN
// load balancer: kube-proxy serves NodePorts), leg 3 from the node's port with the source kube-proxy
// leaves (the node's join address with externalTrafficPolicy Cluster, the client with Local) to the
// endpoint's target port. The verdict table is ovn-trace's, and explain is held equal to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  capabilitiesForOvnVersion,
  compile,
  explainFlow,
  formatExplanation,
  kubeOvnPortName,
  loadModel,
  renderNbctlScript,
  type CompileOptions,
  type FlowExplanation,
  type Model,
  withCompileDefaults,
} from '@ovn-nbgen/core';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { buildTopology } from '../../harness/topology.js';
import { buildJoinNetwork, type JoinNetwork } from './joinTopology.js';

const NODES = [
  { name: 'w1', joinIp: '100.64.0.2', nodeIps: ['172.18.0.2'], podIps: ['10.16.0.20'] },
  { name: 'w2', joinIp: '100.64.0.3', nodeIps: ['172.18.0.3'] },
];

const exampleDir = join(import.meta.dirname, '../../../examples/nodeport');
const cluster = readFileSync(join(exampleDir, 'cluster.yaml'), 'utf8');
const readme = readFileSync(join(exampleDir, 'README.md'), 'utf8');

/** The two ways users write the rules: by pod labels, and by address (ipBlock). */
const POLICIES = {
  podSelector: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-client, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: 8080}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-to-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]
`,
  // examples/nodeport/policies.yaml: the case its README explains.
  ipBlock: readFileSync(join(exampleDir, 'policies.yaml'), 'utf8'),
} as const;

const SOURCES = ['shop/client', '192.0.2.10'] as const;
const TARGETS = ['node:w1:30080', 'node:w2:30080', 'node:w1:30081', 'node:w2:30081', '203.0.113.10:443'] as const;

/** What ovn-trace says, per scenario, source, target and endpoint (Kubernetes' NodePort semantics). */
const EXPECTED: Record<keyof typeof POLICIES, string[]> = {
  podSelector: [
    // The client's egress sees the node address: its podSelector rule does not match it.
    'shop/client -> node:w1:30080 via shop/web-0: drop at leg 1',
    'shop/client -> node:w1:30080 via shop/web-1: drop at leg 1',
    'shop/client -> node:w2:30080 via shop/web-0: drop at leg 1',
    'shop/client -> node:w2:30080 via shop/web-1: drop at leg 1',
    'shop/client -> node:w1:30081 via shop/web-0: drop at leg 1',
    'shop/client -> node:w2:30081 via shop/web-1: drop at leg 1',
    // A load-balancer IP from a pod: kube-proxy on the pod's own node; its egress sees that IP.
    'shop/client -> 203.0.113.10:443 via w1 shop/web-0: drop at leg 1',
    // Cluster: the source is the node's join address; only a pod on that very node lets it in.
    '192.0.2.10 -> node:w1:30080 via shop/web-0: allow',
    '192.0.2.10 -> node:w1:30080 via shop/web-1: drop at leg 3',
    '192.0.2.10 -> node:w2:30080 via shop/web-0: drop at leg 3',
    '192.0.2.10 -> node:w2:30080 via shop/web-1: allow',
    '192.0.2.10 -> node:w1:30081 via shop/web-0: drop at leg 3',
    '192.0.2.10 -> node:w2:30081 via shop/web-1: drop at leg 3',
    '192.0.2.10 -> 203.0.113.10:443 via w1 shop/web-0: drop at leg 3',
    '192.0.2.10 -> 203.0.113.10:443 via w2 shop/web-1: drop at leg 3',
  ],
  ipBlock: [
    'shop/client -> node:w1:30080 via shop/web-0: allow',
    'shop/client -> node:w1:30080 via shop/web-1: drop at leg 3',
    'shop/client -> node:w2:30080 via shop/web-0: drop at leg 3',
    'shop/client -> node:w2:30080 via shop/web-1: allow',
    'shop/client -> node:w1:30081 via shop/web-0: allow',
    'shop/client -> node:w2:30081 via shop/web-1: allow',
    // The client may reach the nodes' NodePorts, not the load balancer's address.
    'shop/client -> 203.0.113.10:443 via w1 shop/web-0: drop at leg 1',
    '192.0.2.10 -> node:w1:30080 via shop/web-0: allow',
    '192.0.2.10 -> node:w1:30080 via shop/web-1: drop at leg 3',
    '192.0.2.10 -> node:w2:30080 via shop/web-0: drop at leg 3',
    '192.0.2.10 -> node:w2:30080 via shop/web-1: allow',
    '192.0.2.10 -> node:w1:30081 via shop/web-0: allow',
    '192.0.2.10 -> node:w2:30081 via shop/web-1: allow',
    // Local: the load balancer sends only to nodes with an endpoint; the client address is kept.
    '192.0.2.10 -> 203.0.113.10:443 via w1 shop/web-0: allow',
    '192.0.2.10 -> 203.0.113.10:443 via w2 shop/web-1: allow',
  ],
};

for (const version of OVN_VERSIONS) {
  describe.skipIf(ovnToolsOrSkip(version) === null)(`NodePort in legs, proven by ovn-trace, OVN ${version}`, () => {
    let ovn: Ovn;
    const options: CompileOptions = withCompileDefaults({ owner: 'nbgen', capabilities: capabilitiesForOvnVersion(version) });
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    for (const scenario of Object.keys(POLICIES) as (keyof typeof POLICIES)[]) {
      it(`${scenario} rules: every leg traced, explain equal to ovn-trace`, async () => {
        const model: Model = loadModel([{ name: `${scenario}.yaml`, text: `${cluster}\n---\n${POLICIES[scenario]}` }]).model;
        const { rows } = compile(model, options);
        await ovn.resetNb();
        const topology = await buildTopology(ovn, { pods: model.pods });
        const join: JoinNetwork = await buildJoinNetwork(ovn, topology, NODES);
        await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities }));

        const traced: string[] = [];
        const explained: string[] = [];
        let probes = 0;
        for (const from of SOURCES) {
          for (const to of TARGETS) {
            // node:NODE:PORT, or a load balancer's IP:PORT (kube-proxy nodes follow from client and policy).
            const parts = to.split(':');
            const [address, port] = parts.length === 3 ? [to, parts[2]!] : [parts[0]!, parts[1]!];
            const e: FlowExplanation = explainFlow({ inventory: model, rows }, { from, to: address, port: Number(port), protocol: 'TCP' }, { portNameFor: kubeOvnPortName });
            if (parts.length === 3) expect(e.nodePort?.nodes.map((n) => n.node)).toEqual([parts[1]]);
            for (const path of e.paths) {
              const node = path.kubeProxy!.node;
              const head = `${from} -> ${to} via ${parts.length === 3 ? '' : `${node} `}${path.destination.label}`;
              let verdict = 'allow';
              if (from === 'shop/client') {
                probes++;
                const leg1 = await ovn.trace(join.podToNode('shop/client', node, { protocol: 'tcp', port: Number(port) }, e.nodePort!.address));
                if (!e.nodePort!.address.startsWith('172.18.')) expect(node).toBe('w1'); // the client's own node
                if (leg1.verdict === 'drop') verdict = 'drop at leg 1';
              }
              // Leg 3 is traced even after a leg 1 drop: it is what the same endpoint sees from the node.
              probes++;
              const leg3 = await ovn.trace(join.nodeToPod(node, path.destination.label, { protocol: 'tcp', port: path.destination.port! }, path.kubeProxy!.source));
              if (verdict === 'allow' && leg3.verdict === 'drop') verdict = 'drop at leg 3';
              traced.push(`${head}: ${verdict}`);
              const deniedHop = path.stages.find((s) => s.verdict === 'deny')?.hop;
              const legOf = (hop: number) => (from === 'shop/client' && hop === 1 ? 1 : 3);
              explained.push(`${head}: ${path.verdict === 'allow' ? 'allow' : `drop at leg ${legOf(deniedHop!)}`}`);
            }
            if (e.verdict === 'deny') expect(formatExplanation(e)).toMatch(/Why:\n  - /);
          }
        }
        expect(traced).toEqual(EXPECTED[scenario]);
        // examples/nodeport/README.md shows these verdicts.
        if (scenario === 'ipBlock') for (const line of traced) expect(readme).toContain(line);
        expect(explained).toEqual(traced);
        expect(probes).toBeGreaterThanOrEqual(16);
      });
    }
  });
}
