import type { Capabilities } from '../capabilities';
import type { AclRow, AddressSetRow, LoadBalancerRow, NatRow, PortGroupRow } from '../rows';
import { ovsdbMap, ovsdbString, ScriptValueError, shellWords } from './quote';

/**
 * Rows → the script's row lines (see runtime.ts for what each helper does). Every value that came
 * from input is an ovsdb string inside a shell word; enum columns (direction, action, type, protocol,
 * severity) and numbers are written bare because their values are fixed identifiers.
 */

export function portGroupLines(pg: PortGroupRow): string[] {
  const lines = [
    shellWords(['row', 'Port_Group', pg.name, `name=${ovsdbString(pg.name)}`, `external_ids=${ovsdbMap(pg.externalIds)}`]),
  ];
  // Port and router names go in JSON form: the runtime compares them with ovn-nbctl's JSON output.
  lines.push(shellWords(['ports', ...pg.ports.map(ovsdbString)]));
  return lines;
}

export function addressSetLines(as: AddressSetRow): string[] {
  return [
    shellWords(['row', 'Address_Set', as.name, `name=${ovsdbString(as.name)}`, `external_ids=${ovsdbMap(as.externalIds)}`]),
    shellWords(['values', 'addresses', ...as.addresses.map(ovsdbString)]),
  ];
}

export function aclLine(acl: AclRow, capabilities: Capabilities): string {
  if (acl.action === 'pass' && !capabilities.passAction) {
    throw new ScriptValueError(`ACL ${acl.name ?? acl.match}: action pass needs an OVN with ACL tiers (>= 23.06)`);
  }
  if (acl.tier !== null && !capabilities.aclTier) {
    throw new ScriptValueError(`ACL ${acl.name ?? acl.match}: tier ${acl.tier} needs an OVN with ACL tiers (>= 23.06)`);
  }
  const columns = [
    `direction=${acl.direction}`,
    `priority=${acl.priority}`,
    `match=${ovsdbString(acl.match)}`,
    `action=${acl.action}`,
    `log=${acl.log}`,
  ];
  if (acl.name !== null) columns.push(`name=${ovsdbString(acl.name)}`);
  if (acl.severity !== null) columns.push(`severity=${acl.severity}`);
  if (acl.meter !== null) columns.push(`meter=${ovsdbString(acl.meter)}`);
  if (acl.tier !== null) columns.push(`tier=${acl.tier}`);
  columns.push(`options=${ovsdbMap(acl.options)}`, `external_ids=${ovsdbMap(acl.externalIds)}`);
  return shellWords(['acl', acl.portGroup, ...columns]);
}

export function natLine(nat: NatRow, capabilities: Capabilities): string {
  if (nat.gatewayPort !== null && !capabilities.natGatewayPort) {
    throw new ScriptValueError(`NAT ${nat.type} ${nat.externalIp}: gateway_port needs OVN >= 22.09`);
  }
  const columns = [
    `type=${nat.type}`,
    `external_ip=${ovsdbString(nat.externalIp)}`,
    `logical_ip=${ovsdbString(nat.logicalIp)}`,
  ];
  if (nat.logicalPort !== null) columns.push(`logical_port=${ovsdbString(nat.logicalPort)}`);
  if (nat.externalMac !== null) columns.push(`external_mac=${ovsdbString(nat.externalMac)}`);
  if (nat.externalPortRange !== null) columns.push(`external_port_range=${ovsdbString(nat.externalPortRange)}`);
  columns.push(`options=${ovsdbMap(nat.options)}`, `external_ids=${ovsdbMap(nat.externalIds)}`);
  // gateway_port is a reference: the runtime looks the port up by name in the same transaction.
  return shellWords(['nat', ovsdbString(nat.router), nat.gatewayPort ?? '', ...columns]);
}

export function loadBalancerLines(lb: LoadBalancerRow): string[] {
  return [
    shellWords([
      'row',
      'Load_Balancer',
      lb.name,
      `name=${ovsdbString(lb.name)}`,
      `protocol=${lb.protocol}`,
      `vips=${ovsdbMap(lb.vips)}`,
      `options=${ovsdbMap(lb.options)}`,
      `external_ids=${ovsdbMap(lb.externalIds)}`,
    ]),
    ...lb.routers.map((router) => shellWords(['attach', ovsdbString(router)])),
  ];
}
