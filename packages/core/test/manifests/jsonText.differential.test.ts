import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonUniqueKeys } from '../../src/manifests/jsonText.js';

// parseJsonUniqueKeys counts the keys written in the text by jumping from quote to quote; this
// holds it to JSON texts written here from generated trees whose objects are lists of entries, so
// a repeated key is known from the tree, not from either parser. Keys and strings are drawn with
// quotes, backslashes and colons (`a\"`, `\\`, `":`), which a wrong escape rule would misread.

type Tree = string | number | boolean | null | { readonly list: readonly Tree[] } | { readonly entries: readonly (readonly [string, Tree])[] };

const text = fc.oneof(
  fc.constantFrom('', 'a', '"', '\\', '\\"', '"\\', '\\\\', ':', '":', '\\":', ' : ', 'a"b', 'x\\\\"', '\u2028', 'é'),
  fc.string({ maxLength: 6 }),
);
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.record({ list: fc.array(tie('tree'), { maxLength: 4 }) }),
    fc.record({ entries: fc.array(fc.tuple(text, tie('tree')), { maxLength: 5 }) }),
  ),
}));
// Whitespace JSON allows between tokens, before and after `:` and `,` (JSON.stringify writes none before `:`).
const spacing = fc.constantFrom('', ' ', '\n', '\t', '\r\n  ', '  ');

function written(value: Tree, space: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if ('list' in value) return `[${space}${value.list.map((v) => written(v, space)).join(`${space},${space}`)}${space}]`;
  return `{${space}${value.entries.map(([k, v]) => `${JSON.stringify(k)}${space}:${space}${written(v, space)}`).join(`${space},${space}`)}${space}}`;
}

function repeatsAKey(value: Tree): boolean {
  if (value === null || typeof value !== 'object') return false;
  if ('list' in value) return value.list.some(repeatsAKey);
  const keys = value.entries.map(([k]) => k);
  return new Set(keys).size !== keys.length || value.entries.some(([, v]) => repeatsAKey(v));
}

describe('parseJsonUniqueKeys', () => {
  it('gives JSON.parse of a text exactly when no object of it repeats a key', () => {
    fc.assert(
      fc.property(tree, spacing, (value, space) => {
        const json = written(value, space);
        const parsed = parseJsonUniqueKeys(json);
        if (repeatsAKey(value)) expect(parsed).toBeUndefined();
        else expect(parsed).toEqual(JSON.parse(json));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads keys and values that end in escaped backslashes or hold escaped quotes', () => {
    expect(parseJsonUniqueKeys('{"a\\\\":1,"a\\\\\\"":2}')).toEqual({ 'a\\': 1, 'a\\"': 2 });
    expect(parseJsonUniqueKeys('{"a\\\\" : "\\":", "a\\\\":2}')).toBeUndefined();
    expect(parseJsonUniqueKeys('{"k":"\\\\\\":\\\\", "k" :3}')).toBeUndefined();
    expect(parseJsonUniqueKeys('not json')).toBeUndefined();
  });
});
