import type { SourceRef } from '../errors.js';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../manifests/names.js';
import { canonicalIp } from '../net/ip.js';
import { isPlainObject, validLabels } from './plainFields.js';
import type { ContainerPort, L4Protocol, Pod } from './inventory.js';

/**
 * The Pod of a manifest that the Pod schema (inventorySchemas.ts) accepts as written, read in one
 * pass without the schema's intermediate objects, and frozen; null for anything else — an invalid
 * field, but also any shape this reader does not know — and the schema then reads the object and
 * reports its issues. So the schema stays the one judge of bad input and of its messages, and this reader
 * only has to agree with `toPod(schema.parse(object))` where it answers
 * (test/model/plainPod.differential.test.ts). Pods are most of a cluster's objects: at 50,000
 * pods the schema's copies are most of what validation costs (docs/speed-log.md).
 */
export function plainPod(object: Record<string, unknown>, source: SourceRef): Pod | null {
  const metadata = object.metadata;
  if (!isPlainObject(metadata)) return null;
  const { name, namespace = 'default', labels } = metadata;
  if (typeof name !== 'string' || dns1123SubdomainProblem(name) !== null) return null;
  if (typeof namespace !== 'string' || dns1123LabelProblem(namespace) !== null) return null;
  const podLabels = labels === undefined ? {} : validLabels(labels);
  if (podLabels === null) return null;

  let nodeName: string | null = null;
  let hostNetwork = false;
  // One scratch list for every pod, refilled from its start (`length = 0` would drop its room):
  // most pods share their workload's frozen list (sharedPorts), so a list of their own would only
  // be garbage.
  const containerPorts: PortList = { ports: scratchPorts, count: 0 };
  const spec = object.spec;
  if (spec !== undefined) {
    if (!isPlainObject(spec)) return null;
    if (spec.nodeName !== undefined) {
      if (typeof spec.nodeName !== 'string') return null;
      nodeName = spec.nodeName;
    }
    if (spec.hostNetwork !== undefined) {
      if (typeof spec.hostNetwork !== 'boolean') return null;
      hostNetwork = spec.hostNetwork;
    }
    if (!addContainerPorts(spec.containers, false, containerPorts)) return null;
    if (!addContainerPorts(spec.initContainers, true, containerPorts)) return null;
  }

  let ips: string[] = [];
  const status = object.status;
  if (status !== undefined) {
    if (!isPlainObject(status)) return null;
    const { podIP, podIPs } = status;
    const single = podIP === undefined ? undefined : canonicalIp(typeof podIP === 'string' ? podIP : '');
    if (single === null) return null;
    if (podIPs !== undefined) {
      if (!Array.isArray(podIPs)) return null;
      // One address, the common case, makes a list of one: `[]` grown by push keeps room for
      // 17, and the model keeps 50,000 of them.
      if (podIPs.length === 1) {
        const ip = entryIp(podIPs[0]);
        if (ip === null) return null;
        ips = [ip];
      } else {
        for (const entry of podIPs) {
          const ip = entryIp(entry);
          if (ip === null) return null;
          if (!ips.includes(ip)) ips.push(ip);
        }
      }
    } else if (single !== undefined) {
      ips = [single];
    }
  }
  // Frozen all the way down as loadModel's model is, here where the parts are at hand: the model's
  // freeze then stops at the pod instead of walking 50,000 of them again.
  return Object.freeze({
    namespace,
    name,
    labels: Object.freeze(podLabels),
    nodeName,
    hostNetwork,
    ips: Object.freeze(ips),
    containerPorts: sharedPorts(containerPorts),
    source: Object.freeze(source),
  });
}

/** The canonical address of a `status.podIPs` entry, or null when the schema would refuse it. */
function entryIp(entry: unknown): string | null {
  if (!isPlainObject(entry)) return null;
  return canonicalIp(typeof entry.ip === 'string' ? entry.ip : '');
}

const PROTOCOLS: readonly unknown[] = ['TCP', 'UDP', 'SCTP'] satisfies L4Protocol[];

/**
 * Adds the ports of `containers` (a spec's containers or initContainers) to `out`; of init
 * containers only those of sidecars (restartPolicy Always). false: not what the schema accepts.
 */
function addContainerPorts(containers: unknown, init: boolean, out: PortList): boolean {
  if (containers === undefined) return true;
  if (!Array.isArray(containers)) return false;
  // Indexed loops: a for-of here made iterator results for each of 50,000 pods (measured with
  // the allocation sampler; the code had not been optimized yet for most of them).
  for (let c = 0; c < containers.length; c++) {
    const container: unknown = containers[c];
    if (!isPlainObject(container)) return false;
    const { ports, restartPolicy } = container;
    if (init && restartPolicy !== undefined && typeof restartPolicy !== 'string') return false;
    if (ports === undefined) continue;
    if (!Array.isArray(ports)) return false;
    const counted = !init || restartPolicy === 'Always';
    for (let p = 0; p < ports.length; p++) {
      const port: unknown = ports[p];
      if (!isPlainObject(port)) return false;
      const { name, containerPort, protocol = 'TCP' } = port;
      if (name !== undefined && (typeof name !== 'string' || name.length > 15)) return false;
      if (typeof containerPort !== 'number' || !Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) return false;
      if (!PROTOCOLS.includes(protocol)) return false;
      if (counted) out.ports[out.count++] = portOf(name ?? null, containerPort, protocol as L4Protocol);
    }
  }
  return true;
}

/**
 * The replicas of a workload list the same ports: a pod whose ports equal the last pod's gets the
 * same frozen objects and list (ports are frozen values; nothing tells them apart by identity), so
 * 50,000 pods do not make 50,000 copies of `{http, 8080, TCP}`.
 */
let lastPort: ContainerPort | null = null;
let lastPorts: readonly ContainerPort[] = Object.freeze([]);

function portOf(name: string | null, port: number, protocol: L4Protocol): ContainerPort {
  const last = lastPort;
  if (last !== null && last.name === name && last.port === port && last.protocol === protocol) return last;
  return (lastPort = Object.freeze({ name, port, protocol }));
}

const scratchPorts: ContainerPort[] = [];

/** The first `count` entries of `ports` (the scratch list) are a pod's. */
interface PortList {
  readonly ports: ContainerPort[];
  count: number;
}

/** The frozen list of a pod's ports (read from the scratch list, not kept): the last pod's when equal. */
function sharedPorts({ ports, count }: PortList): readonly ContainerPort[] {
  const last = lastPorts;
  if (last.length === count) {
    let equal = true;
    for (let i = 0; i < count && equal; i++) equal = ports[i] === last[i];
    if (equal) return last;
  }
  return (lastPorts = Object.freeze(ports.slice(0, count)));
}
