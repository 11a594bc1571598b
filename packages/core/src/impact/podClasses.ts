import { isOvnPod, namespaceLabels, type Inventory, type Pod } from '../model/inventory.js';
import { cidrContainsIp, parseIp, type Cidr } from '../net/ip.js';

/**
 * Pods every policy treats alike. Selectors see only namespace labels and pod labels (and only
 * the keys some selector names), named ports
 * resolve per pod, ACLs exist per address family, and ipBlocks see addresses: pods of one
 * namespace with the same labels, named ports, families and the same membership in every CIDR
 * a policy names get the same verdict to and from anything. matrix and impact judge one pair per
 * pair of classes instead of one per pair of pods.
 */
export interface PodClass {
  /** Identity across versions: the properties above, as text. */
  readonly key: string;
  readonly namespace: string;
  /** `shop/web-*` (the pods' common name prefix), `shop/client` for a single pod. */
  readonly label: string;
  /** Sorted by name; the first is the one judged. */
  readonly pods: readonly Pod[];
  readonly families: readonly (4 | 6)[];
}

export function podClasses(inventory: Inventory, space: { readonly cidrs: readonly Cidr[]; readonly labelKeys: ReadonlySet<string> }): PodClass[] {
  const { cidrs, labelKeys } = space;
  const byKey = new Map<string, Pod[]>();
  const nsLabels = new Map<string, string>();
  for (const pod of inventory.pods) {
    if (!isOvnPod(pod)) continue;
    let ns = nsLabels.get(pod.namespace);
    if (ns === undefined) {
      ns = sortedEntries(namespaceLabels(inventory, pod.namespace), labelKeys);
      nsLabels.set(pod.namespace, ns);
    }
    const key = classKey(pod, ns, cidrs, labelKeys);
    const list = byKey.get(key);
    if (list) list.push(pod);
    else byKey.set(key, [pod]);
  }
  const classes = [...byKey.entries()].map(([key, pods]): PodClass => {
    pods.sort((a, b) => cmp(a.name, b.name));
    return { key, namespace: pods[0]!.namespace, label: '', pods, families: familiesOf(pods[0]!) };
  });
  return labelled(classes);
}

function classKey(pod: Pod, namespaceLabelsText: string, cidrs: readonly Cidr[], labelKeys: ReadonlySet<string>): string {
  const named = pod.containerPorts
    .filter((c) => c.name !== null)
    .map((c) => `${c.name}/${c.protocol}=${c.port}`)
    .sort()
    .join(',');
  const addresses = pod.ips.map((ip) => parseIp(ip)!);
  const inCidrs = cidrs.map((c) => (addresses.some((a) => cidrContainsIp(c, a)) ? '1' : '0')).join('');
  return [pod.namespace, namespaceLabelsText, sortedEntries(pod.labels, labelKeys), named, familiesOf(pod).join(','), inCidrs].join('|');
}

function familiesOf(pod: Pod): (4 | 6)[] {
  return ([4, 6] as const).filter((f) => pod.ips.some((ip) => parseIp(ip)!.family === f));
}

/** Names a person recognises: the common prefix of the pods' names; labels when two classes share it. */
function labelled(classes: PodClass[]): PodClass[] {
  const base = classes.map((c) => (c.pods.length === 1 ? c.pods[0]!.name : `${commonPrefix(c.pods.map((p) => p.name)).replace(/[-.]?[^-.]*$/, '') || c.pods[0]!.name}-*`));
  const counts = new Map<string, number>();
  classes.forEach((c, i) => counts.set(`${c.namespace}/${base[i]}`, (counts.get(`${c.namespace}/${base[i]}`) ?? 0) + 1));
  const out = classes.map((c, i) => {
    const name = `${c.namespace}/${base[i]}`;
    const label = counts.get(name)! > 1 ? `${name} {${sortedEntries(c.pods[0]!.labels)}}` : name;
    return { ...c, label };
  });
  return out.sort((a, b) => (a.namespace === b.namespace ? cmp(a.label, b.label) : cmp(a.namespace, b.namespace)));
}

function commonPrefix(names: readonly string[]): string {
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

const sortedEntries = (labels: Readonly<Record<string, string>>, keys?: ReadonlySet<string>): string =>
  Object.entries(labels)
    .filter(([k]) => keys === undefined || keys.has(k))
    .sort(([a], [b]) => cmp(a, b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
