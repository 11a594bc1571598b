import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleObjects } from '../support/exampleObjects.js';
import { answeredAgreeing } from '../support/plainReaderAgreement.js';
import type { SourceRef } from '../../src/errors.js';
import { inventorySchemas, toPod } from '../../src/model/inventorySchemas.js';
import { plainPod } from '../../src/model/plainPod.js';

// plainPod is a fast path: where it answers, it must answer the Pod the schema's path gives
// (toPod of the parsed object), and it must give up on every object the schema refuses, so that
// the schema alone reports bad input, with its messages and field paths.

const source = (): SourceRef => ({ file: 'pods.json', doc: 0, itemPath: 'items[0]' });

/** plainPod gives up or agrees with the schema; true when it answered. */
function expectAgreement(object: Record<string, unknown>): boolean {
  const fast = plainPod(object, source());
  if (fast === null) return false;
  const parsed = inventorySchemas.Pod.safeParse(object);
  expect(parsed.success, JSON.stringify(object)).toBe(true);
  expect(fast, JSON.stringify(object)).toStrictEqual(toPod(parsed.data!, source()));
  // Frozen all the way down, as loadModel's freeze then takes it to be.
  expect(unfrozen(fast, 'pod', [])).toEqual([]);
  return true;
}

/** The paths of every object or array in `value` that is not frozen. */
function unfrozen(value: unknown, path: string, out: string[]): string[] {
  if (typeof value !== 'object' || value === null) return out;
  if (!Object.isFrozen(value)) out.push(path);
  for (const [key, child] of Object.entries(value)) unfrozen(child, `${path}.${key}`, out);
  return out;
}

/** Values of every JSON type, valid and invalid for the fields they land in. */
const anyValue = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, 1, 80, 8080, 65535, 65536, -1, 1.5, Number.NaN, '', 'a', [], {}),
  fc.constantFrom('TCP', 'UDP', 'SCTP', 'tcp', 'Always', 'OnFailure', 'http', 'a-very-long-port-name'),
  fc.constantFrom('10.0.0.1', '10.0.0.01', '10.0.0.256', 'fd00::1', 'FD00:0::1', '::ffff:10.0.0.1', 'not-an-ip'),
  fc.constantFrom('web', 'Web', 'web-', 'a.b', 'x'.repeat(64), 'node-1', 'kube-system'),
);

/**
 * A field: mostly one of `valid`, now and then one of `invalid` (values the schema refuses there)
 * or any value at all, so that a fair share of generated pods are valid as a whole.
 */
const field = <T,>(valid: fc.Arbitrary<T>, ...invalid: unknown[]) =>
  fc.oneof({ arbitrary: valid, weight: 40 }, { arbitrary: fc.constantFrom(undefined, ...invalid), weight: 1 }, { arbitrary: anyValue, weight: 1 });

const labelMap = (pairs: fc.Arbitrary<[string, unknown]>) =>
  fc.array(pairs, { maxLength: 4 }).map((list) => JSON.parse(JSON.stringify(Object.fromEntries(list))) as unknown);
const labels = field(
  labelMap(fc.tuple(fc.constantFrom('app', 'tier', 'example.com/team', 'App.Name', '123', 'kubernetes.io/metadata.name'), fc.constantFrom('web', '', 'v1.2', 'Web_1'))),
  ...['-bad', 'a/b/c', '/x', 'x'.repeat(64), '__proto__', 'bad key'].map((key) => ({ [key]: 'v' })),
  ...['bad value', 'x'.repeat(64), '-x', 1, null].map((value) => ({ app: value })),
);

const containerPort = fc.record(
  {
    name: field(fc.constantFrom('http', 'metrics', 'x'.repeat(15)), 'a-very-long-port-name', 'x'.repeat(16), 8080),
    containerPort: field(fc.constantFrom(80, 8080, 1, 65535), 0, 65536, 1.5, '80'),
    protocol: field(fc.constantFrom('TCP', 'UDP', 'SCTP'), 'tcp', 'ICMP'),
    hostPort: anyValue,
  },
  { requiredKeys: [] },
);
const container = field(
  fc.record({ name: anyValue, ports: field(fc.array(containerPort, { maxLength: 3 }), {}, 'http'), restartPolicy: field(fc.constantFrom('Always', 'OnFailure'), 1, true) }, { requiredKeys: [] }),
  'web',
);
const containers = field(fc.array(container, { maxLength: 3 }), {});
const ip = field(fc.constantFrom('10.16.0.5', '10.16.0.6', 'fd00:10:16::5', 'FD00:10:16:0::5', '::ffff:10.16.0.5'), '10.16.0.05', '', '10.16.0.5/32');
const podObject = fc.record(
  {
    metadata: field(
      fc.record(
        {
          name: field(fc.constantFrom('web-0', 'db.primary', 'a'), 'Web', 'web_0', 'x'.repeat(254), ''),
          namespace: field(fc.constantFrom('shop', 'default'), 'a.b', 'Shop'),
          labels,
          annotations: anyValue,
        },
        { requiredKeys: ['name'] },
      ),
      [],
    ),
    spec: field(
      fc.record({ nodeName: field(fc.constant('node-1'), 1), hostNetwork: field(fc.boolean(), 'true'), containers, initContainers: containers }, { requiredKeys: [] }),
      [],
    ),
    status: field(
      fc.record({ podIP: ip, podIPs: field(fc.array(field(fc.record({ ip }, { requiredKeys: [] }), '10.16.0.5'), { maxLength: 3 }), {}), phase: anyValue }, { requiredKeys: [] }),
      [],
    ),
  },
  { requiredKeys: [] },
);

describe('plainPod', () => {
  it('agrees with the Pod schema on generated pods, and gives up on every pod the schema refuses', () => {
    const answered = answeredAgreeing(podObject, expectAgreement, 20000);
    // Guards the generator: most generated pods carry an invalid field somewhere, but a fair share
    // must be valid, or the test would only ever see the reader give up.
    expect(answered).toBeGreaterThan(2000);
  });

  it('answers for, and agrees on, every pod of the examples and of kubectl-shaped pods', () => {
    const pods = exampleObjects('Pod');
    expect(pods.length).toBeGreaterThan(20);
    for (const object of pods) expect(expectAgreement(object)).toBe(true);
    const kubectlPod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-0', namespace: 'shop', labels: { app: 'web', 'pod-template-hash': '7d9f8b6c5' }, annotations: { a: 'b' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9f8b6c5' }] },
      spec: {
        nodeName: 'node-1',
        containers: [{ name: 'web', image: 'web:1', ports: [{ name: 'http', containerPort: 8000, protocol: 'TCP' }, { containerPort: 9090 }] }],
        initContainers: [{ name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] }, { name: 'setup', ports: [{ containerPort: 1 }] }],
      },
      status: { phase: 'Running', podIP: '10.16.0.10', podIPs: [{ ip: '10.16.0.10' }, { ip: 'fd00:10:16::a' }] },
    };
    expect(expectAgreement(kubectlPod)).toBe(true);
  });

  it('gives replicas with equal ports the same port objects, and every other pod its own ports', () => {
    const pod = (name: string, ports: object[]) =>
      plainPod({ metadata: { name }, spec: { containers: [{ name: 'main', ports }] } }, source())!;
    const http = (containerPort: number) => ({ name: 'http', containerPort, protocol: 'TCP' });
    const [a, b, c, d] = [pod('a', [http(8080)]), pod('b', [http(8080)]), pod('c', [http(8081)]), pod('d', [http(8080), http(8081)])];
    expect(b.containerPorts).toBe(a.containerPorts);
    expect(c.containerPorts).toEqual([{ name: 'http', port: 8081, protocol: 'TCP' }]);
    expect(d.containerPorts).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'http', port: 8081, protocol: 'TCP' },
    ]);
    expect(a.containerPorts).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(pod('e', []).containerPorts).toEqual([]);
    for (const p of [a, c, d]) expect(Object.isFrozen(p.containerPorts) && p.containerPorts.every(Object.isFrozen)).toBe(true);
  });
});
