import type { DbError } from './dbError.js';
import { danglingReference, duplicateIndex, emptiedWeakColumn, stillReferenced, tooManyRows, type RowHistory } from './commitErrors.js';
import { datumEquals, type Atom, type Datum } from './datum.js';
import { evaluateCondition, type Condition } from './condition.js';
import { indexKeyOf, type MemoryDatabase, type RowChange, type StoredTable } from './database.js';
import { referencesOf, VERSION_INDEX, type ColumnModel, type Row, type TableModel } from './model.js';

/**
 * A transaction staged against a MemoryDatabase, following `ovsdb/transaction.c`: operations
 * change a private view of the rows; `commit` runs the same pre-commit steps as ovsdb-server,
 * in the same order, and only then touches the database:
 *   1. drop rows that did not really change;
 *   2. count strong references (a reference to a missing row, or deleting a referenced row, fails);
 *   3. delete unreferenced rows of non-root tables (garbage collection, cascading);
 *   4. check maxRows;
 *   5. remove weak references to rows that are gone (failing if a column drops below its min);
 *   6. check unique indexes;
 *   7. give every modified row a new `_version`.
 */

interface MutableRow {
  readonly uuid: string;
  fields: Datum[];
}

class TxnRow {
  /** Strong references to this row from other rows, as of this point of the commit. */
  nRefs: number;
  changed: boolean[] | undefined;

  constructor(
    readonly table: StoredTable,
    readonly uuid: string,
    readonly old: Row | undefined,
    public current: MutableRow | undefined,
  ) {
    this.nRefs = old ? (table.refCounts.get(uuid) ?? 0) : 0;
  }

  get hasChanges(): boolean {
    return this.changed !== undefined && this.changed.some((c) => c);
  }
}

export class MemoryTransaction {
  private readonly rows = new Map<StoredTable, Map<string, TxnRow>>();
  /** Tables that gained or lost rows (maxRows is checked for them). */
  private readonly resizedTables = new Set<StoredTable>();
  readonly comments: string[] = [];
  durable = false;

  constructor(readonly db: MemoryDatabase) {}

  // --- the view operations read and write -------------------------------------------------------

  private txnRowsOf(table: StoredTable): Map<string, TxnRow> {
    let m = this.rows.get(table);
    if (!m) {
      m = new Map();
      this.rows.set(table, m);
    }
    return m;
  }

  private findTxnRow(table: StoredTable, uuid: string): TxnRow | undefined {
    return this.rows.get(table)?.get(uuid);
  }

  /** The row as this transaction sees it. */
  get(table: StoredTable, uuid: string): Row | undefined {
    const t = this.findTxnRow(table, uuid);
    return t ? t.current : table.rows.get(uuid);
  }

  /** Rows matching the condition, in storage order. */
  query(table: StoredTable, condition: Condition): Row[] {
    const out: Row[] = [];
    if (condition.uuid !== undefined) {
      const row = this.get(table, condition.uuid);
      if (row && evaluateCondition(condition, row)) out.push(row);
      return out;
    }
    const txnRows = this.rows.get(table);
    for (const [uuid, committed] of table.rows) {
      const t = txnRows?.get(uuid);
      const row = t ? t.current : committed;
      if (row && evaluateCondition(condition, row)) out.push(row);
    }
    if (txnRows) {
      for (const t of txnRows.values()) {
        if (!t.old && t.current && evaluateCondition(condition, t.current)) out.push(t.current);
      }
    }
    return out;
  }

  /** `ovsdb_txn_may_create_row`: the uuid is neither in the table nor touched by this transaction. */
  mayCreate(table: StoredTable, uuid: string): boolean {
    return !table.rows.has(uuid) && !this.findTxnRow(table, uuid);
  }

  insert(table: StoredTable, row: MutableRow): void {
    this.txnRowsOf(table).set(row.uuid, new TxnRow(table, row.uuid, undefined, row));
    this.resizedTables.add(table);
  }

  /** The fields of `uuid` to change in place (a private copy on first use). */
  modify(table: StoredTable, uuid: string): Datum[] {
    const existing = this.findTxnRow(table, uuid);
    if (existing) {
      if (!existing.current) throw new Error(`modify of deleted row ${uuid}`);
      return existing.current.fields;
    }
    const committed = table.rows.get(uuid) as Row;
    const t = new TxnRow(table, uuid, committed, { uuid, fields: committed.fields.slice() });
    this.txnRowsOf(table).set(uuid, t);
    return (t.current as MutableRow).fields;
  }

  delete(table: StoredTable, uuid: string): void {
    const rows = this.txnRowsOf(table);
    const existing = rows.get(uuid);
    if (existing && !existing.old) {
      rows.delete(uuid); // inserted by this transaction: as if it never was
    } else if (existing) {
      existing.current = undefined;
    } else {
      rows.set(uuid, new TxnRow(table, uuid, table.rows.get(uuid), undefined));
    }
    this.resizedTables.add(table);
  }

  // --- commit ---------------------------------------------------------------------------------

  /** Runs the pre-commit checks and applies the transaction; returns the commit error, if any. */
  commit(): DbError | undefined {
    const error = this.precommit();
    if (error) return error;
    this.apply();
    return undefined;
  }

  private allTxnRows(): TxnRow[] {
    const out: TxnRow[] = [];
    for (const m of this.rows.values()) for (const t of m.values()) out.push(t);
    return out;
  }

  /** `find_or_make_txn_row`: a txn row for an existing row (unchanged copy) or undefined. */
  private findOrMake(tableName: string, uuid: string): TxnRow | undefined {
    const table = this.db.table(tableName) as StoredTable;
    const existing = this.findTxnRow(table, uuid);
    if (existing) return existing;
    const committed = table.rows.get(uuid);
    if (!committed) return undefined;
    const t = new TxnRow(table, uuid, committed, { uuid, fields: committed.fields.slice() });
    t.changed = new Array<boolean>(table.model.columns.length).fill(false);
    this.txnRowsOf(table).set(uuid, t);
    return t;
  }

  private precommit(): DbError | undefined {
    // 1. What actually changed.
    for (const t of this.allTxnRows()) {
      const n = t.table.model.columns.length;
      if (t.old && t.current) {
        const changed = new Array<boolean>(n).fill(false);
        let any = false;
        for (let i = 2; i < n; i++) {
          if (!datumEquals(t.old.fields[i] as Datum, t.current.fields[i] as Datum)) {
            changed[i] = true;
            any = true;
          }
        }
        if (any) t.changed = changed;
        else this.rows.get(t.table)?.delete(t.uuid);
      } else {
        t.changed = new Array<boolean>(n).fill(true);
      }
    }
    // 2. Strong reference counts.
    for (const t of this.allTxnRows()) {
      const error = this.updateRefCounts(t);
      if (error) return error;
    }
    for (const t of this.allTxnRows()) {
      if (!t.current && t.nRefs > 0) {
        return stillReferenced(t.table.model.name, t.uuid, t.nRefs);
      }
    }
    // 3. Garbage collection of unreferenced non-root rows.
    for (const t of this.allTxnRows()) {
      if (t.current && t.nRefs === 0) this.deleteGarbage(t);
    }
    // 4. maxRows.
    for (const table of this.resizedTables) {
      const max = table.model.schema.maxRows;
      if (max === undefined) continue;
      const n = this.countRows(table);
      if (n > max) {
        return tooManyRows(table.model.name, n, max);
      }
    }
    // 5. Weak references.
    const weakError = this.assessWeakRefs();
    if (weakError) return weakError;
    // 6. Unique indexes.
    const indexError = this.checkIndexes();
    if (indexError) return indexError;
    // 7. New versions.
    for (const t of this.allTxnRows()) {
      if (t.old && t.current && t.hasChanges) {
        (t.changed as boolean[])[VERSION_INDEX] = true;
        t.current.fields[VERSION_INDEX] = { keys: [this.db.newUuid()] };
      }
    }
    return undefined;
  }

  private countRows(table: StoredTable): number {
    let n = table.rows.size;
    const txnRows = this.rows.get(table);
    if (txnRows) for (const t of txnRows.values()) n += (t.current ? 1 : 0) - (t.old ? 1 : 0);
    return n;
  }

  private adjustRefs(source: TxnRow, column: ColumnModel, datum: Datum, delta: 1 | -1): DbError | undefined {
    for (const [targetTable, uuid] of referencesOf(column, datum, 'strong')) {
      if (uuid === source.uuid) continue; // self-references don't count
      const target = this.findOrMake(targetTable, uuid);
      if (!target) {
        return danglingReference(source.table.model.name, column.name, source.uuid, uuid, targetTable);
      }
      target.nRefs += delta;
    }
    return undefined;
  }

  private updateRefCounts(t: TxnRow): DbError | undefined {
    const changed = t.changed;
    if (!changed) return undefined;
    for (const column of t.table.model.strongRefColumns) {
      if (!changed[column.index]) continue;
      const oldDatum = t.old?.fields[column.index] as Datum | undefined;
      const newDatum = t.current?.fields[column.index] as Datum | undefined;
      if (oldDatum && !newDatum) {
        const e = this.adjustRefs(t, column, oldDatum, -1);
        if (e) return e;
      } else if (!oldDatum && newDatum) {
        const e = this.adjustRefs(t, column, newDatum, 1);
        if (e) return e;
      } else if (oldDatum && newDatum) {
        const [added, removed] = addedRemoved(oldDatum, newDatum);
        const e1 = this.adjustRefs(t, column, removed, -1);
        if (e1) return e1;
        const e2 = this.adjustRefs(t, column, added, 1);
        if (e2) return e2;
      }
    }
    return undefined;
  }

  /** `delete_garbage_row`: drop an unreferenced non-root row and release what it referenced. */
  private deleteGarbage(t: TxnRow): void {
    if (t.table.model.schema.isRoot || !t.current) return;
    const row = t.current;
    t.current = undefined;
    this.resizedTables.add(t.table);
    if (!t.changed) t.changed = new Array<boolean>(t.table.model.columns.length).fill(true);
    else t.changed.fill(true);
    for (const column of t.table.model.strongRefColumns) {
      for (const [targetTable, uuid] of referencesOf(column, row.fields[column.index] as Datum, 'strong')) {
        if (uuid === t.uuid) continue;
        const target = this.findOrMake(targetTable, uuid);
        if (!target) continue;
        if (--target.nRefs === 0) this.deleteGarbage(target);
      }
    }
  }

  private exists(tableName: string, uuid: string): boolean {
    const table = this.db.table(tableName) as StoredTable;
    return this.get(table, uuid) !== undefined;
  }

  private assessWeakRefs(): DbError | undefined {
    // Rows outside the transaction that weakly reference a row that is now gone join it.
    const deleted = new Map<string, Set<string>>();
    for (const t of this.allTxnRows()) {
      if (t.old && !t.current) {
        let s = deleted.get(t.table.model.name);
        if (!s) deleted.set(t.table.model.name, (s = new Set()));
        s.add(t.uuid);
      }
    }
    for (const [tableName, uuids] of deleted) {
      for (const { table, column } of this.db.model.weakReferrers.get(tableName) ?? []) {
        const stored = this.db.table(table.name) as StoredTable;
        for (const [uuid, row] of stored.rows) {
          if (this.findTxnRow(stored, uuid)) continue;
          for (const [target, ref] of referencesOf(column, row.fields[column.index] as Datum, 'weak')) {
            if (target === tableName && uuids.has(ref)) {
              this.findOrMake(table.name, uuid);
              break;
            }
          }
        }
      }
    }
    for (const t of this.allTxnRows()) {
      if (!t.current || t.table.model.weakRefColumns.length === 0) continue;
      for (const column of t.table.model.weakRefColumns) {
        const datum = t.current.fields[column.index] as Datum;
        const kept = this.dropDanglingWeakRefs(column, datum);
        if (kept === datum) continue;
        t.current.fields[column.index] = kept;
        if (!t.changed) t.changed = new Array<boolean>(t.table.model.columns.length).fill(false);
        t.changed[column.index] = true;
        if (kept.keys.length < column.type.min) {
          const removedZero = datum.keys.some((k) => k === '00000000-0000-0000-0000-000000000000');
          return emptiedWeakColumn(t.table.model.name, column.name, t.uuid, datum.keys.length - kept.keys.length, !t.old, removedZero);
        }
      }
    }
    return undefined;
  }

  private dropDanglingWeakRefs(column: ColumnModel, datum: Datum): Datum {
    const { key, value } = column.type;
    const keyWeak = key.refTable !== undefined && key.refType === 'weak';
    const valueWeak = value?.refTable !== undefined && value.refType === 'weak';
    let keys: Atom[] | undefined;
    let values: Atom[] | undefined;
    for (let i = 0; i < datum.keys.length; i++) {
      const k = datum.keys[i] as Atom;
      const v = datum.values?.[i];
      const dangling =
        (keyWeak && !this.exists(key.refTable as string, k as string)) ||
        (valueWeak && !this.exists(value?.refTable as string, v as string));
      if (dangling && !keys) {
        keys = datum.keys.slice(0, i) as Atom[];
        values = datum.values?.slice(0, i) as Atom[] | undefined;
      } else if (!dangling && keys) {
        keys.push(k);
        values?.push(v as Atom);
      }
    }
    if (!keys) return datum;
    return values ? { keys, values } : { keys };
  }

  private checkIndexes(): DbError | undefined {
    for (const [table, txnRows] of this.rows) {
      const model = table.model;
      if (model.indexes.length === 0) continue;
      const local = model.indexes.map(() => new Map<string, TxnRow>());
      for (const t of txnRows.values()) {
        if (!t.current) continue;
        for (let i = 0; i < model.indexes.length; i++) {
          const key = indexKeyOf(model, i, t.current);
          const clash = (local[i] as Map<string, TxnRow>).get(key);
          if (clash) return this.duplicateIndexError(model, i, clash.current as Row, t.current, clash, t);
          const committedUuid = table.indexes[i]?.get(key);
          if (committedUuid !== undefined && committedUuid !== t.uuid && !txnRows.has(committedUuid)) {
            return this.duplicateIndexError(model, i, table.rows.get(committedUuid) as Row, t.current, undefined, t);
          }
          (local[i] as Map<string, TxnRow>).set(key, t);
        }
      }
    }
    return undefined;
  }

  private duplicateIndexError(model: TableModel, i: number, a: Row, b: Row, ta: TxnRow | undefined, tb: TxnRow | undefined): DbError {
    const history = (t: TxnRow | undefined): RowHistory => ({ old: t?.old, modified: t?.hasChanges ?? false });
    return duplicateIndex(model, model.indexes[i] as readonly ColumnModel[], [a, history(ta)], [b, history(tb)]);
  }

  private apply(): void {
    const changes: RowChange[] = [];
    for (const [table, txnRows] of this.rows) {
      const model = table.model;
      for (const t of txnRows.values()) {
        const row = t.current ? Object.freeze({ uuid: t.uuid, fields: Object.freeze(t.current.fields) }) : undefined;
        if (t.old && (!row || t.hasChanges)) {
          for (let i = 0; i < model.indexes.length; i++) {
            const key = indexKeyOf(model, i, t.old);
            if (table.indexes[i]?.get(key) === t.uuid) table.indexes[i]?.delete(key);
          }
        }
        if (row) {
          if (!t.old || t.hasChanges) {
            table.rows.set(t.uuid, row);
            for (let i = 0; i < model.indexes.length; i++) table.indexes[i]?.set(indexKeyOf(model, i, row), t.uuid);
          }
          if (t.nRefs > 0) table.refCounts.set(t.uuid, t.nRefs);
          else table.refCounts.delete(t.uuid);
        } else if (t.old) {
          table.rows.delete(t.uuid);
          table.refCounts.delete(t.uuid);
        }
        if ((t.old || row) && (!t.old || !row || t.hasChanges)) {
          changes.push({ table: model, uuid: t.uuid, old: t.old, new: row, changed: t.changed as boolean[] });
        }
      }
    }
    this.db.publish(changes);
  }
}

/** Added and removed keys (pairs, for maps) between two datums of a reference column. */
function addedRemoved(old: Datum, now: Datum): [added: Datum, removed: Datum] {
  const oldSet = new Set(pairs(old));
  const newSet = new Set(pairs(now));
  const added: Atom[] = [];
  const addedValues: Atom[] = [];
  const removed: Atom[] = [];
  const removedValues: Atom[] = [];
  now.keys.forEach((k, i) => {
    if (!oldSet.has(pairText(k, now.values?.[i]))) {
      added.push(k);
      if (now.values) addedValues.push(now.values[i] as Atom);
    }
  });
  old.keys.forEach((k, i) => {
    if (!newSet.has(pairText(k, old.values?.[i]))) {
      removed.push(k);
      if (old.values) removedValues.push(old.values[i] as Atom);
    }
  });
  return [
    old.values ? { keys: added, values: addedValues } : { keys: added },
    old.values ? { keys: removed, values: removedValues } : { keys: removed },
  ];
}

function pairText(k: Atom, v: Atom | undefined): string {
  return v === undefined ? String(k) : `${String(k)}\u0000${String(v)}`;
}

function pairs(d: Datum): string[] {
  return d.keys.map((k, i) => pairText(k, d.values?.[i]));
}

