import { randomUUID } from 'node:crypto';
import type { DatabaseSchema } from '../schema/schema';
import { DatabaseModel, type Row, type TableModel } from './model';
import type { Datum } from './datum';

/** One row's committed change, for monitors (old/new undefined for insert/delete). */
export interface RowChange {
  readonly table: TableModel;
  readonly uuid: string;
  readonly old: Row | undefined;
  readonly new: Row | undefined;
  /** By column index: which columns differ (all true for insert/delete). */
  readonly changed: readonly boolean[];
}

export type CommitListener = (changes: readonly RowChange[]) => void;

/** The committed rows of one table, with strong-reference counts and unique-index maps. */
export class StoredTable {
  readonly rows = new Map<string, Row>();
  /** Strong references held by other rows (self-references don't count), by target uuid. */
  readonly refCounts = new Map<string, number>();
  /** One map per schema index: index key text → row uuid. */
  readonly indexes: Map<string, string>[];

  constructor(readonly model: TableModel) {
    this.indexes = model.indexes.map(() => new Map());
  }

  indexKey(i: number, row: Row): string {
    return indexKeyOf(this.model, i, row);
  }
}

export function indexKeyOf(model: TableModel, i: number, row: Row): string {
  const columns = model.indexes[i] ?? [];
  if (columns.length === 1) return datumKeyText(row.fields[(columns[0] as { index: number }).index] as Datum);
  return columns.map((c) => datumKeyText(row.fields[c.index] as Datum)).join('\u0000');
}

function datumKeyText(d: Datum): string {
  return d.values ? JSON.stringify([d.keys, d.values]) : JSON.stringify(d.keys);
}

export interface MemoryDatabaseOptions {
  /** Source of row UUIDs and versions (default crypto.randomUUID), injectable for tests. */
  readonly newUuid?: () => string;
  /** Refuse every write (`_Server`). */
  readonly readOnly?: boolean;
}

/**
 * One OVSDB database held in memory: its schema, its committed rows and who to tell about
 * commits. Transactions (transaction.ts) stage changes against it and commit atomically.
 */
export class MemoryDatabase {
  readonly model: DatabaseModel;
  readonly tables: ReadonlyMap<string, StoredTable>;
  readonly newUuid: () => string;
  readonly reserved: boolean;
  private readonly listeners = new Set<CommitListener>();

  constructor(
    readonly schema: DatabaseSchema,
    options: MemoryDatabaseOptions = {},
  ) {
    this.model = new DatabaseModel(schema);
    this.tables = new Map([...this.model.tables].map(([name, model]) => [name, new StoredTable(model)]));
    this.newUuid = options.newUuid ?? (() => randomUUID());
    // ovsdb-server refuses writes to databases whose name starts with "_".
    this.reserved = options.readOnly ?? schema.name.startsWith('_');
  }

  get name(): string {
    return this.schema.name;
  }

  table(name: string): StoredTable | undefined {
    return this.tables.get(name);
  }

  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called by a committed transaction; monitors compose their updates synchronously. */
  publish(changes: readonly RowChange[]): void {
    if (changes.length === 0) return;
    for (const listener of [...this.listeners]) listener(changes);
  }
}
