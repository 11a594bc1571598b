// valuesEqual decides whether the planner writes a column: sets compare as sets (order aside),
// maps key by key, whatever their size (a few atoms and a map take paths without a set or a key list).
import { describe, expect, it } from 'vitest';
import { valuesEqual } from '../../src/notation/canonical.js';
import type { Value } from '../../src/notation/value.js';

describe('valuesEqual', () => {
  it('compares sets as sets, few and many atoms alike', () => {
    for (const n of [0, 1, 3, 8, 9, 40]) {
      const atoms = Array.from({ length: n }, (_, i) => `a${i}`);
      expect(valuesEqual(atoms, [...atoms].reverse())).toBe(true);
      if (n === 0) continue;
      expect(valuesEqual(atoms, [...atoms.slice(1), 'other'])).toBe(false);
      expect(valuesEqual(atoms, atoms.slice(1))).toBe(false);
    }
    expect(valuesEqual([1, 2], ['1', '2'])).toBe(false);
  });

  it('compares maps key by key, in both directions', () => {
    const map = (entries: Record<string, string>): Value => entries;
    expect(valuesEqual(map({ a: '1', b: '2' }), map({ b: '2', a: '1' }))).toBe(true);
    expect(valuesEqual(map({}), map({}))).toBe(true);
    expect(valuesEqual(map({ a: '1' }), map({ a: '1', b: '2' }))).toBe(false);
    expect(valuesEqual(map({ a: '1', b: '2' }), map({ a: '1' }))).toBe(false);
    expect(valuesEqual(map({ a: '1', b: '2' }), map({ a: '1', c: '2' }))).toBe(false);
    expect(valuesEqual(map({ a: '1' }), map({ a: '2' }))).toBe(false);
    expect(valuesEqual(map({ a: '1' }), ['a', '1'])).toBe(false);
  });
});
