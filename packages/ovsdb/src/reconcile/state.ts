import type { Capabilities, NbRow, NbTable, ObjectRef } from '@ovn-nbgen/core';
import { OBJECT_KIND_KEY, OBJECT_NAME_KEY, OBJECT_NAMESPACE_KEY, OWNER_KEY } from '@ovn-nbgen/core/model';
import { nbTables, type TableDescriptor } from '@ovn-nbgen/core/script';
import type { ChangeEvent, MonitorCache, MonitorTableRequest } from '../cache/index.js';
import type { IndexSpec } from '../cache/rowIndex.js';
import { TableStore } from '../cache/tableStore.js';
import type { DatabaseSchema } from '../schema/schema.js';
import type { Uuid } from '../notation/uuid.js';
import { valuesEqual } from '../notation/canonical.js';
import type { Atom, Row } from '../notation/value.js';

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

/** The owner a database row carries in `external_ids`, if any. */
export function ownerOf(row: Row): string | undefined {
  return (row.external_ids as Readonly<Record<string, string>> | undefined)?.[OWNER_KEY];
}

const EMPTY_ROWS: ReadonlyMap<Uuid, StateRow> = new Map();

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

/** The index of rows by name (the schema's own where it has one: Port_Group[name]). */
const NAME_INDEX = 'name';
/** The index of rows by `external_ids:nbgen/owner`. */
const OWNER_INDEX = OWNER_KEY;

/**
 * The client indexes NbState reads from the monitor cache besides the schema's: owner on every
 * owned table, and name on the named tables whose schema has no index on it (Load_Balancer,
 * Logical_Router). Only for tables in `monitored` (the request of stateMonitorTables).
 */
export function stateMonitorIndexes(schema: DatabaseSchema, monitored: Iterable<string>): Record<string, IndexSpec[]> {
  const tables = new Set(monitored);
  const out: Record<string, IndexSpec[]> = {};
  for (const table of NAMED_TABLES) {
    if (!tables.has(table)) continue;
    const hasOwn = schema.table(table).indexes.some((ix) => ix.length === 1 && ix[0] === 'name');
    if (!hasOwn) (out[table] ??= []).push({ name: NAME_INDEX, columns: ['name'] });
  }
  for (const table of Object.keys(nbTables)) if (tables.has(table)) (out[table] ??= []).push({ name: OWNER_INDEX, externalIdKey: OWNER_KEY });
  return out;
}

type IndexLookup = (key: string) => ReadonlySet<Uuid> | undefined;
const NO_LOOKUP: IndexLookup = () => undefined;

/**
 * Where NbState reads rows and their name and owner indexes: the monitor cache, or rows given
 * whole. Both answer the same objects for the life of the source (a store's row map and index
 * are never replaced), so NbState resolves them once per table.
 */
interface RowSource {
  rowMap(table: string): ReadonlyMap<Uuid, StateRow>;
  /** NO_LOOKUP for a table without that index. */
  indexLookup(table: string, index: string): IndexLookup;
}

/** Rows given whole (`NbState.fromRows`), in stores with the indexes a monitor cache would have. */
class GivenRows implements RowSource {
  private readonly stores = new Map<string, TableStore>();

  apply(event: ChangeEvent): void {
    const store = this.store(event.table);
    if (event.kind === 'insert') store.insert(event.new);
    else if (event.kind === 'delete') store.delete(event.old);
    else store.replace(event.old, event.new);
  }

  rowMap(table: string): ReadonlyMap<Uuid, StateRow> {
    return this.store(table).rows;
  }

  indexLookup(table: string, index: string): IndexLookup {
    const ix = this.store(table).indexes.get(index);
    return ix ? (key) => ix.get(ix.keyFor(key)) : NO_LOOKUP;
  }

  private store(table: string): TableStore {
    let store = this.stores.get(table);
    if (!store) {
      const specs: IndexSpec[] = [];
      if (NAMED_TABLES.includes(table)) specs.push({ name: NAME_INDEX, columns: ['name'] });
      if (table in nbTables) specs.push({ name: OWNER_INDEX, externalIdKey: OWNER_KEY });
      this.stores.set(table, (store = new TableStore(table, [], specs)));
    }
    return store;
  }
}

/** A monitor cache as a RowSource: its own rows and indexes, no copy. */
class CachedRows implements RowSource {
  private readonly monitored: ReadonlySet<string>;

  constructor(private readonly cache: MonitorCache) {
    this.monitored = new Set(cache.tables);
  }

  rowMap(table: string): ReadonlyMap<Uuid, StateRow> {
    return this.monitored.has(table) ? this.cache.rowMap(table) : EMPTY_ROWS;
  }

  indexLookup(table: string, index: string): IndexLookup {
    return this.monitored.has(table) ? this.cache.indexLookup(table, index) : NO_LOOKUP;
  }
}

/**
 * What the NB holds, indexed the way the planner asks: rows by name, the caller's rows by owner
 * and by object, and the inverse of the reference sets that hold our rows (Port_Group.acls,
 * Logical_Router.nat, Logical_Router.load_balancer). Rows, names and owners are the monitor
 * cache's own (`follow`; its indexes, see stateMonitorIndexes) or rows given whole (`fromRows`,
 * tests); the inverse sets and the object index are kept here, in step with the cache's change
 * events, so a plan never rescans the database. The object index is built when first asked
 * (scoped plans): a one-shot apply or diff never needs it.
 */
export class NbState {
  private readonly given: GivenRows | undefined;
  private objects: Map<string, Map<string, Set<Uuid>>> | undefined;
  /** `${table}.${column}` → referenced uuid → referrer uuids. */
  private readonly referrers = new Map<string, Map<Uuid, Set<Uuid>>>();
  /** Per table (`ACL`) and watched column (`Port_Group.acls`): a number that changes with it. */
  private readonly versions = new Map<string, number>();
  /** The source's row maps and index lookups, resolved once per table (planners ask per row). */
  private readonly rowMaps = new Map<string, ReadonlyMap<Uuid, StateRow>>();
  private readonly byName = new Map<string, IndexLookup>();
  private readonly byOwner = new Map<string, IndexLookup>();

  private constructor(private readonly source: RowSource) {
    this.given = source instanceof GivenRows ? source : undefined;
    for (const r of INVERTED) {
      const inverse = new Map<Uuid, Set<Uuid>>();
      this.referrers.set(`${r.table}.${r.column}`, inverse);
      for (const row of source.rowMap(r.table).values()) {
        for (const target of (row[r.column] as readonly Atom[] | undefined) ?? []) addTo(inverse, target as Uuid, row._uuid);
      }
    }
  }

  /** A state holding exactly these rows (each with `_uuid`). */
  static fromRows(tables: Readonly<Record<string, readonly StateRow[]>>): NbState {
    const state = new NbState(new GivenRows());
    for (const [table, rows] of Object.entries(tables)) for (const row of rows) state.apply({ kind: 'insert', table, uuid: row._uuid, old: undefined, new: row });
    return state;
  }

  /**
   * A state that follows `cache` from now on; call the returned `stop` to detach. The cache must
   * carry the indexes of stateMonitorIndexes (`client.monitor({ tables, indexes })`, as the
   * Reconciler asks): reads go to them, and a missing one fails the read with OVSDB_SCHEMA.
   */
  static follow(cache: MonitorCache): { state: NbState; stop: () => void } {
    const state = new NbState(new CachedRows(cache));
    const stop = cache.onChange((event) => state.observe(event));
    return { state, stop };
  }

  /** A change to the rows this state holds (`fromRows` states; a followed state hears its cache's). */
  apply(event: ChangeEvent): void {
    this.given?.apply(event);
    this.observe(event);
  }

  /** Keeps versions and this state's own indexes in step with a change the source holds already. */
  private observe(event: ChangeEvent): void {
    const { table } = event;
    this.bump(table);
    for (const column of WATCHED_COLUMNS.get(table) ?? []) {
      // The cache keeps the very value object of a column a modify left alone.
      if (event.kind !== 'update' || !valuesEqual(event.old[column] ?? null, event.new[column] ?? null)) this.bump(`${table}.${column}`);
    }
    if (event.kind === 'update' && event.old.name !== event.new.name) this.bump(`${table} renamed`);
    if (event.kind === 'update' && !this.refiled(table, event.old, event.new)) return;
    if (event.kind !== 'insert') this.unindex(table, event.old);
    if (event.kind !== 'delete') this.index(table, event.new);
  }

  /**
   * Whether an update moves `row` in this state's indexes: its external_ids (the object index)
   * or an inverted reference set. The cache keeps the very value object of a column a modify left
   * alone, so a Port_Group whose ports changed keeps its ACL set and is not refiled under each ACL.
   */
  private refiled(table: string, old: StateRow, next: StateRow): boolean {
    if (old.external_ids !== next.external_ids) return true;
    for (const r of INVERTED) if (r.table === table && old[r.column] !== next[r.column]) return true;
    return false;
  }

  // ------------------------------------------------------------------ reads

  row(table: string, uuid: Uuid): StateRow | undefined {
    return this.rowMap(table).get(uuid);
  }

  rows(table: string): IterableIterator<StateRow> {
    return this.rowMap(table).values();
  }

  /** Rows of `table` named `name` (Port_Group, Address_Set, Load_Balancer, ports, routers). */
  named(table: string, name: string): StateRow[] {
    return this.resolve(table, this.lookup(this.byName, table, NAME_INDEX)(name));
  }

  /**
   * The first row of `table` named `name`, without building a list: a plan resolves every port
   * of a changed Port_Group by name, and a node's group holds hundreds.
   */
  firstNamed(table: string, name: string): StateRow | undefined {
    return this.resolveFirst(table, this.lookup(this.byName, table, NAME_INDEX)(name));
  }

  /**
   * `firstNamed` of one table as a function, for the many lookups of one plan (valid while the
   * state does not change). After a few lookups, once they are many against the table's rows
   * (every port of 10,000 new Port_Groups at 35,000 rows), it answers from one map of the rows by
   * name made then: the index's set per name, the rows' map and each row lie all over the heap,
   * and three reads each cost more than reading every row once. A name several rows hold is
   * still answered by the index, so the answer is always `firstNamed`'s. `manyAfter`: the number
   * of lookups after which the map is made (default: an eighth of the rows, so reading them is at
   * most eight reads per lookup made; a sync event's few lookups in 50,000 ports never make it).
   */
  namedLookup(table: string, manyAfter?: number): (name: string) => StateRow | undefined {
    const lookup = this.lookup(this.byName, table, NAME_INDEX);
    const rows = this.rowMap(table);
    const many = manyAfter ?? rows.size >> 3;
    const viaIndex = (name: string): StateRow | undefined => firstRowOf(rows, lookup(name));
    let asked = 0;
    let byName: Map<string, StateRow | null> | undefined;
    return (name) => {
      if (byName === undefined) {
        if (++asked <= many) return viaIndex(name);
        byName = new Map();
        for (const row of rows.values()) {
          const held = row.name;
          // null: held by several rows, answered by the index.
          if (typeof held === 'string') byName.set(held, byName.get(held) === undefined ? row : null);
        }
      }
      const row = byName.get(name);
      return row === null ? viaIndex(name) : row;
    };
  }

  /** Rows of `table` whose external_ids carry `nbgen/owner = owner`. */
  ownedBy(table: NbTable, owner: string): StateRow[] {
    return this.resolve(table, this.lookup(this.byOwner, table, OWNER_INDEX)(owner));
  }

  /** How many rows of `table` carry `nbgen/owner = owner` (no list built). */
  ownedCount(table: NbTable, owner: string): number {
    return this.lookup(this.byOwner, table, OWNER_INDEX)(owner)?.size ?? 0;
  }

  /** Rows of `owner` produced from the object `ref`. */
  ownedByObject(table: NbTable, owner: string, ref: ObjectRef): StateRow[] {
    return this.resolve(table, this.objectIndex().get(table)?.get(`${owner}\u0000${objectKey(ref)}`)).filter((r) => ownerOf(r) === owner);
  }

  /**
   * Rows of `owner` produced from any of the objects `objectKeys` (objectKey of each), in one list:
   * a scoped plan asks for hundreds of objects per table.
   */
  ownedByObjects(table: NbTable, owner: string, objectKeys: Iterable<string>): StateRow[] {
    const index = this.objectIndex().get(table);
    const out: StateRow[] = [];
    if (!index) return out;
    const rows = this.rowMap(table);
    for (const key of objectKeys) {
      const uuids = index.get(`${owner}\u0000${key}`);
      if (!uuids) continue;
      for (const u of uuids) {
        const row = rows.get(u);
        if (row && ownerOf(row) === owner) out.push(row);
      }
    }
    return out;
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
    return this.rowMap(table);
  }

  private rowMap(table: string): ReadonlyMap<Uuid, StateRow> {
    let rows = this.rowMaps.get(table);
    if (!rows) this.rowMaps.set(table, (rows = this.source.rowMap(table)));
    return rows;
  }

  private lookup(lookups: Map<string, IndexLookup>, table: string, index: string): IndexLookup {
    let lookup = lookups.get(table);
    if (!lookup) lookups.set(table, (lookup = this.source.indexLookup(table, index)));
    return lookup;
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
    return uuids === undefined ? undefined : firstRowOf(this.rowMap(table), uuids);
  }

  private resolve(table: string, uuids: ReadonlySet<Uuid> | undefined): StateRow[] {
    if (!uuids) return [];
    const rows = this.rowMap(table);
    const out: StateRow[] = [];
    for (const u of uuids) {
      const row = rows.get(u);
      if (row) out.push(row);
    }
    return out;
  }

  // ------------------------------------------------------------------ maintenance

  /** Per owned table, `owner\0kind\0namespace\0name` → rows; built from the rows on first use. */
  private objectIndex(): Map<string, Map<string, Set<Uuid>>> {
    if (this.objects) return this.objects;
    this.objects = new Map();
    for (const table of Object.keys(nbTables)) {
      const objects = new Map<string, Set<Uuid>>();
      this.objects.set(table, objects);
      for (const row of this.rowMap(table).values()) {
        const key = ownedObjectKey(row);
        if (key !== undefined) addTo(objects, key, row._uuid);
      }
    }
    return this.objects;
  }

  private index(table: string, row: StateRow): void {
    this.file(table, row, addTo);
  }

  private unindex(table: string, row: StateRow): void {
    this.file(table, row, removeFrom);
  }

  /** Files `row` under its object key and in the inverse sets of its reference columns, or takes it out (`change`). */
  private file(table: string, row: StateRow, change: typeof addTo): void {
    const objects = this.objects?.get(table);
    if (objects) {
      const key = ownedObjectKey(row);
      if (key !== undefined) change(objects, key, row._uuid);
    }
    for (const r of INVERTED) {
      if (r.table !== table) continue;
      const inverse = this.referrers.get(`${r.table}.${r.column}`) as Map<Uuid, Set<Uuid>>;
      for (const target of (row[r.column] as readonly Atom[] | undefined) ?? []) change(inverse, target as Uuid, row._uuid);
    }
  }
}

/** `owner\0kind\0namespace\0name` of an owned row made from an object, else undefined. */
function ownedObjectKey(row: Row): string | undefined {
  const owner = ownerOf(row);
  if (owner === undefined) return undefined;
  const key = objectKeyOfRow(row);
  return key === undefined ? undefined : `${owner}\u0000${key}`;
}

/** The first of `uuids` (an index's rows of one key) that `rows` holds. */
function firstRowOf(rows: ReadonlyMap<Uuid, StateRow>, uuids: ReadonlySet<Uuid> | undefined): StateRow | undefined {
  if (uuids === undefined) return undefined;
  for (const u of uuids) {
    const row = rows.get(u);
    if (row) return row;
  }
  return undefined;
}
