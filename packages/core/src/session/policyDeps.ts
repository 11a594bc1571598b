import type { L4Protocol, Pod } from '../model/inventory.js';
import type { NetworkPolicy } from '../netpol/networkPolicy.js';
import { namedPortNumber, selectorKey } from '../selection/index.js';
import { matchesLabels, type LabelSelector, type Labels } from '../selectors/labelSelector.js';
import { LabelIndex } from './labelIndex.js';

/**
 * Which NetworkPolicies a pod or namespace change can alter, and how. A policy reads the pods its
 * selectors pick: its podSelector in its namespace (its port group and ACL targets), and each
 * peer's pods (a shared address set; for an egress named port, also which numbers its ACLs
 * allow). A pod matters to a policy only if its old or new version matches one of them.
 * Selectors are held once per distinct (namespace, selector) with the policies that use them, so
 * an event tests the distinct selectors of its namespace and the cross-namespace ones.
 *
 * A peer used only as an address set (`plain`) needs no recompile of its policies when its pods
 * change: the set's row is rebuilt, unless it becomes empty or stops being empty (the ACLs that
 * reference it come or go). Subject and named-port uses recompile the policy.
 */
export interface Dependency {
  /** null: a selection inside `namespace`. */
  readonly namespaceSelector: LabelSelector | null;
  readonly namespace: string | null;
  readonly podSelector: LabelSelector;
  /** The shared-set identity of the peer: `ns=N pods={...}` or `namespaces={...} pods={...}`. */
  readonly peerKey: string;
  /** Policy keys by how they use the selection (a policy may use it in several ways). */
  readonly holders: Readonly<Record<Usage, Set<string>>>;
  /** Policy key → the named ports of its egress rules that have this peer (`named` holders). */
  readonly namedPorts: Map<string, NamedPort[]>;
}

export interface NamedPort {
  readonly name: string;
  readonly protocol: L4Protocol;
}

/**
 * `members`: the policy's podSelector, read only for its port group's ports (its ACLs name the
 * group, not the pods); `subject`: also for ingress named ports, which resolve per selected pod
 * (the session patches the group while they resolve alike on every selected pod, namedIngress.ts,
 * and recompiles the policy otherwise).
 */
export type Usage = 'members' | 'subject' | 'plain' | 'named';

/**
 * What events ask for: policies to recompile, and peer selections whose sets change: at the
 * addresses of the pods that changed (patched in place), or wholly (`rebuild`, a namespace
 * entering or leaving the selection).
 */
export interface Readers {
  readonly recompile: Set<string>;
  readonly sets: Map<Dependency, Set<string> | 'rebuild'>;
  /**
   * Peers of egress named ports whose per-number sets (`nppeer.H<hash>.Tcp8080.Ip4`) change at
   * these addresses, for these numbers of each named port (`protocol/name`): patched in place
   * while no set of them appears or goes empty, which would change the holders' ACLs.
   */
  readonly namedSets: Map<Dependency, NamedSetChange>;
  /**
   * Policies whose port group gains or loses these pods (`namespace/name`), and nothing else
   * unless their named ingress ports resolve differently with them (the session checks).
   */
  readonly members: Map<string, Set<string>>;
}

export interface NamedSetChange {
  readonly ips: Set<string>;
  /** `protocol/name` → the port and the numbers the changed pods give it. */
  readonly ports: Map<string, { readonly port: NamedPort; readonly numbers: Set<number> }>;
}

const EVERYTHING: LabelSelector = {};
const noHolders = (): Record<Usage, Set<string>> => ({ members: new Set(), subject: new Set(), plain: new Set(), named: new Set() });
const isHeld = (dep: Dependency): boolean => Object.values(dep.holders).some((keys) => keys.size > 0);

export class PolicyDependencies {
  /** namespace → selector key → dependency, for selections inside one namespace. */
  private readonly local = new Map<string, Map<string, Dependency>>();
  /** The same dependencies, by a label their selector requires: what a pod event tests. */
  private readonly localByLabel = new Map<string, LabelIndex<Dependency>>();
  /** `nsSelector podSelector` → dependency, for peers with a namespaceSelector. */
  private readonly cross = new Map<string, Dependency>();
  /** Policies whose named-port egress reads every pod (an empty `to`, or an ipBlock). */
  private readonly everyPod = new Set<string>();
  private readonly registered = new Map<string, { readonly release: () => void }>();

  add(key: string, policy: NetworkPolicy): void {
    this.remove(key);
    const releases: (() => void)[] = [];
    const hold = (
      map: Map<string, Dependency>,
      depKey: string,
      make: () => Dependency,
      usage: Usage,
      namedPorts: readonly NamedPort[] = [],
      ports = 0,
      index?: LabelIndex<Dependency>,
    ) => {
      let dep = map.get(depKey);
      if (!dep) {
        map.set(depKey, (dep = make()));
        index?.add(dep);
      }
      dep.holders[usage].add(key);
      if (usage === 'named') {
        // The rule's numeric ports, if any, allow the peer's plain set.
        if (namedPorts.length < ports) dep.holders.plain.add(key);
        dep.namedPorts.set(key, [...(dep.namedPorts.get(key) ?? []), ...namedPorts]);
      }
      const held = dep;
      releases.push(() => {
        for (const keys of Object.values(held.holders)) keys.delete(key);
        held.namedPorts.delete(key);
        if (!isHeld(held) && map.get(depKey) === held) {
          map.delete(depKey);
          index?.delete(held);
        }
      });
    };
    const ns = policy.namespace;
    let local = this.local.get(ns);
    if (!local) this.local.set(ns, (local = new Map()));
    const localMap = local;
    let byLabel = this.localByLabel.get(ns);
    if (!byLabel) this.localByLabel.set(ns, (byLabel = new LabelIndex()));
    const localIndex = byLabel;
    const holdLocal = (selector: LabelSelector, usage: Usage, namedPorts: readonly NamedPort[] = [], ports = 0) => {
      const podKey = selectorKey(selector);
      const make = (): Dependency => ({ namespaceSelector: null, namespace: ns, podSelector: selector, peerKey: `ns=${ns} pods=${podKey}`, holders: noHolders(), namedPorts: new Map() });
      hold(localMap, podKey, make, usage, namedPorts, ports, localIndex);
    };
    const namedIngress = policy.ingress.some((rule) => rule.ports.some((p) => typeof p.port === 'string'));
    holdLocal(policy.podSelector, namedIngress ? 'subject' : 'members');
    let readsEveryPod = false;
    for (const [direction, rules] of [['ingress', policy.ingress], ['egress', policy.egress]] as const) {
      for (const rule of rules) {
        const namedPorts = rule.ports.flatMap((p) => (typeof p.port === 'string' ? [{ name: p.port, protocol: p.protocol }] : []));
        const named = namedPorts.length > 0;
        if (named && (rule.peers.length === 0 || rule.peers.some((p) => p.type === 'ipBlock'))) readsEveryPod = true;
        // An egress rule with a named port also has a plain set for its numeric ports.
        const usage: Usage = named && direction === 'egress' ? 'named' : 'plain';
        for (const peer of rule.peers) {
          if (peer.type !== 'selector') continue;
          const pods = peer.podSelector ?? EVERYTHING;
          if (peer.namespaceSelector === null) {
            holdLocal(pods, usage, namedPorts, rule.ports.length);
            continue;
          }
          const namespaceSelector = peer.namespaceSelector;
          const peerKey = `namespaces=${selectorKey(namespaceSelector)} pods=${selectorKey(pods)}`;
          const make = (): Dependency => ({ namespaceSelector, namespace: null, podSelector: pods, peerKey, holders: noHolders(), namedPorts: new Map() });
          hold(this.cross, peerKey, make, usage, namedPorts, rule.ports.length);
        }
      }
    }
    if (readsEveryPod) {
      this.everyPod.add(key);
      releases.push(() => this.everyPod.delete(key));
    }
    releases.push(() => {
      if (localMap.size === 0 && this.local.get(ns) === localMap) {
        this.local.delete(ns);
        this.localByLabel.delete(ns);
      }
    });
    this.registered.set(key, { release: () => releases.forEach((r) => r()) });
  }

  remove(key: string): void {
    this.registered.get(key)?.release();
    this.registered.delete(key);
  }

  /** Readers of `versions` of one pod (its OVN versions: old, new, or both). */
  readersOfPod(versions: readonly Pod[], namespaceLabels: Labels, into: Readers): void {
    if (versions.length === 0) return;
    for (const key of this.everyPod) into.recompile.add(key);
    const namespace = versions[0]!.namespace;
    const reads = (dep: Dependency) => versions.some((pod) => matchesLabels(dep.podSelector, pod.labels));
    const ips = versions.flatMap((pod) => pod.ips);
    const podKey = `${namespace}/${versions[0]!.name}`;
    const candidates = this.localByLabel.get(namespace)?.candidates(versions.map((pod) => pod.labels)) ?? [];
    for (const dep of candidates) {
      if (!reads(dep)) continue;
      addReaders(dep, into, ips, versions);
      for (const keys of [dep.holders.members, dep.holders.subject]) {
        for (const key of keys) {
          let pods = into.members.get(key);
          if (!pods) into.members.set(key, (pods = new Set()));
          pods.add(podKey);
        }
      }
    }
    for (const dep of this.cross.values()) {
      if (matchesLabels(dep.namespaceSelector!, namespaceLabels) && reads(dep)) addReaders(dep, into, ips, versions);
    }
  }

  /**
   * Readers of a namespace's relabel: namespaceSelectors it enters or leaves, where the namespace
   * has pods their podSelector picks.
   */
  readersOfNamespace(before: Labels, after: Labels, hasPods: (podSelector: LabelSelector) => boolean, into: Readers): void {
    for (const dep of this.cross.values()) {
      const moved = matchesLabels(dep.namespaceSelector!, before) !== matchesLabels(dep.namespaceSelector!, after);
      if (moved && hasPods(dep.podSelector)) addReaders(dep, into, 'rebuild');
    }
  }
}

/** `versions`: the pod versions of a pod event (the dependency selects one of them at least). */
function addReaders(dep: Dependency, into: Readers, ips: readonly string[] | 'rebuild', versions: readonly Pod[] = []): void {
  // A pod event gives `subject` holders to `members` (readersOfPod); a namespace's pods all at once are a recompile.
  if (ips === 'rebuild') for (const key of dep.holders.subject) into.recompile.add(key);
  for (const key of dep.holders.named) {
    if (ips === 'rebuild' || !addNamedSets(dep, dep.namedPorts.get(key)!, versions, into)) into.recompile.add(key);
  }
  if (dep.holders.plain.size === 0) return;
  const known = into.sets.get(dep);
  if (known === 'rebuild') return;
  if (ips === 'rebuild') into.sets.set(dep, 'rebuild');
  else if (known) for (const ip of ips) known.add(ip);
  else into.sets.set(dep, new Set(ips));
}

/**
 * Records the per-number sets of `ports` on `dep` that a pod event changes (the numbers its
 * versions the peer selects give each port, at their addresses), for the session to patch; false
 * when a selected version does not give every port a number (the holder is recompiled).
 *
 * Why patching them is enough unless one appears or goes empty: a holder's ACLs for a named port
 * depend on which numbers its peers resolve to (a number with an address of a family gets an
 * ACL) and on whether the peers have pods at all (none giving the name: a warning). An OVN pod
 * has addresses, so a number is resolved iff one of its sets is not empty; and a peer gains its
 * first pod or loses its last through a pod that either gives the name (its set appears or goes
 * empty) or does not (false here).
 */
function addNamedSets(dep: Dependency, ports: readonly NamedPort[], versions: readonly Pod[], into: Readers): boolean {
  const selected = versions.filter((pod) => matchesLabels(dep.podSelector, pod.labels));
  const numbers = ports.map((port) => selected.map((pod) => namedPortNumber(pod, port.name, port.protocol)));
  if (numbers.some((list) => list.includes(null))) return false;
  let change = into.namedSets.get(dep);
  if (!change) into.namedSets.set(dep, (change = { ips: new Set(), ports: new Map() }));
  for (const pod of selected) for (const ip of pod.ips) change.ips.add(ip);
  ports.forEach((port, i) => {
    const portKey = `${port.protocol}/${port.name}`;
    let entry = change.ports.get(portKey);
    if (!entry) change.ports.set(portKey, (entry = { port, numbers: new Set() }));
    for (const number of numbers[i]!) entry.numbers.add(number!);
  });
  return true;
}
