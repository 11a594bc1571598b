// Kube-OVN's join network on top of the harness topology: every node reaches the pods through its
// own port `node-<name>` on the join switch, which the cluster router connects to the pod switch.
//
//   node-<n> ──LSP── switch `join` (100.64.0.0/16) ──LRP ovn-cluster-join── router `ovn-cluster`
//                                                    ──LRP ovn-cluster-ovn-default── switch `ovn-default` ── pods
//
// A packet from the node (kubelet, or kube-proxy forwarding a NodePort) enters at `node-<n>` with
// the node's join address, is routed, and reaches the pod's port through the pod switch's ACLs.
import type { Ovn } from '../../harness/ovn.js';
import { DEFAULT_NETWORK, macFor, type Topology } from '../../harness/topology.js';
import type { L4, TraceQuery } from '../../harness/trace.js';

export const JOIN_SWITCH = 'join';
export const JOIN_GATEWAY = '100.64.0.1';

export interface JoinNode {
  readonly name: string;
  /** The node's join address (its `ovn.kubernetes.io/ip_address`). */
  readonly joinIp: string;
  /** The node's own addresses (InternalIP), routed to its join port as Kube-OVN does. */
  readonly nodeIps?: readonly string[];
  /** Pods on the node: their traffic to outside addresses leaves through the node (src-ip routes). */
  readonly podIps?: readonly string[];
}

export class JoinNetwork {
  constructor(
    private readonly topology: Topology,
    readonly routerMac: string,
    private readonly nodes: ReadonlyMap<string, JoinNode & { readonly port: string; readonly mac: string }>,
  ) {}

  /** The node's port, `node-<name>`. */
  portOf(node: string): string {
    return this.node(node).port;
  }

  /**
   * First packet from the node to a pod (routed from `join` to the pod switch), from its join
   * address or from `source` (a client address kube-proxy kept, externalTrafficPolicy Local).
   */
  nodeToPod(node: string, podKey: string, conn: { protocol: L4; port: number }, source?: string): TraceQuery {
    const from = this.node(node);
    const to = this.topology.pod(podKey);
    return {
      packet: {
        datapath: JOIN_SWITCH,
        inport: from.port,
        ethSrc: from.mac,
        ethDst: this.routerMac,
        ipSrc: source ?? from.joinIp,
        ipDst: to.ipv4!,
        protocol: conn.protocol,
        dstPort: conn.port,
      },
      expectOutport: to.port,
    };
  }

  /** First packet from a pod to a node's join address, or another of its addresses (routed to the node's port). */
  podToNode(podKey: string, node: string, conn: { protocol: L4; port: number }, address?: string): TraceQuery {
    const from = this.topology.pod(podKey);
    const to = this.node(node);
    return {
      packet: {
        datapath: this.topology.network.switchName,
        inport: from.port,
        ethSrc: from.mac,
        ethDst: this.topology.routerMac,
        ipSrc: from.ipv4!,
        ipDst: address ?? to.joinIp,
        protocol: conn.protocol,
        dstPort: conn.port,
      },
      expectOutport: to.port,
    };
  }

  private node(name: string) {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`join network: no node ${name}`);
    return n;
  }
}

/** Adds the join switch, its router port and one `node-<name>` port per node (one transaction). */
export async function buildJoinNetwork(ovn: Ovn, topology: Topology, nodes: readonly JoinNode[]): Promise<JoinNetwork> {
  const router = DEFAULT_NETWORK.routerName;
  const lrp = `${router}-${JOIN_SWITCH}`;
  const routerMac = macFor(lrp);
  const commands: string[][] = [
    ['ls-add', JOIN_SWITCH],
    ['lrp-add', router, lrp, routerMac, `${JOIN_GATEWAY}/16`],
    ['lsp-add', JOIN_SWITCH, `${JOIN_SWITCH}-${router}`],
    ['lsp-set-type', `${JOIN_SWITCH}-${router}`, 'router'],
    ['lsp-set-addresses', `${JOIN_SWITCH}-${router}`, 'router'],
    ['lsp-set-options', `${JOIN_SWITCH}-${router}`, `router-port=${lrp}`],
  ];
  if (nodes.some((n) => (n.podIps ?? []).length > 0)) {
    commands.push(['lr-policy-add', router, '31000', `ip4.dst == ${DEFAULT_NETWORK.ipv4.cidr}`, 'allow']);
    commands.push(['lr-policy-add', router, '31000', 'ip4.dst == 100.64.0.0/16', 'allow']);
  }
  const byName = new Map<string, JoinNode & { port: string; mac: string }>();
  for (const node of nodes) {
    const port = `node-${node.name}`;
    const mac = macFor(port);
    byName.set(node.name, { ...node, port, mac });
    // No port security: kube-proxy forwards NodePort traffic into OVN through this port with the
    // client's address when externalTrafficPolicy is Local (Kube-OVN's ovn0 port carries it too).
    commands.push(['lsp-add', JOIN_SWITCH, port], ['lsp-set-addresses', port, `${mac} ${node.joinIp}`]);
    // Kube-OVN routes a node's own addresses to its join address (policy routes on the cluster router).
    for (const address of node.nodeIps ?? []) commands.push(['lr-route-add', router, `${address}/32`, node.joinIp]);
    // Kube-OVN's distributed gateway, as router policies: cluster-internal destinations are routed
    // as usual (allow at 31000), anything else a pod sends leaves through its own node (29000).
    for (const address of node.nodeIps ?? []) commands.push(['lr-policy-add', router, '31000', `ip4.dst == ${address}`, 'allow']);
    for (const address of node.podIps ?? []) commands.push(['lr-policy-add', router, '29000', `ip4.src == ${address}`, 'reroute', node.joinIp]);
  }
  await ovn.nbctl(commands.flatMap((c, i) => (i === 0 ? c : ['--', ...c])));
  return new JoinNetwork(topology, routerMac, byName);
}
