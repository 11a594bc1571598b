import { describe, expect, it } from 'vitest';
import { AclRow } from '../../src/rows/index.js';
import { ownedExternalIds } from '../../src/ownership.js';

const acl = (options: Record<string, string>, externalIds: Record<string, string>) =>
  AclRow({
    portGroup: 'np.a.b',
    direction: 'to-lport',
    priority: 2000,
    match: 'ip',
    action: 'drop',
    name: null,
    log: false,
    severity: null,
    meter: null,
    tier: null,
    options,
    externalIds,
  });

describe('row string maps', () => {
  it("keep a caller's frozen map as it is and copy any other, so no row changes after it is made", () => {
    const ids = ownedExternalIds('nbgen', { kind: 'NetworkPolicy', namespace: 'a', name: 'b' });
    const options = Object.freeze({ 'apply-after-lb': 'true' });
    const shared = acl(options, ids);
    expect(shared.externalIds).toBe(ids);
    expect(shared.options).toBe(options);

    const mutable: Record<string, string> = { 'apply-after-lb': 'true' };
    const copied = acl(mutable, { ...ids });
    mutable['apply-after-lb'] = 'false';
    expect(copied.options).toEqual({ 'apply-after-lb': 'true' });
    expect(Object.isFrozen(copied.options) && Object.isFrozen(copied.externalIds)).toBe(true);
    expect(copied).toEqual(shared);
  });
});
