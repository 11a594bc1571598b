import type { NbRow } from '../rows/index.js';

/** What one CompileSession event changed in the compiled rows. */
export interface RowDelta {
  readonly added: readonly NbRow[];
  readonly changed: readonly NbRow[];
  readonly removed: readonly NbRow[];
}

export const emptyRowDelta: RowDelta = Object.freeze({ added: [], changed: [], removed: [] });

/**
 * A row's identity across compiles: its table and what the reconciler finds it by (a name, an
 * ACL's or NAT's owner keys in external_ids). Two rows of one compile never share it.
 */
export function rowKey(row: NbRow): string {
  switch (row.table) {
    case 'Port_Group':
    case 'Address_Set':
    case 'Load_Balancer':
      return `${row.table}\u0000${row.name}`;
    case 'ACL':
      return `ACL\u0000${row.portGroup}\u0000${JSON.stringify(row.externalIds)}`;
    case 'NAT':
      return `NAT\u0000${row.router}\u0000${row.type}\u0000${row.externalIp}\u0000${row.logicalIp}`;
  }
}

/**
 * The rows of the session by key, and the first value of every key an event touches, so the
 * delta is computed over the touched keys only.
 */
export class RowStore {
  private readonly rows = new Map<string, NbRow>();
  private touched = new Map<string, NbRow | undefined>();

  get size(): number {
    return this.rows.size;
  }

  values(): IterableIterator<NbRow> {
    return this.rows.values();
  }

  remove(rows: Iterable<NbRow>): void {
    for (const row of rows) {
      const key = rowKey(row);
      this.touch(key);
      this.rows.delete(key);
    }
  }

  add(rows: Iterable<NbRow>): void {
    for (const row of rows) {
      const key = rowKey(row);
      this.touch(key);
      this.rows.set(key, row);
    }
  }

  /** The delta since the last call. */
  takeDelta(): RowDelta {
    const added: NbRow[] = [];
    const changed: NbRow[] = [];
    const removed: NbRow[] = [];
    for (const [key, before] of this.touched) {
      const after = this.rows.get(key);
      if (before === undefined) {
        if (after !== undefined) added.push(after);
      } else if (after === undefined) removed.push(before);
      else if (before !== after && JSON.stringify(before) !== JSON.stringify(after)) changed.push(after);
    }
    this.touched = new Map();
    return { added, changed, removed };
  }

  private touch(key: string): void {
    if (!this.touched.has(key)) this.touched.set(key, this.rows.get(key));
  }
}
