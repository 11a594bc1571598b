import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonObjectSplitter, watchEventsOf, WatchStreamSyntaxError } from '../../src/watch/index.js';

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
