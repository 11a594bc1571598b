// What a reconciler remembers between plans: desired rows found equal to database rows, and
// tables a full pass found settled, so a steady-state plan skips the comparisons.
import type { Capabilities, NbRow } from '@ovn-nbgen/core';
import type { TableDescriptor } from '@ovn-nbgen/core/script';
import type { Uuid } from '../notation/uuid.js';
import { versionKeysReadBy, type NbState, type StateRow } from './state.js';

/** What a desired row was found equal to, and where (see PlanMemo.equalTo). */
interface Remembered {
  readonly row: StateRow;
  /** The row holding `row` (non-root tables) and its name then: the planner keys rows by it. */
  readonly parent: { readonly uuid: Uuid; readonly name: unknown } | undefined;
  claimedIn: number;
}

export class PlanMemo {
  /**
   * desired row object → the database row object it was found equal to. Valid while the state still
   * holds that very row object (any change replaces it), under the same parent, for rows whose
   * references all resolved (a port created later must be picked up) and that join no other row's set.
   */
  private readonly equalTo = new WeakMap<NbRow, Remembered>();
  /** Per table: the rows of the last full pass that found nothing to do, and the versions of what it read. */
  private readonly settledTables = new Map<
    string,
    { readonly state: NbState; readonly rows: readonly NbRow[]; readonly versions: readonly number[] }
  >();
  private plans = 0;

  constructor(
    /** The owner and capabilities the remembered comparisons were made under. */
    readonly owner: string,
    readonly capabilities: Capabilities,
  ) {}

  /** A number for one pass over a table's rows (a database row is claimed at most once per pass). */
  nextPlan(): number {
    return ++this.plans;
  }

  /**
   * For one pass over `descriptor`'s rows: a test that answers the UUID of the database row a
   * desired row was found equal to, if neither changed since (else undefined). The table's maps
   * are looked up once per pass, not per row: a no-op plan runs this for every row.
   * A non-root row also needs to be held by the same parent, of the same name, as the planner
   * finds it (the first row whose set holds it, from the state's inverse index). Not the parent
   * row object: a Port_Group is replaced whenever a pod joins or leaves it, and its ACLs, which
   * that leaves alone, would all be compared again on every such event.
   */
  unchangedIn(state: NbState, descriptor: TableDescriptor<NbRow>, plan: number): (row: NbRow) => Uuid | undefined {
    const rows = state.tableRows(descriptor.table);
    const parent = descriptor.parent;
    return (row) => {
      const seen = this.equalTo.get(row);
      if (!seen || seen.claimedIn === plan) return undefined;
      if (rows.get(seen.row._uuid) !== seen.row) return undefined;
      if (parent) {
        const holder = state.firstReferrer(parent.table, parent.column, seen.row._uuid);
        if (!seen.parent || holder?._uuid !== seen.parent.uuid || holder.name !== seen.parent.name) return undefined;
      }
      seen.claimedIn = plan;
      return seen.row._uuid;
    };
  }

  /**
   * True when `rows` is the very frozen array that an earlier full pass over this table found
   * already in the database, and no table that pass read has changed since: the table is skipped
   * without looking at one row. A frozen array cannot have gained, lost or swapped a row, and a
   * table's version changes with any row of it, so the pass would find nothing again.
   */
  settled(state: NbState, descriptor: TableDescriptor<NbRow>, rows: readonly NbRow[]): boolean {
    const last = this.settledTables.get(descriptor.table);
    // Versions count changes of one state only: another state (a new monitor) starts afresh.
    if (!last || last.rows !== rows || last.state !== state) return false;
    return versionKeysReadBy(descriptor).every((table, i) => state.version(table) === last.versions[i]);
  }

  /** Records the outcome of a full pass over `descriptor`'s rows (`nothingToDo`: no change, no warning). */
  passed(state: NbState, descriptor: TableDescriptor<NbRow>, rows: readonly NbRow[], nothingToDo: boolean): void {
    if (nothingToDo && Object.isFrozen(rows)) {
      this.settledTables.set(descriptor.table, { state, rows, versions: versionKeysReadBy(descriptor).map((table) => state.version(table)) });
    } else {
      this.settledTables.delete(descriptor.table);
    }
  }

  /** `parent`: the UUID of the row holding `match` (non-root tables), as the planner found it. */
  remember(row: NbRow, match: StateRow, state: NbState, descriptor: TableDescriptor<NbRow>, parent: Uuid | undefined): void {
    if (descriptor.memberOf.length > 0) return;
    const parentRow = descriptor.parent && parent !== undefined ? state.row(descriptor.parent.table, parent) : undefined;
    this.equalTo.set(row, { row: match, parent: parentRow ? { uuid: parentRow._uuid, name: parentRow.name } : undefined, claimedIn: 0 });
  }
}

