import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { readObjects } from '../../src/manifests/documents';

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
