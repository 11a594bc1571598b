import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonObjectSplitter, WatchStreamSyntaxError, type SplitValue } from '../../src/watch/index.js';

/**
 * The splitter as it was before it jumped between significant characters: it steps through every
 * character. Kept as the reference the fast one must agree with, values, lines and errors.
 */
class CharByCharSplitter {
  private pending = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private startLine = 0;
  private line = 1;
  failure: WatchStreamSyntaxError | null = null;

  push(chunk: string): SplitValue[] {
    if (this.failure) throw this.failure;
    const out: SplitValue[] = [];
    try {
      this.scan(chunk, out);
    } catch (error) {
      if (!(error instanceof WatchStreamSyntaxError)) throw error;
      this.failure = error;
    }
    return out;
  }

  private scan(chunk: string, out: SplitValue[]): void {
    const base = this.pending.length;
    this.pending += chunk;
    const text = this.pending;
    for (let i = base; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) {
        if (this.depth === 0) {
          this.start = i;
          this.startLine = this.line;
        }
        this.depth++;
      } else if (c === 125 || c === 93) {
        this.depth--;
        if (this.depth === 0) {
          out.push({ text: text.slice(this.start, i + 1), line: this.startLine });
          this.start = -1;
        } else if (this.depth < 0) {
          throw new WatchStreamSyntaxError(this.line, `unexpected "${String.fromCharCode(c)}"`);
        }
      } else if (this.depth === 0 && c !== 32 && c !== 9 && c !== 10 && c !== 13) {
        throw new WatchStreamSyntaxError(this.line, `expected a JSON object, found "${String.fromCharCode(c)}"`);
      }
    }
    // Keep only the unfinished value (or nothing) for the next chunk.
    this.pending = this.depth > 0 ? text.slice(this.start) : '';
    if (this.depth > 0) this.start = 0;
  }

  end(): void {
    if (this.failure) throw this.failure;
    if (this.depth > 0) throw new WatchStreamSyntaxError(this.startLine, 'the input ends inside a JSON value');
  }
}

interface Splitter {
  push(chunk: string): SplitValue[];
  end(): void;
  failure: WatchStreamSyntaxError | null;
}

/** Values, then the error that stopped the stream (by push or end), of `text` cut at `cuts`. */
function split(splitter: Splitter, text: string, cuts: readonly number[]): { values: SplitValue[]; error: string | null } {
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
        expect(split(new JsonObjectSplitter(), text, cuts)).toEqual(split(new CharByCharSplitter(), text, cuts));
      }),
      { seed: 1414, numRuns: 3000 },
    );
  });

  it('on well-formed pretty-printed streams: every value parses', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 6 }), fc.array(fc.nat(2000), { maxLength: 10 }), (objects, cuts) => {
        const text = objects.map((o) => `${JSON.stringify(o, null, 4)}\n`).join('');
        const fast = split(new JsonObjectSplitter(), text, cuts);
        expect(fast).toEqual(split(new CharByCharSplitter(), text, cuts));
        expect(fast.error).toBeNull();
        expect(fast.values.map((v) => JSON.parse(v.text))).toEqual(objects);
      }),
      { seed: 1415, numRuns: 500 },
    );
  });
});
