import { describe, expect, it } from 'vitest';
import { type Value } from '../../src/index.js';
import { applyColumnDiff, applyRowDiff } from '../../src/subpaths/cache.js';
import { nbSchema, U1, U2, U3 } from '../client/fakeChannel.js';

const schema = nbSchema();
const type = (table: string, column: string) => schema.column(table, column).type;
const apply = (table: string, column: string, current: Value, diff: unknown) =>
  applyColumnDiff(type(table, column), current, diff, `${table}.${column}`);

// The cases of the reference §3.2, observed on ovsdb-server 3.1 (lib/ovsdb-data.c ovsdb_datum_diff).
describe('update2 modify diffs', () => {
  it('replaces max==1 columns with the value sent: ACL.name "a" → "b"', () => {
    expect(apply('ACL', 'name', 'a', 'b')).toBe('b');
  });

  it('clears an optional column sent as ["set",[]]', () => {
    expect(apply('ACL', 'name', 'a', ['set', []])).toBeNull();
  });

  it('sets an empty optional column sent as a bare atom: severity → "info"', () => {
    expect(apply('ACL', 'severity', null, 'info')).toBe('info');
  });

  it('toggles set members; a 1-element diff is a bare atom', () => {
    expect(apply('Port_Group', 'acls', [U1, U2], ['uuid', U3])).toEqual([U1, U2, U3]);
    expect(apply('Port_Group', 'acls', [U1, U2], ['uuid', U1])).toEqual([U2]);
    expect(apply('Port_Group', 'acls', [U1, U2], ['set', [['uuid', U2], ['uuid', U3]]])).toEqual([U1, U3]);
  });

  it("keeps the survivors' order and appends new members in the diff's order (the planner's set lineage walks them so)", () => {
    const addresses = ['10.0.0.5', '10.0.0.1', '10.0.0.9', '10.0.0.3'];
    const diff = ['set', ['10.0.0.8', '10.0.0.1', '10.0.0.2', '10.0.0.3']];
    expect(apply('Address_Set', 'addresses', addresses, diff)).toEqual(['10.0.0.5', '10.0.0.9', '10.0.0.8', '10.0.0.2']);
    expect(apply('Address_Set', 'addresses', addresses, ['set', []])).toEqual(addresses);
  });

  it('toggles any number of members as a walk over a set of the column would (few and many toggles take different paths)', () => {
    const atoms = Array.from({ length: 40 }, (_, i) => `10.0.${i % 7}.${i}`);
    const current = atoms.filter((_, i) => i % 3 !== 0);
    const reference = (toggles: readonly string[]) => {
      const members = new Set(current);
      for (const atom of toggles) if (!members.delete(atom)) members.add(atom);
      return [...members];
    };
    for (let n = 0; n <= 20; n++) {
      const toggles = Array.from({ length: n }, (_, k) => atoms[(k * 11 + n * 5) % atoms.length]!).filter((a, k, all) => all.indexOf(a) === k);
      expect(apply('Address_Set', 'addresses', current, ['set', toggles])).toEqual(reference(toggles));
    }
  });

  it('applies map diffs per key: {a:1,b:2} → {b:2,c:3} sent as [[a,1],[c,3]]', () => {
    expect(apply('ACL', 'external_ids', { a: '1', b: '2' }, ['map', [['a', '1'], ['c', '3']]])).toEqual({ b: '2', c: '3' });
  });

  it('replaces a changed map value: b 2 → 20 sent as [[b,20]]', () => {
    expect(apply('ACL', 'external_ids', { b: '2', c: '3' }, ['map', [['b', '20']]])).toEqual({ b: '20', c: '3' });
  });

  it('applies a whole row diff, leaving other columns untouched', () => {
    const row = { name: 'a', priority: 1, external_ids: { a: '1' }, log: false };
    expect(applyRowDiff(schema.table('ACL'), row, { priority: 2, log: true, external_ids: ['map', [['a', '1']]] })).toEqual({
      name: 'a',
      priority: 2,
      external_ids: {},
      log: true,
    });
  });
});
