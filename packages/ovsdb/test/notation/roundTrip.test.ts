import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Atom, type BaseType, type ColumnType, type Value } from '../../src/index.js';
import { canonicalValue, columnKind, decodeRow, decodeValue, encodeRow, encodeValue, validateRow } from '../../src/subpaths/notation.js';
import { datumToJson, parseDatum } from '../../src/memory/datumJson.js';
import { nbSchema } from '../client/fakeChannel.js';

const schema = nbSchema();

function atomArbitrary(base: BaseType): fc.Arbitrary<Atom> {
  if (base.enum) return fc.constantFrom(...(base.enum as Atom[]));
  switch (base.type) {
    case 'integer':
      return fc.integer({ min: base.minInteger ?? -(2 ** 31), max: base.maxInteger ?? 2 ** 31 });
    case 'real':
      return fc
        .double({ min: base.minReal ?? -1e9, max: base.maxReal ?? 1e9, noNaN: true, noDefaultInfinity: true })
        .filter((x) => !Object.is(x, -0));
    case 'boolean':
      return fc.boolean();
    case 'string':
      // unit 'binary' counts code points, the unit OVSDB lengths are measured in.
      return fc.string({ unit: 'binary', minLength: base.minLength ?? 0, maxLength: Math.min(base.maxLength ?? 12, 12) });
    case 'uuid':
      return fc.uuid() as fc.Arbitrary<Atom>;
  }
}

function valueArbitrary(type: ColumnType): fc.Arbitrary<Value> {
  const key = atomArbitrary(type.key);
  const maxLength = Math.min(type.max, 4);
  switch (columnKind(type)) {
    case 'scalar':
      return key;
    case 'optional':
      return fc.option(key, { nil: null });
    case 'set':
      return fc.uniqueArray(key, { minLength: type.min, maxLength });
    case 'map':
      return fc
        .uniqueArray(fc.tuple(key.map(String), atomArbitrary(type.value as BaseType)), {
          minLength: type.min,
          maxLength,
          selector: ([k]) => k,
        })
        .map((pairs) => {
          const map: Record<string, Atom> = {};
          for (const [k, v] of pairs) Object.defineProperty(map, k, { value: v, enumerable: true, writable: true, configurable: true });
          return map;
        });
  }
}

describe('decode(encode(row)) == row for every column of the installed NB schema', () => {
  for (const table of schema.tables.values()) {
    it(`${table.name}`, () => {
      const row = fc.record(Object.fromEntries([...table.columns].map(([name, c]) => [name, valueArbitrary(c.type)])));
      fc.assert(
        fc.property(row, (value) => {
          // What we generate is valid by construction, so the derived validators must accept it.
          validateRow(table, value);
          const wire = JSON.parse(JSON.stringify(encodeRow(table, value)));
          expect(decodeRow(table, wire)).toEqual(value);
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('the in-memory NB reads what the client writes, and the client reads what it writes back', () => {
  // One notation on both sides (notation/wire.ts): a value the client encodes is parsed by the
  // in-memory NB (constraints included), written back in ovsdb-server's order, and decodes to the
  // same value, set and map order aside.
  for (const table of schema.tables.values()) {
    it(`${table.name}`, () => {
      for (const column of table.columns.values()) {
        fc.assert(
          fc.property(valueArbitrary(column.type), (value) => {
            const wire = JSON.parse(JSON.stringify(encodeValue(column.type, value, column.path)));
            const served = JSON.parse(JSON.stringify(datumToJson(column.type, parseDatum(column.type, wire, null))));
            expect(canonicalValue(decodeValue(column.type, served, column.path))).toEqual(canonicalValue(value));
          }),
          { numRuns: 40 },
        );
      }
    });
  }
});
