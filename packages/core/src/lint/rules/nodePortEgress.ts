import type { Service } from '../../model/inventory.js';
import { ipBlockContains, policyName, type LintContext } from '../context.js';
import type { LintFinding } from '../finding.js';

/**
 * NBG017 egress-podselector-to-nodeport: an egress rule that allows pods by selector, where those
 * pods are behind a NodePort or LoadBalancer Service, in a policy with no egress rule for the node
 * addresses. kube-proxy serves a NodePort on the node (Kube-OVN puts no OVN load balancer on it),
 * so a pod connecting to NODE:nodePort is judged by its egress ACLs with the node address and the
 * nodePort as destination: the podSelector rule does not match, and the connection is dropped by
 * the egress isolation. (explain --to node:NODE:PORT shows the legs.)
 */
export function egressPodSelectorToNodePort(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  const nodeIps = [...ctx.nodeAddresses.map((n) => n.ip), ...ctx.model.nodes.flatMap((n) => n.joinIps)];
  for (const policy of ctx.model.networkPolicies) {
    if (!policy.policyTypes.includes('Egress')) continue;
    const reachesNodes = policy.egress.some(
      (rule) => rule.peers.length === 0 || rule.peers.some((p) => p.type === 'ipBlock' && nodeIps.some((ip) => ipBlockContains(p, ip))),
    );
    if (reachesNodes) continue;
    policy.egress.forEach((rule, r) => {
      rule.peers.forEach((peer, i) => {
        if (peer.type !== 'selector') return;
        const exposed = new Map<string, Service>();
        for (const pod of ctx.peerPods(policy.namespace, peer)) {
          for (const s of ctx.servicesOf(pod)) {
            if ((s.type === 'NodePort' || s.type === 'LoadBalancer') && s.ports.some((p) => p.nodePort !== null)) exposed.set(`${s.namespace}/${s.name}`, s);
          }
        }
        if (exposed.size === 0) return;
        const services = [...exposed.values()];
        const ports = services.flatMap((s) => s.ports.flatMap((p) => (p.nodePort === null ? [] : [`${p.nodePort}/${p.protocol}`])));
        findings.push({
          id: 'NBG017',
          check: 'egress-podselector-to-nodeport',
          severity: 'warning',
          object: policyName(policy),
          source: policy.source,
          path: `spec.egress[${r}].to[${i}]`,
          message:
            `the pods this peer selects are behind ${services.map((s) => `${s.type} Service ${s.namespace}/${s.name}`).join(', ')}. ` +
            `A connection to a node's nodePort (${ports.join(', ')}) is judged with the node address as destination (kube-proxy serves ` +
            `it, not an OVN load balancer), so this podSelector rule does not match it and the egress isolation drops it.`,
          fix: `if the pods use the NodePort, allow the node addresses on the nodePort with an ipBlock; to reach the pods, use the Service's ClusterIP.`,
        });
      });
    });
  }
  return findings;
}
