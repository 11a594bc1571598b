// Reading a real NB back, for the export tests: a dump that compares equal across runs when only
// UUIDs differ, and the rows of one owner turned back into core row objects (the inverse of the
// export script), so a test can assert `what the DB holds == the rows we rendered`.
import {
  AclRow,
  AddressSetRow,
  LoadBalancerRow,
  NatRow,
  PortGroupRow,
  sortNbRows,
  type NbRows,
} from '@ovn-nbgen/core';
import { OWNER_KEY } from '@ovn-nbgen/core/model';
import type { Ovn } from '../harness/ovn.js';

/** What reading the NB back needs: an ovn-nbctl that reaches it (the harness's, or any other). */
export type NbReader = Pick<Ovn, 'nbctl'>;

/** A value as `ovn-nbctl --data=json` prints it (RFC 7047 notation). */
type Datum = string | number | boolean | ['uuid', string] | ['set', Datum[]] | ['map', [Datum, Datum][]];
type Row = Readonly<Record<string, Datum>>;

export async function listRows(ovn: NbReader, table: string): Promise<Row[]> {
  const out = JSON.parse(await ovn.nbctl(['--format=json', '--data=json', 'list', table])) as {
    headings: string[];
    data: Datum[][];
  };
  return out.data.map((values) => Object.fromEntries(out.headings.map((h, i) => [h, values[i]!])));
}

/** A set column's members (a one-member set is printed bare). */
function members(d: Datum): Datum[] {
  return Array.isArray(d) && d[0] === 'set' ? (d[1] as Datum[]) : [d];
}
function uuidOf(d: Datum): string {
  if (!Array.isArray(d) || d[0] !== 'uuid') throw new Error(`expected a uuid, found ${JSON.stringify(d)}`);
  return d[1] as string;
}
function stringMap(d: Datum): Record<string, string> {
  if (!Array.isArray(d) || d[0] !== 'map') throw new Error(`expected a map, found ${JSON.stringify(d)}`);
  return Object.fromEntries((d[1] as [Datum, Datum][]).map(([k, v]) => [String(k), String(v)]));
}
/** A 0..1 column: its value, or null when empty. */
function optional(d: Datum): Datum | null {
  const m = members(d);
  return m.length === 0 ? null : m[0]!;
}
function optionalString(d: Datum): string | null {
  const v = optional(d);
  return v === null ? null : String(v);
}

/** Tables the export writes or refers to. NB_Global is left out: northd writes it on its own. */
export const DUMPED_TABLES = [
  'Logical_Switch',
  'Logical_Switch_Port',
  'Logical_Router',
  'Logical_Router_Port',
  'Port_Group',
  'Address_Set',
  'ACL',
  'NAT',
  'Load_Balancer',
] as const;

/**
 * Columns of the dumped tables that ovn-northd writes on its own schedule, not the writer under
 * test: `up` of a Logical_Switch_Port (northd sets it to false once it has processed a port no
 * chassis has claimed, so it reads `[]` or `false` depending on when the dump runs),
 * `dynamic_addresses` (northd's address allocation) and Logical_Router_Port `status` (northd's
 * `hosting-chassis`, OVN >= 23.09). Two dumps of the same writes must not depend on northd's timing,
 * so these columns are left out of the comparison.
 */
export const NORTHD_OWNED_COLUMNS: Readonly<Partial<Record<(typeof DUMPED_TABLES)[number], readonly string[]>>> = {
  Logical_Switch_Port: ['up', 'dynamic_addresses'],
  Logical_Router_Port: ['status'],
};

/**
 * Every row of DUMPED_TABLES with each UUID replaced by the content of the row it names, sorted:
 * two databases whose rows differ only in UUIDs give equal dumps.
 */
export async function canonicalDump(ovn: NbReader): Promise<Record<string, string[]>> {
  const tables = Object.fromEntries(await Promise.all(DUMPED_TABLES.map(async (t) => [t, await listRows(ovn, t)] as const)));
  const byUuid = new Map<string, { row: Row; table: (typeof DUMPED_TABLES)[number] }>();
  for (const table of DUMPED_TABLES) for (const row of tables[table]!) byUuid.set(uuidOf(row._uuid!), { row, table });
  const labels = new Map<string, string>();
  const label = (uuid: string): string => {
    let text = labels.get(uuid);
    if (text === undefined) {
      const held = byUuid.get(uuid);
      text = held === undefined ? `<row outside the dump>` : render(held.row, NORTHD_OWNED_COLUMNS[held.table]);
      labels.set(uuid, text);
    }
    return text;
  };
  const value = (d: Datum): unknown => {
    if (!Array.isArray(d)) return d;
    if (d[0] === 'uuid') return `→${label(d[1] as string)}`;
    if (d[0] === 'set') return (d[1] as Datum[]).map(value).map((v) => JSON.stringify(v)).sort();
    return (d[1] as [Datum, Datum][]).map(([k, v]) => JSON.stringify([value(k), value(v)])).sort();
  };
  const render = (row: Row, skipped: readonly string[] = []): string =>
    JSON.stringify(
      Object.keys(row)
        .filter((c) => c !== '_uuid' && c !== '_version' && !skipped.includes(c))
        .sort()
        .map((c) => [c, value(row[c]!)]),
    );
  return Object.fromEntries(DUMPED_TABLES.map((t) => [t, tables[t]!.map((row) => render(row, NORTHD_OWNED_COLUMNS[t])).sort()]));
}

/**
 * The rows `owner` has in the NB, as core row objects in canonical order. ACL `tier` 0 (the
 * column's default, and what a row without tier gets) reads as null.
 */
export async function readOwnedRows(ovn: NbReader, owner: string): Promise<NbRows> {
  const [ports, groups, sets, acls, nats, lbs, routers, routerPorts] = await Promise.all(
    ['Logical_Switch_Port', 'Port_Group', 'Address_Set', 'ACL', 'NAT', 'Load_Balancer', 'Logical_Router', 'Logical_Router_Port'].map(
      (t) => listRows(ovn, t),
    ),
  );
  const nameOf = (rows: Row[]): Map<string, string> => new Map(rows.map((r) => [uuidOf(r._uuid!), String(r.name)]));
  const portName = nameOf(ports!);
  const routerPortName = nameOf(routerPorts!);
  const owned = (r: Row): boolean => stringMap(r.external_ids!)[OWNER_KEY] === owner;
  /** uuid of a referenced row → names of the rows whose `column` holds it. */
  const holders = (rows: Row[], column: string): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    for (const r of rows) {
      for (const m of members(r[column]!)) map.set(uuidOf(m), [...(map.get(uuidOf(m)) ?? []), String(r.name)]);
    }
    return map;
  };
  const aclGroup = holders(groups!, 'acls');
  const natRouter = holders(routers!, 'nat');
  const lbRouters = holders(routers!, 'load_balancer');
  const single = (names: string[] | undefined, what: string): string => {
    if (names?.length !== 1) throw new Error(`${what} is referenced by ${JSON.stringify(names ?? [])}, expected one`);
    return names[0]!;
  };

  return sortNbRows({
    portGroups: groups!.filter(owned).map((r) =>
      PortGroupRow({
        name: String(r.name),
        ports: members(r.ports!).map((m) => portName.get(uuidOf(m)) ?? `?${uuidOf(m)}`),
        externalIds: stringMap(r.external_ids!),
      }),
    ),
    addressSets: sets!.filter(owned).map((r) =>
      AddressSetRow({ name: String(r.name), addresses: members(r.addresses!).map(String), externalIds: stringMap(r.external_ids!) }),
    ),
    acls: acls!.filter(owned).map((r) =>
      AclRow({
        portGroup: single(aclGroup.get(uuidOf(r._uuid!)), `ACL ${String(r.match)}`),
        direction: r.direction as AclRow['direction'],
        priority: r.priority as number,
        match: String(r.match),
        action: r.action as AclRow['action'],
        name: optionalString(r.name!),
        log: r.log as boolean,
        severity: optionalString(r.severity!) as AclRow['severity'],
        meter: optionalString(r.meter!),
        tier: r.tier === undefined || r.tier === 0 ? null : (r.tier as number),
        options: stringMap(r.options!),
        externalIds: stringMap(r.external_ids!),
      }),
    ),
    nats: nats!.filter(owned).map((r) => {
      const gateway = optional(r.gateway_port!);
      return NatRow({
        router: single(natRouter.get(uuidOf(r._uuid!)), `NAT ${String(r.external_ip)}`),
        type: r.type as NatRow['type'],
        externalIp: String(r.external_ip),
        logicalIp: String(r.logical_ip),
        logicalPort: optionalString(r.logical_port!),
        externalMac: optionalString(r.external_mac!),
        gatewayPort: gateway === null ? null : (routerPortName.get(uuidOf(gateway)) ?? '?'),
        externalPortRange: r.external_port_range === '' ? null : String(r.external_port_range),
        options: stringMap(r.options!),
        externalIds: stringMap(r.external_ids!),
      });
    }),
    loadBalancers: lbs!.filter(owned).map((r) =>
      LoadBalancerRow({
        name: String(r.name),
        protocol: optionalString(r.protocol!) as LoadBalancerRow['protocol'],
        vips: stringMap(r.vips!),
        routers: lbRouters.get(uuidOf(r._uuid!)) ?? [],
        options: stringMap(r.options!),
        externalIds: stringMap(r.external_ids!),
      }),
    ),
  });
}
