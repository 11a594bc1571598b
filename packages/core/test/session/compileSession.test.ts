import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capabilitiesForOvnVersion } from '../../src/capabilities.js';
import { compile } from '../../src/compile/compile.js';
import { kubeOvnPortName, type CompileOptions } from '../../src/compile/options.js';
import { readObjects } from '../../src/manifests/documents.js';
import type { NbRow } from '../../src/index.js';
import { CompileSession, manifestId, objectsOfDelta, ownerObjectOf, readManifest, rowKey, type RowDelta, type SessionEvent } from '../../src/session/index.js';
import { natRules, topology } from '../nat/fixture.js';
import { InputError } from '../../src/errors.js';
import { compileNetworkPolicies } from '../../src/netpol/compile.js';
import { compileClusterPolicies } from '../../src/tiers/compile.js';
import { mergeNbRows } from '../../src/rows/index.js';
import { compileOwnNodeRows } from '../../src/ownNode/compile.js';

/**
 * The session's promise: after every event its rows equal a full `compile` of the same model,
 * byte for byte, and the delta it returned is exactly the difference. Random event sequences
 * (adds, label changes, IP changes, deletes, policy edits, namespace relabels) over a small
 * universe, so that selectors often pick and drop the same pods.
 */

const NAMESPACES = ['a', 'b', 'c'];
const APPS = ['web', 'db', 'api'];

type Manifest = Record<string, unknown>;
type Event = { readonly type: 'upsert'; readonly manifest: Manifest } | { readonly type: 'remove'; readonly manifest: Manifest };

const labelsArb = fc.record(
  { app: fc.constantFrom(...APPS), tier: fc.constantFrom('x', 'y') },
  { requiredKeys: [] },
);
const selectorArb = fc.oneof(
  fc.constant({}),
  labelsArb.map((matchLabels) => ({ matchLabels })),
  fc.constantFrom(...APPS).map((app) => ({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: [app] }] })),
);

const podArb = fc
  .record({
    namespace: fc.constantFrom(...NAMESPACES),
    name: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4'),
    labels: labelsArb,
    ips: fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 1, max: 12 }).map((n) => [`10.0.0.${n}`]) },
      { weight: 2, arbitrary: fc.integer({ min: 1, max: 12 }).map((n) => [`10.0.0.${n}`, `fd00::${n}`]) },
      { weight: 1, arbitrary: fc.constant([] as string[]) },
    ),
    port: fc.constantFrom(null, 8080, 9090),
    node: fc.constantFrom(undefined, 'w1', 'w2'),
  })
  .map(({ namespace, name, labels, ips, port, node }) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, labels },
    spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', ports: port === null ? [] : [{ name: 'http', containerPort: port }] }] },
    status: { podIPs: ips.map((ip) => ({ ip })) },
  }));

const hostPodArb = fc.record({ namespace: fc.constantFrom(...NAMESPACES), name: fc.constantFrom('p0', 'h1') }).map(({ namespace, name }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace, name, labels: { app: 'web' } },
  spec: { hostNetwork: true, containers: [{ name: 'c' }] },
  status: { podIPs: [{ ip: '172.18.0.2' }] },
}));

// Nodes with a join address get own-node allows (ownNode/compile.ts) that follow pod placement.
const nodeArb = fc.record({ name: fc.constantFrom('w1', 'w2'), join: fc.constantFrom(null, '100.64.0.2', '100.64.0.3') }).map(({ name, join }) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, ...(join === null ? {} : { annotations: { 'ovn.kubernetes.io/ip_address': join } }) },
}));

const namespaceArb = fc.record({ name: fc.constantFrom(...NAMESPACES), env: fc.constantFrom('prod', 'dev', undefined) }).map(({ name, env }) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: env === undefined ? {} : { env } },
}));

const peerArb = fc.oneof(
  selectorArb.map((podSelector) => ({ podSelector })),
  fc.record({ namespaceSelector: fc.oneof(fc.constant({}), fc.constantFrom('prod', 'dev').map((env) => ({ matchLabels: { env } }))), podSelector: selectorArb }),
  fc.constant({ ipBlock: { cidr: '10.0.0.0/29', except: ['10.0.0.4/30'] } }),
);
const portsArb = fc.oneof(
  fc.constant([]),
  fc.constant([{ port: 80 }]),
  fc.constant([{ port: 'http' }]),
  fc.constant([{ port: 'http' }, { port: 443, protocol: 'UDP' }]),
);
const ruleArb = (side: 'from' | 'to') =>
  fc.record({ peers: fc.array(peerArb, { maxLength: 2 }), ports: portsArb }).map(({ peers, ports }) => ({ [side]: peers, ports }));

const networkPolicyArb = fc
  .record({
    namespace: fc.constantFrom('a', 'b'),
    name: fc.constantFrom('np0', 'np1', 'np2'),
    podSelector: selectorArb,
    ingress: fc.array(ruleArb('from'), { maxLength: 2 }),
    egress: fc.array(ruleArb('to'), { maxLength: 2 }),
    types: fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  })
  .map(({ namespace, name, podSelector, ingress, egress, types }) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace, name },
    spec: { podSelector, policyTypes: types, ingress, egress },
  }));

const clusterPolicyArb = fc
  .record({
    name: fc.constantFrom('cnp0', 'cnp1'),
    tier: fc.constantFrom('Admin', 'Baseline'),
    priority: fc.integer({ min: 0, max: 3 }),
    subject: selectorArb,
    action: fc.constantFrom('Accept', 'Deny', 'Pass'),
    peer: selectorArb,
    named: fc.boolean(),
  })
  .map(({ name, tier, priority, subject, action, peer, named }) => ({
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name },
    spec: {
      tier,
      priority,
      subject: { pods: { namespaceSelector: {}, podSelector: subject } },
      ingress: [{ action: tier === 'Baseline' && action === 'Pass' ? 'Deny' : action, from: [{ pods: { namespaceSelector: {}, podSelector: peer } }] }],
      egress: named ? [{ action: 'Accept', to: [{ namespaces: {} }], protocols: [{ destinationNamedPort: 'http' }] }] : [],
    },
  }));

const natManifests: Manifest[] = readObjects([{ name: 'nat.yaml', text: `${topology}\n---\n${natRules}` }]).map((o) => o.object);
const natArb = fc.constantFrom(...natManifests);

const upsert = (manifest: Manifest): Event => ({ type: 'upsert', manifest });
const remove = (manifest: Manifest): Event => ({ type: 'remove', manifest });
const eventArb: fc.Arbitrary<Event> = fc.oneof(
  { weight: 8, arbitrary: podArb.map(upsert) },
  { weight: 3, arbitrary: podArb.map(remove) },
  { weight: 1, arbitrary: hostPodArb.map(upsert) },
  { weight: 3, arbitrary: namespaceArb.map(upsert) },
  { weight: 2, arbitrary: nodeArb.map(upsert) },
  { weight: 1, arbitrary: nodeArb.map(remove) },
  { weight: 1, arbitrary: namespaceArb.map(remove) },
  { weight: 4, arbitrary: networkPolicyArb.map(upsert) },
  { weight: 1, arbitrary: networkPolicyArb.map(remove) },
  { weight: 2, arbitrary: clusterPolicyArb.map(upsert) },
  { weight: 1, arbitrary: clusterPolicyArb.map(remove) },
  { weight: 2, arbitrary: natArb.map(upsert) },
  { weight: 1, arbitrary: natArb.map(remove) },
);

function optionsFor(version: string): CompileOptions {
  return {
    owner: 'nbgen',
    capabilities: capabilitiesForOvnVersion(version),
    portNameFor: kubeOvnPortName,
    alwaysAllowCidrs: ['100.64.0.0/16'],
    logging: {},
  };
}

function applyEvent(session: CompileSession, event: Event): RowDelta {
  if (event.type === 'remove') return session.remove(manifestId(event.manifest)!);
  const reading = readManifest(event.manifest, { file: 'events', doc: 0 });
  if (reading.ok !== true) throw new Error(`generated an invalid manifest: ${JSON.stringify(reading)}`);
  return session.upsert(reading.object);
}

const rowsLike = (rows: readonly NbRow[]) => ({
  portGroups: rows.filter((r) => r.table === 'Port_Group'),
  addressSets: rows.filter((r) => r.table === 'Address_Set'),
  acls: rows.filter((r) => r.table === 'ACL'),
  nats: rows.filter((r) => r.table === 'NAT'),
  loadBalancers: rows.filter((r) => r.table === 'Load_Balancer'),
}) as unknown as ReturnType<CompileSession['rows']>;
const allRows = (rows: ReturnType<CompileSession['rows']>): NbRow[] => [...rows.portGroups, ...rows.addressSets, ...rows.acls, ...rows.nats, ...rows.loadBalancers];

describe('CompileSession', () => {
  for (const version of ['23.03', '25.03']) {
    it(`keeps its rows equal to a full compile of its model after every event (OVN ${version})`, () => {
      const options = optionsFor(version);
      let comparedSteps = 0;
      let unresolvedSteps = 0;
      fc.assert(
        fc.property(fc.array(eventArb, { minLength: 1, maxLength: 40, size: 'max' }), (events) => {
          const session = new CompileSession(options);
          const held = new Map<string, NbRow>();
          for (const event of events) {
            const delta = applyEvent(session, event);
            for (const row of delta.removed) expect(held.delete(rowKey(row)), `removed ${rowKey(row)}`).toBe(true);
            for (const row of delta.changed) {
              expect(held.has(rowKey(row))).toBe(true);
              held.set(rowKey(row), row);
            }
            for (const row of delta.added) {
              expect(held.has(rowKey(row))).toBe(false);
              held.set(rowKey(row), row);
            }
            if (session.unresolved().length > 0) {
              // A NAT reference that does not resolve yet: compile refuses the model, the session
              // holds the NAT rows, and every other row is still the full compile's.
              unresolvedSteps++;
              expect(() => compile(session.model(), options)).toThrow(InputError);
              const model = session.model();
              const policies = mergeNbRows(
                compileNetworkPolicies(model, options).rows,
                compileClusterPolicies(model, options).rows,
                compileOwnNodeRows(model, options).rows,
              );
              expect(JSON.stringify({ ...session.rows(), nats: [], loadBalancers: [] })).toBe(JSON.stringify(policies));
              continue;
            }
            comparedSteps++;
            const full = compile(session.model(), options);
            // What a reconcile of the touched objects is given: all their rows, as the full compile has them.
            const touched = new Set(objectsOfDelta(delta).map((o) => `${o.kind} ${o.namespace}/${o.name}`));
            const ownedByTouched = allRows(full.rows).filter((r) => touched.has(`${ownerObjectOf(r).kind} ${ownerObjectOf(r).namespace}/${ownerObjectOf(r).name}`));
            expect(allRows(session.rowsOfObjects(objectsOfDelta(delta)))).toEqual(allRows(mergeNbRows({ portGroups: [], addressSets: [], acls: [], nats: [], loadBalancers: [] }, rowsLike(ownedByTouched))));
            expect(JSON.stringify(session.rows())).toBe(JSON.stringify(full.rows));
            expect(JSON.stringify(session.warnings())).toBe(JSON.stringify(full.warnings));
            // Applying every delta so far gives the same rows: nothing missed, nothing twice.
            expect(new Set([...held.values()].map((r) => JSON.stringify(r)))).toEqual(new Set(allRows(full.rows).map((r) => JSON.stringify(r))));
          }
        }),
        { seed: 14, numRuns: 120 },
      );
      // The universe is small enough that most steps compare whole compiles.
      expect(comparedSteps).toBeGreaterThan(unresolvedSteps);
    });
  }

  it('compiles a batch of events (apply) to the rows a full compile gives, with the delta of the whole batch', () => {
    const options = optionsFor('25.03');
    fc.assert(
      fc.property(fc.array(fc.array(eventArb, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }), (batches) => {
        const session = new CompileSession(options);
        const held = new Map<string, string>();
        for (const batch of batches) {
          const delta = session.apply(
            batch.flatMap((event): SessionEvent[] => {
              if (event.type === 'remove') return [{ type: 'remove' as const, id: manifestId(event.manifest)! }];
              const reading = readManifest(event.manifest, { file: 'events', doc: 0 });
              return reading.ok === true ? [{ type: 'upsert' as const, object: reading.object }] : [];
            }),
          );
          for (const row of delta.removed) held.delete(rowKey(row));
          for (const row of [...delta.changed, ...delta.added]) held.set(rowKey(row), JSON.stringify(row));
          if (session.unresolved().length > 0) continue;
          const full = compile(session.model(), options);
          expect(JSON.stringify(session.rows())).toBe(JSON.stringify(full.rows));
          expect(new Set(held.values())).toEqual(new Set(allRows(full.rows).map((r) => JSON.stringify(r))));
        }
      }),
      { seed: 1414, numRuns: 80 },
    );
  });

  it('keeps an address in a peer set while any selected pod has it, when two pods claim it', () => {
    const options = optionsFor('23.03');
    const session = new CompileSession(options);
    const read = (manifest: Manifest) => {
      const reading = readManifest(manifest, { file: 'x', doc: 0 });
      if (reading.ok !== true) throw new Error('fixture');
      return reading.object;
    };
    const pod = (name: string, app: string, ip = '10.0.0.1') =>
      read({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'a', name, labels: { app } }, spec: { containers: [{ name: 'c' }] }, status: { podIPs: [{ ip }] } });
    session.apply([
      { type: 'upsert', object: read({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: 'a', name: 'np' }, spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] } }) },
      { type: 'upsert', object: pod('db', 'db') },
      { type: 'upsert', object: pod('web-old', 'web') },
      { type: 'upsert', object: pod('web-new', 'web') },
      { type: 'upsert', object: pod('web-2', 'web', '10.0.0.2') },
    ]);
    // One of the two pods with 10.0.0.1 leaves the selection; the other still holds the address.
    session.upsert(pod('web-new', 'other'));
    expect(JSON.stringify(session.rows())).toBe(JSON.stringify(compile(session.model(), options).rows));
    expect(session.rows().addressSets.map((s) => s.addresses)).toEqual([['10.0.0.1', '10.0.0.2']]);
    session.upsert(pod('web-old', 'other'));
    expect(JSON.stringify(session.rows())).toBe(JSON.stringify(compile(session.model(), options).rows));
  });

  it('answers a pod event that changes no selected field with an empty delta', () => {
    const session = new CompileSession(optionsFor('23.03'));
    const np = readManifest({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: 'a', name: 'np' }, spec: { podSelector: {} } }, { file: 'x', doc: 0 });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'a', name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] }, status: { podIPs: [{ ip: '10.0.0.1' }] } };
    const first = readManifest(pod, { file: 'x', doc: 1 });
    const again = readManifest({ ...pod, metadata: { ...pod.metadata, resourceVersion: '2' } }, { file: 'x', doc: 2 });
    if (np.ok !== true || first.ok !== true || again.ok !== true) throw new Error('fixture');
    session.upsert(np.object);
    expect(session.upsert(first.object).changed.map((r) => r.table)).toEqual(['Port_Group']);
    expect(session.upsert(again.object)).toEqual({ added: [], changed: [], removed: [] });
  });

  it('keeps the row objects of a recompiled policy whose rows come out equal (the plan memo knows rows by identity)', () => {
    const session = new CompileSession(optionsFor('23.03'));
    const policy = (resourceVersion: string) => {
      const reading = readManifest(
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: 'a', name: 'np', resourceVersion }, spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] } },
        { file: 'x', doc: 0 },
      );
      if (reading.ok !== true) throw new Error('fixture');
      return reading.object;
    };
    session.upsert(policy('1'));
    const object = { kind: 'NetworkPolicy', namespace: 'a', name: 'np' } as const;
    const before = allRows(session.rowsOfObjects([object]));
    expect(before.length).toBeGreaterThan(1);
    // An edit that changes no field the rows depend on: the policy is recompiled, nothing changes.
    expect(session.upsert(policy('2'))).toEqual({ added: [], changed: [], removed: [] });
    const after = allRows(session.rowsOfObjects([object]));
    expect(after).toHaveLength(before.length);
    after.forEach((row, i) => expect(row).toBe(before[i]));
  });
});

describe('CompileSession own-node rows', () => {
  it('recompiles only the own-node rows of the node a pod event places it on or takes it from', () => {
    // The port names a pod event asks for say which pods were looked at: with pods of other
    // nodes among them, the event would cost (pods × nodes), not (pods of its node).
    const asked: string[] = [];
    const options: CompileOptions = { ...optionsFor('23.03'), portNameFor: (pod) => (asked.push(`${pod.nodeName}:${pod.name}`), kubeOvnPortName(pod)) };
    const session = new CompileSession(options);
    const read = (manifest: Manifest) => {
      const reading = readManifest(manifest, { file: 'x', doc: 0 });
      if (reading.ok !== true) throw new Error('fixture');
      return reading.object;
    };
    const node = (name: string, join: string) => read({ apiVersion: 'v1', kind: 'Node', metadata: { name, annotations: { 'ovn.kubernetes.io/ip_address': join } } });
    const pod = (name: string, nodeName: string, app = 'web') =>
      read({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'a', name, labels: { app } }, spec: { nodeName, containers: [{ name: 'c' }] }, status: { podIPs: [{ ip: `10.0.${name.length}.${name.charCodeAt(name.length - 1)}` }] } });
    session.apply([
      { type: 'upsert', object: node('w1', '100.64.0.2') },
      { type: 'upsert', object: node('w2', '100.64.0.3') },
      { type: 'upsert', object: node('w3', '100.64.0.4') },
      ...['p1', 'p2', 'p3'].map((name) => ({ type: 'upsert' as const, object: pod(name, 'w1') })),
      ...['q1', 'q2', 'q3'].map((name) => ({ type: 'upsert' as const, object: pod(name, 'w2') })),
      { type: 'upsert', object: read({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: 'a', name: 'np' }, spec: { podSelector: { matchLabels: { app: 'none' } } } }) },
    ]);
    asked.length = 0;
    const nodesAsked = () => [...new Set(asked.splice(0).map((entry) => entry.split(':')[0]))].sort();

    const added = session.upsert(pod('p4', 'w1'));
    expect(nodesAsked()).toEqual(['w1']);
    expect(added.changed.map((r) => (r.table === 'Port_Group' ? `${r.name} ${r.ports.join(',')}` : r.table))).toEqual(['ownnode.w1 p1.a,p2.a,p3.a,p4.a']);

    const moved = session.upsert(pod('p4', 'w3'));
    expect(nodesAsked()).toEqual(['w1', 'w3']);
    expect(moved.changed.map((r) => (r.table === 'Port_Group' ? `${r.name} ${r.ports.join(',')}` : r.table)).sort()).toEqual(['ownnode.w1 p1.a,p2.a,p3.a', 'ownnode.w3 p4.a']);

    session.remove({ kind: 'Pod', namespace: 'a', name: 'q1' });
    expect(nodesAsked()).toEqual(['w2']);
    expect(JSON.stringify(session.rows())).toBe(JSON.stringify(compile(session.model(), optionsFor('23.03')).rows));
  });
});
