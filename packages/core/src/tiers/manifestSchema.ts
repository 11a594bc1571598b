import * as z from 'zod';
import { l4Protocol } from '../model/inventorySchemas.js';
import { clusterMeta } from '../model/meta.js';
import { parseCidr } from '../net/ip.js';
import { labelSelectorSchema } from '../selectors/labelSelector.js';

/**
 * zod schemas mirroring the upstream CRDs of kubernetes-sigs/network-policy-api:
 * ClusterNetworkPolicy v1alpha2 (bundle v0.2.0, experimental channel: it is the superset) and
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1 (bundle v0.1.7). Object specs are
 * strict: kubectl's default field validation rejects unknown fields, and a misspelt `ports` in a
 * CNP silently widening a Deny rule to all ports is exactly the mistake to catch.
 */

/** `minProperties: 1, maxProperties: 1` in the CRDs: exactly one of `keys` is set. */
function exactlyOne(keys: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const set = keys.filter((k) => value[k] !== undefined);
    if (set.length !== 1) {
      const found = set.length === 0 ? 'none' : set.join(', ');
      ctx.addIssue({ code: 'custom', message: `exactly one of ${keys.join(', ')} must be set (found ${found})` });
    }
  };
}

const portNumber = z
  .number({ message: 'must be a port number' })
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const policyPriority = z
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be between 0 and 1000')
  .max(1000, 'must be between 0 and 1000');

/** CEL `isCIDR(self)`, maxLength 43: an address with a prefix length (host bits allowed, as in Go's netip). */
const cidr = z
  .string()
  .max(43, 'must be at most 43 characters')
  .refine((s) => s.includes('/') && parseCidr(s) !== null, { message: 'Invalid CIDR format provided' });

/** `x-kubernetes-list-type: set`: the API server rejects duplicate entries. */
function uniqueList<T extends z.ZodType<string>>(item: T, max: number) {
  return z
    .array(item)
    .min(1, 'must have at least 1 item')
    .max(max, `must have at most ${max} items`)
    .superRefine((list, ctx) => {
      list.forEach((v, i) => {
        if (list.indexOf(v) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate value ${JSON.stringify(v)}` });
      });
    });
}

const domainName = z
  .string()
  .regex(
    /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/,
    'must be a DNS name, optionally starting with "*."',
  );

const ruleName = z.string().max(100, 'must be at most 100 characters').optional();

function actionEnum<const A extends readonly [string, ...string[]]>(actions: A) {
  return z.enum(actions, { message: `must be one of ${actions.join(', ')}` });
}

function listOf<T extends z.ZodType>(item: T, max: number) {
  return z.array(item).min(1, 'must have at least 1 item').max(max, `must have at most ${max} items`);
}

function rulesOf<T extends z.ZodType>(rule: T, max: number) {
  return z.array(rule).max(max, `must have at most ${max} rules`).optional();
}

// ---- ClusterNetworkPolicy v1alpha2 ------------------------------------------------------------

const cnpNamespacedPod = z.strictObject({
  /** Optional in v1alpha2: empty or absent selects all namespaces. */
  namespaceSelector: labelSelectorSchema.optional(),
  podSelector: labelSelectorSchema,
});

const cnpPortRange = z
  .strictObject({ start: portNumber, end: portNumber })
  .refine((r) => r.start < r.end, { message: 'Start port must be less than End port' });

const cnpDestinationPort = z
  .strictObject({ number: portNumber.optional(), range: cnpPortRange.optional() })
  .superRefine(exactlyOne(['number', 'range']));

/**
 * The CRD's `minProperties: 1` rejects `tcp: {}`, but the API docs say an omitted destinationPort
 * matches every port of the protocol; we accept it with that meaning.
 */
const cnpL4 = z.strictObject({ destinationPort: cnpDestinationPort.optional() });

const cnpProtocol = z
  .strictObject({
    tcp: cnpL4.optional(),
    udp: cnpL4.optional(),
    sctp: cnpL4.optional(),
    destinationNamedPort: z.string().min(1, 'must not be empty').optional(),
  })
  .superRefine(exactlyOne(['tcp', 'udp', 'sctp', 'destinationNamedPort']));

/** A subject or an ingress peer: namespaces or pods, exactly one (`pods` in the API version's NamespacedPod). */
function namespacesOrPods<P extends z.ZodType>(namespacedPod: P) {
  return z
    .strictObject({ namespaces: labelSelectorSchema.optional(), pods: namespacedPod.optional() })
    .superRefine(exactlyOne(['namespaces', 'pods']));
}

/** An egress peer: namespaces, pods, nodes, networks or domain names, exactly one. */
function egressPeerOf<P extends z.ZodType>(namespacedPod: P) {
  return z
    .strictObject({
      namespaces: labelSelectorSchema.optional(),
      pods: namespacedPod.optional(),
      nodes: labelSelectorSchema.optional(),
      networks: uniqueList(cidr, 25).optional(),
      domainNames: uniqueList(domainName, 25).optional(),
    })
    .superRefine(exactlyOne(['namespaces', 'pods', 'nodes', 'networks', 'domainNames']));
}

const cnpSubject = namespacesOrPods(cnpNamespacedPod);
const cnpIngressPeer = namespacesOrPods(cnpNamespacedPod);
const cnpEgressPeer = egressPeerOf(cnpNamespacedPod);

const cnpAction = actionEnum(['Accept', 'Deny', 'Pass'] as const);

const cnpIngressRule = z.strictObject({
  name: ruleName,
  action: cnpAction,
  from: listOf(cnpIngressPeer, 25),
  protocols: listOf(cnpProtocol, 25).optional(),
});

/** Experimental-channel CEL: named ports need pod peers (Nodes and networks have no named ports). */
function noNamedPortsWithAddressPeers(
  rule: { to: readonly Record<string, unknown>[]; named: boolean },
  ctx: z.RefinementCtx,
  what: string,
): void {
  const addressPeer = rule.to.some((p) => p.networks !== undefined || p.nodes !== undefined || p.domainNames !== undefined);
  if (addressPeer && rule.named) {
    ctx.addIssue({
      code: 'custom',
      message: `networks/nodes/domainNames peer cannot be set with ${what} since there are no named ports for networks/nodes/domainNames`,
    });
  }
}

const cnpEgressRule = z
  .strictObject({
    name: ruleName,
    action: cnpAction,
    to: listOf(cnpEgressPeer, 25),
    protocols: listOf(cnpProtocol, 25).optional(),
  })
  .superRefine((rule, ctx) =>
    noNamedPortsWithAddressPeers(
      { to: rule.to, named: (rule.protocols ?? []).some((p) => p.destinationNamedPort !== undefined) },
      ctx,
      'destinationNamedPort',
    ),
  );

export const clusterNetworkPolicySchema = z.object({
  metadata: clusterMeta,
  spec: z.strictObject({
    tier: z.enum(['Admin', 'Baseline'], { message: 'must be one of Admin, Baseline' }),
    priority: policyPriority,
    subject: cnpSubject,
    ingress: rulesOf(cnpIngressRule, 25),
    egress: rulesOf(cnpEgressRule, 25),
  }),
});

export type ClusterNetworkPolicyInput = z.output<typeof clusterNetworkPolicySchema>;
export type CnpProtocolInput = z.output<typeof cnpProtocol>;

// ---- AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1 ---------------------------------

/** v1alpha1 NamespacedPod: both selectors required. */
const anpNamespacedPod = z.strictObject({ namespaceSelector: labelSelectorSchema, podSelector: labelSelectorSchema });

const anpPort = z
  .strictObject({
    portNumber: z.strictObject({ protocol: l4Protocol.default('TCP'), port: portNumber }).optional(),
    portRange: z
      .strictObject({ protocol: l4Protocol.default('TCP'), start: portNumber, end: portNumber })
      // v1alpha1 documents "Start ... must be less than End" without a CEL rule; we enforce it.
      .refine((r) => r.start < r.end, { message: 'start must be less than end' })
      .optional(),
    namedPort: z.string().min(1, 'must not be empty').optional(),
  })
  .superRefine(exactlyOne(['portNumber', 'portRange', 'namedPort']));

export type AnpPortInput = z.output<typeof anpPort>;

const anpSubject = namespacesOrPods(anpNamespacedPod);
const anpIngressPeer = namespacesOrPods(anpNamespacedPod);
const anpEgressPeer = egressPeerOf(anpNamespacedPod);

/** BANP egress peers have no domainNames. */
const banpEgressPeer = z
  .strictObject({
    namespaces: labelSelectorSchema.optional(),
    pods: anpNamespacedPod.optional(),
    nodes: labelSelectorSchema.optional(),
    networks: uniqueList(cidr, 25).optional(),
  })
  .superRefine(exactlyOne(['namespaces', 'pods', 'nodes', 'networks']));

function anpRules<A extends readonly [string, ...string[]]>(
  actions: A,
  egressPeer: typeof anpEgressPeer | typeof banpEgressPeer,
) {
  const action = actionEnum(actions);
  const ports = listOf(anpPort, 100).optional();
  const ingress = z.strictObject({ name: ruleName, action, from: listOf(anpIngressPeer, 100), ports });
  const egress = z
    .strictObject({ name: ruleName, action, to: listOf(egressPeer, 100), ports })
    .superRefine((rule, ctx) =>
      noNamedPortsWithAddressPeers(
        { to: rule.to as Record<string, unknown>[], named: (rule.ports ?? []).some((p) => p.namedPort !== undefined) },
        ctx,
        'namedPort',
      ),
    );
  return { ingress: rulesOf(ingress, 100), egress: rulesOf(egress, 100) };
}

const anpRuleSchemas = anpRules(['Allow', 'Deny', 'Pass'] as const, anpEgressPeer);
const banpRuleSchemas = anpRules(['Allow', 'Deny'] as const, banpEgressPeer);

export const adminNetworkPolicySchema = z.object({
  metadata: clusterMeta,
  spec: z.strictObject({
    priority: policyPriority,
    subject: anpSubject,
    ingress: anpRuleSchemas.ingress,
    egress: anpRuleSchemas.egress,
  }),
});

export const baselineAdminNetworkPolicySchema = z.object({
  metadata: clusterMeta.superRefine((meta, ctx) => {
    if (meta.name !== 'default') {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: `Only one baseline admin network policy with metadata.name="default" can be created in the cluster (found ${JSON.stringify(meta.name)})`,
      });
    }
  }),
  spec: z.strictObject({
    subject: anpSubject,
    ingress: banpRuleSchemas.ingress,
    egress: banpRuleSchemas.egress,
  }),
});

export type AdminNetworkPolicyInput = z.output<typeof adminNetworkPolicySchema>;
export type BaselineAdminNetworkPolicyInput = z.output<typeof baselineAdminNetworkPolicySchema>;
