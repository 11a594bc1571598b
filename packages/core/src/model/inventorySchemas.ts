import * as z from 'zod';
import { canonicalIp } from '../net/ip.js';
import { clusterMeta, dnsLabel, labels, namespacedMeta, serviceMeta } from './meta.js';
import { labelMap } from '../manifests/names.js';
import { NAMESPACE_NAME_LABEL, type Namespace, type Node, type Pod, type Service, NODE_JOIN_IP_ANNOTATION } from './inventory.js';
import type { SourceRef } from '../errors.js';

export const l4Protocol = z.enum(['TCP', 'UDP', 'SCTP'], { message: 'protocol must be TCP, UDP or SCTP' });
const portNumber = z.number().int().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535');
const ipText = z.string().refine((s) => canonicalIp(s) !== null, { message: 'must be an IPv4 or IPv6 address' });

const namespaceSchema = z.object({ metadata: z.object({ name: dnsLabel, labels }) });

const containerSchema = z.object({
  ports: z
    .array(
      z.object({
        name: z.string().max(15).optional(),
        containerPort: portNumber,
        protocol: l4Protocol.default('TCP'),
      }),
    )
    .default([]),
});

const podSchema = z.object({
  metadata: namespacedMeta,
  spec: z
    .object({
      nodeName: z.string().optional(),
      hostNetwork: z.boolean().default(false),
      containers: z.array(containerSchema).default([]),
      // Init containers with restartPolicy Always are sidecars (Kubernetes 1.29+): they keep running
      // and their named ports count like any container's.
      initContainers: z.array(containerSchema.extend({ restartPolicy: z.string().optional() })).default([]),
    })
    .default({ hostNetwork: false, containers: [], initContainers: [] }),
  status: z
    .object({
      podIP: ipText.optional(),
      podIPs: z.array(z.object({ ip: ipText })).optional(),
    })
    .default({}),
});

const serviceSchema = z.object({
  metadata: serviceMeta,
  status: z
    .object({
      loadBalancer: z
        .object({ ingress: z.array(z.object({ ip: ipText.optional(), hostname: z.string().optional() })).default([]) })
        .default({ ingress: [] }),
    })
    .default({ loadBalancer: { ingress: [] } }),
  spec: z.object({
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).default('ClusterIP'),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    selector: labelMap.optional(),
    externalTrafficPolicy: z.enum(['Cluster', 'Local']).default('Cluster'),
    ports: z
      .array(
        z.object({
          name: z.string().optional(),
          protocol: l4Protocol.default('TCP'),
          port: portNumber,
          targetPort: z.union([portNumber, z.string().min(1)]).optional(),
          nodePort: portNumber.optional(),
        }),
      )
      .default([]),
  }),
});

/** `100.64.0.2` or `100.64.0.2,fd00:100:64::2`: at most one address per family. */
const joinIpsText = z
  .string()
  .optional()
  .refine(
    (text) => {
      if (text === undefined || text.trim() === '') return true;
      const ips = text.split(',').map((p) => canonicalIp(p.trim()));
      if (ips.some((ip) => ip === null)) return false;
      return new Set(ips.map((ip) => (ip!.includes(':') ? 6 : 4))).size === ips.length;
    },
    { message: 'must be one IP address per family, comma-separated' },
  );

const nodeSchema = z.object({
  metadata: clusterMeta.extend({
    annotations: z.object({ [NODE_JOIN_IP_ANNOTATION]: joinIpsText }).passthrough().default({}),
  }),
  status: z
    .object({ addresses: z.array(z.object({ type: z.string(), address: z.string() })).default([]) })
    .default({ addresses: [] }),
});

export const inventorySchemas = {
  Namespace: namespaceSchema,
  Pod: podSchema,
  Service: serviceSchema,
  Node: nodeSchema,
};

export function toNamespace(v: z.infer<typeof namespaceSchema>, source: SourceRef): Namespace {
  return { name: v.metadata.name, labels: { ...v.metadata.labels, [NAMESPACE_NAME_LABEL]: v.metadata.name }, source };
}

export function toPod(v: z.infer<typeof podSchema>, source: SourceRef): Pod {
  const rawIps = v.status.podIPs?.map((p) => p.ip) ?? (v.status.podIP ? [v.status.podIP] : []);
  const ips = [...new Set(rawIps.map((ip) => canonicalIp(ip)!))];
  return {
    namespace: v.metadata.namespace,
    name: v.metadata.name,
    labels: v.metadata.labels,
    nodeName: v.spec.nodeName ?? null,
    hostNetwork: v.spec.hostNetwork,
    ips,
    containerPorts: [...v.spec.containers, ...v.spec.initContainers.filter((c) => c.restartPolicy === 'Always')].flatMap((c) =>
      c.ports.map((p) => ({ name: p.name ?? null, port: p.containerPort, protocol: p.protocol })),
    ),
    source,
  };
}

export function toService(v: z.infer<typeof serviceSchema>, source: SourceRef): Service {
  const ips = v.spec.clusterIPs ?? (v.spec.clusterIP ? [v.spec.clusterIP] : []);
  return {
    namespace: v.metadata.namespace,
    name: v.metadata.name,
    type: v.spec.type,
    clusterIPs: ips.filter((ip) => ip !== 'None').map((ip) => canonicalIp(ip) ?? ip),
    selector: v.spec.selector ?? null,
    ports: v.spec.ports.map((p) => ({
      name: p.name ?? null,
      protocol: p.protocol,
      port: p.port,
      // The API server defaults targetPort to port.
      targetPort: p.targetPort ?? p.port,
      nodePort: p.nodePort ?? null,
    })),
    externalTrafficPolicy: v.spec.externalTrafficPolicy,
    loadBalancerIngress: v.status.loadBalancer.ingress.flatMap((i) => (i.ip ? [canonicalIp(i.ip)!] : [])),
    source,
  };
}

export function toNode(v: z.infer<typeof nodeSchema>, source: SourceRef): Node {
  const joinText = v.metadata.annotations[NODE_JOIN_IP_ANNOTATION] ?? '';
  const joinIps = joinText.trim() === '' ? [] : joinText.split(',').map((p) => canonicalIp(p.trim())!);
  return { name: v.metadata.name, labels: v.metadata.labels, addresses: v.status.addresses, joinIps, source };
}
