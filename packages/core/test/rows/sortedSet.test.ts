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
