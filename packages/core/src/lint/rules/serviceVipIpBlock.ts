import { serviceBackends } from '../../explain/endpoints.js';
import { ipBlockContains, policyName, type LintContext } from '../context.js';
import type { LintFinding } from '../finding.js';

/**
 * NBG011: an egress ipBlock that covers a Service's ClusterIP but none of its endpoint pods.
 * Egress ACLs run after the load balancer's DNAT (apply-after-lb), so they see the endpoint's
 * address, never the ClusterIP: the block does not allow traffic to that Service (the upstream
 * NetworkPolicy API says the same: Service IPs are not reliably matched by ipBlock).
 */
export function serviceVipIpBlocks(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const policy of ctx.model.networkPolicies) {
    if (!policy.policyTypes.includes('Egress')) continue;
    policy.egress.forEach((rule, r) => {
      rule.peers.forEach((peer, i) => {
        if (peer.type !== 'ipBlock' || peer.cidr.endsWith('/0')) return;
        for (const service of ctx.model.services) {
          const vip = service.clusterIPs.find((ip) => ipBlockContains(peer, ip));
          if (vip === undefined) continue;
          const backends = service.ports.flatMap((sp) => serviceBackends(ctx.model, service, sp.port, sp.protocol).map((b) => b.pod));
          if (backends.length > 0 && backends.some((pod) => pod.ips.some((ip) => ipBlockContains(peer, ip)))) continue;
          findings.push({
            id: 'NBG011',
            check: 'ipblock-service-vip',
            severity: 'warning',
            object: policyName(policy),
            source: policy.source,
            path: `spec.egress[${r}].to[${i}].ipBlock.cidr`,
            message:
              `ipBlock ${peer.cidr} covers the ClusterIP ${vip} of Service ${service.namespace}/${service.name} but none of its ` +
              `endpoint pods. Egress is judged after the load balancer's DNAT, on the endpoint's address, so this block ` +
              `does not allow traffic to the Service.`,
            fix: `allow the endpoint pods instead: to [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${service.namespace}}}, podSelector: {matchLabels: ${JSON.stringify(service.selector ?? {})}}}].`,
          });
          break;
        }
      });
    });
  }
  return findings;
}
