import type { DatabaseSchema, TableSchema } from '../schema/schema.js';
import type { ColumnType } from '../schema/types.js';
import { UUID_COLUMN_TYPE } from '../schema/types.js';
import { defaultDatum, type Datum } from './datum.js';

/**
 * The schema as the in-memory server indexes it: every table's columns numbered like
 * ovsdb-server's (`_uuid` 0, `_version` 1, then the schema's), so a row is an array of datums.
 */
export interface ColumnModel {
  readonly name: string;
  readonly index: number;
  readonly type: ColumnType;
  readonly mutable: boolean;
  /** Strong reference atoms in key or value. */
  readonly strongRefs: boolean;
  readonly weakRefs: boolean;
}

export const UUID_INDEX = 0;
export const VERSION_INDEX = 1;

export interface Row {
  readonly uuid: string;
  /** Indexed by ColumnModel.index; fields[0] holds the uuid, fields[1] the version. */
  readonly fields: readonly Datum[];
}

export class TableModel {
  readonly columns: readonly ColumnModel[];
  readonly byName: ReadonlyMap<string, ColumnModel>;
  /** Schema columns only (what `select` without `columns` adds after `_uuid`, `_version`). */
  readonly dataColumns: readonly ColumnModel[];
  readonly indexes: readonly (readonly ColumnModel[])[];
  readonly strongRefColumns: readonly ColumnModel[];
  readonly weakRefColumns: readonly ColumnModel[];
  /** Every column's default datum (shared, never mutated): the start of an inserted row. */
  readonly defaultFields: readonly Datum[];

  constructor(readonly schema: TableSchema) {
    const columns: ColumnModel[] = [
      { name: '_uuid', index: 0, type: UUID_COLUMN_TYPE, mutable: false, strongRefs: false, weakRefs: false },
      { name: '_version', index: 1, type: UUID_COLUMN_TYPE, mutable: false, strongRefs: false, weakRefs: false },
    ];
    for (const c of schema.columns.values()) {
      const refs = [c.type.key, c.type.value].filter((b) => b?.refTable !== undefined);
      columns.push({
        name: c.name,
        index: columns.length,
        type: c.type,
        mutable: c.mutable,
        strongRefs: refs.some((b) => b?.refType !== 'weak'),
        weakRefs: refs.some((b) => b?.refType === 'weak'),
      });
    }
    this.columns = columns;
    this.byName = new Map(columns.map((c) => [c.name, c]));
    this.dataColumns = columns.slice(2);
    this.indexes = schema.indexes.map((ix) => ix.map((name) => this.byName.get(name) as ColumnModel));
    this.strongRefColumns = columns.filter((c) => c.strongRefs);
    this.weakRefColumns = columns.filter((c) => c.weakRefs);
    this.defaultFields = columns.map((c) => Object.freeze(defaultDatum(c.type)));
  }

  get name(): string {
    return this.schema.name;
  }
}

export class DatabaseModel {
  readonly tables: ReadonlyMap<string, TableModel>;
  /** Tables with a weak-reference column into the key table (who to reassess when rows vanish). */
  readonly weakReferrers: ReadonlyMap<string, readonly { table: TableModel; column: ColumnModel }[]>;

  constructor(readonly schema: DatabaseSchema) {
    this.tables = new Map([...schema.tables].map(([name, t]) => [name, new TableModel(t)]));
    const referrers = new Map<string, { table: TableModel; column: ColumnModel }[]>();
    for (const table of this.tables.values()) {
      for (const column of table.weakRefColumns) {
        for (const base of [column.type.key, column.type.value]) {
          if (base?.refTable && base.refType === 'weak') {
            const list = referrers.get(base.refTable) ?? [];
            list.push({ table, column });
            referrers.set(base.refTable, list);
          }
        }
      }
    }
    this.weakReferrers = referrers;
  }

  get name(): string {
    return this.schema.name;
  }
}

/** Each referenced uuid of a column's datum with its target table, strong or weak. */
export function* referencesOf(column: ColumnModel, datum: Datum, refType: 'strong' | 'weak'): Generator<[table: string, uuid: string]> {
  const { key, value } = column.type;
  if (key.refTable && (key.refType ?? 'strong') === refType) for (const k of datum.keys) yield [key.refTable, k as string];
  if (value?.refTable && (value.refType ?? 'strong') === refType && datum.values) {
    for (const v of datum.values) yield [value.refTable, v as string];
  }
}

