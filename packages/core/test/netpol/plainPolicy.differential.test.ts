import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleObjects } from '../support/exampleObjects.js';
import { answeredAgreeing } from '../support/plainReaderAgreement.js';
import type { SourceRef } from '../../src/errors.js';
import { networkPolicySchema, toNetworkPolicy } from '../../src/netpol/manifestSchema.js';
import { portNameProblem } from '../../src/netpol/portName.js';
import { plainNetworkPolicy } from '../../src/netpol/plainPolicy.js';

// plainNetworkPolicy is a fast path: where it answers, the policy built from its answer must be
// the one built from the schema's parse, and it must give up on every object the schema refuses,
// so that the schema alone reports bad input, with its messages and field paths.

const source: SourceRef = { file: 'policies.yaml', doc: 0 };

/** The reader gives up or agrees with the schema; true when it answered. */
function expectAgreement(object: Record<string, unknown>): boolean {
  const fast = plainNetworkPolicy(object);
  if (fast === null) return false;
  const parsed = networkPolicySchema.safeParse(object);
  expect(parsed.success, JSON.stringify(object)).toBe(true);
  // The parsed values themselves, and the policies made of them.
  expect(fast, JSON.stringify(object)).toStrictEqual(parsed.data);
  expect(toNetworkPolicy(fast as typeof parsed.data & object, source), JSON.stringify(object)).toStrictEqual(toNetworkPolicy(parsed.data!, source));
  return true;
}

const anyValue = fc.constantFrom<unknown>(undefined, null, true, 0, 1, 80, 65536, -1, 1.5, '', 'a', 'http', 'TCP', 'tcp', 'Ingress', [], {}, { app: 'web' }, ['Ingress']);

/** Mostly one of `valid`, now and then one of `invalid` or any value at all. */
const field = <T,>(valid: fc.Arbitrary<T>, ...invalid: unknown[]) =>
  fc.oneof({ arbitrary: valid, weight: 30 }, { arbitrary: fc.constantFrom(undefined, ...invalid), weight: 1 }, { arbitrary: anyValue, weight: 1 });

const labelMap = field(
  fc.array(fc.tuple(fc.constantFrom('app', 'tier', 'example.com/team', '123'), fc.constantFrom('web', 'db', '', 'v1.2')), { maxLength: 3 }).map((pairs) => Object.fromEntries(pairs)),
  { '-bad': 'x' },
  { app: 'bad value' },
  { app: 1 },
  { __proto__: 'x' },
);
const requirement = field(
  fc.record(
    {
      key: field(fc.constantFrom('app', 'tier', 'example.com/team'), '-bad', 'a/b/c'),
      operator: field(fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), 'in', 'Equals'),
      values: field(fc.array(fc.constantFrom('web', 'db', ''), { maxLength: 2 }), ['bad value'], 'web'),
      extra: anyValue,
    },
    { requiredKeys: [] },
  ),
);
const selector = field(
  fc.record({ matchLabels: labelMap, matchExpressions: field(fc.array(requirement, { maxLength: 2 })), unknown: fc.constant(undefined) }, { requiredKeys: [] }),
  { matchLabel: {} },
);
const port = field(
  fc.record(
    {
      protocol: field(fc.constantFrom('TCP', 'UDP', 'SCTP'), 'tcp', 'ICMP'),
      port: field(fc.constantFrom<number | string>(80, 8080, 1, 65535, 'http', 'dns-tcp', 'x'.repeat(15)), 0, 65536, 1.5, 'HTTP', 'a--b', '-a', '123', 'x'.repeat(16)),
      endPort: field(fc.constantFrom(80, 90, 8080, 65535), 0, 65536, 79),
      name: fc.constant(undefined),
    },
    { requiredKeys: [] },
  ),
);
const peer = field(
  fc.record({ podSelector: selector, namespaceSelector: selector }, { requiredKeys: [] }),
  { ipBlock: { cidr: '10.0.0.0/8' } },
  { podSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } },
);
const rule = (peersKey: 'from' | 'to') =>
  field(fc.record({ ports: field(fc.oneof(fc.array(port, { maxLength: 2 }), fc.constant(null))), [peersKey]: field(fc.oneof(fc.array(peer, { maxLength: 2 }), fc.constant(null))) }, { requiredKeys: [] }), {
    [peersKey === 'from' ? 'to' : 'from']: [],
  });
const policyObject = fc.record(
  {
    apiVersion: fc.constant('networking.k8s.io/v1'),
    kind: fc.constant('NetworkPolicy'),
    metadata: field(
      fc.record({ name: field(fc.constantFrom('allow-web', 'a.b'), 'Allow', ''), namespace: field(fc.constantFrom('shop', 'default'), 'a.b'), labels: labelMap }, { requiredKeys: ['name'] }),
    ),
    spec: field(
      fc.record(
        {
          podSelector: selector,
          policyTypes: field(fc.array(fc.constantFrom('Ingress', 'Egress'), { maxLength: 3 }), ['ingress']),
          ingress: field(fc.oneof(fc.array(rule('from'), { maxLength: 2 }), fc.constant(null))),
          egress: field(fc.oneof(fc.array(rule('to'), { maxLength: 2 }), fc.constant(null))),
        },
        { requiredKeys: [] },
      ),
      { podSelector: {}, ingres: [] },
    ),
  },
  { requiredKeys: ['apiVersion', 'kind'] },
);

describe('plainNetworkPolicy', () => {
  it('agrees with the NetworkPolicy schema on generated policies, and gives up on every policy the schema refuses', () => {
    const answered = answeredAgreeing(policyObject, expectAgreement, 20000);
    // Guards the generator: a fair share of generated policies must be valid.
    expect(answered).toBeGreaterThan(2000);
  });

  it('takes a named port exactly when the schema does', () => {
    for (const name of ['http', 'dns-tcp', 'a1', 'x'.repeat(15), 'x'.repeat(16), 'HTTP', 'a--b', '-a', 'a-', '123', 'a_b', '']) {
      const object = { metadata: { name: 'p' }, spec: { ingress: [{ ports: [{ port: name }] }] } };
      expect(plainNetworkPolicy(object) !== null, name).toBe(portNameProblem(name) === null);
      expectAgreement(object);
    }
  });

  it('agrees on every NetworkPolicy of the examples', () => {
    const policies = exampleObjects('NetworkPolicy');
    expect(policies.length).toBeGreaterThan(10);
    const answered = policies.filter((object) => expectAgreement(object)).length;
    expect(answered).toBeGreaterThan(policies.length / 2);
  });
});
