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

function toPeer(peer: ParsedPeer, path: PeerPath, n: Normalizer): NetworkPolicyPeer {
  if (peer.ipBlock) {
    const at = `spec.${path.direction}[${path.rule}].${path.direction === 'ingress' ? 'from' : 'to'}[${path.peer}]`;
    return {
      type: 'ipBlock',
      cidr: canonicalCidr(peer.ipBlock.cidr, `${at}.ipBlock.cidr`, n),
      except: peer.ipBlock.except.map((e, i) => canonicalCidr(e, `${at}.ipBlock.except[${i}]`, n)),
    };
  }
  return { type: 'selector', namespaceSelector: peer.namespaceSelector ?? null, podSelector: peer.podSelector ?? null };
}

/** Where a peer is: its field path is only written out by an ipBlock's warning, not for every peer. */
interface PeerPath {
  direction: 'ingress' | 'egress';
  rule: number;
  peer: number;
}

function toPort(port: ParsedPort): NetworkPolicyPort {
  const endPort = typeof port.port === 'number' && port.endPort !== undefined && port.endPort !== port.port ? port.endPort : null;
  return { protocol: port.protocol, port: port.port ?? null, endPort };
}

const NO_RULES: readonly never[] = Object.freeze([]);

function toRules(
  rules: readonly { ports?: ParsedPort[] | null; from?: ParsedPeer[] | null; to?: ParsedPeer[] | null }[] | null | undefined,
  direction: 'ingress' | 'egress',
  n: Normalizer,
): readonly NetworkPolicyRule[] {
  if (!rules || rules.length === 0) return NO_RULES;
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const path: PeerPath = { direction, rule: 0, peer: 0 };
  const out: NetworkPolicyRule[] = new Array(rules.length);
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    const written = rule[peersKey] ?? NO_RULES;
    const peers: NetworkPolicyPeer[] = new Array(written.length);
    path.rule = r;
    for (let i = 0; i < written.length; i++) {
      path.peer = i;
      peers[i] = toPeer(written[i]!, path, n);
    }
    out[r] = { peers, ports: (rule.ports ?? NO_RULES).map(toPort) };
  }
  return out;
}

export function toNetworkPolicy(v: ParsedPolicy, source: SourceRef): NetworkPolicy {
  const n: Normalizer = { source, warnings: [] };
  const { spec } = v;
  // API-server defaulting (k8s.io/kubernetes pkg/apis/networking/v1/defaults.go): when
  // policyTypes is absent or empty, Ingress, plus Egress if there is at least one egress rule
  // (`egress: []` does not count). A non-empty list is taken as written.
  const written = spec.policyTypes ?? NO_RULES;
  const policyTypes: readonly ('Ingress' | 'Egress')[] =
    written.length > 0
      ? writtenPolicyTypes(written)
      : (spec.egress ?? NO_RULES).length > 0
        ? INGRESS_AND_EGRESS
        : INGRESS_ONLY;
  const ingress = toRules(spec.ingress, 'ingress', n);
  const egress = toRules(spec.egress, 'egress', n);
  if (ingress.length > 0 && !policyTypes.includes('Ingress')) n.warnings.push(rulesIgnored(source, 'ingress', 'Ingress'));
  if (egress.length > 0 && !policyTypes.includes('Egress')) n.warnings.push(rulesIgnored(source, 'egress', 'Egress'));
  return {
    namespace: v.metadata.namespace,
    name: v.metadata.name,
    podSelector: spec.podSelector,
    policyTypes,
    ingress,
    egress,
    source,
    inputWarnings: n.warnings.length === 0 ? NO_WARNINGS : n.warnings,
  };
}

// The model is frozen (loadModel), so policies share these instead of lists of their own: 10,000
// policies made 40,000 small arrays of the same few values to allocate, walk and freeze.
const INGRESS_AND_EGRESS: readonly ('Ingress' | 'Egress')[] = Object.freeze(['Ingress', 'Egress']);
const INGRESS_ONLY: readonly ('Ingress' | 'Egress')[] = Object.freeze(['Ingress']);
const EGRESS_ONLY: readonly ('Ingress' | 'Egress')[] = Object.freeze(['Egress']);
const NO_WARNINGS: readonly CompileWarning[] = Object.freeze([]);

/** A written policyTypes in canonical order (Ingress first), each once. */
function writtenPolicyTypes(written: readonly string[]): readonly ('Ingress' | 'Egress')[] {
  const ingress = written.includes('Ingress');
  const egress = written.includes('Egress');
  return ingress && egress ? INGRESS_AND_EGRESS : ingress ? INGRESS_ONLY : egress ? EGRESS_ONLY : (NO_RULES as readonly never[]);
}

function rulesIgnored(source: SourceRef, direction: 'ingress' | 'egress', type: 'Ingress' | 'Egress'): CompileWarning {
  return {
    code: 'NP_RULES_IGNORED',
    source,
    path: `spec.${direction}`,
    message: `policyTypes does not include ${type}, so these rules have no effect`,
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
