// Services as the OVN load balancers a Kube-OVN cluster has on its pod switch: one
// Load_Balancer per Service port and protocol, VIP `clusterIP:port` → `podIP:targetPort` for
// every pod the Service selects (a named targetPort resolves per pod, like Endpoints do).
// Test-bed plumbing (Kube-OVN's controller does this in a real cluster), not something nbgen emits.
import type { L4 } from './trace.js';
import type { LoadBalancerSpec } from './topology.js';

/** The Service and Pod fields this needs (the core `Service` and `Pod` types fit). */
export interface ServiceLike {
  readonly namespace: string;
  readonly name: string;
  readonly clusterIPs: readonly string[];
  readonly selector: Readonly<Record<string, string>> | null;
  readonly ports: readonly {
    readonly protocol: 'TCP' | 'UDP' | 'SCTP';
    readonly port: number;
    readonly targetPort: number | string;
  }[];
}

export interface PodLike {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ips: readonly string[];
  readonly containerPorts: readonly { readonly name: string | null; readonly port: number; readonly protocol: string }[];
}

const hostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

export function loadBalancersForServices(services: readonly ServiceLike[], pods: readonly PodLike[]): LoadBalancerSpec[] {
  const balancers: LoadBalancerSpec[] = [];
  for (const svc of services) {
    if (svc.selector === null) continue;
    const selector = svc.selector;
    const endpoints = pods.filter(
      (p) => p.namespace === svc.namespace && Object.entries(selector).every(([k, v]) => p.labels[k] === v),
    );
    for (const port of svc.ports) {
      const vips: Record<string, string[]> = {};
      for (const vip of svc.clusterIPs) {
        const family = vip.includes(':');
        const backends = endpoints.flatMap((pod) => {
          const target =
            typeof port.targetPort === 'number'
              ? port.targetPort
              : pod.containerPorts.find((c) => c.name === port.targetPort && c.protocol === port.protocol)?.port;
          const ip = pod.ips.find((i) => i.includes(':') === family);
          return target === undefined || ip === undefined ? [] : [hostPort(ip, target)];
        });
        // A VIP without endpoints has no backend to write (ovn-nbctl needs at least one).
        if (backends.length > 0) vips[hostPort(vip, port.port)] = backends;
      }
      if (Object.keys(vips).length === 0) continue;
      balancers.push({
        name: `${svc.namespace}/${svc.name}:${port.port}/${port.protocol.toLowerCase()}`,
        protocol: port.protocol.toLowerCase() as L4,
        vips,
      });
    }
  }
  return balancers;
}
