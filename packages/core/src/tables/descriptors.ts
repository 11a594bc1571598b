import type { Capabilities } from '../capabilities.js';
import { OBJECT_KIND_KEY, OBJECT_NAME_KEY, OBJECT_NAMESPACE_KEY, ROW_ID_KEY } from '../ownership.js';
import type { AclRow, AddressSetRow, LoadBalancerRow, NatRow, NbRow, NbRows, NbTable, PortGroupRow } from '../rows/index.js';
import { NB_ROW_LISTS } from '../rows/rowLists.js';
import { columnsOf, type ColumnSpec } from './columns.js';

/**
 * What the writers (live reconcile and ovn-nbctl export) need to know about each NB table we own,
 * written once as data: which columns we own, how a desired row finds its row in the database,
 * which row keeps it alive, and which reference sets it is a member of.
 */
export interface TableDescriptor<R extends NbRow = NbRow> {
  readonly table: R['table'];
  /** The rows of this table in a bundle. */
  readonly rowsOf: (rows: NbRows) => readonly R[];
  /** Columns we write and compare, in the order the script writes them. */
  readonly columns: readonly ColumnSpec<R>[];
  /**
   * How a desired row is matched to a row of the database (among the caller's own rows):
   * the values of these columns, these external_ids keys, and (for non-root rows) the parent's name.
   */
  readonly identity: {
    readonly columns: readonly string[];
    readonly externalIds: readonly string[];
  };
  /**
   * The name is a schema index (Port_Group, Address_Set): a row of that name that belongs to
   * someone else is a conflict, not a row to create beside it.
   */
  readonly uniqueName: boolean;
  /**
   * Non-root tables (ACL, NAT): the row lives only while `table.column` of the parent named
   * `nameOf(row)` refers to it strongly (RFC 7047 §3.2), so it is inserted together with that
   * reference and removed by dropping it (the server garbage-collects it).
   */
  readonly parent?: {
    readonly table: 'Port_Group' | 'Logical_Router';
    readonly column: string;
    readonly nameOf: (row: R) => string;
  };
  /**
   * Columns of this row holding references to rows found by name, e.g. Port_Group.ports →
   * Logical_Switch_Port. `missing: 'omit'` leaves an unknown name out with a warning (a pod whose
   * port does not exist yet); `'error'` refuses the write.
   */
  readonly references: readonly ReferenceSpec<R>[];
  /**
   * Reference sets of other rows this row must be a member of, e.g. Logical_Router.load_balancer
   * holds our Load_Balancer (weak: membership does not keep it alive).
   */
  readonly memberOf: readonly MembershipSpec<R>[];
  /**
   * How a row reads in plans and diffs (`ACL np.shop.web ingress/0/ip4`), from its identity:
   * column values (a desired row's encoded values, or a database row), external_ids and, for
   * non-root rows, the parent's name. Works for desired and database rows alike.
   */
  readonly label: (columns: Readonly<Record<string, unknown>>, ids: Readonly<Record<string, string>>, parentName: string | undefined) => string;
  /** How error messages name a desired row: its name, else what identifies it. */
  readonly describe: (row: R) => string;
}

export interface ReferenceSpec<R> {
  readonly column: string;
  readonly target: 'Logical_Switch_Port' | 'Logical_Router_Port';
  /** `set`: any number of names; `optional`: zero or one. */
  readonly kind: 'set' | 'optional';
  readonly names: (row: R) => readonly string[];
  readonly missing: 'omit' | 'error';
  readonly capability?: keyof Capabilities;
}

export interface MembershipSpec<R> {
  readonly table: 'Logical_Router';
  readonly column: string;
  readonly names: (row: R) => readonly string[];
}

/** A table's descriptor; its rows in a bundle are the bundle's list of that table (NB_ROW_LISTS). */
function defineTable<R extends NbRow>(descriptor: Omit<TableDescriptor<R>, 'rowsOf'>): TableDescriptor<R> {
  const list = NB_ROW_LISTS[descriptor.table];
  return Object.freeze({ ...descriptor, rowsOf: (rows: NbRows) => rows[list] as readonly NbRow[] as readonly R[] });
}

const OBJECT_KEYS = [OBJECT_KIND_KEY, OBJECT_NAMESPACE_KEY, OBJECT_NAME_KEY, ROW_ID_KEY] as const;

type NamedRow = PortGroupRow | AddressSetRow | LoadBalancerRow;

/**
 * Tables whose rows are known by their `name` column (Port_Group, Address_Set, Load_Balancer): the
 * name is the identity and reads as `Port_Group np.shop.web` in plans, diffs and errors.
 */
const knownByName = <R extends NamedRow>(table: R['table']) =>
  ({
    identity: { columns: ['name'], externalIds: [] },
    label: (columns: Readonly<Record<string, unknown>>) => `${table} ${String(columns.name)}`,
    describe: (r: R) => `${table} ${r.name}`,
  }) as const;

export const portGroupTable = defineTable<PortGroupRow>({
  table: 'Port_Group',
  columns: columnsOf<PortGroupRow>({ name: 'string', external_ids: 'map' }),
  ...knownByName<PortGroupRow>('Port_Group'),
  uniqueName: true,
  references: [
    { column: 'ports', target: 'Logical_Switch_Port', kind: 'set', names: (r: PortGroupRow) => r.ports, missing: 'omit' },
  ],
  memberOf: [],
});

export const addressSetTable = defineTable<AddressSetRow>({
  table: 'Address_Set',
  columns: columnsOf<AddressSetRow>({ name: 'string', external_ids: 'map', addresses: 'set' }),
  ...knownByName<AddressSetRow>('Address_Set'),
  uniqueName: true,
  references: [],
  memberOf: [],
});

export const aclTable = defineTable<AclRow>({
  table: 'ACL',
  columns: columnsOf<AclRow>({
    direction: 'enum',
    priority: 'integer',
    match: 'string',
    // `pass` arrived with tiers (OVN 23.06); older schemas refuse it as an enum value.
    action: { type: 'enum', valueCapabilities: { pass: 'passAction' } },
    log: 'boolean',
    name: { type: 'string', whenNull: 'empty' },
    severity: { type: 'enum', whenNull: 'empty' },
    meter: { type: 'string', whenNull: 'empty' },
    // ovn-nb(5): tier 0..3, default 0 (OVN >= 23.06).
    tier: { type: 'integer', whenNull: 0, capability: 'aclTier' },
    options: 'map',
    external_ids: 'map',
  }),
  // An ACL has no name of its own: its object and rule id say which rule it is.
  identity: { columns: [], externalIds: OBJECT_KEYS },
  uniqueName: false,
  parent: { table: 'Port_Group', column: 'acls', nameOf: (r: AclRow) => r.portGroup },
  references: [],
  memberOf: [],
  // The rule id, else the object it came from.
  label: (_columns, ids, parentName) => {
    const rule = ids[ROW_ID_KEY] ?? '';
    const kind = ids[OBJECT_KIND_KEY];
    const of = kind === undefined ? '' : `${ids[OBJECT_NAMESPACE_KEY] ? `${ids[OBJECT_NAMESPACE_KEY]}/` : ''}${ids[OBJECT_NAME_KEY] ?? ''}`;
    return `ACL ${parentName ?? '?'} ${rule || of}`.trimEnd();
  },
  describe: (r: AclRow) => `ACL ${r.name ?? r.match}`,
});

export const natTable = defineTable<NatRow>({
  table: 'NAT',
  columns: columnsOf<NatRow>({
    type: 'enum',
    external_ip: 'string',
    logical_ip: 'string',
    logical_port: { type: 'string', whenNull: 'empty' },
    external_mac: { type: 'string', whenNull: 'empty' },
    // A plain string column whose default is "" (no range).
    external_port_range: { type: 'string', whenNull: '' },
    options: 'map',
    external_ids: 'map',
  }),
  // What OVN itself treats as one NAT rule of a router (ovn-nbctl lr-nat-add refuses duplicates).
  identity: { columns: ['type', 'external_ip', 'logical_ip'], externalIds: [] },
  uniqueName: false,
  parent: { table: 'Logical_Router', column: 'nat', nameOf: (r: NatRow) => r.router },
  references: [
    {
      column: 'gateway_port',
      target: 'Logical_Router_Port',
      kind: 'optional',
      names: (r: NatRow) => (r.gatewayPort === null ? [] : [r.gatewayPort]),
      missing: 'error',
      capability: 'natGatewayPort',
    },
  ],
  memberOf: [],
  label: (columns, _ids, parentName) =>
    `NAT ${parentName ?? '?'} ${String(columns.type)} ${String(columns.external_ip)} ${String(columns.logical_ip)}`,
  describe: (r: NatRow) => `NAT ${r.type} ${r.externalIp}`,
});

export const loadBalancerTable = defineTable<LoadBalancerRow>({
  table: 'Load_Balancer',
  columns: columnsOf<LoadBalancerRow>({
    name: 'string',
    protocol: { type: 'enum', whenNull: 'empty' },
    vips: 'map',
    options: 'map',
    external_ids: 'map',
  }),
  ...knownByName<LoadBalancerRow>('Load_Balancer'),
  // Load_Balancer names are not a schema index: only the caller's own rows are matched by name.
  uniqueName: false,
  references: [],
  memberOf: [{ table: 'Logical_Router', column: 'load_balancer', names: (r: LoadBalancerRow) => r.routers }],
});

/** Every table we write, in dependency order (sets and groups before the rows that use them). */
export const nbTables = Object.freeze({
  Address_Set: addressSetTable,
  Port_Group: portGroupTable,
  ACL: aclTable,
  NAT: natTable,
  Load_Balancer: loadBalancerTable,
} satisfies { [T in NbTable]: TableDescriptor<Extract<NbRow, { table: T }>> });

export const NB_TABLE_ORDER: readonly NbTable[] = Object.freeze(Object.keys(nbTables) as NbTable[]);
