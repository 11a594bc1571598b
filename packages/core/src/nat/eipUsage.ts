import type { SourceRef } from '../errors.js';
import type { OvnEip } from './kubeOvnObjects.js';
import type { AddressPair, NatPlan, PlannedDnat, PlannedFip, PlannedSnat } from './natPlan.js';

type Report = (source: SourceRef, path: string, message: string) => void;

type PlannedRules = Pick<NatPlan, 'fips' | 'snats' | 'dnats'>;

/**
 * How EIPs may be shared. Rules arrive in name order; the error lands on the later one.
 *  - A FIP owns its EIP: a second FIP would be a second dnat_and_snat on the same external_ip
 *    (ovn-nbctl refuses it; raw rows give an undefined winner).
 *  - A FIP's EIP takes no SNAT: a distributed FIP answers ARP for the address from the pod's
 *    chassis with the pod's MAC while the SNAT runs on the gateway chassis, so replies to the
 *    SNAT's connections reach the wrong node.
 *  - A DNAT rule may share a FIP's EIP only when the FIP is centralized and stateful: both then
 *    run on the gateway chassis in conntrack, and the load balancer (priority 120) takes its port
 *    before the FIP's DNAT (priority 100). With a distributed FIP the address is answered from the
 *    pod's node and the DNAT never sees traffic; a stateless FIP cannot share its address with a
 *    stateful NAT at all (ovn-nbctl: "External ip cannot be shared across stateless and stateful NATs").
 *  - Two DNAT rules may not claim the same EIP, protocol and external port (two VIPs with one key).
 *  - Two SNATs on one router may not translate the same logical_ip (northd emits two equal-priority
 *    flows; which one wins is undefined). The same holds for two FIPs of one inside address: their
 *    SNAT halves would tie.
 */
export function checkEipUsage(rules: PlannedRules, report: Report): void {
  const fipByEip = new Map<string, PlannedFip>();
  for (const fip of rules.fips) {
    const first = earlierClaimant(fipByEip, fip.eip.name, fip);
    if (first) report(fip.fip.source, 'spec.ovnEip', `OvnEip "${fip.eip.name}" is already the FIP of OvnFip "${first.fip.name}"; one EIP maps to one target`);
  }

  checkInsideAddressClaims(rules.fips, (fip, first, pair) =>
    report(fip.fip.source, 'spec.ipName', `${pair.logicalIp} already has a FIP on router ${fip.router} (OvnFip "${first.fip.name}"); its outgoing traffic would leave as either EIP at random`),
  );

  for (const snat of rules.snats) {
    const fip = fipByEip.get(snat.eip.name);
    if (fip) {
      report(snat.snat.source, 'spec.ovnEip', `OvnEip "${snat.eip.name}" is the FIP of OvnFip "${fip.fip.name}"; a SNAT cannot share it (use another EIP)`);
    }
  }
  checkInsideAddressClaims(rules.snats, (snat, first, pair) =>
    report(snat.snat.source, 'spec', `router ${snat.router} already translates ${pair.logicalIp} (OvnSnatRule "${first.snat.name}"); OVN would pick one at random`),
  );

  const dnatByKey = new Map<string, PlannedDnat>();
  for (const dnat of rules.dnats) {
    const fip = fipByEip.get(dnat.eip.name);
    if (fip && (fip.placement === 'distributed' || fip.stateless)) {
      const why = fip.placement === 'distributed' ? 'distributed (its address is answered from the pod\'s node)' : 'stateless';
      report(dnat.dnat.source, 'spec.ovnEip', `OvnEip "${dnat.eip.name}" is the FIP of OvnFip "${fip.fip.name}", which is ${why}; a DNAT rule can share only a centralized, stateful FIP's EIP`);
    }
    const { protocol, externalPort } = dnat.dnat;
    const key = `${dnat.eip.name}\u0000${protocol}\u0000${externalPort}`;
    const first = earlierClaimant(dnatByKey, key, dnat);
    if (first) report(dnat.dnat.source, 'spec.externalPort', `${protocol} port ${externalPort} of OvnEip "${dnat.eip.name}" is already taken by OvnDnatRule "${first.dnat.name}"`);
  }
}

/** The claimant of `key` before `claimant`, if another; when `key` is free, `claimant` takes it. */
function earlierClaimant<T>(claims: Map<string, T>, key: string, claimant: T): T | undefined {
  const first = claims.get(key);
  if (first === undefined) claims.set(key, claimant);
  return first === claimant ? undefined : first;
}

/** Calls `conflict` for each rule translating an inside address that an earlier rule on its router translates. */
function checkInsideAddressClaims<R extends PlannedFip | PlannedSnat>(rules: readonly R[], conflict: (rule: R, first: R, pair: AddressPair) => void): void {
  const claims = new Map<string, R>();
  for (const rule of rules) {
    for (const pair of rule.pairs) {
      const first = earlierClaimant(claims, `${rule.router}\u0000${pair.logicalIp}`, rule);
      if (first) conflict(rule, first, pair);
    }
  }
}

/** Two EIPs with one address on one external subnet: Kube-OVN's IPAM never hands that out. */
export function checkDuplicateEipAddresses(eips: readonly OvnEip[], report: Report): void {
  const byAddress = new Map<string, OvnEip>();
  for (const eip of eips) {
    for (const [address, field] of [
      [eip.v4Ip, 'spec.v4Ip'],
      [eip.v6Ip, 'spec.v6Ip'],
    ] as const) {
      if (address === null) continue;
      const first = earlierClaimant(byAddress, `${eip.externalSubnet}\u0000${address}`, eip);
      if (first) report(eip.source, field, `${address} is also the address of OvnEip "${first.name}"`);
    }
  }
}
