import type { L4Protocol, Pod } from '../model/inventory.js';

/**
 * Named ports resolve per destination pod (Kubernetes NetworkPolicyPort: "a named port on a
 * pod"): pods that give the name different numbers are allowed on different numbers, and a pod
 * without the name is not allowed by that port entry at all. The container port's protocol must
 * equal the policy port's protocol.
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
