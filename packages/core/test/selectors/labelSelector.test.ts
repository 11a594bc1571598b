import { describe, expect, it } from 'vitest';
import { labelSelectorSchema, matchesLabels } from '../../src/selectors/labelSelector.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };

  it('matches like the Kubernetes API: every requirement must hold, empty matches all', () => {
    expect(matchesLabels({}, labels)).toBe(true);
    expect(matchesLabels({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(matchesLabels({ matchLabels: { app: 'db' } }, labels)).toBe(false);
    const cases: [Parameters<typeof matchesLabels>[0], boolean][] = [
      [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, true],
      [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
      [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, true],
      [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
      [{ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, false],
      [{ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, true],
      [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    ];
    for (const [selector, expected] of cases) expect(matchesLabels(selector, labels), JSON.stringify(selector)).toBe(expected);
  });

  it('rejects operators and values the API server rejects', () => {
    const bad = [
      { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] },
      { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      { matchLabel: { a: 'b' } },
    ];
    for (const selector of bad) expect(labelSelectorSchema.safeParse(selector).success, JSON.stringify(selector)).toBe(false);
  });
});
