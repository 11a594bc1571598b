import { randomUUID } from 'node:crypto';
import type { DatabaseSchema } from '../schema/schema.js';
import { DatabaseModel, type Row, type TableModel } from './model.js';
import { datumEquals, type Datum } from './datum.js';
import { servedSchemaJson } from './schemaJson.js';

/** One row's committed change, for monitors (old/new undefined for insert/delete). */
export interface RowChange {
  readonly table: TableModel;
  readonly uuid: string;
  readonly old: Row | undefined;
  readonly new: Row | undefined;
  /** By column index: which columns differ (all true for insert/delete). */
  readonly changed: readonly boolean[];
}

/** `txnId` is the commit's id in the transaction history, or the zero UUID without history. */
export type CommitListener = (changes: readonly RowChange[], txnId: string) => void;

export const ZERO_TXN_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Bounds of the history, as `ovsdb_txn_history_run`: at most 100 transactions, and no more
 * atoms in them (old and new rows of every changed row) than the database holds — so a tiny
 * database forgets quickly and a resume falls back to a full dump.
 */
export const MAX_HISTORY = 100;

/** `count_atoms`: the atoms of a row, a map pair counting two, `_uuid` and `_version` included. */
function rowAtoms(table: TableModel, row: Row | undefined): number {
  if (!row) return 0;
  let n = 0;
  for (const c of table.columns) n += (row.fields[c.index] as Datum).keys.length * (c.type.value ? 2 : 1);
  return n;
}

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
  /**
   * Keep a transaction history, as ovsdb-server does for clustered and relay databases only:
   * commits get ids, `monitor_cond_since` can resume. Default false (standalone).
   */
  readonly history?: boolean;
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
  /** What `get_schema` answers (normalized as ovsdb-server serves it). */
  readonly servedSchema: Record<string, unknown>;
  private readonly listeners = new Set<CommitListener>();
  private readonly history: { readonly id: string; readonly changes: readonly RowChange[]; readonly atoms: number }[] | undefined;
  private historyAtoms = 0;
  /** The last commit's id, even when the history has already forgotten it. */
  private lastId = ZERO_TXN_ID;
  private atoms = 0;
  /** Commits so far (the clustered `_Server` index follows it). */
  commitCount = 0;

  constructor(
    readonly schema: DatabaseSchema,
    options: MemoryDatabaseOptions = {},
  ) {
    this.model = new DatabaseModel(schema);
    this.tables = new Map([...this.model.tables].map(([name, model]) => [name, new StoredTable(model)]));
    this.newUuid = options.newUuid ?? (() => randomUUID());
    // ovsdb-server refuses writes to databases whose name starts with "_".
    this.reserved = options.readOnly ?? schema.name.startsWith('_');
    this.history = options.history ? [] : undefined;
    this.servedSchema = servedSchemaJson(schema);
  }

  get keepsHistory(): boolean {
    return this.history !== undefined;
  }

  /** The id of the last commit (zero without history or before any commit). */
  get lastTxnId(): string {
    return this.lastId;
  }

  /**
   * The changes committed after `txnId`, merged per row (first old, last new), or undefined when
   * `txnId` is not in the history — then a client must start over from a full dump.
   */
  changesSince(txnId: string): RowChange[] | undefined {
    if (!this.history) return undefined;
    const start = this.history.findIndex((h) => h.id === txnId);
    if (start < 0) return undefined;
    const merged = new Map<string, { table: RowChange['table']; uuid: string; old: Row | undefined; new: Row | undefined }>();
    for (const { changes } of this.history.slice(start + 1)) {
      for (const c of changes) {
        const key = `${c.table.name}\u0000${c.uuid}`;
        const seen = merged.get(key);
        if (seen) seen.new = c.new;
        else merged.set(key, { table: c.table, uuid: c.uuid, old: c.old, new: c.new });
      }
    }
    const out: RowChange[] = [];
    for (const m of merged.values()) {
      if (!m.old && !m.new) continue;
      const n = m.table.columns.length;
      const changed = new Array<boolean>(n).fill(true);
      if (m.old && m.new) {
        for (let i = 0; i < n; i++) changed[i] = !datumEquals(m.old.fields[i] as Datum, m.new.fields[i] as Datum);
        if (!changed.some((c) => c)) continue;
      }
      out.push({ table: m.table, uuid: m.uuid, old: m.old, new: m.new, changed });
    }
    return out;
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
    this.commitCount++;
    let txnId = ZERO_TXN_ID;
    if (this.history) {
      txnId = this.newUuid();
      this.lastId = txnId;
      let atoms = 0;
      for (const c of changes) {
        const oldAtoms = rowAtoms(c.table, c.old);
        const newAtoms = rowAtoms(c.table, c.new);
        atoms += oldAtoms + newAtoms;
        this.atoms += newAtoms - oldAtoms;
      }
      this.history.push({ id: txnId, changes, atoms });
      this.historyAtoms += atoms;
      while (this.history.length > MAX_HISTORY || (this.history.length > 0 && this.historyAtoms > this.atoms)) {
        this.historyAtoms -= (this.history.shift() as { atoms: number }).atoms;
      }
    }
    for (const listener of [...this.listeners]) listener(changes, txnId);
  }
}
