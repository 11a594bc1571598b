// Traffic between a pod and its own node is always allowed (Kubernetes); nbgen writes per-node
// allow rows from the Nodes' join addresses. Asked of ovn-trace on a Kube-OVN-shaped network (pod
// switch, join switch with node-<name> ports, cluster router between): through a deny-all policy a
// node reaches its own pods and is reached by them, and another node's pods stay closed. explain
// gives the same verdict for every probe.
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
  type Model,
  withCompileDefaults,
} from '@ovn-nbgen/core';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { buildTopology } from '../../harness/topology.js';
import { buildJoinNetwork, type JoinNetwork } from './joinTopology.js';

const NODES = [
  { name: 'w1', joinIp: '100.64.0.2' },
  { name: 'w2', joinIp: '100.64.0.3' },
];

const manifests = (withJoinIps: boolean) => `
${NODES.map(
  (n) => `apiVersion: v1
kind: Node
metadata:
  name: ${n.name}
${withJoinIps ? `  annotations: {ovn.kubernetes.io/ip_address: ${n.joinIp}}` : ''}
---`,
).join('\n')}
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
spec: {nodeName: w1}
status: {podIP: 10.16.0.10}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x}
spec: {nodeName: w2}
status: {podIP: 10.16.0.11}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`;

/** [from, to]: a node name or a pod key; what Kubernetes promises: only a pod's own node. */
const PROBES: readonly [string, string, 'allow' | 'drop'][] = [
  ['w1', 'x/a', 'allow'],
  ['w1', 'x/b', 'drop'],
  ['w2', 'x/b', 'allow'],
  ['w2', 'x/a', 'drop'],
  ['x/a', 'w1', 'allow'],
  ['x/a', 'w2', 'drop'],
  ['x/b', 'w2', 'allow'],
  ['x/b', 'w1', 'drop'],
];

const joinIpOf = (node: string): string => NODES.find((n) => n.name === node)!.joinIp;
const isNode = (end: string): boolean => !end.includes('/');

for (const version of OVN_VERSIONS) {
  describe.skipIf(ovnToolsOrSkip(version) === null)(`a pod and its own node, through a deny-all policy, OVN ${version}`, () => {
    let ovn: Ovn;
    const options: CompileOptions = withCompileDefaults({ owner: 'nbgen', capabilities: capabilitiesForOvnVersion(version) });

    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    async function install(model: Model): Promise<JoinNetwork> {
      await ovn.resetNb();
      const topology = await buildTopology(ovn, { pods: model.pods });
      const join = await buildJoinNetwork(ovn, topology, NODES);
      const { rows } = compile(model, options);
      await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities }));
      return join;
    }

    async function traced(join: JoinNetwork, from: string, to: string): Promise<string> {
      const conn = { protocol: 'tcp' as const, port: 8080 };
      const query = isNode(from) ? join.nodeToPod(from, to, conn) : join.podToNode(from, to, conn);
      return (await ovn.trace(query)).verdict;
    }

    it('lets each node reach its own pods and be reached by them, and nothing more (ovn-trace), as explain says', async () => {
      const model = loadModel([{ name: 'own-node.yaml', text: manifests(true) }]).model;
      const join = await install(model);
      const { rows } = compile(model, options);
      const observed: string[] = [];
      const explained: string[] = [];
      for (const [from, to] of PROBES) {
        observed.push(`${from} -> ${to}: ${await traced(join, from, to)}`);
        const e = explainFlow(
          { inventory: model, rows },
          { from: isNode(from) ? joinIpOf(from) : from, to: isNode(to) ? joinIpOf(to) : to, port: 8080, protocol: 'TCP' },
          { portNameFor: kubeOvnPortName },
        );
        explained.push(`${from} -> ${to}: ${e.verdict === 'allow' ? 'allow' : 'drop'}`);
        if (e.verdict === 'allow') expect(formatExplanation(e)).toContain('own node: always allowed (Node');
      }
      expect(observed).toEqual(PROBES.map(([f, t, v]) => `${f} -> ${t}: ${v}`));
      expect(explained).toEqual(observed);
    });

    it('without the Nodes\' join addresses nothing is written and the deny-all closes the node out too', async () => {
      const model = loadModel([{ name: 'no-join.yaml', text: manifests(false) }]).model;
      expect(compile(model, options).rows.portGroups.map((pg) => pg.name)).toEqual(['np.x.deny_all']);
      const join = await install(model);
      expect(await traced(join, 'w1', 'x/a')).toBe('drop');
      expect(await traced(join, 'x/a', 'w1')).toBe('drop');
    });
  });
}
