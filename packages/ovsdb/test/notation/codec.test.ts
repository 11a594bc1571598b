import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namedUuid, type Uuid } from '../../src/index.js';
import { decodeRow, decodeValue, encodeRow, encodeValue, validateRow } from '../../src/subpaths/notation.js';
import { nbSchema, U1, U2 } from '../client/fakeChannel.js';

const schema = nbSchema();
const type = (table: string, column: string) => schema.column(table, column).type;

describe('decoding the server notation (RFC 7047 §5.1, as ovsdb-server sends it)', () => {
  it('reads a 1-element set sent as a bare atom, and 2+ or 0 elements as ["set", ...]', () => {
    expect(decodeValue(type('Port_Group', 'acls'), ['uuid', U1], 'x')).toEqual([U1]);
    expect(decodeValue(type('Port_Group', 'acls'), ['set', [['uuid', U1], ['uuid', U2]]], 'x')).toEqual([U1, U2]);
    expect(decodeValue(type('Port_Group', 'acls'), ['set', []], 'x')).toEqual([]);
  });

  it('reads an optional scalar as the atom or null', () => {
    expect(decodeValue(type('ACL', 'severity'), 'info', 'x')).toBe('info');
    expect(decodeValue(type('ACL', 'severity'), ['set', []], 'x')).toBeNull();
    expect(decodeValue(type('ACL', 'name'), ['set', ['n']], 'x')).toBe('n');
  });

  it('reads maps (always tagged) into records', () => {
    expect(decodeValue(type('ACL', 'external_ids'), ['map', []], 'x')).toEqual({});
    expect(decodeValue(type('ACL', 'options'), ['map', [['apply-after-lb', 'true']]], 'x')).toEqual({ 'apply-after-lb': 'true' });
  });

  it('fills omitted columns with type defaults, as update2 initial/insert omit them', () => {
    const row = decodeRow(schema.table('ACL'), { match: 'ip4', _uuid: ['uuid', U1] }, { fillDefaults: true });
    expect(row).toEqual({
      _uuid: U1,
      match: 'ip4',
      name: null,
      priority: 0,
      direction: '',
      action: '',
      log: false,
      severity: null,
      meter: null,
      label: 0,
      options: {},
      external_ids: {},
    });
  });

  it('refuses values that do not fit the column type (OVSDB_PROTOCOL)', () => {
    expect(() => decodeValue(type('ACL', 'priority'), '1', 'ACL.priority')).toThrowError(
      expect.objectContaining({ code: 'OVSDB_PROTOCOL', message: 'ACL.priority: expected integer atom, found "1"' }),
    );
    expect(() => decodeRow(schema.table('ACL'), { colour: 'red' })).toThrowError(/unknown column colour/);
  });
});

describe('encoding for the server', () => {
  it('sends 1-element sets bare, others tagged, maps always tagged, empty optionals as ["set",[]]', () => {
    expect(encodeValue(type('Port_Group', 'acls'), [U1 as Uuid], 'x')).toEqual(['uuid', U1]);
    expect(encodeValue(type('Port_Group', 'acls'), [U1 as Uuid, U2 as Uuid], 'x')).toEqual(['set', [['uuid', U1], ['uuid', U2]]]);
    expect(encodeValue(type('Port_Group', 'acls'), [], 'x')).toEqual(['set', []]);
    expect(encodeValue(type('Port_Group', 'acls'), [namedUuid('acl0')], 'x')).toEqual(['named-uuid', 'acl0']);
    expect(encodeValue(type('ACL', 'severity'), null, 'x')).toEqual(['set', []]);
    expect(encodeValue(type('ACL', 'severity'), 'info', 'x')).toBe('info');
    expect(encodeValue(type('ACL', 'external_ids'), { a: '1' }, 'x')).toEqual(['map', [['a', '1']]]);
    expect(encodeValue(type('ACL', 'external_ids'), {}, 'x')).toEqual(['map', []]);
  });

  it('encodes a row as encodeValue encodes each column (the per-column fast path changes no byte, no error)', () => {
    const upper = U1.toUpperCase() as Uuid;
    const values: Record<string, [string, string, unknown][]> = {
      ok: [
        ['Port_Group', 'ports', [U1, U2]],
        ['Port_Group', 'ports', [upper]],
        ['Port_Group', 'ports', [upper, U2, namedUuid('p0')]],
        ['Port_Group', 'acls', namedUuid('a0')],
        ['Port_Group', 'acls', null],
        ['ACL', 'priority', 1001],
        ['ACL', 'log', false],
        ['ACL', 'severity', null],
        ['ACL', 'severity', ['info']],
        ['ACL', 'name', []],
        ['ACL', 'external_ids', { __proto__: 'x', a: '1' }],
        ['Address_Set', 'addresses', ['10.0.0.1', '10.0.0.2']],
      ],
      refused: [
        ['ACL', 'priority', 1.5],
        ['ACL', 'priority', '1001'],
        ['ACL', 'log', 'false'],
        ['ACL', 'severity', { a: '1' }],
        ['ACL', 'external_ids', { a: 1 }],
        ['ACL', 'external_ids', ['a']],
        ['Port_Group', 'ports', ['not-a-uuid']],
        ['Port_Group', 'ports', [U1, 'not-a-uuid']],
        ['Address_Set', 'addresses', ['10.0.0.1', 7]],
      ],
    };
    for (const [table, column, value] of values.ok!) {
      const row = JSON.parse(`{${JSON.stringify(column)}:${JSON.stringify(value)}}`);
      if (column === 'external_ids') row[column] = value;
      expect(encodeRow(schema.table(table), row)).toEqual({ [column]: encodeValue(type(table, column), row[column], `${table}.${column}`) });
    }
    for (const [table, column, value] of values.refused!) {
      let expected: unknown;
      try {
        encodeValue(type(table, column), value as never, `${table}.${column}`);
      } catch (error) {
        expected = error;
      }
      expect(expected).toBeDefined();
      expect(() => encodeRow(schema.table(table), { [column]: value as never })).toThrowError(expected as Error);
    }
  });

  it('encodes any value of any column as encodeValue does, or refuses it with the same error (random values)', () => {
    const atom = fc.oneof(
      fc.constantFrom('', 'a', 'to-lport', '10.0.0.1', U1, U1.toUpperCase(), 'not-a-uuid'),
      fc.integer({ min: -3, max: 70000 }),
      fc.constantFrom(1.5, Number.NaN, true, false),
      fc.constantFrom(namedUuid('p0'), namedUuid('new_ACL_1')),
    );
    const value = fc.oneof(atom, fc.constant(null), fc.array(atom, { maxLength: 3 }), fc.dictionary(fc.constantFrom('k', '1', 'true'), atom, { maxKeys: 3 }));
    const columns = [...schema.tables.values()].flatMap((t) => [...t.columns.keys()].map((c) => [t.name, c] as const));
    fc.assert(
      fc.property(fc.constantFrom(...columns), value, ([table, column], v) => {
        const encode = (f: () => unknown): unknown => {
          try {
            return { wire: f() };
          } catch (error) {
            return { error: (error as Error).message };
          }
        };
        const byRow = encode(() => encodeRow(schema.table(table), { [column]: v as never })[column]);
        expect(byRow).toEqual(encode(() => encodeValue(type(table, column), v as never, `${table}.${column}`)));
      }),
      { numRuns: 3000 },
    );
  });

  it('reports unknown columns by table and name (OVSDB_SCHEMA)', () => {
    expect(() => encodeRow(schema.table('ACL'), { colour: 'red' })).toThrowError(
      expect.objectContaining({ code: 'OVSDB_SCHEMA', message: 'ACL: unknown column ACL.colour' }),
    );
  });
});

describe('validateRow: zod schemas derived from the served schema', () => {
  const acl = schema.table('ACL');
  const ok = { priority: 1001, direction: 'to-lport', match: 'ip4', action: 'allow-related', name: 'n', severity: null };

  it('accepts a row within the constraints', () => {
    expect(() => validateRow(acl, ok)).not.toThrow();
  });

  it.each([
    [{ priority: 32768 }, /ACL\.priority: .*32767.*\(found 32768\)/],
    [{ priority: 1.5 }, /ACL\.priority: .*integer/i],
    [{ action: 'pass' }, /ACL\.action: must be one of "allow", "allow-related", "allow-stateless", "drop", "reject" \(found "pass"\)/],
    [{ name: 'x'.repeat(64) }, /ACL\.name: length must be 0\.\.63 characters/],
    [{ severity: ['info', 'debug'] }, /ACL\.severity/],
    [{ external_ids: { k: 1 } }, /ACL\.external_ids\["k"\]/],
    [{ label: -1 }, /ACL\.label/],
    [{ colour: 'red' }, /unknown column ACL\.colour/],
  ])('rejects %j', (row, message) => {
    expect(() => validateRow(acl, row as never)).toThrowError(expect.objectContaining({ code: 'OVSDB_SCHEMA', message: expect.stringMatching(message) }));
  });

  it('counts string length in characters, not UTF-8 bytes (ovsdb-data.c)', () => {
    expect(() => validateRow(acl, { name: 'é'.repeat(63) })).not.toThrow();
  });

  it('checks references are UUIDs or named-uuids and set sizes/uniqueness', () => {
    const pg = schema.table('Port_Group');
    expect(() => validateRow(pg, { acls: [U1 as Uuid, namedUuid('a')] })).not.toThrow();
    expect(() => validateRow(pg, { acls: ['not-a-uuid'] })).toThrowError(/Port_Group\.acls\[0\]: expected a UUID of a ACL row/);
    expect(() => validateRow(pg, { acls: [U1 as Uuid, U1 as Uuid] })).toThrowError(/distinct/);
    expect(() => validateRow(schema.table('NB_Global'), { nb_cfg: 1 })).not.toThrow();
  });

  it('refuses immutable columns in updates', () => {
    const immutable = [...schema.tables.values()].flatMap((t) => [...t.columns.values()].filter((c) => !c.mutable).map((c) => [t, c.name] as const));
    for (const [table, column] of immutable) {
      expect(() => validateRow(table, { [column]: null } as never, { forUpdate: true })).toThrowError(/immutable|must|expected/);
    }
  });
});
