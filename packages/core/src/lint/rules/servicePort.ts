import type { L4Protocol, Pod, Service } from '../../model/inventory.js';
import type { NetworkPolicy, NetworkPolicyRule } from '../../netpol/networkPolicy.js';
import { namedPortNumber } from '../../selection/index.js';
import { policyName, type LintContext } from '../context.js';
import type { LintFinding } from '../finding.js';

/**
 * NBG001 (NetworkPolicy, and ClusterNetworkPolicy/AdminNetworkPolicy/BaselineAdminNetworkPolicy
 * ports): a policy port equal to a Service `port` whose `targetPort` is another number for the
 * pods the rule is about. NetworkPolicy ports are pod ports, and OVN judges Service traffic after
 * DNAT (to-lport ACLs; from-lport with apply-after-lb), so such a rule never matches the Service
 * traffic it was written for (kubeovn/kube-ovn#5043).
 * Ingress rules are about the policy's pods; egress rules about the peer pods (all pods when the
 * rule has no peers). A pod that itself declares the port (containerPort) is taken as meant.
 */
export function servicePortInPolicy(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const policy of ctx.model.networkPolicies) {
    for (const direction of ['ingress', 'egress'] as const) {
      if (!policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
      policy[direction].forEach((rule, r) => {
        const pods = direction === 'ingress' ? ctx.selectedPods(policy) : rulePeerPods(ctx, policy, rule);
        rule.ports.forEach((port, k) => {
          if (typeof port.port !== 'number') return;
          const hit = mismatch(ctx, pods, port.port, port.endPort, port.protocol);
          if (!hit) return;
          const { service, targetPort, named, backends } = hit;
          const shown = describePods(backends);
          findings.push({
            id: 'NBG001',
            check: 'service-port-in-policy',
            severity: 'error',
            object: policyName(policy),
            source: policy.source,
            path: `spec.${direction}[${r}].ports[${k}].port`,
            message:
              `port ${port.port}/${port.protocol} is the port of Service ${service.namespace}/${service.name}, which sends it to ` +
              `port ${targetPort} of ${shown}; those pods do not declare port ${port.port}. OVN judges Service traffic after ` +
              `DNAT, on the target port, so this rule does not match traffic to the Service.`,
            fix: `NetworkPolicy ports are pod ports: write port ${named ? `"${named}" (or ${targetPort})` : targetPort}.`,
          });
        });
      });
    }
  }
  for (const policy of ctx.model.clusterPolicies) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of policy[direction]) {
        const pods =
          direction === 'ingress'
            ? ctx.selection.podsSelectedBy(policy.subject.namespaceSelector, policy.subject.podSelector)
            : rule.peers.flatMap((peer) => (peer.type === 'pods' ? ctx.selection.podsSelectedBy(peer.namespaceSelector, peer.podSelector) : []));
        for (const port of rule.ports) {
          if (port.type !== 'range') continue;
          const hit = mismatch(ctx, pods, port.start, port.end === port.start ? null : port.end, port.protocol);
          if (!hit) continue;
          const ports = policy.kind === 'ClusterNetworkPolicy' ? 'protocols' : 'ports';
          findings.push({
            id: 'NBG001',
            check: 'service-port-in-policy',
            severity: 'error',
            object: `${policy.kind} ${policy.name}`,
            source: policy.source,
            path: `${rule.path}.${ports}`,
            message:
              `port ${port.start}/${port.protocol} is the port of Service ${hit.service.namespace}/${hit.service.name}, which sends it to ` +
              `port ${hit.targetPort} of ${describePods(hit.backends)}. OVN judges Service traffic after DNAT, on the target port, ` +
              `so this rule does not match traffic to the Service.`,
            fix: `write the pods' port ${hit.targetPort}${hit.named ? ` (or the named port "${hit.named}")` : ''}.`,
          });
        }
      }
    }
  }
  return findings;
}

function describePods(pods: readonly Pod[]): string {
  return pods.slice(0, 3).map((p) => `${p.namespace}/${p.name}`).join(', ') + (pods.length > 3 ? ', ...' : '');
}

function rulePeerPods(ctx: LintContext, policy: NetworkPolicy, rule: NetworkPolicyRule): readonly Pod[] {
  if (rule.peers.length === 0) return ctx.allPods();
  return rule.peers.flatMap((peer) => (peer.type === 'selector' ? ctx.peerPods(policy.namespace, peer) : []));
}

interface Mismatch {
  readonly service: Service;
  readonly targetPort: number;
  readonly named: string | null;
  readonly backends: readonly Pod[];
}

function mismatch(ctx: LintContext, pods: readonly Pod[], port: number, endPort: number | null, protocol: L4Protocol): Mismatch | null {
  const byService = new Map<Service, { targetPort: number; named: string | null; backends: Pod[] }>();
  for (const pod of pods) {
    if (pod.containerPorts.some((c) => c.port === port && c.protocol === protocol)) continue;
    for (const service of ctx.servicesOf(pod)) {
      const sp = service.ports.find((p) => p.port === port && p.protocol === protocol);
      if (!sp) continue;
      const named = typeof sp.targetPort === 'string' ? sp.targetPort : null;
      const target = named === null ? (sp.targetPort as number) : namedPortNumber(pod, named, protocol);
      // The range form `port..endPort` already covering the target port is fine.
      if (target === null || target === port || (endPort !== null && target >= port && target <= endPort)) continue;
      const entry = byService.get(service) ?? { targetPort: target, named, backends: [] };
      entry.backends.push(pod);
      byService.set(service, entry);
    }
  }
  const first = [...byService.entries()][0];
  return first ? { service: first[0], ...first[1] } : null;
}
