import * as z from 'zod';
import { handlerFor, type KindHandler } from '../manifests/handler.js';
import { dnsSubdomain } from '../model/meta.js';
import { canonicalIp, formatCidr, formatIp, parseCidr, parseIp, type IpFamily } from '../net/ip.js';
import { type InputIssue, type SourceRef } from '../errors.js';
import { DEFAULT_EXTERNAL_SUBNET, DEFAULT_VPC, STATELESS_ANNOTATION, type KubeOvnIp, type KubeOvnSubnet, type KubeOvnVip, type KubeOvnVpc, type NatObject, type OvnDnatRule, type OvnEip, type OvnFip, type OvnSnatRule } from './kubeOvnObjects.js';

/**
 * Per-object validation of the Kube-OVN kinds NAT needs. Kube-OVN's CRD schemas declare every
 * field a plain string with no enum (its checks live in the controller, which just requeues), so
 * here is where a typo becomes an error naming the field instead of a NAT that silently never
 * appears. Empty strings mean "unset", as in Kube-OVN.
 */

const KUBE_OVN_API = ['kubeovn.io/v1'];

/** A Kube-OVN kind whose valid objects `read` turns into the model's NAT object, or into the issues that refuse it. */
function kubeOvnHandler<S extends z.ZodType>(
  schema: S,
  read: (value: z.output<S>, source: SourceRef) => NatObject | readonly InputIssue[],
): KindHandler {
  return handlerFor({ apiVersions: KUBE_OVN_API, scope: 'Cluster' }, schema, (value, source, into) => {
    const object = read(value, source);
    if (!('kind' in object)) return object;
    into.nat.push(object);
    return [];
  });
}

const blankToNull = (s: string | undefined): string | null => (s === undefined || s.trim() === '' ? null : s.trim());

const optionalText = z.string().optional().transform(blankToNull);

const requiredText = z.string({ message: 'is required' }).min(1, 'is required');

/** The OvnEip a rule translates to (`spec.ovnEip`), blanks around it ignored. */
const ovnEipName = z.string({ message: 'is required' }).trim().min(1, 'is required');

/**
 * An optional field of one address family: blank reads as null; otherwise `parse` must give a value
 * of `family`, which `format` writes canonically.
 */
function optionalOfFamily<T extends { readonly family: IpFamily }>(family: IpFamily, what: string, parse: (text: string) => T | null, format: (value: T) => string) {
  return z
    .string()
    .optional()
    .refine(
      (s) => {
        const text = blankToNull(s);
        return text === null || parse(text)?.family === family;
      },
      { message: `must be an IPv${family} ${what}` },
    )
    .transform((s) => {
      const text = blankToNull(s);
      return text === null ? null : format(parse(text)!);
    });
}

const optionalIpOf = (family: IpFamily) => optionalOfFamily(family, 'address', parseIp, formatIp);

/** An address or a CIDR of one family; a bare address becomes a host prefix. */
const optionalCidrOf = (family: IpFamily) => optionalOfFamily(family, 'address or CIDR', parseCidr, formatCidr);

const MAC = /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/;
const optionalMac = z
  .string()
  .optional()
  .refine((s) => blankToNull(s) === null || MAC.test(s!.trim()), { message: 'must be a MAC address such as 00:00:00:0a:dd:27' })
  .transform((s) => blankToNull(s)?.toLowerCase() ?? null);

/** Kube-OVN writes ports as strings; accept numbers too. A single port: OVN VIPs take no ranges. */
const portNumber = z
  .union([z.number(), z.string()])
  .refine((p) => /^[0-9]{1,5}$/.test(String(p).trim()) && Number(p) >= 1 && Number(p) <= 65535, {
    message: 'must be a port number between 1 and 65535',
  })
  .transform((p) => Number(p));

/** Any case accepted (`TCP`, `udp`); OVN's Load_Balancer.protocol enum is lower-case. */
const lbProtocol = z
  .string({ message: 'is required (tcp, udp or sctp)' })
  .transform((p) => p.trim().toLowerCase())
  .refine((p) => p === 'tcp' || p === 'udp' || p === 'sctp', { message: 'must be tcp, udp or sctp (any case)' })
  .transform((p) => p as 'tcp' | 'udp' | 'sctp');

const targetKind = z
  .enum(['', 'ip', 'vip'], { message: 'ipType must be ip or vip' })
  .default('')
  .transform((t) => (t === 'vip' ? 'vip' : 'ip'));

const meta = z.object({
  name: dnsSubdomain,
  annotations: z.record(z.string(), z.string()).default({}),
});

const ovnEipSchema = z.object({
  metadata: meta,
  spec: z
    .object({
      externalSubnet: optionalText,
      v4Ip: optionalIpOf(4),
      v6Ip: optionalIpOf(6),
      macAddress: optionalMac,
      type: z.enum(['', 'nat', 'lrp', 'lsp'], { message: 'type must be nat, lrp or lsp' }).default(''),
    })
    .default({ externalSubnet: null, v4Ip: null, v6Ip: null, macAddress: null, type: '' }),
  status: z.object({ v4Ip: optionalIpOf(4), v6Ip: optionalIpOf(6) }).default({ v4Ip: null, v6Ip: null }),
});

const statelessAnnotation = z.enum(['true', 'false'], { message: 'must be "true" or "false"' }).optional();

const ovnFipSchema = z.object({
  metadata: meta.extend({
    annotations: z.object({ [STATELESS_ANNOTATION]: statelessAnnotation }).catchall(z.string()).default({}),
  }),
  spec: z.object({
    ovnEip: ovnEipName,
    ipType: targetKind,
    ipName: optionalText,
    vpc: optionalText,
    v4Ip: optionalIpOf(4),
    v6Ip: optionalIpOf(6),
    type: z.enum(['', 'distributed', 'centralized'], { message: 'type must be distributed or centralized' }).default(''),
  }),
});

const ovnSnatSchema = z.object({
  metadata: meta,
  spec: z.object({
    ovnEip: ovnEipName,
    vpcSubnet: optionalText,
    ipName: optionalText,
    vpc: optionalText,
    v4IpCidr: optionalCidrOf(4),
    v6IpCidr: optionalCidrOf(6),
  }),
});

const ovnDnatSchema = z.object({
  metadata: meta,
  spec: z.object({
    ovnEip: ovnEipName,
    ipType: targetKind,
    ipName: optionalText,
    internalPort: portNumber,
    externalPort: portNumber,
    protocol: lbProtocol,
    vpc: optionalText,
    v4Ip: optionalIpOf(4),
    v6Ip: optionalIpOf(6),
  }),
});

const vpcSchema = z.object({
  metadata: meta,
  spec: z
    .object({
      enableExternal: z.boolean().default(false),
      extraExternalSubnets: z.array(z.string().min(1)).default([]),
    })
    .default({ enableExternal: false, extraExternalSubnets: [] }),
});

const subnetSchema = z.object({
  metadata: meta,
  spec: z.object({
    vpc: optionalText,
    protocol: z.enum(['', 'IPv4', 'IPv6', 'Dual'], { message: 'protocol must be IPv4, IPv6 or Dual' }).default(''),
    cidrBlock: requiredText,
  }),
});

const ipSchema = z.object({
  metadata: meta,
  spec: z.object({
    subnet: requiredText,
    ipAddress: optionalText,
    v4IpAddress: optionalIpOf(4),
    v6IpAddress: optionalIpOf(6),
    macAddress: optionalMac,
    nodeName: optionalText,
  }),
});

const vipSchema = z.object({
  metadata: meta,
  spec: z.object({
    subnet: requiredText,
    v4ip: optionalIpOf(4),
    v6ip: optionalIpOf(6),
  }),
  status: z.object({ v4ip: optionalIpOf(4), v6ip: optionalIpOf(6) }).default({ v4ip: null, v6ip: null }),
});

export const ovnEipHandler: KindHandler = kubeOvnHandler(ovnEipSchema, (v, source): OvnEip => ({
  kind: 'OvnEip',
  name: v.metadata.name,
  externalSubnet: v.spec.externalSubnet ?? DEFAULT_EXTERNAL_SUBNET,
  externalSubnetDefaulted: v.spec.externalSubnet === null,
  v4Ip: v.spec.v4Ip ?? v.status.v4Ip,
  v6Ip: v.spec.v6Ip ?? v.status.v6Ip,
  type: v.spec.type === '' ? 'nat' : v.spec.type,
  source,
}));

export const ovnFipHandler: KindHandler = kubeOvnHandler(ovnFipSchema, (v, source): OvnFip => ({
  kind: 'OvnFip',
  name: v.metadata.name,
  ovnEip: v.spec.ovnEip,
  ipType: v.spec.ipType,
  ipName: v.spec.ipName,
  vpc: v.spec.vpc,
  v4Ip: v.spec.v4Ip,
  v6Ip: v.spec.v6Ip,
  placement: v.spec.type === 'centralized' ? 'centralized' : 'distributed',
  stateless: v.metadata.annotations[STATELESS_ANNOTATION] === 'true',
  source,
}));

export const ovnSnatRuleHandler: KindHandler = kubeOvnHandler(ovnSnatSchema, (v, source): OvnSnatRule => ({ kind: 'OvnSnatRule', name: v.metadata.name, ...v.spec, source }));

export const ovnDnatRuleHandler: KindHandler = kubeOvnHandler(ovnDnatSchema, (v, source): OvnDnatRule => ({ kind: 'OvnDnatRule', name: v.metadata.name, ...v.spec, source }));

export const vpcHandler: KindHandler = kubeOvnHandler(vpcSchema, (v, source): KubeOvnVpc => ({ kind: 'Vpc', name: v.metadata.name, ...v.spec, source }));

export const subnetHandler: KindHandler = kubeOvnHandler(subnetSchema, (v, source) => {
  const issues: InputIssue[] = [];
  const byFamily: Partial<Record<IpFamily, string>> = {};
  for (const part of v.spec.cidrBlock.split(',').map((p) => p.trim())) {
    const cidr = part.includes('/') ? parseCidr(part) : null;
    if (!cidr) {
      issues.push({ source, path: 'spec.cidrBlock', message: `${JSON.stringify(part)} is not a CIDR` });
    } else if (byFamily[cidr.family] !== undefined) {
      issues.push({ source, path: 'spec.cidrBlock', message: `more than one IPv${cidr.family} CIDR` });
    } else {
      byFamily[cidr.family] = formatCidr(cidr);
    }
  }
  const families = `${byFamily[4] ? 'v4' : ''}${byFamily[6] ? 'v6' : ''}`;
  const expected = { IPv4: 'v4', IPv6: 'v6', Dual: 'v4v6', '': families }[v.spec.protocol];
  if (issues.length === 0 && expected !== families) {
    issues.push({ source, path: 'spec.protocol', message: `${v.spec.protocol} does not match cidrBlock ${v.spec.cidrBlock}` });
  }
  if (issues.length > 0) return issues;
  const subnet: KubeOvnSubnet = {
    kind: 'Subnet',
    name: v.metadata.name,
    vpc: v.spec.vpc ?? DEFAULT_VPC,
    v4Cidr: byFamily[4] ?? null,
    v6Cidr: byFamily[6] ?? null,
    source,
  };
  return subnet;
});

export const ipHandler: KindHandler = kubeOvnHandler(ipSchema, (v, source) => {
  // Older IP objects carry only `ipAddress` ("10.0.0.5" or "10.0.0.5,fd00::5").
  const fromList = (family: IpFamily): string | null => {
    for (const part of (v.spec.ipAddress ?? '').split(',')) {
      const ip = parseIp(part.trim());
      if (ip?.family === family) return canonicalIp(part.trim());
    }
    return null;
  };
  const ip: KubeOvnIp = {
    kind: 'IP',
    name: v.metadata.name,
    subnet: v.spec.subnet,
    v4: v.spec.v4IpAddress ?? fromList(4),
    v6: v.spec.v6IpAddress ?? fromList(6),
    mac: v.spec.macAddress,
    nodeName: v.spec.nodeName,
    source,
  };
  return ip;
});

export const vipHandler: KindHandler = kubeOvnHandler(vipSchema, (v, source): KubeOvnVip => ({
  kind: 'Vip',
  name: v.metadata.name,
  subnet: v.spec.subnet,
  v4: v.spec.v4ip ?? v.status.v4ip,
  v6: v.spec.v6ip ?? v.status.v6ip,
  source,
}));
