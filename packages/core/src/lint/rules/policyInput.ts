import { policyName, type LintContext } from '../context.js';
import type { LintFinding } from '../finding.js';

/**
 * NBG007: a CIDR with host bits (10.0.0.1/24). The API server accepts it; OVN rejects such a
 * constant ("Value contains unmasked 1-bits"), Kube-OVN writes it verbatim, and ovn-nbgen clears
 * the host bits: either way the intent is unclear. NBG010: rules of a direction missing from
 * policyTypes have no effect. (Both are noted while the policy is read; lint reports them.)
 */
export function policyInputWarnings(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const policy of ctx.model.networkPolicies) {
    for (const w of policy.inputWarnings) {
      const base = { object: policyName(policy), source: w.source ?? policy.source, path: w.path ?? '' };
      if (w.code === 'NP_CIDR_HOST_BITS') {
        findings.push({
          ...base,
          id: 'NBG007',
          check: 'cidr-host-bits',
          severity: 'warning',
          message: `${w.message}. OVN rejects a constant with host bits, and the written block may not be the one meant.`,
          fix: 'write the network address (e.g. 10.0.0.0/24), or a /32 for one host.',
        });
      } else if (w.code === 'NP_RULES_IGNORED') {
        findings.push({
          ...base,
          id: 'NBG010',
          check: 'rules-ignored',
          severity: 'warning',
          message: w.message,
          fix: 'add the direction to spec.policyTypes, or delete the rules.',
        });
      }
    }
  }
  return findings;
}
