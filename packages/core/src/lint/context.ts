import type { CompileWarning } from '../errors.js';
import { isOvnPod, type Pod, type Service } from '../model/inventory.js';
import type { Model } from '../model/model.js';
import { cidrContainsCidr, cidrContainsIp, formatCidr, parseCidr, parseIp, prefixMask, type Cidr } from '../net/ip.js';
import type { NetworkPolicy, NetworkPolicyPeer } from '../netpol/model.js';
import type { NbRows } from '../rows/index.js';
import { matchesLabels, type LabelSelector } from '../selectors/labelSelector.js';

export interface LintOptions {
  /**
   * The cluster's pod CIDRs. When not given they are inferred from the pods' addresses: the /16
   * (IPv4) or /64 (IPv6) around every pod IP, which covers Kube-OVN's default subnets
   * (10.16.0.0/16, fd00:10:16::/64) and most per-node pod ranges.
   */
  readonly podCidrs?: readonly string[];
  /** Kube-OVN's join subnet (node ↔ pod traffic, ovn0); default 100.64.0.0/16. */
  readonly joinCidrs?: readonly string[];
  /** The compiled rows, for checks that look at what OVN will run (NAT placement). */
  readonly rows?: NbRows;
  /** The warnings compile gave for these rows; each becomes a finding (rules/compileWarnings.ts). */
  readonly compileWarnings?: readonly CompileWarning[];
}

export const DEFAULT_JOIN_CIDRS = ['100.64.0.0/16'];

/** The model with the look-ups every check needs: selections, services, node addresses. */
export class LintContext {
  readonly podCidrs: readonly Cidr[];
  readonly podCidrsInferred: boolean;
  readonly joinCidrs: readonly Cidr[];
  readonly nodeAddresses: readonly { readonly node: string; readonly ip: string }[];
  private readonly ovnPods: readonly Pod[];
  private readonly namespaceNames: readonly string[];

  constructor(
    readonly model: Model,
    readonly options: LintOptions,
  ) {
    this.ovnPods = model.pods.filter(isOvnPod);
    this.namespaceNames = [...new Set([...model.namespaces.map((n) => n.name), ...model.pods.map((p) => p.namespace)])].sort();
    const given = options.podCidrs?.map((c) => parseCidr(c)).filter((c): c is Cidr => c !== null);
    this.podCidrsInferred = given === undefined;
    this.podCidrs = given ?? inferPodCidrs(this.ovnPods);
    this.joinCidrs = (options.joinCidrs ?? DEFAULT_JOIN_CIDRS).map((c) => parseCidr(c)).filter((c): c is Cidr => c !== null);
    this.nodeAddresses = model.nodes.flatMap((n) =>
      n.addresses.filter((a) => parseIp(a.address) !== null).map((a) => ({ node: n.name, ip: a.address })),
    );
  }

  namespaceLabels(name: string) {
    return this.model.namespaces.find((n) => n.name === name)?.labels ?? { 'kubernetes.io/metadata.name': name };
  }

  /** OVN pods a policy selects (its namespace, its podSelector). */
  selectedPods(policy: NetworkPolicy): Pod[] {
    return this.ovnPods.filter((p) => p.namespace === policy.namespace && matchesLabels(policy.podSelector, p.labels));
  }

  /** Namespaces a selector peer covers: null namespaceSelector = the policy's own. */
  peerNamespaces(policyNamespace: string, selector: LabelSelector | null): string[] {
    if (selector === null) return [policyNamespace];
    return this.namespaceNames.filter((ns) => matchesLabels(selector, this.namespaceLabels(ns)));
  }

  /** OVN pods a selector peer selects. */
  peerPods(policyNamespace: string, peer: Extract<NetworkPolicyPeer, { type: 'selector' }>): Pod[] {
    const namespaces = new Set(this.peerNamespaces(policyNamespace, peer.namespaceSelector));
    return this.ovnPods.filter((p) => namespaces.has(p.namespace) && (peer.podSelector === null || matchesLabels(peer.podSelector, p.labels)));
  }

  /** OVN pods in namespaces matching `namespaceSelector` with labels matching `podSelector`. */
  podsSelectedBy(namespaceSelector: LabelSelector, podSelector: LabelSelector): Pod[] {
    const namespaces = new Set(this.namespaceNames.filter((ns) => matchesLabels(namespaceSelector, this.namespaceLabels(ns))));
    return this.ovnPods.filter((p) => namespaces.has(p.namespace) && matchesLabels(podSelector, p.labels));
  }

  allPods(): readonly Pod[] {
    return this.ovnPods;
  }

  /** Services whose selector picks `pod` (same namespace, non-empty selector). */
  servicesOf(pod: Pod): Service[] {
    return this.model.services.filter(
      (s) =>
        s.namespace === pod.namespace &&
        s.selector !== null &&
        Object.keys(s.selector).length > 0 &&
        matchesLabels({ matchLabels: { ...s.selector } }, pod.labels),
    );
  }

  insidePodCidrs(cidr: Cidr): boolean {
    return this.podCidrs.some((p) => cidrContainsCidr(p, cidr));
  }
}

function inferPodCidrs(pods: readonly Pod[]): Cidr[] {
  const out = new Map<string, Cidr>();
  for (const pod of pods) {
    for (const text of pod.ips) {
      const ip = parseIp(text)!;
      const prefix = ip.family === 4 ? 16 : 64;
      const cidr: Cidr = { family: ip.family, network: ip.value & prefixMask(ip.family, prefix), prefix, hadHostBits: false };
      out.set(formatCidr(cidr), cidr);
    }
  }
  return [...out.values()];
}

/** Does an ipBlock (cidr minus except) contain this address? */
export function ipBlockContains(block: { cidr: string; except: readonly string[] }, ipText: string): boolean {
  const ip = parseIp(ipText);
  const cidr = parseCidr(block.cidr);
  if (!ip || !cidr || !cidrContainsIp(cidr, ip)) return false;
  return !block.except.some((e) => {
    const ex = parseCidr(e);
    return ex !== null && cidrContainsIp(ex, ip);
  });
}

export const policyName = (p: NetworkPolicy): string => `NetworkPolicy ${p.namespace}/${p.name}`;
