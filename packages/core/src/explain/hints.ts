import type { Service } from '../model/inventory.js';
import type { FlowExplanation, FlowPath } from './explanation.js';
import { OWN_NODE_KIND } from '../ownNode/compile.js';

/** What hints need to know beyond the explanation: Services in front of the destination pods. */
export interface HintContext {
  /** NodePort/LoadBalancer Services with externalTrafficPolicy: Cluster selecting the destination. */
  readonly snatServices: readonly Service[];
  /** True when the source is an address outside the cluster (neither a pod nor a node). */
  readonly externalSource: boolean;
  /** Tier (Admin or Baseline) of a cluster-scoped policy by `Kind/name`. */
  readonly tierOf: (kind: string, name: string) => 'Admin' | 'Baseline' | null;
}

/**
 * Plain-language reasons for the surprises users report most, read off an explanation (never
 * used to decide the verdict).
 */
export function hintsFor(explanation: Omit<FlowExplanation, 'hints'>, context?: HintContext): string[] {
  const hints = new Set<string>();
  for (const path of explanation.paths) {
    const ownNode = path.verdict === 'allow' ? path.decidingRows.find((d) => d.origin?.kind === OWN_NODE_KIND) : undefined;
    if (ownNode) {
      hints.add(
        `own node: always allowed. Kubernetes lets a pod and the node it runs on always reach each other (kubelet probes); ` +
          `nbgen writes this for Node ${ownNode.origin!.name}'s join address and its pods only, so other nodes stay subject to the policies.`,
      );
    }
  }
  if (context?.externalSource && context.snatServices.length > 0) {
    const names = context.snatServices.map((s) => `${s.type} Service ${s.namespace}/${s.name}`).join(', ');
    hints.add(
      `this judges ${explanation.from} reaching the pod with its own address. Through ${names} (externalTrafficPolicy: ` +
        `Cluster) a client outside the cluster arrives SNATed to a node address, so an ipBlock for the client never ` +
        `matches: judge the flow from <node address> for that case, or set externalTrafficPolicy: Local to keep the client address.`,
    );
  }
  // Pods isolated by a NetworkPolicy default drop, grouped per policy and direction.
  const isolated = new Map<string, Set<string>>();
  for (const path of explanation.paths) {
    if (path.verdict !== 'deny') continue;
    servicePortHint(explanation, path, hints);
    const deny = path.decidingRows[0];
    if (deny?.origin?.kind === 'NetworkPolicy') {
      const who = deny.stage === 'to-lport' ? path.destination.label : path.source.label;
      const key = `${deny.stage === 'to-lport' ? 'ingress' : 'egress'}\u0000${deny.origin.namespace}/${deny.origin.name}`;
      if (!isolated.has(key)) isolated.set(key, new Set());
      isolated.get(key)!.add(who);
    }
  }
  for (const path of explanation.paths) {
    const decided = path.verdict === 'deny' ? path.decidingRows[0] : undefined;
    const origin = decided?.origin;
    if (!origin || origin.kind === 'NetworkPolicy' || !context) continue;
    const tier = context.tierOf(origin.kind, origin.name);
    if (tier === 'Admin') {
      hints.add(
        `${origin.kind} ${origin.name} decides in the Admin tier, before any NetworkPolicy: no NetworkPolicy can allow ` +
          `this flow. Allow it with an earlier Admin rule (Accept), or hand it to NetworkPolicy with Pass.`,
      );
    } else if (tier === 'Baseline') {
      hints.add(
        `${origin.kind} ${origin.name} decides in the Baseline tier, which applies only to pods no NetworkPolicy selects ` +
          `in that direction: a NetworkPolicy that selects the pod and allows the flow replaces it.`,
      );
    }
  }
  for (const [key, pods] of isolated) {
    const [dir, policy] = key.split('\u0000') as [string, string];
    const who = [...pods].join(', ');
    hints.add(
      `${who} ${pods.size === 1 ? 'is' : 'are'} isolated for ${dir} by NetworkPolicy ${policy}: selecting a pod ` +
        `denies everything no rule allows. NetworkPolicies only add allows (they are additive, with no priorities ` +
        `and no deny rules); to allow this flow, add a rule to any policy that selects ${pods.size === 1 ? 'it' : 'them'}.`,
    );
  }
  if (explanation.service && explanation.paths.length === 0) {
    hints.add('a Service VIP without endpoints is dropped by OVN before any ACL; check the selector and targetPort');
  }
  return [...hints];
}

function servicePortHint(explanation: Omit<FlowExplanation, 'hints'>, path: FlowPath, hints: Set<string>): void {
  const service = explanation.service;
  if (!service || path.destination.port === service.port) return;
  const svcPortTest = new RegExp(`\\.dst (==|<=|>=) ${service.port}\\b|\\b${service.port} <= \\w+\\.dst`);
  const namesServicePort = path.stages.some((s) =>
    s.trail.some((t) => t.result === 'not-matched' && svcPortTest.test(t.detail)),
  );
  if (namesServicePort) {
    hints.add(
      `a rule names port ${service.port}, the Service port; OVN judges Service traffic after DNAT ` +
        `(to-lport ACLs, and from-lport ACLs with apply-after-lb), when the packet carries the target port ${path.destination.port}. ` +
        `NetworkPolicy ports are pod ports: use ${path.destination.port} (or the named container port).`,
    );
  }
}
