import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOvnPod, type Pod } from '../../src/model/inventory.js';
import { SelectionIndex } from '../../src/selection/index.js';
import type { LabelSelector } from '../../src/selectors/labelSelector.js';

// SelectionIndex.podsMatching answers from its label index, and for a selector of one matchLabels
// pair (or none) takes the index's list as the answer without checking each pod. Both must give
// what checking every OVN pod of the namespace with the selector's meaning gives, in name order,
// through pod and namespace changes, and an answer handed out must not change with the index.

const NAMESPACES = ['a', 'b'] as const;
const KEYS = ['app', 'tier', 'team'] as const;
const VALUES = ['web', 'db', ''] as const;

const labels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 });

const pod = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  name: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5'),
  labels,
  hostNetwork: fc.boolean(),
  ips: fc.constantFrom([], ['10.0.0.1'], ['10.0.0.2', 'fd00::2']),
});

/** A requirement as the schema accepts it: values for In/NotIn, none for Exists/DoesNotExist. */
const requirement = fc.oneof(
  fc.record({
    key: fc.constantFrom(...KEYS),
    operator: fc.constantFrom('In' as const, 'NotIn' as const),
    values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
);

const selector: fc.Arbitrary<LabelSelector> = fc.record(
  { matchLabels: labels, matchExpressions: fc.array(requirement, { maxLength: 2 }) },
  { requiredKeys: [] },
);

/** The operation sequence: a pod upserted or removed, by its (namespace, name). */
const change = fc.record({ pod, remove: fc.boolean() });

function toPod(p: { namespace: string; name: string; labels: Record<string, string>; hostNetwork: boolean; ips: readonly string[] }): Pod {
  return { ...p, nodeName: null, containerPorts: [], source: { file: 'f', doc: 0 } };
}

/** The selector's meaning, written out without any index. */
function holds(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  return (selector.matchExpressions ?? []).every((req) => {
    const has = Object.hasOwn(labels, req.key);
    if (req.operator === 'Exists') return has;
    if (req.operator === 'DoesNotExist') return !has;
    const listed = has && req.values!.includes(labels[req.key]!);
    return req.operator === 'In' ? listed : !listed;
  });
}

function expected(pods: ReadonlyMap<string, Pod>, namespace: string, selector: LabelSelector): Pod[] {
  return [...pods.values()]
    .filter((p) => p.namespace === namespace && isOvnPod(p) && holds(selector, p.labels))
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

describe('SelectionIndex.podsMatching against every pod checked', () => {
  it('gives the selected OVN pods in name order, through pod changes, and keeps answers it handed out', () => {
    fc.assert(
      fc.property(fc.array(pod, { maxLength: 12 }), fc.array(selector, { minLength: 1, maxLength: 4 }), fc.array(change, { maxLength: 6 }), (initial, selectors, changes) => {
        const pods = new Map<string, Pod>();
        for (const p of initial) pods.set(`${p.namespace}/${p.name}`, toPod(p));
        const index = new SelectionIndex({ namespaces: [], pods: [...pods.values()], services: [], nodes: [] });
        const handedOut: { answer: readonly Pod[]; copy: Pod[] }[] = [];
        const check = (): void => {
          for (const namespace of NAMESPACES) {
            for (const s of selectors) {
              const answer = index.podsMatching(namespace, s);
              expect(answer).toEqual(expected(pods, namespace, s));
              handedOut.push({ answer, copy: [...answer] });
            }
          }
        };
        check();
        for (const { pod: p, remove } of changes) {
          const key = `${p.namespace}/${p.name}`;
          const previous = pods.get(key);
          if (remove) {
            if (previous === undefined) continue;
            index.removePod(previous);
            pods.delete(key);
          } else {
            const next = toPod(p);
            index.upsertPod(next, previous);
            pods.set(key, next);
          }
          check();
        }
        for (const { answer, copy } of handedOut) expect(answer).toEqual(copy);
      }),
      { numRuns: 500 },
    );
  });
});
