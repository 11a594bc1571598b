import type { L4Protocol } from '../model/inventory.js';
import type { Model } from '../model/model.js';
import { formatIp, parseCidr, parseIp, type Cidr } from '../net/ip.js';
import type { LabelSelector } from '../selectors/labelSelector.js';

/** A destination port and protocol a policy names (or the one standing for "any other port"). */
export interface PortProbe {
  readonly protocol: L4Protocol;
  readonly port: number;
  /** True for the port no policy names. */
  readonly other: boolean;
}

/** Which flows impact judges, the same for both versions so their verdicts can be compared. */
export interface FlowSpace {
  readonly ports: readonly PortProbe[];
  /** Every ipBlock / networks CIDR and except of either version (pods are classed by them too). */
  readonly cidrs: readonly Cidr[];
  /** Addresses outside the cluster: one inside and one outside each CIDR. */
  readonly outside: readonly string[];
  /**
   * Label keys some selector of either version reads (policies, their peers, Services): labels
   * with other keys cannot make two pods differ to any rule.
   */
  readonly labelKeys: ReadonlySet<string>;
}

function addSelectorKeys(keys: Set<string>, selector: LabelSelector | null | undefined): void {
  if (!selector) return;
  for (const k of Object.keys(selector.matchLabels ?? {})) keys.add(k);
  for (const e of selector.matchExpressions ?? []) keys.add(e.key);
}

/**
 * The flow set of the issue: every port/protocol a policy of either version names (named ports
 * resolved to every number a pod gives that name; a range by both ends), plus one port no policy
 * names for each protocol seen (TCP always), standing for "any other port"; every CIDR and its
 * excepts with an address inside and one just outside.
 */
export function flowSpace(models: readonly Model[]): FlowSpace {
  const ports = new Map<string, PortProbe>();
  const protocols = new Set<L4Protocol>(['TCP']);
  const ranges: [number, number][] = [];
  const cidrTexts = new Set<string>();
  const labelKeys = new Set<string>();
  const add = (protocol: L4Protocol, port: number): void => {
    protocols.add(protocol);
    ports.set(`${protocol}/${port}`, { protocol, port, other: false });
    ranges.push([port, port]);
  };
  for (const model of models) {
    // Every container port by name, once: policies name the same few ports hundreds of times.
    const byName = new Map<string, { protocol: L4Protocol; port: number }[]>();
    for (const pod of model.pods) {
      for (const c of pod.containerPorts) {
        if (c.name === null) continue;
        const list = byName.get(c.name);
        if (list) list.push(c);
        else byName.set(c.name, [c]);
      }
    }
    const namedDone = new Set<string>();
    const named = (name: string, protocol: L4Protocol | null): void => {
      const key = `${name}/${protocol}`;
      if (namedDone.has(key)) return;
      namedDone.add(key);
      for (const c of byName.get(name) ?? []) if (protocol === null || c.protocol === protocol) add(c.protocol, c.port);
    };
    for (const service of model.services) for (const k of Object.keys(service.selector ?? {})) labelKeys.add(k);
    for (const policy of model.networkPolicies) {
      addSelectorKeys(labelKeys, policy.podSelector);
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const peer of rule.peers) {
          if (peer.type === 'selector') {
            addSelectorKeys(labelKeys, peer.namespaceSelector);
            addSelectorKeys(labelKeys, peer.podSelector);
          }
        }
        for (const p of rule.ports) {
          protocols.add(p.protocol);
          if (typeof p.port === 'number') {
            add(p.protocol, p.port);
            if (p.endPort !== null) {
              add(p.protocol, p.endPort);
              ranges.push([p.port, p.endPort]);
            }
          } else if (typeof p.port === 'string') {
            named(p.port, p.protocol);
          }
        }
        for (const peer of rule.peers) if (peer.type === 'ipBlock') for (const c of [peer.cidr, ...peer.except]) cidrTexts.add(c);
      }
    }
    for (const policy of model.clusterPolicies) {
      addSelectorKeys(labelKeys, policy.subject.namespaceSelector);
      addSelectorKeys(labelKeys, policy.subject.podSelector);
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const peer of rule.peers) {
          if (peer.type === 'pods') {
            addSelectorKeys(labelKeys, peer.namespaceSelector);
            addSelectorKeys(labelKeys, peer.podSelector);
          }
        }
        for (const p of rule.ports) {
          if (p.type === 'range') {
            add(p.protocol, p.start);
            add(p.protocol, p.end);
            ranges.push([p.start, p.end]);
          } else if (p.type === 'protocol') {
            protocols.add(p.protocol);
          } else {
            named(p.name, null);
          }
        }
        for (const peer of rule.peers) if (peer.type === 'networks') for (const c of peer.cidrs) cidrTexts.add(c);
      }
    }
  }
  const other = otherPort(ranges);
  for (const protocol of protocols) ports.set(`${protocol}/${other}`, { protocol, port: other, other: true });
  const cidrs = [...cidrTexts].sort().flatMap((t) => {
    const c = parseCidr(t);
    return c ? [c] : [];
  });
  const outside = new Set<string>();
  for (const c of cidrs) for (const a of insideAndOutside(c)) outside.add(a);
  const order = (a: PortProbe, b: PortProbe): number => (a.protocol === b.protocol ? a.port - b.port : a.protocol < b.protocol ? -1 : 1);
  return { ports: [...ports.values()].sort(order), cidrs, outside: [...outside].sort(compareAddresses), labelKeys };
}

/** The highest port below 65000 that no policy names or covers by a range. */
function otherPort(ranges: readonly [number, number][]): number {
  for (let port = 65000; port > 0; port--) if (!ranges.some(([a, b]) => port >= a && port <= b)) return port;
  return 65535;
}

/** An address inside the CIDR (its first host) and the one just before it (after it, at 0): for an except, that one is still inside its ipBlock. */
function insideAndOutside(c: Cidr): string[] {
  const bits = c.family === 4 ? 32 : 128;
  const size = 1n << BigInt(bits - c.prefix);
  const inside = size > 2n ? c.network + 1n : c.network;
  const last = c.network + size - 1n;
  const out: bigint[] = [inside];
  if (c.prefix > 0) out.push(c.network > 0n ? c.network - 1n : last + 1n);
  return out.map((value) => formatIp({ family: c.family, value }));
}

function compareAddresses(a: string, b: string): number {
  const x = parseIp(a)!;
  const y = parseIp(b)!;
  if (x.family !== y.family) return x.family - y.family;
  return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
}
