// The logical network the tests run policies on, shaped like a Kube-OVN overlay cluster:
//
//   pods ──LSP── logical switch `ovn-default` ──router port── logical router `ovn-cluster`
//                     └─ Load_Balancers (Services: VIP:port → podIP:targetPort)
//
// One logical switch port per pod, named like Kube-OVN names it (`<pod>.<namespace>`), with a
// deterministic MAC, its IPs as `addresses` and `port_security` (so a probe cannot spoof its source).
// Pod-to-pod probes are switched directly (eth.dst = the peer's MAC); Service probes go to the
// gateway MAC, get DNATed by the switch load balancer, routed by `ovn-cluster` and switched back
// to the backend, which is the path a real overlay Service packet takes.
import type { Ovn } from './ovn.js';
import type { L4, TracePacket, TraceQuery } from './trace.js';

export interface NetworkSpec {
  readonly switchName: string;
  readonly routerName: string;
  readonly ipv4: { readonly cidr: string; readonly gateway: string };
  readonly ipv6: { readonly cidr: string; readonly gateway: string };
}

/** Kube-OVN's default subnet and cluster router names, with a dual-stack subnet. */
export const DEFAULT_NETWORK: NetworkSpec = {
  switchName: 'ovn-default',
  routerName: 'ovn-cluster',
  ipv4: { cidr: '10.16.0.0/16', gateway: '10.16.0.1' },
  ipv6: { cidr: 'fd00:10:16::/64', gateway: 'fd00:10:16::1' },
};

/** What the topology needs to know about a pod (the core `Pod` type fits). */
export interface TopologyPod {
  readonly namespace: string;
  readonly name: string;
  readonly ips: readonly string[];
  readonly hostNetwork?: boolean;
}

/** A Service as an OVN load balancer: `"VIP:port"` (IPv6: `"[VIP]:port"`) → backends `"IP:port"`. */
export interface LoadBalancerSpec {
  readonly name: string;
  readonly protocol: L4;
  readonly vips: Readonly<Record<string, readonly string[]>>;
}

export interface TopologySpec {
  readonly network?: NetworkSpec;
  readonly pods: readonly TopologyPod[];
  /** Logical switch port of a pod; Kube-OVN's `<pod>.<namespace>` by default. */
  readonly portNameFor?: (pod: TopologyPod) => string;
  readonly loadBalancers?: readonly LoadBalancerSpec[];
}

export interface PodPort {
  readonly namespace: string;
  readonly name: string;
  /** Logical switch port name. */
  readonly port: string;
  readonly mac: string;
  readonly ipv4: string | null;
  readonly ipv6: string | null;
}

export interface Connection {
  readonly protocol: L4;
  readonly port: number;
  readonly family: 4 | 6;
}

export const kubeOvnPortName = (pod: TopologyPod): string => `${pod.name}.${pod.namespace}`;

export class Topology {
  private readonly byKey: ReadonlyMap<string, PodPort>;

  constructor(
    readonly network: NetworkSpec,
    readonly routerMac: string,
    readonly pods: readonly PodPort[],
  ) {
    this.byKey = new Map(pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  }

  /** The port of pod `namespace/name`; throws for a pod that is not on the switch. */
  pod(key: string): PodPort {
    const port = this.byKey.get(key);
    if (!port) throw new Error(`topology: no logical switch port for pod ${key}`);
    return port;
  }

  /** First packet of a connection from one pod to another pod's address of `conn.family`. */
  podToPod(fromKey: string, toKey: string, conn: Connection): TraceQuery {
    const from = this.pod(fromKey);
    const to = this.pod(toKey);
    return {
      packet: this.packet(from, to.mac, addressOf(to, conn.family), conn),
      expectOutport: to.port,
    };
  }

  /**
   * First packet from a pod to an address outside its subnet (a Service VIP): sent to the gateway
   * MAC, as the pod's IP stack would. `backendKey` is the pod that should receive it after DNAT.
   */
  podToAddress(fromKey: string, ip: string, conn: Omit<Connection, 'family'>, backendKey: string): TraceQuery {
    const from = this.pod(fromKey);
    const family = ip.includes(':') ? 6 : 4;
    return {
      packet: this.packet(from, this.routerMac, ip, { ...conn, family }),
      expectOutport: this.pod(backendKey).port,
    };
  }

  private packet(from: PodPort, ethDst: string, ipDst: string, conn: Connection): TracePacket {
    return {
      datapath: this.network.switchName,
      inport: from.port,
      ethSrc: from.mac,
      ethDst,
      ipSrc: addressOf(from, conn.family),
      ipDst,
      protocol: conn.protocol,
      dstPort: conn.port,
    };
  }
}

function addressOf(port: PodPort, family: 4 | 6): string {
  const ip = family === 4 ? port.ipv4 : port.ipv6;
  if (ip === null) throw new Error(`topology: pod ${port.namespace}/${port.name} has no IPv${family} address`);
  return ip;
}

/** Deterministic locally administered MAC from a name (FNV-1a), Kube-OVN style `0a:58:..`. */
export function macFor(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const bytes = [0x0a, 0x58, (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

const prefixLength = (cidr: string): string => cidr.slice(cidr.indexOf('/') + 1);

/**
 * Creates the switch, router, pod ports and load balancers in the NB (one ovn-nbctl
 * transaction) and returns how to address packets on it. Pods without IPs or on the host
 * network get no port, like in a real cluster.
 */
export async function buildTopology(ovn: Ovn, spec: TopologySpec): Promise<Topology> {
  const net = spec.network ?? DEFAULT_NETWORK;
  const portNameFor = spec.portNameFor ?? kubeOvnPortName;
  const routerPort = `${net.routerName}-${net.switchName}`;
  const switchRouterPort = `${net.switchName}-${net.routerName}`;
  const routerMac = macFor(routerPort);

  const ports: PodPort[] = [];
  const macs = new Set<string>([routerMac]);
  for (const pod of spec.pods) {
    if (pod.hostNetwork || pod.ips.length === 0) continue;
    const port = portNameFor(pod);
    const mac = macFor(port);
    if (macs.has(mac)) throw new Error(`topology: MAC collision for ${port}; rename a pod`);
    macs.add(mac);
    ports.push({
      namespace: pod.namespace,
      name: pod.name,
      port,
      mac,
      ipv4: pod.ips.find((ip) => !ip.includes(':')) ?? null,
      ipv6: pod.ips.find((ip) => ip.includes(':')) ?? null,
    });
  }

  const commands: string[][] = [
    ['ls-add', net.switchName],
    ['lr-add', net.routerName],
    [
      'lrp-add',
      net.routerName,
      routerPort,
      routerMac,
      `${net.ipv4.gateway}/${prefixLength(net.ipv4.cidr)}`,
      `${net.ipv6.gateway}/${prefixLength(net.ipv6.cidr)}`,
    ],
    ['lsp-add', net.switchName, switchRouterPort],
    ['lsp-set-type', switchRouterPort, 'router'],
    ['lsp-set-addresses', switchRouterPort, 'router'],
    ['lsp-set-options', switchRouterPort, `router-port=${routerPort}`],
  ];
  for (const p of ports) {
    const addresses = [p.mac, p.ipv4, p.ipv6].filter((a): a is string => a !== null).join(' ');
    commands.push(
      ['lsp-add', net.switchName, p.port],
      ['lsp-set-addresses', p.port, addresses],
      ['lsp-set-port-security', p.port, addresses],
    );
  }
  for (const lb of spec.loadBalancers ?? []) {
    for (const [vip, backends] of Object.entries(lb.vips)) {
      commands.push(['--may-exist', 'lb-add', lb.name, vip, backends.join(','), lb.protocol]);
    }
    commands.push(['ls-lb-add', net.switchName, lb.name]);
  }
  await ovn.nbctl(commands.flatMap((c, i) => (i === 0 ? c : ['--', ...c])));
  return new Topology(net, routerMac, ports);
}
