import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonObjectSplitter, WatchStreamSyntaxError, type SplitValue } from '../../src/watch/index.js';

/** The values of a stream, then the error that stopped it (by push or end). */
interface Outcome {
  readonly values: SplitValue[];
  readonly error: string | null;
}

/**
 * The splitter as it was before it jumped between significant characters: it steps through every
 * character, here over the whole stream at once (a value cut across chunks ends the same). Kept
 * as the reference the fast one, fed in chunks, must agree with: values, lines and errors.
 */
function splitCharByChar(text: string): Outcome {
  const values: SplitValue[] = [];
  const stopped = (line: number, message: string): Outcome => ({ values, error: new WatchStreamSyntaxError(line, message).message });
  let depth = 0;
  let inString = false;
  let start = -1;
  let startLine = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      // The whole text is at hand, so an escape is its next character, stepped over (counted
      // if it is a newline).
      if (c === 92 && i + 1 < text.length && text.charCodeAt(++i) === 10) line++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (depth === 0) {
        start = i;
        startLine = line;
      }
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) values.push({ text: text.slice(start, i + 1), line: startLine });
      else if (depth < 0) return stopped(line, `unexpected "${String.fromCharCode(c)}"`);
    } else if (depth === 0 && c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      return stopped(line, `expected a JSON object, found "${String.fromCharCode(c)}"`);
    }
  }
  return depth > 0 ? stopped(startLine, 'the input ends inside a JSON value') : { values, error: null };
}

/** What the splitter makes of `text` cut at `cuts`. */
function split(splitter: JsonObjectSplitter, text: string, cuts: readonly number[]): Outcome {
  const points = [...new Set([0, ...cuts.filter((c) => c <= text.length), text.length])].sort((a, b) => a - b);
  const values: SplitValue[] = [];
  try {
    for (let i = 1; i < points.length; i++) {
      values.push(...splitter.push(text.slice(points[i - 1], points[i])));
      if (splitter.failure) throw splitter.failure;
    }
    splitter.end();
  } catch (error) {
    return { values, error: (error as Error).message };
  }
  return { values, error: null };
}

// Streams made of the characters the splitter cares about, quoted text with escapes (runs of
// backslashes), whitespace and stray characters, so strings, escapes and brackets fall on chunk
// boundaries in every way.
const piece = fc.oneof(
  fc.constantFrom('{', '}', '[', ']', '"', '\\', '\\\\', '\\"', ' ', '    ', '\n', '\r\n', '\t', ':', ',', 'a', 'x1', 'é'),
  fc.jsonValue().map((v) => JSON.stringify(v, null, 4)),
  fc.string().map((s) => JSON.stringify({ s })),
);

describe('JsonObjectSplitter agrees with a character-by-character scan', () => {
  it('on random text cut into random chunks: same values, lines and errors', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(400), { maxLength: 10 }), (pieces, cuts) => {
        const text = pieces.join('');
        expect(split(new JsonObjectSplitter(), text, cuts)).toEqual(splitCharByChar(text));
      }),
      { seed: 1414, numRuns: 3000 },
    );
  });

  it('on well-formed pretty-printed streams: every value parses', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 6 }), fc.array(fc.nat(2000), { maxLength: 10 }), (objects, cuts) => {
        const text = objects.map((o) => `${JSON.stringify(o, null, 4)}\n`).join('');
        const fast = split(new JsonObjectSplitter(), text, cuts);
        expect(fast).toEqual(splitCharByChar(text));
        expect(fast.error).toBeNull();
        expect(fast.values.map((v) => JSON.parse(v.text))).toEqual(objects);
      }),
      { seed: 1415, numRuns: 500 },
    );
  });
});
