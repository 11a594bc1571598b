import { OvsdbError } from '../errors.js';
import type { Uuid } from '../notation/uuid.js';
import type { CachedRow } from './cachedRow.js';
import { RowIndex, type IndexSpec } from './rowIndex.js';

export type { CachedRow };

/** The rows of one monitored table plus its indexes, kept in step on every change. */
export class TableStore {
  readonly rows = new Map<Uuid, CachedRow>();
  readonly indexes = new Map<string, RowIndex>();

  constructor(
    readonly name: string,
    readonly columns: readonly string[],
    indexSpecs: readonly IndexSpec[],
  ) {
    for (const spec of indexSpecs) {
      if (this.indexes.has(spec.name)) throw new OvsdbError('OVSDB_SCHEMA', `${name}: two indexes named ${spec.name}`);
      this.indexes.set(spec.name, new RowIndex(spec));
    }
  }

  get(uuid: Uuid): CachedRow | undefined {
    return this.rows.get(uuid);
  }

  insert(row: CachedRow): void {
    this.rows.set(row._uuid, row);
    for (const index of this.indexes.values()) index.add(row._uuid, row);
  }

  replace(oldRow: CachedRow, newRow: CachedRow): void {
    this.rows.set(newRow._uuid, newRow);
    for (const index of this.indexes.values()) index.replace(newRow._uuid, oldRow, newRow);
  }

  delete(row: CachedRow): void {
    this.rows.delete(row._uuid);
    for (const index of this.indexes.values()) index.remove(row._uuid, row);
  }

  clear(): void {
    this.rows.clear();
    for (const index of this.indexes.values()) index.clear();
  }

  index(name: string): RowIndex {
    const index = this.indexes.get(name);
    if (!index) {
      throw new OvsdbError('OVSDB_SCHEMA', `${this.name} has no index ${name} (have: ${[...this.indexes.keys()].join(', ') || 'none'})`);
    }
    return index;
  }
}
