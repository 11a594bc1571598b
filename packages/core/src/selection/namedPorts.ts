import type { L4Protocol, Pod } from '../model/inventory.js';

/**
 * Named ports resolve per destination pod (Kubernetes NetworkPolicyPort: "a named port on a
 * pod"; the same for CNP/ANP `namedPort` and a Service's named `targetPort`): pods that give the
 * name different numbers are reached on different numbers, and a pod without the name is not
 * reached through it at all. The container port's protocol must equal the asked protocol.
 * NetworkPolicy, the tiered policies, lint and explain all resolve names here.
 */
export function namedPortNumber(pod: Pod, name: string, protocol: L4Protocol): number | null {
  for (const p of pod.containerPorts) if (p.name === name && p.protocol === protocol) return p.port;
  return null;
}

/** Pods grouped by the number they give `name`, numbers ascending; pods without it are left out. */
export function groupByNamedPort(pods: readonly Pod[], name: string, protocol: L4Protocol): ReadonlyMap<number, readonly Pod[]> {
  const groups = new Map<number, Pod[]>();
  for (const pod of pods) {
    const port = namedPortNumber(pod, name, protocol);
    if (port === null) continue;
    let group = groups.get(port);
    if (!group) groups.set(port, (group = []));
    group.push(pod);
  }
  return new Map([...groups].sort((a, b) => a[0] - b[0]));
}

/** A set of port names resolved on some pods to one protocol and port number. */
export interface NamedPortResolution {
  readonly protocol: L4Protocol;
  readonly port: number;
  readonly pods: readonly Pod[];
}

/**
 * Groups `pods` by what any of `names` means on each of them, whatever the protocol (a tiered
 * policy's `namedPort` carries no protocol: the container port's own one applies). Sorted by
 * protocol then port, so names derived from the groups are stable.
 */
export function resolveNamedPorts(names: ReadonlySet<string>, pods: readonly Pod[]): NamedPortResolution[] {
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
