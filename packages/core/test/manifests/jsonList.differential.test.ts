import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoadedModel } from '../../src/manifests/load.js';
import { loadModelReading } from '../../src/manifests/modelLoading.js';
import type { ManifestSource } from '../../src/manifests/documents.js';

// loadModel reads one `kind: List` JSON file item by item (manifests/jsonList.ts); any other input,
// two files among them, goes through readObjects as before. This holds the two equal on generated
// lists and on their mutations (a repeated key in an item or in the list, an item that is not an
// object, `items` written twice or not an array, a character dropped anywhere): the same model,
// ignored objects and count, or the same error with the same issues (file#doc field.path).
// The reference is the same file followed by an empty one, which takes the readObjects path.
// (loadModel reads only lists of 1 MB or more item by item; here every list is.)

const loadModel = (sources: readonly ManifestSource[]) => loadModelReading(sources, {}, 0);

function outcome(sources: readonly ManifestSource[]): LoadedModel | { error: string; issues: unknown } {
  try {
    return loadModel(sources);
  } catch (error) {
    return { error: String(error), issues: (error as { issues?: unknown }).issues };
  }
}

const name = fc.constantFrom('a', 'web-1', 'db', 'Bad_Name', '');
const namespace = fc.constantFrom('ns-1', 'ns-2', undefined, 'Bad NS');
const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'k8s.io/x', 'bad key!'), fc.constantFrom('web', 'db', '', 'bad value!', 'x"y', 'a\\b'), { maxKeys: 2 });
const metadata = fc.record({ name, namespace, labels }, { requiredKeys: ['name'] });
const pod = fc.record({
  apiVersion: fc.constantFrom('v1', 'v2'),
  kind: fc.constant('Pod'),
  metadata,
  spec: fc.record({ nodeName: fc.constantFrom('node-1', 7), containers: fc.constant([{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }]) }, { requiredKeys: [] }),
  status: fc.record({ podIP: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.01'), podIPs: fc.constantFrom([{ ip: '10.0.0.1' }], [{ ip: 'fd00::1' }, { ip: '10.0.0.1' }]) }, { requiredKeys: [] }),
});
const namespaceObject = fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Namespace'), metadata: fc.record({ name: fc.constantFrom('ns-1', 'ns-2', 'Bad'), labels }) });
const policy = fc.record({
  apiVersion: fc.constantFrom('networking.k8s.io/v1', 'networking.k8s.io/v1beta1'),
  kind: fc.constant('NetworkPolicy'),
  metadata,
  spec: fc.record(
    {
      podSelector: fc.record({ matchLabels: labels }, { requiredKeys: [] }),
      ingress: fc.constantFrom([], [{ from: [{ podSelector: { matchLabels: { app: 'db' } } }] }], [{ from: [{ ipBlock: { cidr: '10.0.0.1/24' } }] }], 'x'),
      policyTypes: fc.constantFrom(['Ingress'], ['Egress', 'Ingress'], ['Sideways']),
    },
    { requiredKeys: [] },
  ),
});
const other = fc.constantFrom({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, { kind: 'Pod' }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [] } }, {});
const item = fc.oneof(pod, pod, namespaceObject, policy, other);
const spacing = fc.constantFrom(0, 2, 4, '\t');
const listKind = fc.constantFrom('List', 'PodList', 'Pod');

/** Text mutations: each may make the file not JSON, not a list, or a list with a repeated key. */
const mutation = fc.oneof(
  fc.constant<(text: string) => string>((text) => text),
  fc.constant<(text: string) => string>((text) => text.replace('"items"', '"kind":"Again","items"')),
  fc.constant<(text: string) => string>((text) => text.replace(/"metadata":\s*\{/, (m) => `${m}"name":"twice",`)),
  fc.constant<(text: string) => string>((text) => text.replace(/"items":\s*\[/, (m) => `${m}null,`)),
  fc.constant<(text: string) => string>((text) => text.replace(/"items":\s*\[/, (m) => `${m}[],`)),
  fc.constant<(text: string) => string>((text) => text.replace(/"items":\s*\[/, '"items":{"a":[')),
  fc.constant<(text: string) => string>((text) => text.replace(/\}\s*\]\s*\}\s*$/, '}],"items":[]}')),
  fc.constant<(text: string) => string>((text) => text.replace(/\}\s*,\s*\{/, '} {')),
  fc.constant<(text: string) => string>((text) => `${text} x`),
  fc.constant<(text: string) => string>((text) => `\n ${text}`),
  fc.nat().map((at) => (text: string) => text.slice(0, at % text.length) + text.slice((at % text.length) + 1)),
  fc
    .tuple(fc.nat(), fc.constantFrom(',', '{', '}', '[', ']', '"', '\\', ':', ' ', '\u2028'))
    .map(([at, char]) => (text: string) => text.slice(0, at % text.length) + char + text.slice(at % text.length)),
  fc.constant<(text: string) => string>((text) => text.replace(/\}\s*,\s*\{/, '},,{')),
  fc.constant<(text: string) => string>((text) => text.replace(/"items":\s*\[/, (m) => `${m},`)),
  fc.constant<(text: string) => string>((text) => text.replace(/\}(\s*)\]/, '},$1]')),
);

describe('a kind: List JSON file read item by item', () => {
  it('gives what readObjects and the object loop give, model or issues', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), listKind, spacing, mutation, (items, kind, space, mutate) => {
        const text = mutate(JSON.stringify({ apiVersion: 'v1', kind, items, metadata: { resourceVersion: '' } }, null, space));
        const fast = outcome([{ name: 'list.json', text }]);
        const reference = outcome([{ name: 'list.json', text }, { name: 'empty.json', text: '' }]);
        expect(fast).toEqual(reference);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a list whose strings hold quotes, backslashes, brackets and the word items', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'n', annotations: { '"items":[': '}]\\', x: '\\"{[' } } };
    const text = JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { note: '"items": [1]' }, items: [pod, { ...pod, metadata: { ...pod.metadata, name: 'b' } }] });
    const fast = loadModel([{ name: 'l.json', text }]);
    expect(fast.model.pods.map((p) => [p.name, p.source])).toEqual([
      ['a', { file: 'l.json', doc: 0, itemPath: 'items[0]' }],
      ['b', { file: 'l.json', doc: 0, itemPath: 'items[1]' }],
    ]);
    expect(fast).toEqual(loadModel([{ name: 'l.json', text }, { name: 'e', text: '' }]));
  });

  it('takes the items of the list, not an `items` array of an object in its head', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'n' } };
    for (const items of [[], [{ ...pod, metadata: { name: 'b', namespace: 'n' } }]]) {
      const text = JSON.stringify({ kind: 'List', metadata: { items: [pod] }, items }, null, 2);
      const fast = loadModel([{ name: 'l.json', text }]);
      expect(fast.model.pods.map((p) => p.name)).toEqual(items.map((i) => i.metadata.name));
      expect(fast).toEqual(loadModel([{ name: 'l.json', text }, { name: 'e', text: '' }]));
    }
  });

  it('leaves a list holding a line separator to the document split, as a whole JSON text is', () => {
    // `\u2028# y` in a string: the split's multiline regex sees a comment line there and strips it.
    for (const note of ['x\u2028# y', 'x\u2029---']) {
      const text = JSON.stringify({ kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', annotations: { note } } }] });
      expect(outcome([{ name: 'l.json', text }])).toEqual(outcome([{ name: 'l.json', text }, { name: 'e', text: '' }]));
    }
  });
});
