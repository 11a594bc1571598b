// The planner: desired rows + what the NB holds (NbState) → a ReconcilePlan. Pure: reads the
// state, returns data.
import type { Capabilities, NbRow, NbRows, NbTable, ObjectRef } from '@ovn-nbgen/core';
import { OWNER_KEY } from '@ovn-nbgen/core/model';
import {
  encodeColumnValues,
  identityKey,
  nbTables,
  referenceNames,
  type NbValue,
  type TableDescriptor,
} from '@ovn-nbgen/core/script';
import { valuesEqual } from '../notation/canonical.js';
import type { Uuid } from '../notation/uuid.js';
import type { Atom, Value } from '../notation/value.js';
import { ReconcileError } from './errors.js';
import type { ColumnChange, Guard, MembershipChange, PlannedDelete, PlannedInsert, PlannedUpdate, ReconcilePlan } from './reconcilePlan.js';
import type { PlanMemo } from './reconcileMemo.js';
import { labelOf, objectRefOf, RowLabel, type Ids } from './rowLabels.js';
import { forgetSetLineage, planSetChange, type SetChange, type SetKeys } from './setLineage.js';
import { objectKey, ownerOf, type NbState, type StateRow } from './state.js';

export interface PlanOptions {
  /** Only rows whose external_ids carry `nbgen/owner = owner` are updated or deleted. */
  readonly owner: string;
  /** What the target can hold (from the live schema: `capabilitiesFromSchema`). */
  readonly capabilities: Capabilities;
  /**
   * Compare only the rows of these objects (and of the objects the desired rows come from);
   * rows of the owner's other objects are left as they are. Omitted: every row of the owner.
   */
  readonly objects?: readonly ObjectRef[];
  /**
   * Row by row (with `objects`, which are still compared whole): each desired row of another
   * object, and each of `removed`, is compared with the owner's database row of its identity only,
   * and a removed row's is deleted; the other rows of their objects are left as they are. What a
   * stream of session deltas needs once each object was compared whole: a namespace's shared
   * address sets are one object of hundreds of rows, of which an event changes one or two.
   */
  readonly byRow?: { readonly removed: readonly NbRow[] };
  /**
   * Remembers desired rows found equal to a database row; when both objects are the same next time,
   * the comparison is skipped. Keep one per reconciler (rows are frozen, database rows are replaced
   * on every change, so object identity is a safe "unchanged" test).
   */
  readonly memo?: PlanMemo;
  /**
   * Keep each set column's lineage (setLineage.ts) for the next plan of this state (default true).
   * False for a state planned once: the plan is the same, read whole.
   */
  readonly lineage?: boolean;
}

type ReferenceSpec = TableDescriptor<NbRow>['references'][number];

/** The set columns whose lineage a plan keeps, per table. */
const SET_COLUMNS_OF: Partial<Record<string, readonly string[]>> = Object.fromEntries(
  (Object.values(nbTables) as TableDescriptor<NbRow>[]).map((d) => [d.table, [...d.columns.filter((c) => c.type === 'set').map((c) => c.name), ...d.references.filter((r) => r.kind !== 'optional').map((r) => r.column)]]),
);

const NO_MEMBERSHIP: MembershipChange[] = [];

/** A plain set of strings (Address_Set.addresses) keys its atoms by themselves. */
const PLAIN_SET_KEYS: SetKeys = { generation: 0, keyOf: (atom) => (typeof atom === 'string' ? atom : undefined), atomOf: (key) => key };

const sortedAtoms = (atoms: Iterable<Atom>): Atom[] => [...atoms].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));

/**
 * A set column's new value, computed when read (the diff of a non-set column shows it; set changes
 * are written and shown as added/removed): building it would read the whole group on every event.
 */
function setChangeOf(column: string, have: readonly Atom[], change: SetChange, names: boolean): ColumnChange {
  let value: Atom[] | undefined;
  const out = {
    column,
    old: have as Value,
    set: { added: sortedAtoms(change.added), removed: sortedAtoms(change.removed) },
    ...(names ? { names: { added: [...change.addedKeys].sort(), removed: [...change.removedKeys].sort() } } : {}),
  };
  Object.defineProperty(out, 'new', {
    enumerable: true,
    get: () => {
      const removed = new Set(change.removed);
      return (value ??= [...have.filter((a) => !removed.has(a)), ...change.added]);
    },
  });
  return out as unknown as ColumnChange;
}

/**
 * desired rows + what the NB holds → the smallest set of changes that makes the NB hold exactly
 * the desired rows for `owner`: inserts, in-place updates of the columns that differ (set columns
 * by delta), deletes of the owner's rows nobody wants, and membership changes of reference sets.
 * Pure: reads `state`, returns data; `buildTransaction` turns it into one OVSDB transaction.
 *
 * @example
 *   const plan = planReconcile(rows, NbState.fromRows(dump), { owner: 'nbgen', capabilities });
 *   plan.inserts.map((i) => i.label); // ['Port_Group np.shop.web', 'ACL np.shop.web ingress/0/ip4', ...]
 */
export function planReconcile(desired: NbRows, state: NbState, options: PlanOptions): ReconcilePlan {
  return new Planner(state, options).run(desired);
}

class Planner {
  private readonly inserts: PlannedInsert[] = [];
  private readonly updates: PlannedUpdate[] = [];
  private readonly deletes: PlannedDelete[] = [];
  private readonly guards: Guard[] = [];
  private readonly warnings: string[] = [];
  /** Rows this plan inserts, by table, then name (parents of the ACLs of a new Port_Group). */
  private readonly insertedByName = new Map<string, Map<string, number>>();
  /** Per target table, a name → its first row, resolved once per plan (100,000 port references at 35,000 rows). */
  private readonly namedIn = new Map<string, (name: string) => StateRow | undefined>();
  /** Per target table, lists of names resolved by this plan (`resolved`). */
  private readonly resolvedLists = new Map<string, Map<readonly string[], { readonly uuids: Uuid[]; readonly missing: string[] | undefined }>>();
  /** Parents that get new children, guarded once each. */
  private readonly guardedParents = new Set<Uuid>();
  private scope: ReadonlySet<string> | undefined;
  /** `byRow`: per table, the identities compared row by row, and the rows that have them. */
  private rowScope: Map<NbTable, { readonly keys: Set<string>; readonly rows: NbRow[] }> | undefined;

  constructor(
    private readonly state: NbState,
    private readonly options: PlanOptions,
  ) {}

  run(desired: NbRows): ReconcilePlan {
    const { owner, memo } = this.options;
    const full = !this.options.objects;
    // Tables whose rows and database are as the last full pass left them (found in order then).
    const settled = new Set<TableDescriptor<NbRow>>();
    for (const descriptor of Object.values(nbTables) as TableDescriptor<NbRow>[]) {
      if (full && memo?.settled(this.state, descriptor, descriptor.rowsOf(desired))) settled.add(descriptor);
    }
    for (const descriptor of Object.values(nbTables) as TableDescriptor<NbRow>[]) {
      if (settled.has(descriptor)) continue;
      const rows = descriptor.rowsOf(desired);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        if (row.externalIds[OWNER_KEY] !== owner) {
          throw new ReconcileError(
            'NBGEN_RECONCILE_INPUT',
            `${descriptor.table} row carries owner ${JSON.stringify(row.externalIds[OWNER_KEY] ?? null)}, not ${JSON.stringify(owner)} (compile with the same owner)`,
          );
        }
      }
    }
    if (this.options.objects) {
      const keys = new Set(this.options.objects.map(objectKey));
      if (this.options.byRow) this.rowScope = this.rowScopeOf(desired, this.options.byRow.removed, keys);
      else {
        for (const descriptor of Object.values(nbTables) as TableDescriptor<NbRow>[]) {
          for (const row of descriptor.rowsOf(desired)) {
            const ref = objectRefOf(row.externalIds);
            if (ref) keys.add(objectKey(ref));
          }
        }
      }
      this.scope = keys;
    }
    for (const descriptor of Object.values(nbTables) as TableDescriptor<NbRow>[]) {
      if (settled.has(descriptor)) continue;
      const before = this.inserts.length + this.updates.length + this.deletes.length + this.warnings.length;
      this.planTable(descriptor, descriptor.rowsOf(desired));
      const after = this.inserts.length + this.updates.length + this.deletes.length + this.warnings.length;
      if (full) memo?.passed(this.state, descriptor, descriptor.rowsOf(desired), after === before);
    }
    return Object.freeze({
      owner,
      inserts: this.inserts,
      updates: this.updates,
      deletes: this.deletes.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
      guards: this.guards,
      warnings: this.warnings,
      owned: Object.fromEntries(Object.keys(nbTables).map((t) => [t, this.state.ownedCount(t as NbTable, owner)])) as Record<NbTable, number>,
      wanted: (Object.values(nbTables) as TableDescriptor<NbRow>[]).reduce((n, d) => n + d.rowsOf(desired).length, 0),
    });
  }

  /** The rows compared row by row (`byRow`): desired rows of objects not compared whole, and the removed. */
  private rowScopeOf(desired: NbRows, removed: readonly NbRow[], wholeObjects: ReadonlySet<string>): NonNullable<Planner['rowScope']> {
    const out: NonNullable<Planner['rowScope']> = new Map();
    const add = (row: NbRow): void => {
      const ref = objectRefOf(row.externalIds);
      if (ref && wholeObjects.has(objectKey(ref))) return;
      const descriptor = nbTables[row.table] as TableDescriptor<NbRow>;
      let entry = out.get(row.table);
      if (!entry) out.set(row.table, (entry = { keys: new Set(), rows: [] }));
      const values = encodeColumnValues(descriptor, row, this.options.capabilities);
      entry.keys.add(identityKey(descriptor, values, row.externalIds, descriptor.parent?.nameOf(row)));
      entry.rows.push(row);
    };
    for (const descriptor of Object.values(nbTables) as TableDescriptor<NbRow>[]) for (const row of descriptor.rowsOf(desired)) add(row);
    for (const row of removed) add(row);
    return out;
  }

  /**
   * The owner's rows of `table` this plan is about: all, those of the scope's objects, and (byRow)
   * those that may have the identity of a row compared row by row (found by name, or among its
   * object's rows: `planTable` keeps those of the identity).
   */
  private currentRows(table: NbTable): StateRow[] {
    const { owner } = this.options;
    if (!this.scope) return this.state.ownedBy(table, owner);
    const whole = this.state.ownedByObjects(table, owner, this.scope);
    const byRow = this.rowScope?.get(table);
    if (!byRow) return whole;
    const seen = new Set(whole.map((row) => row._uuid));
    const take = (row: StateRow): void => {
      if (seen.has(row._uuid)) return;
      seen.add(row._uuid);
      whole.push(row);
    };
    if ((nbTables[table] as TableDescriptor<NbRow>).uniqueName) {
      for (const row of byRow.rows) {
        for (const named of this.state.named(table, (row as { name: string }).name)) if (ownerOf(named) === owner) take(named);
      }
    } else {
      const objects = new Set<string>();
      for (const row of byRow.rows) {
        const ref = objectRefOf(row.externalIds);
        if (ref) objects.add(objectKey(ref));
      }
      for (const row of this.state.ownedByObjects(table, owner, objects)) take(row);
    }
    return whole;
  }

  /** Is a database row in this plan's scope: all rows, or a scope object's, or (byRow) one of the identities? */
  private inRowScope(table: NbTable, row: StateRow, key: string): boolean {
    const byRow = this.rowScope?.get(table);
    if (!byRow) return true;
    const ref = objectRefOf((row.external_ids ?? {}) as Ids);
    return (ref !== undefined && this.scope!.has(objectKey(ref))) || byRow.keys.has(key);
  }

  private parentNameOfCurrent(descriptor: TableDescriptor<NbRow>, row: StateRow): { name: string; uuid: Uuid } | undefined {
    if (!descriptor.parent) return undefined;
    const parent = this.state.firstReferrer(descriptor.parent.table, descriptor.parent.column, row._uuid);
    return parent ? { name: String(parent.name), uuid: parent._uuid } : undefined;
  }

  private planTable(descriptor: TableDescriptor<NbRow>, wanted: readonly NbRow[]): void {
    const { table } = descriptor;
    const { memo } = this.options;
    const hits: Uuid[] = [];

    // 1. Rows found equal to this very database row last time, neither object changed since:
    //    nothing to compare (the steady state of a controller that keeps its compiled rows).
    let rest: NbRow[] = wanted as NbRow[];
    if (memo) {
      rest = [];
      const unchanged = memo.unchangedIn(this.state, descriptor, memo.nextPlan());
      for (const row of wanted) {
        const uuid = unchanged(row);
        if (uuid !== undefined) hits.push(uuid);
        else rest.push(row);
      }
      // Everything matched and the owner has no other row of this table: nothing else to look at.
      if (rest.length === 0 && !this.scope && hits.length === this.state.ownedCount(table, this.options.owner)) return;
    }
    const claimed = new Set<Uuid>(hits);
    const current = this.currentRows(table);

    // 2. The others are matched by identity among the database rows not claimed yet.
    if (rest.length === 0 && claimed.size === current.length) return;
    // Database rows by identity key: one row, or a list when several share it (rare: one array
    // per row was 35,000 arrays of one at 35,000 rows). Parents are not kept per row: looked up
    // again for the few rows deleted or remembered.
    const byKey = new Map<string, StateRow | StateRow[]>();
    const candidates: StateRow[] = [];
    for (const row of current) {
      if (claimed.has(row._uuid)) continue;
      const parent = this.parentNameOfCurrent(descriptor, row);
      // A non-root row of ours outside any parent we manage (e.g. in a Logical_Switch) is not ours to move.
      if (descriptor.parent && !parent) continue;
      const byRow = this.rowScope?.has(table) === true;
      if (rest.length === 0 && !byRow) {
        candidates.push(row);
        continue;
      }
      const key = identityKey(descriptor, row, (row.external_ids ?? {}) as Ids, parent?.name);
      // Another row of an object compared row by row: not this plan's.
      if (byRow && !this.inRowScope(table, row, key)) continue;
      candidates.push(row);
      if (rest.length === 0) continue;
      const found = byKey.get(key);
      if (found === undefined) byKey.set(key, row);
      else if (Array.isArray(found)) found.push(row);
      else byKey.set(key, [found, row]);
    }
    // No database row to match by identity (a fresh NB, or all claimed): no identity keys to make.
    const keyed = byKey.size > 0;
    // A table without a row holds no row of any name: nothing to claim by name (a fresh NB).
    const byName = descriptor.uniqueName && this.state.tableRows(table).size > 0;
    for (let i = 0; i < rest.length; i++) {
      const row = rest[i]!;
      const values = encodeColumnValues(descriptor, row, this.options.capabilities);
      const parentName = descriptor.parent?.nameOf(row);
      const label = new RowLabel(table, values, row.externalIds, parentName);
      let match = keyed ? this.takeCandidate(byKey.get(identityKey(descriptor, values, row.externalIds, parentName)), values, claimed) : undefined;
      if (!match && descriptor.uniqueName) match = byName ? this.claimByName(descriptor, values, claimed) : this.refuseTwice(descriptor.table, String(values.name));
      if (match) {
        claimed.add(match._uuid);
        const unchanged = this.planUpdate(descriptor, row, label, values, match);
        if (unchanged && memo) memo.remember(row, match, this.state, descriptor, this.parentNameOfCurrent(descriptor, match)?.uuid);
      } else {
        this.planInsert(descriptor, row, label, values, parentName);
      }
    }

    // 3. The owner's rows nobody claimed are stale.
    for (const row of candidates) {
      if (claimed.has(row._uuid)) continue;
      const parent = this.parentNameOfCurrent(descriptor, row);
      const label = labelOf(table, row, (row.external_ids ?? {}) as Ids, parent?.name);
      forgetSetLineage(this.state, row._uuid, SET_COLUMNS_OF[table] ?? []);
      this.deletes.push({
        table,
        label,
        uuid: row._uuid,
        old: row,
        ...(descriptor.parent && parent ? { parent: { table: descriptor.parent.table, column: descriptor.parent.column, uuid: parent.uuid } } : {}),
      });
    }
  }

  /** Of the rows with a desired row's identity, the one that already equals it, else the first. */
  private takeCandidate(
    rows: StateRow | StateRow[] | undefined,
    values: Readonly<Record<string, NbValue>>,
    claimed: ReadonlySet<Uuid>,
  ): StateRow | undefined {
    if (!rows) return undefined;
    if (!Array.isArray(rows)) return claimed.has(rows._uuid) ? undefined : rows;
    const free = rows.filter((r) => !claimed.has(r._uuid));
    if (free.length <= 1) return free[0];
    return free.find((r) => Object.entries(values).every(([c, v]) => valuesEqual((r[c] ?? null) as Value, v as Value))) ?? free[0];
  }

  /** A unique name outside the compared scope: ours (another object's row, moved here) or a conflict. */
  private claimByName(
    descriptor: TableDescriptor<NbRow>,
    values: Readonly<Record<string, NbValue>>,
    claimed: ReadonlySet<Uuid>,
  ): StateRow | undefined {
    const name = String(values.name);
    // The first row of the name decides (a unique name: there is at most one).
    const existing = this.namedLookup(descriptor.table)(name);
    if (existing) {
      const ids = (existing.external_ids ?? {}) as Ids;
      if (ids[OWNER_KEY] !== this.options.owner) {
        throw new ReconcileError(
          'NBGEN_RECONCILE_CONFLICT',
          `${descriptor.table} ${name} exists and is not owned by ${this.options.owner}; not touching it`,
        );
      }
      if (claimed.has(existing._uuid)) {
        throw new ReconcileError('NBGEN_RECONCILE_INPUT', `two ${descriptor.table} rows are named ${JSON.stringify(name)}`);
      }
      return existing;
    }
    return this.refuseTwice(descriptor.table, name);
  }

  /** A name this plan already inserts into `table` is a second desired row of it: refused. */
  private refuseTwice(table: string, name: string): undefined {
    if (this.insertedByName.get(table)?.has(name)) {
      throw new ReconcileError('NBGEN_RECONCILE_INPUT', `two ${table} rows are named ${JSON.stringify(name)}`);
    }
    return undefined;
  }

  /** `state.firstNamed` for one table, its index and rows found once. */
  private namedLookup(table: string): (name: string) => StateRow | undefined {
    let lookup = this.namedIn.get(table);
    if (!lookup) this.namedIn.set(table, (lookup = this.state.namedLookup(table)));
    return lookup;
  }

  /** Names of one reference column → UUIDs; unknown ports are left out with a warning, other unknown rows refuse the plan. */
  private resolveNames(spec: ReferenceSpec, column: string, names: readonly string[], label: RowLabel): Uuid[] {
    const { uuids, missing } = this.resolved(spec.target, names);
    if (missing) this.reportMissing(spec, column, missing, label);
    return uuids;
  }

  /**
   * A list of names of `target` rows → their UUIDs and the names not found, once per list: the
   * compile hands rows with the same selection one frozen list (10,000 new Port_Groups hold 5,000
   * lists at 35,000 rows). The state does not change while a plan is made.
   */
  private resolved(target: string, names: readonly string[]): { readonly uuids: Uuid[]; readonly missing: string[] | undefined } {
    let byList = this.resolvedLists.get(target);
    if (!byList) this.resolvedLists.set(target, (byList = new Map()));
    let out = byList.get(names);
    if (out) return out;
    const uuids: Uuid[] = [];
    let missing: string[] | undefined;
    const named = this.namedLookup(target);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const found = named(name);
      if (found) uuids.push(found._uuid);
      else (missing ??= []).push(name);
    }
    byList.set(names, (out = { uuids, missing }));
    return out;
  }

  private reportMissing(spec: ReferenceSpec, column: string, missing: readonly string[], label: RowLabel): void {
    if (missing.length === 0) return;
    if (spec.missing === 'error') {
      throw new ReconcileError('NBGEN_RECONCILE_MISSING', `${label.text}: ${spec.target} ${missing.join(', ')} not found (${column})`);
    }
    const what = spec.target === 'Logical_Switch_Port' ? 'logical switch port' : spec.target;
    for (const name of missing) this.warnings.push(`${label.text}: ${what} ${name} not found; left out`);
  }

  /**
   * The change of a set reference column (a Port_Group's ports) from what the row holds to the
   * rows `names` name, or undefined when it holds them already. Planned from what the last plan
   * of this column wanted when the NB moved as it asked (setLineage.ts): a node's group holds
   * hundreds of ports and an event moves a few.
   */
  private setReferenceChange(spec: ReferenceSpec, row: Uuid, column: string, names: readonly string[], have: readonly Atom[], label: RowLabel): ColumnChange | undefined {
    const change = planSetChange(this.state, row, column, have, names, this.setKeysOf(spec.target), this.options.lineage !== false);
    if (!change) return undefined;
    this.reportMissing(spec, column, change.missing, label);
    if (change.added.length + change.removed.length === 0) return undefined;
    return setChangeOf(column, have, change, true);
  }

  /** Per target table, how its rows key a reference set: by name (made once per plan, not per group). */
  private readonly setKeys = new Map<string, SetKeys>();

  private setKeysOf(target: string): SetKeys {
    let keys = this.setKeys.get(target);
    if (!keys) {
      const targets = this.state.tableRows(target);
      const named = this.namedLookup(target);
      keys = {
        generation: this.state.renames(target),
        keyOf: (atom) => {
          const name = targets.get(atom as Uuid)?.name;
          return typeof name === 'string' ? name : undefined;
        },
        atomOf: (name) => named(name)?._uuid,
      };
      this.setKeys.set(target, keys);
    }
    return keys;
  }

  /** The one row of a non-unique name our rows hang from or join (a router). */
  private existingByName(table: string, name: string, neededBy: RowLabel): StateRow {
    const rows = this.state.named(table, name);
    if (rows.length === 0) throw new ReconcileError('NBGEN_RECONCILE_MISSING', `${table} ${name} not found (${neededBy.text} needs it)`);
    if (rows.length > 1) {
      throw new ReconcileError('NBGEN_RECONCILE_CONFLICT', `${rows.length} ${table} rows are named ${name} (${neededBy.text} needs exactly one)`);
    }
    return rows[0] as StateRow;
  }

  private membershipOf(descriptor: TableDescriptor<NbRow>, row: NbRow, label: RowLabel, current: StateRow | undefined): MembershipChange[] {
    if (descriptor.memberOf.length === 0) return NO_MEMBERSHIP;
    const out: MembershipChange[] = [];
    for (const m of descriptor.memberOf) {
      const wanted = new Map<Uuid, string>();
      for (const name of m.names(row)) {
        const target = this.existingByName(m.table, name, label);
        wanted.set(target._uuid, name);
      }
      const have = new Map<Uuid, string>();
      if (current) for (const r of this.state.referrersOf(m.table, m.column, current._uuid)) have.set(r._uuid, String(r.name));
      for (const [uuid, name] of wanted) if (!have.has(uuid)) out.push({ table: m.table, column: m.column, uuid, name, op: 'insert' });
      for (const [uuid, name] of have) if (!wanted.has(uuid)) out.push({ table: m.table, column: m.column, uuid, name, op: 'delete' });
    }
    return out;
  }

  private planInsert(
    descriptor: TableDescriptor<NbRow>,
    row: NbRow,
    label: RowLabel,
    values: Readonly<Record<string, NbValue>>,
    parentName: string | undefined,
  ): void {
    const { table } = descriptor;
    // The label first: it reads `values`, which then become the insert's columns (no copy per row).
    const text = label.text;
    const columns = values as Record<string, NbValue>;
    if (descriptor.references.length > 0) {
      for (const { column, names } of referenceNames(descriptor, row, this.options.capabilities)) {
        const spec = descriptor.references.find((r) => r.column === column)!;
        const uuids = this.resolveNames(spec, column, names, label);
        columns[column] = spec.kind === 'optional' ? (uuids[0] ?? null) : uuids;
      }
    }
    let parent: PlannedInsert['parent'];
    if (descriptor.parent && parentName !== undefined) {
      const { table: parentTable, column } = descriptor.parent;
      const inserted = this.insertedByName.get(parentTable)?.get(parentName);
      if (inserted !== undefined) {
        parent = { table: parentTable, column, ref: { insert: inserted }, name: parentName };
      } else {
        const existing = this.existingByName(parentTable, parentName, label);
        parent = { table: parentTable, column, ref: { uuid: existing._uuid }, name: parentName };
        if (!this.guardedParents.has(existing._uuid)) {
          this.guardedParents.add(existing._uuid);
          this.guards.push({ kind: 'children', table: parentTable, uuid: existing._uuid, column, uuids: (existing[column] as readonly Atom[]) ?? [] });
        }
      }
    }
    if (!descriptor.uniqueName && !descriptor.parent && typeof values.name === 'string') {
      this.guards.push({ kind: 'absent', table, name: values.name, owner: this.options.owner });
    }
    const index = this.inserts.length;
    if (typeof values.name === 'string') {
      let names = this.insertedByName.get(table);
      if (!names) this.insertedByName.set(table, (names = new Map()));
      names.set(values.name, index);
    }
    const memberOf = this.membershipOf(descriptor, row, label, undefined);
    this.inserts.push(parent ? { table, label: text, row, columns, parent, memberOf } : { table, label: text, row, columns, memberOf });
  }

  private planUpdate(
    descriptor: TableDescriptor<NbRow>,
    row: NbRow,
    label: RowLabel,
    values: Readonly<Record<string, NbValue>>,
    current: StateRow,
  ): boolean {
    const warningsBefore = this.warnings.length;
    const changes: ColumnChange[] = [];
    const guarded: Record<string, Value> = {};
    let guardedColumns = 0;
    for (const spec of descriptor.columns) {
      if (!(spec.name in values)) continue;
      const want = values[spec.name] as Value;
      const have = (current[spec.name] ?? null) as Value;
      if (spec.type === 'set') {
        // Address_Set.addresses: planned from the last plan of the column, as reference sets are.
        const change = planSetChange(this.state, current._uuid, spec.name, (have ?? []) as readonly Atom[], want as readonly string[], PLAIN_SET_KEYS, this.options.lineage !== false);
        if (change) changes.push(setChangeOf(spec.name, (have ?? []) as readonly Atom[], change, false));
        continue;
      }
      if (valuesEqual(have, want)) continue;
      {
        changes.push({ column: spec.name, old: have, new: want });
        guarded[spec.name] = have;
        guardedColumns++;
      }
    }
    for (const { column, names } of descriptor.references.length === 0 ? [] : referenceNames(descriptor, row, this.options.capabilities)) {
      const spec = descriptor.references.find((r) => r.column === column)!;
      if (spec.kind === 'optional') {
        const have = (current[column] ?? null) as Value;
        const want = this.resolveNames(spec, column, names, label)[0] ?? null;
        if (have !== want) {
          changes.push({ column, old: have, new: want });
          guarded[column] = have;
          guardedColumns++;
        }
        continue;
      }
      const change = this.setReferenceChange(spec, current._uuid, column, names, (current[column] ?? []) as readonly Atom[], label);
      if (change) changes.push(change);
    }
    const memberOf = this.membershipOf(descriptor, row, label, current);
    if (changes.length === 0 && memberOf.length === 0) return this.warnings.length === warningsBefore;
    if (guardedColumns > 0) this.guards.push({ kind: 'columns', table: descriptor.table, uuid: current._uuid, values: guarded });
    this.updates.push({ table: descriptor.table, label: label.text, uuid: current._uuid, row, changes, memberOf });
    return false;
  }
}
