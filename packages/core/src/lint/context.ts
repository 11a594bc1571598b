import type { CompileWarning } from '../errors.js';
import type { Model } from '../model/model.js';
import { cidrContainsCidr, cidrContainsIp, formatCidr, parseCidr, parseIp, prefixMask, type Cidr } from '../net/ip.js';
import type { NetworkPolicy, NetworkPolicyPeer } from '../netpol/networkPolicy.js';
import type { NbRows } from '../rows/index.js';
import type { Pod, Service } from '../model/inventory.js';
import { SelectionIndex } from '../selection/index.js';
import type { LabelSelector } from '../selectors/labelSelector.js';

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
  /** Logical switch port of a pod, as compiled (default Kube-OVN's `<pod>.<namespace>`). */
  readonly portNameFor?: (pod: Pod) => string;
}

export const DEFAULT_JOIN_CIDRS = ['100.64.0.0/16'];

/** The model with the look-ups every check needs: selections, services, node addresses. */
export class LintContext {
  readonly podCidrs: readonly Cidr[];
  readonly podCidrsInferred: boolean;
  readonly joinCidrs: readonly Cidr[];
  readonly nodeAddresses: readonly { readonly node: string; readonly ip: string }[];
  readonly selection: SelectionIndex;

  constructor(
    readonly model: Model,
    readonly options: LintOptions,
  ) {
    this.selection = new SelectionIndex(model);
    const given = options.podCidrs?.map((c) => parseCidr(c)).filter((c): c is Cidr => c !== null);
    this.podCidrsInferred = given === undefined;
    this.podCidrs = given ?? inferPodCidrs(this.selection.allPods());
    this.joinCidrs = (options.joinCidrs ?? DEFAULT_JOIN_CIDRS).map((c) => parseCidr(c)).filter((c): c is Cidr => c !== null);
    this.nodeAddresses = model.nodes.flatMap((n) =>
      n.addresses.filter((a) => parseIp(a.address) !== null).map((a) => ({ node: n.name, ip: a.address })),
    );
  }

  /** OVN pods a policy selects (its namespace, its podSelector). */
  selectedPods(policy: NetworkPolicy): readonly Pod[] {
    return this.selection.podsMatching(policy.namespace, policy.podSelector);
  }

  /** Namespaces a selector peer covers: null namespaceSelector = the policy's own. */
  peerNamespaces(policyNamespace: string, selector: LabelSelector | null): readonly string[] {
    return selector === null ? [policyNamespace] : this.selection.namespacesMatching(selector);
  }

  /** OVN pods a selector peer selects (a null podSelector selects every pod). */
  peerPods(policyNamespace: string, peer: Extract<NetworkPolicyPeer, { type: 'selector' }>): readonly Pod[] {
    const pods = peer.podSelector ?? {};
    return peer.namespaceSelector === null
      ? this.selection.podsMatching(policyNamespace, pods)
      : this.selection.podsSelectedBy(peer.namespaceSelector, pods);
  }

  allPods(): readonly Pod[] {
    return this.selection.allPods();
  }

  /** Services whose selector picks `pod` (same namespace, non-empty selector). */
  servicesOf(pod: Pod): Service[] {
    return this.selection.servicesOf(pod);
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
