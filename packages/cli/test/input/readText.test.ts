import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readText } from '../../src/input/readSources.js';
import { scratchDirectory } from '../inProcessNbgen.js';

// readText decodes a buffer where it used `readFileSync(path, 'utf8')` (twice as fast on Node 20):
// the text must be the same for any bytes, invalid UTF-8 (replacement characters), a BOM, NUL,
// truncated sequences and surrogate encodings included.

const { path: scratch } = scratchDirectory('nbgen-readtext-');
const file = join(scratch, 'input.json');

/** Bytes that are mostly UTF-8 fragments, so that valid and broken sequences both occur. */
const fragment = fc.oneof(
  fc.string({ unit: 'binary' }).map((text) => Buffer.from(text, 'utf8')),
  fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    Buffer.from([0xef, 0xbb, 0xbf]), // BOM
    Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate (invalid UTF-8)
    Buffer.from([0xf0, 0x9f, 0x98]), // a four-byte sequence cut short
    Buffer.from([0xc0, 0xaf]), // overlong
    Buffer.from([0x00]),
  ),
);

describe('readText decodes a file as readFileSync(path, "utf8")', () => {
  it('on random bytes, valid or not', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }), (parts) => {
        writeFileSync(file, Buffer.concat(parts));
        expect(readText('input.json', file)).toBe(readFileSync(file, 'utf8'));
      }),
      { numRuns: 500 },
    );
  });

  it('on a text over the one-byte and two-byte string sizes', () => {
    for (const text of ['a'.repeat(70_000), `${'é'.repeat(40_000)}😀`, `\uFEFF{"kind":"List"}`]) {
      writeFileSync(file, text);
      expect(readText('input.json', file)).toBe(readFileSync(file, 'utf8'));
    }
  });
});
