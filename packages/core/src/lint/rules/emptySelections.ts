import type { Pod } from '../../model/inventory.js';
import type { NetworkPolicy, NetworkPolicyRule } from '../../netpol/networkPolicy.js';
import { isEmptySelector } from '../../selectors/labelSelector.js';
import { namedPortNumber } from '../../selection/index.js';
import { policyName, type LintContext } from '../context.js';
import type { LintFinding } from '../finding.js';

/**
 * NBG004: a policy whose podSelector selects no pod does nothing (a typo'd label is the usual
 * cause). NBG005: a selector peer that selects no pod allows nothing. NBG006: a named port that
 * none of the rule's pods defines allows nothing (Kubernetes resolves names per destination pod).
 */
export function emptySelections(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const policy of ctx.model.networkPolicies) {
    const selected = ctx.selectedPods(policy);
    if (selected.length === 0) {
      findings.push({
        id: 'NBG004',
        check: 'policy-selects-nothing',
        severity: 'warning',
        object: policyName(policy),
        source: policy.source,
        path: 'spec.podSelector',
        message: `the podSelector selects no pod in namespace ${policy.namespace}${isEmptySelector(policy.podSelector) ? ' (the namespace has no pods in the input)' : ''}; the policy isolates and allows nothing.`,
        fix: 'check the labels against the pods (kubectl get pods --show-labels), or remove the policy.',
      });
      continue;
    }
    for (const direction of ['ingress', 'egress'] as const) {
      if (!policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
      const peersKey = direction === 'ingress' ? 'from' : 'to';
      policy[direction].forEach((rule, r) => {
        rule.peers.forEach((peer, i) => {
          if (peer.type !== 'selector' || ctx.peerPods(policy.namespace, peer).length > 0) return;
          const namespaces = ctx.peerNamespaces(policy.namespace, peer.namespaceSelector);
          findings.push({
            id: 'NBG005',
            check: 'peer-selects-nothing',
            severity: 'warning',
            object: policyName(policy),
            source: policy.source,
            path: `spec.${direction}[${r}].${peersKey}[${i}]`,
            message:
              namespaces.length === 0
                ? 'the namespaceSelector matches no namespace, so this peer allows nothing.'
                : `no pod in ${namespaces.join(', ')} matches the podSelector, so this peer allows nothing.`,
            fix: 'check the labels of the namespaces and pods the peer should select.',
          });
        });
        const pods = direction === 'ingress' ? selected : peerPodsOf(ctx, policy, rule);
        rule.ports.forEach((port, k) => {
          if (typeof port.port !== 'string' || pods.length === 0) return;
          const name = port.port;
          if (pods.some((p) => namedPortNumber(p, name, port.protocol) !== null)) return;
          const other = pods.flatMap((p) => p.containerPorts).find((c) => c.name === name);
          findings.push({
            id: 'NBG006',
            check: 'named-port-undefined',
            severity: 'error',
            object: policyName(policy),
            source: policy.source,
            path: `spec.${direction}[${r}].ports[${k}].port`,
            message:
              `no ${direction === 'ingress' ? 'selected' : 'peer'} pod defines a ${port.protocol} container port named "${name}"` +
              `${other ? ` (one is defined for ${other.protocol})` : ''}, so this port allows nothing.`,
            fix: `${other ? `set protocol: ${other.protocol}, or ` : ''}add the named containerPort to the pods, or use the port number.`,
          });
        });
      });
    }
  }
  return findings;
}

function peerPodsOf(ctx: LintContext, policy: NetworkPolicy, rule: NetworkPolicyRule): readonly Pod[] {
  if (rule.peers.length === 0) return ctx.allPods();
  return rule.peers.flatMap((peer) => (peer.type === 'selector' ? ctx.peerPods(policy.namespace, peer) : []));
}
