import { describe, expect, it } from 'vitest';
import { OvsdbError, capabilitiesFromSchema } from '../../src/index.js';
import { DatabaseSchema } from '../../src/subpaths/notation.js';
import { NB_SCHEMA_JSON, nbSchema } from '../client/fakeChannel.js';

function withAclTierAndPass(): DatabaseSchema {
  const json = structuredClone(NB_SCHEMA_JSON) as {
    tables: Record<string, { columns: Record<string, { type: unknown }> }>;
  };
  const acl = json.tables.ACL!.columns;
  acl.tier = { type: { key: { type: 'integer', minInteger: 0, maxInteger: 3 } } };
  acl.action = {
    type: { key: { type: 'string', enum: ['set', ['allow', 'allow-related', 'allow-stateless', 'drop', 'reject', 'pass']] } },
  };
  return DatabaseSchema.parse(json);
}

describe('DatabaseSchema.parse on the installed NB schema', () => {
  const schema = nbSchema();

  it('reads tables, root-ness, indexes and maxRows as served', () => {
    expect(schema.name).toBe('OVN_Northbound');
    expect(schema.tables.size).toBe(Object.keys((NB_SCHEMA_JSON as { tables: object }).tables).length);
    expect(schema.table('ACL').isRoot).toBe(false);
    expect(schema.table('Port_Group').isRoot).toBe(true);
    expect(schema.table('Port_Group').indexes).toEqual([['name']]);
    expect(schema.table('BFD').indexes).toEqual([['logical_port', 'dst_ip']]);
    expect(schema.table('NB_Global').maxRows).toBe(1);
    expect(schema.table('ACL').maxRows).toBeUndefined();
  });

  it('expands abbreviated column types into key/value/min/max with constraints', () => {
    expect(schema.column('ACL', 'match').type).toEqual({ key: { type: 'string' }, min: 1, max: 1 });
    expect(schema.column('ACL', 'priority').type).toEqual({
      key: { type: 'integer', minInteger: 0, maxInteger: 32767 },
      min: 1,
      max: 1,
    });
    expect(schema.column('ACL', 'name').type).toEqual({ key: { type: 'string', maxLength: 63 }, min: 0, max: 1 });
    expect(schema.column('ACL', 'severity').type.key.enum).toEqual(['alert', 'warning', 'notice', 'info', 'debug']);
    expect(schema.column('Port_Group', 'acls').type).toEqual({
      key: { type: 'uuid', refTable: 'ACL', refType: 'strong' },
      min: 0,
      max: Infinity,
    });
    expect(schema.column('Port_Group', 'ports').type.key.refType).toBe('weak');
    expect(schema.column('ACL', 'external_ids').type).toEqual({
      key: { type: 'string' },
      value: { type: 'string' },
      min: 0,
      max: Infinity,
    });
    expect(schema.column('ACL', '_uuid').type.key.type).toBe('uuid');
  });

  it('lists the columns that reference a table, strong and weak', () => {
    const refs = schema.referencesTo('ACL').map((r) => `${r.table}.${r.column}:${r.refType}`);
    expect(refs.sort()).toEqual(['Logical_Switch.acls:strong', 'Port_Group.acls:strong']);
  });

  it('reports unknown tables and columns by name with OVSDB_SCHEMA', () => {
    expect(() => schema.table('Nope')).toThrowError(expect.objectContaining({ code: 'OVSDB_SCHEMA', message: expect.stringContaining('Nope') }));
    expect(() => schema.column('ACL', 'colour')).toThrowError(/unknown column ACL\.colour/);
    expect(() => schema.column('ACL', 'colour')).toThrow(OvsdbError);
  });

  it('treats every table as root when none is (RFC 7047 §3.2)', () => {
    const s = DatabaseSchema.parse({ name: 'X', version: '1.0.0', tables: { A: { columns: { a: { type: 'string' } } } } });
    expect(s.table('A').isRoot).toBe(true);
  });

  it('rejects malformed types with the column named', () => {
    expect(() =>
      DatabaseSchema.parse({ name: 'X', tables: { A: { isRoot: true, columns: { a: { type: { key: 'text' } } } } } }),
    ).toThrowError(/A\.a\.key: unknown atomic type "text"/);
    expect(() =>
      DatabaseSchema.parse({ name: 'X', tables: { A: { isRoot: true, columns: { a: { type: { key: 'string', min: 2 } } } } } }),
    ).toThrowError(/A\.a: min must be 0 or 1/);
  });
});

describe('feature detection', () => {
  it('finds neither tiers nor pass in the installed 23.03 schema, but NAT gateway_port', () => {
    const schema = nbSchema();
    expect(schema.hasColumn('ACL', 'tier')).toBe(false);
    expect(capabilitiesFromSchema(schema)).toEqual({ aclTier: false, passAction: false, natGatewayPort: true });
  });

  it('detects tier by column and pass by the ACL action enum', () => {
    const schema = withAclTierAndPass();
    expect(schema.hasColumn('ACL', 'tier')).toBe(true);
    expect(capabilitiesFromSchema(schema)).toEqual({ aclTier: true, passAction: true, natGatewayPort: true });
  });
});
