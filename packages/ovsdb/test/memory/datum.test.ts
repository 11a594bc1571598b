/**
 * Value semantics of the in-memory server (lib/ovsdb-data.c): sorted unique datums, update2
 * diffs (ovsdb-server(7) §4.1.14 and the verified examples of the reference notes), map insert
 * that never overwrites, map delete by pairs or by keys, and the text form used in messages.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../src/schema/types.js';
import { datumDiff, datumSubtract, datumUnion, compareStrings } from '../../src/memory/datum.js';
import { datumToJson, parseDatum } from '../../src/memory/datumJson.js';
import { datumToString, formatReal } from '../../src/memory/datumText.js';
import { DbError } from '../../src/memory/dbError.js';

const stringMap: ColumnType = { key: { type: 'string' }, value: { type: 'string' }, min: 0, max: Infinity };
const stringSet: ColumnType = { key: { type: 'string' }, min: 0, max: Infinity };
const optionalString: ColumnType = { key: { type: 'string' }, min: 0, max: 1 };
const map = (pairs: [string, string][]) => parseDatum(stringMap, ['map', pairs], null);
const set = (items: string[]) => parseDatum(stringSet, ['set', items], null);

describe('update2 diffs', () => {
  it('sends map pairs whose key is on one side only, and the new value of changed keys', () => {
    const diff = (a: [string, string][], b: [string, string][]) => datumToJson(stringMap, datumDiff(stringMap, map(a), map(b)));
    expect(diff([['a', '1'], ['b', '2']], [['b', '2'], ['c', '3']])).toEqual(['map', [['a', '1'], ['c', '3']]]);
    expect(diff([['a', '1'], ['b', '2']], [['a', '1'], ['b', '20']])).toEqual(['map', [['b', '20']]]);
  });

  it('sends the symmetric difference of sets, bare when it has one element', () => {
    expect(datumToJson(stringSet, datumDiff(stringSet, set(['x', 'y']), set(['y', 'z'])))).toEqual(['set', ['x', 'z']]);
    expect(datumToJson(stringSet, datumDiff(stringSet, set(['x']), set(['x', 'y'])))).toBe('y');
  });

  it('sends the whole new value of a column of at most one element, ["set",[]] when cleared', () => {
    const a = parseDatum(optionalString, 'a', null);
    const empty = parseDatum(optionalString, ['set', []], null);
    expect(datumToJson(optionalString, datumDiff(optionalString, a, parseDatum(optionalString, 'b', null)))).toBe('b');
    expect(datumToJson(optionalString, datumDiff(optionalString, a, empty))).toEqual(['set', []]);
  });
});

describe('set and map algebra', () => {
  it('keeps existing map keys on insert and deletes by exact pairs or by keys', () => {
    expect(datumToJson(stringMap, datumUnion(stringMap, map([['k', '1']]), map([['k', '2'], ['j', '3']])))).toEqual(['map', [['j', '3'], ['k', '1']]]);
    expect(datumToJson(stringMap, datumSubtract(stringMap, map([['k', '1']]), map([['k', '2']])))).toEqual(['map', [['k', '1']]]);
    expect(datumToJson(stringMap, datumSubtract(stringMap, map([['k', '1']]), set(['k'])))).toEqual(['map', []]);
  });

  it('sorts like ovsdb-server (strcmp on UTF-8) and rejects duplicates', () => {
    expect(datumToJson(stringSet, set(['b', 'a', '\u{1f600}', '\uffff']))).toEqual(['set', ['a', 'b', '\uffff', '\u{1f600}']]);
    expect(compareStrings('\uffff', '\u{1f600}')).toBeLessThan(0);
    expect(() => set(['a', 'a'])).toThrow(DbError);
    try {
      set(['a', 'a']);
    } catch (e) {
      expect((e as DbError).toJson()).toEqual({ details: 'set contains duplicate', error: 'ovsdb error' });
    }
  });
});

describe('text in error messages', () => {
  it('quotes strings that are not plain identifiers, brackets sets and maps', () => {
    expect(datumToString(stringSet, set(['pg1', '10.0.0.1', 'true', 'a b']))).toBe('["10.0.0.1", "a b", pg1, "true"]');
    expect(datumToString(stringMap, map([['k', 'v']]))).toBe('{k=v}');
    expect(datumToString(optionalString, parseDatum(optionalString, 'x', null))).toBe('x');
  });

  it('prints reals with 15 significant digits', () => {
    expect([formatReal(1.5), formatReal(2), formatReal(0.1 + 0.2), formatReal(9.223372036854776e18)]).toEqual(['1.5', '2', '0.3', '9.22337203685478e+18']);
  });
});
