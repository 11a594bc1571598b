// What a reconcile plan is (pure data: inserts, updates, deletes, guards) and the counts read
// from it. The planner (reconcilePlanner.ts) makes it; buildTransaction and formatPlan read it.
import type { NbRow, NbTable } from '@ovn-nbgen/core';
import { nbTables, type DeletionCounts, type NbValue } from '@ovn-nbgen/core/script';
import type { Uuid } from '../notation/uuid.js';
import type { Atom, Value } from '../notation/value.js';
import type { StateRow } from './state.js';

/** A row of the plan: an existing row, or one the same transaction inserts (index into `inserts`). */
export type RowRef = { readonly uuid: Uuid } | { readonly insert: number };

/** What every planned insert, update and delete says about its row. */
export interface PlannedRowChange {
  readonly table: NbTable;
  /** How the row reads in a diff: `Port_Group np.shop.web`, `ACL np.shop.web ingress/0/ip4`. */
  readonly label: string;
}

/** A row to insert: one the compile wants that the NB does not have. */
export interface PlannedInsert extends PlannedRowChange {
  /** The compiled row the insert writes. */
  readonly row: NbRow;
  /** Owned columns and resolved references (UUID sets), ready to insert. */
  readonly columns: Readonly<Record<string, NbValue>>;
  /** Non-root rows: the set that keeps the row alive (Port_Group.acls, Logical_Router.nat). */
  readonly parent?: { readonly table: string; readonly column: string; readonly ref: RowRef; readonly name: string };
  /** Reference sets of existing rows the new row joins (Logical_Router.load_balancer). */
  readonly memberOf: readonly MembershipChange[];
}

/** A row joining or leaving a reference set of an existing row (a mutate of `table.column`). */
export interface MembershipChange {
  readonly table: string;
  readonly column: string;
  /** The existing row whose set changes. */
  readonly uuid: Uuid;
  /** Its name, for the diff. */
  readonly name: string;
  readonly op: 'insert' | 'delete';
}

/** The members a set gains and loses. */
export interface SetDelta<T> {
  readonly added: readonly T[];
  readonly removed: readonly T[];
}

/** One column of an existing row that differs. Set columns change by `added`/`removed` (a mutate). */
export interface ColumnChange {
  readonly column: string;
  readonly old: Value;
  readonly new: Value;
  readonly set?: SetDelta<Atom>;
  /** For reference sets: the names behind the UUIDs, for the diff. */
  readonly names?: SetDelta<string>;
}

/** An owned row the NB has that differs from the compiled row of the same identity. */
export interface PlannedUpdate extends PlannedRowChange {
  /** The existing row. */
  readonly uuid: Uuid;
  /** The compiled row it is brought to. */
  readonly row: NbRow;
  /** Only the columns that differ; the others are left as they are. */
  readonly changes: readonly ColumnChange[];
  /** Reference sets of other rows it joins or leaves (Logical_Router.load_balancer). */
  readonly memberOf: readonly MembershipChange[];
}

/** An owned row the NB has that the compile no longer wants. */
export interface PlannedDelete extends PlannedRowChange {
  readonly uuid: Uuid;
  /** The row as the NB holds it. */
  readonly old: StateRow;
  /** Non-root rows are dropped from this set and garbage-collected by the server. */
  readonly parent?: { readonly table: string; readonly column: string; readonly uuid: Uuid };
}

/**
 * What the commit must find unchanged (wait, timeout 0), so a concurrent writer fails it cleanly:
 * - `columns`: the columns of a row we update still hold what we read;
 * - `children`: a parent we add children to still holds exactly the children we read (a second
 *   writer of the same owner adding the same ACL would otherwise duplicate it);
 * - `absent`: no row of ours with this name appeared (Load_Balancer names are not unique).
 */
export type Guard =
  | { readonly kind: 'columns'; readonly table: string; readonly uuid: Uuid; readonly values: Readonly<Record<string, Value>> }
  | { readonly kind: 'children'; readonly table: string; readonly uuid: Uuid; readonly column: string; readonly uuids: readonly Atom[] }
  | { readonly kind: 'absent'; readonly table: string; readonly name: string; readonly owner: string };

export interface ReconcilePlan {
  /** The `nbgen/owner` value of the rows the plan writes and deletes. */
  readonly owner: string;
  readonly inserts: readonly PlannedInsert[];
  readonly updates: readonly PlannedUpdate[];
  readonly deletes: readonly PlannedDelete[];
  readonly guards: readonly Guard[];
  /** e.g. ports left out of their group because they are not in the database (yet). */
  readonly warnings: readonly string[];
  /** Rows of the owner in the NB when the plan was made, per table (what a deletion limit weighs deletes against). */
  readonly owned: Readonly<Record<NbTable, number>>;
  /** How many rows the caller wants the owner (or the objects planned) to hold. */
  readonly wanted: number;
}

export function isEmptyPlan(plan: ReconcilePlan): boolean {
  return plan.inserts.length === 0 && plan.updates.length === 0 && plan.deletes.length === 0;
}

export type TableCounts = Readonly<Record<NbTable, { inserted: number; updated: number; deleted: number }>>;

/** What a deletion limit weighs: rows deleted and rows the owner held, per table (`checkDeletionLimit`). */
export function deletionCounts(plan: ReconcilePlan): DeletionCounts {
  const deleted = Object.fromEntries(Object.keys(nbTables).map((t) => [t, 0])) as Record<NbTable, number>;
  for (const d of plan.deletes) deleted[d.table]++;
  return { deleted, owned: plan.owned, wanted: plan.wanted };
}

/** Inserted / updated / deleted rows per table. */
export function planCounts(plan: ReconcilePlan): TableCounts {
  const counts = Object.fromEntries(Object.keys(nbTables).map((t) => [t, { inserted: 0, updated: 0, deleted: 0 }])) as Record<
    NbTable,
    { inserted: number; updated: number; deleted: number }
  >;
  for (const i of plan.inserts) counts[i.table].inserted++;
  for (const u of plan.updates) counts[u.table].updated++;
  for (const d of plan.deletes) counts[d.table].deleted++;
  return counts;
}

