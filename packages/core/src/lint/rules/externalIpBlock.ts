import { cidrContainsIp, formatCidr, parseCidr } from '../../net/ip.js';
import type { Service } from '../../model/inventory.js';
import { ipBlockContains, policyName, type LintContext } from '../context.js';
import type { LintFinding } from '../finding.js';

/**
 * NBG002: an ingress ipBlock outside the pod CIDRs (so meant for clients outside the cluster) on
 * pods behind a NodePort or LoadBalancer Service with externalTrafficPolicy: Cluster. kube-proxy
 * (and OVN's load balancer on the node) SNATs such clients to a node address before the packet
 * reaches the pod, so the rule never sees the client's address.
 * Blocks that also cover node addresses are NBG003's business (they admit too much instead).
 *
 * NBG003: an ingress ipBlock that covers a node address or the join subnet. Everything SNATed by
 * a node (NodePort/LoadBalancer traffic under externalTrafficPolicy: Cluster, hostNetwork pods,
 * kubelet) arrives from those addresses, so the rule admits every such source. `0.0.0.0/0` and
 * `::/0` are left alone: they mean "everyone" on purpose.
 */
export function externalIpBlocks(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const policy of ctx.model.networkPolicies) {
    if (!policy.policyTypes.includes('Ingress')) continue;
    const pods = ctx.selectedPods(policy);
    const exposed = new Map<string, Service>();
    for (const pod of pods) {
      for (const s of ctx.servicesOf(pod)) {
        if ((s.type === 'NodePort' || s.type === 'LoadBalancer') && s.externalTrafficPolicy === 'Cluster') {
          exposed.set(`${s.namespace}/${s.name}`, s);
        }
      }
    }
    policy.ingress.forEach((rule, r) => {
      rule.peers.forEach((peer, i) => {
        if (peer.type !== 'ipBlock') return;
        const cidr = parseCidr(peer.cidr)!;
        const path = `spec.ingress[${r}].from[${i}].ipBlock.cidr`;
        const coveredNodes = ctx.nodeAddresses.filter((n) => ipBlockContains(peer, n.ip));
        const coveredJoin = ctx.joinCidrs.filter((j) => j.family === cidr.family && cidr.prefix <= j.prefix && cidrContainsIp(cidr, { family: j.family, value: j.network }));
        if (cidr.prefix > 0 && (coveredNodes.length > 0 || coveredJoin.length > 0)) {
          const what = [
            ...coveredNodes.slice(0, 3).map((n) => `${n.ip} (node ${n.node})`),
            ...(coveredNodes.length > 3 ? [`${coveredNodes.length - 3} more node addresses`] : []),
            ...coveredJoin.map((j) => `the join subnet ${formatCidr(j)}`),
          ].join(', ');
          findings.push({
            id: 'NBG003',
            check: 'ipblock-covers-nodes',
            severity: 'warning',
            object: policyName(policy),
            source: policy.source,
            path,
            message:
              `ipBlock ${peer.cidr} covers ${what}. Traffic a node SNATs (NodePort/LoadBalancer with externalTrafficPolicy: ` +
              `Cluster, hostNetwork pods, kubelet probes) arrives from these addresses, so this rule admits all of it, from any client.`,
            fix: `narrow the block, or list the node addresses in except; keep external client addresses with externalTrafficPolicy: Local instead.`,
          });
          return;
        }
        if (exposed.size === 0 || ctx.insidePodCidrs(cidr)) return;
        const services = [...exposed.values()];
        const names = services.map((s) => `${s.type} Service ${s.namespace}/${s.name}`).join(', ');
        findings.push({
          id: 'NBG002',
          check: 'ipblock-behind-snat',
          severity: 'warning',
          object: policyName(policy),
          source: policy.source,
          path,
          message:
            `ipBlock ${peer.cidr} is outside the pod CIDRs${ctx.podCidrsInferred ? ' (inferred from pod IPs)' : ''}, but the selected pods are ` +
            `reached through ${names} with externalTrafficPolicy: Cluster: the client address is SNATed to a node address ` +
            `before the pod sees it, so this rule never matches those clients.`,
          fix: `set externalTrafficPolicy: Local on ${services.map((s) => `${s.namespace}/${s.name}`).join(', ')} to keep the client address ` +
            `(traffic then goes only to nodes with a ready endpoint).`,
        });
      });
    });
  }
  return findings;
}
