import type { Pod } from '../../model/inventory.js';
import type { NetworkPolicy, NetworkPolicyRule } from '../../netpol/networkPolicy.js';
import { policyName, type LintContext } from '../context.js';
import type { LintFinding } from '../finding.js';

const DNS_PORT = 53;
const DNS_NAMESPACE = 'kube-system';

/**
 * NBG008: a policy that isolates pods for egress while no egress rule of any policy selecting
 * them allows DNS (UDP or TCP 53) to kube-system or to anywhere. Egress isolation is total, and
 * name lookups are the first thing to fail ("the policy broke the app" reports).
 * Any ipBlock peer counts as a DNS allowance (the user may know where the resolver is).
 */
export function egressWithoutDns(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  const egressPolicies = ctx.model.networkPolicies.filter((p) => p.policyTypes.includes('Egress'));
  const allowsDnsFor = new Map<Pod, boolean>();
  const podAllowsDns = (pod: Pod): boolean => {
    let hit = allowsDnsFor.get(pod);
    if (hit === undefined) {
      hit = egressPolicies.some((p) => p.namespace === pod.namespace && ctx.selectedPods(p).includes(pod) && p.egress.some((r) => ruleAllowsDns(ctx, p, r)));
      allowsDnsFor.set(pod, hit);
    }
    return hit;
  };
  for (const policy of egressPolicies) {
    const lacking = ctx.selectedPods(policy).filter((pod) => !podAllowsDns(pod));
    if (lacking.length === 0) continue;
    const shown = lacking.slice(0, 3).map((p) => `${p.namespace}/${p.name}`).join(', ') + (lacking.length > 3 ? `, and ${lacking.length - 3} more` : '');
    findings.push({
      id: 'NBG008',
      check: 'egress-without-dns',
      severity: 'warning',
      object: policyName(policy),
      source: policy.source,
      path: policy.egress.length > 0 ? 'spec.egress' : 'spec.policyTypes',
      message: `isolates ${shown} for egress, and no egress rule of any policy selecting them allows DNS (UDP/TCP ${DNS_PORT}); name lookups will time out.`,
      fix: `add an egress rule: to [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${DNS_NAMESPACE}}}}], ports [{protocol: UDP, port: ${DNS_PORT}}, {protocol: TCP, port: ${DNS_PORT}}].`,
    });
  }
  return findings;
}

function ruleAllowsDns(ctx: LintContext, policy: NetworkPolicy, rule: NetworkPolicyRule): boolean {
  const portOk =
    rule.ports.length === 0 ||
    rule.ports.some(
      (p) =>
        (p.protocol === 'UDP' || p.protocol === 'TCP') &&
        (p.port === null ||
          p.port === 'dns' ||
          p.port === 'dns-tcp' ||
          (typeof p.port === 'number' && (p.port === DNS_PORT || (p.endPort !== null && p.port <= DNS_PORT && DNS_PORT <= p.endPort)))),
    );
  if (!portOk) return false;
  if (rule.peers.length === 0) return true;
  return rule.peers.some(
    (peer) =>
      peer.type === 'ipBlock' ||
      (ctx.peerNamespaces(policy.namespace, peer.namespaceSelector).includes(DNS_NAMESPACE) &&
        (ctx.model.pods.every((p) => p.namespace !== DNS_NAMESPACE) || ctx.peerPods(policy.namespace, peer).some((p) => p.namespace === DNS_NAMESPACE))),
  );
}
