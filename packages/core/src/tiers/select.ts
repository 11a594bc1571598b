import type { CompileWarning } from '../errors.js';
import { canonicalIp, formatCidr, parseCidr, type IpFamily } from '../net/ip.js';
import { matchesLabels } from '../selectors/labelSelector.js';
import { tieredPolicyKey, type PodSelection, type TieredPolicy, type TieredPort, type TieredRule } from './tieredPolicy.js';
import type { Node, Pod } from '../model/inventory.js';
import { resolveNamedPorts, type NamedPortResolution, type SelectionIndex } from '../selection/index.js';

/**
 * What selectors select in the given inventory: subject pods, peer addresses, named ports.
 * Host-network pods are never selected, as subject or as peer (the API excludes them), and a pod
 * without an address has no logical port to match yet.
 */

/**
 * The shared SelectionIndex with what the tiered compile adds: the nodes (`nodes` peers) and a
 * memo of named-port resolutions (rules of a policy share their pod lists and port names).
 */
export class TierSelections {
  private readonly resolutions = new WeakMap<readonly Pod[], Map<string, NamedPortResolution[]>>();

  constructor(
    readonly index: SelectionIndex,
    readonly nodes: readonly Node[],
  ) {}

  /** `resolveNamedPorts` of the rule's port names on `pods`, memoized. */
  namedPorts(ports: readonly TieredPort[], pods: readonly Pod[]): NamedPortResolution[] {
    const names = [...new Set(ports.flatMap((p) => (p.type === 'named' ? [p.name] : [])))].sort();
    if (names.length === 0) return [];
    let byNames = this.resolutions.get(pods);
    if (byNames === undefined) this.resolutions.set(pods, (byNames = new Map()));
    const key = JSON.stringify(names);
    let hit = byNames.get(key);
    if (hit === undefined) byNames.set(key, (hit = resolveNamedPorts(new Set(names), pods)));
    return hit;
  }

  /** OVN pods a subject or `pods`/`namespaces` peer selects, by namespace then name. */
  podsSelectedBy(selection: PodSelection): readonly Pod[] {
    return this.index.podsSelectedBy(selection.namespaceSelector, selection.podSelector);
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
export function peerPodsOf(rule: TieredRule, index: TierSelections): readonly Pod[] {
  const podPeers = rule.peers.filter((p) => p.type === 'pods');
  if (podPeers.length === 1) return index.podsSelectedBy(podPeers[0]!);
  const seen = new Set<Pod>();
  for (const peer of podPeers) for (const pod of index.podsSelectedBy(peer)) seen.add(pod);
  return index.index.allPods().filter((p) => seen.has(p));
}

/**
 * Every address a rule's peers stand for. `networks` CIDRs written with host bits are
 * normalized (OVN rejects `10.0.0.1/24` in a match) with a warning; `domainNames` cannot be
 * matched by an ACL and contribute nothing, with a warning.
 */
export function peerAddressesOf(
  policy: TieredPolicy,
  rule: TieredRule,
  index: TierSelections,
  warnings: CompileWarning[],
): string[] {
  const out: string[] = [];
  for (const [i, peer] of rule.peers.entries()) {
    const path = `${rule.path}.${rule.path.startsWith('spec.ingress') ? 'from' : 'to'}[${i}]`;
    switch (peer.type) {
      case 'pods':
        for (const pod of index.podsSelectedBy(peer)) out.push(...pod.ips);
        break;
      case 'nodes':
        for (const node of index.nodes) {
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
