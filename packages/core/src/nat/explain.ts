import { formatWarning, type CompileWarning } from '../errors.js';
import type { Model } from '../model/model.js';
import type { NatPlan, PlannedDnat, PlannedFip, PlannedNat, PlannedSnat } from './natPlan.js';
import { resolveNat, type NatOptions } from './resolve.js';
import { DEFAULT_VPC, type NatPlacement } from './kubeOvnObjects.js';

/** Where OVN runs one NAT. */
export type NatLocation =
  | {
      /** Distributed: northd gates the flows with `is_chassis_resident("<logicalPort>")`. */
      readonly kind: 'port-chassis';
      readonly logicalPort: string;
      /** The node hosting the pod (IP `spec.nodeName`), when known. */
      readonly node: string | null;
    }
  | {
      /** Centralized: gated with `is_chassis_resident("cr-<gatewayPort>")`, the active gateway chassis. */
      readonly kind: 'gateway-chassis';
      readonly gatewayPort: string;
      readonly gatewayNodes: readonly string[];
    };

export interface NatUseExplanation {
  readonly kind: 'OvnFip' | 'OvnSnatRule' | 'OvnDnatRule';
  readonly name: string;
  readonly router: string;
  /** e.g. `10.5.204.101 -> 192.168.0.2` or `10.5.204.101:2222/tcp -> 192.168.0.3:22`. */
  readonly translations: readonly string[];
  readonly mode: NatPlacement;
  readonly runsOn: NatLocation;
  /** Does this NAT keep working with every gateway node down (given the pod's node is up)? */
  readonly survivesAllGatewaysDown: boolean;
  readonly why: string;
}

/** One OvnEip and the rules that use it. */
export interface EipExplanation {
  /** The OvnEip's name. */
  readonly eip: string;
  /** Its IPv4 and IPv6 addresses, those it has. */
  readonly addresses: readonly string[];
  readonly externalSubnet: string;
  /** The FIPs, SNATs and DNAT rules on this EIP. */
  readonly users: readonly NatUseExplanation[];
}

/** What `explain-nat` prints: every EIP with where each of its NATs runs. */
export interface NatExplanation {
  readonly eips: readonly EipExplanation[];
  /** Nodes labelled `ovn.kubernetes.io/external-gw=true`: the gateway chassis candidates. */
  readonly gatewayNodes: readonly string[];
  /** The compile warnings of the same input (e.g. a load balancer on a router with two gateway ports). */
  readonly warnings: readonly CompileWarning[];
}

/**
 * Per EIP: who uses it, how each NAT is placed, where OVN runs it, and whether it survives every
 * gateway node going down. Runs the same resolution as compile, so it explains exactly the rows
 * compile writes (and throws the same InputError on bad input).
 *
 * @example
 * const { model } = loadModel([{ name: 'nat.yaml', text }]);
 * console.log(renderNatExplanation(explainNat(model, options)));
 */
export function explainNat(model: Model, options: NatOptions): NatExplanation {
  const { plan, warnings } = resolveNat(model, options);
  return explainPlan(plan, warnings);
}

export function explainPlan(plan: NatPlan, warnings: readonly CompileWarning[] = []): NatExplanation {
  const users = new Map<string, NatUseExplanation[]>();
  const rules: PlannedNat[] = [...plan.fips, ...plan.dnats, ...plan.snats];
  for (const rule of rules) {
    const list = users.get(rule.eip.name) ?? [];
    list.push(explainRule(rule, rule.router === DEFAULT_VPC ? plan.defaultVpcGatewayNodes : plan.gatewayNodes));
    users.set(rule.eip.name, list);
  }
  return {
    gatewayNodes: plan.gatewayNodes,
    warnings,
    eips: plan.eips.map((eip) => ({
      eip: eip.name,
      addresses: [eip.v4Ip, eip.v6Ip].filter((a): a is string => a !== null),
      externalSubnet: eip.externalSubnet,
      users: users.get(eip.name) ?? [],
    })),
  };
}

function explainRule(rule: PlannedNat, gatewayNodes: readonly string[]): NatUseExplanation {
  switch (rule.kind) {
    case 'OvnFip':
      return explainFip(rule, gatewayNodes);
    case 'OvnSnatRule':
      return explainSnat(rule, gatewayNodes);
    case 'OvnDnatRule':
      return explainDnat(rule, gatewayNodes);
  }
}

const gatewayLocation = (rule: PlannedNat, gatewayNodes: readonly string[]): NatLocation => ({
  kind: 'gateway-chassis',
  gatewayPort: rule.gatewayPort.name,
  gatewayNodes,
});

function explainFip(fip: PlannedFip, gatewayNodes: readonly string[]): NatUseExplanation {
  const base = {
    kind: 'OvnFip',
    name: fip.fip.name,
    router: fip.router,
    translations: fip.pairs.map((p) => `${p.externalIp} <-> ${p.logicalIp}`),
    mode: fip.placement,
  } as const;
  const stateless = fip.stateless ? ' Stateless: no conntrack, addresses are rewritten both ways.' : '';
  if (fip.placement === 'distributed' && fip.target.kind === 'ip') {
    return {
      ...base,
      runsOn: { kind: 'port-chassis', logicalPort: fip.logicalPort!, node: fip.target.nodeName },
      survivesAllGatewaysDown: true,
      why: `logical_port ${fip.logicalPort} and external_mac ${fip.externalMac} are set, so northd runs this NAT on the chassis where the port is bound and answers ARP for the EIP from there; the gateway chassis of ${fip.gatewayPort.name} is not on the path. That node needs the external network.${stateless}`,
    };
  }
  return {
    ...base,
    runsOn: gatewayLocation(fip, gatewayNodes),
    survivesAllGatewaysDown: false,
    why: `no logical_port/external_mac, so northd runs this NAT on the active gateway chassis of ${fip.gatewayPort.name} (cr-${fip.gatewayPort.name}); with every gateway node down nothing answers for the EIP.${stateless}`,
  };
}

function explainSnat(snat: PlannedSnat, gatewayNodes: readonly string[]): NatUseExplanation {
  return {
    kind: 'OvnSnatRule',
    name: snat.snat.name,
    router: snat.router,
    translations: snat.pairs.map((p) => `${p.logicalIp} -> ${p.externalIp}`),
    mode: 'centralized',
    runsOn: gatewayLocation(snat, gatewayNodes),
    survivesAllGatewaysDown: false,
    why: `OVN always runs snat on the active gateway chassis of ${snat.gatewayPort.name}.`,
  };
}

function explainDnat(dnat: PlannedDnat, gatewayNodes: readonly string[]): NatUseExplanation {
  const { protocol, externalPort, internalPort } = dnat.dnat;
  return {
    kind: 'OvnDnatRule',
    name: dnat.dnat.name,
    router: dnat.router,
    translations: dnat.pairs.map((p) => `${p.externalIp}:${externalPort}/${protocol} -> ${p.logicalIp}:${internalPort}`),
    mode: 'centralized',
    runsOn: gatewayLocation(dnat, gatewayNodes),
    survivesAllGatewaysDown: false,
    why: `a router load balancer; on a router with a gateway port OVN runs it on the active gateway chassis of ${dnat.gatewayPort.name}.`,
  };
}

/** Plain-text rendering for terminals and reports. */
export function renderNatExplanation(explanation: NatExplanation): string {
  const lines: string[] = [];
  const gw = explanation.gatewayNodes.length > 0 ? explanation.gatewayNodes.join(', ') : 'none labelled';
  lines.push(`gateway nodes (ovn.kubernetes.io/external-gw=true): ${gw}`);
  for (const eip of explanation.eips) {
    lines.push('');
    lines.push(`OvnEip ${eip.eip}  ${eip.addresses.join(', ')}  (external subnet ${eip.externalSubnet})`);
    if (eip.users.length === 0) lines.push('  unused');
    for (const use of eip.users) {
      lines.push(`  ${use.kind} ${use.name}  ${use.mode}  router ${use.router}`);
      for (const t of use.translations) lines.push(`    ${t}`);
      lines.push(`    runs on: ${describeLocation(use.runsOn)}`);
      lines.push(`    keeps working with every gateway node down: ${use.survivesAllGatewaysDown ? 'yes' : 'no'}`);
      lines.push(`    why: ${use.why}`);
    }
  }
  if (explanation.warnings.length > 0) lines.push('', ...explanation.warnings.map(formatWarning));
  return `${lines.join('\n')}\n`;
}

function describeLocation(location: NatLocation): string {
  if (location.kind === 'port-chassis') {
    const node = location.node ? ` (node ${location.node})` : '';
    return `the chassis hosting logical port ${location.logicalPort}${node}`;
  }
  const nodes = location.gatewayNodes.length > 0 ? ` (one of ${location.gatewayNodes.join(', ')})` : '';
  return `the active gateway chassis of port ${location.gatewayPort}${nodes}`;
}
