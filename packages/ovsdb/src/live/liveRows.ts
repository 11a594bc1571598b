import {
  AclRow,
  AddressSetRow,
  LoadBalancerRow,
  PortGroupRow,
  sortNbRows,
  type Capabilities,
  type ExternalIds,
  type NbRows,
} from '@ovn-nbgen/core';
import {
  canonicalIp,
  type AclAction,
  type AclDirection,
  type AclSeverity,
  type LoadBalancerProtocol,
} from '@ovn-nbgen/core/model';
import type { Row, Value } from '../notation/value.js';

/** A logical switch port as the NB holds it: the IPs of its `addresses` (or `dynamic_addresses`). */
export interface LivePort {
  readonly name: string;
  /** The logical switch it is on; null for a port no switch lists (garbage left behind). */
  readonly switch: string | null;
  /** `""` for a VIF (a pod), `router`, `localnet`, `localport`, ... */
  readonly type: string;
  readonly ips: readonly string[];
  readonly externalIds: ExternalIds;
}

/** A load balancer the ACL pipeline sees: on a switch directly or through a load-balancer group. */
export interface LiveLoadBalancer {
  readonly row: LoadBalancerRow;
  readonly switches: readonly string[];
}

/** The live NB, turned into the rows explain's engine evaluates. */
export interface LiveNb {
  /**
   * Port groups with their ACLs, the ACLs of logical switches (under the group `switchAclGroup(ls)`,
   * holding the switch's ports: a switch ACL applies to every packet on that switch, as the ACLs
   * of a port group apply to every switch its ports are on), address sets, and the load balancers
   * attached to a switch.
   */
  readonly rows: NbRows;
  readonly ports: readonly LivePort[];
  readonly loadBalancers: readonly LiveLoadBalancer[];
  readonly switches: readonly string[];
  /** Port group name → its external_ids (the CNIs mark ownership on the group, not the ACL). */
  readonly portGroupExternalIds: ReadonlyMap<string, ExternalIds>;
  readonly capabilities: Capabilities;
}

/**
 * Name of the pseudo port group holding a logical switch's own ACLs. Parentheses and spaces
 * cannot occur in a Port_Group name (ovn-nb(5): `[a-zA-Z_.][a-zA-Z_.0-9]*`), so it collides with
 * none and no match can reference it.
 */
export const switchAclGroup = (switchName: string): string => `(switch ${switchName})`;

export function isSwitchAclGroup(name: string): boolean {
  return name.startsWith('(switch ') && name.endsWith(')');
}

type Tables = Readonly<Record<string, readonly Row[]>>;

/** Selected rows (decoded, with `_uuid`) → LiveNb. Pure. */
export function liveNbFromTables(tables: Tables, capabilities: Capabilities): LiveNb {
  const rowsOf = (table: string): readonly Row[] => tables[table] ?? [];
  const aclByUuid = new Map(rowsOf('ACL').map((r) => [uuidOf(r), r]));
  const portByUuid = new Map(rowsOf('Logical_Switch_Port').map((r) => [uuidOf(r), r]));
  const lbByUuid = new Map(rowsOf('Load_Balancer').map((r) => [uuidOf(r), r]));
  const lbGroupByUuid = new Map(rowsOf('Load_Balancer_Group').map((r) => [uuidOf(r), r]));

  const portGroups: PortGroupRow[] = [];
  const acls: AclRow[] = [];
  const portGroupExternalIds = new Map<string, ExternalIds>();
  const aclsOf = (owner: Row, group: string): void => {
    for (const uuid of setOf(owner.acls)) {
      const acl = aclByUuid.get(String(uuid));
      if (acl) acls.push(aclRowOf(acl, group, capabilities));
    }
  };
  for (const pg of rowsOf('Port_Group')) {
    const name = String(pg.name);
    const ports = setOf(pg.ports).flatMap((u) => {
      const port = portByUuid.get(String(u));
      return port ? [String(port.name)] : [];
    });
    portGroups.push(PortGroupRow({ name, ports, externalIds: mapOf(pg.external_ids) }));
    portGroupExternalIds.set(name, mapOf(pg.external_ids));
    aclsOf(pg, name);
  }

  const switchOfPort = new Map<string, string>();
  const switches: string[] = [];
  const lbSwitches = new Map<string, Set<string>>();
  for (const ls of rowsOf('Logical_Switch')) {
    const name = String(ls.name);
    switches.push(name);
    const ports = setOf(ls.ports).flatMap((u) => {
      const port = portByUuid.get(String(u));
      return port ? [String(port.name)] : [];
    });
    for (const port of setOf(ls.ports)) switchOfPort.set(String(port), name);
    if (setOf(ls.acls).length > 0) {
      portGroups.push(PortGroupRow({ name: switchAclGroup(name), ports, externalIds: mapOf(ls.external_ids) }));
      aclsOf(ls, switchAclGroup(name));
    }
    const lbUuids = [
      ...setOf(ls.load_balancer),
      ...setOf(ls.load_balancer_group).flatMap((g) => setOf(lbGroupByUuid.get(String(g))?.load_balancer ?? [])),
    ];
    for (const lb of lbUuids) {
      const set = lbSwitches.get(String(lb)) ?? new Set<string>();
      set.add(name);
      lbSwitches.set(String(lb), set);
    }
  }

  const ports: LivePort[] = rowsOf('Logical_Switch_Port').map((p) => ({
    name: String(p.name),
    switch: switchOfPort.get(uuidOf(p)) ?? null,
    type: String(p.type ?? ''),
    ips: portIps(p),
    externalIds: mapOf(p.external_ids),
  }));
  ports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const loadBalancers: LiveLoadBalancer[] = [];
  for (const [uuid, names] of lbSwitches) {
    const lb = lbByUuid.get(uuid);
    if (!lb) continue;
    loadBalancers.push({
      row: LoadBalancerRow({
        name: String(lb.name),
        protocol: ((lb.protocol as string | null) ?? 'tcp') as LoadBalancerProtocol,
        vips: stringMap(lb.vips),
        routers: [],
        options: stringMap(lb.options),
        externalIds: mapOf(lb.external_ids),
      }),
      switches: [...names].sort(),
    });
  }
  loadBalancers.sort((a, b) => (a.row.name < b.row.name ? -1 : a.row.name > b.row.name ? 1 : 0));

  const addressSets = rowsOf('Address_Set').map((as) =>
    AddressSetRow({ name: String(as.name), addresses: setOf(as.addresses).map(String), externalIds: mapOf(as.external_ids) }),
  );
  return Object.freeze({
    rows: sortNbRows({ portGroups, addressSets, acls, nats: [], loadBalancers: loadBalancers.map((l) => l.row) }),
    ports: Object.freeze(ports),
    loadBalancers: Object.freeze(loadBalancers),
    switches: Object.freeze(switches.sort()),
    portGroupExternalIds,
    capabilities,
  });
}

function aclRowOf(acl: Row, group: string, capabilities: Capabilities): AclRow {
  const tier = capabilities.aclTier && typeof acl.tier === 'number' ? acl.tier : null;
  return AclRow({
    portGroup: group,
    direction: String(acl.direction) as AclDirection,
    priority: Number(acl.priority),
    match: String(acl.match),
    action: String(acl.action) as AclAction,
    name: optionalString(acl.name),
    log: acl.log === true,
    severity: optionalString(acl.severity) as AclSeverity | null,
    meter: optionalString(acl.meter),
    tier,
    options: stringMap(acl.options),
    externalIds: mapOf(acl.external_ids),
  });
}

/**
 * IPs of a port: `addresses` entries are "MAC IP..." (or `router`, `unknown`, `dynamic`; with
 * `dynamic` the IPs northd assigned are in `dynamic_addresses`), ovn-nb(5) Logical_Switch_Port.
 */
function portIps(port: Row): string[] {
  const entries = setOf(port.addresses).map(String);
  const texts = entries.includes('dynamic') && typeof port.dynamic_addresses === 'string' ? [...entries, port.dynamic_addresses] : entries;
  const ips = new Set<string>();
  for (const text of texts) {
    const tokens = text.trim().split(/\s+/);
    for (const token of tokens.slice(1)) {
      const ip = canonicalIp(token.replace(/\/\d+$/, ''));
      if (ip !== null) ips.add(ip);
    }
  }
  return [...ips];
}

const uuidOf = (row: Row): string => String(row._uuid);

function setOf(value: Value | undefined): readonly (string | number | boolean)[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value as readonly (string | number | boolean)[];
  if (typeof value === 'object') return [];
  return [value as string | number | boolean];
}

function mapOf(value: Value | undefined): ExternalIds {
  return stringMap(value);
}

function stringMap(value: Value | undefined): Readonly<Record<string, string>> {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = String(v);
  return out;
}

function optionalString(value: Value | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : String(value[0]);
  return String(value);
}
