import { isOvnPod, NAMESPACE_NAME_LABEL, type Inventory, type Namespace, type Pod, type Service } from '../model/inventory.js';
import { matchesLabels, type LabelSelector, type Labels } from '../selectors/labelSelector.js';
import { selectorKey } from './selectorKey.js';

/**
 * Which pods and namespaces a selector picks: the one answer NetworkPolicy compile, the tiered
 * policies, lint and explain all read, so they cannot drift on what a selector means.
 *
 *  - Only OVN pods (with an address, not hostNetwork) are ever selected: the others have no
 *    logical switch port for an ACL to name.
 *  - A namespace without a Namespace object (only named by a pod) carries just
 *    `kubernetes.io/metadata.name`, as the API server sets it.
 *  - Selections come in namespace order then pod-name order, whatever order the manifests had.
 *
 * Answers are cached per canonical selector, so 10k policies over 50k pods cost (distinct
 * selectors × pods of the namespaces they look at), not (policies × all pods). The index can be
 * changed in place (`upsertPod`, `removePod`, `upsertNamespace`, `removeNamespace`); a change
 * drops only the cached answers it can affect, which is what keeps a CompileSession event cheap.
 */
export class SelectionIndex {
  private readonly labelsByNamespace = new Map<string, Labels>();
  /** Pods of any kind per namespace: a namespace named only by pods exists while they do. */
  private readonly podCounts = new Map<string, number>();
  /** OVN pods per namespace, sorted by name. */
  private readonly podsByNamespace = new Map<string, Pod[]>();
  private readonly servicesByNamespace = new Map<string, Service[]>();
  private sortedNamespaces: readonly string[] | null = null;
  private readonly namespaceSelections = new Map<string, readonly string[]>();
  /** namespace → selector key → pods; dropped per namespace when one of its pods changes. */
  private readonly podSelections = new Map<string, Map<string, readonly Pod[]>>();
  private readonly crossSelections = new Map<string, readonly Pod[]>();
  /** namespace → label key → value → OVN pods carrying it, in name order; kept up to date once built. */
  private readonly labelIndexes = new Map<string, LabelIndex>();
  private allOvnPods: readonly Pod[] | null = null;
  /**
   * OVN pods by address (two pods may claim one, e.g. a stale object in a stream). Built on first
   * use, as is `podsByNode`: only a CompileSession asks, and a one-shot compile of 50,000 pods
   * would spend a tenth of its time building both.
   */
  private podsByIp: Map<string, Pod[]> | null = null;
  /** OVN pods by `spec.nodeName`: the own-node rows of a node read only these. */
  private podsByNode: Map<string, Set<Pod>> | null = null;

  constructor(inventory: Inventory) {
    for (const ns of inventory.namespaces) this.labelsByNamespace.set(ns.name, ns.labels);
    const grouped = new Map<string, Pod[]>();
    // Indexed: runs once per compile over every pod, a for-of made iterator results while cold.
    const pods = inventory.pods;
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i]!;
      this.podCounts.set(pod.namespace, (this.podCounts.get(pod.namespace) ?? 0) + 1);
      if (!isOvnPod(pod)) continue;
      let list = grouped.get(pod.namespace);
      if (!list) grouped.set(pod.namespace, (list = []));
      list.push(pod);
    }
    for (const [ns, pods] of grouped) this.podsByNamespace.set(ns, pods.sort(byName));
    for (const service of inventory.services) {
      let list = this.servicesByNamespace.get(service.namespace);
      if (!list) this.servicesByNamespace.set(service.namespace, (list = []));
      list.push(service);
    }
  }

  /** Every namespace we know of (given, or named by a pod), sorted. */
  get namespaces(): readonly string[] {
    this.sortedNamespaces ??= [...new Set([...this.labelsByNamespace.keys(), ...this.podCounts.keys()])].sort();
    return this.sortedNamespaces;
  }

  /** Labels of a namespace; one not given carries only `kubernetes.io/metadata.name`. */
  namespaceLabels(name: string): Labels {
    return this.labelsByNamespace.get(name) ?? { [NAMESPACE_NAME_LABEL]: name };
  }

  /** Namespaces whose labels match `selector`, sorted. */
  namespacesMatching(selector: LabelSelector): readonly string[] {
    const key = selectorKey(selector);
    let hit = this.namespaceSelections.get(key);
    if (!hit) {
      hit = this.namespaces.filter((ns) => matchesLabels(selector, this.namespaceLabels(ns)));
      this.namespaceSelections.set(key, hit);
    }
    return hit;
  }

  /** OVN pods of `namespace` whose labels match `selector`, sorted by name. */
  podsMatching(namespace: string, selector: LabelSelector): readonly Pod[] {
    let cache = this.podSelections.get(namespace);
    if (!cache) this.podSelections.set(namespace, (cache = new Map()));
    const key = selectorKey(selector);
    let hit = cache.get(key);
    if (!hit) {
      const { pods, exact } = this.candidates(namespace, selector);
      // A copy either way: the index's lists change in place as pods come and go, a selection
      // handed out must not.
      hit = exact ? pods.slice() : pods.filter((pod) => matchesLabels(selector, pod.labels));
      cache.set(key, hit);
    }
    return hit;
  }

  /** OVN pods in namespaces matching `namespaceSelector` with labels matching `podSelector`. */
  podsSelectedBy(namespaceSelector: LabelSelector, podSelector: LabelSelector): readonly Pod[] {
    const key = `${selectorKey(namespaceSelector)} ${selectorKey(podSelector)}`;
    let hit = this.crossSelections.get(key);
    if (!hit) {
      hit = this.namespacesMatching(namespaceSelector).flatMap((ns) => this.podsMatching(ns, podSelector));
      this.crossSelections.set(key, hit);
    }
    return hit;
  }

  /** Every OVN pod of the cluster, by namespace then name. */
  allPods(): readonly Pod[] {
    this.allOvnPods ??= this.namespaces.flatMap((ns) => this.podsByNamespace.get(ns) ?? []);
    return this.allOvnPods;
  }

  /**
   * Services whose selector picks `pod`: same namespace, a non-empty selector (an empty one
   * selects nothing for a Service: its endpoints are managed by hand).
   */
  servicesOf(pod: Pod): Service[] {
    return (this.servicesByNamespace.get(pod.namespace) ?? []).filter((s) => serviceSelects(s, pod));
  }

  /** OVN pods a Service's selector picks, by name: the EndpointSlice controller's choice. */
  endpointPodsOf(service: Service): readonly Pod[] {
    if (service.selector === null || Object.keys(service.selector).length === 0) return [];
    return this.podsMatching(service.namespace, { matchLabels: { ...service.selector } });
  }

  /** OVN pods placed on `node` (by `spec.nodeName`), in no particular order. */
  podsOnNode(node: string): Iterable<Pod> {
    if (this.podsByNode === null) {
      this.podsByNode = new Map();
      for (const pods of this.podsByNamespace.values()) for (const pod of pods) placeOnNode(this.podsByNode, pod);
    }
    return this.podsByNode.get(node) ?? [];
  }

  /** OVN pods that have `ip`, in no particular order. */
  podsWithIp(ip: string): readonly Pod[] {
    if (this.podsByIp === null) {
      this.podsByIp = new Map();
      for (const pods of this.podsByNamespace.values()) for (const pod of pods) indexIps(this.podsByIp, pod);
    }
    return this.podsByIp.get(ip) ?? [];
  }

  /** A pod came or changed (`previous` is its last version, if any). */
  upsertPod(pod: Pod, previous: Pod | undefined): void {
    if (previous !== undefined) this.removePod(previous);
    this.podCounts.set(pod.namespace, (this.podCounts.get(pod.namespace) ?? 0) + 1);
    if (this.podCounts.get(pod.namespace) === 1) this.namespaceSetChanged();
    if (!isOvnPod(pod)) return;
    if (this.podsByIp !== null) indexIps(this.podsByIp, pod);
    if (this.podsByNode !== null) placeOnNode(this.podsByNode, pod);
    let list = this.podsByNamespace.get(pod.namespace);
    if (!list) this.podsByNamespace.set(pod.namespace, (list = []));
    list.splice(insertionPoint(list, pod.name), 0, pod);
    const byLabel = this.labelIndexes.get(pod.namespace);
    if (byLabel) {
      for (const [key, value] of Object.entries(pod.labels)) {
        const pods = podsCarrying(byLabel, key, value);
        pods.splice(insertionPoint(pods, pod.name), 0, pod);
      }
    }
    this.podsChanged(pod.namespace);
  }

  removePod(pod: Pod): void {
    const count = (this.podCounts.get(pod.namespace) ?? 0) - 1;
    if (count > 0) this.podCounts.set(pod.namespace, count);
    else {
      this.podCounts.delete(pod.namespace);
      if (!this.labelsByNamespace.has(pod.namespace)) this.namespaceSetChanged();
    }
    const list = this.podsByNamespace.get(pod.namespace);
    const at = list ? indexOfPod(list, pod) : -1;
    if (at < 0) return;
    list!.splice(at, 1);
    const byLabel = this.labelIndexes.get(pod.namespace);
    if (byLabel) {
      for (const [key, value] of Object.entries(pod.labels)) {
        const values = byLabel.get(key)!;
        const pods = values.get(value)!;
        pods.splice(indexOfPod(pods, pod), 1);
        if (pods.length > 0) continue;
        values.delete(value);
        if (values.size === 0) byLabel.delete(key);
      }
    }
    if (this.podsByIp !== null) {
      for (const ip of pod.ips) {
        const holders = this.podsByIp.get(ip)!;
        holders.splice(holders.indexOf(pod), 1);
        if (holders.length === 0) this.podsByIp.delete(ip);
      }
    }
    if (this.podsByNode !== null && pod.nodeName !== null) {
      const placed = this.podsByNode.get(pod.nodeName)!;
      placed.delete(pod);
      if (placed.size === 0) this.podsByNode.delete(pod.nodeName);
    }
    this.podsChanged(pod.namespace);
  }

  upsertNamespace(namespace: Namespace): void {
    const known = this.labelsByNamespace.has(namespace.name) || this.podCounts.has(namespace.name);
    this.labelsByNamespace.set(namespace.name, namespace.labels);
    if (!known) this.sortedNamespaces = null;
    this.namespaceLabelsChanged();
  }

  removeNamespace(name: string): void {
    this.labelsByNamespace.delete(name);
    if (!this.podCounts.has(name)) this.sortedNamespaces = null;
    this.namespaceLabelsChanged();
  }

  upsertService(service: Service, previous: Service | undefined): void {
    if (previous !== undefined) this.removeService(previous);
    let list = this.servicesByNamespace.get(service.namespace);
    if (!list) this.servicesByNamespace.set(service.namespace, (list = []));
    list.push(service);
  }

  removeService(service: Service): void {
    const list = this.servicesByNamespace.get(service.namespace) ?? [];
    const at = list.indexOf(service);
    if (at >= 0) list.splice(at, 1);
  }

  private podsChanged(namespace: string): void {
    this.podSelections.delete(namespace);
    this.crossSelections.clear();
    this.allOvnPods = null;
  }

  private namespaceSetChanged(): void {
    this.sortedNamespaces = null;
    this.namespaceLabelsChanged();
  }

  private namespaceLabelsChanged(): void {
    this.namespaceSelections.clear();
    this.crossSelections.clear();
    this.allOvnPods = null;
  }

  /**
   * A superset of the pods `selector` picks in `namespace`, in name order: the pods carrying the
   * rarest of its `matchLabels` pairs (every selected pod carries all of them), else all pods.
   * `exact` when they are the selection itself: a selector of no requirement (all pods) or of one
   * `matchLabels` pair and nothing else (the pods carrying it), the commonest selector, whose 50,000
   * pod checks at 10,000 policies would only say yes.
   */
  private candidates(namespace: string, selector: LabelSelector): { readonly pods: readonly Pod[]; readonly exact: boolean } {
    const all = this.podsByNamespace.get(namespace) ?? NO_PODS;
    const matchLabels = selector.matchLabels;
    const keys = matchLabels === undefined ? NO_KEYS : Object.keys(matchLabels);
    const exact = keys.length <= 1 && (selector.matchExpressions === undefined || selector.matchExpressions.length === 0);
    if (keys.length === 0) return { pods: all, exact };
    const byLabel = this.labelIndex(namespace);
    let best: readonly Pod[] = all;
    for (let i = 0; i < keys.length; i++) {
      const pods = byLabel.get(keys[i]!)?.get(matchLabels![keys[i]!]!) ?? NO_PODS;
      if (pods.length < best.length) best = pods;
    }
    return { pods: best, exact };
  }

  /** Label key → value → pods of the namespace carrying that label, in name order; built on first use. */
  private labelIndex(namespace: string): LabelIndex {
    let index = this.labelIndexes.get(namespace);
    if (!index) {
      index = new Map();
      // Indexed, and for-in over the labels rather than Object.keys: no iterator result and no
      // key array for each of 50,000 pods (a label map is a plain object of its own keys).
      const pods = this.podsByNamespace.get(namespace) ?? NO_PODS;
      for (let p = 0; p < pods.length; p++) {
        const pod = pods[p]!;
        for (const key in pod.labels) podsCarrying(index, key, pod.labels[key]!).push(pod);
      }
      this.labelIndexes.set(namespace, index);
    }
    return index;
  }
}

/**
 * Label key → value → pods: two lookups, where one on `key=value` would first build that text
 * for every label of every pod.
 */
type LabelIndex = Map<string, Map<string, Pod[]>>;

const NO_PODS: readonly Pod[] = Object.freeze([]);
const NO_KEYS: readonly string[] = Object.freeze([]);

/** The list of pods carrying `key=value` in `index`, made empty when there is none yet. */
function podsCarrying(index: LabelIndex, key: string, value: string): Pod[] {
  let values = index.get(key);
  if (!values) index.set(key, (values = new Map()));
  let pods = values.get(value);
  if (!pods) values.set(value, (pods = []));
  return pods;
}

function indexIps(podsByIp: Map<string, Pod[]>, pod: Pod): void {
  for (const ip of pod.ips) {
    let holders = podsByIp.get(ip);
    if (!holders) podsByIp.set(ip, (holders = []));
    holders.push(pod);
  }
}

function placeOnNode(podsByNode: Map<string, Set<Pod>>, pod: Pod): void {
  if (pod.nodeName === null) return;
  let pods = podsByNode.get(pod.nodeName);
  if (!pods) podsByNode.set(pod.nodeName, (pods = new Set()));
  pods.add(pod);
}

/** Does a Service's selector pick this pod? (Same namespace, non-empty selector.) */
export function serviceSelects(service: Service, pod: Pod): boolean {
  return (
    service.namespace === pod.namespace &&
    service.selector !== null &&
    Object.keys(service.selector).length > 0 &&
    matchesLabels({ matchLabels: { ...service.selector } }, pod.labels)
  );
}

export const ipFamilyOf = (ip: string): 4 | 6 => (ip.includes(':') ? 6 : 4);

/** IPs of pods of one family, in pod order. */
export function podIps(pods: readonly Pod[], family: 4 | 6): string[] {
  // Indexed loops: run once per peer set (5,000 at 10,000 policies), this code stays cold, and a
  // cold for-of makes an iterator result per pod and per address.
  const out: string[] = [];
  for (let i = 0; i < pods.length; i++) {
    const ips = pods[i]!.ips;
    for (let j = 0; j < ips.length; j++) if (ipFamilyOf(ips[j]!) === family) out.push(ips[j]!);
  }
  return out;
}

const byName = (a: Pod, b: Pod): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Where `pod` itself is in a name-sorted list, or -1 (binary search; names are unique per namespace). */
function indexOfPod(list: readonly Pod[], pod: Pod): number {
  const at = insertionPoint(list, pod.name);
  return list[at] === pod ? at : list.indexOf(pod);
}

/** Where a pod named `name` goes in a name-sorted list (binary search). */
function insertionPoint(list: readonly Pod[], name: string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]!.name < name) low = mid + 1;
    else high = mid;
  }
  return low;
}
