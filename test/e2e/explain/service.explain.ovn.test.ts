// explain versus OVN for Service traffic: every pod opens a connection to every port of a Service
// VIP; OVN's switch load balancer DNATs it (ovn-trace --lb-dst picks each backend in turn), the
// router sends it back to the backend, and the ACLs judge it after DNAT. explain must give
// ovn-trace's verdict for every (client, Service port, backend). A few verdicts are also pinned
// from Kubernetes semantics: NetworkPolicy ports are the pods' (target) ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  compile,
  formatExplanation,
  kubeOvnPortName,
  loadModel,
  renderNbctlScript,
  type ManifestSource,
  type Model,
} from '@ovn-nbgen/core';
import { buildAclProgram, explainWithProgram, portAddressesOf, serviceBackends } from '@ovn-nbgen/core/explain';
import { isOvnPod } from '@ovn-nbgen/core/model';
import { OVN_VERSIONS } from '../../harness/tools.js';
import { ovnToolsOrSkip, startOvn, type Ovn } from '../../harness/ovn.js';
import { buildTopology, type LoadBalancerSpec } from '../../harness/topology.js';
import { clusterObjects } from '../netpol/cluster.js';
import { e2eCompileOptions } from '../netpol/run.js';

/** The netpol e2e cluster, one more front pod, a Service with a numeric and a named targetPort. */
const extraObjects = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'x', name: 'd', labels: { pod: 'd', tier: 'front' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'server', ports: [{ name: 'web', containerPort: 81 }] }] },
    status: { podIP: '10.16.1.13', podIPs: [{ ip: '10.16.1.13' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'x', name: 'front' },
    spec: {
      clusterIP: '10.96.0.10',
      selector: { tier: 'front' },
      ports: [
        { name: 'http', port: 80, targetPort: 81 },
        { name: 'named', port: 8080, targetPort: 'web' },
      ],
    },
  },
  // The field report: ingress names the Service port 80 for namespace y, the target port 81 for z.
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace: 'x', name: 'front-ingress' },
    spec: {
      podSelector: { matchLabels: { tier: 'front' } },
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }], ports: [{ port: 80 }] },
        { from: [{ namespaceSelector: { matchLabels: { ns: 'z' } } }], ports: [{ port: 81 }] },
      ],
    },
  },
  // y/b may send only TCP 8080 (the named Service port) to namespace x.
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace: 'y', name: 'b-egress' },
    spec: {
      podSelector: { matchLabels: { pod: 'b' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: 'x' } } }], ports: [{ port: 8080 }] }],
    },
  },
];

const sources: ManifestSource[] = [{ name: 'service.yaml', text: [...clusterObjects(), ...extraObjects].map((o) => stringify(o)).join('---\n') }];

/** Each Service port as an OVN load balancer VIP, backends as EndpointSlices would list them. */
function loadBalancersOf(model: Model): LoadBalancerSpec[] {
  return model.services.map((svc) => ({
    name: `${svc.namespace}.${svc.name}.tcp`,
    protocol: 'tcp' as const,
    vips: Object.fromEntries(
      svc.ports.map((sp) => [
        `${svc.clusterIPs[0]}:${sp.port}`,
        serviceBackends(model, svc, sp.port, sp.protocol).map((b) => `${b.pod.ips[0]}:${b.targetPort}`),
      ]),
    ),
  }));
}

for (const version of OVN_VERSIONS) {
  const tools = ovnToolsOrSkip(version);
  describe.skipIf(tools === null)(`explain of Service traffic agrees with ovn-trace on OVN ${version}`, () => {
    let ovn: Ovn;
    beforeAll(async () => {
      ovn = await startOvn({ version });
    });
    afterAll(async () => {
      await ovn?.stop();
    });

    it('every pod to every Service port and backend: explain gives the ovn-trace verdict', async () => {
      const { model } = loadModel(sources);
      const options = e2eCompileOptions(ovn);
      const { rows } = compile(model, options);
      await ovn.resetNb();
      const topology = await buildTopology(ovn, { pods: model.pods, loadBalancers: loadBalancersOf(model) });
      await ovn.runScript(renderNbctlScript(rows, { owner: options.owner, capabilities: options.capabilities, target: `OVN ${version}` }));
      await ovn.syncSb();

      const program = buildAclProgram(rows, portAddressesOf(model, kubeOvnPortName));
      const service = model.services[0]!;
      const observed = new Map<string, string>();
      const explained = new Map<string, string>();
      const failures: string[] = [];
      for (const client of model.pods.filter(isOvnPod)) {
        const from = `${client.namespace}/${client.name}`;
        for (const sp of service.ports) {
          const e = explainWithProgram(
            program,
            model,
            { from, to: `svc:x/front:${sp.port}`, port: sp.port, protocol: 'TCP' },
            { portNameFor: kubeOvnPortName },
          );
          for (const backend of serviceBackends(model, service, sp.port, 'TCP')) {
            const key = `${from} -> svc:x/front:${sp.port} via ${backend.pod.namespace}/${backend.pod.name}:${backend.targetPort}`;
            const query = topology.podToAddress(from, service.clusterIPs[0]!, { protocol: 'tcp', port: sp.port }, `${backend.pod.namespace}/${backend.pod.name}`);
            const trace = await ovn.trace({ ...query, lbDst: `${backend.pod.ips[0]}:${backend.targetPort}` });
            const path = e.paths.find((p) => p.destination.label === `${backend.pod.namespace}/${backend.pod.name}`)!;
            observed.set(key, trace.verdict);
            explained.set(key, path.verdict === 'allow' ? 'allow' : 'drop');
            if (trace.verdict !== explained.get(key) && failures.length < 2) {
              const detailed = await ovn.trace({ ...query, lbDst: `${backend.pod.ips[0]}:${backend.targetPort}`, format: 'detailed' });
              failures.push(`${key}: ovn-trace ${trace.verdict}\n${formatExplanation(e)}\n$ ${detailed.command}\n${detailed.raw}`);
            }
          }
        }
      }
      if (failures.length > 0) expect.fail(failures.join('\n\n'));
      expect(observed.size).toBe(10 * 2 * 2); // clients × Service ports × backends
      expect(explained).toEqual(observed);

      // Kubernetes semantics, independent of both: policies see the target port (81 behind 80).
      expect(observed.get('y/a -> svc:x/front:80 via x/a:81')).toBe('drop'); // y allowed on 80 only
      expect(observed.get('z/a -> svc:x/front:80 via x/a:81')).toBe('allow'); // z allowed on 81
      expect(observed.get('z/a -> svc:x/front:8080 via x/a:80')).toBe('drop'); // web = 80 on x/a
      expect(observed.get('z/a -> svc:x/front:8080 via x/d:81')).toBe('allow'); // web = 81 on x/d
      expect(observed.get('y/b -> svc:x/front:8080 via x/a:80')).toBe('drop'); // egress names 8080, the Service port
      expect(observed.get('x/b -> svc:x/front:80 via x/a:81')).toBe('drop'); // x/a isolated, x not allowed
    });
  });
}
