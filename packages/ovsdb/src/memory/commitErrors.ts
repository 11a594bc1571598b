import { dbError, type DbError } from './dbError.js';
import { datumEquals, type Datum } from './datum.js';
import { datumToString } from './datumText.js';
import type { ColumnModel, Row, TableModel } from './model.js';

/**
 * The errors a commit can fail with, worded as `ovsdb/transaction.c` words them (the
 * differential tests compare them with ovsdb-server's byte for byte).
 */

export function danglingReference(table: string, column: string, row: string, target: string, targetTable: string): DbError {
  return dbError(
    'referential integrity violation',
    `Table ${table} column ${column} row ${row} references nonexistent row ${target} in table ${targetTable}.`,
  );
}

export function stillReferenced(table: string, row: string, references: number): DbError {
  return dbError('referential integrity violation', `cannot delete ${table} row ${row} because of ${references} remaining reference(s)`);
}

export function tooManyRows(table: string, rows: number, max: number): DbError {
  return dbError(
    'constraint violation',
    `transaction causes "${table}" table to contain ${rows} rows, greater than the schema-defined limit of ${max} row(s)`,
  );
}

/** A weak reference column fell below its `min` once references to missing rows were removed. */
export function emptiedWeakColumn(table: string, column: string, row: string, removed: number, inserted: boolean, removedZeroUuid: boolean): DbError {
  if (removedZeroUuid && inserted) {
    return dbError(
      'constraint violation',
      `Weak reference column "${column}" in "${table}" row ${row} (inserted within this transaction) contained all-zeros UUID (probably as the default value for this column) but deleting this value caused a constraint volation because this column is not allowed to be empty.`,
    );
  }
  return dbError(
    'constraint violation',
    `Deletion of ${removed} weak reference(s) to deleted (or never-existing) rows from column "${column}" in "${table}" row ${row} ${inserted ? '(inserted within this transaction) ' : ''}caused this column to become empty, but constraints on this column disallow an empty column.`,
  );
}

/** How a row of a duplicate-index clash relates to the transaction. */
export interface RowHistory {
  /** The row as it was before the transaction; undefined when inserted by it. */
  readonly old: Row | undefined;
  /** Whether the transaction changed any of its columns. */
  readonly modified: boolean;
}

/** `duplicate_index_row`: the rows are named smaller `_uuid` first, for reproducible messages. */
export function duplicateIndex(model: TableModel, index: readonly ColumnModel[], a: [Row, RowHistory], b: [Row, RowHistory]): DbError {
  if (a[0].uuid > b[0].uuid) [a, b] = [b, a];
  const values = (row: Row) => englishList(index.map((c) => datumToString(c.type, row.fields[c.index] as Datum)));
  const names = englishList(index.map((c) => `"${c.name}"`));
  const describe = (title: string, [row, history]: [Row, RowHistory]): string => {
    const head = `${title} row, with UUID ${row.uuid}, `;
    if (!history.modified) return `${head}existed in the database before this transaction and was not modified by the transaction.`;
    if (!history.old) return `${head}was inserted by this transaction.`;
    const old = history.old;
    if (index.every((c) => datumEquals(old.fields[c.index] as Datum, row.fields[c.index] as Datum))) {
      return `${head}existed in the database before this transaction, which modified some of the row's columns but not any columns in this index.`;
    }
    return `${head}had the following index values before the transaction: ${values(old)}.`;
  };
  return dbError(
    'constraint violation',
    `Transaction causes multiple rows in "${model.name}" table to have identical values (${values(a[0])}) for index on column${index.length > 1 ? 's' : ''} ${names}.  ${describe('First', a)}  ${describe('Second', b)}`,
  );
}

/** `a`, `a and b`, `a, b, and c`: how ovsdb-server lists index columns and their values. */
function englishList(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}
