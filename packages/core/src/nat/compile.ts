import type { CompileResult } from '../compile/result.js';
import type { Model } from '../model/model.js';
import { ovnName } from '../naming/ovnName.js';
import { ownedExternalIds } from '../ownership.js';
import { LoadBalancerRow, NatRow, sortNbRows, type NbRows } from '../rows/index.js';
import type { AddressPair, PlannedDnat, PlannedFip, PlannedSnat } from './natPlan.js';
import { resolveNat, type NatOptions } from './resolve.js';

/**
 * Kube-OVN OVN-NAT objects → NAT and Load_Balancer rows.
 *
 *  - OvnFip → one `dnat_and_snat` per address family on router `<vpc>`. Placement follows
 *    `spec.type` (empty = distributed): distributed rows carry `logical_port` (the pod's IP name,
 *    which is its switch port) and `external_mac` (the pod's MAC), which is what makes northd run
 *    the NAT on the pod's chassis; centralized rows carry neither and run on the gateway chassis
 *    of the router's gateway port. (Kube-OVN itself writes port and MAC whatever `spec.type` says,
 *    so its "centralized" FIPs are distributed in OVN; its `type` only toggles `stateless`.)
 *    `options:stateless=true` only with the annotation `ovn-nbgen.io/stateless: "true"`.
 *  - OvnSnatRule → one `snat` per family; always centralized in OVN.
 *  - OvnDnatRule → a Load_Balancer on the router (`"EIP:port" = "IP:port"`), as Kube-OVN does;
 *    OVN runs router load balancers on the gateway chassis.
 * With more than one gateway port on a router, every NAT row names its port (`gateway_port`) when
 * the target schema has the column.
 */
export function compileNat(model: Model, options: NatOptions): CompileResult {
  const { plan, warnings } = resolveNat(model, options);
  const rows: NbRows = {
    portGroups: [],
    addressSets: [],
    acls: [],
    nats: [...plan.fips.flatMap((fip) => fipRows(fip, options)), ...plan.snats.flatMap((snat) => snatRows(snat, options))],
    loadBalancers: plan.dnats.map((dnat) => dnatLoadBalancer(dnat, options)),
  };
  return { rows: sortNbRows(rows), warnings };
}

const rowIdOf = (pair: AddressPair): string => `ip${pair.family}`;

function gatewayPortColumn(rule: PlannedFip | PlannedSnat, options: NatOptions): string | null {
  return rule.routerGatewayPortCount > 1 && options.capabilities.natGatewayPort ? rule.gatewayPort.name : null;
}

/** The columns in which a FIP's rows differ from an SNAT's. */
type RuleColumns = Pick<NatRow, 'type' | 'logicalPort' | 'externalMac' | 'options'>;

/** One NAT row per address pair of a planned FIP or SNAT, owned by the rule's object. */
function natRowsOf(rule: PlannedFip | PlannedSnat, name: string, columns: RuleColumns, options: NatOptions): NatRow[] {
  const object = { kind: rule.kind, namespace: '', name };
  return rule.pairs.map((pair) =>
    NatRow({
      router: rule.router,
      type: columns.type,
      externalIp: pair.externalIp,
      logicalIp: pair.logicalIp,
      logicalPort: columns.logicalPort,
      externalMac: columns.externalMac,
      gatewayPort: gatewayPortColumn(rule, options),
      externalPortRange: null,
      options: columns.options,
      externalIds: ownedExternalIds(options.owner, object, rowIdOf(pair)),
    }),
  );
}

const fipRows = (fip: PlannedFip, options: NatOptions): NatRow[] =>
  natRowsOf(fip, fip.fip.name, { type: 'dnat_and_snat', logicalPort: fip.logicalPort, externalMac: fip.externalMac, options: fip.stateless ? { stateless: 'true' } : {} }, options);

const snatRows = (snat: PlannedSnat, options: NatOptions): NatRow[] =>
  natRowsOf(snat, snat.snat.name, { type: 'snat', logicalPort: null, externalMac: null, options: {} }, options);

/** `10.0.0.1:80`, `[fd00::1]:80` (ovn-nb(5) Load_Balancer.vips). */
const hostPort = (pair: AddressPair, address: string, port: number): string =>
  pair.family === 6 ? `[${address}]:${port}` : `${address}:${port}`;

/** Load balancer name: `odnat.<rule name>`, readable and apart from Kube-OVN's own LBs. */
export const dnatLoadBalancerName = (ruleName: string): string => ovnName('odnat', [ruleName]);

function dnatLoadBalancer(dnat: PlannedDnat, options: NatOptions): LoadBalancerRow {
  const { internalPort, externalPort, protocol, name } = dnat.dnat;
  const vips: Record<string, string> = {};
  for (const pair of dnat.pairs) {
    vips[hostPort(pair, pair.externalIp, externalPort)] = hostPort(pair, pair.logicalIp, internalPort);
  }
  return LoadBalancerRow({
    name: dnatLoadBalancerName(name),
    protocol,
    vips,
    routers: [dnat.router],
    // As Kube-OVN: flush a removed backend's UDP conntrack entries (no connection end to wait for).
    options: protocol === 'udp' ? { ct_flush: 'true' } : {},
    externalIds: ownedExternalIds(options.owner, { kind: 'OvnDnatRule', namespace: '', name }),
  });
}
