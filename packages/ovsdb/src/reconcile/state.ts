import type { Capabilities, NbRow, NbTable, ObjectRef } from '@ovn-nbgen/core';
import { OBJECT_KIND_KEY, OBJECT_NAME_KEY, OBJECT_NAMESPACE_KEY, OWNER_KEY } from '@ovn-nbgen/core/model';
import { nbTables, type TableDescriptor } from '@ovn-nbgen/core/script';
import type { ChangeEvent, MonitorCache, MonitorTableRequest } from '../cache/index.js';
import type { Uuid } from '../notation/uuid.js';
import { valuesEqual } from '../notation/canonical.js';
import type { Atom, Row, Value } from '../notation/value.js';

/** A database row as the planner reads it: decoded columns plus `_uuid`. */
export type StateRow = Row & { readonly _uuid: Uuid };

/** Tables whose rows are looked up by name: ours, and the ones our rows refer to by name. */
const NAMED_TABLES = ['Port_Group', 'Address_Set', 'Load_Balancer', 'Logical_Switch_Port', 'Logical_Router', 'Logical_Router_Port'];

/**
 * Reference columns whose inverse the planner needs: which Port_Group holds an ACL, which router a
 * NAT or a Load_Balancer. Taken from the table descriptors (parents and memberships).
 */
const INVERTED: readonly { readonly table: string; readonly column: string }[] = Object.values(nbTables).flatMap((d) => [
  ...(d.parent ? [{ table: d.parent.table, column: d.parent.column }] : []),
  ...d.memberOf.map((m) => ({ table: m.table, column: m.column })),
]);

/**
 * What a planner's pass over `descriptor`'s rows reads, as `NbState.version` keys: its own table
 * whole, and of other tables only the columns it looks at (the parent's name and the set holding
 * our row, the names our references resolve, the sets our rows join). Those columns get versions
 * of their own, so pod churn in `Port_Group.ports` leaves the ACL table's pass settled.
 */
export function versionKeysReadBy(descriptor: TableDescriptor<NbRow>): readonly string[] {
  return [
    ...new Set([
      descriptor.table,
      ...(descriptor.parent ? [`${descriptor.parent.table}.name`, `${descriptor.parent.table}.${descriptor.parent.column}`] : []),
      ...descriptor.references.map((r) => `${r.target}.name`),
      ...descriptor.memberOf.flatMap((m) => [`${m.table}.name`, `${m.table}.${m.column}`]),
    ]),
  ];
}

/** Per table, the columns some pass reads (the `table.column` keys of versionKeysReadBy). */
const WATCHED_COLUMNS: ReadonlyMap<string, readonly string[]> = (() => {
  const byTable = new Map<string, string[]>();
  for (const d of Object.values(nbTables) as TableDescriptor<NbRow>[]) {
    for (const key of versionKeysReadBy(d)) {
      const [table, column] = key.split('.') as [string, string | undefined];
      if (column === undefined) continue;
      const columns = byTable.get(table) ?? [];
      if (!columns.includes(column)) columns.push(column);
      byTable.set(table, columns);
    }
  }
  return byTable;
})();

/**
 * The monitor request the planner needs for `owner`, derived from the table descriptors: of each
 * owned table, the columns it writes (those the target has), its reference columns and the sets
 * that hold its rows as children; of the tables our rows refer to, hang from or join, their names
 * and those sets. Tables with unique names are read whole (a name taken by someone else is a
 * conflict we must see); of the others only the owner's rows matter.
 */
export function stateMonitorTables(owner: string, capabilities: Capabilities): Record<string, readonly string[] | MonitorTableRequest> {
  const ownedOnly: MonitorTableRequest['where'] = [['external_ids', 'includes', { [OWNER_KEY]: owner }]];
  const has = (capability: keyof Capabilities | undefined): boolean => capability === undefined || capabilities[capability];
  const columns = new Map<string, string[]>();
  const read = (table: string, ...names: string[]): void => {
    const list = columns.get(table) ?? [];
    for (const name of names) if (!list.includes(name)) list.push(name);
    columns.set(table, list);
  };
  const descriptors = Object.values(nbTables) as TableDescriptor<NbRow>[];
  for (const d of descriptors) {
    read(d.table, ...d.columns.filter((c) => has(c.capability)).map((c) => c.name), ...d.references.filter((r) => has(r.capability)).map((r) => r.column));
  }
  for (const d of descriptors) {
    if (d.parent) read(d.parent.table, 'name', d.parent.column);
    for (const m of d.memberOf) read(m.table, 'name', m.column);
    for (const r of d.references) read(r.target, 'name');
  }
  const owned = new Map(descriptors.map((d) => [d.table as string, d]));
  return Object.fromEntries(
    [...columns].map(([table, names]) => {
      const d = owned.get(table);
      return [table, d && !d.uniqueName ? { columns: names, where: ownedOnly } : names];
    }),
  );
}

/** `kind/namespace/name` of an object, the key rows of one object are grouped by. */
export function objectKey(ref: ObjectRef): string {
  return `${ref.kind}\u0000${ref.namespace}\u0000${ref.name}`;
}

function objectKeyOfRow(row: Row): string | undefined {
  const ids = row.external_ids as Readonly<Record<string, string>> | undefined;
  const kind = ids?.[OBJECT_KIND_KEY];
  if (kind === undefined) return undefined;
  return `${kind}\u0000${ids?.[OBJECT_NAMESPACE_KEY] ?? ''}\u0000${ids?.[OBJECT_NAME_KEY] ?? ''}`;
}

function ownerOf(row: Row): string | undefined {
  return (row.external_ids as Readonly<Record<string, string>> | undefined)?.[OWNER_KEY];
}

const EMPTY: ReadonlySet<Uuid> = new Set();

function addTo<K>(map: Map<K, Set<Uuid>>, key: K, uuid: Uuid): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(uuid);
}

function removeFrom<K>(map: Map<K, Set<Uuid>>, key: K, uuid: Uuid): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(uuid);
  if (set.size === 0) map.delete(key);
}

/**
 * What the NB holds, indexed the way the planner asks: rows by name, the caller's rows by owner
 * and by object, and the inverse of the reference sets that hold our rows (Port_Group.acls,
 * Logical_Router.nat, Logical_Router.load_balancer). Fed whole (`fromRows`, tests) or kept in step
 * with a monitor cache (`follow`), one change at a time, so a plan never rescans the database.
 */
const EMPTY_ROWS: ReadonlyMap<Uuid, StateRow> = new Map();

export class NbState {
  private readonly tables = new Map<string, Map<Uuid, StateRow>>();
  private readonly names = new Map<string, Map<string, Set<Uuid>>>();
  private readonly owners = new Map<string, Map<string, Set<Uuid>>>();
  private readonly objects = new Map<string, Map<string, Set<Uuid>>>();
  /** `${table}.${column}` → referenced uuid → referrer uuids. */
  private readonly referrers = new Map<string, Map<Uuid, Set<Uuid>>>();
  /** Per table (`ACL`) and watched column (`Port_Group.acls`): a number that changes with it. */
  private readonly versions = new Map<string, number>();

  constructor() {
    for (const t of NAMED_TABLES) this.names.set(t, new Map());
    for (const t of Object.keys(nbTables)) {
      this.owners.set(t, new Map());
      this.objects.set(t, new Map());
    }
    for (const r of INVERTED) this.referrers.set(`${r.table}.${r.column}`, new Map());
  }

  /** A state holding exactly these rows (each with `_uuid`). */
  static fromRows(tables: Readonly<Record<string, readonly StateRow[]>>): NbState {
    const state = new NbState();
    for (const [table, rows] of Object.entries(tables)) for (const row of rows) state.apply({ kind: 'insert', table, uuid: row._uuid, old: undefined, new: row });
    return state;
  }

  /** A state that follows `cache` from now on; call the returned `stop` to detach. */
  static follow(cache: MonitorCache): { state: NbState; stop: () => void } {
    const state = new NbState();
    for (const table of cache.tables) for (const row of cache.rows(table)) state.apply({ kind: 'insert', table, uuid: row._uuid, old: undefined, new: row });
    const stop = cache.onChange((event) => state.apply(event));
    return { state, stop };
  }

  apply(event: ChangeEvent): void {
    const { table } = event;
    this.bump(table);
    for (const column of WATCHED_COLUMNS.get(table) ?? []) {
      // The cache keeps the very value object of a column a modify left alone.
      if (event.kind !== 'update' || !valuesEqual(event.old[column] ?? null, event.new[column] ?? null)) this.bump(`${table}.${column}`);
    }
    if (event.kind === 'update' && event.old.name !== event.new.name) this.bump(`${table} renamed`);
    if (event.kind !== 'insert') this.unindex(table, event.old);
    if (event.kind !== 'delete') this.index(table, event.new);
  }

  // ------------------------------------------------------------------ reads

  row(table: string, uuid: Uuid): StateRow | undefined {
    return this.tables.get(table)?.get(uuid);
  }

  rows(table: string): IterableIterator<StateRow> {
    return (this.tables.get(table) ?? new Map<Uuid, StateRow>()).values();
  }

  /** Rows of `table` named `name` (Port_Group, Address_Set, Load_Balancer, ports, routers). */
  named(table: string, name: string): StateRow[] {
    return this.resolve(table, this.names.get(table)?.get(name));
  }

  /**
   * The first row of `table` named `name`, without building a list: a plan resolves every port
   * of a changed Port_Group by name, and a node's group holds hundreds.
   */
  firstNamed(table: string, name: string): StateRow | undefined {
    return this.resolveFirst(table, this.names.get(table)?.get(name));
  }

  /** Rows of `table` whose external_ids carry `nbgen/owner = owner`. */
  ownedBy(table: NbTable, owner: string): StateRow[] {
    return this.resolve(table, this.owners.get(table)?.get(owner));
  }

  /** How many rows of `table` carry `nbgen/owner = owner` (no list built). */
  ownedCount(table: NbTable, owner: string): number {
    return this.owners.get(table)?.get(owner)?.size ?? 0;
  }

  /** Rows of `owner` produced from the object `ref`. */
  ownedByObject(table: NbTable, owner: string, ref: ObjectRef): StateRow[] {
    return this.resolve(table, this.objects.get(table)?.get(`${owner}\u0000${objectKey(ref)}`)).filter((r) => ownerOf(r) === owner);
  }

  /** Rows of `table` whose reference set `column` holds `uuid`: the Port_Group of an ACL. */
  referrersOf(table: string, column: string, uuid: Uuid): StateRow[] {
    return this.resolve(table, this.referrers.get(`${table}.${column}`)?.get(uuid));
  }

  /** The first (usually only) row whose set `column` holds `uuid`, without building a list. */
  firstReferrer(table: string, column: string, uuid: Uuid): StateRow | undefined {
    return this.resolveFirst(table, this.inverse(table, column)?.get(uuid));
  }

  /**
   * A number that changes whenever a row of `table` is inserted, changed or deleted; for a watched
   * column (`Port_Group.acls`, see WATCHED_COLUMNS), whenever that column of any row does.
   */
  version(tableOrColumn: string): number {
    return this.versions.get(tableOrColumn) ?? 0;
  }

  /** A number that changes whenever a row of `table` changes its name in place (setLineage.ts's guard). */
  renames(table: string): number {
    return this.version(`${table} renamed`);
  }

  private bump(key: string): void {
    this.versions.set(key, this.version(key) + 1);
  }

  /** The rows of one table by UUID, for callers that look many up in a row (read-only view). */
  tableRows(table: string): ReadonlyMap<Uuid, StateRow> {
    return this.tables.get(table) ?? EMPTY_ROWS;
  }

  private lastInverse: { table: string; column: string; map: Map<Uuid, Set<Uuid>> | undefined } | undefined;

  /** The inverse index of `table.column` (the last one asked for is kept: planners ask in runs). */
  private inverse(table: string, column: string): Map<Uuid, Set<Uuid>> | undefined {
    const last = this.lastInverse;
    if (last && last.table === table && last.column === column) return last.map;
    const map = this.referrers.get(`${table}.${column}`);
    this.lastInverse = { table, column, map };
    return map;
  }

  /** The first of `uuids` that is a row of `table` (no list built: the planner asks per reference). */
  private resolveFirst(table: string, uuids: ReadonlySet<Uuid> | undefined): StateRow | undefined {
    if (!uuids) return undefined;
    const rows = this.tables.get(table);
    for (const u of uuids) {
      const row = rows?.get(u);
      if (row) return row;
    }
    return undefined;
  }

  private resolve(table: string, uuids: ReadonlySet<Uuid> | undefined): StateRow[] {
    const rows = this.tables.get(table);
    if (!rows) return [];
    const out: StateRow[] = [];
    for (const u of uuids ?? EMPTY) {
      const row = rows.get(u);
      if (row) out.push(row);
    }
    return out;
  }

  // ------------------------------------------------------------------ maintenance

  private index(table: string, row: StateRow): void {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = new Map()));
    rows.set(row._uuid, row);
    const names = this.names.get(table);
    if (names && typeof row.name === 'string') addTo(names, row.name, row._uuid);
    const owner = ownerOf(row);
    if (owner !== undefined) {
      const owners = this.owners.get(table);
      if (owners) addTo(owners, owner, row._uuid);
      const key = objectKeyOfRow(row);
      const objects = this.objects.get(table);
      if (objects && key !== undefined) addTo(objects, `${owner}\u0000${key}`, row._uuid);
    }
    for (const r of INVERTED) {
      if (r.table !== table) continue;
      const inverse = this.referrers.get(`${r.table}.${r.column}`) as Map<Uuid, Set<Uuid>>;
      for (const target of (row[r.column] as readonly Atom[] | undefined) ?? []) addTo(inverse, target as Uuid, row._uuid);
    }
  }

  private unindex(table: string, row: StateRow): void {
    this.tables.get(table)?.delete(row._uuid);
    const names = this.names.get(table);
    if (names && typeof row.name === 'string') removeFrom(names, row.name, row._uuid);
    const owner = ownerOf(row);
    if (owner !== undefined) {
      const owners = this.owners.get(table);
      if (owners) removeFrom(owners, owner, row._uuid);
      const key = objectKeyOfRow(row);
      const objects = this.objects.get(table);
      if (objects && key !== undefined) removeFrom(objects, `${owner}\u0000${key}`, row._uuid);
    }
    for (const r of INVERTED) {
      if (r.table !== table) continue;
      const inverse = this.referrers.get(`${r.table}.${r.column}`) as Map<Uuid, Set<Uuid>>;
      for (const target of (row[r.column] as readonly Value[] | undefined) ?? []) removeFrom(inverse, target as Uuid, row._uuid);
    }
  }
}
