import type { CompileOptions } from '../compile/options.js';
import { InputError, type CompileWarning, type InputIssue, type SourceRef } from '../errors.js';
import type { Model } from '../model/model.js';
import { cidrContainsIp, parseCidr, parseIp, type IpFamily } from '../net/ip.js';
import { checkDuplicateEipAddresses, checkEipUsage } from './eipUsage.js';
import { describeGatewayPorts, gatewayPortsOf, type GatewayPort, GATEWAY_PORT_SOURCES } from './gatewayPorts.js';
import { EXTERNAL_GW_NODE_LABEL, type KubeOvnSubnet, type NatTargetKind, type OvnDnatRule, type OvnEip, type OvnFip, type OvnSnatRule } from './kubeOvnObjects.js';
import { indexNatObjects, sortedByName, type NatObjects } from './objects.js';
import type { AddressPair, NatPlan, NatTarget, PlannedDnat, PlannedFip, PlannedRule, PlannedSnat } from './natPlan.js';

/** What NAT planning reads from the compile options. */
export type NatOptions = Pick<CompileOptions, 'owner' | 'capabilities' | 'natGatewayPorts'>;

export interface ResolvedNat {
  readonly plan: NatPlan;
  readonly warnings: readonly CompileWarning[];
}

/**
 * model → NatPlan: resolves every reference (EIP, IP, Vip, Subnet, Vpc, gateway port) and runs the
 * checks that need more than one object. Throws InputError listing every problem, each at the
 * object and field that caused it; on error nothing is planned.
 */
export function resolveNat(model: Model, options: NatOptions): ResolvedNat {
  const objects = indexNatObjects(model);
  const issues: InputIssue[] = [...objects.issues];
  const warnings: CompileWarning[] = [];
  const report = (source: SourceRef, path: string, message: string): void => void issues.push({ source, path, message });

  const usableEips = new Map<string, OvnEip>();
  for (const eip of sortedByName(objects.OvnEip)) {
    if (checkEip(eip, objects, report)) usableEips.set(eip.name, eip);
  }
  checkDuplicateEipAddresses([...usableEips.values()], report);

  const context: RuleContext = { objects, options, usableEips, report };
  const fips = sortedByName(objects.OvnFip).flatMap((fip) => planFip(fip, context) ?? []);
  const snats = sortedByName(objects.OvnSnatRule).flatMap((snat) => planSnat(snat, context) ?? []);
  const dnats = sortedByName(objects.OvnDnatRule).flatMap((dnat) => planDnat(dnat, context) ?? []);
  checkEipUsage({ fips, snats, dnats }, report);

  for (const rule of [...fips, ...snats, ...dnats]) {
    if (rule.routerGatewayPortCount > 1 && !options.capabilities.natGatewayPort) {
      warnings.push({
        code: 'NAT_GATEWAY_PORT_UNSUPPORTED',
        source: sourceOf(rule),
        message: `router ${rule.router} has ${rule.routerGatewayPortCount} gateway ports but the target OVN has no NAT gateway_port column (OVN >= 22.06); northd picks the port whose networks hold ${rule.eip.name}'s address`,
      });
    }
  }
  for (const dnat of dnats) {
    if (dnat.routerGatewayPortCount > 1) {
      warnings.push({
        code: 'NAT_LB_MULTIPLE_GATEWAY_PORTS',
        source: dnat.dnat.source,
        message: `router ${dnat.router} has ${dnat.routerGatewayPortCount} gateway ports; OVN before 25.03 does not support load balancers on such a router (northd: "Load-balancer is not supported yet when there is more than one distributed gateway port")`,
      });
    }
  }

  if (issues.length > 0) throw new InputError(issues);
  const gatewayNodes = model.nodes
    .filter((n) => n.labels[EXTERNAL_GW_NODE_LABEL] === 'true')
    .map((n) => n.name)
    .sort();
  const config = objects.externalGatewayConfig;
  const configNodes = config && config.enabled && config.type !== 'distributed' ? config.nodes : [];
  const defaultVpcGatewayNodes = [...new Set([...gatewayNodes, ...configNodes])].sort();
  return { plan: { eips: [...usableEips.values()], fips, snats, dnats, gatewayNodes, defaultVpcGatewayNodes }, warnings };
}

type Report = (source: SourceRef, path: string, message: string) => void;

interface RuleContext {
  readonly objects: NatObjects;
  readonly options: NatOptions;
  /** EIPs that passed their own checks; rules on a failed EIP are skipped (its error is reported). */
  readonly usableEips: ReadonlyMap<string, OvnEip>;
  readonly report: Report;
}

const sourceOf = (rule: PlannedFip | PlannedSnat | PlannedDnat): SourceRef =>
  rule.kind === 'OvnFip' ? rule.fip.source : rule.kind === 'OvnSnatRule' ? rule.snat.source : rule.dnat.source;

/** The EIP's external subnet exists and holds each of its addresses. */
function checkEip(eip: OvnEip, objects: NatObjects, report: Report): boolean {
  const subnet = objects.Subnet.get(eip.externalSubnet);
  if (!subnet) {
    const defaulted = eip.externalSubnetDefaulted
      ? ` (spec.externalSubnet is empty: Kube-OVN's default external subnet, which ConfigMap kube-system/ovn-external-gw-config names in external-gw-switch)`
      : '';
    report(eip.source, 'spec.externalSubnet', `Subnet "${eip.externalSubnet}" not found among the inputs${defaulted}`);
    return false;
  }
  if (eip.v4Ip === null && eip.v6Ip === null) {
    report(eip.source, 'spec', 'has no address: set spec.v4Ip/v6Ip, or give the object with the status Kube-OVN allocated');
    return false;
  }
  let ok = true;
  for (const [family, address, field] of [
    [4, eip.v4Ip, 'spec.v4Ip'],
    [6, eip.v6Ip, 'spec.v6Ip'],
  ] as const) {
    if (address === null) continue;
    const cidr = cidrOf(subnet, family);
    if (cidr === null || !cidrContainsIp(parseCidr(cidr)!, parseIp(address)!)) {
      report(eip.source, field, `${address} is outside external subnet ${subnet.name} (${cidr ?? `no IPv${family} CIDR`})`);
      ok = false;
    }
  }
  return ok;
}

const cidrOf = (subnet: KubeOvnSubnet, family: IpFamily): string | null => (family === 4 ? subnet.v4Cidr : subnet.v6Cidr);

/** Looks up `spec.ovnEip`; NAT must not use an `lsp` EIP (a BFD next-hop port, as in Kube-OVN). */
function eipFor(rule: OvnFip | OvnSnatRule | OvnDnatRule, context: RuleContext): OvnEip | null {
  const eip = context.objects.OvnEip.get(rule.ovnEip);
  if (!eip) {
    context.report(rule.source, 'spec.ovnEip', `OvnEip "${rule.ovnEip}" not found among the inputs`);
    return null;
  }
  if (eip.type === 'lsp') {
    context.report(rule.source, 'spec.ovnEip', `OvnEip "${eip.name}" has type lsp (a switch port used as a BFD next hop); NAT needs an EIP of type nat or lrp`);
    return null;
  }
  return context.usableEips.get(eip.name) ?? null;
}

/** The inside of a rule: the VPC it is in and its address of each family. */
interface InsideAddresses {
  readonly vpc: string;
  readonly v4: string | null;
  readonly v6: string | null;
}

interface ResolvedTarget extends InsideAddresses {
  readonly target: NatTarget;
}

/** FIP and DNAT targets: an IP (a pod's port) or Vip by `ipName`, or bare addresses with `vpc`. */
function resolveTarget(
  rule: { readonly ipType: NatTargetKind; readonly ipName: string | null; readonly vpc: string | null; readonly v4Ip: string | null; readonly v6Ip: string | null; readonly source: SourceRef },
  context: RuleContext,
): ResolvedTarget | null {
  const { objects, report } = context;
  if (rule.ipName === null) {
    if (rule.vpc === null || (rule.v4Ip === null && rule.v6Ip === null)) {
      report(rule.source, 'spec.ipName', 'no target: set ipName (an IP or Vip), or vpc with v4Ip/v6Ip');
      return null;
    }
    return { target: { kind: 'address' }, vpc: rule.vpc, v4: rule.v4Ip, v6: rule.v6Ip };
  }
  const found = rule.ipType === 'vip' ? objects.Vip.get(rule.ipName) : objects.IP.get(rule.ipName);
  if (!found) {
    report(rule.source, 'spec.ipName', `${rule.ipType === 'vip' ? 'Vip' : 'IP'} "${rule.ipName}" not found among the inputs`);
    return null;
  }
  const subnet = objects.Subnet.get(found.subnet);
  if (!subnet) {
    report(found.source, 'spec.subnet', `Subnet "${found.subnet}" not found among the inputs`);
    return null;
  }
  if (found.v4 === null && found.v6 === null) {
    report(found.source, 'spec', `${found.kind} "${found.name}" has no address`);
    return null;
  }
  // Kube-OVN takes the VPC from the target's subnet; a different spec.vpc is a contradiction.
  if (rule.vpc !== null && rule.vpc !== subnet.vpc) {
    report(rule.source, 'spec.vpc', `is "${rule.vpc}" but ${found.kind} "${found.name}" is on subnet ${subnet.name} of VPC "${subnet.vpc}"`);
    return null;
  }
  const target: NatTarget =
    found.kind === 'IP' ? { kind: 'ip', name: found.name, mac: found.mac, nodeName: found.nodeName } : { kind: 'vip', name: found.name };
  return { target, vpc: subnet.vpc, v4: found.v4, v6: found.v6 };
}

/** The router's DGP on the EIP's external subnet; OVN drops NAT it cannot tie to a DGP. */
function gatewayPortFor(
  rule: OvnFip | OvnSnatRule | OvnDnatRule,
  router: string,
  eip: OvnEip,
  context: RuleContext,
): { port: GatewayPort; count: number } | null {
  const { objects } = context;
  const ports = gatewayPortsOf(router, objects.Vpc.get(router), context.options.natGatewayPorts, objects.externalGatewayConfig, objects.defaultExternalSubnet);
  if (ports === null) {
    context.report(rule.source, 'spec', `Vpc "${router}" not found among the inputs, and no gateway ports known for router ${router}: ${GATEWAY_PORT_SOURCES}`);
    return null;
  }
  if (ports.length === 0) {
    context.report(rule.source, 'spec', `VPC "${router}" has no external gateway port (Vpc spec.enableExternal / extraExternalSubnets); OVN installs no NAT flows on a distributed router without one; if the router has one, ${GATEWAY_PORT_SOURCES}`);
    return null;
  }
  const port = ports.find((p) => p.externalSubnet === eip.externalSubnet);
  if (!port) {
    context.report(rule.source, 'spec.ovnEip', `OvnEip "${eip.name}" is on external subnet ${eip.externalSubnet}, but VPC "${router}" has gateway ports only on: ${describeGatewayPorts(ports)}; OVN would drop this NAT. If the router's gateway port is on ${eip.externalSubnet}, ${GATEWAY_PORT_SOURCES}`);
    return null;
  }
  return { port, count: ports.length };
}

/**
 * One pair per family both sides have. A rule whose sides share no family is refused: northd
 * parses logical_ip in the family of external_ip and silently drops the row ("bad ip").
 */
function pairFamilies(
  rule: { readonly source: SourceRef },
  eip: OvnEip,
  inside: { readonly v4: string | null; readonly v6: string | null },
  report: Report,
): AddressPair[] | null {
  const pairs: AddressPair[] = [];
  if (eip.v4Ip !== null && inside.v4 !== null) pairs.push({ family: 4, externalIp: eip.v4Ip, logicalIp: inside.v4 });
  if (eip.v6Ip !== null && inside.v6 !== null) pairs.push({ family: 6, externalIp: eip.v6Ip, logicalIp: inside.v6 });
  if (pairs.length === 0) {
    const families = (v4: unknown, v6: unknown) => [v4 !== null ? 'IPv4' : '', v6 !== null ? 'IPv6' : ''].filter(Boolean).join('+');
    report(rule.source, 'spec.ovnEip', `address families do not meet: inside ${families(inside.v4, inside.v6)}, OvnEip "${eip.name}" ${families(eip.v4Ip, eip.v6Ip)}; OVN ignores a NAT whose external and logical IPs differ in family`);
    return null;
  }
  return pairs;
}

/**
 * The router, gateway port and address pairs of a rule whose EIP and inside addresses are known;
 * null (both problems reported) when the EIP's subnet has no gateway port on the router or the
 * two sides share no family.
 */
function planRule(
  rule: OvnFip | OvnSnatRule | OvnDnatRule,
  eip: OvnEip,
  inside: InsideAddresses,
  context: RuleContext,
): PlannedRule | null {
  const gateway = gatewayPortFor(rule, inside.vpc, eip, context);
  const pairs = pairFamilies(rule, eip, inside, context.report);
  if (!gateway || !pairs) return null;
  return { eip, router: inside.vpc, gatewayPort: gateway.port, routerGatewayPortCount: gateway.count, pairs };
}

function planFip(fip: OvnFip, context: RuleContext): PlannedFip | null {
  const eip = eipFor(fip, context);
  const resolved = resolveTarget(fip, context);
  if (!eip || !resolved) return null;
  const rule = planRule(fip, eip, resolved, context);
  if (!rule) return null;

  let logicalPort: string | null = null;
  let externalMac: string | null = null;
  if (fip.placement === 'distributed') {
    // northd makes a dnat_and_snat distributed only with both logical_port and external_mac: the
    // NAT then runs where that port is bound. Only a pod's IP has a port bound to a chassis and a MAC.
    const { target } = resolved;
    if (target.kind !== 'ip') {
      const what = target.kind === 'vip' ? `Vip "${target.name}" is bound to no chassis` : 'a bare address has no logical port';
      context.report(fip.source, 'spec.type', `distributed (the default) needs ipType ip and the pod's IP in ipName: ${what}, so the NAT would run nowhere; set spec.type: centralized`);
      return null;
    }
    // An `lrp` EIP is the gateway port's own address. Verified on 23.03: northd then answers ARP
    // for it from the pod's chassis (priority 92) and drops it elsewhere (91), so the gateway port
    // loses its address to one pod.
    if (eip.type === 'lrp') {
      context.report(fip.source, 'spec.ovnEip', `OvnEip "${eip.name}" has type lrp (the gateway port's own address); a distributed FIP on it would take that address from the gateway chassis to the pod's node; use an EIP of type nat, or set spec.type: centralized`);
      return null;
    }
    if (target.mac === null) {
      context.report(fip.source, 'spec.ipName', `IP "${target.name}" has no spec.macAddress; a distributed FIP needs it as external_mac (or set spec.type: centralized)`);
      return null;
    }
    logicalPort = target.name;
    externalMac = target.mac;
  }
  return {
    kind: 'OvnFip',
    fip,
    ...rule,
    target: resolved.target,
    placement: fip.placement,
    logicalPort,
    externalMac,
    stateless: fip.stateless,
  };
}

/** SNAT source: exactly one of the CIDRs (with vpc), a VPC subnet, or an IP. */
function planSnat(snat: OvnSnatRule, context: RuleContext): PlannedSnat | null {
  const { objects, report } = context;
  const eip = eipFor(snat, context);
  const hasCidr = snat.v4IpCidr !== null || snat.v6IpCidr !== null;
  const given = [hasCidr, snat.vpcSubnet !== null, snat.ipName !== null].filter(Boolean).length;
  if (given !== 1) {
    report(snat.source, 'spec', 'set exactly one source: vpcSubnet, ipName, or v4IpCidr/v6IpCidr with vpc');
    return null;
  }
  let inside: InsideAddresses | null = null;
  if (hasCidr) {
    if (snat.vpc === null) report(snat.source, 'spec.vpc', 'is required with v4IpCidr/v6IpCidr');
    else inside = { vpc: snat.vpc, v4: hostAsAddress(snat.v4IpCidr), v6: hostAsAddress(snat.v6IpCidr) };
  } else if (snat.vpcSubnet !== null) {
    const subnet = objects.Subnet.get(snat.vpcSubnet);
    if (!subnet) report(snat.source, 'spec.vpcSubnet', `Subnet "${snat.vpcSubnet}" not found among the inputs`);
    else inside = { vpc: subnet.vpc, v4: subnet.v4Cidr, v6: subnet.v6Cidr };
  } else {
    const ip = objects.IP.get(snat.ipName!);
    const subnet = ip ? objects.Subnet.get(ip.subnet) : undefined;
    if (!ip) report(snat.source, 'spec.ipName', `IP "${snat.ipName}" not found among the inputs`);
    else if (!subnet) report(ip.source, 'spec.subnet', `Subnet "${ip.subnet}" not found among the inputs`);
    else inside = { vpc: subnet.vpc, v4: ip.v4, v6: ip.v6 };
  }
  if (!eip || !inside) return null;
  if (snat.vpc !== null && snat.vpc !== inside.vpc) {
    report(snat.source, 'spec.vpc', `is "${snat.vpc}" but the source is in VPC "${inside.vpc}"`);
    return null;
  }
  const rule = planRule(snat, eip, inside, context);
  return rule === null ? null : { kind: 'OvnSnatRule', snat, ...rule };
}

/** `10.0.0.5/32` → `10.0.0.5`: a one-address SNAT reads as the address, as OVN shows it. */
function hostAsAddress(cidr: string | null): string | null {
  if (cidr === null) return null;
  const parsed = parseCidr(cidr)!;
  return parsed.prefix === (parsed.family === 4 ? 32 : 128) ? cidr.slice(0, cidr.indexOf('/')) : cidr;
}

function planDnat(dnat: OvnDnatRule, context: RuleContext): PlannedDnat | null {
  const eip = eipFor(dnat, context);
  const resolved = resolveTarget(dnat, context);
  if (!eip || !resolved) return null;
  const rule = planRule(dnat, eip, resolved, context);
  return rule === null ? null : { kind: 'OvnDnatRule', dnat, ...rule, target: resolved.target };
}
