import { OvsdbError } from '../errors.js';
import { parseColumnType, UUID_COLUMN_TYPE, type ColumnType } from './types.js';

export interface ColumnSchema {
  readonly name: string;
  /** `Table.column`, for messages (built once, not per value). */
  readonly path: string;
  readonly type: ColumnType;
  /** false: the column can only be set by `insert` (RFC §3.2 "mutable"). */
  readonly mutable: boolean;
  readonly ephemeral: boolean;
}

export interface TableSchema {
  readonly name: string;
  /** Columns declared by the schema, without `_uuid`/`_version`. */
  readonly columns: ReadonlyMap<string, ColumnSchema>;
  /**
   * Non-root rows live only while another row holds a strong reference to them; ovsdb-server
   * deletes unreferenced ones at commit without an error (RFC §3.2, ovsdb/transaction.c).
   */
  readonly isRoot: boolean;
  /** Column sets whose values must be unique across rows (checked at commit). */
  readonly indexes: readonly (readonly string[])[];
  readonly maxRows?: number;
}

/** A column whose strong references keep rows of another table alive, e.g. Port_Group.acls → ACL. */
export interface ReferenceColumn {
  readonly table: string;
  readonly column: string;
  readonly refType: 'strong' | 'weak';
}

/**
 * A parsed database schema as served by `get_schema`. Never hard-code one: the installed NB
 * (7.0.0) has 30 tables, current OVN 39; features are detected by column presence.
 */
export class DatabaseSchema {
  private constructor(
    readonly name: string,
    readonly version: string,
    readonly tables: ReadonlyMap<string, TableSchema>,
    /** The JSON the server sent, kept for re-serialising and comparison. */
    readonly json: unknown,
  ) {}

  static parse(json: unknown): DatabaseSchema {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new OvsdbError('OVSDB_SCHEMA', 'schema must be a JSON object');
    }
    const { name, version, tables } = json as { name?: unknown; version?: unknown; tables?: unknown };
    if (typeof name !== 'string') throw new OvsdbError('OVSDB_SCHEMA', 'schema has no "name"');
    if (typeof tables !== 'object' || tables === null) throw new OvsdbError('OVSDB_SCHEMA', `schema ${name} has no "tables"`);
    const parsed = new Map<string, TableSchema>();
    for (const [tableName, tableJson] of Object.entries(tables as Record<string, unknown>)) {
      parsed.set(tableName, parseTable(tableName, tableJson));
    }
    // RFC §3.2: "if no table is a root table, then all tables are" (e.g. _Server).
    const anyRoot = [...parsed.values()].some((t) => t.isRoot);
    const final = anyRoot
      ? parsed
      : new Map([...parsed].map(([k, t]) => [k, Object.freeze({ ...t, isRoot: true })] as const));
    return new DatabaseSchema(name, typeof version === 'string' ? version : '', final, json);
  }

  /** The table, or OVSDB_SCHEMA naming the unknown table. */
  table(name: string): TableSchema {
    const table = this.tables.get(name);
    if (!table) throw new OvsdbError('OVSDB_SCHEMA', `unknown table ${name} in database ${this.name}`);
    return table;
  }

  hasTable(name: string): boolean {
    return this.tables.has(name);
  }

  /** Feature detection: `schema.hasColumn('ACL', 'tier')` (OVN >= 23.06). */
  hasColumn(table: string, column: string): boolean {
    return this.tables.get(table)?.columns.has(column) ?? false;
  }

  /** The column (including `_uuid`/`_version`), or OVSDB_SCHEMA naming it. */
  column(table: string, column: string): ColumnSchema {
    const t = this.table(table);
    const c = t.columns.get(column) ?? implicitColumn(column);
    if (!c) throw new OvsdbError('OVSDB_SCHEMA', `unknown column ${table}.${column}`);
    return c;
  }

  /** The enum values of a column's key type, or undefined when it is not an enum. */
  enumOf(table: string, column: string): readonly (string | number | boolean)[] | undefined {
    return this.tables.get(table)?.columns.get(column)?.type.key.enum;
  }

  /** Every column of the schema that references `table` (e.g. ACL ← Logical_Switch.acls, Port_Group.acls). */
  referencesTo(table: string): ReferenceColumn[] {
    const found: ReferenceColumn[] = [];
    for (const t of this.tables.values()) {
      for (const c of t.columns.values()) {
        for (const base of [c.type.key, c.type.value]) {
          if (base?.refTable === table) found.push({ table: t.name, column: c.name, refType: base.refType ?? 'strong' });
        }
      }
    }
    return found;
  }
}

const IMPLICIT_COLUMNS: ReadonlyMap<string, ColumnSchema> = new Map(
  ['_uuid', '_version'].map((name) => [name, Object.freeze({ name, path: name, type: UUID_COLUMN_TYPE, mutable: false, ephemeral: false })]),
);

function implicitColumn(name: string): ColumnSchema | undefined {
  return IMPLICIT_COLUMNS.get(name);
}

function parseTable(name: string, json: unknown): TableSchema {
  if (typeof json !== 'object' || json === null) throw new OvsdbError('OVSDB_SCHEMA', `table ${name}: must be an object`);
  const t = json as { columns?: unknown; isRoot?: unknown; indexes?: unknown; maxRows?: unknown };
  if (typeof t.columns !== 'object' || t.columns === null) {
    throw new OvsdbError('OVSDB_SCHEMA', `table ${name}: has no "columns"`);
  }
  const columns = new Map<string, ColumnSchema>();
  for (const [columnName, columnJson] of Object.entries(t.columns as Record<string, unknown>)) {
    const c = columnJson as { type?: unknown; mutable?: unknown; ephemeral?: unknown };
    const where = `${name}.${columnName}`;
    const type = parseColumnType(c.type, where);
    // Since OVS 2.6 weak-reference columns are always mutable (ovsdb-server(7) §3.2).
    const weak = type.key.refType === 'weak' || type.value?.refType === 'weak';
    columns.set(
      columnName,
      Object.freeze({ name: columnName, path: where, type, mutable: c.mutable !== false || weak, ephemeral: c.ephemeral === true }),
    );
  }
  const indexes = Array.isArray(t.indexes) ? t.indexes.map((ix) => Object.freeze([...(ix as string[])])) : [];
  for (const ix of indexes) {
    for (const col of ix) {
      if (!columns.has(col)) throw new OvsdbError('OVSDB_SCHEMA', `table ${name}: index on unknown column ${col}`);
    }
  }
  const table: TableSchema = {
    name,
    columns,
    isRoot: t.isRoot === true,
    indexes: Object.freeze(indexes),
    ...(typeof t.maxRows === 'number' ? { maxRows: t.maxRows } : {}),
  };
  return Object.freeze(table);
}
