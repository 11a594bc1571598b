import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleObjects } from '../support/exampleObjects.js';
import { answeredAgreeing } from '../support/plainReaderAgreement.js';
import type { SourceRef } from '../../src/errors.js';
import { inventorySchemas, toNamespace } from '../../src/model/inventorySchemas.js';
import { plainNamespace } from '../../src/model/plainNamespace.js';
import { loadModel } from '../../src/index.js';

// plainNamespace is a fast path: where it answers it must give what the schema's path gives
// (toNamespace of the parsed object), and it must give up on every object the schema refuses.

const source = (): SourceRef => ({ file: 'ns.json', doc: 0, itemPath: 'items[0]' });

function expectAgreement(object: Record<string, unknown>): boolean {
  const fast = plainNamespace(object, source());
  const parsed = inventorySchemas.Namespace.safeParse(object);
  if (fast === null) return false;
  expect(parsed.success, JSON.stringify(object)).toBe(true);
  const slow = toNamespace(parsed.data!, source());
  expect(fast, JSON.stringify(object)).toStrictEqual(slow);
  // Key order too: the labels are printed in external_ids and messages as they come.
  expect(Object.keys(fast.labels)).toEqual(Object.keys(slow.labels));
  return true;
}

const anyValue = fc.constantFrom(undefined, null, true, 0, 1.5, '', 'a', [], {}, 'Prod', 'a.b', 'x'.repeat(64));
const field = <T,>(valid: fc.Arbitrary<T>, ...invalid: unknown[]) =>
  fc.oneof({ arbitrary: valid, weight: 30 }, { arbitrary: fc.constantFrom(undefined, ...invalid), weight: 1 }, { arbitrary: anyValue, weight: 1 });
const labels = field(
  fc
    .array(
      fc.tuple(fc.constantFrom('team', 'env', 'example.com/owner', 'kubernetes.io/metadata.name', 'A.b'), fc.constantFrom('a', '', 'prod', 'v1.2', 'other')),
      { maxLength: 4 },
    )
    .map((pairs) => JSON.parse(JSON.stringify(Object.fromEntries(pairs))) as unknown),
  ...['-bad', 'a/b/c', '/x', '__proto__', 'bad key'].map((key) => ({ [key]: 'v' })),
  ...['bad value', 'x'.repeat(64), 1, null].map((value) => ({ team: value })),
);
const namespaceObject = fc.record(
  {
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Namespace'),
    metadata: field(
      fc.record(
        { name: field(fc.constantFrom('prod', 'kube-system', 'a', 'x'.repeat(63)), 'Prod', 'a.b', 'x'.repeat(64), '', '-a'), labels, annotations: anyValue },
        { requiredKeys: [] },
      ),
      [],
    ),
    spec: anyValue,
    status: anyValue,
  },
  { requiredKeys: [] },
);

describe('plainNamespace', () => {
  it('agrees with the Namespace schema on generated namespaces, and gives up on every one the schema refuses', () => {
    const answered = answeredAgreeing(namespaceObject, expectAgreement, 5000);
    expect(answered).toBeGreaterThan(1000);
  });

  it('answers for, and agrees on, every Namespace of the examples', () => {
    const namespaces = exampleObjects('Namespace');
    expect(namespaces.length).toBeGreaterThan(5);
    for (const object of namespaces) expect(expectAgreement(object)).toBe(true);
  });

  it('leaves bad namespaces to the schema, whose messages stay as they were', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Prod', labels: { team: 'a b' } } });
    expect(() => loadModel([{ name: 'ns.json', text }])).toThrow(/^ns\.json#0 metadata\.name: must be a lowercase RFC 1123 label/m);
  });
});
