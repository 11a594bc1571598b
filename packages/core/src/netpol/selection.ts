import { isOvnPod, NAMESPACE_NAME_LABEL, type Inventory, type Pod } from '../model/inventory.js';
import { matchesLabels, type LabelSelector, type Labels } from '../selectors/labelSelector.js';

/**
 * Which pods a selector picks, answered from an index built once per compile: OVN pods grouped
 * by namespace, and a cache per canonical selector, so that 10k policies over 50k pods cost
 * (distinct selectors × pods of the namespaces they look at), not (policies × all pods).
 */

/**
 * Canonical text of a label selector in kubectl's selector syntax, requirements sorted and
 * de-duplicated: `{app=web,tier in (api,db),!legacy}`; `{}` selects everything. Equal selectors
 * (however written) get equal text; the text is also what external_ids show to a reader.
 */
export function selectorKey(selector: LabelSelector): string {
  let key = selectorKeys.get(selector);
  if (key === undefined) {
    key = canonicalSelectorText(selector);
    selectorKeys.set(selector, key);
  }
  return key;
}

/** Selectors are frozen model objects: their text is computed once per object. */
const selectorKeys = new WeakMap<LabelSelector, string>();

function canonicalSelectorText(selector: LabelSelector): string {
  const requirements = new Set<string>();
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) requirements.add(`${key}=${value}`);
  for (const req of selector.matchExpressions ?? []) {
    const values = [...new Set(req.values ?? [])].sort();
    switch (req.operator) {
      case 'In':
        requirements.add(values.length === 1 ? `${req.key}=${values[0]}` : `${req.key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        requirements.add(`${req.key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        requirements.add(req.key);
        break;
      case 'DoesNotExist':
        requirements.add(`!${req.key}`);
        break;
    }
  }
  return `{${[...requirements].sort().join(',')}}`;
}

const ipFamilyOf = (ip: string): 4 | 6 => (ip.includes(':') ? 6 : 4);

/** IPs of pods of one family, in pod order. */
export function podIps(pods: readonly Pod[], family: 4 | 6): string[] {
  const out: string[] = [];
  for (const pod of pods) for (const ip of pod.ips) if (ipFamilyOf(ip) === family) out.push(ip);
  return out;
}

export class ClusterIndex {
  /** Every namespace we know of (given, or named by a pod), sorted. */
  readonly namespaces: readonly string[];
  /** OVN pods (addressed, not hostNetwork) per namespace, sorted by name. */
  private readonly podsByNamespace = new Map<string, readonly Pod[]>();
  private readonly labelsByNamespace = new Map<string, Labels>();
  private readonly namespaceSelections = new Map<string, readonly string[]>();
  private readonly podSelections = new Map<string, readonly Pod[]>();
  private readonly labelIndexes = new Map<string, ReadonlyMap<string, readonly Pod[]>>();
  private allOvnPods: readonly Pod[] | null = null;

  constructor(inventory: Inventory) {
    for (const ns of inventory.namespaces) this.labelsByNamespace.set(ns.name, ns.labels);
    const grouped = new Map<string, Pod[]>();
    for (const pod of inventory.pods) {
      if (!isOvnPod(pod)) continue;
      let list = grouped.get(pod.namespace);
      if (!list) grouped.set(pod.namespace, (list = []));
      list.push(pod);
    }
    for (const [ns, pods] of grouped) {
      this.podsByNamespace.set(ns, pods.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    }
    this.namespaces = [...new Set([...this.labelsByNamespace.keys(), ...grouped.keys()])].sort();
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
    const key = `${namespace} ${selectorKey(selector)}`;
    let hit = this.podSelections.get(key);
    if (!hit) {
      hit = this.candidates(namespace, selector).filter((pod) => matchesLabels(selector, pod.labels));
      this.podSelections.set(key, hit);
    }
    return hit;
  }

  /**
   * A superset of the pods `selector` picks in `namespace`, in name order: the pods carrying the
   * rarest of its `matchLabels` pairs (every selected pod carries all of them), else all pods.
   */
  private candidates(namespace: string, selector: LabelSelector): readonly Pod[] {
    const all = this.podsByNamespace.get(namespace) ?? [];
    const pairs = Object.entries(selector.matchLabels ?? {});
    if (pairs.length === 0) return all;
    const byLabel = this.labelIndex(namespace);
    let best: readonly Pod[] = all;
    for (const [key, value] of pairs) {
      const pods = byLabel.get(`${key}=${value}`) ?? [];
      if (pods.length < best.length) best = pods;
    }
    return best;
  }

  /** `key=value` → pods of the namespace carrying that label, in name order; built on first use. */
  private labelIndex(namespace: string): ReadonlyMap<string, readonly Pod[]> {
    let index = this.labelIndexes.get(namespace);
    if (!index) {
      const built = new Map<string, Pod[]>();
      for (const pod of this.podsByNamespace.get(namespace) ?? []) {
        for (const [key, value] of Object.entries(pod.labels)) {
          const pair = `${key}=${value}`;
          let list = built.get(pair);
          if (!list) built.set(pair, (list = []));
          list.push(pod);
        }
      }
      index = built;
      this.labelIndexes.set(namespace, index);
    }
    return index;
  }

  /** Every OVN pod of the cluster, by namespace then name. */
  allPods(): readonly Pod[] {
    this.allOvnPods ??= this.namespaces.flatMap((ns) => this.podsByNamespace.get(ns) ?? []);
    return this.allOvnPods;
  }
}
