import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readObjects } from '../../src/manifests/documents.js';

describe('reading manifests', () => {
  it('splits multi-document YAML, skips empty documents and numbers documents from 0', () => {
    const text = 'kind: Pod\nmetadata: {name: a}\n---\n---\nkind: Pod\nmetadata: {name: b}\n';
    const objects = readObjects([{ name: 'pods.yaml', text }]);
    expect(objects.map((o) => [o.source.doc, (o.object.metadata as { name: string }).name])).toEqual([
      [0, 'a'],
      [2, 'b'],
    ]);
  });

  it('flattens kubectl List items and remembers the item path', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Pod' }, { kind: 'Service' }] });
    const objects = readObjects([{ name: 'all.json', text }]);
    expect(objects.map((o) => o.source)).toEqual([
      { file: 'all.json', doc: 0, itemPath: 'items[0]' },
      { file: 'all.json', doc: 0, itemPath: 'items[1]' },
    ]);
  });

  it('reports YAML errors and non-objects with file and document', () => {
    try {
      readObjects([{ name: 'bad.yaml', text: 'kind: Pod\n---\n- a list\n---\nkey: [unclosed\n' }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const lines = (e as InputError).message.split('\n');
      expect(lines[0]).toBe('bad.yaml#1: expected a Kubernetes object (a mapping)');
      expect(lines[1]).toMatch(/^bad\.yaml#2: YAML: /);
      expect(lines).toHaveLength(2);
    }
  });

  it('rejects duplicate keys, which kubectl would also refuse', () => {
    expect(() => readObjects([{ name: 'dup.yaml', text: 'kind: Pod\nkind: Service\n' }])).toThrow(/dup\.yaml#0: YAML/);
  });
});

describe('the JSON fast path', () => {
  // Documents that are JSON are read with JSON.parse; the result must be exactly what the YAML
  // parser gives for the same text (JSON is YAML), document numbers included.
  const cases: Record<string, string> = {
    'a kubectl -o json List': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'a' } }] }, null, 2),
    'JSON documents separated by ---': '{"kind":"Pod","metadata":{"name":"a"}}\n---\n{"kind":"Pod","metadata":{"name":"b"}}\n',
    'a leading marker and an empty document': '---\n{"kind":"A"}\n---\n---\n{"kind":"B"}\n',
    'comments before the first marker': '# exported\n---\n{"kind":"A"}\n',
    'a trailing marker': '{"kind":"A"}\n---\n',
    'one JSON document after blank lines': '\n\n  {"kind":"List","items":[{"kind":"A","metadata":{"name":"a"}}]}\n',
    'a JSON string holding a line separator': '{"kind":"A","metadata":{"annotations":{"note":"x\u2028# y"}}}\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`reads ${name} like the YAML parser`, () => {
      const fast = readObjects([{ name: 'f', text }]);
      // A YAML-only construct in one document sends the whole file down the YAML path.
      const viaYaml = readObjects([{ name: 'f', text: `${text.trimEnd()}\n---\nkind: Marker\n` }]);
      expect(viaYaml.slice(0, fast.length)).toEqual(fast);
      expect(viaYaml).toHaveLength(fast.length + 1);
    });
  }

  it('refuses a repeated key in JSON as the YAML parser does (JSON.parse alone would keep the last)', () => {
    // A second podSelector in a JSON policy would otherwise silently replace the first.
    const policy = '{"kind":"NetworkPolicy","spec":{"podSelector":{},"podSelector":{"matchLabels":{"app":"a"}}}}';
    expect(() => readObjects([{ name: 'one.json', text: policy }])).toThrow(/one\.json#0: YAML: Map keys must be unique/);
    expect(() => readObjects([{ name: 'two.json', text: `{"kind":"Namespace"}\n---\n${policy}\n` }])).toThrow(/two\.json#1: YAML: Map keys must be unique/);
    // Nested, and a key written with an escape that JSON.parse reads as the same name.
    expect(() => readObjects([{ name: 'deep.json', text: '{"kind":"List","items":[{"kind":"Pod","metadata":{"name":"a","n\\u0061me":"b"}}]}' }])).toThrow(/deep\.json#0: YAML/);
  });

  it('falls back to YAML for a document that only looks like JSON', () => {
    const objects = readObjects([{ name: 'flow.yaml', text: '{kind: Pod, metadata: {name: a}}\n' }]);
    expect(objects.map((o) => o.object)).toEqual([{ kind: 'Pod', metadata: { name: 'a' } }]);
  });
});
