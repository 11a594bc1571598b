import type { Inventory, Pod, Service } from '@ovn-nbgen/core';
import type { ServiceBackend } from '@ovn-nbgen/core/explain';
import { canonicalIp, type L4Protocol } from '@ovn-nbgen/core/model';
import type { LiveNb } from '@ovn-nbgen/ovsdb';
import { podOfPort } from './portNames.js';

/** What explain needs to judge a live NB: its pods and VIPs, named by -f manifests where given. */
export interface LiveInventory {
  readonly inventory: Inventory;
  readonly portNameFor: (pod: Pod) => string;
  readonly serviceBackends: (service: Service, port: number, protocol: L4Protocol) => readonly ServiceBackend[];
}

/** Namespace of a pod whose port follows no naming convention: explain names it by its port. */
export const UNNAMED_PORT_NAMESPACE = '(port)';
/** Namespace of a VIP no manifest and no external_ids name: explain names it by its load balancer. */
export const LOAD_BALANCER_NAMESPACE = 'Load_Balancer';

interface VipEntry {
  readonly vip: string;
  readonly port: number;
  readonly protocol: L4Protocol;
  readonly backends: readonly { readonly ip: string; readonly port: number }[];
  readonly lb: { readonly name: string; readonly externalIds: Readonly<Record<string, string>> };
}

/**
 * Pods are the NB's VIF ports (a manifest's Pod adds its labels and ports; a Pod the NB has no
 * port for has no address here, so explain says it has no OVN port), Services are the VIPs of the
 * load balancers on the switches, with the backends those load balancers hold.
 */
export function liveInventory(live: LiveNb, manifests: Inventory | null, templates: readonly string[]): LiveInventory {
  const portOfPod = new Map<string, string>();
  const livePods = new Map<string, Pod>();
  for (const port of live.ports) {
    if (port.type !== '' || port.ips.length === 0) continue;
    const named = podOfPort(port, templates) ?? { namespace: UNNAMED_PORT_NAMESPACE, name: port.name };
    const key = `${named.namespace}/${named.name}`;
    portOfPod.set(key, port.name);
    livePods.set(key, {
      namespace: named.namespace,
      name: named.name,
      labels: {},
      nodeName: null,
      hostNetwork: false,
      ips: port.ips,
      containerPorts: [],
      source: { file: `NB Logical_Switch_Port ${port.name}`, doc: 0 },
    });
  }
  const pods: Pod[] = [];
  for (const pod of manifests?.pods ?? []) {
    const key = `${pod.namespace}/${pod.name}`;
    const fromNb = livePods.get(key);
    livePods.delete(key);
    pods.push({ ...pod, ips: fromNb && !pod.hostNetwork ? fromNb.ips : [] });
  }
  pods.push(...livePods.values());

  const entries = vipEntries(live);
  const services = servicesOf(entries, manifests?.services ?? []);
  const podByIp = new Map<string, Pod>();
  for (const pod of pods) for (const ip of pod.ips) podByIp.set(ip, pod);
  const inventory: Inventory = { ...(manifests ?? { namespaces: [], nodes: [] }), pods, services };
  return {
    inventory,
    portNameFor: (pod) => portOfPod.get(`${pod.namespace}/${pod.name}`) ?? `${pod.name}.${pod.namespace}`,
    serviceBackends: (service, port, protocol) =>
      entries
        .filter((e) => service.clusterIPs.includes(e.vip) && e.port === port && e.protocol === protocol)
        .flatMap((e) => e.backends)
        .flatMap((b) => {
          const pod = podByIp.get(b.ip);
          return pod ? [{ pod, targetPort: b.port }] : [];
        }),
  };
}

/** `"VIP:PORT"` / `"[VIP6]:PORT"` → backends `"IP:PORT,..."` of every load balancer on a switch. */
function vipEntries(live: LiveNb): VipEntry[] {
  const out: VipEntry[] = [];
  for (const { row } of live.loadBalancers) {
    const protocol = row.protocol.toUpperCase() as L4Protocol;
    for (const [key, value] of Object.entries(row.vips)) {
      const vip = splitHostPort(key);
      if (vip === null || vip.port === null) continue;
      const backends = value
        .split(',')
        .map((b) => splitHostPort(b.trim()))
        .flatMap((b) => (b === null ? [] : [{ ip: b.ip, port: b.port ?? vip.port! }]));
      out.push({ vip: vip.ip, port: vip.port, protocol, backends, lb: { name: row.name, externalIds: row.externalIds } });
    }
  }
  return out;
}

function splitHostPort(text: string): { ip: string; port: number | null } | null {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  if (!m) return null;
  const ip = canonicalIp(m[1]!);
  return ip === null ? null : { ip, port: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * One Service per VIP: the manifest Service with that ClusterIP, else the one ovn-kubernetes names
 * in `external_ids:k8s.ovn.org/owner` (NAMESPACE/NAME), else the load balancer's name.
 */
function servicesOf(entries: readonly VipEntry[], manifestServices: readonly Service[]): Service[] {
  const byVip = new Map<string, VipEntry[]>();
  for (const e of entries) byVip.set(e.vip, [...(byVip.get(e.vip) ?? []), e]);
  const services: Service[] = [];
  const used = new Set<Service>();
  for (const [vip, list] of byVip) {
    const manifest = manifestServices.find((s) => s.clusterIPs.includes(vip));
    if (manifest) {
      if (!used.has(manifest)) services.push(manifest);
      used.add(manifest);
      continue;
    }
    const owner = /^([^/\s]+)\/([^/\s]+)$/.exec(list[0]!.lb.externalIds['k8s.ovn.org/owner'] ?? '');
    const ports = [...new Map(list.map((e) => [`${e.port}/${e.protocol}`, e])).values()];
    services.push({
      namespace: owner ? owner[1]! : LOAD_BALANCER_NAMESPACE,
      name: owner ? owner[2]! : list[0]!.lb.name,
      type: 'ClusterIP',
      clusterIPs: [vip],
      selector: {},
      ports: ports.map((e) => ({ name: null, protocol: e.protocol, port: e.port, targetPort: e.port, nodePort: null })),
      externalTrafficPolicy: 'Cluster',
      loadBalancerIngress: [],
      source: { file: `NB Load_Balancer ${list[0]!.lb.name}`, doc: 0 },
    });
  }
  return [...services, ...manifestServices.filter((s) => !used.has(s))];
}
