import { canonicalIp, parseIp } from '../net/ip.js';
import type { Inventory, Node, Service, ServicePort } from '../model/inventory.js';
import { FlowQueryError } from './queryError.js';

/**
 * A Service reached through a node: `node:NODE:PORT`, a node address with a port that is some
 * Service's nodePort, or a LoadBalancer ingress IP with the Service port. With Kube-OVN kube-proxy
 * serves these on the node (no OVN load balancer is involved), so such a flow is judged in legs
 * (see explainNodePort in explainFlow.ts).
 */
export interface NodePortTarget {
  readonly kind: 'nodePort' | 'loadBalancer';
  /** NodePort: the node. LoadBalancer: null, the nodes follow from the client and the policy. */
  readonly node: Node | null;
  /** The address the client connects to: the node address, or the load balancer's. */
  readonly address: string;
  /** The port the client connects to: the nodePort, or the Service port at a load balancer. */
  readonly port: number;
  readonly service: Service;
  readonly servicePort: ServicePort;
  readonly label: string;
}

/** One node kube-proxy handles the connection on, and what it does there. */
export interface KubeProxyHop {
  readonly node: string;
  /** The source the endpoints' ingress rules see: the node's join address (Cluster) or the client. */
  readonly sourceSeenByEndpoints: string;
  /** Endpoints kube-proxy there may pick (with Local only those on the node). */
  readonly endpoints: readonly string[];
}

/** What explain reports about the kube-proxy leg of a NodePort or LoadBalancer flow. */
export interface NodePortLeg {
  readonly kind: 'nodePort' | 'loadBalancer';
  readonly address: string;
  readonly port: number;
  readonly service: { readonly namespace: string; readonly name: string; readonly port: number };
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  readonly nodes: readonly KubeProxyHop[];
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
 * `node:NODE:PORT`, an address of a Node with `port` equal to a Service's nodePort, or a
 * LoadBalancer ingress IP with `port` a port of its Service; null when `spec` is none of these (it
 * is then an ordinary destination).
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
    const balanced = inventory.services.find((s) => s.type === 'LoadBalancer' && s.loadBalancerIngress.includes(ip));
    if (balanced) {
      const servicePort = balanced.ports.find((p) => p.port === port);
      if (!servicePort) throw new FlowQueryError('port', `${ip} is the load balancer of Service ${balanced.namespace}/${balanced.name}, which has no port ${port}`);
      return { kind: 'loadBalancer', node: null, address: ip, port, service: balanced, servicePort, label: `load balancer ${ip}:${port}` };
    }
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
  return { kind: 'nodePort', node, address, port: nodePort, service, servicePort, label: `node ${node.name} ${address}:${nodePort}` };
}
