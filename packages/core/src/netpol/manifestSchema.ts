import * as z from 'zod';
import type { CompileWarning, SourceRef } from '../errors.js';
import { handlerFor, type KindHandler } from '../manifests/handler.js';
import { namespacedMeta } from '../model/meta.js';
import type { ModelBuilder } from '../model/model.js';
import { cidrContainsCidr, formatCidr, parseCidr, type Cidr } from '../net/ip.js';
import { labelSelectorSchema } from '../selectors/labelSelector.js';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule } from './networkPolicy.js';
import { plainNetworkPolicy } from './plainPolicy.js';
import { portNameProblem } from './portName.js';

/**
 * networking.k8s.io/v1 NetworkPolicy: the API server's validation and defaulting, which an
 * offline tool has to apply itself (Kube-OVN, for one, relies on the defaulted `policyTypes`).
 * Objects are strict: a misspelt `form:` would otherwise silently mean "from everywhere".
 */

const PORT_RANGE = 'must be between 1 and 65535';
const portNumber = z.number({ message: 'must be a number' }).int('must be an integer').min(1, PORT_RANGE).max(65535, PORT_RANGE);

const portSchema = z
  .object({
    protocol: z.enum(['TCP', 'UDP', 'SCTP'], { message: 'must be TCP, UDP or SCTP' }).default('TCP'),
    port: z
      .union([z.number(), z.string()], { message: 'must be a port number or a port name' })
      .optional(),
    endPort: portNumber.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (typeof p.port === 'number') {
      const range = portNumber.safeParse(p.port);
      if (!range.success) ctx.addIssue({ code: 'custom', path: ['port'], message: range.error.issues[0]!.message });
    } else if (typeof p.port === 'string') {
      const problem = portNameProblem(p.port);
      if (problem) ctx.addIssue({ code: 'custom', path: ['port'], message: problem });
    }
    if (p.endPort === undefined) return;
    if (p.port === undefined) {
      ctx.addIssue({ code: 'custom', path: ['endPort'], message: 'requires a numeric port' });
    } else if (typeof p.port === 'string') {
      ctx.addIssue({ code: 'custom', path: ['endPort'], message: `requires a numeric port, found named port "${p.port}"` });
    } else if (p.endPort < p.port) {
      ctx.addIssue({ code: 'custom', path: ['endPort'], message: `must be >= port (${p.port})` });
    }
  });

const cidrText = z.string({ message: 'must be a CIDR such as 10.0.0.0/8' }).superRefine((text, ctx) => {
  if (!text.includes('/') || parseCidr(text) === null) {
    ctx.addIssue({ code: 'custom', message: `must be a CIDR such as 10.0.0.0/8 or fd00::/64, found "${text}"` });
  }
});

const ipBlockSchema = z
  .object({ cidr: cidrText, except: z.array(cidrText).default([]) })
  .strict()
  .superRefine((block, ctx) => {
    const outer = parseCidr(block.cidr);
    if (!outer) return;
    block.except.forEach((text, i) => {
      const inner = parseCidr(text);
      // Kubernetes requires a *strict* subset (k8s.io/kubernetes pkg/apis/networking/validation).
      if (inner && (!cidrContainsCidr(outer, inner) || inner.prefix === outer.prefix)) {
        ctx.addIssue({ code: 'custom', path: ['except', i], message: `must be a strict subset of cidr (${formatCidr(outer)})` });
      }
    });
  });

const peerSchema = z
  .object({
    podSelector: labelSelectorSchema.optional(),
    namespaceSelector: labelSelectorSchema.optional(),
    ipBlock: ipBlockSchema.optional(),
  })
  .strict()
  .superRefine((peer, ctx) => {
    const selectors = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
    if (peer.ipBlock !== undefined && selectors) {
      ctx.addIssue({ code: 'custom', path: ['ipBlock'], message: 'may not be combined with podSelector or namespaceSelector in one peer' });
    } else if (peer.ipBlock === undefined && !selectors) {
      ctx.addIssue({ code: 'custom', message: 'must specify podSelector, namespaceSelector or ipBlock' });
    }
  });

const ruleSchema = (peersKey: 'from' | 'to') =>
  z
    .object({
      ports: z.array(portSchema).nullish(),
      [peersKey]: z.array(peerSchema).nullish(),
    })
    .strict();

const ingressRuleSchema = ruleSchema('from');
const egressRuleSchema = ruleSchema('to');

export const networkPolicySchema = z.object({
  metadata: namespacedMeta,
  spec: z
    .object({
      // A struct (not a pointer) in the Go API: omitted means `{}`, every pod of the namespace.
      podSelector: labelSelectorSchema.default({}),
      policyTypes: z
        .array(z.enum(['Ingress', 'Egress'], { message: 'must be Ingress or Egress' }))
        .max(2, 'may not specify more than two policyTypes')
        .optional(),
      ingress: z.array(ingressRuleSchema).nullish(),
      egress: z.array(egressRuleSchema).nullish(),
    })
    .strict()
    // Also a struct: a policy without spec selects every pod of its namespace and isolates ingress.
    .prefault({}),
});

type ParsedPolicy = z.output<typeof networkPolicySchema>;
type ParsedPeer = z.output<typeof peerSchema>;
type ParsedPort = z.output<typeof portSchema>;

/** Collects the warnings of one policy while it is normalized. */
interface Normalizer {
  readonly source: SourceRef;
  readonly warnings: CompileWarning[];
}

/** Canonical CIDR text; host bits (10.0.0.1/24) are cleared with a warning, since OVN rejects them. */
function canonicalCidr(text: string, path: string, n: Normalizer): string {
  const cidr = parseCidr(text) as Cidr;
  const canonical = formatCidr(cidr);
  if (cidr.hadHostBits) {
    n.warnings.push({
      code: 'NP_CIDR_HOST_BITS',
      source: n.source,
      path,
      message: `${text} has host bits set; using ${canonical}`,
    });
  }
  return canonical;
}

function toPeer(peer: ParsedPeer, pathOf: () => string, n: Normalizer): NetworkPolicyPeer {
  if (peer.ipBlock) {
    const path = pathOf();
    return {
      type: 'ipBlock',
      cidr: canonicalCidr(peer.ipBlock.cidr, `${path}.ipBlock.cidr`, n),
      except: peer.ipBlock.except.map((e, i) => canonicalCidr(e, `${path}.ipBlock.except[${i}]`, n)),
    };
  }
  return { type: 'selector', namespaceSelector: peer.namespaceSelector ?? null, podSelector: peer.podSelector ?? null };
}

function toPort(port: ParsedPort): NetworkPolicyPort {
  const endPort = typeof port.port === 'number' && port.endPort !== undefined && port.endPort !== port.port ? port.endPort : null;
  return { protocol: port.protocol, port: port.port ?? null, endPort };
}

function toRules(
  rules: readonly { ports?: ParsedPort[] | null; from?: ParsedPeer[] | null; to?: ParsedPeer[] | null }[],
  direction: 'ingress' | 'egress',
  n: Normalizer,
): NetworkPolicyRule[] {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  return rules.map((rule, r) => ({
    // The path is only read by an ipBlock's warning: not made for the other peers.
    peers: (rule[peersKey] ?? []).map((p, i) => toPeer(p, () => `spec.${direction}[${r}].${peersKey}[${i}]`, n)),
    ports: (rule.ports ?? []).map(toPort),
  }));
}

export function toNetworkPolicy(v: ParsedPolicy, source: SourceRef): NetworkPolicy {
  const n: Normalizer = { source, warnings: [] };
  const { spec } = v;
  // API-server defaulting (k8s.io/kubernetes pkg/apis/networking/v1/defaults.go): when
  // policyTypes is absent or empty, Ingress, plus Egress if there is at least one egress rule
  // (`egress: []` does not count). A non-empty list is taken as written.
  const written = spec.policyTypes ?? [];
  const policyTypes: ('Ingress' | 'Egress')[] =
    written.length > 0
      ? (['Ingress', 'Egress'] as const).filter((t) => written.includes(t))
      : (spec.egress ?? []).length > 0
        ? ['Ingress', 'Egress']
        : ['Ingress'];
  const ingress = toRules(spec.ingress ?? [], 'ingress', n);
  const egress = toRules(spec.egress ?? [], 'egress', n);
  for (const [direction, type, rules] of [['ingress', 'Ingress', ingress], ['egress', 'Egress', egress]] as const) {
    if (rules.length > 0 && !policyTypes.includes(type)) {
      n.warnings.push({
        code: 'NP_RULES_IGNORED',
        source,
        path: `spec.${direction}`,
        message: `policyTypes does not include ${type}, so these rules have no effect`,
      });
    }
  }
  return {
    namespace: v.metadata.namespace,
    name: v.metadata.name,
    podSelector: spec.podSelector,
    policyTypes,
    ingress,
    egress,
    source,
    inputWarnings: n.warnings,
  };
}

function addNetworkPolicy(v: ParsedPolicy, source: SourceRef, into: ModelBuilder): void {
  into.networkPolicies.push(toNetworkPolicy(v, source));
}

export const networkPolicyHandler: KindHandler = handlerFor(
  { apiVersions: ['networking.k8s.io/v1'], scope: 'Namespaced' },
  networkPolicySchema,
  addNetworkPolicy,
  // A cast: zod types a rule's `from`/`to` key as an index signature (test/netpol/plainPolicy.differential.test.ts).
  (object) => plainNetworkPolicy(object) as ParsedPolicy | null,
);
