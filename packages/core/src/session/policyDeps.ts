import type { Pod } from '../model/inventory.js';
import type { NetworkPolicy } from '../netpol/model.js';
import { selectorKey } from '../selection/index.js';
import { matchesLabels, type LabelSelector, type Labels } from '../selectors/labelSelector.js';

/**
 * Which NetworkPolicies a pod or namespace change can alter: a policy reads the pods its selectors
 * pick (its podSelector in its namespace, each peer's pods), so a pod matters to it only if the
 * pod's old or new version matches one of them. Selectors are held once per distinct
 * (namespace, selector) with the policies that use them, so an event tests the distinct
 * selectors of its namespace and the cross-namespace ones, not every policy.
 */
interface Dependency {
  readonly namespaceSelector: LabelSelector | null;
  readonly podSelector: LabelSelector;
  readonly holders: Set<string>;
}

const EVERYTHING: LabelSelector = {};

export class PolicyDependencies {
  /** namespace → selector key → dependency, for selections inside one namespace. */
  private readonly local = new Map<string, Map<string, Dependency>>();
  /** `nsSelector podSelector` → dependency, for peers with a namespaceSelector. */
  private readonly cross = new Map<string, Dependency>();
  /** Policies whose named-port egress reads every pod (an empty `to`, or an ipBlock). */
  private readonly everyPod = new Set<string>();
  private readonly registered = new Map<string, { readonly release: () => void }>();

  add(key: string, policy: NetworkPolicy): void {
    this.remove(key);
    const releases: (() => void)[] = [];
    const hold = (map: Map<string, Dependency>, depKey: string, namespaceSelector: LabelSelector | null, podSelector: LabelSelector) => {
      let dep = map.get(depKey);
      if (!dep) map.set(depKey, (dep = { namespaceSelector, podSelector, holders: new Set() }));
      dep.holders.add(key);
      const held = dep;
      releases.push(() => {
        held.holders.delete(key);
        if (held.holders.size === 0) map.delete(depKey);
      });
    };
    let local = this.local.get(policy.namespace);
    if (!local) this.local.set(policy.namespace, (local = new Map()));
    const localMap = local;
    const holdLocal = (selector: LabelSelector) => hold(localMap, selectorKey(selector), null, selector);
    holdLocal(policy.podSelector);
    let readsEveryPod = false;
    for (const rule of [...policy.ingress, ...policy.egress]) {
      const named = rule.ports.some((p) => typeof p.port === 'string');
      if (named && (rule.peers.length === 0 || rule.peers.some((p) => p.type === 'ipBlock'))) readsEveryPod = true;
      for (const peer of rule.peers) {
        if (peer.type !== 'selector') continue;
        const pods = peer.podSelector ?? EVERYTHING;
        if (peer.namespaceSelector === null) holdLocal(pods);
        else hold(this.cross, `${selectorKey(peer.namespaceSelector)} ${selectorKey(pods)}`, peer.namespaceSelector, pods);
      }
    }
    if (readsEveryPod) {
      this.everyPod.add(key);
      releases.push(() => this.everyPod.delete(key));
    }
    releases.push(() => {
      if (localMap.size === 0) this.local.delete(policy.namespace);
    });
    this.registered.set(key, { release: () => releases.forEach((r) => r()) });
  }

  remove(key: string): void {
    this.registered.get(key)?.release();
    this.registered.delete(key);
  }

  /** Policies that read `pod` (either version; null for a version that is no OVN pod). */
  readersOfPod(versions: readonly Pod[], namespaceLabels: Labels, into: Set<string>): void {
    if (versions.length === 0) return;
    for (const key of this.everyPod) into.add(key);
    const namespace = versions[0]!.namespace;
    const reads = (dep: Dependency) => versions.some((pod) => matchesLabels(dep.podSelector, pod.labels));
    for (const dep of this.local.get(namespace)?.values() ?? []) if (reads(dep)) addAll(into, dep.holders);
    for (const dep of this.cross.values()) {
      if (matchesLabels(dep.namespaceSelector!, namespaceLabels) && reads(dep)) addAll(into, dep.holders);
    }
  }

  /**
   * Policies whose peers a namespace's relabel can move: namespaceSelectors matching its old or
   * new labels (not both), where the namespace has pods their podSelector picks.
   */
  readersOfNamespace(before: Labels, after: Labels, hasPods: (podSelector: LabelSelector) => boolean, into: Set<string>): void {
    for (const dep of this.cross.values()) {
      const moved = matchesLabels(dep.namespaceSelector!, before) !== matchesLabels(dep.namespaceSelector!, after);
      if (moved && hasPods(dep.podSelector)) addAll(into, dep.holders);
    }
  }
}

function addAll(into: Set<string>, keys: Iterable<string>): void {
  for (const key of keys) into.add(key);
}
