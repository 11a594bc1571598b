import type { DatabaseSchema } from '../schema/schema.js';
import type { BaseType, ColumnType } from '../schema/types.js';
import { atomJsonOf, setToJson } from '../notation/wire.js';
import { compareAtoms, type Atom } from './datum.js';

/**
 * The schema as ovsdb-server serves it (`ovsdb_schema_to_json`), not as the file spells it:
 * defaults left out (`min`/`max` 1, strong `refType`, `isRoot` false, unconstrained base types
 * as bare type names), enums sorted, a one-value enum as a bare atom. `get_schema` answers this,
 * and `_Server`'s `schema` column holds it as compact JSON with sorted keys.
 */
export function servedSchemaJson(schema: DatabaseSchema): Record<string, unknown> {
  const original = schema.json as { cksum?: unknown; tables?: Record<string, { isRoot?: unknown }> };
  // RFC 7047 §3.2: with no root table every table is root, and then isRoot is not written.
  const defaultIsRoot = !Object.values(original.tables ?? {}).some((t) => t.isRoot === true);
  const tables: Record<string, unknown> = {};
  for (const table of schema.tables.values()) {
    const columns: Record<string, unknown> = {};
    for (const column of table.columns.values()) {
      columns[column.name] = {
        type: typeJson(column.type),
        ...(column.ephemeral ? { ephemeral: true } : {}),
        ...(column.mutable ? {} : { mutable: false }),
      };
    }
    tables[table.name] = {
      columns,
      ...(table.isRoot !== defaultIsRoot ? { isRoot: table.isRoot } : {}),
      ...(table.maxRows !== undefined ? { maxRows: table.maxRows } : {}),
      ...(table.indexes.length > 0 ? { indexes: table.indexes.map((ix) => [...ix]) } : {}),
    };
  }
  return {
    name: schema.name,
    ...(schema.version ? { version: schema.version } : {}),
    ...(typeof original.cksum === 'string' ? { cksum: original.cksum } : {}),
    tables,
  };
}

function hasConstraints(base: BaseType): boolean {
  return (
    base.enum !== undefined ||
    base.minInteger !== undefined ||
    base.maxInteger !== undefined ||
    base.minReal !== undefined ||
    base.maxReal !== undefined ||
    (base.minLength !== undefined && base.minLength !== 0) ||
    base.maxLength !== undefined ||
    base.refTable !== undefined
  );
}

function baseJson(base: BaseType): unknown {
  if (!hasConstraints(base)) return base.type;
  const out: Record<string, unknown> = { type: base.type };
  if (base.enum) {
    const values = [...new Set(base.enum)].sort((a, b) => compareAtoms(base.type, a as Atom, b as Atom)) as Atom[];
    out.enum = setToJson(values, atomJsonOf[base.type]);
  }
  for (const bound of ['minInteger', 'maxInteger', 'minReal', 'maxReal', 'maxLength'] as const) {
    if (base[bound] !== undefined) out[bound] = base[bound];
  }
  if (base.minLength !== undefined && base.minLength !== 0) out.minLength = base.minLength;
  if (base.refTable !== undefined) {
    out.refTable = base.refTable;
    if (base.refType === 'weak') out.refType = 'weak';
  }
  return out;
}

function typeJson(type: ColumnType): unknown {
  if (!type.value && type.min === 1 && type.max === 1 && !hasConstraints(type.key)) return type.key.type;
  return {
    key: baseJson(type.key),
    ...(type.value ? { value: baseJson(type.value) } : {}),
    ...(type.min !== 1 ? { min: type.min } : {}),
    ...(type.max === Infinity ? { max: 'unlimited' } : type.max !== 1 ? { max: type.max } : {}),
  };
}
