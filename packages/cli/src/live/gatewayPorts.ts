import type { CompileOptions } from '@ovn-nbgen/core';
import type { OvsdbClient, Row } from '@ovn-nbgen/ovsdb';

type GatewayPortMap = NonNullable<CompileOptions['natGatewayPorts']>;

/**
 * The distributed gateway ports of every router in a live NB, as `--gateway-port` would give them:
 * router → external subnet → LRP. A gateway port is an LRP with `gateway_chassis` or
 * `ha_chassis_group` (what makes northd create its `cr-<lrp>` port). Its external subnet is the
 * logical switch holding the router-type LSP whose `options:router-port` is the LRP (Kube-OVN's
 * `<subnet>-<vpc>`), so a cluster whose external subnet is `external0` is read as it is.
 * Routers without a gateway port are left out, so the Vpc objects still describe them.
 */
export async function readLiveGatewayPorts(client: OvsdbClient): Promise<GatewayPortMap> {
  const txn = client.transaction({ validate: false });
  const routers = txn.select('Logical_Router', [], ['name', 'ports']);
  const routerPorts = txn.select('Logical_Router_Port', [], ['_uuid', 'name', 'gateway_chassis', 'ha_chassis_group']);
  const switchPorts = txn.select('Logical_Switch_Port', [['type', '==', 'router']], ['_uuid', 'options']);
  const switches = txn.select('Logical_Switch', [], ['name', 'ports']);
  const result = await client.transact(txn);
  return gatewayPortsFromRows({
    routers: result.get(routers).rows,
    routerPorts: result.get(routerPorts).rows,
    switchPorts: result.get(switchPorts).rows,
    switches: result.get(switches).rows,
  });
}

export interface TopologyRows {
  readonly routers: readonly Row[];
  readonly routerPorts: readonly Row[];
  /** Router-type LSPs only. */
  readonly switchPorts: readonly Row[];
  readonly switches: readonly Row[];
}

export function gatewayPortsFromRows(rows: TopologyRows): GatewayPortMap {
  const switchOfLsp = new Map<string, string>();
  for (const sw of rows.switches) for (const lsp of asArray(sw.ports)) switchOfLsp.set(lsp, String(sw.name));
  const switchOfLrp = new Map<string, string>();
  for (const lsp of rows.switchPorts) {
    const peer = (lsp.options as Record<string, string> | null)?.['router-port'];
    const sw = switchOfLsp.get(String(lsp._uuid));
    if (peer !== undefined && sw !== undefined) switchOfLrp.set(peer, sw);
  }
  const lrpByUuid = new Map(rows.routerPorts.map((p) => [String(p._uuid), p]));
  const out: Record<string, Record<string, string>> = {};
  for (const router of [...rows.routers].sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1))) {
    const name = String(router.name);
    for (const uuid of asArray(router.ports)) {
      const lrp = lrpByUuid.get(uuid);
      if (!lrp || (asArray(lrp.gateway_chassis).length === 0 && asArray(lrp.ha_chassis_group).length === 0)) continue;
      const lrpName = String(lrp.name);
      // Unattached to any switch: Kube-OVN's name `<vpc>-<subnet>` is all there is to go by.
      const subnet = switchOfLrp.get(lrpName) ?? (lrpName.startsWith(`${name}-`) ? lrpName.slice(name.length + 1) : lrpName);
      (out[name] ??= {})[subnet] = lrpName;
    }
  }
  return out;
}

const asArray = (value: Row[string] | undefined): string[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
