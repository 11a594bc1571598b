import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AclRow, sortNbRows, type AclRow as AclRowType } from '../../src/rows/index.js';
import { aclSortKey } from '../../src/rows/aclOrder.js';

// sortNbRows orders ACLs by comparing their fields one by one instead of by one key text per row;
// both must give the same order (ties kept in input order), whatever the fields hold: names that
// are prefixes of others, tiers and priorities whose texts order unlike their numbers, and NULs,
// with which the key text is used.

const text = fc.constantFrom('', 'a', 'ab', 'a.b', 'a\u0000', 'a\u0000b', 'b', 'np.x', 'np.x_y');
const acl: fc.Arbitrary<AclRowType> = fc
  .record({
    portGroup: text,
    direction: fc.constantFrom('from-lport' as const, 'to-lport' as const),
    priority: fc.constantFrom(0, 1, 2, 10, 1000, 2000, 2001, 32767, 32769, 32770, 40000, -5),
    match: text,
    action: fc.constantFrom('allow' as const, 'allow-related' as const, 'drop' as const, 'pass' as const),
    tier: fc.constantFrom(null, 0, 1, 2, 3, 10),
    id: fc.nat(),
  })
  .map(({ id, ...fields }) =>
    AclRow({ ...fields, name: null, log: false, severity: null, meter: null, options: {}, externalIds: { id: String(id) } }),
  );

const byKey = (rows: readonly AclRowType[]): AclRowType[] =>
  rows
    .map((row) => ({ key: aclSortKey(row), row }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .map(({ row }) => row);

const sorted = (acls: readonly AclRowType[]): readonly AclRowType[] =>
  sortNbRows({ portGroups: [], addressSets: [], acls, nats: [], loadBalancers: [] }).acls;

describe('ACL order', () => {
  it('is the order of the key texts, ties in input order', () => {
    fc.assert(
      fc.property(fc.array(acl, { maxLength: 40 }), (acls) => {
        expect(sorted(acls)).toStrictEqual(byKey(acls));
      }),
      { numRuns: 2000 },
    );
  });

  it('is the order of the key texts without NULs too (the field-by-field comparison)', () => {
    const clean = acl.filter((row) => !row.portGroup.includes('\u0000') && !row.match.includes('\u0000'));
    fc.assert(
      fc.property(fc.array(clean, { maxLength: 40 }), (acls) => {
        expect(sorted(acls)).toStrictEqual(byKey(acls));
      }),
      { numRuns: 2000 },
    );
  });
});
