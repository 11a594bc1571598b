import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonFrameSplitter, OvsdbError } from '../../src/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
/** Bytes recorded from ovsdb-server 3.1 by fixtures/recordNbStream.ts. */
const smallStream = readFileSync(join(fixtures, 'nb-small.stream'));
const largeStream = readFileSync(join(fixtures, 'nb-large.stream'));

/**
 * An oracle independent of the splitter: a frame ends at the first closing bracket at which the
 * bytes since the frame start parse as JSON. Slow (quadratic) and only fit for test-sized input.
 */
function framesByTrialParse(stream: Buffer): string[] {
  const frames: string[] = [];
  let start = 0;
  for (let end = 0; end < stream.length; end++) {
    const byte = stream[end];
    if (byte !== 0x7d && byte !== 0x5d) continue;
    const candidate = stream.toString('utf8', start, end + 1);
    try {
      JSON.parse(candidate);
    } catch {
      continue;
    }
    frames.push(candidate.trim());
    start = end + 1;
  }
  expect(stream.toString('utf8', start).trim()).toBe('');
  return frames;
}

function splitAll(chunks: readonly Buffer[], splitter = new JsonFrameSplitter()): string[] {
  return chunks.flatMap((chunk) => splitter.push(chunk));
}

describe('JsonFrameSplitter on streams recorded from ovsdb-server', () => {
  const expectedSmall = framesByTrialParse(smallStream);
  const expectedLarge = framesByTrialParse(largeStream);

  it('finds the same frames as a trial parse, in one chunk', () => {
    // 9 messages: 7 replies (2 of them errors with no "result"), 1 update2, the server's echo.
    expect(expectedSmall).toHaveLength(9);
    expect(splitAll([smallStream])).toEqual(expectedSmall);
    expect(splitAll([largeStream])).toEqual(expectedLarge);
  });

  it('gives the same frames when the stream is split in two at every byte offset', () => {
    for (let offset = 0; offset <= smallStream.length; offset++) {
      const frames = splitAll([smallStream.subarray(0, offset), smallStream.subarray(offset)]);
      if (frames.length !== expectedSmall.length || frames.some((frame, index) => frame !== expectedSmall[index])) {
        expect.fail(`split at byte ${offset} gave different frames`);
      }
    }
  });

  it('gives the same frames when fed one byte at a time (multi-byte characters cross chunks)', () => {
    const bytes = (stream: Buffer): Buffer[] => Array.from({ length: stream.length }, (_, index) => stream.subarray(index, index + 1));
    expect(splitAll(bytes(smallStream))).toEqual(expectedSmall);
    expect(splitAll(bytes(largeStream))).toEqual(expectedLarge);
  });

  it('gives the same frames for any random chunking of the large stream (long escaped schema string)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: largeStream.length }), { maxLength: 40 }), (cuts) => {
        const offsets = [0, ...[...cuts].sort((a, b) => a - b), largeStream.length];
        const chunks = offsets.slice(1).map((end, index) => largeStream.subarray(offsets[index], end));
        expect(splitAll(chunks)).toEqual(expectedLarge);
      }),
      { seed: 7047, numRuns: 200 },
    );
  });
});

describe('JsonFrameSplitter string and escape handling', () => {
  it('ignores brackets and escaped quotes inside strings', () => {
    const frames = ['{"a":"}]\\"{[","b":["\\\\"]}', '["\\\\\\"}"]', '{"c":"\\u0022}"}'];
    expect(splitAll([Buffer.from(frames.join(''))])).toEqual(frames);
    for (const frame of frames) expect(() => JSON.parse(frame)).not.toThrow();
  });

  it('skips whitespace between frames, as ovsdb-server accepts it', () => {
    expect(splitAll([Buffer.from(' \n{"a":1}\r\n\t[2]  ')])).toEqual(['{"a":1}', '[2]']);
  });

  it('holds an incomplete frame and nothing else', () => {
    const splitter = new JsonFrameSplitter();
    expect(splitter.push(Buffer.from('{"a":1}{"b":'))).toEqual(['{"a":1}']);
    expect(splitter.pendingBytes).toBe(5);
    expect(splitter.push(Buffer.from('2}'))).toEqual(['{"b":2}']);
    expect(splitter.pendingBytes).toBe(0);
  });

  it('rejects a value that is not an object or array between frames', () => {
    const splitter = new JsonFrameSplitter();
    expect(() => splitter.push(Buffer.from('{"a":1} 42'))).toThrowError(
      expect.objectContaining({ code: 'OVSDB_PROTOCOL' }) as Error,
    );
  });
});

describe('JsonFrameSplitter maximum message size', () => {
  it('refuses a frame larger than the maximum, whether it arrives whole or in pieces', () => {
    const big = Buffer.from(JSON.stringify({ data: 'x'.repeat(200) }));
    expect(() => new JsonFrameSplitter({ maxFrameBytes: 100 }).push(big)).toThrowError(
      expect.objectContaining({ code: 'OVSDB_MESSAGE_TOO_LARGE' }) as Error,
    );
    const splitter = new JsonFrameSplitter({ maxFrameBytes: 100 });
    let thrown: unknown;
    let held = 0;
    for (let offset = 0; offset < big.length && thrown === undefined; offset += 10) {
      try {
        splitter.push(big.subarray(offset, offset + 10));
        held = Math.max(held, splitter.pendingBytes);
      } catch (error) {
        thrown = error;
      }
    }
    expect(thrown).toBeInstanceOf(OvsdbError);
    expect((thrown as OvsdbError).code).toBe('OVSDB_MESSAGE_TOO_LARGE');
    // Memory stays bounded: never more than the maximum is held.
    expect(held).toBeLessThanOrEqual(100);
  });

  it('accepts a frame of exactly the maximum size', () => {
    const frame = JSON.stringify({ data: 'y'.repeat(90) });
    expect(splitAll([Buffer.from(frame)], new JsonFrameSplitter({ maxFrameBytes: frame.length }))).toEqual([frame]);
  });
});

describe('JsonFrameSplitter fuzzing', () => {
  /** Top-level values of a JSON-RPC stream are objects or arrays; anything may be inside. */
  const frameValue = fc.oneof(
    fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 }), { maxKeys: 4 }),
    fc.array(fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 }), { maxLength: 4 }),
  );

  it('round-trips arbitrary JSON values split at arbitrary points', () => {
    fc.assert(
      fc.property(
        fc.array(frameValue, { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom('', ' ', '\n', '\r\n', '\t'), { minLength: 6, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (values, separators, cutSeeds) => {
          const stream = Buffer.from(values.map((value, index) => JSON.stringify(value) + separators[index]).join(''));
          const cuts = cutSeeds.map((seed) => seed % (stream.length + 1)).sort((a, b) => a - b);
          const offsets = [0, ...cuts, stream.length];
          const chunks = offsets.slice(1).map((end, index) => stream.subarray(offsets[index], end));
          const parsed = splitAll(chunks).map((frame) => JSON.parse(frame) as unknown);
          expect(parsed).toEqual(values.map((value) => JSON.parse(JSON.stringify(value)) as unknown));
        },
      ),
      { seed: 20231, numRuns: 500 },
    );
  });

  it('never fails with anything but an OvsdbError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const splitter = new JsonFrameSplitter({ maxFrameBytes: 128 });
        try {
          for (const chunk of chunks) {
            for (const frame of splitter.push(Buffer.from(chunk))) expect(typeof frame).toBe('string');
          }
        } catch (error) {
          expect(error).toBeInstanceOf(OvsdbError);
        }
      }),
      { seed: 99, numRuns: 1000 },
    );
  });

  it('never fails with anything but an OvsdbError on JSON-like noise', () => {
    const jsonish = fc
      .array(fc.constantFrom('{', '}', '[', ']', '"', '\\', ':', ',', 'a', ' ', 'é', '🙂'), { maxLength: 60 })
      .map((parts) => Buffer.from(`{${parts.join('')}`));
    fc.assert(
      fc.property(jsonish, fc.nat(), (stream, cut) => {
        const splitter = new JsonFrameSplitter({ maxFrameBytes: 1000 });
        const at = cut % (stream.length + 1);
        try {
          splitter.push(stream.subarray(0, at));
          splitter.push(stream.subarray(at));
        } catch (error) {
          expect(error).toBeInstanceOf(OvsdbError);
        }
      }),
      { seed: 5, numRuns: 1000 },
    );
  });
});
