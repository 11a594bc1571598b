import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/manifests/load.js';

const pod = (spec: object, status: object = { podIP: '10.0.0.5' }) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' }, spec, status });

describe('Pod inventory', () => {
  it('takes named ports from containers and from sidecar (restartPolicy Always) init containers only', () => {
    const { model } = loadModel([
      {
        name: 'pod.json',
        text: pod({
          containers: [{ ports: [{ name: 'http', containerPort: 8080 }] }],
          initContainers: [
            { restartPolicy: 'Always', ports: [{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }] },
            { ports: [{ name: 'setup', containerPort: 7000 }] },
          ],
        }),
      },
    ]);
    expect(model.pods[0]!.containerPorts).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9090, protocol: 'TCP' },
    ]);
  });

  it('canonicalizes dual-stack pod IPs and prefers status.podIPs', () => {
    const { model } = loadModel([
      { name: 'pod.json', text: pod({}, { podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }, { ip: 'FD00:0:0:0::5' }] }) },
    ]);
    expect(model.pods[0]!.ips).toEqual(['10.0.0.5', 'fd00::5']);
  });

  it('names the field of a bad pod IP', () => {
    expect(() => loadModel([{ name: 'pod.json', text: pod({}, { podIP: '10.0.0.300' }) }])).toThrow(
      'pod.json#0 status.podIP: must be an IPv4 or IPv6 address',
    );
  });
});

describe('duplicate objects', () => {
  const doc = (o: object) => JSON.stringify(o);
  it('rejects a second object of the same kind, namespace and name, wherever it comes from', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
    const sameInDefault = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } };
    const otherNamespace = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' } };
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'p' } };
    expect(() =>
      loadModel([
        { name: 'a.json', text: `${doc(pod)}\n---\n${doc(otherNamespace)}\n---\n${doc(node)}` },
        { name: 'b.json', text: doc({ apiVersion: 'v1', kind: 'List', items: [sameInDefault] }) },
      ]),
    ).toThrow(/^b\.json#0 items\[0\]\.metadata\.name: duplicate Pod default\/p \(first defined at a\.json#0\)$/);
  });

  it('names a cluster-scoped duplicate without a namespace, and takes equal names in other namespaces for other objects', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } };
    expect(() => loadModel([{ name: 'a.json', text: `${doc(node)}\n---\n${doc(node)}` }])).toThrow(
      /^a\.json#1 metadata\.name: duplicate Node n1 \(first defined at a\.json#0\)$/,
    );
    const pod = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } });
    const { model } = loadModel([{ name: 'a.json', text: [pod('a', 'b-c'), pod('a-b', 'c'), pod('b', 'a')].map(doc).join('\n---\n') }]);
    expect(model.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['a/b-c', 'a-b/c', 'b/a']);
  });
});
