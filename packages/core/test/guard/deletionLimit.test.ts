import { describe, expect, it } from 'vitest';
import {
  checkDeletionLimit,
  DEFAULT_DELETION_LIMIT,
  formatDeletionRefusal,
  parseDeletionLimit,
  type DeletionCounts,
} from '../../src/guard/deletionLimit.js';

const none = { Address_Set: 0, Port_Group: 0, ACL: 0, NAT: 0, Load_Balancer: 0 };
/** The owner holds `owned` ACLs (and one port group); the write deletes `deleted` of the ACLs and keeps `wanted` rows. */
const counts = (deleted: number, owned: number, wanted = owned - deleted + 1): DeletionCounts => ({
  deleted: { ...none, ACL: deleted },
  owned: { ...none, ACL: owned - 1, Port_Group: 1 },
  wanted,
});

describe('the deletion limit', () => {
  it('by default refuses more than half of the owner’s rows only beyond 10 rows', () => {
    expect(checkDeletionLimit('o', counts(10, 12), DEFAULT_DELETION_LIMIT)).toBeNull(); // 83%, but 10 rows
    expect(checkDeletionLimit('o', counts(11, 22), DEFAULT_DELETION_LIMIT)).toBeNull(); // exactly 50%
    expect(checkDeletionLimit('o', counts(12, 22), DEFAULT_DELETION_LIMIT)).toMatchObject({ totalDeleted: 12, totalOwned: 22 });
    expect(checkDeletionLimit('o', counts(0, 22, 0), DEFAULT_DELETION_LIMIT)).toBeNull(); // nothing deleted
  });

  it('by default refuses deleting rows with none written, however few', () => {
    expect(checkDeletionLimit('o', counts(2, 3, 0), DEFAULT_DELETION_LIMIT)).not.toBeNull();
    expect(checkDeletionLimit('o', counts(2, 3, 1), DEFAULT_DELETION_LIMIT)).toBeNull();
  });

  it('--max-delete N is a number of rows, P% a share of the owner’s rows; 100% never refuses', () => {
    const five = parseDeletionLimit('5')!;
    expect(checkDeletionLimit('o', counts(5, 6, 0), five)).toBeNull();
    expect(checkDeletionLimit('o', counts(6, 100), five)).not.toBeNull();
    const quarter = parseDeletionLimit('25%')!;
    expect(checkDeletionLimit('o', counts(25, 100), quarter)).toBeNull();
    expect(checkDeletionLimit('o', counts(26, 100), quarter)).not.toBeNull();
    expect(checkDeletionLimit('o', counts(1, 1, 0), parseDeletionLimit('100%')!)).toBeNull();
    expect(checkDeletionLimit('o', counts(1, 1000), parseDeletionLimit('0')!)).not.toBeNull();
    for (const bad of ['101%', '-1', '1.5', '%', 'ten', '']) expect(parseDeletionLimit(bad)).toBeNull();
  });

  it('says how many rows of which tables would go, and how to go ahead', () => {
    const refusal = checkDeletionLimit('team "a"', { deleted: { ...none, Port_Group: 1, ACL: 4 }, owned: { ...none, Port_Group: 1, ACL: 4 }, wanted: 0 }, DEFAULT_DELETION_LIMIT)!;
    expect(formatDeletionRefusal(refusal, 'run again with --max-delete 5')).toBe(
      'refusing to delete 5 of the 5 rows of owner "team \\"a\\"" (Port_Group 1 of 1, ACL 4 of 4; none would be left): over the deletion limit, ' +
        'more than 50% and more than 10 rows, or all rows with none written (the default). Nothing was written.\n' +
        "Check the input (a missing or mistyped file removes its policies' rows); if these rows should go, run again with --max-delete 5; " +
        'to remove all rows of an owner, reconcile no rows for it with no deletion limit.',
    );
    expect(formatDeletionRefusal(refusal, 'retry', 'use nbgen delete --owner team')).toMatch(/go, retry; to remove all rows of an owner, use nbgen delete --owner team\.$/);
  });
});
