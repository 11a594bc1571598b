import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedSet } from '../../src/rows/sortedSet.js';

describe('sortedSet', () => {
  it('takes a frozen list in order as the set, and copies, sorts and de-duplicates any other', () => {
    const frozen = Object.freeze(['a', 'b', 'c']);
    expect(sortedSet(frozen)).toBe(frozen);
    const open = ['a', 'b', 'c'];
    const copied = sortedSet(open);
    expect(copied).not.toBe(open);
    open.push('d');
    expect(copied).toEqual(['a', 'b', 'c']);
    expect(sortedSet(Object.freeze(['b', 'a', 'b']))).toEqual(['a', 'b']);
    expect(Object.isFrozen(sortedSet(['b', 'a']))).toBe(true);
  });
});

describe('sortedSet, differential', () => {
  // The unsorted path drops repeats after sorting; held to the Set-then-sort it replaced on lists
  // with repeats, neighbours that differ by one code unit, and the empty string.
  it('gives the distinct values sorted by code units, as [...new Set(values)].sort() does', () => {
    const value = fc.oneof(fc.constantFrom('', 'a', 'b', 'a\u0000', '10.0.0.1', '10.0.0.10', '10.0.0.2', 'é', '\uD83D\uDE00'), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 30 }), fc.boolean(), (values, frozen) => {
        const input = frozen ? Object.freeze([...values]) : [...values];
        const set = sortedSet(input);
        expect(set).toEqual([...new Set(values)].sort());
        expect(Object.isFrozen(set)).toBe(true);
        expect(input).toEqual(values); // the caller's list is left as it was
      }),
      { numRuns: 2000 },
    );
  });
});
