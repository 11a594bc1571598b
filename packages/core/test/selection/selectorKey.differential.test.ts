import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requirementsText, selectorKey } from '../../src/selection/selectorKey.js';
import type { LabelSelector } from '../../src/selectors/labelSelector.js';

// selectorKey writes a selector of one matchLabels pair without building its requirement set;
// every selector must get the text the general writer gives it.

const key = fc.constantFrom('app', 'tier', 'example.com/role', 'a.b-c_d');
const value = fc.constantFrom('web', '', 'db-1', 'x.y');
const requirement = fc.oneof(
  fc.record({ key, operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.array(value, { minLength: 1, maxLength: 3 }) }),
  fc.record({ key, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
);
const selector: fc.Arbitrary<LabelSelector> = fc.record(
  { matchLabels: fc.dictionary(key, value, { maxKeys: 3 }), matchExpressions: fc.array(requirement, { maxLength: 2 }) },
  { requiredKeys: [] },
);

describe('selectorKey', () => {
  it('gives every selector the general canonical text', () => {
    fc.assert(
      fc.property(selector, (s) => {
        // A fresh copy each time: selectorKey remembers its answer per object.
        expect(selectorKey(structuredClone(s))).toBe(requirementsText(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes one pair as the general writer does, also when an expression repeats it', () => {
    expect(selectorKey({ matchLabels: { app: 'web' } })).toBe('{app=web}');
    expect(selectorKey({ matchLabels: { app: 'web' }, matchExpressions: [] })).toBe('{app=web}');
    expect(selectorKey({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] })).toBe('{app=web}');
    expect(selectorKey({ matchLabels: {} })).toBe('{}');
  });
});
