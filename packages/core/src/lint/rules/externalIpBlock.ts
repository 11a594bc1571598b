import { cidrContainsCidr, formatCidr, parseCidr, type Cidr } from '../../net/ip.js';
import type { Pod, Service } from '../../model/inventory.js';
import type { NetworkPolicyPeer } from '../../netpol/networkPolicy.js';
import { ipBlockContains, policyName, type LintContext } from '../context.js';
import type { LintFinding } from '../finding.js';

/**
 * NBG002: an ingress ipBlock on pods behind a NodePort or LoadBalancer Service with
 * externalTrafficPolicy: Cluster. kube-proxy on the node that takes the connection SNATs it (under
 * Kube-OVN to that node's join address) before the packet reaches the pod, so the rule never sees
 * the address of a client that comes through the node port:
 * - a block outside the pod CIDRs is meant for outside clients, and never matches them;
 * - a block inside the pod CIDRs matches pods that connect to the pod IP or the ClusterIP (OVN's
 *   load balancer keeps the source), but not the same pods coming through the node port; a block
 *   of pod IPs is usually a podSelector written as addresses (and pod IPs change).
 * Blocks that also cover node or join addresses are NBG003's business (they admit too much instead).
 *
 * NBG003: an ingress ipBlock that covers a node address, a node's join address or any part of the
 * join subnet. Everything SNATed by a node (NodePort/LoadBalancer traffic under
 * externalTrafficPolicy: Cluster, hostNetwork pods, kubelet) arrives from those addresses, so the
 * rule admits every such source. `0.0.0.0/0` and `::/0` are left alone: they mean "everyone" on
 * purpose.
 */
export function externalIpBlocks(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const policy of ctx.model.networkPolicies) {
    if (!policy.policyTypes.includes('Ingress')) continue;
    const exposed = clusterPolicyServices(ctx, ctx.selectedPods(policy));
    policy.ingress.forEach((rule, r) => {
      rule.peers.forEach((peer, i) => {
        if (peer.type !== 'ipBlock') return;
        const cidr = parseCidr(peer.cidr)!;
        const base = { severity: 'warning' as const, object: policyName(policy), source: policy.source, path: `spec.ingress[${r}].from[${i}].ipBlock.cidr` };
        const snatSources = cidr.prefix > 0 ? nodeSourcesCovered(ctx, peer, cidr) : [];
        if (snatSources.length > 0) {
          findings.push({
            ...base,
            id: 'NBG003',
            check: 'ipblock-covers-nodes',
            message:
              `ipBlock ${peer.cidr} covers ${snatSources.join(', ')}. Traffic a node SNATs (NodePort/LoadBalancer with externalTrafficPolicy: ` +
              `Cluster, hostNetwork pods, kubelet probes) arrives from these addresses, so this rule admits all of it, from any client.`,
            fix: `narrow the block, or list the node addresses in except; keep external client addresses with externalTrafficPolicy: Local instead.`,
          });
          return;
        }
        if (exposed.length === 0) return;
        const names = exposed.map((s) => `${s.type} Service ${s.namespace}/${s.name}`).join(', ');
        if (!ctx.insidePodCidrs(cidr)) {
          findings.push({
            ...base,
            id: 'NBG002',
            check: 'ipblock-behind-snat',
            message:
              `ipBlock ${peer.cidr} is outside the pod CIDRs${ctx.podCidrsInferred ? ' (inferred from pod IPs)' : ''}, but the selected pods are ` +
              `reached through ${names} with externalTrafficPolicy: Cluster: the client address is SNATed to a node address ` +
              `before the pod sees it, so this rule never matches those clients.`,
            fix:
              `set externalTrafficPolicy: Local on ${exposed.map((s) => `${s.namespace}/${s.name}`).join(', ')} to keep the client address ` +
              `(traffic then goes only to nodes with a ready endpoint).`,
          });
          return;
        }
        const pods = podsCovered(ctx, peer);
        const which = pods.length === 0 ? 'no pod today' : namesOf(pods);
        findings.push({
          ...base,
          id: 'NBG002',
          check: 'ipblock-behind-snat',
          message:
            `ipBlock ${peer.cidr} is inside the pod CIDRs${ctx.podCidrsInferred ? ' (inferred from pod IPs)' : ''} (it covers ${which}), and the ` +
            `selected pods are reached through ${names} with externalTrafficPolicy: Cluster: a pod that connects through the node port ` +
            `or the LoadBalancer address arrives from its node's join address, not from its pod IP, so this rule matches those pods only ` +
            `when they connect to the pod IP or the ClusterIP.`,
          fix:
            `to admit pods, select them with a podSelector (and a namespaceSelector) instead of their addresses, which change when pods are ` +
            `recreated; and have them connect to the ClusterIP, where OVN keeps their address.`,
        });
      });
    });
  }
  return findings;
}

type IpBlockPeer = Extract<NetworkPolicyPeer, { type: 'ipBlock' }>;

/** NodePort/LoadBalancer Services with externalTrafficPolicy: Cluster in front of any of `pods`. */
function clusterPolicyServices(ctx: LintContext, pods: readonly Pod[]): Service[] {
  const exposed = new Map<string, Service>();
  for (const pod of pods) {
    for (const s of ctx.servicesOf(pod)) {
      if ((s.type === 'NodePort' || s.type === 'LoadBalancer') && s.externalTrafficPolicy === 'Cluster') {
        exposed.set(`${s.namespace}/${s.name}`, s);
      }
    }
  }
  return [...exposed.values()];
}

/**
 * The node-owned sources a block admits, in words: node addresses, node join addresses (Kube-OVN's
 * Node annotation), and the join subnet when the block covers it or a part of it that `except`
 * does not remove. A part of the join subnet is some nodes' join addresses: whichever node SNATs
 * a connection, the rule admits it when that node's address is in the block.
 */
function nodeSourcesCovered(ctx: LintContext, peer: IpBlockPeer, cidr: Cidr): string[] {
  const nodes = ctx.nodeAddresses.filter((n) => ipBlockContains(peer, n.ip)).map((n) => `${n.ip} (node ${n.node})`);
  const joins = ctx.model.nodes.flatMap((n) => n.joinIps.filter((ip) => ipBlockContains(peer, ip)).map((ip) => `${ip} (join address of node ${n.name})`));
  const listed = [...nodes, ...joins];
  const words = [...listed.slice(0, 3), ...(listed.length > 3 ? [`${listed.length - 3} more node addresses`] : [])];
  const excepts = peer.except.map((e) => parseCidr(e)).filter((e): e is Cidr => e !== null);
  for (const join of ctx.joinCidrs) {
    if (cidrContainsCidr(cidr, join)) {
      if (!excepts.some((e) => cidrContainsCidr(e, join))) words.push(`the join subnet ${formatCidr(join)}`);
    } else if (cidrContainsCidr(join, cidr) && joins.length === 0) {
      if (!excepts.some((e) => cidrContainsCidr(e, cidr))) words.push(`part of the join subnet ${formatCidr(join)} (node join addresses)`);
    }
  }
  return words;
}

/** Pods with an address in the block (except removed). */
function podsCovered(ctx: LintContext, peer: IpBlockPeer): Pod[] {
  return ctx.allPods().filter((pod) => pod.ips.some((ip) => ipBlockContains(peer, ip)));
}

function namesOf(pods: readonly Pod[]): string {
  const shown = pods.slice(0, 3).map((p) => `${p.namespace}/${p.name}`);
  return pods.length > 3 ? `${shown.join(', ')} and ${pods.length - 3} more pods` : shown.join(', ');
}
