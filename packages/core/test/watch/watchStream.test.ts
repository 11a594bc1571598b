import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonObjectSplitter, watchEventsOf, watchEventsOfText, WatchStreamSyntaxError } from '../../src/watch/index.js';

const events = [
  { type: 'ADDED', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x', annotations: { note: 'has } and { and "quotes\\" inside' } } } },
  { type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '12' } } },
  { type: 'DELETED', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x' } } },
];
// kubectl's JSON printer: 4-space indentation, one value after another.
const stream = events.map((e) => `${JSON.stringify(e, null, 4)}\n`).join('');

describe('JsonObjectSplitter', () => {
  it('gives the same values however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set([0, ...cuts, stream.length])].sort((a, b) => a - b);
        const splitter = new JsonObjectSplitter();
        const values = points.slice(1).flatMap((end, i) => splitter.push(stream.slice(points[i], end)));
        splitter.end();
        expect(values.map((v) => JSON.parse(v.text))).toEqual(events);
        expect(values.map((v) => v.line)).toEqual(stream.split('\n').flatMap((l, i) => (l === '{' ? [i + 1] : [])));
      }),
      { seed: 14, numRuns: 200 },
    );
  });

  it('reads compact values on one line and values that follow each other without whitespace', () => {
    const splitter = new JsonObjectSplitter();
    expect(splitter.push('{"a":1}{"b":[2]}\n{"c":"}"}').map((v) => v.text)).toEqual(['{"a":1}', '{"b":[2]}', '{"c":"}"}']);
  });

  it('refuses text between values and a value cut off at the end, naming the line', () => {
    const broken = new JsonObjectSplitter();
    expect(broken.push('{"a":1}\nerror: the server is gone\n').map((v) => v.text)).toEqual(['{"a":1}']);
    expect(broken.failure).toEqual(new WatchStreamSyntaxError(2, 'expected a JSON object, found "e"'));
    expect(() => broken.push('{}')).toThrow('line 2: expected a JSON object, found "e"');
    const splitter = new JsonObjectSplitter();
    splitter.push('{"a":1}\n{"b":\n');
    expect(() => splitter.end()).toThrow('line 2: the input ends inside a JSON value');
  });
});

describe('watchEventsOf', () => {
  const source = { file: '-', doc: 3 };
  it('reads watch events, plain objects and Lists (as ADDED)', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } };
    expect(watchEventsOf({ type: 'MODIFIED', object: pod }, source)).toEqual([{ type: 'upsert', object: pod, source }]);
    expect(watchEventsOf({ type: 'DELETED', object: pod }, source)).toEqual([{ type: 'delete', object: pod, source }]);
    expect(watchEventsOf({ type: 'BOOKMARK', object: { metadata: {} } }, source)).toEqual([{ type: 'bookmark' }]);
    expect(watchEventsOf(pod, source)).toEqual([{ type: 'upsert', object: pod, source }]);
    expect(watchEventsOf({ apiVersion: 'v1', kind: 'List', items: [pod, 7] }, source)).toEqual([
      { type: 'upsert', object: pod, source: { ...source, itemPath: 'items[0]' } },
      { type: 'error', message: 'expected an object', source: { ...source, itemPath: 'items[1]' } },
    ]);
    expect(watchEventsOf({ type: 'ERROR', object: { kind: 'Status', message: 'too old resource version' } }, source)).toEqual([
      { type: 'error', message: 'the watch reported an error: too old resource version', source },
    ]);
  });
});

describe('watchEventsOfText', () => {
  const source = { file: '-', doc: 3 };

  it('reads a value as watchEventsOf reads its parse', () => {
    for (const event of events) {
      const text = JSON.stringify(event, null, 4);
      expect(watchEventsOfText({ text, line: 7 }, source)).toEqual(watchEventsOf(JSON.parse(text), source));
    }
  });

  it('makes text that is not JSON one error event naming its line', () => {
    const [event] = watchEventsOfText({ text: '{"type": "ADDED", "object": {]}', line: 12 }, source);
    expect(event).toMatchObject({ type: 'error', source });
    expect((event as { message: string }).message).toMatch(/^line 12: JSON: /);
  });

  it('refuses a value that repeats a key within one object, where JSON.parse would keep the last', () => {
    // Two podSelectors: JSON.parse silently selects with the second; the writer's intent is unknown.
    const text =
      '{"type": "MODIFIED", "object": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "x"}, ' +
      '"spec": {"podSelector": {"matchLabels": {"app": "db"}}, "podSelector": {}, "policyTypes": ["Ingress"]}}}';
    expect(watchEventsOfText({ text, line: 40 }, source)).toEqual([
      { type: 'error', message: 'line 40: JSON: a key is repeated within one object, so which value counts is ambiguous', source },
    ]);
    // The same key in two different objects is no repetition.
    const twice = '{"type": "ADDED", "object": {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "a", "namespace": "x", "labels": {"name": "a"}}}}';
    expect(watchEventsOfText({ text: twice, line: 1 }, source)).toEqual(watchEventsOf(JSON.parse(twice), source));
  });
});
