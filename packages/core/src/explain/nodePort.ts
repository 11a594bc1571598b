import { canonicalIp, parseIp } from '../net/ip';
import type { Inventory, Node, Service, ServicePort } from '../model/inventory';
import { FlowQueryError } from './queryError';

/**
 * A Service reached through a node: `node:NODE:PORT`, or a node address with a port that is some
 * Service's nodePort. With Kube-OVN kube-proxy serves NodePorts on the node (no OVN load balancer
 * is involved), so such a flow is judged in legs (see explainNodePort in explainFlow.ts).
 */
export interface NodePortTarget {
  readonly kind: 'nodePort';
  readonly node: Node;
  /** The node address the client connects to. */
  readonly address: string;
  readonly nodePort: number;
  readonly service: Service;
  readonly servicePort: ServicePort;
  readonly label: string;
}

/** What explain reports about the kube-proxy leg of a NodePort flow. */
export interface NodePortLeg {
  readonly node: string;
  readonly address: string;
  readonly nodePort: number;
  readonly service: { readonly namespace: string; readonly name: string; readonly port: number };
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  /** The source the endpoints' ingress rules see: the node's join address (Cluster) or the client. */
  readonly sourceSeenByEndpoints: string;
  /** Endpoints kube-proxy on the node may pick (with Local only those on the node). */
  readonly endpoints: readonly string[];
}

/** The node's address in `family` that clients use: InternalIP first, then ExternalIP, then join. */
export function nodeAddressOf(node: Node, family: 4 | 6): string | null {
  for (const type of ['InternalIP', 'ExternalIP']) {
    const hit = node.addresses.find((a) => a.type === type && parseIp(a.address)?.family === family);
    if (hit) return canonicalIp(hit.address);
  }
  return node.joinIps.find((ip) => parseIp(ip)!.family === family) ?? null;
}

const exposed = (s: Service): boolean => s.type === 'NodePort' || s.type === 'LoadBalancer';

function serviceByNodePort(inventory: Inventory, nodePort: number): { service: Service; servicePort: ServicePort }[] {
  return inventory.services.flatMap((service) =>
    exposed(service) ? service.ports.filter((p) => p.nodePort === nodePort).map((servicePort) => ({ service, servicePort })) : [],
  );
}

/**
 * `node:NODE:PORT`, or an address of a Node with `port` equal to a Service's nodePort; null when
 * `spec` is neither (it is then an ordinary destination).
 */
export function resolveNodePortTarget(inventory: Inventory, spec: string, port: number | null, family: 4 | 6 | undefined): NodePortTarget | null {
  const named = /^node:([^:\s]+):([0-9]+)$/.exec(spec);
  let node: Node | undefined;
  let nodePort: number;
  let address: string | null;
  if (named) {
    node = inventory.nodes.find((n) => n.name === named[1]);
    if (!node) throw new FlowQueryError('to', `no Node ${named[1]} in the given manifests`);
    nodePort = Number(named[2]);
    address = nodeAddressOf(node, family ?? 4) ?? nodeAddressOf(node, 6);
    if (address === null) throw new FlowQueryError('to', `Node ${node.name} has no address (status.addresses or ovn.kubernetes.io/ip_address)`);
  } else {
    if (spec.startsWith('node:')) throw new FlowQueryError('to', `expected node:NODE:PORT, found ${JSON.stringify(spec)}`);
    const ip = canonicalIp(spec);
    if (ip === null || port === null) return null;
    node = inventory.nodes.find((n) => n.joinIps.includes(ip) || n.addresses.some((a) => canonicalIp(a.address) === ip));
    if (!node || serviceByNodePort(inventory, port).length === 0) return null;
    nodePort = port;
    address = ip;
  }
  const services = serviceByNodePort(inventory, nodePort);
  if (services.length === 0) throw new FlowQueryError('to', `no NodePort or LoadBalancer Service has nodePort ${nodePort}`);
  if (services.length > 1) {
    const names = services.map((s) => `${s.service.namespace}/${s.service.name}`).join(', ');
    throw new FlowQueryError('to', `nodePort ${nodePort} is given to more than one Service (${names}); the API server allows one`);
  }
  const { service, servicePort } = services[0]!;
  return { kind: 'nodePort', node, address, nodePort, service, servicePort, label: `node ${node.name} ${address}:${nodePort}` };
}
