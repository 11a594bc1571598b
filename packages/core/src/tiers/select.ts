import type { CompileWarning } from '../errors.js';
import { isOvnPod, namespaceLabels, type Inventory, type L4Protocol, type Pod } from '../model/inventory.js';
import { canonicalIp, formatCidr, parseCidr, type IpFamily } from '../net/ip.js';
import { matchesLabels, type Labels } from '../selectors/labelSelector.js';
import { tieredPolicyKey, type PodSelection, type TieredPolicy, type TieredPort, type TieredRule } from './model.js';

/**
 * What selectors select in the given inventory: subject pods, peer addresses, named ports.
 * Host-network pods are never selected, as subject or as peer (the API excludes them), and a pod
 * without an address has no logical port to match yet.
 */

/**
 * Selections over one inventory, memoized: rules of many policies repeat the same selectors, and
 * each selection scans every pod. Namespace labels are looked up through a map, not a scan.
 */
export class SelectionIndex {
  private readonly namespaceLabels = new Map<string, Labels>();
  private readonly ovnPods: readonly Pod[];
  private readonly podsBySelection = new Map<string, readonly Pod[]>();

  constructor(readonly inventory: Inventory) {
    for (const ns of inventory.namespaces) this.namespaceLabels.set(ns.name, ns.labels);
    this.ovnPods = inventory.pods.filter(isOvnPod);
  }

  private labelsOfNamespace(name: string): Labels {
    return this.namespaceLabels.get(name) ?? namespaceLabels(this.inventory, name);
  }

  private readonly resolutions = new WeakMap<readonly Pod[], Map<string, NamedPortResolution[]>>();

  /** `resolveNamedPorts`, memoized per pod list and set of names (rules of a policy share them). */
  namedPorts(ports: readonly TieredPort[], pods: readonly Pod[]): NamedPortResolution[] {
    const names = [...new Set(ports.flatMap((p) => (p.type === 'named' ? [p.name] : [])))].sort();
    if (names.length === 0) return [];
    let byNames = this.resolutions.get(pods);
    if (byNames === undefined) this.resolutions.set(pods, (byNames = new Map()));
    const key = JSON.stringify(names);
    let hit = byNames.get(key);
    if (hit === undefined) byNames.set(key, (hit = resolveNamedPorts(ports, pods)));
    return hit;
  }

  /** OVN pods (not host-network, with an address) in inventory order. */
  podsSelectedBy(selection: PodSelection): readonly Pod[] {
    const key = JSON.stringify([selection.namespaceSelector, selection.podSelector]);
    let pods = this.podsBySelection.get(key);
    if (pods === undefined) {
      const namespaces = new Map<string, boolean>();
      const inNamespace = (ns: string): boolean => {
        let hit = namespaces.get(ns);
        if (hit === undefined) namespaces.set(ns, (hit = matchesLabels(selection.namespaceSelector, this.labelsOfNamespace(ns))));
        return hit;
      };
      pods = this.ovnPods.filter((pod) => inNamespace(pod.namespace) && matchesLabels(selection.podSelector, pod.labels));
      this.podsBySelection.set(key, pods);
    }
    return pods;
  }
}

/** Addresses of one family: pod and node IPs bare, networks as canonical CIDRs. */
export type AddressesByFamily = Readonly<Record<IpFamily, readonly string[]>>;

/** Splits validated, canonical addresses and CIDRs by family (IPv6 text, and only it, has `:`). */
export function addressesOf(texts: readonly string[]): AddressesByFamily {
  const out: Record<IpFamily, string[]> = { 4: [], 6: [] };
  for (const text of texts) out[text.includes(':') ? 6 : 4].push(text);
  return out;
}

/** Pods a rule's `pods`/`namespaces` peers select (the only peers that have named ports). */
export function peerPodsOf(rule: TieredRule, index: SelectionIndex): readonly Pod[] {
  const podPeers = rule.peers.filter((p) => p.type === 'pods');
  if (podPeers.length === 1) return index.podsSelectedBy(podPeers[0]!);
  const seen = new Set<Pod>();
  for (const peer of podPeers) for (const pod of index.podsSelectedBy(peer)) seen.add(pod);
  return index.inventory.pods.filter((p) => seen.has(p));
}

/**
 * Every address a rule's peers stand for. `networks` CIDRs written with host bits are
 * normalized (OVN rejects `10.0.0.1/24` in a match) with a warning; `domainNames` cannot be
 * matched by an ACL and contribute nothing, with a warning.
 */
export function peerAddressesOf(
  policy: TieredPolicy,
  rule: TieredRule,
  index: SelectionIndex,
  warnings: CompileWarning[],
): string[] {
  const { inventory } = index;
  const out: string[] = [];
  for (const [i, peer] of rule.peers.entries()) {
    const path = `${rule.path}.${rule.path.startsWith('spec.ingress') ? 'from' : 'to'}[${i}]`;
    switch (peer.type) {
      case 'pods':
        for (const pod of index.podsSelectedBy(peer)) out.push(...pod.ips);
        break;
      case 'nodes':
        for (const node of inventory.nodes) {
          if (!matchesLabels(peer.selector, node.labels)) continue;
          // status.addresses also holds Hostname/InternalDNS entries: keep only IPs.
          for (const a of node.addresses) {
            const ip = canonicalIp(a.address);
            if (ip !== null) out.push(ip);
          }
        }
        break;
      case 'networks':
        for (const [j, text] of peer.cidrs.entries()) {
          const cidr = parseCidr(text)!;
          const canonical = formatCidr(cidr);
          if (cidr.hadHostBits) {
            warnings.push({
              code: 'TIER_CIDR_HOST_BITS',
              source: policy.source,
              path: `${path}.networks[${j}]`,
              message: `${text} has host bits set; matching ${canonical}`,
            });
          }
          out.push(canonical);
        }
        break;
      case 'domainNames':
        warnings.push({
          code: 'TIER_DOMAIN_NAMES_UNSUPPORTED',
          source: policy.source,
          path: `${path}.domainNames`,
          message: `${tieredPolicyKey(policy)}: OVN ACLs cannot match DNS names; this peer matches nothing (${rule.action} rule)`,
        });
        break;
    }
  }
  return out;
}

/** A named port resolved on some pods to one protocol and port number. */
export interface NamedPortResolution {
  readonly protocol: L4Protocol;
  readonly port: number;
  readonly pods: readonly Pod[];
}

/**
 * Groups `pods` by what the rule's named ports mean on each of them: a container port name
 * resolves per pod (NetworkPolicy and CNP alike), to that container port's number and protocol.
 * Sorted by protocol then port, so names derived from the groups are stable.
 */
export function resolveNamedPorts(ports: readonly TieredPort[], pods: readonly Pod[]): NamedPortResolution[] {
  const names = new Set(ports.flatMap((p) => (p.type === 'named' ? [p.name] : [])));
  if (names.size === 0) return [];
  const groups = new Map<string, { protocol: L4Protocol; port: number; pods: Pod[] }>();
  for (const pod of pods) {
    for (const cp of pod.containerPorts) {
      if (cp.name === null || !names.has(cp.name)) continue;
      const key = `${cp.protocol}/${String(cp.port).padStart(5, '0')}`;
      const group = groups.get(key) ?? { protocol: cp.protocol, port: cp.port, pods: [] };
      // Pods come in order, so a pod already added is the group's last one.
      if (group.pods[group.pods.length - 1] !== pod) group.pods.push(pod);
      groups.set(key, group);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}
