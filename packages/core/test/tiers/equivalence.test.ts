import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { explainFlow } from '../../src/explain/index.js';
import { kubeOvnPortName } from '../../src/compile/options.js';
import { cnp, modelOf, namespace, optionsFor, pod } from './fixtures.js';

// The two ways of compiling tiers must mean the same: with ACL tiers (tier column, `pass`) and
// without (priority bands, Pass cut out of lower rules). For random policy sets, explain (which
// evaluates rows the way OVN does, and agrees with ovn-trace on every e2e probe) must give the
// same verdict for every probe on the rows of both targets.

const NAMESPACES = ['a', 'b', 'c'];
const inventory = NAMESPACES.flatMap((ns, i) => [
  namespace(ns, { team: ns }),
  pod(ns, 'p', `10.16.${i}.10`, { role: 'p' }, [{ name: 'web', containerPort: 80 }]),
  pod(ns, 'q', `10.16.${i}.11`, { role: 'q' }, [{ name: 'web', containerPort: 81 }]),
]);

const selectorArb = fc.constantFrom({}, { matchLabels: { team: 'a' } }, { matchLabels: { team: 'b' } });
const peerArb = fc.oneof(
  selectorArb.map((namespaces) => ({ namespaces })),
  fc.constantFrom('p', 'q').map((role) => ({ pods: { podSelector: { matchLabels: { role } } } })),
);
const protocolArb = fc.constantFrom(
  { tcp: { destinationPort: { number: 80 } } },
  { tcp: { destinationPort: { range: { start: 80, end: 81 } } } },
  { udp: { destinationPort: { number: 80 } } },
  { destinationNamedPort: 'web' },
);
const ruleArb = (peerKey: 'from' | 'to') =>
  fc.record(
    {
      action: fc.constantFrom('Accept', 'Deny', 'Pass'),
      [peerKey]: fc.array(peerArb, { minLength: 1, maxLength: 2 }),
      protocols: fc.array(protocolArb, { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: ['action', peerKey] },
  );
const policyArb = fc.record({
  tier: fc.constantFrom('Admin', 'Baseline'),
  priority: fc.integer({ min: 0, max: 3 }),
  subject: fc.oneof(
    selectorArb.map((namespaces) => ({ namespaces })),
    fc.constantFrom('p', 'q').map((role) => ({ pods: { podSelector: { matchLabels: { role } } } })),
  ),
  ingress: fc.array(ruleArb('from'), { maxLength: 3 }),
  egress: fc.array(ruleArb('to'), { maxLength: 3 }),
});
const networkPolicyArb = fc.constantFrom(...NAMESPACES).map((ns) =>
  JSON.stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace: ns, name: 'only-from-a' },
    spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }] },
  }),
);

const PODS = NAMESPACES.flatMap((ns) => [`${ns}/p`, `${ns}/q`]);
const CONNECTIONS = [
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 81 },
  { protocol: 'UDP', port: 80 },
] as const;

function verdicts(docs: string[], version: '23.03' | '25.03'): string[] {
  const model = modelOf(...docs);
  const { rows } = compile(model, optionsFor(version));
  const out: string[] = [];
  for (const from of PODS) {
    for (const to of PODS) {
      if (from === to) continue;
      for (const c of CONNECTIONS) {
        const e = explainFlow({ inventory: model, rows }, { from, to, port: c.port, protocol: c.protocol }, { portNameFor: kubeOvnPortName });
        out.push(`${from} > ${to} ${c.protocol}/${c.port}: ${e.verdict}`);
      }
    }
  }
  return out;
}

describe('tiers vs bands', () => {
  it('give the same verdict for every probe, whatever the policies (explain on both row sets)', () => {
    fc.assert(
      fc.property(fc.array(policyArb, { minLength: 1, maxLength: 4 }), fc.option(networkPolicyArb), (policies, np) => {
        const docs = [...inventory, ...policies.map((spec, i) => cnp(`p${i}`, spec)), ...(np ? [np] : [])];
        expect(verdicts(docs, '23.03')).toEqual(verdicts(docs, '25.03'));
      }),
      { numRuns: 60, seed: 20261123 },
    );
  });
});
