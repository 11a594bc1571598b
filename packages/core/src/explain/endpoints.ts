import { FlowQueryError, type FlowQueryField } from './queryError.js';
import { isOvnPod, type Inventory, type L4Protocol, type Pod, type Service } from '../model/inventory.js';
import { namedPortNumber, serviceSelects } from '../selection/index.js';
import { canonicalIp, parseIp } from '../net/ip.js';

/** One end of a flow: a pod with a logical switch port, or an address outside the switch. */
export type Endpoint =
  | { readonly kind: 'pod'; readonly pod: Pod; readonly label: string }
  | { readonly kind: 'address'; readonly ip: string; readonly label: string; readonly node: string | null };

/** `--to svc:NS/NAME:PORT`: the Service VIP; PORT is the Service port number or name. */
export interface ServiceTarget {
  readonly kind: 'service';
  readonly service: Service;
  readonly port: number;
  readonly label: string;
}

/**
 * Name of the logical port for traffic that is not a pod's: it enters and leaves the switch
 * through the switch's router port. No policy row names it, so `inport == @pg` never matches it.
 */
export const ROUTER_PORT = '(router port)';

const inputError = (field: FlowQueryField, message: string): FlowQueryError => new FlowQueryError(field, message);

/**
 * `NS/POD` or an IP. An IP that belongs to a pod is that pod; an IP of a Node is labelled with
 * the node's name (it reaches pods through the router port, as Kube-OVN's ovn0/join port does).
 */
export function resolveEndpoint(inventory: Inventory, spec: string, flag: FlowQueryField): Endpoint {
  // `NS/POD` as given is the index key (names hold no `/` or space, an address has no `/`): no
  // parsing for the usual case, and the pod's one end object (nbgen test: 20,000 ends).
  const known = podIndexOf(inventory).byName.get(spec);
  if (known && known.ovn) return known;
  const ip = canonicalIp(spec);
  if (ip !== null) {
    const end = podWithIp(inventory, ip);
    if (end) return end;
    const node = inventory.nodes.find((n) => n.joinIps.includes(ip) || n.addresses.some((a) => canonicalIp(a.address) === ip));
    return { kind: 'address', ip, label: node ? `${ip} (node ${node.name})` : ip, node: node?.name ?? null };
  }
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(spec);
  if (!m) throw inputError(flag, `expected NAMESPACE/POD or an IP address, found ${JSON.stringify(spec)}`);
  const [, namespace, name] = m;
  const pod = podIndexOf(inventory).byName.get(`${namespace}/${name}`);
  if (!pod) throw inputError(flag, `no Pod ${namespace}/${name} in the given manifests`);
  if (!pod.ovn) {
    throw inputError(flag, `Pod ${namespace}/${name} has no OVN port (hostNetwork or no status.podIPs)`);
  }
  return pod;
}

/**
 * The end of an OVN pod named exactly `NS/NAME`, else null: what resolveEndpoint and
 * resolveDestination give for such a text, found without trying it as an address, a node port or
 * a Service first (none of those contains `/` or starts as a pod key can: `node:` and `svc:` are
 * left to them, whatever follows).
 */
export function knownPodEnd(inventory: Inventory, spec: string): Endpoint | null {
  if (spec.startsWith('node:') || spec.startsWith('svc:')) return null;
  const known = podIndexOf(inventory).byName.get(spec);
  return known !== undefined && known.ovn ? known : null;
}

/**
 * A pod's end of a flow, one per pod of an inventory (the pod index holds them): what is read of
 * the pod for every flow it is in (its address of a family, its logical port's name) is read once,
 * on first use, and kept here rather than in maps keyed by the pod.
 */
class PodEnd {
  readonly kind = 'pod';
  readonly label: string;
  /** isOvnPod(pod), read with the label (a flow then reads the pod only for what it uses). */
  readonly ovn: boolean;
  /** The first address of each family (null: none), once asked for. */
  private v4: EndAddress | null | undefined = undefined;
  private v6: EndAddress | null | undefined = undefined;
  private portNameFor: ((pod: Pod) => string) | null = null;
  private portName = '';

  constructor(readonly pod: Pod) {
    this.label = `${pod.namespace}/${pod.name}`;
    this.ovn = isOvnPod(pod);
  }

  address(family: 4 | 6): EndAddress | null {
    if (family === 4) return this.v4 === undefined ? (this.v4 = firstAddress(this.pod, 4)) : this.v4;
    return this.v6 === undefined ? (this.v6 = firstAddress(this.pod, 6)) : this.v6;
  }

  portNameBy(portNameFor: (pod: Pod) => string): string {
    if (portNameFor !== this.portNameFor) {
      this.portName = portNameFor(this.pod);
      this.portNameFor = portNameFor;
    }
    return this.portName;
  }
}

/** The logical port name of a pod end, by `portNameFor` (read once for an end of the pod index). */
export function podPortName(end: Extract<Endpoint, { kind: 'pod' }>, portNameFor: (pod: Pod) => string): string {
  return end instanceof PodEnd ? end.portNameBy(portNameFor) : portNameFor(end.pod);
}

interface PodIndex {
  /** Every pod by `NS/NAME` (OVN or not: an error names the others). */
  readonly byName: ReadonlyMap<string, PodEnd>;
  /** OVN pods by address (the first pod listing it, as a linear search would find); built on first use. */
  byIp: ReadonlyMap<string, PodEnd> | null;
}

// Inventories are immutable: index each once, so judging 10,000 flows does not scan the pods
// 20,000 times (nbgen test, impact).
const podIndexes = new WeakMap<Inventory, PodIndex>();

function podIndexOf(inventory: Inventory): PodIndex {
  let index = podIndexes.get(inventory);
  if (!index) {
    const byName = new Map<string, PodEnd>();
    // Indexed loops: built once, mostly before the optimizing compiler steps in, where for-of
    // makes an iterator result per pod.
    const pods = inventory.pods;
    for (let i = 0; i < pods.length; i++) {
      const end = new PodEnd(pods[i]!);
      if (!byName.has(end.label)) byName.set(end.label, end);
    }
    index = { byName, byIp: null };
    podIndexes.set(inventory, index);
  }
  return index;
}

/** The OVN pod with address `ip` (canonical); the map is made when a flow first names an address. */
function podWithIp(inventory: Inventory, ip: string): PodEnd | undefined {
  const index = podIndexOf(inventory);
  if (index.byIp === null) {
    const byIp = new Map<string, PodEnd>();
    const pods = inventory.pods;
    for (let i = 0; i < pods.length; i++) {
      const p = pods[i]!;
      if (!isOvnPod(p)) continue;
      // The pod's end in the name index (the first pod of that name: names are unique in a cluster).
      const end = index.byName.get(`${p.namespace}/${p.name}`)!;
      const own = end.pod === p ? end : new PodEnd(p);
      for (let j = 0; j < p.ips.length; j++) if (!byIp.has(p.ips[j]!)) byIp.set(p.ips[j]!, own);
    }
    index.byIp = byIp;
  }
  return index.byIp.get(ip);
}

/**
 * `svc:NS/NAME[:PORT]`, or a Service ClusterIP (with `port` the Service port): the VIP, which OVN's
 * load balancer DNATs; anything else as resolveEndpoint.
 */
export function resolveDestination(inventory: Inventory, spec: string, flag: FlowQueryField, port: number | null = null): Endpoint | ServiceTarget {
  if (!spec.startsWith('svc:')) {
    const ip = canonicalIp(spec);
    const byVip = ip === null ? undefined : inventory.services.find((s) => s.clusterIPs.includes(ip));
    if (!byVip) return resolveEndpoint(inventory, spec, flag);
    return serviceTarget(byVip, port === null ? '' : String(port), flag);
  }
  const m = /^svc:([^/\s]+)\/([^:\s]+)(?::(\S+))?$/.exec(spec);
  if (!m) throw inputError(flag, `expected svc:NAMESPACE/NAME[:PORT], found ${JSON.stringify(spec)}`);
  const [, namespace, name, portText] = m;
  const service = inventory.services.find((s) => s.namespace === namespace && s.name === name);
  if (!service) throw inputError(flag, `no Service ${namespace}/${name} in the given manifests`);
  // Without :PORT the flow's port is the Service port (`--to svc:NS/NAME --port 80`).
  const target = serviceTarget(service, portText ?? (port === null ? '' : String(port)), flag);
  // A named PORT and a port that is another number: which one was meant cannot be told.
  if (port !== null && target.port !== port) {
    throw inputError(flag, `${spec} is Service port ${target.port}, but the port asked for is ${port}`);
  }
  return target;
}

function serviceTarget(service: Service, portText: string, flag: FlowQueryField): ServiceTarget {
  const { namespace, name } = service;
  const byNumber = /^[0-9]+$/.test(portText) ? Number(portText) : null;
  const sp = service.ports.find((p) => (byNumber !== null ? p.port === byNumber : p.name === portText));
  if (!sp) {
    const known = service.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
    throw inputError(flag, `Service ${namespace}/${name} has no port ${portText}; its ports: ${known || 'none'}`);
  }
  if (service.clusterIPs.length === 0) {
    throw inputError(flag, `Service ${namespace}/${name} has no ClusterIP (headless or ExternalName): there is no VIP`);
  }
  return { kind: 'service', service, port: sp.port, label: `svc ${namespace}/${name}:${sp.port}` };
}

/** A backend the Service VIP is DNATed to: the endpoint pod and its target port. */
export interface ServiceBackend {
  readonly pod: Pod;
  readonly targetPort: number;
}

/**
 * Endpoints as the EndpointSlice controller picks them: pods of the Service's namespace matching
 * its (non-empty) selector, with an address; a named targetPort is looked up per pod (containerPorts with
 * that name and protocol), and pods that do not define it are not endpoints.
 */
export function serviceBackends(inventory: Inventory, service: Service, port: number, protocol: L4Protocol): ServiceBackend[] {
  const sp = service.ports.find((p) => p.port === port && p.protocol === protocol);
  // An empty selector selects nothing for a Service (its endpoints are managed by hand).
  if (!sp || service.selector === null || Object.keys(service.selector).length === 0) return [];
  const backends: ServiceBackend[] = [];
  for (const pod of inventory.pods) {
    if (!isOvnPod(pod) || !serviceSelects(service, pod)) continue;
    const targetPort = typeof sp.targetPort === 'number' ? sp.targetPort : namedPortNumber(pod, sp.targetPort, protocol);
    if (targetPort !== null) backends.push({ pod, targetPort });
  }
  return backends;
}

/** The address of `endpoint` in `family`, or null when it has none. */
export function addressOf(endpoint: Endpoint, family: 4 | 6): string | null {
  if (endpoint.kind === 'address') return parseIp(endpoint.ip)!.family === family ? endpoint.ip : null;
  return endAddressOf(endpoint, family)?.ip ?? null;
}

/** An end's address in one family: as written, and its value in a packet (the same parse). */
export interface EndAddress {
  readonly ip: string;
  /** parseIp(ip).value, as AclProgram.addressValue(ip) gives it. */
  readonly value: bigint;
}

/**
 * addressOf with the address's value: a flow's packets take the value read when the address was
 * picked, instead of parsing the text again (nbgen test: 20,000 pod addresses).
 */
export function endAddressOf(endpoint: Endpoint, family: 4 | 6): EndAddress | null {
  if (endpoint.kind === 'pod') return endpoint instanceof PodEnd ? endpoint.address(family) : firstAddress(endpoint.pod, family);
  const ip = parseIp(endpoint.ip)!;
  return ip.family === family ? { ip: endpoint.ip, value: ip.value } : null;
}

/** The pod's first address in `family`, or null. */
function firstAddress(pod: Pod, family: 4 | 6): EndAddress | null {
  // parseIp reads a text with a `:` as IPv6 and any other as IPv4: only the texts of the family
  // asked for are parsed.
  for (let i = 0; i < pod.ips.length; i++) {
    const ip = pod.ips[i]!;
    if (ip.includes(':') !== (family === 6)) continue;
    const parsed = parseIp(ip);
    if (parsed !== null) return { ip, value: parsed.value };
  }
  return null;
}
