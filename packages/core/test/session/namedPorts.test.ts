import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { CompileSession, readManifest, type ModelObject } from '../../src/session/index.js';
import { testOptions } from '../netpol/helpers.js';

/**
 * Pod events on the policies of named ports, which resolve per pod. A session patches a policy's
 * port group instead of recompiling it while its named ingress ports resolve to one number on
 * every selected pod, and must recompile when that stops (a pod with another number or without
 * the name, the last selected pod gone). It patches an egress named port's per-number peer sets
 * in place, and must recompile the policy when one of them appears or goes empty (its ACL for
 * that number comes or goes). The universe is one namespace of pods that mostly share a number,
 * so that events keep, break and restore that often.
 */

const options = testOptions();

function read(manifest: Record<string, unknown>): ModelObject {
  const reading = readManifest(manifest, { file: 'x', doc: 0 });
  if (reading.ok !== true) throw new Error(`fixture: ${JSON.stringify(reading)}`);
  return reading.object;
}

const pod = (name: string, app: string, http: number | null, ip: string | null, metrics: number | null = null) =>
  read({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'a', name, labels: { app } },
    spec: {
      containers: [
        {
          name: 'c',
          ports: [...(http === null ? [] : [{ name: 'http', containerPort: http }]), ...(metrics === null ? [] : [{ name: 'metrics', containerPort: metrics }])],
        },
      ],
    },
    status: { podIPs: ip === null ? [] : [{ ip }] },
  });

const policy = (name: string, ports: readonly object[], from: object = { podSelector: { matchLabels: { app: 'client' } } }) =>
  read({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace: 'a', name },
    spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [from], ports }] },
  });

const egressPolicy = (name: string, to: readonly object[], ports: readonly object[]) =>
  read({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace: 'a', name },
    spec: { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ to, ports }] },
  });

const CLIENT = pod('client', 'client', null, '10.0.1.1');
const sameAsCompile = (session: CompileSession) => {
  const full = compile(session.model(), options);
  expect(JSON.stringify(session.rows())).toBe(JSON.stringify(full.rows));
  expect(JSON.stringify(session.warnings())).toBe(JSON.stringify(full.warnings));
};
const aclsOf = (session: CompileSession) => session.rows().acls;

describe('CompileSession, named ports', () => {
  it('patches only the port group while the selected pods give a named port one number, and recompiles when they stop', () => {
    const session = new CompileSession(options);
    session.apply([{ type: 'upsert', object: CLIENT }, { type: 'upsert', object: policy('np', [{ port: 'http' }]) }, { type: 'upsert', object: pod('w0', 'web', 8080, '10.0.0.1') }]);
    sameAsCompile(session);
    const uniform = aclsOf(session);
    // One number on every selected pod: the allow is on the whole port group.
    expect(uniform.filter((acl) => acl.match.includes('tcp.dst == 8080')).map((acl) => acl.match.split(' && ')[0])).toEqual(['outport == @np.a.np']);

    // Same number: only the port group changes; the ACLs are the rows held before (not recompiled).
    const added = session.upsert(pod('w1', 'web', 8080, '10.0.0.2'));
    expect(added.changed.map((r) => r.table)).toEqual(['Port_Group']);
    sameAsCompile(session);
    expect(aclsOf(session).every((acl, i) => acl === uniform[i])).toBe(true);

    // Another number: the ACLs list the pods of each number.
    session.upsert(pod('w2', 'web', 9090, '10.0.0.3'));
    sameAsCompile(session);
    expect(aclsOf(session).some((acl) => acl.match.includes('outport == {"w0.a", "w1.a"}'))).toBe(true);
    // The odd pod goes: one number again, on the whole group.
    session.remove({ kind: 'Pod', namespace: 'a', name: 'w2' });
    sameAsCompile(session);
    // A pod without the name, selected: it gets nothing from the port, the others keep theirs.
    session.upsert(pod('w3', 'web', null, '10.0.0.4'));
    sameAsCompile(session);
    session.remove({ kind: 'Pod', namespace: 'a', name: 'w3' });
    // The same pod changes its number: every selected pod still agrees, on the new number.
    session.upsert(pod('w0', 'web', 9090, '10.0.0.1'));
    sameAsCompile(session);
    session.upsert(pod('w1', 'web', 9090, '10.0.0.2'));
    sameAsCompile(session);
    // The last selected pods leave: the named port resolves on nobody, its ACL goes.
    session.upsert(pod('w0', 'other', 9090, '10.0.0.1'));
    sameAsCompile(session);
    session.remove({ kind: 'Pod', namespace: 'a', name: 'w1' });
    sameAsCompile(session);
    expect(aclsOf(session).some((acl) => acl.match.includes('tcp.dst =='))).toBe(false);
  });

  it('patches the per-number set of an egress named port in place, and recompiles when a number comes or goes', () => {
    const session = new CompileSession(options);
    const out = egressPolicy('np-out', [{ podSelector: { matchLabels: { app: 'web' } } }], [{ port: 'http' }]);
    session.apply([CLIENT, out, pod('w0', 'web', 8080, '10.0.0.1')].map((object) => ({ type: 'upsert' as const, object })));
    sameAsCompile(session);
    const before = aclsOf(session);

    // Same number: only its set changes; the ACLs are the rows held before (not recompiled).
    const added = session.upsert(pod('w1', 'web', 8080, '10.0.0.2'));
    expect(added.changed.map((r) => (r.table === 'Address_Set' ? `${r.name} ${r.addresses.join(',')}` : r.table))).toEqual([
      expect.stringMatching(/^nppeer\.a\.H\w+\.Tcp8080\.Ip4 10\.0\.0\.1,10\.0\.0\.2$/),
    ]);
    sameAsCompile(session);
    expect(aclsOf(session).every((acl, i) => acl === before[i])).toBe(true);

    // A new number gets its own set and ACL; the last pod of a number takes them away.
    session.upsert(pod('w2', 'web', 9090, '10.0.0.3'));
    sameAsCompile(session);
    expect(aclsOf(session).filter((acl) => acl.match.includes('tcp.dst == 9090'))).toHaveLength(1);
    session.upsert(pod('w2', 'web', 8080, '10.0.0.3'));
    sameAsCompile(session);
    expect(aclsOf(session).filter((acl) => acl.match.includes('tcp.dst == 9090'))).toHaveLength(0);
  });

  it('keeps its rows equal to a full compile under random pod events on named ingress and egress ports', () => {
    const podArb = fc
      .record({
        name: fc.constantFrom('w0', 'w1', 'w2', 'w3'),
        app: fc.constantFrom('web', 'web', 'web', 'other'),
        http: fc.constantFrom(8080, 8080, 8080, 9090, null),
        metrics: fc.constantFrom(9100, 9100, null),
        ip: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', 'fd00::1', null),
      })
      .map(({ name, app, http, metrics, ip }) => pod(name, app, http, ip, metrics));
    type Step = { readonly type: 'upsert'; readonly object: ModelObject } | { readonly type: 'remove'; readonly name: string };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      { weight: 6, arbitrary: podArb.map((object) => ({ type: 'upsert' as const, object })) },
      { weight: 2, arbitrary: fc.constantFrom('w0', 'w1', 'w2', 'w3').map((name) => ({ type: 'remove' as const, name })) },
    );
    const policies = [
      policy('np-http', [{ port: 'http' }]),
      // Egress named ports: per-number sets of the web pods, and of every pod in namespaces labelled env=prod.
      egressPolicy('np-out', [{ podSelector: { matchLabels: { app: 'web' } } }], [{ port: 'http' }]),
      egressPolicy('np-out-two', [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: { matchLabels: { env: 'prod' } } }], [{ port: 'http' }, { port: 'metrics' }, { port: 80 }]),
      policy('np-two', [{ port: 'http' }, { port: 'metrics' }, { port: 80 }]),
      // Its peer is the web pods themselves: their address set moves with the same events.
      policy('np-self', [{ port: 'metrics' }], { podSelector: { matchLabels: { app: 'web' } } }),
    ];
    fc.assert(
      fc.property(fc.array(fc.array(stepArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 25 }), (batches) => {
        const session = new CompileSession(options);
        const prod = read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { env: 'prod' } } });
        session.apply([prod, CLIENT, ...policies].map((object) => ({ type: 'upsert' as const, object })));
        for (const batch of batches) {
          session.apply(batch.map((step) => (step.type === 'upsert' ? step : { type: 'remove' as const, id: { kind: 'Pod' as const, namespace: 'a', name: step.name } })));
          sameAsCompile(session);
        }
      }),
      { seed: 1401, numRuns: 200 },
    );
  });
});
