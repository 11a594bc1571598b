import type { FlowQuery, Model, Pod } from '@ovn-nbgen/core';
import { cidrContainsIp, formatIp, isOvnPod, parseCidr, type L4Protocol } from '@ovn-nbgen/core/model';

/**
 * The flows `audit` judges both ways (a stand-in for the flow-set builder `nbgen impact` shares,
 * see the report of issue 13): every pod pair on every protocol/port a NetworkPolicy names (named
 * ports as the pods define them, both ends of a range, 80 for "every port") plus one port no
 * policy names; and for every ipBlock, an address inside it, one inside each except and one just
 * outside, to and from every pod.
 */
export function auditFlows(model: Model, pods: readonly Pod[]): FlowQuery[] {
  const ports = new Map<string, { protocol: L4Protocol; port: number }>();
  const add = (protocol: L4Protocol, port: number): void => void ports.set(`${protocol}/${port}`, { protocol, port });
  const cidrs = new Set<string>();
  const excepts = new Set<string>();
  for (const policy of model.networkPolicies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const p of rule.ports) {
        if (p.port === null) add(p.protocol, 80);
        else if (typeof p.port === 'number') {
          add(p.protocol, p.port);
          if (p.endPort !== null) add(p.protocol, p.endPort);
        } else {
          for (const pod of model.pods) for (const c of pod.containerPorts) if (c.name === p.port && c.protocol === p.protocol) add(p.protocol, c.port);
        }
      }
      for (const peer of rule.peers) {
        if (peer.type !== 'ipBlock') continue;
        cidrs.add(peer.cidr);
        for (const e of peer.except) excepts.add(e);
      }
    }
  }
  if (ports.size === 0) add('TCP', 80);
  const used = [...ports.values()].filter((p) => p.protocol === 'TCP').map((p) => p.port);
  let other = 81;
  while (used.includes(other)) other++;
  add('TCP', other);
  const probes = [...ports.values()].sort((a, b) => (a.protocol === b.protocol ? a.port - b.port : a.protocol < b.protocol ? -1 : 1));

  const ovnPods = pods.filter(isOvnPod);
  const key = (p: Pod): string => `${p.namespace}/${p.name}`;
  const flows: FlowQuery[] = [];
  for (const probe of probes) {
    for (const from of ovnPods) {
      for (const to of ovnPods) if (from !== to) flows.push({ from: key(from), to: key(to), ...probe });
    }
  }
  const podIps = new Set(ovnPods.flatMap((p) => p.ips));
  const outside = [...outsideAddresses([...cidrs], [...excepts])].filter((ip) => !podIps.has(ip));
  for (const ip of outside) {
    const family = ip.includes(':') ? 6 : 4;
    for (const pod of ovnPods) {
      if (!pod.ips.some((a) => a.includes(':') === (family === 6))) continue;
      for (const probe of probes) {
        flows.push({ from: ip, to: key(pod), ...probe });
        flows.push({ from: key(pod), to: ip, ...probe });
      }
    }
  }
  return flows;
}

/** An address inside each CIDR (not in an except), one inside each except, one just outside each CIDR. */
function outsideAddresses(cidrs: readonly string[], excepts: readonly string[]): Set<string> {
  const out = new Set<string>();
  const exceptCidrs = excepts.flatMap((e) => parseCidr(e) ?? []);
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (!cidr) continue;
    const bits = cidr.family === 4 ? 32 : 128;
    const size = 1n << BigInt(bits - cidr.prefix);
    for (let offset = 1n; offset < size && offset < 64n; offset++) {
      const ip = { family: cidr.family, value: cidr.network + offset };
      if (!exceptCidrs.some((e) => e.family === ip.family && cidrContainsIp(e, ip))) {
        out.add(formatIp(ip));
        break;
      }
    }
    const after = cidr.network + size;
    if (after < 1n << BigInt(bits)) out.add(formatIp({ family: cidr.family, value: after + (size > 1n ? 1n : 0n) }));
  }
  for (const e of exceptCidrs) {
    const size = 1n << BigInt((e.family === 4 ? 32 : 128) - e.prefix);
    out.add(formatIp({ family: e.family, value: e.network + (size > 2n ? 1n : 0n) }));
  }
  return out;
}
