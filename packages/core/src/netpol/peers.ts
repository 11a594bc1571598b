import type { L4Protocol, Pod } from '../model/inventory.js';
import { cidrContainsIp, parseCidr, parseIp, type Cidr } from '../net/ip.js';
import type { LabelSelector } from '../selectors/labelSelector.js';
import type { NetworkPolicyPeer } from './networkPolicy.js';
import { groupByNamedPort, selectorKey, type SelectionIndex } from '../selection/index.js';

/** The pods one peer stands for, with a canonical identity that equal peers share. */
export interface PeerPods {
  /** `ns=prod pods={app=web}` or `namespaces={team=a} pods={}`: equal for equal peers. */
  readonly key: string;
  /** The only namespace the peer can reach into (a peer without namespaceSelector), else null. */
  readonly scope: string | null;
  readonly pods: readonly Pod[];
}

/** An ipBlock peer: canonical CIDRs. */
export interface IpBlock {
  readonly cidr: string;
  readonly except: readonly string[];
}

export const ipBlockKey = (block: IpBlock): string =>
  block.except.length === 0 ? `block ${block.cidr}` : `block ${block.cidr} except ${block.except.join(',')}`;

const EVERYTHING: LabelSelector = {};

/**
 * A peer whose pods are listed on first read: a CompileSession recompiling one policy reuses
 * the current rows of its plain peer sets, and listing the pods of a cross-namespace peer
 * (thousands) only to drop them was most of a pod event's cost.
 */
function lazyPeer(key: string, scope: string | null, list: () => readonly Pod[]): PeerPods {
  let pods: readonly Pod[] | null = null;
  return {
    key,
    scope,
    get pods() {
      pods ??= list();
      return pods;
    },
  };
}

type SelectorPeer = Extract<NetworkPolicyPeer, { type: 'selector' }>;

/** Resolves peers to pods once per distinct peer for the whole compile. */
export class PeerResolver {
  private readonly peers = new Map<string, PeerPods>();
  private readonly namedGroups = new Map<string, ReadonlyMap<number, readonly Pod[]>>();
  private podsByPortName: Map<string, Pod[]> | null = null;
  /** A model peer belongs to one policy, so its object identity fixes its namespace too. */
  private readonly byPeerObject = new WeakMap<SelectorPeer, PeerPods>();

  constructor(private readonly index: SelectionIndex) {}

  /** The pods of a selector peer of a policy in `policyNamespace` (cached per peer object). */
  peerOf(policyNamespace: string, peer: SelectorPeer): PeerPods {
    let pods = this.byPeerObject.get(peer);
    if (!pods) {
      pods = this.selectorPeer(policyNamespace, peer.namespaceSelector, peer.podSelector);
      this.byPeerObject.set(peer, pods);
    }
    return pods;
  }

  /**
   * podSelector/namespaceSelector peer of a policy in `policyNamespace`. A missing
   * namespaceSelector means the policy's namespace; a missing podSelector means every pod.
   */
  selectorPeer(policyNamespace: string, namespaceSelector: LabelSelector | null, podSelector: LabelSelector | null): PeerPods {
    const pods = podSelector ?? EVERYTHING;
    const key =
      namespaceSelector === null
        ? `ns=${policyNamespace} pods=${selectorKey(pods)}`
        : `namespaces=${selectorKey(namespaceSelector)} pods=${selectorKey(pods)}`;
    let peer = this.peers.get(key);
    if (!peer) {
      peer = lazyPeer(key, namespaceSelector === null ? policyNamespace : null, () =>
        namespaceSelector === null ? this.index.podsMatching(policyNamespace, pods) : this.index.podsSelectedBy(namespaceSelector, pods),
      );
      this.peers.set(key, peer);
    }
    return peer;
  }

  /** Every pod of the cluster: the pod side of an empty `to`. */
  allPods(): PeerPods {
    return this.selectorPeer('', EVERYTHING, EVERYTHING);
  }

  /** A peer's pods grouped by the number they give a named port. */
  namedPortGroups(peer: PeerPods, name: string, protocol: L4Protocol): ReadonlyMap<number, readonly Pod[]> {
    const key = `${peer.key} port=${protocol}/${name}`;
    let groups = this.namedGroups.get(key);
    if (!groups) {
      groups = groupByNamedPort(peer.pods, name, protocol);
      this.namedGroups.set(key, groups);
    }
    return groups;
  }

  /**
   * Pods with an address inside an ipBlock that define the named port: the only destinations a
   * named port can be resolved for (an address outside the cluster has no pod to name a port).
   */
  blockPeer(block: IpBlock, name: string, protocol: L4Protocol): PeerPods {
    const key = ipBlockKey(block);
    let peer = this.peers.get(`${key} port=${protocol}/${name}`);
    if (!peer) {
      const inBlock = ipMatcher(block);
      const pods = (this.podsDefiningPortName().get(name) ?? []).filter((pod) => pod.ips.some(inBlock));
      peer = { key, scope: null, pods };
      this.peers.set(`${key} port=${protocol}/${name}`, peer);
    }
    return peer;
  }

  private podsDefiningPortName(): Map<string, Pod[]> {
    if (!this.podsByPortName) {
      this.podsByPortName = new Map();
      for (const pod of this.index.allPods()) {
        for (const name of new Set(pod.containerPorts.map((p) => p.name))) {
          if (name === null) continue;
          let list = this.podsByPortName.get(name);
          if (!list) this.podsByPortName.set(name, (list = []));
          list.push(pod);
        }
      }
    }
    return this.podsByPortName;
  }
}

/** A predicate: is this (canonical) IP inside the block and outside its excepts? */
export function ipMatcher(block: IpBlock): (ip: string) => boolean {
  const cidr = parseCidr(block.cidr) as Cidr;
  const except = block.except.map((e) => parseCidr(e) as Cidr);
  return (text) => {
    const ip = parseIp(text);
    return ip !== null && cidrContainsIp(cidr, ip) && !except.some((e) => cidrContainsIp(e, ip));
  };
}
