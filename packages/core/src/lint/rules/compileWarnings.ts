import type { CompileWarningCode, SourceRef } from '../../errors.js';
import { policyName, type LintContext } from '../context.js';
import type { LintFinding, LintSeverity } from '../finding.js';

interface FindingSpec {
  readonly id: string;
  readonly check: string;
  readonly severity: LintSeverity;
  readonly fix: string;
}

/**
 * What each compile warning is as a finding. `null`: another check already reports it, from the
 * model (NBG006 unresolved named ports, NBG007 and NBG010 for NetworkPolicies). A `Record` over
 * the code union: a new warning code fails `tsc` until it is given its finding here.
 */
const FINDING_OF: Record<CompileWarningCode, FindingSpec | null> = {
  NP_CIDR_HOST_BITS: null,
  NP_RULES_IGNORED: null,
  NP_NAMED_PORT_UNRESOLVED: null,
  TIER_CIDR_HOST_BITS: {
    id: 'NBG007',
    check: 'cidr-host-bits',
    severity: 'warning',
    fix: 'write the network address (e.g. 10.0.0.0/24), or a /32 for one host.',
  },
  TIER_PRIORITY_TIE: {
    id: 'NBG012',
    check: 'priority-tie',
    severity: 'warning',
    fix: 'give the policies different spec.priority values: the API leaves the order of equal priorities to the implementation.',
  },
  TIER_DOMAIN_NAMES_UNSUPPORTED: {
    id: 'NBG013',
    check: 'domain-names-unsupported',
    severity: 'warning',
    fix: 'name the destinations by networks (CIDRs), or enforce domain names with an egress proxy.',
  },
  NAT_GATEWAY_PORT_UNSUPPORTED: {
    id: 'NBG014',
    check: 'nat-gateway-port-unsupported',
    severity: 'warning',
    fix: 'target OVN 22.06 or later (capabilities.natGatewayPort), or give the router one gateway port.',
  },
  NAT_LB_MULTIPLE_GATEWAY_PORTS: {
    id: 'NBG015',
    check: 'nat-lb-multiple-gateway-ports',
    severity: 'warning',
    fix: 'run OVN 25.03 or later, or keep one gateway port on this router.',
  },
};

/**
 * NBG007 (cluster-scoped policies), NBG012–NBG015: the warnings compile gives (two
 * AdminNetworkPolicies at one priority, domainNames OVN cannot match, NAT on routers with several
 * gateway ports), as findings with the object and field they are about.
 */
export function compileWarningFindings(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const warning of ctx.options.compileWarnings ?? []) {
    const spec = FINDING_OF[warning.code];
    if (spec === null) continue;
    const source = warning.source;
    findings.push({
      ...spec,
      object: source ? objectAt(ctx, source) : '',
      source: source ?? { file: '', doc: 0 },
      path: warning.path ?? '',
      message: `${warning.message} (${warning.code})`,
    });
  }
  return findings;
}

/** `AdminNetworkPolicy deny-all`: the object of the model read from `source`. */
function objectAt(ctx: LintContext, source: SourceRef): string {
  const at = (s: SourceRef | null): boolean => s !== null && s.file === source.file && s.doc === source.doc && s.itemPath === source.itemPath;
  const { model } = ctx;
  const policy = model.networkPolicies.find((p) => at(p.source));
  if (policy) return policyName(policy);
  const tiered = model.clusterPolicies.find((p) => at(p.source));
  if (tiered) return `${tiered.kind} ${tiered.name}`;
  const nat = model.nat.find((o) => at(o.source));
  if (nat) return `${nat.kind} ${nat.name}`;
  return '';
}
